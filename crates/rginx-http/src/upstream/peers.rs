//! The peers of an upstream group at run time and nginx's balancers over
//! them, step for step: smooth weighted round robin with `max_fails` /
//! `fail_timeout` / `max_conns` / `down` and the backup list
//! (`ngx_http_upstream_round_robin.c`), `ip_hash`, `hash` and
//! `hash ... consistent`, `least_conn` and `random [two]`. Given the same
//! configuration and the same requests, the same peers come out as in nginx.
//!
//! The state (current weights, failures, connection counts) belongs to one
//! worker process, as in nginx without `zone`: the group lives in the
//! configuration, which each worker holds its own copy of after the fork.

use super::crc32;
use super::pool::Pool;
use super::url::PeerAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// One address of one `server` line.
#[derive(Clone, Debug)]
pub struct Peer {
    pub addr: PeerAddr,
    /// nginx's `peer->name`: the address with its port, `$upstream_addr`
    /// (shared with each request's `$upstream_addr`).
    pub name: Arc<str>,
    /// nginx's `peer->server`: the `server` line's address as written (the
    /// ketama points are derived from it).
    pub server: Vec<u8>,
    pub weight: i64,
    pub max_conns: u64,
    pub max_fails: u64,
    /// Seconds.
    pub fail_timeout: i64,
    pub down: bool,
}

/// The primary or the backup peers.
#[derive(Clone, Debug, Default)]
pub struct PeerList {
    pub peers: Vec<Peer>,
    /// One peer and no backups: failures are not counted.
    pub single: bool,
    pub total_weight: i64,
    /// Peers not marked `down`: how many tries a request may make.
    pub tries: usize,
}

impl PeerList {
    pub fn new(peers: Vec<Peer>) -> PeerList {
        let total_weight = peers.iter().map(|p| p.weight).sum();
        let tries = peers.iter().filter(|p| !p.down).count();
        PeerList {
            single: peers.len() == 1,
            peers,
            total_weight,
            tries,
        }
    }
}

/// What changes as requests come and go.
#[derive(Clone, Copy, Debug, Default)]
struct PeerState {
    current_weight: i64,
    effective_weight: i64,
    conns: u64,
    fails: u64,
    accessed: i64,
    checked: i64,
}

/// A balancing method with what it precomputes.
#[derive(Debug)]
pub enum Method {
    RoundRobin,
    IpHash,
    Hash,
    /// Ketama points: (hash, index of a primary peer of that `server`).
    Consistent(Vec<(u32, usize)>),
    LeastConn,
    /// The start of each primary peer's range of weights.
    Random {
        two: bool,
        ranges: Vec<i64>,
    },
}

/// An upstream group at run time.
#[derive(Debug)]
pub struct Group {
    /// The upstream's name (`$upstream_addr` when no peer is live).
    pub name: Arc<str>,
    pub primary: PeerList,
    pub backup: Option<PeerList>,
    pub method: Method,
    pub pool: Option<Arc<Pool>>,
    state: Mutex<[Vec<PeerState>; 2]>,
}

impl Group {
    pub fn new(
        name: String,
        mut primary: PeerList,
        backup: Option<PeerList>,
        method: Method,
        pool: Option<Arc<Pool>>,
    ) -> Group {
        let mut backup = backup;
        if let Some(backup) = backup.as_mut() {
            // nginx: with backups, neither list counts as a single peer.
            primary.single = false;
            backup.single = false;
        }
        let initial = |list: &PeerList| -> Vec<PeerState> {
            list.peers
                .iter()
                .map(|p| PeerState {
                    effective_weight: p.weight,
                    ..PeerState::default()
                })
                .collect()
        };
        let state = [
            initial(&primary),
            backup.as_ref().map(initial).unwrap_or_default(),
        ];
        Group {
            name: Arc::from(name),
            primary,
            backup,
            method,
            pool,
            state: Mutex::new(state),
        }
    }

    /// A group of one resolved address (`proxy_pass` with variables naming
    /// an address no upstream block has).
    pub fn single(addr: PeerAddr, name: String, host: String) -> Group {
        Group::resolved(vec![(addr, name)], host)
    }

