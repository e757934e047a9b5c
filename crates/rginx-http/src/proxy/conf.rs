//! The proxy module's configuration: `proxy_pass` and the `proxy_*`
//! settings of a level, with nginx's merge (what a level leaves unset comes
//! from the level above; `proxy_set_header` lists replace, not extend;
//! `if` and `limit_except` blocks inherit the location's `proxy_pass`),
//! nginx's default request headers and hidden response headers, the
//! default `proxy_redirect`, and the buffer-size checks nginx makes while
//! merging.

use super::state::Shared;
use crate::regex::Regex;
use crate::variables::{Part, Template};
use rginx_conf::{Arg, ConfError, Loc};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// `proxy_next_upstream` conditions (nginx's `NGX_HTTP_UPSTREAM_FT_*`).
pub mod ft {
    pub const ERROR: u32 = 0x0000_0002;
    pub const TIMEOUT: u32 = 0x0000_0004;
    pub const INVALID_HEADER: u32 = 0x0000_0008;
    pub const HTTP_500: u32 = 0x0000_0010;
    pub const HTTP_502: u32 = 0x0000_0020;
    pub const HTTP_503: u32 = 0x0000_0040;
    pub const HTTP_504: u32 = 0x0000_0080;
    pub const HTTP_403: u32 = 0x0000_0100;
    pub const HTTP_404: u32 = 0x0000_0200;
    pub const HTTP_429: u32 = 0x0000_0400;
    pub const UPDATING: u32 = 0x0000_0800;
    pub const NON_IDEMPOTENT: u32 = 0x0000_4000;
    pub const NOLIVE: u32 = 0x4000_0000;
    pub const OFF: u32 = 0x8000_0000;
    /// nginx's `NGX_CONF_BITMASK_SET`: the value was given.
    pub const SET: u32 = 0x0000_0001;

    pub const NAMES: &[(&str, u32)] = &[
        ("error", ERROR),
        ("timeout", TIMEOUT),
        ("invalid_header", INVALID_HEADER),
        ("non_idempotent", NON_IDEMPOTENT),
        ("http_500", HTTP_500),
        ("http_502", HTTP_502),
        ("http_503", HTTP_503),
        ("http_504", HTTP_504),
        ("http_403", HTTP_403),
        ("http_404", HTTP_404),
        ("http_429", HTTP_429),
        ("updating", UPDATING),
        ("off", OFF),
    ];
}

/// `proxy_ignore_headers` names (nginx's `NGX_HTTP_UPSTREAM_IGN_*`).
pub mod ign {
    pub const XA_REDIRECT: u32 = 0x0000_0002;
    pub const XA_EXPIRES: u32 = 0x0000_0004;
    pub const EXPIRES: u32 = 0x0000_0008;
    pub const CACHE_CONTROL: u32 = 0x0000_0010;
    pub const SET_COOKIE: u32 = 0x0000_0020;
    pub const XA_LIMIT_RATE: u32 = 0x0000_0040;
    pub const XA_BUFFERING: u32 = 0x0000_0080;
    pub const XA_CHARSET: u32 = 0x0000_0100;
    pub const VARY: u32 = 0x0000_0200;

    pub const NAMES: &[(&str, u32)] = &[
        ("X-Accel-Redirect", XA_REDIRECT),
        ("X-Accel-Expires", XA_EXPIRES),
        ("X-Accel-Limit-Rate", XA_LIMIT_RATE),
        ("X-Accel-Buffering", XA_BUFFERING),
        ("X-Accel-Charset", XA_CHARSET),
        ("Expires", EXPIRES),
        ("Cache-Control", CACHE_CONTROL),
        ("Set-Cookie", SET_COOKIE),
        ("Vary", VARY),
    ];
}

