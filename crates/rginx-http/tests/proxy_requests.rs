//! What the upstream receives and what the client gets back, compared with
//! nginx on the same configuration: the URI rules of `proxy_pass`, the
//! request headers (nginx's defaults, `proxy_set_header` inheritance,
//! removal by empty values), request bodies in every form, and the
//! response headers nginx passes, hides or rewrites.

mod common;
mod proxy_support;

use proxy_support::{Backend, Client, Nginx, Reply};

const ECHO: u16 = 20110;
const HEADERS: u16 = 20111;

fn http_block(port: u16) -> String {
    format!(
        r#"
http {{
    access_log off;
    upstream echo_up {{ server 127.0.0.1:{ECHO}; }}
    map $uri $backend {{ default 127.0.0.1:{ECHO}; }}
    server {{
        listen 127.0.0.1:{port};
        server_name proxy.test;
        proxy_set_header X-Server-Level yes;
        error_page 418 /ep/teapot;
        location /a/ {{ proxy_pass http://127.0.0.1:{ECHO}/x/; }}
        location /noslash {{ proxy_pass http://127.0.0.1:{ECHO}; }}
        location /rw/ {{
            rewrite ^/rw/(.*)$ /new/$1 break;
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /rwuri/ {{
            rewrite ^/rwuri/(.*)$ /other/$1 break;
            proxy_pass http://127.0.0.1:{ECHO}/ignored/;
        }}
        location /rwlast/ {{ rewrite ^/rwlast/(.*)$ /a/$1 last; }}
        location /var/ {{ proxy_pass http://127.0.0.1:{ECHO}/v$uri?y=1; }}
        location /var2/ {{ proxy_pass http://$backend; }}
        location ~ ^/re/(.*)$ {{ proxy_pass http://127.0.0.1:{ECHO}; }}
        location = /exact {{ proxy_pass http://127.0.0.1:{ECHO}/e; }}
        location /up/ {{ proxy_pass http://echo_up/base/; }}
        location /qs/ {{ proxy_pass http://127.0.0.1:{ECHO}/z?fixed=1; }}
        location /teapot {{ return 418; }}
        location /ep/ {{ proxy_pass http://127.0.0.1:{ECHO}/epx/; }}
        location /try/ {{ try_files $uri @back; }}
        location @back {{ proxy_pass http://127.0.0.1:{ECHO}; }}
        location /if/ {{
            if ($arg_alt) {{ proxy_pass http://127.0.0.1:{ECHO}; }}
            proxy_pass http://127.0.0.1:{ECHO}/main/;
        }}
        location /h/own/ {{
            proxy_set_header X-Own own;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Proxy $proxy_host:$proxy_port;
            proxy_set_header Accept-Encoding "";
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /h/inherit/ {{ proxy_pass http://127.0.0.1:{ECHO}; }}
        location /h/http11/ {{
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /h/noheaders/ {{
            proxy_pass_request_headers off;
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /h/method/ {{
            proxy_method POST;
            proxy_set_body "hello $arg_x";
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /b/nobody/ {{
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /b/ {{ proxy_pass http://127.0.0.1:{ECHO}; }}
        location /b/stream/ {{
            proxy_request_buffering off;
            proxy_http_version 1.1;
            proxy_pass http://127.0.0.1:{ECHO};
        }}
        location /r/ {{
            proxy_pass http://127.0.0.1:{HEADERS}/back/;
            proxy_cookie_domain backend.test proxy.test;
            proxy_cookie_path /back/ /r/;
        }}
        location /r2/ {{
            proxy_pass http://127.0.0.1:{HEADERS};
            proxy_redirect off;
            proxy_hide_header X-Custom;
            proxy_pass_header Server;
            proxy_pass_header X-Accel-Expires;
        }}
        location /r3/ {{
            proxy_pass http://127.0.0.1:{HEADERS};
            proxy_redirect ~^http://[^/]+/back/(.*)$ /moved/$1;
            proxy_redirect http://elsewhere.test/ /else/;
        }}
    }}
}}
"#
    )
}

/// The headers backend: answers with a set of headers nginx treats
/// specially (the `Location` names the backend itself).
fn headers_backend() -> Backend {
    Backend::start(HEADERS, |r| {
        let location = if r.line.contains("/elsewhere") {
            "http://elsewhere.test/page".to_string()
        } else {
            format!("http://127.0.0.1:{HEADERS}/back/next")
        };
        let headers = [
            ("Server", "backend/1.0"),
            ("Date", "Tue, 01 Jan 2030 00:00:00 GMT"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Pad", "avoid browser bug"),
            ("X-Accel-Expires", "60"),
            (
                "Set-Cookie",
                "sid=1; Domain=.backend.test; Path=/back/x; HttpOnly",
            ),
            ("X-Custom", "custom"),
            ("Location", location.as_str()),
            ("Refresh", "5; url=http://127.0.0.1:20111/back/refresh"),
            ("Cache-Control", "no-cache"),
            ("Keep-Alive", "timeout=5"),
            ("Set-Cookie", "other=2; path=/back/"),
            ("Last-Modified", "Mon, 01 Jan 2029 00:00:00 GMT"),
            ("Etag", "\"abc\""),
            ("Vary", "Accept-Encoding"),
        ];
        Reply::with_status(302, &headers, b"moved")
    })
}

fn requests() -> Vec<Vec<u8>> {
    let get = |target: &str| {
        format!("GET {target} HTTP/1.1\r\nHost: proxy.test\r\nUser-Agent: t/1\r\nAccept: */*\r\nConnection: close\r\n\r\n")
            .into_bytes()
    };
    let mut out: Vec<Vec<u8>> = [
        "/a/b%20c?q=1",
        "/a/",
        "/a/x/../y//z",
        "/a/%7Efoo",
        "/noslash/%7Efoo?x=%20",
        "/noslash//x//y",
        "/noslash",
        "/rw/p%20q?k=v",
        "/rwuri/p?k=v",
        "/rwlast/deep/er?k",
        "/var/sub?ignored=1",
        "/var2/raw%41/../b?z",
        "/re/anything?x",
        "/exact?e=1",
        "/up/u/v",
        "/qs/rest?a=b",
        "/teapot?t=1",
        "/try/missing?x=1",
        "/if/k?alt=1",
        "/if/k",
        "/h/inherit/",
        "/h/http11/",
        "/h/noheaders/",
        "/h/method/?x=world",
    ]
    .iter()
    .map(|t| get(t))
    .collect();
    out.push(
        b"GET /h/own/ HTTP/1.1\r\nHost: proxy.test\r\nX-Forwarded-For: 10.0.0.1\r\nAccept-Encoding: gzip\r\nX-Client: c\r\nConnection: close\r\n\r\n"
            .to_vec(),
    );
    out.push(b"GET /a/ HTTP/1.0\r\n\r\n".to_vec());
    out.push(
        b"POST /b/len HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world"
            .to_vec(),
    );
    out.push(
        b"POST /b/chunked HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            .to_vec(),
    );
    out.push(
        b"POST /b/stream/ HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            .to_vec(),
    );
    out.push(
        b"POST /b/stream/len HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
            .to_vec(),
    );
    out.push(
        b"PUT /b/nobody/ HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
            .to_vec(),
    );
    out.push(get("/r/page"));
    out.push(get("/r2/page"));
    out.push(get("/r3/page"));
    out.push(get("/r3/elsewhere"));
    out.push(b"HEAD /r/page HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n".to_vec());
    out
}

/// A response reduced to what must match: status line, headers in order
/// (names lowercased; Date and the server's own name left out), body.
fn normalise(response: &proxy_support::Response) -> String {
    // hyper answers an HTTP/1.0 client in HTTP/1.0 where nginx says
    // HTTP/1.1: the connection layer's business, not the proxy's.
    let mut out = format!(
        "{}\n",
        response.status_line.replacen("HTTP/1.0 ", "HTTP/1.1 ", 1)
    );
    // rginx's responses group repeated header names at the first one (an
    // http::HeaderMap); nginx keeps them where the upstream put them. Order
    // within a name is kept by both; compare in grouped order.
    let mut grouped: Vec<(String, String)> = Vec::new();
    for (name, value) in &response.headers {
        match grouped
            .iter()
            .rposition(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(at) => grouped.insert(at + 1, (name.clone(), value.clone())),
            None => grouped.push((name.clone(), value.clone())),
        }
    }
    for (name, value) in &grouped {
        let lower = name.to_ascii_lowercase();
        if lower == "date" && !value.contains("2030") {
            continue;
        }
        let value = if lower == "server" && !value.starts_with("backend") {
            "SERVER"
        } else {
            value.as_str()
        };
        out.push_str(&format!("{lower}: {value}\n"));
    }
    out.push('\n');
    out.push_str(
        &response
            .text()
            .replace("rginx/0.1.0", "SERVER")
            .replace("nginx/1.22.1", "SERVER"),
    );
    out
}

fn run(port: u16) -> Vec<String> {
    requests()
        .iter()
        .map(|request| {
            let response = Client::new(port).request(request);
            normalise(&response).replace(&port.to_string(), "PORT")
        })
        .collect()
}

#[test]
fn requests_and_responses_match_nginx() {
    let _echo = Backend::echo(ECHO);
    let _headers = headers_backend();
    let port = 20112;
    common::serve(&format!("events {{}}\n{}", http_block(port)), &[]);
    let ours = run(port);

    // Checks that hold without nginx at hand.
    let find = |prefix: &str| {
        requests()
            .iter()
            .position(|r| r.starts_with(prefix.as_bytes()))
            .map(|i| ours[i].clone())
            .unwrap_or_default()
    };
    assert!(find("GET /a/b%20c").contains("GET /x/b%20c?q=1 HTTP/1.0"));
    assert!(find("GET /rwuri/").contains("GET /other/p?k=v HTTP/1.0"));
    assert!(find("GET /h/inherit/").contains("X-Server-Level: yes"));
    assert!(!find("GET /h/own/").contains("X-Server-Level"));
    assert!(find("GET /h/own/").contains("X-Forwarded-For: 10.0.0.1, 127.0.0.1"));
    assert!(!find("GET /h/own/").contains("Accept-Encoding"));
    assert!(find("POST /b/chunked").contains("Content-Length: 11"));
    // A chunked body that arrived whole with the head goes out with a
    // length, as nginx sends it (see `late_chunks_stream_chunked`).
    assert!(find("POST /b/stream/ ").contains("Content-Length: 5"));
    assert!(find("GET /r/page").contains("location: http://proxy.test:PORT/r/next"));
    assert!(!find("GET /r/page").contains("backend/1.0"));
    assert!(find("GET /r2/page").contains("server: backend/1.0"));

    let nginx_port = 20312;
    let Some(_nginx) = Nginx::start(&http_block(nginx_port), nginx_port) else {
        eprintln!("nginx is not installed: differential part skipped");
        return;
    };
    let theirs = run(nginx_port);
    for ((request, ours), theirs) in requests().iter().zip(&ours).zip(&theirs) {
        assert_eq!(
            ours,
            theirs,
            "{}: rginx and nginx differ",
            String::from_utf8_lossy(request)
                .lines()
                .next()
                .unwrap_or_default()
        );
    }
}

#[test]
fn large_bodies_stream_both_ways() {
    // 8 MiB up (buffered to a file, then replayed) and 8 MiB up streamed;
    // 32 MiB down, with a length and chunked.
    const UP: usize = 8 << 20;
    const DOWN: usize = 32 << 20;
    let _big = Backend::start(20113, |r| {
        let size = if r.line.contains("down") { DOWN } else { 0 };
        let mut body = vec![b'x'; size];
        if r.line.contains("down") {
            body[size - 1] = b'!';
        }
        let reply = format!(
            "got {} bytes, last {:?}",
            r.body.len(),
            r.body.last().copied()
        );
        if r.line.contains("chunked") {
            let mut bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for piece in body.chunks(100_000) {
                bytes.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                bytes.extend_from_slice(piece);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            return Reply::raw(&bytes, false);
        }
        if size > 0 {
            return Reply::ok(&body);
        }
        Reply::ok(reply.as_bytes())
    });
    let port = 20114;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off; client_max_body_size 64m;\n\
             server {{ listen 127.0.0.1:{port};\n\
             location / {{ proxy_pass http://127.0.0.1:20113; }}\n\
             location /stream/ {{ proxy_pass http://127.0.0.1:20113; proxy_request_buffering off; }} }} }}"
        ),
        &[],
    );
    let mut body = vec![b'u'; UP];
    body[UP - 1] = b'?';
    for path in ["/up", "/stream/up"] {
        let mut client = Client::new(port);
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: {UP}\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        request.extend_from_slice(&body);
        let response = client.request(&request);
        assert_eq!(
            response.text(),
            format!("got {UP} bytes, last Some(63)"),
            "{path}"
        );
    }
    for path in ["/down", "/down/chunked"] {
        let response = proxy_support::get(port, path);
        assert_eq!(response.status, 200);
        assert_eq!(response.body.len(), DOWN, "{path}");
        assert_eq!(response.body.last(), Some(&b'!'));
        if path.ends_with("chunked") {
            assert_eq!(response.header("transfer-encoding"), Some("chunked"));
        } else {
            assert_eq!(response.header("content-length"), Some("33554432"));
        }
    }
}

#[test]
fn the_response_streams_before_the_upstream_finishes() {
    // The backend sends half a body and waits for the client to have it
    // before sending the rest: a proxy that buffered the whole body would
    // never deliver the first half.
    let (half_seen_tx, half_seen_rx) = std::sync::mpsc::channel::<()>();
    let half_seen_rx = std::sync::Mutex::new(half_seen_rx);
    let listener = std::net::TcpListener::bind(("127.0.0.1", 20115)).unwrap();
    std::thread::spawn(move || {
        use std::io::{BufReader, Write};
        let (stream, _) = listener.accept().unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        proxy_support::read_request(&mut reader, 0).unwrap();
        writer
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n")
            .unwrap();
        writer.write_all(&vec![b'a'; 1_000_000]).unwrap();
        let wait = half_seen_rx.lock().unwrap();
        wait.recv_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        writer.write_all(&vec![b'b'; 1_000_000]).unwrap();
    });
    let port = 20116;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://127.0.0.1:20115; }} }} }}"
        ),
        &[],
    );
    use std::io::Read;
    let mut stream = proxy_support::connect(port);
    std::io::Write::write_all(
        &mut stream,
        b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut received = Vec::new();
    let mut buf = vec![0; 65536];
    while !received.windows(1000).any(|w| w.iter().all(|&b| b == b'a')) || received.len() < 900_000
    {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "closed early");
        received.extend_from_slice(&buf[..n]);
    }
    half_seen_tx.send(()).unwrap();
    stream.read_to_end(&mut received).unwrap();
    assert!(received.ends_with(&[b'b'; 1000]));
}

#[test]
fn late_chunks_stream_chunked() {
    let echo = Backend::echo(20117);
    let port = 20118;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://127.0.0.1:20117; \
             proxy_request_buffering off; proxy_http_version 1.1; }} }} }}"
        ),
        &[],
    );
    let mut client = Client::new(port);
    client.send(
        b"POST /s HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    client.send(b"3\r\nabc\r\n");
    // The upstream already has the head and the first chunk.
    assert!(proxy_support::eventually(|| echo.count() == 0));
    std::thread::sleep(std::time::Duration::from_millis(100));
    client.send(b"2\r\nde\r\n0\r\n\r\n");
    let response = client.read(false).expect("a response");
    assert_eq!(response.status, 200);
    let received = &echo.requests()[0];
    assert!(received.chunked, "{:?}", received);
    assert_eq!(received.body, b"abcde");
    assert_eq!(received.header("content-length"), None);
}
