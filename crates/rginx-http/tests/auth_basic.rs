//! auth_basic through a real socket: every password hash format nginx on
//! Debian accepts (made here by the hash crates, by `openssl passwd` and by
//! the system's crypt(3) through perl), the 401 challenge, the user file's
//! syntax, nginx's error-log lines, `$remote_user`, `satisfy`, `error_page
//! 401` and `auth_delay`. Expected answers were checked against nginx
//! 1.22.1 with the same configurations.

mod common;
use base64::Engine;
use common::{body, exchange, head_without_date, serve};
use sha1::{Digest, Sha1};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A GET with optional Basic credentials.
fn get(port: u16, path: &str, credentials: Option<(&str, &str)>) -> String {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: auth.test\r\nConnection: close\r\n");
    if let Some((user, password)) = credentials {
        let token = b64(format!("{user}:{password}").as_bytes());
        request.push_str(&format!("Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    exchange(port, request.as_bytes())
}

fn status(response: &str) -> u16 {
    response
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"))
}

/// The value of a response header (names compared without case).
fn header<'r>(response: &'r str, name: &str) -> Option<&'r str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(": ")?;
        n.eq_ignore_ascii_case(name).then_some(v)
    })
}

/// A salt of `len` characters of crypt's alphabet, different each call.
fn salt(len: usize) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    const ALPHABET: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        ^ (u64::from(std::process::id()) << 20)
        ^ NEXT.fetch_add(0x9e37_79b9, Ordering::Relaxed);
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % 64) as usize] as char
        })
        .collect()
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed by this test: {e}"));
    assert!(output.status.success(), "{program} {args:?} failed");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// crypt(3) of this system, as nginx's fallback calls it.
fn system_crypt(password: &str, setting: &str) -> String {
    run(
        "perl",
        &["-e", "print crypt($ARGV[0], $ARGV[1])", password, setting],
    )
}

/// `{SSHA}`: base64(SHA1(password salt) salt).
fn ssha(password: &str, salt: &[u8]) -> String {
    let mut sha = Sha1::new();
    sha.update(password.as_bytes());
    sha.update(salt);
    let mut raw = sha.finalize().to_vec();
    raw.extend_from_slice(salt);
    format!("{{SSHA}}{}", b64(&raw))
}

/// One user per format: (user, password, stored hash).
#[allow(deprecated)]
fn users() -> Vec<(String, String, String)> {
    let mut users: Vec<(&str, &str, String)> = vec![
        ("plain", "plain pw", "{PLAIN}plain pw".to_string()),
        (
            "sha",
            "sha-pw",
            format!("{{SHA}}{}", b64(&Sha1::digest(b"sha-pw"))),
        ),
        ("ssha", "ssha-pw", ssha("ssha-pw", b"NaCl\x00\xff")),
        // The hash crates.
        ("md5", "md5-pw", pwhash::md5_crypt::hash("md5-pw").unwrap()),
        (
            "sha256",
            "sha256-pw",
            pwhash::sha256_crypt::hash("sha256-pw").unwrap(),
        ),
        (
            "sha512",
            "sha512-pw",
            pwhash::sha512_crypt::hash("sha512-pw").unwrap(),
        ),
        (
            "bcrypt",
            "bcrypt-pw",
            pwhash::bcrypt::hash_with(
                pwhash::bcrypt::BcryptSetup {
                    cost: Some(4),
                    ..Default::default()
                },
                "bcrypt-pw",
            )
            .unwrap(),
        ),
        ("des", "des-pw", pwhash::unix_crypt::hash("des-pw").unwrap()),
        // The real tools.
        (
            "apr1",
            "apr1-pw",
            run("openssl", &["passwd", "-apr1", "apr1-pw"]),
        ),
        (
            "apr1salt",
            "pw",
            run("openssl", &["passwd", "-apr1", "-salt", &salt(8), "pw"]),
        ),
        (
            "openssl1",
            "o1-pw",
            run("openssl", &["passwd", "-1", "o1-pw"]),
        ),
        (
            "openssl5",
            "o5-pw",
            run("openssl", &["passwd", "-5", "o5-pw"]),
        ),
        (
            "openssl6",
            "o6-pw",
            run("openssl", &["passwd", "-6", "o6-pw"]),
        ),
        (
            "yescrypt",
            "y-pw",
            system_crypt("y-pw", &format!("$y$j9T${}", salt(20))),
        ),
        (
            "bcrypt2y",
            "b-pw",
            system_crypt("b-pw", &format!("$2y$04${}", salt(21) + "u")),
        ),
        (
            "bcrypt2b",
            "b-pw",
            system_crypt("b-pw", &format!("$2b$04${}", salt(21) + "e")),
        ),
        ("crypt-des", "d-pw", system_crypt("d-pw", &salt(2))),
        (
            "crypt-sha512",
            "s-pw",
            system_crypt("s-pw", &format!("$6$rounds=5000${}", salt(16))),
        ),
    ];
    // The password, then a comment field after the hash.
    users.push(("commented", "c-pw", "{PLAIN}c-pw:Some Body".to_string()));
    users
        .into_iter()
        .map(|(u, p, h)| (u.to_string(), p.to_string(), h))
        .collect()
}

