//! Connection and request counters shared by every worker (nginx's
//! `ngx_stat_*`), for `stub_status` and `$connections_*`. The master maps
//! them into shared memory before it forks, so all workers count into the
//! same place and the figures survive reloads, as nginx's do.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The counters.
#[derive(Debug, Default)]
pub struct Stats {
    pub accepted: AtomicU64,
    pub handled: AtomicU64,
    pub active: AtomicU64,
    pub requests: AtomicU64,
    /// Connections reading a request head.
    pub reading: AtomicU64,
    /// Requests being processed or sent.
    pub writing: AtomicU64,
}

static STATS: OnceLock<&'static Stats> = OnceLock::new();

/// Maps the counters into memory shared with every process forked after
/// this call. Called once by the master, before the first fork; a process
/// that never calls it (tests, `master_process off`) counts alone.
pub fn init_shared() -> std::io::Result<()> {
    if STATS.get().is_some() {
        return Ok(());
    }
    let length = std::num::NonZeroUsize::new(std::mem::size_of::<Stats>())
        .ok_or_else(|| std::io::Error::other("empty counters"))?;
    // SAFETY: an anonymous shared mapping of the size of `Stats`, readable
    // and writable, placed by the kernel; it is never unmapped, so the
    // `'static` reference below stays valid for the life of the process
    // and of every child forked from it.
    let mapping = unsafe {
        nix::sys::mman::mmap_anonymous(
            None,
            length,
            nix::sys::mman::ProtFlags::PROT_READ | nix::sys::mman::ProtFlags::PROT_WRITE,
            nix::sys::mman::MapFlags::MAP_SHARED,
        )
    }
    .map_err(std::io::Error::from)?;
    let pointer = mapping.cast::<Stats>().as_ptr();
    // SAFETY: the mapping is page-aligned (so aligned for `Stats`), large
    // enough, zero-filled by the kernel (a valid all-zero `Stats`: atomics
    // of zero), and shared only through atomics from here on.
    let stats: &'static Stats = unsafe {
        pointer.write(Stats::default());
        &*pointer
    };
    let _ = STATS.set(stats);
    Ok(())
}

/// The counters of this process tree.
pub fn get() -> &'static Stats {
    STATS.get_or_init(|| Box::leak(Box::default()))
}

impl Stats {
    pub fn connection_opened(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
        self.handled.fetch_add(1, Ordering::Relaxed);
        self.active.fetch_add(1, Ordering::Relaxed);
    }

    pub fn connection_closed(&self) {
        self.active.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn request_started(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.writing.fetch_add(1, Ordering::Relaxed);
    }

    pub fn request_done(&self) {
        self.writing.fetch_sub(1, Ordering::Relaxed);
    }

    /// (active, reading, writing, waiting) as nginx reports them.
    pub fn connections(&self) -> (u64, u64, u64, u64) {
        let active = self.active.load(Ordering::Relaxed);
        let reading = self.reading.load(Ordering::Relaxed);
        let writing = self.writing.load(Ordering::Relaxed);
        let waiting = active.saturating_sub(reading).saturating_sub(writing);
        (active, reading, writing, waiting)
    }

    /// The `stub_status` page.
    pub fn page(&self) -> String {
        let (active, reading, writing, waiting) = self.connections();
        format!(
            "Active connections: {active} \nserver accepts handled requests\n {} {} {} \n\
             Reading: {reading} Writing: {writing} Waiting: {waiting} \n",
            self.accepted.load(Ordering::Relaxed),
            self.handled.load(Ordering::Relaxed),
            self.requests.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_has_nginxs_shape() {
        let stats = Stats::default();
        stats.connection_opened();
        stats.connection_opened();
        stats.request_started();
        assert_eq!(
            stats.page(),
            "Active connections: 2 \nserver accepts handled requests\n 2 2 1 \nReading: 0 Writing: 1 Waiting: 1 \n"
        );
    }

    #[test]
    fn a_forked_child_counts_into_the_parents_counters() {
        init_shared().unwrap();
        let before = get().requests.load(Ordering::Relaxed);
        // SAFETY: the child only does an atomic add and _exit, both safe
        // after fork in a multi-threaded process.
        match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => {
                get().requests.fetch_add(1, Ordering::Relaxed);
                // SAFETY: _exit ends the child at once, without running
                // the parent's atexit handlers or destructors.
                unsafe { nix::libc::_exit(0) };
            }
            nix::unistd::ForkResult::Parent { child } => {
                nix::sys::wait::waitpid(child, None).unwrap();
            }
        }
        assert_eq!(get().requests.load(Ordering::Relaxed), before + 1);
    }
}
