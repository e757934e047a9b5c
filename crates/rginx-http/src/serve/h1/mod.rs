//! rginx's own HTTP/1.x server codec, written to behave as nginx 1.22 does
//! on the wire (hyper serves HTTP/2 and the proxy's client side): nginx's
//! request-line and header parsers and limits, its answers to bad requests,
//! `100 Continue`, chunked bodies, its status line and header spelling,
//! keep-alive, pipelining, and lingering close.
//!
//! - `parse`: the request-line and header-line scanners;
//! - `head`: one request head with nginx's buffers and header checks;
//! - `chunked`: the chunked body decoder and encoder;
//! - `io`: the connection shared by the loop and the request body;
//! - `write`: the response head and body framing;
//! - `conn`: the connection loop.

mod chunked;
mod conn;
mod head;
mod io;
mod parse;
mod write;

pub use conn::{Settings, serve};
pub use head::Limits;

use crate::http_core::client::ClientSrv;

impl Limits {
    /// The header settings of a server (`client_header_buffer_size`,
    /// `large_client_header_buffers`, `ignore_invalid_headers`,
    /// `underscores_in_headers`), with nginx's defaults.
    pub fn of(client: &ClientSrv) -> Limits {
        let defaults = Limits::default();
        let (large_num, large_size) = client
            .large_client_header_buffers
            .map(|(num, size)| (to_usize(num), to_usize(size)))
            .unwrap_or((defaults.large_num, defaults.large_size));
        Limits {
            header_buffer: client
                .client_header_buffer_size
                .map_or(defaults.header_buffer, to_usize),
            large_size,
            large_num,
            ignore_invalid_headers: client
                .ignore_invalid_headers
                .unwrap_or(defaults.ignore_invalid_headers),
            underscores_in_headers: client
                .underscores_in_headers
                .unwrap_or(defaults.underscores_in_headers),
        }
    }
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}
