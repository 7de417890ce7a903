//! The small part of the WHATWG URL standard that `buildSrc` relies on.
//!
//! The official SDKs build URLs with the platform `URL` object, so the exact bytes they sign
//! come from WHATWG parsing and serialisation (percent-encoding sets, dot segments, default
//! ports, `URLSearchParams` re-serialisation). Signatures only match if we produce the same
//! bytes, so this module reproduces that behaviour for `http`/`https` URLs. A full URL crate
//! would pull in IDNA tables for one feature (non-ASCII host names) that we report as an
//! error instead.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

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

/// A parsed special (`http`/`https`) URL.
///
/// Parsing validates the whole URL but keeps its components as ranges of the (trimmed) input;
/// they are serialised on demand into the caller's buffer, so a URL can be parsed, edited the
/// way `buildSrc` edits it and serialised without allocating in the common case.
#[derive(Debug, Clone)]
pub(crate) struct Url<'a> {
    input: Cow<'a, str>,
    scheme: &'static str,
    userinfo: Option<Range<usize>>,
    host: Host,
    port: Option<u16>,
    path: Range<usize>,
    query: Option<Range<usize>>,
    fragment: Option<Range<usize>>,
}

/// A validated host.
#[derive(Debug, Clone)]
enum Host {
    /// An ASCII domain as it appears in the input; lowercased when written.
    Domain(Range<usize>),
    /// An ASCII domain that had percent-escapes, decoded; lowercased when written.
    Decoded(String),
    Ipv4(u32),
    Ipv6([u16; 8]),
}

fn strip_tab_newline(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect()
}

impl<'a> Url<'a> {
    pub(crate) fn parse(input: &'a str) -> Result<Url<'a>, ParseError> {
        let trimmed = input.trim_matches(|c: char| c <= ' ');
        // Tabs and newlines are dropped wherever they are; a copy is only needed if there are any.
        let input = if trimmed.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
            Cow::Owned(strip_tab_newline(trimmed))
        } else {
            Cow::Borrowed(trimmed)
        };
        let s: &str = &input;
        let colon = s.find(':').ok_or(ParseError::Invalid("the URL has no scheme"))?;
        let scheme_raw = &s[..colon];
        let scheme = if scheme_raw.eq_ignore_ascii_case("https") {
            "https"
        } else if scheme_raw.eq_ignore_ascii_case("http") {
            "http"
        } else {
            return Err(ParseError::Unsupported("only http and https URLs are supported"));
        };
        let after_scheme = colon + 1;
        let auth_start =
            after_scheme + s[after_scheme..].bytes().take_while(|&b| b == b'/' || b == b'\\').count();
        let auth_end = s.as_bytes()[auth_start..]
            .iter()
            .position(|b| matches!(b, b'/' | b'\\' | b'?' | b'#'))
            .map_or(s.len(), |i| auth_start + i);

        let (userinfo, host_start) = match s[auth_start..auth_end].rfind('@') {
            Some(at) => (Some(auth_start..auth_start + at), auth_start + at + 1),
            None => (None, auth_start),
        };
        let (host_raw, port_raw) = split_host_port(&s[host_start..auth_end])?;
        let host = parse_host(host_raw, host_start..host_start + host_raw.len())?;
        let port = parse_port(port_raw, scheme)?;

        let path_end = s.as_bytes()[auth_end..]
            .iter()
            .position(|b| matches!(b, b'?' | b'#'))
            .map_or(s.len(), |i| auth_end + i);
        let (query, fragment) = if s[path_end..].starts_with('?') {
            let query_start = path_end + 1;
            match s[query_start..].find('#') {
                Some(i) => (Some(query_start..query_start + i), Some(query_start + i + 1..s.len())),
                None => (Some(query_start..s.len()), None),
            }
        } else if s[path_end..].starts_with('#') {
            (None, Some(path_end + 1..s.len()))
        } else {
            (None, None)
        };

        Ok(Url { input, scheme, userinfo, host, port, path: auth_end..path_end, query, fragment })
    }

    /// Writes `scheme://userinfo@host:port`.
    pub(crate) fn write_origin(&self, out: &mut String) {
        out.push_str(self.scheme);
        out.push_str("://");
        if let Some(userinfo) = &self.userinfo {
            write_userinfo(&self.input[userinfo.clone()], out);
        }
        match &self.host {
            Host::Domain(range) => push_lowercase(&self.input[range.clone()], out),
            Host::Decoded(domain) => push_lowercase(domain, out),
            Host::Ipv4(addr) => {
                let [a, b, c, d] = addr.to_be_bytes();
                let _ = write!(out, "{a}.{b}.{c}.{d}");
            }
            Host::Ipv6(pieces) => {
                out.push('[');
                write_ipv6(pieces, out);
                out.push(']');
            }
        }
        if let Some(port) = self.port {
            let _ = write!(out, ":{port}");
        }
    }

