//! nginx's HTTP/2 module: its directives with nginx 1.22's validation and
//! messages. HTTP/2 itself is served by hyper (see `serve::connection`):
//! over TLS when ALPN picks `h2` on a `listen ... ssl http2`, and with
//! prior knowledge (h2c) on a plain `listen ... http2`.

use crate::compile::{Compiler, Target};
use crate::registry::Spec;
use crate::values;
use rginx_conf::{ConfError, Directive};

/// Server-level HTTP/2 settings (nginx's `ngx_http_v2_srv_conf_t`, plus
/// the main-level receive buffer, kept with the http block's copy).
#[derive(Clone, Debug, Default)]
pub struct SrvConf {
    recv_buffer_size: Option<u64>,
    pool_size: Option<u64>,
    concurrent_streams: Option<u64>,
    concurrent_pushes: Option<u64>,
    preread_size: Option<u64>,
    streams_index_size: Option<u64>,
}

impl SrvConf {
    pub fn merge(&mut self, prev: &SrvConf) {
        self.recv_buffer_size = self.recv_buffer_size.or(prev.recv_buffer_size);
        self.pool_size = self.pool_size.or(prev.pool_size);
        self.concurrent_streams = self.concurrent_streams.or(prev.concurrent_streams);
        self.concurrent_pushes = self.concurrent_pushes.or(prev.concurrent_pushes);
        self.preread_size = self.preread_size.or(prev.preread_size);
        self.streams_index_size = self.streams_index_size.or(prev.streams_index_size);
    }

    /// `http2_max_concurrent_streams` (nginx's default 128).
    pub fn max_concurrent_streams(&self) -> u32 {
        self.concurrent_streams
            .map_or(128, |n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// `http2_body_preread_size`: the initial window of a stream (64k).
    pub fn initial_stream_window(&self) -> u32 {
        self.preread_size
            .map_or(65536, |n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// `http2_recv_buffer_size` (256k).
    pub fn recv_buffer_size(&self) -> usize {
        self.recv_buffer_size
            .map_or(256 * 1024, |n| usize::try_from(n).unwrap_or(usize::MAX))
    }
}

fn h2_conf<'a>(target: &'a mut Target<'_>) -> Result<&'a mut SrvConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.ssl.srv.h2),
        Target::Server(_, server) => Ok(&mut server.ssl.h2),
        _ => Err(ConfError::bare(
            "internal error: http2 directive out of place",
        )),
    }
}

fn size_slot(slot: &mut Option<u64>, d: &Directive) -> Result<u64, ConfError> {
    values::size_slot(slot, d)?;
    Ok(slot.unwrap_or_default())
}

fn num_slot(slot: &mut Option<u64>, d: &Directive) -> Result<u64, ConfError> {
    values::number_slot(slot, d)?;
    Ok(slot.unwrap_or_default())
}

fn set_recv_buffer_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    // nginx: more than twice its 16-byte state buffer.
    if size_slot(&mut h2_conf(t)?.recv_buffer_size, d)? <= 2 * 16 {
        return Err(values::directive_error(d, "value is too small"));
    }
    Ok(())
}

fn set_pool_size(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let size = size_slot(&mut h2_conf(t)?.pool_size, d)?;
    if size < 112 {
        return Err(ConfError::at(
            &d.loc,
            "the pool size must be no less than 112",
        ));
    }
    if size % 16 != 0 {
        return Err(ConfError::at(
            &d.loc,
            "the pool size must be a multiple of 16",
        ));
    }
    Ok(())
}

fn set_max_concurrent_streams(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    num_slot(&mut h2_conf(t)?.concurrent_streams, d).map(drop)
}

fn set_max_concurrent_pushes(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    num_slot(&mut h2_conf(t)?.concurrent_pushes, d).map(drop)
}

fn set_body_preread_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if size_slot(&mut h2_conf(t)?.preread_size, d)? > 0x7fff_ffff {
        return Err(ConfError::at(
            &d.loc,
            "the maximum body preread buffer size is 2147483647",
        ));
    }
    Ok(())
}

