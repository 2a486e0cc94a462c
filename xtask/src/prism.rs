//! Prism (`@stoplight/prism-cli`), a mock server that validates each request
//! against an OpenAPI document and answers with schema-valid responses: an
//! independent judge of what the generated clients send and accept.
//!
//! The version is pinned by `xtask/prism/package.json` and its lock file;
//! [`install`] copies both into `.tools/prism/` (git-ignored) and runs
//! `npm ci` there, as `.ci/run` does. Prism 5.14.2 is the last version that
//! runs on Node 20.

use crate::repo_root;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long Prism may take to read the spec and start listening.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The folder Prism is installed in.
pub fn install_dir() -> PathBuf {
    repo_root().join(".tools").join("prism")
}

/// Installs the pinned Prism into [`install_dir`] unless it is there already
/// (from the same lock file). Returns the path of its executable, or why it
/// could not be installed (npm missing or failing).
pub fn install() -> Result<PathBuf, String> {
    let pinned = repo_root().join("xtask").join("prism");
    let dir = install_dir();
    let bin = dir.join("node_modules").join(".bin").join("prism");
    let lock = |d: &Path| std::fs::read(d.join("package-lock.json")).ok();
    if bin.exists() && lock(&dir).is_some() && lock(&dir) == lock(&pinned) {
        return Ok(bin);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(pinned.join(file), dir.join(file))
            .map_err(|e| format!("copying {file} into {}: {e}", dir.display()))?;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm ci` failed in {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!("npm ci did not install {}", bin.display()))
    }
}

/// A running Prism mock server, stopped when dropped (also when a test
/// panics).
pub struct Prism {
    child: Child,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Prism {
    /// Starts `prism mock` for `spec` on a free port of 127.0.0.1 and waits
    /// until it listens. Its random responses are reproducible (a fixed
    /// seed) and have only the properties their schemas name: generated
    /// types keep declared properties only, so an invented one would be
    /// dropped by design and hide what the round trip checks.
    pub fn start(bin: &Path, spec: &Path) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let mut child = Command::new(bin)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--seed",
                "verify",
                "--json-schema-faker-fillProperties=false",
            ])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready, started) = mpsc::channel();
        // Drain both pipes for as long as Prism runs (it logs every request),
        // keeping the lines for diagnosis.
        for pipe in [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = Arc::clone(&log);
            let ready = ready.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if line.contains("Prism is listening on") {
                        let _ = ready.send(());
                    }
                    if let Ok(mut log) = log.lock() {
                        log.push(line);
                    }
                }
            });
        }
        drop(ready);
        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        match started.recv_timeout(START_TIMEOUT) {
            Ok(()) => Ok(prism),
            Err(_) => {
                let status = prism.child.try_wait().ok().flatten();
                Err(format!(
                    "Prism did not start listening within {START_TIMEOUT:?} (exit status: {status:?}):\n{}",
                    prism.log()
                ))
            }
        }
    }

    /// Where it listens (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// What it printed so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
