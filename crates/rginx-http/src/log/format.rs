//! `log_format`: a format compiled once into literal bytes, the log
//! module's own fields (`$status`, `$time_local`, ...) and ordinary
//! variables, each rendered with the format's escaping, as nginx's
//! `ngx_http_log_compile_format` and its run functions do.

use crate::variables::{Var, VarRegistry};
use rginx_conf::{Arg, ConfError, Loc};
use std::borrow::Cow;

/// nginx's predefined format, used where `access_log` names none.
pub const COMBINED: &str = "$remote_addr - $remote_user [$time_local] \
                            \"$request\" $status $body_bytes_sent \
                            \"$http_referer\" \"$http_user_agent\"";

/// How variable values are written (`escape=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    /// `"`, `\`, control bytes and bytes >= 0x7F as `\xHH`; a missing
    /// value as `-`.
    Default,
    /// JSON string escaping; a missing value as nothing.
    Json,
    /// Values as they are; a missing value as nothing.
    None,
}

/// The fields the log module computes itself rather than through the
/// variables (nginx's `ngx_http_log_vars`): never escaped, never `-`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Pipe,
    TimeLocal,
    TimeIso8601,
    Msec,
    RequestTime,
    Status,
    BytesSent,
    BodyBytesSent,
    RequestLength,
}

impl Field {
    /// Looked up before the variables, by exact (case-sensitive) name.
    fn from_name(name: &[u8]) -> Option<Field> {
        Some(match name {
            b"pipe" => Field::Pipe,
            b"time_local" => Field::TimeLocal,
            b"time_iso8601" => Field::TimeIso8601,
            b"msec" => Field::Msec,
            b"request_time" => Field::RequestTime,
            b"status" => Field::Status,
            b"bytes_sent" => Field::BytesSent,
            b"body_bytes_sent" => Field::BodyBytesSent,
            b"request_length" => Field::RequestLength,
            _ => return None,
        })
    }
}

/// One piece of a compiled format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Literal(Vec<u8>),
    Field(Field),
    Var(Var),
}

/// A line rendered ahead of time: its text, and the values that wait for
/// the response to be sent with the offsets in the text where they go.
#[derive(Debug, Default)]
pub struct Rendered {
    pub text: Vec<u8>,
    pub late: Vec<(usize, Late)>,
}

/// A value written once the response is sent.
#[derive(Debug)]
pub enum Late {
    Field(Field),
    /// `$upstream_response_length`, `$upstream_bytes_received` or
    /// `$upstream_response_time` of an upstream body still streaming
    /// (digits, `.`, `-` and separators: nothing any escaping changes).
    /// Boxed: nearly every line has none.
    Upstream(Box<crate::proxy::state::LateUpstream>),
}

/// A compiled `log_format`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    pub name: Arg,
    pub escape: Escape,
    pub ops: Vec<Op>,
    /// How many of the ops may be written late: room for their places is
    /// made at once (growing the list from empty showed in profiles).
    may_be_late: usize,
}

/// Ops whose value may only be known once the response is sent.
fn may_be_late(ops: &[Op]) -> usize {
    ops.iter()
        .filter(|op| match op {
            Op::Field(_) => true,
            Op::Var(v) => v.may_be_late(),
            _ => false,
        })
        .count()
}

impl Format {
    /// Compiles the arguments of `log_format NAME [escape=X] STRING...`
    /// (`args` are the strings, `escape=` included), with nginx's errors.
    pub fn compile(
        name: Arg,
        args: &[Arg],
        registry: &mut VarRegistry,
        loc: &Loc,
    ) -> Result<Format, ConfError> {
        let mut escape = Escape::Default;
        let mut args = args;
        if let Some(first) = args.first()
            && let Some(mode) = first.as_bytes().strip_prefix(b"escape=")
        {
            escape = match mode {
                b"json" => Escape::Json,
                b"none" => Escape::None,
                b"default" => Escape::Default,
                _ => {
                    return Err(ConfError::at(
                        loc,
                        format!(
                            "unknown log format escaping \"{}\"",
                            String::from_utf8_lossy(mode)
                        ),
                    ));
                }
            };
            args = &args[1..];
        }
        let mut ops = Vec::new();
        for arg in args {
            compile_string(arg.as_bytes(), registry, loc, &mut ops)?;
        }
        Ok(Format {
            name,
            escape,
            may_be_late: may_be_late(&ops),
            ops,
        })
    }

