//! Binary request bodies: bytes in memory, a file, or a stream.

use crate::error::BuildError;
use crate::request::{Body, RequestParts};
use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The body of a binary upload.
///
/// Every body but a one-shot stream is sent again when a request is retried:
/// bytes as they are, a file reopened and read from the start, a stream
/// made again by its function. A one-shot stream ([`BinaryBody::from_stream`])
/// can be read only once, so a request with one is never retried.
#[derive(Clone)]
pub struct BinaryBody {
    source: Source,
}

type MakeStream = Arc<dyn Fn() -> reqwest::Body + Send + Sync>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    File(PathBuf),
    Replayable(MakeStream),
    Once(Arc<Mutex<Option<reqwest::Body>>>),
}

impl BinaryBody {
    /// Bytes in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        BinaryBody {
            source: Source::Bytes(bytes.into()),
        }
    }

    /// The contents of a file, streamed from disk while the request is sent
    /// (with its length). The file is opened when the request is sent, and
    /// reopened for a retry; a file that cannot be opened fails the request
    /// with [`crate::Error::Build`].
    pub fn from_file(path: impl Into<PathBuf>) -> Self {
        BinaryBody {
            source: Source::File(path.into()),
        }
    }

    /// Chunks from a stream that `make` creates for each attempt, so that a
    /// retry sends the whole body again.
    pub fn from_replayable_stream<F, S>(make: F) -> Self
    where
        F: Fn() -> S + Send + Sync + 'static,
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        BinaryBody {
            source: Source::Replayable(Arc::new(move || reqwest::Body::wrap_stream(make()))),
        }
    }

    /// Chunks from a stream, sent as they come. The stream can be read only
    /// once: the request is not retried (see
    /// [`BinaryBody::from_replayable_stream`]).
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        BinaryBody {
            source: Source::Once(Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(
                stream,
            ))))),
        }
    }

    /// Whether a retry can send the body again.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Once(_))
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
            Source::Replayable(_) => f.write_str("BinaryBody::ReplayableStream"),
            Source::Once(_) => f.write_str("BinaryBody::Stream"),
        }
    }
}

impl RequestParts {
    /// Sets a binary body with its content type.
    pub fn binary(&mut self, body: &BinaryBody, content_type: &'static str) {
        let apply: Arc<dyn Fn(reqwest::RequestBuilder) -> _ + Send + Sync> = match &body.source {
            Source::Bytes(bytes) => return self.bytes(bytes.clone(), content_type),
            Source::File(path) => {
                let path = path.clone();
                Arc::new(move |request: reqwest::RequestBuilder| {
                    let path = path.clone();
                    Box::pin(async move {
                        let file = tokio::fs::File::open(&path).await.map_err(|e| {
                            BuildError::with_source(format!("cannot open {}", path.display()), e)
                        })?;
                        let len = file.metadata().await.ok().map(|m| m.len());
                        let mut request = request.header(CONTENT_TYPE, content_type).body(file);
                        if let Some(len) = len {
                            request = request.header(CONTENT_LENGTH, len);
                        }
                        Ok(request)
                    }) as crate::request::BodyFuture
                })
            }
            Source::Replayable(make) => {
                let make = Arc::clone(make);
                Arc::new(move |request: reqwest::RequestBuilder| {
                    let request = request.header(CONTENT_TYPE, content_type).body(make());
                    Box::pin(std::future::ready(Ok(request))) as crate::request::BodyFuture
                })
            }
            Source::Once(slot) => {
                self.not_replayable = true;
                let slot = Arc::clone(slot);
                Arc::new(move |request: reqwest::RequestBuilder| {
                    let body =
                        slot.lock().ok().and_then(|mut s| s.take()).ok_or_else(|| {
                            BuildError::new("a streamed body can be sent only once")
                        });
                    let request = body.map(|b| request.header(CONTENT_TYPE, content_type).body(b));
                    Box::pin(std::future::ready(request)) as crate::request::BodyFuture
                })
            }
        };
        self.body = Some(Body::Custom(apply));
    }
}
