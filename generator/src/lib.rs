//! Turns an OpenAPI 3.0/3.1 document into a typed async Rust client crate.
//!
//! The core does no I/O: spec text in, a list of (path, contents) out.
//! Stages, one module each:
//!
//! 1. [`load`]: YAML text to a JSON value;
//! 2. [`normalise`]: OpenAPI 3.1 constructs to the 3.0 form `openapiv3` reads;
//! 3. [`model`]: `$ref` resolution and lowering into the [`ir`], where
//!    readOnly/writeOnly views are applied;
//! 4. [`naming`]: Rust identifiers (used by the model);
//! 5. [`emit`]: the crate's files.
//!
//! What each part of the API is in Rust (types, reserved names, imports) is
//! decided once, in [`surface`], and read by the model's naming, the emitter
//! and the change report ([`diff`]).
//!
//! Diagnostics get their line and column from [`locate`], only when there
//! are some.

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod load;
pub mod locate;
pub mod model;
pub mod naming;
pub mod normalise;
pub mod pointer;
pub mod surface;
pub mod synth;
pub mod verify;
pub mod walk;

use diagnostics::{Collector, Diagnostic, Failure};

pub use emit::{File, Options};

/// The generated crate and what was noticed on the way.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<File>,
    /// Constructs mapped to a documented fallback, with where they are.
    pub warnings: Vec<Diagnostic>,
    pub operations: usize,
    pub types: usize,
}

/// Stack for a run of the generator. Reading and lowering recurse once per
/// level of nesting in the document (the YAML reader allows 128) and once per
/// `$ref` followed (the lowering allows 200); in a debug build a level of
/// `openapiv3`'s deserialisation alone takes tens of kilobytes. The memory is
/// reserved, and only what a document needs is used.
const STACK_SIZE: usize = 256 << 20;

/// Runs `f` on a thread with [`STACK_SIZE`] of stack, so that how deep a
/// document nests never depends on the caller's stack (a test thread has 2 MB).
fn with_stack<T: Send>(f: impl FnOnce() -> Result<T, Failure> + Send) -> Result<T, Failure> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("generator".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, f);
        match thread {
            Ok(thread) => match thread.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(e) => Err(Diagnostic::error(
                "#",
                format!("cannot start a thread to run the generator on: {e}"),
            )
            .into()),
        }
    })
}

/// Reads a spec into the IR. Warnings and errors carry the line and column
/// of their node where it is in the text.
pub fn model(spec: &str) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
    with_stack(|| model_on_this_stack(spec))
}

fn model_on_this_stack(spec: &str) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
    match model_unlocated(spec) {
        Ok((api, mut warnings)) => {
            locate::locate(spec, &mut warnings);
            Ok((api, warnings))
        }
        Err(mut failure) => {
            locate::locate(spec, &mut failure.diagnostics);
            Err(failure)
        }
    }
}

fn model_unlocated(spec: &str) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
    let mut diags = Collector::default();
    let doc = load::load(spec)?;
    let Some((doc, api)) = normalise::normalise(doc, &mut diags) else {
        return Err(fail(diags));
    };
    match model::build(&doc, &api, &mut diags) {
        Some(ir) if !diags.has_errors() => Ok((ir, diags.into_diagnostics())),
        _ => Err(fail(diags)),
    }
}

/// Every file of the crate for a modelled API, in path order: what the
/// emitter writes, and the public API in machine-readable form
/// ([`diff::SURFACE_FILE`]), which `cargo xtask gen` compares the next
/// generation with to report API changes.
pub fn files(api: &ir::Api, options: &Options) -> Result<Vec<File>, Diagnostic> {
    let mut files = emit::emit(api, options)?;
    files.push(File {
        path: diff::SURFACE_FILE.into(),
        contents: diff::Surface::of(api).to_json(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Generates the client crate for a spec.
pub fn generate(spec: &str, options: &Options) -> Result<Generated, Failure> {
    with_stack(|| {
        let (api, warnings) = model_on_this_stack(spec)?;
        let files = files(&api, options)?;
        Ok(Generated {
            files,
            warnings,
            operations: api.operations.len(),
            types: api.types.len(),
        })
    })
}

fn fail(diags: Collector) -> Failure {
    match diags.finish() {
        Err(failure) => failure,
        // Stages return `None` only after reporting an error.
        Ok(warnings) => Failure {
            diagnostics: warnings
                .into_iter()
                .chain([Diagnostic::error(
                    pointer::Pointer::root(),
                    "the document could not be read",
                )])
                .collect(),
        },
    }
}
