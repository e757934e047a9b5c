//! A worker's copy of the contents of small static files, so that serving
//! one again costs a single stat() of its path instead of nginx's open(),
//! fstat(), pread() and close().
//!
//! Why the answer is the one nginx's open-every-time gives: an entry is
//! used only when a stat() of the path, made for this request with the
//! worker's credentials and following symlinks as open() does, shows the
//! same device, inode, size, mode, mtime and ctime as the fstat() of the
//! descriptor the contents were read from. Every way a file's bytes,
//! permissions or identity change moves one of those: write(), truncate(),
//! chmod(), chown() and xattr/ACL changes update the ctime (which no
//! caller can set back), rename over it or delete and recreate gives the
//! path another inode (or no file, or a directory). The stat walks the
//! directories as open() would, so a directory made unsearchable fails it
//! and the request takes the open() path, with its errors, as before.
//!
//! Two gaps are closed here rather than assumed away:
//! - Timestamps are only as fine as the kernel's clock tick (and the file
//!   system's granularity), so a change made in the same tick as the read
//!   could leave the ctime as it was. Contents are kept only when their
//!   ctime is older than `SETTLE` before the open; any later change then
//!   gets a ctime that differs (git's "racy clean" problem and answer).
//! - Stores through a shared writable mmap() update the timestamps at the
//!   first write fault after writeback, not at every store, so a file
//!   being changed that way can be served stale until its pages are
//!   written back; nginx would read the new bytes. Serving files that are
//!   modified in place through mmap() is rare enough to accept this.
//!
//! Each worker is one thread (a current-thread runtime after the fork), so
//! the cache is a thread-local with no locking; its size is bounded in
//! entries and in bytes.

use super::body::READ_AT_ONCE;
use super::path;
use bytes::Bytes;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Entries per worker.
pub const MAX_ENTRIES: usize = 1024;
/// Bytes of contents per worker.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// How much older than the open a file's ctime must be for its contents to
/// be kept: beyond the coarsest clock tick and the one- and two-second
/// timestamps of some file systems.
pub const SETTLE: Duration = Duration::from_secs(3);

/// What a stat() says about a file's identity and version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mode: meta.mode(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Whether any change after `opened_at` must give another ctime.
    fn settled(&self, opened_at: SystemTime) -> bool {
        let Some(limit) = opened_at
            .checked_sub(SETTLE)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        else {
            return false;
        };
        let Ok(limit_secs) = i64::try_from(limit.as_secs()) else {
            return false;
        };
        self.ctime < (limit_secs, i64::from(limit.subsec_nanos()))
    }
}

struct Entry {
    stamp: Stamp,
    content: Bytes,
}

