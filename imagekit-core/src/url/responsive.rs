//! `srcset` / `sizes` for responsive images, as `getResponsiveImageAttributes` in the
//! official JavaScript SDK computes them.

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::steps::Transformation;
use super::{SrcOptions, UrlBuilder, UrlError};

const DEFAULT_DEVICE_BREAKPOINTS: [u32; 8] = [640, 750, 828, 1080, 1200, 1920, 2048, 3840];
const DEFAULT_IMAGE_BREAKPOINTS: [u32; 8] = [16, 32, 48, 64, 96, 128, 256, 384];

/// Options for [`UrlBuilder::responsive_image_attributes`]: the URL options plus how the
/// image is laid out.
///
/// Deserializes from the JavaScript SDK's `GetImageAttributesOptions` JSON (`src`,
/// `urlEndpoint`, `transformation`, ..., `width`, `sizes`, `deviceBreakpoints`,
/// `imageBreakpoints`). Unlike the JavaScript SDK, `signed` and `expiresIn` are honoured, so
/// every candidate URL can be signed.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ResponsiveImageOptions {
    /// The image and its transformations; each candidate adds `{width, crop: "at_max"}`.
    pub src: SrcOptions,
    /// Display width in CSS pixels: gives `1x`/`2x` candidates (ignored when `sizes` is set).
    pub width: Option<u32>,
    /// The `sizes` attribute; its `vw` values drop candidates too small for any screen.
    pub sizes: Option<String>,
    /// Screen widths to offer (default `640, 750, 828, 1080, 1200, 1920, 2048, 3840`).
    pub device_breakpoints: Option<Vec<u32>>,
    /// Small image widths to offer as well (default `16, 32, 48, 64, 96, 128, 256, 384`).
    pub image_breakpoints: Option<Vec<u32>>,
}

impl ResponsiveImageOptions {
    /// Responsive options for `src`, with the default breakpoints.
    pub fn new(src: SrcOptions) -> Self {
        ResponsiveImageOptions { src, ..Self::default() }
    }
    /// Sets the display width (DPR strategy).
    pub fn width(mut self, width: u32) -> Self {
        self.width = Some(width);
        self
    }
    /// Sets the `sizes` attribute (width strategy).
    pub fn sizes(mut self, sizes: impl Into<String>) -> Self {
        self.sizes = Some(sizes.into());
        self
    }
    /// Replaces the device breakpoints.
    pub fn device_breakpoints(mut self, widths: Vec<u32>) -> Self {
        self.device_breakpoints = Some(widths);
        self
    }
    /// Replaces the image breakpoints.
    pub fn image_breakpoints(mut self, widths: Vec<u32>) -> Self {
        self.image_breakpoints = Some(widths);
        self
    }
}

impl<'de> Deserialize<'de> for ResponsiveImageOptions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Take out the layout keys; the rest must be valid `SrcOptions` (unknown keys rejected).
        let mut map = serde_json::Map::<String, Value>::deserialize(d)?;
        fn take<T: DeserializeOwned, E: de::Error>(
            map: &mut serde_json::Map<String, Value>,
            key: &str,
        ) -> Result<Option<T>, E> {
            match map.remove(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => serde_json::from_value(v).map(Some).map_err(|e| E::custom(format!("{key}: {e}"))),
            }
        }
        Ok(ResponsiveImageOptions {
            width: take(&mut map, "width")?,
            sizes: take(&mut map, "sizes")?,
            device_breakpoints: take(&mut map, "deviceBreakpoints")?,
            image_breakpoints: take(&mut map, "imageBreakpoints")?,
            src: SrcOptions::deserialize(Value::Object(map)).map_err(de::Error::custom)?,
        })
    }
}

/// Attributes for an `<img>` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResponsiveImageAttributes {
    /// URL of the largest candidate, for the plain `src` attribute.
    pub src: String,
    /// The `srcset` attribute (`url 640w, ...` or `url 1x, url 2x`), if there are candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src_set: Option<String>,
    /// The `sizes` attribute: as given, or `100vw` for width descriptors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sizes: Option<String>,
    /// The display width, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
}

