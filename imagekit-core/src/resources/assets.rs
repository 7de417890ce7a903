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

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{Asset, AssetSort, AssetType, FileTypeFilter};
use crate::operation::{ApiPath, Operation};
use crate::resources::handle::resource;
use crate::send::CallFuture;
use std::future::Future;

/// The most results one page can hold, and the API's default page size.
pub const MAX_LIMIT: u32 = 1000;

resource! {
    /// Asset operations, from [`crate::Client::assets`].
    Assets
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

impl<C: Caller> Assets<C> {
    /// One page of files, file versions and folders matching `params`.
    ///
    /// `GET /v1/files`
    pub fn list(&self, params: ListAssets) -> C::Call<Vec<Asset>> {
        self.caller.call(params.operation())
    }
}

/// Listing every match, on the async client.
impl Assets<crate::client::Client> {
    /// Every asset matching `params`, page after page, as a lazy stream.
    ///
    /// Pages of `params.limit` results (1000 when unset) start at `params.skip`. The next page is
    /// only requested when the items already fetched are used up; a page shorter than the limit
    /// is the last one. An error is yielded once, after every item fetched before it, and ends
    /// the stream. Works with any executor.
    ///
    /// `GET /v1/files`, repeatedly
    pub fn list_all(&self, params: ListAssets) -> AssetStream {
        AssetStream { client: self.caller.clone(), pages: Pages::new(params), in_flight: None }
    }
}

/// Listing every match, on the blocking client.
#[cfg(not(target_arch = "wasm32"))]
impl Assets<crate::blocking::BlockingClient> {
    /// Every asset matching `params`, page after page, as a lazy iterator: the blocking twin of
    /// the async client's `list_all`, with the same paging and the same end on error.
    ///
    /// `GET /v1/files`, repeatedly
    pub fn list_all(&self, params: ListAssets) -> AssetIter {
        AssetIter { client: self.caller.clone(), pages: Pages::new(params) }
    }
}

/// Where paging through a listing stands: shared by the stream and the iterator.
#[derive(Debug)]
struct Pages {
    params: ListAssets,
    page_size: u32,
    next_skip: u32,
    buffered: VecDeque<Asset>,
    done: bool,
    /// The first asset of the last full page, to notice a server that ignores `skip`.
    last_page_start: Option<Asset>,
}

impl Pages {
    fn new(params: ListAssets) -> Self {
        Self {
            page_size: params.limit.unwrap_or(MAX_LIMIT),
            next_skip: params.skip.unwrap_or(0),
            params,
            buffered: VecDeque::new(),
            done: false,
            last_page_start: None,
        }
    }

    /// The next item if one is at hand: `Some(None)` when the listing is over, `None` when the
    /// next page must be fetched.
    fn ready(&mut self) -> Option<Option<Asset>> {
        match self.buffered.pop_front() {
            Some(asset) => Some(Some(asset)),
            None if self.done => Some(None),
            None => None,
        }
    }

    /// The operation of the next page.
    fn next_page(&self) -> Result<Operation<Vec<Asset>>, Error> {
        self.params.clone().skip(self.next_skip).limit(self.page_size).operation()
    }

    /// Takes a fetched page in; an error ends the listing and is returned to be yielded.
    fn take(&mut self, outcome: Result<Vec<Asset>, Error>) -> Option<Error> {
        let page = match outcome {
            Ok(page) => page,
            Err(error) => {
                self.done = true;
                return Some(error);
            }
        };
        let fetched = u32::try_from(page.len()).unwrap_or(u32::MAX);
        if fetched < self.page_size {
            self.done = true;
        } else if page.first() == self.last_page_start.as_ref() {
            // The same full page again: paging on would never end.
            self.done = true;
            return Some(Error::invalid_input(
                "skip",
                "the server answered the same page for a later skip; it seems to ignore skip, so \
                 listing stopped instead of repeating forever",
            ));
        } else {
            self.last_page_start = page.first().cloned();
        }
        self.next_skip = self.next_skip.saturating_add(fetched);
        self.buffered.extend(page);
        None
    }
}

/// The stream of [`Assets::list_all`]: yields `Result<Asset, Error>`.
#[must_use = "a stream does nothing unless polled"]
pub struct AssetStream {
    client: crate::client::Client,
    pages: Pages,
    in_flight: Option<CallFuture<Vec<Asset>, Vec<Asset>>>,
}

impl std::fmt::Debug for AssetStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssetStream")
            .field("params", &self.pages.params)
            .field("next_skip", &self.pages.next_skip)
            .field("buffered", &self.pages.buffered.len())
            .field("fetching", &self.in_flight.is_some())
            .field("done", &self.pages.done)
            .finish()
    }
}

impl Stream for AssetStream {
    type Item = Result<Asset, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.pages.ready() {
                return Poll::Ready(item.map(Ok));
            }
            let future = match &mut this.in_flight {
                Some(future) => future,
                None => this.in_flight.insert(this.client.call(this.pages.next_page()).send()),
            };
            let Poll::Ready(outcome) = Pin::new(future).poll(cx) else { return Poll::Pending };
            this.in_flight = None;
            if let Some(error) = this.pages.take(outcome) {
                return Poll::Ready(Some(Err(error)));
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.pages.buffered.len();
        (buffered, if self.pages.done { Some(buffered) } else { None })
    }
}

/// The iterator of the blocking client's `list_all`: yields `Result<Asset, Error>`.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
#[must_use = "an iterator does nothing unless iterated"]
pub struct AssetIter {
    client: crate::blocking::BlockingClient,
    pages: Pages,
}

#[cfg(not(target_arch = "wasm32"))]
impl Iterator for AssetIter {
    type Item = Result<Asset, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pages.ready() {
                return item.map(Ok);
            }
            let outcome = self.client.call(self.pages.next_page());
            if let Some(error) = self.pages.take(outcome) {
                return Some(Err(error));
            }
        }
    }
}
