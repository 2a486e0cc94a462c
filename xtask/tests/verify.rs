//! `cargo xtask verify`: the whole command (generate, Prism, the program,
//! the report) on the fixture spec, which must verify completely, and on
//! the full FastEdge spec, which must verify at least as far as today.

use std::process::Command;
use xtask::{prism, repo_root, shared};

fn verify(spec: &std::path::Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["verify", "--rounds", "3", "--spec"])
        .arg(spec)
        .current_dir(repo_root())
        .output()
        .expect("run xtask verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn verified(report: &str) -> usize {
    report
        .lines()
        .find_map(|l| {
            let (_, rest) = l.split_once(" operations: ")?;
            rest.split_once(" verified")?.0.parse().ok()
        })
        .unwrap_or_else(|| panic!("no summary in:\n{report}"))
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
    let (ok, report) = verify(&repo_root().join("xtask/tests/fixture/openapi.yaml"));
    assert!(ok, "{report}");
    assert!(report.contains("downloadFile: ok"), "{report}");

    let Some(specs) = shared::specs_dir() else {
        return;
    };
    let (_, report) = verify(&specs.join("fastedge/latest.yaml"));
    // Left: `addApp`, `patchApp`, `updateApp`, whose store references have
    // a `name` the spec marks both required and readOnly: the client leaves
    // readOnly properties out of requests, Prism asks for it.
    assert!(verified(&report) >= 32, "{report}");
}
