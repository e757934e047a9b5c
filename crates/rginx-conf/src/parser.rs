//! Builds the syntax tree from tokenizer statements and expands `include`
//! while reading, as nginx does (globs sorted, paths relative to the directory
//! of the main config file, a missing literal file is an error, an empty glob
//! is not, a cycle is refused). The only directive names it knows are
//! `include` and the few blocks that read `include` their own way.
//!
//! A syntax error does not throw the tree away: nginx runs each directive's
//! handler as soon as it is read, so an error in an earlier directive wins over
//! a syntax error further down. The parser therefore returns what it read up to
//! the error, with the blocks that were still open marked incomplete, and the
//! compiler reports whichever error nginx would have met first.
//!
//! Blocks are nested with an explicit stack rather than recursion, so that a
//! hostile or generated file (`a{a{a{...`) cannot overflow the stack.

use crate::ast::{Arg, Block, Directive, Loc};
use crate::error::{ConfError, os_error_suffix};
use crate::tokenizer::{Statement, Tokenizer};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How deeply blocks may nest (across included files). nginx has no limit of
/// its own but overflows its 8 MB stack somewhere between 12000 and 14000
/// nested `location` blocks (measured with 1.22.1); rginx refuses cleanly
/// instead, at a depth no real configuration comes near, low enough that the
/// compiler's recursive walks over the tree stay well inside a thread's stack.
pub const MAX_BLOCK_DEPTH: usize = 1000;

/// A configuration file as it was read, for `-T`.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: Arc<Path>,
    pub contents: Vec<u8>,
}

/// The result of parsing: the tree (whole, or up to the first syntax error).
#[derive(Debug, Default)]
pub struct Parsed {
    pub directives: Vec<Directive>,
    /// The syntax error that stopped the parser, if any.
    pub error: Option<ConfError>,
    /// Every file read, in the order nginx reads them (for `-T`). A file
    /// included twice appears twice; `dump::dump_files` keeps the first.
    pub files: Vec<SourceFile>,
}

/// What kind of text a tokenizer reads: nginx's `parse_file` / `parse_param`
/// (`parse_block` is the non-empty block stack below).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    File,
    Param,
}

struct Parser {
    conf_prefix: PathBuf,
    files: Vec<SourceFile>,
    /// Files being read right now, outermost first: an include of one of them
    /// would never end (nginx recurses until it crashes).
    include_stack: Vec<PathBuf>,
    /// Names of the blocks open right now, outermost first, across included
    /// files: how deep the tree is, and what an `include` inside means.
    open_names: Vec<Arg>,
}

impl Parser {
    fn new(conf_prefix: &Path) -> Self {
        Parser {
            conf_prefix: conf_prefix.to_path_buf(),
            files: Vec::new(),
            include_stack: Vec::new(),
            open_names: Vec::new(),
        }
    }

    fn finish(self, directives: Vec<Directive>, error: Option<ConfError>) -> Parsed {
        Parsed {
            directives,
            error,
            files: self.files,
        }
    }
}

/// Parses the main configuration file. Relative `include` paths are resolved
/// against `conf_prefix` (nginx's: the directory of the `-c` file).
pub fn parse_file(path: &Path, conf_prefix: &Path) -> Parsed {
    let mut parser = Parser::new(conf_prefix);
    let mut directives = Vec::new();
    // The main file has no place to report an open error at: nginx prints it
    // bare (`cf->conf_file` is still NULL).
    let error = match read_conf_file(path, None) {
        Ok(contents) => parser.parse_source(path, contents, &mut directives).err(),
        Err(err) => Some(err),
    };
    parser.finish(directives, error)
}

/// Parses the `-g` string (blocks are not allowed there). Errors are placed
/// "in command line".
pub fn parse_param(text: &[u8], conf_prefix: &Path) -> Parsed {
    let mut parser = Parser::new(conf_prefix);
    let mut directives = Vec::new();
    let mut tokenizer = Tokenizer::new(text, None);
    let error = parser
        .parse_tokens(&mut tokenizer, Source::Param, &mut directives)
        .err();
    parser.finish(directives, error)
}

/// Parses text as if it were the file `name` (tests, fuzzing). Includes are
/// resolved against the directory of `name`.
pub fn parse_bytes(text: &[u8], name: &Path) -> Parsed {
    let mut parser = Parser::new(name.parent().unwrap_or(Path::new("/")));
    let mut directives = Vec::new();
    let error = parser
        .parse_source(name, text.to_vec(), &mut directives)
        .err();
    parser.finish(directives, error)
}

