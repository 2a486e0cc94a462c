//! The verification program of `cargo xtask verify`: an example
//! (`examples/verify.rs`) of the generated crate that calls every operation
//! with arguments synthesised from the IR ([`crate::synth`]) against the
//! mock server at `VERIFY_URL`, and prints one JSON line per call.
//!
//! Per operation: a call with the required parameters only, a call with
//! every optional parameter set too (both answered with Prism's static
//! response: the spec's example of the first success), then `VERIFY_ROUNDS`
//! calls asking Prism for a random schema-valid response (`Prefer:
//! dynamic=true`); then each documented error status (`Prefer: code=N`),
//! which must decode as that documented error. Every body that decodes must
//! also encode back to what was received (the round trip of
//! `verify/report.rs`). A call the mock server does not answer (within
//! `VERIFY_TIMEOUT` seconds, or at all: it crashed) ends the program with
//! exit code 3, so that `cargo xtask verify` restarts the server and goes on
//! from the next operation (`VERIFY_FROM`).

use crate::ir::{Api, BodyKind, Operation, ResponseBody, Status, TypeKind, TypeRef, View};
use crate::pointer::Pointer;
use crate::surface::rust::{RustType, Scope, ident};
use std::fmt::Write as _;

/// The program's source, for the crate `crate_ident`.
pub fn program(api: &Api, crate_ident: &str) -> String {
    let mut calls = String::new();
    for (index, op) in api.operations.iter().enumerate() {
        let id = &op.id;
        let _ = writeln!(calls, "    if report.start({index}, {id:?}) {{");
        let [required, all] = [false, true].map(|full| arguments(api, op, full));
        let _ = writeln!(
            calls,
            "        let trip: RoundTrip = {};",
            round_trip(api, op)
        );
        let _ = writeln!(
            calls,
            "        report.calls(&client, {required}, {all}, trip).await;"
        );
        // Each documented error, as Prism answers it (its example).
        for status in op.responses.iter().filter_map(|r| match r.status {
            Status::Code(code) if !r.status.is_success() => Some(code),
            _ => None,
        }) {
            let _ = writeln!(
                calls,
                "        report.documented_error(&client, {status}, {all}, trip).await;"
            );
        }
        let _ = writeln!(calls, "    }}");
    }
    let binary = api
        .operations
        .iter()
        .any(|o| matches!(o.body.as_ref().map(|b| &b.kind), Some(BodyKind::Binary)));
    let binary_import = if binary { "use api::BinaryBody;\n" } else { "" };
    format!(
        "//! Written by `cargo xtask verify`: calls every operation against `VERIFY_URL`.\n#![allow(deprecated)]\n\nuse {crate_ident} as api;\n{binary_import}use api::{{Client, Operation, operations}};\n\n{}\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    let mut report = Report::from_env();\n    let client = report.client();\n{calls}}}\n",
        include_str!("verify/report.rs"),
    )
}

/// The operation's value with the required parameters, or all of them.
fn arguments(api: &Api, op: &Operation, full: bool) -> String {
    let fields: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let value = if p.required || full {
                crate::synth::param_instance(api, p).unwrap_or(serde_json::Value::Null)
            } else {
                serde_json::Value::Null
            };
            format!("{}: arg(r###\"{value}\"###)", ident(&p.name))
        })
        .chain(op.body.as_ref().map(|b| {
            let value = match &b.kind {
                BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => {
                    crate::synth::instance(api, t).unwrap_or(serde_json::Value::Null)
                }
                BodyKind::Text => serde_json::Value::from("text"),
                BodyKind::Binary => serde_json::Value::Null,
            };
            match (&b.kind, b.required) {
                (BodyKind::Binary, true) => {
                    "body: BinaryBody::from_bytes(&b\"verify\"[..])".to_string()
                }
                (BodyKind::Binary, false) => {
                    "body: Some(BinaryBody::from_bytes(&b\"verify\"[..]))".to_string()
                }
                _ => format!("body: arg(r###\"{value}\"###)"),
            }
        }))
        .collect();
    format!("operations::{} {{ {} }}", op.type_name, fields.join(", "))
}

/// A function from status and body to what re-encoding the body as the
/// status's documented type loses (see `round_trip` in `verify/report.rs`).
fn round_trip(api: &Api, op: &Operation) -> String {
    let mut arms: Vec<(u8, String)> = op
        .responses
        .iter()
        .filter_map(|r| {
            let ResponseBody::Json(ty) = &r.body else {
                return None;
            };
            let ty = RustType::of(api, ty).tokens(Scope::Dependent);
            let (order, pattern) = match r.status {
                Status::Code(code) => (0, code.to_string()),
                Status::Range(hundreds) => {
                    let low = hundreds * 100;
                    (1, format!("{low}..={}", low + 99))
                }
                Status::Default => (2, "_".to_string()),
            };
            Some((order, format!("{pattern} => round_trip::<{ty}>(body),")))
        })
        .collect();
    arms.sort_by_key(|(order, _)| *order);
    if arms.iter().all(|(order, _)| *order != 2) {
        arms.push((2, "_ => Vec::new(),".to_string()));
    }
    let arms: Vec<String> = arms.into_iter().map(|(_, arm)| arm).collect();
    format!("|status, body| match status {{ {} }}", arms.join(" "))
}

