//! Changes to types: views, renames, struct fields, enum values, union
//! variants.

use super::{
    Changes, FieldSurface, Item, Kind, KindSurface, Scope, Surface, TypeSurface, ValueSurface,
    VariantSurface, pair, pair_by,
};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn types(old: &Surface, new: &Surface, out: &mut Changes) {
    let (removed, both, added) = pair(&old.types, &new.types);
    let explained = views(old, new, out);

    // Renamed: the same schema in the same view under another name.: per schema, the set of (view, name) its types have.
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
                Kind::TypeRenamed,
                Scope::Type,
                r,
                None,
                format!("renamed to `{a}`"),
            );
        } else if !explained.contains(*r) {
            out.push(Kind::TypeRemoved, Scope::Type, r, None, "removed".into());
        }
    }
    for name in both {
        type_def(name, &old.types[name], &new.types[name], new, out);
    }
    for a in added {
        if renamed_to.values().any(|v| *v == a) || explained.contains(a) {
            continue;
        }
        let features = match &new.types[a].features[..] {
            [] => String::new(),
            f => format!(", compiled with {}", features_text(f)),
        };
        out.push(
            Kind::TypeAdded,
            Scope::Type,
            a,
            None,
            format!("added ({}{features})", kind_name(&new.types[a].kind)),
        );
    }
}