/// The parts of the `proxy_pass` URL nginx keeps (`ngx_http_proxy_vars_t`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    /// `Host` of the upstream request and `$proxy_host`.
    pub host_header: Shared,
    /// `$proxy_port`.
    pub port: Shared,
    /// The URI part of the URL (empty: none).
    pub uri: Vec<u8>,
}

/// Where `proxy_pass` sends requests.
#[derive(Clone, Debug)]
pub enum PassTarget {
    /// A URL without variables: an upstream group, known at config time.
    Static { upstream: usize, vars: Vars },
    /// A URL with variables, evaluated per request.
    Dynamic(Template),
}

/// A `proxy_pass` directive.
#[derive(Clone, Debug)]
pub struct ProxyPass {
    /// The URL as written.
    pub url: Arg,
    pub target: PassTarget,
    /// `https://`: the upstream speaks TLS.
    pub https: bool,
    /// The location's name, whose prefix a URI part replaces (empty where
    /// no URI part is allowed).
    pub location: Vec<u8>,
}

/// What a `proxy_redirect` / `proxy_cookie_*` rule matches.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// A prefix (nginx's "complex" handler).
    Prefix(Template),
    /// `~` / `~*`: the whole value.
    Regex(Arc<Regex>),
    /// `proxy_cookie_domain`: the domain, a leading dot ignored.
    Domain(Template),
}

/// One rewrite rule of `proxy_redirect`, `proxy_cookie_domain` or
/// `proxy_cookie_path`.
#[derive(Clone, Debug)]
pub struct Rewrite {
    pub pattern: Pattern,
    pub replacement: Template,
}

/// How an upstream request header gets its value.
#[derive(Clone, Debug)]
pub enum HeaderValue {
    /// Not sent (and the client's header of that name is not passed).
    Empty,
    Template(Template),
    /// nginx's `$proxy_internal_body_length`.
    BodyLength,
    /// nginx's `$proxy_internal_chunked`.
    Chunked,
}

/// One header nginx sets on the upstream request.
#[derive(Clone, Debug)]
pub struct SetHeader {
    /// As written (sent with this case).
    pub name: Vec<u8>,
    pub lower: Vec<u8>,
    pub value: HeaderValue,
}

/// The headers of the upstream request that the configuration decides.
#[derive(Clone, Debug, Default)]
pub struct HeaderPlan {
    pub set: Vec<SetHeader>,
}

impl HeaderPlan {
    /// Whether a client header of this name (in any case) is replaced.
    pub fn covers(&self, name: &[u8]) -> bool {
        self.set.iter().any(|h| h.lower.eq_ignore_ascii_case(name))
    }

    /// nginx's `ngx_http_proxy_init_headers`: the configured headers, then
    /// nginx's defaults for names not configured.
    fn build(source: Option<&[(Arg, Template)]>) -> HeaderPlan {
        let mut set: Vec<SetHeader> = Vec::new();
        for (name, value) in source.unwrap_or_default() {
            let value = if value.literal() == Some(b"") {
                HeaderValue::Empty
            } else {
                HeaderValue::Template(value.clone())
            };
            set.push(SetHeader {
                name: name.as_bytes().to_vec(),
                lower: name.as_bytes().to_ascii_lowercase(),
                value,
            });
        }
        let defaults: [(&[u8], HeaderValue); 8] = [
            (
                b"Host",
                HeaderValue::Template(Template {
                    parts: vec![Part::Var(crate::variables::Var::Builtin(
                        crate::variables::Builtin::ProxyHost,
                    ))],
                }),
            ),
            (b"Connection", HeaderValue::Template(literal(b"close"))),
            (b"Content-Length", HeaderValue::BodyLength),
            (b"Transfer-Encoding", HeaderValue::Chunked),
            (b"TE", HeaderValue::Empty),
            (b"Keep-Alive", HeaderValue::Empty),
            (b"Expect", HeaderValue::Empty),
            (b"Upgrade", HeaderValue::Empty),
        ];
        for (name, value) in defaults {
            let lower = name.to_ascii_lowercase();
            if set.iter().any(|h| h.lower == lower) {
                continue;
            }
            set.push(SetHeader {
                name: name.to_vec(),
                lower,
                value,
            });
        }
        HeaderPlan { set }
    }
}

