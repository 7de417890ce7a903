//! Decoding every model from any body, directly and through the sans-IO operations (which check
//! what a body may become before decoding it): a value or an error, never a panic.
#![no_main]

use bytes::Bytes;
use imagekit_core::Config;
use imagekit_core::models::*;
use libfuzzer_sys::fuzz_target;

macro_rules! decode_each {
    ($data:expr; $($model:ty),* $(,)?) => {
        $( let _ = serde_json::from_slice::<$model>($data); let _ = serde_json::from_slice::<Vec<$model>>($data); )*
    };
}

fuzz_target!(|data: &[u8]| {
    decode_each!(data;
        Usage, UsageAnalytics, Origin, UrlEndpoint, Webhook, Folder, Asset, CustomMetadataField,
        SavedExtension, Extension, File, RenameFileResult, FolderJob, BulkJob, Metadata,
        NamedTransformation, PurgeRequest, PurgeStatus, Upload, BulkDeleteResult, BulkTagsResult,
    );
    let config = Config::builder().private_key("private_fuzz").build().unwrap();
    let answer =
        |status: u16| http::Response::builder().status(status).body(Bytes::copy_from_slice(data)).unwrap();
    for status in [200, 207, 400, 500] {
        let _ = config.files().versions().list("f").unwrap().parse(answer(status));
        let _ = config.files().get("f").unwrap().parse(answer(status));
        let _ = config.assets().list(Default::default()).unwrap().parse(answer(status));
    }
});
