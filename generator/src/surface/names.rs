//! Name hygiene: which names the generated code uses, and so which names a
//! generated item must never take.
//!
//! This module is the one owner of both sides. The `use` lines of
//! `types.rs` and `operations.rs` are written from [`IMPORTS`]; what the
//! runtime defines is read from its sources ([`super::runtime`]); the rest
//! is the std prelude and the std and serde items the generated code names.
//! [`reserved`], [`client_members`] and [`request_members`] are their
//! unions, and naming (`crate::naming::unique`, called by the model) never
//! hands one out. `generator/tests/hygiene.rs` walks the emitted code of the
//! fixtures and fails on any name used unqualified that is not reserved.

use super::runtime::RUNTIME;
use crate::ir::{Api, Operation, ParamLocation, TypeId};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A generated module that holds items named from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// `src/types.rs`: one type per schema.
    Types,
    /// `src/operations.rs`: per operation a struct, its error enum and its
    /// output enum.
    Operations,
}

/// The Rust 2024 prelude (`std::prelude::rust_2024`), which every module
/// sees unqualified: its types, traits, functions and derive macros.
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "align_of",
    "align_of_val",
    "drop",
    "size_of",
    "size_of_val",
];

/// Items of std and the crate's dependencies that generated code names by
/// path (`serde_json::Value`, `std::fmt::Formatter`, ...), or that readers
/// know by these names: a type is never named like one, so reading the
/// generated code is never ambiguous.
const KNOWN_ELSEWHERE: &[&str] = &[
    "BTreeMap",
    "Bytes",
    "Cow",
    "DateTime",
    "Deserializer",
    "Display",
    "Formatter",
    "FromStr",
    "Infallible",
    "Map",
    "NaiveDate",
    "Serializer",
    "Utc",
    "Uuid",
    "Value",
];

/// Type names that would equal a constructor the generator gives the type
/// (a struct's `new`): clippy refuses `New::new` (`self_named_constructors`).
const NAMED_LIKE_CONSTRUCTORS: &[&str] = &["New"];

/// When an import is needed: a fact about the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Always,
    /// The API has a struct, enum, union or newtype (an alias derives
    /// nothing).
    SerdeType,
    /// A struct field is optional and nullable ([`crate::ir::Field`]).
    OptionalNullable,
    QueryParam,
    PathParam,
    Download,
    Pagination,
    BinaryBody,
    /// An operation refers to a generated type.
    NamedType,
}

/// One item a generated module imports.
struct Import {
    module: Module,
    /// Path of the module it is imported from (`crate::request`).
    from: &'static str,
    name: &'static str,
    when: When,
}

const fn import(module: Module, from: &'static str, name: &'static str, when: When) -> Import {
    Import {
        module,
        from,
        name,
        when,
    }
}

/// Everything generated modules import, in the order of their `use` lines.
const IMPORTS: &[Import] = &[
    import(Module::Types, "serde", "Deserialize", When::SerdeType),
    import(Module::Types, "serde", "Serialize", When::SerdeType),
    import(Module::Types, "crate", "Nullable", When::OptionalNullable),
    import(Module::Operations, "crate", "Client", When::Always),
    import(
        Module::Operations,
        "crate::error",
        "BuildError",
        When::Always,
    ),
    import(Module::Operations, "crate::error", "Error", When::Always),
    import(
        Module::Operations,
        "crate::request",
        "Operation",
        When::Always,
    ),
    import(
        Module::Operations,
        "crate::request",
        "RawResponse",
        When::Always,
    ),
    import(
        Module::Operations,
        "crate::request",
        "Request",
        When::Always,
    ),
    import(
        Module::Operations,
        "crate::request",
        "RequestParts",
        When::Always,
    ),
    import(
        Module::Operations,
        "crate::request",
        "QueryStyle",
        When::QueryParam,
    ),
    import(
        Module::Operations,
        "crate::request",
        "path_segment",
        When::PathParam,
    ),
    import(
        Module::Operations,
        "crate::download",
        "Download",
        When::Download,
    ),
    import(
        Module::Operations,
        "crate::pagination",
        "Page",
        When::Pagination,
    ),
    import(
        Module::Operations,
        "crate::pagination",
        "Paginated",
        When::Pagination,
    ),
    import(
        Module::Operations,
        "crate::upload",
        "BinaryBody",
        When::BinaryBody,
    ),
    import(Module::Operations, "crate", "types", When::NamedType),
    import(Module::Operations, "reqwest", "Method", When::Always),
];

/// One `use` line: names imported from one module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// `crate::request`.
    pub from: &'static str,
    pub names: Vec<&'static str>,
}

/// The `use` lines of an operations module holding `operations`.
pub fn operation_imports(operations: &[&Operation]) -> Vec<Use> {
    let mut lines: Vec<Use> = Vec::new();
    if operations.is_empty() {
        return lines;
    }
    for i in IMPORTS.iter().filter(|i| {
        i.module == Module::Operations && operations.iter().any(|op| operation_needs(op, i.when))
    }) {
        match lines.last_mut() {
            Some(line) if line.from == i.from => line.names.push(i.name),
            _ => lines.push(Use {
                from: i.from,
                names: vec![i.name],
            }),
        }
    }
    lines
}

