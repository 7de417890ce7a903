//! No request, however malformed, makes the emulator panic; every answer is an HTTP status
//! with a JSON body or no body at all.

mod common;

use bytes::Bytes;
use common::*;
use http::Method;
use imagekit_emulator::{Emulator, UploadForm};
use proptest::prelude::*;

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::GET),
        Just(Method::POST),
        Just(Method::PUT),
        Just(Method::PATCH),
        Just(Method::DELETE),
        Just(Method::HEAD),
        Just(Method::OPTIONS),
    ]
}

fn path() -> impl Strategy<Value = String> {
    let known = prop_oneof![
        Just("/v1/files".to_owned()),
        Just("/v1/files/{id}/details".to_owned()),
        Just("/v1/files/{id}/versions".to_owned()),
        Just("/v1/files/{id}/versions/{id}".to_owned()),
        Just("/v1/files/{id}/versions/{id}/restore".to_owned()),
        Just("/v1/files/{id}/metadata".to_owned()),
        Just("/v1/files/{id}".to_owned()),
        Just("/v1/files/batch/deleteByFileIds".to_owned()),
        Just("/v1/files/copy".to_owned()),
        Just("/v1/files/move".to_owned()),
        Just("/v1/files/rename".to_owned()),
        Just("/v1/files/addTags".to_owned()),
        Just("/v1/files/removeTags".to_owned()),
        Just("/v1/files/removeAITags".to_owned()),
        Just("/v1/files/purge".to_owned()),
        Just("/v1/files/purge/{id}".to_owned()),
        Just("/v1/folder".to_owned()),
        Just("/v1/bulkJobs/copyFolder".to_owned()),
        Just("/v1/bulkJobs/moveFolder".to_owned()),
        Just("/v1/bulkJobs/renameFolder".to_owned()),
        Just("/v1/bulkJobs/{id}".to_owned()),
        Just("/api/v1/files/upload".to_owned()),
        Just("/api/v2/files/upload".to_owned()),
        Just("/__emulator/faults".to_owned()),
        Just("/v1/customMetadataFields".to_owned()),
        Just("/v1/customMetadataFields/{id}".to_owned()),
        Just("/v1/saved-extensions".to_owned()),
        Just("/v1/saved-extensions/{id}".to_owned()),
        Just("/v1/accounts/origins".to_owned()),
        Just("/v1/accounts/origins/{id}".to_owned()),
        Just("/v1/accounts/url-endpoints".to_owned()),
        Just("/v1/accounts/url-endpoints/default".to_owned()),
        Just("/v1/accounts/url-endpoints/{id}".to_owned()),
        Just("/v1/named-transformations".to_owned()),
        Just("/v1/named-transformations/{id}".to_owned()),
        Just("/v1/accounts/webhooks".to_owned()),
        Just("/v1/accounts/webhooks/{id}".to_owned()),
        Just("/v1/accounts/usage".to_owned()),
        Just("/v1/accounts/usage-analytics".to_owned()),
    ];
    let noise = "(/[a-zA-Z0-9%._~-]{0,12}){0,6}";
    prop_oneof![known, noise.prop_map(|p| if p.is_empty() { "/".to_owned() } else { p }),]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "(type|sort|path|searchQuery|fileType|limit|skip|includeDeleted|startDate|endDate)=[ -~]{0,30}"
            .prop_map(|q| q.replace(['#', ' '], "%20")),
        Just("startDate=2025-01-01&endDate=2025-03-31".to_owned()),
        Just("searchQuery=name%20%3D%20%22a%22%20AND%20(tags%20IN%20%5B%22x%22%5D%20OR%20createdAt%20%3E%20%227d%22)".to_owned()),
    ]
}

