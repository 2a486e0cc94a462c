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
    pub path: &'static str,
    pub pieces: Vec<Piece<'a>>,
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
    let pieces: Vec<&Piece> = modules.iter().flat_map(|m| &m.pieces).collect();
    let mut printed: Vec<Option<Result<String, Diagnostic>>> = Vec::new();
    printed.resize_with(pieces.len(), || None);
    let next = AtomicUsize::new(0);
    // Each worker takes the next unformatted piece until none is left.
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else {
                return done;
            };
            done.push((i, print(piece())));
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
                path: module.path.into(),
                contents: format!("{header}{}", space_items(&code)),
            })
        })
        .collect()
}

fn print(tokens: TokenStream) -> Result<String, Diagnostic> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Diagnostic::error(
            crate::pointer::Pointer::root(),
            format!("internal error: the generated code does not parse: {e}"),
        )
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Generated modules are laid out by prettyplease; rustfmt would lay them out
/// differently and make `cargo xtask gen --check` fail after `cargo fmt`.
pub(super) fn skip_rustfmt(tokens: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    // Keep the module's `//!` docs first: inner attributes must lead.
    while let Some(tt) = iter.peek() {
        let is_inner_doc = matches!(tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == '#');
        if !is_inner_doc {
            break;
        }
        // `#` `!` `[...]`
        for _ in 0..3 {
            if let Some(t) = iter.next() {
                out.extend([t]);
            }
        }
    }
    out.extend(quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
    out.extend(iter);
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
    use crate::surface::graph::TypeGraph;

    /// The generated modules of the fidelity fixture (every construct).
    fn modules<'a>(api: &'a crate::ir::Api, graph: &'a TypeGraph) -> Vec<Module<'a>> {
        vec![
            Module {
                path: "src/operations.rs",
                pieces: operations::pieces(api),
            },
            Module {
                path: "src/types.rs",
                pieces: types::pieces(api, graph),
            },
        ]
    }

    #[test]
    fn joined_pieces_are_the_whole_module_printed_at_once_on_any_number_of_threads() {
        let spec = include_str!("../../tests/fixtures/fidelity.yaml");
        let (api, _) = crate::model(spec).expect("the fixture models");
        let graph = TypeGraph::new(&api);
        let one = rust_files_on(1, "", modules(&api, &graph)).unwrap();
        for module in modules(&api, &graph) {
            let whole: TokenStream = module.pieces.iter().map(|p| p()).collect();
            let file = one.iter().find(|f| f.path == module.path).unwrap();
            assert_eq!(
                file.contents,
                space_items(&print(whole).unwrap()),
                "{}",
                module.path
            );
            assert!(file.contents.lines().count() > 500, "{}", module.path);
        }
        for threads in [2, 3, 16] {
            assert_eq!(
                one,
                rust_files_on(threads, "", modules(&api, &graph)).unwrap()
            );
        }
    }
}
