//! Running a server for a case: a fresh 0755 prefix holding the case's
//! files (placeholders filled, every mtime fixed so that both servers send
//! the same `Last-Modified` and `ETag`), the server started in the
//! foreground as one process, the wait until its ports accept, and the stop
//! by its pid (SIGQUIT, then SIGKILL past a timeout).

use crate::http::case::{Ports, substitute};
use std::fs::{self, File};
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Main-context directives the runner adds with `-g`: one foreground
/// process (so a SIGKILL leaves nothing behind) and a pid file in the
/// prefix rather than the system's.
pub const GLOBALS: &str = "daemon off; master_process off; pid logs/nginx.pid;";
/// The mtime of every file of a prefix: Tue, 14 Nov 2023 22:13:20 GMT.
pub const FILE_TIME: u64 = 1_700_000_000;
const START_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// The ports cases listen on (other tests use 18000-18999).
const PORTS: std::ops::Range<u16> = 20000..21000;

static NEXT_PORT: Mutex<Option<u16>> = Mutex::new(None);

/// `n` ports of 20000-20999 that are free now. Each process walks the range
/// from a pid-dependent start so that concurrent runs rarely meet; a
/// collision anyway shows as a failed start, which the runner retries.
pub fn allocate_ports(n: usize) -> Vec<u16> {
    let mut next = NEXT_PORT.lock().unwrap_or_else(|e| e.into_inner());
    let span = PORTS.end - PORTS.start;
    let mut port = next.unwrap_or_else(|| {
        let spread = (std::process::id() % u32::from(span)) as u16;
        PORTS.start + spread
    });
    let mut ports = Vec::with_capacity(n);
    for _ in 0..span {
        if ports.len() == n {
            break;
        }
        let candidate = port;
        port = if port + 1 >= PORTS.end {
            PORTS.start
        } else {
            port + 1
        };
        if TcpListener::bind(("127.0.0.1", candidate)).is_ok() {
            ports.push(candidate);
        }
    }
    *next = Some(port);
    ports
}

/// Copies `case` to `prefix` (replaced if present), fills the placeholders
/// of every `*.conf` file, creates `logs/`, fixes all mtimes.
pub fn prepare(case: &Path, prefix: &Path, ports: &Ports) -> io::Result<()> {
    if prefix.exists() {
        fs::remove_dir_all(prefix)?;
    }
    copy_dir(case, prefix, ports, prefix)?;
    fs::create_dir_all(prefix.join("logs"))?;
    fs::set_permissions(prefix, fs::Permissions::from_mode(0o755))?;
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(FILE_TIME);
    set_times(prefix, time)
}

fn copy_dir(from: &Path, to: &Path, ports: &Ports, prefix: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    fs::set_permissions(to, fs::Permissions::from_mode(0o755))?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_dir(&entry.path(), &target, ports, prefix)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &target)?;
        } else if entry.path().extension().is_some_and(|e| e == "conf") {
            let text = fs::read_to_string(entry.path())?;
            fs::write(&target, substitute(&text, ports, prefix))?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Directories last (setting a file's time does not touch its directory,
/// but creating files did).
fn set_times(path: &Path, time: SystemTime) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            set_times(&entry?.path(), time)?;
        }
    }
    File::open(path)?.set_modified(time)
}

/// A started server.
pub struct Running {
    child: Child,
    output: PathBuf,
}

/// Why a server did not come up.
#[derive(Debug)]
pub struct StartFailure {
    /// What it printed and logged.
    pub output: String,
    /// The failure is a port someone else holds.
    pub address_in_use: bool,
}

