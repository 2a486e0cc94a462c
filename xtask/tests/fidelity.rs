//! Type fidelity: the crate generated from
//! `generator/tests/fixtures/fidelity.yaml` (every construct the generator
//! maps) compiles warning-free, and the hand-written tests in
//! `xtask/tests/fidelity/tests/` decode payloads and check the wire format.

use xtask::{cargo, repo_root};

#[test]
fn fidelity_crate_compiles_decodes_and_sends_what_the_spec_says() {
    let root = repo_root();
    let spec =
        std::fs::read_to_string(root.join("generator/tests/fixtures/fidelity.yaml")).unwrap();
    let dir = cargo::generated_crate(&spec, "fidelity", &root.join("xtask/tests/fidelity"));
    cargo::run_ok(
        dir.path(),
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    cargo::run_ok(dir.path(), &["test", "--quiet"]);
}