/// Wire names of the readOnly properties anywhere in the operation's JSON
/// body (the output view of a schema has them, the input view does not):
/// the client never sends them, so a mock server that demands one (Prism
/// applies `required` to requests too) is at fault, not the client.
pub fn read_only_properties(api: &Api, op: &Operation) -> Vec<String> {
    let Some(BodyKind::Json(body)) = op.body.as_ref().map(|b| &b.kind) else {
        return Vec::new();
    };
    let wires = |kind: &TypeKind| -> Vec<String> {
        match kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire.clone()).collect(),
            _ => Vec::new(),
        }
    };
    let mut found = Vec::new();
    for input in api.reachable(body) {
        let input = api.ty(input);
        let sent = wires(&input.kind);
        found.extend(
            api.types
                .iter()
                .filter(|t| t.origin == input.origin && t.view == View::Output)
                .flat_map(|t| wires(&t.kind))
                .filter(|wire| !sent.contains(wire)),
        );
    }
    found.sort();
    found.dedup();
    found
}

/// What the schema says of a property that re-encoding a response dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// The type declares it: the client lost data.
    Declared,
    /// Only requests carry it (writeOnly): the response should not have.
    WriteOnly,
    /// The schema does not name it, and allows other properties: the
    /// generated types keep only what the schema names.
    Undeclared,
}

/// What the schema of the operation's response with `status` says of the
/// property at `pointer` (a JSON pointer into the body).
pub fn dropped(api: &Api, op: &Operation, status: u16, pointer: &str) -> Dropped {
    let body = op.responses.iter().find_map(|r| {
        let fits = match r.status {
            Status::Code(c) => c == status,
            Status::Range(r) => r == status / 100,
            Status::Default => true,
        };
        match &r.body {
            ResponseBody::Json(ty) if fits => Some(ty),
            _ => None,
        }
    });
    let Some(body) = body else {
        return Dropped::Declared;
    };
    // A pointer into the body: `/a/0/b`, read as `#/a/0/b`.
    let tokens = Pointer::parse(&format!("#{pointer}")).map_or_else(Vec::new, |p| p.tokens());
    let Some((key, path)) = tokens.split_last() else {
        return Dropped::Declared;
    };
    let mut here = vec![body.clone()];
    for token in path {
        here = here.iter().flat_map(|ty| inside(api, ty, token)).collect();
    }
    let parents: Vec<&TypeKind> = here
        .iter()
        .flat_map(|ty| resolved(api, ty))
        .map(|id| &api.ty(id).kind)
        .collect();
    let declares = |kind: &TypeKind| match kind {
        TypeKind::Struct(s) => {
            s.additional.is_some() || s.fields.iter().any(|f| !f.flatten && f.wire == *key)
        }
        _ => true,
    };
    if here.is_empty() || parents.is_empty() || parents.iter().any(|k| declares(k)) {
        return Dropped::Declared;
    }
    let write_only = here.iter().flat_map(|ty| resolved(api, ty)).any(|id| {
        let origin = &api.ty(id).origin;
        api.types
            .iter()
            .filter(|t| &t.origin == origin && t.view == View::Input)
            .any(|t| declares(&t.kind))
    });
    if write_only {
        Dropped::WriteOnly
    } else {
        Dropped::Undeclared
    }
}

/// The named structs a value of `ty` can be (through aliases, nullables,
/// untagged unions and flattened alternatives).
fn resolved(api: &Api, ty: &TypeRef) -> Vec<crate::ir::TypeId> {
    match ty {
        TypeRef::Nullable(inner) => resolved(api, inner),
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => resolved(api, inner),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .flat_map(|v| resolved(api, &v.ty))
                .collect(),
            TypeKind::Struct(s) => std::iter::once(*id)
                .chain(
                    s.fields
                        .iter()
                        .filter(|f| f.flatten)
                        .flat_map(|f| resolved(api, &f.ty)),
                )
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The types a value of `ty` can hold under `token`.
fn inside(api: &Api, ty: &TypeRef, token: &str) -> Vec<TypeRef> {
    match ty {
        TypeRef::Array(item) => vec![(**item).clone()],
        TypeRef::Map(value) => vec![(**value).clone()],
        TypeRef::Nullable(inner) => inside(api, inner, token),
        TypeRef::Named(_) => resolved(api, ty)
            .into_iter()
            .flat_map(|id| match &api.ty(id).kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| !f.flatten && f.wire == token)
                    .map(|f| f.ty.clone())
                    .chain(s.additional.clone())
                    .collect(),
                _ => Vec::new(),
            })
            .collect(),
        TypeRef::Primitive(_) | TypeRef::Any => Vec::new(),
    }
}

/// Another operation with the same method on a path template that differs
/// only in its parameters' names (`/items/{id}` and `/items/{item_id}`):
/// OpenAPI forbids such pairs, as no server can tell them apart, and a mock
/// server answers both with one of them.
pub fn same_route<'a>(api: &'a Api, op: &Operation) -> Option<&'a Operation> {
    let shape = |path: &str| -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in path.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push_str("{}");
                }
                '}' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    let mine = shape(&op.path);
    api.operations
        .iter()
        .find(|o| o.id != op.id && o.method == op.method && shape(&o.path) == mine)
}

/// The untagged unions in what the operation sends whose alternatives
/// accept each other's values (no alternative has an instance that only it
/// accepts, such as alternatives without required properties): a `oneOf`
/// of these has no value that matches exactly one alternative.
pub fn overlapping_unions(api: &Api, op: &Operation) -> Vec<String> {
    overlapping_unions_in(api, &op.sent_refs())
}

/// The untagged unions reachable from `refs` whose alternatives accept each
/// other's values (see [`overlapping_unions`]).
pub fn overlapping_unions_in(api: &Api, refs: &[&TypeRef]) -> Vec<String> {
    let mut names: Vec<String> = refs
        .iter()
        .flat_map(|r| api.reachable(r))
        .filter(|id| match &api.ty(*id).kind {
            TypeKind::Union(u) => {
                u.tag.is_none()
                    && u.variants.len() > 1
                    && crate::synth::distinct_instance(api, *id, 0).is_none()
            }
            _ => false,
        })
        .map(|id| api.ty(id).name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}
