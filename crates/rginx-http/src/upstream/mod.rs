//! nginx's upstream module and its balancer modules: `upstream NAME { ... }`
//! blocks with `server ADDR [weight= max_fails= fail_timeout= max_conns=
//! backup down]`, the balancing methods (`ip_hash`, `hash`, `least_conn`,
//! `random`), the keep-alive cache (`keepalive*`) and `zone`, plus the
//! upstreams `proxy_pass` creates implicitly for a literal address, all in
//! one registry as nginx keeps them, resolved and checked when the `http`
//! block ends.

pub mod conn;
pub mod crc32;
pub mod peers;
pub mod pool;
pub mod url;

use crate::compile::{Compiler, Target};
use crate::registry::{Context, Spec};
use crate::values;
use crate::variables::{self, Template};
use peers::{Group, Method as RuntimeMethod, Peer, PeerList};
use pool::{KeepaliveConf, Pool};
use rginx_conf::{Arg, ConfError, Directive, Loc};
use std::sync::Arc;
use std::time::Duration;
pub use url::{Addr, PeerAddr};

/// One `server` line of an upstream block.
#[derive(Clone, Debug)]
pub struct UpstreamServer {
    /// The address as written (nginx's `us->name`).
    pub name: Arg,
    pub addrs: Vec<Addr>,
    pub weight: u64,
    pub max_conns: u64,
    pub max_fails: u64,
    pub fail_timeout: Duration,
    pub backup: bool,
    pub down: bool,
}

/// Which `server` parameters the balancing method allows (nginx's flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Supports {
    pub weight: bool,
    pub max_conns: bool,
    pub max_fails: bool,
    pub fail_timeout: bool,
    pub backup: bool,
    pub down: bool,
}

impl Supports {
    /// Round robin, the default method, allows everything.
    pub const ROUND_ROBIN: Supports = Supports {
        weight: true,
        max_conns: true,
        max_fails: true,
        fail_timeout: true,
        backup: true,
        down: true,
    };
    /// `ip_hash`, `hash`, `random`: no backup servers.
    pub const NO_BACKUP: Supports = Supports {
        backup: false,
        ..Supports::ROUND_ROBIN
    };
}

/// The balancing method of a block.
#[derive(Clone, Debug, Default)]
pub enum Method {
    #[default]
    RoundRobin,
    IpHash,
    Hash {
        key: Template,
        consistent: bool,
    },
    LeastConn,
    Random {
        two: bool,
    },
}

/// An upstream group: an `upstream` block, or one `proxy_pass` created for
/// an address (nginx's `ngx_http_upstream_srv_conf_t`).
#[derive(Clone, Debug)]
pub struct UpstreamConf {
    /// nginx's `uscf->host`: the block's name or the `proxy_pass` host.
    pub name: Arg,
    pub servers: Vec<UpstreamServer>,
    pub supports: Supports,
    /// Where it was created (messages about it point here).
    pub loc: Loc,
    /// An `upstream` block (nginx's `NGX_HTTP_UPSTREAM_CREATE`).
    pub explicit: bool,
    /// The port of an implicit upstream (0 for a block).
    pub port: u16,
    pub no_port: bool,
    pub method: Method,
    /// A method (or `keepalive`) already set the group's initialisation:
    /// another one is "load balancing method redefined".
    method_set: bool,
    /// `keepalive N` (nginx's `max_cached`).
    keepalive: Option<u64>,
    /// `keepalive` wraps the method in force (a method given after it
    /// replaces the wrapper, as in nginx).
    keepalive_wraps: bool,
    keepalive_requests: Option<u64>,
    keepalive_time: Option<Duration>,
    keepalive_timeout: Option<Duration>,
    /// `zone NAME [SIZE]`: accepted; the state stays per worker for now.
    pub zone: Option<(Arg, u64)>,
    /// The peers at run time, built when the `http` block ends.
    pub group: Option<Arc<Group>>,
}

impl UpstreamConf {
    fn new(name: Arg, loc: Loc, explicit: bool) -> UpstreamConf {
        UpstreamConf {
            name,
            servers: Vec::new(),
            supports: Supports::ROUND_ROBIN,
            loc,
            explicit,
            port: 0,
            no_port: true,
            method: Method::RoundRobin,
            method_set: false,
            keepalive: None,
            keepalive_wraps: false,
            keepalive_requests: None,
            keepalive_time: None,
            keepalive_timeout: None,
            zone: None,
            group: None,
        }
    }

