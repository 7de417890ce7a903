//! Property tests: the URL builder and the webhook verifier never panic, whatever they get.

use base64::Engine as _;
use hmac::Mac as _;
use imagekit_core::url::{
    Overlay, OverlayPosition, SrcOptions, Transformation, TransformationPosition, UrlBuilder,
};
use imagekit_core::webhook::{WebhookError, WebhookVerifier};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const KEYS: &[&str] = &[
    "src",
    "urlEndpoint",
    "transformation",
    "transformationPosition",
    "queryParameters",
    "signed",
    "expiresIn",
    "width",
    "height",
    "raw",
    "overlay",
    "type",
    "text",
    "input",
    "color",
    "encoding",
    "position",
    "timing",
    "x",
    "xCenter",
    "start",
    "duration",
    "defaultImage",
    "fontFamily",
    "trim",
    "sharpen",
    "grayscale",
    "streamingResolutions",
    "progressive",
    "WIDTH",
    "layerMode",
    "",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,16}",
        Just("https://ik.imagekit.io/demo".to_owned()),
        Just("https://".to_owned()),
        Just("/a/../b/./c.jpg".to_owned()),
        Just("text".to_owned()),
        Just("path".to_owned()),
        Just("query".to_owned()),
        Just("solidColor".to_owned()),
        Just("base64".to_owned()),
        "(https?://)?[a-zA-Z0-9.:@\\[\\]%/?#\\\\ -]{0,24}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ]
}

/// A plausible overlay object, so that overlay rendering is exercised, not only rejected.
fn overlay() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(&["text", "image", "video", "subtitle", "solidColor"][..]),
        text(),
        prop::option::of(proptest::sample::select(&["auto", "plain", "base64"][..])),
        leaf(),
        leaf(),
    )
        .prop_map(|(kind, input, encoding, x, start)| {
            let field = match kind {
                "text" => "text",
                "solidColor" => "color",
                _ => "input",
            };
            let mut o = json!({"type": kind, field: input, "position": {"x": x}, "timing": {"start": start}});
            if let (Some(e), true) = (encoding, kind != "solidColor") {
                o["encoding"] = json!(e);
            }
            o
        })
}

fn endpoint() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(&[
            "https://ik.imagekit.io/demo",
            "https://ik.imagekit.io/demo/",
            "http://cdn.example.com:8080/a/b",
        ][..]).prop_map(str::to_owned),
        1 => text(),
    ]
}

fn src() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "/?[a-zA-Z0-9 _./-]{1,20}",
        1 => "https://[a-z.]{1,10}/[\\PC]{0,10}",
        1 => text(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A transformation step: an object with mostly known keys and arbitrary values.
fn step() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => json_value(),
        2 => overlay().prop_map(|o| json!({"overlay": o})),
        4 => prop::collection::vec((key(), prop_oneof![4 => leaf(), 1 => json_value()]), 0..6)
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
    ]
}

