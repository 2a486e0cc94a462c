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
//!   with; an enum gains a variant (enum values, documented error and success
//!   responses, union alternatives: the generated enums are exhaustive, so
//!   a `match` over them stops compiling); a schema's readOnly/writeOnly
//!   views split or merge, which renames what requests take.
//! - **additive** (minor): a new operation, type or optional parameter; a new
//!   field in a type users only receive, or an optional one in a type with
//!   `Default`; auto-paging gained; something newly deprecated.
//! - **compatible** (patch): documentation, wire names, endpoints, the
//!   security scheme and the base URL: code compiles and works unchanged.
//!
//! Comparison is pure and its output ordered (operations, then types, by
//! name), so a report is as deterministic as the crate.

mod surface;

pub use surface::{
    AuthSurface, BodySurface, FORMAT, FieldSurface, KindSurface, OperationSurface, ParamSurface,
    ResponseSurface, SURFACE_FILE, Surface, TypeSurface, ValueSurface, VariantSurface,
};

use crate::ir::Api;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The generated enums (value enums, error and output enums, unions) are
/// `#[non_exhaustive]`: the server adds values, errors and alternatives, so
/// code matching on them keeps a `_` arm and a new variant is additive.
/// `xtask/tests/diff_cli.rs` checks this against the emitted code.
pub const ENUMS_ARE_EXHAUSTIVE: bool = false;

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
    operations(old, new, &mut out);
    types(old, new, &mut out);
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
    fn push(
        &mut self,
        class: Class,
        kind: Kind,
        scope: Scope,
        name: &str,
        member: Option<&str>,
        message: String,
    ) {
        self.0.push(Change {
            class,
            kind,
            scope,
            name: name.to_string(),
            member: member.map(String::from),
            message,
        });
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
    let mut push = |kind, message: String| {
        out.push(Class::Compatible, kind, Scope::Api, "", None, message);
    };
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

fn operations(old: &Surface, new: &Surface, out: &mut Changes) {
    let (removed, both, added) = pair(&old.operations, &new.operations);
    // A method whose operation is still there under another name (same
    // operationId, or same endpoint) was renamed.
    let mut renamed_to: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &removed {
        let o = &old.operations[*r];
        let found = added
            .iter()
            .find(|a| new.operations[**a].id == o.id)
            .or_else(|| {
                added
                    .iter()
                    .find(|a| new.operations[**a].endpoint == o.endpoint)
            });
        if let Some(a) = found {
            if !renamed_to.values().any(|v| v == a) {
                renamed_to.insert(r, a);
            }
        }
    }
    for r in &removed {
        let o = &old.operations[*r];
        match renamed_to.get(r) {
            Some(a) => out.push(
                Class::Breaking,
                Kind::OperationRenamed,
                Scope::Operation,
                r,
                None,
                format!("renamed to `Client::{a}` ({})", o.endpoint),
            ),
            None => out.push(
                Class::Breaking,
                Kind::OperationRemoved,
                Scope::Operation,
                r,
                None,
                format!("removed ({})", o.endpoint),
            ),
        }
    }
    for name in both {
        operation(name, &old.operations[name], &new.operations[name], out);
    }
    for a in added {
        if renamed_to.values().any(|v| *v == a) {
            continue;
        }
        let n = &new.operations[a];
        let args: Vec<String> = n
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("{}: {}", p.name, p.ty))
            .chain(
                n.body
                    .iter()
                    .map(|b| format!("body: {}", body_type(b.required, &b.ty))),
            )
            .collect();
        out.push(
            Class::Additive,
            Kind::OperationAdded,
            Scope::Operation,
            a,
            None,
            if args.is_empty() {
                format!("added (`{}`), gives `{}`", n.endpoint, n.output)
            } else {
                format!(
                    "added (`{}`), takes `{}`, gives `{}`",
                    n.endpoint,
                    args.join(", "),
                    n.output
                )
            },
        );
    }
}

fn body_type(required: bool, ty: &str) -> String {
    if required {
        ty.to_string()
    } else {
        format!("Option<{ty}>")
    }
}

