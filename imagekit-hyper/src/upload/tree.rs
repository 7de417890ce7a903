//! Walking files and directory trees into upload entries: which local file goes to which
//! remote folder, under which name.
//!
//! ```no_run
//! use imagekit_hyper::upload::tree::TreeWalk;
//!
//! // photos/2024/a.jpg lands in /archive/photos/2024/a.jpg; logo.png in /archive/logo.png.
//! for entry in TreeWalk::new(["photos", "logo.png"], "/archive") {
//!     match entry {
//!         Ok(entry) => println!("{} -> {}", entry.local_path.display(), entry.remote_path()),
//!         Err(error) => eprintln!("{error}"),
//!     }
//! }
//! ```
//!
//! # The mapping
//!
//! As `cp -r SRC... DEST` into an existing `DEST`, and rsync without a trailing slash:
//!
//! | given | local file | remote path, with folder `/x` |
//! | --- | --- | --- |
//! | a file `b.png` (or `dir/a/b.png`) | itself | `/x/b.png` |
//! | a directory `dir` (or `path/to/dir`) | `dir/a/b.png` | `/x/dir/a/b.png`: the directory's own name is kept |
//! | a directory with a trailing slash, `dir/` (or `dir/.`, or `.`) | `dir/a/b.png` | `/x/a/b.png`: only its contents, as rsync does |
//!
//! Remote folders are joined with `/` whatever the platform's separator. A name that is not
//! valid UTF-8 cannot be named remotely and is an error for that file.
//!
//! # Symbolic links
//!
//! A path given to [`TreeWalk::new`] is followed wherever it points, file or directory (as
//! `cp -rH` and a shell's glob do). Inside a tree, a link to a file within the tree is followed
//! and uploads the file it points to, under the link's name; a link to a file outside the tree
//! is not followed ([`WalkErrorKind::LinkLeavesTree`]) unless [`TreeWalk::follow_links`] says
//! so, since an untrusted tree (an unpacked archive) could otherwise publish any readable
//! local file, `~/.ssh/id_rsa -> photo.jpg`. A link to a directory is not descended into (a
//! tree could then loop or leave itself) and is reported as an error for that path, as is a
//! dangling link. Anything that is neither a file nor a directory (a socket, a FIFO, a device)
//! is reported too.
//!
//! # Errors and memory
//!
//! Every problem is an `Err` for its own path and the walk goes on: an unreadable directory
//! does not stop its siblings. The walk is lazy: it reads a directory when it gets to it, and
//! holds the sorted names of one directory per level of depth, never the files' content nor
//! the whole tree. Entries come in a stable order (each directory's names sorted bytewise,
//! files and subdirectories interleaved by name), so two runs over the same tree agree.
//!
//! The walk calls the file system synchronously (`std::fs`): in an async program, each
//! `next()` may read one directory.

use std::collections::VecDeque;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file to upload: the local file, and where it goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UploadEntry {
    /// The file on disk.
    pub local_path: PathBuf,
    /// The remote folder, e.g. `/x/dir/a`; `/` is the root.
    pub folder: String,
    /// The remote file name, e.g. `b.png`.
    pub file_name: String,
}

impl UploadEntry {
    /// An entry uploading `local_path` as `file_name` into `folder`. The folder is normalised as
    /// the walk does it: a leading `/` added, a trailing one removed, empty segments dropped.
    ///
    /// ```
    /// use imagekit_hyper::upload::tree::UploadEntry;
    /// let entry = UploadEntry::new("b.png", "x//dir/", "b.png");
    /// assert_eq!(entry.folder, "/x/dir");
    /// assert_eq!(entry.remote_path(), "/x/dir/b.png");
    /// ```
    pub fn new(local_path: impl Into<PathBuf>, folder: &str, file_name: impl Into<String>) -> Self {
        Self { local_path: local_path.into(), folder: normalise_folder(folder), file_name: file_name.into() }
    }

    /// The remote file path, `folder/file_name`.
    pub fn remote_path(&self) -> String {
        join(&self.folder, &self.file_name)
    }
}

