//! `cargo xtask update-spec`: from a path and from a URL served on
//! 127.0.0.1; a failure leaves the spec and the crate untouched.

mod common;
use common::{text, xtask};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;
use xtask::gen_crate::{self, owned_files};

/// A spec folder holding the seed spec, and the crate generated from it.
struct Repo {
    _dir: tempfile::TempDir,
    spec_dir: PathBuf,
    out: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let spec_dir = dir.path().join("spec");
        let out = dir.path().join("generated");
        fs::create_dir_all(&spec_dir).unwrap();
        let seed = gen_crate::default_spec().unwrap();
        fs::copy(&seed, spec_dir.join("fastedge_api.yaml")).unwrap();
        fs::write(spec_dir.join("SOURCE.md"), "the seed\n").unwrap();
        let spec = spec_dir.join("fastedge_api.yaml");
        let output = xtask(&[
            "gen",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "fastedge-api",
        ]);
        assert!(output.status.success(), "{}", text(&output));
        Repo {
            _dir: dir,
            spec_dir,
            out,
        }
    }

    fn update(&self, source: &str) -> Output {
        xtask(&[
            "update-spec",
            source,
            "--spec-dir",
            self.spec_dir.to_str().unwrap(),
            "--out",
            self.out.to_str().unwrap(),
            "--crate-name",
            "fastedge-api",
        ])
    }

    /// Every file of the spec folder and the crate, with its contents.
    fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut all = Vec::new();
        for entry in fs::read_dir(&self.spec_dir).unwrap() {
            let path = entry.unwrap().path();
            all.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
        for rel in owned_files(&self.out).unwrap() {
            all.push((rel.clone(), fs::read(self.out.join(rel)).unwrap()));
        }
        all.sort();
        all
    }
}

/// Serves `body` with `status` once on 127.0.0.1, in a thread that stops by
/// itself after one request or 60 seconds.
fn serve_once(status: u16, body: Vec<u8>) -> (String, std::thread::JoinHandle<()>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let handle = std::thread::spawn(move || {
        if let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(60)) {
            let response = tiny_http::Response::from_data(body).with_status_code(status);
            let _ = request.respond(response);
        }
    });
    (format!("http://127.0.0.1:{port}/fastedge_api.yaml"), handle)
}

fn latest() -> Option<PathBuf> {
    Some(xtask::shared::specs_dir()?.join("fastedge/latest.yaml"))
}

fn assert_updated(repo: &Repo, output: &Output, new: &Path, source: &str) {
    let report = text(output);
    assert!(output.status.success(), "{report}");
    assert_eq!(
        fs::read(repo.spec_dir.join("fastedge_api.yaml")).unwrap(),
        fs::read(new).unwrap()
    );
    let notes = fs::read_to_string(repo.spec_dir.join("SOURCE.md")).unwrap();
    assert!(notes.contains(source), "{notes}");
    assert!(notes.contains("`info.version`: `17ef73d851b1`"), "{notes}");
    assert!(notes.contains("sha256: `"), "{notes}");
    // In `operations.rs`, or the module of its tag.
    let apps = repo.out.join("src/operations/apps.rs");
    let operations = fs::read_to_string(if apps.exists() {
        apps
    } else {
        repo.out.join("src/operations.rs")
    })
    .unwrap();
    assert!(operations.contains("pub fn list_apps("));
    // The report against the crate that was there.
    assert!(
        report.contains("API changes since the previous generation"),
        "{report}"
    );
    assert!(
        report.contains("`Client::list_apps`: added (`GET /fastedge/v1/apps`)"),
        "{report}"
    );
    // The seed's one operation has one tag; the full API's several give a
    // feature per tag, so a build without the default features loses
    // operations: breaking.
    assert!(
        report.contains("`Client::list_apps`: added (`GET /fastedge/v1/apps`)")
            && report.contains("(feature `apps`)"),
        "{report}"
    );
    assert!(
        report.contains("`Client::patch_secret`: now feature `secrets` (was always compiled)"),
        "{report}"
    );
    assert!(report.contains("Semver: major"), "{report}");
    // What was written is what `gen --check` expects.
    let check = xtask(&[
        "gen",
        "--check",
        "--spec",
        repo.spec_dir.join("fastedge_api.yaml").to_str().unwrap(),
        "--out",
        repo.out.to_str().unwrap(),
        "--crate-name",
        "fastedge-api",
    ]);
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn update_from_a_path() {
    let Some(latest) = latest() else {
        return;
    };
    let repo = Repo::new();
    let source = latest.to_str().unwrap();
    let output = repo.update(source);
    assert_updated(&repo, &output, &latest, source);
}

#[test]
fn update_from_a_url() {
    let Some(latest) = latest() else {
        return;
    };
    let repo = Repo::new();
    let (url, server) = serve_once(200, fs::read(&latest).unwrap());
    let output = repo.update(&url);
    server.join().unwrap();
    assert_updated(&repo, &output, &latest, &url);
}

#[test]
fn a_document_that_does_not_generate_changes_nothing() {
    let repo = Repo::new();
    let before = repo.snapshot();
    let bad = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}}}\n".to_vec();
    let (url, server) = serve_once(200, bad);
    let output = repo.update(&url);
    server.join().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("points to no schema"),
        "{}",
        text(&output)
    );
    assert!(
        text(&output).contains("nothing was written"),
        "{}",
        text(&output)
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn a_failed_download_changes_nothing() {
    let repo = Repo::new();
    let before = repo.snapshot();
    let (url, server) = serve_once(404, b"no such spec".to_vec());
    let output = repo.update(&url);
    server.join().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("cannot download"),
        "{}",
        text(&output)
    );
    assert_eq!(repo.snapshot(), before);

    let missing = repo.spec_dir.join("nope.yaml");
    let output = repo.update(missing.to_str().unwrap());
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(repo.snapshot(), before);
}
