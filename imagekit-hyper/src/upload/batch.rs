//! Uploading many files, a few at a time, as a [`Stream`] of how each one ended.
//!
//! ```no_run
//! use imagekit_hyper::upload::batch::{BatchUpload, Done};
//! use imagekit_hyper::upload::tree::TreeWalk;
//!
//! # async fn run() -> Result<(), imagekit_core::Error> {
//! let client = imagekit_hyper::from_env()?;
//! let mut uploads = BatchUpload::new(client)
//!     .concurrency(8)
//!     .skip_existing(true)
//!     .configure(|call, _entry| call.tags(["archive"]))
//!     .start(TreeWalk::new(["photos"], "/archive"));
//! while let Some(item) = uploads.next().await {
//!     match item {
//!         Ok(file) => match file.result {
//!             Ok(Done::Uploaded(_)) => println!("uploaded {}", file.entry.remote_path()),
//!             Ok(Done::Skipped) => println!("already there: {}", file.entry.remote_path()),
//!             Ok(_) => {}
//!             Err(error) => eprintln!("{}: {}", file.entry.local_path.display(), error.report()),
//!         },
//!         Err(walk_error) => eprintln!("{walk_error}"),
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # What it does
//!
//! * Entries are taken from the iterator only as upload slots free up, so a walk of a large
//!   tree is never read ahead, and at most `concurrency` files are open at once. Each file is
//!   streamed from disk ([`super::file`]), never loaded whole.
//! * Each file is uploaded (v1, with the private key) into its entry's folder under its name,
//!   with `useUniqueFileName=false`, so the remote path is the one the entry names; an existing
//!   file there gets a new version. [`BatchUpload::configure`] changes any of that per file.
//! * Retries are the client's: its [`RetryPolicy`](imagekit_core::RetryPolicy) and sleeper
//!   decide, file by file (429 and connections that could not be made are retried; a 5xx to an
//!   upload is not, since the file may have been stored). Nothing is retried here on top.
//! * A failure is that file's outcome; the others go on.
//! * Outcomes come as they finish, not in the walk's order. An entry the iterator could not
//!   produce (a [`WalkError`]) is passed through as an `Err` item.
//!
//! # Stopping
//!
//! Dropping the stream drops the uploads in flight (their connections are closed mid-body, or
//! their answers are not read: the latter may have been stored). [`UploadStream::stop`] starts
//! no new upload and lets those in flight finish; [`UploadStream::in_flight`] says which they
//! are, and [`UploadStream::into_rest`] gives back the entries never started.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::iter::Fuse;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::FuturesUnordered;
use imagekit_core::models::{AssetType, UploadOutcome};
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::{Client, Error, UploadCall};
use tokio::sync::OnceCell;

use super::tree::{UploadEntry, WalkError};

/// How many uploads run at once unless [`BatchUpload::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// What a finished file came to, when it did not fail.
#[derive(Debug)]
#[non_exhaustive]
pub enum Done {
    /// Uploaded: ImageKit's answer.
    Uploaded(UploadOutcome),
    /// Not uploaded: a file already exists at the entry's remote path
    /// ([`BatchUpload::skip_existing`]).
    Skipped,
}

/// How one file of a batch ended: its entry and the upload's result.
#[derive(Debug)]
#[non_exhaustive]
pub struct FileOutcome {
    /// The file.
    pub entry: UploadEntry,
    /// Uploaded or skipped, or why it failed.
    pub result: Result<Done, Error>,
}

/// Changes each file's upload before it is sent: tags, options, a progress callback.
type Configure = dyn Fn(UploadCall, &UploadEntry) -> UploadCall + Send + Sync;

/// The paths of the files in one remote folder, listed once when a file is first bound there.
type FolderPaths = Arc<OnceCell<HashSet<String>>>;

/// A batch of uploads being set up; [`BatchUpload::start`] runs it over entries.
///
/// Against the in-memory emulator of `imagekit-mock`, entries made by hand:
///
/// ```
/// use imagekit_hyper::upload::batch::{BatchUpload, Done};
/// use imagekit_hyper::upload::tree::UploadEntry;
/// use imagekit_mock::emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = std::env::temp_dir().join(format!("imagekit-batch-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("a.txt"), "first")?;
/// std::fs::write(dir.join("b.txt"), "second")?;
///
/// let emulator = Emulator::new("private_doc");
/// let client = imagekit_core::Client::builder()
///     .private_key("private_doc")
///     .transport(emulator.clone())
///     .sleeper(tokio::time::sleep)
///     .build()?;
/// let entries = ["a.txt", "b.txt"].map(|name| Ok(UploadEntry::new(dir.join(name), "/docs", name)));
/// let mut uploads = BatchUpload::new(client).concurrency(2).start(entries);
/// let mut uploaded = Vec::new();
/// while let Some(item) = uploads.next().await {
///     let file = item?;
///     assert!(matches!(file.result, Ok(Done::Uploaded(_))));
///     uploaded.push(file.entry.remote_path());
/// }
/// uploaded.sort();
/// assert_eq!(uploaded, ["/docs/a.txt", "/docs/b.txt"]);
/// assert_eq!(emulator.file_count(), 2);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(()) }
/// ```
#[must_use = "a batch does nothing until started and polled"]
pub struct BatchUpload {
    client: Client,
    concurrency: usize,
    skip_existing: bool,
    configure: Option<Arc<Configure>>,
}

