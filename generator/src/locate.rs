//! Lines and columns for diagnostics: where a JSON pointer is in the source.
//!
//! Stages work on the JSON value and report JSON pointers; the value keeps no
//! positions. When there is something to report, this module reads the text
//! once more with an event parser that knows positions (`saphyr-parser`) and
//! gives every diagnostic the line and column of its node, or of the nearest
//! enclosing node that exists in the text (a pointer into a node the
//! normaliser made, such as the `allOf` wrapper of a `$ref` with siblings, is
//! shown at the node it was made from). A mapping entry is shown at its key,
//! where a reader looks for it. Block, flow and JSON text are all YAML events,
//! so all three are covered. The happy path without diagnostics never runs it.

use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::{HashMap, HashSet};

/// Fills in the line and column of each diagnostic that has none, when its
/// pointer (or an enclosing node other than the document itself) is found in
/// `text`. Text the event parser cannot read leaves the diagnostics as they are.
pub fn locate(text: &str, diagnostics: &mut [Diagnostic]) {
    // As `load` reads it: without a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let wanted: Vec<usize> = (0..diagnostics.len())
        .filter(|i| diagnostics[*i].line.is_none())
        .collect();
    if wanted.is_empty() {
        return;
    }
    // Every pointer on the way to a wanted one.
    let mut prefixes: HashSet<Pointer> = HashSet::new();
    for i in &wanted {
        let tokens = diagnostics[*i].pointer.tokens();
        let mut pointer = Pointer::root();
        prefixes.insert(pointer.clone());
        for token in tokens {
            pointer = pointer.push(&token);
            prefixes.insert(pointer.clone());
        }
    }
    let found = positions(text, &prefixes);
    for i in wanted {
        let d = &mut diagnostics[i];
        let tokens = d.pointer.tokens();
        // The longest prefix found; the document root says nothing.
        let mut best = None;
        let mut pointer = Pointer::root();
        for token in tokens {
            pointer = pointer.push(&token);
            match found.get(&pointer) {
                Some(marker) => best = Some(*marker),
                None => break,
            }
        }
        if let Some(marker) = best {
            d.line = Some(marker.line());
            d.column = Some(marker.col() + 1);
        }
    }
}

/// Where a node's pointer continues: the key of a mapping entry being read,
/// or the index of the next sequence item.
enum Frame {
    Mapping {
        /// Length of the mapping's own pointer in `Walk::pointer`.
        len: usize,
        /// The key just read and where it is; `None` while a key is expected.
        key: Option<(Option<String>, Marker)>,
    },
    Sequence {
        len: usize,
        next: usize,
    },
    /// A subtree whose position nobody asked for, or a complex key; only its
    /// depth is tracked.
    Skipped {
        depth: usize,
        is_key: bool,
    },
}

struct Walk<'p> {
    prefixes: &'p HashSet<Pointer>,
    found: HashMap<Pointer, Marker>,
    pointer: Pointer,
    stack: Vec<Frame>,
}

/// The positions of the nodes whose pointers are in `prefixes`, from the first
/// document in `text`.
fn positions(text: &str, prefixes: &HashSet<Pointer>) -> HashMap<Pointer, Marker> {
    let mut walk = Walk {
        prefixes,
        found: HashMap::new(),
        pointer: Pointer::root(),
        stack: Vec::new(),
    };
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Scalar(value, style, _, tag) => {
                let key = || {
                    if style == ScalarStyle::Plain && tag.is_none() {
                        crate::load::plain_key(&value).unwrap_or_else(|| value.to_string())
                    } else {
                        value.to_string()
                    }
                };
                walk.node(span.start, false, key);
            }
            Event::Alias(_) => walk.node(span.start, false, String::new),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                walk.node(span.start, true, String::new);
                if let Some(Frame::Skipped { .. }) = walk.stack.last() {
                    continue;
                }
                let len = walk.pointer.len();
                walk.stack.push(if is_mapping {
                    Frame::Mapping { len, key: None }
                } else {
                    Frame::Sequence { len, next: 0 }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => walk.end(),
        }
    }
    walk.found
}

