//! The small part of the WHATWG URL standard that `buildSrc` relies on.
//!
//! The official SDKs build URLs with the platform `URL` object, so the exact bytes they sign
//! come from WHATWG parsing and serialisation (percent-encoding sets, dot segments, default
//! ports, `URLSearchParams` re-serialisation). Signatures only match if we produce the same
//! bytes, so this module reproduces that behaviour for `http`/`https` URLs. A full URL crate
//! would pull in IDNA tables for one feature (non-ASCII host names) that we report as an
//! error instead.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode, utf8_percent_encode};

const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
const QUERY: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>');
const SPECIAL_QUERY: &AsciiSet = &QUERY.add(b'\'');
const PATH: &AsciiSet = &QUERY.add(b'?').add(b'`').add(b'{').add(b'}');
const USERINFO: &AsciiSet = &PATH
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'=')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'|');

/// Why a string could not be used as a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// The platform `URL` constructor would throw for this input.
    Invalid(&'static str),
    /// Valid per WHATWG, but needs a feature this crate leaves out on purpose.
    Unsupported(&'static str),
}

impl ParseError {
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            ParseError::Invalid(r) | ParseError::Unsupported(r) => r,
        }
    }
}

/// A parsed special (`http`/`https`) URL, every component already in serialised form.
#[derive(Debug, Clone)]
pub(crate) struct Url {
    scheme: &'static str,
    userinfo: String,
    host: String,
    port: Option<u16>,
    path: Vec<String>,
    query: Option<String>,
    fragment: Option<String>,
}

fn strip_tab_newline(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect()
}

impl Url {
    pub(crate) fn parse(input: &str) -> Result<Url, ParseError> {
        let trimmed = input.trim_matches(|c: char| c <= ' ');
        let input = strip_tab_newline(trimmed);
        let colon = input.find(':').ok_or(ParseError::Invalid("the URL has no scheme"))?;
        let (scheme_raw, rest) = input.split_at(colon);
        let rest = &rest[1..];
        let scheme = if scheme_raw.eq_ignore_ascii_case("https") {
            "https"
        } else if scheme_raw.eq_ignore_ascii_case("http") {
            "http"
        } else {
            return Err(ParseError::Unsupported("only http and https URLs are supported"));
        };
        let rest = rest.trim_start_matches(['/', '\\']);
        let auth_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(auth_end);

        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (serialize_userinfo(&authority[..at]), &authority[at + 1..]),
            None => (String::new(), authority),
        };
        let (host_raw, port_raw) = split_host_port(hostport)?;
        let host = parse_host(host_raw)?;
        let port = parse_port(port_raw, scheme)?;

        let (path_part, rest) = match rest.find(['?', '#']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (query, fragment) = if let Some(q) = rest.strip_prefix('?') {
            match q.split_once('#') {
                Some((q, f)) => (Some(q), Some(f)),
                None => (Some(q), None),
            }
        } else {
            (None, rest.strip_prefix('#'))
        };

        Ok(Url {
            scheme,
            userinfo,
            host,
            port,
            path: parse_path(path_part),
            query: query.map(|q| utf8_percent_encode(q, SPECIAL_QUERY).to_string()),
            fragment: fragment.map(|f| utf8_percent_encode(f, FRAGMENT).to_string()),
        })
    }

    /// The serialised path (`URL.pathname`).
    pub(crate) fn pathname(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            out.push('/');
            out.push_str(seg);
        }
        out
    }

    /// Behaves like assigning `URL.pathname`.
    pub(crate) fn set_pathname(&mut self, value: &str) {
        self.path = parse_path(&strip_tab_newline(value));
    }

    /// Behaves like `URL.searchParams.append(name, value)`, which re-serialises the whole query.
    pub(crate) fn append_query_pair(&mut self, name: &str, value: &str) {
        let mut pairs = parse_form(self.query.as_deref().unwrap_or(""));
        pairs.push((name.to_owned(), value.to_owned()));
        let mut out = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            form_encode_into(k, &mut out);
            out.push('=');
            form_encode_into(v, &mut out);
        }
        self.query = Some(out);
    }

    /// Whether `URL.searchParams.toString()` would be non-empty.
    pub(crate) fn has_search_params(&self) -> bool {
        self.query.as_deref().is_some_and(query_has_pairs)
    }

    /// `URL.href`.
    pub(crate) fn href(&self) -> String {
        let mut out = String::with_capacity(64);
        out.push_str(self.scheme);
        out.push_str("://");
        out.push_str(&self.userinfo);
        out.push_str(&self.host);
        if let Some(port) = self.port {
            out.push(':');
            out.push_str(&port.to_string());
        }
        out.push_str(&self.pathname());
        if let Some(q) = &self.query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = &self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }
}

