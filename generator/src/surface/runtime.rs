//! The names the runtime defines, read from its sources.
//!
//! The runtime (`generator/runtime/*.rs`) is copied into every crate as
//! written, so whatever it defines is a name generated code must not take:
//! its public items (`Client`, `Request`, `Page`, ...), and the methods of
//! the types generated code adds methods to (`Client`, which gets one method
//! per operation, and the request builder `Request`, which gets a setter per
//! optional parameter). The build script lists every file of the folder, and
//! the sources are parsed once, so a runtime item or method added later is
//! reserved without anyone editing a list.

use std::collections::BTreeSet;
use std::sync::LazyLock;

include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));

/// What the runtime defines.
#[derive(Debug)]
pub(crate) struct Runtime {
    /// `pub` items of every runtime module.
    pub items: BTreeSet<String>,
    /// Methods and fields of `Client` (see [`members`]).
    pub client_members: BTreeSet<String>,
    /// Methods and fields of the request builder `Request` (see [`members`]).
    pub request_members: BTreeSet<String>,
}

/// The runtime's type operations are methods on.
const CLIENT: &str = "Client";
/// The runtime's request builder, which setters are added to.
const REQUEST: &str = "Request";

pub(crate) static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let files: Vec<syn::File> = SOURCES
        .iter()
        .map(|(name, source)| {
            // The runtime is compiled in every generated crate; a file that
            // does not parse is a bug in this repository, found by any test.
            syn::parse_file(source)
                .unwrap_or_else(|e| panic!("generator/runtime/{name} does not parse: {e}"))
        })
        .collect();
    Runtime {
        items: files.iter().flat_map(public_items).collect(),
        client_members: members(&files, CLIENT),
        request_members: members(&files, REQUEST),
    }
});

/// Names of the `pub` items of a module (re-exports included).
fn public_items(file: &syn::File) -> Vec<String> {
    let mut out = Vec::new();
    for item in &file.items {
        let (vis, ident) = match item {
            syn::Item::Const(i) => (&i.vis, &i.ident),
            syn::Item::Enum(i) => (&i.vis, &i.ident),
            syn::Item::Fn(i) => (&i.vis, &i.sig.ident),
            syn::Item::Mod(i) => (&i.vis, &i.ident),
            syn::Item::Static(i) => (&i.vis, &i.ident),
            syn::Item::Struct(i) => (&i.vis, &i.ident),
            syn::Item::Trait(i) => (&i.vis, &i.ident),
            syn::Item::Type(i) => (&i.vis, &i.ident),
            syn::Item::Union(i) => (&i.vis, &i.ident),
            syn::Item::Use(i) if matches!(i.vis, syn::Visibility::Public(_)) => {
                use_names(&i.tree, &mut out);
                continue;
            }
            _ => continue,
        };
        if matches!(vis, syn::Visibility::Public(_)) {
            out.push(ident.to_string());
        }
    }
    out
}

/// The names a `use` tree brings into scope.
fn use_names(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

/// Methods of std traits a `#[derive]` implements; an inherent method of the
/// same name would take their place in every method call.
const DERIVED_METHODS: &[(&str, &[&str])] = &[
    ("Clone", &["clone", "clone_from"]),
    ("Debug", &["fmt"]),
    ("Default", &["default"]),
    ("PartialEq", &["eq", "ne"]),
    ("PartialOrd", &["partial_cmp", "lt", "le", "gt", "ge"]),
    ("Ord", &["cmp", "max", "min", "clamp"]),
    ("Hash", &["hash", "hash_slice"]),
];

/// What a generated method added to the runtime type `name` must not be
/// called: every method of every `impl` block for it (inherent ones, which
/// would be defined twice, and trait ones, which it would shadow), the
/// methods of the traits it derives, and its fields (so the runtime can add
/// an accessor named after any of them).
fn members(files: &[syn::File], name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in files.iter().flat_map(|f| &f.items) {
        match item {
            syn::Item::Impl(block) if is_type(&block.self_ty, name) => {
                out.extend(block.items.iter().filter_map(|i| match i {
                    syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                }));
            }
            syn::Item::Struct(s) if s.ident == name => {
                out.extend(
                    s.fields
                        .iter()
                        .filter_map(|f| Some(f.ident.as_ref()?.to_string())),
                );
                for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                    // A derive that does not parse as a list of paths
                    // derives nothing this needs to know about.
                    let _ = attr.parse_nested_meta(|meta| {
                        let derived = meta.path.segments.last().map(|s| s.ident.to_string());
                        for (_, methods) in DERIVED_METHODS
                            .iter()
                            .filter(|(t, _)| derived.as_deref() == Some(t))
                        {
                            out.extend(methods.iter().map(|m| m.to_string()));
                        }
                        Ok(())
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `ty` is the type `name` (`Client`, `Request<Op>`).
fn is_type(ty: &syn::Type, name: &str) -> bool {
    match ty {
        syn::Type::Path(p) => {
            p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == name)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_module_is_read() {
        let names: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
        for module in ["client.rs", "error.rs", "request.rs", "pagination.rs"] {
            assert!(names.contains(&module), "{names:?}");
        }
    }

    #[test]
    fn public_items_and_members_come_from_the_sources() {
        let runtime = &*RUNTIME;
        for item in [
            "Client",
            "Request",
            "Error",
            "Page",
            "Nullable",
            "BinaryBody",
        ] {
            assert!(runtime.items.contains(item), "{item}: {:?}", runtime.items);
        }
        // Crate-private items are not the crate's surface.
        assert!(!runtime.items.contains("ApiSpec"));
        // Inherent methods (private ones too), derived and implemented trait
        // methods, fields.
        for member in ["new", "request", "from_env", "clone", "fmt"] {
            assert!(runtime.client_members.contains(member), "Client::{member}");
        }
        for member in [
            "send",
            "timeout",
            "into_stream",
            "into_future",
            "operation_mut",
            "client",
        ] {
            assert!(
                runtime.request_members.contains(member),
                "Request::{member}"
            );
        }
    }
}