/// A template of literal bytes.
pub fn literal(bytes: &[u8]) -> Template {
    Template {
        parts: vec![Part::Literal(bytes.to_vec())],
    }
}

/// nginx's `ngx_http_proxy_hide_headers`: never passed to the client
/// unless `proxy_pass_header` says so.
const HIDDEN_BY_DEFAULT: &[&[u8]] = &[
    b"date",
    b"server",
    b"x-pad",
    b"x-accel-expires",
    b"x-accel-redirect",
    b"x-accel-limit-rate",
    b"x-accel-buffering",
    b"x-accel-charset",
];

/// nginx's `ngx_pagesize`: the default buffer size.
const PAGE: u64 = 4096;

/// Proxy settings of a location (and of server/http levels).
#[derive(Clone, Debug, Default)]
pub struct ProxyConf {
    /// This level's `proxy_pass`.
    pub pass: Option<Arc<ProxyPass>>,
    /// The `proxy_pass` of the enclosing level, which an `if` or
    /// `limit_except` block uses when it has none (nginx's "noname" merge).
    pub inherited_pass: Option<Arc<ProxyPass>>,
    pub headers_source: Option<Arc<Vec<(Arg, Template)>>>,
    /// Built when merging.
    pub headers: Option<Arc<HeaderPlan>>,
    pub http_11: Option<bool>,
    pub method: Option<Template>,
    pub set_body: Option<Template>,
    pub pass_request_headers: Option<bool>,
    pub pass_request_body: Option<bool>,
    pub buffering: Option<bool>,
    pub request_buffering: Option<bool>,
    pub intercept_errors: Option<bool>,
    pub socket_keepalive: Option<bool>,
    pub connect_timeout: Option<Duration>,
    pub send_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub next_upstream: Option<u32>,
    pub next_upstream_tries: Option<u64>,
    pub next_upstream_timeout: Option<Duration>,
    pub hide_headers: Option<Vec<Arg>>,
    pub pass_headers: Option<Vec<Arg>>,
    /// Lowercase names not passed to the client; built when merging.
    pub hidden: Option<Arc<Vec<Vec<u8>>>>,
    pub ignore_headers: Option<u32>,
    /// nginx's `plcf->redirect`: `Some(false)` after `proxy_redirect off`.
    pub redirect: Option<bool>,
    pub redirects: Option<Arc<Vec<Rewrite>>>,
    /// `Some(None)`: `off`.
    pub cookie_domains: Option<Option<Arc<Vec<Rewrite>>>>,
    pub cookie_paths: Option<Option<Arc<Vec<Rewrite>>>>,
    pub buffer_size: Option<u64>,
    pub buffers: Option<(u64, u64)>,
    pub busy_buffers_size: Option<u64>,
    pub max_temp_file_size: Option<u64>,
    pub temp_file_write_size: Option<u64>,
    pub headers_hash_max_size: Option<u64>,
    pub headers_hash_bucket_size: Option<u64>,
    /// `proxy_ssl_*` as given at this level.
    pub ssl: SslConf,
    /// The TLS to upstreams of this level (nginx's `upstream.ssl`), built
    /// when merging where `proxy_pass` may go to `https://`.
    pub tls: Option<Arc<crate::ssl::client::UpstreamTls>>,
    /// What nginx's merge would have refused, reported when `http` ends.
    pub merge_error: Option<MergeError>,
}

/// An error of nginx's merge.
#[derive(Clone, Debug)]
pub enum MergeError {
    /// Reported with the place where the `http` block ends (nginx's
    /// `ngx_conf_log_error` while merging).
    AtEnd(String),
    /// Reported without a place (nginx's `ngx_log_error`, as in
    /// `ngx_http_proxy_set_ssl`).
    Bare(ConfError),
}

