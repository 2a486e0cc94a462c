//! Doc comments from spec text.
//!
//! Descriptions are Markdown written for a documentation site, not rustdoc.
//! Three things in them would break the generated crate: code blocks rustdoc
//! would compile as doctests (fences without a language, indented blocks),
//! list continuation lines clippy flags (`doc_lazy_continuation`,
//! `doc_overindented_list_items`), and tabs (`tabs_in_doc_comments`). They
//! are rewritten here; everything else is kept as written.

use crate::ir::Docs;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for a summary, description and notes.
pub fn attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&lines(docs))
}

pub fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#attrs)* }
}

/// The doc text as lines: summary, description, then notes, as paragraphs.
pub fn lines(docs: &Docs) -> Vec<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let summary = docs
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(s) = summary {
        paragraphs.push(sanitize(s));
    }
    if let Some(d) = description {
        if Some(d) != summary {
            paragraphs.push(sanitize(d));
        }
    }
    for note in &docs.notes {
        paragraphs.push(sanitize(note));
    }
    let mut out = Vec::new();
    for p in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(p);
    }
    out
}

/// Rewrites Markdown so rustdoc and clippy accept it (see the module docs).
pub fn sanitize(text: &str) -> Vec<String> {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented_block = false;
    // Content offset of the list item the previous lines belong to.
    let mut list_offset: Option<usize> = None;
    let mut previous_blank = true;

    for raw in text.lines() {
        // Markdown's two-space hard break becomes a backslash break, so no line
        // ends in spaces.
        let hard_break = raw.ends_with("  ") && !raw.trim().is_empty();
        let mut line = raw.trim_end().to_string();
        if hard_break {
            line.push('\\');
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();

        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
            }
            out.push(line);
            continue;
        }
        if indented_block {
            if line.is_empty() || indent >= 4 {
                out.push(line.get(4..).unwrap_or("").to_string());
                continue;
            }
            close_indented_block(&mut out);
            indented_block = false;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let info = trimmed[marker.len()..].trim();
            fence = Some(marker.clone());
            let info = if is_rust_info(info) { "text" } else { info };
            out.push(format!("{}{marker}{info}", " ".repeat(indent)));
            previous_blank = false;
            continue;
        }
        if line.is_empty() {
            out.push(line);
            previous_blank = true;
            continue;
        }
        if let Some(offset) = list_item_offset(trimmed) {
            list_offset = Some(indent + offset);
            out.push(line);
            previous_blank = false;
            continue;
        }
        match list_offset {
            // A line inside a list item: indented exactly to the item's text.
            Some(offset) if !previous_blank || indent >= offset => {
                out.push(format!("{}{trimmed}", " ".repeat(offset)));
            }
            _ => {
                list_offset = None;
                if indent >= 4 && previous_blank {
                    // An indented code block: rustdoc would compile it.
                    out.push("```text".to_string());
                    out.push(line[4..].to_string());
                    indented_block = true;
                } else {
                    out.push(trimmed.to_string());
                }
            }
        }
        previous_blank = false;
    }
    if indented_block {
        close_indented_block(&mut out);
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

fn close_indented_block(out: &mut Vec<String>) {
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.push("```".to_string());
    out.push(String::new());
}

/// Fence info strings rustdoc treats as Rust (and would run as doctests).
fn is_rust_info(info: &str) -> bool {
    let first = info.split([',', ' ']).next().unwrap_or("");
    first.is_empty()
        || first == "rust"
        || first.starts_with("edition")
        || matches!(
            first,
            "no_run" | "should_panic" | "compile_fail" | "ignore" | "test_harness"
        )
}

/// The offset of the text after a list marker (`- `, `* `, `+ `, `1. `,
/// `1) `), if the line starts a list item.
fn list_item_offset(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    match bytes.first()? {
        b'-' | b'*' | b'+' if bytes.get(1) == Some(&b' ') => Some(2),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let marker = bytes.get(digits)?;
            ((*marker == b'.' || *marker == b')')
                && bytes.get(digits + 1) == Some(&b' ')
                && digits <= 9)
                .then_some(digits + 2)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_without_a_language_become_text() {
        assert_eq!(
            sanitize("a\n```\nx = 1\n```"),
            ["a", "```text", "x = 1", "```"]
        );
        assert_eq!(sanitize("```json\n{}\n```"), ["```json", "{}", "```"]);
        assert_eq!(
            sanitize("```rust\nfn x(){}\n```"),
            ["```text", "fn x(){}", "```"]
        );
    }

    #[test]
    fn indented_code_becomes_a_text_fence() {
        assert_eq!(
            sanitize("Example:\n\n    curl x\n    y\n\nafter"),
            ["Example:", "", "```text", "curl x", "y", "```", "", "after"]
        );
    }

    #[test]
    fn list_continuations_are_indented_to_the_item() {
        assert_eq!(
            sanitize("- one\ncontinued\n- two\n      over"),
            ["- one", "  continued", "- two", "  over"]
        );
        assert_eq!(sanitize("1. a\nb\n\nafter"), ["1. a", "   b", "", "after"]);
    }

    #[test]
    fn hard_breaks_and_tabs() {
        assert_eq!(
            sanitize("Status:  \n0 - draft  \n1 - on"),
            ["Status:\\", "0 - draft\\", "1 - on"]
        );
        assert_eq!(sanitize("a\tb"), ["a    b"]);
    }

    #[test]
    fn paragraphs_join_with_blank_lines_and_skip_duplicates() {
        let docs = Docs {
            summary: Some("Get".into()),
            description: Some("Get".into()),
            notes: vec!["Example: `1`.".into()],
        };
        assert_eq!(lines(&docs), ["Get", "", "Example: `1`."]);
        assert!(lines(&Docs::default()).is_empty());
    }
}