fn operation(name: &str, o: &OperationSurface, n: &OperationSurface, out: &mut Changes) {
    let mut push = |class, kind, member: Option<&str>, message: String| {
        out.push(class, kind, Scope::Operation, name, member, message);
    };
    if o.endpoint != n.endpoint {
        push(
            Class::Compatible,
            Kind::Endpoint,
            None,
            format!("now sends `{}` (was `{}`)", n.endpoint, o.endpoint),
        );
    }
    deprecation(o.deprecated, n.deprecated, None, &mut push);
    if o.docs != n.docs {
        push(
            Class::Compatible,
            Kind::Docs,
            None,
            "documentation changed".into(),
        );
    }

    let (removed, both, added) = pair_by(&o.params, &n.params, |p| &p.name);
    for p in removed {
        let how = if p.required {
            "argument"
        } else {
            "optional parameter (setter)"
        };
        push(
            Class::Breaking,
            Kind::ParameterRemoved,
            Some(&p.name),
            format!("{how} `{}: {}` removed", p.name, p.ty),
        );
    }
    for (a, b) in both {
        let member = Some(a.name.as_str());
        match (a.required, b.required) {
            (false, true) => push(
                Class::Breaking,
                Kind::ParameterRequired,
                member,
                format!(
                    "parameter `{}` is now required: a new argument `{}: {}` instead of a setter",
                    a.name, b.name, b.ty
                ),
            ),
            (true, false) => push(
                Class::Breaking,
                Kind::ParameterOptional,
                member,
                format!(
                    "parameter `{}` is now optional: no longer an argument, set with `.{}(..)`",
                    a.name, b.name
                ),
            ),
            _ => {}
        }
        if a.ty != b.ty {
            push(
                Class::Breaking,
                Kind::ParameterType,
                member,
                format!("parameter `{}`: `{}` -> `{}`", a.name, a.ty, b.ty),
            );
        }
        if a.wire != b.wire {
            push(
                Class::Compatible,
                Kind::ParameterWire,
                member,
                format!(
                    "parameter `{}` is sent as {} (was {})",
                    a.name, b.wire, a.wire
                ),
            );
        }
        deprecation(a.deprecated, b.deprecated, member, &mut push);
        if a.docs != b.docs {
            push(
                Class::Compatible,
                Kind::Docs,
                member,
                format!("documentation of parameter `{}` changed", a.name),
            );
        }
    }
    for p in added {
        if p.required {
            push(
                Class::Breaking,
                Kind::ParameterAdded,
                Some(&p.name),
                format!("new required argument `{}: {}`", p.name, p.ty),
            );
        } else {
            push(
                Class::Additive,
                Kind::ParameterAdded,
                Some(&p.name),
                format!(
                    "new optional parameter `{}: {}` (setter `.{}(..)`)",
                    p.name, p.ty, p.name
                ),
            );
        }
    }

    match (&o.body, &n.body) {
        (Some(a), Some(b)) => {
            match (a.required, b.required) {
                (false, true) => push(
                    Class::Breaking,
                    Kind::BodyRequired,
                    Some("body"),
                    format!("the body is now required (`{}`)", b.ty),
                ),
                (true, false) => push(
                    Class::Breaking,
                    Kind::BodyOptional,
                    Some("body"),
                    format!("the body is now optional (`Option<{}>`)", b.ty),
                ),
                _ => {}
            }
            if a.ty != b.ty {
                push(
                    Class::Breaking,
                    Kind::BodyType,
                    Some("body"),
                    format!("body: `{}` -> `{}`", a.ty, b.ty),
                );
            }
            if a.content_type != b.content_type {
                push(
                    Class::Compatible,
                    Kind::BodyContentType,
                    Some("body"),
                    format!(
                        "the body is sent as `{}` (was `{}`)",
                        b.content_type, a.content_type
                    ),
                );
            }
            if a.docs != b.docs {
                push(
                    Class::Compatible,
                    Kind::Docs,
                    Some("body"),
                    "documentation of the body changed".into(),
                );
            }
        }
        (None, Some(b)) => {
            let class = if b.required {
                Class::Breaking
            } else {
                Class::Additive
            };
            push(
                class,
                Kind::BodyAdded,
                Some("body"),
                format!("new body `{}`", body_type(b.required, &b.ty)),
            );
        }
        (Some(a), None) => push(
            Class::Breaking,
            Kind::BodyRemoved,
            Some("body"),
            format!("body `{}` removed", a.ty),
        ),
        (None, None) => {}
    }

    if o.output != n.output {
        push(
            Class::Breaking,
            Kind::OutputType,
            None,
            format!("result: `{}` -> `{}`", o.output, n.output),
        );
    }
    // With several success bodies the result is an enum of them.
    if o.output == n.output && o.output_enum && n.output_enum {
        responses(
            &o.successes,
            &n.successes,
            [
                Kind::ResponseRemoved,
                Kind::ResponseAdded,
                Kind::ResponseType,
                Kind::ResponseStatus,
            ],
            &format!("`{}`", o.output),
            &mut push,
        );
    }
    responses(
        &o.errors,
        &n.errors,
        [
            Kind::ErrorRemoved,
            Kind::ErrorAdded,
            Kind::ErrorType,
            Kind::ErrorStatus,
        ],
        "error enum",
        &mut push,
    );

    match (&o.pages, &n.pages) {
        (None, Some(t)) => push(
            Class::Additive,
            Kind::PagingAdded,
            None,
            format!("now pages with `.into_stream()` (items `{t}`)"),
        ),
        (Some(_), None) => push(
            Class::Breaking,
            Kind::PagingRemoved,
            None,
            "no longer pages: `.into_stream()` removed".into(),
        ),
        (Some(a), Some(b)) if a != b => push(
            Class::Breaking,
            Kind::PagingType,
            None,
            format!("`.into_stream()` items: `{a}` -> `{b}`"),
        ),
        _ => {}
    }
}

