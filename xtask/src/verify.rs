//! `cargo xtask verify`: proves a generated client against Prism, the
//! spec-validating mock server. Generates the crate with a verification
//! program (`examples/verify.rs`, written by `generator::verify`), starts
//! Prism on the spec, runs the program against it and reports, per
//! operation, whether Prism accepted each request and its responses decoded
//! and encoded back unchanged. What the mock server or the spec caused is
//! counted apart from failures of the client.

use crate::gen_crate::{self, DEFAULT_ENV_PREFIX};
use crate::schema::{OneOf, Schemas, resolve};
use crate::{Failure, cargo, prism};
use generator::pointer::Pointer;
use generator::{File, Options};
use serde_json::Value;
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
    /// Seconds to wait for each answer before the mock server is taken to
    /// be stuck (reported, restarted, and the run goes on).
    #[arg(long, default_value_t = 20)]
    timeout: u32,
    /// Fail also when an operation could not be verified because of the
    /// mock server or the spec (counted apart otherwise).
    #[arg(long)]
    strict: bool,
}

/// One call of the verification program, as it reported it.
#[derive(serde::Deserialize)]
struct Call {
    operation: String,
    call: String,
    status: Option<u16>,
    class: Class,
    detail: String,
    /// What re-encoding the body lost.
    #[serde(default)]
    losses: Vec<Loss>,
    /// A body that did not decode.
    #[serde(default)]
    body: Option<Value>,
}

#[derive(serde::Deserialize)]
struct Loss {
    pointer: String,
    dropped: bool,
    detail: String,
}

#[derive(serde::Deserialize, serde::Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Class {
    Pass,
    /// A failure of the generated client.
    Client,
    /// The mock server's doing.
    Mock,
    /// The spec gives the mock server nothing to answer with.
    Spec,
}

/// What one operation's calls came to.
#[derive(serde::Serialize)]
struct Verdict {
    operation: String,
    method: String,
    path: String,
    /// The call with required parameters, and with all: accepted, decoded
    /// and encoded back (`pass`), or the class of what went wrong.
    required: Option<Class>,
    all: Option<Class>,
    /// Random responses that decoded and encoded back, of those asked for.
    dynamic: (usize, usize),
    /// Documented errors that decoded as documented, of those asked for.
    errors: (usize, usize),
    /// `passed`, `failed`, or why it is counted apart: `mock`, `spec`.
    result: &'static str,
    problems: Vec<Problem>,
}

#[derive(serde::Serialize)]
struct Problem {
    call: String,
    status: Option<u16>,
    class: Class,
    detail: String,
    /// The spec's place concerned: the response for a body that did not
    /// decode, the operation for a refused request.
    pointer: Pointer,
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

    let build = cargo::run_with_env(&out, &["build", "--quiet", "--example", "verify"], &[]);
    if !build.status.success() {
        return Err(Failure::Invalid(format!(
            "the verification program does not build:\n{}",
            String::from_utf8_lossy(&build.stderr)
        )));
    }
    let calls = run_program(&api, &args, &out)?;
    let doc = generator::load::load(&text).map_err(|d| Failure::Invalid(d.to_string()))?;
    let spec = Spec {
        api: &api,
        schemas: Schemas::new(&doc, OneOf::Relaxed).map_err(Failure::Invalid)?,
        doc: &doc,
    };
    let verdicts: Vec<Verdict> = api
        .operations
        .iter()
        .map(|op| verdict(&spec, op, &calls))
        .collect();
    let count = |result: &str| verdicts.iter().filter(|v| v.result == result).count();
    let failed = count("failed");
    let apart = verdicts.len() - failed - count("passed");
    if args.format == "json" {
        for v in &verdicts {
            println!("{}", serde_json::to_string(v).unwrap_or_default());
        }
    } else {
        print!("{}", table(&verdicts));
        println!(
            "{} operations: {} passed, {failed} failed, {apart} counted apart (mock server {}, spec {})",
            verdicts.len(),
            count("passed"),
            count("mock"),
            count("spec"),
        );
    }
    if failed > 0 || (args.strict && apart > 0) {
        return Err(Failure::Invalid(String::new()));
    }
    Ok(())
}

