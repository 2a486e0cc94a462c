//! `cargo xtask diff` and the report `cargo xtask gen` prints.

mod common;
use common::xtask;

use std::fs;
use std::path::PathBuf;
use std::process::Output;
use xtask::repo_root;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn base() -> PathBuf {
    repo_root().join("generator/tests/fixtures/diff_base.yaml")
}

/// The base fixture with one enum value more and a new optional field.
fn edited(dir: &std::path::Path) -> PathBuf {
    let text = fs::read_to_string(base()).unwrap();
    let text = text
        .replacen("version: 'aaaa1111'", "version: 'bbbb2222'", 1)
        .replacen("      - sold\n", "      - sold\n      - pending\n", 1)
        .replacen(
            "        message:\n          type: string\n",
            "        message:\n          type: string\n        code:\n          type: integer\n",
            1,
        );
    let path = dir.join("new.yaml");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn diff_prints_the_report_with_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path());
    let output = xtask(&["diff", base().to_str().unwrap(), new.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.starts_with("API changes from diff_base.yaml (aaaa1111) to new.yaml (bbbb2222):\n0 breaking, 2 additive, 0 compatible change(s):"),
        "{text}"
    );
    assert!(
        text.contains("  - type `Status`: new value `pending` (variant `Pending`)"),
        "{text}"
    );
    assert!(
        text.contains("  - type `ErrorModel`: new field `code: Option<i64>`"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("Semver: minor (additions only; for a 0.x crate, the patch version)"),
        "{text}"
    );
}

#[test]
fn diff_as_json_for_tools() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path());
    let output = xtask(&[
        "diff",
        base().to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["old"]["version"], "aaaa1111");
    assert_eq!(json["new"]["path"], "new.yaml");
    assert_eq!(json["bump"], "minor");
    let kinds: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["field_added", "enum_value_added"]);
}

#[test]
fn diff_of_an_invalid_spec_fails_with_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    fs::write(&bad, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}}}\n").unwrap();
    let output = xtask(&["diff", base().to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("points to no schema"), "{err}");
    let output = xtask(&["diff", base().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn gen_reports_the_changes_against_the_crate_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let new = edited(dir.path());
    let generate = |spec: &PathBuf| {
        xtask(&[
            "gen",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "pets",
        ])
    };
    let first = generate(&base());
    assert!(first.status.success(), "{first:?}");
    // A new crate: nothing to compare with.
    assert!(
        !stdout(&first).contains("API changes"),
        "{}",
        stdout(&first)
    );
    assert!(out.join("public-api.json").exists());

    let second = generate(&new);
    let text = stdout(&second);
    assert!(second.status.success(), "{text}");
    assert!(
        text.contains("API changes since the previous generation"),
        "{text}"
    );
    assert!(text.contains("new value `pending`"), "{text}");
    assert!(text.contains("Semver: minor"), "{text}");

    // Nothing changed: no report.
    let third = generate(&new);
    assert!(
        !stdout(&third).contains("API changes"),
        "{}",
        stdout(&third)
    );
}

/// The emitter marks the generated enums `#[non_exhaustive]` exactly when
/// `surface::ENUMS_ARE_EXHAUSTIVE` (which the report's classes also read)
/// says they are not exhaustive.
#[test]
fn the_enum_rule_matches_the_emitted_code() {
    let text = fs::read_to_string(base()).unwrap();
    let options = generator::Options {
        crate_name: "pets".into(),
        test_dependencies: false,
        source: "diff_base.yaml".into(),
        env_prefix: "GCORE".into(),
    };
    let files = generator::generate(&text, &options).unwrap().files;
    let code: String = files
        .iter()
        // The generated enums; the runtime's own (`Error`) are not API.
        .filter(|f| f.path == "src/types.rs" || f.path == "src/operations.rs")
        .map(|f| f.contents.as_str())
        .collect();
    assert!(code.contains("pub enum Status {"));
    assert!(code.contains("pub enum GetPetError {"));
    assert_eq!(
        generator::diff::ENUMS_ARE_EXHAUSTIVE,
        !code.contains("#[non_exhaustive]\npub enum")
            && !code.contains("#[non_exhaustive]\n    pub enum"),
        "the emitter does not follow surface::ENUMS_ARE_EXHAUSTIVE"
    );
}
