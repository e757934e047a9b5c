//! The core module's per-request limits and connection tuning:
//! request-body buffering (`client_body_buffer_size`,
//! `client_body_in_file_only`, `client_body_temp_path`,
//! `client_body_timeout`), the close of a connection (`lingering_close`,
//! `lingering_time`, `lingering_timeout`, `reset_timedout_connection`),
//! the response write (`send_timeout`, `limit_rate`, `limit_rate_after`,
//! `postpone_output`) and the name resolver `proxy_pass` with variables
//! uses (`resolver`, `resolver_timeout`).
//!
//! The HTTP/1 codec learns the settings of the location a request ended in
//! from the outcome the handler returns (`Outcome::tuning`).

use super::LocConf;
use crate::compile::{Compiler, Target};
use crate::registry::Spec;
use crate::values;
use rginx_conf::{ConfError, Directive};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Debian's compiled-in `client_body_temp_path`.
pub const DEFAULT_BODY_TEMP_PATH: &str = "/var/lib/nginx/body";

/// `lingering_close`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LingeringClose {
    Off,
    On,
    Always,
}

/// `client_body_in_file_only`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InFileOnly {
    Off,
    /// The file is kept after the request.
    On,
    /// The file is removed after the request.
    Clean,
}

/// A temporary-file directory and its hashed levels (nginx's path slot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TempPath {
    pub dir: PathBuf,
    pub levels: Vec<usize>,
    /// Where it was configured (`None`: the compiled-in default).
    pub defined_at: Option<(String, usize)>,
}

impl TempPath {
    /// The path of temporary file number `n`, its level directories taken
    /// from the end of the ten-digit name as nginx's
    /// `ngx_create_hashed_filename` does (`levels 1 2`: `7/56/0000001567`).
    pub fn file_path(&self, n: u64) -> PathBuf {
        let name = format!("{:010}", n % 10_000_000_000);
        let mut path = self.dir.clone();
        let mut end = name.len();
        for level in &self.levels {
            let start = end.saturating_sub(*level);
            path.push(&name[start..end]);
            end = start;
        }
        path.push(&name);
        path
    }
}

/// `resolver`: the name servers `proxy_pass` with variables asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolver {
    pub servers: Vec<SocketAddr>,
    /// `valid=`: caps how long an answer is cached.
    pub valid: Option<Duration>,
    /// `ipv6=off`: ask for A records only.
    pub ipv6: bool,
}

/// Location-level settings (also at http and server level).
#[derive(Clone, Debug, Default)]
pub struct LimitsLoc {
    pub client_body_buffer_size: Option<u64>,
    pub client_body_in_file_only: Option<InFileOnly>,
    pub client_body_temp_path: Option<Arc<TempPath>>,
    pub client_body_timeout: Option<Duration>,
    pub lingering_close: Option<LingeringClose>,
    pub lingering_time: Option<Duration>,
    pub lingering_timeout: Option<Duration>,
    pub reset_timedout_connection: Option<bool>,
    pub send_timeout: Option<Duration>,
    pub limit_rate: Option<u64>,
    pub limit_rate_after: Option<u64>,
    pub postpone_output: Option<u64>,
    pub resolver: Option<Arc<Resolver>>,
    pub resolver_timeout: Option<Duration>,
    pub keepalive_time: Option<Duration>,
}

impl LimitsLoc {
    pub fn merge(&mut self, parent: &LimitsLoc) {
        macro_rules! inherit {
            ($($field:ident),*) => {
                $(if self.$field.is_none() {
                    self.$field.clone_from(&parent.$field);
                })*
            };
        }
        inherit!(
            client_body_buffer_size,
            client_body_in_file_only,
            client_body_temp_path,
            client_body_timeout,
            lingering_close,
            lingering_time,
            lingering_timeout,
            reset_timedout_connection,
            send_timeout,
            limit_rate,
            limit_rate_after,
            postpone_output,
            resolver,
            resolver_timeout,
            keepalive_time
        );
    }

    /// nginx's default: two pages (16k on x86-64).
    pub fn client_body_buffer_size(&self) -> u64 {
        self.client_body_buffer_size.unwrap_or(16 * 1024)
    }

    pub fn client_body_in_file_only(&self) -> InFileOnly {
        self.client_body_in_file_only.unwrap_or(InFileOnly::Off)
    }

