//! Just enough DER to read what the ssl module needs from certificates and
//! keys without an X.509 library: a certificate's issuer, subject and OCSP
//! responder URL (for `ssl_stapling`'s checks), and the PBES2 parameters of
//! an encrypted PKCS#8 key (for `ssl_password_file`).

use aws_lc_rs::cipher::{AES_128, AES_256, PaddedBlockDecryptingKey, UnboundCipherKey};
use std::num::NonZeroU32;

const SEQUENCE: u8 = 0x30;
const OCTET_STRING: u8 = 0x04;
const INTEGER: u8 = 0x02;
const OID: u8 = 0x06;

/// One TLV: its tag, its content, and the whole encoding.
#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

/// Reads one TLV from the front of `input`; returns it and the rest.
fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..count {
            len = (len << 8) | usize::from(*input.get(2 + i)?);
        }
        (len, 2 + count)
    };
    let end = header.checked_add(len)?;
    let content = input.get(header..end)?;
    Some((
        Tlv {
            tag,
            content,
            whole: &input[..end],
        },
        &input[end..],
    ))
}

/// The TLVs inside a constructed value.
fn children(content: &[u8]) -> Vec<Tlv<'_>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let Some((tlv, next)) = read(rest) else {
            break;
        };
        out.push(tlv);
        rest = next;
    }
    out
}

/// The fields of a certificate's TBSCertificate, version tag skipped.
fn tbs_fields(cert: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let (certificate, _) = read(cert)?;
    let (tbs, _) = read(certificate.content)?;
    let mut fields = children(tbs.content);
    if fields.first().is_some_and(|f| f.tag == 0xa0) {
        fields.remove(0);
    }
    Some(fields)
}

/// A certificate's issuer and subject Names, as encoded.
pub fn issuer_and_subject(cert: &[u8]) -> Option<(&[u8], &[u8])> {
    let fields = tbs_fields(cert)?;
    // serial, signature, issuer, validity, subject
    Some((fields.get(2)?.whole, fields.get(4)?.whole))
}

/// A certificate's SubjectPublicKeyInfo, as encoded.
pub fn spki(cert: &[u8]) -> Option<&[u8]> {
    Some(tbs_fields(cert)?.get(5)?.whole)
}

/// The first OCSP responder URL of a certificate's Authority Information
/// Access extension.
pub fn ocsp_url(cert: &[u8]) -> Option<String> {
    // id-pe-authorityInfoAccess, id-ad-ocsp.
    const AIA: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
    const OCSP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];
    let fields = tbs_fields(cert)?;
    let extensions = fields.iter().find(|f| f.tag == 0xa3)?;
    let (list, _) = read(extensions.content)?;
    for extension in children(list.content) {
        let parts = children(extension.content);
        if parts
            .first()
            .is_none_or(|p| p.tag != OID || p.content != AIA)
        {
            continue;
        }
        let value = parts.last()?;
        let (descriptions, _) = read(value.content)?;
        for description in children(descriptions.content) {
            let pair = children(description.content);
            if pair.len() == 2
                && pair[0].tag == OID
                && pair[0].content == OCSP
                && pair[1].tag == 0x86
            {
                return Some(String::from_utf8_lossy(pair[1].content).into_owned());
            }
        }
    }
    None
}

