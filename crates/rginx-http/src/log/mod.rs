//! nginx's log module (`log_format`, `access_log`, `open_log_file_cache`)
//! and the request-time error log (`error_log` at http, server and location
//! level, from nginx's http core module).
//!
//! As in nginx, a level with any `access_log` (or `access_log off`) replaces
//! the list it would inherit; a level with none inherits its parent's, and
//! where no level has one the compiled-in default is used:
//! `access_log /var/log/nginx/access.log combined` (Debian's path). The same
//! holds for `error_log`, whose last fallback is the main context's logs.

pub mod file;
pub mod format;
mod gzip;
mod local_time;
pub mod pending;
mod script;

use crate::Config;
use crate::compile::{Compiler, Target};
use crate::core_main::{self, ErrorLog, LogDestination, LogLevel};
use crate::http_core::request::Ctx;
use crate::registry::Spec;
use crate::values;
use crate::variables::{self, Template, UserKind};
use file::{BufferSpec, LogFile};
use format::{Field, Format};
use rginx_conf::{Arg, ConfError, Directive};
use std::cell::{Cell, RefCell};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// nginx's `NGX_HTTP_LOG_PATH` as Debian builds it.
pub const DEFAULT_ACCESS_LOG: &str = "/var/log/nginx/access.log";

const MODULE: &str = "ngx_http_log_module";

/// Where an `access_log` writes.
#[derive(Debug)]
pub enum Destination {
    File(Arc<LogFile>),
    /// A path with variables, made per request (prefix already applied).
    Script(Template),
}

/// One `access_log`.
#[derive(Debug)]
pub struct AccessLog {
    pub destination: Destination,
    pub format: Arc<Format>,
    /// `if=`: the line is skipped when this is empty or `0`.
    pub filter: Option<Template>,
}

/// One request-time `error_log`.
#[derive(Clone, Debug)]
pub struct ErrorTarget {
    /// `None`: stderr.
    pub file: Option<Arc<LogFile>>,
    pub level: LogLevel,
}

/// `open_log_file_cache max=N [inactive=T] [valid=T] [min_uses=N]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileCache {
    pub max: u64,
    pub inactive: Duration,
    pub valid: Duration,
    pub min_uses: u64,
}

/// Log settings of a location (and of server/http levels).
#[derive(Clone, Debug, Default)]
pub struct LogConf {
    /// This level's `access_log`s (`None`: none here, inherit).
    pub access: Option<Vec<Arc<AccessLog>>>,
    /// `access_log off` (wins over any `access_log` of the same level).
    pub off: bool,
    /// `Some(None)`: `open_log_file_cache off`.
    pub open_file_cache: Option<Option<FileCache>>,
    /// This level's `error_log`s (`None`: inherit; at the top, the main
    /// context's logs). Shared: every request's access log holds them.
    pub error_logs: Option<Arc<[ErrorTarget]>>,
}

impl LogConf {
    /// nginx's `ngx_http_log_merge_loc_conf` and the `error_log` part of
    /// `ngx_http_core_merge_loc_conf`.
    pub fn merge(&mut self, parent: &LogConf) {
        if self.open_file_cache.is_none() {
            self.open_file_cache = parent.open_file_cache;
        }
        if self.error_logs.is_none() {
            self.error_logs.clone_from(&parent.error_logs);
        }
        if self.access.is_none() && !self.off {
            self.access.clone_from(&parent.access);
            self.off = parent.off;
            if self.access.is_none() && !self.off {
                self.access = Some(vec![default_access_log()]);
            }
        }
    }
}

/// `access_log /var/log/nginx/access.log combined`, one object per process
/// so that every server without a log shares the file.
fn default_access_log() -> Arc<AccessLog> {
    static DEFAULT: OnceLock<Arc<AccessLog>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| {
            Arc::new(AccessLog {
                destination: Destination::File(LogFile::new(PathBuf::from(DEFAULT_ACCESS_LOG))),
                format: combined(),
                filter: None,
            })
        })
        .clone()
}

fn combined() -> Arc<Format> {
    static COMBINED: OnceLock<Arc<Format>> = OnceLock::new();
    COMBINED
        .get_or_init(|| Arc::new(Format::combined()))
        .clone()
}

// ---------------------------------------------------------------------------
// Compile time.