    /// Writes the serialised path (`URL.pathname`).
    pub(crate) fn write_path(&self, out: &mut String) {
        let mut path = PathWriter::new(out, false);
        path.push(out, &self.input[self.path.clone()]);
        path.finish(out);
    }

    /// Writes `?` and the query as `URL.search` would be after `URL.searchParams.append` of
    /// each pair in `extra` (appending re-serialises the whole query); nothing if there is no
    /// query and nothing to append. Returns whether `URL.searchParams` is non-empty.
    pub(crate) fn write_query(&self, extra: &[(String, String)], out: &mut String) -> bool {
        let query = self.query.clone().map(|range| &self.input[range]);
        if extra.is_empty() {
            let Some(query) = query else {
                return false;
            };
            out.push('?');
            let start = out.len();
            out.extend(utf8_percent_encode(query, SPECIAL_QUERY));
            return query_has_pairs(&out[start..]);
        }
        out.push('?');
        let mut first = true;
        let mut pair = |name: &str, value: &str, out: &mut String| {
            if !first {
                out.push('&');
            }
            first = false;
            form_encode_into(name, out);
            out.push('=');
            form_encode_into(value, out);
        };
        if let Some(query) = query {
            let query: Cow<'_, str> = utf8_percent_encode(query, SPECIAL_QUERY).into();
            for (name, value) in parse_form(&query) {
                pair(&name, &value, out);
            }
        }
        for (name, value) in extra {
            pair(name, value, out);
        }
        true
    }

    /// Writes `#` and the fragment, if there is one.
    pub(crate) fn write_fragment(&self, out: &mut String) {
        if let Some(fragment) = &self.fragment {
            out.push('#');
            out.extend(utf8_percent_encode(&self.input[fragment.clone()], FRAGMENT));
        }
    }

    /// `URL.href`.
    #[cfg(test)]
    pub(crate) fn href(&self) -> String {
        let mut out = String::new();
        self.write_origin(&mut out);
        self.write_path(&mut out);
        self.write_query(&[], &mut out);
        self.write_fragment(&mut out);
        out
    }
}

fn push_lowercase(s: &str, out: &mut String) {
    let start = out.len();
    out.push_str(s);
    out[start..].make_ascii_lowercase();
}

/// Writes a path as the WHATWG path state, or the `URL.pathname` setter, serialises it:
/// segments split at `/` and `\`, percent-encoded, `.` and `..` resolved. Input arrives in
/// pieces with [`PathWriter::push`] and goes straight into the output buffer.
///
/// With `collapse`, a `/` right after another `/` is dropped first, as the SDKs' `pathJoin`
/// does before it assigns `pathname`; tabs and newlines are dropped after that (they still keep
/// two slashes apart), as the setter does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathWriter {
    /// Where the path starts in the output.
    start: usize,
    /// Where the segment being written starts (at its `/`); `None` until the first one opens.
    segment: Option<usize>,
    collapse: bool,
    after_slash: bool,
    verbatim: Verbatim,
}

/// The state of the one segment written verbatim, see [`PathWriter::verbatim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbatim {
    None,
    Open(usize),
    /// Its `/` and where it ends.
    Closed(usize, usize),
    /// Removed by a later `..`.
    Dropped,
}

impl PathWriter {
    /// A path starting at the end of `out`.
    pub(crate) fn new(out: &str, collapse: bool) -> Self {
        PathWriter { start: out.len(), segment: None, collapse, after_slash: false, verbatim: Verbatim::None }
    }

    /// Continues the serialised path at `out[start..]` the way `pathJoin([pathname, ...])`
    /// assigned to `URL.pathname` would (with `collapse`).
    ///
    /// A serialised path has no dot segments, tabs or backslashes and encodes to itself, so
    /// parsing it again only drops the empty segments that collapsing removes; the path is kept
    /// in place and its last segment stays open.
    pub(crate) fn join(out: &mut String, start: usize) -> Self {
        if out[start..].contains("//") {
            let collapsed = collapse_slashes(&out[start..]);
            out.truncate(start);
            out.push_str(&collapsed);
        }
        let segment = out[start..].rfind('/').map(|i| start + i);
        PathWriter {
            start,
            segment,
            collapse: true,
            after_slash: out.ends_with('/'),
            verbatim: Verbatim::None,
        }
    }

    /// Feeds more of the path.
    pub(crate) fn push(&mut self, out: &mut String, mut input: &str) {
        while let Some(i) = input.bytes().position(|b| matches!(b, b'/' | b'\\' | b'\t' | b'\n' | b'\r')) {
            self.text(out, &input[..i]);
            match input.as_bytes()[i] {
                b'/' => self.separator(out, true),
                b'\\' => self.separator(out, false),
                _ => self.after_slash = false,
            }
            input = &input[i + 1..];
        }
        self.text(out, input);
    }

