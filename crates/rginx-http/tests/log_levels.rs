//! Which access logs a request is written to: inheritance from http to
//! server to location (a level with any `access_log` replaces the outer
//! list), `off`, `if=`, an `if` block's own log, and paths with variables.
//! Expected files and lines are what nginx 1.22.1 writes for the same
//! configuration and requests.

mod common;
use common::{exchange, serve};
use std::path::Path;
use std::time::Duration;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

const CONF: &str = r#"
error_log {PREFIX}/main-error.log;
events {}
http {
    log_format s "$uri $status";
    access_log {PREFIX}/http.log s;
    server {
        listen 127.0.0.1:19920;
        server_name a;
        location /own { access_log {PREFIX}/own.log s; access_log {PREFIX}/own2.log s; return 200 x; }
        location /off { access_log off; return 200 x; location /off/in { return 201 x; } }
        location /inherit { return 200 x; }
        location /if { access_log {PREFIX}/if.log s if=$arg_log; return 200 x; }
        location /vhost { root {PREFIX}/html; access_log {PREFIX}/vhost-$host.log s; return 200 x; }
        location /gone { root {PREFIX}/missing; access_log {PREFIX}/gone-$host.log s; return 200 x; }
        location /iflevel { if ($arg_x) { access_log {PREFIX}/iflevel.log s; } return 200 x; }
    }
    server {
        listen 127.0.0.1:19920;
        server_name b;
        access_log {PREFIX}/b.log s;
        location / { return 204; }
    }
}
"#;

#[test]
fn inner_levels_replace_outer_lists_as_nginx() {
    let prefix = serve(CONF, &[("html/index.html", b"x")]);
    let requests = [
        ("/own", "a"),
        ("/off", "a"),
        ("/off/in", "a"),
        ("/inherit", "a"),
        ("/if?log=1", "a"),
        ("/if?log=0", "a"),
        ("/if", "a"),
        ("/if?log=yes", "a"),
        ("/vhost", "a"),
        ("/vhost", "A."),
        ("/gone", "a"),
        ("/iflevel", "a"),
        ("/iflevel?x=1", "a"),
        ("/z", "b"),
    ];
    for (uri, host) in requests {
        let request = format!("GET {uri} HTTP/1.0\r\nHost: {host}\r\n\r\n");
        let response = exchange(19920, request.as_bytes());
        assert!(response.starts_with("HTTP/1."), "{uri}: {response}");
    }
    std::thread::sleep(Duration::from_millis(50));
    let expected = [
        ("b.log", "/z 204\n"),
        ("http.log", "/inherit 200\n/iflevel 200\n"),
        ("if.log", "/if 200\n/if 200\n"),
        ("iflevel.log", "/iflevel 200\n"),
        ("own.log", "/own 200\n"),
        ("own2.log", "/own 200\n"),
        ("vhost-a.log", "/vhost 200\n/vhost 200\n"),
    ];
    for (file, lines) in expected {
        assert_eq!(read(&prefix.join(file)), lines, "{file}");
    }
    // No root directory: the line is dropped and the reason logged.
    assert!(!prefix.join("gone-a.log").exists());
    let errors = read(&prefix.join("main-error.log"));
    let expected = format!(
        "testing \"{}\" existence failed (2: No such file or directory) while logging request, \
         client: 127.0.0.1, server: a, request: \"GET /gone HTTP/1.0\", host: \"a\"\n",
        prefix.join("missing").display()
    );
    assert!(errors.ends_with(&expected), "{errors}");
    assert_eq!(errors.lines().count(), 1, "{errors}");
}
