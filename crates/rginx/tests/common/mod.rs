//! What the binary's integration tests share: the real binary started in
//! a prefix of its own (0755, so a worker running as nobody can read it),
//! waited for with a bound, and stopped by its own pid with the workers it
//! forked; and a raw HTTP/1.1 request with its parsed answer.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub const RGINX: &str = env!("CARGO_BIN_EXE_rginx");
/// The bound on every wait for the server.
pub const WAIT: Duration = Duration::from_secs(10);

/// A prefix, and the foreground rginx started in it.
pub struct Rginx {
    pub dir: PathBuf,
    port: u16,
    master: Option<Child>,
    workers: Vec<u32>,
}

impl Rginx {
    /// A fresh prefix `rginx-NAME-PID` under the temp directory with
    /// `logs/` and the directories `extra` names; nothing runs yet.
    pub fn prefix(name: &str, port: u16, extra: &[&str]) -> Rginx {
        let dir = std::env::temp_dir().join(format!("rginx-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["", "logs"].iter().chain(extra) {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Rginx {
            dir,
            port,
            master: None,
            workers: Vec::new(),
        }
    }

    /// Writes `conf` as the prefix's nginx.conf and starts rginx on it;
    /// returns once the port accepts and, with `workers`, a worker runs
    /// (the master listens before it forks them).
    pub fn start(&mut self, conf: &str, workers: bool) {
        let path = self.dir.join("nginx.conf");
        std::fs::write(&path, conf).unwrap();
        let child = Command::new(RGINX)
            .arg("-p")
            .arg(format!("{}/", self.dir.display()))
            .arg("-c")
            .arg(&path)
            .spawn()
            .unwrap();
        let pid = child.id();
        self.master = Some(child);
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect(("127.0.0.1", self.port)).is_err()
            || (workers && children(pid).is_empty())
        {
            assert!(
                Instant::now() < deadline,
                "rginx did not start: {}",
                self.error_log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.workers = children(pid);
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("logs/error.log")).unwrap_or_default()
    }
}

impl Drop for Rginx {
    fn drop(&mut self) {
        if let Some(mut master) = self.master.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(master.id().to_string())
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

/// A response as read to the connection's close.
#[allow(dead_code)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    #[allow(dead_code)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// `METHOD PATH HTTP/1.1` with `Host: localhost`, the `extra` header lines
/// (each ending in CRLF) and `Connection: close`, read to the close.
#[allow(dead_code)]
pub fn request(port: u16, method: &str, path: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
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
