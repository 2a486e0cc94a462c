//! Name hygiene in a compiled crate: the crate generated from
//! `generator/tests/fixtures/names.yaml` (operations, schemas, properties,
//! parameters and enum values named like runtime, std, prelude, serde and
//! keyword items, and like each other after case conversion) passes clippy
//! with warnings denied, and the hand-written tests in
//! `xtask/tests/names/tests/` check that every name is reachable and every
//! wire name exact.

use xtask::{cargo, repo_root};

#[test]
fn clashing_names_compile_clippy_clean_and_keep_their_wire_names() {
    let root = repo_root();
    let spec = root.join("generator/tests/fixtures/names.yaml");
    let dir = cargo::generated_crate(&spec, "names", &root.join("xtask/tests/names"));
    cargo::run_ok(
        dir.path(),
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    cargo::run_ok(dir.path(), &["test", "--quiet"]);
}
