//! Binary responses read as a stream instead of all at once.

use crate::client::OperationInfo;
use crate::error::Error;
use crate::request::{Operation, RawResponse, Received, Request, RequestParts, Response};
use bytes::Bytes;
use futures_util::stream::{self, Stream, TryStreamExt};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// An operation whose success response is binary (a file). Awaiting its
/// request gives the whole body as [`Bytes`];
/// [`Request::send_streaming`] gives it as a [`ByteStream`].
pub trait Download: Operation<Output = Bytes> {}

/// The body of a binary response, chunk by chunk as it arrives. A failure
/// while reading (the connection dropped, the request's timeout passed) ends
/// the stream with an error; it is not retried.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>,
}

impl ByteStream {
    /// Reads the rest of the stream into memory.
    pub async fn collect(self) -> Result<Bytes, reqwest::Error> {
        let all = self
            .inner
            .try_fold(Vec::new(), |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            })
            .await?;
        Ok(all.into())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}

impl<Op: Download> Request<Op> {
    /// Sends the request; a success's body is not read but returned as a
    /// stream, with the status and headers. Errors are read and decoded as
    /// usual. Retries happen only until a success's head arrives.
    pub async fn send_streaming(self) -> Result<Response<ByteStream>, Error<Op::Error>> {
        let mut parts = RequestParts::default();
        self.operation.build(&mut parts)?;
        match self
            .client
            .execute(OperationInfo::of::<Op>(), parts, &self.options, true)
            .await?
        {
            Received::Streaming(response) => Ok(Response {
                status: response.status(),
                headers: response.headers().clone(),
                body: ByteStream {
                    inner: Box::pin(response.bytes_stream()),
                },
            }),
            Received::Full(raw) => whole::<Op>(raw),
        }
    }
}

/// A response read whole (an error status, decoded as such).
fn whole<Op: Download>(raw: RawResponse) -> Result<Response<ByteStream>, Error<Op::Error>> {
    let body = Op::decode(&raw)?;
    Ok(Response {
        status: raw.status,
        headers: raw.headers,
        body: ByteStream {
            inner: Box::pin(stream::iter([Ok(body)])),
        },
    })
}
