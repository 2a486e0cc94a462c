//! Golden output: what the emitter writes for each fixture crate is
//! committed under `tests/golden/<crate>/`, so a change to how anything is
//! emitted shows as a reviewable diff (see `tests/golden/README.md`).
//!
//! A difference fails with a unified diff per file. To accept the new output:
//!
//! ```sh
//! UPDATE_GOLDEN=1 cargo test -p generator --test golden
//! ```
//!
//! Only the files the emitter builds are committed; the runtime modules are
//! copied verbatim from `generator/runtime/`, which this test checks instead.

use generator::{File, Options};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Files the emitter builds from the spec (the rest are runtime copies).
const EMITTED: [&str; 6] = [
    "Cargo.toml",
    "README.md",
    "public-api.json",
    "src/lib.rs",
    "src/operations.rs",
    "src/types.rs",
];

/// A fixture crate: its spec (from the repository root), the golden folder
/// and package name, and whether it carries the dev-dependencies of
/// hand-written tests (as the test that compiles it generates it).
struct Case {
    spec: &'static str,
    name: &'static str,
    test_dependencies: bool,
}

const CASES: &[Case] = &[
    Case {
        spec: "generator/tests/fixtures/fidelity.yaml",
        name: "fidelity",
        test_dependencies: true,
    },
    Case {
        spec: "generator/tests/fixtures/views.yaml",
        name: "views",
        test_dependencies: false,
    },
    Case {
        spec: "generator/tests/fixtures/pydantic.yaml",
        name: "pydantic",
        test_dependencies: false,
    },
    Case {
        spec: "generator/tests/fixtures/diff_base.yaml",
        name: "diff-base",
        test_dependencies: false,
    },
    Case {
        spec: "generator/tests/fixtures/names.yaml",
        name: "names",
        test_dependencies: true,
    },
    Case {
        spec: "generator/tests/fixtures/tags.yaml",
        name: "tags",
        test_dependencies: false,
    },
    Case {
        spec: "xtask/tests/fixture/openapi.yaml",
        name: "files-api",
        test_dependencies: true,
    },
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator sits in the repository")
        .to_path_buf()
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn generate(case: &Case) -> Vec<File> {
    let spec = repo_root().join(case.spec);
    let text = fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let options = Options {
        crate_name: case.name.to_string(),
        test_dependencies: case.test_dependencies,
        source: spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        env_prefix: "GCORE".into(),
    };
    generator::generate(&text, &options)
        .unwrap_or_else(|f| panic!("{} does not generate:\n{f}", case.spec))
        .files
}

/// Files below `dir`, relative, `/`-separated.
fn files_in(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((at, prefix)) = stack.pop() {
        for entry in fs::read_dir(&at).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.path().is_dir() {
                stack.push((entry.path(), rel));
            } else {
                found.insert(rel);
            }
        }
    }
    found
}

/// Every file that is not golden is a runtime module copied as written,
/// after the generated-file header.
fn check_runtime_copy(case: &Case, file: &File) -> Result<(), String> {
    let runtime = file
        .path
        .strip_prefix("src/")
        .map(|name| repo_root().join("generator/runtime").join(name))
        .filter(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "{}: `{}` is neither golden nor a runtime copy; add it to EMITTED in {}",
                case.name,
                file.path,
                file!()
            )
        })?;
    let source = fs::read_to_string(&runtime).expect("runtime source");
    let header = file.contents.strip_suffix(source.as_str());
    match header {
        Some(h) if h.starts_with("// @generated") && h.lines().count() == 1 => Ok(()),
        _ => Err(format!(
            "{}: `{}` is not the header plus {} as written",
            case.name,
            file.path,
            runtime.display()
        )),
    }
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (golden)"), &format!("{path} (generated)"))
        .to_string()
}

#[test]
fn emitted_files_match_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut problems = Vec::new();
    for case in CASES {
        let dir = golden_dir().join(case.name);
        let files = generate(case);
        let mut stale: BTreeSet<String> = files_in(&dir);
        for file in &files {
            // `src/operations/<tag>.rs`: a tag's operations (features per tag).
            let tag_module = file.path.starts_with("src/operations/");
            if !EMITTED.contains(&file.path.as_str()) && !tag_module {
                if let Err(e) = check_runtime_copy(case, file) {
                    problems.push(e);
                }
                continue;
            }
            stale.remove(&file.path);
            let path = dir.join(&file.path);
            let shown = format!("tests/golden/{}/{}", case.name, file.path);
            match fs::read_to_string(&path) {
                Ok(old) if old == file.contents => continue,
                _ if update => {
                    fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
                    fs::write(&path, &file.contents).expect("write golden file");
                }
                Ok(old) => problems.push(unified_diff(&shown, &old, &file.contents)),
                Err(_) => problems.push(format!("missing: {shown}")),
            }
        }
        for extra in stale {
            let shown = format!("tests/golden/{}/{extra}", case.name);
            if update {
                fs::remove_file(dir.join(&extra)).expect("remove stale golden file");
            } else {
                problems.push(format!("extra: {shown} (not generated)"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\n{} difference(s) from the golden files; review them, then accept with\n    UPDATE_GOLDEN=1 cargo test -p generator --test golden",
        problems.join("\n"),
        problems.len()
    );
}
