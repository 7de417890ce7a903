//! Every URL vector of the official v7 Node SDK, run through the public entry point.
//!
//! The vectors live in `tests/vectors/url-v7.json` (where they came from is written in the file);
//! they are read at test time so that updating them needs no code change. A missing file fails.

use imagekit_core::url::{SrcOptions, Transformation, UrlBuilder, build_transformation_string};
use serde_json::Value;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/url-v7.json");

/// The clock the derived `ik-t` vectors were generated with (Date.now() frozen).
const FROZEN_NOW: u64 = 1_700_000_000;

fn load() -> Value {
    let text = std::fs::read_to_string(VECTORS)
        .unwrap_or_else(|e| panic!("cannot read the URL test vectors at {VECTORS}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{VECTORS} is not valid JSON: {e}"))
}

fn run(vector: &Value) -> Result<(), String> {
    let function = vector["function"].as_str().ok_or("vector has no `function`")?;
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
            let via_builder =
                UrlBuilder::new(key).build_transformation_string(&chain).map_err(|e| e.to_string())?;
            let want = expected.as_str().ok_or("expected is not a string")?;
            if got != want || via_builder != want {
                return Err(format!("\n   got: {got} / {via_builder}\n  want: {want}"));
            }
        }
        "helper.getAuthenticationParameters" => {
            let token = input["token"].as_str().ok_or("no token")?;
            let expire = input["expire"].as_u64().ok_or("no expire")?;
            let signature = imagekit_core::url::sign_upload_params(key, token, expire);
            let want = expected["signature"].as_str().ok_or("no expected signature")?;
            if signature != want || expected["token"] != token || expected["expire"] != expire {
                return Err(format!("got signature {signature}, want {want}"));
            }
        }
        other => {
            return Err(format!("unknown vector function {other:?}: extend this test"));
        }
    }
    Ok(())
}

