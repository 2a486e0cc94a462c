//! The whole pipeline, text in, files out: whatever the text, the generator
//! returns files or located errors, and never panics, overflows its stack or
//! runs out of memory. See README.md, "Fuzzing".
#![no_main]

#[path = "../../tests/common/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    pipeline::check(&String::from_utf8_lossy(data));
});
