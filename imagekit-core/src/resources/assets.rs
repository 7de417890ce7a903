//! Listing and searching assets: `client.assets()`.
//!
//! ```
//! # async fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
//! use imagekit_core::models::AssetSort;
//! use imagekit_core::resources::assets::ListAssets;
//!
//! let page = client
//!     .assets()
//!     .list(ListAssets::new().search_query(r#"createdAt > "7d""#).sort(AssetSort::DescCreated).limit(50))
//!     .await?;
//! for asset in &page {
//!     if let Some(file) = asset.as_file() {
//!         println!("{:?}", file.file_path);
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! [`Assets::list_all`] pages through every match lazily, as a [`futures_core::Stream`].

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use http::Method;

use crate::client::{Call, Client};
use crate::error::Error;
use crate::models::{Asset, AssetSort, AssetType, FileTypeFilter};
use crate::operation::{ApiPath, Operation};
use crate::transport::BoxFuture;

/// The most results one page can hold, and the API's default page size.
pub const MAX_LIMIT: u32 = 1000;

/// Asset operations, from [`Client::assets`].
#[derive(Clone, Copy, Debug)]
pub struct Assets<'c> {
    pub(crate) client: &'c Client,
}

/// Parameters of [`Assets::list`]: filters, order and the page (`skip`/`limit`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListAssets {
    /// Which kinds of assets (`type`); the API's default is current files.
    pub kind: Option<AssetType>,
    /// The order (`sort`).
    pub sort: Option<AssetSort>,
    /// Only assets under this folder (`path`), e.g. `/catalog/`.
    pub path: Option<String>,
    /// A search expression (`searchQuery`), e.g. `size > "1mb" AND format IN ["jpg", "png"]`.
    pub search_query: Option<String>,
    /// Images, non-images or all (`fileType`).
    pub file_type: Option<FileTypeFilter>,
    /// Page size, 1 to 1000 (`limit`); the API's default is 1000.
    pub limit: Option<u32>,
    /// How many results to skip (`skip`).
    pub skip: Option<u32>,
}

impl ListAssets {
    /// No filter: the API's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Which kinds of assets to list (`type`).
    #[doc(alias = "type")]
    pub fn kind(mut self, kind: AssetType) -> Self {
        self.kind = Some(kind);
        self
    }

    /// The order.
    pub fn sort(mut self, sort: AssetSort) -> Self {
        self.sort = Some(sort);
        self
    }

    /// Only assets under this folder.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// A search expression; ImageKit then ignores `type`-style filters it replaces.
    pub fn search_query(mut self, query: impl Into<String>) -> Self {
        self.search_query = Some(query.into());
        self
    }

    /// Images, non-images or all.
    pub fn file_type(mut self, file_type: FileTypeFilter) -> Self {
        self.file_type = Some(file_type);
        self
    }

    /// Page size, 1 to 1000.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// How many results to skip.
    pub fn skip(mut self, skip: u32) -> Self {
        self.skip = Some(skip);
        self
    }

    fn operation(&self) -> Result<Operation<Vec<Asset>>, Error> {
        if let Some(limit) = self.limit {
            if !(1..=MAX_LIMIT).contains(&limit) {
                return Err(Error::invalid_input(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}, got {limit}"),
                ));
            }
        }
        Ok(Operation::json("list-and-search-assets", Method::GET, ApiPath::new("/v1/files"))
            .query_opt("type", self.kind.as_ref())
            .query_opt("sort", self.sort.as_ref())
            .query_opt("path", self.path.as_ref())
            .query_opt("searchQuery", self.search_query.as_ref())
            .query_opt("fileType", self.file_type.as_ref())
            .query_opt("limit", self.limit)
            .query_opt("skip", self.skip))
    }
}

impl<'c> Assets<'c> {
    /// One page of files, file versions and folders matching `params`.
    ///
    /// `GET /v1/files`
    pub fn list(&self, params: ListAssets) -> Call<'c, Vec<Asset>> {
        self.client.call(params.operation())
    }

    /// Every asset matching `params`, page after page, as a lazy stream.
    ///
    /// Pages of `params.limit` results (1000 when unset) start at `params.skip`. The next page is
    /// only requested when the items already fetched are used up; a page shorter than the limit
    /// is the last one. An error is yielded once, after every item fetched before it, and ends
    /// the stream. Works with any executor.
    ///
    /// `GET /v1/files`, repeatedly
    pub fn list_all(&self, params: ListAssets) -> AssetStream<'c> {
        AssetStream {
            client: self.client,
            page_size: params.limit.unwrap_or(MAX_LIMIT),
            next_skip: params.skip.unwrap_or(0),
            params,
            buffered: VecDeque::new(),
            in_flight: None,
            done: false,
            last_page_start: None,
        }
    }
}

/// The stream of [`Assets::list_all`]: yields `Result<Asset, Error>`.
#[must_use = "a stream does nothing unless polled"]
pub struct AssetStream<'c> {
    client: &'c Client,
    params: ListAssets,
    page_size: u32,
    next_skip: u32,
    buffered: VecDeque<Asset>,
    in_flight: Option<BoxFuture<'c, Result<Vec<Asset>, Error>>>,
    done: bool,
    /// The first asset of the last full page, to notice a server that ignores `skip`.
    last_page_start: Option<Asset>,
}

impl std::fmt::Debug for AssetStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssetStream")
            .field("params", &self.params)
            .field("next_skip", &self.next_skip)
            .field("buffered", &self.buffered.len())
            .field("fetching", &self.in_flight.is_some())
            .field("done", &self.done)
            .finish()
    }
}

impl Stream for AssetStream<'_> {
    type Item = Result<Asset, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(asset) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(asset)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let future = match &mut this.in_flight {
                Some(future) => future,
                None => {
                    let page = this.params.clone().skip(this.next_skip).limit(this.page_size);
                    let call = this.client.call(page.operation());
                    this.in_flight.insert(Box::pin(call.send()))
                }
            };
            let outcome = match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(outcome) => outcome,
            };
            this.in_flight = None;
            match outcome {
                Ok(page) => {
                    let fetched = u32::try_from(page.len()).unwrap_or(u32::MAX);
                    if fetched < this.page_size {
                        this.done = true;
                    } else if page.first() == this.last_page_start.as_ref() {
                        // The same full page again: paging on would never end.
                        this.done = true;
                        return Poll::Ready(Some(Err(Error::invalid_input(
                            "skip",
                            "the server answered the same page for a later skip; it seems to ignore \
                             skip, so listing stopped instead of repeating forever",
                        ))));
                    } else {
                        this.last_page_start = page.first().cloned();
                    }
                    this.next_skip = this.next_skip.saturating_add(fetched);
                    this.buffered.extend(page);
                }
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.buffered.len(), if self.done { Some(self.buffered.len()) } else { None })
    }
}
