//! `-v` and `-V`: the version, and a `configure arguments:` line in nginx's
//! format that truthfully lists which nginx modules rginx implements, so
//! tools that read `nginx -V` see what they can rely on.

use rginx_conf::known_directives::NGINX_DIRECTIVES;
use rginx_http::core_main::{
    DEFAULT_CONF_FILE, DEFAULT_ERROR_LOG, DEFAULT_PID_FILE, DEFAULT_PREFIX,
};
use rginx_http::registry;

/// The nginx version whose behaviour rginx reproduces.
pub const NGINX_COMPAT: &str = "1.22.1";

pub fn version_line() -> String {
    format!(
        "rginx version: rginx/{} (nginx/{NGINX_COMPAT} compatible)",
        env!("CARGO_PKG_VERSION")
    )
}

/// http modules nginx builds unless told `--without-...`.
const HTTP_DEFAULT_ON: [&str; 29] = [
    "charset",
    "gzip",
    "ssi",
    "userid",
    "access",
    "auth_basic",
    "mirror",
    "autoindex",
    "geo",
    "map",
    "split_clients",
    "referer",
    "rewrite",
    "proxy",
    "fastcgi",
    "uwsgi",
    "scgi",
    "grpc",
    "memcached",
    "limit_conn",
    "limit_req",
    "empty_gif",
    "browser",
    "upstream_hash",
    "upstream_ip_hash",
    "upstream_least_conn",
    "upstream_random",
    "upstream_keepalive",
    "upstream_zone",
];

/// http modules nginx builds only when told `--with-...`.
const HTTP_DEFAULT_OFF: [&str; 20] = [
    "ssl",
    "v2",
    "realip",
    "addition",
    "xslt",
    "image_filter",
    "geoip",
    "sub",
    "dav",
    "flv",
    "mp4",
    "gunzip",
    "gzip_static",
    "auth_request",
    "random_index",
    "secure_link",
    "degradation",
    "slice",
    "stub_status",
    "perl",
];

/// The nginx module behind a configure name: most are
/// `ngx_http_<name>_module`, filters `ngx_http_<name>_filter_module`.
fn module_name(short: &str) -> String {
    let plain = format!("ngx_http_{short}_module");
    if NGINX_DIRECTIVES.iter().any(|d| d.module == plain) {
        plain
    } else {
        format!("ngx_http_{short}_filter_module")
    }
}

/// Whether any directive of that nginx module is implemented by rginx.
fn http_module_implemented(short: &str) -> bool {
    let module = module_name(short);
    registry::specs().any(|spec| spec.module == module)
}

/// The `configure arguments:` value.
pub fn configure_arguments() -> String {
    let conf_dir = std::path::Path::new(DEFAULT_CONF_FILE)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut args = vec![
        format!("--prefix={}", DEFAULT_PREFIX.trim_end_matches('/')),
        format!("--conf-path={DEFAULT_CONF_FILE}"),
        format!("--error-log-path={DEFAULT_ERROR_LOG}"),
        format!("--pid-path={DEFAULT_PID_FILE}"),
        format!("--modules-path={conf_dir}/modules"),
    ];
    for short in HTTP_DEFAULT_OFF {
        if http_module_implemented(short) {
            args.push(format!("--with-http_{short}_module"));
        }
    }
    for short in HTTP_DEFAULT_ON {
        if !http_module_implemented(short) {
            args.push(format!("--without-http_{short}_module"));
        }
    }
    args.join(" ")
}

pub fn configure_text() -> String {
    format!(
        "{}\nbuilt with rustc, regex and PCRE2\nconfigure arguments: {}\n",
        version_line(),
        configure_arguments()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unimplemented_default_modules_are_listed_as_without() {
        let args = configure_arguments();
        // -V lists exactly the default modules rginx lacks.
        for short in HTTP_DEFAULT_ON {
            assert_eq!(
                args.contains(&format!("--without-http_{short}_module "))
                    || args.ends_with(&format!("--without-http_{short}_module")),
                !http_module_implemented(short),
                "{short}"
            );
        }
        assert!(args.starts_with("--prefix=/usr/share/nginx "));
    }

    #[test]
    fn every_listed_module_exists_in_nginx() {
        for short in HTTP_DEFAULT_ON.iter().chain(HTTP_DEFAULT_OFF.iter()) {
            let module = module_name(short);
            assert!(
                NGINX_DIRECTIVES.iter().any(|d| d.module == module),
                "{module} has no directives in nginx's table"
            );
        }
    }
}
