//! The main and `events` contexts: nginx's core, errlog, events, event core
//! and regex modules (`worker_processes`, `user`, `pid`, `error_log`,
//! `events { worker_connections ... }`, ...).

use crate::compile::{Compiler, Config, Failure, Target};
use crate::http_core::HttpConf;
use crate::registry::{Context, Spec};
use crate::values;
use rginx_conf::{Arg, ConfError, Directive};
use std::path::PathBuf;
use std::time::Duration;

/// Debian's compiled-in paths, so that an nginx.conf written for Debian's
/// nginx means the same to rginx.
pub const DEFAULT_PREFIX: &str = "/usr/share/nginx/";
pub const DEFAULT_CONF_FILE: &str = "/etc/nginx/nginx.conf";
pub const DEFAULT_PID_FILE: &str = "/run/nginx.pid";
pub const DEFAULT_ERROR_LOG: &str = "/var/log/nginx/error.log";

/// `worker_processes N|auto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerProcesses {
    Auto,
    Count(u64),
}

/// An `error_log` destination and level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorLog {
    pub destination: LogDestination,
    pub level: LogLevel,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogDestination {
    Stderr,
    File(PathBuf),
}

/// nginx's error log levels, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Emerg,
    Alert,
    Crit,
    Error,
    Warn,
    Notice,
    Info,
    Debug,
}

impl LogLevel {
    pub const NAMES: [(&'static str, LogLevel); 8] = [
        ("emerg", LogLevel::Emerg),
        ("alert", LogLevel::Alert),
        ("crit", LogLevel::Crit),
        ("error", LogLevel::Error),
        ("warn", LogLevel::Warn),
        ("notice", LogLevel::Notice),
        ("info", LogLevel::Info),
        ("debug", LogLevel::Debug),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, level)| *level == self)
            .map_or("error", |(name, _)| name)
    }
}

/// The user and group workers run as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerUser {
    pub user: String,
    pub group: String,
    pub uid: u32,
    pub gid: u32,
}

/// The main context, compiled.
#[derive(Debug)]
pub struct MainConf {
    pub daemon: bool,
    pub master_process: bool,
    pub worker_processes: WorkerProcesses,
    pub pid: PathBuf,
    pub user: Option<WorkerUser>,
    pub worker_rlimit_nofile: Option<u64>,
    pub worker_shutdown_timeout: Option<Duration>,
    pub error_logs: Vec<ErrorLog>,
    pub pcre_jit: bool,
    /// `env`: what workers keep (`NAME`) or get (`NAME=value`); nginx
    /// clears every other variable but TZ.
    pub env: Vec<(String, Option<String>)>,
    pub working_directory: Option<PathBuf>,
    pub worker_priority: Option<i32>,
    pub worker_cpu_affinity: Option<CpuAffinity>,
    pub worker_rlimit_core: Option<u64>,
}

/// `worker_cpu_affinity`: CPU lists per worker, or `auto` over a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpuAffinity {
    pub auto: bool,
    /// CPU numbers of each mask given (for `auto`: the CPUs to spread over).
    pub masks: Vec<Vec<usize>>,
}

impl CpuAffinity {
    /// nginx's `ngx_get_cpu_affinity`: the CPUs of worker `n`.
    pub fn for_worker(&self, n: usize) -> Vec<usize> {
        if self.auto {
            let cpus = self.masks.first().cloned().unwrap_or_default();
            if cpus.is_empty() {
                return Vec::new();
            }
            return vec![cpus[n % cpus.len()]];
        }
        match self.masks.get(n).or(self.masks.last()) {
            Some(mask) => mask.clone(),
            None => Vec::new(),
        }
    }
}

/// The `events` block, compiled.
#[derive(Clone, Debug)]
pub struct EventsConf {
    pub worker_connections: u64,
    pub multi_accept: bool,
    pub accept_mutex: bool,
}

