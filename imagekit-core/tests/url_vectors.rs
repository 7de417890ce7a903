//! Every URL vector of the official v7 Node SDK, run through the public entry point.
//!
//! The vectors live in `shared/vectors/url-v7.json` beside the repository checkout; they are
//! read at test time so that updating them needs no code change. A missing file fails.

use imagekit_core::url::{SrcOptions, Transformation, UrlBuilder, build_transformation_string};
use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/vectors/url-v7.json"
);

/// The clock the derived `ik-t` vectors were generated with (Date.now() frozen).
const FROZEN_NOW: u64 = 1_700_000_000;

fn load() -> Value {
    let text = std::fs::read_to_string(VECTORS).unwrap_or_else(|e| {
        panic!("cannot read the URL test vectors at {VECTORS}: {e}; shared/ must sit beside the repository checkout")
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{VECTORS} is not valid JSON: {e}"))
}

fn run(vector: &Value) -> Result<(), String> {
    let function = vector["function"]
        .as_str()
        .ok_or("vector has no `function`")?;
    let input = vector["input"].clone();
    let expected = &vector["expected"];
    let key = vector["private_key"].as_str().unwrap_or("");
    match function {
        "helper.buildSrc" => {
            let opts: SrcOptions =
                serde_json::from_value(input).map_err(|e| format!("options rejected: {e}"))?;
            let url = UrlBuilder::new(key)
                .now_unix(FROZEN_NOW)
                .build_src(&opts)
                .map_err(|e| format!("build_src failed: {e}"))?;
            let want = expected.as_str().ok_or("expected is not a string")?;
            if url != want {
                return Err(format!("\n   got: {url}\n  want: {want}"));
            }
        }
        "helper.buildTransformationString" => {
            let chain: Vec<Transformation> =
                serde_json::from_value(input).map_err(|e| format!("chain rejected: {e}"))?;
            let got = build_transformation_string(&chain).map_err(|e| e.to_string())?;
            // The builder method must agree with the free function.
            let via_builder = UrlBuilder::new(key)
                .build_transformation_string(&chain)
                .map_err(|e| e.to_string())?;
            let want = expected.as_str().ok_or("expected is not a string")?;
            if got != want || via_builder != want {
                return Err(format!("\n   got: {got} / {via_builder}\n  want: {want}"));
            }
        }
        "helper.getAuthenticationParameters" => {
            let token = input["token"].as_str().ok_or("no token")?;
            let expire = input["expire"].as_u64().ok_or("no expire")?;
            let signature = imagekit_core::url::sign_upload_params(key, token, expire);
            let want = expected["signature"]
                .as_str()
                .ok_or("no expected signature")?;
            if signature != want || expected["token"] != token || expected["expire"] != expire {
                return Err(format!("got signature {signature}, want {want}"));
            }
        }
        other => {
            return Err(format!(
                "unknown vector function {other:?}: extend this test"
            ));
        }
    }
    Ok(())
}

#[test]
fn all_v7_url_vectors_pass() {
    let doc = load();
    let vectors = doc["vectors"]
        .as_array()
        .expect("`vectors` must be an array");
    let declared = doc["count"].as_u64().expect("`count` must be a number");
    assert_eq!(
        vectors.len() as u64,
        declared,
        "vector count does not match `count`"
    );
    assert!(!vectors.is_empty(), "no vectors in {VECTORS}");

    let mut failures = Vec::new();
    for v in vectors {
        let id = v["id"].as_str().unwrap_or("?");
        if let Err(why) = run(v) {
            failures.push(format!(
                "{id} ({}): {why}",
                v["source"]["test"].as_str().unwrap_or("")
            ));
        }
    }
    let passed = vectors.len() - failures.len();
    println!("URL vectors: {passed} of {} passed", vectors.len());
    assert!(
        failures.is_empty(),
        "{} of {} URL vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}
