//! Auto-paging for list operations.

use crate::error::Error;
use crate::request::{Operation, Request};
use futures_util::stream::{self, Stream, TryStreamExt};

/// A list operation paged with `limit` and `offset` whose response carries
/// the total count. [`Request::into_stream`] walks all its pages.
pub trait Paginated: Operation + Clone {
    type Item: Send;

    /// The offset this request starts at.
    fn offset(&self) -> u64;

    fn set_offset(&mut self, offset: u64);

    /// The items of one page and the total, when the server sent it.
    fn page(output: Self::Output) -> Page<Self::Item>;
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: Option<u64>,
}

impl<'a, Op> Request<'a, Op>
where
    Op: Paginated + 'a,
{
    /// All items from this request's offset on, fetching pages as the
    /// stream is read. Each page is one request with the same parameters
    /// (and `limit`, if set); the stream ends at the total count or at an
    /// empty page, and stops at the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Op::Item, Error<Op::Error>>> + Send + 'a {
        let Request {
            client,
            operation,
            options,
        } = self;
        stream::try_unfold(Some(operation), move |next| {
            let options = options.clone();
            async move {
                let Some(operation) = next else {
                    return Ok::<_, Error<Op::Error>>(None);
                };
                let offset = operation.offset();
                let request = Request {
                    client,
                    operation: operation.clone(),
                    options,
                };
                let page = Op::page(request.send().await?);
                let fetched = page.items.len() as u64;
                let end = offset + fetched;
                let done = fetched == 0 || page.total.is_some_and(|total| end >= total);
                let next = (!done).then(|| {
                    let mut operation = operation;
                    operation.set_offset(end);
                    operation
                });
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
            }
        })
        .try_flatten()
    }
}
