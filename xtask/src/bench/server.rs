//! Starting and stopping one server (nginx or rginx) as our own child process, and reading
//! its workers' memory and CPU time from /proc.
//!
//! Servers are only ever signalled by the pid we started (QUIT, then KILL after a timeout);
//! never by name, so other nginx instances on the machine are left alone.

use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::procfs;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Nginx,
    Rginx,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Nginx => "nginx",
            Kind::Rginx => "rginx",
        }
    }
}

/// A server binary and how to invoke it.
#[derive(Debug, Clone)]
pub struct Binary {
    pub kind: Kind,
    pub path: PathBuf,
}

impl Binary {
    /// The nginx-style command line shared by both servers: `-p PREFIX/ -c CONF -e ERRLOG`.
    fn base_command(&self, prefix: &Path, conf: &Path, cpus: Option<&str>) -> Command {
        let mut cmd = match cpus {
            Some(list) => {
                // taskset execs the server, so the child's pid is the server master's.
                let mut c = Command::new("taskset");
                c.args(["-c", list]).arg(&self.path);
                c
            }
            None => Command::new(&self.path),
        };
        // nginx wants the prefix to end in '/', it concatenates relative paths onto it.
        let mut p = prefix.as_os_str().to_owned();
        p.push("/");
        cmd.arg("-p")
            .arg(p)
            .arg("-c")
            .arg(conf)
            .arg("-e")
            .arg(prefix.join("logs/error.log"));
        cmd
    }

    /// `-t`: checks the configuration. Returns stderr on failure.
    pub fn test_config(&self, prefix: &Path, conf: &Path) -> Result<(), String> {
        let out = self
            .base_command(prefix, conf, None)
            .arg("-t")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.path.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    /// The `-t` command, for timing it from outside.
    pub fn test_command(&self, prefix: &Path, conf: &Path) -> Command {
        let mut c = self.base_command(prefix, conf, None);
        c.arg("-t").stdin(Stdio::null());
        c
    }

    /// Starts the server in the foreground (the config says `daemon off;`).
    pub fn start(&self, prefix: &Path, conf: &Path, cpus: Option<&str>) -> Result<Server, String> {
        let log = prefix.join("logs/server-output.log");
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = self
            .base_command(prefix, conf, cpus)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.path.display()))?;
        Ok(Server {
            child: Some(child),
            output_log: log,
            error_log: prefix.join("logs/error.log"),
        })
    }
}

/// A running server; stopped on drop if not stopped before.
pub struct Server {
    child: Option<Child>,
    output_log: PathBuf,
    error_log: PathBuf,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Whether the master process has exited.
    pub fn exited(&mut self) -> bool {
        match self.child.as_mut() {
            Some(c) => !matches!(c.try_wait(), Ok(None)),
            None => true,
        }
    }

    /// The last lines the server wrote to stderr and its error log, for error messages.
    pub fn diagnostics(&self) -> String {
        let mut s = String::new();
        for p in [&self.output_log, &self.error_log] {
            if let Ok(text) = std::fs::read_to_string(p) {
                let lines: Vec<&str> = text.lines().collect();
                for l in &lines[lines.len().saturating_sub(3)..] {
                    s.push_str(l.trim());
                    s.push(' ');
                }
            }
        }
        s.trim().to_string()
    }

    /// Waits until `addr` accepts TCP connections and `workers` workers exist.
    pub fn wait_ready(
        &mut self,
        addr: SocketAddr,
        workers: usize,
        timeout: Duration,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.exited() {
                return Err(format!("exited at startup: {}", self.diagnostics()));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!("did not answer on {addr} within {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // The master binds before it forks, so the port can answer before the workers exist;
        // idle memory is only meaningful once they do.
        while self.workers().len() < workers && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// Current worker pids (children of the master).
    pub fn workers(&self) -> Vec<u32> {
        procfs::children(self.pid())
    }

    /// Sum of the workers' resident memory, KiB.
    pub fn workers_rss_kib(&self) -> u64 {
        self.workers().into_iter().filter_map(procfs::rss_kib).sum()
    }

    /// utime + stime of the master and its workers, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        let ticks: u64 = std::iter::once(self.pid())
            .chain(self.workers())
            .filter_map(procfs::stat)
            .map(|s| s.utime + s.stime)
            .sum();
        ticks as f64 / procfs::clock_ticks_per_sec()
    }

    /// Graceful stop: QUIT, then KILL if the master has not exited after `grace`.
    pub fn stop(&mut self, grace: Duration) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if matches!(child.try_wait(), Ok(None)) {
            signal(child.id(), libc::SIGQUIT);
            let deadline = Instant::now() + grace;
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(25));
            }
            if matches!(child.try_wait(), Ok(None)) {
                eprintln!(
                    "  server pid {} ignored QUIT for {grace:?}; killing it",
                    child.id()
                );
                // Workers first, while they are still provably the master's children: once
                // the master is gone they are re-parented and no longer identifiable as ours.
                for w in procfs::children(child.id()) {
                    signal(w, libc::SIGKILL);
                }
                let _ = child.kill();
            }
        }
        let _ = child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(5));
    }
}

pub fn signal(pid: u32, sig: libc::c_int) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    if pid > 0 {
        // SAFETY: kill(2) on a pid we spawned; a stale pid only yields ESRCH.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::prefix::TempDir;
    use std::os::unix::fs::PermissionsExt;

    /// A fake server: a shell script that ignores QUIT and then becomes `sleep`.
    fn stubborn_server(dir: &Path) -> Binary {
        let script = dir.join("server");
        std::fs::write(&script, "#!/bin/sh\ntrap '' QUIT\nexec sleep 30\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        Binary {
            kind: Kind::Rginx,
            path: script,
        }
    }

    #[test]
    fn stop_kills_a_server_that_ignores_quit() {
        let dir = TempDir::new("stubborn").unwrap();
        std::fs::create_dir_all(dir.path().join("logs")).unwrap();
        let bin = stubborn_server(dir.path());
        let mut server = bin
            .start(dir.path(), &dir.path().join("nginx.conf"), None)
            .unwrap();
        let pid = server.pid();
        std::thread::sleep(Duration::from_millis(200));
        assert!(!server.exited());
        let start = Instant::now();
        server.stop(Duration::from_millis(500));
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(500),
            "QUIT was not ignored? {took:?}"
        );
        assert!(took < Duration::from_secs(5), "{took:?}");
        assert!(procfs::stat(pid).is_none(), "pid {pid} still exists");
    }

    #[test]
    fn command_line_is_nginx_style_and_pinned() {
        let bin = Binary {
            kind: Kind::Nginx,
            path: "/usr/sbin/nginx".into(),
        };
        let cmd = bin.base_command(
            Path::new("/tmp/p"),
            Path::new("/tmp/p/nginx.conf"),
            Some("0"),
        );
        let args: Vec<_> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(cmd.get_program(), "taskset");
        assert_eq!(
            args,
            [
                "-c",
                "0",
                "/usr/sbin/nginx",
                "-p",
                "/tmp/p/",
                "-c",
                "/tmp/p/nginx.conf",
                "-e",
                "/tmp/p/logs/error.log"
            ]
        );
    }
}
