//! `cargo xtask verify`: the whole command (generate, Prism, the program,
//! the report) on the fixture spec, which must verify completely, and on
//! the fidelity fixture and every spec in `../shared/specs`, where no
//! operation may fail because of the client (what Prism or the spec causes
//! is counted apart, with why), and every operation must be accounted for.
//!
//! Rounds of random responses per operation: `VERIFY_ROUNDS` (default 3 in
//! `cargo test`; the command's own default is 20).

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use xtask::{prism, repo_root, shared};

/// Runs `verify --format json`: whether it passed, and one verdict per
/// operation.
fn verify(spec: &Path) -> (bool, Vec<Value>, String) {
    let rounds = std::env::var("VERIFY_ROUNDS").unwrap_or_else(|_| "3".into());
    verify_with(spec, &["--rounds", &rounds])
}

fn verify_with(spec: &Path, args: &[&str]) -> (bool, Vec<Value>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["verify", "--format", "json", "--timeout", "10"])
        .args(args)
        .arg("--spec")
        .arg(spec)
        .current_dir(repo_root())
        .output()
        .expect("run xtask verify");
    let verdicts = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), verdicts, stderr)
}

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

#[test]
fn verify_calls_every_operation_against_prism() {
    if let Err(e) = prism::install() {
        if std::env::var_os("CI").is_some() {
            panic!("Prism is needed in CI: {e}");
        }
        eprintln!("skipping: {e}");
        return;
    }
    let (ok, verdicts, stderr) = verify(&repo_root().join("xtask/tests/fixture/openapi.yaml"));
    assert!(ok, "{verdicts:#?}\n{stderr}");
    assert!(
        verdicts.iter().all(|v| field(v, "result") == "passed"),
        "{verdicts:#?}"
    );

    // The fidelity fixture: every construct the generator maps.
    let mut all = vec![repo_root().join("generator/tests/fixtures/fidelity.yaml")];
    if let Some(specs) = shared::specs_dir() {
        all.push(specs.join("fastedge/latest.yaml"));
        all.extend(shared::yaml_files(&specs.join("gcore")));
    }
    let mut unexpected = Vec::new();
    for spec in all {
        let (ok, verdicts, stderr) = verify(&spec);
        let text = std::fs::read_to_string(&spec).unwrap();
        let (api, _) = generator::model(&text).unwrap();
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            verdicts.len(),
            api.operations.len(),
            "{name}: every operation has a verdict\n{stderr}"
        );
        let count = |result: &str| {
            verdicts
                .iter()
                .filter(|v| field(v, "result") == result)
                .count()
        };
        eprintln!(
            "{name}: {} operations, {} passed, {} failed, counted apart: mock server {}, spec {}",
            verdicts.len(),
            count("passed"),
            count("failed"),
            count("mock"),
            count("spec")
        );
        let failed: Vec<String> = verdicts
            .iter()
            .filter(|v| field(v, "result") == "failed")
            .map(|v| format!("{name}: {v}"))
            .collect();
        assert!(ok || !failed.is_empty(), "{name}: verify failed\n{stderr}");
        unexpected.extend(failed);
        // `--strict` fails on what is counted apart too (IAM: a spec example
        // with a property its schema does not declare).
        if name == "iam_api.yaml" && count("spec") + count("mock") > 0 {
            let (strict_ok, _, _) = verify_with(&spec, &["--rounds", "0", "--strict"]);
            assert!(
                !strict_ok,
                "{name}: --strict passed although some are counted apart"
            );
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}
