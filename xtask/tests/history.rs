//! Regeneration across Gcore's published FastEdge history
//! (`../shared/specs/fastedge/history`, oldest first): output changes exactly
//! where the API does, `info.version` lives on one line, and the change
//! report agrees.

use generator::Options;
use generator::diff::{Class, Kind, Scope, Surface, compare};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use xtask::shared;

fn options() -> Options {
    Options {
        crate_name: "fastedge-api".into(),
        test_dependencies: false,
        // The committed crate's spec file name, whatever the version's.
        source: "fastedge_api.yaml".into(),
        env_prefix: "GCORE".into(),
    }
}

/// One published version, generated.
struct Version {
    path: PathBuf,
    /// The document without `info.version`, as canonical JSON.
    content: String,
    /// Every generated file, with the `API_VERSION` line taken out.
    output: String,
    surface: Surface,
}

fn version(path: &Path) -> Version {
    let text = std::fs::read_to_string(path).unwrap();
    let mut doc = generator::load::load(&text).unwrap();
    let info_version = doc["info"]["version"]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no info.version", path.display()))
        .to_string();
    doc["info"]
        .as_object_mut()
        .unwrap()
        .remove("version")
        .unwrap();
    let generated = generator::generate(&text, &options())
        .unwrap_or_else(|f| panic!("{}:\n{f}", path.display()));
    let version_line = format!("pub const API_VERSION: &str = \"{info_version}\";\n");
    let mut output = String::new();
    let mut mentions = Vec::new();
    for file in &generated.files {
        for line in file.contents.lines() {
            if line.contains(&info_version) {
                mentions.push(format!("{}: {line}", file.path));
            }
        }
        output.push_str(&format!("== {}\n", file.path));
        output.push_str(&file.contents.replacen(&version_line, "", 1));
    }
    assert_eq!(
        mentions,
        [format!("src/lib.rs: {}", version_line.trim_end())],
        "{}: info.version must be on exactly one line",
        path.display()
    );
    let surface = generated
        .files
        .iter()
        .find(|f| f.path == generator::diff::SURFACE_FILE)
        .map(|f| Surface::from_json(&f.contents).unwrap())
        .unwrap();
    Version {
        path: path.to_path_buf(),
        content: serde_json::to_string(&doc).unwrap(),
        output,
        surface,
    }
}

/// Every version, generated once for all tests, on two threads (the machine
/// has two cores).
fn history() -> Option<&'static [Version]> {
    static HISTORY: OnceLock<Option<Vec<Version>>> = OnceLock::new();
    HISTORY.get_or_init(generate_history).as_deref()
}

fn generate_history() -> Option<Vec<Version>> {
    let dir = shared::specs_dir()?.join("fastedge/history");
    let files = shared::yaml_files(&dir);
    assert!(files.len() >= 2, "{}: no history", dir.display());
    let half = files.len().div_ceil(2);
    let (first, second) = files.split_at(half);
    let versions = std::thread::scope(|s| {
        let a = s.spawn(|| first.iter().map(|p| version(p)).collect::<Vec<_>>());
        let b = s.spawn(|| second.iter().map(|p| version(p)).collect::<Vec<_>>());
        let mut all = a.join().unwrap();
        all.extend(b.join().unwrap());
        all
    });
    Some(versions)
}

#[test]
fn output_changes_exactly_where_the_api_changes() {
    let Some(versions) = history() else {
        return;
    };
    let contents: BTreeSet<&str> = versions.iter().map(|v| v.content.as_str()).collect();
    let outputs: BTreeSet<&str> = versions.iter().map(|v| v.output.as_str()).collect();
    println!(
        "{} versions, {} distinct documents without info.version, {} distinct outputs without the API_VERSION line",
        versions.len(),
        contents.len(),
        outputs.len()
    );
    assert!(contents.len() > 1, "the history has no API change to test");
    assert_eq!(contents.len(), outputs.len());

    for pair in versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let report = compare(&old.surface, &new.surface);
        let names = format!("{} -> {}", old.path.display(), new.path.display());
        if old.content == new.content {
            assert!(
                old.output == new.output,
                "{names}: same API, different output"
            );
            assert!(report.is_empty(), "{names}: {}", report.text());
        } else {
            assert!(
                old.output != new.output,
                "{names}: the API changed, the output did not"
            );
            assert!(
                !report.is_empty(),
                "{names}: the API changed, the report is empty"
            );
            // Types are never renamed or replaced by a copy of themselves
            // (inline copies are named after their property and shape).
            assert!(
                !report
                    .changes
                    .iter()
                    .any(|c| matches!(c.kind, Kind::TypeRenamed | Kind::TypeRemoved)),
                "{names}: {}",
                report.text()
            );
        }
    }
}

#[test]
fn the_report_names_what_changed_between_real_versions() {
    let Some(versions) = history() else {
        return;
    };
    let mut seen_permissions = false;
    for pair in versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        if old.content == new.content || old.content.contains("x-permissions") {
            continue;
        }
        if !new.content.contains("x-permissions") {
            continue;
        }
        // Gcore started documenting each operation's permission: the
        // operations' docs changed, nothing a program uses.
        seen_permissions = true;
        let report = compare(&old.surface, &new.surface);
        let documented = new.content.matches("\"x-permissions\"").count();
        let docs: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.scope == Scope::Operation)
            .collect();
        assert_eq!(docs.len(), documented, "{}", report.text());
        assert!(
            docs.iter()
                .all(|c| c.kind == Kind::Docs && c.class == Class::Compatible),
            "{}",
            report.text()
        );
        assert!(report.changes.iter().all(|c| c.class == Class::Compatible));
        assert_eq!(report.bump, generator::diff::Bump::Patch);
    }
    assert!(
        seen_permissions,
        "no version adds x-permissions; the history changed"
    );
}
