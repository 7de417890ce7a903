//! Hostile strings in every string parameter of every operation: the request either is refused
//! as invalid input, or stays well-formed, with one header per header, one form part per field,
//! ids inside their one path segment, and the value arriving exactly as given.

use bytes::Bytes;
use imagekit_core::resources::accounts::{CreateOrigin, CreateUrlEndpoint};
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::resources::custom_metadata_fields::{
    CreateCustomMetadataField, ListCustomMetadataFields, UpdateCustomMetadataField,
};
use imagekit_core::resources::files::{CopyFile, MoveFile, RenameFile, UpdateFileDetails};
use imagekit_core::resources::folders::{CopyFolder, MoveFolder, RenameFolder};
use imagekit_core::resources::named_transformations::{CreateNamedTransformation, UpdateNamedTransformation};
use imagekit_core::resources::saved_extensions::{CreateSavedExtension, UpdateSavedExtension};
use imagekit_core::transport::HttpRequest;
use imagekit_core::{Config, Error, UploadSource};
use proptest::prelude::*;

/// Where the hostile value goes, and so what must hold of the request.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// A path segment: the `n`th segment of the path decodes to the value.
    Segment(usize),
    /// A query parameter of this name decodes to the value.
    Query(&'static str),
    /// The JSON body holds the value somewhere.
    Json,
    /// A form field of this name holds the value (or the file part's name for `fileName`).
    Form(&'static str),
}

type Build = fn(&Config, &str) -> Result<HttpRequest, Error>;

fn op<T>(
    config: &Config,
    operation: Result<imagekit_core::operation::Operation<T>, Error>,
) -> Result<HttpRequest, Error> {
    operation?.to_request(config)
}

fn cases() -> Vec<(&'static str, Place, Build)> {
    vec![
        ("files.get", Place::Segment(2), |c, v| op(c, c.files().get(v))),
        ("files.delete", Place::Segment(2), |c, v| op(c, c.files().delete(v))),
        ("files.update", Place::Json, |c, v| {
            op(c, c.files().update("f", UpdateFileDetails::new().tags([v]).description(v)))
        }),
        ("files.update id", Place::Segment(2), |c, v| op(c, c.files().update(v, UpdateFileDetails::new()))),
        ("files.copy", Place::Json, |c, v| op(c, c.files().copy(CopyFile::new(v, v)))),
        ("files.move", Place::Json, |c, v| op(c, c.files().r#move(MoveFile::new(v, v)))),
        ("files.rename", Place::Json, |c, v| op(c, c.files().rename(RenameFile::new(v, v)))),
        ("bulk.delete", Place::Json, |c, v| op(c, c.files().bulk().delete([v]))),
        ("bulk.add_tags", Place::Json, |c, v| op(c, c.files().bulk().add_tags([v], [v]))),
        ("metadata.get", Place::Segment(2), |c, v| op(c, c.files().metadata().get(v))),
        ("metadata.get_from_url", Place::Query("url"), |c, v| op(c, c.files().metadata().get_from_url(v))),
        ("versions.list", Place::Segment(2), |c, v| op(c, c.files().versions().list(v))),
        ("versions.get file", Place::Segment(2), |c, v| op(c, c.files().versions().get(v, "v"))),
        ("versions.get version", Place::Segment(4), |c, v| op(c, c.files().versions().get("f", v))),
        ("versions.restore", Place::Segment(4), |c, v| op(c, c.files().versions().restore("f", v))),
        ("assets.list path", Place::Query("path"), |c, v| op(c, c.assets().list(ListAssets::new().path(v)))),
        ("assets.list search", Place::Query("searchQuery"), |c, v| {
            op(c, c.assets().list(ListAssets::new().search_query(v)))
        }),
        ("folders.create", Place::Json, |c, v| op(c, c.folders().create(v, v))),
        ("folders.delete", Place::Json, |c, v| op(c, c.folders().delete(v))),
        ("folders.copy", Place::Json, |c, v| op(c, c.folders().copy(CopyFolder::new(v, v)))),
        ("folders.move", Place::Json, |c, v| op(c, c.folders().r#move(MoveFolder::new(v, v)))),
        ("folders.rename", Place::Json, |c, v| op(c, c.folders().rename(RenameFolder::new(v, v)))),
        ("folders.job", Place::Segment(2), |c, v| op(c, c.folders().job().get(v))),
        ("cache.create", Place::Json, |c, v| op(c, c.cache().invalidation().create(v))),
        ("cache.get", Place::Segment(3), |c, v| op(c, c.cache().invalidation().get(v))),
        ("fields.create", Place::Json, |c, v| {
            let schema = imagekit_core::models::CustomMetadataFieldSchema::new(
                imagekit_core::models::CustomMetadataFieldType::Text,
            );
            op(c, c.custom_metadata_fields().create(CreateCustomMetadataField::new(v, v, schema)))
        }),
        ("fields.list", Place::Query("folderPath"), |c, v| {
            op(c, c.custom_metadata_fields().list(ListCustomMetadataFields::new().folder_path(v)))
        }),
        ("fields.update", Place::Segment(2), |c, v| {
            op(c, c.custom_metadata_fields().update(v, UpdateCustomMetadataField::new().label("l")))
        }),
        ("extensions.create", Place::Json, |c, v| {
            let config = imagekit_core::models::Extension::ai_auto_description();
            op(c, c.saved_extensions().create(CreateSavedExtension::new(v, v, config)))
        }),
        ("extensions.update", Place::Segment(2), |c, v| {
            op(c, c.saved_extensions().update(v, UpdateSavedExtension::new().name("n")))
        }),
        ("origins.get", Place::Segment(3), |c, v| op(c, c.accounts().origins().get(v))),
        ("origins.create", Place::Json, |c, v| {
            op(c, c.accounts().origins().create(CreateOrigin::web_folder("o", v).canonical_header(v)))
        }),
        ("endpoints.create", Place::Json, |c, v| {
            op(c, c.accounts().url_endpoints().create(CreateUrlEndpoint::new(v).url_prefix(v).origins([v])))
        }),
        ("endpoints.delete", Place::Segment(3), |c, v| op(c, c.accounts().url_endpoints().delete(v))),
        ("webhooks.update", Place::Segment(3), |c, v| {
            let update = imagekit_core::resources::account_webhooks::UpdateWebhook::new().enabled(true);
            op(c, c.accounts().webhooks().update(v, update))
        }),
        ("transformations.create", Place::Json, |c, v| {
            op(c, c.named_transformations().create(CreateNamedTransformation::new("n", v)))
        }),
        ("transformations.update", Place::Segment(2), |c, v| {
            op(c, c.named_transformations().update(v, UpdateNamedTransformation::new().enabled(true)))
        }),
        ("upload fileName", Place::Form("fileName"), |c, v| {
            op(c, c.files().upload(UploadSource::bytes("x"), v).into_operation())
        }),
        ("upload folder", Place::Form("folder"), |c, v| {
            op(c, c.files().upload(UploadSource::bytes("x"), "a.jpg").folder(v).into_operation())
        }),
        ("upload tags", Place::Form("tags"), |c, v| {
            op(c, c.files().upload(UploadSource::bytes("x"), "a.jpg").tags([v]).into_operation())
        }),
        ("upload description", Place::Form("description"), |c, v| {
            op(c, c.files().upload(UploadSource::bytes("x"), "a.jpg").description(v).into_operation())
        }),
        ("upload checks", Place::Form("checks"), |c, v| {
            op(c, c.files().upload(UploadSource::bytes("x"), "a.jpg").checks(v).into_operation())
        }),
        ("upload url", Place::Form("file"), |c, v| {
            op(
                c,
                c.files()
                    .upload(UploadSource::url(format!("https://example.com/{v}")), "a.jpg")
                    .into_operation(),
            )
        }),
        ("upload content type", Place::Form("file"), |c, v| {
            op(c, c.files().upload(UploadSource::bytes("x"), "a.jpg").content_type(v).into_operation())
        }),
        ("extra header", Place::Json, |c, v| op(c, c.files().get("f").and_then(|o| o.header("x-extra", v)))),
        ("extra query", Place::Query("extra"), |c, v| op(c, c.files().get("f").map(|o| o.query("extra", v)))),
        ("extra body field", Place::Json, |c, v| {
            op(c, c.files().copy(CopyFile::new("/a", "/b")).map(|o| o.body_field(v, v)))
        }),
    ]
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// What must hold of a request built with the hostile `value` at `place`.
fn check(name: &str, place: Place, value: &str, request: &http::Request<Bytes>) -> Result<(), TestCaseError> {
    // One header per header, and no line breaks in any.
    for key in ["authorization", "content-type", "user-agent", "accept"] {
        prop_assert!(request.headers().get_all(key).iter().count() <= 1, "{name}: {key} repeated");
    }
    for (key, header) in request.headers() {
        prop_assert!(
            !header.as_bytes().iter().any(|b| *b == b'\r' || *b == b'\n'),
            "{name}: {key} breaks a line"
        );
    }
    let path = request.uri().path();
    match place {
        Place::Segment(n) => {
            let segments: Vec<&str> = path.split('/').skip(1).collect();
            prop_assert_eq!(percent_decode(segments[n]), value, "{}: {}", name, path);
        }
        Place::Query(key) => {
            let query = request.uri().query().unwrap_or_default();
            let found: Vec<String> = query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| percent_decode(v))
                .collect();
            prop_assert_eq!(found.len(), 1, "{}: {}", name, query);
            prop_assert_eq!(&found[0], value, "{}: {}", name, query);
        }
        Place::Json => {
            if name == "extra header" {
                prop_assert_eq!(request.headers()["x-extra"].to_str().unwrap_or_default(), value);
                return Ok(());
            }
            let body: serde_json::Value = serde_json::from_slice(request.body())
                .map_err(|e| TestCaseError::fail(format!("{name}: the body is not JSON: {e}")))?;
            let text = body.to_string();
            let encoded = serde_json::Value::String(value.to_owned()).to_string();
            prop_assert!(text.contains(encoded.trim_matches('"')), "{name}: {value:?} not in {text}");
        }
        Place::Form(field) => {
            let content_type = request.headers()["content-type"].to_str().unwrap_or_default().to_owned();
            let parts = imagekit_mock::multipart::parse(&content_type, request.body())
                .map_err(|e| TestCaseError::fail(format!("{name}: a malformed form: {e}")))?;
            let mut names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
            let all = names.len();
            names.sort_unstable();
            names.dedup();
            prop_assert_eq!(names.len(), all, "{}: a field appears twice", name);
            let part = parts.iter().find(|p| p.name == field);
            prop_assert!(part.is_some(), "{name}: no {field} part");
            if !matches!(name, "upload url" | "upload content type") {
                let expected = value.to_owned();
                prop_assert_eq!(part.map(|p| p.text()).unwrap_or_default(), expected, "{}", name);
            }
        }
    }
    Ok(())
}

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("../../v1/files/other".to_owned()),
        Just("a/b?c#d ../é".to_owned()),
        Just("x\r\nX-Injected: yes".to_owned()),
        Just("\"; name=\"fileName\"".to_owned()),
        Just("--imagekit-rs-00000000000000000000000000000000\r\n".to_owned()),
        Just("%2e%2e/%2F%00".to_owned()),
        Just("\u{0}\u{1b}[31m\u{7f}".to_owned()),
        Just("\u{202e}txt.exe".to_owned()),
        "[ -~]{1,40}",
        "\\PC{1,20}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn requests_stay_well_formed_or_are_refused(value in hostile()) {
        let config = Config::builder().private_key("private_k").build().unwrap();
        for (name, place, build) in cases() {
            match build(&config, &value) {
                Ok(request) => {
                    let request = imagekit_core::transport::collect_blocking(request).unwrap();
                    check(name, place, &value, &request)?
                }
                Err(Error::InvalidInput(_)) => {}
                Err(other) => prop_assert!(false, "{}: {:?} gave {:?}", name, value, other),
            }
        }
    }
}
