//! Log files as nginx keeps them (`ngx_open_file_t`): one object per path,
//! shared by every `access_log` (and `error_log`) naming it, opened for
//! appending (created 0644), with the optional `buffer=`/`flush=`/`gzip`
//! buffer that belongs to the file, not to one directive.
//!
//! A worker opens a file on its first write, or inherits it open from the
//! master ([`LogFile::open`]). Nothing written is lost: a buffer is written
//! out when the next line would not fit, `flush=` after its first line, before
//! a reopen, and when the worker's event loop ends (see [`spawn_flusher`]).

use rginx_conf::error::os_error_suffix;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

/// `buffer=`, `flush=`, `gzip[=level]` of a buffered file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferSpec {
    pub size: usize,
    pub flush: Option<Duration>,
    /// 0: plain; 1-9: each written buffer is one gzip member.
    pub gzip: u32,
}

/// An open log file and its pending buffer.
pub struct LogFile {
    pub path: PathBuf,
    /// Set while compiling, at most once (nginx's `file->data`).
    buffer: OnceLock<BufferSpec>,
    state: Mutex<FileState>,
}

#[derive(Default)]
struct FileState {
    file: Option<File>,
    pending: Vec<u8>,
    /// When the pending buffer must be written (`flush=`).
    deadline: Option<Instant>,
    /// Write errors are reported at most once a minute, as nginx does.
    last_error_report: Option<Instant>,
}

impl std::fmt::Debug for LogFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogFile")
            .field("path", &self.path)
            .field("buffer", &self.buffer.get())
            .finish()
    }
}

/// Every log file this process knows, for reopen and the final flush.
fn registry() -> &'static Mutex<Vec<Weak<LogFile>>> {
    static FILES: OnceLock<Mutex<Vec<Weak<LogFile>>>> = OnceLock::new();
    FILES.get_or_init(|| Mutex::new(Vec::new()))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while writing a log line leaves nothing half-updated that
    // matters more than the next line, so a poisoned lock is still used.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Every live log file.
pub fn all_files() -> Vec<Arc<LogFile>> {
    let mut files = lock(registry());
    files.retain(|weak| weak.strong_count() > 0);
    files.iter().filter_map(Weak::upgrade).collect()
}

impl LogFile {
    pub fn new(path: PathBuf) -> Arc<LogFile> {
        let file = Arc::new(LogFile {
            path,
            buffer: OnceLock::new(),
            state: Mutex::new(FileState::default()),
        });
        lock(registry()).push(Arc::downgrade(&file));
        file
    }

    pub fn buffer(&self) -> Option<BufferSpec> {
        self.buffer.get().copied()
    }

    /// Gives the file its buffer; `false` if it has a different one already
    /// (nginx's "already defined with conflicting parameters").
    pub fn set_buffer(&self, spec: BufferSpec) -> bool {
        *self.buffer.get_or_init(|| spec) == spec
    }

    /// Opens the file now (master start, `-t`, worker start); `Err` is
    /// nginx's `open() "PATH" failed (N: text)`.
    pub fn open(&self) -> Result<(), String> {
        let mut state = lock(&self.state);
        if state.file.is_none() {
            state.file = Some(self.open_file()?);
        }
        Ok(())
    }

    fn open_file(&self) -> Result<File, String> {
        open_append(&self.path).map_err(|err| {
            format!(
                "open() \"{}\" failed {}",
                self.path.display(),
                os_error_suffix(&err)
            )
        })
    }

    /// Writes one line, through the buffer if the file has one. `Err` is a
    /// message for the error log (already limited to one a minute).
    pub fn write_line(&self, line: &[u8]) -> Result<(), String> {
        let Some(spec) = self.buffer() else {
            let mut state = lock(&self.state);
            return self.write_now(&mut state, line, 0);
        };
        let mut state = lock(&self.state);
        let mut result = Ok(());
        if state.pending.len() + line.len() > spec.size {
            result = self.flush_locked(&mut state, spec.gzip);
        }
        if line.len() <= spec.size {
            if state.pending.is_empty()
                && let Some(flush) = spec.flush
            {
                state.deadline = Some(Instant::now() + flush);
                wake_flusher();
            }
            state.pending.extend_from_slice(line);
            spawn_flusher();
            return result;
        }
        // A line longer than the whole buffer goes out on its own.
        state.deadline = None;
        let written = self.write_now(&mut state, line, spec.gzip);
        result.and(written)
    }

    /// Writes directly, bypassing any buffer (error log lines).
    pub fn write_direct(&self, line: &[u8]) -> Result<(), String> {
        let mut state = lock(&self.state);
        self.write_now(&mut state, line, 0)
    }