    /// A group of the addresses a name resolved to, tried in turn (nginx's
    /// `ngx_http_upstream_create_round_robin_peer`).
    pub fn resolved(addrs: Vec<(PeerAddr, String)>, host: String) -> Group {
        let peers = addrs
            .into_iter()
            .map(|(addr, name)| Peer {
                addr,
                server: name.as_bytes().to_vec(),
                name: Arc::from(name),
                weight: 1,
                max_conns: 0,
                max_fails: 1,
                fail_timeout: 10,
                down: false,
            })
            .collect();
        Group::new(host, PeerList::new(peers), None, Method::RoundRobin, None)
    }

    fn lock(&self) -> MutexGuard<'_, [Vec<PeerState>; 2]> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn list(&self, backup: bool) -> &PeerList {
        match (&self.backup, backup) {
            (Some(list), true) => list,
            _ => &self.primary,
        }
    }

    /// How many requests are in progress on a peer (tests, status pages).
    pub fn conns(&self, backup: bool, index: usize) -> u64 {
        self.lock()[usize::from(backup)]
            .get(index)
            .map_or(0, |s| s.conns)
    }

    /// Failures counted for a peer.
    pub fn fails(&self, backup: bool, index: usize) -> u64 {
        self.lock()[usize::from(backup)]
            .get(index)
            .map_or(0, |s| s.fails)
    }
}

/// nginx's `ngx_time()`: seconds.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The peer a balancer chose.
#[derive(Clone, Debug)]
pub struct Picked {
    pub backup: bool,
    pub index: usize,
    pub addr: PeerAddr,
    pub name: Arc<str>,
}

/// How a try with a peer ended (nginx's `NGX_PEER_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done (or given up for reasons not the peer's).
    Ok,
    /// `NGX_PEER_FAILED`: counts towards `max_fails`.
    Failed,
    /// `NGX_PEER_NEXT`: 403/404 passed to the next peer, not a failure.
    Next,
}

/// Per-method state of one request.
#[derive(Debug)]
enum MethodState {
    Plain,
    IpHash {
        /// The bytes hashed: the first three of an IPv4 address, all
        /// sixteen of an IPv6 one.
        addr: ([u8; 16], usize),
        hash: u64,
        tries: u32,
    },
    Hash {
        key: Vec<u8>,
        hash: u32,
        rehash: u64,
        tries: u64,
    },
    Consistent {
        empty_key: bool,
        hash: u32,
        tries: u64,
    },
    Random {
        tries: u64,
    },
}

/// One request's way through a group (nginx's per-request peer data).
#[derive(Debug)]
pub struct Selection {
    pub group: Arc<Group>,
    /// The backup list is in use.
    backup: bool,
    tried: Tried,
    current: Option<usize>,
    /// nginx's `pc->tries`: tries left.
    pub tries: usize,
    method: MethodState,
}

/// The peers a request tried (nginx's `rrp->tried`): one word in place for
/// the groups of up to 64 peers nearly every configuration has, so that a
/// request allocates nothing for it.
#[derive(Debug)]
enum Tried {
    Small([u64; 1]),
    Large(Vec<u64>),
}

impl Tried {
    fn new(peers: usize) -> Tried {
        if peers <= 64 {
            Tried::Small([0])
        } else {
            Tried::Large(vec![0; peers.div_ceil(64)])
        }
    }

    fn words(&self) -> &[u64] {
        match self {
            Tried::Small(word) => word,
            Tried::Large(words) => words,
        }
    }

    fn words_mut(&mut self) -> &mut [u64] {
        match self {
            Tried::Small(word) => word,
            Tried::Large(words) => words,
        }
    }
}

/// What the request gives the balancers.
pub struct Inputs<'k> {
    /// The client address (`ip_hash`).
    pub client: Option<std::net::IpAddr>,
    /// The evaluated `hash` key.
    pub key: &'k [u8],
}