fn body() -> impl Strategy<Value = Bytes> {
    let json_values = prop_oneof![
        Just(r#"{"fileIds":["x"],"tags":["a"]}"#.to_owned()),
        Just(r#"{"sourceFilePath":"/a/b.txt","destinationPath":"/"}"#.to_owned()),
        Just(r#"{"sourceFolderPath":"/a","destinationPath":"/a/b"}"#.to_owned()),
        Just(r#"{"folderPath":"/a","newFolderName":"../x"}"#.to_owned()),
        Just(r#"{"filePath":"/a/b.txt","newFileName":"c.txt","purgeCache":true}"#.to_owned()),
        Just(r#"{"publish":{"isPublished":"x"}}"#.to_owned()),
        Just(r#"{"status":500,"times":4294967296}"#.to_owned()),
        Just(r#"{"name":"n","label":"l","schema":{"type":"MultiSelect","selectOptions":[1,"a"],"defaultValue":[1],"isValueRequired":true}}"#.to_owned()),
        Just(r#"{"name":"n","label":"l","schema":{"type":"Date","minValue":"2025-13-01","maxValue":1e400}}"#.to_owned()),
        Just(r#"{"name":"n","description":"d","config":{"name":"ai-tasks","tasks":[{"type":"yes_no","instruction":"?","on_yes":[]}]}}"#.to_owned()),
        Just(r#"{"name":"n","type":"GCS","bucket":"b","clientEmail":"a@b..c","privateKey":"k"}"#.to_owned()),
        Just(r#"{"name":"n","type":"S3","bucket":"b","useIAMRole":true,"accessKey":"","secretKey":""}"#.to_owned()),
        Just(r#"{"description":"d","urlPrefix":"p","origins":["default",7],"urlRewriter":{"type":"CLOUDINARY"}}"#.to_owned()),
        Just(r#"{"name":"n","transformation":{"w":1},"enabled":"yes"}"#.to_owned()),
        Just(r#"{"url":"https://h.example.com","events":["file.created","file.created"],"secret":""}"#.to_owned()),
        "[ -~]{0,40}",
    ];
    prop_oneof![
        json_values.prop_map(Bytes::from),
        proptest::collection::vec(any::<u8>(), 0..200).prop_map(Bytes::from),
    ]
}

fn ids_of(emulator: &Emulator) -> String {
    emulator.seed_file("/a/b.txt", &b"b"[..]).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_requests_never_panic(
        method in method(),
        path in path(),
        query in query(),
        body in body(),
        content_type in prop_oneof![Just("application/json"), Just("multipart/form-data; boundary=xyz"), Just("text/plain")],
        auth in any::<bool>(),
    ) {
        let emulator = Emulator::new(KEY);
        let id = ids_of(&emulator);
        let path = path.replace("{id}", &id);
        let uri = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
        let Ok(uri) = uri.parse::<http::Uri>() else { return Ok(()) };
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        request.headers_mut().insert("content-type", content_type.parse().unwrap());
        if auth {
            request.headers_mut().insert("authorization", auth_header(KEY).parse().unwrap());
        }
        let response = emulator.handle(request);
        prop_assert!(response.status().as_u16() >= 200);
        if !response.body().is_empty() {
            prop_assert!(serde_json::from_slice::<serde_json::Value>(response.body()).is_ok());
        }
    }

    #[test]
    fn arbitrary_upload_fields_never_panic(
        fields in proptest::collection::vec(
            (prop_oneof![
                Just("fileName"), Just("folder"), Just("tags"), Just("useUniqueFileName"), Just("overwriteFile"),
                Just("customCoordinates"), Just("customMetadata"), Just("responseFields"), Just("token"),
                Just("signature"), Just("expire"), Just("extensions"), Just("overwriteTags"), Just("file"),
            ], "[ -~]{0,30}"),
            0..8,
        ),
        content in proptest::collection::vec(any::<u8>(), 0..64),
        name in "[ -~]{0,20}",
    ) {
        let emulator = Emulator::new(KEY);
        let mut form = UploadForm::new(&name, content);
        for (field, value) in &fields {
            form = form.field(field, value);
        }
        let response = emulator.upload(form);
        prop_assert!(response.status().as_u16() >= 200);
    }

    #[test]
    fn arbitrary_multipart_bodies_never_panic(
        body in proptest::collection::vec(prop_oneof![
            Just(b"--xyz\r\n".to_vec()),
            Just(b"Content-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n".to_vec()),
            Just(b"Content-Disposition: form-data; name=\"fileName\"\r\n\r\n".to_vec()),
            Just(b"\r\n--xyz--\r\n".to_vec()),
            Just(b"\r\n".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..16),
        ], 0..12),
    ) {
        let emulator = Emulator::new(KEY);
        let mut request = http::Request::new(Bytes::from(body.concat()));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = http::Uri::from_static("/api/v1/files/upload");
        request.headers_mut().insert("content-type", "multipart/form-data; boundary=xyz".parse().unwrap());
        request.headers_mut().insert("authorization", auth_header(KEY).parse().unwrap());
        let response = emulator.handle(request);
        prop_assert!(response.status().as_u16() >= 200);
    }
}