/// `folder` with one leading `/`, no trailing `/` (except the root itself) and no empty segments.
pub(crate) fn normalise_folder(folder: &str) -> String {
    let segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}", segments.join("/"))
}

/// `folder/name`, with the root's `/` not doubled.
pub(crate) fn join(folder: &str, name: &str) -> String {
    if folder.ends_with('/') { format!("{folder}{name}") } else { format!("{folder}/{name}") }
}

/// Why a path of the walk did not become an entry.
#[derive(Debug)]
#[non_exhaustive]
pub enum WalkErrorKind {
    /// Reading it, or the directory it is in, failed.
    Io(io::Error),
    /// A symbolic link to a directory inside a tree, which is not followed.
    LinkToDirectory,
    /// A symbolic link whose target does not exist.
    DanglingLink,
    /// A symbolic link inside a tree to a file outside it, not followed unless
    /// [`TreeWalk::follow_links`]: nothing was read from it.
    LinkLeavesTree,
    /// Neither a regular file nor a directory (a socket, a FIFO, a device).
    NotAFile,
    /// Its name (or a directory's above it) is not valid UTF-8, so it has no remote name.
    NameNotUtf8,
}

/// A path of the walk that did not become an entry, and why. The walk goes on after it.
#[derive(Debug)]
#[non_exhaustive]
pub struct WalkError {
    /// The local path.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: WalkErrorKind,
}

impl WalkError {
    fn new(path: impl Into<PathBuf>, kind: WalkErrorKind) -> Self {
        Self { path: path.into(), kind }
    }
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            WalkErrorKind::Io(error) => write!(f, "cannot read {path}: {error}"),
            WalkErrorKind::LinkToDirectory => {
                write!(f, "{path} is a symbolic link to a directory, which is not followed inside a tree")
            }
            WalkErrorKind::DanglingLink => write!(f, "{path} is a symbolic link to nothing"),
            WalkErrorKind::LinkLeavesTree => {
                write!(f, "{path} is a symbolic link to a file outside the tree, which is not followed")
            }
            WalkErrorKind::NotAFile => write!(f, "{path} is neither a regular file nor a directory"),
            WalkErrorKind::NameNotUtf8 => write!(f, "{path} has a name that is not UTF-8"),
        }
    }
}

impl std::error::Error for WalkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            WalkErrorKind::Io(error) => Some(error),
            _ => None,
        }
    }
}

/// One directory being walked: its remaining names, sorted, and its remote folder.
#[derive(Debug)]
struct Level {
    dir: PathBuf,
    folder: String,
    names: VecDeque<std::ffi::OsString>,
}

/// A lazy walk of files and directory trees into [`UploadEntry`]s (see the [module](self) for
/// the mapping, links and errors). An [`Iterator`] of `Result<UploadEntry, WalkError>`.
#[derive(Debug)]
#[must_use = "a walk does nothing unless iterated"]
pub struct TreeWalk {
    roots: VecDeque<PathBuf>,
    folder: String,
    stack: Vec<Level>,
    /// The directory given that is being walked, resolved: where links may point.
    tree: Option<PathBuf>,
    follow_links: bool,
}