    /// nginx's default 60s.
    pub fn client_body_timeout(&self) -> Duration {
        self.client_body_timeout.unwrap_or(Duration::from_secs(60))
    }

    /// nginx's default 30s.
    pub fn resolver_timeout(&self) -> Duration {
        self.resolver_timeout.unwrap_or(Duration::from_secs(30))
    }

    /// nginx's default 1h.
    pub fn keepalive_time(&self) -> Duration {
        self.keepalive_time.unwrap_or(Duration::from_secs(3600))
    }

    pub fn limit_rate(&self) -> u64 {
        self.limit_rate.unwrap_or(0)
    }

    /// What the response writer needs.
    pub fn tuning(&self) -> Tuning {
        let default = Tuning::default();
        Tuning {
            lingering_close: self.lingering_close.unwrap_or(default.lingering_close),
            lingering_time: self.lingering_time.unwrap_or(default.lingering_time),
            lingering_timeout: self.lingering_timeout.unwrap_or(default.lingering_timeout),
            reset_timedout_connection: self.reset_timedout_connection.unwrap_or(false),
            send_timeout: self.send_timeout.unwrap_or(default.send_timeout),
            limit_rate: self.limit_rate(),
            limit_rate_after: self.limit_rate_after.unwrap_or(0),
            postpone_output: self.postpone_output.unwrap_or(default.postpone_output),
        }
    }
}

/// The settings the HTTP/1 codec applies to one request's response and to
/// the close that may follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tuning {
    pub lingering_close: LingeringClose,
    pub lingering_time: Duration,
    pub lingering_timeout: Duration,
    pub reset_timedout_connection: bool,
    pub send_timeout: Duration,
    /// Bytes per second; 0: unlimited.
    pub limit_rate: u64,
    pub limit_rate_after: u64,
    pub postpone_output: u64,
}

impl Default for Tuning {
    /// nginx's defaults.
    fn default() -> Tuning {
        Tuning {
            lingering_close: LingeringClose::On,
            lingering_time: Duration::from_secs(30),
            lingering_timeout: Duration::from_secs(5),
            reset_timedout_connection: false,
            send_timeout: Duration::from_secs(60),
            limit_rate: 0,
            limit_rate_after: 0,
            postpone_output: 1460,
        }
    }
}

fn loc<'a>(target: &'a mut Target<'_>) -> Result<&'a mut LocConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.conf),
        Target::Server(_, server) => Ok(&mut server.conf),
        Target::Location(location) => Ok(&mut location.conf),
        _ => Err(ConfError::bare("internal error: directive out of place")),
    }
}

fn limits<'a>(target: &'a mut Target<'_>) -> Result<&'a mut LimitsLoc, ConfError> {
    Ok(&mut loc(target)?.limits)
}

fn set_client_body_buffer_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::size_slot(&mut limits(t)?.client_body_buffer_size, d)
}

fn set_client_body_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut limits(t)?.client_body_timeout, d)
}

fn set_client_body_in_file_only(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let slot = &mut limits(t)?.client_body_in_file_only;
    if slot.is_some() {
        return Err(values::duplicate(d));
    }
    let value = &d.args[0];
    *slot = Some(match value.as_bytes().to_ascii_lowercase().as_slice() {
        b"off" => InFileOnly::Off,
        b"on" => InFileOnly::On,
        b"clean" => InFileOnly::Clean,
        _ => return Err(values::invalid_value(d, value)),
    });
    Ok(())
}

/// nginx's path slot: `PATH [L1 [L2 [L3]]]`, levels of 1 to 10 digits in
/// all; the same directory may not be used with other levels.
fn set_client_body_temp_path(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if limits(t)?.client_body_temp_path.is_some() {
        return Err(values::duplicate(d));
    }
    let mut name = d.args[0].as_bytes().to_vec();
    if name.len() > 1 && name.last() == Some(&b'/') {
        name.pop();
    }
    let dir = c
        .options
        .prefixed(Path::new(&*String::from_utf8_lossy(&name)));
    let mut levels = Vec::new();
    for arg in &d.args[1..] {
        let level = values::atoi(arg.as_bytes())
            .filter(|n| *n != 0)
            .ok_or_else(|| values::directive_error(d, "invalid value"))?;
        levels.push(usize::try_from(level).unwrap_or(usize::MAX));
    }
    if levels.iter().fold(0usize, |sum, l| sum.saturating_add(*l)) > 10 {
        return Err(values::directive_error(d, "invalid value"));
    }
    let path = Arc::new(TempPath {
        dir,
        levels,
        defined_at: Some((
            d.loc
                .file
                .as_ref()
                .map_or_else(|| "command line".to_string(), |f| f.display().to_string()),
            d.loc.line,
        )),
    });
    add_path(c, &path)?;
    limits(t)?.client_body_temp_path = Some(path);
    Ok(())
}