/// Whether a raw query string holds at least one name/value pair once form-parsed.
pub(crate) fn query_has_pairs(query: &str) -> bool {
    query.split('&').any(|p| !p.is_empty())
}

/// Whether `new URL(url).searchParams` of an already serialised URL is non-empty.
pub(crate) fn serialized_url_has_search_params(url: &str) -> bool {
    let before_fragment = url.split('#').next().unwrap_or("");
    before_fragment.split_once('?').is_some_and(|(_, q)| query_has_pairs(q))
}

fn serialize_userinfo(raw: &str) -> String {
    let (user, pass) = raw.split_once(':').unwrap_or((raw, ""));
    if user.is_empty() && pass.is_empty() {
        return String::new();
    }
    let mut out = utf8_percent_encode(user, USERINFO).to_string();
    if !pass.is_empty() {
        out.push(':');
        out.push_str(&utf8_percent_encode(pass, USERINFO).to_string());
    }
    out.push('@');
    out
}

fn split_host_port(hostport: &str) -> Result<(&str, &str), ParseError> {
    if hostport.starts_with('[') {
        let close = hostport.find(']').ok_or(ParseError::Invalid("unterminated IPv6 address"))?;
        let (host, rest) = hostport.split_at(close + 1);
        return match rest {
            "" => Ok((host, "")),
            _ => match rest.strip_prefix(':') {
                Some(port) => Ok((host, port)),
                None => Err(ParseError::Invalid("unexpected text after IPv6 address")),
            },
        };
    }
    Ok(hostport.split_once(':').unwrap_or((hostport, "")))
}

fn parse_port(raw: &str, scheme: &str) -> Result<Option<u16>, ParseError> {
    if raw.is_empty() {
        return Ok(None);
    }
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::Invalid("the port is not a number"));
    }
    let digits = raw.trim_start_matches('0');
    let port: u16 = if digits.is_empty() {
        0
    } else if digits.len() > 5 {
        return Err(ParseError::Invalid("the port is out of range"));
    } else {
        digits.parse().map_err(|_| ParseError::Invalid("the port is out of range"))?
    };
    let default = if scheme == "https" { 443 } else { 80 };
    Ok((port != default).then_some(port))
}

fn parse_host(raw: &str) -> Result<String, ParseError> {
    if raw.is_empty() {
        return Err(ParseError::Invalid("the URL has no host"));
    }
    if let Some(inner) = raw.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        let pieces = parse_ipv6(inner.as_bytes()).ok_or(ParseError::Invalid("invalid IPv6 address"))?;
        return Ok(format!("[{}]", serialize_ipv6(&pieces)));
    }
    let decoded = percent_decode(raw.as_bytes())
        .decode_utf8()
        .map_err(|_| ParseError::Invalid("the host is not valid UTF-8"))?;
    if !decoded.is_ascii() {
        return Err(ParseError::Unsupported(
            "internationalised host names are not supported; give the host in punycode (xn--) form",
        ));
    }
    let host = decoded.to_ascii_lowercase();
    if host.bytes().any(|b| {
        b <= 0x20
            || b == 0x7f
            || matches!(
                b,
                b'#' | b'/' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'^' | b'|' | b'%'
            )
    }) {
        return Err(ParseError::Invalid("the host contains a forbidden character"));
    }
    if ends_in_number(&host) {
        return parse_ipv4(&host);
    }
    Ok(host)
}