/// Reads a configuration file with nginx's two failure messages: `open()` when
/// the file cannot be opened (placed at the `include`, if any), `pread()` when
/// it opens but cannot be read, e.g. a directory (nginx logs that one without
/// a place, from `ngx_read_file`).
fn read_conf_file(path: &Path, include_loc: Option<&Loc>) -> Result<Vec<u8>, ConfError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|err| {
        let message = format!(
            "open() \"{}\" failed {}",
            path.display(),
            os_error_suffix(&err)
        );
        match include_loc {
            Some(loc) => ConfError::at(loc, message),
            None => ConfError::bare(message),
        }
    })?;
    let mut contents = Vec::new();
    file.read_to_end(&mut contents).map_err(|err| {
        ConfError::bare(format!(
            "pread() \"{}\" failed {}",
            path.display(),
            os_error_suffix(&err)
        ))
    })?;
    Ok(contents)
}

impl Parser {
    fn parse_source(
        &mut self,
        path: &Path,
        contents: Vec<u8>,
        out: &mut Vec<Directive>,
    ) -> Result<(), ConfError> {
        let file: Arc<Path> = Arc::from(path);
        // Listed before its includes, as nginx lists files for `-T`; the text
        // is stored once the tokenizer no longer borrows it.
        let index = self.files.len();
        self.files.push(SourceFile {
            path: file.clone(),
            contents: Vec::new(),
        });
        self.include_stack.push(path.to_path_buf());
        let mut tokenizer = Tokenizer::new(&contents, Some(file));
        let result = self.parse_tokens(&mut tokenizer, Source::File, out);
        self.include_stack.pop();
        self.files[index].contents = contents;
        result
    }

    /// Reads statements until the end of the file or parameter string. Blocks
    /// opened here must close here (nginx's `parse_block` runs on the same
    /// file). On error the blocks still open are attached to their parents
    /// with `end == None`, so the tree keeps everything read before the error.
    fn parse_tokens(
        &mut self,
        tokenizer: &mut Tokenizer<'_>,
        source: Source,
        out: &mut Vec<Directive>,
    ) -> Result<(), ConfError> {
        let mut open: Vec<Directive> = Vec::new();
        let result = self.read_statements(tokenizer, source, &mut open, out);
        // Unwind: each open block goes into its parent, innermost first.
        while let Some(directive) = open.pop() {
            self.open_names.pop();
            container(&mut open, out).push(directive);
        }
        result
    }

    fn read_statements(
        &mut self,
        tokenizer: &mut Tokenizer<'_>,
        source: Source,
        open: &mut Vec<Directive>,
        out: &mut Vec<Directive>,
    ) -> Result<(), ConfError> {
        loop {
            match tokenizer.next_statement()? {
                Statement::Done => {
                    if !open.is_empty() {
                        return Err(ConfError::at(
                            &tokenizer.loc(),
                            "unexpected end of file, expecting \"}\"",
                        ));
                    }
                    return Ok(());
                }
                Statement::BlockDone { line } => {
                    let loc = Loc {
                        line,
                        ..tokenizer.loc()
                    };
                    let Some(mut directive) = open.pop() else {
                        return Err(ConfError::at(&loc, "unexpected \"}\""));
                    };
                    self.open_names.pop();
                    if let Some(block) = directive.block.as_mut() {
                        block.end = Some(loc);
                    }
                    container(open, out).push(directive);
                }
                Statement::Directive { words, line } => {
                    let loc = Loc {
                        line,
                        ..tokenizer.loc()
                    };
                    let directive = make_directive(words, None, loc);
                    let target = container(open, out);
                    match self.include_kind(&directive) {
                        Some(kind) => self.include(&directive, kind, target)?,
                        None => target.push(directive),
                    }
                }
                Statement::BlockStart { words, line } => {
                    let loc = Loc {
                        line,
                        ..tokenizer.loc()
                    };
                    if source == Source::Param {
                        return Err(ConfError::at(
                            &loc,
                            "block directives are not supported in -g option",
                        ));
                    }
                    if self.open_names.len() >= MAX_BLOCK_DEPTH {
                        return Err(ConfError::at(
                            &loc,
                            format!("blocks nested more than {MAX_BLOCK_DEPTH} levels deep"),
                        ));
                    }
                    let directive = make_directive(words, Some(Block::default()), loc);
                    self.open_names.push(directive.name.clone());
                    open.push(directive);
                }
            }
        }
    }

    /// Whether `directive` is an `include` to expand here, and how. Inside
    /// the blocks whose entries nginx hands to a module's own reader
    /// (`cf->handler`), `include` means what that reader makes of it
    /// (measured with nginx 1.22.1): `types` and `map` expand it as usual,
    /// `geo` opens the name literally (no glob), and `split_clients` and
    /// `charset_map` know no `include` at all: there it is an ordinary entry
    /// ("invalid percent value "include"", "invalid value "include""), left
    /// for the compiler. With other arities `include` is left to the compiler
    /// everywhere (it knows the messages).
    fn include_kind(&self, directive: &Directive) -> Option<IncludeKind> {
        if directive.name != "include" || directive.args.len() != 1 {
            return None;
        }
        match self.open_names.last().map(Arg::as_bytes) {
            Some(b"split_clients" | b"charset_map") => None,
            Some(b"geo") => Some(IncludeKind::Literal),
            _ => Some(IncludeKind::Glob),
        }
    }

