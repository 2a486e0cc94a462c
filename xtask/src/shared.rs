//! The shared data beside the checkout (`../shared`): real specs for tests
//! and benchmarks. It is third-party data, read in place, never copied.

use std::path::PathBuf;

/// `../shared/specs`, or `None` (with a printed reason) when it is absent.
/// When `CI` is set, its absence is a failure: CI must test real specs.
pub fn specs_dir() -> Option<PathBuf> {
    let dir = crate::repo_root().join("..").join("shared").join("specs");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing, and CI is set: tests of real specs must run in CI",
            dir.display()
        );
    }
    eprintln!(
        "skipping: {} not found (tests of real specs need it)",
        dir.display()
    );
    None
}

/// Every spec file under a folder, sorted.
pub fn yaml_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
}