fn set_streams_index_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let n = num_slot(&mut h2_conf(t)?.streams_index_size, d)?;
    if n == 0 || n & (n - 1) != 0 {
        return Err(values::directive_error(d, "must be a power of two"));
    }
    Ok(())
}

/// nginx 1.22's obsolete HTTP/2 directives: a [warn] naming the
/// replacement, and nothing else.
fn set_obsolete(
    compiler: &mut Compiler,
    d: &Directive,
    _: &mut Target<'_>,
) -> Result<(), ConfError> {
    let replacement = match d.name.as_bytes() {
        b"http2_recv_timeout" => "client_header_timeout",
        b"http2_idle_timeout" => "keepalive_timeout",
        b"http2_max_requests" => "keepalive_requests",
        _ => "large_client_header_buffers",
    };
    compiler.warn(ConfError::at(
        &d.loc,
        format!(
            "the \"{}\" directive is obsolete, use the \"{replacement}\" directive instead",
            d.name_str()
        ),
    ));
    Ok(())
}

/// `http2_chunk_size` (location level): checked as nginx checks it; hyper
/// sizes DATA frames by the peer's SETTINGS.
fn set_chunk_size(_: &mut Compiler, d: &Directive, _: &mut Target<'_>) -> Result<(), ConfError> {
    if values::size(d, &d.args[0])? == 0 {
        return Err(ConfError::at(&d.loc, "the http2 chunk size cannot be zero"));
    }
    Ok(())
}

fn set_push_preload(_: &mut Compiler, d: &Directive, _: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag(d).map(drop)
}

/// `http2_push off | URI`: accepted; rginx pushes nothing (browsers have
/// dropped server push, and clients fetch the resource themselves).
fn set_push(_: &mut Compiler, _: &Directive, _: &mut Target<'_>) -> Result<(), ConfError> {
    Ok(())
}

const V2: &str = "ngx_http_v2_module";
const OBSOLETE: &str = "obsolete in nginx 1.22: [warn] naming the replacement";

pub static SPECS: &[Spec] = &[
    Spec {
        module: V2,
        name: "http2_recv_buffer_size",
        set: set_recv_buffer_size,
        note: "checked; hyper manages its read buffer",
    },
    Spec {
        module: V2,
        name: "http2_pool_size",
        set: set_pool_size,
        note: "checked as nginx checks it; no effect (no pools)",
    },
    Spec {
        module: V2,
        name: "http2_max_concurrent_streams",
        set: set_max_concurrent_streams,
        note: "SETTINGS_MAX_CONCURRENT_STREAMS",
    },
    Spec {
        module: V2,
        name: "http2_max_concurrent_pushes",
        set: set_max_concurrent_pushes,
        note: "accepted: rginx does not push",
    },
    Spec {
        module: V2,
        name: "http2_max_requests",
        set: set_obsolete,
        note: OBSOLETE,
    },
    Spec {
        module: V2,
        name: "http2_max_field_size",
        set: set_obsolete,
        note: OBSOLETE,
    },
    Spec {
        module: V2,
        name: "http2_max_header_size",
        set: set_obsolete,
        note: OBSOLETE,
    },
    Spec {
        module: V2,
        name: "http2_body_preread_size",
        set: set_body_preread_size,
        note: "initial stream window",
    },
    Spec {
        module: V2,
        name: "http2_streams_index_size",
        set: set_streams_index_size,
        note: "checked as nginx checks it; no effect",
    },
    Spec {
        module: V2,
        name: "http2_recv_timeout",
        set: set_obsolete,
        note: OBSOLETE,
    },
    Spec {
        module: V2,
        name: "http2_idle_timeout",
        set: set_obsolete,
        note: OBSOLETE,
    },
    Spec {
        module: V2,
        name: "http2_chunk_size",
        set: set_chunk_size,
        note: "checked; DATA frames follow the peer's SETTINGS",
    },
    Spec {
        module: V2,
        name: "http2_push_preload",
        set: set_push_preload,
        note: "accepted: rginx does not push (browsers dropped push)",
    },
    Spec {
        module: V2,
        name: "http2_push",
        set: set_push,
        note: "accepted: rginx does not push (browsers dropped push)",
    },
];