/// Options that mostly deserialize, with arbitrary values in every slot.
fn src_options_json() -> impl Strategy<Value = Value> {
    (
        src(),
        endpoint(),
        prop::collection::vec(step(), 0..4),
        prop::option::of(prop_oneof![Just(json!("query")), Just(json!("path"))]),
        prop::collection::vec((text(), text()), 0..3),
        any::<bool>(),
        prop::option::of(0u64..100_000),
    )
        .prop_map(|(src, endpoint, steps, position, query, signed, expires)| {
            let mut o = Map::new();
            o.insert("src".into(), json!(src));
            o.insert("urlEndpoint".into(), json!(endpoint));
            o.insert("transformation".into(), Value::Array(steps));
            if let Some(p) = position {
                o.insert("transformationPosition".into(), p);
            }
            o.insert(
                "queryParameters".into(),
                Value::Object(query.into_iter().map(|(k, v)| (k, json!(v))).collect()),
            );
            o.insert("signed".into(), json!(signed));
            if let Some(e) = expires {
                o.insert("expiresIn".into(), json!(e));
            }
            Value::Object(o)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn build_src_never_panics_on_json(opts in src_options_json()) {
        if let Ok(opts) = serde_json::from_value::<SrcOptions>(opts) {
            let _ = UrlBuilder::new("key").now_unix(1_700_000_000).build_src(&opts);
            let _ = UrlBuilder::new("").build_src(&opts);
        }
    }

    #[test]
    fn deserializing_arbitrary_json_never_panics(v in json_value()) {
        let _ = serde_json::from_value::<SrcOptions>(v.clone());
        if let Ok(chain) = serde_json::from_value::<Vec<Transformation>>(v) {
            let _ = imagekit_core::url::build_transformation_string(&chain);
        }
    }

    #[test]
    fn typed_builder_never_panics(
        endpoint in text(), src in text(), raw in text(), x in any::<f64>(),
        overlay_text in text(), path in any::<bool>(), signed in any::<bool>(),
        expires in any::<u64>(), now in any::<u64>(), qk in text(), qv in text(),
    ) {
        let step = Transformation::new()
            .width(x)
            .raw(raw)
            .param(qk.clone(), qv.clone())
            .overlay(Overlay::text(overlay_text).position(OverlayPosition::new().x(x)));
        let mut opts = SrcOptions::new(endpoint, src)
            .transformation(step)
            .query_parameter(qk, qv)
            .signed(signed)
            .expires_in(expires);
        if path {
            opts = opts.transformation_position(TransformationPosition::Path);
        }
        let _ = UrlBuilder::new("k").now_unix(now).build_src(&opts);
    }

    #[test]
    fn url_parsing_never_panics_on_hosts_and_ports(
        host in "(\\[[0-9a-fA-F:.]{0,40}\\]|[0-9a-zA-Z.%-]{0,20})(:[0-9]{0,7})?",
        rest in "\\PC{0,12}",
    ) {
        let endpoint = format!("https://{host}/{rest}");
        let _ = UrlBuilder::new("k").build_src(&SrcOptions::new(endpoint.clone(), "/a.jpg").query_parameter("q", "1"));
        let _ = UrlBuilder::new("k").build_src(&SrcOptions::new("https://ik.imagekit.io/d", endpoint).signed(true));
    }

    #[test]
    fn signed_urls_always_carry_a_signature(
        src in "[a-zA-Z0-9_ -]{1,10}(/[a-zA-Z0-9_ -]{1,10})?(\\.[a-z]{2,4})?",
        w in 1u32..5000,
    ) {
        let opts = SrcOptions::new("https://ik.imagekit.io/demo", src)
            .transformation(Transformation::new().width(w))
            .signed(true);
        let url = UrlBuilder::new("k").build_src(&opts).unwrap();
        prop_assert!(url.starts_with("https://ik.imagekit.io/demo/"), "{}", url);
        let width_param = format!("tr=w-{w}&ik-s=");
        prop_assert!(url.contains(&width_param), "{}", url);
    }

    #[test]
    fn webhook_verifier_never_panics(
        secret in "\\PC{0,12}", id in "\\PC{0,12}", ts in "\\PC{0,12}", sig in "\\PC{0,40}",
        legacy in "\\PC{0,60}", body in prop::collection::vec(any::<u8>(), 0..64), now in any::<u64>(),
    ) {
        let v = WebhookVerifier::new(secret).now_unix(now);
        let _ = v.verify_standard(&id, &ts, &sig, &body);
        let _ = v.verify_legacy(&legacy, &body);
        let mut headers = http::HeaderMap::new();
        for (name, value) in [("webhook-id", &id), ("webhook-timestamp", &ts), ("webhook-signature", &sig), ("x-ik-signature", &legacy)] {
            if let Ok(value) = http::HeaderValue::from_bytes(value.as_bytes()) {
                headers.insert(name, value);
            }
        }
        let _ = v.verify(&headers, &body);
    }

    #[test]
    fn a_signature_only_fits_its_own_body(body in "\\PC{0,40}", flip in any::<prop::sample::Index>()) {
        let secret = "whsec_prop";
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("msg_1.1700000000.{body}").as_bytes());
        let sig = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
        let v = WebhookVerifier::new(secret).now_unix(1_700_000_000);
        let result = v.verify_standard("msg_1", "1700000000", &sig, body.as_bytes());
        // A valid signature may still carry a body that is not an event.
        prop_assert!(!matches!(result, Err(WebhookError::SignatureMismatch)));
        let mut tampered = body.clone().into_bytes();
        if tampered.is_empty() {
            tampered.push(b'x');
        } else {
            let i = flip.index(tampered.len());
            tampered[i] ^= 1;
        }
        prop_assert_eq!(
            v.verify_standard("msg_1", "1700000000", &sig, &tampered).unwrap_err(),
            WebhookError::SignatureMismatch
        );
    }

    #[test]
    fn phash_distance_never_panics_and_is_symmetric(a in "[0-9a-fA-Fg ]{0,20}", b in "[0-9a-fA-F]{0,20}") {
        let d1 = imagekit_core::phash::distance(&a, &b);
        let d2 = imagekit_core::phash::distance(&b, &a);
        prop_assert_eq!(d1.is_ok(), d2.is_ok());
        if let (Ok(x), Ok(y)) = (d1, d2) {
            prop_assert_eq!(x, y);
            prop_assert!(x as usize <= a.len() * 4);
        }
    }
}
