//! Reading one HTTP case directory: the `requests` file (raw requests, how
//! they share connections, which port each goes to, what nginx is expected to
//! answer) and the port placeholders of the configuration.
//!
//! The `requests` file:
//!
//! ```text
//! # about: what the case checks          (leading `#` lines are comments)
//! # mode: separate | keepalive | pipeline
//! # backends: 2                           (echo backends, see `http::backend`)
//! # tls                                   (every connection speaks TLS)
//! GET / HTTP/1.1
//! Host: localhost
//!
//! === port=2 expect=404
//! GET /missing HTTP/1.1
//! Host: localhost
//!
//! === raw expect=400
//! GET / HTTP/1.1\r\nHost: a\r\nBad header\r\n\r\n
//! ```
//!
//! Requests are separated by lines starting with `===`; the words after it
//! are the options of the request that follows (a `===` line may also precede
//! the first request). A plain request is a header, an empty line, and an
//! optional body: header lines are sent with CRLF endings, the body is sent
//! as written minus its trailing newlines. A `raw` request is sent byte for
//! byte: its literal newlines are dropped and `\r \n \t \0 \\ \xHH` escapes
//! give every byte. A request's `tls` option sends it over TLS (`tls
//! sni=NAME` with that server name; without `sni=` none is sent), `plain`
//! over plain TCP in a `# tls` case.

use std::io;
use std::path::Path;

/// How the requests of a case use connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Each request on a new connection (the default).
    Separate,
    /// All requests on one connection, each sent after the previous response.
    KeepAlive,
    /// All requests written at once on one connection, then every response read.
    Pipeline,
}

/// What nginx must answer to a request: the check that a case exercises
/// what its author meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Status(u16),
    /// The connection closes without any response (e.g. `return 444`).
    Close,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The bytes sent.
    pub bytes: Vec<u8>,
    /// 1-based index of the `{PORTn}` placeholder the request goes to.
    pub port: usize,
    pub expect: Option<Expect>,
    /// The connection speaks TLS (with this server name, if any).
    pub tls: Option<Tls>,
}

/// How a request's connection speaks TLS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tls {
    /// The SNI server name; `None` sends none.
    pub sni: Option<String>,
}

impl Request {
    /// `HEAD` responses carry no body however long they say it is.
    pub fn is_head(&self) -> bool {
        self.bytes.starts_with(b"HEAD ")
    }