/// The main context while it is being read.
#[derive(Default)]
pub struct MainBuild {
    daemon: Option<bool>,
    master_process: Option<bool>,
    worker_processes: Option<WorkerProcesses>,
    pid: Option<PathBuf>,
    /// `Some(None)`: set but ignored (not root).
    user: Option<Option<WorkerUser>>,
    worker_rlimit_nofile: Option<u64>,
    worker_shutdown_timeout: Option<Duration>,
    error_logs: Vec<ErrorLog>,
    pcre_jit: Option<bool>,
    env: Vec<(String, Option<String>)>,
    working_directory: Option<PathBuf>,
    worker_priority: Option<i32>,
    worker_cpu_affinity: Option<CpuAffinity>,
    worker_rlimit_core: Option<u64>,
    timer_resolution: Option<Duration>,
    lock_file: Option<PathBuf>,
    events: Option<EventsBuild>,
    pub http: Option<HttpConf>,
}

#[derive(Default)]
pub struct EventsBuild {
    worker_connections: Option<u64>,
    method: Option<Arg>,
    multi_accept: Option<bool>,
    accept_mutex: Option<bool>,
}

impl MainBuild {
    /// nginx's end of configuration: defaults and the checks made last.
    pub fn finish(self, compiler: Compiler) -> Result<Config, Failure> {
        let Some(events) = self.events else {
            return Err(Failure {
                error: ConfError::bare("no \"events\" section in configuration"),
                after_syntax_ok: true,
                warnings: compiler.warnings,
            });
        };
        let options = &compiler.options;
        let main = MainConf {
            daemon: self.daemon.unwrap_or(true),
            master_process: self.master_process.unwrap_or(true),
            worker_processes: self.worker_processes.unwrap_or(WorkerProcesses::Count(1)),
            pid: options.prefixed(
                self.pid
                    .as_deref()
                    .unwrap_or(std::path::Path::new(DEFAULT_PID_FILE)),
            ),
            user: self.user.flatten(),
            worker_rlimit_nofile: self.worker_rlimit_nofile,
            worker_shutdown_timeout: self.worker_shutdown_timeout,
            error_logs: if self.error_logs.is_empty() {
                vec![ErrorLog {
                    destination: LogDestination::File(PathBuf::from(DEFAULT_ERROR_LOG)),
                    level: LogLevel::Error,
                }]
            } else {
                self.error_logs
            },
            pcre_jit: self.pcre_jit.unwrap_or(false),
            env: self.env,
            working_directory: self.working_directory,
            worker_priority: self.worker_priority,
            worker_cpu_affinity: self.worker_cpu_affinity,
            worker_rlimit_core: self.worker_rlimit_core,
        };
        let worker_connections = events.worker_connections.unwrap_or(512);
        let sockets = self.http.as_ref().map_or(0, HttpConf::listening_sockets);
        // One connection per listening socket plus the master's channel.
        if worker_connections < sockets as u64 + 1 {
            return Err(Failure {
                error: ConfError::bare(format!(
                    "{worker_connections} worker_connections are not enough for {sockets} listening sockets"
                )),
                after_syntax_ok: true,
                warnings: compiler.warnings,
            });
        }
        // nginx's ngx_create_paths: temporary directories, owned by the
        // workers' user.
        let owner = main
            .user
            .as_ref()
            .map(|user| (user.uid, user.gid))
            .or_else(|| {
                let nobody = nix::unistd::User::from_name("nobody").ok().flatten()?;
                Some((nobody.uid.as_raw(), nobody.gid.as_raw()))
            });
        if let Err(error) = crate::http_core::limits::create_paths(&compiler, owner) {
            return Err(Failure {
                error,
                after_syntax_ok: true,
                warnings: compiler.warnings,
            });
        }
        let events = EventsConf {
            worker_connections,
            multi_accept: events.multi_accept.unwrap_or(false),
            accept_mutex: events.accept_mutex.unwrap_or(false),
        };
        Ok(Config {
            main,
            events,
            http: self.http,
            warnings: compiler.warnings,
        })
    }
}

