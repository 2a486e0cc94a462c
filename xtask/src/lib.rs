//! `cargo xtask`: the project's tasks, as a library so tests can call them.

pub mod bench;
pub mod diff;
pub mod gen_crate;
pub mod update_spec;
pub mod verify;

use std::path::PathBuf;

/// How a task ended badly.
#[derive(Debug)]
pub enum Failure {
    /// The input is invalid, or a check found differences (exit 1).
    Invalid(String),
    /// The command line is wrong (exit 2).
    Usage(String),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Invalid(e.to_string())
    }
}

/// The repository root (the parent of `xtask/`).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

pub mod cargo;
pub mod prism;
pub mod schema;
pub mod shared;