/// What the log module knows about the http block being compiled: the
/// formats defined so far (nginx's main conf) and the files named so far
/// (nginx's cycle-wide open file list, shared by name).
struct CompileState {
    formats: Vec<Arc<Format>>,
    files: Vec<Arc<LogFile>>,
}

impl CompileState {
    fn new() -> CompileState {
        CompileState {
            formats: vec![combined()],
            files: Vec::new(),
        }
    }

    /// The file for a full path, shared with every earlier log naming it.
    fn file(&mut self, path: PathBuf) -> Arc<LogFile> {
        if let Some(file) = self.files.iter().find(|f| f.path == path) {
            return file.clone();
        }
        let file = LogFile::new(path);
        self.files.push(file.clone());
        file
    }
}

/// Marks the variable registry of the compilation the thread-local state
/// belongs to. The name cannot be written in a configuration (variable
/// names are letters, digits and `_`), so no variable collides with it.
const STATE_MARK: &str = "\u{1}ngx_http_log_module#";

thread_local! {
    static COMPILING: RefCell<Option<(u64, CompileState)>> = const { RefCell::new(None) };
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` with the log state of the http block `compiler` is compiling.
///
/// A location-level `access_log` must see the formats of its http block,
/// but a setter at location level is handed only the location. The state
/// lives in a thread-local (compilation is synchronous, one per thread at a
/// time), tied to this compilation by a mark in its variable registry, which
/// every compilation creates afresh: a later compilation never sees an
/// earlier one's formats.
fn with_state<R>(
    compiler: &mut Compiler,
    f: impl FnOnce(&mut CompileState, &mut Compiler) -> R,
) -> R {
    let mark = compiler
        .variables
        .user
        .iter()
        .position(|v| v.name.starts_with(STATE_MARK));
    let marked = mark.and_then(|id| {
        compiler.variables.user[id]
            .name
            .strip_prefix(STATE_MARK)?
            .parse::<u64>()
            .ok()
    });
    COMPILING.with(|cell| {
        let mut slot = cell.borrow_mut();
        let current = match (&*slot, marked) {
            (Some((generation, _)), Some(marked)) => *generation == marked,
            _ => false,
        };
        if !current {
            let generation = GENERATION.with(|g| {
                g.set(g.get() + 1);
                g.get()
            });
            let name = format!("{STATE_MARK}{generation}");
            match mark {
                Some(id) => compiler.variables.user[id].name = name,
                None => {
                    // A plain slot nobody writes: it evaluates to "not found".
                    let _ = compiler.variables.define(&name, UserKind::Slot);
                }
            }
            *slot = Some((generation, CompileState::new()));
        }
        let state = &mut slot.get_or_insert_with(|| (0, CompileState::new())).1;
        f(state, compiler)
    })
}

fn log_conf<'a>(target: &'a mut Target<'_>) -> Result<&'a mut LogConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.conf.log),
        Target::Server(_, server) => Ok(&mut server.conf.log),
        Target::Location(location) => Ok(&mut location.conf.log),
        _ => Err(ConfError::bare(
            "internal error: log directive out of place",
        )),
    }
}

/// A path from the configuration as bytes, relative ones against the
/// prefix (nginx's `ngx_conf_full_name`).
fn full_name(compiler: &Compiler, name: &[u8]) -> Vec<u8> {
    if name.starts_with(b"/") {
        return name.to_vec();
    }
    let mut full = compiler.options.prefix.as_os_str().as_bytes().to_vec();
    if !full.is_empty() && !full.ends_with(b"/") {
        full.push(b'/');
    }
    full.extend_from_slice(name);
    full
}

fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(bytes))
}

fn set_log_format(
    compiler: &mut Compiler,
    d: &Directive,
    _: &mut Target<'_>,
) -> Result<(), ConfError> {
    let name = d.args[0].clone();
    with_state(compiler, |state, compiler| {
        // Duplicates are found case-sensitively, uses case-insensitively,
        // as nginx does.
        if state.formats.iter().any(|f| f.name == name) {
            return Err(ConfError::at(
                &d.loc,
                format!("duplicate \"log_format\" name \"{name}\""),
            ));
        }
        let format = Format::compile(name, &d.args[1..], &mut compiler.variables, &d.loc)?;
        state.formats.push(Arc::new(format));
        Ok(())
    })
}

fn set_access_log(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = log_conf(t)?;
    let target = &d.args[0];
    if *target == "off" {
        conf.off = true;
        return match d.args.get(1) {
            None => Ok(()),
            Some(extra) => Err(ConfError::at(
                &d.loc,
                format!("invalid parameter \"{extra}\""),
            )),
        };
    }
    if target.as_bytes().starts_with(b"syslog:") {
        return Err(ConfError::at(
            &d.loc,
            format!("\"{target}\" access log is not supported by rginx"),
        ));
    }
    let log = with_state(compiler, |state, compiler| {
        let full = full_name(compiler, target.as_bytes());
        let destination = if target.as_bytes().contains(&b'$') {
            Destination::Script(variables::compile(
                &Arg::new(full),
                &mut compiler.variables,
                &d.loc,
            )?)
        } else {
            Destination::File(state.file(path_of(&full)))
        };
        let name = d.args.get(1).map_or(b"combined".as_slice(), Arg::as_bytes);
        let Some(format) = state
            .formats
            .iter()
            .find(|f| f.name.as_bytes().eq_ignore_ascii_case(name))
            .cloned()
        else {
            return Err(ConfError::at(
                &d.loc,
                format!("unknown log format \"{}\"", String::from_utf8_lossy(name)),
            ));
        };
        let params = parse_params(compiler, d)?;
        if params.flush.is_some() && params.size == 0 {
            return Err(ConfError::at(
                &d.loc,
                format!("no buffer is defined for access_log \"{target}\""),
            ));
        }
        if params.size > 0 {
            let Destination::File(file) = &destination else {
                return Err(ConfError::at(
                    &d.loc,
                    "buffered logs cannot have variables in name",
                ));
            };
            let spec = BufferSpec {
                size: params.size,
                flush: params.flush,
                gzip: params.gzip,
            };
            if !file.set_buffer(spec) {
                return Err(ConfError::at(
                    &d.loc,
                    format!("access_log \"{target}\" already defined with conflicting parameters"),
                ));
            }
        }
        Ok(AccessLog {
            destination,
            format,
            filter: params.filter,
        })
    })?;
    conf.access.get_or_insert_with(Vec::new).push(Arc::new(log));
    Ok(())
}

/// The `buffer=`, `flush=`, `gzip`, `if=` parameters of `access_log`.
struct Params {
    size: usize,
    flush: Option<Duration>,
    gzip: u32,
    filter: Option<Template>,
}

fn parse_params(compiler: &mut Compiler, d: &Directive) -> Result<Params, ConfError> {
    let mut params = Params {
        size: 0,
        flush: None,
        gzip: 0,
        filter: None,
    };
    let error = |message: String| ConfError::at(&d.loc, message);
    for arg in d.args.iter().skip(2) {
        let bytes = arg.as_bytes();
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        if let Some(size) = bytes.strip_prefix(b"buffer=") {
            params.size = values::parse_size(size)
                .filter(|&s| s > 0)
                .and_then(|s| usize::try_from(s).ok())
                .ok_or_else(|| error(format!("invalid buffer size \"{}\"", lossy(size))))?;
        } else if let Some(time) = bytes.strip_prefix(b"flush=") {
            params.flush = Some(
                values::parse_time(time, false)
                    .filter(|t| !t.is_zero())
                    .ok_or_else(|| error(format!("invalid flush time \"{}\"", lossy(time))))?,
            );
        } else if bytes == b"gzip" || bytes.starts_with(b"gzip=") {
            // nginx's default buffer for compressed logs.
            if params.size == 0 {
                params.size = 64 * 1024;
            }
            params.gzip = match bytes.strip_prefix(b"gzip=") {
                None => 1,
                Some(level) => values::atoi(level)
                    .filter(|l| (1..=9).contains(l))
                    .map(|l| l as u32)
                    .ok_or_else(|| {
                        error(format!("invalid compression level \"{}\"", lossy(level)))
                    })?,
            };
        } else if let Some(condition) = bytes.strip_prefix(b"if=") {
            params.filter = Some(variables::compile(
                &Arg::new(condition),
                &mut compiler.variables,
                &d.loc,
            )?);
        } else {
            return Err(error(format!("invalid parameter \"{arg}\"")));
        }
    }
    Ok(params)
}

fn set_open_log_file_cache(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = log_conf(t)?;
    if conf.open_file_cache.is_some() {
        return Err(values::duplicate(d));
    }
    let mut cache = FileCache {
        max: 0,
        inactive: Duration::from_secs(10),
        valid: Duration::from_secs(60),
        min_uses: 1,
    };
    let mut off = false;
    for arg in &d.args {
        let bytes = arg.as_bytes();
        let parsed = if let Some(v) = bytes.strip_prefix(b"max=") {
            values::atoi(v).map(|max| cache.max = max)
        } else if let Some(v) = bytes.strip_prefix(b"inactive=") {
            values::parse_time(v, true).map(|t| cache.inactive = t)
        } else if let Some(v) = bytes.strip_prefix(b"min_uses=") {
            values::atoi(v).map(|n| cache.min_uses = n)
        } else if let Some(v) = bytes.strip_prefix(b"valid=") {
            values::parse_time(v, true).map(|t| cache.valid = t)
        } else if bytes == b"off" {
            off = true;
            Some(())
        } else {
            None
        };
        if parsed.is_none() {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid \"open_log_file_cache\" parameter \"{arg}\""),
            ));
        }
    }
    if off {
        conf.open_file_cache = Some(None);
        return Ok(());
    }
    if cache.max == 0 {
        return Err(ConfError::at(
            &d.loc,
            "\"open_log_file_cache\" must have \"max\" parameter",
        ));
    }
    conf.open_file_cache = Some(Some(cache));
    Ok(())
}

/// `error_log` at http, server or location level.
fn set_error_log(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let parsed = core_main::parse_error_log(compiler, d)?;
    let file = match parsed.destination {
        LogDestination::Stderr => None,
        LogDestination::File(path) => Some(with_state(compiler, |state, _| state.file(path))),
    };
    let logs = &mut log_conf(t)?.error_logs;
    let mut targets = logs
        .as_deref()
        .map(<[ErrorTarget]>::to_vec)
        .unwrap_or_default();
    targets.push(ErrorTarget {
        file,
        level: parsed.level,
    });
    *logs = Some(targets.into());
    Ok(())
}

pub static SPECS: &[Spec] = &[
    Spec {
        module: MODULE,
        name: "log_format",
        set: set_log_format,
        note: "escape=default, json or none; the predefined combined format",
    },
    Spec {
        module: MODULE,
        name: "access_log",
        set: set_access_log,
        note: "files and variable paths, buffer=, flush=, gzip[=level], if=, off; not syslog:",
    },
    Spec {
        module: MODULE,
        name: "open_log_file_cache",
        set: set_open_log_file_cache,
        note: "cache of open files for access_log paths with variables",
    },
    Spec {
        module: "ngx_http_core_module",
        name: "error_log",
        set: set_error_log,
        note: "request-time error log of a level, with nginx's client/server/request context",
    },
];

// ---------------------------------------------------------------------------
// Request time.

/// The log phase: renders the access log line(s) of a request whose
/// response head is ready; the sizes and times that depend on sending its
/// body are filled in by `PendingLog::finish`. `extra` is what nginx counts
/// in the sizes beyond the response itself (an interim `100 Continue`).
pub fn log_request(ctx: &Ctx<'_>, extra: u64) -> pending::PendingLog {
    let mut pending = pending::PendingLog {
        lines: Vec::new(),
        started: ctx.started,
        head_estimate: ctx
            .response
            .as_ref()
            .map_or(0, |r| r.bytes.saturating_sub(r.body_bytes)),
        extra,
        errors: None,
    };
    // The location's settings, merged: its own or inherited ones.
    let conf = &ctx.loc_conf().log;
    if conf.off {
        return pending;
    }
    let default;
    let logs = match &conf.access {
        Some(logs) => logs.as_slice(),
        None => {
            default = [default_access_log()];
            &default[..]
        }
    };
    pending.lines.reserve_exact(logs.len());
    for log in logs {
        if let Some(filter) = &log.filter {
            let value = variables::eval::render(ctx, filter);
            if value.is_empty() || value == b"0" {
                continue;
            }
        }
        let sink = match &log.destination {
            Destination::File(file) => pending::Sink::File(file.clone()),
            Destination::Script(path) => match root_exists(ctx) {
                Err(failure) => {
                    if let Some((level, message)) = failure {
                        log_error(ctx, level, &message, Some("logging request"));
                    }
                    continue;
                }
                Ok(()) => pending::Sink::Script(
                    path_of(&variables::eval::render(ctx, path)),
                    conf.open_file_cache.flatten(),
                ),
            },
        };
        let rendered = log.format.render_segments(
            pending::is_late,
            &mut |var| late_upstream(ctx, var),
            &mut |field, out| write_field(ctx, field, out),
            &mut |var| variables::eval::value(ctx, var),
        );
        pending.lines.push(pending::Line { rendered, sink });
    }
    if !pending.is_empty() {
        pending.errors = Some(Box::new(detach(ctx)));
    }
    pending
}

/// `$upstream_response_length`, `$upstream_bytes_received` and
/// `$upstream_response_time` of a body that is still streaming: written
/// with the line, when it has ended.
fn late_upstream(ctx: &Ctx<'_>, var: &variables::Var) -> Option<format::Late> {
    use crate::proxy::state::Growing;
    use variables::{Builtin, Var};
    let what = match var {
        Var::Builtin(Builtin::UpstreamResponseLength) => Growing::ResponseLength,
        Var::Builtin(Builtin::UpstreamBytesReceived) => Growing::BytesReceived,
        Var::Builtin(Builtin::UpstreamResponseTime) => Growing::ResponseTime,
        _ => return None,
    };
    ctx.upstream
        .as_ref()?
        .late(what)
        .map(|value| format::Late::Upstream(Box::new(value)))
}

/// The fields that wait for the response to be sent, as nginx's
/// `ngx_http_log_vars` print them.
fn write_late_field(
    field: Field,
    started: std::time::Instant,
    body_bytes: u64,
    bytes: u64,
    out: &mut Vec<u8>,
) {
    // Seconds and milliseconds, as nginx prints `$msec` and
    // `$request_time`.
    fn seconds_millis(out: &mut Vec<u8>, seconds: u64, millis: u64) {
        out.extend_from_slice(itoa::Buffer::new().format(seconds).as_bytes());
        out.push(b'.');
        out.extend_from_slice(&[
            b'0' + (millis / 100 % 10) as u8,
            b'0' + (millis / 10 % 10) as u8,
            b'0' + (millis % 10) as u8,
        ]);
    }
    match field {
        Field::TimeLocal => local_time::common_log(out),
        Field::TimeIso8601 => local_time::iso8601(out),
        Field::Msec => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            seconds_millis(out, now.as_secs(), u64::from(now.subsec_millis()));
        }
        Field::RequestTime => {
            let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            seconds_millis(out, ms / 1000, ms % 1000);
        }
        Field::BytesSent => out.extend_from_slice(itoa::Buffer::new().format(bytes).as_bytes()),
        Field::BodyBytesSent => {
            out.extend_from_slice(itoa::Buffer::new().format(body_bytes).as_bytes());
        }
        Field::Pipe | Field::Status | Field::RequestLength => {}
    }
}

/// nginx writes a log whose path has variables only if the request's root
/// directory exists (so a request for an unknown virtual host cannot
/// create log files at will); otherwise the line is dropped, with an error
/// when the root cannot be checked.
fn root_exists(ctx: &Ctx<'_>) -> Result<(), Option<(LogLevel, String)>> {
    use crate::static_files::path;
    let root = ctx.loc_conf().static_files.root();
    let mapped = path::map_uri_to_path(ctx, &root, &ctx.uri, false);
    let dir = mapped.path.get(..mapped.root_len).unwrap_or_default();
    let dir_name = String::from_utf8_lossy(dir);
    match std::fs::metadata(path::os_path(dir)) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(Some((
            LogLevel::Error,
            format!("testing \"{dir_name}\" existence failed (20: Not a directory)"),
        ))),
        Err(err) => Err(Some((
            LogLevel::Error,
            format!(
                "testing \"{dir_name}\" existence failed {}",
                rginx_conf::error::os_error_suffix(&err)
            ),
        ))),
    }
}

/// The log module's own fields, as nginx's `ngx_http_log_vars` print them.
fn write_field(ctx: &Ctx<'_>, field: Field, out: &mut Vec<u8>) {
    let response = ctx.response.as_ref();
    match field {
        // rginx does not tell pipelined requests apart yet.
        Field::Pipe => out.push(b'.'),
        Field::Status => {
            let status = match response {
                Some(r) if r.status != 0 => r.status,
                _ if ctx.head.version == http::Version::HTTP_09 => 9,
                _ => 0,
            };
            out.extend_from_slice(&variables::eval::status_text(status));
        }
        Field::RequestLength => {
            out.extend_from_slice(itoa::Buffer::new().format(ctx.request_length()).as_bytes());
        }
        late => {
            let (body, bytes) = response.map_or((0, 0), |r| (r.body_bytes, r.bytes));
            write_late_field(late, ctx.started, body, bytes, out);
        }
    }
}

/// nginx's `NGX_MAX_ERROR_STR`: an error line is cut to this, line feed
/// included.
const MAX_ERROR_LINE: usize = 2048;

/// An error-log line about a request, in nginx's format with
/// `*CONNECTION` and the client/server/request context nginx appends.
pub fn error(ctx: &Ctx<'_>, level: LogLevel, message: &str) {
    log_error(ctx, level, message, None);
}

/// [`error`] with nginx's `while ACTION` after the message.
fn log_error(ctx: &Ctx<'_>, level: LogLevel, message: &str, action: Option<&str>) {
    let line = error_line(ctx, level, message, action);
    match &ctx.loc_conf().log.error_logs {
        Some(targets) => {
            for target in targets.iter().filter(|t| level <= t.level) {
                write_error(target.file.as_deref(), &line);
            }
        }
        None => {
            for log in ctx
                .config
                .main
                .error_logs
                .iter()
                .filter(|l| level <= l.level)
            {
                match &log.destination {
                    LogDestination::Stderr => write_error(None, &line),
                    LogDestination::File(path) => write_error(Some(&main_log(path)), &line),
                }
            }
        }
    }
}

fn write_error(file: Option<&LogFile>, line: &[u8]) {
    use std::io::Write;
    match file {
        // A failing error log has nowhere to report to.
        Some(file) => {
            let _ = file.write_direct(line);
        }
        None => {
            let _ = std::io::stderr().write_all(line);
        }
    }
}

/// The main context's error log files, opened by this process on first
/// use (the master has its own descriptors).
fn main_log(path: &Path) -> Arc<LogFile> {
    static MAIN_LOGS: Mutex<Vec<Arc<LogFile>>> = Mutex::new(Vec::new());
    let mut logs = MAIN_LOGS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(file) = logs.iter().find(|f| f.path == path) {
        return file.clone();
    }
    let file = LogFile::new(path.to_path_buf());
    logs.push(file.clone());
    file
}

/// `YYYY/MM/DD HH:MM:SS [level] PID#TID: *CONN message, client: ADDR,
/// server: NAME, request: "LINE", host: "HOST"[, referrer: "REF"]`, as
/// nginx's `ngx_log_error_core` with `ngx_http_log_error_handler`.
fn error_line(ctx: &Ctx<'_>, level: LogLevel, message: &str, action: Option<&str>) -> Vec<u8> {
    let pid = std::process::id();
    let mut line = format!(
        "{} [{}] {pid}#{pid}: *{} {message}",
        chrono::Local::now().format("%Y/%m/%d %H:%M:%S"),
        level.name(),
        ctx.conn.number,
    )
    .into_bytes();
    if let Some(action) = action {
        line.extend_from_slice(b" while ");
        line.extend_from_slice(action.as_bytes());
    }
    error_context(ctx, &mut line);
    line.truncate(MAX_ERROR_LINE - 1);
    line.push(b'\n');
    line
}

/// nginx's `ngx_http_log_error_handler` part of an error line: `, client:
/// ADDR, server: NAME, request: "LINE", upstream: "...", host: "HOST"`.
fn error_context(ctx: &Ctx<'_>, line: &mut Vec<u8>) {
    LaterContext::of(ctx).write(line);
}

/// An error-log line about a connection that has no request yet, as
/// nginx's `ngx_http_log_error` writes one: `*N MESSAGE while ACTION,
/// client: ADDR, server: LISTEN`, to the error logs of the default server
/// of its address (nginx's `ls->logp`), else the main context's.
pub fn connection_error(
    config: &Config,
    conn: &crate::serve::handler::ConnInfo,
    level: LogLevel,
    message: &[u8],
    action: &str,
) {
    let pid = std::process::id();
    let mut line = format!(
        "{} [{}] {pid}#{pid}: *{} ",
        chrono::Local::now().format("%Y/%m/%d %H:%M:%S"),
        level.name(),
        conn.number,
    )
    .into_bytes();
    line.extend_from_slice(message);
    line.extend_from_slice(format!(" while {action}, client: ").as_bytes());
    match conn.peer {
        Some(peer) => line.extend_from_slice(crate::realip::addr_text(peer.ip()).as_bytes()),
        None => line.extend_from_slice(b"unix:"),
    }
    line.extend_from_slice(format!(", server: {}", conn.listen.text()).as_bytes());
    line.truncate(MAX_ERROR_LINE - 1);
    line.push(b'\n');
    let server = crate::http_core::request::default_server(config, conn);
    match server.and_then(|server| server.conf.log.error_logs.as_ref()) {
        Some(targets) => {
            for target in targets.iter().filter(|t| level <= t.level) {
                write_error(target.file.as_deref(), &line);
            }
        }
        None => {
            for log in config.main.error_logs.iter().filter(|l| level <= l.level) {
                match &log.destination {
                    LogDestination::Stderr => write_error(None, &line),
                    LogDestination::File(path) => write_error(Some(&main_log(path)), &line),
                }
            }
        }
    }
}

/// A request's error log that outlives its handler: a proxied response
/// body failing after the handler returned logs through it.
pub struct Detached {
    targets: Arc<[ErrorTarget]>,
    connection: u64,
    context: LaterContext,
}

/// The request's part of an error line (`error_context`), kept as cheap
/// handles and written only if a line is logged: nearly every request
/// detaches its error log for its access log, and hardly any uses it.
struct LaterContext {
    client: Option<std::net::IpAddr>,
    server: Vec<u8>,
    request: Option<bytes::Bytes>,
    upstream: Option<String>,
    host: Option<http::HeaderValue>,
    referer: Option<http::HeaderValue>,
}

impl LaterContext {
    fn of(ctx: &Ctx<'_>) -> LaterContext {
        let request = match &ctx.head.raw {
            Some(raw) if raw.line.end <= raw.head.len() => Some(raw.head.slice(raw.line.clone())),
            _ => variables::eval::value(ctx, &variables::Var::Builtin(variables::Builtin::Request))
                .map(|line| bytes::Bytes::from(line.into_owned())),
        };
        LaterContext {
            client: ctx.client.map(|peer| peer.ip()),
            server: ctx.server.primary_name().into_owned(),
            request,
            upstream: ctx.upstream.as_ref().and_then(|u| u.log_target.clone()),
            host: ctx.head.host_header.clone(),
            referer: crate::http_core::headers_in::get(&ctx.parts.headers, &http::header::REFERER)
                .cloned(),
        }
    }

    /// As `error_context` writes it.
    fn write(&self, line: &mut Vec<u8>) {
        line.extend_from_slice(b", client: ");
        match self.client {
            Some(ip) => line.extend_from_slice(crate::realip::addr_text(ip).as_bytes()),
            None => line.extend_from_slice(b"unix:"),
        }
        line.extend_from_slice(b", server: ");
        line.extend_from_slice(&self.server);
        if let Some(request) = &self.request {
            line.extend_from_slice(b", request: \"");
            line.extend_from_slice(request);
            line.push(b'"');
        }
        if let Some(upstream) = &self.upstream {
            line.extend_from_slice(b", upstream: \"");
            line.extend_from_slice(upstream.as_bytes());
            line.push(b'"');
        }
        if let Some(host) = &self.host {
            line.extend_from_slice(b", host: \"");
            line.extend_from_slice(host.as_bytes());
            line.push(b'"');
        }
        if let Some(referer) = &self.referer {
            line.extend_from_slice(b", referrer: \"");
            line.extend_from_slice(referer.as_bytes());
            line.push(b'"');
        }
    }
}

/// The error log and context of a request, for later messages.
pub fn detach(ctx: &Ctx<'_>) -> Detached {
    let targets = match &ctx.loc_conf().log.error_logs {
        Some(targets) => targets.clone(),
        None => main_targets(&ctx.config.main.error_logs),
    };
    Detached {
        targets,
        connection: ctx.conn.number,
        context: LaterContext::of(ctx),
    }
}

/// The main context's error logs and the targets made of them.
type MainTargets = (Vec<ErrorLog>, Arc<[ErrorTarget]>);

/// The main context's error logs as request-time targets. Every request
/// detaches them, so the last list made is kept (per thread, compared by
/// value: a reloaded configuration with other logs gets its own).
fn main_targets(logs: &[ErrorLog]) -> Arc<[ErrorTarget]> {
    thread_local! {
        static LAST: RefCell<Option<MainTargets>> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some((source, targets)) = last.as_ref()
            && source.as_slice() == logs
        {
            return targets.clone();
        }
        let targets: Arc<[ErrorTarget]> = logs
            .iter()
            .map(|log| ErrorTarget {
                file: match &log.destination {
                    LogDestination::Stderr => None,
                    LogDestination::File(path) => Some(main_log(path)),
                },
                level: log.level,
            })
            .collect();
        *last = Some((logs.to_vec(), targets.clone()));
        targets
    })
}

