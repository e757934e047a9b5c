//! nginx's escaping tables and UTF-8 helpers (`ngx_escape_uri`,
//! `ngx_escape_html`, `ngx_escape_json`, `ngx_utf8_length`,
//! `ngx_utf8_cpystrn`), byte for byte, because directory redirects and
//! autoindex pages must come out exactly as nginx writes them.

/// Which of nginx's URI escaping tables to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscapeKind {
    /// `NGX_ESCAPE_URI`: a whole path (`/` and `?`-free characters kept).
    Uri,
    /// `NGX_ESCAPE_ARGS`: a query string value.
    Args,
    /// `NGX_ESCAPE_URI_COMPONENT`: one path segment (only unreserved kept).
    UriComponent,
}

// One bit per byte value: set = escape it. Eight 32-bit words as in nginx.
const URI: [u32; 8] = [
    0xffffffff, 0xd000002d, 0x50000000, 0xb8000001, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
];
const ARGS: [u32; 8] = [
    0xffffffff, 0xd800086d, 0x50000000, 0xb8000001, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
];
const URI_COMPONENT: [u32; 8] = [
    0xffffffff, 0xfc009fff, 0x78000001, 0xb8000001, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
];

fn table(kind: EscapeKind) -> &'static [u32; 8] {
    match kind {
        EscapeKind::Uri => &URI,
        EscapeKind::Args => &ARGS,
        EscapeKind::UriComponent => &URI_COMPONENT,
    }
}

fn needs_escape(table: &[u32; 8], byte: u8) -> bool {
    table[usize::from(byte >> 5)] & (1u32 << (byte & 0x1f)) != 0
}

/// How many bytes `escape_uri` would escape (nginx's `dst == NULL` call).
pub fn escape_uri_count(src: &[u8], kind: EscapeKind) -> usize {
    let table = table(kind);
    src.iter().filter(|&&b| needs_escape(table, b)).count()
}

/// `%XX` (upper-case hex) for every byte the table marks.
pub fn escape_uri(src: &[u8], kind: EscapeKind, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let table = table(kind);
    for &b in src {
        if needs_escape(table, b) {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        } else {
            out.push(b);
        }
    }
}

/// `<`, `>`, `&` and `"` as entities.
pub fn escape_html(src: &[u8], out: &mut Vec<u8>) {
    for &b in src {
        match b {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            _ => out.push(b),
        }
    }
}

/// Whether `escape_html` would change anything.
pub fn html_needs_escape(src: &[u8]) -> bool {
    src.iter().any(|b| matches!(b, b'<' | b'>' | b'&' | b'"'))
}

/// JSON string escaping as nginx does it: `\\`, `\"`, the short forms of
/// control characters, `\u00XX` for the others; bytes above 0x7f as they are.
pub fn escape_json(src: &[u8], out: &mut Vec<u8>) {
    for &b in src {
        if b > 0x1f {
            if b == b'\\' || b == b'"' {
                out.push(b'\\');
            }
            out.push(b);
            continue;
        }
        out.push(b'\\');
        match b {
            b'\n' => out.push(b'n'),
            b'\r' => out.push(b'r'),
            b'\t' => out.push(b't'),
            0x08 => out.push(b'b'),
            0x0c => out.push(b'f'),
            _ => {
                let low = b & 0xf;
                out.extend_from_slice(b"u00");
                out.push(b'0' + (b >> 4));
                out.push(if low < 10 {
                    b'0' + low
                } else {
                    b'A' + low - 10
                });
            }
        }
    }
}

/// Result of decoding one UTF-8 sequence the way `ngx_utf8_decode` does.
enum Decoded {
    /// A code point, and the bytes it took.
    Char(u32, usize),
    /// The sequence is cut short by the end of the input.
    Incomplete,
    /// Not valid UTF-8 (overlong, bad continuation, bad lead byte).
    Invalid,
}

fn utf8_decode(bytes: &[u8]) -> Decoded {
    let Some(&lead) = bytes.first() else {
        return Decoded::Incomplete;
    };
    let lead = u32::from(lead);
    let (mut code, valid, len) = if lead >= 0xf0 {
        (lead & 0x07, 0xffff, 3)
    } else if lead >= 0xe0 {
        (lead & 0x0f, 0x7ff, 2)
    } else if lead >= 0xc2 {
        (lead & 0x1f, 0x7f, 1)
    } else {
        return Decoded::Invalid;
    };
    if bytes.len() - 1 < len {
        return Decoded::Incomplete;
    }
    for &next in &bytes[1..=len] {
        if next < 0x80 {
            return Decoded::Invalid;
        }
        code = (code << 6) | (u32::from(next) & 0x3f);
    }
    if code > valid {
        Decoded::Char(code, len + 1)
    } else {
        Decoded::Invalid
    }
}

/// Characters in `bytes`, or its byte length when it is not valid UTF-8.
pub fn utf8_length(bytes: &[u8]) -> usize {
    let mut i = 0;
    let mut len = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
        } else {
            match utf8_decode(&bytes[i..]) {
                Decoded::Char(code, used) if code <= 0x10ffff => i += used,
                _ => return bytes.len(),
            }
        }
        len += 1;
    }
    len
}

/// The byte length of at most `chars - 1` leading characters of `bytes`
/// (`ngx_utf8_cpystrn` with `n = chars`): stops early at invalid UTF-8.
pub fn utf8_prefix_len(bytes: &[u8], chars: usize) -> usize {
    let mut i = 0;
    let mut left = chars;
    while left > 1 && i < bytes.len() {
        left -= 1;
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        match utf8_decode(&bytes[i..]) {
            Decoded::Char(code, used) if code <= 0x10ffff => i += used,
            _ => break,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(src: &[u8], kind: EscapeKind) -> String {
        let mut out = Vec::new();
        escape_uri(src, kind, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn uri_tables_are_nginxs() {
        assert_eq!(esc(b"/a b/%?#\"x", EscapeKind::Uri), "/a%20b/%25%3F%23%22x");
        assert_eq!(esc(b"/a&b=c;d+e", EscapeKind::Uri), "/a&b=c;d+e");
        assert_eq!(esc(b"a&b=c;d+e", EscapeKind::Args), "a%26b=c%3Bd%2Be");
        assert_eq!(
            esc("é/x:y~z!".as_bytes(), EscapeKind::UriComponent),
            "%C3%A9%2Fx%3Ay~z%21"
        );
        assert_eq!(escape_uri_count(b"/plain/path.html", EscapeKind::Uri), 0);
    }

    #[test]
    fn html_and_json() {
        let mut out = Vec::new();
        escape_html(b"<a href=\"x\">&", &mut out);
        assert_eq!(out, b"&lt;a href=&quot;x&quot;&gt;&amp;");
        let mut out = Vec::new();
        escape_json(b"a\"b\\c\n\x01\x1f", &mut out);
        assert_eq!(out, b"a\\\"b\\\\c\\n\\u0001\\u001F");
    }

    #[test]
    fn utf8_counting() {
        assert_eq!(utf8_length("héllo".as_bytes()), 5);
        assert_eq!(utf8_length(b"h\xffllo"), 5);
        assert_eq!(utf8_length(b"\xc3"), 1);
        assert_eq!(utf8_prefix_len("ééé".as_bytes(), 3), 4);
        assert_eq!(utf8_prefix_len(b"abc", 10), 3);
    }
}
