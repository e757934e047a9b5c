//! A worker's first moments after fork, before the serving side takes over
//! (nginx's `ngx_worker_process_init`): resource limits, dropping to the
//! `user`, and making sure no signal sent to the new worker is lost while
//! it has no event loop yet.

use crate::log::LogSet;
use rginx_conf::error::os_error_suffix;
use rginx_http::Config;
use rginx_http::core_main::WorkerProcesses;
use std::ffi::CString;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// The user and group workers run as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub uid: u32,
    pub gid: u32,
}

/// nginx's compiled-in default for a root master without `user`.
const DEFAULT_USER: &str = "nobody";
const DEFAULT_GROUP: &str = "nogroup";

/// Who the workers run as: the `user` directive, or nobody/nogroup when
/// rginx runs as root without one (as nginx); `None` when not root, since
/// then nothing can be changed. `Err` is nginx's `[emerg]` text.
pub fn identity(config: &Config) -> Result<Option<Identity>, String> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    if let Some(user) = &config.main.user {
        return Ok(Some(Identity {
            user: user.user.clone(),
            uid: user.uid,
            gid: user.gid,
        }));
    }
    let user = nix::unistd::User::from_name(DEFAULT_USER)
        .ok()
        .flatten()
        .ok_or_else(|| format!("getpwnam(\"{DEFAULT_USER}\") failed"))?;
    let group = nix::unistd::Group::from_name(DEFAULT_GROUP)
        .ok()
        .flatten()
        .ok_or_else(|| format!("getgrnam(\"{DEFAULT_GROUP}\") failed"))?;
    Ok(Some(Identity {
        user: DEFAULT_USER.to_string(),
        uid: user.uid.as_raw(),
        gid: group.gid.as_raw(),
    }))
}

/// `worker_processes`: `auto` is the number of online CPUs, as nginx.
pub fn count(config: &Config) -> usize {
    match config.main.worker_processes {
        WorkerProcesses::Count(n) => usize::try_from(n).unwrap_or(usize::MAX),
        WorkerProcesses::Auto => nix::unistd::sysconf(nix::unistd::SysconfVar::_NPROCESSORS_ONLN)
            .ok()
            .flatten()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(1),
    }
}

/// Limits and privileges of a new worker. `Err` means the worker must exit
/// with status 2, which the master takes as "do not respawn" (nginx's
/// fatal exit).
pub fn prepare(
    config: &Config,
    index: usize,
    identity: Option<&Identity>,
    logs: &mut LogSet,
) -> Result<(), ()> {
    apply_environment(&config.main.env);
    if let Some(priority) = config.main.worker_priority {
        // SAFETY: setpriority only reads its integer arguments; a failure
        // is reported through errno, which we read right after.
        let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, priority) };
        if rc == -1 {
            logs.alert(&format!(
                "setpriority({priority}) failed {}",
                os_error_suffix(&std::io::Error::last_os_error())
            ));
        }
    }
    if let Some(affinity) = &config.main.worker_cpu_affinity {
        let cpus = affinity.for_worker(index);
        let mut set = nix::sched::CpuSet::new();
        for cpu in &cpus {
            let _ = set.set(*cpu);
        }
        if !cpus.is_empty()
            && let Err(err) = nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &set)
        {
            logs.alert(&format!(
                "sched_setaffinity() failed {}",
                os_error_suffix(&err.into())
            ));
        }
    }
    if let Some(limit) = config.main.worker_rlimit_core {
        let resource = nix::sys::resource::Resource::RLIMIT_CORE;
        if let Err(err) = nix::sys::resource::setrlimit(resource, limit, limit) {
            logs.alert(&format!(
                "setrlimit(RLIMIT_CORE, {limit}) failed {}",
                os_error_suffix(&err.into())
            ));
        }
    }
    prepare_identity(config, identity, logs)?;
    if let Some(directory) = &config.main.working_directory
        && let Err(err) = std::env::set_current_dir(directory)
    {
        logs.alert(&format!(
            "chdir(\"{}\") failed {}",
            directory.display(),
            os_error_suffix(&err)
        ));
        return Err(());
    }
    Ok(())
}