/// The `vw` percentages the JavaScript SDK finds in `sizes` (its `(^|\s)(1?\d{1,2})vw`).
fn vw_percents(sizes: &str) -> Vec<u32> {
    let bytes = sizes.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let vw_at = |i: usize| bytes.get(i..i + 2) == Some(b"vw".as_slice());
    let mut found = Vec::new();
    let mut resume = 0usize;
    for (p, _) in sizes.char_indices() {
        // `(^|\s)`: a match starts the string or follows whitespace not used by the last match
        // (which ends in `w`, so `p >= resume` is enough).
        let after_space = sizes[..p].chars().next_back().is_some_and(char::is_whitespace);
        if p < resume || !(p == 0 || after_space) {
            continue;
        }
        // Lengths tried in the order a backtracking regex tries them.
        let mut lens: Vec<usize> = Vec::with_capacity(4);
        if bytes.get(p) == Some(&b'1') {
            if digit(p + 1) && digit(p + 2) {
                lens.push(3);
            }
            if digit(p + 1) {
                lens.push(2);
            }
        }
        if digit(p) && digit(p + 1) {
            lens.push(2);
        }
        if digit(p) {
            lens.push(1);
        }
        if let Some(len) = lens.into_iter().find(|&len| vw_at(p + len)) {
            if let Some(n) = sizes.get(p..p + len).and_then(|s| s.parse().ok()) {
                found.push(n);
            }
            resume = p + len + 2;
        }
    }
    found
}

pub(super) fn attributes(
    builder: &UrlBuilder,
    opts: &ResponsiveImageOptions,
) -> Result<ResponsiveImageAttributes, UrlError> {
    let mut device = opts.device_breakpoints.clone().unwrap_or_else(|| DEFAULT_DEVICE_BREAKPOINTS.to_vec());
    device.sort_unstable();
    let mut all = opts.image_breakpoints.clone().unwrap_or_else(|| DEFAULT_IMAGE_BREAKPOINTS.to_vec());
    all.extend_from_slice(&device);
    all.sort_unstable();

    let sizes_attr = opts.sizes.as_deref().filter(|s| !s.is_empty());
    let (candidates, by_width): (Vec<u32>, bool) = if let Some(sizes) = sizes_attr {
        let percents = vw_percents(sizes);
        match percents.iter().min() {
            Some(&smallest) => {
                let candidates = match device.first() {
                    Some(&first) => {
                        // Same float operations as the JavaScript SDK, so edge widths agree.
                        let min_px = f64::from(first) * (f64::from(smallest) / 100.0);
                        all.iter().copied().filter(|&w| f64::from(w) >= min_px).collect()
                    }
                    None => Vec::new(),
                };
                (candidates, true)
            }
            None => (all.clone(), true),
        }
    } else if let Some(width) = opts.width {
        let nearest = |target: u64| {
            all.iter().copied().find(|&n| u64::from(n) >= target).or_else(|| all.last().copied())
        };
        let mut unique: Vec<u32> = Vec::with_capacity(2);
        for c in [nearest(u64::from(width)), nearest(u64::from(width) * 2)].into_iter().flatten() {
            if !unique.contains(&c) {
                unique.push(c);
            }
        }
        (unique, false)
    } else {
        (device, true)
    };

    let url_for = |w: Option<u32>| {
        let mut step = Transformation::new();
        if let Some(w) = w {
            step = step.width(w);
        }
        let mut src = opts.src.clone();
        src.transformation.push(step.crop("at_max"));
        builder.build_src(&src)
    };

    let mut entries = Vec::with_capacity(candidates.len());
    for (i, &w) in candidates.iter().enumerate() {
        let descriptor = if by_width { format!("{w}w") } else { format!("{}x", i + 1) };
        entries.push(format!("{} {descriptor}", url_for(Some(w))?));
    }
    let src_set = (!entries.is_empty()).then(|| entries.join(", "));
    let sizes = match &opts.sizes {
        Some(s) if s.is_empty() => None,
        Some(s) => Some(s.clone()),
        None => by_width.then(|| "100vw".to_owned()),
    };
    Ok(ResponsiveImageAttributes {
        src: url_for(candidates.last().copied())?,
        src_set,
        sizes,
        width: opts.width,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_vw_values_like_the_javascript_regex() {
        assert_eq!(vw_percents("100vw"), vec![100]);
        assert_eq!(vw_percents("(min-width: 768px) 50vw, 33vw"), vec![50, 33]);
        assert_eq!(vw_percents("(max-width: 600px) 150vw 5vw"), vec![150, 5]);
        assert_eq!(vw_percents("200vw"), Vec::<u32>::new());
        assert_eq!(vw_percents("1vw"), vec![1]);
        assert_eq!(vw_percents("x50vw"), Vec::<u32>::new());
    }

    #[test]
    fn pruning_threshold_rounds_like_javascript() {
        // In JavaScript 300 * (7 / 100) is 21.000000000000004, so a 21 px candidate is dropped.
        let opts = ResponsiveImageOptions::new(SrcOptions::new("https://ik.imagekit.io/d", "a.jpg"))
            .sizes("7vw")
            .device_breakpoints(vec![300])
            .image_breakpoints(vec![21, 22]);
        let a = attributes(&UrlBuilder::new("k"), &opts).unwrap();
        let set = a.src_set.unwrap();
        assert!(!set.contains(" 21w") && set.contains(" 22w"), "{set}");
    }
}