/// nginx's `ngx_add_path`: one directory, one set of levels.
fn add_path(c: &mut Compiler, path: &Arc<TempPath>) -> Result<(), ConfError> {
    let at = |p: &TempPath| {
        p.defined_at
            .as_ref()
            .map(|(file, line)| format!("{file}:{line}"))
            .unwrap_or_default()
    };
    if let Some(known) = c.temp_paths.iter().find(|p| p.dir == path.dir) {
        if known.levels != path.levels {
            let name = path.dir.display();
            return Err(ConfError::bare(
                match (&known.defined_at, &path.defined_at) {
                    (Some(_), None) => format!(
                        "the path name \"{name}\" in {} has the same name as default path, but the different levels, you need to define default path in http section",
                        at(known)
                    ),
                    _ => format!(
                        "the same path name \"{name}\" in {} has the different levels than in {}",
                        at(known),
                        at(path)
                    ),
                },
            ));
        }
        return Ok(());
    }
    c.temp_paths.push(path.clone());
    Ok(())
}

/// nginx's `ngx_create_paths`, run after "syntax is ok": each configured
/// temporary directory is made (its parent must exist). The compiled-in
/// default is made when it can be; rginx makes it again when it first
/// spools a body.
pub fn create_paths(c: &Compiler, user: Option<(u32, u32)>) -> Result<(), ConfError> {
    for path in &c.temp_paths {
        if let Err(err) = make_dir(&path.dir, user) {
            return Err(ConfError::bare(format!(
                "mkdir() \"{}\" failed {}",
                path.dir.display(),
                rginx_conf::error::os_error_suffix(&err)
            )));
        }
    }
    Ok(())
}

/// Makes one directory, mode 0700, owned by the workers' user when rginx
/// runs as root.
pub fn make_dir(dir: &Path, user: Option<(u32, u32)>) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(err),
    }
    if let Some((uid, gid)) = user
        && nix::unistd::geteuid().is_root()
    {
        let _ = std::os::unix::fs::chown(dir, Some(uid), Some(gid));
    }
    Ok(())
}

fn set_lingering_close(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let slot = &mut limits(t)?.lingering_close;
    if slot.is_some() {
        return Err(values::duplicate(d));
    }
    let value = &d.args[0];
    *slot = Some(match value.as_bytes().to_ascii_lowercase().as_slice() {
        b"off" => LingeringClose::Off,
        b"on" => LingeringClose::On,
        b"always" => LingeringClose::Always,
        _ => return Err(values::invalid_value(d, value)),
    });
    Ok(())
}

fn set_lingering_time(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut limits(t)?.lingering_time, d)
}

fn set_lingering_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut limits(t)?.lingering_timeout, d)
}

fn set_reset_timedout_connection(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut limits(t)?.reset_timedout_connection, d)
}

fn set_keepalive_time(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut limits(t)?.keepalive_time, d)
}

fn set_send_timeout(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::msec_slot(&mut limits(t)?.send_timeout, d)
}

fn set_limit_rate(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::size_slot(&mut limits(t)?.limit_rate, d)
}

fn set_limit_rate_after(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::size_slot(&mut limits(t)?.limit_rate_after, d)
}

fn set_postpone_output(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::size_slot(&mut limits(t)?.postpone_output, d)
}

fn set_resolver_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if limits(t)?.resolver_timeout.is_some() {
        return Err(values::duplicate(d));
    }
    let value = values::msec(d, &d.args[0])?;
    limits(t)?.resolver_timeout = Some(value);
    Ok(())
}

