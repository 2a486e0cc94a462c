//! Problems found in a spec, each tied to the place it was found.
//!
//! Every stage reports through [`Diagnostic`]: a message, the JSON pointer of the
//! offending node (`#/paths/~1apps/get/responses/200`) and, where the YAML parser
//! knows it, the line and column. Stages that can go on after a problem collect
//! several before failing, so one run shows a maintainer most of what is wrong.

pub use crate::pointer::Pointer;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec cannot be turned into a client; nothing is written.
    Error,
    /// The spec is invalid here, but what it means is unambiguous; the
    /// generator assumed that meaning and said what it assumed. `--strict`
    /// ([`refuse_assumptions`]) turns these into errors.
    Assumed,
    /// The spec uses something the generator maps to a documented fallback.
    Warning,
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer of the node the problem is about, as a URI fragment (`#/...`).
    pub pointer: Pointer,
    /// 1-based line and column in the source text, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn warning(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(pointer, message)
        }
    }

    /// The spec is invalid at `pointer`, and `message` says what was assumed.
    pub fn assumed(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Assumed,
            ..Diagnostic::error(pointer, message)
        }
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Renders the diagnostic for a spec read from `file`:
    /// `spec.yaml:12:5: error: #/paths/~1apps/get: message`.
    pub fn display_in<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        DisplayIn {
            diagnostic: self,
            file,
        }
    }
}

struct DisplayIn<'a> {
    diagnostic: &'a Diagnostic,
    file: &'a str,
}

impl fmt::Display for DisplayIn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        f.write_str(self.file)?;
        if let Some(line) = d.line {
            write!(f, ":{line}")?;
            if let Some(column) = d.column {
                write!(f, ":{column}")?;
            }
        }
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Assumed => "warning (assumed)",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}: {}", d.pointer, d.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display_in("<spec>").fmt(f)
    }
}

/// The errors that stopped generation (at least one), plus the warnings found
/// on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Failure {
            diagnostics: vec![diagnostic],
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            d.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// `--strict`: every assumption made about an invalid spec becomes an error,
/// so that nothing is generated from a document that is not valid as written.
pub fn refuse_assumptions(warnings: &[Diagnostic]) -> Result<(), Failure> {
    if !warnings.iter().any(|d| d.severity == Severity::Assumed) {
        return Ok(());
    }
    let mut diagnostics: Vec<Diagnostic> = warnings
        .iter()
        .map(|d| match d.severity {
            Severity::Assumed => Diagnostic {
                severity: Severity::Error,
                ..d.clone()
            },
            _ => d.clone(),
        })
        .collect();
    diagnostics.sort_by_key(|d| d.severity);
    Err(Failure { diagnostics })
}

/// Collects diagnostics across a stage, up to a limit on errors so a badly broken
/// document does not flood the terminal.
#[derive(Debug, Default)]
pub struct Collector {
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    /// Nodes a stage made or moved, with where they came from: (pointer now,
    /// pointer in the document), in the order they were recorded.
    moves: Vec<(Pointer, Pointer)>,
}

/// Errors beyond this many are counted but not kept.
pub const MAX_ERRORS: usize = 50;