    /// The request line, for labels in reports.
    pub fn first_line(&self) -> &[u8] {
        // Empty lines before a request line are allowed (and tested).
        let start = self
            .bytes
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .unwrap_or(self.bytes.len());
        let line = &self.bytes[start..];
        let end = line
            .iter()
            .position(|&b| b == b'\r' || b == b'\n')
            .unwrap_or(line.len());
        &line[..end.min(200)]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requests {
    pub about: Option<String>,
    pub mode: Mode,
    /// How many echo backends the case declares (`# backends: N`).
    pub backends: usize,
    pub requests: Vec<Request>,
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Parses a `requests` file.
pub fn parse_requests(text: &str) -> io::Result<Requests> {
    let mut about = None;
    let mut mode = Mode::Separate;
    let mut backends = 0;
    let mut tls = false;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.peek() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(text) = comment.strip_prefix("about:") {
            about = Some(text.trim().to_string());
        } else if let Some(word) = comment.strip_prefix("mode:") {
            mode = match word.trim() {
                "separate" => Mode::Separate,
                "keepalive" => Mode::KeepAlive,
                "pipeline" => Mode::Pipeline,
                other => return Err(invalid(format!("unknown mode \"{other}\""))),
            };
        } else if let Some(n) = comment.strip_prefix("backends:") {
            backends = n
                .trim()
                .parse()
                .map_err(|_| invalid(format!("bad backends count \"{}\"", n.trim())))?;
        } else if comment == "tls" {
            tls = true;
        }
        lines.next();
    }
    // Blocks: (options line, text).
    let mut blocks: Vec<(String, String)> = vec![(String::new(), String::new())];
    for line in lines {
        if let Some(options) = line.strip_prefix("===") {
            blocks.push((options.trim().to_string(), String::new()));
        } else if let Some(last) = blocks.last_mut() {
            last.1.push_str(line);
        }
    }
    // The implicit first block exists only to hold text written before any
    // `===` line.
    if blocks[0].1.trim().is_empty() {
        blocks.remove(0);
    }
    let mut requests = Vec::new();
    for (index, (options, text)) in blocks.into_iter().enumerate() {
        let request = parse_block(&options, &text, tls)
            .map_err(|e| invalid(format!("request {}: {e}", index + 1)))?;
        requests.push(request);
    }
    if requests.is_empty() {
        return Err(invalid("no requests".to_string()));
    }
    Ok(Requests {
        about,
        mode,
        backends,
        requests,
    })
}

fn parse_block(options: &str, text: &str, tls_case: bool) -> Result<Request, String> {
    let mut raw = false;
    let mut tls = tls_case.then(Tls::default);
    let mut port = 1;
    let mut expect = None;
    for word in options.split_whitespace() {
        if word == "raw" {
            raw = true;
        } else if word == "tls" {
            tls = Some(tls.unwrap_or_default());
        } else if word == "plain" {
            tls = None;
        } else if let Some(name) = word.strip_prefix("sni=") {
            tls = Some(Tls {
                sni: Some(name.to_string()),
            });
        } else if let Some(n) = word.strip_prefix("port=") {
            port = n
                .parse()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or(format!("bad port index \"{n}\""))?;
        } else if let Some(e) = word.strip_prefix("expect=") {
            expect = Some(if e == "close" {
                Expect::Close
            } else {
                Expect::Status(e.parse().map_err(|_| format!("bad expect \"{e}\""))?)
            });
        } else {
            return Err(format!("unknown option \"{word}\""));
        }
    }
    let bytes = if raw {
        unescape(text)?
    } else {
        plain_request(text)?
    };
    if bytes.is_empty() {
        return Err("empty request".to_string());
    }
    Ok(Request {
        bytes,
        port,
        expect,
        tls,
    })
}

/// Header lines with CRLF, the empty line, then the body as written.
fn plain_request(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_start_matches('\n');
    let Some(end) = text.find("\n\n") else {
        return Err(
            "no empty line ends the header (use `raw` for an incomplete request)".to_string(),
        );
    };
    let mut bytes = Vec::new();
    for line in text[..end].split('\n') {
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(text[end + 2..].trim_end_matches('\n').as_bytes());
    Ok(bytes)
}

/// `raw` text: newlines in the file are layout only; escapes give bytes.
fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut chars = text.bytes().filter(|&b| b != b'\n');
    while let Some(b) = chars.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match chars.next() {
            Some(b'r') => out.push(b'\r'),
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'0') => out.push(0),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hex = [chars.next(), chars.next()];
                let digits: Option<Vec<u8>> = hex.into_iter().collect();
                let value = digits
                    .and_then(|d| String::from_utf8(d).ok())
                    .and_then(|d| u8::from_str_radix(&d, 16).ok())
                    .ok_or("bad \\x escape")?;
                out.push(value);
            }
            other => {
                return Err(format!(
                    "unknown escape \\{}",
                    other.map(char::from).unwrap_or(' ')
                ));
            }
        }
    }
    Ok(out)
}

/// How many ports a configuration needs: the highest `{PORTn}` it names
/// (`{PORT}` is `{PORT1}`).
pub fn ports_needed(conf: &str) -> usize {
    let mut needed = usize::from(conf.contains("{PORT}"));
    let mut rest = conf;
    while let Some(at) = rest.find("{PORT") {
        let tail = &rest[at + 5..];
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        if tail[digits.len()..].starts_with('}')
            && let Ok(n) = digits.parse::<usize>()
        {
            needed = needed.max(n);
        }
        rest = tail;
    }
    needed
}

/// How many echo backends a configuration needs: the highest
/// `{BACKENDn}` it names.
pub fn backends_needed(conf: &str) -> usize {
    let mut needed = 0;
    let mut rest = conf;
    while let Some(at) = rest.find("{BACKEND") {
        let tail = &rest[at + 8..];
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        if tail[digits.len()..].starts_with('}')
            && let Ok(n) = digits.parse::<usize>()
        {
            needed = needed.max(n);
        }
        rest = tail;
    }
    needed
}

/// The ports a case's placeholders stand for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ports {
    /// `{PORT1}`, `{PORT2}`...: where the server listens.
    pub listen: Vec<u16>,
    /// `{BACKEND1}`...: the runner's echo backends (`127.0.0.1:PORT`).
    pub backends: Vec<u16>,
    /// `{CLOSED}`: `127.0.0.1:PORT` where nothing listens.
    pub closed: Option<u16>,
}