    /// Writes out the pending buffer.
    pub fn flush(&self) -> Result<(), String> {
        let gzip = self.buffer().map_or(0, |spec| spec.gzip);
        let mut state = lock(&self.state);
        self.flush_locked(&mut state, gzip)
    }

    fn flush_locked(&self, state: &mut FileState, gzip: u32) -> Result<(), String> {
        state.deadline = None;
        if state.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut state.pending);
        let result = self.write_now(state, &pending, gzip);
        // Keep the allocation for the next lines.
        state.pending = pending;
        state.pending.clear();
        result
    }

    fn write_now(&self, state: &mut FileState, bytes: &[u8], gzip: u32) -> Result<(), String> {
        let compressed;
        let bytes = if gzip > 0 {
            compressed = super::gzip::member(bytes, gzip);
            &compressed[..]
        } else {
            bytes
        };
        if state.file.is_none() {
            match self.open_file() {
                Ok(file) => state.file = Some(file),
                Err(message) => return Err(rate_limited(state, message)),
            }
        }
        let Some(file) = state.file.as_mut() else {
            return Ok(());
        };
        // One write() per line or buffer, as nginx: O_APPEND keeps lines
        // of several workers whole.
        match file.write(bytes) {
            Ok(n) if n == bytes.len() => Ok(()),
            Ok(n) => {
                let message = format!(
                    "write() to \"{}\" was incomplete: {n} of {}",
                    self.path.display(),
                    bytes.len()
                );
                Err(rate_limited(state, message))
            }
            Err(err) => {
                let message = format!(
                    "write() to \"{}\" failed {}",
                    self.path.display(),
                    os_error_suffix(&err)
                );
                Err(rate_limited(state, message))
            }
        }
    }

    /// USR1: writes out the buffer, then opens the path again so that
    /// after a rename later lines land in a new file. On failure the old
    /// descriptor stays in use, as nginx keeps it.
    pub fn reopen(&self, owner: Option<u32>) -> Result<(), String> {
        let gzip = self.buffer().map_or(0, |spec| spec.gzip);
        let mut state = lock(&self.state);
        let flushed = self.flush_locked(&mut state, gzip);
        let file = self.open_file()?;
        if let Some(uid) = owner {
            chown_to(&file, &self.path, uid)?;
        }
        state.file = Some(file);
        flushed
    }

    fn next_deadline(&self) -> Option<Instant> {
        lock(&self.state).deadline
    }

    /// Writes the buffer out if its `flush=` time has come.
    fn flush_if_due(&self, now: Instant) {
        let gzip = self.buffer().map_or(0, |spec| spec.gzip);
        let mut state = lock(&self.state);
        if state.deadline.is_some_and(|deadline| deadline <= now) {
            let _ = self.flush_locked(&mut state, gzip);
        }
    }
}

/// Passes `message` on unless one was reported less than a minute ago
/// (then the caller gets an empty message and logs nothing).
fn rate_limited(state: &mut FileState, message: String) -> String {
    let now = Instant::now();
    if state
        .last_error_report
        .is_some_and(|last| now.duration_since(last) < Duration::from_secs(60))
    {
        return String::new();
    }
    state.last_error_report = Some(now);
    message
}

/// Opens a log file for appending, created `0644` whatever the umask.
pub fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(path)
}

/// nginx's `ngx_reopen_files` in the master: the new file belongs to the
/// worker user, so that workers (no longer root) can reopen it too.
fn chown_to(file: &File, path: &Path, uid: u32) -> Result<(), String> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    if file.metadata().is_ok_and(|m| m.uid() == uid) {
        return Ok(());
    }
    nix::unistd::fchown(file.as_fd(), Some(nix::unistd::Uid::from_raw(uid)), None).map_err(|err| {
        format!(
            "chown(\"{}\", {uid}) failed {}",
            path.display(),
            os_error_suffix(&err.into())
        )
    })
}

/// Writes out every pending buffer of this process.
pub fn flush_all() {
    for file in all_files() {
        let _ = file.flush();
    }
}

fn notify() -> &'static tokio::sync::Notify {
    static NOTIFY: OnceLock<tokio::sync::Notify> = OnceLock::new();
    NOTIFY.get_or_init(tokio::sync::Notify::new)
}

fn wake_flusher() {
    notify().notify_waiters();
}

thread_local! {
    /// Whether this thread's runtime (a worker's event loop is one
    /// current-thread runtime) runs a flusher already.
    static FLUSHER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Flushes every buffer when dropped: the flusher task holds one, and a
/// worker's runtime drops its tasks when the worker exits (QUIT or TERM),
/// so buffered lines reach the disk then.
struct FlushOnDrop;

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        flush_all();
        FLUSHER.with(|spawned| spawned.set(false));
    }
}