impl Collector {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if diagnostic.severity == Severity::Error {
            self.errors += 1;
            if self.errors > MAX_ERRORS {
                return;
            }
        }
        self.diagnostics.push(diagnostic);
    }

    pub fn error(&mut self, pointer: impl Into<Pointer>, message: impl Into<String>) {
        self.push(Diagnostic::error(pointer, message));
    }

    pub fn warning(&mut self, pointer: impl Into<Pointer>, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    /// The spec is invalid at `pointer`, but `message` says what it
    /// unambiguously means and what the generator does with it.
    pub fn assumed(&mut self, pointer: impl Into<Pointer>, message: impl Into<String>) {
        self.push(Diagnostic::assumed(pointer, message));
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Records that the node now at `now` (and everything below it) is at
    /// `original` in the document, so problems found there are reported
    /// where a reader finds them. Record a node before the nodes inside it.
    pub fn moved(&mut self, now: Pointer, original: Pointer) {
        self.moves.push((now, original));
    }

    /// Rewrites pointers to moved nodes into document pointers. Moves inside
    /// other moves were recorded later, so they are undone first; once a move
    /// is undone, only moves of enclosing nodes (fewer tokens) apply.
    fn undo_moves(&mut self) {
        if self.moves.is_empty() {
            return;
        }
        for d in &mut self.diagnostics {
            let mut limit = usize::MAX;
            for (now, original) in self.moves.iter().rev() {
                let tokens = now.depth();
                if tokens >= limit {
                    continue;
                }
                if let Some(rebased) = d.pointer.rebase(now, original) {
                    d.pointer = rebased;
                    limit = tokens;
                }
            }
        }
    }

    /// Ends the stage: the warnings when there were no errors, else the failure.
    pub fn finish(mut self) -> Result<Vec<Diagnostic>, Failure> {
        self.undo_moves();
        if self.errors == 0 {
            return Ok(self.diagnostics);
        }
        if self.errors > MAX_ERRORS {
            let hidden = self.errors - MAX_ERRORS;
            self.diagnostics.push(Diagnostic::error(
                "#",
                format!("{hidden} more errors not shown"),
            ));
        }
        // Errors first, in document order of discovery; warnings after.
        self.diagnostics.sort_by_key(|d| d.severity);
        Err(Failure {
            diagnostics: self.diagnostics,
        })
    }

    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        self.undo_moves();
        self.diagnostics
    }

    /// Where each problem is, in order (for tests).
    #[cfg(test)]
    pub fn into_pointers(self) -> Vec<String> {
        self.into_diagnostics()
            .into_iter()
            .map(|d| d.pointer.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_pointer() {
        let d = Diagnostic::error("#/paths", "bad").at_line(3, 7);
        assert_eq!(
            d.display_in("spec.yaml").to_string(),
            "spec.yaml:3:7: error: #/paths: bad"
        );
        let w = Diagnostic::warning("#/x", "fallback");
        assert_eq!(
            w.display_in("s.yaml").to_string(),
            "s.yaml: warning: #/x: fallback"
        );
    }

    #[test]
    fn strict_turns_assumptions_into_errors_and_keeps_fallbacks() {
        let fallback = Diagnostic::warning("#/a", "fallback");
        assert!(refuse_assumptions(std::slice::from_ref(&fallback)).is_ok());
        let assumed = Diagnostic::assumed("#/b", "assumed a string").at_line(2, 3);
        let failure = refuse_assumptions(&[fallback, assumed]).unwrap_err();
        let first = &failure.diagnostics[0];
        assert_eq!(first.severity, Severity::Error);
        assert_eq!((first.pointer.as_str(), first.line), ("#/b", Some(2)));
        assert_eq!(failure.errors().count(), 1);
    }

    #[test]
    fn moved_nodes_are_reported_where_they_came_from() {
        let mut c = Collector::default();
        // `X` had `$ref` and `allOf: [A, B]`: the `$ref` went to a new
        // `allOf/0`, A and B one place on.
        c.moved("#/X/allOf/0".into(), "#/X".into());
        c.moved("#/X/allOf/1".into(), "#/X/allOf/0".into());
        c.moved("#/X/allOf/2".into(), "#/X/allOf/1".into());
        // Inside B, the same again.
        c.moved("#/X/allOf/2/allOf/0".into(), "#/X/allOf/2".into());
        for at in [
            "#/X/allOf/0/$ref",
            "#/X/allOf/1",
            "#/X/allOf/2/allOf/0",
            "#/X/allOf/2/allOf/0/$ref",
            "#/X/allOf/10",
            "#/Y/allOf/0",
        ] {
            c.error(at, "e");
        }
        let pointers = c.into_pointers();
        assert_eq!(
            pointers,
            [
                "#/X/$ref",
                "#/X/allOf/0",
                "#/X/allOf/1",
                "#/X/allOf/1/$ref",
                "#/X/allOf/10",
                "#/Y/allOf/0"
            ]
        );
    }

    #[test]
    fn collector_caps_errors_and_reports_the_rest() {
        let mut c = Collector::default();
        for i in 0..(MAX_ERRORS + 5) {
            c.error("#", format!("e{i}"));
        }
        let failure = c.finish().unwrap_err();
        assert_eq!(failure.diagnostics.len(), MAX_ERRORS + 1);
        assert!(
            failure
                .diagnostics
                .last()
                .unwrap()
                .message
                .contains("5 more")
        );
    }
}