fn main_build<'a>(target: &'a mut Target<'_>) -> Result<&'a mut MainBuild, ConfError> {
    match target {
        Target::Main(main) => Ok(main),
        _ => Err(ConfError::bare(
            "internal error: main directive outside main",
        )),
    }
}

fn events_build<'a>(target: &'a mut Target<'_>) -> Result<&'a mut EventsBuild, ConfError> {
    match target {
        Target::Events(events) => Ok(events),
        _ => Err(ConfError::bare(
            "internal error: events directive outside events",
        )),
    }
}

fn set_daemon(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut main_build(t)?.daemon, d)
}

fn set_master_process(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut main_build(t)?.master_process, d)
}

fn set_pcre_jit(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut main_build(t)?.pcre_jit, d)
}

fn set_worker_processes(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let main = main_build(t)?;
    if main.worker_processes.is_some() {
        return Err(values::duplicate(d));
    }
    let value = if d.args[0] == "auto" {
        WorkerProcesses::Auto
    } else {
        WorkerProcesses::Count(
            values::atoi(d.args[0].as_bytes())
                .ok_or_else(|| values::directive_error(d, "invalid value"))?,
        )
    };
    main.worker_processes = Some(value);
    Ok(())
}

fn set_pid(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let path = PathBuf::from(d.args[0].lossy().into_owned());
    values::set_once(&mut main_build(t)?.pid, d, path)
}

fn set_worker_rlimit_nofile(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::number(d, &d.args[0]);
    values::set_parsed(&mut main_build(t)?.worker_rlimit_nofile, d, value)
}

fn set_worker_shutdown_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut main_build(t)?.worker_shutdown_timeout, d)
}

fn set_user(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let main = main_build(t)?;
    if main.user.is_some() {
        return Err(values::duplicate(d));
    }
    if !compiler.options.is_root {
        main.user = Some(None);
        compiler.warn(ConfError::at(
            &d.loc,
            "the \"user\" directive makes sense only if the master process runs with \
             super-user privileges, ignored",
        ));
        return Ok(());
    }
    let user_name = d.args[0].lossy().into_owned();
    let group_name = d.args.get(1).unwrap_or(&d.args[0]).lossy().into_owned();
    let user = nix::unistd::User::from_name(&user_name)
        .ok()
        .flatten()
        .ok_or_else(|| ConfError::at(&d.loc, format!("getpwnam(\"{user_name}\") failed")))?;
    let group = nix::unistd::Group::from_name(&group_name)
        .ok()
        .flatten()
        .ok_or_else(|| ConfError::at(&d.loc, format!("getgrnam(\"{group_name}\") failed")))?;
    main.user = Some(Some(WorkerUser {
        user: user_name,
        group: group_name,
        uid: user.uid.as_raw(),
        gid: group.gid.as_raw(),
    }));
    Ok(())
}

fn set_env(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let text = d.args[0].lossy().into_owned();
    let entry = match text.split_once('=') {
        Some((name, value)) => (name.to_string(), Some(value.to_string())),
        None => (text, None),
    };
    main_build(t)?.env.push(entry);
    Ok(())
}

fn set_working_directory(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let path = PathBuf::from(d.args[0].lossy().into_owned());
    values::set_once(&mut main_build(t)?.working_directory, d, path)
}

fn set_lock_file(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let path = PathBuf::from(d.args[0].lossy().into_owned());
    values::set_once(&mut main_build(t)?.lock_file, d, path)
}

fn set_timer_resolution(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::msec_slot(&mut main_build(t)?.timer_resolution, d)
}

fn set_worker_priority(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let main = main_build(t)?;
    if main.worker_priority.is_some() {
        return Err(values::duplicate(d));
    }
    let text = d.args[0].as_bytes();
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let value = values::atoi(digits)
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| values::directive_error(d, "invalid number"))?;
    main.worker_priority = Some(if negative { -value } else { value });
    Ok(())
}

