//! The emulator's state: files and their versions, folders, bulk jobs, purge requests, the
//! account's settings (records such as origins), the logical clock and the id counters, and how
//! each object is rendered as ImageKit's JSON.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::faults::{FaultRule, RequestRecord};
use crate::library::Library;
pub(crate) use crate::library::{FileRecord, Version};

/// The most requests the log keeps; older ones are dropped first.
pub(crate) const REQUEST_LOG_MAX: usize = 10_000;

/// The instant the logical clock starts at: 2025-01-01T00:00:00.000Z, in milliseconds.
pub(crate) const EPOCH_MS: i64 = 1_735_689_600_000;
/// How far the logical clock moves on each change of state.
pub(crate) const TICK_MS: i64 = 1_000;
/// The URL endpoint file URLs are built on unless another is configured.
pub(crate) const DEFAULT_URL_ENDPOINT: &str = "https://ik.imagekit.io/emulator";
/// The most bytes of file content the library holds unless another limit is configured.
pub(crate) const DEFAULT_STORAGE_LIMIT: u64 = 1 << 30;

/// Everything the emulator knows. Cloned handles of an `Emulator` share one `State`.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) private_key: String,
    pub(crate) url_endpoint: String,
    /// The most bytes of file content, all versions together, uploads may bring the library to.
    pub(crate) storage_limit: u64,
    pub(crate) now_ms: i64,
    pub(crate) next_id: u64,
    pub(crate) next_request: u64,
    pub(crate) files: Library,
    /// Folders by normalised path (`/a/b`, no trailing slash; the root is not stored).
    pub(crate) folders: BTreeMap<String, FolderRecord>,
    pub(crate) jobs: BTreeMap<String, Job>,
    /// Purge requests by id, with the status checks left before each reports completion.
    pub(crate) purges: BTreeMap<String, u32>,
    /// How many status checks a new job or purge answers `Pending` before `Completed`.
    pub(crate) pending_polls: u32,
    /// v1 upload `token`s already seen: ImageKit refuses a token used before.
    upload_tokens: std::collections::HashSet<[u8; 16]>,
    /// The account's settings kept as JSON records (origins, saved extensions, ...).
    pub(crate) records: Records,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) requests: std::collections::VecDeque<RequestRecord>,
}

/// One record of a settings collection: its fields as stored (secrets included; what is
/// answered is chosen when it is rendered).
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) fields: Map<String, Value>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    /// Kept but hidden, for resources whose deletion leaves a trace (custom metadata fields).
    pub(crate) deleted: bool,
}

/// The settings collections, each by its name, records in the order they were created.
#[derive(Clone, Debug, Default)]
pub(crate) struct Records {
    collections: BTreeMap<&'static str, Vec<Record>>,
}

impl Records {
    /// The records of a collection, oldest first.
    pub(crate) fn of(&self, collection: &str) -> &[Record] {
        self.collections.get(collection).map_or(&[], Vec::as_slice)
    }

    /// The records of a collection, to change them.
    pub(crate) fn of_mut(&mut self, collection: &'static str) -> &mut Vec<Record> {
        self.collections.entry(collection).or_default()
    }
}

/// A folder of the media library.
#[derive(Clone, Debug)]
pub(crate) struct FolderRecord {
    pub(crate) id: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// A bulk job; the emulator runs every job to completion when it is created.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub(crate) kind: &'static str,
    pub(crate) purge_request_id: Option<String>,
    /// Status checks left that answer `Pending`.
    pub(crate) pending_polls: u32,
}

impl State {
    pub(crate) fn new(private_key: String, url_endpoint: String, storage_limit: u64) -> Self {
        let mut records = Records::default();
        // Every account has its default URL endpoint from the start.
        records.of_mut(URL_ENDPOINTS).push(Record {
            id: "default".to_owned(),
            fields: default_url_endpoint(),
            created_at: EPOCH_MS,
            updated_at: EPOCH_MS,
            deleted: false,
        });
        Self {
            private_key,
            url_endpoint,
            storage_limit,
            now_ms: EPOCH_MS,
            next_id: 1,
            next_request: 1,
            files: Library::default(),
            folders: BTreeMap::new(),
            jobs: BTreeMap::new(),
            purges: BTreeMap::new(),
            pending_polls: 0,
            upload_tokens: std::collections::HashSet::new(),
            records,
            faults: Vec::new(),
            requests: std::collections::VecDeque::new(),
        }
    }

