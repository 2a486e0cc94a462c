//! Stage 4: Rust identifiers from spec names.
//!
//! Case conversion is `heck`'s. On top of it this module makes every name a
//! valid, warning-free identifier (ASCII only, no leading digit, keywords as raw
//! identifiers) and resolves collisions deterministically: a name that collides
//! first tries its "spelled" form (`-name` -> `MinusName`), then a numeric
//! suffix in document order. Names that do not collide are never touched, so
//! adding one schema or property does not rename unrelated items.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{HashMap, HashSet};

/// Words that cannot be used as plain identifiers (Rust 2024, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either; they get a `_` suffix.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// The case a name is converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Types and enum variants: `UpperCamelCase`.
    Type,
    /// Fields, parameters and methods: `snake_case`, keywords as raw identifiers.
    Snake,
}

/// Converts a spec name to an identifier in `case`, repairing what Rust does not
/// accept. Never returns an empty string.
pub fn ident(raw: &str, case: Case) -> String {
    let converted = match case {
        Case::Type => raw.to_upper_camel_case(),
        Case::Snake => raw.to_snake_case(),
    };
    // Rust accepts non-ASCII identifiers, but rustc warns on many of them and
    // they are hard to type; keep ASCII letters, digits and `_`.
    let mut name: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match case {
        Case::Snake => name = name.trim_matches('_').to_string(),
        // Dropping a non-ASCII first letter (`名self`) can leave a lowercase
        // start, which could be a keyword.
        Case::Type => {
            if let Some(first) = name.get(..1) {
                name = format!("{}{}", first.to_ascii_uppercase(), &name[1..]);
            }
        }
    }
    if name.is_empty() {
        // Nothing usable: fall back to the spelled-out form, then a placeholder.
        let spelled = spell_symbols(raw);
        if spelled.trim().is_empty() || spelled == raw {
            name = match case {
                Case::Type => "Value".to_string(),
                Case::Snake => "value".to_string(),
            };
        } else {
            return ident(&spelled, case);
        }
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, if case == Case::Type { 'V' } else { 'v' });
    }
    if case == Case::Type && name == "Self" {
        name.push_str("Value");
    }
    if case == Case::Snake && KEYWORDS.contains(&name.as_str()) {
        if NOT_RAW.contains(&name.as_str()) {
            name.push('_');
        } else {
            name.insert_str(0, "r#");
        }
    }
    name
}

/// Spells out the symbols of a name as words (`-name` -> ` minus name`), so that
/// names that differ only in punctuation stay distinct after case conversion.
pub fn spell_symbols(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() * 2);
    for c in raw.chars() {
        let word = match c {
            '-' => "minus",
            '+' => "plus",
            '.' => "dot",
            '@' => "at",
            '$' => "dollar",
            '#' => "hash",
            '*' => "star",
            '/' => "slash",
            '\\' => "backslash",
            '<' => "lt",
            '>' => "gt",
            '=' => "eq",
            '!' => "not",
            '%' => "percent",
            '&' => "and",
            '|' => "or",
            ':' => "colon",
            '~' => "tilde",
            '^' => "caret",
            '?' => "question",
            ',' => "comma",
            ';' => "semicolon",
            '(' | ')' => "paren",
            '[' | ']' => "bracket",
            '{' | '}' => "brace",
            '\'' | '"' | '`' => "quote",
            c if c.is_ascii_alphanumeric() || c == '_' || c == ' ' => {
                out.push(c);
                continue;
            }
            _ => {
                out.push_str(&format!(" u{:x} ", c as u32));
                continue;
            }
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    }
    if raw.is_empty() {
        out.push_str("empty");
    }
    out
}

/// Gives each raw name a distinct identifier, in input order.
///
/// `reserved` names are never handed out (they clash with items the generated
/// code defines or imports); a name that converts to one gets `reserved_suffix`
/// appended (`Result` -> `ResultModel`).
pub fn unique(raws: &[&str], case: Case, reserved: &[&str], reserved_suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = raws
        .iter()
        .map(|raw| {
            let name = ident(raw, case);
            if reserved.contains(&name.as_str()) {
                join(&name, reserved_suffix, case)
            } else {
                name
            }
        })
        .collect();

    // A name shared by several raw names: those whose spelling has symbols take
    // the spelled-out form (`name` stays `Name`, `-name` becomes `MinusName`).
    let counts = count(&names);
    for (i, raw) in raws.iter().enumerate() {
        if counts[&names[i]] > 1 {
            let spelled = ident(&spell_symbols(raw), case);
            if spelled != names[i] && !reserved.contains(&spelled.as_str()) {
                names[i] = spelled;
            }
        }
    }

    // Still shared: the first keeps it, the rest get a numeric suffix.
    let mut taken: HashSet<String> = HashSet::with_capacity(names.len());
    let all: HashSet<String> = names.iter().cloned().collect();
    for name in &mut names {
        if taken.insert(name.clone()) {
            continue;
        }
        let mut n = 2;
        loop {
            let candidate = join(name, &n.to_string(), case);
            if !all.contains(&candidate)
                && !taken.contains(&candidate)
                && !reserved.contains(&candidate.as_str())
            {
                taken.insert(candidate.clone());
                *name = candidate;
                break;
            }
            n += 1;
        }
    }
    names
}