impl TreeWalk {
    /// Walks `paths` (files and directories, in the order given) into the remote `folder`
    /// (`/` or `""` for the root).
    pub fn new<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>, folder: &str) -> Self {
        Self {
            roots: paths.into_iter().map(|p| p.as_ref().to_owned()).collect(),
            folder: normalise_folder(folder),
            stack: Vec::new(),
            tree: None,
            follow_links: false,
        }
    }

    /// Whether links inside a tree to files outside it are followed (uploading the file they
    /// point to) instead of reported as [`WalkErrorKind::LinkLeavesTree`]. Off by default.
    ///
    /// ```
    /// use imagekit_hyper::upload::tree::TreeWalk;
    /// let walk = TreeWalk::new(["photos"], "/archive").follow_links(true);
    /// # let _ = walk;
    /// ```
    pub fn follow_links(mut self, follow: bool) -> Self {
        self.follow_links = follow;
        self
    }

    /// The entry or directory level for a path given by the caller (followed if a link).
    fn root(&mut self, path: PathBuf) -> Option<Result<UploadEntry, WalkError>> {
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound && is_link(&path) => {
                return Some(Err(WalkError::new(path, WalkErrorKind::DanglingLink)));
            }
            Err(error) => return Some(Err(WalkError::new(path, WalkErrorKind::Io(error)))),
        };
        if metadata.is_file() {
            let Some(name) = path.file_name() else {
                return Some(Err(WalkError::new(path, WalkErrorKind::NotAFile)));
            };
            let Some(name) = name.to_str() else {
                return Some(Err(WalkError::new(path, WalkErrorKind::NameNotUtf8)));
            };
            let name = name.to_owned();
            return Some(Ok(UploadEntry { local_path: path, folder: self.folder.clone(), file_name: name }));
        }
        if !metadata.is_dir() {
            return Some(Err(WalkError::new(path, WalkErrorKind::NotAFile)));
        }
        let folder = match contents_only(&path) {
            true => self.folder.clone(),
            false => match path.file_name().map(|n| n.to_str()) {
                Some(Some(name)) => join(&self.folder, name),
                Some(None) => return Some(Err(WalkError::new(path, WalkErrorKind::NameNotUtf8))),
                // `..`, `/`: no name of its own to keep.
                None => self.folder.clone(),
            },
        };
        self.tree = match fs::canonicalize(&path) {
            Ok(tree) => Some(tree),
            Err(error) => return Some(Err(WalkError::new(path, WalkErrorKind::Io(error)))),
        };
        self.descend(path, folder)
    }

    /// Whether a link found in the tree points to a file outside it. The resolved target is
    /// compared, so `a -> b -> ../../x` leaves the tree however many hops it takes.
    fn leaves_tree(&self, link: &Path) -> Result<bool, io::Error> {
        let Some(tree) = &self.tree else { return Ok(false) };
        Ok(!fs::canonicalize(link)?.starts_with(tree))
    }

    /// Reads a directory's names onto the stack; an error is that directory's.
    fn descend(&mut self, dir: PathBuf, folder: String) -> Option<Result<UploadEntry, WalkError>> {
        let read = fs::read_dir(&dir).and_then(|entries| {
            entries.map(|entry| entry.map(|e| e.file_name())).collect::<Result<Vec<_>, _>>()
        });
        match read {
            Ok(mut names) => {
                names.sort();
                self.stack.push(Level { dir, folder, names: names.into() });
                None
            }
            Err(error) => Some(Err(WalkError::new(dir, WalkErrorKind::Io(error)))),
        }
    }

    /// The entry for `name` in the innermost directory, or `None` when it was a directory
    /// (now on the stack).
    fn child(&mut self, name: std::ffi::OsString) -> Option<Result<UploadEntry, WalkError>> {
        let level = self.stack.last()?;
        let path = level.dir.join(&name);
        let Some(name) = name.to_str() else {
            return Some(Err(WalkError::new(path, WalkErrorKind::NameNotUtf8)));
        };
        let link = match fs::symlink_metadata(&path) {
            Ok(metadata) => metadata.file_type().is_symlink(),
            Err(error) => return Some(Err(WalkError::new(path, WalkErrorKind::Io(error)))),
        };
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if link && error.kind() == io::ErrorKind::NotFound => {
                return Some(Err(WalkError::new(path, WalkErrorKind::DanglingLink)));
            }
            Err(error) => return Some(Err(WalkError::new(path, WalkErrorKind::Io(error)))),
        };
        if metadata.is_file() {
            let folder = level.folder.clone();
            if link && !self.follow_links {
                match self.leaves_tree(&path) {
                    Ok(false) => {}
                    Ok(true) => return Some(Err(WalkError::new(path, WalkErrorKind::LinkLeavesTree))),
                    Err(error) => return Some(Err(WalkError::new(path, WalkErrorKind::Io(error)))),
                }
            }
            return Some(Ok(UploadEntry { local_path: path, folder, file_name: name.to_owned() }));
        }
        if metadata.is_dir() {
            if link {
                return Some(Err(WalkError::new(path, WalkErrorKind::LinkToDirectory)));
            }
            let folder = join(&level.folder, name);
            return self.descend(path, folder);
        }
        Some(Err(WalkError::new(path, WalkErrorKind::NotAFile)))
    }
}

