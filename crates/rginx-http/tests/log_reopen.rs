//! USR1 makes a worker reopen its logs: after `mv access.log access.log.1`
//! later lines land in a new `access.log`, and buffered lines are written
//! out first. (Its own test binary: USR1 goes to the whole process.)

mod common;
use common::{exchange, serve};
use std::time::Duration;

fn get(uri: &str) {
    let request = format!("GET {uri} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    let response = exchange(19940, request.as_bytes());
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn usr1_reopens_renamed_logs() {
    let prefix = serve(
        "events {}\nhttp {\n log_format s \"$uri\";\n server { listen 127.0.0.1:19940;\n \
         access_log {PREFIX}/access.log s;\n \
         access_log {PREFIX}/buffered.log s buffer=64k;\n \
         location / { return 200 x; } }\n}\n",
        &[],
    );
    get("/one");
    std::fs::rename(prefix.join("access.log"), prefix.join("access.log.1")).unwrap();
    get("/two");
    assert_eq!(read(&prefix.join("buffered.log")), "");
    nix::sys::signal::kill(nix::unistd::Pid::this(), nix::sys::signal::Signal::SIGUSR1).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    get("/three");
    assert_eq!(read(&prefix.join("access.log.1")), "/one\n/two\n");
    assert_eq!(read(&prefix.join("access.log")), "/three\n");
    // The buffer was written out before the reopen.
    assert_eq!(read(&prefix.join("buffered.log")), "/one\n/two\n");
}
