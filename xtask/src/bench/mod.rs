//! `cargo xtask bench`: how fast the generator is, how much memory it takes,
//! how much it writes, and how quickly its output builds.
//!
//! Runs in a release build (a debug `xtask` re-runs itself with
//! `cargo run --release`). Per spec: size, operations, types, the median of
//! N whole generations split into load / model / emit, peak memory (a child
//! process generating once, read from `/proc/self/status`), and output lines.
//! The specs are every document in `../shared/specs`, any given on the
//! command line, and one synthesised large spec (the real ones combined and
//! renamed until it passes 2.5 MB). Then how fast the generated FastEdge
//! crate decodes a list of 1,000 apps and 10,000 date-times, against plain
//! `serde_json` and chrono; and what that crate costs to build, beside
//! progenitor's output for the same spec (`build_cost`).

mod build_cost;

use crate::{Failure, shared};
use generator::diagnostics::Collector;
use generator::{Options, load, model, normalise};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// More OpenAPI documents to measure.
    specs: Vec<PathBuf>,
    /// Whole generations per spec (the median is shown).
    #[arg(long, default_value_t = 21)]
    runs: usize,
    /// Skip `cargo check` of the generated FastEdge crate and of
    /// progenitor's (each builds its dependencies from scratch, which takes
    /// minutes).
    #[arg(long)]
    no_cargo_check: bool,
    /// Skip the decoding speed of the generated FastEdge crate (the first
    /// run builds its dependencies in release, which takes minutes).
    #[arg(long)]
    no_decode: bool,
    /// Internal: generate this spec once and print the peak memory.
    #[arg(long, hide = true, value_name = "SPEC")]
    memory_of: Option<PathBuf>,
}

/// Operations and size of the large specs synthesised, like the largest
/// Gcore documents.
const LARGE_SPEC_OPERATIONS: usize = 540;
const LARGE_SPEC_BYTES: usize = 2_500_000;

