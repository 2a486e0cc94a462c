//! `cargo xtask verify`: proves a generated client against Prism, the
//! spec-validating mock server. Generates the crate with a verification
//! program (`examples/verify.rs`, written by `generator::verify`), starts
//! Prism on the spec, runs the program against it and reports, per
//! operation, whether Prism accepted each request and its responses decoded.

use crate::gen_crate::{self, DEFAULT_ENV_PREFIX};
use crate::{Failure, cargo, prism};
use generator::{File, Options};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The OpenAPI document to verify a client for.
    #[arg(long, value_name = "PATH")]
    spec: PathBuf,
    /// Where to write the crate (default: a temporary folder, removed after).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Random schema-valid responses (`Prefer: dynamic=true`) decoded per
    /// operation.
    #[arg(long, default_value_t = 20)]
    rounds: u32,
    /// `text` (a table) or `json` (one object per operation).
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// What happened to one operation's calls.
#[derive(Default)]
struct Outcome {
    passed: usize,
    failed: Vec<String>,
    skipped: Option<String>,
}

pub fn run(args: VerifyArgs) -> Result<(), Failure> {
    let text = gen_crate::read_spec(&args.spec)?;
    let crate_name = gen_crate::crate_name_from(&text);
    let options = Options {
        crate_name: crate_name.clone(),
        // The program's runtime (tokio) and `serde_json`.
        test_dependencies: true,
        source: gen_crate::file_name(&args.spec),
        env_prefix: DEFAULT_ENV_PREFIX.to_string(),
    };
    let generated = gen_crate::generate(&args.spec, &text, &options, false)?;
    let (api, _) = generator::model(&text).map_err(|f| Failure::Invalid(f.to_string()))?;
    let program = File {
        path: "examples/verify.rs".into(),
        contents: generator::verify::program(&api, &crate_name.replace('-', "_")),
    };
    let temporary;
    let out = match &args.out {
        Some(out) => out.clone(),
        None => {
            temporary = tempfile::Builder::new().prefix("verify-").tempdir()?;
            temporary.path().join(&crate_name)
        }
    };
    gen_crate::write(&out, &generated.files)?;
    // `examples/` belongs to the user for `gen`; `verify` writes its program there.
    std::fs::create_dir_all(out.join("examples"))?;
    std::fs::write(out.join(&program.path), &program.contents)?;

    let bin = prism::install().map_err(Failure::Invalid)?;
    let spec = args.spec.canonicalize()?;
    let server = prism::Prism::start(&bin, &spec).map_err(Failure::Invalid)?;
    eprintln!(
        "verify: {} operations against Prism at {}",
        api.operations.len(),
        server.url()
    );
    let output = cargo::run_with_env(
        &out,
        &["run", "--quiet", "--example", "verify"],
        &[
            ("VERIFY_URL", server.url()),
            ("VERIFY_ROUNDS", &args.rounds.to_string()),
        ],
    );
    drop(server);
    if !output.status.success() {
        return Err(Failure::Invalid(format!(
            "the verification program failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }

    let mut outcomes: BTreeMap<String, Outcome> = api
        .operations
        .iter()
        .map(|o| (o.id.clone(), Outcome::default()))
        .collect();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(record) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let field = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or_default();
        let outcome = outcomes.entry(field("operation").to_string()).or_default();
        match (field("call"), record.get("ok").and_then(Value::as_bool)) {
            ("skip", _) => outcome.skipped = Some(field("detail").to_string()),
            (_, Some(true)) => outcome.passed += 1,
            (call, _) => outcome.failed.push(format!(
                "{call}: {} {}",
                record.get("status").map_or("-".into(), Value::to_string),
                field("detail")
            )),
        }
    }
    let failed = outcomes
        .values()
        .filter(|o| !o.failed.is_empty() || (o.passed == 0 && o.skipped.is_none()))
        .count();
    let skipped = outcomes.values().filter(|o| o.skipped.is_some()).count();
    if args.format == "json" {
        for (id, o) in &outcomes {
            println!(
                "{}",
                serde_json::json!({"operation": id, "passed": o.passed, "failed": o.failed, "skipped": o.skipped})
            );
        }
    } else {
        for (id, o) in &outcomes {
            let verdict = match (&o.skipped, o.failed.is_empty(), o.passed) {
                (Some(why), _, _) => format!("skipped ({why})"),
                (None, true, 0) => "not called".to_string(),
                (None, true, n) => format!("ok ({n} calls)"),
                (None, false, n) => format!("FAILED ({n} calls passed)"),
            };
            println!("{id}: {verdict}");
            for failure in o.failed.iter().take(3) {
                println!("    {failure}");
            }
        }
        println!(
            "{} operations: {} verified, {failed} failed, {skipped} skipped",
            outcomes.len(),
            outcomes.len() - failed - skipped
        );
    }
    if failed > 0 {
        return Err(Failure::Invalid(String::new()));
    }
    Ok(())
}
