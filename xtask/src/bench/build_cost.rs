//! What the generated FastEdge crate costs its users to build: `cargo check`
//! cold (a fresh target folder) and warm (after touching the crate), per TLS
//! feature, with the dependency count; and, when `cargo-progenitor` is
//! installed, progenitor's output for the same spec measured the same way in
//! the same run, so that the ratio between the two is not skewed by whatever
//! else the machine is doing.

use super::fastedge_crate;
use crate::Failure;
use generator::diagnostics::Collector;
use generator::surface::features::Features;
use generator::{load, normalise};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The TLS feature sets of a generated crate: a label and the features
/// besides the default (`None`: the default).
const TLS_FEATURES: [(&str, Option<&str>); 4] = [
    ("rustls (ring, default)", None),
    ("rustls-aws-lc-rs", Some("rustls-aws-lc-rs")),
    ("native-tls", Some("native-tls")),
    ("no TLS", Some("")),
];

/// `cargo` arguments for a TLS feature set of the crate in `dir`, with
/// every operation (`all-tags`, when the crate has features per tag), so
/// that each set checks the same code.
fn tls_args(dir: &Path, tls: Option<&str>) -> Result<Vec<String>, Failure> {
    let Some(tls) = tls else {
        return Ok(Vec::new());
    };
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))?;
    let all = generator::surface::features::ALL_TAGS;
    let mut features: Vec<&str> = vec![tls];
    if manifest.contains(&format!("\n{all} = [")) {
        features.push(all);
    }
    features.retain(|f| !f.is_empty());
    let mut args = vec!["--no-default-features".to_string()];
    if !features.is_empty() {
        args.extend(["--features".to_string(), features.join(",")]);
    }
    Ok(args)
}

/// The progenitor release the figures are compared with (`cargo install
/// cargo-progenitor --version 0.15.1`).
const PROGENITOR_VERSION: &str = "0.15.1";

/// The HTTP methods of a path item, whose operations progenitor reads.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One crate's build cost.
struct Cost {
    cold: Duration,
    warm: Duration,
    dependencies: usize,
}

/// `cargo check` of the generated FastEdge crate for each TLS feature set,
/// then of progenitor's output for the same spec (as generated, without TLS,
/// and with reqwest's `rustls`), each cold and warm, with its dependency
/// count and the ratio to this generator's default.
pub(super) fn check_times(specs: &[(String, String)]) -> Result<(), Failure> {
    let dir = tempfile::tempdir()?;
    let Some(ours) = fastedge_crate(specs, dir.path())? else {
        println!("cargo check: skipped (no fastedge/latest.yaml)");
        return Ok(());
    };
    println!("build cost, cargo check (cold: a fresh target folder; warm: the crate touched):");
    println!("| crate | cold s | warm s | dependencies |");
    println!("|---|---|---|---|");
    let mut baseline = None;
    for (label, tls) in TLS_FEATURES {
        let args = tls_args(&ours, tls)?;
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let cost = cost(&ours, &args, dir.path())?;
        let baseline = *baseline.get_or_insert(cost.cold);
        row(&format!("FastEdge, {label}"), &cost, baseline);
    }
    let Some(baseline) = baseline else {
        return Ok(());
    };
    let text = specs
        .iter()
        .find(|(label, _)| label == "fastedge/latest.yaml")
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    match progenitor_crate(text, dir.path()) {
        Err(why) => println!("progenitor {PROGENITOR_VERSION}: not compared: {why}"),
        Ok(theirs) => {
            let as_generated = cost(&theirs, &[], dir.path());
            let with_rustls = add_rustls(&theirs)
                .and_then(|feature| Ok((feature, cost(&theirs, &[], dir.path())?)));
            match (as_generated, with_rustls) {
                (Ok(as_generated), Ok((feature, with_rustls))) => {
                    row(
                        "progenitor's FastEdge, as generated (reqwest without TLS)",
                        &as_generated,
                        baseline,
                    );
                    row(
                        &format!("progenitor's FastEdge, reqwest with `{feature}`"),
                        &with_rustls,
                        baseline,
                    );
                    println!(
                        "this generator's default against progenitor's output with rustls, cold: {:.2}",
                        baseline.as_secs_f64() / with_rustls.cold.as_secs_f64()
                    );
                }
                // A crate that does not build is no win for either side.
                (Err(Failure::Invalid(e) | Failure::Usage(e)), _)
                | (_, Err(Failure::Invalid(e) | Failure::Usage(e))) => println!(
                    "progenitor {PROGENITOR_VERSION}: its output does not build, not compared: {e}"
                ),
            }
        }
    }
    Ok(())
}

