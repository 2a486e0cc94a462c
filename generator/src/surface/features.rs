//! Cargo features per tag. In an API whose operations carry two first tags
//! or more, each operation is in a module of `operations` named after its
//! first tag (`operations::cdn_resources`) and is compiled with the feature
//! of the same name (`cdn-resources`); a type is compiled when an operation
//! of an enabled feature can reach it. All are on by default: a user who
//! calls a few areas of a large API turns the others off and does not build
//! them. Operations without a tag, and types no operation reaches, are
//! always compiled.

use crate::ir::{Api, TypeId};
use crate::naming::{self, Case, unraw};
use std::collections::BTreeSet;

/// The feature that enables every tag's (on by default, with `rustls`), so
/// that a build choosing another TLS backend keeps every operation with
/// `features = ["native-tls", "all-tags"]`.
pub const ALL_TAGS: &str = "all-tags";

/// The features of the crate generated from an API: none when its
/// operations have fewer than two first tags.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// In module name order.
    pub groups: Vec<Group>,
    /// Per operation (by index), its group.
    of_operation: Vec<Option<usize>>,
    /// Per type (by id), the groups whose operations reach it; `None` when
    /// it is always compiled.
    of_type: Vec<Option<BTreeSet<usize>>>,
}

/// The operations of one first tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The tag as the spec writes it (`CDN resources`).
    pub tag: String,
    /// Module in `operations` (`cdn_resources`).
    pub module: String,
    /// Cargo feature (`cdn-resources`).
    pub feature: String,
}

impl Group {
    /// The file of the tag's module (`src/operations/cdn_resources.rs`).
    pub fn file(&self) -> String {
        format!("src/operations/{}.rs", unraw(&self.module))
    }
}

/// The crate's fixed features, read from its `Cargo.toml` template: a tag's
/// feature may not take one.
const CARGO_TEMPLATE: &str = include_str!("../../../templates/Cargo.toml.j2");

fn fixed_features() -> Vec<String> {
    let mut names = vec!["default".to_string(), ALL_TAGS.to_string()];
    let section = CARGO_TEMPLATE
        .split_once("\n[features]\n")
        .map_or("", |(_, rest)| rest);
    for line in section.lines() {
        if line.starts_with('[') || line.starts_with("{%") {
            break;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((name, _)) = line.split_once(" = ") {
            names.push(name.trim().to_string());
        }
    }
    names
}

impl Features {
    /// No features: everything is always compiled.
    pub fn none(api: &Api) -> Features {
        Features {
            groups: Vec::new(),
            of_operation: vec![None; api.operations.len()],
            of_type: vec![None; api.types.len()],
        }
    }

    pub fn of(api: &Api) -> Features {
        let tags: BTreeSet<&str> = api
            .operations
            .iter()
            .filter_map(|o| o.tag.as_deref())
            .collect();
        if tags.len() < 2 {
            return Features::none(api);
        }
        let tags: Vec<&str> = tags.into_iter().collect();
        // Modules may not take a name the operations module imports, nor
        // one whose feature is a fixed feature.
        let mut reserved: Vec<String> = fixed_features()
            .iter()
            .map(|f| f.replace('-', "_"))
            .collect();
        reserved.extend(
            crate::surface::names::reserved(crate::surface::names::Module::Operations)
                .iter()
                .map(|s| s.to_string()),
        );
        let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
        let modules = naming::unique(&tags, Case::Snake, &reserved, "tag");
        let mut groups: Vec<Group> = tags
            .iter()
            .zip(modules)
            .map(|(tag, module)| Group {
                tag: tag.to_string(),
                feature: unraw(&module).replace('_', "-"),
                module,
            })
            .collect();
        groups.sort_by(|a, b| a.module.cmp(&b.module));
        let of_operation: Vec<Option<usize>> = api
            .operations
            .iter()
            .map(|o| {
                let tag = o.tag.as_deref()?;
                groups.iter().position(|g| g.tag == tag)
            })
            .collect();

        // What each group's operations reach; what is always compiled:
        // what untagged operations reach, and the types no operation
        // reaches with what they contain.
        let roots = |group: Option<usize>| {
            api.operations
                .iter()
                .zip(&of_operation)
                .filter(move |(_, g)| **g == group)
                .flat_map(|(o, _)| o.refs().into_iter().filter_map(|r| r.named()))
        };
        let reach: Vec<Vec<bool>> = (0..groups.len())
            .map(|g| api.reachable_from(roots(Some(g))))
            .collect();
        let by_operations =
            api.reachable_from(roots(None).chain((0..groups.len()).flat_map(|g| roots(Some(g)))));
        let always = api.reachable_from(
            roots(None).chain(
                (0..api.types.len())
                    .filter(|i| !by_operations[*i])
                    .map(TypeId),
            ),
        );
        let of_type = (0..api.types.len())
            .map(|t| (!always[t]).then(|| (0..groups.len()).filter(|g| reach[*g][t]).collect()))
            .collect();
        Features {
            groups,
            of_operation,
            of_type,
        }
    }

    /// Whether the crate has features per tag.
    pub fn enabled(&self) -> bool {
        !self.groups.is_empty()
    }

    /// The group of the operation at `index` in `api.operations`.
    pub fn operation(&self, index: usize) -> Option<&Group> {
        self.group_index(index).map(|g| &self.groups[g])
    }

    /// The index in `groups` of the operation at `index`'s group.
    pub fn group_index(&self, index: usize) -> Option<usize> {
        self.of_operation[index]
    }

    /// The features any of which compiles these types (`None`: always
    /// compiled, as one of them is).
    pub fn of_types(&self, ids: impl IntoIterator<Item = TypeId>) -> Option<Vec<&str>> {
        let mut groups: BTreeSet<usize> = BTreeSet::new();
        for id in ids {
            groups.extend(self.of_type[id.0].as_ref()?);
        }
        Some(
            groups
                .into_iter()
                .map(|g| self.groups[g].feature.as_str())
                .collect(),
        )
    }
}
