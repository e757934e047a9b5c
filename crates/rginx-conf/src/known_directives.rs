//! Every directive that nginx 1.22.1 declares, with the module that declares
//! it and that module's `ngx_command_t.type` bits, so the parser can tell
//! "unknown directive" from "directive is not allowed here" and check
//! argument counts exactly as nginx does.
//!
//! Transcribed from the `ngx_command_t` arrays of nginx 1.22.1's source (the
//! upstream tarball Debian builds from), for every module that builds on
//! Linux, including the ones Debian ships as dynamic modules (geoip,
//! image_filter, xslt, perl, mail, stream) and the ones it leaves out
//! (degradation, google_perftools). The event method modules of other
//! systems (kqueue, devpoll, eventport, iocp) are left out on purpose: on
//! Linux nginx does not know their directives at all. Every name was checked
//! against the strings of Debian's `/usr/sbin/nginx` and its dynamic modules.
//!
//! Order follows `ngx_modules[]` of a build with all those modules compiled
//! in (core, events, http, mail, stream, then google_perftools). nginx offers
//! a directive to the modules in that order and the first one whose kind and
//! context bits fit takes it, so the order matters when two modules declare
//! the same name; in 1.22.1 no two modules of the same kind declare the same
//! name for overlapping contexts, which the tests check.
use crate::nginx_flags::*;

/// One directive as nginx declares it.
#[derive(Clone, Copy, Debug)]
pub struct KnownDirective {
    pub name: &'static str,
    pub module: &'static str,
    pub kind: ModuleKind,
    pub flags: u32,
}

