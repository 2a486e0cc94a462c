//! `cargo xtask diff OLD NEW`: the API change report between two specs.

use crate::Failure;
use crate::gen_crate::{file_name, read_spec};
use generator::diff::{Report, Surface};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The older OpenAPI document.
    old: PathBuf,
    /// The newer OpenAPI document.
    new: PathBuf,
    /// `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// One side of a comparison, as the JSON report names it.
#[derive(Serialize)]
pub struct Side {
    pub path: String,
    /// `info.version`.
    pub version: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    old: Side,
    new: Side,
    #[serde(flatten)]
    report: &'a Report,
}

pub fn run(args: DiffArgs) -> Result<(), Failure> {
    let (old_surface, old) = surface(&args.old)?;
    let (new_surface, new) = surface(&args.new)?;
    let report = generator::diff::compare(&old_surface, &new_surface);
    match args.format {
        Format::Text => print!("{}", text(&old, &new, &report)),
        Format::Json => {
            let json = serde_json::to_string_pretty(&JsonReport {
                old,
                new,
                report: &report,
            })
            .map_err(|e| Failure::Invalid(format!("cannot write the report: {e}")))?;
            println!("{json}");
        }
    }
    Ok(())
}

/// The text report with a header naming both sides.
pub fn text(old: &Side, new: &Side, report: &Report) -> String {
    format!(
        "API changes from {} ({}) to {} ({}):\n{}",
        old.path,
        old.version,
        new.path,
        new.version,
        report.text()
    )
}

/// The public API a spec generates, and where it came from.
pub fn surface(path: &Path) -> Result<(Surface, Side), Failure> {
    let text = read_spec(path)?;
    let name = path.display().to_string();
    let (api, _) = generator::model(&text).map_err(|failure| {
        let lines: Vec<String> = failure
            .diagnostics
            .iter()
            .map(|d| d.display_in(&name).to_string())
            .collect();
        Failure::Invalid(lines.join("\n"))
    })?;
    let side = Side {
        path: file_name(path),
        version: api.version.clone(),
    };
    Ok((Surface::of(&api), side))
}
