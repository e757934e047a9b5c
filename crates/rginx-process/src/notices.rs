//! The `[notice]` lines nginx writes when it starts and reloads, so an
//! error log at `notice` level reads the same.

use crate::log::LogSet;

pub fn event_method(logs: &mut LogSet) {
    logs.notice("using the \"epoll\" event method");
}

/// Version, OS and the descriptor limit, as nginx's `ngx_os_status`.
pub fn startup(logs: &mut LogSet) {
    event_method(logs);
    logs.notice(&format!("rginx/{}", env!("CARGO_PKG_VERSION")));
    let read = |name: &str| {
        std::fs::read_to_string(format!("/proc/sys/kernel/{name}"))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    logs.notice(&format!("OS: {} {}", read("ostype"), read("osrelease")));
    if let Ok((soft, hard)) =
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
    {
        logs.notice(&format!("getrlimit(RLIMIT_NOFILE): {soft}:{hard}"));
    }
}
