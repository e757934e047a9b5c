//! The request body on its way upstream. As nginx does by default
//! (`proxy_request_buffering on`), the whole body is read before the
//! upstream is contacted, so a failed try can be repeated on the next peer
//! (kept in memory up to a limit, in an unlinked temporary file beyond);
//! with `proxy_request_buffering off` it is streamed as it arrives, in
//! chunked encoding when the client sent it so and `proxy_http_version 1.1`
//! is in force.

use super::conf::ProxyConf;
use crate::core_main::LogLevel;
use crate::http_core::limits::{DEFAULT_BODY_TEMP_PATH, InFileOnly, LimitsLoc, TempPath};
use crate::http_core::request::{Ctx, Outcome};
use crate::upstream::conn::Conn;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A body read whole, replayable for each try.
#[derive(Debug, Default)]
pub struct Buffered {
    chunks: Vec<Bytes>,
    /// What did not fit in memory (`client_body_buffer_size`), or all of
    /// it (`client_body_in_file_only`).
    file: Option<std::fs::File>,
    pub len: u64,
    spool: Spool,
    /// A `client_body_in_file_only clean` file, removed with the body.
    remove: Option<std::path::PathBuf>,
}

/// Where and when a body goes to a file.
#[derive(Debug, Default)]
struct Spool {
    /// `client_body_buffer_size`.
    memory: u64,
    in_file_only: Option<InFileOnly>,
    path: Option<std::sync::Arc<TempPath>>,
}

impl Buffered {
    fn new(limits: &LimitsLoc) -> Buffered {
        Buffered {
            spool: Spool {
                memory: limits.client_body_buffer_size(),
                in_file_only: Some(limits.client_body_in_file_only()),
                path: limits.client_body_temp_path.clone(),
            },
            chunks: Vec::new(),
            file: None,
            len: 0,
            remove: None,
        }
    }

    fn push(&mut self, data: Bytes) -> io::Result<()> {
        self.len += data.len() as u64;
        if let Some(file) = self.file.as_mut() {
            return file.write_all(&data);
        }
        let in_file_only = self.spool.in_file_only.unwrap_or(InFileOnly::Off);
        if self.len > self.spool.memory || in_file_only != InFileOnly::Off {
            let mut file = self.temp_file(in_file_only)?;
            for chunk in self.chunks.drain(..) {
                file.write_all(&chunk)?;
            }
            file.write_all(&data)?;
            self.file = Some(file);
            return Ok(());
        }
        self.chunks.push(data);
        Ok(())
    }

    /// nginx's `ngx_create_temp_file` under `client_body_temp_path`: a
    /// ten-digit name in its level directories; unlinked at once unless
    /// `client_body_in_file_only` keeps it for the request (`clean`) or
    /// for good (`on`).
    fn temp_file(&mut self, in_file_only: InFileOnly) -> io::Result<std::fs::File> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let default;
        let path = match &self.spool.path {
            Some(path) => &**path,
            None => {
                default = TempPath {
                    dir: DEFAULT_BODY_TEMP_PATH.into(),
                    levels: Vec::new(),
                    defined_at: None,
                };
                &default
            }
        };
        let seed = u64::from(std::process::id()).wrapping_mul(7919);
        let mut attempt = 0;
        loop {
            let n = seed.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed));
            let file_path = path.file_path(n);
            if let Some(parent) = file_path.parent() {
                // The level directories (and a missing default directory)
                // are made on demand, as nginx's ngx_create_full_path does.
                let _ = std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(parent);
            }
            let opened = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&file_path);
            match opened {
                Ok(file) => {
                    match in_file_only {
                        InFileOnly::Off => {
                            let _ = std::fs::remove_file(&file_path);
                        }
                        InFileOnly::Clean => self.remove = Some(file_path),
                        InFileOnly::On => {}
                    }
                    return Ok(file);
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }
}

