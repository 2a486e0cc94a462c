//! `cargo xtask gen`: generate a crate, or check that it is up to date.
//!
//! The generator owns every file of the output folder except the hand-written
//! ones listed in [`HAND_WRITTEN`]. Output is generated in memory first; files
//! are staged in a temporary folder beside the output and moved into place only
//! when everything was generated and staged, then stale files are removed.

use crate::{Failure, repo_root};
use generator::diagnostics::Severity;
use generator::diff::{SURFACE_FILE, Surface};
use generator::{File, Generated, Options};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level entries of an output folder that belong to people, not the
/// generator: tests and examples written against the generated API, and
/// what cargo creates in a standalone crate.
pub const HAND_WRITTEN: [&str; 4] = ["examples", "tests", "target", "Cargo.lock"];

/// Package name of the committed crate.
pub const DEFAULT_CRATE_NAME: &str = "fastedge-api";

#[derive(clap::Args)]
pub struct GenArgs {
    /// Write nothing; fail, with a diff, when the output differs from what
    /// would be generated.
    #[arg(long)]
    check: bool,
    /// The OpenAPI document to read (default: the document in `spec/`).
    #[arg(long, value_name = "PATH", requires = "out")]
    spec: Option<PathBuf>,
    /// The crate folder to write (default: `generated/`).
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// Package name (default: `fastedge-api`, or one made from the spec's title).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Prefix of the environment variables `Client::from_env` reads.
    #[arg(long, value_name = "PREFIX", default_value = DEFAULT_ENV_PREFIX)]
    env_prefix: String,
    /// Refuse a spec that is invalid even where its meaning is unambiguous
    /// (the warnings marked "assumed" become errors; nothing is written).
    #[arg(long)]
    strict: bool,
}

/// The committed crate: `generated/` from the document in `spec/`.
pub fn committed() -> Result<(PathBuf, PathBuf, Options), Failure> {
    let spec = default_spec()?;
    let options = Options {
        crate_name: DEFAULT_CRATE_NAME.to_string(),
        test_dependencies: true,
        source: file_name(&spec),
        env_prefix: DEFAULT_ENV_PREFIX.to_string(),
    };
    Ok((spec, repo_root().join("generated"), options))
}

/// Prefix of the environment variables the generated clients read.
pub const DEFAULT_ENV_PREFIX: &str = "GCORE";

pub fn run(args: GenArgs) -> Result<(), Failure> {
    let (spec, out, mut options) = match (args.spec, args.out) {
        (Some(spec), Some(out)) => {
            let options = Options {
                crate_name: String::new(),
                test_dependencies: false,
                source: file_name(&spec),
                env_prefix: args.env_prefix.clone(),
            };
            (spec, out, options)
        }
        _ => committed()?,
    };
    if let Some(name) = &args.crate_name {
        options.crate_name = validate_crate_name(name)?;
    }
    let text = read_spec(&spec)?;
    if options.crate_name.is_empty() {
        options.crate_name = crate_name_from(&text);
    }
    options.env_prefix = args.env_prefix;
    let generated = generate(&spec, &text, &options, args.strict)?;
    if args.check {
        check(&out, &generated.files)
    } else {
        let report = change_report(&out, &generated.files)?;
        let written = write(&out, &generated.files)?;
        println!(
            "{}: {} operations, {} types -> {} ({written})",
            options.crate_name,
            generated.operations,
            generated.types,
            out.display()
        );
        if let Some(report) = report {
            print!("{report}");
        }
        Ok(())
    }
}

/// The API change report between the crate in `out` (its
/// [`SURFACE_FILE`]) and `files`, when writing `files` changes anything.
/// `None` when nothing changes or `out` holds no crate yet.
pub fn change_report(out: &Path, files: &[File]) -> Result<Option<String>, Failure> {
    let unchanged = files
        .iter()
        .all(|f| fs::read(out.join(&f.path)).is_ok_and(|b| b == f.contents.as_bytes()));
    if unchanged {
        return Ok(None);
    }
    let previous_path = out.join(SURFACE_FILE);
    let Ok(previous) = fs::read_to_string(&previous_path) else {
        return Ok(None);
    };
    let Some(new) = files.iter().find(|f| f.path == SURFACE_FILE) else {
        return Ok(None);
    };
    let new = Surface::from_json(&new.contents).map_err(|e| {
        Failure::Invalid(format!("internal error: the generated {SURFACE_FILE}: {e}"))
    })?;
    Ok(Some(match Surface::from_json(&previous) {
        Ok(old) => format!(
            "\nAPI changes since the previous generation ({}):\n{}",
            previous_path.display(),
            generator::diff::compare(&old, &new).text()
        ),
        Err(e) => format!(
            "\nnote: no API change report: {} cannot be compared ({e})\n",
            previous_path.display()
        ),
    }))
}

/// The one OpenAPI document in `spec/`.
pub fn default_spec() -> Result<PathBuf, Failure> {
    spec_in(&repo_root().join("spec"))
}

/// The one OpenAPI document (`.yaml`, `.yml` or `.json`) in `dir`.
pub fn spec_in(dir: &Path) -> Result<PathBuf, Failure> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Failure::Invalid(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Failure::Invalid(format!(
            "{}: no OpenAPI document (.yaml, .yml or .json)",
            dir.display()
        ))),
        _ => Err(Failure::Invalid(format!(
            "{}: more than one OpenAPI document; keep one",
            dir.display()
        ))),
    }
}

