//! Name hygiene, checked on the emitted code: every name that `types.rs`
//! and `operations.rs` use unqualified (imported, from the prelude, or in a
//! path serde resolves) is one the hygiene owner
//! (`generator::surface::names`) reserves, and no generated item, client
//! method or setter takes a reserved name. So a spec can name its schemas,
//! operations and parameters anything: nothing it names shadows what the
//! generated code refers to.

use generator::surface::names::{self, Module};
use std::collections::BTreeSet;
use syn::visit::{self, Visit};

/// Every fixture that generates, from the repository root.
const SPECS: &[&str] = &[
    "generator/tests/fixtures/names.yaml",
    "generator/tests/fixtures/fidelity.yaml",
    "generator/tests/fixtures/views.yaml",
    "generator/tests/fixtures/pydantic.yaml",
    "generator/tests/fixtures/diff_base.yaml",
    "generator/tests/fixtures/tags.yaml",
    "xtask/tests/fixture/openapi.yaml",
    "spec/fastedge_api.yaml",
];

/// Primitive types: names of the language, never of an item.
const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
    "u128", "usize", "f32", "f64",
];

/// Path keywords.
const PATH_KEYWORDS: &[&str] = &["crate", "self", "Self", "super"];

/// What a module's code names and binds.
#[derive(Default)]
struct Names {
    /// First segments of paths (`Option` in `Option<T>`, `types` in
    /// `types::Pet`, `Option` in serde's `"Option::is_none"`).
    used: BTreeSet<String>,
    /// Local variables and generic parameters.
    bound: BTreeSet<String>,
    /// Methods of `impl Client` blocks (one per operation).
    client_methods: BTreeSet<String>,
    /// Methods of `impl Request<..>` blocks (setters).
    setters: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Names {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first() {
                self.used.insert(first.ident.to_string());
            }
        }
        visit::visit_path(self, path);
    }

    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        // `None` in a pattern is a path, `value` a binding.
        let name = pat.ident.to_string();
        if name.starts_with(|c: char| c.is_lowercase() || c == '_') {
            self.bound.insert(name);
        } else {
            self.used.insert(name);
        }
        visit::visit_pat_ident(self, pat);
    }

    fn visit_type_param(&mut self, param: &'ast syn::TypeParam) {
        self.bound.insert(param.ident.to_string());
        visit::visit_type_param(self, param);
    }

    // Macro names live in their own namespace, and their arguments are
    // tokens.
    fn visit_macro(&mut self, _: &'ast syn::Macro) {}

    // Attribute names are not items; serde's take paths in strings.
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if !attr.path().is_ident("serde") {
            return;
        }
        attr.parse_nested_meta(|meta| {
            if meta.input.peek(syn::Token![=]) {
                let value: syn::LitStr = meta.value()?.parse()?;
                let takes_path = [
                    "default",
                    "skip_serializing_if",
                    "with",
                    "serialize_with",
                    "deserialize_with",
                ]
                .iter()
                .any(|k| meta.path.is_ident(k));
                if takes_path {
                    let path: syn::Path = value.parse()?;
                    self.visit_path(&path);
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("a serde attribute that does not parse: {e}"));
    }

    fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
        let methods = block.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        });
        if block.trait_.is_none() {
            if let syn::Type::Path(p) = &*block.self_ty {
                match p
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .as_deref()
                {
                    Some("Client") => self.client_methods.extend(methods),
                    Some("Request") => self.setters.extend(methods),
                    _ => {}
                }
            }
        }
        visit::visit_item_impl(self, block);
    }
}

/// Items a module defines and names it imports. A `pub use` of all of one
/// of its own submodules (a tag's operations) re-exports what the
/// generator named there, checked with that module (and for names defined
/// twice in the crate's operations modules).
fn items(file: &syn::File) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut defined = BTreeSet::new();
    let mut imported = BTreeSet::new();
    let submodules: BTreeSet<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            if let syn::UseTree::Path(p) = &u.tree {
                if submodules.contains(&p.ident.to_string())
                    && matches!(*p.tree, syn::UseTree::Glob(_))
                {
                    continue;
                }
            }
        }
        let ident = match item {
            syn::Item::Struct(i) => &i.ident,
            syn::Item::Enum(i) => &i.ident,
            syn::Item::Type(i) => &i.ident,
            syn::Item::Fn(i) => &i.sig.ident,
            syn::Item::Const(i) => &i.ident,
            syn::Item::Trait(i) => &i.ident,
            syn::Item::Mod(i) => &i.ident,
            syn::Item::Use(u) => {
                use_names(&u.tree, &mut imported);
                continue;
            }
            _ => continue,
        };
        defined.insert(ident.to_string());
    }
    (defined, imported)
}

fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
        syn::UseTree::Glob(_) => panic!("generated code imports with a glob"),
    }
}

/// The crates a generated crate depends on (`[dependencies]`), and std's.
fn extern_crates(cargo_toml: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ["std", "core", "alloc"].map(String::from).into();
    let mut in_dependencies = false;
    for line in cargo_toml.lines() {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
        } else if in_dependencies {
            if let Some((name, _)) = line.split_once('=') {
                out.insert(name.trim().replace('-', "_"));
            }
        }
    }
    out
}

fn file(files: &[generator::File], path: &str) -> syn::File {
    let text = &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents;
    syn::parse_file(text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

fn check(spec: &str, problems: &mut Vec<String>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(spec)).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let options = generator::Options {
        crate_name: "hygiene".into(),
        test_dependencies: false,
        source: "spec.yaml".into(),
        env_prefix: "GCORE".into(),
    };
    let files = generator::generate(&text, &options)
        .unwrap_or_else(|f| panic!("{spec} does not generate:\n{f}"))
        .files;
    let cargo_toml = &files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap()
        .contents;
    let crates = extern_crates(cargo_toml);
    let mut problem = |message: String| problems.push(format!("{spec}: {message}"));
    // `operations.rs`, and the module of each tag (features per tag).
    let mut modules = vec![
        ("src/types.rs".to_string(), Module::Types),
        ("src/operations.rs".to_string(), Module::Operations),
    ];
    modules.extend(
        files
            .iter()
            .filter(|f| f.path.starts_with("src/operations/"))
            .map(|f| (f.path.clone(), Module::Operations)),
    );
    // Where each name of an operations module is defined: the tag modules
    // are re-exported whole into `operations`, so a name defined twice
    // would be ambiguous there.
    let mut defined_in: std::collections::BTreeMap<String, String> = Default::default();
    for (path, module) in &modules {
        let (path, module) = (path.as_str(), *module);
        let reserved: BTreeSet<&str> = names::reserved(module).iter().copied().collect();
        let code = file(&files, path);
        let (defined, imported) = items(&code);
        if module == Module::Operations {
            for name in &defined {
                if let Some(first) = defined_in.insert(name.clone(), path.to_string()) {
                    problem(format!("{path} and {first} both define `{name}`"));
                }
            }
        }
        let mut names = Names::default();
        names.visit_file(&code);
        for name in &imported {
            if !reserved.contains(name.as_str()) {
                problem(format!(
                    "{path} imports `{name}`, which generated names are not kept from"
                ));
            }
        }
        for name in &defined {
            if reserved.contains(name.as_str()) {
                problem(format!("{path} defines `{name}`, a reserved name"));
            }
        }
        for name in &names.used {
            let known = defined.contains(name)
                || names.bound.contains(name)
                || reserved.contains(name.as_str())
                || crates.contains(name)
                || PRIMITIVES.contains(&name.as_str())
                || PATH_KEYWORDS.contains(&name.as_str());
            if !known {
                problem(format!(
                    "{path} uses `{name}` unqualified, which generated names are not kept from"
                ));
            }
        }
        for (methods, members, what) in [
            (&names.client_methods, names::client_members(), "Client"),
            (&names.setters, names::request_members(), "Request"),
        ] {
            for method in methods {
                let bare = method.strip_prefix("r#").unwrap_or(method);
                if members.contains(&bare) {
                    problem(format!(
                        "{path} adds `{method}` to `{what}`, which has it already"
                    ));
                }
            }
        }
    }
    // The crate root re-exports runtime items beside `types` and
    // `operations`: none of their items may take one of these names.
    let (_, exported) = items(&file(&files, "src/lib.rs"));
    for name in exported.iter().filter(|n| !crates.contains(*n)) {
        for module in [Module::Types, Module::Operations] {
            if !names::reserved(module).contains(&name.as_str()) {
                problem(format!(
                    "src/lib.rs exports `{name}`, not reserved in {module:?}"
                ));
            }
        }
    }
}

#[test]
fn generated_code_uses_only_reserved_names_and_defines_none() {
    let mut problems = Vec::new();
    for spec in SPECS {
        check(spec, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
