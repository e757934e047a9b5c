//! Configuration errors in nginx's words: `MESSAGE in FILE:LINE`.

use crate::ast::Loc;
use std::fmt;

/// An `[emerg]` about the configuration, printed as nginx prints it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfError {
    pub message: String,
    /// `None` for errors nginx reports without a place (e.g. `no "events" section`).
    pub loc: Option<Loc>,
    /// Extra lines rginx adds after nginx's line (e.g. `did you mean "proxy_pass"?`).
    pub hints: Vec<String>,
}

impl ConfError {
    pub fn at(loc: &Loc, message: impl Into<String>) -> Self {
        ConfError {
            message: message.into(),
            loc: Some(loc.clone()),
            hints: Vec::new(),
        }
    }
    pub fn bare(message: impl Into<String>) -> Self {
        ConfError {
            message: message.into(),
            loc: None,
            hints: Vec::new(),
        }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(loc) = &self.loc {
            write!(f, " in {loc}")?;
        }
        Ok(())
    }
}

/// nginx's `(errno: strerror)` suffix for a failed system call.
pub fn os_error_suffix(err: &std::io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => format!("({code}: {})", strerror(code)),
        None => format!("({err})"),
    }
}

/// The C library's text for an errno, without Rust's " (os error N)" tail.
pub fn strerror(code: i32) -> String {
    let text = std::io::Error::from_raw_os_error(code).to_string();
    match text.rfind(" (os error ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
