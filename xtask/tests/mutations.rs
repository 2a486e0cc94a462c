//! Property: every spec in `../shared/specs`, with one random mutation (a
//! node deleted, a value's type changed, a `$ref` broken, a list item
//! repeated), either generates a
//! crate that compiles or fails with errors located in the document. Never a
//! panic.
//!
//! The RNG is seeded (`MUTATION_SEED`, default fixed), so a failure names the
//! seed and mutation that reproduce it; the mutated text is written under
//! `target/mutations/`. `MUTATIONS_PER_SPEC` (default 1) and `MUTATION_COMPILES`
//! (default 2, the number of successful outputs compiled) widen the run.

use generator::Options;
use generator::diagnostics::Severity;
use generator::pointer::Pointer;
use serde_json::Value;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use xtask::{cargo, shared};

const DEFAULT_SEED: u64 = 0x6e7a_5eed;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

/// Every spec under `dir`, recursively, sorted.
fn specs(dir: &Path) -> Vec<PathBuf> {
    let mut out = shared::yaml_files(dir);
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        out.extend(specs(&d));
    }
    out
}

/// JSON pointers (RFC 6901, without `#`) of every node below the root.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let escape = |t: &str| t.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", escape(k));
                out.push(p.clone());
                pointers(v, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, &p, out);
            }
        }
        _ => {}
    }
}

fn parent_and_token(pointer: &str) -> (&str, String) {
    let (parent, token) = pointer.rsplit_once('/').expect("not the root");
    (parent, token.replace("~1", "/").replace("~0", "~"))
}

