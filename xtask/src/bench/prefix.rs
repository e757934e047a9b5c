//! Temporary server prefixes: a 0755 directory with `logs/`, the served files and, for TLS
//! scenarios, a throwaway certificate; removed again when dropped. Also picks free ports.

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use super::scenario::page_text;

/// A directory under the system temp dir, deleted on drop.
pub struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    pub fn new(tag: &str) -> Result<TempDir, String> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("rginx-{tag}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // Workers run as the configured user; 0755 lets them traverse it whoever that is.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(TempDir { path, keep: false })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the directory in place (its path is reported to the user).
    pub fn keep(mut self) -> PathBuf {
        self.keep = true;
        self.path.clone()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

fn mkdir(path: &Path) -> Result<(), String> {
    fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8]) -> Result<(), String> {
    fs::write(path, data).map_err(|e| format!("{}: {e}", path.display()))
}

/// A server prefix: `logs/` and `html/` (1k.html and 1m.html).
pub fn server_prefix(tag: &str) -> Result<TempDir, String> {
    let dir = TempDir::new(tag)?;
    mkdir(&dir.path().join("logs"))?;
    let html = dir.path().join("html");
    mkdir(&html)?;
    write(&html.join("1k.html"), &page_text(1024))?;
    write(&html.join("1m.html"), &page_text(1 << 20))?;
    Ok(dir)
}

/// Writes a self-signed ECDSA P-256 certificate as `cert.pem` / `key.pem` in `dir`.
pub fn make_certificate(dir: &Path) -> Result<(), String> {
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout"])
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run openssl (apt-get install -y openssl): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openssl failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A loopback port nothing listens on right now (the kernel picks it; we release it at
/// once, so a race is possible but harmless: the server then fails to bind and says so).
pub fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_has_files_and_is_removed() {
        let dir = server_prefix("test").unwrap();
        let p = dir.path().to_path_buf();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o755);
        assert_eq!(fs::metadata(p.join("html/1k.html")).unwrap().len(), 1024);
        assert_eq!(fs::metadata(p.join("html/1m.html")).unwrap().len(), 1 << 20);
        assert!(p.join("logs").is_dir());
        drop(dir);
        assert!(!p.exists());
    }

    #[test]
    fn free_port_is_bindable() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        TcpListener::bind(("127.0.0.1", port)).unwrap();
    }
}