/// Runs the program against a fresh Prism, again from the next operation
/// whenever Prism stops answering (the program then exits with 3).
fn run_program(
    api: &generator::ir::Api,
    args: &VerifyArgs,
    out: &std::path::Path,
) -> Result<Vec<Call>, Failure> {
    let bin = prism::install().map_err(Failure::Invalid)?;
    let spec = args.spec.canonicalize()?;
    let mut calls: Vec<Call> = Vec::new();
    let mut from = 0;
    while from < api.operations.len() {
        let server = prism::Prism::start(&bin, &spec).map_err(Failure::Invalid)?;
        eprintln!(
            "verify: operations {from}..{} against Prism at {}",
            api.operations.len(),
            server.url()
        );
        let output = cargo::run_with_env(
            out,
            &["run", "--quiet", "--example", "verify"],
            &[
                ("VERIFY_URL", server.url()),
                ("VERIFY_ROUNDS", &args.rounds.to_string()),
                ("VERIFY_TIMEOUT", &args.timeout.to_string()),
                ("VERIFY_FROM", &from.to_string()),
            ],
        );
        if output.status.code() == Some(3) {
            // What Prism said last, for why it stopped answering.
            let log = server.log();
            let tail: Vec<&str> = log.lines().rev().take(5).collect();
            eprintln!(
                "verify: the mock server stopped answering; its last lines:\n  {}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n  ")
            );
        }
        drop(server);
        let before = calls.len();
        calls.extend(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| serde_json::from_str::<Call>(line).ok()),
        );
        match output.status.code() {
            Some(0) => break,
            Some(3) if calls.len() > before => {
                let stuck = &calls[calls.len() - 1].operation;
                let index = api.operations.iter().position(|o| &o.id == stuck);
                from = index.map_or(api.operations.len(), |i| i + 1);
            }
            _ => {
                return Err(Failure::Invalid(format!(
                    "the verification program failed:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                )));
            }
        }
    }
    Ok(calls)
}

/// What classifying a call looks up: the IR, the document and its schemas.
struct Spec<'a> {
    api: &'a generator::ir::Api,
    doc: &'a Value,
    schemas: Schemas,
}

fn verdict(spec: &Spec<'_>, op: &generator::ir::Operation, calls: &[Call]) -> Verdict {
    let read_only = generator::verify::read_only_properties(spec.api, op);
    let mut mine: Vec<(&Call, Class, String)> = calls
        .iter()
        .filter(|c| c.operation == op.id)
        .map(|c| {
            let (class, detail) = classify(spec, op, c, &read_only);
            (c, class, detail)
        })
        .collect();
    mine.sort_by_key(|(c, _, _)| c.call.starts_with("error"));
    // The worst class of the calls labelled `call`.
    let passed = |call: &str| {
        let classes: Vec<Class> = mine
            .iter()
            .filter(|(c, _, _)| c.call == call)
            .map(|(_, class, _)| *class)
            .collect();
        [Class::Client, Class::Mock, Class::Spec, Class::Pass]
            .into_iter()
            .find(|class| classes.contains(class))
    };
    let tally = |wanted: &dyn Fn(&str) -> bool| {
        let of: Vec<_> = mine.iter().filter(|(c, _, _)| wanted(&c.call)).collect();
        (
            of.iter()
                .filter(|(_, class, _)| *class == Class::Pass)
                .count(),
            of.len(),
        )
    };
    let has = |class: Class| mine.iter().any(|(_, c, _)| *c == class);
    let result = if has(Class::Client) || mine.is_empty() {
        "failed"
    } else if has(Class::Mock) {
        "mock"
    } else if has(Class::Spec) {
        "spec"
    } else {
        "passed"
    };
    let mut problems: Vec<Problem> = mine
        .iter()
        .filter(|(_, class, _)| *class != Class::Pass)
        .map(|(c, class, detail)| Problem {
            call: c.call.clone(),
            status: c.status,
            class: *class,
            detail: detail.clone(),
            pointer: pointer(op, c),
        })
        .collect();
    if mine.is_empty() {
        problems.push(Problem {
            call: "-".into(),
            status: None,
            class: Class::Client,
            detail: "not called: the verification program stopped before it".into(),
            pointer: op.origin.clone(),
        });
    }
    Verdict {
        operation: op.id.clone(),
        method: op.method.to_string(),
        path: op.path.clone(),
        required: passed("required"),
        all: passed("all"),
        dynamic: tally(&|c| c == "dynamic"),
        errors: tally(&|c| c.starts_with("error")),
        result,
        problems,
    }
}

