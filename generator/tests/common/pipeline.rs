//! What must hold for any text given to the generator, shared by the fuzz
//! target (`generator/fuzz`) and the tests that replay its findings.

use generator::Options;
use generator::diagnostics::Severity;
use generator::pointer::Pointer;

/// What the pipeline made of a text.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Files generated, and the number of warnings.
    Files(usize),
    /// Refused; the first error's message.
    Refused(String),
}

/// Runs the whole pipeline on `text` and checks what must hold whatever the
/// text: no panic, and either files or at least one error, every diagnostic
/// with a well-formed pointer and, when it has one, a position inside the text.
pub fn check(text: &str) -> Outcome {
    let options = Options {
        crate_name: "fuzzed".into(),
        test_dependencies: false,
        source: "fuzzed.yaml".into(),
        env_prefix: "GCORE".into(),
    };
    // Line breaks as YAML counts them: LF, CR, CRLF, and (YAML 1.1) NEL, LS
    // and PS.
    let lines = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
        .count()
        + 1;
    let check_position = |d: &generator::diagnostics::Diagnostic| {
        assert!(
            Pointer::parse(&d.pointer).is_some(),
            "not a pointer: {:?}",
            d.pointer
        );
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
        if let Some(line) = d.line {
            // At the end of the input the parser may point at the line after
            // the last.
            assert!(
                line >= 1 && line <= lines + 1,
                "line {line} of {lines}: {d}"
            );
            assert!(d.column.is_some_and(|c| c >= 1), "column: {d:?}");
        }
    };
    match generator::generate(text, &options) {
        Ok(generated) => {
            assert!(!generated.files.is_empty(), "no files");
            for file in &generated.files {
                assert!(!file.path.is_empty() && !file.path.starts_with('/'));
                assert!(
                    !file.path.split('/').any(|part| part == ".."),
                    "{}",
                    file.path
                );
            }
            for w in &generated.warnings {
                assert_ne!(w.severity, Severity::Error, "{w}");
                check_position(w);
            }
            Outcome::Files(generated.warnings.len())
        }
        Err(failure) => {
            let first = failure
                .errors()
                .next()
                .unwrap_or_else(|| panic!("a failure without errors: {failure:?}"));
            for d in &failure.diagnostics {
                check_position(d);
            }
            Outcome::Refused(first.message.clone())
        }
    }
}