impl Iterator for TreeWalk {
    type Item = Result<UploadEntry, WalkError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(level) = self.stack.last_mut() {
                match level.names.pop_front() {
                    Some(name) => match self.child(name) {
                        Some(item) => return Some(item),
                        None => continue,
                    },
                    None => {
                        self.stack.pop();
                        continue;
                    }
                }
            }
            let root = self.roots.pop_front()?;
            if let Some(item) = self.root(root) {
                return Some(item);
            }
        }
    }
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Whether a directory given as `dir/`, `dir/.` or `.` means its contents only (rsync's rule).
fn contents_only(path: &Path) -> bool {
    let text = path.as_os_str().as_encoded_bytes();
    let separator = |b: &u8| *b == b'/' || (cfg!(windows) && *b == b'\\');
    text == b"."
        || text.last().is_some_and(separator)
        || (text.ends_with(b".") && {
            let before = &text[..text.len() - 1];
            before.last().is_some_and(separator)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temporary directory, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("imagekit-tree-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn file(&self, relative: &str) -> PathBuf {
            let path = self.0.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, relative).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn remote_paths(walk: TreeWalk) -> Vec<String> {
        walk.map(|item| item.map(|e| e.remote_path()).unwrap_or_else(|e| format!("error: {e}"))).collect()
    }

    #[test]
    fn a_tree_keeps_its_top_name_and_sorted_order() {
        let tmp = TempDir::new("top");
        tmp.file("dir/b.png");
        tmp.file("dir/a/c.png");
        tmp.file("dir/a/b.png");
        tmp.file("one.txt");
        let walk = TreeWalk::new([tmp.0.join("dir"), tmp.0.join("one.txt")], "/x");
        assert_eq!(remote_paths(walk), ["/x/dir/a/b.png", "/x/dir/a/c.png", "/x/dir/b.png", "/x/one.txt"]);
    }

    #[test]
    fn a_trailing_slash_or_dot_uploads_the_contents_only() {
        let tmp = TempDir::new("contents");
        tmp.file("dir/a/b.png");
        let slash = format!("{}/", tmp.0.join("dir").display());
        assert_eq!(remote_paths(TreeWalk::new([slash], "x/")), ["/x/a/b.png"]);
        let dot = tmp.0.join("dir").join(".");
        assert_eq!(remote_paths(TreeWalk::new([dot], "")), ["/a/b.png"]);
    }

    #[test]
    fn entries_carry_the_local_path_folder_and_name() {
        let tmp = TempDir::new("entry");
        let file = tmp.file("dir/a/b.png");
        let entry = TreeWalk::new([tmp.0.join("dir")], "/").next().unwrap().unwrap();
        assert_eq!(entry, UploadEntry::new(file, "/dir/a", "b.png"));
    }

    #[test]
    fn errors_are_per_path_and_the_walk_goes_on() {
        let tmp = TempDir::new("errors");
        tmp.file("dir/ok.txt");
        let items: Vec<_> = TreeWalk::new([tmp.0.join("missing"), tmp.0.join("dir")], "/").collect();
        assert_eq!(items.len(), 2);
        let error = items[0].as_ref().unwrap_err();
        assert!(matches!(&error.kind, WalkErrorKind::Io(e) if e.kind() == io::ErrorKind::NotFound));
        assert!(error.to_string().contains("missing"), "{error}");
        assert_eq!(items[1].as_ref().unwrap().remote_path(), "/dir/ok.txt");
    }

    #[cfg(unix)]
    #[test]
    fn links_to_files_in_the_tree_are_followed_links_to_directories_are_not() {
        let tmp = TempDir::new("links");
        let outside = tmp.file("elsewhere/real.txt");
        tmp.file("dir/plain.txt");
        tmp.file("dir/sub/inner.txt");
        std::os::unix::fs::symlink(&outside, tmp.0.join("dir/alias.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.0.join("dir/sub/inner.txt"), tmp.0.join("dir/inside.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.0.join("elsewhere"), tmp.0.join("dir/loop")).unwrap();
        std::os::unix::fs::symlink(tmp.0.join("nothing"), tmp.0.join("dir/zz-dangling")).unwrap();
        let items: Vec<_> = TreeWalk::new([tmp.0.join("dir")], "/").collect();
        assert_eq!(items.len(), 6, "{items:?}");
        // alias.txt points outside the tree: reported, not read.
        let alias = items[0].as_ref().unwrap_err();
        assert!(matches!(alias.kind, WalkErrorKind::LinkLeavesTree), "{alias}");
        assert_eq!(alias.path, tmp.0.join("dir/alias.txt"));
        let inside = items[1].as_ref().unwrap();
        assert_eq!(
            (inside.remote_path(), inside.local_path.clone()),
            ("/dir/inside.txt".into(), tmp.0.join("dir/inside.txt"))
        );
        assert!(matches!(items[2].as_ref().unwrap_err().kind, WalkErrorKind::LinkToDirectory));
        assert_eq!(items[3].as_ref().unwrap().remote_path(), "/dir/plain.txt");
        assert_eq!(items[4].as_ref().unwrap().remote_path(), "/dir/sub/inner.txt");
        assert!(matches!(items[5].as_ref().unwrap_err().kind, WalkErrorKind::DanglingLink));
        // Asked for, a link out of the tree is followed and uploads what it points to.
        let followed: Vec<_> = TreeWalk::new([tmp.0.join("dir")], "/").follow_links(true).collect();
        assert_eq!(followed[0].as_ref().unwrap().remote_path(), "/dir/alias.txt");
        // Given by the caller, a link to a directory is followed.
        let given: Vec<_> = remote_paths(TreeWalk::new([tmp.0.join("dir/loop")], "/"));
        assert_eq!(given, ["/loop/real.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_chain_of_links_out_of_the_tree_is_caught_at_its_end() {
        let tmp = TempDir::new("chain");
        let secret = tmp.file("outside/id_rsa");
        tmp.file("tree/sub/keep.txt");
        // tree/sub/photo.jpg -> tree/hop -> ../outside/id_rsa: each hop starts inside.
        std::os::unix::fs::symlink(&secret, tmp.0.join("tree/hop")).unwrap();
        std::os::unix::fs::symlink("../hop", tmp.0.join("tree/sub/photo.jpg")).unwrap();
        let items: Vec<_> = TreeWalk::new([tmp.0.join("tree")], "/").collect();
        let refused: Vec<_> = items
            .iter()
            .filter_map(|item| item.as_ref().err())
            .filter(|e| matches!(e.kind, WalkErrorKind::LinkLeavesTree))
            .map(|e| e.path.clone())
            .collect();
        assert_eq!(refused, [tmp.0.join("tree/hop"), tmp.0.join("tree/sub/photo.jpg")]);
        let uploaded: Vec<_> =
            items.iter().filter_map(|item| item.as_ref().ok()).map(UploadEntry::remote_path).collect();
        assert_eq!(uploaded, ["/tree/sub/keep.txt"]);
    }

    #[test]
    fn folders_are_normalised() {
        assert_eq!(normalise_folder(""), "/");
        assert_eq!(normalise_folder("/"), "/");
        assert_eq!(normalise_folder("a//b/"), "/a/b");
        assert_eq!(join("/", "b.png"), "/b.png");
        assert_eq!(join("/a", "b.png"), "/a/b.png");
    }
}
