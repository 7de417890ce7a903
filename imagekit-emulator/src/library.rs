//! The files of the media library, indexed by what requests look up, so no lookup costs more
//! as the library grows: a file by id, by path, the files of a folder in the order they were
//! created, and the bytes stored, kept as a running total.
//!
//! Changes go through [`Library::get_mut`], whose guard puts the indexes and the total right
//! when it is dropped, so a handler cannot move or grow a file and leave them stale.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::{Deref, DerefMut};

use bytes::Bytes;
use serde_json::{Map, Value};

/// The files, by id (ids grow with time, so id order is creation order), and their indexes.
#[derive(Debug, Default)]
pub(crate) struct Library {
    files: BTreeMap<String, FileRecord>,
    /// `folder/name` to id (one string per file).
    by_path: HashMap<String, String>,
    /// Folder to the ids of its files, oldest first.
    by_folder: BTreeMap<String, BTreeSet<String>>,
    stored_bytes: u64,
}

/// The key of a path in the index: names hold no `/`, so `folder/name` is unambiguous.
fn path_key(folder: &str, name: &str) -> String {
    format!("{folder}/{name}")
}

/// The bytes of content a file holds, every version counted.
fn bytes_of(file: &FileRecord) -> u64 {
    file.versions.iter().map(|v| v.content.len() as u64).sum()
}

impl Library {
    /// How many files there are.
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// The bytes of file content stored, every version counted.
    pub(crate) fn stored_bytes(&self) -> u64 {
        self.stored_bytes
    }

    pub(crate) fn get(&self, id: &str) -> Option<&FileRecord> {
        self.files.get(id)
    }

    pub(crate) fn contains_key(&self, id: &str) -> bool {
        self.files.contains_key(id)
    }

    /// Every file, oldest first.
    pub(crate) fn values(&self) -> impl Iterator<Item = &FileRecord> {
        self.files.values()
    }

    /// The file at `folder` (normalised: `""` or `/a/b`) named `name`.
    pub(crate) fn at(&self, folder: &str, name: &str) -> Option<&FileRecord> {
        let id = self.by_path.get(&path_key(folder, name))?;
        self.files.get(id)
    }

    /// The files directly in `folder`, oldest first.
    pub(crate) fn in_folder<'a>(&'a self, folder: &str) -> impl Iterator<Item = &'a FileRecord> + 'a {
        self.by_folder.get(folder).into_iter().flatten().filter_map(|id| self.files.get(id))
    }

    /// The files in `root` or any folder under it, folder by folder.
    pub(crate) fn within<'a>(&'a self, root: &'a str) -> impl Iterator<Item = &'a FileRecord> + 'a {
        self.by_folder
            .range::<str, _>((std::ops::Bound::Included(root), std::ops::Bound::Unbounded))
            .take_while(move |(folder, _)| folder.starts_with(root))
            .filter(move |(folder, _)| {
                root.is_empty() || folder.len() == root.len() || folder.as_bytes()[root.len()] == b'/'
            })
            .flat_map(|(_, ids)| ids)
            .filter_map(|id| self.files.get(id))
    }

    /// Adds `file`, or replaces the file of its id.
    pub(crate) fn insert(&mut self, id: String, file: FileRecord) {
        self.remove(&id);
        self.index(&id, &file);
        self.files.insert(id, file);
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<FileRecord> {
        let file = self.files.remove(id)?;
        self.unindex(id, &file);
        Some(file)
    }

    /// The file of `id`, to change; the indexes follow when the guard is dropped.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<FileMut<'_>> {
        let file = self.files.get(id)?;
        let (folder, name, bytes) = (file.folder.clone(), file.name.clone(), bytes_of(file));
        Some(FileMut { library: self, id: id.to_owned(), was_in: folder, was_named: name, had_bytes: bytes })
    }

    fn index(&mut self, id: &str, file: &FileRecord) {
        self.by_path.insert(path_key(&file.folder, &file.name), id.to_owned());
        self.by_folder.entry(file.folder.clone()).or_default().insert(id.to_owned());
        self.stored_bytes += bytes_of(file);
    }

    fn unindex(&mut self, id: &str, file: &FileRecord) {
        self.unindex_path(id, &file.folder, &file.name);
        self.stored_bytes = self.stored_bytes.saturating_sub(bytes_of(file));
    }

    fn unindex_path(&mut self, id: &str, folder: &str, name: &str) {
        let key = path_key(folder, name);
        if self.by_path.get(&key).is_some_and(|known| known == id) {
            self.by_path.remove(&key);
        }
        if let Some(ids) = self.by_folder.get_mut(folder) {
            ids.remove(id);
            if ids.is_empty() {
                self.by_folder.remove(folder);
            }
        }
    }
}

/// A file being changed. Dropping it moves it in the indexes if its folder or name changed,
/// and adjusts the bytes stored by what its versions gained or lost.
// Its fields are named apart from the record's, which it derefs to.
pub(crate) struct FileMut<'a> {
    library: &'a mut Library,
    id: String,
    was_in: String,
    was_named: String,
    had_bytes: u64,
}

impl Deref for FileMut<'_> {
    type Target = FileRecord;

    fn deref(&self) -> &FileRecord {
        // The guard exists only for a file that is there, and holds the library exclusively.
        &self.library.files[&self.id]
    }
}

impl DerefMut for FileMut<'_> {
    fn deref_mut(&mut self) -> &mut FileRecord {
        self.library.files.get_mut(&self.id).expect("the guarded file is in the library")
    }
}

