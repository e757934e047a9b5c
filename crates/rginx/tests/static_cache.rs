//! The worker's cache of small static files, from outside: a file served
//! (and so kept) and then changed on disk in every way an operator changes
//! files must be answered as nginx answers, which opens it every time.
//!
//! The real binary is started on 127.0.0.1:21500 in its own prefix, every
//! wait is bounded, and only the processes this test started are stopped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::{FileExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const RGINX: &str = env!("CARGO_BIN_EXE_rginx");
const PORT: u16 = 21500;
const WAIT: Duration = Duration::from_secs(10);
/// Longer than the cache's SETTLE: only files whose last change is older
/// than that are kept, and the point here is to change kept files.
const SETTLE: Duration = Duration::from_millis(3500);

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn request(method: &str, path: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", PORT)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head:?}"));
    Response {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(path: &str) -> Response {
    request("GET", path, "")
}

fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// The live children of `pid`, from /proc.
fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|child| {
            std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|stat| {
                    let (_, rest) = stat.rsplit_once(')')?;
                    let fields: Vec<&str> = rest.split_whitespace().collect();
                    Some(fields.first() != Some(&"Z") && fields.get(1) == Some(&&*pid.to_string()))
                })
                .unwrap_or(false)
        })
        .collect()
}

/// A prefix (0755, so a worker running as nobody can read it) with
/// `html/`, and the foreground master started in it.
struct Server {
    dir: PathBuf,
    master: Option<Child>,
    workers: Vec<u32>,
}

impl Server {
    fn new() -> Server {
        let dir = std::env::temp_dir().join(format!("rginx-static-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["", "logs", "html"] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Server {
            dir,
            master: None,
            workers: Vec::new(),
        }
    }

    fn html(&self, name: &str) -> PathBuf {
        self.dir.join("html").join(name)
    }

    fn start(&mut self) {
        let conf = self.dir.join("nginx.conf");
        std::fs::write(
            &conf,
            format!(
                "daemon off;\nworker_processes 1;\nerror_log logs/error.log;\n\
                 pid logs/nginx.pid;\nevents {{}}\nhttp {{\n    server {{\n        \
                 listen 127.0.0.1:{PORT};\n        root html;\n    }}\n}}\n"
            ),
        )
        .unwrap();
        let child = Command::new(RGINX)
            .arg("-p")
            .arg(format!("{}/", self.dir.display()))
            .arg("-c")
            .arg(&conf)
            .spawn()
            .unwrap();
        let pid = child.id();
        self.master = Some(child);
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect(("127.0.0.1", PORT)).is_err() || children(pid).is_empty() {
            let log = std::fs::read_to_string(self.dir.join("logs/error.log")).unwrap_or_default();
            assert!(Instant::now() < deadline, "rginx did not start: {log}");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.workers = children(pid);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut master) = self.master.take() {
            let pid = master.id();
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status();
            let deadline = Instant::now() + WAIT;
            while master.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if master.try_wait().ok().flatten().is_none() {
                let _ = master.kill();
                let _ = master.wait();
            }
        }
        for worker in &self.workers {
            if alive(*worker) {
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .arg(worker.to_string())
                    .status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
    let mut server = Server::new();
    let small = |fill: u8| vec![fill; 1000];
    write(&server.html("inplace.txt"), &small(b'a'));
    write(&server.html("renamed.txt"), &small(b'c'));
    write(&server.html("deleted.txt"), &small(b'd'));
    write(&server.html("dir.txt"), &small(b'e'));
    write(&server.html("chmod.txt"), &small(b'f'));
    let large: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    write(&server.html("large.bin"), &large);
    let written = Instant::now();
    server.start();
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
        .open(server.html("inplace.txt"))
        .unwrap();
    file.write_all_at(&small(b'b'), 0).unwrap();
    drop(file);
    served_twice("/inplace.txt", &small(b'b'));

    // Replaced by rename.
    served_twice("/renamed.txt", &small(b'c'));
    write(&server.html("renamed.tmp"), &small(b'C'));
    std::fs::rename(server.html("renamed.tmp"), server.html("renamed.txt")).unwrap();
    served_twice("/renamed.txt", &small(b'C'));

    // Deleted.
    served_twice("/deleted.txt", &small(b'd'));
    std::fs::remove_file(server.html("deleted.txt")).unwrap();
    assert_eq!(get("/deleted.txt").status, 404);

    // Made a directory.
    served_twice("/dir.txt", &small(b'e'));
    std::fs::remove_file(server.html("dir.txt")).unwrap();
    std::fs::create_dir(server.html("dir.txt")).unwrap();
    std::fs::set_permissions(
        server.html("dir.txt"),
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
        server.html("chmod.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    assert_eq!(get("/chmod.txt").status, 403);

    // Larger than what is kept: served from the file, whole.
    served_twice("/large.bin", &large);
}