impl Selection {
    /// nginx's `init` of the group's method for a request.
    pub fn new(group: Arc<Group>, inputs: Inputs<'_>) -> Selection {
        let longest = group
            .primary
            .peers
            .len()
            .max(group.backup.as_ref().map_or(0, |b| b.peers.len()));
        let tries = group.primary.tries + group.backup.as_ref().map_or(0, |b| b.tries);
        let method = match &group.method {
            Method::RoundRobin | Method::LeastConn => MethodState::Plain,
            Method::IpHash => {
                let mut bytes = [0u8; 16];
                let len = match inputs.client {
                    Some(std::net::IpAddr::V4(v4)) => {
                        bytes[..3].copy_from_slice(&v4.octets()[..3]);
                        3
                    }
                    Some(std::net::IpAddr::V6(v6)) => {
                        bytes = v6.octets();
                        16
                    }
                    // nginx's pseudo address for unix-socket clients.
                    None => 3,
                };
                let addr = (bytes, len);
                MethodState::IpHash {
                    addr,
                    hash: 89,
                    tries: 0,
                }
            }
            Method::Hash => MethodState::Hash {
                key: inputs.key.to_vec(),
                hash: 0,
                rehash: 0,
                tries: 0,
            },
            Method::Consistent(points) => {
                let hash = crc32::crc32(inputs.key);
                MethodState::Consistent {
                    empty_key: inputs.key.is_empty(),
                    hash: find_point(points, hash) as u32,
                    tries: 0,
                }
            }
            Method::Random { .. } => MethodState::Random { tries: 0 },
        };
        Selection {
            group,
            backup: false,
            tried: Tried::new(longest),
            current: None,
            tries,
            method,
        }
    }

    fn is_tried(&self, i: usize) -> bool {
        self.tried.words()[i / 64] & (1 << (i % 64)) != 0
    }

    fn set_tried(&mut self, i: usize) {
        self.tried.words_mut()[i / 64] |= 1 << (i % 64);
    }

    /// nginx's `peer.get`: the next peer to try, or `None` when no peer is
    /// live ("no live upstreams").
    pub fn get(&mut self) -> Option<Picked> {
        let group = self.group.clone();
        let mut state = group.lock();
        let index = match &group.method {
            Method::RoundRobin => self.get_round_robin(&group, &mut state),
            Method::IpHash => self.get_ip_hash(&group, &mut state),
            Method::Hash => self.get_hash(&group, &mut state),
            Method::Consistent(points) => self.get_consistent(&group, points, &mut state),
            Method::LeastConn => self.get_least_conn(&group, &mut state),
            Method::Random { two, ranges } => self.get_random(&group, *two, ranges, &mut state),
        }?;
        let peer = &group.list(self.backup).peers[index];
        Some(Picked {
            backup: self.backup,
            index,
            addr: peer.addr.clone(),
            name: peer.name.clone(),
        })
    }

    fn usable(peer: &Peer, state: &PeerState, now: i64) -> bool {
        !(peer.down
            || (peer.max_fails != 0
                && state.fails >= peer.max_fails
                && now - state.checked <= peer.fail_timeout)
            || (peer.max_conns != 0 && state.conns >= peer.max_conns))
    }

    /// `ngx_http_upstream_get_round_robin_peer`.
    fn get_round_robin(&mut self, group: &Group, state: &mut [Vec<PeerState>; 2]) -> Option<usize> {
        let list = group.list(self.backup);
        let states = &mut state[usize::from(self.backup)];
        let found = if list.single {
            let peer = &list.peers[0];
            let usable = !peer.down && (peer.max_conns == 0 || states[0].conns < peer.max_conns);
            if usable {
                self.current = Some(0);
                Some(0)
            } else {
                None
            }
        } else {
            self.smooth_weighted(list, states)
        };
        if let Some(index) = found {
            states[index].conns += 1;
            return Some(index);
        }
        self.fail_over_to_backup(group)?;
        self.get_round_robin(group, state)
    }

    /// Switches to the backup list (nginx's `failed:` label), if there is
    /// one and it is not in use yet.
    fn fail_over_to_backup(&mut self, group: &Group) -> Option<()> {
        if self.backup || group.backup.is_none() {
            return None;
        }
        self.backup = true;
        self.tried.words_mut().iter_mut().for_each(|word| *word = 0);
        Some(())
    }