    /// Adds a segment `/<prefix><text>` whose text `write` appends to `out` as it is: not
    /// encoded, split or collapsed (only removed whole by a later `..`). Nothing is added if
    /// `write` appends nothing. Returns where the text starts.
    ///
    /// The open segment must not be a dot segment, as after [`PathWriter::join`]: closing it
    /// then changes nothing, so backing out when `write` appends nothing is a truncation.
    pub(crate) fn verbatim<E>(
        &mut self,
        out: &mut String,
        prefix: &str,
        write: impl FnOnce(&mut String) -> Result<(), E>,
    ) -> Result<Option<usize>, E> {
        let (before, len) = (*self, out.len());
        self.separator(out, true);
        self.text(out, prefix);
        let text_start = out.len();
        write(out)?;
        if out.len() == text_start {
            *self = before;
            out.truncate(len);
            return Ok(None);
        }
        self.verbatim = self.segment.map_or(Verbatim::None, Verbatim::Open);
        self.after_slash = false;
        Ok(Some(text_start))
    }

    /// Whether the verbatim segment was written and later removed by a `..`.
    pub(crate) fn verbatim_dropped(&self) -> bool {
        self.verbatim == Verbatim::Dropped
    }

    /// Ends the path.
    pub(crate) fn finish(&mut self, out: &mut String) {
        if self.segment.is_none() {
            self.open(out);
        }
        self.close(out, true);
    }

    fn open(&mut self, out: &mut String) {
        self.segment = Some(out.len());
        out.push('/');
    }

    fn text(&mut self, out: &mut String, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.segment.is_none() {
            self.open(out);
        }
        self.after_slash = false;
        out.extend(utf8_percent_encode(text, PATH));
    }

    fn separator(&mut self, out: &mut String, slash: bool) {
        if self.collapse && slash && self.after_slash {
            return;
        }
        self.after_slash = slash;
        // The first separator of a path is the one before its first segment.
        if self.segment.is_some() {
            self.close(out, false);
        }
        self.open(out);
    }

    fn close(&mut self, out: &mut String, at_end: bool) {
        let Some(segment) = self.segment else {
            return;
        };
        let text = &out[segment + 1..];
        if is_double_dot(text) {
            out.truncate(segment);
            self.pop(out);
            if at_end {
                out.push('/');
            }
        } else if is_single_dot(text) {
            out.truncate(segment);
            if at_end {
                out.push('/');
            }
        } else if self.verbatim == Verbatim::Open(segment) {
            self.verbatim = Verbatim::Closed(segment, out.len());
        }
    }

    /// Removes the last segment.
    fn pop(&mut self, out: &mut String) {
        // Segments are found by their `/`, which only the verbatim segment may hold inside.
        let from = match self.verbatim {
            Verbatim::Closed(start, end) if out.len() == end => {
                out.truncate(start);
                self.verbatim = Verbatim::Dropped;
                return;
            }
            Verbatim::Closed(_, end) => end,
            _ => self.start,
        };
        if let Some(i) = out[from..].rfind('/') {
            out.truncate(from + i);
        }
    }
}

/// Joins like the SDKs' `pathJoin`: any run of `/` becomes one.
fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
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

