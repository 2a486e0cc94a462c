//! Lists the runtime modules (`runtime/*.rs`) for the generator: every
//! file there is included, so the names the runtime defines are read from
//! its sources (`src/surface/runtime.rs`) without a list anyone keeps.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dir = manifest.join("runtime");
    // A directory: cargo rebuilds when any file in it is added, removed or changed.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut table = String::from(
        "/// Every runtime module: its file name and source.\npub(crate) const SOURCES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let name = path.file_name().expect("a file").to_string_lossy();
        let _ = writeln!(
            table,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("runtime_sources.rs"), table).expect("write the runtime table");
}