/// The crate's own code with features per tag, from scratch with its
/// dependencies built (as a program depending on it compiles it): `cargo
/// check` (median of 3) and `cargo build` with every tag, the default, and
/// with only the tag that has the most operations, for each of `specs`
/// (label, text); then `cargo check` with each tag alone.
pub(super) fn tag_costs(specs: &[(&str, &str)]) -> Result<(), Failure> {
    println!(
        "own code with one feature per tag (the crate from scratch, dependencies built; check: median of 3, build: once):"
    );
    println!(
        "| spec | tags | one tag (its operations) | check all s | check one s | ratio | build all s | build one s | ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir()?;
    let target = dir.path().join("target");
    let mut spread = Vec::new();
    for (i, (label, text)) in specs.iter().enumerate() {
        let (api, _) = generator::model(text).map_err(|f| Failure::Invalid(f.to_string()))?;
        let features = Features::of(&api);
        let mut counts = vec![0usize; features.groups.len()];
        for i in 0..api.operations.len() {
            if let Some(g) = features.group_index(i) {
                counts[g] += 1;
            }
        }
        // The tag with the most operations: the costliest single tag.
        let Some((largest, operations)) = counts
            .iter()
            .enumerate()
            .max_by_key(|(g, n)| (**n, std::cmp::Reverse(*g)))
            .map(|(g, n)| (&features.groups[g], *n))
        else {
            println!("| {label} | none | | | | | | | |");
            continue;
        };
        let mut options = super::options();
        options.crate_name = format!("tagged-{i}");
        let generated =
            generator::generate(text, &options).map_err(|f| Failure::Invalid(f.to_string()))?;
        let krate = dir.path().join(&options.crate_name);
        crate::gen_crate::write(&krate, &generated.files)?;
        let one_feature = format!("rustls,{}", largest.feature);
        let one: [&str; 3] = ["--no-default-features", "--features", &one_feature];
        // Dependencies (the same for every tag) and the crate, once each way.
        cargo_in(&krate, &["build", "--quiet"], &target)?;
        cargo_in(
            &krate,
            &["build", "--quiet", one[0], one[1], one[2]],
            &target,
        )?;
        let median = |args: &[&str]| -> Result<Duration, Failure> {
            let mut runs = (0..3)
                .map(|_| own_code(&krate, &options.crate_name, args, &target))
                .collect::<Result<Vec<_>, _>>()?;
            runs.sort();
            Ok(runs[1])
        };
        let check_all = median(&["check", "--quiet"])?;
        let check_one = median(&["check", "--quiet", one[0], one[1], one[2]])?;
        let build_all = own_code(&krate, &options.crate_name, &["build", "--quiet"], &target)?;
        let build_one = own_code(
            &krate,
            &options.crate_name,
            &["build", "--quiet", one[0], one[1], one[2]],
            &target,
        )?;
        println!(
            "| {label} | {} | `{}` ({operations} of {}) | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            features.groups.len(),
            largest.feature,
            api.operations.len(),
            check_all.as_secs_f64(),
            check_one.as_secs_f64(),
            check_one.as_secs_f64() / check_all.as_secs_f64(),
            build_all.as_secs_f64(),
            build_one.as_secs_f64(),
            build_one.as_secs_f64() / build_all.as_secs_f64(),
        );
        spread.push((
            label,
            every_tag(&krate, &options.crate_name, &features, &target, check_all)?,
        ));
    }
    // Every tag alone, once each: what a program using one area pays.
    for (label, mut ratios) in spread {
        ratios.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (min, median, max) = (
            &ratios[0],
            &ratios[ratios.len() / 2],
            &ratios[ratios.len() - 1],
        );
        println!(
            "{label}: check with one tag against all tags, over each of its {} tags (once each): min {:.2} (`{}`), median {:.2}, max {:.2} (`{}`)",
            ratios.len(),
            min.1,
            min.0,
            median.1,
            max.1,
            max.0
        );
    }
    Ok(())
}

/// `cargo check` of the crate's own code with each tag alone, as a ratio to
/// `all` (every tag).
fn every_tag(
    krate: &Path,
    package: &str,
    features: &Features,
    target: &Path,
    all: Duration,
) -> Result<Vec<(String, f64)>, Failure> {
    let mut ratios = Vec::new();
    for group in &features.groups {
        let one = format!("rustls,{}", group.feature);
        let args = [
            "check",
            "--quiet",
            "--no-default-features",
            "--features",
            &one,
        ];
        let ratio = own_code(krate, package, &args, target)?.as_secs_f64() / all.as_secs_f64();
        ratios.push((group.feature.clone(), ratio));
    }
    Ok(ratios)
}

/// How long cargo takes with `args` to build the crate in `dir` (`package`)
/// from scratch, its dependencies built: as a program depending on it
/// compiles it (never incrementally).
fn own_code(dir: &Path, package: &str, args: &[&str], target: &Path) -> Result<Duration, Failure> {
    cargo_in(dir, &["clean", "--quiet", "--package", package], target)?;
    let start = Instant::now();
    cargo_in(dir, args, target)?;
    Ok(start.elapsed())
}

fn row(label: &str, cost: &Cost, baseline: Duration) {
    println!(
        "| {label} | {:.1} ({:.2}x) | {:.2} | {} |",
        cost.cold.as_secs_f64(),
        cost.cold.as_secs_f64() / baseline.as_secs_f64(),
        cost.warm.as_secs_f64(),
        cost.dependencies
    );
}

/// Runs cargo in `dir` with `target` as its target folder.
fn cargo_in(dir: &Path, args: &[&str], target: &Path) -> Result<Output, Failure> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()?;
    if !output.status.success() {
        return Err(Failure::Invalid(format!(
            "cargo {} in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(output)
}

/// `cargo check` of the crate in `dir` with `features`, in a fresh target
/// folder under `scratch` (cold), again after touching the crate (warm),
/// and the number of packages it depends on (normal and build).
fn cost(dir: &Path, features: &[&str], scratch: &Path) -> Result<Cost, Failure> {
    let target = tempfile::tempdir_in(scratch)?;
    // Downloads are not building.
    cargo_in(dir, &["fetch", "--quiet"], target.path())?;
    let check: Vec<&str> = ["check", "--quiet"]
        .iter()
        .chain(features)
        .copied()
        .collect();
    let timed = || -> Result<Duration, Failure> {
        let start = Instant::now();
        cargo_in(dir, &check, target.path())?;
        Ok(start.elapsed())
    };
    let cold = timed()?;
    let lib = dir.join("src/lib.rs");
    let contents = std::fs::read_to_string(&lib)?;
    std::fs::write(&lib, format!("{contents}\n"))?;
    let warm = timed();
    std::fs::write(&lib, contents)?;
    let warm = warm?;
    let tree: Vec<&str> = [
        "tree",
        "--quiet",
        "--edges",
        "normal,build",
        "--prefix",
        "none",
    ]
    .iter()
    .chain(features)
    .copied()
    .collect();
    let tree = cargo_in(dir, &tree, target.path())?;
    let mut packages: Vec<String> = String::from_utf8_lossy(&tree.stdout)
        .lines()
        .map(|l| l.trim_end_matches(" (*)").to_string())
        .filter(|l| !l.is_empty())
        .collect();
    packages.sort();
    packages.dedup();
    Ok(Cost {
        cold,
        warm,
        dependencies: packages.len().saturating_sub(1),
    })
}

/// progenitor's crate for the FastEdge spec, in `scratch/progenitor`.
/// progenitor reads only OpenAPI 3.0 and accepts one error type per
/// operation, so the spec is rewritten first (said on the way).
fn progenitor_crate(text: &str, scratch: &Path) -> Result<PathBuf, String> {
    let installed = Command::new("cargo")
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        return Err(format!(
            "`cargo-progenitor` is not installed (cargo install cargo-progenitor --version {PROGENITOR_VERSION})"
        ));
    }
    let (spec, unified) = progenitor_spec(text)?;
    println!(
        "progenitor {PROGENITOR_VERSION}: the spec rewritten to OpenAPI 3.0 (as this generator reads it), and {unified} operations given one error type (progenitor accepts no more)"
    );
    let input = scratch.join("progenitor-spec.json");
    let json = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
    std::fs::write(&input, json).map_err(|e| e.to_string())?;
    let out = scratch.join("progenitor");
    let start = Instant::now();
    let output = Command::new("cargo")
        .arg("progenitor")
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .args([
            "--name",
            "fastedge-progenitor",
            "--version",
            "0.1.0",
            "--interface",
            "builder",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "`cargo progenitor` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    println!(
        "progenitor {PROGENITOR_VERSION}: generated the crate in {:.0} ms (one run, the whole `cargo progenitor` process)",
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(out)
}

/// The spec in the 3.0 form this generator's normaliser gives it, with
/// `openapi: 3.0.3`, and every operation's error responses made equal to
/// its first (progenitor refuses an operation whose errors have different
/// types); with the count of operations changed so.
fn progenitor_spec(text: &str) -> Result<(Value, usize), String> {
    let doc = load::load(text).map_err(|d| d.to_string())?;
    let mut diags = Collector::default();
    let (mut doc, _) = normalise::normalise(doc, &mut diags)
        .filter(|_| !diags.has_errors())
        .ok_or("the spec does not normalise")?;
    doc["openapi"] = Value::from("3.0.3");
    let mut unified = 0;
    let paths = doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut());
    for item in paths {
        for method in METHODS {
            let Some(responses) = item
                .get_mut(method)
                .and_then(|op| op.get_mut("responses"))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let mut errors = responses
                .iter_mut()
                .filter(|(status, _)| !status.starts_with('2'))
                .map(|(_, response)| response);
            let Some(first) = errors.next().map(|r| r.clone()) else {
                continue;
            };
            let mut changed = false;
            for response in errors {
                if *response != first {
                    *response = first.clone();
                    changed = true;
                }
            }
            unified += usize::from(changed);
        }
    }
    Ok((doc, unified))
}

/// Adds reqwest's rustls TLS to progenitor's crate (generated without TLS),
/// as a user calling an `https` API must: `cargo add` edits the manifest.
/// The feature is `rustls-tls` in reqwest 0.12, `rustls` in 0.13; the one
/// added is returned.
fn add_rustls(dir: &Path) -> Result<&'static str, Failure> {
    let scratch = tempfile::tempdir()?;
    let mut refused = Vec::new();
    for feature in ["rustls-tls", "rustls"] {
        let add = ["add", "--quiet", "reqwest", "--features", feature];
        match cargo_in(dir, &add, scratch.path()) {
            Ok(_) => return Ok(feature),
            Err(Failure::Invalid(e) | Failure::Usage(e)) => refused.push(e),
        }
    }
    Err(Failure::Invalid(refused.join("\n")))
}