/// Starts `binary` in `prefix` and waits until every port accepts.
pub fn start(
    binary: &Path,
    prefix: &Path,
    ports: &[u16],
) -> io::Result<Result<Running, StartFailure>> {
    let output = PathBuf::from(format!("{}.output", prefix.display()));
    let out = File::create(&output)?;
    let child = Command::new(binary)
        .arg("-p")
        .arg(format!("{}/", prefix.display()))
        .arg("-c")
        .arg(prefix.join("nginx.conf"))
        .arg("-e")
        .arg(prefix.join("error.log"))
        .arg("-g")
        .arg(GLOBALS)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()?;
    let mut running = Running { child, output };
    let started = Instant::now();
    loop {
        if let Some(status) = running.child.try_wait()? {
            let output = running.collect(prefix, Some(status));
            let _ = fs::remove_file(&running.output);
            return Ok(Err(StartFailure {
                address_in_use: output.contains("Address already in use"),
                output,
            }));
        }
        if ports.iter().all(|&port| accepts(port)) {
            return Ok(Ok(running));
        }
        if started.elapsed() > START_TIMEOUT {
            let stopped = running.stop(prefix);
            return Ok(Err(StartFailure {
                output: format!("not listening after {START_TIMEOUT:?}\n{}", stopped.output),
                address_in_use: false,
            }));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn accepts(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// What a stopped server left.
#[derive(Debug)]
pub struct Stopped {
    /// stdout, stderr and the error log.
    pub output: String,
    /// It ignored SIGQUIT and had to be killed.
    pub killed: bool,
}

impl Running {
    /// SIGQUIT (nginx's graceful stop), then SIGKILL if it is still there
    /// after the timeout. Only this child's pid is ever signalled.
    pub fn stop(mut self, prefix: &Path) -> Stopped {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill")
            .args(["-QUIT", &pid])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let started = Instant::now();
        let mut status = None;
        while started.elapsed() < STOP_TIMEOUT {
            match self.child.try_wait() {
                Ok(Some(s)) => {
                    status = Some(s);
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(_) => break,
            }
        }
        let killed = status.is_none();
        if killed {
            let _ = self.child.kill();
            status = self.child.wait().ok();
        }
        let output = self.collect(prefix, status);
        let _ = fs::remove_file(&self.output);
        Stopped { output, killed }
    }

    fn collect(&self, prefix: &Path, status: Option<ExitStatus>) -> String {
        let printed = fs::read_to_string(&self.output).unwrap_or_default();
        let logged = fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
        let status = status.map_or_else(|| "unknown".to_string(), |s| s.to_string());
        format!("exit: {status}\noutput:\n{printed}error.log:\n{logged}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_free_distinct_and_in_range() {
        let ports = allocate_ports(3);
        assert_eq!(ports.len(), 3);
        assert!(ports.iter().all(|p| PORTS.contains(p)));
        let more = allocate_ports(2);
        assert!(more.iter().all(|p| !ports.contains(p)));
    }

    #[test]
    fn prefixes_get_filled_configs_and_fixed_times() {
        let case = std::env::temp_dir().join(format!("rginx-http-unit-{}", std::process::id()));
        let prefix = PathBuf::from(format!("{}-prefix", case.display()));
        fs::create_dir_all(case.join("html")).unwrap();
        fs::write(
            case.join("nginx.conf"),
            "listen {PORT}; root {PREFIX}/html;",
        )
        .unwrap();
        fs::write(case.join("html/a.txt"), "{PORT}").unwrap();
        let ports = Ports {
            listen: vec![20123],
            ..Ports::default()
        };
        prepare(&case, &prefix, &ports).unwrap();
        assert_eq!(
            fs::read_to_string(prefix.join("nginx.conf")).unwrap(),
            format!("listen 20123; root {}/html;", prefix.display())
        );
        // Only configs are filled: served files are served as they are.
        assert_eq!(
            fs::read_to_string(prefix.join("html/a.txt")).unwrap(),
            "{PORT}"
        );
        let mtime = fs::metadata(prefix.join("html/a.txt"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(
            mtime
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            FILE_TIME
        );
        let dir_time = fs::metadata(prefix.join("html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(dir_time, mtime);
        assert!(prefix.join("logs").is_dir());
        fs::remove_dir_all(&case).unwrap();
        fs::remove_dir_all(&prefix).unwrap();
    }
}
