//! Loading what `ssl_certificate`, `ssl_certificate_key`,
//! `ssl_password_file`, `ssl_dhparam` and `ssl_stapling_file` name, with
//! nginx's messages when a file is missing or wrong.
//!
//! nginx words these errors as `cannot load certificate "F": CALL failed
//! (SSL: OPENSSL ERROR QUEUE)`. The part before the parenthesis is nginx's
//! and is kept exactly. The parenthesis is OpenSSL 3.0's error queue: for
//! the failures everyone meets (missing file, no PEM block, key not
//! matching) rginx writes the same words, so searches and runbooks keep
//! working; elsewhere it says in its own words what is wrong.

use rginx_conf::{ConfError, Loc};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use std::path::Path;
use std::sync::Arc;

/// One PEM block: its label (`CERTIFICATE`) and decoded bytes.
pub struct PemBlock {
    pub label: String,
    pub der: Vec<u8>,
    /// Headers such as `Proc-Type: 4,ENCRYPTED` (legacy encrypted keys).
    pub encrypted_header: bool,
}

/// Every PEM block of a file, in order; `None` when a block is not
/// terminated or its base64 does not decode. Text outside blocks is
/// ignored, as OpenSSL ignores it.
fn pem_blocks(text: &[u8]) -> Option<Vec<PemBlock>> {
    let mut blocks = Vec::new();
    let mut lines = text.split(|&b| b == b'\n').map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        trim(line)
    });
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix(b"-----BEGIN ")
            .and_then(|rest| rest.strip_suffix(b"-----"))
        else {
            continue;
        };
        let label = String::from_utf8_lossy(label).into_owned();
        let mut body = Vec::new();
        let mut encrypted_header = false;
        let mut ended = false;
        for line in lines.by_ref() {
            if line.starts_with(b"-----END ") {
                ended = true;
                break;
            }
            if line.contains(&b':') {
                // RFC 1421 headers (legacy encrypted keys).
                if line.starts_with(b"Proc-Type:") && line.ends_with(b"ENCRYPTED") {
                    encrypted_header = true;
                }
                continue;
            }
            body.extend_from_slice(line);
        }
        if !ended {
            return None;
        }
        let der = base64_decode(&body)?;
        blocks.push(PemBlock {
            label,
            der,
            encrypted_header,
        });
    }
    Some(blocks)
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |at| at + 1);
    &bytes[start..end.max(start)]
}

/// Standard base64 (whitespace already removed, `=` padding optional).
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = false;
    for &c in text {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            b' ' | b'\t' => continue,
            _ => return None,
        };
        if padding {
            return None;
        }
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// OpenSSL's words for a file `fopen()` could not open.
fn fopen_failure(call: &str, path: &Path, err: &std::io::Error) -> String {
    let code = err.raw_os_error().unwrap_or(0);
    let text = rginx_conf::error::strerror(code);
    let tail = if err.kind() == std::io::ErrorKind::NotFound {
        " error:10000080:BIO routines::no such file"
    } else {
        ""
    };
    format!(
        "{call} failed (SSL: error:{:08X}:system library::{text}:calling fopen({}, r){tail})",
        0x8000_0000u32 | (code as u32 & 0x7fff_ffff),
        path.display()
    )
}

fn read_file(path: &Path, call: &str, what: &str) -> Result<Vec<u8>, ConfError> {
    std::fs::read(path).map_err(|err| {
        // Reading a directory opens fine and then finds no PEM data.
        if err.raw_os_error() == Some(nix::libc::EISDIR) {
            return ConfError::bare(format!(
                "cannot load {what} \"{}\": {}",
                path.display(),
                no_start_line(what)
            ));
        }
        ConfError::bare(format!(
            "cannot load {what} \"{}\": {}",
            path.display(),
            fopen_failure(call, path, &err)
        ))
    })
}

fn no_start_line(what: &str) -> &'static str {
    if what == "certificate" {
        "PEM_read_bio_X509_AUX() failed (SSL: error:0480006C:PEM routines::no start line:Expecting: TRUSTED CERTIFICATE)"
    } else {
        "PEM_read_bio_PrivateKey() failed (SSL: error:1E08010C:DECODER routines::unsupported:No supported data to decode. Input type: PEM)"
    }
}

const CERT_LABELS: &[&str] = &["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"];