    /// Back to the state of a new emulator with the same key, URL endpoint and storage limit.
    pub(crate) fn reset(&mut self) {
        let pending_polls = self.pending_polls;
        *self = Self::new(
            std::mem::take(&mut self.private_key),
            std::mem::take(&mut self.url_endpoint),
            self.storage_limit,
        );
        self.pending_polls = pending_polls;
    }

    /// Records a v1 upload `token`; `false` when it was seen before. Kept as 16 bytes of its
    /// SHA-256, not the token itself: one is kept for every upload.
    pub(crate) fn first_use_of_token(&mut self, token: &str) -> bool {
        let digest = Sha256::digest(token.as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        self.upload_tokens.insert(key)
    }

    /// The bytes of file content stored, every version counted.
    pub(crate) fn stored_bytes(&self) -> u64 {
        self.files.stored_bytes()
    }

    /// A new 24-hex-digit id, as ImageKit's object ids look.
    pub(crate) fn new_id(&mut self) -> String {
        let n = self.next_id;
        self.next_id += 1;
        format!("6770{:020x}", n)
    }

    /// A new request id, shaped like a UUID.
    pub(crate) fn new_request_id(&mut self) -> String {
        let n = self.next_request;
        self.next_request += 1;
        format!("00000000-0000-4000-8000-{n:012x}")
    }

    /// Moves the logical clock one tick and returns the new instant.
    pub(crate) fn tick(&mut self) -> i64 {
        self.now_ms += TICK_MS;
        self.now_ms
    }

    /// The file stored at `folder`/`name`, if any.
    pub(crate) fn file_at(&self, folder: &str, name: &str) -> Option<&FileRecord> {
        self.files.at(folder, name)
    }

    /// Creates `path` and every missing ancestor.
    pub(crate) fn ensure_folder(&mut self, path: &str) {
        let mut prefix = String::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            prefix.push('/');
            prefix.push_str(segment);
            if !self.folders.contains_key(&prefix) {
                let id = self.new_id();
                let at = self.now_ms;
                self.folders.insert(prefix.clone(), FolderRecord { id, created_at: at, updated_at: at });
            }
        }
    }

    /// A new version of content uploaded now, with default attributes.
    pub(crate) fn new_version(
        &mut self,
        id: String,
        number: u32,
        content: Bytes,
        mime: &'static str,
    ) -> Version {
        let at = self.now_ms;
        let (width, height, has_alpha) = match image_info(&content) {
            Some((w, h, alpha)) => (Some(w), Some(h), alpha),
            None => (None, None, None),
        };
        Version { width, height, has_alpha, ..Version::new(id, number, content, mime, at) }
    }

    /// A copy of `version` as a new version `number` of another (or the same) file.
    pub(crate) fn copy_version(&mut self, version: &Version, number: u32, id: String) -> Version {
        let at = self.now_ms;
        Version { id, number, created_at: at, updated_at: at, ..version.clone() }
    }

    /// The URL of a file path on the configured endpoint.
    pub(crate) fn url_of(&self, file_path: &str) -> String {
        format!("{}{}", self.url_endpoint.trim_end_matches('/'), encode_path(file_path))
    }

    /// The thumbnail URL of a file path.
    pub(crate) fn thumbnail_of(&self, file_path: &str) -> String {
        format!("{}/tr:n-ik_ml_thumbnail{}", self.url_endpoint.trim_end_matches('/'), encode_path(file_path))
    }

