//! The API change report: what changed between two versions of an API, as a
//! user of the generated crate sees it, and the semver bump that implies.
//!
//! Both sides are reduced to a [`Surface`] (client methods with their
//! arguments and results, types with their fields and variants, spelled as
//! Rust) and compared by Rust name. Each [`Change`] is classified by what it
//! does to code written against the old crate:
//!
//! - **breaking** (major): something a user names is removed or renamed; the
//!   Rust type of a field, argument or result changes (including a field or
//!   parameter becoming required or optional, or nullable); a method gains a
//!   required argument; a type users build (one that is sent) gains a
//!   required field, or any field when it has no `Default` to fill the rest
//!   with; a schema's readOnly/writeOnly views split or merge, which renames
//!   what requests take.
//! - **additive** (minor): a new operation, type or optional parameter; a new
//!   field in a type users only receive, or an optional one in a type with
//!   `Default`; auto-paging gained; something newly deprecated; an enum gains
//!   a variant (enum values, documented error and success responses, union
//!   alternatives: the generated enums are `#[non_exhaustive]`, so a `match`
//!   over them already has a `_` arm, see [`ENUMS_ARE_EXHAUSTIVE`]).
//! - **compatible** (patch): documentation, wire names, endpoints, the
//!   security scheme and the base URL: code compiles and works unchanged.
//!
//! [`Kind::class`] is the one table of these classes. Operations are compared
//! in `operations`, types in `types`.
//!
//! Comparison is pure and its output ordered (operations, then types, by
//! name), so a report is as deterministic as the crate.

mod operations;
mod surface;
mod types;

pub use surface::{
    AuthSurface, BodySurface, FORMAT, FieldSurface, KindSurface, OperationSurface, ParamSurface,
    ResponseSurface, SURFACE_FILE, Surface, TypeSurface, ValueSurface, VariantSurface,
};

use crate::ir::Api;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

pub use crate::surface::ENUMS_ARE_EXHAUSTIVE;

/// What a change does to code written against the old crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Breaking,
    Additive,
    Compatible,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::Compatible => "compatible",
        }
    }
}

/// The semver bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What kind of item a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The crate as a whole: its docs, base URL, authentication.
    Api,
    /// A `Client` method and its operation struct.
    Operation,
    /// A type in `types`.
    Type,
}

/// The kind of a change, for tools (`--format json`) and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    BaseUrl,
    Auth,
    Docs,
    Deprecated,
    Undeprecated,
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    Endpoint,
    ParameterAdded,
    ParameterRemoved,
    ParameterRequired,
    ParameterOptional,
    ParameterType,
    ParameterWire,
    BodyAdded,
    BodyRemoved,
    BodyRequired,
    BodyOptional,
    BodyType,
    BodyContentType,
    OutputType,
    ResponseAdded,
    ResponseRemoved,
    ResponseType,
    ResponseStatus,
    ErrorAdded,
    ErrorRemoved,
    ErrorType,
    ErrorStatus,
    PagingAdded,
    PagingRemoved,
    PagingType,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKind,
    ViewSplit,
    ViewMerged,
    DefaultAdded,
    DefaultRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRequired,
    FieldOptional,
    FieldNullable,
    FieldType,
    FieldWire,
    AdditionalAdded,
    AdditionalRemoved,
    AdditionalType,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
    EnumRepr,
    UnionVariantAdded,
    UnionVariantRemoved,
    UnionVariantType,
    UnionTag,
    AliasType,
    /// The cargo feature (features per tag) that compiles an operation or
    /// type changed.
    Feature,
}

impl Kind {
    /// The class of each kind of change: the one table. `breaks` matters only
    /// for the kinds whose class depends on the case (an addition that
    /// breaks code users wrote when it is required, or the type is built by
    /// users); the comparison that finds the change says whether it does.
    pub fn class(self, breaks: bool) -> Class {
        use Kind::*;
        match self {
            // Something users name is removed, renamed or changes its Rust type.
            OperationRemoved | OperationRenamed | ParameterRemoved | ParameterRequired
            | ParameterOptional | ParameterType | BodyRemoved | BodyRequired | BodyOptional
            | BodyType | OutputType | ResponseRemoved | ResponseType | ErrorRemoved | ErrorType
            | PagingRemoved | PagingType | TypeRemoved | TypeRenamed | TypeKind | ViewSplit
            | ViewMerged | FieldRemoved | FieldRequired | FieldOptional | FieldNullable
            | FieldType | AdditionalRemoved | AdditionalType | EnumValueRemoved
            | EnumVariantRenamed | EnumRepr | UnionVariantRemoved | UnionVariantType
            | AliasType => Class::Breaking,
            // Something new that no existing code names.
            OperationAdded | TypeAdded | PagingAdded | DefaultAdded | Deprecated => Class::Additive,
            // A new variant of a generated enum.
            ResponseAdded | ErrorAdded | EnumValueAdded | UnionVariantAdded => {
                if ENUMS_ARE_EXHAUSTIVE {
                    Class::Breaking
                } else {
                    Class::Additive
                }
            }
            // Additions that break code users wrote in some cases; an item
            // that a build with the old features no longer compiles breaks.
            ParameterAdded | BodyAdded | DefaultRemoved | AdditionalAdded | FieldAdded
            | Feature => {
                if breaks {
                    Class::Breaking
                } else {
                    Class::Additive
                }
            }
            // Code compiles and works unchanged.
            BaseUrl | Auth | Docs | Undeprecated | Endpoint | ParameterWire | BodyContentType
            | ResponseStatus | ErrorStatus | FieldWire | UnionTag => Class::Compatible,
        }
    }
}