fn set_worker_cpu_affinity(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let main = main_build(t)?;
    if main.worker_cpu_affinity.is_some() {
        return Err(values::duplicate(d));
    }
    let auto = d.args[0] == "auto";
    if auto && d.args.len() > 2 {
        return Err(crate::registry::invalid_arguments(d));
    }
    let mut masks = Vec::new();
    if auto {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        masks.push((0..cpus).collect::<Vec<usize>>());
    }
    for mask in &d.args[usize::from(auto)..] {
        if mask.len() > 1024 {
            return Err(ConfError::at(
                &d.loc,
                "\"worker_cpu_affinity\" supports up to 1024 CPUs only",
            ));
        }
        let mut cpus = Vec::new();
        let mut position = 0;
        for &ch in mask.as_bytes().iter().rev() {
            match ch {
                b' ' => continue,
                b'0' => {}
                b'1' => cpus.push(position),
                other => {
                    return Err(ConfError::at(
                        &d.loc,
                        format!(
                            "invalid character \"{}\" in \"worker_cpu_affinity\"",
                            char::from(other)
                        ),
                    ));
                }
            }
            position += 1;
        }
        if auto {
            // `auto MASK`: spread over the CPUs of the mask only.
            masks[0] = cpus;
        } else {
            masks.push(cpus);
        }
    }
    main.worker_cpu_affinity = Some(CpuAffinity { auto, masks });
    Ok(())
}

fn set_worker_rlimit_core(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::parse_offset(d.args[0].as_bytes())
        .ok_or_else(|| values::directive_error(d, "invalid value"));
    values::set_parsed(&mut main_build(t)?.worker_rlimit_core, d, value)
}

fn set_error_log(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let log = parse_error_log(compiler, d)?;
    main_build(t)?.error_logs.push(log);
    Ok(())
}

/// `error_log FILE|stderr [LEVEL]`, as nginx's `ngx_log_set_log`.
pub fn parse_error_log(compiler: &Compiler, d: &Directive) -> Result<ErrorLog, ConfError> {
    let target = &d.args[0];
    let destination = if *target == "stderr" {
        LogDestination::Stderr
    } else if target.as_bytes().starts_with(b"memory:") || target.as_bytes().starts_with(b"syslog:")
    {
        return Err(ConfError::at(
            &d.loc,
            format!("\"{target}\" error log is not supported by rginx"),
        ));
    } else {
        let path = PathBuf::from(target.lossy().into_owned());
        LogDestination::File(compiler.options.prefixed(&path))
    };
    let mut level = None;
    for arg in &d.args[1..] {
        let Some((_, found)) = LogLevel::NAMES.iter().find(|(name, _)| *arg == **name) else {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid log level \"{arg}\""),
            ));
        };
        if level.is_some() {
            return Err(ConfError::at(
                &d.loc,
                format!("duplicate log level \"{arg}\""),
            ));
        }
        level = Some(*found);
    }
    Ok(ErrorLog {
        destination,
        level: level.unwrap_or(LogLevel::Error),
    })
}

fn set_events(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let main = main_build(t)?;
    if main.events.is_some() {
        return Err(values::duplicate(d));
    }
    let mut events = EventsBuild::default();
    if let Some(block) = &d.block {
        compiler.run_block(block, Context::Events, &mut Target::Events(&mut events))?;
    }
    main.events = Some(events);
    Ok(())
}

fn set_worker_connections(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let events = events_build(t)?;
    if events.worker_connections.is_some() {
        return Err(values::duplicate(d));
    }
    let value = values::atoi(d.args[0].as_bytes())
        .ok_or_else(|| ConfError::at(&d.loc, format!("invalid number \"{}\"", d.args[0])))?;
    events.worker_connections = Some(value);
    Ok(())
}

