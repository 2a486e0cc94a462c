//! The Rust surface of the IR: what each part of the API is in the
//! generated Rust, decided once and read by the emitter (`crate::emit`), the
//! change report (`crate::diff`) and the model's naming.
//!
//! - `docs`: the doc comments users read, from the spec's text;
//! - [`features`]: the cargo feature of each operation and type (one per
//!   tag in APIs with several);
//! - [`graph`]: which types are boxed, newtypes or `Default`;
//! - [`names`]: which names the generated code uses (its imports, the
//!   runtime's items and methods, the prelude), so which names generated
//!   items may not take;
//! - [`runtime`]: what the runtime defines, read from its sources;
//! - [`rust`]: the Rust type of each field, argument and result;
//! - [`untagged`]: how the alternatives of an untagged union are told apart.

pub(crate) mod docs;
pub mod features;
pub mod graph;
pub mod names;
pub(crate) mod runtime;
pub mod rust;
pub mod untagged;

use crate::ir::{Operation, ResponseBody, Status, TypeKind};

/// Whether the generated enums (value enums, error and output enums,
/// unions) are exhaustive. They are not: they are `#[non_exhaustive]`, as the
/// server adds values, errors and alternatives, so code matching on them
/// keeps a `_` arm and a new variant is additive. Read by the emitter and by
/// the change report (`crate::diff`).
pub const ENUMS_ARE_EXHAUSTIVE: bool = false;

/// Whether a struct field is optional and nullable, written `Nullable<T>`.
pub fn uses_nullable(def: &crate::ir::TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|f| rust::Presence::of(f.required, f.nullable) == rust::Presence::Nullable),
        _ => false,
    }
}

/// Whether the operation's success responses are all binary, so that it
/// returns bytes and can be read as a stream (the runtime's `Download`).
pub fn is_download(op: &Operation) -> bool {
    let mut successes = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .peekable();
    successes.peek().is_some() && successes.all(|r| r.body == ResponseBody::Binary)
}

/// The status of the operation's success: the first documented 2xx code;
/// 200 when the spec documents only a range (`2XX`) or no success.
pub fn success_status(op: &Operation) -> u16 {
    op.responses
        .iter()
        .find_map(|r| match r.status {
            Status::Code(code) if r.status.is_success() => Some(code),
            _ => None,
        })
        .unwrap_or(200)
}

/// The operation's `Accept` header: the media types of its documented
/// responses, successes and errors, in document order, once each (empty
/// when no response has a body). A media type that cannot be a header value
/// is left out.
pub fn accept(op: &Operation) -> String {
    let mut types: Vec<&str> = Vec::new();
    for r in &op.responses {
        if let Some(t) = r.media_type.as_deref() {
            let valid =
                !t.is_empty() && !t.contains(',') && t.bytes().all(|b| (b' '..=b'~').contains(&b));
            if valid && !types.contains(&t) {
                types.push(t);
            }
        }
    }
    types.join(", ")
}

/// The distinct bodies of an operation's success responses, in order: none
/// gives `()`, one is the output's type, several make an output enum
/// ([`has_output_enum`]).
pub fn success_bodies(op: &Operation) -> Vec<&ResponseBody> {
    let mut distinct: Vec<&ResponseBody> = Vec::new();
    for r in op.responses.iter().filter(|r| r.status.is_success()) {
        if !distinct.contains(&&r.body) {
            distinct.push(&r.body);
        }
    }
    distinct
}

/// Whether the operation's successes have different bodies, so that its
/// output is an enum (`op.output_name`).
pub fn has_output_enum(op: &Operation) -> bool {
    success_bodies(op).len() > 1
}