const CONF: &str = r#"
events {}
http {
    error_log {PREFIX}/error.log info;
    access_log {PREFIX}/access.log;
    log_format user '$remote_user $status';
    server {
        listen 127.0.0.1:20800;
        root {PREFIX}/html;
        access_log {PREFIX}/user.log user;
        location / {
            auth_basic "Private \"area\"";
            auth_basic_user_file htpasswd;
            add_header X-User $remote_user;
        }
        location /var/ {
            auth_basic $arg_realm;
            auth_basic_user_file {PREFIX}/$arg_file;
        }
        location /missing/ {
            auth_basic "m";
            auth_basic_user_file missing-file;
        }
        location /dir/ {
            auth_basic "d";
            auth_basic_user_file html;
        }
        location /open/ {
            return 200 "user=$remote_user\n";
        }
    }
}
"#;

fn html_files() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("html/index.html", b"secret page\n"),
        ("html/var/index.html", b"var page\n"),
        ("html/missing/index.html", b"m\n"),
        ("html/dir/index.html", b"d\n"),
    ]
}

#[test]
fn every_hash_format_nginx_accepts() {
    let users = users();
    let mut file = String::from("# a comment line\n\n");
    for (user, _, hash) in &users {
        file.push_str(&format!("{user}:{hash}\n"));
    }
    let mut files = html_files();
    files.push(("htpasswd", file.as_bytes()));
    serve(CONF, &files);
    for (user, password, hash) in &users {
        let ok = get(20800, "/", Some((user, password)));
        assert_eq!(status(&ok), 200, "{user} {hash}: {ok}");
        assert_eq!(body(&ok), "secret page\n");
        assert_eq!(header(&ok, "X-User"), Some(user.as_str()));
        let wrong = get(20800, "/", Some((user, &format!("{password}x"))));
        assert_eq!(status(&wrong), 401, "{user} {hash} with a wrong password");
    }
}