fn count(names: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::with_capacity(names.len());
    for n in names {
        *counts.entry(n.clone()).or_insert(0) += 1;
    }
    counts
}

/// Appends a word or number to an identifier in the given case.
pub fn join(name: &str, suffix: &str, case: Case) -> String {
    match case {
        Case::Type => format!("{name}{suffix}"),
        Case::Snake => {
            let bare = name
                .strip_prefix("r#")
                .unwrap_or(name)
                .trim_end_matches('_');
            format!("{bare}_{suffix}")
        }
    }
}

/// The text of an identifier without a raw prefix (`r#type` -> `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_become_snake_case_methods() {
        assert_eq!(ident("patchSecret", Case::Snake), "patch_secret");
        assert_eq!(ident("StatsKVStore", Case::Snake), "stats_kv_store");
        assert_eq!(ident("getAppIdByName", Case::Snake), "get_app_id_by_name");
    }

    #[test]
    fn keywords_and_non_identifiers_are_repaired() {
        assert_eq!(ident("type", Case::Snake), "r#type");
        assert_eq!(ident("self", Case::Snake), "self_");
        assert_eq!(
            ident("yourwebsite.com:8000", Case::Snake),
            "yourwebsite_com_8000"
        );
        assert_eq!(ident("95_percentile", Case::Snake), "v95_percentile");
        assert_eq!(ident("id-2", Case::Type), "Id2");
        assert_eq!(ident("2xx", Case::Type), "V2xx");
        assert_eq!(ident("", Case::Type), "Empty");
        assert_eq!(ident("-", Case::Snake), "minus");
        assert_eq!(ident("名前", Case::Snake), "u540d_u524d");
        assert_eq!(ident("Self", Case::Type), "SelfValue");
        assert_eq!(ident("名self", Case::Type), "SelfValue");
        assert_eq!(ident("é_type", Case::Type), "Type");
    }

    #[test]
    fn collisions_resolve_by_spelling_then_number() {
        let names = unique(&["name", "-name", "status", "-status"], Case::Type, &[], "");
        assert_eq!(names, ["Name", "MinusName", "Status", "MinusStatus"]);
        let names = unique(&["ID", "id", "Id"], Case::Type, &[], "");
        assert_eq!(names, ["Id", "Id2", "Id3"]);
        let names = unique(&["Path", "path"], Case::Snake, &[], "");
        assert_eq!(names, ["path", "path_2"]);
        let names = unique(&["type", "@type"], Case::Snake, &[], "");
        assert_eq!(names, ["r#type", "at_type"]);
    }

    #[test]
    fn reserved_names_get_a_suffix() {
        let names = unique(
            &["Result", "Default", "Option", "app"],
            Case::Type,
            &["Result", "Default", "Option"],
            "Model",
        );
        assert_eq!(names, ["ResultModel", "DefaultModel", "OptionModel", "App"]);
    }

    /// Whatever the names, the identifiers are distinct, valid, not
    /// reserved, and the same for the same input.
    #[test]
    fn any_names_become_distinct_valid_identifiers() {
        const PIECES: &[&str] = &[
            "", "a", "A", "id", "ID", "_", "-", "+", ".", " ", "1", "2", "é", "ß", "名", "😀",
            "type", "self", "Self", "super", "r#", "value", "Value", "v1", "_2", "minus", "Empty",
            "result", "Result", "u540d",
        ];
        let reserved = ["Result", "Value2", "self_2", "send"];
        let mut rng = fastrand::Rng::with_seed(0x1d);
        for _ in 0..2000 {
            let raws: Vec<String> = (0..rng.usize(1..12))
                .map(|_| {
                    (0..rng.usize(0..4))
                        .map(|_| PIECES[rng.usize(0..PIECES.len())])
                        .collect()
                })
                .collect();
            let raws: Vec<&str> = raws.iter().map(String::as_str).collect();
            for case in [Case::Type, Case::Snake] {
                let names = unique(&raws, case, &reserved, "Model");
                assert_eq!(names, unique(&raws, case, &reserved, "Model"));
                let distinct: HashSet<&String> = names.iter().collect();
                assert_eq!(distinct.len(), names.len(), "{raws:?} -> {names:?}");
                for name in &names {
                    assert!(
                        syn::parse_str::<syn::Ident>(name).is_ok(),
                        "{raws:?}: `{name}` is not an identifier"
                    );
                    assert!(!reserved.contains(&name.as_str()), "{raws:?} -> {name}");
                    assert!(name.is_ascii(), "{name}");
                }
            }
        }
    }

    #[test]
    fn numeric_suffix_skips_names_in_use() {
        let names = unique(&["a", "A", "a2"], Case::Type, &[], "");
        assert_eq!(names, ["A", "A3", "A2"]);
    }
}