impl Drop for Buffered {
    fn drop(&mut self) {
        if let Some(path) = self.remove.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The body to send upstream.
#[derive(Debug)]
pub enum RequestBody {
    None,
    /// `proxy_set_body`.
    Fixed(Bytes),
    Buffered(Buffered),
    /// Streamed from the client, once: what had arrived with the head,
    /// then the rest (`None` once sent, or when everything had arrived).
    Streaming {
        preread: Vec<Bytes>,
        body: Option<crate::serve::RequestBody>,
        chunked: bool,
        /// `client_body_timeout`.
        timeout: Duration,
    },
}

/// The body and what the upstream request's headers say about it
/// (nginx's `$proxy_internal_body_length`, `$proxy_internal_chunked`).
#[derive(Debug)]
pub struct Prepared {
    pub body: RequestBody,
    pub length: Option<u64>,
    pub chunked: bool,
}

impl Prepared {
    /// Whether a failed try may not be repeated once the body was sent.
    pub fn streaming(&self) -> bool {
        matches!(self.body, RequestBody::Streaming { .. })
    }
}

fn header_value<'h>(ctx: &'h Ctx<'_>, name: http::header::HeaderName) -> Option<&'h [u8]> {
    ctx.parts.headers.get(name).map(|v| v.as_bytes())
}

/// nginx's `ngx_http_read_client_request_body` as the proxy calls it.
pub async fn prepare(ctx: &mut Ctx<'_>, conf: &ProxyConf) -> Result<Prepared, Box<Outcome>> {
    let declared = header_value(ctx, http::header::CONTENT_LENGTH)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let client_chunked = header_value(ctx, http::header::TRANSFER_ENCODING).is_some();
    let has_body = client_chunked || declared.is_some_and(|n| n > 0);
    let pass_body = conf.pass_request_body.unwrap_or(true);
    let no_buffering = !conf.request_buffering.unwrap_or(true)
        && conf.set_body.is_none()
        && pass_body
        && (!client_chunked || conf.http_11());
    if no_buffering && has_body {
        // What arrived with the request head is read at once, as nginx's
        // preread: a chunked body that is already complete goes out with a
        // Content-Length, as nginx sends it.
        let mut body = ctx.body.take();
        let mut preread = Vec::new();
        let mut received = 0u64;
        let mut complete = false;
        while let Some(incoming) = body.as_mut() {
            match tokio::time::timeout(Duration::ZERO, incoming.frame()).await {
                Err(_) => break,
                Ok(None) => {
                    complete = true;
                    body = None;
                }
                Ok(Some(Err(_))) => {
                    crate::log::error(
                        ctx,
                        LogLevel::Info,
                        "client prematurely closed connection while reading client request body",
                    );
                    return Err(Box::new(closing(400, ctx)));
                }
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        received += data.len() as u64;
                        preread.push(data);
                    }
                }
            }
        }
        let chunked = client_chunked && !complete;
        return Ok(Prepared {
            body: RequestBody::Streaming {
                preread,
                body,
                chunked,
                timeout: ctx.loc_conf().limits.client_body_timeout(),
            },
            length: if client_chunked && complete {
                Some(received)
            } else {
                declared
            },
            chunked,
        });
    }
    // Without a body nothing is spooled: its settings are not looked up.
    let mut buffered = Buffered::default();
    if has_body && let Some(mut incoming) = ctx.body.take() {
        buffered = Buffered::new(&ctx.loc_conf().limits);
        let limit = ctx.loc_conf().client.client_max_body_size();
        let body_timeout = ctx.loc_conf().limits.client_body_timeout();
        loop {
            let frame = match tokio::time::timeout(body_timeout, incoming.frame()).await {
                Err(_) => {
                    crate::log::error(
                        ctx,
                        LogLevel::Info,
                        "client timed out (110: Connection timed out) while reading client request body",
                    );
                    return Err(Box::new(closing(408, ctx)));
                }
                Ok(None) => break,
                Ok(Some(Err(_))) => {
                    crate::log::error(
                        ctx,
                        LogLevel::Info,
                        "client prematurely closed connection while reading client request body",
                    );
                    return Err(Box::new(closing(400, ctx)));
                }
                Ok(Some(Ok(frame))) => frame,
            };
            let Ok(data) = frame.into_data() else {
                continue;
            };
            if client_chunked && limit != 0 && buffered.len + data.len() as u64 > limit {
                crate::log::error(
                    ctx,
                    LogLevel::Error,
                    &format!(
                        "client intended to send too large chunked body: {}+{} bytes",
                        buffered.len,
                        data.len()
                    ),
                );
                return Err(Box::new(closing(413, ctx)));
            }
            if let Err(err) = buffered.push(data) {
                crate::log::error(
                    ctx,
                    LogLevel::Crit,
                    &format!(
                        "write() to a temporary file failed {}",
                        rginx_conf::error::os_error_suffix(&err)
                    ),
                );
                return Err(Box::new(Outcome::status(500, ctx.loc_conf())));
            }
        }
    }
    let length = if client_chunked {
        Some(buffered.len)
    } else {
        declared
    };
    if let Some(template) = &conf.set_body {
        let body = Bytes::from(crate::variables::eval::render(ctx, template));
        return Ok(Prepared {
            length: Some(body.len() as u64),
            body: RequestBody::Fixed(body),
            chunked: false,
        });
    }
    let body = if pass_body && buffered.len > 0 {
        RequestBody::Buffered(buffered)
    } else {
        RequestBody::None
    };
    Ok(Prepared {
        body,
        length,
        chunked: false,
    })
}