/// Variants of an error or output enum: `kinds` is removed, added, type
/// changed, status changed.
fn responses(
    old: &[ResponseSurface],
    new: &[ResponseSurface],
    kinds: [Kind; 4],
    what: &str,
    push: &mut impl FnMut(Class, Kind, Option<&str>, String),
) {
    let (removed, both, added) = pair_by(old, new, |r| &r.variant);
    let shown = |r: &ResponseSurface| match &r.ty {
        Some(t) => format!("`{}({t})`", r.variant),
        None => format!("`{}`", r.variant),
    };
    for r in removed {
        push(
            Class::Breaking,
            kinds[0],
            Some(&r.variant),
            format!("{what}: variant {} ({}) removed", shown(r), r.status),
        );
    }
    for (a, b) in both {
        if a.ty != b.ty {
            push(
                Class::Breaking,
                kinds[2],
                Some(&a.variant),
                format!("{what}: {} -> {}", shown(a), shown(b)),
            );
        }
        if a.status != b.status {
            push(
                Class::Compatible,
                kinds[3],
                Some(&a.variant),
                format!(
                    "{what}: variant `{}` is status {} (was {})",
                    a.variant, b.status, a.status
                ),
            );
        }
    }
    for r in added {
        push(
            exhaustive_class(),
            kinds[1],
            Some(&r.variant),
            format!("{what}: new variant {} ({})", shown(r), r.status),
        );
    }
}

fn exhaustive_class() -> Class {
    if ENUMS_ARE_EXHAUSTIVE {
        Class::Breaking
    } else {
        Class::Additive
    }
}

fn deprecation(
    old: bool,
    new: bool,
    member: Option<&str>,
    push: &mut impl FnMut(Class, Kind, Option<&str>, String),
) {
    let what = member.map_or_else(String::new, |m| format!("`{m}` "));
    match (old, new) {
        (false, true) => push(
            Class::Additive,
            Kind::Deprecated,
            member,
            format!("{what}deprecated"),
        ),
        (true, false) => push(
            Class::Compatible,
            Kind::Undeprecated,
            member,
            format!("{what}no longer deprecated"),
        ),
        _ => {}
    }
}

