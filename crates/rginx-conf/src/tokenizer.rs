//! nginx's configuration tokenizer (`ngx_conf_read_token`), byte for byte.
//!
//! It is a state machine rather than parser combinators because nginx's rules
//! are one: what a byte means depends on flags (inside quotes, after `$`, right
//! after a closing quote, inside a comment), and nginx's error messages name
//! the exact byte and line where the machine stopped. Even nginx's 4096-byte
//! read buffer is simulated, because it decides when nginx reports
//! `too long parameter`.

use crate::ast::{Arg, Loc};
use crate::error::ConfError;
use std::path::Path;
use std::sync::Arc;

/// nginx's `NGX_CONF_BUFFER`: the size of the buffer a token must fit in.
const CONF_BUFFER: usize = 4096;

/// What one call of the tokenizer read.
#[derive(Debug)]
pub enum Statement {
    /// `args... ;` (the first arg is the name).
    Directive { words: Vec<Arg>, line: usize },
    /// `args... {`.
    BlockStart { words: Vec<Arg>, line: usize },
    /// `}`.
    BlockDone { line: usize },
    /// End of the input.
    Done,
}

/// Reads statements from one file (or from the `-g` parameter string).
pub struct Tokenizer<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    file: Option<Arc<Path>>,
    /// End of the bytes nginx would have in its buffer (file offset).
    buffered: usize,
}

fn is_space(ch: u8) -> bool {
    matches!(ch, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Tokenizer<'a> {
    /// `file` is `None` for the `-g` string, which nginx reads as one buffer.
    pub fn new(src: &'a [u8], file: Option<Arc<Path>>) -> Self {
        let buffered = if file.is_some() {
            src.len().min(CONF_BUFFER)
        } else {
            src.len()
        };
        Tokenizer {
            src,
            pos: 0,
            line: 1,
            file,
            buffered,
        }
    }

    pub fn line(&self) -> usize {
        self.line
    }

    pub fn loc(&self) -> Loc {
        Loc {
            file: self.file.clone(),
            line: self.line,
        }
    }

    fn error(&self, message: impl Into<String>) -> ConfError {
        ConfError::at(&self.loc(), message)
    }

    fn unexpected(&self, ch: u8) -> ConfError {
        let mut message = b"unexpected \"".to_vec();
        message.push(ch);
        message.push(b'"');
        self.error(String::from_utf8_lossy(&message).into_owned())
    }

    /// Reads the next statement, or the error nginx would report.
    pub fn next_statement(&mut self) -> Result<Statement, ConfError> {
        let mut words: Vec<Arg> = Vec::new();
        let mut found = false;
        let mut need_space = false;
        let mut last_space = true;
        let mut sharp_comment = false;
        let mut variable = false;
        let mut quoted = false;
        let mut s_quoted = false;
        let mut d_quoted = false;
        let mut start = self.pos;
        let mut start_line = self.line;

        loop {
            if self.pos >= self.buffered {
                if self.buffered >= self.src.len() {
                    if !words.is_empty() || !last_space {
                        if self.file.is_none() {
                            return Err(self.error("unexpected end of parameter, expecting \";\""));
                        }
                        return Err(self.error("unexpected end of file, expecting \";\" or \"}\""));
                    }
                    return Ok(Statement::Done);
                }
                let len = self.pos - start;
                if len == CONF_BUFFER {
                    self.line = start_line;
                    let quote = if d_quoted {
                        '"'
                    } else if s_quoted {
                        '\''
                    } else {
                        let head = &self.src[start..start + 10];
                        return Err(self.error(format!(
                            "too long parameter \"{}...\" started",
                            String::from_utf8_lossy(head)
                        )));
                    };
                    return Err(self.error(format!(
                        "too long parameter, probably missing terminating \"{quote}\" character"
                    )));
                }
                self.buffered = (self.buffered + (CONF_BUFFER - len)).min(self.src.len());
            }

            let ch = self.src[self.pos];
            self.pos += 1;

            if ch == b'\n' {
                self.line += 1;
                sharp_comment = false;
            }
            if sharp_comment {
                continue;
            }
            if quoted {
                quoted = false;
                continue;
            }
            if need_space {
                if is_space(ch) {
                    last_space = true;
                    need_space = false;
                    continue;
                }
                if ch == b';' {
                    return Ok(Statement::Directive {
                        words,
                        line: self.line,
                    });
                }
                if ch == b'{' {
                    return Ok(Statement::BlockStart {
                        words,
                        line: self.line,
                    });
                }
                if ch == b')' {
                    last_space = true;
                    need_space = false;
                } else {
                    return Err(self.unexpected(ch));
                }
            }

            if last_space {
                start = self.pos - 1;
                start_line = self.line;
                if is_space(ch) {
                    continue;
                }
                match ch {
                    b';' | b'{' => {
                        if words.is_empty() {
                            return Err(self.unexpected(ch));
                        }
                        let line = self.line;
                        return Ok(if ch == b'{' {
                            Statement::BlockStart { words, line }
                        } else {
                            Statement::Directive { words, line }
                        });
                    }
                    b'}' => {
                        if !words.is_empty() {
                            return Err(self.error("unexpected \"}\""));
                        }
                        return Ok(Statement::BlockDone { line: self.line });
                    }
                    b'#' => {
                        sharp_comment = true;
                        continue;
                    }
                    b'\\' => {
                        quoted = true;
                        last_space = false;
                        continue;
                    }
                    b'"' => {
                        start += 1;
                        d_quoted = true;
                        last_space = false;
                        continue;
                    }
                    b'\'' => {
                        start += 1;
                        s_quoted = true;
                        last_space = false;
                        continue;
                    }
                    b'$' => {
                        variable = true;
                        last_space = false;
                        continue;
                    }
                    _ => {
                        last_space = false;
                    }
                }
            } else {
                if ch == b'{' && variable {
                    continue;
                }
                variable = false;
                if ch == b'\\' {
                    quoted = true;
                    continue;
                }
                if ch == b'$' {
                    variable = true;
                    continue;
                }
                if d_quoted {
                    if ch == b'"' {
                        d_quoted = false;
                        need_space = true;
                        found = true;
                    }
                } else if s_quoted {
                    if ch == b'\'' {
                        s_quoted = false;
                        need_space = true;
                        found = true;
                    }
                } else if is_space(ch) || ch == b';' || ch == b'{' {
                    last_space = true;
                    found = true;
                }

                if found {
                    words.push(unescape(&self.src[start..self.pos - 1]));
                    if ch == b';' {
                        return Ok(Statement::Directive {
                            words,
                            line: self.line,
                        });
                    }
                    if ch == b'{' {
                        return Ok(Statement::BlockStart {
                            words,
                            line: self.line,
                        });
                    }
                    found = false;
                }
            }
        }
    }
}

/// nginx's escape rules: `\" \' \\` lose the backslash, `\t \r \n` become
/// the control character, any other `\x` stays as both bytes.
fn unescape(raw: &[u8]) -> Arg {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' && i + 1 < raw.len() {
            match raw[i + 1] {
                b'"' | b'\'' | b'\\' => {
                    i += 1;
                }
                b't' => {
                    out.push(b'\t');
                    i += 2;
                    continue;
                }
                b'r' => {
                    out.push(b'\r');
                    i += 2;
                    continue;
                }
                b'n' => {
                    out.push(b'\n');
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    Arg::new(out)
}