    /// `ngx_http_upstream_get_peer`: smooth weighted round robin.
    fn smooth_weighted(&mut self, list: &PeerList, states: &mut [PeerState]) -> Option<usize> {
        let now = now();
        let mut best: Option<(usize, i64)> = None;
        let mut total = 0;
        for (i, peer) in list.peers.iter().enumerate() {
            if self.is_tried(i) || !Self::usable(peer, &states[i], now) {
                continue;
            }
            let s = &mut states[i];
            s.current_weight += s.effective_weight;
            total += s.effective_weight;
            if s.effective_weight < peer.weight {
                s.effective_weight += 1;
            }
            if best.is_none_or(|(_, weight)| s.current_weight > weight) {
                best = Some((i, s.current_weight));
            }
        }
        let (best, _) = best?;
        self.current = Some(best);
        self.set_tried(best);
        let s = &mut states[best];
        s.current_weight -= total;
        if now - s.checked > list.peers[best].fail_timeout {
            s.checked = now;
        }
        Some(best)
    }

    /// The end of the hash-like methods: the peer is taken.
    fn take(&mut self, list: &PeerList, states: &mut [PeerState], index: usize, now: i64) {
        self.current = Some(index);
        let s = &mut states[index];
        s.conns += 1;
        if now - s.checked > list.peers[index].fail_timeout {
            s.checked = now;
        }
        self.set_tried(index);
    }

    /// The peer whose share of the total weight `w` falls into.
    fn by_weight(list: &PeerList, mut w: i64) -> usize {
        let mut p = 0;
        while p + 1 < list.peers.len() && w >= list.peers[p].weight {
            w -= list.peers[p].weight;
            p += 1;
        }
        p
    }

    /// `ngx_http_upstream_get_ip_hash_peer`.
    fn get_ip_hash(&mut self, group: &Group, state: &mut [Vec<PeerState>; 2]) -> Option<usize> {
        let list = group.list(self.backup);
        let MethodState::IpHash { addr, hash, tries } = &mut self.method else {
            return self.get_round_robin(group, state);
        };
        if *tries > 20 || list.single {
            return self.get_round_robin(group, state);
        }
        let now = now();
        let mut h = *hash;
        let (bytes, len) = *addr;
        let states = &mut state[usize::from(self.backup)];
        let chosen = loop {
            for &byte in &bytes[..len] {
                h = (h * 113 + u64::from(byte)) % 6271;
            }
            let w = (h % list.total_weight as u64) as i64;
            let p = Self::by_weight(list, w);
            if !self.is_tried(p) && Self::usable(&list.peers[p], &states[p], now) {
                break p;
            }
            let MethodState::IpHash { tries, .. } = &mut self.method else {
                unreachable!("method state changed");
            };
            *tries += 1;
            if *tries > 20 {
                return self.get_round_robin(group, state);
            }
        };
        self.take(list, states, chosen, now);
        if let MethodState::IpHash { hash, .. } = &mut self.method {
            *hash = h;
        }
        Some(chosen)
    }

    /// `ngx_http_upstream_get_hash_peer`: `hash KEY` (Cache::Memcached's
    /// scheme).
    fn get_hash(&mut self, group: &Group, state: &mut [Vec<PeerState>; 2]) -> Option<usize> {
        let list = group.list(self.backup);
        let MethodState::Hash { key, tries, .. } = &self.method else {
            return self.get_round_robin(group, state);
        };
        if *tries > 20 || list.single || key.is_empty() {
            return self.get_round_robin(group, state);
        }
        let now = now();
        let states = &mut state[usize::from(self.backup)];
        let chosen = loop {
            let MethodState::Hash {
                key, hash, rehash, ..
            } = &mut self.method
            else {
                unreachable!("method state changed");
            };
            // ((crc32([REHASH] KEY) >> 16) & 0x7fff) + PREV_HASH, REHASH
            // omitted the first time.
            let mut crc = crc32::INIT;
            if *rehash > 0 {
                crc = crc32::update(crc, rehash.to_string().as_bytes());
            }
            crc = crc32::finish(crc32::update(crc, key));
            *hash = hash.wrapping_add((crc >> 16) & 0x7fff);
            *rehash += 1;
            let w = (u64::from(*hash) % list.total_weight as u64) as i64;
            let p = Self::by_weight(list, w);
            if !self.is_tried(p) && Self::usable(&list.peers[p], &states[p], now) {
                break p;
            }
            let MethodState::Hash { tries, .. } = &mut self.method else {
                unreachable!("method state changed");
            };
            *tries += 1;
            if *tries > 20 {
                return self.get_round_robin(group, state);
            }
        };
        self.take(list, states, chosen, now);
        Some(chosen)
    }

