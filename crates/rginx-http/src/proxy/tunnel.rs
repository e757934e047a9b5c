//! After an upstream answers `101 Switching Protocols` to a request that
//! asked to upgrade (WebSocket), nginx stops speaking HTTP and copies bytes
//! both ways; the tunnel closes when both sides have closed, or when
//! nothing passed either way for `proxy_read_timeout`.

use crate::upstream::conn::Conn;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs the tunnel in its own task once the client side is upgraded.
/// `on_close` runs when it ends (the peer's connection count drops).
pub fn spawn(
    upgrade: crate::serve::Upgrade,
    mut upstream: Conn,
    idle: Duration,
    on_close: impl FnOnce() + Send + 'static,
) {
    // Messages both ways, each written as it comes: none waits for the
    // acknowledgement of the one before.
    upstream.set_nodelay();
    tokio::spawn(async move {
        if let Ok(mut client) = upgrade.into_stream().await {
            let early = upstream.buf.split();
            if client.write_all(&early).await.is_ok() {
                let _ = relay(&mut client, &mut upstream, idle).await;
            }
        }
        on_close();
    });
}

/// Copies both ways until both directions are closed or the tunnel is idle
/// for `idle`.
async fn relay<C>(client: &mut C, upstream: &mut Conn, idle: Duration) -> std::io::Result<()>
where
    C: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut from_client = vec![0u8; 16 * 1024];
    let mut from_upstream = vec![0u8; 16 * 1024];
    let (mut client_open, mut upstream_open) = (true, true);
    while client_open || upstream_open {
        tokio::select! {
            read = client.read(&mut from_client), if client_open => {
                match read? {
                    0 => {
                        client_open = false;
                        let _ = upstream.shutdown().await;
                    }
                    n => upstream.write_all(&from_client[..n]).await?,
                }
            }
            read = upstream.read(&mut from_upstream), if upstream_open => {
                match read? {
                    0 => {
                        upstream_open = false;
                        let _ = client.shutdown().await;
                    }
                    n => client.write_all(&from_upstream[..n]).await?,
                }
            }
            _ = tokio::time::sleep(idle) => break,
        }
    }
    Ok(())
}
