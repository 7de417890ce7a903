//! A bound on what decoding an answer may cost in memory, checked before decoding.
//!
//! The body cap bounds the bytes read, but not what they become: `{}` is 3 bytes of a list and
//! an 872-byte `File` once decoded, so a 6 MB body of them would take 2.7 GB. A single pass
//! over a large body counts its JSON values (objects, arrays and the elements after each
//! comma) and the items of a top-level list, and refuses a body that could become more than
//! [`BYTES_PER_BODY_BYTE`] times its size, or that lists more than [`MAX_LIST_ITEMS`] items.
//!
//! Worst case, then: about [`BYTES_PER_BODY_BYTE`] bytes of memory per body byte, plus
//! [`MAX_LIST_ITEMS`] top-level items of at most 1.9 KB each (the largest model), 19 MB.
//! Measured with the CLI: a 63 MB body of AI tags shaped to just pass the check
//! (`{"nnnnnnnn":"aaaaa"}` each) peaked at 1.79 GB, 28 bytes per body byte; the review's 6 MB of
//! `{}` is refused in 0.07 s at 21 MB. Real answers are far from either limit: a page of files
//! is about 30 bytes of JSON per value, which the estimate counts as 11 bytes per body byte.

/// Bodies up to this size are decoded unchecked: at worst a few tens of MB.
const CHECKED_FROM: usize = 64 * 1024;
/// What one JSON value is counted as in memory. Measured: an AI tag object with one unknown
/// field (`{"nnn":"aaaa"}`, two values here) takes about 565 bytes once decoded, its unknown
/// field kept in an ordered map.
const VALUE_COST: usize = 320;
/// The memory an answer may take per byte of its body, by the estimate.
pub(crate) const BYTES_PER_BODY_BYTE: usize = 32;
/// The most items a top-level list answer may hold. ImageKit's pages hold at most 1,000.
pub(crate) const MAX_LIST_ITEMS: usize = 10_000;

/// Why `body` would cost too much to decode, or `None` when it may be decoded.
pub(crate) fn refusal(body: &[u8]) -> Option<String> {
    if body.len() <= CHECKED_FROM {
        return None;
    }
    let shape = Shape::of(body);
    if shape.top_level_items > MAX_LIST_ITEMS {
        return Some(format!(
            "the answer lists {} items, more than any ImageKit list answer holds (at most {MAX_LIST_ITEMS} \
             are decoded); its raw body is kept in the error's meta()",
            shape.top_level_items
        ));
    }
    let estimate = shape.values.saturating_mul(VALUE_COST);
    if estimate > body.len().saturating_mul(BYTES_PER_BODY_BYTE) {
        return Some(format!(
            "the answer holds {} JSON values in {} bytes, which could take about {} MB to decode (more \
             than {BYTES_PER_BODY_BYTE} bytes per byte of body); no ImageKit answer is shaped like this; its raw body is kept in the error's meta()",
            shape.values,
            body.len(),
            estimate / 1_000_000
        ));
    }
    None
}

/// What a single pass over a JSON text counts.
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    /// Objects, arrays, and the elements or members that follow a comma.
    values: usize,
    /// Items of a top-level array (0 for anything else).
    top_level_items: usize,
}

impl Shape {
    /// Counts outside strings; a body that is not valid JSON is counted as far as it goes (the
    /// decoder then says what is wrong with it).
    fn of(body: &[u8]) -> Self {
        let mut shape = Self::default();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let top_is_array = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
        let mut top_has_item = false;
        for &byte in body {
            if in_string {
                match byte {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    shape.values += 1;
                    depth += 1;
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                b',' => {
                    shape.values += 1;
                    if depth == 1 && top_is_array {
                        shape.top_level_items += 1;
                    }
                }
                _ => {}
            }
            if depth == 1
                && top_is_array
                && !top_has_item
                && !matches!(byte, b'[' | b' ' | b'\t' | b'\r' | b'\n')
            {
                top_has_item = byte != b']';
                shape.top_level_items += usize::from(top_has_item);
            }
        }
        shape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_counted_outside_strings() {
        let shape = |text: &str| Shape::of(text.as_bytes());
        assert_eq!(shape("[]"), Shape { values: 1, top_level_items: 0 });
        assert_eq!(shape(" [ ] "), Shape { values: 1, top_level_items: 0 });
        assert_eq!(shape("[{}]"), Shape { values: 2, top_level_items: 1 });
        assert_eq!(shape("[{},{},{}]"), Shape { values: 6, top_level_items: 3 });
        assert_eq!(shape(r#"[{"a":[1,2]},"x,{[\"]"]"#), Shape { values: 5, top_level_items: 2 });
        assert_eq!(shape(r#"{"a":[1,2,3]}"#), Shape { values: 4, top_level_items: 0 });
    }

    #[test]
    fn dense_or_long_answers_are_refused_and_real_ones_are_not() {
        let items = |n: usize, item: &str| format!("[{}]", vec![item; n].join(","));
        // The review's body: 2M empty objects in 6 MB, as versions would be answered.
        let reason = refusal(items(2_000_000, "{}").as_bytes()).unwrap();
        assert!(reason.contains("lists 2000000 items"), "{reason}");
        // Padded items pass the count but not the density.
        let nested = format!(r#"{{"AITags":{}}}"#, items(100_000, "{}"));
        assert!(refusal(nested.as_bytes()).unwrap().contains("bytes per byte of body"));
        let numbers = format!(r#"{{"customMetadata":{{"n":{}}}}}"#, items(100_000, "0"));
        assert!(refusal(numbers.as_bytes()).is_some());
        // A page of files with many AI tags is decoded (tests/decode_budget.rs has real pages).
        let tag = r#"{"name":"Shirt","confidence":90.1,"source":"google-auto-tagging"}"#;
        let tagged = format!(r#"{{"fileId":"6673f2b6b2c3e4a1d9f1a2b3","AITags":{}}}"#, items(50, tag));
        assert!(refusal(items(1_000, &tagged).as_bytes()).is_none());
        let small = items(20_000, "{}");
        assert!(small.len() <= CHECKED_FROM && refusal(small.as_bytes()).is_none());
    }
}