fn types(old: &Surface, new: &Surface, out: &mut Changes) {
    let (removed, both, added) = pair(&old.types, &new.types);

    // Views: per schema, the set of (view, name) its types have.
    let views = |s: &Surface| {
        let mut by_origin: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (name, t) in &s.types {
            by_origin
                .entry(t.origin.clone())
                .or_default()
                .insert(t.view.clone(), name.clone());
        }
        by_origin
    };
    let (old_views, new_views) = (views(old), views(new));
    // Types whose appearance or disappearance a view change explains.
    let mut explained: BTreeSet<String> = BTreeSet::new();
    for (origin, a) in &old_views {
        let Some(b) = new_views.get(origin) else {
            continue;
        };
        let split = a.len() == 1 && b.len() == 2;
        let merged = a.len() == 2 && b.len() == 1;
        if split {
            let (received, sent) = (&b["output"], &b["input"]);
            let was = a.values().next().map(String::as_str).unwrap_or_default();
            explained.extend(
                [received.clone(), sent.clone()]
                    .into_iter()
                    .filter(|n| n != was),
            );
            out.push(
                Class::Breaking,
                Kind::ViewSplit,
                Scope::Type,
                was,
                None,
                format!(
                    "now one type per direction (a property of `{origin}` became readOnly or writeOnly): requests take `{sent}`, responses give `{received}`"
                ),
            );
        } else if merged {
            let (received, sent) = (&a["output"], &a["input"]);
            let now = b.values().next().map(String::as_str).unwrap_or_default();
            explained.extend(
                [received.clone(), sent.clone()]
                    .into_iter()
                    .filter(|n| n != now),
            );
            out.push(
                Class::Breaking,
                Kind::ViewMerged,
                Scope::Type,
                now,
                None,
                format!(
                    "`{sent}` and `{received}` are now one type `{now}` (`{origin}` has no readOnly or writeOnly properties any more)"
                ),
            );
        }
    }

    // Renamed: the same schema in the same view under another name.
    let mut renamed_to: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &removed {
        let o = &old.types[*r];
        if let Some(a) = added.iter().find(|a| {
            let n = &new.types[**a];
            n.origin == o.origin && n.view == o.view
        }) {
            if !renamed_to.values().any(|v| v == a) {
                renamed_to.insert(r, a);
            }
        }
    }
    for r in &removed {
        if let Some(a) = renamed_to.get(r) {
            out.push(
                Class::Breaking,
                Kind::TypeRenamed,
                Scope::Type,
                r,
                None,
                format!("renamed to `{a}`"),
            );
        } else if !explained.contains(*r) {
            out.push(
                Class::Breaking,
                Kind::TypeRemoved,
                Scope::Type,
                r,
                None,
                "removed".into(),
            );
        }
    }
    for name in both {
        type_def(name, &old.types[name], &new.types[name], new, out);
    }
    for a in added {
        if renamed_to.values().any(|v| *v == a) || explained.contains(a) {
            continue;
        }
        out.push(
            Class::Additive,
            Kind::TypeAdded,
            Scope::Type,
            a,
            None,
            format!("added ({})", kind_name(&new.types[a].kind)),
        );
    }
}

fn kind_name(k: &KindSurface) -> &'static str {
    match k {
        KindSurface::Struct { .. } => "struct",
        KindSurface::Enum { .. } => "enum",
        KindSurface::Union { .. } => "union enum",
        KindSurface::Alias { newtype: true, .. } => "newtype",
        KindSurface::Alias { .. } => "type alias",
    }
}