/// The `proxy_ssl_*` directives of one level (files resolved against the
/// configuration's directory when read).
#[derive(Clone, Debug, Default)]
pub struct SslConf {
    pub session_reuse: Option<bool>,
    /// nginx's bitmask (`ft::SET` marks it given).
    pub protocols: Option<u32>,
    pub ciphers: Option<Arg>,
    /// `proxy_ssl_name`, a template.
    pub name: Option<Template>,
    pub server_name: Option<bool>,
    pub verify: Option<bool>,
    pub verify_depth: Option<u64>,
    pub trusted_certificate: Option<PathBuf>,
    pub crl: Option<PathBuf>,
    /// As written (for messages) and resolved.
    pub certificate: Option<(Arg, PathBuf)>,
    pub certificate_key: Option<PathBuf>,
    pub passwords: Option<Arc<Vec<Vec<u8>>>>,
}

impl SslConf {
    fn merge(&mut self, parent: &SslConf) {
        macro_rules! inherit {
            ($($field:ident),*) => {
                $(if self.$field.is_none() {
                    self.$field.clone_from(&parent.$field);
                })*
            };
        }
        inherit!(
            session_reuse,
            protocols,
            ciphers,
            name,
            server_name,
            verify,
            verify_depth,
            trusted_certificate,
            crl,
            certificate,
            certificate_key,
            passwords
        );
    }

    /// The settings the client configuration is built from, with nginx's
    /// defaults.
    fn settings(&self) -> crate::ssl::client::Settings {
        crate::ssl::client::Settings {
            protocols: self
                .protocols
                .unwrap_or(crate::ssl::client::DEFAULT_PROTOCOLS),
            ciphers: self
                .ciphers
                .clone()
                .unwrap_or_else(|| Arg::new(crate::ssl::client::DEFAULT_CIPHERS)),
            verify: self.verify.unwrap_or(false),
            verify_depth: self.verify_depth.unwrap_or(1),
            trusted_certificate: self.trusted_certificate.clone(),
            certificate: self.certificate.clone(),
            certificate_key: self.certificate_key.clone(),
            passwords: self.passwords.clone(),
            session_reuse: self.session_reuse.unwrap_or(true),
            server_name: self.server_name.unwrap_or(false),
        }
    }
}