/// nginx's worker environment: TZ and the variables `env` names (kept from
/// the master, or set to the given value); everything else is removed.
fn apply_environment(env: &[(String, Option<String>)]) {
    let keep = |name: &str| name == "TZ" || env.iter().any(|(n, v)| n == name && v.is_none());
    let drop: Vec<std::ffi::OsString> = std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| !keep(&name.to_string_lossy()))
        .collect();
    for name in drop {
        // SAFETY: called in a freshly forked worker before its runtime or
        // any thread exists, so nothing reads the environment concurrently.
        unsafe { std::env::remove_var(name) };
    }
    for (name, value) in env {
        if let Some(value) = value {
            // SAFETY: as above, the worker is still single-threaded.
            unsafe { std::env::set_var(name, value) };
        }
    }
}

fn prepare_identity(
    config: &Config,
    identity: Option<&Identity>,
    logs: &mut LogSet,
) -> Result<(), ()> {
    if let Some(limit) = config.main.worker_rlimit_nofile {
        let resource = nix::sys::resource::Resource::RLIMIT_NOFILE;
        if let Err(err) = nix::sys::resource::setrlimit(resource, limit, limit) {
            logs.alert(&format!(
                "setrlimit(RLIMIT_NOFILE, {limit}) failed {}",
                os_error_suffix(&err.into())
            ));
        }
    }
    let Some(identity) = identity else {
        return Ok(());
    };
    if !nix::unistd::geteuid().is_root() {
        return Ok(());
    }
    let gid = nix::unistd::Gid::from_raw(identity.gid);
    if let Err(err) = nix::unistd::setgid(gid) {
        logs.emerg(&format!(
            "setgid({}) failed {}",
            identity.gid,
            os_error_suffix(&err.into())
        ));
        return Err(());
    }
    let name = CString::new(identity.user.as_bytes()).unwrap_or_default();
    if let Err(err) = nix::unistd::initgroups(&name, gid) {
        logs.emerg(&format!(
            "initgroups({}, {}) failed {}",
            identity.user,
            identity.gid,
            os_error_suffix(&err.into())
        ));
    }
    if let Err(err) = nix::unistd::setuid(nix::unistd::Uid::from_raw(identity.uid)) {
        logs.emerg(&format!(
            "setuid({}) failed {}",
            identity.uid,
            os_error_suffix(&err.into())
        ));
        return Err(());
    }
    Ok(())
}

/// Registers the worker's signal streams before its event loop exists.
///
/// The serving side subscribes to QUIT/TERM/INT/USR1 through tokio once its
/// runtime runs. A signal arriving before that (a reload right after a
/// respawn, say) would otherwise be lost, or worse, take its default action
/// (QUIT dumps core). tokio's signal handlers are process-global: installed
/// here, with the master's signals still blocked, they record every signal
/// from the moment the mask is lifted, and the worker's runtime delivers a
/// recorded signal to the stream it subscribes first thing.
pub fn prime_signal_streams() {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    let _context = runtime.enter();
    for kind in [
        SignalKind::quit(),
        SignalKind::terminate(),
        SignalKind::interrupt(),
        SignalKind::user_defined1(),
    ] {
        let _ = signal(kind);
    }
}

/// Signals a worker (or the single process) does not act on must not take
/// their default action (HUP and USR2 would kill it): they are noted and
/// dropped, as nginx's workers log them and carry on.
pub fn ignore_other_signals() {
    for signal in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGUSR2,
        signal_hook::consts::SIGWINCH,
    ] {
        let _ = signal_hook::flag::register(signal, Arc::new(AtomicBool::new(false)));
    }
}