impl Drop for FileMut<'_> {
    fn drop(&mut self) {
        let Some(file) = self.library.files.get(&self.id) else { return };
        let (folder, name, bytes) = (file.folder.clone(), file.name.clone(), bytes_of(file));
        if folder != self.was_in || name != self.was_named {
            let (old_folder, old_name) =
                (std::mem::take(&mut self.was_in), std::mem::take(&mut self.was_named));
            self.library.unindex_path(&self.id, &old_folder, &old_name);
            self.library.by_path.insert(path_key(&folder, &name), self.id.clone());
            self.library.by_folder.entry(folder).or_default().insert(self.id.clone());
        }
        self.library.stored_bytes = (self.library.stored_bytes + bytes).saturating_sub(self.had_bytes);
    }
}

/// A file: its place in the library and its versions.
#[derive(Clone, Debug)]
pub(crate) struct FileRecord {
    pub(crate) id: String,
    /// The normalised folder path (`""` for the root, else `/a/b`).
    pub(crate) folder: String,
    pub(crate) name: String,
    /// Oldest first; the last is the current one.
    pub(crate) versions: Vec<Version>,
    pub(crate) next_number: u32,
    pub(crate) created_at: i64,
}

/// One version of a file: its content and everything the API lets a user set on it.
#[derive(Clone, Debug)]
pub(crate) struct Version {
    pub(crate) id: String,
    pub(crate) number: u32,
    pub(crate) content: Bytes,
    /// One of a fixed set of types, so not an allocation per version.
    pub(crate) mime: &'static str,
    pub(crate) width: Option<u32>,
    pub(crate) height: Option<u32>,
    pub(crate) has_alpha: Option<bool>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) ai_tags: Option<Vec<Value>>,
    pub(crate) custom_coordinates: Option<String>,
    pub(crate) custom_metadata: Map<String, Value>,
    pub(crate) is_private: bool,
    pub(crate) is_published: bool,
    pub(crate) description: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

impl FileRecord {
    /// `/folder/name`.
    pub(crate) fn file_path(&self) -> String {
        format!("{}/{}", self.folder, self.name)
    }

    /// The current version.
    pub(crate) fn current_version(&self) -> Option<&Version> {
        self.versions.last()
    }

    /// The current version's id: the newest version is always the current one (an upload, a
    /// copy and a restore each add one, and the current one cannot be deleted).
    pub(crate) fn current_id(&self) -> &str {
        self.versions.last().map_or("", |v| v.id.as_str())
    }

    /// The current version, to change it.
    pub(crate) fn current_version_mut(&mut self) -> Option<&mut Version> {
        self.versions.last_mut()
    }
}

#[cfg(test)]
impl FileRecord {
    pub(crate) fn for_test(id: &str, folder: &str, name: &str, versions: Vec<Version>) -> Self {
        Self {
            id: id.into(),
            folder: folder.into(),
            name: name.into(),
            versions,
            next_number: 1,
            created_at: 0,
        }
    }
}

impl Version {
    /// Version `number` of `content` made at `at`, with the attributes an upload gives by
    /// default: public, published, no tags, no image size.
    pub(crate) fn new(id: String, number: u32, content: Bytes, mime: &'static str, at: i64) -> Self {
        Self {
            id,
            number,
            content,
            mime,
            width: None,
            height: None,
            has_alpha: None,
            tags: None,
            ai_tags: None,
            custom_coordinates: None,
            custom_metadata: Map::new(),
            is_private: false,
            is_published: true,
            description: None,
            created_at: at,
            updated_at: at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: &str, folder: &str, name: &str, sizes: &[usize]) -> FileRecord {
        let versions = sizes
            .iter()
            .enumerate()
            .map(|(i, size)| {
                Version::new(format!("{id}v{i}"), 1, Bytes::from(vec![0u8; *size]), "text/plain", 0)
            })
            .collect::<Vec<_>>();
        FileRecord::for_test(id, folder, name, versions)
    }

    #[test]
    fn indexes_and_the_total_follow_every_change() {
        let mut library = Library::default();
        library.insert("1".into(), file("1", "/a", "x.txt", &[3, 4]));
        library.insert("2".into(), file("2", "/a/b", "y.txt", &[5]));
        library.insert("3".into(), file("3", "/ab", "z.txt", &[1]));
        assert_eq!(library.stored_bytes(), 13);
        assert_eq!(library.at("/a", "x.txt").map(|f| f.id.as_str()), Some("1"));
        let within: Vec<&str> = library.within("/a").map(|f| f.id.as_str()).collect();
        assert_eq!(within, ["1", "2"], "/ab is not under /a");
        assert_eq!(library.within("").count(), 3);

        // Moved and grown through the guard: found at the new path only, bytes counted.
        {
            let mut moved = library.get_mut("1").unwrap();
            moved.folder = "/c".into();
            moved.name = "w.txt".into();
            moved.versions.push(Version::new(
                "1v2".into(),
                2,
                Bytes::from_static(b"12345678"),
                "text/plain",
                0,
            ));
        }
        assert!(library.at("/a", "x.txt").is_none());
        assert_eq!(library.at("/c", "w.txt").map(|f| f.id.as_str()), Some("1"));
        assert_eq!(library.in_folder("/a").count(), 0);
        assert_eq!(library.stored_bytes(), 21);

        library.remove("2");
        assert_eq!((library.len(), library.stored_bytes()), (2, 16));
        library.insert("3".into(), file("3", "/ab", "z.txt", &[10]));
        assert_eq!(library.stored_bytes(), 25, "a replaced file's bytes are not counted twice");
        library.remove("1");
        assert_eq!((library.len(), library.stored_bytes()), (1, 10));
        assert!(library.at("/c", "w.txt").is_none());
    }
}