impl ProxyConf {
    /// nginx's `ngx_http_proxy_merge_loc_conf`.
    pub fn merge(&mut self, parent: &ProxyConf) {
        self.inherited_pass = parent
            .pass
            .clone()
            .or_else(|| parent.inherited_pass.clone());
        macro_rules! inherit {
            ($($field:ident),*) => {
                $(if self.$field.is_none() {
                    self.$field.clone_from(&parent.$field);
                })*
            };
        }
        inherit!(
            http_11,
            method,
            set_body,
            pass_request_headers,
            pass_request_body,
            buffering,
            request_buffering,
            intercept_errors,
            socket_keepalive,
            connect_timeout,
            send_timeout,
            read_timeout,
            next_upstream,
            next_upstream_tries,
            next_upstream_timeout,
            ignore_headers,
            cookie_domains,
            cookie_paths,
            buffer_size,
            buffers,
            busy_buffers_size,
            max_temp_file_size,
            temp_file_write_size,
            headers_hash_max_size,
            headers_hash_bucket_size
        );
        self.merge_error = self
            .merge_error
            .take()
            .or_else(|| self.check_buffers().map(MergeError::AtEnd));
        // nginx's ngx_http_proxy_set_ssl, for a proxy_pass that may go to
        // https:// (a literal https URL, or one with variables); an `if`
        // block without its own proxy_pass uses its location's.
        self.ssl.merge(&parent.ssl);
        let wants_tls = self
            .pass
            .as_deref()
            .is_some_and(|pass| pass.https || matches!(pass.target, PassTarget::Dynamic(_)));
        if wants_tls {
            if self.tls.is_none() {
                match crate::ssl::client::build(&self.ssl.settings()) {
                    Ok(tls) => self.tls = Some(Arc::new(tls)),
                    Err(err) => {
                        self.merge_error = self.merge_error.take().or(Some(MergeError::Bare(err)));
                    }
                }
            }
        } else if self.pass.is_none() {
            self.tls.clone_from(&parent.tls);
        }
        // nginx's ngx_http_upstream_hide_headers_hash.
        if self.hide_headers.is_none() && self.pass_headers.is_none() {
            self.hide_headers.clone_from(&parent.hide_headers);
            self.pass_headers.clone_from(&parent.pass_headers);
            self.hidden.clone_from(&parent.hidden);
        } else {
            inherit!(hide_headers, pass_headers);
            self.hidden = None;
        }
        if self.hidden.is_none() {
            self.hidden = Some(Arc::new(self.hidden_names()));
        }
        // The default `proxy_redirect` comes from this level's own
        // proxy_pass (an `if` block without one inherits the rules).
        let redirect = self.redirect.or(parent.redirect).unwrap_or(true);
        self.redirect = Some(redirect);
        if redirect {
            if self.redirects.is_none() {
                self.redirects.clone_from(&parent.redirects);
            }
            if self.redirects.is_none()
                && let Some(rule) = self.pass.as_deref().and_then(default_redirect)
            {
                self.redirects = Some(Arc::new(vec![rule]));
            }
        } else {
            self.redirects = None;
        }
        inherit!(headers_source);
        self.headers = Some(Arc::new(HeaderPlan::build(
            self.headers_source.as_deref().map(Vec::as_slice),
        )));
    }

    fn hidden_names(&self) -> Vec<Vec<u8>> {
        let passed: Vec<Vec<u8>> = self
            .pass_headers
            .iter()
            .flatten()
            .map(|name| name.as_bytes().to_ascii_lowercase())
            .collect();
        HIDDEN_BY_DEFAULT
            .iter()
            .map(|name| name.to_vec())
            .chain(
                self.hide_headers
                    .iter()
                    .flatten()
                    .map(|name| name.as_bytes().to_ascii_lowercase()),
            )
            .filter(|name| !passed.contains(name))
            .collect()
    }

    /// nginx's checks of `proxy_buffer_size`, `proxy_buffers` and friends.
    fn check_buffers(&self) -> Option<String> {
        let (num, size) = self.buffers.unwrap_or((8, PAGE));
        if num < 2 {
            return Some("there must be at least 2 \"proxy_buffers\"".into());
        }
        let largest = self.buffer_size.unwrap_or(PAGE).max(size);
        let busy = self.busy_buffers_size.unwrap_or(2 * largest);
        if busy < largest {
            return Some(
                "\"proxy_busy_buffers_size\" must be equal to or greater than the maximum of the \
                 value of \"proxy_buffer_size\" and one of the \"proxy_buffers\""
                    .into(),
            );
        }
        if busy > (num - 1) * size {
            return Some(
                "\"proxy_busy_buffers_size\" must be less than the size of all \"proxy_buffers\" \
                 minus one buffer"
                    .into(),
            );
        }
        if self.temp_file_write_size.unwrap_or(2 * largest) < largest {
            return Some(
                "\"proxy_temp_file_write_size\" must be equal to or greater than the maximum of \
                 the value of \"proxy_buffer_size\" and one of the \"proxy_buffers\""
                    .into(),
            );
        }
        let max_temp = self.max_temp_file_size.unwrap_or(1024 * 1024 * 1024);
        if max_temp != 0 && max_temp < largest {
            return Some(
                "\"proxy_max_temp_file_size\" must be equal to zero to disable temporary files \
                 usage or must be equal to or greater than the maximum of the value of \
                 \"proxy_buffer_size\" and one of the \"proxy_buffers\""
                    .into(),
            );
        }
        None
    }

