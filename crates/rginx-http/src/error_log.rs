//! The error log in nginx's line format:
//! `YYYY/MM/DD HH:MM:SS [level] PID#TID: message`, so existing log tooling
//! (fail2ban filters, logwatch, grep habits) keeps working.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// An open error log file (or stderr).
#[derive(Debug)]
pub struct ErrorLog {
    path: Option<PathBuf>,
    file: Option<File>,
}

impl ErrorLog {
    /// Opens `path` for appending (created 0644 as nginx does); `None` or
    /// `stderr` means standard error.
    pub fn open(path: Option<&Path>) -> io::Result<ErrorLog> {
        let Some(path) = path.filter(|p| *p != Path::new("stderr")) else {
            return Ok(ErrorLog::stderr());
        };
        let file = open_append(path)?;
        Ok(ErrorLog {
            path: Some(path.to_path_buf()),
            file: Some(file),
        })
    }

    pub fn stderr() -> ErrorLog {
        ErrorLog {
            path: None,
            file: None,
        }
    }

    /// Whether this log is standard error (nginx then skips its own
    /// `nginx: [level]` echo to the terminal).
    pub fn is_stderr(&self) -> bool {
        self.file.is_none()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The open file, `None` for stderr (the master points its own stderr
    /// at it and hands its ownership to the worker user).
    pub fn file(&self) -> Option<&File> {
        self.file.as_ref()
    }

    /// USR1: opens the path again, so that after `mv error.log
    /// error.log.1` later lines land in a new `error.log`. On failure the
    /// old file stays in use (nginx keeps the old descriptor too).
    pub fn reopen(&mut self) -> io::Result<()> {
        if let Some(path) = &self.path {
            self.file = Some(open_append(path)?);
        }
        Ok(())
    }

    /// Writes one line; a failed write is not worth dying for.
    pub fn write(&mut self, level: &str, message: &str) {
        let line = format_line(level, message, std::process::id());
        match &mut self.file {
            Some(file) => {
                let _ = file.write_all(line.as_bytes());
            }
            None => {
                let _ = io::stderr().write_all(line.as_bytes());
            }
        }
    }
}

/// Opens a log file for appending, created `0644` whatever the umask (the
/// daemon runs with umask 0, as nginx's does, so the mode must be explicit).
fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(path)
}

/// One line in nginx's format; nginx prints the thread id after `#`, which
/// for a single-threaded process is the pid.
pub fn format_line(level: &str, message: &str, pid: u32) -> String {
    let now = chrono::Local::now();
    format!(
        "{} [{level}] {pid}#{pid}: {message}\n",
        now.format("%Y/%m/%d %H:%M:%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_format_is_nginxs() {
        let line = format_line("emerg", "unknown directive \"x\" in /a:1", 42);
        let (stamp, rest) = line.split_at(19);
        assert_eq!(rest, " [emerg] 42#42: unknown directive \"x\" in /a:1\n");
        let bytes = stamp.as_bytes();
        assert_eq!(
            (bytes[4], bytes[7], bytes[10], bytes[13], bytes[16]),
            (b'/', b'/', b' ', b':', b':')
        );
    }

    #[test]
    fn appends_to_the_file() {
        let dir = std::env::temp_dir().join(format!("rginx-errlog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("error.log");
        let mut log = ErrorLog::open(Some(&path)).unwrap();
        log.write("warn", "one");
        log.write("emerg", "two");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.lines().count() == 2 && text.contains("[warn]") && text.ends_with("two\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reopen_follows_a_rename() {
        let dir = std::env::temp_dir().join(format!("rginx-errlog-reopen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("error.log");
        let rotated = dir.join("error.log.1");
        let mut log = ErrorLog::open(Some(&path)).unwrap();
        log.write("notice", "before");
        std::fs::rename(&path, &rotated).unwrap();
        log.write("notice", "still old");
        log.reopen().unwrap();
        log.write("notice", "after");
        let old = std::fs::read_to_string(&rotated).unwrap();
        let new = std::fs::read_to_string(&path).unwrap();
        assert!(old.contains("before") && old.contains("still old") && !old.contains("after"));
        assert!(new.contains("after") && new.lines().count() == 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
