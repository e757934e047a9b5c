//! Access log lines through a real socket, compared byte for byte with the
//! lines nginx 1.22.1 writes for the same configuration and requests
//! (recorded from `nginx` run with this configuration; only the time
//! differs between runs and is checked for its shape).

mod common;
use common::{exchange, serve};
use std::path::Path;
use std::time::{Duration, Instant};

/// The file's lines once it has at least `count` of them.
fn lines(path: &Path, count: usize) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let text = std::fs::read(path).unwrap_or_default();
        let lines: Vec<Vec<u8>> = text
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        if lines.len() >= count || Instant::now() > deadline {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Replaces `[dd/Mon/yyyy:HH:MM:SS +zzzz]` by `[TIME]` after checking its
/// shape.
fn without_time(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line).into_owned();
    let start = text.find('[').expect("a [time] field") + 1;
    let end = start + text[start..].find(']').expect("a closing ]");
    let time = &text.as_bytes()[start..end];
    assert_eq!(time.len(), 26, "{text}");
    let digits = [0, 1, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19, 22, 23, 24, 25];
    assert!(digits.iter().all(|&i| time[i].is_ascii_digit()), "{text}");
    assert_eq!(
        (time[2], time[6], time[11], time[14], time[17], time[20]),
        (b'/', b'/', b':', b':', b':', b' '),
        "{text}"
    );
    assert!(time[21] == b'+' || time[21] == b'-', "{text}");
    format!("{}TIME{}", &text[..start], &text[end..])
}

const CONF: &str = r#"
events {}
http {
    log_format j escape=json '{"ua":"$http_user_agent","u":"$uri","s":$status,"b":$body_bytes_sent,"r":"$request"}';
    log_format n escape=none '[$http_user_agent][$uri][$remote_user]';
    log_format d '$uri|$http_x|$args|$request_length';
    server {
        listen 127.0.0.1:19900;
        server_tokens off;
        access_log {PREFIX}/access.log;
        access_log {PREFIX}/j.log j;
        access_log {PREFIX}/n.log n;
        access_log {PREFIX}/d.log d;
        location / { return 200 "hello\n"; }
    }
}
"#;

#[test]
fn lines_match_nginx_in_every_escape_mode() {
    let prefix = serve(CONF, &[]);
    let requests: [&[u8]; 3] = [
        b"GET /x?a=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: t\"1\\\\ \xc3\xa9\r\nReferer: http://r/\r\nConnection: close\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n",
        b"HEAD /a%01b%22%7f HTTP/1.1\r\nHost: b\r\nX: p\tq\r\nConnection: close\r\n\r\n",
    ];
    for request in requests {
        let response = exchange(19900, request);
        // (nginx answers HTTP/1.0 requests with HTTP/1.1; hyper does not.)
        assert!(response.contains(" 200 OK\r\n"), "{response}");
    }
    let combined: Vec<String> = lines(&prefix.join("access.log"), 3)
        .iter()
        .map(|l| without_time(l))
        .collect();
    assert_eq!(
        combined,
        [
            "127.0.0.1 - - [TIME] \"GET /x?a=1 HTTP/1.1\" 200 6 \"http://r/\" \"t\\x221\\x5C\\x5C \\xC3\\xA9\"\n",
            "127.0.0.1 - - [TIME] \"GET / HTTP/1.0\" 200 6 \"-\" \"-\"\n",
            "127.0.0.1 - - [TIME] \"HEAD /a%01b%22%7f HTTP/1.1\" 200 0 \"-\" \"-\"\n",
        ]
    );
    assert_eq!(
        lines(&prefix.join("j.log"), 3),
        [
            &b"{\"ua\":\"t\\\"1\\\\\\\\ \xc3\xa9\",\"u\":\"/x\",\"s\":200,\"b\":6,\"r\":\"GET /x?a=1 HTTP/1.1\"}\n"[..],
            b"{\"ua\":\"\",\"u\":\"/\",\"s\":200,\"b\":6,\"r\":\"GET / HTTP/1.0\"}\n",
            b"{\"ua\":\"\",\"u\":\"/a\\u0001b\\\"\x7f\",\"s\":200,\"b\":0,\"r\":\"HEAD /a%01b%22%7f HTTP/1.1\"}\n",
        ]
    );
    assert_eq!(
        lines(&prefix.join("n.log"), 3),
        [
            &b"[t\"1\\\\ \xc3\xa9][/x][]\n"[..],
            b"[][/][]\n",
            b"[][/a\x01b\"\x7f][]\n",
        ]
    );
    assert_eq!(
        lines(&prefix.join("d.log"), 3),
        [
            &b"/x|-|a=1|93\n"[..],
            b"/|-|-|18\n",
            b"/a\\x01b\\x22\\x7F|p\\x09q|-|66\n",
        ]
    );
}