/// The class of a call, once what the program cannot know is looked up in
/// the IR: a refusal that demands a readOnly property is the mock server's
/// doing, and so is a dropped property that the schema does not declare for
/// responses (writeOnly, or not named at all) in a body the mock server
/// invented; in the spec's own example it is the spec's.
fn classify(
    spec: &Spec<'_>,
    op: &generator::ir::Operation,
    call: &Call,
    read_only: &[String],
) -> (Class, String) {
    let api = spec.api;
    use generator::verify::Dropped;
    if call.class != Class::Client {
        return (call.class, call.detail.clone());
    }
    if let Some(other) = generator::verify::same_route(api, op) {
        return (
            Class::Spec,
            format!(
                "`{}` has the same route, {} {}, up to parameter names (OpenAPI forbids it: no server tells them apart): {}",
                other.id, other.method, other.path, call.detail
            ),
        );
    }
    if let Some(p) = read_only.iter().find(|p| {
        call.detail
            .contains(&format!("must have required property '{p}'"))
    }) {
        return (
            Class::Mock,
            format!(
                "Prism demands readOnly property `{p}` in the request (`required` applies to responses only): {}",
                call.detail
            ),
        );
    }
    let overlapping = generator::verify::overlapping_unions(api, op);
    if call
        .detail
        .contains("must match exactly one schema in oneOf")
        && !overlapping.is_empty()
    {
        return (
            Class::Spec,
            format!(
                "the `oneOf` of {} has alternatives that accept each other's values, so no value matches exactly one: {}",
                overlapping.join(", "),
                call.detail
            ),
        );
    }
    if let Some(broken) = breaks_schema(spec, op, call) {
        return broken;
    }
    let Some(status) = call.status.filter(|_| !call.losses.is_empty()) else {
        return (call.class, call.detail.clone());
    };
    let (class, source) = if call.call == "dynamic" {
        (Class::Mock, "Prism invented")
    } else {
        (Class::Spec, "the spec's example has")
    };
    // Each loss on its own: the call is the client's failure when any loss
    // is of a property the response's type declares.
    let explained: Vec<Option<String>> = call
        .losses
        .iter()
        .map(|loss| {
            let dropped = loss
                .dropped
                .then(|| generator::verify::dropped(api, op, status, &loss.pointer));
            let pointer = &loss.pointer;
            match dropped {
                Some(Dropped::WriteOnly) => {
                    Some(format!("{source} writeOnly property {pointer} in a response"))
                }
                Some(Dropped::Undeclared) => Some(format!(
                    "{source} property {pointer}, which the response's schema does not declare (generated types keep declared properties only)"
                )),
                Some(Dropped::Declared) | None => None,
            }
        })
        .collect();
    match call
        .losses
        .iter()
        .zip(&explained)
        .find(|(_, e)| e.is_none())
    {
        Some((loss, _)) => (
            Class::Client,
            format!("round trip: {} {}", loss.pointer, loss.detail),
        ),
        None => (
            class,
            explained
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

/// For a body that did not decode: whether it breaks the response's own
/// schema (then the mock server that invented it, or the spec whose example
/// it is, is at fault, not the client), with the first violation.
fn breaks_schema(
    spec: &Spec<'_>,
    op: &generator::ir::Operation,
    call: &Call,
) -> Option<(Class, String)> {
    let body = call.body.as_ref()?;
    let response_pointer = pointer(op, call);
    if !response_pointer.contains("/responses/") {
        return None;
    }
    let response = spec.doc.pointer(&response_pointer[1..])?;
    let (response, resolved) = resolve(spec.doc, response)?;
    let response_pointer = resolved.unwrap_or(response_pointer);
    let (media, content) = response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(media, c)| media.contains("json") && c.get("schema").is_some())?;
    let schema_pointer = response_pointer.push("content").push(media).push("schema");
    let validator = spec.schemas.validator(&schema_pointer, false).ok()?;
    let error = validator.iter_errors(body).next()?;
    let broken = format!("{error} at `{}` of {schema_pointer}", error.instance_path());
    let has_example = content.get("example").is_some() || content.get("examples").is_some();
    Some(match (call.call.as_str(), has_example) {
        ("dynamic", _) => (
            Class::Mock,
            format!("Prism invented a body that breaks its schema: {broken}"),
        ),
        (_, true) => (
            Class::Spec,
            format!("the spec's example breaks its schema: {broken}"),
        ),
        (_, false) => (
            Class::Mock,
            format!("the body Prism built from the schema breaks it: {broken}"),
        ),
    })
}

/// The response the call's status selects, or the operation itself.
fn pointer(op: &generator::ir::Operation, call: &Call) -> Pointer {
    use generator::ir::Status;
    let Some(status) = call.status.filter(|_| !call.detail.starts_with("refused")) else {
        return op.origin.clone();
    };
    let key = op
        .responses
        .iter()
        .map(|r| r.status)
        .find(|s| match s {
            Status::Code(c) => *c == status,
            Status::Range(r) => *r == status / 100,
            Status::Default => true,
        })
        .map(|s| match s {
            Status::Code(c) => c.to_string(),
            Status::Range(r) => format!("{r}XX"),
            Status::Default => "default".into(),
        });
    match key {
        Some(key) => op.origin.push("responses").push(&key),
        None => op.origin.clone(),
    }
}

/// The text report: one row per operation, then each problem.
fn table(verdicts: &[Verdict]) -> String {
    let yes_no = |v: Option<Class>| match v {
        Some(Class::Pass) => "ok",
        Some(Class::Client) => "FAIL",
        Some(Class::Mock) => "mock",
        Some(Class::Spec) => "spec",
        None => "-",
    };
    let rows: Vec<[String; 7]> = verdicts
        .iter()
        .map(|v| {
            [
                v.operation.clone(),
                format!("{} {}", v.method, v.path),
                yes_no(v.required).into(),
                yes_no(v.all).into(),
                format!("{}/{}", v.dynamic.0, v.dynamic.1),
                format!("{}/{}", v.errors.0, v.errors.1),
                v.result.into(),
            ]
        })
        .collect();
    let header = [
        "operation",
        "method and path",
        "required",
        "all",
        "dynamic",
        "errors",
        "result",
    ]
    .map(String::from);
    let widths: Vec<usize> = (0..7)
        .map(|i| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for v in verdicts.iter().filter(|v| !v.problems.is_empty()) {
        out.push_str(&format!("\n{} ({}):\n", v.operation, v.result));
        // The first few of each kind: twenty identical dynamic failures say
        // no more than one.
        let mut shown: Vec<(&str, Class)> = Vec::new();
        for p in &v.problems {
            let kind = (p.call.as_str(), p.class);
            if shown.iter().filter(|k| **k == kind).count() >= 2 {
                continue;
            }
            shown.push(kind);
            let status = p.status.map_or("-".to_string(), |s| s.to_string());
            out.push_str(&format!(
                "  {} [{}] {status} at {}: {}\n",
                p.call,
                format!("{:?}", p.class).to_lowercase(),
                p.pointer,
                p.detail
            ));
        }
    }
    out
}