    /// `include PATH;`: every file it names, read in place.
    fn include(
        &mut self,
        directive: &Directive,
        kind: IncludeKind,
        out: &mut Vec<Directive>,
    ) -> Result<(), ConfError> {
        let full = self.full_name(&directive.args[0]);
        // nginx decides on the full name (prefix included), with strpbrk().
        let is_glob = kind == IncludeKind::Glob
            && full
                .as_os_str()
                .as_bytes()
                .iter()
                .any(|b| matches!(b, b'*' | b'?' | b'['));
        let paths = if is_glob {
            glob(full.as_os_str().as_bytes())
        } else {
            vec![full]
        };
        for path in paths {
            if let Some(first) = self.include_stack.iter().position(|p| same_file(p, &path)) {
                let chain: Vec<String> = self.include_stack[first..]
                    .iter()
                    .chain(std::iter::once(&path))
                    .map(|p| format!("\"{}\"", p.display()))
                    .collect();
                return Err(ConfError::at(
                    &directive.loc,
                    format!("include cycle: {}", chain.join(" -> ")),
                ));
            }
            let contents = read_conf_file(&path, Some(&directive.loc))?;
            self.parse_source(&path, contents, out)?;
        }
        Ok(())
    }

    /// `ngx_conf_full_name`: absolute paths stay, others go under the prefix.
    /// nginx hands the name to open(2) and glob(3) as a C string, so a NUL
    /// byte ends it.
    fn full_name(&self, arg: &Arg) -> PathBuf {
        let name = arg.as_bytes();
        let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
        if name.first() == Some(&b'/') {
            return PathBuf::from(OsStr::from_bytes(name));
        }
        let mut full = self.conf_prefix.as_os_str().as_bytes().to_vec();
        if !full.is_empty() && !full.ends_with(b"/") {
            full.push(b'/');
        }
        full.extend_from_slice(name);
        PathBuf::from(OsStr::from_bytes(&full))
    }
}

/// How an `include` names its files.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IncludeKind {
    /// `ngx_conf_include`: a glob when the name has `*`, `?` or `[`.
    Glob,
    /// `ngx_http_geo_include`: always the one file named.
    Literal,
}

/// Where the next directive goes: the innermost open block, or the top.
fn container<'s>(open: &'s mut [Directive], out: &'s mut Vec<Directive>) -> &'s mut Vec<Directive> {
    match open.last_mut().and_then(|d| d.block.as_mut()) {
        Some(block) => &mut block.directives,
        None => out,
    }
}

fn make_directive(mut words: Vec<Arg>, block: Option<Block>, loc: Loc) -> Directive {
    let name = if words.is_empty() {
        Arg::default()
    } else {
        words.remove(0)
    };
    Directive {
        name,
        args: words,
        block,
        loc,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a.as_os_str() == b.as_os_str(),
    }
}

/// glob(3) as nginx calls it (`flags == 0`, C locale), on bytes: `*`, `?`,
/// `[...]` (with `!`/`^`, ranges and `[:class:]`) and `\` escapes; a leading
/// `.` in a name must be matched literally; no match is not an error; the
/// result is sorted bytewise. Written here rather than taken from the `glob`
/// crate because that one needs UTF-8 patterns and knows no `\` escapes.
fn glob(pattern: &[u8]) -> Vec<PathBuf> {
    let absolute = pattern.first() == Some(&b'/');
    let components: Vec<&[u8]> = pattern.split(|&b| b == b'/').collect();
    // Each candidate is a path built so far, as bytes.
    let mut current: Vec<Vec<u8>> = vec![if absolute { b"/".to_vec() } else { Vec::new() }];
    let body = if absolute {
        &components[1..]
    } else {
        &components[..]
    };
    let last = body.len().saturating_sub(1);
    for (index, component) in body.iter().enumerate() {
        let mut next = Vec::new();
        for base in &current {
            let join = |name: &[u8]| {
                let mut path = base.clone();
                if !path.is_empty() && !path.ends_with(b"/") {
                    path.push(b'/');
                }
                path.extend_from_slice(name);
                path
            };
            if !has_magic(component) {
                // A literal component is kept as written; glibc checks (with
                // lstat) only that the whole path exists, at the end.
                next.push(join(&unescape_literal(component)));
                continue;
            }
            let dir = if base.is_empty() {
                b".".to_vec()
            } else {
                base.clone()
            };
            let Ok(entries) = std::fs::read_dir(OsStr::from_bytes(&dir)) else {
                continue;
            };
            // readdir(3) also returns "." and "..", which a pattern that
            // starts with a literal dot can match.
            let mut names: Vec<Vec<u8>> = vec![b".".to_vec(), b"..".to_vec()];
            names.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().as_bytes().to_vec()),
            );
            for name in names {
                if fnmatch(component, &name) {
                    let path = join(&name);
                    // Only directories can hold the next component.
                    if index == last
                        || std::fs::metadata(OsStr::from_bytes(&path)).is_ok_and(|m| m.is_dir())
                    {
                        next.push(path);
                    }
                }
            }
        }
        current = next;
    }
    let mut found: Vec<Vec<u8>> = current
        .into_iter()
        .filter(|p| std::fs::symlink_metadata(OsStr::from_bytes(p)).is_ok())
        .collect();
    found.sort();
    found.dedup();
    found
        .into_iter()
        .map(|p| PathBuf::from(OsStr::from_bytes(&p)))
        .collect()
}

