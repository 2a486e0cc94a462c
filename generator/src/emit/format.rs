//! Tokens to formatted Rust source, on every core.
//!
//! Parsing with `syn` and printing with `prettyplease` dominate generation
//! time. So a module is given as pieces (its head, then each item or group
//! of items), and the pieces of all modules are built, parsed and printed
//! independently on a few threads, then joined in order. prettyplease
//! prints top-level items one after the other with nothing shared between
//! them, so the joined text is exactly what printing the whole module at once
//! gives, and the output does not depend on the number of threads.

use super::File;
use crate::diagnostics::Diagnostic;
use proc_macro2::TokenStream;
use quote::quote;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Builds the tokens of one piece of a module: whole items, and for the
/// first piece the module's inner attributes. Tokens are not `Send`, so each
/// piece is built on the thread that formats it.
pub(super) type Piece<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A generated Rust module.
pub(super) struct Module<'a> {
    pub path: String,
    pub pieces: Vec<Piece<'a>>,
    /// Per piece (by index; none past the end), the cargo features any of
    /// which compiles its items (`#[cfg(feature = ...)]` on each).
    pub gates: Vec<Option<Vec<String>>>,
}

/// Formats every module, each file starting with `header`.
pub(super) fn rust_files(header: &str, modules: Vec<Module<'_>>) -> Result<Vec<File>, Diagnostic> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    rust_files_on(threads, header, modules)
}

fn rust_files_on(
    threads: usize,
    header: &str,
    modules: Vec<Module<'_>>,
) -> Result<Vec<File>, Diagnostic> {
    let pieces: Vec<(&Piece, Option<&[String]>)> = modules
        .iter()
        .flat_map(|m| {
            m.pieces
                .iter()
                .enumerate()
                .map(|(i, p)| (p, m.gates.get(i).and_then(|g| g.as_deref())))
        })
        .collect();
    let mut printed: Vec<Option<Result<String, Diagnostic>>> = Vec::new();
    printed.resize_with(pieces.len(), || None);
    let next = AtomicUsize::new(0);
    // Each worker takes the next unformatted piece until none is left.
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((piece, gate)) = pieces.get(i) else {
                return done;
            };
            done.push((i, print(piece(), *gate)));
        }
    };
    let threads = threads.clamp(1, pieces.len().max(1));
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mine = work();
        for result in helpers
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .chain([mine])
        {
            for (i, text) in result {
                printed[i] = Some(text);
            }
        }
    });
    let mut printed = printed
        .into_iter()
        .map(|p| p.expect("every piece is printed"));
    modules
        .iter()
        .map(|module| {
            let mut code = String::new();
            for text in printed.by_ref().take(module.pieces.len()) {
                code.push_str(&text?);
            }
            Ok(File {
                path: module.path.clone(),
                contents: format!("{header}{}", space_items(&code)),
            })
        })
        .collect()
}

fn print(tokens: TokenStream, gate: Option<&[String]>) -> Result<String, Diagnostic> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| {
        Diagnostic::error(
            crate::pointer::Pointer::root(),
            format!("internal error: the generated code does not parse: {e}"),
        )
    })?;
    if let Some(features) = gate {
        let cfg = cfg(features);
        for item in &mut file.items {
            gate_item(item, syn::parse_quote!(#cfg));
        }
    }
    Ok(prettyplease::unparse(&file))
}

/// `#[cfg(...)]` of the items that any of `features` compiles.
pub(super) fn cfg(features: &[String]) -> TokenStream {
    match features {
        [one] => quote!(#[cfg(feature = #one)]),
        _ => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// Puts `cfg` on an item, after its doc comment.
fn gate_item(item: &mut syn::Item, cfg: syn::Attribute) {
    use syn::Item;
    let attrs = match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => unreachable!("the emitter makes no other item"),
    };
    let docs = attrs
        .iter()
        .take_while(|a| a.path().is_ident("doc"))
        .count();
    attrs.insert(docs, cfg);
}

/// Generated modules are laid out by prettyplease; rustfmt would lay them out
/// differently and make `cargo xtask gen --check` fail after `cargo fmt`.
pub(super) fn skip_rustfmt(tokens: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let tokens: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    let punct = |i: usize, c: char| matches!(tokens.get(i), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == c);
    // Keep the module's `//!` docs first: inner attributes (`#` `!` `[...]`)
    // must lead.
    let mut lead = 0;
    while punct(lead, '#') && punct(lead + 1, '!') {
        lead += 3;
    }
    let lead = lead.min(tokens.len());
    out.extend(tokens[..lead].iter().cloned());
    out.extend(quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
    out.extend(tokens[lead..].iter().cloned());
    out
}

/// Puts a blank line between items, which prettyplease does not: between
/// top-level items (keeping `use` lines together) and between the items of
/// an `impl` block.
fn space_items(code: &str) -> String {
    const FN_STARTS: [&str; 6] = ["///", "#[", "fn ", "pub fn ", "pub async fn ", "async fn "];
    let is_use = |l: &str| l.starts_with("use ") || l.starts_with("pub use ");
    let is_header =
        |l: &str| l.starts_with("//!") || l.starts_with("#!") || l.starts_with("// @generated");
    let top = |l: &str| !l.starts_with(' ') && !l.is_empty();
    // A line that closes an item (not a comment or attribute that happens to
    // end in `;`).
    let ends_item = |l: &str| {
        let t = l.trim();
        !t.starts_with("//") && !t.starts_with("#[") && (t == "}" || t.ends_with(';'))
    };
    let in_impl = |l: &str| l.starts_with("    ") && !l.starts_with("     ");
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous: Option<&str> = None;
    for line in code.lines() {
        if let Some(prev) = previous {
            let blank = if top(line) && top(prev) {
                // Module docs and inner attributes stay together at the top,
                // `use` lines stay grouped.
                (is_header(prev) && !is_header(line))
                    || (ends_item(prev) && !(is_use(prev) && is_use(line)))
            } else if in_impl(line) && in_impl(prev) {
                let next_fn = FN_STARTS.iter().any(|s| line.trim_start().starts_with(s));
                next_fn && ends_item(prev)
            } else {
                false
            };
            if blank {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{operations, types};
    use super::*;
    use crate::surface::features::Features;
    use crate::surface::graph::TypeGraph;

    /// The generated modules of the fidelity fixture (every construct).
    fn modules<'a>(
        api: &'a crate::ir::Api,
        graph: &'a TypeGraph,
        features: &'a Features,
    ) -> Vec<Module<'a>> {
        let mut modules = operations::modules(api, features);
        modules.push(types::module(api, graph, features));
        modules
    }

    #[test]
    fn joined_pieces_are_the_whole_module_printed_at_once_on_any_number_of_threads() {
        let spec = include_str!("../../tests/fixtures/fidelity.yaml");
        let (api, _) = crate::model(spec).expect("the fixture models");
        let graph = TypeGraph::new(&api);
        let features = Features::none(&api);
        let one = rust_files_on(1, "", modules(&api, &graph, &features)).unwrap();
        for module in modules(&api, &graph, &features) {
            let whole: TokenStream = module.pieces.iter().map(|p| p()).collect();
            let file = one.iter().find(|f| f.path == module.path).unwrap();
            assert_eq!(
                file.contents,
                space_items(&print(whole, None).unwrap()),
                "{}",
                module.path
            );
            assert!(file.contents.lines().count() > 500, "{}", module.path);
        }
        for threads in [2, 3, 16] {
            assert_eq!(
                one,
                rust_files_on(threads, "", modules(&api, &graph, &features)).unwrap()
            );
        }
    }
}
