//! [`UploadForm`]: an upload body built the way the official SDKs encode it.

use bytes::Bytes;

/// An upload request body, encoded as the official SDKs send it: text fields as they are,
/// lists joined with `,`, JSON values as JSON strings, booleans as `true` / `false`, and the
/// file as a binary part with a file name.
///
/// ```
/// use imagekit_emulator::{Emulator, UploadForm};
///
/// let emulator = Emulator::new("private_test");
/// let form = UploadForm::new("logo.png", &b"not really a png"[..])
///     .field("folder", "/brand")
///     .field("useUniqueFileName", "false")
///     .tags(&["logo", "brand"]);
/// let request = form.into_request("http://127.0.0.1", "private_test");
/// let response = emulator.handle(request);
/// assert_eq!(response.status(), 200);
/// ```
#[derive(Clone, Debug)]
pub struct UploadForm {
    fields: Vec<(String, String)>,
    file: Option<(String, Bytes)>,
    boundary: String,
}

impl UploadForm {
    /// A form uploading `content` as `file_name` (the `file` and `fileName` fields).
    pub fn new(file_name: &str, content: impl Into<Bytes>) -> Self {
        Self {
            fields: vec![("fileName".to_owned(), file_name.to_owned())],
            file: Some((file_name.to_owned(), content.into())),
            boundary: "----imagekit-emulator-boundary-7MA4YWxkTrZu0gW".to_owned(),
        }
    }

    /// A form whose `file` field is text: a URL, base64 or a data URI.
    pub fn with_file_text(file_name: &str, file: &str) -> Self {
        let mut form = Self::new(file_name, Bytes::new());
        form.file = None;
        form.fields.push(("file".to_owned(), file.to_owned()));
        form
    }

    /// Adds a text field (`folder`, `useUniqueFileName`, `overwriteFile`, `customCoordinates`, ...).
    pub fn field(mut self, name: &str, value: &str) -> Self {
        self.fields.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds `tags`, comma-joined.
    pub fn tags(self, tags: &[&str]) -> Self {
        let joined = tags.join(",");
        self.field("tags", &joined)
    }

    /// Adds a JSON field (`customMetadata`, `extensions`, `transformation`) as a JSON string.
    pub fn json_field(self, name: &str, value: &serde_json::Value) -> Self {
        let text = value.to_string();
        self.field(name, &text)
    }

    /// The `Content-Type` header value, with the boundary.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The encoded body.
    pub fn body(&self) -> Bytes {
        let mut out = Vec::new();
        for (name, value) in &self.fields {
            out.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
            out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        if let Some((file_name, content)) = &self.file {
            out.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
            out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        Bytes::from(out)
    }

    /// A `POST {base_url}/api/v1/files/upload` request with Basic auth for `private_key`.
    pub fn into_request(self, base_url: &str, private_key: &str) -> http::Request<Bytes> {
        use base64::Engine as _;
        let credentials = base64::engine::general_purpose::STANDARD.encode(format!("{private_key}:"));
        let mut request = http::Request::new(self.body());
        *request.method_mut() = http::Method::POST;
        let uri = format!("{}/api/v1/files/upload", base_url.trim_end_matches('/'));
        *request.uri_mut() = uri.parse().unwrap_or_else(|_| http::Uri::from_static("/api/v1/files/upload"));
        let headers = request.headers_mut();
        if let Ok(value) = http::HeaderValue::from_str(&self.content_type()) {
            headers.insert(http::header::CONTENT_TYPE, value);
        }
        if let Ok(value) = http::HeaderValue::from_str(&format!("Basic {credentials}")) {
            headers.insert(http::header::AUTHORIZATION, value);
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multipart::parse;

    #[test]
    fn round_trip() {
        let form = UploadForm::new("a.txt", &b"line1\r\nline2"[..]).field("folder", "/x").tags(&["a", "b"]);
        let parts = parse(&form.content_type(), &form.body()).unwrap();
        let names: Vec<_> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["fileName", "folder", "tags", "file"]);
        assert_eq!(parts[3].filename.as_deref(), Some("a.txt"));
        assert_eq!(&parts[3].data[..], b"line1\r\nline2");
        assert_eq!(&parts[2].data[..], b"a,b");
    }
}
