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
//! Diagnostics get their line and column from [`locate`], only when there
//! are some.

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod locate;
pub mod model;
pub mod naming;
pub mod normalise;

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

/// Reads a spec into the IR. Warnings and errors carry the line and column
/// of their node where it is in the text.
pub fn model(spec: &str) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
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

/// Generates the client crate for a spec.
pub fn generate(spec: &str, options: &Options) -> Result<Generated, Failure> {
    let (api, warnings) = model(spec)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated {
        files,
        warnings,
        operations: api.operations.len(),
        types: api.types.len(),
    })
}

fn fail(diags: Collector) -> Failure {
    match diags.finish() {
        Err(failure) => failure,
        // Stages return `None` only after reporting an error.
        Ok(warnings) => Failure {
            diagnostics: warnings
                .into_iter()
                .chain([Diagnostic::error("#", "the document could not be read")])
                .collect(),
        },
    }
}