fn closing(status: u16, ctx: &Ctx<'_>) -> Outcome {
    let mut outcome = Outcome::status(status, ctx.loc_conf());
    outcome.close = true;
    outcome
}

/// Why sending failed.
#[derive(Debug)]
pub enum SendError {
    /// Writing to the upstream failed (or timed out).
    Upstream(io::Error),
    /// Reading the body from the client failed.
    Client,
}

/// Writes the head and the body. Small requests go out in one write.
pub async fn send(conn: &mut Conn, head: &[u8], body: &mut RequestBody) -> Result<u64, SendError> {
    let up = SendError::Upstream;
    match body {
        RequestBody::None => {
            conn.write_all(head).await.map_err(up)?;
            Ok(head.len() as u64)
        }
        RequestBody::Fixed(bytes) => {
            write_joined(conn, head, std::slice::from_ref(bytes)).await?;
            Ok((head.len() + bytes.len()) as u64)
        }
        RequestBody::Buffered(buffered) => {
            write_joined(conn, head, &buffered.chunks).await?;
            if let Some(file) = buffered.file.as_mut() {
                file.seek(io::SeekFrom::Start(0)).map_err(up)?;
                let mut chunk = vec![0u8; 64 * 1024];
                loop {
                    let n = file.read(&mut chunk).map_err(up)?;
                    if n == 0 {
                        break;
                    }
                    conn.write_all(&chunk[..n]).await.map_err(up)?;
                }
            }
            Ok(head.len() as u64 + buffered.len)
        }
        RequestBody::Streaming {
            preread,
            body,
            chunked,
            timeout,
        } => {
            let mut sent = head.len() as u64;
            let mut pending = std::mem::take(preread);
            if !*chunked {
                sent += pending.iter().map(|b| b.len() as u64).sum::<u64>();
                write_joined(conn, head, &pending).await?;
                pending.clear();
            } else {
                conn.write_all(head).await.map_err(up)?;
            }
            let mut incoming = body.take();
            loop {
                let data = if !pending.is_empty() {
                    pending.remove(0)
                } else if let Some(body) = incoming.as_mut() {
                    match tokio::time::timeout(*timeout, body.frame()).await {
                        Ok(Some(Ok(frame))) => match frame.into_data() {
                            Ok(data) => data,
                            Err(_) => continue,
                        },
                        Ok(None) => break,
                        _ => return Err(SendError::Client),
                    }
                } else {
                    break;
                };
                if data.is_empty() {
                    continue;
                }
                if *chunked {
                    let mut framed = BytesMut::with_capacity(data.len() + 16);
                    framed.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
                    framed.extend_from_slice(&data);
                    framed.extend_from_slice(b"\r\n");
                    conn.write_all(&framed).await.map_err(up)?;
                } else {
                    conn.write_all(&data).await.map_err(up)?;
                }
                sent += data.len() as u64;
            }
            if *chunked {
                conn.write_all(b"0\r\n\r\n").await.map_err(up)?;
            }
            Ok(sent)
        }
    }
}

async fn write_joined(conn: &mut Conn, head: &[u8], chunks: &[Bytes]) -> Result<(), SendError> {
    let total: usize = chunks.iter().map(Bytes::len).sum();
    if head.len() + total <= 64 * 1024 {
        let mut joined = Vec::with_capacity(head.len() + total);
        joined.extend_from_slice(head);
        for chunk in chunks {
            joined.extend_from_slice(chunk);
        }
        return conn.write_all(&joined).await.map_err(SendError::Upstream);
    }
    conn.write_all(head).await.map_err(SendError::Upstream)?;
    for chunk in chunks {
        conn.write_all(chunk).await.map_err(SendError::Upstream)?;
    }
    Ok(())
}