/// Contents of small regular files by path, each with the stamp of the
/// descriptor it was read from.
pub struct ContentCache {
    /// Keyed by paths of files that exist, so a fast seeded hash suffices.
    entries: HashMap<Box<[u8]>, Entry, foldhash::fast::RandomState>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl ContentCache {
    pub fn new(max_entries: usize, max_bytes: usize) -> ContentCache {
        ContentCache {
            entries: HashMap::default(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    pub fn contains(&self, path: &[u8]) -> bool {
        self.entries.contains_key(path)
    }

    /// The contents for `path` if `current` (a stat of it now; `None` when
    /// that failed) shows the file they were read from, unchanged. An entry
    /// that does not match is dropped: it can never match again.
    pub fn get(&mut self, path: &[u8], current: Option<&Stamp>) -> Option<Bytes> {
        let entry = self.entries.get(path)?;
        if current == Some(&entry.stamp) {
            return Some(entry.content.clone());
        }
        self.remove(path);
        None
    }

    /// Keeps `content`, read from a descriptor whose fstat() gave `stamp`
    /// and which was opened at `opened_at`, replacing what was kept for
    /// `path`. Contents too large, not matching the stamp's size, or of a
    /// file changed too recently to trust its ctime are not kept.
    pub fn insert(&mut self, path: &[u8], stamp: Stamp, content: Bytes, opened_at: SystemTime) {
        self.remove(path);
        let len = content.len();
        if len as u64 != stamp.size
            || stamp.size > READ_AT_ONCE
            || len > self.max_bytes
            || self.max_entries == 0
            || stamp.mode & 0o170000 != 0o100000
            || !stamp.settled(opened_at)
        {
            return;
        }
        while self.entries.len() >= self.max_entries || self.bytes + len > self.max_bytes {
            // Whichever entry the table yields first: with hashed keys
            // that is an arbitrary one, which is all the bound needs.
            let Some(victim) = self.entries.keys().next().cloned() else {
                break;
            };
            self.remove(&victim);
        }
        self.bytes += len;
        self.entries.insert(path.into(), Entry { stamp, content });
    }

    fn remove(&mut self, path: &[u8]) {
        if let Some(old) = self.entries.remove(path) {
            self.bytes -= old.content.len();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes of contents held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

thread_local! {
    static CACHE: RefCell<ContentCache> = RefCell::new(ContentCache::new(MAX_ENTRIES, MAX_BYTES));
}

/// The kept contents of the file at `path` and a fresh stat of it, if it
/// is unchanged since they were read. A path with nothing kept costs no
/// stat: the caller's open() finds out everything.
pub fn lookup(path: &[u8]) -> Option<(Bytes, Metadata)> {
    CACHE.with_borrow_mut(|cache| {
        if !cache.contains(path) {
            return None;
        }
        let meta = path::stat(path).ok();
        let content = cache.get(path, meta.as_ref().map(Stamp::of).as_ref())?;
        Some((content, meta?))
    })
}

/// Keeps the contents just read from the file at `path` (see
/// `ContentCache::insert`).
pub fn insert(path: &[u8], meta: &Metadata, content: Bytes, opened_at: SystemTime) {
    CACHE.with_borrow_mut(|cache| cache.insert(path, Stamp::of(meta), content, opened_at));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(ino: u64, size: u64, mtime: (i64, i64), ctime: (i64, i64)) -> Stamp {
        Stamp {
            dev: 1,
            ino,
            size,
            mode: 0o100644,
            mtime,
            ctime,
        }
    }

    /// Long after every stamp in these tests.
    fn later() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(2_000_000_000)
    }

    fn bytes(n: usize, fill: u8) -> Bytes {
        Bytes::from(vec![fill; n])
    }

    #[test]
    fn a_matching_stamp_is_a_hit() {
        let mut cache = ContentCache::new(8, 1024);
        let s = stamp(7, 3, (100, 5), (100, 6));
        cache.insert(b"/a", s, Bytes::from_static(b"abc"), later());
        assert_eq!(cache.get(b"/a", Some(&s)).as_deref(), Some(&b"abc"[..]));
        assert_eq!(cache.get(b"/a", Some(&s)).as_deref(), Some(&b"abc"[..]));
        assert_eq!(cache.get(b"/b", Some(&s)), None);
    }

    #[test]
    fn any_change_of_the_stamp_is_a_miss_and_drops_the_entry() {
        let base = stamp(7, 3, (100, 5), (100, 6));
        let changed = [
            Stamp { size: 4, ..base },
            Stamp { ino: 8, ..base },
            Stamp { dev: 2, ..base },
            Stamp {
                mode: 0o100600,
                ..base
            },
            Stamp {
                mtime: (101, 5),
                ..base
            },
            Stamp {
                mtime: (100, 4),
                ..base
            },
            Stamp {
                ctime: (100, 7),
                ..base
            },
            Stamp {
                ctime: (99, 6),
                ..base
            },
        ];
        for other in changed {
            let mut cache = ContentCache::new(8, 1024);
            cache.insert(b"/a", base, Bytes::from_static(b"abc"), later());
            assert_eq!(cache.get(b"/a", Some(&other)), None, "{other:?}");
            assert!(cache.is_empty());
            assert_eq!(cache.bytes(), 0);
        }
        let mut cache = ContentCache::new(8, 1024);
        cache.insert(b"/a", base, Bytes::from_static(b"abc"), later());
        assert_eq!(cache.get(b"/a", None), None, "a failed stat");
        assert!(cache.is_empty());
    }

    #[test]
    fn what_is_not_kept() {
        let mut cache = ContentCache::new(8, 1 << 20);
        let at = later();
        // Size differs from the stamp (the file changed under the read).
        cache.insert(b"/a", stamp(1, 4, (1, 0), (1, 0)), bytes(3, b'x'), at);
        // Larger than the static handler reads at once.
        let big = READ_AT_ONCE as usize + 1;
        cache.insert(
            b"/b",
            stamp(2, big as u64, (1, 0), (1, 0)),
            bytes(big, b'x'),
            at,
        );
        // Not a regular file.
        let fifo = Stamp {
            mode: 0o010644,
            ..stamp(3, 0, (1, 0), (1, 0))
        };
        cache.insert(b"/c", fifo, Bytes::new(), at);
        assert!(cache.is_empty());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn recently_changed_files_are_not_kept() {
        let mut cache = ContentCache::new(8, 1024);
        let opened = UNIX_EPOCH + Duration::from_secs(1000);
        let settle = SETTLE.as_secs() as i64;
        let fresh = stamp(1, 1, (1000 - settle, 0), (1000 - settle, 0));
        cache.insert(b"/a", fresh, bytes(1, b'a'), opened);
        assert!(cache.is_empty());
        let settled = stamp(1, 1, (1000 - settle, 0), (1000 - settle - 1, 999_999_999));
        cache.insert(b"/a", settled, bytes(1, b'a'), opened);
        assert_eq!(cache.len(), 1);
        // A fresh version replaces nothing: the old entry goes too.
        cache.insert(b"/a", fresh, bytes(1, b'b'), opened);
        assert!(cache.is_empty());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn replacing_an_entry_keeps_the_byte_count() {
        let mut cache = ContentCache::new(8, 1024);
        cache.insert(b"/a", stamp(1, 10, (1, 0), (1, 0)), bytes(10, 1), later());
        cache.insert(b"/a", stamp(1, 20, (2, 0), (2, 0)), bytes(20, 2), later());
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.bytes(), 20);
        let hit = cache.get(b"/a", Some(&stamp(1, 20, (2, 0), (2, 0))));
        assert_eq!(hit, Some(bytes(20, 2)));
    }

    #[test]
    fn the_entry_bound_evicts() {
        let mut cache = ContentCache::new(4, 1 << 20);
        for i in 0..10u64 {
            let path = format!("/f{i}");
            cache.insert(
                path.as_bytes(),
                stamp(i, 1, (1, 0), (1, 0)),
                bytes(1, 0),
                later(),
            );
            assert!(cache.len() <= 4);
            // The newest is always kept.
            assert!(cache.contains(path.as_bytes()));
        }
        assert_eq!(cache.len(), 4);
        assert_eq!(cache.bytes(), 4);
    }

    #[test]
    fn the_byte_bound_evicts() {
        let mut cache = ContentCache::new(100, 1000);
        for i in 0..10u64 {
            let path = format!("/f{i}");
            cache.insert(
                path.as_bytes(),
                stamp(i, 300, (1, 0), (1, 0)),
                bytes(300, 0),
                later(),
            );
            assert!(cache.bytes() <= 1000);
            assert!(cache.contains(path.as_bytes()));
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.bytes(), 900);
        // One entry larger than the whole bound is never kept.
        let mut small = ContentCache::new(100, 10);
        small.insert(b"/x", stamp(1, 11, (1, 0), (1, 0)), bytes(11, 0), later());
        assert!(small.is_empty());
    }

    #[test]
    fn lookups_follow_the_file_on_disk() {
        let dir = std::env::temp_dir().join(format!("rginx-content-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, b"one").unwrap();
        let name = file.to_str().unwrap().as_bytes().to_vec();
        assert!(lookup(&name).is_none(), "nothing kept yet");
        let meta = std::fs::metadata(&file).unwrap();
        // As if opened long after its last change.
        insert(
            &name,
            &meta,
            Bytes::from_static(b"one"),
            SystemTime::now() + SETTLE * 2,
        );
        let (content, fresh) = lookup(&name).expect("a hit");
        assert_eq!(&content[..], b"one");
        assert_eq!(fresh.ino(), meta.ino());
        // A new inode under the same name.
        let tmp = dir.join("t");
        std::fs::write(&tmp, b"two").unwrap();
        std::fs::rename(&tmp, &file).unwrap();
        assert!(lookup(&name).is_none());
        // Kept again, then deleted.
        let meta = std::fs::metadata(&file).unwrap();
        insert(
            &name,
            &meta,
            Bytes::from_static(b"two"),
            SystemTime::now() + SETTLE * 2,
        );
        assert!(lookup(&name).is_some());
        std::fs::remove_file(&file).unwrap();
        assert!(lookup(&name).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