/// All of nginx 1.22.1's directives, in module order (see the module docs).
pub static NGINX_DIRECTIVES: &[KnownDirective] = &[
    // ngx_core_module (src/core/nginx.c)
    KnownDirective {
        name: "daemon",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "master_process",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "timer_resolution",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "pid",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "lock_file",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "worker_processes",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "debug_points",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "user",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "worker_priority",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "worker_cpu_affinity",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "worker_rlimit_nofile",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "worker_rlimit_core",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "worker_shutdown_timeout",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "working_directory",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "env",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "load_module",
        module: "ngx_core_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    // ngx_errlog_module (src/core/ngx_log.c)
    KnownDirective {
        name: "error_log",
        module: "ngx_errlog_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_CONF_1MORE,
    },
    // ngx_conf_module (src/core/ngx_conf_file.c)
    KnownDirective {
        name: "include",
        module: "ngx_conf_module",
        kind: ModuleKind::Conf,
        flags: NGX_ANY_CONF | NGX_CONF_TAKE1,
    },
    // ngx_openssl_module (src/event/ngx_event_openssl.c)
    KnownDirective {
        name: "ssl_engine",
        module: "ngx_openssl_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
    // ngx_regex_module (src/core/ngx_regex.c)
    KnownDirective {
        name: "pcre_jit",
        module: "ngx_regex_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_FLAG,
    },
    // ngx_events_module (src/event/ngx_event.c)
    KnownDirective {
        name: "events",
        module: "ngx_events_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    // ngx_event_core_module (src/event/ngx_event.c)
    KnownDirective {
        name: "worker_connections",
        module: "ngx_event_core_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "use",
        module: "ngx_event_core_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "multi_accept",
        module: "ngx_event_core_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "accept_mutex",
        module: "ngx_event_core_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "accept_mutex_delay",
        module: "ngx_event_core_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "debug_connection",
        module: "ngx_event_core_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_TAKE1,
    },
    // ngx_epoll_module (src/event/modules/ngx_epoll_module.c)
    KnownDirective {
        name: "epoll_events",
        module: "ngx_epoll_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "worker_aio_requests",
        module: "ngx_epoll_module",
        kind: ModuleKind::Event,
        flags: NGX_EVENT_CONF | NGX_CONF_TAKE1,
    },
    // ngx_thread_pool_module (src/core/ngx_thread_pool.c)
    KnownDirective {
        name: "thread_pool",
        module: "ngx_thread_pool_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE23,
    },
    // ngx_http_module (src/http/ngx_http.c)
    KnownDirective {
        name: "http",
        module: "ngx_http_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    // ngx_http_core_module (src/http/ngx_http_core_module.c)
    KnownDirective {
        name: "variables_hash_max_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "variables_hash_bucket_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server_names_hash_max_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server_names_hash_bucket_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "connection_pool_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "request_pool_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "client_header_timeout",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "client_header_buffer_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "large_client_header_buffers",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "ignore_invalid_headers",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "merge_slashes",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "underscores_in_headers",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "location",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "listen",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "server_name",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "types_hash_max_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "types_hash_bucket_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "types",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_CONF_BLOCK
            | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "default_type",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "root",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "alias",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_except",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_BLOCK | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "client_max_body_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "client_body_buffer_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "client_body_timeout",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "client_body_temp_path",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    KnownDirective {
        name: "client_body_in_file_only",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "client_body_in_single_buffer",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "sendfile",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "sendfile_max_chunk",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "subrequest_output_buffer_size",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "aio",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "aio_write",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "read_ahead",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "directio",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "directio_alignment",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "tcp_nopush",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "tcp_nodelay",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "send_timeout",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "send_lowat",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "postpone_output",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_rate",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_rate_after",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "keepalive_time",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "keepalive_timeout",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "keepalive_requests",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "keepalive_disable",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "satisfy",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "auth_delay",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "internal",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "lingering_close",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "lingering_time",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "lingering_timeout",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "reset_timedout_connection",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "absolute_redirect",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "server_name_in_redirect",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "port_in_redirect",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "msie_padding",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "msie_refresh",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "log_not_found",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "log_subrequest",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "recursive_error_pages",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "server_tokens",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "if_modified_since",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "max_ranges",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "chunked_transfer_encoding",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "etag",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "error_page",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "post_action",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "error_log",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "open_file_cache",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "open_file_cache_valid",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "open_file_cache_min_uses",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "open_file_cache_errors",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "open_file_cache_events",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "resolver",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "resolver_timeout",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // Only compiled `#if (NGX_HTTP_GZIP)`; Debian's build has it.
    KnownDirective {
        name: "gzip_vary",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "gzip_http_version",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "gzip_proxied",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "gzip_disable",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    // End of the `#if (NGX_HTTP_GZIP)` block.
    // Only compiled `#if (NGX_HAVE_OPENAT)`; Debian's build has it.
    KnownDirective {
        name: "disable_symlinks",
        module: "ngx_http_core_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    // End of the `#if (NGX_HAVE_OPENAT)` block.

    // ngx_http_log_module (src/http/modules/ngx_http_log_module.c)
    KnownDirective {
        name: "log_format",
        module: "ngx_http_log_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "access_log",
        module: "ngx_http_log_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_HTTP_LMT_CONF
            | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "open_log_file_cache",
        module: "ngx_http_log_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    // ngx_http_upstream_module (src/http/ngx_http_upstream.c)
    KnownDirective {
        name: "upstream",
        module: "ngx_http_upstream_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server",
        module: "ngx_http_upstream_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_1MORE,
    },
    // ngx_http_v2_module (src/http/v2/ngx_http_v2_module.c)
    KnownDirective {
        name: "http2_recv_buffer_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_pool_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_max_concurrent_streams",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_max_concurrent_pushes",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_max_requests",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_max_field_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_max_header_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_body_preread_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_streams_index_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_recv_timeout",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_idle_timeout",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_chunk_size",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "http2_push_preload",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "http2_push",
        module: "ngx_http_v2_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_gzip_static_module (src/http/modules/ngx_http_gzip_static_module.c)
    KnownDirective {
        name: "gzip_static",
        module: "ngx_http_gzip_static_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_dav_module (src/http/modules/ngx_http_dav_module.c)
    KnownDirective {
        name: "dav_methods",
        module: "ngx_http_dav_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "create_full_put_path",
        module: "ngx_http_dav_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "min_delete_depth",
        module: "ngx_http_dav_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "dav_access",
        module: "ngx_http_dav_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    // ngx_http_autoindex_module (src/http/modules/ngx_http_autoindex_module.c)
    KnownDirective {
        name: "autoindex",
        module: "ngx_http_autoindex_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "autoindex_format",
        module: "ngx_http_autoindex_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "autoindex_localtime",
        module: "ngx_http_autoindex_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "autoindex_exact_size",
        module: "ngx_http_autoindex_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_index_module (src/http/modules/ngx_http_index_module.c)
    KnownDirective {
        name: "index",
        module: "ngx_http_index_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    // ngx_http_random_index_module (src/http/modules/ngx_http_random_index_module.c)
    KnownDirective {
        name: "random_index",
        module: "ngx_http_random_index_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_mirror_module (src/http/modules/ngx_http_mirror_module.c)
    KnownDirective {
        name: "mirror",
        module: "ngx_http_mirror_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "mirror_request_body",
        module: "ngx_http_mirror_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_try_files_module (src/http/modules/ngx_http_try_files_module.c)
    KnownDirective {
        name: "try_files",
        module: "ngx_http_try_files_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_2MORE,
    },
    // ngx_http_auth_request_module (src/http/modules/ngx_http_auth_request_module.c)
    KnownDirective {
        name: "auth_request",
        module: "ngx_http_auth_request_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "auth_request_set",
        module: "ngx_http_auth_request_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    // ngx_http_auth_basic_module (src/http/modules/ngx_http_auth_basic_module.c)
    KnownDirective {
        name: "auth_basic",
        module: "ngx_http_auth_basic_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LMT_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "auth_basic_user_file",
        module: "ngx_http_auth_basic_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LMT_CONF
            | NGX_CONF_TAKE1,
    },
    // ngx_http_access_module (src/http/modules/ngx_http_access_module.c)
    KnownDirective {
        name: "allow",
        module: "ngx_http_access_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LMT_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "deny",
        module: "ngx_http_access_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LMT_CONF
            | NGX_CONF_TAKE1,
    },
    // ngx_http_limit_conn_module (src/http/modules/ngx_http_limit_conn_module.c)
    KnownDirective {
        name: "limit_conn_zone",
        module: "ngx_http_limit_conn_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "limit_conn",
        module: "ngx_http_limit_conn_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "limit_conn_log_level",
        module: "ngx_http_limit_conn_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_conn_status",
        module: "ngx_http_limit_conn_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_conn_dry_run",
        module: "ngx_http_limit_conn_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_limit_req_module (src/http/modules/ngx_http_limit_req_module.c)
    KnownDirective {
        name: "limit_req_zone",
        module: "ngx_http_limit_req_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE3,
    },
    KnownDirective {
        name: "limit_req",
        module: "ngx_http_limit_req_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "limit_req_log_level",
        module: "ngx_http_limit_req_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_req_status",
        module: "ngx_http_limit_req_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_req_dry_run",
        module: "ngx_http_limit_req_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_realip_module (src/http/modules/ngx_http_realip_module.c)
    KnownDirective {
        name: "set_real_ip_from",
        module: "ngx_http_realip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "real_ip_header",
        module: "ngx_http_realip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "real_ip_recursive",
        module: "ngx_http_realip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_geo_module (src/http/modules/ngx_http_geo_module.c)
    KnownDirective {
        name: "geo",
        module: "ngx_http_geo_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE12,
    },
    // ngx_http_geoip_module (src/http/modules/ngx_http_geoip_module.c)
    KnownDirective {
        name: "geoip_country",
        module: "ngx_http_geoip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "geoip_org",
        module: "ngx_http_geoip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "geoip_city",
        module: "ngx_http_geoip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "geoip_proxy",
        module: "ngx_http_geoip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "geoip_proxy_recursive",
        module: "ngx_http_geoip_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_map_module (src/http/modules/ngx_http_map_module.c)
    KnownDirective {
        name: "map",
        module: "ngx_http_map_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "map_hash_max_size",
        module: "ngx_http_map_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "map_hash_bucket_size",
        module: "ngx_http_map_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_split_clients_module (src/http/modules/ngx_http_split_clients_module.c)
    KnownDirective {
        name: "split_clients",
        module: "ngx_http_split_clients_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE2,
    },
    // ngx_http_referer_module (src/http/modules/ngx_http_referer_module.c)
    KnownDirective {
        name: "valid_referers",
        module: "ngx_http_referer_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "referer_hash_max_size",
        module: "ngx_http_referer_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "referer_hash_bucket_size",
        module: "ngx_http_referer_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_rewrite_module (src/http/modules/ngx_http_rewrite_module.c)
    KnownDirective {
        name: "rewrite",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF
            | NGX_HTTP_SIF_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE23,
    },
    KnownDirective {
        name: "return",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF
            | NGX_HTTP_SIF_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "break",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF
            | NGX_HTTP_SIF_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "if",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_BLOCK | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "set",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF
            | NGX_HTTP_SIF_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "rewrite_log",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_SIF_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uninitialized_variable_warn",
        module: "ngx_http_rewrite_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_SIF_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_FLAG,
    },
    // ngx_http_ssl_module (src/http/modules/ngx_http_ssl_module.c)
    KnownDirective {
        name: "ssl",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_certificate",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_certificate_key",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_password_file",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_dhparam",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_ecdh_curve",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_protocols",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "ssl_ciphers",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_buffer_size",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_verify_client",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_verify_depth",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_client_certificate",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_trusted_certificate",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_prefer_server_ciphers",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_session_cache",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "ssl_session_tickets",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_session_ticket_key",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_session_timeout",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_crl",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_ocsp",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_ocsp_responder",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_ocsp_cache",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_stapling",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_stapling_file",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_stapling_responder",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_stapling_verify",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_early_data",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_conf_command",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "ssl_reject_handshake",
        module: "ngx_http_ssl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_proxy_module (src/http/modules/ngx_http_proxy_module.c)
    KnownDirective {
        name: "proxy_pass",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_HTTP_LMT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_redirect",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "proxy_cookie_domain",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "proxy_cookie_path",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "proxy_cookie_flags",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    KnownDirective {
        name: "proxy_store",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_store_access",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "proxy_buffering",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_request_buffering",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ignore_client_abort",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_bind",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "proxy_socket_keepalive",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_connect_timeout",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_send_timeout",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_send_lowat",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_intercept_errors",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_set_header",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "proxy_headers_hash_max_size",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_headers_hash_bucket_size",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_set_body",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_method",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_pass_request_headers",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_pass_request_body",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_buffer_size",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_read_timeout",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_buffers",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "proxy_busy_buffers_size",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_force_ranges",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_limit_rate",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // Only compiled `#if (NGX_HTTP_CACHE)`; Debian's build has it.
    KnownDirective {
        name: "proxy_cache",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_cache_key",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_cache_path",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "proxy_cache_bypass",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_no_cache",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_cache_valid",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_cache_min_uses",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_cache_max_range_offset",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_cache_use_stale",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_cache_methods",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_cache_lock",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_cache_lock_timeout",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_cache_lock_age",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_cache_revalidate",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_cache_convert_head",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_cache_background_update",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // End of the `#if (NGX_HTTP_CACHE)` block.
    KnownDirective {
        name: "proxy_temp_path",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    KnownDirective {
        name: "proxy_max_temp_file_size",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_temp_file_write_size",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_next_upstream",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_next_upstream_tries",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_next_upstream_timeout",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_pass_header",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_hide_header",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ignore_headers",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_http_version",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // Only compiled `#if (NGX_HTTP_SSL)`; Debian's build has it.
    KnownDirective {
        name: "proxy_ssl_session_reuse",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_protocols",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_ssl_ciphers",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_name",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_server_name",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_verify",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_verify_depth",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_trusted_certificate",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_crl",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_certificate",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_certificate_key",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_password_file",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_conf_command",
        module: "ngx_http_proxy_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    // End of the `#if (NGX_HTTP_SSL)` block.

    // ngx_http_fastcgi_module (src/http/modules/ngx_http_fastcgi_module.c)
    KnownDirective {
        name: "fastcgi_pass",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_index",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_split_path_info",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_store",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_store_access",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "fastcgi_buffering",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_request_buffering",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_ignore_client_abort",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_bind",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "fastcgi_socket_keepalive",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_connect_timeout",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_send_timeout",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_send_lowat",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_buffer_size",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_pass_request_headers",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_pass_request_body",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_intercept_errors",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_read_timeout",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_buffers",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "fastcgi_busy_buffers_size",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_force_ranges",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_limit_rate",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // Only compiled `#if (NGX_HTTP_CACHE)`; Debian's build has it.
    KnownDirective {
        name: "fastcgi_cache",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_cache_key",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_cache_path",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "fastcgi_cache_bypass",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_no_cache",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_cache_valid",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_cache_min_uses",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_cache_max_range_offset",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_cache_use_stale",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_cache_methods",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_cache_lock",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_cache_lock_timeout",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_cache_lock_age",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_cache_revalidate",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "fastcgi_cache_background_update",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // End of the `#if (NGX_HTTP_CACHE)` block.
    KnownDirective {
        name: "fastcgi_temp_path",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    KnownDirective {
        name: "fastcgi_max_temp_file_size",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_temp_file_write_size",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_next_upstream",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_next_upstream_tries",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_next_upstream_timeout",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_param",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE23,
    },
    KnownDirective {
        name: "fastcgi_pass_header",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_hide_header",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_ignore_headers",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "fastcgi_catch_stderr",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "fastcgi_keep_conn",
        module: "ngx_http_fastcgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_uwsgi_module (src/http/modules/ngx_http_uwsgi_module.c)
    KnownDirective {
        name: "uwsgi_pass",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_modifier1",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_modifier2",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_store",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_store_access",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "uwsgi_buffering",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_request_buffering",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_ignore_client_abort",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_bind",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "uwsgi_socket_keepalive",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_connect_timeout",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_send_timeout",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_buffer_size",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_pass_request_headers",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_pass_request_body",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_intercept_errors",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_read_timeout",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_buffers",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "uwsgi_busy_buffers_size",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_force_ranges",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_limit_rate",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // Only compiled `#if (NGX_HTTP_CACHE)`; Debian's build has it.
    KnownDirective {
        name: "uwsgi_cache",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_cache_key",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_cache_path",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "uwsgi_cache_bypass",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_no_cache",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_cache_valid",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_cache_min_uses",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_cache_max_range_offset",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_cache_use_stale",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_cache_methods",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_cache_lock",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_cache_lock_timeout",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_cache_lock_age",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_cache_revalidate",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_cache_background_update",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // End of the `#if (NGX_HTTP_CACHE)` block.
    KnownDirective {
        name: "uwsgi_temp_path",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    KnownDirective {
        name: "uwsgi_max_temp_file_size",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_temp_file_write_size",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_next_upstream",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_next_upstream_tries",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_next_upstream_timeout",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_param",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE23,
    },
    KnownDirective {
        name: "uwsgi_string",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_pass_header",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_hide_header",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ignore_headers",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    // Only compiled `#if (NGX_HTTP_SSL)`; Debian's build has it.
    KnownDirective {
        name: "uwsgi_ssl_session_reuse",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_ssl_protocols",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "uwsgi_ssl_ciphers",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_name",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_server_name",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_ssl_verify",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "uwsgi_ssl_verify_depth",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_trusted_certificate",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_crl",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_certificate",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_certificate_key",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_password_file",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "uwsgi_ssl_conf_command",
        module: "ngx_http_uwsgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    // End of the `#if (NGX_HTTP_SSL)` block.

    // ngx_http_scgi_module (src/http/modules/ngx_http_scgi_module.c)
    KnownDirective {
        name: "scgi_pass",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_store",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_store_access",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "scgi_buffering",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_request_buffering",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_ignore_client_abort",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_bind",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "scgi_socket_keepalive",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_connect_timeout",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_send_timeout",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_buffer_size",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_pass_request_headers",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_pass_request_body",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_intercept_errors",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_read_timeout",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_buffers",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "scgi_busy_buffers_size",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_force_ranges",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_limit_rate",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // Only compiled `#if (NGX_HTTP_CACHE)`; Debian's build has it.
    KnownDirective {
        name: "scgi_cache",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_cache_key",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_cache_path",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "scgi_cache_bypass",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "scgi_no_cache",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "scgi_cache_valid",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "scgi_cache_min_uses",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_cache_max_range_offset",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_cache_use_stale",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "scgi_cache_methods",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "scgi_cache_lock",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_cache_lock_timeout",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_cache_lock_age",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_cache_revalidate",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "scgi_cache_background_update",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // End of the `#if (NGX_HTTP_CACHE)` block.
    KnownDirective {
        name: "scgi_temp_path",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1234,
    },
    KnownDirective {
        name: "scgi_max_temp_file_size",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_temp_file_write_size",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_next_upstream",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "scgi_next_upstream_tries",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_next_upstream_timeout",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_param",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE23,
    },
    KnownDirective {
        name: "scgi_pass_header",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_hide_header",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "scgi_ignore_headers",
        module: "ngx_http_scgi_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    // ngx_http_grpc_module (src/http/modules/ngx_http_grpc_module.c)
    KnownDirective {
        name: "grpc_pass",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_bind",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "grpc_socket_keepalive",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "grpc_connect_timeout",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_send_timeout",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_intercept_errors",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "grpc_buffer_size",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_read_timeout",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_next_upstream",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "grpc_next_upstream_tries",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_next_upstream_timeout",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_set_header",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "grpc_pass_header",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_hide_header",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ignore_headers",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    // Only compiled `#if (NGX_HTTP_SSL)`; Debian's build has it.
    KnownDirective {
        name: "grpc_ssl_session_reuse",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "grpc_ssl_protocols",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "grpc_ssl_ciphers",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_name",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_server_name",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "grpc_ssl_verify",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "grpc_ssl_verify_depth",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_trusted_certificate",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_crl",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_certificate",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_certificate_key",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_password_file",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "grpc_ssl_conf_command",
        module: "ngx_http_grpc_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    // End of the `#if (NGX_HTTP_SSL)` block.

    // ngx_http_perl_module (src/http/modules/perl/ngx_http_perl_module.c)
    KnownDirective {
        name: "perl_modules",
        module: "ngx_http_perl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "perl_require",
        module: "ngx_http_perl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "perl",
        module: "ngx_http_perl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LMT_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "perl_set",
        module: "ngx_http_perl_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE2,
    },
    // ngx_http_memcached_module (src/http/modules/ngx_http_memcached_module.c)
    KnownDirective {
        name: "memcached_pass",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_bind",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "memcached_socket_keepalive",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "memcached_connect_timeout",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_send_timeout",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_buffer_size",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_read_timeout",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_next_upstream",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "memcached_next_upstream_tries",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_next_upstream_timeout",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "memcached_gzip_flag",
        module: "ngx_http_memcached_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_empty_gif_module (src/http/modules/ngx_http_empty_gif_module.c)
    KnownDirective {
        name: "empty_gif",
        module: "ngx_http_empty_gif_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS,
    },
    // ngx_http_browser_module (src/http/modules/ngx_http_browser_module.c)
    KnownDirective {
        name: "modern_browser",
        module: "ngx_http_browser_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "ancient_browser",
        module: "ngx_http_browser_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "modern_browser_value",
        module: "ngx_http_browser_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ancient_browser_value",
        module: "ngx_http_browser_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_secure_link_module (src/http/modules/ngx_http_secure_link_module.c)
    KnownDirective {
        name: "secure_link",
        module: "ngx_http_secure_link_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "secure_link_md5",
        module: "ngx_http_secure_link_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "secure_link_secret",
        module: "ngx_http_secure_link_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_degradation_module (src/http/modules/ngx_http_degradation_module.c)
    KnownDirective {
        name: "degradation",
        module: "ngx_http_degradation_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "degrade",
        module: "ngx_http_degradation_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_flv_module (src/http/modules/ngx_http_flv_module.c)
    KnownDirective {
        name: "flv",
        module: "ngx_http_flv_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS,
    },
    // ngx_http_mp4_module (src/http/modules/ngx_http_mp4_module.c)
    KnownDirective {
        name: "mp4",
        module: "ngx_http_mp4_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "mp4_buffer_size",
        module: "ngx_http_mp4_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "mp4_max_buffer_size",
        module: "ngx_http_mp4_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "mp4_start_key_frame",
        module: "ngx_http_mp4_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_upstream_hash_module (src/http/modules/ngx_http_upstream_hash_module.c)
    KnownDirective {
        name: "hash",
        module: "ngx_http_upstream_hash_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_TAKE12,
    },
    // ngx_http_upstream_ip_hash_module (src/http/modules/ngx_http_upstream_ip_hash_module.c)
    KnownDirective {
        name: "ip_hash",
        module: "ngx_http_upstream_ip_hash_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_NOARGS,
    },
    // ngx_http_upstream_least_conn_module (src/http/modules/ngx_http_upstream_least_conn_module.c)
    KnownDirective {
        name: "least_conn",
        module: "ngx_http_upstream_least_conn_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_NOARGS,
    },
    // ngx_http_upstream_random_module (src/http/modules/ngx_http_upstream_random_module.c)
    KnownDirective {
        name: "random",
        module: "ngx_http_upstream_random_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_NOARGS | NGX_CONF_TAKE12,
    },
    // ngx_http_upstream_keepalive_module (src/http/modules/ngx_http_upstream_keepalive_module.c)
    KnownDirective {
        name: "keepalive",
        module: "ngx_http_upstream_keepalive_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "keepalive_time",
        module: "ngx_http_upstream_keepalive_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "keepalive_timeout",
        module: "ngx_http_upstream_keepalive_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "keepalive_requests",
        module: "ngx_http_upstream_keepalive_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_upstream_zone_module (src/http/modules/ngx_http_upstream_zone_module.c)
    KnownDirective {
        name: "zone",
        module: "ngx_http_upstream_zone_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_UPS_CONF | NGX_CONF_TAKE12,
    },
    // ngx_http_stub_status_module (src/http/modules/ngx_http_stub_status_module.c)
    KnownDirective {
        name: "stub_status",
        module: "ngx_http_stub_status_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS | NGX_CONF_TAKE1,
    },
    // ngx_http_gzip_filter_module (src/http/modules/ngx_http_gzip_filter_module.c)
    KnownDirective {
        name: "gzip",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "gzip_buffers",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "gzip_types",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "gzip_comp_level",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "gzip_window",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "gzip_hash",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "postpone_gzipping",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "gzip_no_buffer",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "gzip_min_length",
        module: "ngx_http_gzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_ssi_filter_module (src/http/modules/ngx_http_ssi_filter_module.c)
    KnownDirective {
        name: "ssi",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssi_silent_errors",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssi_ignore_recycled_buffers",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssi_min_file_chunk",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssi_value_length",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssi_types",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "ssi_last_modified",
        module: "ngx_http_ssi_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_charset_filter_module (src/http/modules/ngx_http_charset_filter_module.c)
    KnownDirective {
        name: "charset",
        module: "ngx_http_charset_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "source_charset",
        module: "ngx_http_charset_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "override_charset",
        module: "ngx_http_charset_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "charset_types",
        module: "ngx_http_charset_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "charset_map",
        module: "ngx_http_charset_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE2,
    },
    // ngx_http_xslt_filter_module (src/http/modules/ngx_http_xslt_filter_module.c)
    KnownDirective {
        name: "xml_entities",
        module: "ngx_http_xslt_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "xslt_stylesheet",
        module: "ngx_http_xslt_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "xslt_param",
        module: "ngx_http_xslt_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "xslt_string_param",
        module: "ngx_http_xslt_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "xslt_types",
        module: "ngx_http_xslt_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "xslt_last_modified",
        module: "ngx_http_xslt_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_image_filter_module (src/http/modules/ngx_http_image_filter_module.c)
    KnownDirective {
        name: "image_filter",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "image_filter_jpeg_quality",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "image_filter_webp_quality",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "image_filter_sharpen",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "image_filter_transparency",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "image_filter_interlace",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "image_filter_buffer",
        module: "ngx_http_image_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_sub_filter_module (src/http/modules/ngx_http_sub_filter_module.c)
    KnownDirective {
        name: "sub_filter",
        module: "ngx_http_sub_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "sub_filter_types",
        module: "ngx_http_sub_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "sub_filter_once",
        module: "ngx_http_sub_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "sub_filter_last_modified",
        module: "ngx_http_sub_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    // ngx_http_addition_filter_module (src/http/modules/ngx_http_addition_filter_module.c)
    KnownDirective {
        name: "add_before_body",
        module: "ngx_http_addition_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "add_after_body",
        module: "ngx_http_addition_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "addition_types",
        module: "ngx_http_addition_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
    },
    // ngx_http_gunzip_filter_module (src/http/modules/ngx_http_gunzip_filter_module.c)
    KnownDirective {
        name: "gunzip",
        module: "ngx_http_gunzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "gunzip_buffers",
        module: "ngx_http_gunzip_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    // ngx_http_userid_filter_module (src/http/modules/ngx_http_userid_filter_module.c)
    KnownDirective {
        name: "userid",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_service",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_name",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_domain",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_path",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_expires",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_flags",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE123,
    },
    KnownDirective {
        name: "userid_p3p",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "userid_mark",
        module: "ngx_http_userid_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_http_headers_filter_module (src/http/modules/ngx_http_headers_filter_module.c)
    KnownDirective {
        name: "expires",
        module: "ngx_http_headers_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "add_header",
        module: "ngx_http_headers_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE23,
    },
    KnownDirective {
        name: "add_trailer",
        module: "ngx_http_headers_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF
            | NGX_HTTP_SRV_CONF
            | NGX_HTTP_LOC_CONF
            | NGX_HTTP_LIF_CONF
            | NGX_CONF_TAKE23,
    },
    // ngx_http_copy_filter_module (src/http/ngx_http_copy_filter_module.c)
    KnownDirective {
        name: "output_buffers",
        module: "ngx_http_copy_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
    },
    // ngx_http_slice_filter_module (src/http/modules/ngx_http_slice_filter_module.c)
    KnownDirective {
        name: "slice",
        module: "ngx_http_slice_filter_module",
        kind: ModuleKind::Http,
        flags: NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
    },
    // ngx_mail_module (src/mail/ngx_mail.c)
    KnownDirective {
        name: "mail",
        module: "ngx_mail_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    // ngx_mail_core_module (src/mail/ngx_mail_core_module.c)
    KnownDirective {
        name: "server",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "listen",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "protocol",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "timeout",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server_name",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "error_log",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "resolver",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "resolver_timeout",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "max_errors",
        module: "ngx_mail_core_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    // ngx_mail_ssl_module (src/mail/ngx_mail_ssl_module.c)
    KnownDirective {
        name: "ssl",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "starttls",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_certificate",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_certificate_key",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_password_file",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_dhparam",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_ecdh_curve",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_protocols",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "ssl_ciphers",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_prefer_server_ciphers",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_session_cache",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "ssl_session_tickets",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_session_ticket_key",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_session_timeout",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_verify_client",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_verify_depth",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_client_certificate",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_trusted_certificate",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_crl",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_conf_command",
        module: "ngx_mail_ssl_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE2,
    },
    // ngx_mail_pop3_module (src/mail/ngx_mail_pop3_module.c)
    KnownDirective {
        name: "pop3_capabilities",
        module: "ngx_mail_pop3_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "pop3_auth",
        module: "ngx_mail_pop3_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    // ngx_mail_imap_module (src/mail/ngx_mail_imap_module.c)
    KnownDirective {
        name: "imap_client_buffer",
        module: "ngx_mail_imap_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "imap_capabilities",
        module: "ngx_mail_imap_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "imap_auth",
        module: "ngx_mail_imap_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    // ngx_mail_smtp_module (src/mail/ngx_mail_smtp_module.c)
    KnownDirective {
        name: "smtp_client_buffer",
        module: "ngx_mail_smtp_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "smtp_greeting_delay",
        module: "ngx_mail_smtp_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "smtp_capabilities",
        module: "ngx_mail_smtp_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "smtp_auth",
        module: "ngx_mail_smtp_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_1MORE,
    },
    // ngx_mail_auth_http_module (src/mail/ngx_mail_auth_http_module.c)
    KnownDirective {
        name: "auth_http",
        module: "ngx_mail_auth_http_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "auth_http_timeout",
        module: "ngx_mail_auth_http_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "auth_http_header",
        module: "ngx_mail_auth_http_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "auth_http_pass_client_cert",
        module: "ngx_mail_auth_http_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    // ngx_mail_proxy_module (src/mail/ngx_mail_proxy_module.c)
    KnownDirective {
        name: "proxy",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_buffer",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_timeout",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_pass_error_message",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "xclient",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_smtp_auth",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_protocol",
        module: "ngx_mail_proxy_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG,
    },
    // ngx_mail_realip_module (src/mail/ngx_mail_realip_module.c)
    KnownDirective {
        name: "set_real_ip_from",
        module: "ngx_mail_realip_module",
        kind: ModuleKind::Mail,
        flags: NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_TAKE1,
    },
    // ngx_stream_module (src/stream/ngx_stream.c)
    KnownDirective {
        name: "stream",
        module: "ngx_stream_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    // ngx_stream_core_module (src/stream/ngx_stream_core_module.c)
    KnownDirective {
        name: "variables_hash_max_size",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "variables_hash_bucket_size",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS,
    },
    KnownDirective {
        name: "listen",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "error_log",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "resolver",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "resolver_timeout",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_protocol_timeout",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "tcp_nodelay",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "preread_buffer_size",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "preread_timeout",
        module: "ngx_stream_core_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    // ngx_stream_log_module (src/stream/ngx_stream_log_module.c)
    KnownDirective {
        name: "log_format",
        module: "ngx_stream_log_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_2MORE,
    },
    KnownDirective {
        name: "access_log",
        module: "ngx_stream_log_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "open_log_file_cache",
        module: "ngx_stream_log_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1234,
    },
    // ngx_stream_proxy_module (src/stream/ngx_stream_proxy_module.c)
    KnownDirective {
        name: "proxy_pass",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_bind",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "proxy_socket_keepalive",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_connect_timeout",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_timeout",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_buffer_size",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_downstream_buffer",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_upstream_buffer",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_upload_rate",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_download_rate",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_requests",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_responses",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_next_upstream",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_next_upstream_tries",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_next_upstream_timeout",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_protocol",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_half_close",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    // Only compiled `#if (NGX_STREAM_SSL)`; Debian's build has it.
    KnownDirective {
        name: "proxy_ssl",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_session_reuse",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_protocols",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "proxy_ssl_ciphers",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_name",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_server_name",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_verify",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "proxy_ssl_verify_depth",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_trusted_certificate",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_crl",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_certificate",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_certificate_key",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_password_file",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "proxy_ssl_conf_command",
        module: "ngx_stream_proxy_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE2,
    },
    // End of the `#if (NGX_STREAM_SSL)` block.

    // ngx_stream_upstream_module (src/stream/ngx_stream_upstream.c)
    KnownDirective {
        name: "upstream",
        module: "ngx_stream_upstream_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "server",
        module: "ngx_stream_upstream_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_UPS_CONF | NGX_CONF_1MORE,
    },
    // ngx_stream_ssl_module (src/stream/ngx_stream_ssl_module.c)
    KnownDirective {
        name: "ssl_handshake_timeout",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_certificate",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_certificate_key",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_password_file",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_dhparam",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_ecdh_curve",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_protocols",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    KnownDirective {
        name: "ssl_ciphers",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_verify_client",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_verify_depth",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_client_certificate",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_trusted_certificate",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_prefer_server_ciphers",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_session_cache",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "ssl_session_tickets",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    KnownDirective {
        name: "ssl_session_ticket_key",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_session_timeout",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_crl",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "ssl_conf_command",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "ssl_alpn",
        module: "ngx_stream_ssl_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_1MORE,
    },
    // ngx_stream_realip_module (src/stream/ngx_stream_realip_module.c)
    KnownDirective {
        name: "set_real_ip_from",
        module: "ngx_stream_realip_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    // ngx_stream_limit_conn_module (src/stream/ngx_stream_limit_conn_module.c)
    KnownDirective {
        name: "limit_conn_zone",
        module: "ngx_stream_limit_conn_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "limit_conn",
        module: "ngx_stream_limit_conn_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "limit_conn_log_level",
        module: "ngx_stream_limit_conn_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "limit_conn_dry_run",
        module: "ngx_stream_limit_conn_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    // ngx_stream_access_module (src/stream/ngx_stream_access_module.c)
    KnownDirective {
        name: "allow",
        module: "ngx_stream_access_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "deny",
        module: "ngx_stream_access_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    // ngx_stream_geo_module (src/stream/ngx_stream_geo_module.c)
    KnownDirective {
        name: "geo",
        module: "ngx_stream_geo_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE12,
    },
    // ngx_stream_geoip_module (src/stream/ngx_stream_geoip_module.c)
    KnownDirective {
        name: "geoip_country",
        module: "ngx_stream_geoip_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "geoip_org",
        module: "ngx_stream_geoip_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE12,
    },
    KnownDirective {
        name: "geoip_city",
        module: "ngx_stream_geoip_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE12,
    },
    // ngx_stream_map_module (src/stream/ngx_stream_map_module.c)
    KnownDirective {
        name: "map",
        module: "ngx_stream_map_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE2,
    },
    KnownDirective {
        name: "map_hash_max_size",
        module: "ngx_stream_map_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE1,
    },
    KnownDirective {
        name: "map_hash_bucket_size",
        module: "ngx_stream_map_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_TAKE1,
    },
    // ngx_stream_split_clients_module (src/stream/ngx_stream_split_clients_module.c)
    KnownDirective {
        name: "split_clients",
        module: "ngx_stream_split_clients_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE2,
    },
    // ngx_stream_return_module (src/stream/ngx_stream_return_module.c)
    KnownDirective {
        name: "return",
        module: "ngx_stream_return_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1,
    },
    // ngx_stream_set_module (src/stream/ngx_stream_set_module.c)
    KnownDirective {
        name: "set",
        module: "ngx_stream_set_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_SRV_CONF | NGX_CONF_TAKE2,
    },
    // ngx_stream_upstream_hash_module (src/stream/ngx_stream_upstream_hash_module.c)
    KnownDirective {
        name: "hash",
        module: "ngx_stream_upstream_hash_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_UPS_CONF | NGX_CONF_TAKE12,
    },
    // ngx_stream_upstream_least_conn_module (src/stream/ngx_stream_upstream_least_conn_module.c)
    KnownDirective {
        name: "least_conn",
        module: "ngx_stream_upstream_least_conn_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_UPS_CONF | NGX_CONF_NOARGS,
    },
    // ngx_stream_upstream_random_module (src/stream/ngx_stream_upstream_random_module.c)
    KnownDirective {
        name: "random",
        module: "ngx_stream_upstream_random_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_UPS_CONF | NGX_CONF_NOARGS | NGX_CONF_TAKE12,
    },
    // ngx_stream_upstream_zone_module (src/stream/ngx_stream_upstream_zone_module.c)
    KnownDirective {
        name: "zone",
        module: "ngx_stream_upstream_zone_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_UPS_CONF | NGX_CONF_TAKE12,
    },
    // ngx_stream_ssl_preread_module (src/stream/ngx_stream_ssl_preread_module.c)
    KnownDirective {
        name: "ssl_preread",
        module: "ngx_stream_ssl_preread_module",
        kind: ModuleKind::Stream,
        flags: NGX_STREAM_MAIN_CONF | NGX_STREAM_SRV_CONF | NGX_CONF_FLAG,
    },
    // ngx_google_perftools_module (src/misc/ngx_google_perftools_module.c)
    KnownDirective {
        name: "google_perftools_profiles",
        module: "ngx_google_perftools_module",
        kind: ModuleKind::Core,
        flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
    },
];

/// All entries named `name`, in table (module) order: one name may be
/// declared by several modules, for different kinds or contexts (`server`,
/// `listen`, `proxy_pass`...), and the caller picks the one whose context fits.
///
/// A linear scan: the table has a few hundred entries and it is consulted
/// once per directive of a configuration file.
pub fn lookup(name: &[u8]) -> impl Iterator<Item = &'static KnownDirective> {
    NGINX_DIRECTIVES
        .iter()
        .filter(move |d| d.name.as_bytes() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The entry of `module` named `name`; fails the test when there is none.
    fn entry(module: &str, name: &str) -> &'static KnownDirective {
        lookup(name.as_bytes())
            .find(|d| d.module == module)
            .unwrap_or_else(|| panic!("{module} declares no `{name}`"))
    }

    fn modules_of(name: &str) -> Vec<&'static str> {
        lookup(name.as_bytes()).map(|d| d.module).collect()
    }

    #[test]
    fn no_duplicate_module_name_pairs() {
        let mut seen = HashSet::new();
        for d in NGINX_DIRECTIVES {
            assert!(
                seen.insert((d.module, d.name)),
                "{} is listed twice for {}",
                d.name,
                d.module
            );
        }
    }

    #[test]
    fn names_look_like_nginx_directive_names() {
        for d in NGINX_DIRECTIVES {
            assert!(
                !d.name.is_empty()
                    && d.name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "odd directive name {:?}",
                d.name
            );
        }
    }

    #[test]
    fn every_entry_has_a_context_and_an_arity() {
        let arity =
            NGX_CONF_ARGS_NUMBER | NGX_CONF_FLAG | NGX_CONF_ANY | NGX_CONF_1MORE | NGX_CONF_2MORE;
        for d in NGINX_DIRECTIVES {
            assert_ne!(d.flags & NGX_ANY_CONF, 0, "{} has no context", d.name);
            assert_ne!(d.flags & arity, 0, "{} has no arity", d.name);
        }
    }

    #[test]
    fn kind_matches_module_family() {
        for d in NGINX_DIRECTIVES {
            let expected = match d.module {
                "ngx_conf_module" => ModuleKind::Conf,
                "ngx_http_module" | "ngx_mail_module" | "ngx_stream_module" => ModuleKind::Core,
                "ngx_event_core_module" | "ngx_epoll_module" => ModuleKind::Event,
                m if m.starts_with("ngx_http_") => ModuleKind::Http,
                m if m.starts_with("ngx_mail_") => ModuleKind::Mail,
                m if m.starts_with("ngx_stream_") => ModuleKind::Stream,
                _ => ModuleKind::Core,
            };
            assert_eq!(d.kind, expected, "{} of {}", d.name, d.module);
        }
    }

    #[test]
    fn each_module_is_one_contiguous_run_in_family_order() {
        let mut finished: Vec<&str> = Vec::new();
        let mut current = "";
        for d in NGINX_DIRECTIVES {
            if d.module != current {
                assert!(
                    !finished.contains(&d.module),
                    "{} appears in two places",
                    d.module
                );
                finished.push(current);
                current = d.module;
            }
        }
        // nginx's module order: events before http, http before mail, mail
        // before stream.
        let first = |prefix: &str| {
            NGINX_DIRECTIVES
                .iter()
                .position(|d| d.module.starts_with(prefix))
                .unwrap_or_else(|| panic!("no {prefix} module"))
        };
        let last = |prefix: &str| {
            NGINX_DIRECTIVES
                .iter()
                .rposition(|d| d.module.starts_with(prefix))
                .unwrap_or_else(|| panic!("no {prefix} module"))
        };
        assert_eq!(NGINX_DIRECTIVES[0].module, "ngx_core_module");
        assert!(last("ngx_event") < first("ngx_http_"));
        assert!(last("ngx_http_") < first("ngx_mail_"));
        assert!(last("ngx_mail_") < first("ngx_stream_"));
    }

    #[test]
    fn no_two_modules_of_one_kind_share_a_name_and_a_context() {
        for (i, a) in NGINX_DIRECTIVES.iter().enumerate() {
            for b in &NGINX_DIRECTIVES[i + 1..] {
                if a.name == b.name && a.kind == b.kind {
                    assert_eq!(
                        a.flags & b.flags & NGX_ANY_CONF,
                        0,
                        "{} is declared by {} and {} for the same context",
                        a.name,
                        a.module,
                        b.module
                    );
                }
            }
        }
    }

    #[test]
    fn core_level_spot_checks() {
        let d = entry("ngx_conf_module", "include");
        assert_eq!(d.kind, ModuleKind::Conf);
        assert_eq!(d.flags, NGX_ANY_CONF | NGX_CONF_TAKE1);

        let d = entry("ngx_core_module", "worker_processes");
        assert_eq!(d.kind, ModuleKind::Core);
        assert_eq!(d.flags, NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1);

        // error_log of ngx_errlog_module is not a "direct" directive.
        assert_eq!(
            entry("ngx_errlog_module", "error_log").flags,
            NGX_MAIN_CONF | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_thread_pool_module", "thread_pool").flags,
            NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE23
        );
        for block in [
            "ngx_events_module",
            "ngx_http_module",
            "ngx_mail_module",
            "ngx_stream_module",
        ] {
            let name = block
                .strip_prefix("ngx_")
                .and_then(|s| s.strip_suffix("_module"))
                .unwrap_or_default();
            let d = entry(block, name);
            assert_eq!(d.kind, ModuleKind::Core);
            assert_eq!(d.flags, NGX_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS);
        }

        let d = entry("ngx_event_core_module", "worker_connections");
        assert_eq!(d.kind, ModuleKind::Event);
        assert_eq!(d.flags, NGX_EVENT_CONF | NGX_CONF_TAKE1);
        assert_eq!(
            entry("ngx_event_core_module", "use").flags,
            NGX_EVENT_CONF | NGX_CONF_TAKE1
        );
    }

    #[test]
    fn http_spot_checks() {
        assert_eq!(
            entry("ngx_http_core_module", "listen").flags,
            NGX_HTTP_SRV_CONF | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_http_core_module", "location").flags,
            NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE12
        );
        assert_eq!(
            entry("ngx_http_core_module", "types").flags,
            NGX_HTTP_MAIN_CONF
                | NGX_HTTP_SRV_CONF
                | NGX_HTTP_LOC_CONF
                | NGX_CONF_BLOCK
                | NGX_CONF_NOARGS
        );
        assert_eq!(
            entry("ngx_http_core_module", "limit_except").flags,
            NGX_HTTP_LOC_CONF | NGX_CONF_BLOCK | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_http_gzip_filter_module", "gzip").flags,
            NGX_HTTP_MAIN_CONF
                | NGX_HTTP_SRV_CONF
                | NGX_HTTP_LOC_CONF
                | NGX_HTTP_LIF_CONF
                | NGX_CONF_FLAG
        );
        assert_eq!(
            entry("ngx_http_proxy_module", "proxy_pass").flags,
            NGX_HTTP_LOC_CONF | NGX_HTTP_LIF_CONF | NGX_HTTP_LMT_CONF | NGX_CONF_TAKE1
        );
        assert_eq!(
            entry("ngx_http_rewrite_module", "if").flags,
            NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_BLOCK | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_http_rewrite_module", "rewrite").flags,
            NGX_HTTP_SRV_CONF
                | NGX_HTTP_SIF_CONF
                | NGX_HTTP_LOC_CONF
                | NGX_HTTP_LIF_CONF
                | NGX_CONF_TAKE23
        );
        assert_eq!(
            entry("ngx_http_map_module", "map").flags,
            NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE2
        );
        assert_eq!(
            entry("ngx_http_upstream_module", "upstream").flags,
            NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_TAKE1
        );
        assert_eq!(
            entry("ngx_http_upstream_hash_module", "hash").flags,
            NGX_HTTP_UPS_CONF | NGX_CONF_TAKE12
        );
        assert_eq!(
            entry("ngx_http_ssl_module", "ssl_conf_command").flags,
            NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE2
        );
        assert_eq!(
            entry("ngx_http_mp4_module", "mp4_start_key_frame").flags,
            NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG
        );
        for d in NGINX_DIRECTIVES
            .iter()
            .filter(|d| d.kind == ModuleKind::Http)
        {
            assert_eq!(
                d.flags & NGX_MAIN_CONF,
                0,
                "{} has a core context bit",
                d.name
            );
        }
    }

    #[test]
    fn names_shared_between_modules_come_in_module_order() {
        assert_eq!(
            modules_of("server"),
            [
                "ngx_http_core_module",
                "ngx_http_upstream_module",
                "ngx_mail_core_module",
                "ngx_stream_core_module",
                "ngx_stream_upstream_module",
            ]
        );
        assert_eq!(
            entry("ngx_http_core_module", "server").flags,
            NGX_HTTP_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS
        );
        assert_eq!(
            entry("ngx_http_upstream_module", "server").flags,
            NGX_HTTP_UPS_CONF | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_mail_core_module", "server").flags,
            NGX_MAIL_MAIN_CONF | NGX_CONF_BLOCK | NGX_CONF_NOARGS
        );
        assert_eq!(
            entry("ngx_stream_upstream_module", "server").flags,
            NGX_STREAM_UPS_CONF | NGX_CONF_1MORE
        );
        assert_eq!(
            modules_of("error_log"),
            [
                "ngx_errlog_module",
                "ngx_http_core_module",
                "ngx_mail_core_module",
                "ngx_stream_core_module",
            ]
        );
        assert_eq!(
            modules_of("keepalive_timeout"),
            ["ngx_http_core_module", "ngx_http_upstream_keepalive_module"]
        );
        assert_eq!(
            modules_of("proxy_pass"),
            ["ngx_http_proxy_module", "ngx_stream_proxy_module"]
        );
        assert_eq!(
            entry("ngx_stream_proxy_module", "proxy_pass").flags,
            NGX_STREAM_SRV_CONF | NGX_CONF_TAKE1
        );
    }

    #[test]
    fn mail_and_stream_spot_checks() {
        assert_eq!(
            entry("ngx_mail_core_module", "listen").flags,
            NGX_MAIL_SRV_CONF | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_stream_core_module", "listen").flags,
            NGX_STREAM_SRV_CONF | NGX_CONF_1MORE
        );
        assert_eq!(
            entry("ngx_stream_set_module", "set").flags,
            NGX_STREAM_SRV_CONF | NGX_CONF_TAKE2
        );
        assert_eq!(
            entry("ngx_stream_upstream_hash_module", "hash").flags,
            NGX_STREAM_UPS_CONF | NGX_CONF_TAKE12
        );
        assert_eq!(
            entry("ngx_mail_ssl_module", "ssl").flags,
            NGX_MAIL_MAIN_CONF | NGX_MAIL_SRV_CONF | NGX_CONF_FLAG
        );
    }

    #[test]
    fn version_boundaries() {
        // Added before 1.22.1: present.
        for name in [
            "ssl_reject_handshake",
            "keepalive_time",
            "ssl_conf_command",
            "mp4_start_key_frame",
        ] {
            assert!(lookup(name.as_bytes()).next().is_some(), "{name} missing");
        }
        // Added after 1.22.1, or not built on Linux: absent.
        for name in [
            "http2",
            "http3",
            "quic_retry",
            "proxy_ssl_certificate_cache",
            "kqueue_events",
            "devpoll_events",
            "ssl_object_cache_inheritable",
        ] {
            assert!(
                lookup(name.as_bytes()).next().is_none(),
                "{name} should not be known"
            );
        }
    }

    #[test]
    fn lookup_matches_whole_names_only() {
        assert!(lookup(b"prox").next().is_none());
        assert!(lookup(b"proxy_pass_").next().is_none());
        assert!(lookup(b"PROXY_PASS").next().is_none());
        assert!(lookup(b"").next().is_none());
    }
}