fn write_userinfo(raw: &str, out: &mut String) {
    let (user, pass) = raw.split_once(':').unwrap_or((raw, ""));
    if user.is_empty() && pass.is_empty() {
        return;
    }
    out.extend(utf8_percent_encode(user, USERINFO));
    if !pass.is_empty() {
        out.push(':');
        out.extend(utf8_percent_encode(pass, USERINFO));
    }
    out.push('@');
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

/// Validates a host; `range` is where `raw` sits in the URL's input.
fn parse_host(raw: &str, range: Range<usize>) -> Result<Host, ParseError> {
    if raw.is_empty() {
        return Err(ParseError::Invalid("the URL has no host"));
    }
    if let Some(inner) = raw.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        let pieces = parse_ipv6(inner.as_bytes()).ok_or(ParseError::Invalid("invalid IPv6 address"))?;
        return Ok(Host::Ipv6(pieces));
    }
    let decoded = if raw.contains('%') {
        percent_decode(raw.as_bytes())
            .decode_utf8()
            .map_err(|_| ParseError::Invalid("the host is not valid UTF-8"))?
    } else {
        Cow::Borrowed(raw)
    };
    if !decoded.is_ascii() {
        return Err(ParseError::Unsupported(
            "internationalised host names are not supported; give the host in punycode (xn--) form",
        ));
    }
    // Lowercasing comes later, when the host is written: it changes none of the checks below.
    if decoded.bytes().any(|b| {
        b <= 0x20
            || b == 0x7f
            || matches!(
                b,
                b'#' | b'/' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'^' | b'|' | b'%'
            )
    }) {
        return Err(ParseError::Invalid("the host contains a forbidden character"));
    }
    if ends_in_number(&decoded) {
        return parse_ipv4(&decoded).map(Host::Ipv4);
    }
    Ok(match decoded {
        Cow::Borrowed(_) => Host::Domain(range),
        Cow::Owned(decoded) => Host::Decoded(decoded),
    })
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
fn write_ipv6(address: &[u16; 8], out: &mut String) {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < 8 {
        let run = address[i..].iter().take_while(|&&p| p == 0).count();
        if run > 1 && best.is_none_or(|(_, len)| run > len) {
            best = Some((i, run));
        }
        i += run.max(1);
    }
    let mut i = 0;
    while i < 8 {
        if let Some((start, len)) = best.filter(|&(start, _)| start == i) {
            out.push_str(if start == 0 { "::" } else { ":" });
            i += len;
            continue;
        }
        let _ = write!(out, "{:x}", address[i]);
        if i != 7 {
            out.push(':');
        }
        i += 1;
    }
}

/// The host without the one trailing dot the IPv4 rules ignore.
fn without_trailing_dot(host: &str) -> &str {
    host.strip_suffix('.').unwrap_or(host)
}

fn ends_in_number(host: &str) -> bool {
    if host.is_empty() {
        return false;
    }
    let last = without_trailing_dot(host).rsplit('.').next().unwrap_or("");
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

fn parse_ipv4(host: &str) -> Result<u32, ParseError> {
    let invalid = ParseError::Invalid("invalid IPv4 address");
    let mut numbers = [0u64; 4];
    let mut count = 0;
    for part in without_trailing_dot(host).split('.') {
        let slot = numbers.get_mut(count).ok_or(invalid.clone())?;
        *slot = parse_ipv4_number(part).ok_or(invalid.clone())?;
        count += 1;
    }
    let (last, init) = numbers[..count].split_last().ok_or(invalid.clone())?;
    if init.iter().any(|&n| n > 255) {
        return Err(invalid);
    }
    let limit = 256u64.pow(5 - count as u32);
    if *last >= limit {
        return Err(invalid);
    }
    let mut addr = *last;
    for (i, n) in init.iter().enumerate() {
        addr += n * 256u64.pow(3 - i as u32);
    }
    u32::try_from(addr).map_err(|_| invalid)
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

/// The name/value pairs of `URLSearchParams` over an already percent-encoded query.
fn parse_form(query: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    query.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (form_decode(k), form_decode(v))
    })
}

fn form_decode(s: &str) -> Cow<'_, str> {
    if !s.contains(['+', '%']) {
        return Cow::Borrowed(s);
    }
    let replaced = s.replace('+', " ");
    Cow::Owned(percent_decode(replaced.as_bytes()).decode_utf8_lossy().into_owned())
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

    /// `URL.href` after assigning `URL.pathname`.
    fn href_with_pathname(url: &str, pathname: &str) -> String {
        let u = Url::parse(url).unwrap();
        let mut out = String::new();
        u.write_origin(&mut out);
        let mut path = PathWriter::new(&out, false);
        path.push(&mut out, pathname);
        path.finish(&mut out);
        u.write_query(&[], &mut out);
        u.write_fragment(&mut out);
        out
    }

    /// `URL.href` after `URL.searchParams.append(name, value)`, and whether there are params.
    fn href_with_appended(url: &str, name: &str, value: &str) -> (String, bool) {
        let u = Url::parse(url).unwrap();
        let mut out = String::new();
        u.write_origin(&mut out);
        u.write_path(&mut out);
        let has_params = u.write_query(&[(name.to_owned(), value.to_owned())], &mut out);
        u.write_fragment(&mut out);
        (out, has_params)
    }

    fn has_search_params(url: &str) -> bool {
        Url::parse(url).unwrap().write_query(&[], &mut String::new())
    }

    #[test]
    fn pathname_setter_encodes_query_and_fragment_marks() {
        let href = href_with_pathname("https://x.com/ep", "/ep/a?b#c/हि.png");
        assert_eq!(href, "https://x.com/ep/a%3Fb%23c/%E0%A4%B9%E0%A4%BF.png");
    }

    #[test]
    fn search_params_append_reserialises() {
        let (href, has_params) = href_with_appended("https://x.com/a?x=1+2&&y=%41", "k k", "v/é");
        assert_eq!(href, "https://x.com/a?x=1+2&y=A&k+k=v%2F%C3%A9");
        assert!(has_params);
        assert!(!has_search_params("https://x.com/a?&"));
    }
}
