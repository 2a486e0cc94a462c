//! Binary request bodies: bytes in memory, a file, or a stream.

use crate::error::BuildError;
use crate::request::RequestParts;
use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The body of a binary upload.
///
/// Bytes and files are sent again when a request is retried (a file is
/// reopened); a stream can be read only once, so a request with a streamed
/// body is never retried.
#[derive(Clone)]
pub struct BinaryBody {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    File(PathBuf),
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl BinaryBody {
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        BinaryBody {
            source: Source::Bytes(bytes.into()),
        }
    }

    /// The contents of a file, read while the request is sent.
    pub fn from_file(path: impl Into<PathBuf>) -> Self {
        BinaryBody {
            source: Source::File(path.into()),
        }
    }

    /// Chunks from a stream, sent as they come.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        BinaryBody {
            source: Source::Stream(Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(
                stream,
            ))))),
        }
    }
}

impl From<Bytes> for BinaryBody {
    fn from(bytes: Bytes) -> Self {
        BinaryBody::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for BinaryBody {
    fn from(bytes: Vec<u8>) -> Self {
        BinaryBody::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for BinaryBody {
    fn from(bytes: &'static [u8]) -> Self {
        BinaryBody::from_bytes(bytes)
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(b) => write!(f, "BinaryBody::Bytes({} bytes)", b.len()),
            Source::File(path) => write!(f, "BinaryBody::File({})", path.display()),
            Source::Stream(_) => f.write_str("BinaryBody::Stream"),
        }
    }
}

impl RequestParts {
    /// Sets a binary body with its content type.
    pub fn binary(&mut self, body: &BinaryBody, content_type: &'static str) {
        match &body.source {
            Source::Bytes(bytes) => self.bytes(bytes.clone(), content_type),
            Source::File(path) => {
                let path = path.clone();
                self.custom_body(move |request| {
                    let file = std::fs::File::open(&path).map_err(|e| {
                        BuildError::with_source(format!("cannot open {}", path.display()), e)
                    })?;
                    let len = file.metadata().map(|m| m.len()).ok();
                    let mut request = request
                        .header(CONTENT_TYPE, content_type)
                        .body(tokio::fs::File::from_std(file));
                    if let Some(len) = len {
                        request = request.header(CONTENT_LENGTH, len);
                    }
                    Ok(request)
                });
            }
            Source::Stream(slot) => {
                self.not_replayable = true;
                let slot = Arc::clone(slot);
                self.custom_body(move |request| {
                    let body =
                        slot.lock().ok().and_then(|mut s| s.take()).ok_or_else(|| {
                            BuildError::new("a streamed body can be sent only once")
                        })?;
                    Ok(request.header(CONTENT_TYPE, content_type).body(body))
                });
            }
        }
    }
}