    /// The predefined `combined` format. Its variables are all built-in or
    /// header variables, so compiling it adds nothing to any registry.
    pub fn combined() -> Format {
        let mut registry = VarRegistry::default();
        let loc = Loc {
            file: None,
            line: 0,
        };
        let mut ops = Vec::new();
        // The text is a constant known to compile.
        let _ = compile_string(COMBINED.as_bytes(), &mut registry, &loc, &mut ops);
        Format {
            name: Arg::new("combined"),
            escape: Escape::Default,
            may_be_late: may_be_late(&ops),
            ops,
        }
    }

    /// Appends one line (without the line feed) to `out`: `field` writes a
    /// log field, `var` looks a variable up (`None`: not found).
    pub fn render<'v>(
        &self,
        out: &mut Vec<u8>,
        field: &mut dyn FnMut(Field, &mut Vec<u8>),
        var: &mut dyn FnMut(&Var) -> Option<Cow<'v, [u8]>>,
    ) {
        for op in &self.ops {
            self.render_op(op, out, field, var);
        }
    }
}

impl Format {
    /// Renders a line as `render` does, except the fields `late` names,
    /// whose places are kept for later.
    pub fn render_segments<'v>(
        &self,
        late: fn(Field) -> bool,
        late_var: &mut dyn FnMut(&Var) -> Option<Late>,
        field: &mut dyn FnMut(Field, &mut Vec<u8>),
        var: &mut dyn FnMut(&Var) -> Option<Cow<'v, [u8]>>,
    ) -> Rendered {
        let mut rendered = Rendered {
            text: Vec::with_capacity(256),
            late: Vec::with_capacity(self.may_be_late),
        };
        for op in &self.ops {
            match op {
                Op::Field(f) if late(*f) => {
                    rendered.late.push((rendered.text.len(), Late::Field(*f)));
                }
                Op::Var(v) if v.may_be_late() => match late_var(v) {
                    Some(value) => rendered.late.push((rendered.text.len(), value)),
                    None => self.render_op(op, &mut rendered.text, field, var),
                },
                _ => self.render_op(op, &mut rendered.text, field, var),
            }
        }
        rendered
    }

    fn render_op<'v>(
        &self,
        op: &Op,
        out: &mut Vec<u8>,
        field: &mut dyn FnMut(Field, &mut Vec<u8>),
        var: &mut dyn FnMut(&Var) -> Option<Cow<'v, [u8]>>,
    ) {
        match op {
            Op::Literal(bytes) => out.extend_from_slice(bytes),
            Op::Field(f) => field(*f, out),
            Op::Var(v) => match (var(v), self.escape) {
                (None, Escape::Default) => out.push(b'-'),
                (None, _) => {}
                (Some(value), Escape::Default) => escape_default(&value, out),
                (Some(value), Escape::Json) => escape_json(&value, out),
                (Some(value), Escape::None) => out.extend_from_slice(&value),
            },
        }
    }
}

/// One string of a format: literal runs and `$name` / `${name}`, with the
/// messages of nginx's parser.
fn compile_string(
    source: &[u8],
    registry: &mut VarRegistry,
    loc: &Loc,
    ops: &mut Vec<Op>,
) -> Result<(), ConfError> {
    // nginx prints the rest of the argument from the offending `$`.
    let invalid = |at: usize| {
        ConfError::at(
            loc,
            format!(
                "invalid parameter \"{}\"",
                String::from_utf8_lossy(&source[at..])
            ),
        )
    };
    let mut i = 0;
    while i < source.len() {
        let start = i;
        if source[i] != b'$' {
            while i < source.len() && source[i] != b'$' {
                i += 1;
            }
            ops.push(Op::Literal(source[start..i].to_vec()));
            continue;
        }
        i += 1;
        if i == source.len() {
            return Err(invalid(start));
        }
        let mut bracket = false;
        if source[i] == b'{' {
            bracket = true;
            i += 1;
            if i == source.len() {
                return Err(invalid(start));
            }
        }
        let name_start = i;
        let mut name_end = i;
        while i < source.len() {
            let ch = source[i];
            if ch == b'}' && bracket {
                name_end = i;
                i += 1;
                bracket = false;
                break;
            }
            if ch.is_ascii_alphanumeric() || ch == b'_' {
                i += 1;
                name_end = i;
                continue;
            }
            break;
        }
        let name = &source[name_start..name_end];
        if bracket {
            return Err(ConfError::at(
                loc,
                format!(
                    "the closing bracket in \"{}\" variable is missing",
                    String::from_utf8_lossy(name)
                ),
            ));
        }
        if name.is_empty() {
            return Err(invalid(start));
        }
        match Field::from_name(name) {
            Some(field) => ops.push(Op::Field(field)),
            None => ops.push(Op::Var(registry.resolve(&String::from_utf8_lossy(name)))),
        }
    }
    Ok(())
}