impl fmt::Debug for BatchUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchUpload")
            .field("concurrency", &self.concurrency)
            .field("skip_existing", &self.skip_existing)
            .field("configure", &self.configure.is_some())
            .finish_non_exhaustive()
    }
}

impl BatchUpload {
    /// A batch over `client` (with its retry policy and timeouts), [`DEFAULT_CONCURRENCY`]
    /// uploads at a time.
    pub fn new(client: Client) -> Self {
        Self { client, concurrency: DEFAULT_CONCURRENCY, skip_existing: false, configure: None }
    }

    /// How many uploads run at once (at least 1).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Skips files whose remote path already exists. Each remote folder is listed once (every
    /// page of `GET /v1/files?path=FOLDER&type=file`), when its first file comes up, rather
    /// than asking once per file. A listing that fails is that file's error, and is tried again
    /// for the next file of the folder.
    pub fn skip_existing(mut self, skip: bool) -> Self {
        self.skip_existing = skip;
        self
    }

    /// Calls `configure` on each file's upload just before it is sent (after the existence
    /// check), to add tags, change options or follow its progress
    /// ([`UploadCall::on_progress`]).
    pub fn configure(
        mut self,
        configure: impl Fn(UploadCall, &UploadEntry) -> UploadCall + Send + Sync + 'static,
    ) -> Self {
        self.configure = Some(Arc::new(configure));
        self
    }

    /// Starts uploading `entries` ([`super::tree::TreeWalk`], or any others: map a list of
    /// [`UploadEntry`] with `.map(Ok)`). Nothing happens until the stream is polled.
    pub fn start<I>(self, entries: I) -> UploadStream<I::IntoIter>
    where
        I: IntoIterator<Item = Result<UploadEntry, WalkError>>,
    {
        UploadStream {
            entries: entries.into_iter().fuse(),
            stopped: false,
            running: FuturesUnordered::new(),
            in_flight: BTreeMap::new(),
            next_id: 0,
            shared: Arc::new(Shared {
                client: self.client,
                skip_existing: self.skip_existing,
                configure: self.configure,
                folders: Mutex::new(HashMap::new()),
            }),
            concurrency: self.concurrency,
        }
    }
}

/// What every upload of a batch shares.
struct Shared {
    client: Client,
    skip_existing: bool,
    configure: Option<Arc<Configure>>,
    folders: Mutex<HashMap<String, FolderPaths>>,
}

impl Shared {
    /// Uploads one entry (or skips it).
    async fn upload(self: Arc<Self>, entry: UploadEntry) -> Result<Done, Error> {
        if self.skip_existing && self.exists(&entry).await? {
            return Ok(Done::Skipped);
        }
        let source = super::file(&entry.local_path).await?;
        let mut call = self
            .client
            .files()
            .upload(source, &entry.file_name)
            .folder(entry.folder.as_str())
            .use_unique_file_name(false);
        if let Some(configure) = &self.configure {
            call = configure(call, &entry);
        }
        call.await.map(Done::Uploaded)
    }

    /// Whether a file exists at the entry's remote path, from its folder's listing.
    async fn exists(&self, entry: &UploadEntry) -> Result<bool, Error> {
        let cell = {
            let mut folders = self.folders.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(folders.entry(entry.folder.clone()).or_default())
        };
        let paths = cell.get_or_try_init(|| list_paths(&self.client, &entry.folder)).await?;
        Ok(paths.contains(&entry.remote_path()))
    }
}

/// The paths of the current files `folder`'s listing returns, every page. Whole paths are
/// compared, not names, so a listing that also returned subfolders' files would still match
/// only the file at the entry's own path.
async fn list_paths(client: &Client, folder: &str) -> Result<HashSet<String>, Error> {
    let params = ListAssets::new().path(folder).kind(AssetType::File);
    let mut stream = client.assets().list_all(params);
    let mut paths = HashSet::new();
    while let Some(asset) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        if let Some(path) = asset?.as_file().and_then(|file| file.file_path.clone()) {
            paths.insert(path);
        }
    }
    Ok(paths)
}