/// Applies one random mutation; returns what it did.
fn mutate(doc: &mut Value, rng: &mut fastrand::Rng) -> String {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    let refs: Vec<&String> = all.iter().filter(|p| p.ends_with("/$ref")).collect();
    let kind = rng.usize(0..4);
    if kind == 3 {
        // A list item repeated: parameters, `allOf` members, `required`
        // names, operations' tags...
        let lists: Vec<&String> = all
            .iter()
            .filter(|p| {
                doc.pointer(p)
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            })
            .collect();
        if !lists.is_empty() {
            let at = lists[rng.usize(0..lists.len())].clone();
            let items = doc.pointer_mut(&at).and_then(Value::as_array_mut).unwrap();
            let i = rng.usize(0..items.len());
            let copy = items[i].clone();
            items.push(copy);
            return format!("{at}/{i} repeated");
        }
    }
    if kind == 2 && !refs.is_empty() {
        let at = refs[rng.usize(0..refs.len())].clone();
        let broken = [
            "#/components/schemas/DoesNotExist",
            "#/components/parameters/DoesNotExist",
            "#/components/responses/DoesNotExist",
            "common.yaml#/components/schemas/Owner",
            "https://example.com/spec.yaml#/components/schemas/X",
            "#/paths",
            "#",
            "",
            "#/components/schemas/",
            "#/components/schemas/~2bad",
        ];
        let target = broken[rng.usize(0..broken.len())];
        // Or a reference to the schema that holds it: a cycle.
        let target = if rng.bool() {
            let holder = at.trim_end_matches("/$ref");
            format!("#{holder}")
        } else {
            target.to_string()
        };
        *doc.pointer_mut(&at).unwrap() = Value::String(target.clone());
        return format!("$ref at {at} -> {target:?}");
    }
    let at = all[rng.usize(0..all.len())].clone();
    if kind == 0 {
        let (parent, token) = parent_and_token(&at);
        match doc.pointer_mut(parent).unwrap() {
            Value::Object(map) => {
                map.remove(&token);
            }
            Value::Array(items) => {
                items.remove(token.parse::<usize>().unwrap());
            }
            _ => unreachable!("a parent is a collection"),
        }
        return format!("deleted {at}");
    }
    let node = doc.pointer_mut(&at).unwrap();
    let replacement = match node {
        Value::String(_) => {
            [Value::from(42), Value::Bool(true), Value::Null][rng.usize(0..3)].clone()
        }
        Value::Number(_) => Value::from("text"),
        Value::Bool(_) => Value::from("yes"),
        Value::Null => serde_json::json!({}),
        Value::Array(_) => [Value::from("x"), serde_json::json!({"a": 1})][rng.usize(0..2)].clone(),
        Value::Object(_) => {
            [Value::from("x"), Value::from(7), serde_json::json!([])][rng.usize(0..3)].clone()
        }
    };
    let description = format!("{at}: {} -> {replacement}", kind_of(node));
    *node = replacement;
    description
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// The node a `#/...` pointer names in `doc`.
fn resolve<'v>(doc: &'v Value, pointer: &Pointer) -> Option<&'v Value> {
    let mut node = doc;
    for token in pointer.tokens() {
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The last token of a pointer when it is a mapping key written the same in
/// YAML and JSON (no index, no characters either may escape or quote).
fn plain_key(pointer: &Pointer) -> Option<String> {
    let key = pointer.tokens().pop()?;
    let plain = !key.is_empty()
        && key.parse::<usize>().is_err()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./{}$".contains(c));
    plain.then_some(key)
}

fn options(name: &str) -> Options {
    Options {
        crate_name: name.into(),
        test_dependencies: false,
        source: "mutated.yaml".into(),
        env_prefix: "GCORE".into(),
    }
}

#[test]
fn mutated_real_specs_generate_or_fail_with_located_errors() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let seed = env_number("MUTATION_SEED", DEFAULT_SEED);
    let per_spec = env_number("MUTATIONS_PER_SPEC", 1);
    let compiles = env_number("MUTATION_COMPILES", 2) as usize;
    eprintln!("mutation seed {seed:#x} (MUTATION_SEED), {per_spec} per spec");
    let mut rng = fastrand::Rng::with_seed(seed);
    let keep = xtask::repo_root().join("target/mutations");
    let mut problems = Vec::new();
    let mut generated = Vec::new();
    let mut refused = 0;
    let files = specs(&dir);
    assert!(files.len() > 5, "{}: too few specs", dir.display());
    for spec in &files {
        let original = fs::read_to_string(spec).unwrap();
        let doc = generator::load::load(&original).unwrap();
        for n in 0..per_spec {
            let mut doc = doc.clone();
            let mutation = mutate(&mut doc, &mut rng);
            // Block YAML or JSON text, so positions are checked in both.
            let (text, ext) = if rng.bool() {
                (yaml_serde::to_string(&doc).unwrap(), "yaml")
            } else {
                (serde_json::to_string_pretty(&doc).unwrap(), "json")
            };
            let name = format!("{}-{n}.{ext}", spec.file_stem().unwrap().to_string_lossy());
            let label = format!("{} ({mutation})", spec.display());
            let result = catch_unwind(AssertUnwindSafe(|| {
                generator::generate(&text, &options("mutated"))
            }));
            let mut keep_text = |why: String| {
                fs::create_dir_all(&keep).unwrap();
                fs::write(keep.join(&name), &text).unwrap();
                problems.push(format!("{label}: {why}; text in target/mutations/{name}"));
            };
            match result {
                Err(_) => keep_text("panicked".into()),
                Ok(Ok(out)) => generated.push((label, out.files)),
                Ok(Err(failure)) => {
                    refused += 1;
                    if failure.errors().next().is_none() {
                        keep_text(format!("failed without an error: {failure}"));
                    }
                    for d in failure
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                    {
                        if resolve(&doc, &d.pointer).is_none() {
                            keep_text(format!("{} is not in the document: {d}", d.pointer));
                        } else if d.pointer != "#" && d.line.is_none() {
                            keep_text(format!("no line: {d}"));
                        } else if let Some(key) = plain_key(&d.pointer) {
                            // A mapping entry is shown at its key.
                            let line = d.line.and_then(|l| text.lines().nth(l - 1));
                            if !line.is_some_and(|l| l.contains(key.as_str())) {
                                keep_text(format!("line {:?} is not the key's: {d}", line));
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "{} mutated specs: {} generated, {refused} refused",
        files.len() as u64 * per_spec,
        generated.len()
    );
    // Successful outputs compile: a sample, as each build takes a while.
    for _ in 0..compiles.min(generated.len()) {
        let (label, files) = generated.swap_remove(rng.usize(0..generated.len()));
        let out = tempfile::tempdir().unwrap();
        xtask::gen_crate::write(out.path(), &files).unwrap();
        let output = cargo::run(out.path(), &["check", "--quiet"]);
        if !output.status.success() {
            problems.push(format!(
                "{label}: the generated crate does not compile:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "seed {seed:#x}:\n{}",
        problems.join("\n")
    );
}

/// The same document as YAML, as JSON and re-serialised as block YAML gives
/// the same crate: reading does not depend on how the text is written.
#[test]
fn the_same_document_in_any_syntax_gives_the_same_crate() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let mut files: Vec<PathBuf> = shared::yaml_files(&dir.join("gcore"));
    files.extend(shared::yaml_files(&dir.join("fastedge")));
    assert!(files.len() >= 5, "{files:?}");
    for spec in files {
        let original = fs::read_to_string(&spec).unwrap();
        let doc = generator::load::load(&original).unwrap();
        let expected = generator::generate(&original, &options("same"))
            .unwrap_or_else(|f| panic!("{}:\n{f}", spec.display()))
            .files;
        for text in [
            serde_json::to_string_pretty(&doc).unwrap(),
            serde_json::to_string(&doc).unwrap(),
            yaml_serde::to_string(&doc).unwrap(),
            format!("\u{feff}{}", original.replace('\n', "\r\n")),
        ] {
            let got = generator::generate(&text, &options("same")).map(|g| g.files);
            let shown: String = text.chars().take(200).collect();
            assert!(
                got.as_ref() == Ok(&expected),
                "{}: differs when written as\n{shown}",
                spec.display()
            );
        }
    }
}