/// Whether the module of the operation `op` needs an import.
fn operation_needs(op: &Operation, when: When) -> bool {
    let any_param = |location: ParamLocation| op.params.iter().any(|p| p.location == location);
    match when {
        When::Always => true,
        When::QueryParam => any_param(ParamLocation::Query),
        When::PathParam => any_param(ParamLocation::Path),
        When::Download => super::is_download(op),
        When::Pagination => op.pagination.is_some(),
        When::BinaryBody => matches!(
            op.body,
            Some(crate::ir::Body {
                kind: crate::ir::BodyKind::Binary,
                ..
            })
        ),
        When::NamedType => op.refs().iter().any(|t| t.named().is_some()),
        When::SerdeType | When::OptionalNullable => {
            unreachable!("not an import of an operations module")
        }
    }
}

/// The `use` lines of the types module, each with the condition under which
/// a type that needs it is compiled: `gate` gives it for a set of types
/// (the features any of which compiles one; `None`: always compiled).
pub fn type_imports(
    api: &Api,
    gate: impl Fn(Vec<TypeId>) -> Option<Vec<String>>,
) -> Vec<(Use, Option<Vec<String>>)> {
    let graph = super::graph::TypeGraph::new(api);
    let mut lines: Vec<(Use, Option<Vec<String>>)> = Vec::new();
    for i in IMPORTS.iter().filter(|i| i.module == Module::Types) {
        let users: Vec<TypeId> = (0..api.types.len())
            .map(TypeId)
            .filter(|id| type_needs(api, &graph, *id, i.when))
            .collect();
        if users.is_empty() {
            continue;
        }
        let gate = gate(users);
        match lines.last_mut() {
            Some((line, g)) if line.from == i.from && *g == gate => line.names.push(i.name),
            _ => lines.push((
                Use {
                    from: i.from,
                    names: vec![i.name],
                },
                gate,
            )),
        }
    }
    lines
}

/// Whether the type `id` needs an import of the types module.
fn type_needs(api: &Api, graph: &super::graph::TypeGraph, id: TypeId, when: When) -> bool {
    let def = api.ty(id);
    match when {
        When::SerdeType => {
            !matches!(def.kind, crate::ir::TypeKind::Alias(_)) || graph.is_newtype(id)
        }
        When::OptionalNullable => super::uses_nullable(def),
        _ => unreachable!("not an import of the types module"),
    }
}

/// Reserved names, as `naming::unique` takes them.
struct Sets {
    types: Vec<&'static str>,
    operations: Vec<&'static str>,
    client: Vec<&'static str>,
    request: Vec<&'static str>,
}

static SETS: LazyLock<Sets> = LazyLock::new(|| {
    let runtime = &*RUNTIME;
    let module = |module: Module| -> Vec<&'static str> {
        let mut set: BTreeSet<&'static str> = PRELUDE.iter().copied().collect();
        set.extend(KNOWN_ELSEWHERE);
        set.extend(runtime.items.iter().map(String::as_str));
        set.extend(
            IMPORTS
                .iter()
                .filter(|i| i.module == module)
                .map(|i| i.name),
        );
        set.into_iter().collect()
    };
    Sets {
        types: {
            let mut types = module(Module::Types);
            types.extend(NAMED_LIKE_CONSTRUCTORS);
            types.sort_unstable();
            types
        },
        operations: module(Module::Operations),
        client: runtime.client_members.iter().map(String::as_str).collect(),
        request: runtime.request_members.iter().map(String::as_str).collect(),
    }
});

/// Names no item generated in `module` may take: the prelude, what the
/// module imports, every public runtime item (re-exported at the crate root
/// beside `types` and `operations`), and [`KNOWN_ELSEWHERE`].
pub fn reserved(module: Module) -> &'static [&'static str] {
    match module {
        Module::Types => &SETS.types,
        Module::Operations => &SETS.operations,
    }
}

/// Names an operation's `Client` method may not take: the methods and
/// fields of the runtime's `Client`.
pub fn client_members() -> &'static [&'static str] {
    &SETS.client
}

/// Names a parameter's setter on the request builder may not take: the
/// methods and fields of the runtime's `Request`.
pub fn request_members() -> &'static [&'static str] {
    &SETS.request
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a module imports from the runtime exists there.
    #[test]
    fn runtime_imports_name_runtime_items() {
        for i in IMPORTS.iter().filter(|i| i.from.starts_with("crate")) {
            if i.name == "types" {
                continue;
            }
            assert!(RUNTIME.items.contains(i.name), "{}::{}", i.from, i.name);
        }
    }

    #[test]
    fn reserved_sets_hold_prelude_imports_and_runtime_items() {
        for name in ["Option", "Serialize", "Page", "Client", "Value"] {
            assert!(reserved(Module::Types).contains(&name), "{name}");
        }
        for name in [
            "BuildError",
            "Page",
            "Download",
            "QueryStyle",
            "Clone",
            "Method",
        ] {
            assert!(reserved(Module::Operations).contains(&name), "{name}");
        }
        assert!(!reserved(Module::Types).contains(&"Method"));
        assert!(client_members().contains(&"request"));
        assert!(request_members().contains(&"send"));
    }
}