/// Whether nginx's default log escaping rewrites this byte.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || b >= 0x7f
}

/// Whether any byte of `value` needs escaping, eight bytes per step (a
/// user agent is a hundred bytes or more, and nearly never has one).
fn any_needs_escape(value: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `word` is zero: exact as to whether any is.
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS != 0;
    let mut words = value.chunks_exact(8);
    for chunk in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(bytes);
        // Below 0x20: subtracting 0x20 from such a byte borrows.
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
        // 0x7f and up: the high bit is set, or adding one sets it (a
        // carry out of a byte comes only from 0xff, caught already).
        let high = (word | word.wrapping_add(ONES)) & HIGHS != 0;
        if control
            || high
            || has_zero(word ^ (ONES * u64::from(b'"')))
            || has_zero(word ^ (ONES * u64::from(b'\\')))
        {
            return true;
        }
    }
    words.remainder().iter().any(|&b| needs_escape(b))
}

/// nginx's `ngx_http_log_escape`: `\xHH` (upper-case hex).
pub fn escape_default(value: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Nearly every value needs no escape: one check, one copy.
    if !any_needs_escape(value) {
        out.extend_from_slice(value);
        return;
    }
    for &b in value {
        if needs_escape(b) {
            out.extend_from_slice(&[
                b'\\',
                b'x',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        } else {
            out.push(b);
        }
    }
}

/// nginx's `ngx_escape_json`: `\"`, `\\`, the short escapes for
/// `\n \r \t \b \f`, `\u00XX` for other control bytes; bytes >= 0x80 and
/// DEL pass through untouched.
pub fn escape_json(value: &[u8], out: &mut Vec<u8>) {
    for &b in value {
        match b {
            b'"' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..=0x1f => {
                let low = b & 0xf;
                let low = if low < 10 {
                    b'0' + low
                } else {
                    b'A' + low - 10
                };
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', b'0' + (b >> 4), low]);
            }
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_check_agrees_with_the_byte_rule_at_every_position() {
        use super::{any_needs_escape, needs_escape};
        for length in 0..20 {
            for position in 0..length.max(1) {
                for byte in 0..=255u8 {
                    let mut value = vec![b'a'; length];
                    if position < length {
                        value[position] = byte;
                    }
                    let expected = value.iter().any(|&b| needs_escape(b));
                    assert_eq!(any_needs_escape(&value), expected, "{value:?}");
                }
            }
        }
        // Neighbours of each limit next to each other.
        let edges = [
            0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xff,
        ];
        for &a in &edges {
            for &b in &edges {
                let value = [b'x', b'y', a, b, b'z', b'w', b'v', b'u', b't'];
                let expected = value.iter().any(|&c| needs_escape(c));
                assert_eq!(any_needs_escape(&value), expected, "{value:?}");
            }
        }
    }

    use super::*;
    use crate::variables::Builtin;

    fn loc() -> Loc {
        Loc {
            file: None,
            line: 7,
        }
    }

    fn compile(args: &[&str], registry: &mut VarRegistry) -> Result<Format, String> {
        let args: Vec<Arg> = args.iter().map(|a| Arg::new(*a)).collect();
        Format::compile(Arg::new("f"), &args, registry, &loc()).map_err(|e| e.message)
    }

    #[test]
    fn default_escaping_is_nginxs() {
        let mut out = Vec::new();
        escape_default(b"a\"b\\c\x01\x7f\xc3\xa9 ok", &mut out);
        assert_eq!(out, b"a\\x22b\\x5Cc\\x01\\x7F\\xC3\\xA9 ok");
        out.clear();
        escape_default(b"plain/text?x=1&y='z'", &mut out);
        assert_eq!(out, b"plain/text?x=1&y='z'");
    }

    #[test]
    fn json_escaping_is_nginxs() {
        let mut out = Vec::new();
        escape_json(b"q\"b\\\n\r\t\x08\x0c\x01\x1f\x7f\xc3\xa9", &mut out);
        assert_eq!(
            out,
            b"q\\\"b\\\\\\n\\r\\t\\b\\f\\u0001\\u001F\x7f\xc3\xa9".to_vec()
        );
    }

    #[test]
    fn formats_split_into_literals_fields_and_variables() {
        let mut registry = VarRegistry::default();
        let f = compile(
            &[
                "$remote_addr [$time_local] \"${request}\"",
                " $status$my_var-x",
            ],
            &mut registry,
        )
        .unwrap();
        assert_eq!(f.escape, Escape::Default);
        assert_eq!(
            f.ops,
            vec![
                Op::Var(Var::Builtin(Builtin::RemoteAddr)),
                Op::Literal(b" [".to_vec()),
                Op::Field(Field::TimeLocal),
                Op::Literal(b"] \"".to_vec()),
                Op::Var(Var::Builtin(Builtin::Request)),
                Op::Literal(b"\"".to_vec()),
                Op::Literal(b" ".to_vec()),
                Op::Field(Field::Status),
                Op::Var(Var::User(0)),
                Op::Literal(b"-x".to_vec()),
            ]
        );
        // The log module's own fields are matched case-sensitively; other
        // spellings are ordinary (case-insensitive) variables.
        let f = compile(&["$STATUS"], &mut registry).unwrap();
        assert_eq!(f.ops, vec![Op::Var(Var::Builtin(Builtin::Status))]);
        assert_eq!(registry.user[0].name, "my_var");
    }

    #[test]
    fn escape_parameter() {
        let mut registry = VarRegistry::default();
        assert_eq!(
            compile(&["escape=json", "$uri"], &mut registry)
                .unwrap()
                .escape,
            Escape::Json
        );
        assert_eq!(
            compile(&["escape=none", "$uri"], &mut registry)
                .unwrap()
                .escape,
            Escape::None
        );
        // Only the first string may be escape=; later it is text.
        let f = compile(&["$uri ", "escape=json"], &mut registry).unwrap();
        assert_eq!(f.escape, Escape::Default);
        assert_eq!(f.ops.last(), Some(&Op::Literal(b"escape=json".to_vec())));
        assert_eq!(
            compile(&["escape=js", "x"], &mut registry).unwrap_err(),
            "unknown log format escaping \"js\""
        );
    }

    #[test]
    fn nginx_errors() {
        let mut registry = VarRegistry::default();
        let mut err = |args: &[&str]| compile(args, &mut registry).unwrap_err();
        assert_eq!(err(&["a $ b"]), "invalid parameter \"$ b\"");
        assert_eq!(err(&["a", "b$"]), "invalid parameter \"$\"");
        assert_eq!(err(&["x ${"]), "invalid parameter \"${\"");
        assert_eq!(err(&["x ${} y"]), "invalid parameter \"${} y\"");
        assert_eq!(
            err(&["a ${abc"]),
            "the closing bracket in \"abc\" variable is missing"
        );
        assert_eq!(
            err(&["a ${ab-c}"]),
            "the closing bracket in \"ab\" variable is missing"
        );
    }

    #[test]
    fn rendering_by_escape_mode() {
        let mut registry = VarRegistry::default();
        let args = |escape: &str| vec![escape.to_string(), "[$http_x][$http_y]$status".to_string()];
        for (escape, expected) in [
            ("escape=default", &b"[a\\x22b][-]404"[..]),
            ("escape=json", &b"[a\\\"b][]404"[..]),
            ("escape=none", &b"[a\"b][]404"[..]),
        ] {
            let strings = args(escape);
            let strs: Vec<&str> = strings.iter().map(String::as_str).collect();
            let f = compile(&strs, &mut registry).unwrap();
            let mut out = Vec::new();
            f.render(
                &mut out,
                &mut |field, out| {
                    assert_eq!(field, Field::Status);
                    out.extend_from_slice(b"404");
                },
                &mut |var| match var {
                    Var::Header(name) if name.name == b"x" => Some(Cow::Borrowed(&b"a\"b"[..])),
                    _ => None,
                },
            );
            assert_eq!(out, expected, "{escape}");
        }
    }

    #[test]
    fn combined_is_nginxs_text() {
        let combined = Format::combined();
        let mut registry = VarRegistry::default();
        let again = compile(&[COMBINED], &mut registry).unwrap();
        assert_eq!(combined.ops, again.ops);
        assert!(registry.user.is_empty());
        assert_eq!(combined.ops.len(), 16);
    }
}
