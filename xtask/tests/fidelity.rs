//! Type fidelity: the crate generated from
//! `generator/tests/fixtures/fidelity.yaml` (every construct the generator
//! maps) compiles warning-free, and the hand-written tests in
//! `xtask/tests/fidelity/tests/` decode payloads and check the wire format.

use xtask::{cargo, repo_root};

#[test]
fn fidelity_crate_compiles_decodes_and_sends_what_the_spec_says() {
    let root = repo_root();
    let spec = root.join("generator/tests/fixtures/fidelity.yaml");
    let dir = cargo::generated_crate(&spec, "fidelity", &root.join("xtask/tests/fidelity"));
    cargo::run_ok(
        dir.path(),
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    cargo::run_ok(dir.path(), &["test", "--quiet"]);
}

/// The other fixtures compile warning-free too, and so do the invalid specs
/// that generate because their meaning is unambiguous (`broken/`, with a
/// warning saying what was assumed) and the cases the random-spec test
/// found (`random/`).
#[test]
fn fixture_crates_pass_clippy() {
    let root = repo_root();
    let crates: Vec<(String, Vec<generator::File>)> = [
        "views",
        "pydantic",
        "broken/undeclared_path_parameter",
        "broken/parameter_declared_twice",
        "broken/enum_value_of_wrong_type",
        "broken/broken_flow",
        "broken/fallbacks",
        // What the random-spec test found (xtask/tests/random_specs.rs).
        "random/required_text_body",
        "random/recursive_array_alias_in_union",
        "random/only_aliases",
        "random/type_named_new",
        "random/nullable_error_body",
        "random/union_of_alias_to_struct",
        "random/only_a_newtype",
        "random/newtypes_in_a_cycle",
        "random/response_of_alias_to_nullable_struct",
        "random/nullable_struct_in_union",
        "random/alias_cycle_through_nullable_in_union",
    ]
    .iter()
    .map(|fixture| {
        let name = fixture
            .rsplit('/')
            .next()
            .unwrap_or(fixture)
            .replace('_', "-");
        let text =
            std::fs::read_to_string(root.join(format!("generator/tests/fixtures/{fixture}.yaml")))
                .unwrap();
        let options = generator::Options {
            crate_name: name.clone(),
            test_dependencies: false,
            source: format!("{fixture}.yaml"),
            env_prefix: "GCORE".into(),
        };
        let generated =
            generator::generate(&text, &options).unwrap_or_else(|f| panic!("{fixture}:\n{f}"));
        (name, generated.files)
    })
    .collect();
    cargo::clippy_all(&crates);
}
