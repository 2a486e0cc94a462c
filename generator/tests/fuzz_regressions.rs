//! Replays, in every `cargo test`, what the fuzz target checks: inputs the
//! fuzzer found problems with (`tests/fixtures/fuzz/`, each reduced or
//! rewritten by hand, with a note on what it found) and every other fixture.
//! The fuzz target itself is in `generator/fuzz/` (see README, "Fuzzing").

#[path = "common/pipeline.rs"]
mod pipeline;

use pipeline::Outcome;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn fixtures(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(sub)
}

fn replay(path: &Path) -> Outcome {
    let bytes = std::fs::read(path).unwrap();
    pipeline::check(&String::from_utf8_lossy(&bytes))
}

/// (file in `tests/fixtures/fuzz/`, what the pipeline must make of it)
const FOUND: &[(&str, Option<&str>)] = &[
    // Carriage returns are line breaks to YAML: the reported line counts them.
    (
        "carriage_returns.yaml",
        Some("did not find expected ',' or '}'"),
    ),
    // An error at the end of input is reported on the line after the last.
    (
        "error_at_end_of_input.yaml",
        Some("did not find expected node content"),
    ),
];

#[test]
fn inputs_the_fuzzer_found_are_handled() {
    let on_disk = files(&fixtures("fuzz"));
    assert_eq!(on_disk.len(), FOUND.len(), "every input has an entry");
    for (file, refused) in FOUND {
        let outcome = replay(&fixtures("fuzz").join(file));
        match (refused, &outcome) {
            (Some(message), Outcome::Refused(got)) => {
                assert!(got.contains(message), "{file}: {got}")
            }
            (None, Outcome::Files(_)) => {}
            _ => panic!("{file}: expected {refused:?}, got {outcome:?}"),
        }
    }
}

#[test]
fn every_fixture_holds_the_fuzz_properties() {
    for dir in [fixtures(""), fixtures("broken")] {
        for path in files(&dir) {
            replay(&path);
        }
    }
}
