//! `cargo xtask update-spec URL|PATH`: take in a new version of the spec.
//!
//! The new document is fetched (or read), generated in memory, and only
//! then written: the spec file and `SOURCE.md` are each replaced by a rename,
//! then the crate is rewritten like `gen` does. A document that does not
//! generate, or a failed download, leaves the spec folder and the crate as
//! they were; a failure while writing the crate puts the old spec back.

use crate::Failure;
use crate::gen_crate::{self, DEFAULT_ENV_PREFIX, change_report, file_name, write};
use generator::Options;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Largest document accepted from a URL.
const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

#[derive(clap::Args)]
pub struct UpdateSpecArgs {
    /// The new OpenAPI document: an `http://` or `https://` URL, or a path.
    source: String,
    /// The folder holding the spec and its `SOURCE.md` (default: `spec/`).
    #[arg(long, value_name = "DIR", requires = "out")]
    spec_dir: Option<PathBuf>,
    /// The crate to regenerate (default: `generated/`).
    #[arg(long, value_name = "DIR", requires = "spec_dir")]
    out: Option<PathBuf>,
    /// Package name (default: `fastedge-api`, or one made from the title).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
}

pub fn run(args: UpdateSpecArgs) -> Result<(), Failure> {
    let text = fetch(&args.source)?;
    let (spec, out, mut options) = match (&args.spec_dir, &args.out) {
        (Some(dir), Some(out)) => {
            let spec = gen_crate::spec_in(dir)?;
            let options = Options {
                crate_name: String::new(),
                test_dependencies: false,
                source: file_name(&spec),
                env_prefix: DEFAULT_ENV_PREFIX.to_string(),
            };
            (spec, out.clone(), options)
        }
        _ => gen_crate::committed()?,
    };
    if let Some(name) = &args.crate_name {
        options.crate_name = gen_crate::validate_crate_name(name)?;
    }
    if options.crate_name.is_empty() {
        options.crate_name = gen_crate::crate_name_from(&text);
    }
    // Everything is generated before anything is written.
    let generated = gen_crate::generate(Path::new(&args.source), &text, &options, false)?;
    let report = change_report(&out, &generated.files)?;

    let source_md = spec.with_file_name("SOURCE.md");
    let old_spec = fs::read(&spec)?;
    let old_source_md = fs::read(&source_md).ok();
    replace(&spec, text.as_bytes())?;
    replace(
        &source_md,
        source_notes(&args.source, &spec, &text).as_bytes(),
    )?;
    let written = match write(&out, &generated.files) {
        Ok(written) => written,
        Err(e) => {
            replace(&spec, &old_spec)?;
            match &old_source_md {
                Some(bytes) => replace(&source_md, bytes)?,
                None => fs::remove_file(&source_md)?,
            }
            return Err(e);
        }
    };
    println!(
        "{} <- {}\n{}: {} operations, {} types -> {} ({written})",
        spec.display(),
        args.source,
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

/// The document's text, from a URL or a file.
pub fn fetch(source: &str) -> Result<String, Failure> {
    if !(source.starts_with("http://") || source.starts_with("https://")) {
        return gen_crate::read_spec(Path::new(source));
    }
    let fail = |e: &dyn std::fmt::Display| {
        Failure::Invalid(format!(
            "{source}: cannot download ({e}); nothing was written"
        ))
    };
    let mut response = ureq::get(source).call().map_err(|e| fail(&e))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_SPEC_BYTES)
        .read_to_string()
        .map_err(|e| fail(&e))
}

/// Replaces `path` with `bytes` by renaming a file written beside it.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut staged = tempfile::Builder::new()
        .prefix(".xtask-update-")
        .tempfile_in(dir)?;
    staged.write_all(bytes)?;
    staged.as_file().sync_all()?;
    staged
        .persist(path)
        .map_err(|e| Failure::Invalid(format!("{}: {}", path.display(), e.error)))?;
    Ok(())
}

/// `SOURCE.md`: where the spec came from, its version and checksum.
fn source_notes(source: &str, spec: &Path, text: &str) -> String {
    let version = generator::load::load(text)
        .ok()
        .and_then(|v| {
            v.pointer("/info/version")
                .and_then(|t| t.as_str())
                .map(String::from)
        })
        .unwrap_or_default();
    let sha: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let shown = if source.contains("://") {
        format!("<{source}>")
    } else {
        format!("`{source}`")
    };
    format!(
        "# Where `spec/` comes from\n\n\
         `{}` was taken in by `cargo xtask update-spec` from\n{shown}.\n\n\
         - `info.version`: `{version}`\n\
         - sha256: `{sha}`\n\n\
         `cargo xtask gen` reads this file; `cargo xtask update-spec` replaces it.\n",
        file_name(spec)
    )
}