/// Starts the task that writes buffers out on their `flush=` time, once per
/// runtime, the first time a line is buffered.
fn spawn_flusher() {
    if FLUSHER.with(std::cell::Cell::get) {
        return;
    }
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return;
    };
    FLUSHER.with(|spawned| spawned.set(true));
    handle.spawn(async {
        let _guard = FlushOnDrop;
        loop {
            let notified = notify().notified();
            tokio::pin!(notified);
            // Registered before looking, so that a deadline set meanwhile
            // wakes this loop.
            notified.as_mut().enable();
            let next = all_files().iter().filter_map(|f| f.next_deadline()).min();
            match next {
                Some(deadline) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(deadline.into()) => {}
                        _ = &mut notified => {}
                    }
                }
                None => notified.await,
            }
            let now = Instant::now();
            for file in all_files() {
                file.flush_if_due(now);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tests that look at pending buffers run one at a time: the exit test
    /// flushes every buffer of the process.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rginx-logfile-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn unbuffered_lines_are_written_at_once() {
        let dir = temp_dir("plain");
        let file = LogFile::new(dir.join("a.log"));
        file.write_line(b"one\n").unwrap();
        file.write_line(b"two\n").unwrap();
        assert_eq!(std::fs::read(dir.join("a.log")).unwrap(), b"one\ntwo\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn buffer_is_written_when_full_and_on_flush() {
        let _serial = lock(&SERIAL);
        let dir = temp_dir("buffer");
        let path = dir.join("a.log");
        let file = LogFile::new(path.clone());
        assert!(file.set_buffer(BufferSpec {
            size: 10,
            flush: None,
            gzip: 0
        }));
        file.write_line(b"1234\n").unwrap();
        file.write_line(b"5678\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"");
        // Does not fit: the buffer goes out, the line waits.
        file.write_line(b"abc\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"1234\n5678\n");
        // Longer than the buffer: pending first, then the line itself.
        file.write_line(b"0123456789abc\n").unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"1234\n5678\nabc\n0123456789abc\n"
        );
        file.write_line(b"end\n").unwrap();
        file.flush().unwrap();
        assert!(std::fs::read(&path).unwrap().ends_with(b"abc\nend\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn buffers_are_written_when_the_event_loop_ends() {
        let _serial = lock(&SERIAL);
        let dir = temp_dir("exit");
        let path = dir.join("a.log");
        let file = LogFile::new(path.clone());
        file.set_buffer(BufferSpec {
            size: 4096,
            flush: None,
            gzip: 0,
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            file.write_line(b"pending\n").unwrap();
            // Let the flusher start.
            tokio::task::yield_now().await;
        });
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"");
        // A worker's exit drops its runtime, and with it the flusher.
        drop(runtime);
        assert_eq!(std::fs::read(&path).unwrap(), b"pending\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn conflicting_buffers_are_refused() {
        let file = LogFile::new(PathBuf::from("/nonexistent/x.log"));
        let spec = BufferSpec {
            size: 1024,
            flush: None,
            gzip: 0,
        };
        assert!(file.set_buffer(spec));
        assert!(file.set_buffer(spec));
        assert!(!file.set_buffer(BufferSpec { size: 2048, ..spec }));
    }

    #[test]
    fn failures_are_nginxs_messages_once_a_minute() {
        let file = LogFile::new(PathBuf::from("/nonexistent-dir/x.log"));
        assert_eq!(
            file.write_line(b"x\n").unwrap_err(),
            "open() \"/nonexistent-dir/x.log\" failed (2: No such file or directory)"
        );
        assert_eq!(file.write_line(b"x\n").unwrap_err(), "");
        assert!(file.open().is_err());
    }

    #[test]
    fn reopen_follows_a_rename_and_flushes_first() {
        let _serial = lock(&SERIAL);
        let dir = temp_dir("reopen");
        let (path, rotated) = (dir.join("a.log"), dir.join("a.log.1"));
        let file = LogFile::new(path.clone());
        file.set_buffer(BufferSpec {
            size: 4096,
            flush: None,
            gzip: 0,
        });
        file.write_line(b"before\n").unwrap();
        file.open().unwrap();
        file.write_line(b"old\n").unwrap();
        std::fs::rename(&path, &rotated).unwrap();
        file.reopen(None).unwrap();
        file.write_line(b"new\n").unwrap();
        file.flush().unwrap();
        assert_eq!(std::fs::read(&rotated).unwrap(), b"before\nold\n");
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