    /// The keep-alive settings in force, if `keepalive` is.
    pub fn keepalive(&self) -> Option<KeepaliveConf> {
        let max_cached = self.keepalive.filter(|_| self.keepalive_wraps)?;
        Some(KeepaliveConf {
            max_cached: usize::try_from(max_cached).unwrap_or(usize::MAX),
            requests: self.keepalive_requests.unwrap_or(1000),
            time: self.keepalive_time.unwrap_or(Duration::from_secs(3600)),
            timeout: self.keepalive_timeout.unwrap_or(Duration::from_secs(60)),
        })
    }
}

/// Every upstream of the `http` block being compiled (nginx's
/// `umcf->upstreams`) and the shared memory zones they declared.
#[derive(Debug, Default)]
pub struct Registry {
    pub list: Vec<UpstreamConf>,
    zones: Vec<(Arg, u64)>,
}

/// An address a `proxy_pass` names (the parsed URL).
pub struct Wanted<'u> {
    pub url: &'u url::Url,
    pub text: &'u [u8],
}

impl Registry {
    /// nginx's `ngx_http_upstream_add` for `proxy_pass`: the upstream of
    /// that name (and port), or a new implicit one.
    pub fn add_implicit(&mut self, wanted: Wanted<'_>, loc: &Loc) -> Result<usize, ConfError> {
        let u = wanted.url;
        for (i, existing) in self.list.iter().enumerate() {
            if !existing.name.as_bytes().eq_ignore_ascii_case(&u.host) {
                continue;
            }
            if existing.explicit && !u.no_port {
                return Err(ConfError::at(
                    loc,
                    format!(
                        "upstream \"{}\" may not have port {}",
                        String::from_utf8_lossy(&u.host),
                        u.port
                    ),
                ));
            }
            if existing.port != 0 && u.port != 0 && existing.port != u.port {
                continue;
            }
            return Ok(i);
        }
        let mut upstream = UpstreamConf::new(Arg::new(u.host.clone()), loc.clone(), false);
        upstream.port = u.port;
        upstream.no_port = u.no_port;
        if u.addrs.len() == 1 && (u.port != 0 || u.unix) {
            // A literal address: one server, as nginx's zeroed server entry
            // (weight 0, no failure accounting) — the single-peer path
            // never looks at either.
            upstream.servers.push(UpstreamServer {
                name: Arg::new(Vec::new()),
                addrs: u.addrs.clone(),
                weight: 0,
                max_conns: 0,
                max_fails: 0,
                fail_timeout: Duration::ZERO,
                backup: false,
                down: false,
            });
        }
        let _ = wanted.text;
        self.list.push(upstream);
        Ok(self.list.len() - 1)
    }

    /// The index of an upstream for a run-time address: same name and
    /// port, or a block when the address has no port (nginx's search in
    /// `ngx_http_upstream_init_request`).
    pub fn find(list: &[UpstreamConf], host: &[u8], port: u16, no_port: bool) -> Option<usize> {
        list.iter().position(|u| {
            u.name.as_bytes().eq_ignore_ascii_case(host)
                && ((u.port == 0 && no_port) || u.port == port)
        })
    }

    fn add_zone(&mut self, d: &Directive, name: &Arg, size: u64) -> Result<(), ConfError> {
        for (existing, existing_size) in &mut self.zones {
            if existing.as_bytes() != name.as_bytes() {
                continue;
            }
            if *existing_size == 0 {
                *existing_size = size;
            }
            if size != 0 && size != *existing_size {
                return Err(ConfError::at(
                    &d.loc,
                    format!(
                        "the size {size} of shared memory zone \"{name}\" conflicts with already declared size {existing_size}"
                    ),
                ));
            }
            return Ok(());
        }
        self.zones.push((name.clone(), size));
        Ok(())
    }
}

