//! Paging for list operations: whole pages, or their items.

use crate::error::Error;
use crate::request::{Operation, Request};
use futures_util::stream::{self, Stream, TryStreamExt};

/// A list operation paged with `limit` and `offset` whose response carries
/// the total count. [`Request::into_pages`] and [`Request::into_stream`]
/// walk its pages.
pub trait Paginated: Operation + Clone {
    type Item: Send;

    /// The offset this request starts at.
    fn offset(&self) -> u64;

    fn set_offset(&mut self, offset: u64);

    /// The page that a response at `offset` holds.
    fn page(output: Self::Output, offset: u64) -> Page<Self::Item>;
}

/// One page of a list, with what the response says about the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole list has, when the response says.
    pub total: Option<u64>,
    /// Where this page starts in the list (the request's `offset`).
    pub offset: u64,
}

impl<T> Page<T> {
    /// Where the next page starts, or `None` after the last one (the total
    /// is reached, or this page is empty). To resume a walk later, send the
    /// same request with `.offset(next)`.
    pub fn next_offset(&self) -> Option<u64> {
        let end = self.offset + self.items.len() as u64;
        let last = self.items.is_empty() || self.total.is_some_and(|total| end >= total);
        (!last).then_some(end)
    }
}

impl<Op> Request<Op>
where
    Op: Paginated + 'static,
{
    /// The pages from this request's offset on, each fetched as the stream
    /// is read: one request per page with the same parameters (and
    /// `limit`, if set), the next starting at [`Page::next_offset`]. The
    /// stream ends after the last page, and at the first error.
    ///
    /// ```no_run
    #[doc = concat!("# use ", env!("CARGO_CRATE_NAME"), "::{Error, Paginated, Request};")]
    /// # use futures_util::TryStreamExt;
    /// # async fn walk<Op: Paginated + 'static>(request: Request<Op>) -> Result<(), Error<Op::Error>> {
    /// let mut pages = std::pin::pin!(request.into_pages());
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} of {:?} items from {}", page.items.len(), page.total, page.offset);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_pages(
        self,
    ) -> impl Stream<Item = Result<Page<Op::Item>, Error<Op::Error>>> + Send + 'static {
        let Request {
            client,
            operation,
            options,
        } = self;
        stream::try_unfold(Some(operation), move |next| {
            let client = client.clone();
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
                let page = Op::page(request.send().await?, offset);
                let next = page.next_offset().map(|end| {
                    let mut operation = operation;
                    operation.set_offset(end);
                    operation
                });
                Ok(Some((page, next)))
            }
        })
    }

    /// All items from this request's offset on: the items of
    /// [`Request::into_pages`], one after another. The stream stops at the
    /// first error, after the items before it.
    pub fn into_stream(
        self,
    ) -> impl Stream<Item = Result<Op::Item, Error<Op::Error>>> + Send + 'static {
        self.into_pages()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
    }
}
