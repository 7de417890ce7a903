//! How a command fails: the exit code, and what is printed on stderr.

use std::fmt::Write as _;
use std::process::ExitCode;

use imagekit_core::Error;

/// The exit codes (also in `--help` and the crate docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    /// 0: the reader of standard output went away (`imagekit ls | head`): stop, quietly.
    OutputClosed = 0,
    /// 1: ImageKit refused, or the request could not be exchanged; some items failed.
    Failed = 1,
    /// 2: the command line, or a value the library refused before sending anything.
    Usage = 2,
    /// 130: stopped by Ctrl-C (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code as u8)
    }
}

/// A command's failure: its exit code and the message for stderr (empty when the command has
/// already said everything, e.g. an upload's summary).
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: Code,
    pub(crate) message: String,
}

impl Failure {
    /// A usage error.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self { code: Code::Usage, message: message.into() }
    }

    /// A failure of the work itself (exit 1).
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self { code: Code::Failed, message: message.into() }
    }

    /// Exit with `code`, having printed everything already.
    pub(crate) fn silent(code: Code) -> Self {
        Self { code, message: String::new() }
    }
}

/// The library's errors: refused input is a usage error (2), everything else exit 1.
impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let code = if error.as_invalid_input().is_some() { Code::Usage } else { Code::Failed };
        Self { code, message: describe(&error) }
    }
}

/// An error with its causes, then ImageKit's help when it gave some, each on its own line.
///
/// The error's `Display` already quotes the server's message cut and escaped; the help is
/// escaped here, since it is the server's text too.
pub(crate) fn describe(error: &Error) -> String {
    let mut text = error.report().to_string();
    if let Some(help) = error.as_api().and_then(|api| api.help()) {
        let _ = write!(text, "\nhelp: {}", escape(help));
    }
    text
}

/// Text from elsewhere (a server, a file name) made safe for a terminal: control characters
/// (C0, DEL, C1) and bidirectional controls escaped, so it cannot move the cursor, forge lines
/// or show a name reversed (`U+202E` makes `gpj.exe` read as `exe.jpg`).
pub(crate) fn escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) { c.escape_default().to_string() } else { c.to_string() }
        })
        .collect()
}

/// The characters that reorder how text around them is shown: the embeddings, overrides and
/// isolates of Unicode's bidirectional algorithm and the three directional marks.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_is_usage_and_the_rest_is_a_failure() {
        let usage = Failure::from(Error::invalid_input("limit", "must be between 1 and 1000"));
        assert_eq!(usage.code, Code::Usage);
        assert!(usage.message.contains("limit"), "{}", usage.message);
        let refused = Error::Transport(imagekit_core::TransportError::connect("refused"));
        assert_eq!(Failure::from(refused).code, Code::Failed);
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\\nc");
    }

    #[test]
    fn c1_and_bidi_controls_are_escaped() {
        assert_eq!(escape("photo\u{202e}gpj.exe"), "photo\\u{202e}gpj.exe");
        assert_eq!(escape("a\u{9b}2Jb"), "a\\u{9b}2Jb");
        for c in ['\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{2066}', '\u{2069}'] {
            assert!(!escape(&format!("x{c}y")).contains(c), "{c:?}");
        }
        assert_eq!(escape("café ünïcode"), "café ünïcode", "other text is as it was");
    }
}
