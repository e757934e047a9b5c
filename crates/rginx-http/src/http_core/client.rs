//! The core module's client-connection settings: keep-alive
//! (`keepalive_timeout`, `keepalive_requests`, `keepalive_disable`), request
//! limits (`client_max_body_size`, `client_header_timeout`,
//! `large_client_header_buffers`), header hygiene
//! (`underscores_in_headers`, `ignore_invalid_headers`) and the socket knobs
//! (`tcp_nodelay`, `sendfile`, `tcp_nopush`).

use super::{LocConf, ServerBuild};
use crate::compile::{Compiler, Target};
use crate::registry::Spec;
use crate::values;
use rginx_conf::{ConfError, Directive};
use std::time::Duration;

/// Location-level client settings (also at http and server level).
#[derive(Clone, Debug, Default)]
pub struct ClientLoc {
    pub keepalive_timeout: Option<Duration>,
    /// The `Keep-Alive: timeout=N` header value, when given.
    pub keepalive_header: Option<Option<Duration>>,
    pub keepalive_requests: Option<u64>,
    /// `keepalive_disable`: (msie6, safari).
    pub keepalive_disable: Option<(bool, bool)>,
    pub client_max_body_size: Option<u64>,
    pub tcp_nodelay: Option<bool>,
    pub sendfile: Option<bool>,
    pub tcp_nopush: Option<bool>,
}

impl ClientLoc {
    pub fn merge(&mut self, parent: &ClientLoc) {
        self.keepalive_timeout = self.keepalive_timeout.or(parent.keepalive_timeout);
        if self.keepalive_header.is_none() {
            self.keepalive_header = parent.keepalive_header;
        }
        self.keepalive_requests = self.keepalive_requests.or(parent.keepalive_requests);
        self.keepalive_disable = self.keepalive_disable.or(parent.keepalive_disable);
        self.client_max_body_size = self.client_max_body_size.or(parent.client_max_body_size);
        self.tcp_nodelay = self.tcp_nodelay.or(parent.tcp_nodelay);
        self.sendfile = self.sendfile.or(parent.sendfile);
        self.tcp_nopush = self.tcp_nopush.or(parent.tcp_nopush);
    }

    /// nginx's default 75s.
    pub fn keepalive_timeout(&self) -> Duration {
        self.keepalive_timeout.unwrap_or(Duration::from_secs(75))
    }

    /// nginx 1.22's default 1000.
    pub fn keepalive_requests(&self) -> u64 {
        self.keepalive_requests.unwrap_or(1000)
    }

    /// nginx's default 1m.
    pub fn client_max_body_size(&self) -> u64 {
        self.client_max_body_size.unwrap_or(1024 * 1024)
    }
}

/// Server-level client settings (also at http level).
#[derive(Clone, Debug, Default)]
pub struct ClientSrv {
    pub client_header_timeout: Option<Duration>,
    pub client_header_buffer_size: Option<u64>,
    /// `large_client_header_buffers NUMBER SIZE`.
    pub large_client_header_buffers: Option<(u64, u64)>,
    pub ignore_invalid_headers: Option<bool>,
    pub underscores_in_headers: Option<bool>,
}

impl ClientSrv {
    pub fn merge(&mut self, parent: &ClientSrv) {
        self.client_header_timeout = self.client_header_timeout.or(parent.client_header_timeout);
        self.client_header_buffer_size = self
            .client_header_buffer_size
            .or(parent.client_header_buffer_size);
        self.large_client_header_buffers = self
            .large_client_header_buffers
            .or(parent.large_client_header_buffers);
        self.ignore_invalid_headers = self
            .ignore_invalid_headers
            .or(parent.ignore_invalid_headers);
        self.underscores_in_headers = self
            .underscores_in_headers
            .or(parent.underscores_in_headers);
    }

    /// nginx's default 60s.
    pub fn client_header_timeout(&self) -> Duration {
        self.client_header_timeout
            .unwrap_or(Duration::from_secs(60))
    }

    /// The most request-head bytes a connection may buffer (nginx's
    /// `large_client_header_buffers`, default 4 x 8k).
    pub fn max_head_bytes(&self) -> usize {
        let (number, size) = self.large_client_header_buffers.unwrap_or((4, 8192));
        usize::try_from(number.saturating_mul(size)).unwrap_or(usize::MAX)
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

fn srv<'a>(target: &'a mut Target<'_>) -> Result<&'a mut ClientSrv, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.client_srv),
        Target::Server(_, server) => Ok(&mut server.client_srv),
        _ => Err(ConfError::bare("internal error: directive out of place")),
    }
}

fn set_keepalive_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let client = &mut loc(t)?.client;
    if client.keepalive_timeout.is_some() {
        return Err(values::duplicate(d));
    }
    client.keepalive_timeout = Some(values::msec(d, &d.args[0])?);
    client.keepalive_header = Some(match d.args.get(1) {
        Some(header) => Some(values::sec(d, header)?),
        None => None,
    });
    Ok(())
}

fn set_keepalive_requests(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::number(d, &d.args[0]);
    let client = &mut loc(t)?.client;
    if client.keepalive_requests.is_some() {
        return Err(values::duplicate(d));
    }
    client.keepalive_requests = Some(value?);
    Ok(())
}

