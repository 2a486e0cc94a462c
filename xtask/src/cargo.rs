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
