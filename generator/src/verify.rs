//! The verification program of `cargo xtask verify`: an example
//! (`examples/verify.rs`) of the generated crate that calls every operation
//! with arguments synthesised from the IR ([`crate::synth`]) against a
//! server given by `VERIFY_URL`, and prints one JSON line per call.
//!
//! Per operation: a call with the required parameters only, a call with
//! every optional parameter set too (both answered with Prism's static
//! response: the spec's example of the first success), then `VERIFY_ROUNDS`
//! calls asking Prism for a random schema-valid response (`Prefer:
//! dynamic=true`), each of which must decode; then each documented error
//! status (`Prefer: code=N`), which must decode as that documented error.

use crate::ir::{Api, BodyKind, Operation, Status};
use crate::surface::rust::ident;
use quote::quote;
use std::fmt::Write as _;

/// Operations the program cannot call, with why (reported as skipped).
pub fn skipped(op: &Operation) -> Option<&'static str> {
    match op.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Multipart(_)) => Some("multipart bodies are not synthesised yet"),
        _ => None,
    }
}

/// The program's source, for the crate `crate_ident`.
pub fn program(api: &Api, crate_ident: &str) -> String {
    let mut calls = String::new();
    for op in &api.operations {
        let id = &op.id;
        if let Some(reason) = skipped(op) {
            let _ = writeln!(calls, "    report.skip({id:?}, {reason:?});");
            continue;
        }
        for full in [false, true] {
            let fields: Vec<String> = op
                .params
                .iter()
                .map(|p| {
                    let value = if p.required || full {
                        crate::synth::param_instance(api, p).unwrap_or(serde_json::Value::Null)
                    } else {
                        serde_json::Value::Null
                    };
                    format!("{}: arg(r###\"{value}\"###)", ident(&p.name))
                })
                .chain(op.body.as_ref().map(|b| {
                    let value = match &b.kind {
                        BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => {
                            crate::synth::instance(api, t).unwrap_or(serde_json::Value::Null)
                        }
                        BodyKind::Text => serde_json::Value::from("text"),
                        BodyKind::Binary => serde_json::Value::Null,
                    };
                    match (&b.kind, b.required) {
                        (BodyKind::Binary, true) => {
                            "body: BinaryBody::from_bytes(&b\"verify\"[..])".to_string()
                        }
                        (BodyKind::Binary, false) => {
                            "body: Some(BinaryBody::from_bytes(&b\"verify\"[..]))".to_string()
                        }
                        _ => format!("body: arg(r###\"{value}\"###)"),
                    }
                }))
                .collect();
            let label = if full { "all" } else { "required" };
            let operation = format!("operations::{} {{ {} }}", op.type_name, fields.join(", "));
            let _ = writeln!(
                calls,
                "    report.call({id:?}, {label:?}, &client, {operation}, rounds).await;"
            );
            if full {
                // Each documented error, as Prism answers it (its example).
                for status in op.responses.iter().filter_map(|r| match r.status {
                    Status::Code(code) if !r.status.is_success() => Some(code),
                    _ => None,
                }) {
                    let _ = writeln!(
                        calls,
                        "    report.documented_error({id:?}, {status}, &client, {operation}).await;"
                    );
                }
            }
        }
    }
    let krate = ident(crate_ident);
    let binary = api
        .operations
        .iter()
        .any(|o| matches!(o.body.as_ref().map(|b| &b.kind), Some(BodyKind::Binary)));
    let binary_import = if binary {
        quote!(use #krate::BinaryBody;)
    } else {
        quote!()
    };
    format!(
        "//! Written by `cargo xtask verify`: calls every operation against `VERIFY_URL`.\n#![allow(deprecated)]\n\n{}\nuse {crate_ident}::{{Client, Error, Operation, operations, reqwest}};\n\n{}\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    let url = std::env::var(\"VERIFY_URL\").expect(\"VERIFY_URL\");\n    let rounds: u32 = std::env::var(\"VERIFY_ROUNDS\").ok().and_then(|r| r.parse().ok()).unwrap_or(20);\n    let client = Client::builder().api_key(\"verify-key\").base_url(url).max_retries(0).build().expect(\"client\");\n    let mut report = Report;\n{calls}}}\n",
        binary_import,
        include_str!("verify/report.rs"),
    )
}