/// The error log's lines as `[level] message`, without time, pid and
/// connection number.
fn log_lines(path: &Path, wanted: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<String> = text
            .lines()
            .filter_map(|line| {
                let level = &line[line.find('[')?..=line.find(']')?];
                let (_, message) = line.split_once(": *")?;
                let (_, message) = message.split_once(' ')?;
                Some(format!("{level} {message}"))
            })
            .collect();
        if lines.len() >= wanted || Instant::now() > deadline {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn challenge_statuses_and_error_log() {
    let mut files = html_files();
    files.push((
        "htpasswd",
        b"alice:{PLAIN}wonder\r\n#bob:{PLAIN}x\nbob\nbob:{PLAIN}hidden\n",
    ));
    files.push(("other", b"carol:{PLAIN}c\n"));
    let prefix = serve(&CONF.replace("20800", "20801"), &files);

    let none = get(20801, "/", None);
    let head: Vec<String> = head_without_date(&none)
        .lines()
        .filter(|l| !l.starts_with("Server: "))
        .map(str::to_string)
        .collect();
    let length = format!("Content-Length: {}", body(&none).len());
    assert_eq!(
        head,
        [
            "HTTP/1.1 401 Unauthorized",
            "Content-Type: text/html",
            length.as_str(),
            "Connection: close",
            "WWW-Authenticate: Basic realm=\"Private \"area\"\"",
        ]
    );
    assert!(body(&none).contains("<title>401 Authorization Required</title>"));

    assert_eq!(status(&get(20801, "/", Some(("alice", "wonder")))), 200);
    assert_eq!(status(&get(20801, "/", Some(("alice", "Wonder")))), 401);
    assert_eq!(status(&get(20801, "/", Some(("dave", "x")))), 401);
    // "bob" without a colon hides the line after it, as in nginx.
    assert_eq!(status(&get(20801, "/", Some(("bob", "hidden")))), 401);
    // A commented-out user does not exist.
    assert_eq!(status(&get(20801, "/", Some(("#bob", "x")))), 401);

    // Realm and file from variables; a realm of "off" turns it off.
    let var = get(20801, "/var/?realm=R%20$1&file=other", None);
    assert_eq!(
        header(&var, "WWW-Authenticate"),
        Some("Basic realm=\"R%20$1\"")
    );
    assert_eq!(
        status(&get(
            20801,
            "/var/?realm=x&file=other",
            Some(("carol", "c"))
        )),
        200
    );
    assert_eq!(
        status(&get(
            20801,
            "/var/?realm=x&file=htpasswd",
            Some(("carol", "c"))
        )),
        401
    );
    let off = get(20801, "/var/?realm=off&file=nothing", None);
    assert_eq!((status(&off), body(&off)), (200, "var page\n"));

    // A missing user file is 403, an unreadable one 500.
    let missing = get(20801, "/missing/", Some(("alice", "wonder")));
    assert_eq!(status(&missing), 403);
    assert_eq!(header(&missing, "WWW-Authenticate"), None);
    assert_eq!(status(&get(20801, "/dir/", Some(("alice", "wonder")))), 500);
    // Without credentials the file is not even read.
    assert_eq!(status(&get(20801, "/missing/", None)), 401);

    let p = prefix.display();
    let request = |r: &str| {
        format!("client: 127.0.0.1, server: , request: \"GET {r} HTTP/1.1\", host: \"auth.test\"")
    };
    let expected = vec![
        format!(
            "[info] no user/password was provided for basic authentication, {}",
            request("/")
        ),
        format!(
            "[error] user \"alice\": password mismatch, {}",
            request("/")
        ),
        format!(
            "[error] user \"dave\" was not found in \"{p}/htpasswd\", {}",
            request("/")
        ),
        format!(
            "[error] user \"bob\" was not found in \"{p}/htpasswd\", {}",
            request("/")
        ),
        format!(
            "[error] user \"#bob\" was not found in \"{p}/htpasswd\", {}",
            request("/")
        ),
        format!(
            "[info] no user/password was provided for basic authentication, {}",
            request("/var/?realm=R%20$1&file=other")
        ),
        format!(
            "[error] user \"carol\" was not found in \"{p}/htpasswd\", {}",
            request("/var/?realm=x&file=htpasswd")
        ),
        format!(
            "[error] open() \"{p}/missing-file\" failed (2: No such file or directory), {}",
            request("/missing/")
        ),
        format!(
            "[crit] pread() \"{p}/html\" failed (21: Is a directory), {}",
            request("/dir/")
        ),
        format!(
            "[info] no user/password was provided for basic authentication, {}",
            request("/missing/")
        ),
    ];
    let logged: Vec<String> = log_lines(&prefix.join("error.log"), expected.len())
        .into_iter()
        .filter(|line| !line.contains("is not found") && !line.contains("closed keepalive"))
        .collect();
    assert_eq!(logged, expected);
}

#[test]
fn remote_user_comes_from_the_authorization_header() {
    let mut files = html_files();
    files.push(("htpasswd", b"alice:{PLAIN}wonder\n"));
    let prefix = serve(&CONF.replace("20800", "20802"), &files);
    // $remote_user needs no auth_basic, and is set even when refused.
    let open = get(20802, "/open/", Some(("mallory", "any")));
    assert_eq!(body(&open), "user=mallory\n");
    assert_eq!(body(&get(20802, "/open/", None)), "user=\n");
    let padded = exchange(
        20802,
        b"GET /open/ HTTP/1.0\r\nAuthorization: basic    YWxpY2U6d29uZGVy==x\r\n\r\n",
    );
    assert_eq!(body(&padded), "user=alice\n");
    let no_colon = exchange(
        20802,
        b"GET /open/ HTTP/1.0\r\nAuthorization: Basic YWxpY2U=\r\n\r\n",
    );
    assert_eq!(body(&no_colon), "user=\n");
    get(20802, "/", Some(("alice", "wonder")));
    get(20802, "/", Some(("alice", "nope")));
    get(20802, "/", None);
    let deadline = Instant::now() + Duration::from_secs(3);
    let log = loop {
        let log = std::fs::read_to_string(prefix.join("user.log")).unwrap_or_default();
        if log.lines().count() >= 7 || Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        log,
        "mallory 200\n- 200\nalice 200\n- 200\nalice 200\nalice 401\n- 401\n"
    );
}

const SATISFY: &str = r#"
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:20803;
        root {PREFIX}/html;
        auth_basic_user_file htpasswd;
        location /all-deny/ { deny all; auth_basic "R"; }
        location /all-allow/ { allow 127.0.0.1; deny all; auth_basic "R"; }
        location /all-nomatch/ { allow 10.0.0.0/8; auth_basic "R"; }
        location /any-allow/ { satisfy any; allow 127.0.0.1; deny all; auth_basic "R"; }
        location /any-deny/ { satisfy any; deny all; auth_basic "R"; }
        location /any-nomatch/ { satisfy any; allow 10.0.0.0/8; auth_basic "R"; }
        location /any-deny-noauth/ { satisfy any; deny all; }
        location /any-deny-nofile/ { satisfy any; deny all; auth_basic "R"; auth_basic_user_file nofile; }
        location /any-noaccess/ { satisfy any; auth_basic "R"; }
        location /any-nothing/ { satisfy any; }
        location /any-deny-authoff/ { satisfy any; deny all; auth_basic off; }
    }
}
"#;