/// Whether a pattern component has an unescaped `*`, `?` or `[`.
fn has_magic(pattern: &[u8]) -> bool {
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' => i += 2,
            b'*' | b'?' | b'[' => return true,
            _ => i += 1,
        }
    }
    false
}

fn unescape_literal(pattern: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut i = 0;
    while i < pattern.len() {
        if pattern[i] == b'\\' && i + 1 < pattern.len() {
            i += 1;
        }
        out.push(pattern[i]);
        i += 1;
    }
    out
}

/// fnmatch(3) with `FNM_PERIOD` for one path component, byte by byte.
fn fnmatch(pattern: &[u8], name: &[u8]) -> bool {
    if name.first() == Some(&b'.') && !matches!(pattern.first(), Some(b'.')) {
        // Only an explicit (possibly escaped) dot matches a leading dot.
        if !(pattern.starts_with(b"\\.")) {
            return false;
        }
    }
    // Iterative matching with backtracking to the last `*`.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                b'?' => Some(p + 1),
                b'[' => match match_bracket(&pattern[p..], name[n]) {
                    Some((true, len)) => Some(p + len),
                    Some((false, _)) => None,
                    // An unterminated `[` is an ordinary character.
                    None => (name[n] == b'[').then_some(p + 1),
                },
                b'\\' if p + 1 < pattern.len() => (name[n] == pattern[p + 1]).then_some(p + 2),
                ch => (name[n] == ch).then_some(p + 1),
            }
        } else {
            None
        };
        match step {
            Some(next) => {
                p = next;
                n += 1;
            }
            None => match star {
                Some((star_p, star_n)) => {
                    p = star_p + 1;
                    n = star_n + 1;
                    star = Some((star_p, star_n + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// Matches `ch` against the bracket expression at the start of `pattern`:
/// `Some((matched, length))`, or `None` when the bracket is not closed.
fn match_bracket(pattern: &[u8], ch: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pattern.get(i), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let c = *pattern.get(i)?;
        if c == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let class_end = if c == b'[' && pattern.get(i + 1) == Some(&b':') {
            pattern[i + 2..].windows(2).position(|w| w == b":]")
        } else {
            None
        };
        if let Some(end) = class_end {
            matched |= in_class(&pattern[i + 2..i + 2 + end], ch);
            i += 2 + end + 2;
            continue;
        }
        let (low, width) = if c == b'\\' {
            (*pattern.get(i + 1)?, 2)
        } else {
            (c, 1)
        };
        i += width;
        if pattern.get(i) == Some(&b'-') && pattern.get(i + 1).is_some_and(|&b| b != b']') {
            let (high, width) = if pattern[i + 1] == b'\\' {
                (*pattern.get(i + 2)?, 3)
            } else {
                (pattern[i + 1], 2)
            };
            i += width;
            matched |= low <= ch && ch <= high;
        } else {
            matched |= ch == low;
        }
    }
}

/// The C locale's character classes.
fn in_class(class: &[u8], ch: u8) -> bool {
    match class {
        b"alpha" => ch.is_ascii_alphabetic(),
        b"digit" => ch.is_ascii_digit(),
        b"alnum" => ch.is_ascii_alphanumeric(),
        b"upper" => ch.is_ascii_uppercase(),
        b"lower" => ch.is_ascii_lowercase(),
        b"space" => matches!(ch, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b"blank" => matches!(ch, b' ' | b'\t'),
        b"punct" => ch.is_ascii_punctuation(),
        b"xdigit" => ch.is_ascii_hexdigit(),
        b"cntrl" => ch.is_ascii_control(),
        b"print" => (0x20..0x7f).contains(&ch),
        b"graph" => ch.is_ascii_graphic(),
        _ => false,
    }
}
