//! The pid file: written by the master once its sockets are bound, removed
//! when it exits, and read by `rginx -s SIGNAL` (nginx's
//! `ngx_create_pidfile`, `ngx_delete_pidfile`, `ngx_signal_process`).

use rginx_conf::error::os_error_suffix;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Writes `pid` and a newline; `Err` is nginx's `[emerg]` text.
pub fn write(path: &Path, pid: u32) -> Result<(), String> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .open(path)
        .map_err(|err| {
            format!(
                "open() \"{}\" failed {}",
                path.display(),
                os_error_suffix(&err)
            )
        })?;
    file.write_all(format!("{pid}\n").as_bytes())
        .map_err(|err| {
            format!(
                "write() to \"{}\" failed {}",
                path.display(),
                os_error_suffix(&err)
            )
        })
}

/// Removes the pid file; `Err` is nginx's `[alert]` text.
pub fn delete(path: &Path) -> Result<(), String> {
    std::fs::remove_file(path).map_err(|err| {
        format!(
            "unlink() \"{}\" failed {}",
            path.display(),
            os_error_suffix(&err)
        )
    })
}

/// Why the pid file did not give a pid: nginx logs these at `[error]`
/// (`Open`, `Invalid`) or `[crit]` (`Read`).
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    Open(String),
    Read(String),
    Invalid(String),
}

/// nginx reads at most this much (NGX_INT64_LEN + 2).
const MAX_READ: usize = 22;

/// Reads the master's pid as nginx does: the first bytes, trailing CR/LF
/// dropped, digits only.
pub fn read(path: &Path) -> Result<i32, ReadError> {
    let file = std::fs::File::open(path).map_err(|err| {
        ReadError::Open(format!(
            "open() \"{}\" failed {}",
            path.display(),
            os_error_suffix(&err)
        ))
    })?;
    let mut buf = Vec::with_capacity(MAX_READ);
    file.take(MAX_READ as u64)
        .read_to_end(&mut buf)
        .map_err(|err| {
            ReadError::Read(format!(
                "pread() \"{}\" failed {}",
                path.display(),
                os_error_suffix(&err)
            ))
        })?;
    while buf.last().is_some_and(|b| *b == b'\r' || *b == b'\n') {
        buf.pop();
    }
    parse_pid(&buf).ok_or_else(|| {
        ReadError::Invalid(format!(
            "invalid PID number \"{}\" in \"{}\"",
            String::from_utf8_lossy(&buf),
            path.display()
        ))
    })
}

/// nginx's `ngx_atoi` for a pid. Unlike nginx, 0 is refused too: kill(0)
/// would signal the caller's whole process group.
fn parse_pid(text: &[u8]) -> Option<i32> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(text)
        .ok()?
        .parse::<i32>()
        .ok()
        .filter(|pid| *pid > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rginx-pid-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("nginx.pid");
        std::fs::write(&path, contents).unwrap();
        path
    }

    #[test]
    fn round_trip() {
        let path = temp_file("round", b"");
        write(&path, 4321).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"4321\n");
        assert_eq!(read(&path), Ok(4321));
        delete(&path).unwrap();
        assert!(!path.exists());
        assert!(
            delete(&path)
                .unwrap_err()
                .contains("(2: No such file or directory)")
        );
    }

    #[test]
    fn nginx_messages_for_bad_files() {
        let path = temp_file("bad", b"garbage\n");
        assert_eq!(
            read(&path),
            Err(ReadError::Invalid(format!(
                "invalid PID number \"garbage\" in \"{}\"",
                path.display()
            )))
        );
        std::fs::write(&path, b"").unwrap();
        assert!(
            matches!(read(&path), Err(ReadError::Invalid(m)) if m.starts_with("invalid PID number \"\" in"))
        );
        std::fs::write(&path, b"12\r\n").unwrap();
        assert_eq!(read(&path), Ok(12));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            read(&path),
            Err(ReadError::Open(format!(
                "open() \"{}\" failed (2: No such file or directory)",
                path.display()
            )))
        );
    }
}