#[test]
fn satisfy_all_and_any() {
    let mut files: Vec<(&str, &[u8])> = vec![("htpasswd", b"u:{PLAIN}p\n")];
    let names = [
        "all-deny",
        "all-allow",
        "all-nomatch",
        "any-allow",
        "any-deny",
        "any-nomatch",
        "any-deny-noauth",
        "any-deny-nofile",
        "any-noaccess",
        "any-nothing",
        "any-deny-authoff",
    ];
    let paths: Vec<String> = names
        .iter()
        .map(|n| format!("html/{n}/index.html"))
        .collect();
    for path in &paths {
        files.push((path.as_str(), b"in\n"));
    }
    serve(SATISFY, &files);
    // (location, without credentials, with good ones, with a bad password)
    let expected: [(&str, u16, u16, u16); 11] = [
        ("all-deny", 403, 403, 403),
        ("all-allow", 401, 200, 401),
        ("all-nomatch", 401, 200, 401),
        ("any-allow", 200, 200, 200),
        ("any-deny", 401, 200, 401),
        ("any-nomatch", 401, 200, 401),
        ("any-deny-noauth", 403, 403, 403),
        ("any-deny-nofile", 401, 403, 403),
        ("any-noaccess", 401, 200, 401),
        ("any-nothing", 200, 200, 200),
        ("any-deny-authoff", 403, 403, 403),
    ];
    for (name, anonymous, good, bad) in expected {
        let path = format!("/{name}/");
        let got = (
            status(&get(20803, &path, None)),
            status(&get(20803, &path, Some(("u", "p")))),
            status(&get(20803, &path, Some(("u", "x")))),
        );
        assert_eq!(got, (anonymous, good, bad), "{name}");
    }
    let refused = get(20803, "/any-deny/", None);
    assert_eq!(
        header(&refused, "WWW-Authenticate"),
        Some("Basic realm=\"R\"")
    );
    assert_eq!(
        header(&get(20803, "/any-deny-noauth/", None), "WWW-Authenticate"),
        None
    );
}

#[test]
fn error_page_401_keeps_the_challenge() {
    serve(
        r#"
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:20804;
        root {PREFIX}/html;
        location /p/ {
            error_page 401 /401.html;
            auth_basic "R";
            auth_basic_user_file {PREFIX}/htpasswd;
        }
        location /named/ {
            error_page 401 @denied;
            auth_basic "N";
            auth_basic_user_file {PREFIX}/htpasswd;
        }
        location @denied { return 418 "denied\n"; }
    }
}
"#,
        &[
            ("htpasswd", b"u:{PLAIN}p\n"),
            ("html/401.html", b"please log in\n"),
            ("html/p/index.html", b"in\n"),
        ],
    );
    let response = get(20804, "/p/", None);
    assert_eq!(status(&response), 401);
    assert_eq!(body(&response), "please log in\n");
    assert_eq!(
        header(&response, "WWW-Authenticate"),
        Some("Basic realm=\"R\"")
    );
    // nginx's order: the challenge comes before the file's ETag.
    let head = head_without_date(&response);
    let challenge = head.find("\nWWW-Authenticate: ").unwrap();
    assert!(
        head.find("\nETag: ").is_some_and(|etag| etag > challenge),
        "{head}"
    );
    let named = get(20804, "/named/", None);
    assert_eq!((status(&named), body(&named)), (401, "denied\n"));
    assert_eq!(
        header(&named, "WWW-Authenticate"),
        Some("Basic realm=\"N\"")
    );
    assert_eq!(status(&get(20804, "/p/", Some(("u", "p")))), 200);
}

#[test]
fn auth_delay_holds_back_the_401_and_limit_except_scopes_auth() {
    serve(
        r#"
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:20805;
        root {PREFIX}/html;
        auth_basic_user_file {PREFIX}/htpasswd;
        location /slow/ { auth_basic "S"; auth_delay 300ms; }
        location /write/ {
            limit_except GET { auth_basic "W"; }
        }
    }
}
"#,
        &[
            ("htpasswd", b"u:{PLAIN}p\n"),
            ("html/slow/index.html", b"slow\n"),
            ("html/write/index.html", b"w\n"),
        ],
    );
    let started = Instant::now();
    assert_eq!(status(&get(20805, "/slow/", None)), 401);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(status(&get(20805, "/slow/", Some(("u", "p")))), 200);
    assert!(started.elapsed() < Duration::from_millis(300));

    assert_eq!(status(&get(20805, "/write/", None)), 200);
    let post = exchange(
        20805,
        b"POST /write/ HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status(&post), 401);
    assert_eq!(header(&post, "WWW-Authenticate"), Some("Basic realm=\"W\""));
}
