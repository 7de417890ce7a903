//! Responsive image attributes, checked against the outputs the JavaScript SDK's
//! `getResponsiveImageAttributes` gives for the same options.

use imagekit_core::url::{ResponsiveImageAttributes, ResponsiveImageOptions, UrlBuilder};
use serde_json::json;

fn attrs(options: serde_json::Value) -> ResponsiveImageAttributes {
    let opts: ResponsiveImageOptions = serde_json::from_value(options).expect("options parse");
    UrlBuilder::new("key").responsive_image_attributes(&opts).expect("attributes build")
}

fn url(tr: &str) -> String {
    format!("https://ik.imagekit.io/demo/sample.jpg?tr={tr}")
}

fn width_set(prefix: &str, widths: &[u32]) -> String {
    widths
        .iter()
        .map(|w| format!("{} {w}w", url(&format!("{prefix}w-{w},c-at_max"))))
        .collect::<Vec<_>>()
        .join(", ")
}

const BASE: &str = "https://ik.imagekit.io/demo";
const DEVICE: &[u32] = &[640, 750, 828, 1080, 1200, 1920, 2048, 3840];

#[test]
fn defaults_give_device_widths_and_100vw() {
    for extra in [json!({}), json!({"sizes": "100vw"})] {
        let mut o = json!({"src": "sample.jpg", "urlEndpoint": BASE});
        o.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let a = attrs(o);
        assert_eq!(a.src, url("w-3840,c-at_max"));
        assert_eq!(a.src_set.as_deref(), Some(width_set("", DEVICE).as_str()));
        assert_eq!(a.sizes.as_deref(), Some("100vw"));
        assert_eq!(a.width, None);
    }
}

#[test]
fn width_alone_gives_1x_and_2x() {
    let a = attrs(json!({"src": "sample.jpg", "urlEndpoint": BASE, "width": 400}));
    assert_eq!(a.src, url("w-828,c-at_max"));
    assert_eq!(
        a.src_set.as_deref(),
        Some(format!("{} 1x, {} 2x", url("w-640,c-at_max"), url("w-828,c-at_max")).as_str())
    );
    assert_eq!(a.sizes, None);
    assert_eq!(a.width, Some(400));
}

#[test]
fn custom_breakpoints_are_used() {
    let a = attrs(json!({
        "src": "sample.jpg", "urlEndpoint": BASE,
        "deviceBreakpoints": [800, 200, 400], "imageBreakpoints": [100],
    }));
    assert_eq!(a.src, url("w-800,c-at_max"));
    assert_eq!(a.src_set.as_deref(), Some(width_set("", &[200, 400, 800]).as_str()));
    assert_eq!(a.sizes.as_deref(), Some("100vw"));
}

#[test]
fn caller_transformations_come_first() {
    let a = attrs(json!({
        "src": "sample.jpg", "urlEndpoint": BASE, "width": 450,
        "transformation": [{"height": 300}, {"aiRemoveBackground": true}],
    }));
    assert_eq!(a.src, url("h-300:e-bgremove:w-1080,c-at_max"));
    assert_eq!(
        a.src_set.as_deref(),
        Some(
            format!(
                "{} 1x, {} 2x",
                url("h-300:e-bgremove:w-640,c-at_max"),
                url("h-300:e-bgremove:w-1080,c-at_max")
            )
            .as_str()
        )
    );
}

#[test]
fn sizes_wins_over_width_and_prunes_small_widths() {
    let a = attrs(json!({"src": "sample.jpg", "urlEndpoint": BASE, "sizes": "50vw", "width": 600}));
    let mut widths = vec![384];
    widths.extend_from_slice(DEVICE);
    assert_eq!(a.src_set.as_deref(), Some(width_set("", &widths).as_str()));
    assert_eq!(a.sizes.as_deref(), Some("50vw"));
    assert_eq!(a.width, Some(600));

    let a = attrs(json!({
        "src": "sample.jpg", "urlEndpoint": BASE, "sizes": "(min-width: 800px) 33vw, 100vw",
    }));
    let mut widths = vec![256, 384];
    widths.extend_from_slice(DEVICE);
    assert_eq!(a.src_set.as_deref(), Some(width_set("", &widths).as_str()));
}

#[test]
fn query_parameters_and_path_position_carry_over() {
    let a = attrs(json!({
        "src": "sample.jpg", "urlEndpoint": BASE, "width": 450,
        "transformation": [{"height": 300}, {"aiRemoveBackground": true}],
        "queryParameters": {"key": "value"}, "transformationPosition": "path",
    }));
    let p = |w: u32| format!("{BASE}/tr:h-300:e-bgremove:w-{w},c-at_max/sample.jpg?key=value");
    assert_eq!(a.src, p(1080));
    assert_eq!(a.src_set.as_deref(), Some(format!("{} 1x, {} 2x", p(640), p(1080)).as_str()));
}

#[test]
fn signing_applies_to_every_candidate() {
    let a = attrs(json!({"src": "sample.jpg", "urlEndpoint": BASE, "width": 100, "signed": true}));
    let set = a.src_set.unwrap();
    assert_eq!(set.matches("&ik-s=").count(), 2, "{set}");
    assert!(a.src.contains("&ik-s="));
}

#[test]
fn serializes_with_the_sdk_field_names() {
    let a = attrs(json!({"src": "sample.jpg", "urlEndpoint": BASE, "width": 400}));
    let v = serde_json::to_value(&a).unwrap();
    assert!(v.get("srcSet").is_some() && v.get("sizes").is_none(), "{v}");
}

#[test]
fn misspelled_or_mistyped_options_are_rejected() {
    let typo = serde_json::from_value::<ResponsiveImageOptions>(
        json!({"src": "sample.jpg", "urlEndpoint": BASE, "widht": 400}),
    );
    assert!(typo.unwrap_err().to_string().contains("widht"));
    let negative = serde_json::from_value::<ResponsiveImageOptions>(
        json!({"src": "sample.jpg", "urlEndpoint": BASE, "width": -1}),
    );
    assert!(negative.unwrap_err().to_string().contains("width"));
}
