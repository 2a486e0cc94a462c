//! The round-trip property: for every type of every shared spec (and of the
//! fidelity fixture), a schema-valid instance (`generator::synth`) decodes
//! with the generated crate and encodes back to the same JSON, and each
//! alternative of an untagged union decodes into that alternative (or the
//! first of those with the same shape, which no payload tells apart).
//!
//! The checks are written as a test file into each generated crate; all
//! crates are members of one temporary workspace and tested by one cargo
//! run.

use generator::ir::TypeId;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use xtask::{cargo, repo_root, shared};

/// The test file for one crate, and the number of types and instances it checks.
fn checks(crate_ident: &str, spec: &str) -> (String, usize, usize) {
    let (api, _) = generator::model(spec).unwrap_or_else(|f| panic!("{f}"));
    let mut out = format!(
        "//! Written by xtask/tests/round_trip.rs.\n// Deprecated types are checked too.\n#![allow(deprecated)]\n\nuse {crate_ident}::types;\n\n{}\n#[test]\nfn every_type_round_trips() {{\n    let mut failures = Vec::new();\n",
        include_str!("round_trip/check.rs")
    );
    let (mut types, mut instances) = (0, 0);
    for (index, t) in api.types.iter().enumerate() {
        let path = format!("types::{}", t.name);
        let id = TypeId(index);
        let cases = generator::synth::union_cases(&api, id);
        if cases.is_empty() {
            let Some(instance) =
                generator::synth::instance(&api, &generator::ir::TypeRef::Named(id))
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "    check::<{path}>(&mut failures, {:?}, r###\"{instance}\"###, None);",
                t.name
            );
            instances += 1;
        }
        for (variant, expected, instance) in cases {
            let _ = writeln!(
                out,
                "    check::<{path}>(&mut failures, \"{}::{variant}\", r###\"{instance}\"###, Some({expected:?}));",
                t.name
            );
            instances += 1;
        }
        types += 1;
    }
    out.push_str("    assert!(failures.is_empty(), \"{}\", failures.join(\"\\n\"));\n}\n");
    (out, types, instances)
}

fn specs() -> Vec<PathBuf> {
    let mut specs = vec![repo_root().join("generator/tests/fixtures/fidelity.yaml")];
    if let Some(dir) = shared::specs_dir() {
        specs.extend(shared::yaml_files(&dir.join("gcore")));
        specs.push(dir.join("fastedge/latest.yaml"));
    }
    specs
}

#[test]
fn every_type_of_every_spec_decodes_and_encodes_back() {
    let mut crates = Vec::new();
    let mut summary = Vec::new();
    for spec in specs() {
        let stem = spec
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace(['.', '_'], "-");
        let name = format!("rt-{stem}");
        let text = std::fs::read_to_string(&spec).unwrap();
        let options = generator::Options {
            crate_name: name.clone(),
            test_dependencies: false,
            source: file_name(&spec),
            env_prefix: "GCORE".into(),
        };
        let mut files = generator::generate(&text, &options)
            .unwrap_or_else(|f| panic!("{}:\n{f}", spec.display()))
            .files;
        let (test, types, instances) = checks(&name.replace('-', "_"), &text);
        files.push(generator::File {
            path: "tests/round_trip.rs".into(),
            contents: test,
        });
        summary.push(format!(
            "{}: {types} types, {instances} instances",
            file_name(&spec)
        ));
        crates.push((name, files));
    }
    cargo::test_all(&crates);
    eprintln!("round trip checked for\n  {}", summary.join("\n  "));
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}