fn type_def(name: &str, o: &TypeSurface, n: &TypeSurface, new: &Surface, out: &mut Changes) {
    let mut push = |class, kind, member: Option<&str>, message: String| {
        out.push(class, kind, Scope::Type, name, member, message);
    };
    deprecation(o.deprecated, n.deprecated, None, &mut push);
    if o.docs != n.docs {
        push(
            Class::Compatible,
            Kind::Docs,
            None,
            "documentation changed".into(),
        );
    }
    match (&o.kind, &n.kind) {
        (
            KindSurface::Struct {
                default: od,
                fields: of,
                additional: oa,
            },
            KindSurface::Struct {
                default: nd,
                fields: nf,
                additional: na,
            },
        ) => {
            // Users build values of sent types; received ones they only read.
            let built = o.sent;
            match (od, nd) {
                (true, false) => push(
                    if built {
                        Class::Breaking
                    } else {
                        Class::Additive
                    },
                    Kind::DefaultRemoved,
                    None,
                    "no longer implements `Default`".into(),
                ),
                (false, true) => push(
                    Class::Additive,
                    Kind::DefaultAdded,
                    None,
                    "now implements `Default`".into(),
                ),
                _ => {}
            }
            fields(o, n, of, nf, *od, new, &mut push);
            match (oa, na) {
                (None, Some(t)) => push(
                    if built && !od {
                        Class::Breaking
                    } else {
                        Class::Additive
                    },
                    Kind::AdditionalAdded,
                    Some("additional_properties"),
                    format!("new field `additional_properties: BTreeMap<String, {t}>`"),
                ),
                (Some(_), None) => push(
                    Class::Breaking,
                    Kind::AdditionalRemoved,
                    Some("additional_properties"),
                    "field `additional_properties` removed".into(),
                ),
                (Some(a), Some(b)) if a != b => push(
                    Class::Breaking,
                    Kind::AdditionalType,
                    Some("additional_properties"),
                    format!("`additional_properties` values: `{a}` -> `{b}`"),
                ),
                _ => {}
            }
        }
        (
            KindSurface::Enum {
                integer: oi,
                values: ov,
                ..
            },
            KindSurface::Enum {
                integer: ni,
                values: nv,
                ..
            },
        ) => {
            if oi != ni {
                push(
                    Class::Breaking,
                    Kind::EnumRepr,
                    None,
                    format!(
                        "values are now {} (`Unknown` holds {})",
                        if *ni { "integers" } else { "strings" },
                        if *ni { "an i64" } else { "a String" }
                    ),
                );
            }
            let (removed, both, added) = pair_by(ov, nv, |v| &v.value);
            for v in removed {
                push(
                    Class::Breaking,
                    Kind::EnumValueRemoved,
                    Some(&v.value),
                    format!("value `{}` (variant `{}`) removed", v.value, v.name),
                );
            }
            for (a, b) in both {
                if a.name != b.name {
                    push(
                        Class::Breaking,
                        Kind::EnumVariantRenamed,
                        Some(&a.value),
                        format!(
                            "variant `{}` renamed to `{}` (value `{}`)",
                            a.name, b.name, a.value
                        ),
                    );
                }
            }
            for v in added {
                push(
                    exhaustive_class(),
                    Kind::EnumValueAdded,
                    Some(&v.value),
                    format!("new value `{}` (variant `{}`)", v.value, v.name),
                );
            }
        }
        (
            KindSurface::Union {
                tag: ot,
                variants: ov,
            },
            KindSurface::Union {
                tag: nt,
                variants: nv,
            },
        ) => {
            if ot != nt {
                push(
                    Class::Compatible,
                    Kind::UnionTag,
                    None,
                    format!(
                        "variants are told apart by {} (was {})",
                        tag_text(nt.as_deref()),
                        tag_text(ot.as_deref())
                    ),
                );
            }
            let (removed, both, added) = pair_by(ov, nv, |v| &v.name);
            for v in removed {
                push(
                    Class::Breaking,
                    Kind::UnionVariantRemoved,
                    Some(&v.name),
                    format!("variant `{}({})` removed", v.name, v.ty),
                );
            }
            for (a, b) in both {
                if a.ty != b.ty {
                    push(
                        Class::Breaking,
                        Kind::UnionVariantType,
                        Some(&a.name),
                        format!("variant `{}`: `{}` -> `{}`", a.name, a.ty, b.ty),
                    );
                }
            }
            for v in added {
                push(
                    exhaustive_class(),
                    Kind::UnionVariantAdded,
                    Some(&v.name),
                    format!("new variant `{}({})`", v.name, v.ty),
                );
            }
        }
        (KindSurface::Alias { ty: a, newtype: an }, KindSurface::Alias { ty: b, newtype: bn }) => {
            if a != b || an != bn {
                push(
                    Class::Breaking,
                    Kind::AliasType,
                    None,
                    format!(
                        "now {} `{b}` (was {} `{a}`)",
                        kind_name(&n.kind),
                        kind_name(&o.kind)
                    ),
                );
            }
        }
        (a, b) => push(
            Class::Breaking,
            Kind::TypeKind,
            None,
            format!("now a {} (was a {})", kind_name(b), kind_name(a)),
        ),
    }
}

