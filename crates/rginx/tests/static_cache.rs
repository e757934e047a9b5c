//! The worker's cache of small static files, from outside: a file served
//! (and so kept) and then changed on disk in every way an operator changes
//! files must be answered as nginx answers, which opens it every time.
//!
//! The real binary is started on 127.0.0.1:21500 in its own prefix, every
//! wait is bounded, and only the processes this test started are stopped.

mod common;

use common::{Response, Rginx};
use std::os::unix::fs::{FileExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PORT: u16 = 21500;
/// Longer than the cache's SETTLE: only files whose last change is older
/// than that are kept, and the point here is to change kept files.
const SETTLE: Duration = Duration::from_millis(3500);

fn request(method: &str, path: &str, extra: &str) -> Response {
    common::request(PORT, method, path, extra)
}

fn get(path: &str) -> Response {
    request("GET", path, "")
}

fn html(server: &Rginx, name: &str) -> PathBuf {
    server.dir.join("html").join(name)
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// Two requests, so the second is answered from what the first kept.
fn served_twice(path: &str, expected: &[u8]) {
    for round in 0..2 {
        let response = get(path);
        assert_eq!(
            response.status, 200,
            "{path} round {round}: {}",
            response.head
        );
        assert!(
            response.body == expected,
            "{path} round {round}: wrong bytes"
        );
    }
}

#[test]
fn changed_files_are_never_served_stale() {
    let mut server = Rginx::prefix("static-cache", PORT, &["html"]);
    let small = |fill: u8| vec![fill; 1000];
    write(&html(&server, "inplace.txt"), &small(b'a'));
    write(&html(&server, "renamed.txt"), &small(b'c'));
    write(&html(&server, "deleted.txt"), &small(b'd'));
    write(&html(&server, "dir.txt"), &small(b'e'));
    write(&html(&server, "chmod.txt"), &small(b'f'));
    let large: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    write(&html(&server, "large.bin"), &large);
    let written = Instant::now();
    server.start(
        &format!(
            "daemon off;\nworker_processes 1;\nerror_log logs/error.log;\n\
             pid logs/nginx.pid;\nevents {{}}\nhttp {{\n    server {{\n        \
             listen 127.0.0.1:{PORT};\n        root html;\n    }}\n}}\n"
        ),
        true,
    );
    std::thread::sleep(SETTLE.saturating_sub(written.elapsed()));

    // Kept, and the other answers for a kept file come out of it right.
    served_twice("/inplace.txt", &small(b'a'));
    let head = request("HEAD", "/inplace.txt", "");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("1000"));
    assert!(head.body.is_empty());
    let etag = get("/inplace.txt")
        .header("etag")
        .expect("an ETag")
        .to_string();
    let not_modified = request("GET", "/inplace.txt", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(not_modified.status, 304, "{}", not_modified.head);
    let part = request("GET", "/inplace.txt", "Range: bytes=10-19\r\n");
    assert_eq!(part.status, 206, "{}", part.head);
    assert_eq!(part.header("content-range"), Some("bytes 10-19/1000"));
    assert_eq!(part.body, vec![b'a'; 10]);
    let parts = request("GET", "/inplace.txt", "Range: bytes=0-1,998-\r\n");
    assert_eq!(parts.status, 206, "{}", parts.head);
    assert!(
        parts
            .header("content-type")
            .is_some_and(|t| t.starts_with("multipart/byteranges")),
        "{}",
        parts.head
    );
    let unsatisfiable = request("GET", "/inplace.txt", "Range: bytes=5000-\r\n");
    assert_eq!(unsatisfiable.status, 416, "{}", unsatisfiable.head);

    // Rewritten in place: same size, same inode, other bytes.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(html(&server, "inplace.txt"))
        .unwrap();
    file.write_all_at(&small(b'b'), 0).unwrap();
    drop(file);
    served_twice("/inplace.txt", &small(b'b'));

    // Replaced by rename.
    served_twice("/renamed.txt", &small(b'c'));
    write(&html(&server, "renamed.tmp"), &small(b'C'));
    std::fs::rename(html(&server, "renamed.tmp"), html(&server, "renamed.txt")).unwrap();
    served_twice("/renamed.txt", &small(b'C'));

    // Deleted.
    served_twice("/deleted.txt", &small(b'd'));
    std::fs::remove_file(html(&server, "deleted.txt")).unwrap();
    assert_eq!(get("/deleted.txt").status, 404);

    // Made a directory.
    served_twice("/dir.txt", &small(b'e'));
    std::fs::remove_file(html(&server, "dir.txt")).unwrap();
    std::fs::create_dir(html(&server, "dir.txt")).unwrap();
    std::fs::set_permissions(
        html(&server, "dir.txt"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let redirect = get("/dir.txt");
    assert_eq!(redirect.status, 301, "{}", redirect.head);
    assert!(
        redirect
            .header("location")
            .is_some_and(|l| l.ends_with("/dir.txt/")),
        "{}",
        redirect.head
    );

    // Made unreadable (the worker is nobody, or this test's own user:
    // either way not root, so the mode is enforced).
    served_twice("/chmod.txt", &small(b'f'));
    std::fs::set_permissions(
        html(&server, "chmod.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    assert_eq!(get("/chmod.txt").status, 403);

    // Larger than what is kept: served from the file, whole.
    served_twice("/large.bin", &large);
}