pub fn run(args: BenchArgs) -> Result<(), Failure> {
    if let Some(spec) = &args.memory_of {
        return memory_child(spec);
    }
    if cfg!(debug_assertions) {
        return rerun_in_release();
    }
    let mut specs: Vec<(String, String)> = Vec::new();
    if let Some(dir) = shared::specs_dir() {
        for sub in ["fastedge", "gcore"] {
            for path in shared::yaml_files(&dir.join(sub)) {
                if path.file_name().is_some_and(|n| n == "seed-version.yaml") {
                    continue;
                }
                specs.push((format!("{sub}/{}", file_label(&path)), read(&path)?));
            }
        }
    }
    for path in &args.specs {
        specs.push((file_label(path), read(path)?));
    }
    if specs.is_empty() {
        return Err(Failure::Usage(
            "no specs: ../shared/specs is absent and none were given".into(),
        ));
    }
    // No real spec is that large: copies of the real ones, renamed.
    let (many, large) = synthesise(&specs)?;
    specs.push((format!("synthesised, {LARGE_SPEC_OPERATIONS}+ ops"), many));
    specs.push(("synthesised, 2.5+ MB".into(), large));

    println!(
        "generator benchmark: release build, median of {} runs, times in ms",
        args.runs
    );
    println!(
        "{:<34} {:>9} {:>5} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8}",
        "spec",
        "bytes",
        "ops",
        "types",
        "copies",
        "load",
        "model",
        "emit",
        "total",
        "peak MiB",
        "lines"
    );
    let scratch = tempfile::tempdir()?;
    for (label, text) in &specs {
        let m = measure(text, args.runs)?;
        let spec_file = scratch.path().join("spec.yaml");
        std::fs::write(&spec_file, text)?;
        let peak = peak_memory(&spec_file)
            .map(|kb| format!("{:.1}", kb as f64 / 1024.0))
            .unwrap_or_else(|| "n/a".into());
        println!(
            "{:<34} {:>9} {:>5} {:>5} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9} {:>8}",
            label,
            text.len(),
            m.operations,
            m.types,
            m.copies,
            ms(m.load),
            ms(m.model),
            ms(m.emit),
            ms(m.total),
            peak,
            m.lines
        );
    }
    println!(
        "(types: after inline copies are merged into one type; copies: how many were merged, so types + copies is the count without it)"
    );
    println!(
        "(peak memory: the whole process's peak resident set, generating once; for reference, openapi-generator 7.26 takes about 2 s on FastEdge; progenitor's time is measured with its build cost, below)"
    );
    if !args.no_decode {
        decode_speed(&specs, args.runs)?;
    }
    if !args.no_cargo_check {
        build_cost::check_times(&specs)?;
        let many = format!("synthesised, {LARGE_SPEC_OPERATIONS}+ ops");
        let tagged: Vec<(&str, &str)> = specs
            .iter()
            .filter(|(label, _)| *label == "gcore/cdn_api.yaml" || *label == many)
            .map(|(label, text)| (label.as_str(), text.as_str()))
            .collect();
        build_cost::tag_costs(&tagged)?;
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, Failure> {
    crate::gen_crate::read_spec(path)
}

fn file_label(path: &Path) -> String {
    crate::gen_crate::file_name(path)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn options() -> Options {
    Options {
        crate_name: "bench-api".into(),
        test_dependencies: false,
        source: "spec.yaml".into(),
        env_prefix: "GCORE".into(),
    }
}

struct Measured {
    operations: usize,
    types: usize,
    /// Inline schemas merged into a copy's type.
    copies: usize,
    lines: usize,
    load: Duration,
    model: Duration,
    emit: Duration,
    total: Duration,
}

/// Median stage times over `runs` whole generations.
fn measure(text: &str, runs: usize) -> Result<Measured, Failure> {
    let options = options();
    let mut stages: [Vec<Duration>; 4] = Default::default();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let doc = load::load(text).map_err(|d| Failure::Invalid(d.to_string()))?;
        let loaded = Instant::now();
        let mut diags = Collector::default();
        let api = normalise::normalise(doc, &mut diags)
            .and_then(|(doc, api)| model::build(&doc, &api, &mut diags))
            .filter(|_| !diags.has_errors())
            .ok_or_else(|| Failure::Invalid("the spec does not generate".into()))?;
        let modelled = Instant::now();
        let files =
            generator::files(&api, &options).map_err(|d| Failure::Invalid(d.to_string()))?;
        let emitted = Instant::now();
        stages[0].push(loaded - start);
        stages[1].push(modelled - loaded);
        stages[2].push(emitted - modelled);
        stages[3].push(emitted - start);
        last = Some((
            api.operations.len(),
            api.types.len(),
            api.merged_copies,
            files,
        ));
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (operations, types, copies, files) = last.expect("at least one run");
    Ok(Measured {
        operations,
        types,
        copies,
        lines: files.iter().map(|f| f.contents.lines().count()).sum(),
        load: median(&mut stages[0]),
        model: median(&mut stages[1]),
        emit: median(&mut stages[2]),
        total: median(&mut stages[3]),
    })
}

/// Peak resident memory (KiB) of a child process generating `spec` once.
fn peak_memory(spec: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .args(["bench", "--memory-of"])
        .arg(spec)
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

fn memory_child(spec: &Path) -> Result<(), Failure> {
    let text = read(spec)?;
    generator::generate(&text, &options()).map_err(|f| Failure::Invalid(f.to_string()))?;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    match peak {
        Some(kb) => println!("{kb}"),
        None => println!("n/a"),
    }
    Ok(())
}

fn rerun_in_release() -> Result<(), Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "--release", "--quiet", "--package", "xtask", "--"])
        .args(std::env::args_os().skip(1))
        .current_dir(crate::repo_root())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Invalid(String::new()))
    }
}

/// Two specs, of at least [`LARGE_SPEC_OPERATIONS`] operations and of at
/// least [`LARGE_SPEC_BYTES`], from copies of `specs` with every path,
/// operationId and component name made unique per copy.
fn synthesise(specs: &[(String, String)]) -> Result<(String, String), Failure> {
    let docs: Vec<Value> = specs
        .iter()
        .map(|(label, text)| {
            load::load(text).map_err(|d| Failure::Invalid(format!("{label}: {d}")))
        })
        .collect::<Result<_, _>>()?;
    let mut merged = docs[0].clone();
    let root = merged
        .as_object_mut()
        .ok_or_else(|| Failure::Invalid("a spec is not a mapping".into()))?;
    root.remove("tags");
    root.remove("x-tagGroups");
    root.insert("paths".into(), Value::Object(Map::new()));
    root.insert("components".into(), Value::Object(Map::new()));
    let mut copy = 0;
    let mut many = None;
    loop {
        for doc in &docs {
            copy += 1;
            add_copy(&mut merged, doc, copy);
            let operations: usize = merged["paths"]
                .as_object()
                .map(|p| {
                    p.values()
                        .filter_map(Value::as_object)
                        .map(|m| m.len())
                        .sum()
                })
                .unwrap_or(0);
            if many.is_none() && operations >= LARGE_SPEC_OPERATIONS {
                many = Some(yaml(&merged)?);
            }
        }
        let text = yaml(&merged)?;
        if text.len() >= LARGE_SPEC_BYTES {
            if let Some(many) = many {
                return Ok((many, text));
            }
        }
    }
}