    /// `ngx_http_upstream_get_chash_peer`: ketama.
    fn get_consistent(
        &mut self,
        group: &Group,
        points: &[(u32, usize)],
        state: &mut [Vec<PeerState>; 2],
    ) -> Option<usize> {
        let list = group.list(self.backup);
        let MethodState::Consistent {
            empty_key, tries, ..
        } = &self.method
        else {
            return self.get_round_robin(group, state);
        };
        if *tries > 20 || list.single || *empty_key || points.is_empty() {
            return self.get_round_robin(group, state);
        }
        let now = now();
        let states = &mut state[usize::from(self.backup)];
        loop {
            let MethodState::Consistent { hash, .. } = &self.method else {
                unreachable!("method state changed");
            };
            let point = points[*hash as usize % points.len()];
            let server = &group.primary.peers[point.1].server;
            let mut best: Option<(usize, i64)> = None;
            let mut total = 0;
            for (i, peer) in list.peers.iter().enumerate() {
                if self.is_tried(i)
                    || !Self::usable(peer, &states[i], now)
                    || peer.server != *server
                {
                    continue;
                }
                let s = &mut states[i];
                s.current_weight += s.effective_weight;
                total += s.effective_weight;
                if s.effective_weight < peer.weight {
                    s.effective_weight += 1;
                }
                if best.is_none_or(|(_, weight)| s.current_weight > weight) {
                    best = Some((i, s.current_weight));
                }
            }
            if let Some((best, _)) = best {
                states[best].current_weight -= total;
                self.take(list, states, best, now);
                return Some(best);
            }
            let MethodState::Consistent { hash, tries, .. } = &mut self.method else {
                unreachable!("method state changed");
            };
            *hash = hash.wrapping_add(1);
            *tries += 1;
            if *tries > 20 {
                return self.get_round_robin(group, state);
            }
        }
    }

    /// `ngx_http_upstream_get_least_conn_peer`.
    fn get_least_conn(&mut self, group: &Group, state: &mut [Vec<PeerState>; 2]) -> Option<usize> {
        let list = group.list(self.backup);
        if list.single {
            return self.get_round_robin(group, state);
        }
        let now = now();
        let states = &mut state[usize::from(self.backup)];
        let mut best: Option<usize> = None;
        let mut many = false;
        for (i, peer) in list.peers.iter().enumerate() {
            if self.is_tried(i) || !Self::usable(peer, &states[i], now) {
                continue;
            }
            match best {
                None => {
                    best = Some(i);
                    many = false;
                }
                Some(b) => {
                    let (mine, theirs) = (
                        states[i].conns as i128 * list.peers[b].weight as i128,
                        states[b].conns as i128 * peer.weight as i128,
                    );
                    if mine < theirs {
                        best = Some(i);
                        many = false;
                    } else if mine == theirs {
                        many = true;
                    }
                }
            }
        }
        let Some(mut best) = best else {
            self.fail_over_to_backup(group)?;
            return self.get_least_conn(group, state);
        };
        let mut total = 0;
        if many {
            let first = best;
            for i in first..list.peers.len() {
                let peer = &list.peers[i];
                if self.is_tried(i) || peer.down {
                    continue;
                }
                let (mine, theirs) = (
                    states[i].conns as i128 * list.peers[best].weight as i128,
                    states[best].conns as i128 * peer.weight as i128,
                );
                if mine != theirs {
                    continue;
                }
                if !Self::usable(peer, &states[i], now) {
                    continue;
                }
                let s = &mut states[i];
                s.current_weight += s.effective_weight;
                total += s.effective_weight;
                if s.effective_weight < peer.weight {
                    s.effective_weight += 1;
                }
                if states[i].current_weight > states[best].current_weight {
                    best = i;
                }
            }
        }
        states[best].current_weight -= total;
        self.take(list, states, best, now);
        Some(best)
    }