/// nginx's `ngx_resolver_create`: addresses (port 53 by default, host
/// names looked up now), `valid=TIME`, `ipv6=on|off`.
fn set_resolver(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if limits(t)?.resolver.is_some() {
        return Err(values::duplicate(d));
    }
    let mut resolver = Resolver {
        servers: Vec::new(),
        valid: None,
        ipv6: true,
    };
    let invalid =
        |arg: &rginx_conf::Arg| ConfError::at(&d.loc, format!("invalid parameter: {arg}"));
    for arg in &d.args {
        let bytes = arg.as_bytes();
        if let Some(time) = bytes.strip_prefix(b"valid=") {
            resolver.valid = Some(values::parse_time(time, true).ok_or_else(|| invalid(arg))?);
            continue;
        }
        if let Some(flag) = bytes.strip_prefix(b"ipv6=") {
            resolver.ipv6 = match flag {
                b"on" => true,
                b"off" => false,
                _ => return Err(invalid(arg)),
            };
            continue;
        }
        let options = crate::upstream::url::Options {
            default_port: 53,
            uri_part: false,
            no_resolve: false,
        };
        let parsed = crate::upstream::url::parse(bytes, options)
            .map_err(|err| ConfError::at(&d.loc, format!("{err} in resolver \"{arg}\"")))?;
        for addr in parsed.addrs {
            if let crate::upstream::PeerAddr::Inet(addr) = addr.addr {
                resolver.servers.push(addr);
            }
        }
    }
    if resolver.servers.is_empty() {
        return Err(ConfError::at(&d.loc, "no name servers defined"));
    }
    limits(t)?.resolver = Some(Arc::new(resolver));
    Ok(())
}

const CORE: &str = "ngx_http_core_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: CORE,
        name: "client_body_buffer_size",
        set: set_client_body_buffer_size,
        note: "request bodies (proxied) larger than this go to a temporary file",
    },
    Spec {
        module: CORE,
        name: "client_body_in_file_only",
        set: set_client_body_in_file_only,
        note: "proxied request bodies always go to a file (kept with `on`)",
    },
    Spec {
        module: CORE,
        name: "client_body_temp_path",
        set: set_client_body_temp_path,
        note: "where request bodies are spooled, with nginx's level layout",
    },
    Spec {
        module: CORE,
        name: "client_body_timeout",
        set: set_client_body_timeout,
        note: "longest wait for request body bytes (408)",
    },
    Spec {
        module: CORE,
        name: "lingering_close",
        set: set_lingering_close,
        note: "HTTP/1: read what the client still sends before closing",
    },
    Spec {
        module: CORE,
        name: "lingering_time",
        set: set_lingering_time,
        note: "HTTP/1: longest lingering close (and body discard)",
    },
    Spec {
        module: CORE,
        name: "lingering_timeout",
        set: set_lingering_timeout,
        note: "HTTP/1: longest wait for more client bytes while lingering",
    },
    Spec {
        module: CORE,
        name: "reset_timedout_connection",
        set: set_reset_timedout_connection,
        note: "HTTP/1: close timed-out (and `return 444`) connections with RST",
    },
    Spec {
        module: CORE,
        name: "keepalive_time",
        set: set_keepalive_time,
        note: "no keep-alive after a connection has served this long",
    },
    Spec {
        module: CORE,
        name: "send_timeout",
        set: set_send_timeout,
        note: "HTTP/1: longest a response write may stall",
    },
    Spec {
        module: CORE,
        name: "limit_rate",
        set: set_limit_rate,
        note: "HTTP/1: response bytes per second per request",
    },
    Spec {
        module: CORE,
        name: "limit_rate_after",
        set: set_limit_rate_after,
        note: "HTTP/1: bytes sent before limit_rate applies",
    },
    Spec {
        module: CORE,
        name: "postpone_output",
        set: set_postpone_output,
        note: "HTTP/1: `0` writes each body piece at once; otherwise pieces are gathered while more are ready",
    },
    Spec {
        module: CORE,
        name: "resolver",
        set: set_resolver,
        note: "name servers for proxy_pass with variables (A/AAAA over UDP)",
    },
    Spec {
        module: CORE,
        name: "resolver_timeout",
        set: set_resolver_timeout,
        note: "time limit of a resolver query",
    },
];