/// The `upstream` block, called from the http module's setter. The block
/// goes into the compiler's registry (where `proxy_pass` finds it); the
/// list handed in is filled from the registry when `http` ends.
pub fn set_upstream(
    compiler: &mut Compiler,
    d: &Directive,
    _upstreams: &mut Vec<UpstreamConf>,
) -> Result<(), ConfError> {
    let name = d.args[0].clone();
    let mut slot = None;
    for (i, existing) in compiler.upstreams.list.iter().enumerate() {
        if !existing
            .name
            .as_bytes()
            .eq_ignore_ascii_case(name.as_bytes())
        {
            continue;
        }
        if existing.explicit {
            return Err(ConfError::at(
                &d.loc,
                format!("duplicate upstream \"{name}\""),
            ));
        }
        if !existing.no_port {
            return Err(ConfError::at(
                &existing.loc,
                format!(
                    "upstream \"{}\" may not have port {}",
                    existing.name, existing.port
                ),
            ));
        }
        slot = Some(i);
        break;
    }
    let mut upstream = UpstreamConf::new(name, d.loc.clone(), true);
    if let Some(i) = slot {
        // An implicit upstream of that name becomes this block (nginx turns
        // the same entry into the block), keeping its place.
        upstream.loc = compiler.upstreams.list[i].loc.clone();
    }
    if let Some(block) = &d.block {
        compiler.run_block(
            block,
            Context::Upstream,
            &mut Target::Upstream(&mut upstream),
        )?;
        if upstream.servers.is_empty() {
            let end = block.end.clone().unwrap_or_else(|| d.loc.clone());
            return Err(ConfError::at(&end, "no servers are inside upstream"));
        }
    }
    match slot {
        Some(i) => compiler.upstreams.list[i] = upstream,
        None => compiler.upstreams.list.push(upstream),
    }
    Ok(())
}

fn upstream_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut UpstreamConf, ConfError> {
    match t {
        Target::Upstream(upstream) => Ok(upstream),
        _ => Err(ConfError::bare(
            "internal error: upstream directive outside upstream",
        )),
    }
}

fn set_server(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let upstream = upstream_conf(t)?;
    let supports = upstream.supports;
    let mut server = UpstreamServer {
        name: d.args[0].clone(),
        addrs: Vec::new(),
        weight: 1,
        max_conns: 0,
        max_fails: 1,
        fail_timeout: Duration::from_secs(10),
        backup: false,
        down: false,
    };
    for arg in &d.args[1..] {
        let value = arg.as_bytes();
        let invalid = || ConfError::at(&d.loc, format!("invalid parameter \"{arg}\""));
        let not_supported = || {
            ConfError::at(
                &d.loc,
                format!("balancing method does not support parameter \"{arg}\""),
            )
        };
        if let Some(rest) = value.strip_prefix(b"weight=") {
            if !supports.weight {
                return Err(not_supported());
            }
            server.weight = values::atoi(rest).filter(|w| *w != 0).ok_or_else(invalid)?;
        } else if let Some(rest) = value.strip_prefix(b"max_conns=") {
            if !supports.max_conns {
                return Err(not_supported());
            }
            server.max_conns = values::atoi(rest).ok_or_else(invalid)?;
        } else if let Some(rest) = value.strip_prefix(b"max_fails=") {
            if !supports.max_fails {
                return Err(not_supported());
            }
            server.max_fails = values::atoi(rest).ok_or_else(invalid)?;
        } else if let Some(rest) = value.strip_prefix(b"fail_timeout=") {
            if !supports.fail_timeout {
                return Err(not_supported());
            }
            server.fail_timeout = values::parse_time(rest, true).ok_or_else(invalid)?;
        } else if value == b"backup" {
            if !supports.backup {
                return Err(not_supported());
            }
            server.backup = true;
        } else if value == b"down" {
            if !supports.down {
                return Err(not_supported());
            }
            server.down = true;
        } else {
            return Err(invalid());
        }
    }
    let options = url::Options {
        default_port: 80,
        uri_part: false,
        no_resolve: false,
    };
    let parsed = url::parse(d.args[0].as_bytes(), options)
        .map_err(|err| ConfError::at(&d.loc, format!("{err} in upstream \"{}\"", d.args[0])))?;
    server.addrs = parsed.addrs;
    upstream.servers.push(server);
    Ok(())
}

/// The common part of the method directives: nginx warns when a method
/// (or `keepalive`) already initialises the group.
fn set_method(
    compiler: &mut Compiler,
    d: &Directive,
    upstream: &mut UpstreamConf,
    method: Method,
    supports: Supports,
) {
    if upstream.method_set {
        compiler.warn(ConfError::at(&d.loc, "load balancing method redefined"));
    }
    upstream.method_set = true;
    upstream.keepalive_wraps = false;
    upstream.method = method;
    upstream.supports = supports;
}

fn set_ip_hash(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let upstream = upstream_conf(t)?;
    set_method(c, d, upstream, Method::IpHash, Supports::NO_BACKUP);
    Ok(())
}

