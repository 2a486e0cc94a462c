//! The committed crate builds warning-free and its hand-written tests and
//! examples pass. It is a workspace of its own, so cargo runs on it here.

use xtask::{cargo, repo_root};

#[test]
fn committed_crate_passes_clippy_and_its_tests() {
    let dir = repo_root().join("generated");
    cargo::clippy(&dir, &[]);
    cargo::run_ok(&dir, &["test", "--quiet"]);
    cargo::clippy(&dir, &["--features", "test-util"]);
}
