//! `cargo xtask gen` and `gen --check`, through the binary and the library.

mod common;
use common::{text, xtask};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use xtask::gen_crate::{self, committed, differences, owned_files};

fn seed_spec() -> PathBuf {
    gen_crate::default_spec().unwrap_or_else(|_| panic!("spec/ has one document"))
}

/// Generates the seed crate into `out` through the CLI.
fn generate_into(out: &Path) -> Output {
    let spec = seed_spec();
    xtask(&[
        "gen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "fastedge-api",
    ])
}

fn check(out: &Path) -> Output {
    let spec = seed_spec();
    xtask(&[
        "gen",
        "--check",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "fastedge-api",
    ])
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    owned_files(dir)
        .unwrap()
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

#[test]
fn the_committed_crate_is_what_the_generator_writes() {
    let (spec, out, options) = committed().unwrap();
    let text = fs::read_to_string(&spec).unwrap();
    let generated = generator::generate(&text, &options).unwrap();
    let report = differences(&out, &generated.files).unwrap();
    assert!(
        report.is_empty(),
        "generated/ is stale; run `cargo xtask gen`:\n{}",
        report.join("\n")
    );
}

#[test]
fn check_mode_passes_on_the_committed_crate() {
    let output = xtask(&["gen", "--check"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("up to date"));
}

#[test]
fn an_appended_line_is_named_by_check_and_undone_by_gen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_into(&out).status.success());
    let pristine = snapshot(&out);
    assert!(pristine.len() >= 8, "{pristine:?}");

    for (rel, original) in &pristine {
        let path = out.join(rel);
        let mut changed = original.clone();
        changed.extend_from_slice(b"appended by a test\n");
        fs::write(&path, &changed).unwrap();

        let output = check(&out);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
        let report = text(&output);
        assert!(
            report.contains(&format!("stale: {}", path.display())),
            "{rel} not named:\n{report}"
        );
        assert!(
            report.contains("-appended by a test"),
            "no diff for {rel}:\n{report}"
        );
        assert_eq!(fs::read(&path).unwrap(), changed, "--check changed {rel}");

        let output = generate_into(&out);
        assert!(output.status.success(), "{}", text(&output));
        assert!(text(&output).contains("1 written"), "{}", text(&output));
        assert_eq!(
            &fs::read(&path).unwrap(),
            original,
            "gen did not restore {rel}"
        );
    }
    assert_eq!(snapshot(&out), pristine);
}

#[test]
fn check_names_missing_and_extra_files_and_gen_fixes_both() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_into(&out).status.success());
    fs::remove_file(out.join("src/types.rs")).unwrap();
    fs::write(out.join("src/leftover.rs"), "// from an old spec\n").unwrap();
    // Hand-written tests are not the generator's.
    fs::create_dir_all(out.join("tests")).unwrap();
    fs::write(out.join("tests/mine.rs"), "// mine\n").unwrap();

    let report = text(&check(&out));
    assert!(
        report.contains(&format!("missing: {}", out.join("src/types.rs").display())),
        "{report}"
    );
    assert!(
        report.contains(&format!("extra: {}", out.join("src/leftover.rs").display())),
        "{report}"
    );
    assert!(!report.contains("mine.rs"), "{report}");

    assert!(generate_into(&out).status.success());
    assert!(out.join("src/types.rs").exists());
    assert!(!out.join("src/leftover.rs").exists());
    assert!(out.join("tests/mine.rs").exists());
    assert!(check(&out).status.success());
}

#[test]
fn a_failed_generation_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_into(&out).status.success());
    let before = snapshot(&out);
    let bad = dir.path().join("bad.yaml");
    fs::write(&bad, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n").unwrap();
    // The undeclared `{id}` has one meaning, which `gen` assumes with a
    // warning; `--strict` refuses it.
    let output = xtask(&[
        "gen",
        "--strict",
        "--spec",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let message = text(&output);
    assert!(message.contains("bad.yaml:5:5: error: "), "{message}");
    assert!(!message.contains("warning"), "{message}");
    assert!(
        message.contains(
            "error: #/paths/~1a~1{id}/get: path template parameter `{id}` is not declared"
        ),
        "{message}"
    );
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(snapshot(&out), before);
    // No staging folder is left behind either.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".xtask"))
        .collect();
    assert!(leftovers.is_empty());
    // Without `--strict` it generates, and says what it assumed, where.
    let lenient = dir.path().join("lenient");
    let output = xtask(&[
        "gen",
        "--spec",
        bad.to_str().unwrap(),
        "--out",
        lenient.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let message = text(&output);
    assert!(
        message.contains("bad.yaml:5:5: warning (assumed): #/paths/~1a~1{id}/get"),
        "{message}"
    );
    assert!(lenient.join("src/operations.rs").exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let output = xtask(&["gen", "--spec", "x.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let output = xtask(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let output = xtask(&[
        "gen",
        "--spec",
        "x.yaml",
        "--out",
        "y",
        "--crate-name",
        "9bad",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let (spec, _, options) = committed().unwrap();
    let text = fs::read_to_string(spec).unwrap();
    let first = generator::generate(&text, &options).unwrap().files;
    let second = generator::generate(&text, &options).unwrap().files;
    assert_eq!(first, second);
}

#[test]
fn invalid_input_exits_with_1_says_where_on_stderr_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let broken = dir.path().join("broken.yaml");
    fs::write(
        &broken,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Gone'}\n",
    )
    .unwrap();
    let binary = dir.path().join("binary.yaml");
    fs::write(&binary, b"openapi: 3.1.0\n\xff\xfe\x00\x01").unwrap();
    let missing = dir.path().join("missing.yaml");
    let cases = [
        (
            &broken,
            format!(
                "{}:11:15: error: #/paths/~1a/get/responses/200/content/application~1json/schema: `$ref: #/components/schemas/Gone` points to no schema",
                broken.display()
            ),
        ),
        (
            &binary,
            format!(
                "{}: error: #: the file is not UTF-8 text (invalid byte at offset 15)",
                binary.display()
            ),
        ),
        (&missing, format!("{}: ", missing.display())),
    ];
    for (spec, expected) in &cases {
        for check in [false, true] {
            let mut args = vec!["gen"];
            if check {
                args.push("--check");
            }
            args.extend([
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ]);
            let output = xtask(&args);
            assert_eq!(output.status.code(), Some(1), "{}", text(&output));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains(expected.as_str()),
                "{expected}\nnot in:\n{stderr}"
            );
            assert!(output.stdout.is_empty(), "{}", text(&output));
            assert!(!out.exists(), "{args:?} wrote {}", out.display());
        }
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".xtask"))
        .collect();
    assert!(leftovers.is_empty());
}