impl Detached {
    pub fn error(&self, level: LogLevel, message: &str) {
        let pid = std::process::id();
        let mut line = format!(
            "{} [{}] {pid}#{pid}: *{} {message}",
            chrono::Local::now().format("%Y/%m/%d %H:%M:%S"),
            level.name(),
            self.connection,
        )
        .into_bytes();
        self.context.write(&mut line);
        line.truncate(MAX_ERROR_LINE - 1);
        line.push(b'\n');
        for target in self.targets.iter().filter(|t| level <= t.level) {
            write_error(target.file.as_deref(), &line);
        }
    }
}

// ---------------------------------------------------------------------------
// Files across the process's life.

/// Every fixed-path log file the configuration names (access logs and
/// request-time error logs), each once.
pub fn files(config: &Config) -> Vec<Arc<LogFile>> {
    fn add_conf(conf: &LogConf, files: &mut Vec<Arc<LogFile>>) {
        let access = conf
            .access
            .iter()
            .flatten()
            .filter_map(|log| match &log.destination {
                Destination::File(file) => Some(file),
                Destination::Script(_) => None,
            });
        let errors = conf
            .error_logs
            .iter()
            .flat_map(|targets| targets.iter())
            .filter_map(|t| t.file.as_ref());
        for file in access.chain(errors) {
            if !files.iter().any(|f| Arc::ptr_eq(f, file)) {
                files.push(file.clone());
            }
        }
    }
    fn add_ifs(program: &[crate::rewrite::Stmt], files: &mut Vec<Arc<LogFile>>) {
        for stmt in program {
            if let crate::rewrite::Stmt::If { body, location, .. } = stmt {
                if let Some(location) = location {
                    add_conf(&location.conf.log, files);
                    add_ifs(&location.conf.rewrite.program, files);
                }
                add_ifs(body, files);
            }
        }
    }
    fn add_locations(locations: &[crate::http_core::LocationBuild], files: &mut Vec<Arc<LogFile>>) {
        for location in locations {
            add_conf(&location.conf.log, files);
            add_ifs(&location.conf.rewrite.program, files);
            add_locations(&location.children, files);
        }
    }
    let mut files = Vec::new();
    if let Some(http) = &config.http {
        for server in &http.servers {
            add_conf(&server.conf.log, &mut files);
            add_locations(&server.locations, &mut files);
        }
    }
    files
}