fn set_hash(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let key = variables::compile(&d.args[0], &mut c.variables, &d.loc)?;
    let upstream = upstream_conf(t)?;
    let consistent = match d.args.get(1) {
        None => false,
        Some(arg) if arg.as_bytes() == b"consistent" => true,
        Some(arg) => {
            set_method(c, d, upstream, Method::RoundRobin, Supports::NO_BACKUP);
            return Err(ConfError::at(
                &d.loc,
                format!("invalid parameter \"{arg}\""),
            ));
        }
    };
    set_method(
        c,
        d,
        upstream,
        Method::Hash { key, consistent },
        Supports::NO_BACKUP,
    );
    Ok(())
}

fn set_least_conn(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let upstream = upstream_conf(t)?;
    set_method(c, d, upstream, Method::LeastConn, Supports::ROUND_ROBIN);
    Ok(())
}

fn set_random(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let upstream = upstream_conf(t)?;
    set_method(
        c,
        d,
        upstream,
        Method::Random { two: false },
        Supports::NO_BACKUP,
    );
    let Some(first) = d.args.first() else {
        return Ok(());
    };
    if first.as_bytes() != b"two" {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid parameter \"{first}\""),
        ));
    }
    upstream.method = Method::Random { two: true };
    match d.args.get(1) {
        Some(arg) if arg.as_bytes() != b"least_conn" => Err(ConfError::at(
            &d.loc,
            format!("invalid parameter \"{arg}\""),
        )),
        _ => Ok(()),
    }
}

fn set_keepalive(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let upstream = upstream_conf(t)?;
    if upstream.keepalive.is_some() {
        return Err(values::duplicate(d));
    }
    let value = &d.args[0];
    let n = values::atoi(value.as_bytes())
        .filter(|n| *n != 0)
        .ok_or_else(|| {
            ConfError::at(
                &d.loc,
                format!(
                    "invalid value \"{value}\" in \"{}\" directive",
                    d.name_str()
                ),
            )
        })?;
    upstream.keepalive = Some(n);
    upstream.keepalive_wraps = true;
    upstream.method_set = true;
    Ok(())
}

fn set_keepalive_requests(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::number_slot(&mut upstream_conf(t)?.keepalive_requests, d)
}

fn set_keepalive_time(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut upstream_conf(t)?.keepalive_time, d)
}

fn set_keepalive_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut upstream_conf(t)?.keepalive_timeout, d)
}

/// `zone NAME [SIZE]` (nginx's checks; the zone is not shared yet: each
/// worker keeps its own peer state, as nginx does without `zone`).
fn set_zone(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let name = d.args[0].clone();
    if name.as_bytes().is_empty() {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid zone name \"{name}\""),
        ));
    }
    let size = match d.args.get(1) {
        Some(arg) => {
            let size = values::parse_size(arg.as_bytes())
                .ok_or_else(|| ConfError::at(&d.loc, format!("invalid zone size \"{arg}\"")))?;
            if size < 8 * 4096 {
                return Err(ConfError::at(
                    &d.loc,
                    format!("zone \"{name}\" is too small"),
                ));
            }
            size
        }
        None => 0,
    };
    c.upstreams.add_zone(d, &name, size)?;
    let upstream = upstream_conf(t)?;
    upstream.zone = Some((name, size));
    Ok(())
}

/// nginx's upstream `init_main_conf`, when the `http` block ends: every
/// group gets its peers (implicit ones are resolved now), its balancer's
/// tables and its keep-alive cache. The registry becomes the http block's
/// list of upstreams.
pub fn init_main_conf(compiler: &mut Compiler) -> Result<Vec<UpstreamConf>, ConfError> {
    let mut list = std::mem::take(&mut compiler.upstreams.list);
    for upstream in &mut list {
        upstream.group = Some(Arc::new(build_group(upstream)?));
    }
    Ok(list)
}

