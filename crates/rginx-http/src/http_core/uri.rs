//! nginx's request-target handling (`ngx_http_parse_complex_uri` and
//! `ngx_http_validate_host`): percent-decoding, `.`/`..` resolution, slash
//! merging, and Host validation, with nginx's verdicts on bad input.

/// A request target split and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUri {
    /// `$uri`: decoded and normalised path.
    pub path: Vec<u8>,
    /// `$args`: the query string, raw (without `?`).
    pub args: Option<Vec<u8>>,
}

/// Decodes and normalises the path part of a request target. `None` means
/// nginx answers 400 (`..` above the root, `%00`, a broken `%` escape is kept
/// as nginx keeps it).
pub fn normalise(target: &[u8], merge_slashes: bool) -> Option<ParsedUri> {
    let (raw_path, args) = match target.iter().position(|&b| b == b'?') {
        Some(at) => (&target[..at], Some(target[at + 1..].to_vec())),
        None => (target, None),
    };
    let raw_path = match raw_path.iter().position(|&b| b == b'#') {
        Some(at) => &raw_path[..at],
        None => raw_path,
    };
    // nginx's request-line parser refuses a raw NUL anywhere in the path.
    if raw_path.first() != Some(&b'/') || raw_path.contains(&0) {
        return None;
    }
    // nginx's simple-URI case: nothing to decode, merge or resolve, so the
    // path is the target's (the general case below costs four buffers).
    let simple = !raw_path.contains(&b'%')
        && !raw_path
            .windows(2)
            .any(|pair| pair == b"//" || pair == b"/.");
    if simple {
        return Some(ParsedUri {
            path: raw_path.to_vec(),
            args,
        });
    }
    let decoded = percent_decode(raw_path)?;
    let mut segments: Vec<&[u8]> = Vec::new();
    let ends_with_slash = decoded.ends_with(b"/");
    let mut trailing_dir = false;
    let parts: Vec<&[u8]> = decoded[1..].split(|&b| b == b'/').collect();
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter().enumerate() {
        trailing_dir = false;
        match *part {
            b"." => trailing_dir = true,
            b".." => {
                segments.pop()?;
                trailing_dir = true;
            }
            b"" if i != last => {
                if !merge_slashes {
                    segments.push(part);
                }
            }
            _ => segments.push(part),
        }
    }
    let mut path = Vec::with_capacity(decoded.len());
    for segment in &segments {
        path.push(b'/');
        path.extend_from_slice(segment);
    }
    if segments.last().is_some_and(|s| s.is_empty()) {
        // The empty last segment already wrote the trailing slash.
    } else if ends_with_slash || trailing_dir || path.is_empty() {
        path.push(b'/');
    }
    Some(ParsedUri { path, args })
}

/// `%XX` decoding as nginx does it in URIs: a `%` not followed by two hex
/// digits is an error, and `%00` is refused.
fn percent_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' {
            let high = hex(*input.get(i + 1)?)?;
            let low = hex(*input.get(i + 2)?)?;
            let byte = high * 16 + low;
            if byte == 0 {
                return None;
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `ngx_http_validate_host`: lowercases, drops the port and a trailing dot;
/// `None` for a host nginx refuses with 400 (`..`, `/`, `\`, NUL, empty).
pub fn validate_host(host: &[u8]) -> Option<Vec<u8>> {
    let len = valid_host_len(host)?;
    Some(host[..len].to_ascii_lowercase())
}

/// [`validate_host`]'s check alone: the length of the host without its
/// port and trailing dot, `None` for a host nginx refuses.
pub fn valid_host_len(host: &[u8]) -> Option<usize> {
    let mut dot_pos = usize::MAX;
    let mut host_len = host.len();
    let mut in_brackets = false;
    for (i, &ch) in host.iter().enumerate() {
        match ch {
            b'.' => {
                if dot_pos == i.wrapping_sub(1) {
                    return None;
                }
                dot_pos = i;
            }
            b':' if !in_brackets => {
                host_len = i;
                break;
            }
            b'[' if i == 0 => in_brackets = true,
            b']' => in_brackets = false,
            b'/' | b'\\' | 0 => return None,
            _ => {}
        }
    }
    if dot_pos == host_len.wrapping_sub(1) && host_len > 0 {
        host_len -= 1;
    }
    if host_len == 0 {
        return None;
    }
    Some(host_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(target: &str) -> Option<String> {
        normalise(target.as_bytes(), true).map(|u| String::from_utf8_lossy(&u.path).into_owned())
    }

    #[test]
    fn dots_slashes_and_escapes() {
        assert_eq!(path("/"), Some("/".into()));
        assert_eq!(path("/a/b"), Some("/a/b".into()));
        assert_eq!(path("/a//b"), Some("/a/b".into()));
        assert_eq!(path("/a/./b"), Some("/a/b".into()));
        assert_eq!(path("/a/../b"), Some("/b".into()));
        assert_eq!(path("/a/b/.."), Some("/a/".into()));
        assert_eq!(path("/a/."), Some("/a/".into()));
        assert_eq!(path("/a/"), Some("/a/".into()));
        assert_eq!(path("/%61%2Fb"), Some("/a/b".into()));
        assert_eq!(path("/a%20b"), Some("/a b".into()));
        assert_eq!(path("/.."), None);
        assert_eq!(path("/a/../../b"), None);
        assert_eq!(path("/%2e%2e/x"), None);
        assert_eq!(path("/a%00"), None);
        assert_eq!(path("/a?x=1/../.."), Some("/a".into()));
    }

    #[test]
    fn args_are_kept_raw() {
        let uri = normalise(b"/p?a=%20&b", true).unwrap();
        assert_eq!(uri.args.as_deref(), Some(&b"a=%20&b"[..]));
    }

    #[test]
    fn hosts() {
        assert_eq!(validate_host(b"Example.COM"), Some(b"example.com".to_vec()));
        assert_eq!(
            validate_host(b"example.com:8080"),
            Some(b"example.com".to_vec())
        );
        assert_eq!(
            validate_host(b"example.com."),
            Some(b"example.com".to_vec())
        );
        assert_eq!(validate_host(b"[::1]:80"), Some(b"[::1]".to_vec()));
        assert_eq!(validate_host(b"a..b"), None);
        assert_eq!(validate_host(b"a/b"), None);
        assert_eq!(validate_host(b""), None);
    }
}
