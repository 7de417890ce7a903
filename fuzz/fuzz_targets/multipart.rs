//! The multipart reader the emulator's upload endpoints use: any body, any boundary. Each part
//! read is a slice of the body, and a form written by the reader's own rules reads back.
#![no_main]

use bytes::Bytes;
use imagekit_emulator::multipart;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Input: a boundary line, then the body.
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let boundary = String::from_utf8_lossy(&data[..split]);
    let body = Bytes::copy_from_slice(data.get(split + 1..).unwrap_or_default());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    if let Ok(parts) = multipart::parse(&content_type, &body) {
        let range = body.as_ptr_range();
        for part in &parts {
            let inside = part.data.is_empty() || range.contains(&part.data.as_ptr());
            assert!(inside, "a part's data is not a slice of the body");
        }
    }
    // A well-formed form around the same bytes reads back as the one part it holds, unless the
    // bytes hold the delimiter itself.
    let delimiter = b"--fuzzb0undary";
    if !data.windows(delimiter.len()).any(|w| w == delimiter) {
        let mut form = b"--fuzzb0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".to_vec();
        form.extend_from_slice(data);
        form.extend_from_slice(b"\r\n--fuzzb0undary--\r\n");
        let parts =
            multipart::parse("multipart/form-data; boundary=fuzzb0undary", &Bytes::from(form)).unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(&parts[0].data[..], data);
    }
});