#[test]
fn all_v7_url_vectors_pass() {
    let doc = load();
    let vectors = doc["vectors"].as_array().expect("`vectors` must be an array");
    let declared = doc["count"].as_u64().expect("`count` must be a number");
    assert_eq!(vectors.len() as u64, declared, "vector count does not match `count`");
    assert!(!vectors.is_empty(), "no vectors in {VECTORS}");

    let mut failures = Vec::new();
    for v in vectors {
        let id = v["id"].as_str().unwrap_or("?");
        if let Err(why) = run(v) {
            failures.push(format!("{id} ({}): {why}", v["source"]["test"].as_str().unwrap_or("")));
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

#[test]
fn typed_builders_give_the_same_url_as_json() {
    use imagekit_core::url::{
        Overlay, OverlayEncoding, OverlayPosition, OverlayTiming, TransformationPosition,
    };

    // v7-122 written with the typed API.
    let typed = SrcOptions::new("https://ik.imagekit.io/demo/", "sdk-testing-files/हिन्दी.png")
        .transformation_position(TransformationPosition::Path)
        .transformation(
            Transformation::new().overlay(
                Overlay::text("हिन्दी").transformation(
                    Transformation::new()
                        .font_color("red")
                        .font_size("32")
                        .font_family("sdk-testing-files/Poppins-Regular_Q15GrYWmL.ttf"),
                ),
            ),
        )
        .signed(true);
    let doc = load();
    let vector = doc["vectors"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["id"] == "v7-122"))
        .expect("vector v7-122 is in the file");
    let from_json: SrcOptions = serde_json::from_value(vector["input"].clone()).unwrap();
    assert_eq!(typed, from_json);
    let url = UrlBuilder::new("dummy-key").build_src(&typed).unwrap();
    assert_eq!(url, vector["expected"].as_str().unwrap());

    // Overlay positions and timing, and forcing an encoding.
    let step = Transformation::new().overlay(
        Overlay::image("/logo dir/a.png")
            .encoding(OverlayEncoding::Plain)
            .layer_mode("multiply")
            .position(OverlayPosition::new().x(0).y("bh_mul_0.1").anchor_point("top_left"))
            .timing(OverlayTiming::new().start(2.5).duration(10)),
    );
    assert_eq!(
        build_transformation_string(&[step]).unwrap(),
        "l-image,i-logo dir@@a.png,lm-multiply,lx-0,ly-bh_mul_0.1,lap-top_left,lso-2.5,ldu-10,l-end"
    );
}

#[test]
fn expiring_urls_carry_ik_t_from_the_given_clock() {
    let opts: SrcOptions = serde_json::from_value(serde_json::json!({
        "urlEndpoint": "https://ik.imagekit.io/demo",
        "src": "/a.jpg",
        "expiresIn": 600,
    }))
    .unwrap();
    let url = UrlBuilder::new("k").now_unix(FROZEN_NOW).build_src(&opts).unwrap();
    let prefix = "https://ik.imagekit.io/demo/a.jpg?ik-t=1700000600&ik-s=";
    assert!(url.starts_with(prefix), "{url}");
    // The signature covers path + expiry, keyed with the private key.
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(b"k").unwrap();
    mac.update(b"a.jpg1700000600");
    let want: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(&url[prefix.len()..], want);
}

#[test]
fn invalid_options_are_errors_that_name_the_field() {
    let reject = |json: serde_json::Value, needle: &str| {
        let message = match serde_json::from_value::<SrcOptions>(json.clone()) {
            Err(e) => e.to_string(),
            Ok(opts) => match UrlBuilder::new("k").now_unix(FROZEN_NOW).build_src(&opts) {
                Err(e) => e.to_string(),
                Ok(url) => panic!("{json} was accepted as {url}"),
            },
        };
        assert!(message.contains(needle), "error for {json} does not name {needle:?}: {message}");
    };
    let base = |extra: serde_json::Value| {
        let mut o = serde_json::json!({"urlEndpoint": "https://ik.imagekit.io/demo", "src": "/a.jpg"});
        o.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        o
    };
    reject(base(serde_json::json!({"expiresIn": -5})), "expiresIn");
    reject(base(serde_json::json!({"expiresIn": 1.5})), "expiresIn");
    reject(base(serde_json::json!({"transformationPosition": "side"})), "side");
    reject(base(serde_json::json!({"path": "/legacy.jpg"})), "path");
    reject(base(serde_json::json!({"transformation": [{"width": true}]})), "transformation[0].width");
    reject(base(serde_json::json!({"transformation": [{"height": {"a": 1}}]})), "height");
    reject(base(serde_json::json!({"transformation": [{"grayscale": "yes"}]})), "grayscale");
    reject(base(serde_json::json!({"transformation": [{"raw": 5}]})), "raw");
    reject(base(serde_json::json!({"transformation": [{"defaultImage": 0}]})), "defaultImage");
    reject(base(serde_json::json!({"transformation": [{"overlay": "text"}]})), "overlay");
    reject(base(serde_json::json!({"transformation": [{"overlay": {"type": "sticker"}}]})), "sticker");
    reject(
        base(serde_json::json!({"transformation": [{"overlay": {"type": "image", "text": "x"}}]})),
        "text",
    );
    reject(
        base(
            serde_json::json!({"transformation": [{"overlay": {"type": "text", "text": "x", "position": {"x": true}}}]}),
        ),
        "number or a string",
    );
    reject(base(serde_json::json!({"queryParameters": {"a": {"b": 1}}})), "queryParameters.a");
    reject(serde_json::json!({"urlEndpoint": "not a url", "src": "/a.jpg"}), "not a url");
    reject(serde_json::json!({"src": "/a.jpg"}), "urlEndpoint");
    let unsigned_key =
        UrlBuilder::new("").build_src(&SrcOptions::new("https://ik.imagekit.io/d", "/a").signed(true));
    assert_eq!(unsigned_key, Err(imagekit_core::url::UrlError::MissingPrivateKey));
}

#[test]
fn unknown_transformation_keys_pass_through_in_order() {
    let chain: Vec<Transformation> =
        serde_json::from_str(r#"[{"zz": "1", "width": 10, "newParam": true}, null, {"WIDTH": 5}]"#).unwrap();
    assert_eq!(build_transformation_string(&chain).unwrap(), "zz-1,w-10,newParam-true:w-5");
}