    /// `ngx_http_upstream_get_random_peer` and `..._random2_peer`.
    fn get_random(
        &mut self,
        group: &Group,
        two: bool,
        ranges: &[i64],
        state: &mut [Vec<PeerState>; 2],
    ) -> Option<usize> {
        let list = group.list(self.backup);
        let MethodState::Random { tries } = &self.method else {
            return self.get_round_robin(group, state);
        };
        if *tries > 20 || list.single || ranges.is_empty() {
            return self.get_round_robin(group, state);
        }
        let now = now();
        let states = &mut state[usize::from(self.backup)];
        let mut prev: Option<usize> = None;
        let chosen = loop {
            let i = peek_random(ranges, list.total_weight);
            let peer = &list.peers[i];
            let skip = prev == Some(i) || self.is_tried(i) || !Self::usable(peer, &states[i], now);
            if !skip {
                if !two {
                    break i;
                }
                if let Some(p) = prev {
                    let mine = states[i].conns as i128 * list.peers[p].weight as i128;
                    let theirs = states[p].conns as i128 * peer.weight as i128;
                    break if mine > theirs { p } else { i };
                }
                prev = Some(i);
            }
            let MethodState::Random { tries } = &mut self.method else {
                unreachable!("method state changed");
            };
            *tries += 1;
            if *tries > 20 {
                return self.get_round_robin(group, state);
            }
        };
        self.take(list, states, chosen, now);
        Some(chosen)
    }

    /// nginx's `peer.free` (`ngx_http_upstream_free_round_robin_peer`, which
    /// every method uses): accounts the try. Returns `true` when the peer
    /// has just reached `max_fails` (nginx warns "upstream server
    /// temporarily disabled").
    pub fn free(&mut self, outcome: Outcome) -> bool {
        let Some(index) = self.current.take() else {
            return false;
        };
        let group = self.group.clone();
        let list = group.list(self.backup);
        let peer = &list.peers[index];
        let mut state = group.lock();
        let s = &mut state[usize::from(self.backup)][index];
        if list.single {
            s.conns = s.conns.saturating_sub(1);
            self.tries = 0;
            return false;
        }
        let mut disabled = false;
        if outcome == Outcome::Failed {
            let now = now();
            s.fails += 1;
            s.accessed = now;
            s.checked = now;
            if peer.max_fails != 0 {
                s.effective_weight -= peer.weight / peer.max_fails as i64;
                disabled = s.fails >= peer.max_fails;
            }
            if s.effective_weight < 0 {
                s.effective_weight = 0;
            }
        } else if s.accessed < s.checked {
            s.fails = 0;
        }
        s.conns = s.conns.saturating_sub(1);
        self.tries = self.tries.saturating_sub(1);
        disabled
    }
}

/// `ngx_http_upstream_peek_random_peer`: a peer by a random weight.
fn peek_random(ranges: &[i64], total_weight: i64) -> usize {
    let x = random() % total_weight.max(1);
    let (mut i, mut j) = (0, ranges.len());
    while j - i > 1 {
        let k = (i + j) / 2;
        if x < ranges[k] {
            j = k;
        } else {
            i = k;
        }
    }
    i
}

/// A random number in nginx's `ngx_random()` range (0 .. 2^31): xorshift,
/// seeded per worker process from its pid and the time, as nginx seeds its
/// generator (the sequence cannot match nginx's, only its distribution).
fn random() -> i64 {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<(u32, u64)> = const { Cell::new((0, 0)) };
    }
    STATE.with(|state| {
        let (seeded_by, mut x) = state.get();
        let pid = std::process::id();
        if seeded_by != pid || x == 0 {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            x = (u64::from(pid) << 32) ^ now.as_nanos() as u64 ^ 0x9E37_79B9_7F4A_7C15;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set((pid, x));
        ((x >> 33) & 0x7fff_ffff) as i64
    })
}

/// `ngx_http_upstream_find_chash_point`: the first point at or after `hash`.
fn find_point(points: &[(u32, usize)], hash: u32) -> usize {
    let (mut i, mut j) = (0, points.len());
    while i < j {
        let k = (i + j) / 2;
        if hash > points[k].0 {
            i = k + 1;
        } else if hash < points[k].0 {
            j = k;
        } else {
            return k;
        }
    }
    i
}

