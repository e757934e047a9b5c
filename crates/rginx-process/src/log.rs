//! The master's error logs: every `error_log` of the main context, each with
//! its level, written in nginx's line format. While rginx is starting, the
//! serious lines are also echoed to the terminal as `rginx: [emerg] ...`,
//! exactly when nginx echoes them (`ngx_use_stderr`).

use rginx_conf::error::os_error_suffix;
use rginx_http::core_main::{ErrorLog as LogConf, LogDestination, LogLevel};
use rginx_http::error_log::ErrorLog;
use std::io::Write;
use std::os::fd::AsFd;

/// One opened `error_log`.
struct Target {
    log: ErrorLog,
    level: LogLevel,
}

/// The set of error logs the master writes to.
pub struct LogSet {
    targets: Vec<Target>,
    /// Echo `[warn]` and worse to stderr (only until rginx is running).
    pub echo: bool,
}

impl LogSet {
    /// A single log at `level`: the log named by `-e` (or the compiled-in
    /// default), used until the configuration's own logs are open.
    pub fn single(log: ErrorLog, level: LogLevel) -> LogSet {
        LogSet {
            targets: vec![Target { log, level }],
            echo: true,
        }
    }

    /// Opens the configuration's `error_log`s; `Err` is nginx's message
    /// for the first one that cannot be opened.
    pub fn open(confs: &[LogConf]) -> Result<LogSet, String> {
        let mut targets = Vec::new();
        for conf in confs {
            let log = match &conf.destination {
                LogDestination::Stderr => ErrorLog::stderr(),
                LogDestination::File(path) => ErrorLog::open(Some(path)).map_err(|err| {
                    format!(
                        "open() \"{}\" failed {}",
                        path.display(),
                        os_error_suffix(&err)
                    )
                })?,
            };
            targets.push(Target {
                log,
                level: conf.level,
            });
        }
        if targets.is_empty() {
            targets.push(Target {
                log: ErrorLog::stderr(),
                level: LogLevel::Error,
            });
        }
        Ok(LogSet {
            targets,
            echo: true,
        })
    }

    /// Writes `message` to every log whose level admits it, as nginx's
    /// `ngx_log_error_core`; echoes it to stderr while starting, unless a
    /// log already is stderr.
    pub fn log(&mut self, level: LogLevel, message: &str) {
        let mut wrote_stderr = false;
        for target in &mut self.targets {
            if level <= target.level {
                target.log.write(level.name(), message);
                wrote_stderr |= target.log.is_stderr();
            }
        }
        if self.echo && level <= LogLevel::Warn && !wrote_stderr {
            let _ = writeln!(std::io::stderr(), "rginx: [{}] {message}", level.name());
        }
    }

    pub fn notice(&mut self, message: &str) {
        self.log(LogLevel::Notice, message);
    }

    pub fn alert(&mut self, message: &str) {
        self.log(LogLevel::Alert, message);
    }

    pub fn emerg(&mut self, message: &str) {
        self.log(LogLevel::Emerg, message);
    }

    /// Whether some `error_log` is `stderr` (nginx's `log_use_stderr`).
    fn uses_stderr(&self) -> bool {
        self.targets.iter().any(|t| t.log.is_stderr())
    }

    /// nginx's `ngx_log_redirect_stderr`: once running, the process's own
    /// stderr (panics, stray messages of workers) goes to the first log
    /// file, unless the configuration logs to stderr.
    pub fn redirect_stderr(&mut self) {
        if self.uses_stderr() {
            return;
        }
        let Some(file) = self.targets.iter().find_map(|t| t.log.file()) else {
            return;
        };
        if let Err(err) = nix::unistd::dup2_stderr(file.as_fd()) {
            let message = format!("dup2(STDERR) failed {}", os_error_suffix(&err.into()));
            self.alert(&message);
        }
    }

    /// Gives the log files to the worker user (uid only, as nginx's
    /// `ngx_reopen_files`), so that workers, which open their own logs after
    /// dropping privileges, can write to them.
    pub fn chown(&mut self, uid: Option<u32>) {
        let Some(uid) = uid else { return };
        let mut failures = Vec::new();
        for target in &self.targets {
            let (Some(file), Some(path)) = (target.log.file(), target.log.path()) else {
                continue;
            };
            let owner = file
                .metadata()
                .map(|m| std::os::unix::fs::MetadataExt::uid(&m));
            if owner.is_ok_and(|owner| owner == uid) {
                continue;
            }
            let uid = nix::unistd::Uid::from_raw(uid);
            if let Err(err) = nix::unistd::fchown(file.as_fd(), Some(uid), None) {
                failures.push(format!(
                    "chown(\"{}\", {uid}) failed {}",
                    path.display(),
                    os_error_suffix(&err.into())
                ));
            }
        }
        for failure in failures {
            self.emerg(&failure);
        }
    }

    /// USR1: reopens every log file in place (nginx's `ngx_reopen_files`),
    /// hands it to the worker user and points stderr at the new file.
    pub fn reopen(&mut self, uid: Option<u32>) {
        let mut failures = Vec::new();
        for target in &mut self.targets {
            if let Err(err) = target.log.reopen() {
                let path = target.log.path().map(|p| p.display().to_string());
                failures.push(format!(
                    "open() \"{}\" failed {}",
                    path.unwrap_or_default(),
                    os_error_suffix(&err)
                ));
            }
        }
        for failure in failures {
            self.emerg(&failure);
        }
        self.chown(uid);
        self.redirect_stderr();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rginx-logset-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn levels_filter_per_log() {
        let dir = temp_dir("levels");
        let (a, b) = (dir.join("a.log"), dir.join("b.log"));
        let mut logs = LogSet::open(&[
            LogConf {
                destination: LogDestination::File(a.clone()),
                level: LogLevel::Notice,
            },
            LogConf {
                destination: LogDestination::File(b.clone()),
                level: LogLevel::Error,
            },
        ])
        .unwrap();
        logs.echo = false;
        logs.notice("start worker processes");
        logs.alert("worker process 7 exited on signal 9");
        let a = std::fs::read_to_string(a).unwrap();
        let b = std::fs::read_to_string(b).unwrap();
        assert!(a.contains("[notice]") && a.contains("[alert]"));
        assert!(!b.contains("[notice]") && b.contains("[alert]"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn open_failure_is_nginxs_message() {
        let dir = temp_dir("missing");
        let path = dir.join("no/such/dir/error.log");
        let Err(message) = LogSet::open(&[LogConf {
            destination: LogDestination::File(path.clone()),
            level: LogLevel::Error,
        }]) else {
            panic!("opened a log in a missing directory");
        };
        assert_eq!(
            message,
            format!(
                "open() \"{}\" failed (2: No such file or directory)",
                path.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
