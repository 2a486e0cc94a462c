//! Running cargo on generated crates, which are workspaces of their own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The target folder every generated crate is built in, so that their
/// dependencies compile once.
pub fn shared_target_dir() -> PathBuf {
    crate::repo_root().join("target").join("generated-crates")
}

/// Runs `cargo <args>` in `dir` with the shared target folder. The lock file of
/// the committed crate is copied in first when the crate has none, so every
/// generated crate builds with the same dependency versions.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_with_env(dir, args, &[])
}

/// Like [`run`], with extra environment variables for cargo and what it runs.
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let lock = dir.join("Cargo.lock");
    let committed = crate::repo_root().join("generated").join("Cargo.lock");
    if !lock.exists() && committed.exists() && dir != committed.parent().unwrap_or(dir) {
        let _ = std::fs::copy(&committed, &lock);
    }
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target_dir())
        // The outer cargo's settings for its own build must not leak in.
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("RUSTFLAGS")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo in {}: {e}", dir.display()))
}

/// Like [`run`], panicking with cargo's output when it fails.
pub fn run_ok(dir: &Path, args: &[&str]) -> Output {
    run_ok_with_env(dir, args, &[])
}

/// Like [`run_with_env`], panicking with cargo's output when it fails.
pub fn run_ok_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let output = run_with_env(dir, args, env);
    if !output.status.success() {
        panic!(
            "`cargo {}` failed in {}:\n{}{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    output
}

/// Generates a crate from the spec file at `spec` into a temporary folder,
/// with the dev-dependencies of hand-written tests, and copies the
/// hand-written `tests/*.rs` and `examples/*.rs` found under `hand_written`
/// into it.
pub fn generated_crate(spec: &Path, crate_name: &str, hand_written: &Path) -> tempfile::TempDir {
    let text = std::fs::read_to_string(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let options = generator::Options {
        crate_name: crate_name.to_string(),
        test_dependencies: true,
        source: crate::gen_crate::file_name(spec),
        env_prefix: crate::gen_crate::DEFAULT_ENV_PREFIX.to_string(),
    };
    let generated = generator::generate(&text, &options)
        .unwrap_or_else(|f| panic!("{} does not generate:\n{f}", spec.display()));
    let dir = tempfile::Builder::new()
        .prefix(&format!("{crate_name}-"))
        .tempdir()
        .expect("temporary folder");
    if let Err(crate::Failure::Invalid(e) | crate::Failure::Usage(e)) =
        crate::gen_crate::write(dir.path(), &generated.files)
    {
        panic!("cannot write {crate_name}: {e}");
    }
    for sub in ["tests", "examples"] {
        let from = hand_written.join(sub);
        let Ok(entries) = std::fs::read_dir(&from) else {
            continue;
        };
        std::fs::create_dir_all(dir.path().join(sub)).expect("create folder");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                std::fs::copy(&path, dir.path().join(sub).join(entry.file_name())).expect("copy");
            }
        }
    }
    dir
}

/// `cargo clippy --all-targets` with `args` (features), warnings denied.
pub fn clippy(dir: &Path, args: &[&str]) {
    let mut command = vec!["clippy", "--quiet", "--all-targets"];
    command.extend(args);
    command.extend(["--", "-D", "warnings"]);
    run_ok(dir, &command);
}

/// Writes several generated crates as members of one temporary workspace
/// and runs `cargo clippy -D warnings` on all of them at once (one cargo
/// invocation builds them in parallel, sharing dependencies), with the
/// `test-util` feature: everything the crates define. (The crates in
/// `client_crates.rs` and `generated/` are checked with default features.)
pub fn clippy_all(crates: &[(String, Vec<generator::File>)]) {
    let dir = workspace(crates);
    // `--keep-going`: one run names every crate that fails, not the first.
    clippy(
        dir.path(),
        &["--workspace", "--features", "test-util", "--keep-going"],
    );
}

/// A generated crate and the feature sets to check it with.
pub struct FeatureSets {
    pub name: String,
    pub files: Vec<generator::File>,
    /// Each: the features enabled with `--no-default-features`.
    pub sets: Vec<Vec<String>>,
}

/// Runs clippy (warnings denied) on generated crates, in one workspace,
/// once per feature set given with each: `--no-default-features` and the
/// set's features (a TLS backend and tags).
pub fn clippy_feature_sets(crates: &[FeatureSets]) {
    let members: Vec<(String, Vec<generator::File>)> = crates
        .iter()
        .map(|c| (c.name.clone(), c.files.clone()))
        .collect();
    let dir = workspace(&members);
    for FeatureSets { name, sets, .. } in crates {
        for set in sets {
            let features = set.join(",");
            let args = [
                "clippy",
                "--quiet",
                "--package",
                name,
                "--no-default-features",
                "--features",
                &features,
                "--",
                "-D",
                "warnings",
            ];
            let output = run(dir.path(), &args);
            assert!(
                output.status.success(),
                "{name} with features [{features}] fails clippy:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// Like [`clippy_all`], running the crates' tests instead.
pub fn test_all(crates: &[(String, Vec<generator::File>)]) {
    let dir = workspace(crates);
    run_ok(dir.path(), &["test", "--quiet", "--workspace"]);
}

/// Removes from the shared target folder what cargo built for crates named
/// `<prefix><number>` (artifacts, fingerprints, build scripts, incremental
/// state). Crates built once and never again (the
/// random-spec test's `random-<seed>`, about 10 MB each) would otherwise
/// fill the disk over a long run.
pub fn forget_crates(prefix: &str) {
    let underscored = prefix.replace('-', "_");
    let starts = [
        prefix.to_owned(),
        underscored.clone(),
        format!("lib{underscored}"),
    ];
    let profile = shared_target_dir().join("debug");
    for sub in ["deps", ".fingerprint", "build", "incremental"] {
        let Ok(entries) = std::fs::read_dir(profile.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let numbered = starts.iter().any(|s| {
                name.strip_prefix(s.as_str())
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            });
            if numbered {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
}

/// A temporary workspace with the crates as members. Each crate's own
/// `[workspace]` table is dropped so it can be a member.
fn workspace(crates: &[(String, Vec<generator::File>)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("generated-crates-")
        .tempdir()
        .expect("temporary folder");
    let members: Vec<String> = crates
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("write workspace");
    for (name, files) in crates {
        let files: Vec<generator::File> = files
            .iter()
            .map(|f| {
                let mut f = f.clone();
                if f.path == "Cargo.toml" {
                    f.contents = f.contents.replace("\n[workspace]\n", "\n");
                }
                f
            })
            .collect();
        if let Err(crate::Failure::Invalid(e) | crate::Failure::Usage(e)) =
            crate::gen_crate::write(&dir.path().join(name), &files)
        {
            panic!("cannot write {name}: {e}");
        }
    }
    dir
}