type Running = Pin<Box<dyn Future<Output = (u64, Result<Done, Error>)> + Send>>;

/// The uploads of a batch: a [`Stream`] of `Result<FileOutcome, WalkError>`, one item per
/// entry, as each finishes. Made by [`BatchUpload::start`].
#[must_use = "a stream does nothing unless polled"]
pub struct UploadStream<I> {
    entries: Fuse<I>,
    stopped: bool,
    running: FuturesUnordered<Running>,
    in_flight: BTreeMap<u64, UploadEntry>,
    next_id: u64,
    shared: Arc<Shared>,
    concurrency: usize,
}

impl<I> fmt::Debug for UploadStream<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadStream")
            .field("in_flight", &self.in_flight.len())
            .field("stopped", &self.stopped)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl<I> UploadStream<I>
where
    I: Iterator<Item = Result<UploadEntry, WalkError>>,
{
    /// The next file's outcome, or `None` when every entry is done (or, after
    /// [`UploadStream::stop`], every upload in flight).
    pub async fn next(&mut self) -> Option<Result<FileOutcome, WalkError>>
    where
        I: Unpin,
    {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Starts no new upload: the stream ends once those in flight have finished.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Whether [`UploadStream::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// The entries being uploaded now, in the order they started.
    pub fn in_flight(&self) -> impl Iterator<Item = &UploadEntry> {
        self.in_flight.values()
    }

    /// The entries not started yet (the rest of the iterator, read lazily); the uploads in
    /// flight are dropped.
    pub fn into_rest(self) -> Fuse<I> {
        self.entries
    }

    fn launch(&mut self, entry: UploadEntry) {
        let id = self.next_id;
        self.next_id += 1;
        let upload = Arc::clone(&self.shared).upload(entry.clone());
        self.running.push(Box::pin(async move { (id, upload.await) }));
        self.in_flight.insert(id, entry);
    }
}

impl<I> Stream for UploadStream<I>
where
    I: Iterator<Item = Result<UploadEntry, WalkError>> + Unpin,
{
    type Item = Result<FileOutcome, WalkError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        while !this.stopped && this.running.len() < this.concurrency {
            match this.entries.next() {
                Some(Ok(entry)) => this.launch(entry),
                Some(Err(walk_error)) => return Poll::Ready(Some(Err(walk_error))),
                None => break,
            }
        }
        loop {
            match Pin::new(&mut this.running).poll_next(cx) {
                Poll::Ready(Some((id, result))) => {
                    // Every running upload was entered by `launch`; skip one that was not.
                    let Some(entry) = this.in_flight.remove(&id) else { continue };
                    return Poll::Ready(Some(Ok(FileOutcome { entry, result })));
                }
                // Nothing running: the entries are used up (or the batch stopped).
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use http::{Method, StatusCode};
    use imagekit_mock::InstantSleep;
    use imagekit_mock::emulator::{Emulator, FaultRule};

    use super::*;
    use crate::upload::tree::TreeWalk;

    const KEY: &str = "private_batch_test";

    /// A fresh directory of `count` small files `dir/NN.txt` (a subfolder for every tenth),
    /// removed on drop.
    struct Tree(PathBuf);

    impl Tree {
        fn new(name: &str, count: usize) -> Self {
            let root = std::env::temp_dir().join(format!("imagekit-batch-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            for i in 0..count {
                let path = root.join("dir").join(format!("s{}", i / 10)).join(format!("{i:02}.txt"));
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, format!("file {i}")).unwrap();
            }
            Self(root)
        }

        fn dir(&self) -> PathBuf {
            self.0.join("dir")
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn client(emulator: &Emulator) -> Client {
        // Retries wait no time here, so one file's retries can take every injected 429 before
        // another file asks: allow more retries than any test injects.
        Client::builder()
            .private_key(KEY)
            .transport(emulator.clone())
            .sleeper(InstantSleep::new())
            .retry_policy(imagekit_core::RetryPolicy::default().with_max_retries(4))
            .build()
            .unwrap()
    }

    async fn collect<I>(mut stream: UploadStream<I>) -> (Vec<FileOutcome>, Vec<WalkError>)
    where
        I: Iterator<Item = Result<UploadEntry, WalkError>> + Unpin,
    {
        let (mut files, mut errors) = (Vec::new(), Vec::new());
        while let Some(item) = stream.next().await {
            match item {
                Ok(file) => files.push(file),
                Err(error) => errors.push(error),
            }
        }
        (files, errors)
    }

    fn uploads(emulator: &Emulator) -> usize {
        emulator.requests().iter().filter(|r| r.path == "/api/v1/files/upload").count()
    }

    #[tokio::test]
    async fn a_tree_lands_under_its_folder_every_file_once() {
        let tree = Tree::new("once", 25);
        let emulator = Emulator::new(KEY);
        // Rate limits are retried by the client's policy; nothing was stored by a 429.
        emulator.fail_next(Some(Method::POST), "/api/", 3, StatusCode::TOO_MANY_REQUESTS);
        let stream =
            BatchUpload::new(client(&emulator)).concurrency(3).start(TreeWalk::new([tree.dir()], "/x"));
        let (files, errors) = collect(stream).await;
        assert!(errors.is_empty());
        assert_eq!(files.len(), 25);
        for file in &files {
            let Ok(Done::Uploaded(UploadOutcome::Uploaded(upload))) = &file.result else {
                panic!("{:?}", file.result);
            };
            assert_eq!(upload.file_path.as_deref(), Some(file.entry.remote_path().as_str()));
            assert!(file.entry.remote_path().starts_with("/x/dir/s"), "{}", file.entry.remote_path());
        }
        assert_eq!(emulator.file_count(), 25);
        assert_eq!(uploads(&emulator), 25 + 3);
    }

    #[tokio::test]
    async fn entries_are_read_only_as_slots_free_up() {
        let tree = Tree::new("lazy", 20);
        let emulator = Emulator::new(KEY);
        let pulled = Arc::new(AtomicUsize::new(0));
        let counting = {
            let pulled = Arc::clone(&pulled);
            TreeWalk::new([tree.dir()], "/").inspect(move |_| {
                pulled.fetch_add(1, Ordering::SeqCst);
            })
        };
        let mut stream = BatchUpload::new(client(&emulator)).concurrency(4).start(counting);
        let first = stream.next().await.unwrap().unwrap();
        assert!(first.result.is_ok());
        assert!(stream.in_flight().count() <= 4);
        assert!(pulled.load(Ordering::SeqCst) <= 4, "read ahead: {}", pulled.load(Ordering::SeqCst));
        // Stopping starts nothing new: those in flight finish, the rest comes back unread.
        stream.stop();
        let in_flight = stream.in_flight().count();
        let mut finished = 1;
        while let Some(item) = stream.next().await {
            assert!(item.unwrap().result.is_ok());
            finished += 1;
        }
        assert_eq!(finished, 1 + in_flight);
        assert_eq!(stream.into_rest().count(), 20 - finished);
        assert_eq!(emulator.file_count(), finished);
    }

    #[tokio::test]
    async fn one_failure_is_its_file_s_and_the_rest_go_on() {
        let tree = Tree::new("failure", 12);
        let emulator = Emulator::new(KEY);
        emulator.add_fault(FaultRule::for_upload_named("07.txt", 1, StatusCode::INTERNAL_SERVER_ERROR));
        let missing = Err(WalkError {
            path: "missing".into(),
            kind: crate::upload::tree::WalkErrorKind::Io(std::io::ErrorKind::NotFound.into()),
        });
        let entries = std::iter::once(missing).chain(TreeWalk::new([tree.dir()], "/"));
        let (files, errors) = collect(BatchUpload::new(client(&emulator)).start(entries)).await;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, PathBuf::from("missing"));
        let failed: Vec<_> = files.iter().filter(|f| f.result.is_err()).collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].entry.file_name, "07.txt");
        let error = failed[0].result.as_ref().unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        // An upload is not repeated after a 500: the file may have been stored.
        assert_eq!(uploads(&emulator), 12);
        assert_eq!(emulator.file_count(), 11);
    }

    #[tokio::test]
    async fn skip_existing_lists_each_folder_once() {
        let tree = Tree::new("skip", 20);
        let emulator = Emulator::new(KEY);
        emulator.seed_file("/up/dir/s0/03.txt", &b"already"[..]).unwrap();
        emulator.seed_file("/up/dir/s1/15.txt", &b"already"[..]).unwrap();
        let configured = Arc::new(AtomicUsize::new(0));
        let batch = {
            let configured = Arc::clone(&configured);
            BatchUpload::new(client(&emulator)).concurrency(4).skip_existing(true).configure(
                move |call, entry| {
                    configured.fetch_add(1, Ordering::SeqCst);
                    assert_ne!(entry.file_name, "03.txt");
                    call.tags(["batch"])
                },
            )
        };
        let (files, _) = collect(batch.start(TreeWalk::new([tree.dir()], "/up"))).await;
        let skipped: Vec<_> = files
            .iter()
            .filter(|f| matches!(f.result, Ok(Done::Skipped)))
            .map(|f| f.entry.remote_path())
            .collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(configured.load(Ordering::SeqCst), 18);
        let listings = emulator.requests().iter().filter(|r| r.path == "/v1/files").count();
        assert_eq!(listings, 2, "one listing per folder");
        assert_eq!(emulator.file_count(), 20);
    }
}
