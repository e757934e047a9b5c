//! The syntax tree: directives with their raw byte arguments and where they stand.
//! It knows nothing of what any directive means.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// One argument (or a directive name) as the tokenizer produced it: quotes
/// removed, escapes applied, bytes kept as they are (nginx is not UTF-8 aware).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Arg(Vec<u8>);

impl Arg {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Arg(bytes.into())
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// The argument as text when it is valid UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }
    /// The argument as text for messages; invalid bytes become U+FFFD.
    pub fn lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl PartialEq<str> for Arg {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for Arg {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Debug for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.lossy())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lossy())
    }
}

/// Where a directive stands, as nginx reports it: the file and the line on
/// which its terminating `;` or `{` was read (not where its name starts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    /// `None` for directives given with `-g` ("command line").
    pub file: Option<Arc<Path>>,
    pub line: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}:{}", file.display(), self.line),
            None => f.write_str("command line"),
        }
    }
}

/// A directive: `name args... ;` or `name args... { block }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub name: Arg,
    pub args: Vec<Arg>,
    pub block: Option<Block>,
    pub loc: Loc,
}

/// The inside of `{ ... }`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Block {
    pub directives: Vec<Directive>,
    /// Where the closing `}` was read (errors found at block end point here).
    pub end: Option<Loc>,
}

impl Block {
    /// A block the parser did not finish because of a syntax error inside it.
    pub fn is_complete(&self) -> bool {
        self.end.is_some()
    }
}

impl Directive {
    /// The name as text (directive names are ASCII in practice).
    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        self.name.lossy()
    }

    /// Structural equality ignoring locations: what a round trip must keep.
    pub fn same_shape(&self, other: &Directive) -> bool {
        self.name == other.name
            && self.args == other.args
            && match (&self.block, &other.block) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    a.directives.len() == b.directives.len()
                        && a.directives
                            .iter()
                            .zip(&b.directives)
                            .all(|(x, y)| x.same_shape(y))
                }
                _ => false,
            }
    }
}