    /// The `File` / `File Version` JSON of one version of a file.
    pub(crate) fn file_json(&self, file: &FileRecord, version: &Version, as_version: bool) -> Value {
        let path = file.file_path();
        let query = if as_version {
            format!(
                "?ik-obj-version={}&updatedAt={}",
                version_token(&version.id, version.created_at),
                version.updated_at
            )
        } else {
            format!("?updatedAt={}", version.updated_at)
        };
        let (created, updated) = if as_version {
            (version.created_at, version.updated_at)
        } else {
            (file.created_at, version.updated_at)
        };
        let mut body = Map::new();
        body.insert("fileId".into(), json!(file.id));
        body.insert("type".into(), json!(if as_version { "file-version" } else { "file" }));
        body.insert("name".into(), json!(file.name));
        body.insert("filePath".into(), json!(path));
        body.insert("tags".into(), json!(version.tags));
        body.insert("AITags".into(), json!(version.ai_tags));
        body.insert(
            "versionInfo".into(),
            json!({"id": version.id, "name": format!("Version {}", version.number)}),
        );
        body.insert("isPrivateFile".into(), json!(version.is_private));
        body.insert("isPublished".into(), json!(version.is_published));
        body.insert("customCoordinates".into(), json!(version.custom_coordinates));
        body.insert("url".into(), json!(format!("{}{query}", self.url_of(&path))));
        body.insert("thumbnail".into(), json!(format!("{}{query}", self.thumbnail_of(&path))));
        body.insert("fileType".into(), json!(file_type(version.mime)));
        body.insert("mime".into(), json!(version.mime));
        if let (Some(w), Some(h)) = (version.width, version.height) {
            body.insert("width".into(), json!(w));
            body.insert("height".into(), json!(h));
        }
        body.insert("size".into(), json!(version.content.len()));
        if let Some(alpha) = version.has_alpha {
            body.insert("hasAlpha".into(), json!(alpha));
        }
        body.insert("customMetadata".into(), Value::Object(version.custom_metadata.clone()));
        if let Some(description) = &version.description {
            body.insert("description".into(), json!(description));
        }
        body.insert("createdAt".into(), json!(iso8601(created)));
        body.insert("updatedAt".into(), json!(iso8601(updated)));
        Value::Object(body)
    }

    /// The `Folder` JSON of a folder.
    pub(crate) fn folder_json(&self, path: &str, folder: &FolderRecord) -> Value {
        json!({
            "type": "folder",
            "folderId": folder.id,
            "name": path.rsplit('/').next().unwrap_or_default(),
            "folderPath": path,
            "customMetadata": {},
            "createdAt": iso8601(folder.created_at),
            "updatedAt": iso8601(folder.updated_at),
        })
    }
}

/// The name of the collection of URL endpoints.
pub(crate) const URL_ENDPOINTS: &str = "url-endpoints";

/// The fields of the account's default URL endpoint: no prefix, no origins.
fn default_url_endpoint() -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("description".into(), json!("Default URL endpoint"));
    fields.insert("urlPrefix".into(), json!(""));
    fields.insert("origins".into(), json!([]));
    fields
}

/// A stable, opaque token pinning a version in its URL.
/// Derived from the version's id and creation time, so it is computed when rendered, not kept.
fn version_token(id: &str, at: i64) -> String {
    let digest = Sha256::digest(format!("{id}:{at}").as_bytes());
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    digest.iter().map(|b| alphabet[usize::from(b & 63)] as char).take(32).collect()
}

/// A deterministic 9-character suffix for `useUniqueFileName`.
pub(crate) fn unique_suffix(seed: u64) -> String {
    let digest = Sha256::digest(seed.to_be_bytes());
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    digest.iter().map(|b| alphabet[usize::from(*b) % alphabet.len()] as char).take(9).collect()
}

/// Percent-encodes what is not allowed in a URL path, keeping `/`.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A folder path normalised to `""` (the root) or `/a/b`; `None` when invalid.
pub(crate) fn normalise_folder(path: &str) -> Option<String> {
    let mut out = String::new();
    for segment in path.trim().split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.chars().any(char::is_control) {
            return None;
        }
        out.push('/');
        out.push_str(segment);
    }
    Some(out)
}

/// `image` for image MIME types, else `non-image`.
pub(crate) fn file_type(mime: &str) -> &'static str {
    if mime.starts_with("image/") { "image" } else { "non-image" }
}

/// The MIME type of content: from its first bytes, else from the file name's extension.
pub(crate) fn sniff_mime(content: &[u8], file_name: &str) -> &'static str {
    let magic: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
    ];
    for (prefix, mime) in magic {
        if content.starts_with(prefix) {
            return mime;
        }
    }
    if content.len() >= 12 && &content[..4] == b"RIFF" && &content[8..12] == b"WEBP" {
        return "image/webp";
    }
    imagekit_core::upload::guess_content_type(file_name)
}