fn tag_text(tag: Option<&str>) -> String {
    tag.map_or_else(|| "trying each in order".into(), |t| format!("`{t}`"))
}

fn fields(
    o: &TypeSurface,
    n: &TypeSurface,
    old: &[FieldSurface],
    new: &[FieldSurface],
    old_default: bool,
    new_surface: &Surface,
    push: &mut impl FnMut(Class, Kind, Option<&str>, String),
) {
    let (removed, both, added) = pair_by(old, new, |f| &f.name);
    for f in removed {
        push(
            Class::Breaking,
            Kind::FieldRemoved,
            Some(&f.name),
            format!(
                "field `{}: {}` removed{}",
                f.name,
                f.rust_type(),
                moved_to_view(n, f, new_surface)
            ),
        );
    }
    for (a, b) in both {
        let member = Some(a.name.as_str());
        let (ta, tb) = (a.rust_type(), b.rust_type());
        if a.ty != b.ty {
            push(
                Class::Breaking,
                Kind::FieldType,
                member,
                format!("field `{}`: `{ta}` -> `{tb}`", a.name),
            );
        } else if a.required != b.required {
            let (kind, now) = if b.required {
                (Kind::FieldRequired, "required")
            } else {
                (Kind::FieldOptional, "optional")
            };
            push(
                Class::Breaking,
                kind,
                member,
                format!("field `{}` is now {now}: `{ta}` -> `{tb}`", a.name),
            );
        } else if a.nullable != b.nullable {
            push(
                Class::Breaking,
                Kind::FieldNullable,
                member,
                format!(
                    "field `{}` is {} nullable: `{ta}` -> `{tb}`",
                    a.name,
                    if b.nullable { "now" } else { "no longer" }
                ),
            );
        }
        if a.wire != b.wire {
            push(
                Class::Compatible,
                Kind::FieldWire,
                member,
                format!(
                    "field `{}` is `{}` in JSON (was `{}`)",
                    a.name, b.wire, a.wire
                ),
            );
        }
        deprecation(a.deprecated, b.deprecated, member, push);
        if a.docs != b.docs {
            push(
                Class::Compatible,
                Kind::Docs,
                member,
                format!("documentation of field `{}` changed", a.name),
            );
        }
    }
    for f in added {
        let message = format!("new field `{}: {}`", f.name, f.rust_type());
        let class = if !o.sent {
            // Received only: users read it, nothing they wrote breaks.
            Class::Additive
        } else if f.required && !f.nullable {
            Class::Breaking
        } else if old_default {
            Class::Additive
        } else {
            // Struct literals must list every field.
            Class::Breaking
        };
        let why = match class {
            Class::Breaking if f.required => " (required in requests)",
            Class::Breaking => " (the type has no `Default`, so struct literals must name it)",
            _ => "",
        };
        push(
            class,
            Kind::FieldAdded,
            Some(&f.name),
            format!("{message}{why}"),
        );
    }
}

/// For a field that left one view of a schema but is in its other view: why.
fn moved_to_view(n: &TypeSurface, f: &FieldSurface, new: &Surface) -> String {
    let other = new.types.iter().find(|(_, t)| {
        t.origin == n.origin
            && t.view != n.view
            && matches!(&t.kind, KindSurface::Struct { fields, .. } if fields.iter().any(|g| g.wire == f.wire))
    });
    match other {
        Some((name, t)) if t.view == "output" => {
            format!(" (now readOnly: only in `{name}`, as received)")
        }
        Some((name, _)) => format!(" (now writeOnly: only in `{name}`, as sent)"),
        None => String::new(),
    }
}