/// Decrypts a PKCS#8 `EncryptedPrivateKeyInfo` protected with PBES2
/// (PBKDF2 with HMAC-SHA1/SHA-256/SHA-384/SHA-512, AES-128/256-CBC), what
/// OpenSSL writes by default; each password is tried in turn.
pub fn decrypt_pkcs8(der: &[u8], passwords: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
    const PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
    const HMAC_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07];
    const HMAC_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
    const HMAC_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a];
    const HMAC_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b];
    const AES128_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02];
    const AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
    let unsupported =
        || "unsupported encryption of the private key (PBES2 with AES-CBC is)".to_string();
    let malformed = || "malformed encrypted private key".to_string();
    let (info, _) = read(der)
        .filter(|(t, _)| t.tag == SEQUENCE)
        .ok_or_else(malformed)?;
    let fields = children(info.content);
    let [algorithm, data] = fields.as_slice() else {
        return Err(malformed());
    };
    if data.tag != OCTET_STRING {
        return Err(malformed());
    }
    let algorithm = children(algorithm.content);
    if algorithm.first().is_none_or(|oid| oid.content != PBES2) {
        return Err(unsupported());
    }
    let params = children(algorithm.get(1).ok_or_else(malformed)?.content);
    let [kdf, scheme] = params.as_slice() else {
        return Err(malformed());
    };
    let kdf = children(kdf.content);
    if kdf.first().is_none_or(|oid| oid.content != PBKDF2) {
        return Err(unsupported());
    }
    let kdf_params = children(kdf.get(1).ok_or_else(malformed)?.content);
    let salt = kdf_params
        .first()
        .filter(|t| t.tag == OCTET_STRING)
        .ok_or_else(malformed)?
        .content;
    let iterations = kdf_params
        .get(1)
        .filter(|t| t.tag == INTEGER && t.content.len() <= 4)
        .map(|t| t.content.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)))
        .and_then(NonZeroU32::new)
        .ok_or_else(malformed)?;
    // The PRF, when given, is the last parameter (after an optional key length).
    let prf = match kdf_params
        .get(2..)
        .unwrap_or_default()
        .iter()
        .find(|t| t.tag == SEQUENCE)
    {
        Some(prf) => children(prf.content)
            .first()
            .map(|oid| oid.content)
            .unwrap_or(HMAC_SHA1),
        None => HMAC_SHA1,
    };
    let prf = match prf {
        p if p == HMAC_SHA1 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA1,
        p if p == HMAC_SHA256 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
        p if p == HMAC_SHA384 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA384,
        p if p == HMAC_SHA512 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA512,
        _ => return Err(unsupported()),
    };
    let scheme = children(scheme.content);
    let (cipher, key_len) = match scheme.first().map(|oid| oid.content) {
        Some(oid) if oid == AES128_CBC => (&AES_128, 16),
        Some(oid) if oid == AES256_CBC => (&AES_256, 32),
        _ => return Err(unsupported()),
    };
    let iv = scheme
        .get(1)
        .filter(|t| t.tag == OCTET_STRING && t.content.len() == 16)
        .ok_or_else(malformed)?
        .content;
    for password in passwords {
        let mut key = vec![0u8; key_len];
        aws_lc_rs::pbkdf2::derive(prf, iterations, salt, password, &mut key);
        let Ok(unbound) = UnboundCipherKey::new(cipher, &key) else {
            continue;
        };
        let Ok(decrypting) = PaddedBlockDecryptingKey::cbc_pkcs7(unbound) else {
            continue;
        };
        let mut buffer = data.content.to_vec();
        let Some(iv) = <[u8; 16]>::try_from(iv).ok() else {
            continue;
        };
        let context = aws_lc_rs::cipher::DecryptionContext::Iv128(iv.into());
        if let Ok(plain) = decrypting.decrypt(&mut buffer, context) {
            // A wrong password usually fails the padding check; one that
            // passes it by chance still yields no PrivateKeyInfo.
            if read(plain).is_some_and(|(t, rest)| t.tag == SEQUENCE && rest.is_empty()) {
                return Ok(plain.to_vec());
            }
        }
    }
    Err("bad decrypt: no password of \"ssl_password_file\" opens the key".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let (tlv, rest) = read(&[0x04, 0x02, 1, 2, 9]).unwrap();
        assert_eq!(
            (tlv.tag, tlv.content, rest),
            (0x04, &[1u8, 2][..], &[9u8][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(std::iter::repeat_n(7u8, 0x80));
        let (tlv, rest) = read(&long).unwrap();
        assert_eq!(tlv.content.len(), 0x80);
        assert!(rest.is_empty());
        assert!(read(&[0x04, 0x05, 1]).is_none());
        assert!(read(&[0x04, 0x80]).is_none());
    }

    /// Keys encrypted by `openssl pkcs8 -topk8 -v2 aes256` (PBKDF2 with
    /// HMAC-SHA256) and `-v2 aes128 -v2prf hmacWithSHA1`.
    const PLAIN: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglItvOKm23Cx9oqaq\nqFIj4XkbgRZuj2XGZJbsZRZe8eahRANCAARsemyNMwRF/0aj1qKiIoywgMt0FRb5\nHYP3O0RvAFlmMT4WYqmuT52aD3+eeg/c0kHx3pzhqSe6t6xG3inTDHFr\n-----END PRIVATE KEY-----";
    const AES256: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgvaWPW7+YEuAICCAAw\nDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEN7yHhv6h0mIsv5XQnufkw8EgZBd\nK6pE9yLL+3ISGpYgtNXFw04kB0XViPy9YqaCmnzNlLKYMRZh3vQbzm6PvC2tk3kU\nSbVFgAsMyJmlC9K8mXGNRGYkr3IkHqUMOYMHi7v5WdGlLQ0kAihKB8J6dXXR8obO\nbGTytaHABPUW3RhuO23vkFx3N1jEPBpkazEvTKR4FVQo35yzWBveGopgxsDWAic=\n-----END ENCRYPTED PRIVATE KEY-----";
    const AES128_SHA1: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHeMEkGCSqGSIb3DQEFDTA8MBsGCSqGSIb3DQEFDDAOBAgDs1oYCYZUvAICCAAw\nHQYJYIZIAWUDBAECBBBdy38Ao0C6kLoTRl/WxfWpBIGQnIAXyFgFmPIBuAx3Rxdk\nArRcITp/mxNnlYekxW/8ogNkLmCOvRMO7jw9NSkIOJFfn/LZnAud15ay+6R/F9AN\ns1VZPBKk5Ew0/OA6ycXK8KhVgBA5bX8Bw7eYaPy57XdlaoQK8NNFGFRcyia0ilZ3\nh9FqgRZUgl43gqmH52aMLQPU1XGYlyASn8674NAum6FV\n-----END ENCRYPTED PRIVATE KEY-----";

    fn pem_der(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        crate::ssl::certs::base64_decode(body.as_bytes()).unwrap()
    }

    #[test]
    fn openssl_encrypted_keys_open_with_the_right_password() {
        let plain = pem_der(PLAIN);
        let passwords = vec![b"wrong".to_vec(), b"secret".to_vec()];
        assert_eq!(decrypt_pkcs8(&pem_der(AES256), &passwords).unwrap(), plain);
        assert_eq!(
            decrypt_pkcs8(&pem_der(AES128_SHA1), &[b"two".to_vec()]).unwrap(),
            plain
        );
        let err = decrypt_pkcs8(&pem_der(AES256), &[b"two".to_vec()]).unwrap_err();
        assert!(err.starts_with("bad decrypt"), "{err}");
        assert!(decrypt_pkcs8(&plain, &passwords).is_err());
    }
}