fn yaml(doc: &Value) -> Result<String, Failure> {
    yaml_serde::to_string(doc)
        .map_err(|e| Failure::Invalid(format!("cannot write a synthesised spec: {e}")))
}

const RENAMED_SECTIONS: [&str; 6] = [
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
];

fn add_copy(merged: &mut Value, doc: &Value, copy: usize) {
    let mut doc = doc.clone();
    rename_refs(&mut doc, copy);
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let mut item = item.clone();
            if let Some(methods) = item.as_object_mut() {
                for op in methods.values_mut() {
                    if let Some(id) = op.get_mut("operationId") {
                        if let Some(s) = id.as_str() {
                            *id = Value::String(format!("c{copy}_{s}"));
                        }
                    }
                }
            }
            merged["paths"][format!("/c{copy}{path}")] = item;
        }
    }
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            let target = merged["components"]
                .as_object_mut()
                .expect("components is a mapping")
                .entry(section.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            for (name, value) in entries {
                let name = if RENAMED_SECTIONS.contains(&section.as_str()) {
                    format!("C{copy}{name}")
                } else {
                    name.clone()
                };
                target[name] = value.clone();
            }
        }
    }
}

fn rename_refs(value: &mut Value, copy: usize) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                for section in RENAMED_SECTIONS {
                    let prefix = format!("#/components/{section}/");
                    if let Some(name) = r.strip_prefix(&prefix) {
                        *r = format!("{prefix}C{copy}{name}");
                        break;
                    }
                }
            }
            for v in map.values_mut() {
                rename_refs(v, copy);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, copy)),
        _ => {}
    }
}

/// Generates the FastEdge crate into `dir/fastedge-api` with the committed
/// crate's lock file; `None` when `specs` do not include FastEdge.
fn fastedge_crate(specs: &[(String, String)], dir: &Path) -> Result<Option<PathBuf>, Failure> {
    let Some((_, text)) = specs.iter().find(|(l, _)| l == "fastedge/latest.yaml") else {
        return Ok(None);
    };
    let out = dir.join("fastedge-api");
    let mut options = options();
    options.crate_name = "fastedge-api".into();
    // The examples run here need tokio's runtime (not built by `cargo check`).
    options.test_dependencies = true;
    let generated =
        generator::generate(text, &options).map_err(|f| Failure::Invalid(f.to_string()))?;
    crate::gen_crate::write(&out, &generated.files)?;
    let lock = crate::repo_root().join("generated").join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock"))?;
    }
    Ok(Some(out))
}

/// The decoding benchmark, kept with the FastEdge crate's examples so that
/// its tests compile it too (`xtask/tests/client_crates.rs`).
const DECODE_BENCH: &str = include_str!("../../tests/fastedge/examples/decode_bench.rs");

/// What a request costs against raw reqwest on loopback.
const REQUEST_BENCH: &str = include_str!("../../tests/fastedge/examples/request_bench.rs");

/// How fast the generated FastEdge crate decodes a large list and
/// date-times, against plain `serde_json` and chrono (example
/// `decode_bench`), and what a request costs against raw reqwest (example
/// `request_bench`), in a release build (in the shared target folder of
/// generated crates, so its dependencies build once).
fn decode_speed(specs: &[(String, String)], runs: usize) -> Result<(), Failure> {
    let dir = tempfile::tempdir()?;
    let Some(out) = fastedge_crate(specs, dir.path())? else {
        println!("decoding and per-request cost: skipped (no fastedge/latest.yaml)");
        return Ok(());
    };
    std::fs::create_dir_all(out.join("examples"))?;
    std::fs::write(out.join("examples").join("decode_bench.rs"), DECODE_BENCH)?;
    std::fs::write(out.join("examples").join("request_bench.rs"), REQUEST_BENCH)?;
    let runs = runs.max(1).to_string();
    for example in ["decode_bench", "request_bench"] {
        let output = crate::cargo::run(
            &out,
            &[
                "run",
                "--quiet",
                "--release",
                "--example",
                example,
                "--",
                &runs,
            ],
        );
        if !output.status.success() {
            return Err(Failure::Invalid(format!(
                "the benchmark {example} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
    Ok(())
}