/// The certificate and chain of `ssl_certificate`: the first certificate
/// block is the server's, the others its chain.
pub fn load_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, ConfError> {
    let cannot = |reason: &str| {
        ConfError::bare(format!(
            "cannot load certificate \"{}\": {reason}",
            path.display()
        ))
    };
    let text = read_file(path, "BIO_new_file()", "certificate")?;
    let Some(blocks) = pem_blocks(&text) else {
        return Err(cannot(
            "PEM_read_bio_X509_AUX() failed (rginx: a PEM block is not valid base64)",
        ));
    };
    let chain: Vec<CertificateDer<'static>> = blocks
        .into_iter()
        .filter(|block| CERT_LABELS.contains(&block.label.as_str()))
        .map(|block| CertificateDer::from(block.der))
        .collect();
    let Some(leaf) = chain.first() else {
        return Err(cannot(no_start_line("certificate")));
    };
    // Only the shape is checked: a server sends its certificate as it is,
    // and OpenSSL accepts old (v1) certificates that webpki would refuse.
    if super::der::spki(leaf).is_none() {
        return Err(cannot(
            "PEM_read_bio_X509_AUX() failed (rginx: not a DER X.509 certificate)",
        ));
    }
    Ok(chain)
}

/// The private key of `ssl_certificate_key` (PKCS#8, PKCS#1 RSA or SEC1
/// EC), decrypted with the `ssl_password_file` passwords if it is
/// encrypted.
pub fn load_key(
    path: &Path,
    passwords: Option<&[Vec<u8>]>,
) -> Result<PrivateKeyDer<'static>, ConfError> {
    let cannot = |reason: &str| {
        ConfError::bare(format!(
            "cannot load certificate key \"{}\": {reason}",
            path.display()
        ))
    };
    let text = read_file(path, "BIO_new_file()", "certificate key")?;
    let blocks = pem_blocks(&text).ok_or_else(|| cannot(no_start_line("key")))?;
    for block in blocks {
        let der = block.der;
        if block.encrypted_header {
            return Err(cannot(
                "PEM_read_bio_PrivateKey() failed (rginx: legacy \"Proc-Type: 4,ENCRYPTED\" keys are not supported; convert with \"openssl pkcs8 -topk8\")",
            ));
        }
        match block.label.as_str() {
            "PRIVATE KEY" => return Ok(PrivateKeyDer::Pkcs8(der.into())),
            "RSA PRIVATE KEY" => return Ok(PrivateKeyDer::Pkcs1(der.into())),
            "EC PRIVATE KEY" => return Ok(PrivateKeyDer::Sec1(der.into())),
            "ENCRYPTED PRIVATE KEY" => {
                let Some(passwords) = passwords else {
                    return Err(cannot(
                        "PEM_read_bio_PrivateKey() failed (rginx: the key is encrypted and no \"ssl_password_file\" is given)",
                    ));
                };
                return super::der::decrypt_pkcs8(&der, passwords)
                    .map(|plain| PrivateKeyDer::Pkcs8(plain.into()))
                    .map_err(|reason| {
                        cannot(&format!(
                            "PEM_read_bio_PrivateKey() failed (rginx: {reason})"
                        ))
                    });
            }
            _ => {}
        }
    }
    Err(cannot(no_start_line("key")))
}

/// One `ssl_certificate` / `ssl_certificate_key` pair, checked as nginx
/// checks it: certificate first, then the key, then that they match.
pub fn load_pair(
    cert_path: &Path,
    key_path: &Path,
    passwords: Option<&[Vec<u8>]>,
) -> Result<CertifiedKey, ConfError> {
    let chain = load_certificates(cert_path)?;
    let key = load_key(key_path, passwords)?;
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let signing_key = provider.key_provider.load_private_key(key).map_err(|err| {
        ConfError::bare(format!(
            "cannot load certificate key \"{}\": PEM_read_bio_PrivateKey() failed (rginx: {err})",
            key_path.display()
        ))
    })?;
    let pair = CertifiedKey::new(chain, signing_key);
    // The key's public half must be the certificate's (compared as
    // SubjectPublicKeyInfo, as OpenSSL compares the keys).
    let matches = match (pair.key.public_key(), super::der::spki(&pair.cert[0])) {
        (Some(key), Some(cert)) => key.as_ref() == cert,
        _ => true,
    };
    if !matches {
        return Err(ConfError::bare(format!(
            "SSL_CTX_use_PrivateKey(\"{}\") failed (SSL: error:05800074:x509 certificate routines::key values mismatch)",
            key_path.display()
        )));
    }
    Ok(pair)
}