/// The WHATWG IPv6 parser: eight 16-bit pieces, `::` compression, a trailing dotted IPv4.
fn parse_ipv6(input: &[u8]) -> Option<[u16; 8]> {
    let mut address = [0u16; 8];
    let mut piece = 0usize;
    let mut compress: Option<usize> = None;
    let mut i = 0usize;
    let at = |i: usize| input.get(i).copied();
    if at(0) == Some(b':') {
        if at(1) != Some(b':') {
            return None;
        }
        i = 2;
        piece = 1;
        compress = Some(1);
    }
    while let Some(c) = at(i) {
        if piece == 8 {
            return None;
        }
        if c == b':' {
            if compress.is_some() {
                return None;
            }
            i += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value: u16 = 0;
        let mut length = 0;
        while length < 4 {
            let Some(d) = at(i).and_then(|c| char::from(c).to_digit(16)) else {
                break;
            };
            value = value * 0x10 + d as u16;
            i += 1;
            length += 1;
        }
        match at(i) {
            Some(b'.') => {
                if length == 0 || piece > 6 {
                    return None;
                }
                i -= length;
                let mut numbers_seen = 0;
                while at(i).is_some() {
                    if numbers_seen > 0 {
                        if at(i) == Some(b'.') && numbers_seen < 4 {
                            i += 1;
                        } else {
                            return None;
                        }
                    }
                    let mut ipv4_piece: Option<u16> = None;
                    while let Some(d) = at(i).filter(u8::is_ascii_digit) {
                        let number = u16::from(d - b'0');
                        ipv4_piece = match ipv4_piece {
                            None => Some(number),
                            Some(0) => return None,
                            Some(p) => Some(p * 10 + number),
                        };
                        if ipv4_piece > Some(255) {
                            return None;
                        }
                        i += 1;
                    }
                    let ipv4_piece = ipv4_piece?;
                    let slot = address.get_mut(piece)?;
                    *slot = *slot * 0x100 + ipv4_piece;
                    numbers_seen += 1;
                    if numbers_seen == 2 || numbers_seen == 4 {
                        piece += 1;
                    }
                }
                if numbers_seen != 4 {
                    return None;
                }
                break;
            }
            Some(b':') => {
                i += 1;
                at(i)?;
            }
            Some(_) => return None,
            None => {}
        }
        *address.get_mut(piece)? = value;
        piece += 1;
    }
    match compress {
        Some(compress) => {
            let mut swaps = piece - compress;
            let mut piece = 7;
            while piece != 0 && swaps > 0 {
                address.swap(piece, compress + swaps - 1);
                piece -= 1;
                swaps -= 1;
            }
        }
        None if piece != 8 => return None,
        None => {}
    }
    Some(address)
}

/// Lowercase hex pieces, the first longest run of two or more zero pieces as `::`.
fn serialize_ipv6(address: &[u16; 8]) -> String {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < 8 {
        let run = address[i..].iter().take_while(|&&p| p == 0).count();
        if run > 1 && best.is_none_or(|(_, len)| run > len) {
            best = Some((i, run));
        }
        i += run.max(1);
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if let Some((start, len)) = best.filter(|&(start, _)| start == i) {
            out.push_str(if start == 0 { "::" } else { ":" });
            i += len;
            continue;
        }
        out.push_str(&format!("{:x}", address[i]));
        if i != 7 {
            out.push(':');
        }
        i += 1;
    }
    out
}

fn ends_in_number(host: &str) -> bool {
    let mut parts: Vec<&str> = host.split('.').collect();
    if parts.last() == Some(&"") {
        if parts.len() == 1 {
            return false;
        }
        parts.pop();
    }
    let last = parts.last().copied().unwrap_or("");
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    match last.strip_prefix("0x").or_else(|| last.strip_prefix("0X")) {
        Some(hex) => hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

fn parse_ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(h) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (h, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return Some(0);
    }
    // Anything past 2^32 is invalid anyway; cap the length so parsing cannot overflow.
    if digits.len() > 12 {
        return Some(u64::MAX);
    }
    u64::from_str_radix(digits, radix).ok()
}

fn parse_ipv4(host: &str) -> Result<String, ParseError> {
    let invalid = ParseError::Invalid("invalid IPv4 address");
    let mut parts: Vec<&str> = host.split('.').collect();
    if parts.last() == Some(&"") && parts.len() > 1 {
        parts.pop();
    }
    if parts.len() > 4 {
        return Err(invalid);
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        numbers.push(parse_ipv4_number(part).ok_or(invalid.clone())?);
    }
    let (last, init) = numbers.split_last().ok_or(invalid.clone())?;
    if init.iter().any(|&n| n > 255) {
        return Err(invalid);
    }
    let limit = 256u64.pow(5 - numbers.len() as u32);
    if *last >= limit {
        return Err(invalid);
    }
    let mut addr = *last;
    for (i, n) in init.iter().enumerate() {
        addr += n * 256u64.pow(3 - i as u32);
    }
    Ok(format!("{}.{}.{}.{}", (addr >> 24) & 0xff, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff))
}

fn is_single_dot(s: &str) -> bool {
    s == "." || s.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(s: &str) -> bool {
    matches!(s, "..")
        || s.eq_ignore_ascii_case(".%2e")
        || s.eq_ignore_ascii_case("%2e.")
        || s.eq_ignore_ascii_case("%2e%2e")
}

/// The "path start" and "path" states for a special URL, with `?`/`#` already split off
/// (or, for the `pathname` setter, deliberately kept and percent-encoded).
fn parse_path(input: &str) -> Vec<String> {
    let input = input.strip_prefix('/').or_else(|| input.strip_prefix('\\')).unwrap_or(input);
    let mut path: Vec<String> = Vec::new();
    let mut segments = input.split(['/', '\\']).peekable();
    while let Some(raw) = segments.next() {
        let at_end = segments.peek().is_none();
        let seg = utf8_percent_encode(raw, PATH).to_string();
        if is_double_dot(&seg) {
            path.pop();
            if at_end {
                path.push(String::new());
            }
        } else if is_single_dot(&seg) {
            if at_end {
                path.push(String::new());
            }
        } else {
            path.push(seg);
        }
    }
    path
}

fn parse_form(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let replaced = s.replace('+', " ");
    percent_decode(replaced.as_bytes()).decode_utf8_lossy().into_owned()
}

fn form_encode_into(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn href(s: &str) -> String {
        Url::parse(s).map(|u| u.href()).unwrap_or_else(|e| format!("ERR {e:?}"))
    }

    #[test]
    fn serialises_like_the_platform_url() {
        assert_eq!(href("https://ik.imagekit.io/demo"), "https://ik.imagekit.io/demo");
        assert_eq!(href("HTTPS://IK.imagekit.io"), "https://ik.imagekit.io/");
        assert_eq!(href("https://x.com:443/a"), "https://x.com/a");
        assert_eq!(href("http://x.com:0080/a"), "http://x.com/a");
        assert_eq!(href("https://x.com:8443/a"), "https://x.com:8443/a");
        assert_eq!(href("https://x.com/a/./b/../c"), "https://x.com/a/c");
        assert_eq!(href("https://x.com/a b?c d#e f"), "https://x.com/a%20b?c%20d#e%20f");
        assert_eq!(href("https://x.com/it's?it's"), "https://x.com/it's?it%27s");
        assert_eq!(href("https://u:p@x.com/"), "https://u:p@x.com/");
        assert_eq!(href("https://0x7f.1/"), "https://127.0.0.1/");
        assert_eq!(href("https://[0:0:0:0:0:0:0:1]:8080/"), "https://[::1]:8080/");
        assert_eq!(href("https://[FE80::1:0:0:0]/"), "https://[fe80::1:0:0:0]/");
        assert_eq!(href("https://[1:0:0:2:0:0:0:3]/"), "https://[1:0:0:2::3]/");
        assert_eq!(href("https://[::ffff:192.168.0.1]/"), "https://[::ffff:c0a8:1]/");
        assert_eq!(href("https://[1:2:3:4:5:6:7:8]/"), "https://[1:2:3:4:5:6:7:8]/");
        for bad in [
            "https://[1::2::3]/",
            "https://[1:2]/",
            "https://[::1.2.3]/",
            "https://[12345::]/",
            "https://[:1]/",
            "https://[1:]/",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(href(" https:\\\\x.com\\a\\b "), "https://x.com/a/b");
        assert!(href("https://é.com/").starts_with("ERR Unsupported"));
        assert!(Url::parse("https://").is_err());
        assert!(Url::parse("https://x.com:99999/").is_err());
        assert!(Url::parse("https://1.2.3.256/").is_err());
        assert!(Url::parse("ftp://x.com/").is_err());
    }

    #[test]
    fn pathname_setter_encodes_query_and_fragment_marks() {
        let mut u = Url::parse("https://x.com/ep").unwrap();
        u.set_pathname("/ep/a?b#c/हि.png");
        assert_eq!(u.href(), "https://x.com/ep/a%3Fb%23c/%E0%A4%B9%E0%A4%BF.png");
    }

    #[test]
    fn search_params_append_reserialises() {
        let mut u = Url::parse("https://x.com/a?x=1+2&&y=%41").unwrap();
        u.append_query_pair("k k", "v/é");
        assert_eq!(u.href(), "https://x.com/a?x=1+2&y=A&k+k=v%2F%C3%A9");
        assert!(u.has_search_params());
        assert!(!Url::parse("https://x.com/a?&").unwrap().has_search_params());
    }
}