/// One difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub kind: Kind,
    pub scope: Scope,
    /// The method or type name (empty for [`Scope::Api`]).
    pub name: String,
    /// The field, parameter, variant or value the change is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What changed, in a sentence.
    pub message: String,
}

/// The changes between two surfaces, in report order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub bump: Bump,
    pub breaking: usize,
    pub additive: usize,
    pub compatible: usize,
    pub changes: Vec<Change>,
}

/// Compares two APIs (see the module docs for the classification).
pub fn diff(old: &Api, new: &Api) -> Report {
    compare(&Surface::of(old), &Surface::of(new))
}

/// Compares two surfaces (see the module docs for the classification).
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let mut out = Changes::default();
    api(old, new, &mut out);
    operations::operations(old, new, &mut out);
    types::types(old, new, &mut out);
    Report::new(out.0)
}

impl Report {
    fn new(changes: Vec<Change>) -> Report {
        let count = |c: Class| changes.iter().filter(|x| x.class == c).count();
        let (breaking, additive, compatible) = (
            count(Class::Breaking),
            count(Class::Additive),
            count(Class::Compatible),
        );
        let bump = if breaking > 0 {
            Bump::Major
        } else if additive > 0 {
            Bump::Minor
        } else if compatible > 0 {
            Bump::Patch
        } else {
            Bump::None
        };
        Report {
            bump,
            breaking,
            additive,
            compatible,
            changes,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The report for people: changes grouped by class (documentation
    /// changes summarised in one line per scope), ending with the bump.
    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.changes.is_empty() {
            out.push_str("No changes to the public API.\n");
        } else {
            let _ = writeln!(
                out,
                "{} breaking, {} additive, {} compatible change(s):",
                self.breaking, self.additive, self.compatible
            );
        }
        for class in [Class::Breaking, Class::Additive, Class::Compatible] {
            let in_class: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if in_class.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}:", capitalised(class.label()));
            let listed = |c: &&&Change| c.kind != Kind::Docs || c.scope == Scope::Api;
            for c in in_class.iter().filter(listed) {
                let _ = writeln!(out, "  - {}: {}", subject(c), c.message);
            }
            for scope in [Scope::Operation, Scope::Type] {
                let names: BTreeSet<&str> = in_class
                    .iter()
                    .filter(|c| c.kind == Kind::Docs && c.scope == scope)
                    .map(|c| c.name.as_str())
                    .collect();
                if names.is_empty() {
                    continue;
                }
                let what = if scope == Scope::Operation {
                    "operation"
                } else {
                    "type"
                };
                let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                let _ = writeln!(
                    out,
                    "  - documentation changed ({} {what}{}): {}",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    listed.join(", ")
                );
            }
        }
        let reason = match self.bump {
            Bump::Major => " (breaking changes; for a 0.x crate, the minor version)",
            Bump::Minor => " (additions only; for a 0.x crate, the patch version)",
            Bump::Patch => " (nothing added or broken)",
            Bump::None => "",
        };
        let _ = writeln!(out, "\nSemver: {}{reason}", self.bump.label());
        out
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn subject(c: &Change) -> String {
    match c.scope {
        Scope::Api => "crate".to_string(),
        Scope::Operation => format!("`Client::{}`", c.name),
        Scope::Type => format!("type `{}`", c.name),
    }
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    /// A change of a kind whose class does not depend on the case.
    fn push(
        &mut self,
        kind: Kind,
        scope: Scope,
        name: &str,
        member: Option<&str>,
        message: String,
    ) {
        self.case(kind, false, scope, name, member, message);
    }

    /// A change; `breaks` as [`Kind::class`] takes it.
    fn case(
        &mut self,
        kind: Kind,
        breaks: bool,
        scope: Scope,
        name: &str,
        member: Option<&str>,
        message: String,
    ) {
        self.0.push(Change {
            class: kind.class(breaks),
            kind,
            scope,
            name: name.to_string(),
            member: member.map(String::from),
            message,
        });
    }

    /// The changes to one operation or type.
    fn item<'a>(&'a mut self, scope: Scope, name: &'a str) -> Item<'a> {
        Item {
            out: self,
            scope,
            name,
        }
    }
}

/// Where the changes to one operation or type go.
struct Item<'a> {
    out: &'a mut Changes,
    scope: Scope,
    name: &'a str,
}

impl Item<'_> {
    fn push(&mut self, kind: Kind, member: Option<&str>, message: String) {
        self.case(kind, false, member, message);
    }

    fn case(&mut self, kind: Kind, breaks: bool, member: Option<&str>, message: String) {
        self.out
            .case(kind, breaks, self.scope, self.name, member, message);
    }

    /// Deprecation and documentation of a parameter or field (`what`).
    fn member(&mut self, what: &str, name: &str, (old, new): (bool, bool), docs_changed: bool) {
        self.deprecation(old, new, Some(name));
        if docs_changed {
            self.push(
                Kind::Docs,
                Some(name),
                format!("documentation of {what} `{name}` changed"),
            );
        }
    }

    /// The item, or its `member`, became deprecated or no longer is.
    fn deprecation(&mut self, old: bool, new: bool, member: Option<&str>) {
        let what = member.map_or_else(String::new, |m| format!("`{m}` "));
        match (old, new) {
            (false, true) => self.push(Kind::Deprecated, member, format!("{what}deprecated")),
            (true, false) => self.push(
                Kind::Undeprecated,
                member,
                format!("{what}no longer deprecated"),
            ),
            _ => {}
        }
    }
}

/// Items of two sorted maps: only in the old, in both, only in the new.
fn pair<'a, T>(
    old: &'a BTreeMap<String, T>,
    new: &'a BTreeMap<String, T>,
) -> (Vec<&'a str>, Vec<&'a str>, Vec<&'a str>) {
    let removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .map(String::as_str)
        .collect();
    let both = old
        .keys()
        .filter(|k| new.contains_key(*k))
        .map(String::as_str)
        .collect();
    let added = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .map(String::as_str)
        .collect();
    (removed, both, added)
}