/// Schemas whose readOnly/writeOnly views split or merged; returns the
/// types whose appearance or disappearance that explains.
fn views(old: &Surface, new: &Surface, out: &mut Changes) -> BTreeSet<String> {
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
    explained
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
    let mut item = out.item(Scope::Type, name);
    item.deprecation(o.deprecated, n.deprecated, None);
    if o.docs != n.docs {
        item.push(Kind::Docs, None, "documentation changed".into());
    }
    if o.features != n.features {
        let name = |f: &[String]| match f {
            [] => "always compiled".to_string(),
            _ => format!("compiled with {}", features_text(f)),
        };
        // Breaks a build that enabled a feature which no longer compiles it.
        let narrowed = !n.features.is_empty()
            && (o.features.is_empty() || o.features.iter().any(|f| !n.features.contains(f)));
        item.case(
            Kind::Feature,
            narrowed,
            None,
            format!("now {} (was {})", name(&n.features), name(&o.features)),
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
            struct_def(
                o,
                n,
                new,
                (*od, of, oa.as_ref()),
                (*nd, nf, na.as_ref()),
                &mut item,
            );
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
            enum_def((*oi, ov), (*ni, nv), &mut item);
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
            union_def((ot.as_deref(), ov), (nt.as_deref(), nv), &mut item);
        }
        (KindSurface::Alias { ty: a, newtype: an }, KindSurface::Alias { ty: b, newtype: bn }) => {
            if a != b || an != bn {
                item.push(
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
        (a, b) => item.push(
            Kind::TypeKind,
            None,
            format!("now a {} (was a {})", kind_name(b), kind_name(a)),
        ),
    }
}

/// Two versions of a struct: `Default`, fields, `additional_properties`.
fn struct_def(
    o: &TypeSurface,
    n: &TypeSurface,
    new: &Surface,
    (od, of, oa): (bool, &[FieldSurface], Option<&String>),
    (nd, nf, na): (bool, &[FieldSurface], Option<&String>),
    item: &mut Item,
) {
    // Users build values of sent types; received ones they only read.
    let built = o.sent;
    match (od, nd) {
        (true, false) => item.case(
            Kind::DefaultRemoved,
            built,
            None,
            "no longer implements `Default`".into(),
        ),
        (false, true) => item.push(Kind::DefaultAdded, None, "now implements `Default`".into()),
        _ => {}
    }
    fields(o, n, of, nf, od, new, item);
    match (oa, na) {
        (None, Some(t)) => item.case(
            Kind::AdditionalAdded,
            built && !od,
            Some("additional_properties"),
            format!("new field `additional_properties: BTreeMap<String, {t}>`"),
        ),
        (Some(_), None) => item.push(
            Kind::AdditionalRemoved,
            Some("additional_properties"),
            "field `additional_properties` removed".into(),
        ),
        (Some(a), Some(b)) if a != b => item.push(
            Kind::AdditionalType,
            Some("additional_properties"),
            format!("`additional_properties` values: `{a}` -> `{b}`"),
        ),
        _ => {}
    }
}

/// Two versions of an enum of values: the representation and the values.
fn enum_def((oi, ov): (bool, &[ValueSurface]), (ni, nv): (bool, &[ValueSurface]), item: &mut Item) {
    if oi != ni {
        item.push(
            Kind::EnumRepr,
            None,
            format!(
                "values are now {} (`Unknown` holds {})",
                if ni { "integers" } else { "strings" },
                if ni { "an i64" } else { "a String" }
            ),
        );
    }
    let (removed, both, added) = pair_by(ov, nv, |v| &v.value);
    for v in removed {
        item.push(
            Kind::EnumValueRemoved,
            Some(&v.value),
            format!("value `{}` (variant `{}`) removed", v.value, v.name),
        );
    }
    for (a, b) in both {
        if a.name != b.name {
            item.push(
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
        item.push(
            Kind::EnumValueAdded,
            Some(&v.value),
            format!("new value `{}` (variant `{}`)", v.value, v.name),
        );
    }
}

/// Two versions of a union: how variants are told apart, and the variants.
fn union_def(
    (ot, ov): (Option<&str>, &[VariantSurface]),
    (nt, nv): (Option<&str>, &[VariantSurface]),
    item: &mut Item,
) {
    if ot != nt {
        item.push(
            Kind::UnionTag,
            None,
            format!(
                "variants are told apart by {} (was {})",
                tag_text(nt),
                tag_text(ot)
            ),
        );
    }
    let (removed, both, added) = pair_by(ov, nv, |v| &v.name);
    for v in removed {
        item.push(
            Kind::UnionVariantRemoved,
            Some(&v.name),
            format!("variant `{}({})` removed", v.name, v.ty),
        );
    }
    for (a, b) in both {
        if a.ty != b.ty {
            item.push(
                Kind::UnionVariantType,
                Some(&a.name),
                format!("variant `{}`: `{}` -> `{}`", a.name, a.ty, b.ty),
            );
        }
    }
    for v in added {
        item.push(
            Kind::UnionVariantAdded,
            Some(&v.name),
            format!("new variant `{}({})`", v.name, v.ty),
        );
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
    item: &mut Item,
) {
    let (removed, both, added) = pair_by(old, new, |f| &f.name);
    for f in removed {
        item.push(
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
            item.push(
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
            item.push(
                kind,
                member,
                format!("field `{}` is now {now}: `{ta}` -> `{tb}`", a.name),
            );
        } else if a.nullable != b.nullable {
            item.push(
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
            item.push(
                Kind::FieldWire,
                member,
                format!(
                    "field `{}` is `{}` in JSON (was `{}`)",
                    a.name, b.wire, a.wire
                ),
            );
        }
        item.member(
            "field",
            &a.name,
            (a.deprecated, b.deprecated),
            a.docs != b.docs,
        );
    }
    for f in added {
        let message = format!("new field `{}: {}`", f.name, f.rust_type());
        // Received only: users read it, nothing they wrote breaks. Sent:
        // required values must be given, and struct literals must list every
        // field unless the rest can come from `Default`.
        let breaks = o.sent && ((f.required && !f.nullable) || !old_default);
        let why = match breaks {
            true if f.required => " (required in requests)",
            true => " (the type has no `Default`, so struct literals must name it)",
            false => "",
        };
        item.case(
            Kind::FieldAdded,
            breaks,
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

/// `feature `a``, or `any of the features `a`, `b``.
fn features_text(features: &[String]) -> String {
    let quoted: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
    match quoted.as_slice() {
        [one] => format!("feature {one}"),
        _ => format!("any of the features {}", quoted.join(", ")),
    }
}
