//! `cargo xtask`: the project's tasks.
//!
//! Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use xtask::{Failure, bench, diff, gen_crate, update_spec, verify};

// Generation allocates many small, short-lived values (tokens, strings,
// JSON nodes); mimalloc spends far fewer instructions on them than the
// system allocator (measured with `cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for the OpenAPI client generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate: by default `generated/` from the spec in `spec/`.
    Gen(gen_crate::GenArgs),
    /// Report the API changes between two OpenAPI documents, as users of the
    /// generated crate see them, and the semver bump they imply.
    Diff(diff::DiffArgs),
    /// Take in a new version of the spec from a URL or a path: validate that
    /// it generates, replace `spec/`, regenerate, and report API changes.
    UpdateSpec(update_spec::UpdateSpecArgs),
    /// Measure generation time, memory and output size on the shared specs
    /// (release build), and `cargo check` time of the generated crate.
    Bench(bench::BenchArgs),
    /// Prove a generated client against Prism, the spec-validating mock
    /// server: every operation called with synthesised arguments, its
    /// requests accepted and its responses decoded.
    Verify(verify::VerifyArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Gen(args) => gen_crate::run(args),
        Command::Diff(args) => diff::run(args),
        Command::UpdateSpec(args) => update_spec::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Verify(args) => verify::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(message)) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