    /// The `proxy_pass` in force for a location of this kind.
    pub fn effective_pass(&self, noname: bool) -> Option<&Arc<ProxyPass>> {
        self.pass
            .as_ref()
            .or_else(|| noname.then_some(self.inherited_pass.as_ref()).flatten())
    }

    pub fn http_11(&self) -> bool {
        self.http_11.unwrap_or(false)
    }

    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout.unwrap_or(Duration::from_secs(60))
    }

    pub fn send_timeout(&self) -> Duration {
        self.send_timeout.unwrap_or(Duration::from_secs(60))
    }

    pub fn read_timeout(&self) -> Duration {
        self.read_timeout.unwrap_or(Duration::from_secs(60))
    }

    /// The `proxy_next_upstream` mask in force (`off` clears it).
    pub fn next_upstream(&self) -> u32 {
        match self.next_upstream {
            Some(mask) if mask & ft::OFF != 0 => ft::SET | ft::OFF,
            Some(mask) => mask,
            None => ft::SET | ft::ERROR | ft::TIMEOUT,
        }
    }

    /// `proxy_buffer_size`: the largest response head accepted.
    pub fn buffer_size(&self) -> usize {
        usize::try_from(self.buffer_size.unwrap_or(PAGE)).unwrap_or(usize::MAX)
    }

    pub fn ignores(&self, header: u32) -> bool {
        self.ignore_headers.unwrap_or(0) & header != 0
    }
}

/// `proxy_redirect default` for a static `proxy_pass`: the URL (with a `/`
/// added when it has no URI part) becomes the location (or `/`).
pub fn default_redirect(pass: &ProxyPass) -> Option<Rewrite> {
    let PassTarget::Static { vars, .. } = &pass.target else {
        return None;
    };
    let (pattern, replacement) = if vars.uri.is_empty() {
        let mut pattern = pass.url.as_bytes().to_vec();
        pattern.push(b'/');
        (pattern, b"/".to_vec())
    } else {
        (pass.url.as_bytes().to_vec(), pass.location.clone())
    };
    Some(Rewrite {
        pattern: Pattern::Prefix(literal(&pattern)),
        replacement: literal(&replacement),
    })
}

/// A merge error anywhere in the servers' configurations, in nginx's merge
/// order (server, then its locations depth first).
pub fn first_merge_error(servers: &[crate::http_core::Server]) -> Option<MergeError> {
    fn in_conf(conf: &crate::http_core::LocConf) -> Option<MergeError> {
        if let Some(error) = &conf.proxy.merge_error {
            return Some(error.clone());
        }
        in_ifs(&conf.rewrite.program)
    }
    fn in_ifs(program: &[crate::rewrite::Stmt]) -> Option<MergeError> {
        program.iter().find_map(|stmt| match stmt {
            crate::rewrite::Stmt::If { body, location, .. } => location
                .as_ref()
                .and_then(|location| in_conf(&location.conf))
                .or_else(|| in_ifs(body)),
            _ => None,
        })
    }
    fn in_locations(locations: &[crate::http_core::LocationBuild]) -> Option<MergeError> {
        locations.iter().find_map(|location| {
            in_conf(&location.conf)
                .or_else(|| {
                    location
                        .limit_except
                        .as_ref()
                        .and_then(|limit| in_conf(&limit.location.conf))
                })
                .or_else(|| in_locations(&location.children))
        })
    }
    servers
        .iter()
        .find_map(|server| in_conf(&server.conf).or_else(|| in_locations(&server.locations)))
}

/// The merge error to report, in nginx's words and place.
pub fn merge_error_at(error: MergeError, end: &Loc) -> ConfError {
    match error {
        MergeError::AtEnd(message) => ConfError::at(end, message),
        MergeError::Bare(error) => error,
    }
}