/// Fills `{PORT}`, `{PORTn}`, `{BACKENDn}`, `{CLOSED}` and `{PREFIX}` (the
/// prefix without its final slash).
pub fn substitute(text: &str, ports: &Ports, prefix: &Path) -> String {
    let mut out = text.replace("{PREFIX}", &prefix.display().to_string());
    // Highest index first so that `{PORT1}` is not half-replaced by `{PORT}`
    // (they cannot collide, but `{PORT12}` and `{PORT1}` would without it).
    for (index, port) in ports.listen.iter().enumerate().rev() {
        out = out.replace(&format!("{{PORT{}}}", index + 1), &port.to_string());
    }
    if let Some(first) = ports.listen.first() {
        out = out.replace("{PORT}", &first.to_string());
    }
    for (index, port) in ports.backends.iter().enumerate().rev() {
        out = out.replace(
            &format!("{{BACKEND{}}}", index + 1),
            &format!("127.0.0.1:{port}"),
        );
    }
    if let Some(port) = ports.closed {
        out = out.replace("{CLOSED}", &format!("127.0.0.1:{port}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_requests_get_crlf_and_keep_their_body() {
        let parsed = parse_requests(
            "# about: x\n# mode: keepalive\nGET / HTTP/1.1\nHost: a\n\n\n=== port=2 expect=201\nPOST /p HTTP/1.1\nContent-Length: 3\n\nabc\n",
        )
        .unwrap();
        assert_eq!(parsed.about.as_deref(), Some("x"));
        assert_eq!(parsed.mode, Mode::KeepAlive);
        assert_eq!(parsed.requests.len(), 2);
        assert_eq!(
            parsed.requests[0].bytes,
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        );
        assert_eq!(parsed.requests[0].port, 1);
        assert_eq!(parsed.requests[0].expect, None);
        assert_eq!(
            parsed.requests[1].bytes,
            b"POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
        );
        assert_eq!(parsed.requests[1].port, 2);
        assert_eq!(parsed.requests[1].expect, Some(Expect::Status(201)));
    }

    #[test]
    fn raw_requests_are_bytes() {
        let parsed =
            parse_requests("=== raw expect=close\nGET /\\x00 HTTP/1.0\\n\n\\r\\n\\\\\n").unwrap();
        assert_eq!(parsed.requests.len(), 1);
        assert_eq!(parsed.requests[0].bytes, b"GET /\0 HTTP/1.0\n\r\n\\");
        assert_eq!(parsed.requests[0].expect, Some(Expect::Close));
        assert!(parse_requests("=== raw\nbad \\q\n").is_err());
        assert!(parse_requests("=== raw\nbad \\x4\n").is_err());
    }

    #[test]
    fn backends_and_tls_options() {
        let parsed = parse_requests(
            "# backends: 3\n# tls\nGET / HTTP/1.1\n\n=== plain\nGET / HTTP/1.1\n\n=== sni=a.test\nGET / HTTP/1.1\n\n",
        )
        .unwrap();
        assert_eq!(parsed.backends, 3);
        assert_eq!(parsed.requests[0].tls, Some(Tls::default()));
        assert_eq!(parsed.requests[1].tls, None);
        assert_eq!(
            parsed.requests[2]
                .tls
                .as_ref()
                .and_then(|t| t.sni.as_deref()),
            Some("a.test")
        );
        let parsed = parse_requests("GET / HTTP/1.1\n\n=== tls\nGET / HTTP/1.1\n\n").unwrap();
        assert_eq!(parsed.requests[0].tls, None);
        assert_eq!(parsed.requests[1].tls, Some(Tls::default()));
        assert!(parse_requests("# backends: x\nGET / HTTP/1.1\n\n").is_err());
    }

    #[test]
    fn mistakes_are_refused() {
        assert!(parse_requests("GET / HTTP/1.1\nHost: a\n").is_err());
        assert!(parse_requests("=== port=0\nGET / HTTP/1.0\n\n").is_err());
        assert!(parse_requests("=== bogus\nGET / HTTP/1.0\n\n").is_err());
        assert!(parse_requests("# mode: sometimes\nGET / HTTP/1.0\n\n").is_err());
        assert!(parse_requests("# only a comment\n").is_err());
    }

    #[test]
    fn ports_and_prefix_are_filled() {
        let conf = "listen 127.0.0.1:{PORT}; listen 127.0.0.1:{PORT2}; root {PREFIX}/html;";
        assert_eq!(ports_needed(conf), 2);
        assert_eq!(ports_needed("listen {PORT1};"), 1);
        assert_eq!(ports_needed("events {}"), 0);
        let ports = Ports {
            listen: vec![20001, 20002],
            ..Ports::default()
        };
        assert_eq!(
            substitute(conf, &ports, Path::new("/tmp/p")),
            "listen 127.0.0.1:20001; listen 127.0.0.1:20002; root /tmp/p/html;"
        );
        let conf = "proxy_pass http://{BACKEND2}/; server {BACKEND1}; server {CLOSED};";
        assert_eq!(backends_needed(conf), 2);
        assert_eq!(backends_needed("listen {PORT};"), 0);
        let ports = Ports {
            listen: vec![20001],
            backends: vec![20003, 20004],
            closed: Some(20005),
        };
        assert_eq!(
            substitute(conf, &ports, Path::new("/tmp/p")),
            "proxy_pass http://127.0.0.1:20004/; server 127.0.0.1:20003; server 127.0.0.1:20005;"
        );
    }
}