fn build_group(upstream: &UpstreamConf) -> Result<Group, ConfError> {
    let name = upstream.name.lossy().into_owned();
    let (primary, backup) = if upstream.explicit || !upstream.servers.is_empty() {
        let peers_of = |backup: bool| -> Vec<Peer> {
            upstream
                .servers
                .iter()
                .filter(|s| s.backup == backup)
                .flat_map(|s| {
                    s.addrs.iter().map(move |addr| Peer {
                        addr: addr.addr.clone(),
                        name: Arc::from(addr.name.as_str()),
                        server: s.name.as_bytes().to_vec(),
                        weight: i64::try_from(s.weight).unwrap_or(i64::MAX),
                        max_conns: s.max_conns,
                        max_fails: s.max_fails,
                        fail_timeout: s.fail_timeout.as_secs() as i64,
                        down: s.down,
                    })
                })
                .collect()
        };
        let primary = peers_of(false);
        if primary.is_empty() {
            return Err(ConfError::at(
                &upstream.loc,
                format!("no servers in upstream \"{name}\""),
            ));
        }
        let backup = peers_of(true);
        (
            PeerList::new(primary),
            (!backup.is_empty()).then(|| PeerList::new(backup)),
        )
    } else {
        if upstream.port == 0 {
            return Err(ConfError::at(
                &upstream.loc,
                format!("no port in upstream \"{name}\""),
            ));
        }
        let addrs = url::resolve_host(upstream.name.as_bytes(), upstream.port)
            .map_err(|err| ConfError::at(&upstream.loc, format!("{err} in upstream \"{name}\"")))?;
        let peers = addrs
            .into_iter()
            .map(|addr| Peer {
                addr: addr.addr,
                name: Arc::from(addr.name),
                server: Vec::new(),
                weight: 1,
                max_conns: 0,
                max_fails: 1,
                fail_timeout: 10,
                down: false,
            })
            .collect();
        (PeerList::new(peers), None)
    };
    let method = match &upstream.method {
        Method::RoundRobin => RuntimeMethod::RoundRobin,
        Method::IpHash => RuntimeMethod::IpHash,
        Method::Hash {
            consistent: false, ..
        } => RuntimeMethod::Hash,
        Method::Hash {
            consistent: true, ..
        } => RuntimeMethod::Consistent(peers::ketama_points(&primary)),
        Method::LeastConn => RuntimeMethod::LeastConn,
        Method::Random { two } => RuntimeMethod::Random {
            two: *two,
            ranges: peers::random_ranges(&primary),
        },
    };
    let pool = upstream.keepalive().map(|conf| Arc::new(Pool::new(conf)));
    Ok(Group::new(name, primary, backup, method, pool))
}

const UPSTREAM: &str = "ngx_http_upstream_module";
const KEEPALIVE: &str = "ngx_http_upstream_keepalive_module";

pub static SPECS: &[Spec] = &[Spec {
    module: UPSTREAM,
    name: "server",
    set: set_server,
    note: "weight, max_fails, fail_timeout, max_conns, backup, down; names resolved at startup",
}];

pub static HASH_SPECS: &[Spec] = &[Spec {
    module: "ngx_http_upstream_hash_module",
    name: "hash",
    set: set_hash,
    note: "nginx's crc32 hash, and ketama (`consistent`, 160 points per weight)",
}];

pub static IP_HASH_SPECS: &[Spec] = &[Spec {
    module: "ngx_http_upstream_ip_hash_module",
    name: "ip_hash",
    set: set_ip_hash,
    note: "first three octets of IPv4, whole IPv6, nginx's hash",
}];

pub static LEAST_CONN_SPECS: &[Spec] = &[Spec {
    module: "ngx_http_upstream_least_conn_module",
    name: "least_conn",
    set: set_least_conn,
    note: "weighted least connections, round robin among equals",
}];

pub static RANDOM_SPECS: &[Spec] = &[Spec {
    module: "ngx_http_upstream_random_module",
    name: "random",
    set: set_random,
    note: "weighted random, `two [least_conn]`",
}];

pub static KEEPALIVE_SPECS: &[Spec] = &[
    Spec {
        module: KEEPALIVE,
        name: "keepalive",
        set: set_keepalive,
        note: "per-worker cache of idle connections, checked before reuse",
    },
    Spec {
        module: KEEPALIVE,
        name: "keepalive_requests",
        set: set_keepalive_requests,
        note: "requests per cached connection",
    },
    Spec {
        module: KEEPALIVE,
        name: "keepalive_time",
        set: set_keepalive_time,
        note: "longest life of a cached connection",
    },
    Spec {
        module: KEEPALIVE,
        name: "keepalive_timeout",
        set: set_keepalive_timeout,
        note: "idle time before a cached connection is closed",
    },
];

pub static ZONE_SPECS: &[Spec] = &[Spec {
    module: "ngx_http_upstream_zone_module",
    name: "zone",
    set: set_zone,
    note: "checked as nginx checks it; peer state stays per worker for now",
}];