/// Width, height and (PNG only) whether there is an alpha channel, read from the header of a
/// PNG, GIF or JPEG.
pub(crate) fn image_info(content: &[u8]) -> Option<(u32, u32, Option<bool>)> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if content.starts_with(b"\x89PNG\r\n\x1a\n") && content.len() >= 26 && &content[12..16] == b"IHDR" {
        let color_type = content[25];
        return Some((be32(&content[16..20]), be32(&content[20..24]), Some(matches!(color_type, 4 | 6))));
    }
    if (content.starts_with(b"GIF87a") || content.starts_with(b"GIF89a")) && content.len() >= 10 {
        let w = u32::from(u16::from_le_bytes([content[6], content[7]]));
        let h = u32::from(u16::from_le_bytes([content[8], content[9]]));
        return Some((w, h, None));
    }
    if content.starts_with(b"\xff\xd8") {
        let mut i = 2;
        while i + 9 < content.len() {
            if content[i] != 0xff {
                return None;
            }
            let marker = content[i + 1];
            if marker == 0xff {
                i += 1;
                continue;
            }
            let length = usize::from(u16::from_be_bytes([content[i + 2], content[i + 3]]));
            let is_sof = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
            if is_sof {
                let h = u32::from(u16::from_be_bytes([content[i + 5], content[i + 6]]));
                let w = u32::from(u16::from_be_bytes([content[i + 7], content[i + 8]]));
                return Some((w, h, Some(false)));
            }
            if length < 2 {
                return None;
            }
            i += 2 + length;
        }
    }
    None
}

/// `2025-01-01T00:00:00.000Z` from milliseconds since the Unix epoch.
pub(crate) fn iso8601(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Milliseconds since the Unix epoch of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.mmm][Z]`.
pub(crate) fn parse_iso8601(text: &str) -> Option<i64> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    // Digits only, so no sign slips past the range checks, and a four-digit year, so the
    // arithmetic below cannot overflow whatever a search query holds.
    let y = digits(parts.next()?, 4, 4)?;
    let m = digits(parts.next()?, 1, 2)?;
    let d = digits(parts.next()?, 1, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d).checked_mul(86_400_000)?;
    if let Some(time) = time {
        let time = time.strip_suffix('Z').unwrap_or(time);
        let (hms, frac) = match time.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (time, None),
        };
        let mut parts = hms.split(':');
        let h = digits(parts.next()?, 1, 2)?;
        let min = digits(parts.next()?, 1, 2)?;
        let s = digits(parts.next().unwrap_or("0"), 1, 2)?;
        if parts.next().is_some() || h > 23 || min > 59 || s > 60 {
            return None;
        }
        let milli: i64 = match frac {
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{f:0<3}")[..3].parse().ok()?
            }
            Some(_) => return None,
            None => 0,
        };
        ms = ms.checked_add(((h * 60 + min) * 60 + s) * 1000 + milli)?;
    }
    Some(ms)
}

/// `text` as a number when it is `min_len` to `max_len` ASCII digits.
fn digits(text: &str, min_len: usize, max_len: usize) -> Option<i64> {
    if !(min_len..=max_len).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats_and_parses() {
        assert_eq!(iso8601(EPOCH_MS), "2025-01-01T00:00:00.000Z");
        assert_eq!(iso8601(EPOCH_MS + 86_400_000 * 59 + 3_723_004), "2025-03-01T01:02:03.004Z");
        assert_eq!(parse_iso8601("2025-01-01"), Some(EPOCH_MS));
        assert_eq!(parse_iso8601("2025-03-01T01:02:03.004Z"), Some(EPOCH_MS + 86_400_000 * 59 + 3_723_004));
        assert_eq!(parse_iso8601("2025-13-01"), None);
        assert_eq!(parse_iso8601("nope"), None);
    }

    #[test]
    fn hostile_dates_are_refused_without_overflow() {
        for text in [
            "999999999999999999-01-01",
            "9223372036854775807-12-31T23:59:59Z",
            "2025-01-01T-1:00:00",
            "2025-01-01T00:-5:00",
            "2025-+1-01",
            "+2025-01-01",
            "2025-01-01T00:00:00:00",
            "12345-01-01",
        ] {
            assert_eq!(parse_iso8601(text), None, "{text}");
        }
        assert_eq!(parse_iso8601("2025-1-1T0:0:0Z"), Some(EPOCH_MS), "short fields still parse");
    }

    #[test]
    fn image_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
        assert_eq!(image_info(&png), Some((3, 2, Some(true))));
        let gif = b"GIF89a\x05\x00\x07\x00";
        assert_eq!(image_info(gif), Some((5, 7, None)));
        let jpeg = [0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 4, 0, 9, 3, 0, 0, 0, 0, 0, 0];
        assert_eq!(image_info(&jpeg), Some((9, 4, Some(false))));
        assert_eq!(image_info(b"\xff\xd8\xff"), None);
        assert_eq!(sniff_mime(&png, "x.bin"), "image/png");
        assert_eq!(sniff_mime(b"hello", "notes.txt"), "text/plain");
    }
}
