//! The operations snippets of `docs/operations.md`, run as written: the
//! systemd unit's Exec* commands in systemd's order (Type=forking, with its
//! PIDFile), and the logrotate snippet through the real `logrotate`. Only
//! paths are substituted (binary, config, pid file, log directory).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RGINX: &str = env!("CARGO_BIN_EXE_rginx");

fn docs() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/operations.md");
    std::fs::read_to_string(path).expect("docs/operations.md exists")
}

/// The first fenced block after `heading`.
fn block_after(text: &str, heading: &str) -> String {
    let start = text.find(heading).expect("heading in docs/operations.md");
    let rest = &text[start..];
    let open = rest.find("```").expect("a code block");
    let body_start = open + rest[open..].find('\n').expect("fence line") + 1;
    let close = body_start + rest[body_start..].find("```").expect("closing fence");
    rest[body_start..close].to_string()
}

struct Prefix {
    dir: PathBuf,
    port: u16,
}

impl Prefix {
    fn new(name: &str) -> Prefix {
        let dir = std::env::temp_dir().join(format!("rginx-ops-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let conf = format!(
            "user root;\nworker_processes 2;\npid {0}/logs/nginx.pid;\nerror_log {0}/logs/error.log notice;\n\
             events {{}}\nhttp {{\n  access_log {0}/logs/access.log;\n  server {{\n    listen 127.0.0.1:{port};\n    \
             location / {{ return 200 \"ok\\n\"; }}\n  }}\n}}\n",
            dir.display()
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        Prefix { dir, port }
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.join("logs/nginx.pid")
    }

    /// The doc's command with this prefix's paths.
    fn substitute(&self, command: &str) -> String {
        command
            .replace(
                "/usr/sbin/rginx",
                &format!(
                    "{RGINX} -p {0}/ -c {0}/nginx.conf -e {0}/logs/error.log",
                    self.dir.display()
                ),
            )
            .replace("/run/nginx.pid", &self.pid_file().display().to_string())
            .replace(
                "/var/log/nginx",
                &self.dir.join("logs").display().to_string(),
            )
    }

    fn run(&self, command: &str) -> bool {
        Command::new("sh")
            .arg("-c")
            .arg(command)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }

    fn get(&self) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("rginx listens");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: ops\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    }

    fn master(&self) -> Option<i32> {
        std::fs::read_to_string(self.pid_file())
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        if let Some(pid) = self.master() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z ")
}

fn unit_value(unit: &str, key: &str) -> String {
    unit.lines()
        .find_map(|line| line.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("{key}= in the unit"))
        .trim_start_matches('-')
        .to_string()
}

#[test]
fn systemd_forking_unit_commands_work_as_written() {
    let unit = block_after(&docs(), "## systemd");
    assert_eq!(unit_value(&unit, "Type"), "forking");
    let prefix = Prefix::new("systemd");
    assert!(prefix.run(&prefix.substitute(&unit_value(&unit, "ExecStartPre"))));
    // Type=forking: ExecStart returns once the daemon runs, and the PIDFile
    // must already be there.
    assert!(prefix.run(&prefix.substitute(&unit_value(&unit, "ExecStart"))));
    let master = prefix
        .master()
        .expect("PIDFile written before ExecStart returned");
    assert!(alive(master));
    assert!(prefix.get().ends_with("\r\n\r\nok\n"));
    assert!(prefix.run(&prefix.substitute(&unit_value(&unit, "ExecReload"))));
    wait_until("the reload in the error log", || {
        std::fs::read_to_string(prefix.dir.join("logs/error.log"))
            .unwrap_or_default()
            .contains("reconfiguring")
    });
    assert!(prefix.get().ends_with("\r\n\r\nok\n"));
    assert!(prefix.run(&prefix.substitute(&unit_value(&unit, "ExecStop"))));
    wait_until("the master to exit", || !alive(master));
    assert!(!prefix.pid_file().exists(), "pid file left behind");
}

#[test]
fn logrotate_snippet_rotates_and_reopens() {
    let Ok(logrotate) = which("logrotate") else {
        panic!(
            "logrotate is missing: scripts/install-deps installs it (apt-get install -y logrotate)"
        );
    };
    let snippet = block_after(&docs(), "## logrotate");
    let prefix = Prefix::new("logrotate");
    let conf = prefix.substitute(&snippet);
    std::fs::write(prefix.dir.join("logrotate.conf"), &conf).unwrap();
    assert!(prefix.run(&format!(
        "{RGINX} -p {0}/ -c {0}/nginx.conf -e {0}/logs/error.log",
        prefix.dir.display()
    )));
    let master = prefix.master().expect("pid file");
    prefix.get();
    let access = prefix.dir.join("logs/access.log");
    wait_until("the first access line", || {
        std::fs::read_to_string(&access)
            .unwrap_or_default()
            .lines()
            .count()
            == 1
    });
    let status = Command::new(&logrotate)
        .arg("-f")
        .arg("-s")
        .arg(prefix.dir.join("logrotate.state"))
        .arg(prefix.dir.join("logrotate.conf"))
        .status()
        .unwrap();
    assert!(status.success());
    let rotated = prefix.dir.join("logs/access.log.1");
    assert!(rotated.exists(), "logrotate renamed access.log");
    prefix.get();
    wait_until("a line in the new access.log", || {
        std::fs::read_to_string(&access)
            .unwrap_or_default()
            .lines()
            .count()
            == 1
    });
    assert_eq!(
        std::fs::read_to_string(&rotated).unwrap().lines().count(),
        1,
        "nothing more lands in the rotated file"
    );
    let _ = Command::new("kill")
        .arg("-QUIT")
        .arg(master.to_string())
        .status();
    wait_until("the master to exit", || !alive(master));
}

fn which(name: &str) -> Result<PathBuf, ()> {
    for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return Ok(path);
        }
    }
    Err(())
}

#[test]
fn systemd_foreground_unit_commands_work_as_written() {
    let text = docs();
    let start = text
        .find("In the foreground")
        .expect("the daemon off variant");
    let unit = block_after(&text[start..], "```");
    assert_eq!(unit_value(&unit, "Type"), "simple");
    let prefix = Prefix::new("foreground");
    assert!(prefix.run(&prefix.substitute(&unit_value(&unit, "ExecStartPre"))));
    // Type=simple: systemd runs ExecStart and keeps it as the main process.
    let mut main = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec {}",
            prefix.substitute(&unit_value(&unit, "ExecStart"))
        ))
        .spawn()
        .unwrap();
    let pid = main.id() as i32;
    wait_until("the foreground master to serve", || {
        TcpStream::connect(("127.0.0.1", prefix.port)).is_ok()
    });
    assert!(prefix.get().ends_with("\r\n\r\nok\n"));
    let reload = unit_value(&unit, "ExecReload").replace("$MAINPID", &pid.to_string());
    assert!(prefix.run(&reload));
    wait_until("the reload in the error log", || {
        std::fs::read_to_string(prefix.dir.join("logs/error.log"))
            .unwrap_or_default()
            .contains("reconfiguring")
    });
    assert!(prefix.get().ends_with("\r\n\r\nok\n"));
    assert_eq!(unit_value(&unit, "KillSignal"), "SIGQUIT");
    let _ = Command::new("kill")
        .arg("-QUIT")
        .arg(pid.to_string())
        .status();
    let status = main.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