/// Opens every log file of the configuration now, as nginx's master does
/// after reading the configuration (and `nginx -t` too): workers forked
/// afterwards inherit the descriptors, so a root master can log for
/// unprivileged workers into a directory only root may write. `Err` is
/// nginx's `open() "PATH" failed (N: text)`.
pub fn open_files(config: &Config) -> Result<(), String> {
    for file in files(config) {
        file.open()?;
    }
    Ok(())
}

/// USR1 in a worker (or the single process): every buffer is written out
/// and every log file opened again by its path, so that after `mv
/// access.log access.log.1` later lines go to a new `access.log`.
/// Failures are reported to the main error log, as nginx's
/// `ngx_reopen_files` does.
pub fn reopen(config: &Config) {
    reopen_as(config, None);
}

/// USR1 in the master (nginx's `ngx_reopen_files` with the worker user):
/// the new files are created and handed to `uid` before the workers are
/// told to reopen, so unprivileged workers can open them.
pub fn reopen_as(config: &Config, uid: Option<u32>) {
    script::close_all();
    for file in file::all_files() {
        if let Err(message) = file.reopen(uid) {
            report_to_main_log(config, &message);
        }
    }
}

/// An `[emerg]` line (no request context) to the main context's error logs.
fn report_to_main_log(config: &Config, message: &str) {
    let line = crate::error_log::format_line("emerg", message, std::process::id());
    for log in &config.main.error_logs {
        match &log.destination {
            LogDestination::Stderr => write_error(None, line.as_bytes()),
            LogDestination::File(path) => write_error(Some(&main_log(path)), line.as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests;
