//! TLS session resumption: the session-id cache (`ssl_session_cache`) and
//! session tickets (`ssl_session_tickets`, `ssl_session_ticket_key`).
//!
//! Ticket keys are made when the configuration is compiled, in the master,
//! so every worker forked from it decrypts the tickets of every other (as
//! nginx's keys, made at configuration time, are shared). They do not
//! rotate: nginx's do not either, short of a reload.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use rginx_conf::{ConfError, Loc};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One ticket key: its 16-byte name (carried in each ticket) and the
/// AES-256-GCM key that seals it.
struct TicketKey {
    name: [u8; 16],
    key: LessSafeKey,
}

/// Issues and opens session tickets. The first key seals new tickets; all
/// of them open old ones (as nginx uses the first `ssl_session_ticket_key`
/// to encrypt and every one to decrypt).
pub struct TicketKeys {
    keys: Vec<TicketKey>,
    lifetime: u32,
    random: SystemRandom,
}

impl std::fmt::Debug for TicketKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TicketKeys")
            .field("keys", &self.keys.len())
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

impl TicketKeys {
    /// Keys from `ssl_session_ticket_key` files (48 or 80 bytes: a 16-byte
    /// name, then key material), or one random key when none is given.
    /// `loc` is where nginx reports a bad file: the end of the http block.
    pub fn new(
        files: &[PathBuf],
        lifetime: Duration,
        loc: Option<&Loc>,
    ) -> Result<TicketKeys, ConfError> {
        let at = |message: String| match loc {
            Some(loc) => ConfError::at(loc, message),
            None => ConfError::bare(message),
        };
        let random = SystemRandom::new();
        let mut keys = Vec::new();
        for path in files {
            let bytes = std::fs::read(path).map_err(|err| {
                at(format!(
                    "open() \"{}\" failed {}",
                    path.display(),
                    rginx_conf::error::os_error_suffix(&err)
                ))
            })?;
            if bytes.len() != 48 && bytes.len() != 80 {
                return Err(at(format!("\"{}\" must be 48 or 80 bytes", path.display())));
            }
            let mut name = [0u8; 16];
            name.copy_from_slice(&bytes[..16]);
            // The rest (nginx's AES and HMAC keys) seeds the AEAD key, so
            // rginx instances sharing a key file open each other's tickets.
            let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes[16..]);
            keys.push(TicketKey {
                name,
                key: aead_key(digest.as_ref())?,
            });
        }
        if keys.is_empty() {
            let mut name = [0u8; 16];
            let mut secret = [0u8; 32];
            random
                .fill(&mut name)
                .and_then(|()| random.fill(&mut secret))
                .map_err(|_| ConfError::bare("RAND_bytes() failed"))?;
            keys.push(TicketKey {
                name,
                key: aead_key(&secret)?,
            });
        }
        Ok(TicketKeys {
            keys,
            lifetime: u32::try_from(lifetime.as_secs()).unwrap_or(u32::MAX),
            random,
        })
    }
}

fn aead_key(secret: &[u8]) -> Result<LessSafeKey, ConfError> {
    UnboundKey::new(&AES_256_GCM, secret)
        .map(LessSafeKey::new)
        .map_err(|_| ConfError::bare("cannot set up session ticket keys"))
}

impl rustls::server::ProducesTickets for TicketKeys {
    fn enabled(&self) -> bool {
        true
    }

    fn lifetime(&self) -> u32 {
        self.lifetime
    }

    /// `name || nonce || AES-256-GCM(plain)`, the name as associated data.
    fn encrypt(&self, plain: &[u8]) -> Option<Vec<u8>> {
        let key = self.keys.first()?;
        let mut nonce = [0u8; NONCE_LEN];
        self.random.fill(&mut nonce).ok()?;
        let mut sealed = plain.to_vec();
        key.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(key.name),
                &mut sealed,
            )
            .ok()?;
        let mut ticket = Vec::with_capacity(16 + NONCE_LEN + sealed.len());
        ticket.extend_from_slice(&key.name);
        ticket.extend_from_slice(&nonce);
        ticket.extend_from_slice(&sealed);
        Some(ticket)
    }

    fn decrypt(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        if ticket.len() < 16 + NONCE_LEN {
            return None;
        }
        let (name, rest) = ticket.split_at(16);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let key = self.keys.iter().find(|key| key.name == name)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buffer = sealed.to_vec();
        let plain = key
            .key
            .open_in_place(nonce, Aad::from(key.name), &mut buffer)
            .ok()?;
        Some(plain.to_vec())
    }
}