/// `ngx_http_upstream_init_chash`: 160 points per unit of weight for each
/// primary peer, derived from its `server` text as
/// crc32(HOST \0 PORT PREV_HASH), sorted and deduplicated.
pub fn ketama_points(primary: &PeerList) -> Vec<(u32, usize)> {
    let mut points = Vec::new();
    for (index, peer) in primary.peers.iter().enumerate() {
        let server = &peer.server;
        let (host, port): (&[u8], &[u8]) =
            if server.len() >= 5 && server[..5].eq_ignore_ascii_case(b"unix:") {
                (&server[5..], b"")
            } else {
                split_port(server)
            };
        let base = crc32::update(crc32::update(crc32::update(crc32::INIT, host), b"\0"), port);
        let mut prev: u32 = 0;
        for _ in 0..peer.weight * 160 {
            let hash = crc32::finish(crc32::update(base, &prev.to_le_bytes()));
            points.push((hash, index));
            prev = hash;
        }
    }
    // qsort then keep the first of equal hashes, as nginx does.
    points.sort_by_key(|point| point.0);
    points.dedup_by_key(|point| point.0);
    points
}

/// HOST and PORT of `host:port` when the part after the last colon is all
/// digits (nginx's scan from the end).
fn split_port(server: &[u8]) -> (&[u8], &[u8]) {
    for j in 0..server.len() {
        let c = server[server.len() - j - 1];
        if c == b':' {
            return (&server[..server.len() - j - 1], &server[server.len() - j..]);
        }
        if !c.is_ascii_digit() {
            break;
        }
    }
    (server, b"")
}

/// `ngx_http_upstream_update_random`: where each primary peer's range
/// starts.
pub fn random_ranges(primary: &PeerList) -> Vec<i64> {
    let mut total = 0;
    primary
        .peers
        .iter()
        .map(|peer| {
            let start = total;
            total += peer.weight;
            start
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(port: u16, weight: i64) -> Peer {
        let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
        Peer {
            addr: PeerAddr::Inet(addr),
            name: addr.to_string().into(),
            server: addr.to_string().into_bytes(),
            weight,
            max_conns: 0,
            max_fails: 1,
            fail_timeout: 10,
            down: false,
        }
    }

    fn sequence(group: &Arc<Group>, n: usize, key: &[u8]) -> Vec<usize> {
        (0..n)
            .map(|_| {
                let mut selection = Selection::new(group.clone(), Inputs { client: None, key });
                let picked = selection.get().expect("a live peer");
                selection.free(Outcome::Ok);
                picked.index
            })
            .collect()
    }

    #[test]
    fn smooth_weighted_round_robin() {
        // nginx's documented example: weights 5, 1, 1 give a a b a c a a.
        let group = Arc::new(Group::new(
            "u".into(),
            PeerList::new(vec![peer(1, 5), peer(2, 1), peer(3, 1)]),
            None,
            Method::RoundRobin,
            None,
        ));
        assert_eq!(sequence(&group, 7, b""), vec![0, 0, 1, 0, 2, 0, 0]);
    }

    #[test]
    fn failures_take_a_peer_out_and_backups_take_over() {
        let mut primary = vec![peer(1, 1), peer(2, 1)];
        primary[1].max_fails = 1;
        let group = Arc::new(Group::new(
            "u".into(),
            PeerList::new(primary),
            Some(PeerList::new(vec![peer(9, 1)])),
            Method::RoundRobin,
            None,
        ));
        let mut selection = Selection::new(
            group.clone(),
            Inputs {
                client: None,
                key: b"",
            },
        );
        assert_eq!(selection.tries, 3);
        let first = selection.get().unwrap();
        assert!(selection.free(Outcome::Failed));
        let second = selection.get().unwrap();
        assert_ne!(first.index, second.index);
        assert!(selection.free(Outcome::Failed));
        // Both primaries failed: the backup serves.
        let third = selection.get().unwrap();
        assert!(third.backup);
        selection.free(Outcome::Ok);
        // Later requests go straight to the backup while the primaries are
        // out (fail_timeout 10s).
        let mut next = Selection::new(
            group.clone(),
            Inputs {
                client: None,
                key: b"",
            },
        );
        assert!(next.get().unwrap().backup);
        next.free(Outcome::Ok);
        assert_eq!(group.fails(false, 0), 1);
    }

    #[test]
    fn ketama_points_per_weight() {
        let list = PeerList::new(vec![peer(1, 1), peer(2, 3)]);
        let points = ketama_points(&list);
        assert!(points.len() <= 160 * 4 && points.len() > 600);
        assert!(points.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            split_port(b"10.0.0.1:8080"),
            (&b"10.0.0.1"[..], &b"8080"[..])
        );
        assert_eq!(split_port(b"backend"), (&b"backend"[..], &b""[..]));
    }
}
