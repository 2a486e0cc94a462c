//! Small spec changes give small code changes, and output does not depend on
//! the run: hash-map order, environment, locale or time.

use generator::{File, Options};
use similar::{ChangeTag, TextDiff};
use std::process::Command;
use xtask::shared;

fn options() -> Options {
    Options {
        crate_name: "fastedge-api".into(),
        test_dependencies: false,
        source: "fastedge_api.yaml".into(),
        env_prefix: "GCORE".into(),
    }
}

fn generate(text: &str) -> Vec<File> {
    generator::generate(text, &options())
        .unwrap_or_else(|f| panic!("{f}"))
        .files
}

/// Per changed file: the lines removed, and the added lines in hunks (runs
/// of consecutive added lines).
fn line_changes(old: &[File], new: &[File]) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let paths: std::collections::BTreeSet<&str> =
        old.iter().chain(new).map(|f| f.path.as_str()).collect();
    let contents = |files: &[File], path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for path in paths {
        let (a, b) = (contents(old, path), contents(new, path));
        if a == b {
            continue;
        }
        let diff = TextDiff::from_lines(&a, &b);
        let mut removed = Vec::new();
        let mut hunks: Vec<Vec<String>> = Vec::new();
        let mut in_hunk = false;
        for change in diff.iter_all_changes() {
            match change.tag() {
                ChangeTag::Delete => removed.push(change.value().to_string()),
                ChangeTag::Insert => {
                    if !in_hunk {
                        hunks.push(Vec::new());
                    }
                    if let Some(h) = hunks.last_mut() {
                        h.push(change.value().to_string());
                    }
                }
                ChangeTag::Equal => {}
            }
            in_hunk = change.tag() == ChangeTag::Insert;
        }
        out.push((path.to_string(), removed, hunks));
    }
    out
}

fn latest() -> Option<String> {
    let dir = shared::specs_dir()?;
    Some(std::fs::read_to_string(dir.join("fastedge/latest.yaml")).unwrap())
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` is not unique");
    text.replacen(from, to, 1)
}

#[test]
fn a_new_property_only_adds_lines_about_it() {
    let Some(text) = latest() else {
        return;
    };
    // A property in the middle of `secret`, used both ways.
    let edited = replace_once(
        &text,
        "          description: A description or comment about the secret.\n          maxLength: 1024\n",
        "          description: A description or comment about the secret.\n          maxLength: 1024\n        labels_count:\n          type: integer\n          description: How many labels the secret has.\n",
    );
    let changes = line_changes(&generate(&text), &generate(&edited));
    let files: Vec<&str> = changes.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(files, ["public-api.json", "src/types.rs"], "{changes:#?}");
    for (path, removed, hunks) in &changes {
        assert!(removed.is_empty(), "{path}: lines removed: {removed:#?}");
        // The field is in every type made from `secret` (both views and the
        // request types that extend it); each insertion is one of them.
        for hunk in hunks {
            assert!(
                hunk.len() <= 8 && hunk.iter().any(|l| l.contains("labels_count")),
                "{path}: {hunk:#?}"
            );
        }
    }
}

#[test]
fn a_new_operation_only_adds_lines_about_it() {
    let Some(text) = latest() else {
        return;
    };
    // An operation on a new path between existing ones, with its own schema,
    // tagged like the others (it joins the `apps` module and feature).
    let edited = replace_once(
        &text,
        "  /fastedge/v1/me:\n",
        "  /fastedge/v1/labels:\n    get:\n      operationId: listLabels\n      tags: [Apps]\n      summary: List labels\n      responses:\n        '200':\n          description: The labels\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Label'\n  /fastedge/v1/me:\n",
    );
    let edited = replace_once(
        &edited,
        "  schemas:\n",
        "  schemas:\n    Label:\n      type: object\n      properties:\n        name:\n          type: string\n",
    );
    let changes = line_changes(&generate(&text), &generate(&edited));
    let files: Vec<&str> = changes.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(
        files,
        [
            "README.md",
            "public-api.json",
            "src/operations/apps.rs",
            "src/types.rs"
        ],
        "{changes:#?}"
    );
    for (path, removed, hunks) in &changes {
        assert!(removed.is_empty(), "{path}: lines removed: {removed:#?}");
        // One insertion per item: the operation, its type, its README row.
        for hunk in hunks {
            assert!(
                hunk.iter()
                    .any(|l| l.contains("list_labels") || l.contains("Label")),
                "{path}: {hunk:#?}"
            );
        }
    }
}

#[test]
fn generation_is_the_same_in_every_run() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    // Each generation gets fresh hash-map seeds.
    for path in shared::yaml_files(&dir.join("gcore")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let first = generate(&text);
        for _ in 0..3 {
            assert!(generate(&text) == first, "{}", path.display());
        }
    }
}

#[test]
fn generation_does_not_depend_on_locale_time_zone_or_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let spec = xtask::gen_crate::default_spec().unwrap();
    let xtask = |envs: &[(&str, &str)], check: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.arg("gen");
        if check {
            cmd.arg("--check");
        }
        cmd.args(["--spec", spec.to_str().unwrap()])
            .args(["--out", out.to_str().unwrap()])
            .args(["--crate-name", "fastedge-api"])
            .env_clear()
            .envs(envs.iter().copied());
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "{envs:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    xtask(&[], false);
    for envs in [
        &[("LC_ALL", "tr_TR.UTF-8"), ("LANG", "tr_TR.UTF-8")][..],
        &[("TZ", "Pacific/Kiritimati"), ("LC_ALL", "C")],
        &[
            ("HOME", "/nonexistent"),
            ("TMPDIR", "/tmp"),
            ("SOURCE_DATE_EPOCH", "0"),
        ],
    ] {
        xtask(envs, true);
    }
}