pub fn read_spec(path: &Path) -> Result<String, Failure> {
    let bytes = fs::read(path).map_err(|e| Failure::Invalid(format!("{}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::Invalid(format!(
            "{}: error: #: the file is not UTF-8 text (invalid byte at offset {}); is it binary?",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Runs the generator; prints warnings; formats errors with the file name.
/// `strict` refuses a spec whose meaning had to be assumed somewhere.
pub fn generate(
    spec: &Path,
    text: &str,
    options: &Options,
    strict: bool,
) -> Result<Generated, Failure> {
    let name = spec.display().to_string();
    let generated = generator::generate(text, options).and_then(|generated| {
        if strict {
            generator::diagnostics::refuse_assumptions(&generated.warnings)?;
        }
        Ok(generated)
    });
    match generated {
        Ok(generated) => {
            for w in &generated.warnings {
                eprintln!("{}", w.display_in(&name));
            }
            Ok(generated)
        }
        Err(failure) => Err(invalid(spec, &failure)),
    }
}

/// The diagnostics that stopped generation, each with the file name.
fn invalid(spec: &Path, failure: &generator::diagnostics::Failure) -> Failure {
    let name = spec.display().to_string();
    let lines: Vec<String> = failure
        .diagnostics
        .iter()
        .map(|d| d.display_in(&name).to_string())
        .collect();
    let errors = failure
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Failure::Invalid(format!(
        "{}\n{name}: {errors} error(s); nothing was written",
        lines.join("\n")
    ))
}

pub fn validate_crate_name(name: &str) -> Result<String, Failure> {
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(name.to_string())
    } else {
        Err(Failure::Usage(format!(
            "`{name}` is not a valid package name"
        )))
    }
}

/// A package name from the spec's title (`Gcore OpenAPI – DNS API` ->
/// `gcore-openapi-dns-api`).
pub fn crate_name_from(text: &str) -> String {
    let title = generator::load::load(text)
        .ok()
        .and_then(|v| {
            v.pointer("/info/title")
                .and_then(|t| t.as_str())
                .map(String::from)
        })
        .unwrap_or_default();
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let name = words.join("-");
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}").trim_end_matches('-').to_string()
    }
}

/// Files in `out` the generator owns (relative paths, `/`-separated).
pub fn owned_files(out: &Path) -> Result<BTreeSet<String>, Failure> {
    let mut found = BTreeSet::new();
    if !out.exists() {
        return Ok(found);
    }
    let mut stack = vec![(out.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if prefix.is_empty() && HAND_WRITTEN.contains(&name.as_str()) {
                continue;
            }
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), rel));
            } else {
                found.insert(rel);
            }
        }
    }
    Ok(found)
}

/// Compares `files` with `out`; prints a unified diff of every difference.
pub fn check(out: &Path, files: &[File]) -> Result<(), Failure> {
    let differences = differences(out, files)?;
    if differences.is_empty() {
        println!("{} is up to date ({} files)", out.display(), files.len());
        return Ok(());
    }
    for d in &differences {
        println!("{d}");
    }
    Err(Failure::Invalid(format!(
        "{} is out of date: {} file(s) differ; run `cargo xtask gen`",
        out.display(),
        differences.len()
    )))
}

/// One report per stale, missing or extra file.
pub fn differences(out: &Path, files: &[File]) -> Result<Vec<String>, Failure> {
    let mut report = Vec::new();
    let mut on_disk = owned_files(out)?;
    for file in files {
        let path = out.join(&file.path);
        let shown = path.display().to_string();
        on_disk.remove(&file.path);
        match fs::read(&path) {
            Err(_) => report.push(format!("missing: {shown}")),
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(bytes) => {
                let old = String::from_utf8_lossy(&bytes);
                let diff = similar::TextDiff::from_lines(old.as_ref(), file.contents.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{shown} (on disk)"),
                        &format!("{shown} (generated)"),
                    )
                    .to_string();
                report.push(format!("stale: {shown}\n{diff}"));
            }
        }
    }
    for extra in on_disk {
        report.push(format!(
            "extra: {} (not generated; `cargo xtask gen` removes it)",
            out.join(extra).display()
        ));
    }
    Ok(report)
}

/// Writes `files` into `out`: staged in a temporary folder beside it, moved
/// into place, then files the generator no longer writes are removed.
/// Unchanged files are left alone. Returns a summary of what changed.
pub fn write(out: &Path, files: &[File]) -> Result<String, Failure> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let stage = tempfile::Builder::new()
        .prefix(".xtask-gen-")
        .tempdir_in(&parent)?;
    let mut changed = Vec::new();
    for file in files {
        let target = out.join(&file.path);
        if fs::read(&target).is_ok_and(|b| b == file.contents.as_bytes()) {
            continue;
        }
        let staged = stage.path().join(&file.path);
        if let Some(dir) = staged.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&staged, &file.contents)?;
        changed.push(&file.path);
    }
    let stale: Vec<String> = {
        let keep: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        owned_files(out)?
            .into_iter()
            .filter(|p| !keep.contains(p.as_str()))
            .collect()
    };
    // Everything is staged: move it in.
    for rel in &changed {
        let target = out.join(rel);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::rename(stage.path().join(rel), &target)?;
    }
    for rel in &stale {
        fs::remove_file(out.join(rel))?;
        remove_empty_parents(out, rel);
    }
    Ok(format!(
        "{} written, {} unchanged, {} removed",
        changed.len(),
        files.len() - changed.len(),
        stale.len()
    ))
}

fn remove_empty_parents(out: &Path, rel: &str) {
    let mut dir = out.join(rel);
    while dir.pop() && dir != out {
        if fs::remove_dir(&dir).is_err() {
            break;
        }
    }
}