impl Walk<'_> {
    /// A node starts at `at`: a scalar or alias (`opens == false`), or a
    /// collection whose end comes later. `key` is the node's text as a key.
    fn node(&mut self, at: Marker, opens: bool, key: impl FnOnce() -> String) {
        match self.stack.last_mut() {
            Some(Frame::Skipped { depth, .. }) => {
                if opens {
                    *depth += 1;
                }
                return;
            }
            Some(Frame::Mapping {
                key: slot @ None, ..
            }) => {
                // A key. A list or mapping as a key cannot be in a pointer.
                if opens {
                    *slot = Some((None, at));
                    self.stack.push(Frame::Skipped {
                        depth: 1,
                        is_key: true,
                    });
                } else {
                    *slot = Some((Some(key()), at));
                }
                return;
            }
            _ => {}
        }
        // A value: its pointer and where it is shown.
        let (token, shown_at) = match self.stack.last_mut() {
            None => (None, at),
            Some(Frame::Mapping { len, key }) => {
                self.pointer.truncate(*len);
                match key.take() {
                    Some((Some(k), key_at)) => (Some(k), key_at),
                    _ => {
                        // Unusable key: nothing below can be asked for.
                        self.skip(opens);
                        return;
                    }
                }
            }
            Some(Frame::Sequence { len, next }) => {
                self.pointer.truncate(*len);
                let token = next.to_string();
                *next += 1;
                (Some(token), at)
            }
            Some(Frame::Skipped { .. }) => return,
        };
        if let Some(token) = token {
            self.pointer = self.pointer.push(&token);
        }
        if !self.prefixes.contains(&self.pointer) {
            self.skip(opens);
            return;
        }
        self.found.insert(self.pointer.clone(), shown_at);
    }

    fn skip(&mut self, opens: bool) {
        if opens {
            self.stack.push(Frame::Skipped {
                depth: 1,
                is_key: false,
            });
        }
    }

    /// A collection ends.
    fn end(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Skipped { depth, is_key }) => {
                *depth -= 1;
                if *depth == 0 {
                    let is_key = *is_key;
                    self.stack.pop();
                    if !is_key {
                        self.restore();
                    }
                }
            }
            Some(_) => {
                self.stack.pop();
                self.restore();
            }
            None => {}
        }
    }

    /// Back to the pointer of the enclosing collection.
    fn restore(&mut self) {
        if let Some(Frame::Mapping { len, .. } | Frame::Sequence { len, .. }) = self.stack.last() {
            self.pointer.truncate(*len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str, pointer: &str) -> (Option<usize>, Option<usize>) {
        let mut d = [Diagnostic::error(pointer, "x")];
        locate(text, &mut d);
        (d[0].line, d[0].column)
    }

    const BLOCK: &str = "\
openapi: 3.1.0
paths:
  /apps/{id}:
    get:
      parameters:
        - name: id
          in: path
      responses:
        200:
          description: ok
        '404': {description: gone}
components:
  schemas:
    a~b: {type: string}
";

    #[test]
    fn block_style_entries_are_found_at_their_keys() {
        assert_eq!(line_of(BLOCK, "#/paths"), (Some(2), Some(1)));
        assert_eq!(
            line_of(BLOCK, "#/paths/~1apps~1{id}/get"),
            (Some(4), Some(5))
        );
        assert_eq!(
            line_of(BLOCK, "#/paths/~1apps~1{id}/get/parameters/0"),
            (Some(6), Some(11))
        );
        assert_eq!(
            line_of(BLOCK, "#/paths/~1apps~1{id}/get/parameters/0/in"),
            (Some(7), Some(11))
        );
        // An integer key, and a quoted one.
        assert_eq!(
            line_of(BLOCK, "#/paths/~1apps~1{id}/get/responses/200/description"),
            (Some(10), Some(11))
        );
        assert_eq!(
            line_of(BLOCK, "#/paths/~1apps~1{id}/get/responses/404/description"),
            (Some(11), Some(17))
        );
        assert_eq!(
            line_of(BLOCK, "#/components/schemas/a~0b/type"),
            (Some(14), Some(11))
        );
    }

    #[test]
    fn missing_nodes_are_shown_at_the_nearest_enclosing_one() {
        assert_eq!(
            line_of(BLOCK, "#/paths/~1apps~1{id}/get/responses/200/content/x"),
            (Some(9), Some(9))
        );
        // Nothing but the root: no line.
        assert_eq!(line_of(BLOCK, "#/nothing"), (None, None));
        assert_eq!(line_of(BLOCK, "#"), (None, None));
    }

    #[test]
    fn flow_style_and_json_are_found_too() {
        let flow =
            "{openapi: 3.1.0, paths: {\n  /a: {get: {responses: {'200': {description: ok}}}}}}\n";
        assert_eq!(
            line_of(flow, "#/paths/~1a/get/responses/200"),
            (Some(2), Some(26))
        );
        let json = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(line_of(json, "#/paths/~1a/get"), (Some(5), Some(7)));
    }

    #[test]
    fn complex_keys_aliases_and_bad_text_do_not_confuse_it() {
        let text = "x:\n  ? [a, b]\n  : {c: 1}\n  d: &anchor {e: 1}\n  f: *anchor\n  g: {h: 1}\n";
        assert_eq!(line_of(text, "#/x/g/h"), (Some(6), Some(7)));
        assert_eq!(line_of(text, "#/x/f"), (Some(5), Some(3)));
        // Inside an alias: shown at the alias.
        assert_eq!(line_of(text, "#/x/f/e"), (Some(5), Some(3)));
        assert_eq!(line_of("a: [1, 2\n", "#/a/0"), (Some(1), Some(5)));
        assert_eq!(line_of("", "#/a"), (None, None));
    }

    #[test]
    fn located_diagnostics_are_left_alone() {
        let mut d = [Diagnostic::error("#/paths", "x").at_line(40, 2)];
        locate(BLOCK, &mut d);
        assert_eq!((d[0].line, d[0].column), (Some(40), Some(2)));
    }
}