fn set_keepalive_disable(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let client = &mut loc(t)?.client;
    if client.keepalive_disable.is_some() {
        return Err(values::duplicate(d));
    }
    let mut disable = (false, false);
    for arg in &d.args {
        match arg.as_bytes() {
            b"none" => disable = (false, false),
            b"msie6" => disable.0 = true,
            b"safari" => disable.1 = true,
            _ => return Err(values::invalid_value(d, arg)),
        }
    }
    client.keepalive_disable = Some(disable);
    Ok(())
}

fn set_client_max_body_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::parse_offset(d.args[0].as_bytes())
        .ok_or_else(|| values::directive_error(d, "invalid value"));
    let client = &mut loc(t)?.client;
    if client.client_max_body_size.is_some() {
        return Err(values::duplicate(d));
    }
    client.client_max_body_size = Some(value?);
    Ok(())
}

fn set_tcp_nodelay(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut loc(t)?.client.tcp_nodelay, d)
}

fn set_sendfile(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut loc(t)?.client.sendfile, d)
}

fn set_tcp_nopush(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut loc(t)?.client.tcp_nopush, d)
}

fn set_client_header_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::msec(d, &d.args[0]);
    values::set_parsed(&mut srv(t)?.client_header_timeout, d, value)
}

fn set_client_header_buffer_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::size(d, &d.args[0]);
    values::set_parsed(&mut srv(t)?.client_header_buffer_size, d, value)
}

/// nginx's bufs slot: `NUMBER SIZE`, both positive.
fn set_large_client_header_buffers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let srv = srv(t)?;
    if srv.large_client_header_buffers.is_some() {
        return Err(values::duplicate(d));
    }
    let number = values::atoi(d.args[0].as_bytes())
        .filter(|n| *n != 0)
        .ok_or_else(|| values::invalid_value(d, &d.args[0]))?;
    let size = values::parse_size(d.args[1].as_bytes())
        .filter(|n| *n != 0)
        .ok_or_else(|| values::invalid_value(d, &d.args[1]))?;
    srv.large_client_header_buffers = Some((number, size));
    Ok(())
}

fn set_ignore_invalid_headers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut srv(t)?.ignore_invalid_headers, d)
}

fn set_underscores_in_headers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut srv(t)?.underscores_in_headers, d)
}

/// Accepted for the pool sizes nginx's allocator needs and rginx does not.
fn set_pool_size(_: &mut Compiler, d: &Directive, _: &mut Target<'_>) -> Result<(), ConfError> {
    values::size(d, &d.args[0]).map(|_| ())
}

const CORE: &str = "ngx_http_core_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: CORE,
        name: "keepalive_timeout",
        set: set_keepalive_timeout,
        note: "idle keep-alive limit and the Keep-Alive header",
    },
    Spec {
        module: CORE,
        name: "keepalive_requests",
        set: set_keepalive_requests,
        note: "requests per keep-alive connection",
    },
    Spec {
        module: CORE,
        name: "keepalive_disable",
        set: set_keepalive_disable,
        note: "no keep-alive for old MSIE (POST) and Safari",
    },
    Spec {
        module: CORE,
        name: "client_max_body_size",
        set: set_client_max_body_size,
        note: "413 over the limit",
    },
    Spec {
        module: CORE,
        name: "client_header_timeout",
        set: set_client_header_timeout,
        note: "time to receive the request head",
    },
    Spec {
        module: CORE,
        name: "client_header_buffer_size",
        set: set_client_header_buffer_size,
        note: "accepted: rginx buffers heads up to large_client_header_buffers",
    },
    Spec {
        module: CORE,
        name: "large_client_header_buffers",
        set: set_large_client_header_buffers,
        note: "bound on the request head size",
    },
    Spec {
        module: CORE,
        name: "ignore_invalid_headers",
        set: set_ignore_invalid_headers,
        note: "drop header lines with invalid names",
    },
    Spec {
        module: CORE,
        name: "underscores_in_headers",
        set: set_underscores_in_headers,
        note: "keep headers whose names contain `_`",
    },
    Spec {
        module: CORE,
        name: "tcp_nodelay",
        set: set_tcp_nodelay,
        note: "TCP_NODELAY on client sockets",
    },
    Spec {
        module: CORE,
        name: "sendfile",
        set: set_sendfile,
        note: "accepted: rginx sends file data from the page cache either way",
    },
    Spec {
        module: CORE,
        name: "tcp_nopush",
        set: set_tcp_nopush,
        note: "accepted: rginx writes headers and body in as few packets as it can",
    },
    Spec {
        module: CORE,
        name: "connection_pool_size",
        set: set_pool_size,
        note: "accepted: rginx's allocator needs no pool sizing",
    },
    Spec {
        module: CORE,
        name: "request_pool_size",
        set: set_pool_size,
        note: "accepted: rginx's allocator needs no pool sizing",
    },
];

impl ServerBuild {
    /// Whether this server keeps header lines whose names have `_`.
    pub fn underscores_in_headers(&self) -> bool {
        self.client_srv.underscores_in_headers.unwrap_or(false)
    }
}
