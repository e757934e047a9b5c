//! `access_log` paths with variables (`access_log logs/$host.log`): the
//! path is made per request. Without `open_log_file_cache` the file is
//! opened, written and closed each time, as nginx does; with it, up to
//! `max` descriptors stay open, each closed after `inactive` without use
//! and opened again after `valid` (so a rotated file is picked up).

use super::FileCache;
use super::file::open_append;
use crate::core_main::LogLevel;
use rginx_conf::error::os_error_suffix;
use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

struct Cached {
    file: File,
    opened: Instant,
    used: Instant,
}

static CACHE: Mutex<Option<HashMap<PathBuf, Cached>>> = Mutex::new(None);

/// Writes `line` to the file at `path`. `Err` is a level and message for
/// the request's error log.
pub fn write(path: &Path, line: &[u8], cache: Option<FileCache>) -> Result<(), (LogLevel, String)> {
    let open_failed = |err: std::io::Error| {
        (
            LogLevel::Crit,
            format!(
                "open() \"{}\" failed {}",
                path.display(),
                os_error_suffix(&err)
            ),
        )
    };
    let Some(conf) = cache else {
        let mut file = open_append(path).map_err(open_failed)?;
        return write_once(&mut file, path, line);
    };
    let mut guard = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let entries = guard.get_or_insert_with(HashMap::new);
    let now = Instant::now();
    entries.retain(|_, entry| now.duration_since(entry.used) < conf.inactive);
    let fresh = entries
        .get(path)
        .is_some_and(|entry| now.duration_since(entry.opened) < conf.valid);
    if !fresh {
        entries.remove(path);
        let file = open_append(path).map_err(open_failed)?;
        let max = usize::try_from(conf.max).unwrap_or(usize::MAX);
        while entries.len() >= max {
            let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(path, _)| path.clone())
            else {
                break;
            };
            entries.remove(&oldest);
        }
        entries.insert(
            path.to_path_buf(),
            Cached {
                file,
                opened: now,
                used: now,
            },
        );
    }
    let Some(entry) = entries.get_mut(path) else {
        return Ok(());
    };
    entry.used = now;
    write_once(&mut entry.file, path, line)
}

fn write_once(file: &mut File, path: &Path, line: &[u8]) -> Result<(), (LogLevel, String)> {
    match file.write(line) {
        Ok(n) if n == line.len() => Ok(()),
        Ok(n) => Err((
            LogLevel::Alert,
            format!(
                "write() to \"{}\" was incomplete: {n} of {}",
                path.display(),
                line.len()
            ),
        )),
        Err(err) => Err((
            LogLevel::Alert,
            format!(
                "write() to \"{}\" failed {}",
                path.display(),
                os_error_suffix(&err)
            ),
        )),
    }
}

/// USR1: every cached descriptor is closed, later writes open the paths
/// again.
pub fn close_all() {
    let mut guard = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *guard = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn cached_files_follow_a_rename_after_valid() {
        let dir = std::env::temp_dir().join(format!("rginx-logscript-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.log");
        let cache = FileCache {
            max: 2,
            inactive: Duration::from_secs(60),
            valid: Duration::from_millis(200),
            min_uses: 1,
        };
        write(&path, b"one\n", Some(cache)).unwrap();
        std::fs::rename(&path, dir.join("a.log.1")).unwrap();
        // Within `valid` the open descriptor (the renamed file) is used.
        write(&path, b"two\n", Some(cache)).unwrap();
        std::thread::sleep(Duration::from_millis(250));
        write(&path, b"three\n", Some(cache)).unwrap();
        assert_eq!(std::fs::read(dir.join("a.log.1")).unwrap(), b"one\ntwo\n");
        assert_eq!(std::fs::read(&path).unwrap(), b"three\n");
        // Without a cache every line opens the path.
        std::fs::rename(&path, dir.join("a.log.2")).unwrap();
        write(&path, b"four\n", None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"four\n");
        let missing = dir.join("no/such/dir.log");
        let (level, message) = write(&missing, b"x\n", None).unwrap_err();
        assert_eq!(level, LogLevel::Crit);
        assert_eq!(
            message,
            format!(
                "open() \"{}\" failed (2: No such file or directory)",
                missing.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
