//! Numbers as JavaScript's `String(number)` writes them, so URLs match the SDKs' byte for byte.

use std::fmt::Write as _;

use super::{UrlError, decimal};

/// Formats a number the way JavaScript's `String(number)` does, so URLs match the SDKs.
pub(crate) fn js_number(n: f64, field: &dyn Fn() -> String) -> Result<String, UrlError> {
    let mut out = String::new();
    write_js_number(n, field, &mut out)?;
    Ok(out)
}

/// [`js_number`], appended to `out`.
pub(crate) fn write_js_number(n: f64, field: &dyn Fn() -> String, out: &mut String) -> Result<(), UrlError> {
    if !n.is_finite() {
        return Err(UrlError::invalid(field(), "numbers must be finite"));
    }
    if n == 0.0 {
        out.push('0');
        return Ok(());
    }
    let abs = n.abs();
    if !(1e-6..1e21).contains(&abs) {
        let start = out.len();
        let _ = write!(out, "{n:e}");
        // JavaScript writes a positive exponent with its sign (`1e+21`).
        if let Some(e) = out[start..].find('e') {
            let exponent = start + e + 1;
            if !out[exponent..].starts_with('-') {
                out.insert(exponent, '+');
            }
        }
    } else if abs < MAX_SAFE_INTEGER && n.fract() == 0.0 {
        // Widths and heights are whole numbers; below 2^53 their digits are the float
        // formatter's, and cheaper to get.
        if n < 0.0 {
            out.push('-');
        }
        out.push_str(decimal(abs as u64, &mut [0; 20]));
    } else {
        let _ = write!(out, "{n}");
    }
    Ok(())
}

/// 2^53: whole numbers below it are exact in an `f64` and fit an `i64`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> String {
        js_number(n, &String::new).unwrap()
    }

    #[test]
    fn numbers_render_like_javascript() {
        assert_eq!(num(300.0), "300");
        assert_eq!(num(0.8), "0.8");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(1e21), "1e+21");
        assert_eq!(num(1.5e-7), "1.5e-7");
        assert_eq!(num(0.000001), "0.000001");
        assert_eq!(num(123456789012345680000.0), "123456789012345680000");
        assert!(js_number(f64::NAN, &String::new).is_err());
    }
}