/// `ssl_password_file`: one password per line (CR LF or LF), empty lines
/// skipped; an empty file means one empty password. nginx's messages.
pub fn read_password_file(path: &Path, loc: &Loc) -> Result<Vec<Vec<u8>>, ConfError> {
    let bytes = std::fs::read(path).map_err(|err| {
        ConfError::at(
            loc,
            format!(
                "open() \"{}\" failed {}",
                path.display(),
                rginx_conf::error::os_error_suffix(&err)
            ),
        )
    })?;
    let mut passwords = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // nginx reads through a 512-byte buffer and refuses longer lines.
        if line.len() >= 512 {
            return Err(ConfError::at(
                loc,
                format!("too long line in \"{}\"", path.display()),
            ));
        }
        if !line.is_empty() {
            passwords.push(line.to_vec());
        }
    }
    if passwords.is_empty() {
        passwords.push(Vec::new());
    }
    Ok(passwords)
}

/// `ssl_dhparam`: the file must open and hold DH parameters, as in nginx;
/// rustls offers no finite-field DHE suites, so they are not used.
pub fn check_dhparam(path: &Path) -> Result<(), ConfError> {
    let text = std::fs::read(path).map_err(|err| {
        ConfError::bare(fopen_failure(
            &format!("BIO_new_file(\"{}\")", path.display()),
            path,
            &err,
        ))
    })?;
    let found = pem_blocks(&text)
        .map(|blocks| {
            blocks
                .iter()
                .any(|block| block.label == "DH PARAMETERS" || block.label == "X9.42 DH PARAMETERS")
        })
        .unwrap_or(false);
    if !found {
        return Err(ConfError::bare(format!(
            "PEM_read_bio_DHparams(\"{}\") failed (SSL: error:0480006C:PEM routines::no start line:Expecting: DH PARAMETERS)",
            path.display()
        )));
    }
    Ok(())
}

/// `ssl_stapling_file`: a DER OCSP response, stapled as it is.
pub fn read_stapling_file(path: &Path) -> Result<Vec<u8>, ConfError> {
    let bytes = std::fs::read(path).map_err(|err| {
        ConfError::bare(fopen_failure(
            &format!("BIO_new_file(\"{}\")", path.display()),
            path,
            &err,
        ))
    })?;
    // An OCSPResponse is a DER SEQUENCE.
    if bytes.first() != Some(&0x30) {
        return Err(ConfError::bare(format!(
            "d2i_OCSP_RESPONSE_bio(\"{}\") failed (rginx: not a DER OCSP response)",
            path.display()
        )));
    }
    Ok(bytes)
}

/// The certificates of a CA file (`ssl_client_certificate`).
pub fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, ConfError> {
    let text = std::fs::read(path).map_err(|err| {
        ConfError::bare(format!(
            "SSL_CTX_load_verify_locations(\"{}\") failed (SSL: {})",
            path.display(),
            rginx_conf::error::os_error_suffix(&err)
        ))
    })?;
    let blocks = pem_blocks(&text).unwrap_or_default();
    Ok(blocks
        .into_iter()
        .filter(|block| CERT_LABELS.contains(&block.label.as_str()))
        .map(|block| CertificateDer::from(block.der))
        .collect())
}

/// Shared, immutable certificate/key pairs of a server.
pub type Pairs = Vec<Arc<CertifiedKey>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_pem_uses_it() {
        assert_eq!(base64_decode(b"aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64_decode(b"aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(base64_decode(b"AAAA"), Some(vec![0, 0, 0]));
        assert_eq!(base64_decode(b"a*b"), None);
        assert_eq!(base64_decode(b"aG=Vs"), None);
    }

    #[test]
    fn pem_blocks_in_order_with_labels() {
        let text = b"junk\n-----BEGIN PRIVATE KEY-----\r\naGVsbG8=\r\n-----END PRIVATE KEY-----\n\
-----BEGIN CERTIFICATE-----\nd29y\nbGQ=\n-----END CERTIFICATE-----\n";
        let blocks = pem_blocks(text).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "PRIVATE KEY");
        assert_eq!(blocks[0].der, b"hello");
        assert_eq!(blocks[1].label, "CERTIFICATE");
        assert_eq!(blocks[1].der, b"world");
        assert!(pem_blocks(b"-----BEGIN X-----\nabc").is_none());
    }

    #[test]
    fn passwords_file_lines() {
        let dir = std::env::temp_dir().join(format!("rginx-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pw");
        std::fs::write(&file, b"one\r\n\ntwo\n").unwrap();
        let loc = Loc {
            file: None,
            line: 1,
        };
        assert_eq!(
            read_password_file(&file, &loc).unwrap(),
            vec![b"one".to_vec(), b"two".to_vec()]
        );
        std::fs::write(&file, b"").unwrap();
        assert_eq!(read_password_file(&file, &loc).unwrap(), vec![Vec::new()]);
        let err = read_password_file(&dir.join("none"), &loc).unwrap_err();
        assert!(err.message.starts_with("open() \""), "{}", err.message);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