fn set_use(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let events = events_build(t)?;
    if events.method.is_some() {
        return Err(values::duplicate(d));
    }
    // rginx's event loop is tokio's, which is epoll on Linux.
    if d.args[0] != "epoll" {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid event type \"{}\"", d.args[0]),
        ));
    }
    events.method = Some(d.args[0].clone());
    Ok(())
}

fn set_multi_accept(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut events_build(t)?.multi_accept, d)
}

fn set_accept_mutex(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut events_build(t)?.accept_mutex, d)
}

pub static SPECS: &[Spec] = &[
    Spec {
        module: "ngx_core_module",
        name: "daemon",
        set: set_daemon,
        note: "fork into the background",
    },
    Spec {
        module: "ngx_core_module",
        name: "master_process",
        set: set_master_process,
        note: "off: serve in one process",
    },
    Spec {
        module: "ngx_core_module",
        name: "pid",
        set: set_pid,
        note: "pid file of the master",
    },
    Spec {
        module: "ngx_core_module",
        name: "worker_processes",
        set: set_worker_processes,
        note: "number of forked workers, or auto",
    },
    Spec {
        module: "ngx_core_module",
        name: "user",
        set: set_user,
        note: "workers drop to this user and group when started as root",
    },
    Spec {
        module: "ngx_core_module",
        name: "worker_rlimit_nofile",
        set: set_worker_rlimit_nofile,
        note: "RLIMIT_NOFILE of workers",
    },
    Spec {
        module: "ngx_core_module",
        name: "worker_shutdown_timeout",
        set: set_worker_shutdown_timeout,
        note: "bound on a graceful worker shutdown",
    },
    Spec {
        module: "ngx_core_module",
        name: "env",
        set: set_env,
        note: "workers keep TZ and the listed variables only",
    },
    Spec {
        module: "ngx_core_module",
        name: "working_directory",
        set: set_working_directory,
        note: "workers' current directory",
    },
    Spec {
        module: "ngx_core_module",
        name: "worker_priority",
        set: set_worker_priority,
        note: "workers' nice value",
    },
    Spec {
        module: "ngx_core_module",
        name: "worker_cpu_affinity",
        set: set_worker_cpu_affinity,
        note: "masks per worker, or auto",
    },
    Spec {
        module: "ngx_core_module",
        name: "worker_rlimit_core",
        set: set_worker_rlimit_core,
        note: "RLIMIT_CORE of workers",
    },
    Spec {
        module: "ngx_core_module",
        name: "timer_resolution",
        set: set_timer_resolution,
        note: "accepted: rginx's timers need no coarse clock",
    },
    Spec {
        module: "ngx_core_module",
        name: "lock_file",
        set: set_lock_file,
        note: "accepted: rginx's workers take no accept lock",
    },
    Spec {
        module: "ngx_errlog_module",
        name: "error_log",
        set: set_error_log,
        note: "file or stderr, with a level",
    },
    Spec {
        module: "ngx_regex_module",
        name: "pcre_jit",
        set: set_pcre_jit,
        note: "accepted: rginx's regex engine is always compiled to automata",
    },
    Spec {
        module: "ngx_events_module",
        name: "events",
        set: set_events,
        note: "the events block",
    },
    Spec {
        module: "ngx_event_core_module",
        name: "worker_connections",
        set: set_worker_connections,
        note: "connection limit per worker",
    },
    Spec {
        module: "ngx_event_core_module",
        name: "use",
        set: set_use,
        note: "only epoll, which is what rginx's event loop uses",
    },
    Spec {
        module: "ngx_event_core_module",
        name: "multi_accept",
        set: set_multi_accept,
        note: "accept every pending connection at once",
    },
    Spec {
        module: "ngx_event_core_module",
        name: "accept_mutex",
        set: set_accept_mutex,
        note: "workers take turns accepting",
    },
];
