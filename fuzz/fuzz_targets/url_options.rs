//! The URL builder's JSON entry point (the options the Node SDK takes) and signing: any JSON
//! gives a URL or an error naming what is wrong, never a panic; a signed URL is signed.
#![no_main]

use imagekit_core::url::{SrcOptions, UrlBuilder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(options) = serde_json::from_slice::<SrcOptions>(data) else { return };
    let builder = UrlBuilder::new("private_fuzz_key");
    let Ok(url) = builder.build_src(&options) else { return };
    if url.contains("ik-s=") {
        assert!(url.starts_with("http"), "{url}");
    }
    // The key signs; it is never part of a URL (unless the options themselves held it).
    let key = b"private_fuzz_key";
    if !data.windows(key.len()).any(|w| w == key) {
        assert!(!url.contains("private_fuzz_key"), "the key is in {url}");
    }
});
