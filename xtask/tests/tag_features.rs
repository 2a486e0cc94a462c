//! One cargo feature per tag: every combination a user can pick compiles
//! clippy-clean. For the tags fixture and each shared spec (every one has
//! several tags): no tag, each tag alone, and a spread of pairs, each with
//! the default TLS backend. (The default features, all tags on, are checked
//! by `real_specs.rs` and `client_crates.rs`.)

use generator::Options;
use generator::surface::features::Features;
use std::path::PathBuf;
use xtask::{cargo, shared};

fn specs() -> Vec<PathBuf> {
    let mut specs = vec![xtask::repo_root().join("generator/tests/fixtures/tags.yaml")];
    if let Some(dir) = shared::specs_dir() {
        specs.extend(shared::yaml_files(&dir.join("gcore")));
        specs.push(dir.join("fastedge/latest.yaml"));
    }
    specs
}

/// No tag, each tag, and pairs of tags spread over the list.
fn feature_sets(features: &[String]) -> Vec<Vec<String>> {
    let tls = || vec!["rustls".to_string()];
    let mut sets = vec![tls()];
    for f in features {
        sets.push([tls(), vec![f.clone()]].concat());
    }
    let n = features.len();
    for i in (0..n).step_by(n.div_ceil(3).max(1)) {
        let pair = vec![features[i].clone(), features[(i + n / 2) % n].clone()];
        if pair[0] != pair[1] {
            sets.push([tls(), pair].concat());
        }
    }
    sets
}

#[test]
fn every_tag_feature_combination_passes_clippy() {
    let mut crates = Vec::new();
    for (i, path) in specs().iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let (api, _) =
            generator::model(&text).unwrap_or_else(|f| panic!("{}:\n{f}", path.display()));
        let features = Features::of(&api);
        assert!(
            features.enabled(),
            "{}: several tags, but no feature per tag",
            path.display()
        );
        let names: Vec<String> = features.groups.iter().map(|g| g.feature.clone()).collect();
        let name = format!("tagged-{i}");
        let options = Options {
            crate_name: name.clone(),
            test_dependencies: false,
            source: format!("{name}.yaml"),
            env_prefix: "GCORE".into(),
        };
        let generated = generator::generate(&text, &options)
            .unwrap_or_else(|f| panic!("{}:\n{f}", path.display()));
        let sets = feature_sets(&names);
        println!(
            "{}: {} tags, {} feature sets",
            path.display(),
            names.len(),
            sets.len()
        );
        crates.push(cargo::FeatureSets {
            name,
            files: generated.files,
            sets,
        });
    }
    cargo::clippy_feature_sets(&crates);
}