/// The session-id cache of one worker: at most `capacity` sessions, each
/// valid for `timeout` (`ssl_session_timeout`); the oldest go first.
pub struct SessionCache {
    capacity: usize,
    timeout: Duration,
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    sessions: HashMap<Vec<u8>, (Instant, Vec<u8>)>,
    order: VecDeque<Vec<u8>>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl SessionCache {
    pub fn new(capacity: usize, timeout: Duration) -> SessionCache {
        SessionCache {
            capacity,
            timeout,
            inner: Mutex::new(CacheInner::default()),
        }
    }

    fn live(&self, stored: Instant) -> bool {
        stored.elapsed() < self.timeout
    }
}

impl rustls::server::StoresServerSessions for SessionCache {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        let Ok(mut inner) = self.inner.lock() else {
            return false;
        };
        while inner.sessions.len() >= self.capacity {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            inner.sessions.remove(&oldest);
        }
        if inner
            .sessions
            .insert(key.clone(), (Instant::now(), value))
            .is_none()
        {
            inner.order.push_back(key);
        }
        true
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let inner = self.inner.lock().ok()?;
        let (stored, value) = inner.sessions.get(key)?;
        self.live(*stored).then(|| value.clone())
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        let mut inner = self.inner.lock().ok()?;
        let (stored, value) = inner.sessions.remove(key)?;
        inner.order.retain(|k| k.as_slice() != key);
        self.live(stored).then_some(value)
    }

    fn can_cache(&self) -> bool {
        self.capacity > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::server::{ProducesTickets, StoresServerSessions};

    fn loc() -> Loc {
        Loc {
            file: None,
            line: 9,
        }
    }

    #[test]
    fn tickets_round_trip_and_refuse_tampering() {
        let keys = TicketKeys::new(&[], Duration::from_secs(300), Some(&loc())).unwrap();
        assert_eq!(keys.lifetime(), 300);
        let ticket = keys.encrypt(b"session state").unwrap();
        assert_ne!(&ticket[28..41], b"session state");
        assert_eq!(keys.decrypt(&ticket).unwrap(), b"session state");
        let mut tampered = ticket.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(keys.decrypt(&tampered).is_none());
        // Another configuration's keys open nothing of this one's.
        let other = TicketKeys::new(&[], Duration::from_secs(300), Some(&loc())).unwrap();
        assert!(other.decrypt(&ticket).is_none());
    }

    #[test]
    fn ticket_key_files_as_nginx_checks_them() {
        let dir = std::env::temp_dir().join(format!("rginx-tk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.key");
        std::fs::write(&good, [7u8; 80]).unwrap();
        let bad = dir.join("bad.key");
        std::fs::write(&bad, [7u8; 50]).unwrap();
        let a = TicketKeys::new(
            std::slice::from_ref(&good),
            Duration::from_secs(60),
            Some(&loc()),
        )
        .unwrap();
        let b = TicketKeys::new(&[good], Duration::from_secs(60), Some(&loc())).unwrap();
        let ticket = a.encrypt(b"x").unwrap();
        assert_eq!(b.decrypt(&ticket).unwrap(), b"x");
        let err = TicketKeys::new(
            std::slice::from_ref(&bad),
            Duration::from_secs(60),
            Some(&loc()),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            format!("\"{}\" must be 48 or 80 bytes", bad.display())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn cache_evicts_oldest_and_expires() {
        let cache = SessionCache::new(2, Duration::from_secs(60));
        assert!(cache.put(b"a".to_vec(), b"1".to_vec()));
        assert!(cache.put(b"b".to_vec(), b"2".to_vec()));
        assert!(cache.put(b"c".to_vec(), b"3".to_vec()));
        assert!(cache.get(b"a").is_none());
        assert_eq!(cache.get(b"b").unwrap(), b"2");
        assert_eq!(cache.take(b"c").unwrap(), b"3");
        assert!(cache.get(b"c").is_none());
        let expired = SessionCache::new(2, Duration::ZERO);
        expired.put(b"a".to_vec(), b"1".to_vec());
        assert!(expired.get(b"a").is_none());
    }
}
