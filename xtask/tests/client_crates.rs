//! Clients generated at test time, with hand-written tests and examples kept
//! beside this file and copied into the generated crate:
//!
//! - `fastedge/`: the full FastEdge API from `../shared/specs` (read in
//!   place, never committed) as the crate `fastedge-api`. `tests/wire.rs`
//!   tests behaviour on a local mock server with operations the committed
//!   seed lacks (GET retries, pagination, uploads, text error bodies);
//!   `tests/conformance.rs` calls every operation against Prism, a mock
//!   server that validates requests against the spec; `examples/` are the
//!   examples that need the full API.
//! - `fixture/`: a small spec of what FastEdge does not have (binary
//!   downloads, an API key in the query), with its tests.
//!
//! Each crate must pass clippy with warnings denied, examples included.

use std::fs;
use std::path::{Path, PathBuf};
use xtask::prism::{self, Prism};
use xtask::{cargo, shared};

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// `--test <name>` for each test file of `hand_written` but `except`.
fn test_targets(hand_written: &Path, except: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(hand_written.join("tests"))
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let stem = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "rs" && !except.contains(&stem.as_str())).then_some(stem)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .flat_map(|n| ["--test".to_string(), n])
        .collect()
}

/// The full FastEdge crate with the hand-written files of `fastedge/`, or
/// `None` without the shared specs.
fn fastedge_crate() -> Option<(PathBuf, tempfile::TempDir)> {
    let spec = shared::specs_dir()?.join("fastedge").join("latest.yaml");
    let krate = cargo::generated_crate(&spec, "fastedge-api", &here().join("fastedge"));
    Some((spec, krate))
}

#[test]
fn full_fastedge_client_wire_tests_examples_and_prism_conformance() {
    let Some((spec, krate)) = fastedge_crate() else {
        return;
    };
    let hand_written = here().join("fastedge");
    let dir = krate.path();
    cargo::clippy(dir, &[]);
    let mut args = vec!["test".to_string(), "--quiet".to_string()];
    args.extend(test_targets(
        &hand_written,
        &["conformance", "tls", "test_util"],
    ));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cargo::run_ok(dir, &args);
    // `test-util`: its mock server and decoding without a server, as a
    // user's tests use them; its docs build without warnings.
    cargo::clippy(dir, &["--features", "test-util"]);
    for target in [&["--test", "test_util", "--lib"][..], &["--doc"]] {
        let mut test = vec!["test", "--quiet", "--features", "test-util"];
        test.extend(target);
        cargo::run_ok(dir, &test);
    }
    cargo::run_ok_with_env(
        dir,
        &["doc", "--quiet", "--no-deps", "--features", "test-util"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );

    let bin = match prism::install() {
        Ok(bin) => bin,
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("Prism is needed in CI: {e}")
        }
        Err(e) => {
            eprintln!("skipping the Prism conformance test: {e}");
            return;
        }
    };
    let prism = Prism::start(&bin, &spec).unwrap_or_else(|e| panic!("{e}"));
    let text = fs::read_to_string(&spec).unwrap();
    let (api, _) = generator::model(&text).unwrap_or_else(|f| panic!("{f}"));
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), 35, "the FastEdge spec has 35 operations");
    let output = cargo::run_with_env(
        dir,
        &["test", "--quiet", "--test", "conformance"],
        &[
            ("PRISM_URL", prism.url()),
            ("EXPECTED_OPERATIONS", &ids.join(",")),
        ],
    );
    assert!(
        output.status.success(),
        "conformance against Prism failed:\n{}{}\n--- Prism's log (last lines) ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        last_lines(&prism.log(), 40)
    );

    // An example runs too, configured from the environment. (Uploading
    // then creating an app is only compiled: Prism's made-up binary id
    // breaks the spec's own `minimum: 1` when sent back.)
    let output = cargo::run_ok_with_env(
        dir,
        &["run", "--quiet", "--example", "page_through_apps"],
        &[
            ("GCORE_API_KEY", "example-key"),
            ("GCORE_BASE_URL", prism.url()),
        ],
    );
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(listed.trim_end().ends_with(" apps"), "{listed}");
}

/// Each TLS feature set of the generated crate passes clippy and makes an
/// HTTPS request to a local server (`tests/tls.rs`); without one, the crate
/// builds for plain HTTP and refuses an `https` base URL.
#[test]
fn full_fastedge_client_tls_features() {
    let Some((_, krate)) = fastedge_crate() else {
        return;
    };
    let dir = krate.path();
    // Every operation (the tests call them), whatever the TLS backend.
    for features in [
        &["--features", "rustls"][..],
        &[
            "--no-default-features",
            "--features",
            "rustls-aws-lc-rs,all-tags",
        ],
        &["--no-default-features", "--features", "native-tls,all-tags"],
        &["--no-default-features", "--features", "all-tags"],
    ] {
        cargo::clippy(dir, features);
        let mut test = vec!["test", "--quiet", "--test", "tls"];
        test.extend(features);
        cargo::run_ok(dir, &test);
    }
}

#[test]
fn fixture_client_downloads_and_query_key() {
    let hand_written = here().join("fixture");
    let krate = cargo::generated_crate(
        &hand_written.join("openapi.yaml"),
        "files-api",
        &hand_written,
    );
    cargo::clippy(krate.path(), &[]);
    cargo::run_ok(krate.path(), &["test", "--quiet", "--all-targets"]);
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
