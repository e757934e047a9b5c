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

/// OpenSSL's short names of the attributes of a Name (the ones
/// certificates use), by the content of their OID.
const ATTRIBUTE_NAMES: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "CN"),
    (&[0x55, 0x04, 0x04], "SN"),
    (&[0x55, 0x04, 0x05], "serialNumber"),
    (&[0x55, 0x04, 0x06], "C"),
    (&[0x55, 0x04, 0x07], "L"),
    (&[0x55, 0x04, 0x08], "ST"),
    (&[0x55, 0x04, 0x09], "street"),
    (&[0x55, 0x04, 0x0a], "O"),
    (&[0x55, 0x04, 0x0b], "OU"),
    (&[0x55, 0x04, 0x0c], "title"),
    (&[0x55, 0x04, 0x0f], "businessCategory"),
    (&[0x55, 0x04, 0x11], "postalCode"),
    (&[0x55, 0x04, 0x2a], "GN"),
    (&[0x55, 0x04, 0x2b], "initials"),
    (&[0x55, 0x04, 0x2e], "dnQualifier"),
    (&[0x55, 0x04, 0x41], "pseudonym"),
    (&[0x55, 0x04, 0x61], "organizationIdentifier"),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
        "emailAddress",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
        "DC",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01],
        "UID",
    ),
];

/// An OID's dotted form.
fn dotted(oid: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &byte in oid {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if parts.is_empty() {
                let first = (value / 40).min(2);
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A Name in RFC 2253 form as OpenSSL's `X509_NAME_print_ex` writes it
/// with `XN_FLAG_RFC2253` (what nginx's `$ssl_client_s_dn` is): the last
/// RDN first, `,` between RDNs and `+` inside one, short attribute names,
/// `\` before the special characters, `\XX` for control and non-ASCII
/// bytes, and `#` with the DER of values that are not strings.
pub fn rfc2253(name: &[u8]) -> Option<String> {
    let (sequence, _) = read(name)?;
    let mut rdns = Vec::new();
    for rdn in children(sequence.content) {
        let mut avas = Vec::new();
        for ava in children(rdn.content) {
            let parts = children(ava.content);
            let (oid, value) = (parts.first()?, parts.get(1)?);
            let mut out = match ATTRIBUTE_NAMES.iter().find(|(o, _)| *o == oid.content) {
                Some((_, short)) => (*short).to_string(),
                None => dotted(oid.content),
            };
            out.push('=');
            escape_value(value, &mut out);
            avas.push(out);
        }
        rdns.push(avas.join("+"));
    }
    rdns.reverse();
    Some(rdns.join(","))
}

fn escape_value(value: &Tlv<'_>, out: &mut String) {
    use std::fmt::Write;
    let text: Option<String> = match value.tag {
        // UTF8String, PrintableString, T61String, IA5String, VisibleString.
        0x0c | 0x13 | 0x14 | 0x16 | 0x1a => {
            Some(String::from_utf8_lossy(value.content).into_owned())
        }
        // BMPString: UTF-16BE.
        0x1e => {
            let units: Vec<u16> = value
                .content
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    };
    let Some(text) = text else {
        out.push('#');
        for byte in value.whole {
            let _ = write!(out, "{byte:02X}");
        }
        return;
    };
    let bytes = text.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        let first = i == 0;
        let last = i + 1 == bytes.len();
        match byte {
            b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            b'#' if first => out.push_str("\\#"),
            b' ' if first || last => out.push_str("\\ "),
            0..0x20 | 0x7f.. => {
                let _ = write!(out, "\\{byte:02X}");
            }
            _ => out.push(char::from(byte)),
        }
    }
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

    #[test]
    fn names_in_rfc2253_form() {
        // SEQUENCE { SET { C=US } SET { O="A, B" } SET { CN=" x#" + UID=1 } }
        fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
            let mut out = vec![tag, content.len() as u8];
            out.extend_from_slice(content);
            out
        }
        fn ava(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
            let mut inner = tlv(OID, oid);
            inner.extend(tlv(tag, value));
            tlv(SEQUENCE, &inner)
        }
        let c = tlv(0x31, &ava(&[0x55, 0x04, 0x06], 0x13, b"US"));
        let o = tlv(0x31, &ava(&[0x55, 0x04, 0x0a], 0x0c, b"A, B"));
        let mut multi = ava(&[0x55, 0x04, 0x03], 0x0c, b" x#");
        multi.extend(ava(&[0x2a, 0x03], 0x02, &[1]));
        let cn = tlv(0x31, &multi);
        let name = tlv(SEQUENCE, &[c, o, cn].concat());
        assert_eq!(
            rfc2253(&name).as_deref(),
            Some("CN=\\ x#+1.2.3=#020101,O=A\\, B,C=US")
        );
    }
}