/// Like [`pair`] for lists keyed by a function, keeping list order.
fn pair_by<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> &str,
) -> (Vec<&'a T>, Vec<(&'a T, &'a T)>, Vec<&'a T>) {
    let removed = old
        .iter()
        .filter(|o| !new.iter().any(|n| key(n) == key(o)))
        .collect();
    let both = old
        .iter()
        .filter_map(|o| new.iter().find(|n| key(n) == key(o)).map(|n| (o, n)))
        .collect();
    let added = new
        .iter()
        .filter(|n| !old.iter().any(|o| key(o) == key(n)))
        .collect();
    (removed, both, added)
}

fn api(old: &Surface, new: &Surface, out: &mut Changes) {
    let mut item = out.item(Scope::Api, "");
    let mut push = |kind, message: String| item.push(kind, None, message);
    if old.title != new.title || old.docs != new.docs {
        push(Kind::Docs, "crate documentation changed".into());
    }
    if old.base_url != new.base_url {
        push(
            Kind::BaseUrl,
            format!(
                "default base URL {} -> {}",
                shown(old.base_url.as_deref()),
                shown(new.base_url.as_deref())
            ),
        );
    }
    match (&old.auth, &new.auth) {
        (Some(a), Some(b)) => {
            if a.sent_in != b.sent_in || a.prefix != b.prefix {
                push(
                    Kind::Auth,
                    format!(
                        "the API key is sent in {}{} (was {}{})",
                        b.sent_in,
                        prefix_note(b.prefix.as_deref()),
                        a.sent_in,
                        prefix_note(a.prefix.as_deref())
                    ),
                );
            }
            if a.docs != b.docs {
                push(
                    Kind::Docs,
                    "documentation of the API key changed (README)".into(),
                );
            }
        }
        (None, Some(b)) => push(
            Kind::Auth,
            format!("requests now carry the API key, in {}", b.sent_in),
        ),
        (Some(_), None) => push(Kind::Auth, "requests no longer carry the API key".into()),
        (None, None) => {}
    }
}

fn shown(s: Option<&str>) -> String {
    s.map_or_else(|| "(none)".into(), |s| format!("`{s}`"))
}

fn prefix_note(prefix: Option<&str>) -> String {
    prefix.map_or_else(String::new, |p| format!(" after `{p} `"))
}
