//! `ssl_ciphers` and `ssl_ecdh_curve`: OpenSSL's cipher-string language,
//! evaluated as OpenSSL 3.0 evaluates it (`ssl_create_cipher_list`), over
//! OpenSSL's own cipher table, then mapped onto the suites rustls has.
//!
//! Evaluating over the whole table (not just rustls's six TLS 1.2 suites)
//! is what makes the result nginx's: a string that matches nothing is
//! refused with OpenSSL's "no cipher match" at `-t`, a string that matches
//! only ciphers rustls lacks is accepted (as nginx accepts it), and the
//! order of the suites rustls has is OpenSSL's order, which is what
//! `ssl_prefer_server_ciphers on` makes the server follow.
//!
//! TLS 1.3 suites are not governed by `ssl_ciphers` (nginx 1.22 leaves them
//! at OpenSSL's default), so every string keeps all three.

use rginx_conf::{Arg, ConfError};
use rustls::SupportedCipherSuite;
use rustls::crypto::SupportedKxGroup;
use rustls::crypto::aws_lc_rs::{cipher_suite, kx_group};

// Key exchange.
const K_RSA: u32 = 0x01;
const K_DHE: u32 = 0x02;
const K_ECDHE: u32 = 0x04;
const K_PSK: u32 = 0x08;
const K_RSAPSK: u32 = 0x10;
const K_ECDHEPSK: u32 = 0x20;
const K_DHEPSK: u32 = 0x40;
const K_SRP: u32 = 0x80;
const K_ANY_PSK: u32 = K_PSK | K_RSAPSK | K_ECDHEPSK | K_DHEPSK;
// Authentication.
const A_RSA: u32 = 0x01;
const A_DSS: u32 = 0x02;
const A_NULL: u32 = 0x04;
const A_ECDSA: u32 = 0x08;
const A_PSK: u32 = 0x10;
const A_SRP: u32 = 0x20;
// Encryption.
const E_AES128: u32 = 1 << 0;
const E_AES256: u32 = 1 << 1;
const E_AES128GCM: u32 = 1 << 2;
const E_AES256GCM: u32 = 1 << 3;
const E_AES128CCM: u32 = 1 << 4;
const E_AES256CCM: u32 = 1 << 5;
const E_AES128CCM8: u32 = 1 << 6;
const E_AES256CCM8: u32 = 1 << 7;
const E_CAMELLIA128: u32 = 1 << 8;
const E_CAMELLIA256: u32 = 1 << 9;
const E_ARIA128GCM: u32 = 1 << 10;
const E_ARIA256GCM: u32 = 1 << 11;
const E_CHACHA20: u32 = 1 << 12;
const E_NULL: u32 = 1 << 13;
// Ciphers OpenSSL knows but Debian's build does not enable: aliases naming
// them find nothing, as in OpenSSL.
const E_3DES: u32 = 1 << 14;
const E_RC4: u32 = 1 << 15;
const E_RC2: u32 = 1 << 16;
const E_IDEA: u32 = 1 << 17;
const E_SEED: u32 = 1 << 18;
const E_DES: u32 = 1 << 19;
const E_AESGCM: u32 = E_AES128GCM | E_AES256GCM;
const E_AESCCM: u32 = E_AES128CCM | E_AES256CCM | E_AES128CCM8 | E_AES256CCM8;
const E_AES: u32 = E_AES128 | E_AES256 | E_AESGCM | E_AESCCM;
const E_CAMELLIA: u32 = E_CAMELLIA128 | E_CAMELLIA256;
const E_ARIA: u32 = E_ARIA128GCM | E_ARIA256GCM;
const E_CBC: u32 = E_DES | E_3DES | E_RC2 | E_IDEA | E_AES128 | E_AES256 | E_CAMELLIA | E_SEED;
// MAC.
const M_MD5: u32 = 0x01;
const M_SHA1: u32 = 0x02;
const M_SHA256: u32 = 0x04;
const M_SHA384: u32 = 0x08;
const M_AEAD: u32 = 0x10;
// Protocol versions (OpenSSL's min_tls).
const SSL3: u16 = 0x0300;
const TLS1: u16 = 0x0301;
const TLS1_2: u16 = 0x0303;
// Strength classes, and the "not in DEFAULT" flag.
const S_NONE: u32 = 0x01;
const S_LOW: u32 = 0x02;
const S_MEDIUM: u32 = 0x04;
const S_HIGH: u32 = 0x08;
const S_FIPS: u32 = 0x10;
const S_NOT_DEFAULT: u32 = 0x20;
const STRONG_MASK: u32 = 0x1f;
const DEFAULT_MASK: u32 = 0x20;

/// One entry of OpenSSL's cipher table.
struct Cipher {
    name: &'static str,
    kx: u32,
    au: u32,
    enc: u32,
    mac: u32,
    min_tls: u16,
    strength: u32,
    bits: u32,
}

#[allow(clippy::too_many_arguments)]
const fn c(
    name: &'static str,
    kx: u32,
    au: u32,
    enc: u32,
    mac: u32,
    min_tls: u16,
    strength: u32,
    bits: u32,
) -> Cipher {
    Cipher {
        name,
        kx,
        au,
        enc,
        mac,
        min_tls,
        strength,
        bits,
    }
}

/// OpenSSL 3.0's TLS 1.2-and-older ciphers as Debian builds it
/// (`openssl ciphers -v ALL:COMPLEMENTOFALL`), in OpenSSL's default order.
static CIPHERS: &[Cipher] = &[
    c(
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        K_ECDHE,
        A_ECDSA,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "ECDHE-RSA-AES256-GCM-SHA384",
        K_ECDHE,
        A_RSA,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-DSS-AES256-GCM-SHA384",
        K_DHE,
        A_DSS,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-RSA-AES256-GCM-SHA384",
        K_DHE,
        A_RSA,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        K_ECDHE,
        A_ECDSA,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "ECDHE-RSA-CHACHA20-POLY1305",
        K_ECDHE,
        A_RSA,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "DHE-RSA-CHACHA20-POLY1305",
        K_DHE,
        A_RSA,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "ECDHE-ECDSA-AES256-CCM8",
        K_ECDHE,
        A_ECDSA,
        E_AES256CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ECDSA-AES256-CCM",
        K_ECDHE,
        A_ECDSA,
        E_AES256CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-RSA-AES256-CCM8",
        K_DHE,
        A_RSA,
        E_AES256CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-RSA-AES256-CCM",
        K_DHE,
        A_RSA,
        E_AES256CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ECDSA-ARIA256-GCM-SHA384",
        K_ECDHE,
        A_ECDSA,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ARIA256-GCM-SHA384",
        K_ECDHE,
        A_RSA,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-DSS-ARIA256-GCM-SHA384",
        K_DHE,
        A_DSS,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-RSA-ARIA256-GCM-SHA384",
        K_DHE,
        A_RSA,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ADH-AES256-GCM-SHA384",
        K_DHE,
        A_NULL,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        K_ECDHE,
        A_ECDSA,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "ECDHE-RSA-AES128-GCM-SHA256",
        K_ECDHE,
        A_RSA,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-DSS-AES128-GCM-SHA256",
        K_DHE,
        A_DSS,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-RSA-AES128-GCM-SHA256",
        K_DHE,
        A_RSA,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "ECDHE-ECDSA-AES128-CCM8",
        K_ECDHE,
        A_ECDSA,
        E_AES128CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ECDSA-AES128-CCM",
        K_ECDHE,
        A_ECDSA,
        E_AES128CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-RSA-AES128-CCM8",
        K_DHE,
        A_RSA,
        E_AES128CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-RSA-AES128-CCM",
        K_DHE,
        A_RSA,
        E_AES128CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ECDSA-ARIA128-GCM-SHA256",
        K_ECDHE,
        A_ECDSA,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ARIA128-GCM-SHA256",
        K_ECDHE,
        A_RSA,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-DSS-ARIA128-GCM-SHA256",
        K_DHE,
        A_DSS,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-RSA-ARIA128-GCM-SHA256",
        K_DHE,
        A_RSA,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ADH-AES128-GCM-SHA256",
        K_DHE,
        A_NULL,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ECDSA-AES256-SHA384",
        K_ECDHE,
        A_ECDSA,
        E_AES256,
        M_SHA384,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "ECDHE-RSA-AES256-SHA384",
        K_ECDHE,
        A_RSA,
        E_AES256,
        M_SHA384,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-RSA-AES256-SHA256",
        K_DHE,
        A_RSA,
        E_AES256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-DSS-AES256-SHA256",
        K_DHE,
        A_DSS,
        E_AES256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ECDSA-CAMELLIA256-SHA384",
        K_ECDHE,
        A_ECDSA,
        E_CAMELLIA256,
        M_SHA384,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-RSA-CAMELLIA256-SHA384",
        K_ECDHE,
        A_RSA,
        E_CAMELLIA256,
        M_SHA384,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-RSA-CAMELLIA256-SHA256",
        K_DHE,
        A_RSA,
        E_CAMELLIA256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-DSS-CAMELLIA256-SHA256",
        K_DHE,
        A_DSS,
        E_CAMELLIA256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ADH-AES256-SHA256",
        K_DHE,
        A_NULL,
        E_AES256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ADH-CAMELLIA256-SHA256",
        K_DHE,
        A_NULL,
        E_CAMELLIA256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ECDSA-AES128-SHA256",
        K_ECDHE,
        A_ECDSA,
        E_AES128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "ECDHE-RSA-AES128-SHA256",
        K_ECDHE,
        A_RSA,
        E_AES128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-RSA-AES128-SHA256",
        K_DHE,
        A_RSA,
        E_AES128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-DSS-AES128-SHA256",
        K_DHE,
        A_DSS,
        E_AES128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ECDSA-CAMELLIA128-SHA256",
        K_ECDHE,
        A_ECDSA,
        E_CAMELLIA128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-RSA-CAMELLIA128-SHA256",
        K_ECDHE,
        A_RSA,
        E_CAMELLIA128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-RSA-CAMELLIA128-SHA256",
        K_DHE,
        A_RSA,
        E_CAMELLIA128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-DSS-CAMELLIA128-SHA256",
        K_DHE,
        A_DSS,
        E_CAMELLIA128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ADH-AES128-SHA256",
        K_DHE,
        A_NULL,
        E_AES128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ADH-CAMELLIA128-SHA256",
        K_DHE,
        A_NULL,
        E_CAMELLIA128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ECDSA-AES256-SHA",
        K_ECDHE,
        A_ECDSA,
        E_AES256,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "ECDHE-RSA-AES256-SHA",
        K_ECDHE,
        A_RSA,
        E_AES256,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-RSA-AES256-SHA",
        K_DHE,
        A_RSA,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-DSS-AES256-SHA",
        K_DHE,
        A_DSS,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-RSA-CAMELLIA256-SHA",
        K_DHE,
        A_RSA,
        E_CAMELLIA256,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-DSS-CAMELLIA256-SHA",
        K_DHE,
        A_DSS,
        E_CAMELLIA256,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "AECDH-AES256-SHA",
        K_ECDHE,
        A_NULL,
        E_AES256,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ADH-AES256-SHA",
        K_DHE,
        A_NULL,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ADH-CAMELLIA256-SHA",
        K_DHE,
        A_NULL,
        E_CAMELLIA256,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-ECDSA-AES128-SHA",
        K_ECDHE,
        A_ECDSA,
        E_AES128,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "ECDHE-RSA-AES128-SHA",
        K_ECDHE,
        A_RSA,
        E_AES128,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-RSA-AES128-SHA",
        K_DHE,
        A_RSA,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-DSS-AES128-SHA",
        K_DHE,
        A_DSS,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-RSA-CAMELLIA128-SHA",
        K_DHE,
        A_RSA,
        E_CAMELLIA128,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-DSS-CAMELLIA128-SHA",
        K_DHE,
        A_DSS,
        E_CAMELLIA128,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "AECDH-AES128-SHA",
        K_ECDHE,
        A_NULL,
        E_AES128,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ADH-AES128-SHA",
        K_DHE,
        A_NULL,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ADH-CAMELLIA128-SHA",
        K_DHE,
        A_NULL,
        E_CAMELLIA128,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "RSA-PSK-AES256-GCM-SHA384",
        K_RSAPSK,
        A_RSA,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-PSK-AES256-GCM-SHA384",
        K_DHEPSK,
        A_PSK,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "RSA-PSK-CHACHA20-POLY1305",
        K_RSAPSK,
        A_RSA,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "DHE-PSK-CHACHA20-POLY1305",
        K_DHEPSK,
        A_PSK,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "ECDHE-PSK-CHACHA20-POLY1305",
        K_ECDHEPSK,
        A_PSK,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "DHE-PSK-AES256-CCM8",
        K_DHEPSK,
        A_PSK,
        E_AES256CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-PSK-AES256-CCM",
        K_DHEPSK,
        A_PSK,
        E_AES256CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "RSA-PSK-ARIA256-GCM-SHA384",
        K_RSAPSK,
        A_RSA,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-PSK-ARIA256-GCM-SHA384",
        K_DHEPSK,
        A_PSK,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "AES256-GCM-SHA384",
        K_RSA,
        A_RSA,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "AES256-CCM8",
        K_RSA,
        A_RSA,
        E_AES256CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "AES256-CCM",
        K_RSA,
        A_RSA,
        E_AES256CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ARIA256-GCM-SHA384",
        K_RSA,
        A_RSA,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "PSK-AES256-GCM-SHA384",
        K_PSK,
        A_PSK,
        E_AES256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "PSK-CHACHA20-POLY1305",
        K_PSK,
        A_PSK,
        E_CHACHA20,
        M_AEAD,
        TLS1_2,
        S_HIGH,
        256,
    ),
    c(
        "PSK-AES256-CCM8",
        K_PSK,
        A_PSK,
        E_AES256CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "PSK-AES256-CCM",
        K_PSK,
        A_PSK,
        E_AES256CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "PSK-ARIA256-GCM-SHA384",
        K_PSK,
        A_PSK,
        E_ARIA256GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "RSA-PSK-AES128-GCM-SHA256",
        K_RSAPSK,
        A_RSA,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-PSK-AES128-GCM-SHA256",
        K_DHEPSK,
        A_PSK,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-PSK-AES128-CCM8",
        K_DHEPSK,
        A_PSK,
        E_AES128CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-PSK-AES128-CCM",
        K_DHEPSK,
        A_PSK,
        E_AES128CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "RSA-PSK-ARIA128-GCM-SHA256",
        K_RSAPSK,
        A_RSA,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-PSK-ARIA128-GCM-SHA256",
        K_DHEPSK,
        A_PSK,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "AES128-GCM-SHA256",
        K_RSA,
        A_RSA,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "AES128-CCM8",
        K_RSA,
        A_RSA,
        E_AES128CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "AES128-CCM",
        K_RSA,
        A_RSA,
        E_AES128CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ARIA128-GCM-SHA256",
        K_RSA,
        A_RSA,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "PSK-AES128-GCM-SHA256",
        K_PSK,
        A_PSK,
        E_AES128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "PSK-AES128-CCM8",
        K_PSK,
        A_PSK,
        E_AES128CCM8,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "PSK-AES128-CCM",
        K_PSK,
        A_PSK,
        E_AES128CCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "PSK-ARIA128-GCM-SHA256",
        K_PSK,
        A_PSK,
        E_ARIA128GCM,
        M_AEAD,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "AES256-SHA256",
        K_RSA,
        A_RSA,
        E_AES256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "CAMELLIA256-SHA256",
        K_RSA,
        A_RSA,
        E_CAMELLIA256,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "AES128-SHA256",
        K_RSA,
        A_RSA,
        E_AES128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "CAMELLIA128-SHA256",
        K_RSA,
        A_RSA,
        E_CAMELLIA128,
        M_SHA256,
        TLS1_2,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-PSK-AES256-CBC-SHA384",
        K_ECDHEPSK,
        A_PSK,
        E_AES256,
        M_SHA384,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "ECDHE-PSK-AES256-CBC-SHA",
        K_ECDHEPSK,
        A_PSK,
        E_AES256,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "SRP-DSS-AES-256-CBC-SHA",
        K_SRP,
        A_DSS,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "SRP-RSA-AES-256-CBC-SHA",
        K_SRP,
        A_RSA,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH,
        256,
    ),
    c(
        "SRP-AES-256-CBC-SHA",
        K_SRP,
        A_SRP,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH,
        256,
    ),
    c(
        "RSA-PSK-AES256-CBC-SHA384",
        K_RSAPSK,
        A_RSA,
        E_AES256,
        M_SHA384,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-PSK-AES256-CBC-SHA384",
        K_DHEPSK,
        A_PSK,
        E_AES256,
        M_SHA384,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "RSA-PSK-AES256-CBC-SHA",
        K_RSAPSK,
        A_RSA,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "DHE-PSK-AES256-CBC-SHA",
        K_DHEPSK,
        A_PSK,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "ECDHE-PSK-CAMELLIA256-SHA384",
        K_ECDHEPSK,
        A_PSK,
        E_CAMELLIA256,
        M_SHA384,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "RSA-PSK-CAMELLIA256-SHA384",
        K_RSAPSK,
        A_RSA,
        E_CAMELLIA256,
        M_SHA384,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "DHE-PSK-CAMELLIA256-SHA384",
        K_DHEPSK,
        A_PSK,
        E_CAMELLIA256,
        M_SHA384,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "AES256-SHA",
        K_RSA,
        A_RSA,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "CAMELLIA256-SHA",
        K_RSA,
        A_RSA,
        E_CAMELLIA256,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "PSK-AES256-CBC-SHA384",
        K_PSK,
        A_PSK,
        E_AES256,
        M_SHA384,
        TLS1,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "PSK-AES256-CBC-SHA",
        K_PSK,
        A_PSK,
        E_AES256,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        256,
    ),
    c(
        "PSK-CAMELLIA256-SHA384",
        K_PSK,
        A_PSK,
        E_CAMELLIA256,
        M_SHA384,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        256,
    ),
    c(
        "ECDHE-PSK-AES128-CBC-SHA256",
        K_ECDHEPSK,
        A_PSK,
        E_AES128,
        M_SHA256,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "ECDHE-PSK-AES128-CBC-SHA",
        K_ECDHEPSK,
        A_PSK,
        E_AES128,
        M_SHA1,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "SRP-DSS-AES-128-CBC-SHA",
        K_SRP,
        A_DSS,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "SRP-RSA-AES-128-CBC-SHA",
        K_SRP,
        A_RSA,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH,
        128,
    ),
    c(
        "SRP-AES-128-CBC-SHA",
        K_SRP,
        A_SRP,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH,
        128,
    ),
    c(
        "RSA-PSK-AES128-CBC-SHA256",
        K_RSAPSK,
        A_RSA,
        E_AES128,
        M_SHA256,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-PSK-AES128-CBC-SHA256",
        K_DHEPSK,
        A_PSK,
        E_AES128,
        M_SHA256,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "RSA-PSK-AES128-CBC-SHA",
        K_RSAPSK,
        A_RSA,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "DHE-PSK-AES128-CBC-SHA",
        K_DHEPSK,
        A_PSK,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "ECDHE-PSK-CAMELLIA128-SHA256",
        K_ECDHEPSK,
        A_PSK,
        E_CAMELLIA128,
        M_SHA256,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "RSA-PSK-CAMELLIA128-SHA256",
        K_RSAPSK,
        A_RSA,
        E_CAMELLIA128,
        M_SHA256,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "DHE-PSK-CAMELLIA128-SHA256",
        K_DHEPSK,
        A_PSK,
        E_CAMELLIA128,
        M_SHA256,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "AES128-SHA",
        K_RSA,
        A_RSA,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "CAMELLIA128-SHA",
        K_RSA,
        A_RSA,
        E_CAMELLIA128,
        M_SHA1,
        SSL3,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "PSK-AES128-CBC-SHA256",
        K_PSK,
        A_PSK,
        E_AES128,
        M_SHA256,
        TLS1,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "PSK-AES128-CBC-SHA",
        K_PSK,
        A_PSK,
        E_AES128,
        M_SHA1,
        SSL3,
        S_HIGH | S_FIPS,
        128,
    ),
    c(
        "PSK-CAMELLIA128-SHA256",
        K_PSK,
        A_PSK,
        E_CAMELLIA128,
        M_SHA256,
        TLS1,
        S_HIGH | S_NOT_DEFAULT,
        128,
    ),
    c(
        "ECDHE-ECDSA-NULL-SHA",
        K_ECDHE,
        A_ECDSA,
        E_NULL,
        M_SHA1,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "ECDHE-RSA-NULL-SHA",
        K_ECDHE,
        A_RSA,
        E_NULL,
        M_SHA1,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "AECDH-NULL-SHA",
        K_ECDHE,
        A_NULL,
        E_NULL,
        M_SHA1,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "NULL-SHA256",
        K_RSA,
        A_RSA,
        E_NULL,
        M_SHA256,
        TLS1_2,
        S_NONE,
        0,
    ),
    c(
        "ECDHE-PSK-NULL-SHA384",
        K_ECDHEPSK,
        A_PSK,
        E_NULL,
        M_SHA384,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "ECDHE-PSK-NULL-SHA256",
        K_ECDHEPSK,
        A_PSK,
        E_NULL,
        M_SHA256,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "ECDHE-PSK-NULL-SHA",
        K_ECDHEPSK,
        A_PSK,
        E_NULL,
        M_SHA1,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "RSA-PSK-NULL-SHA384",
        K_RSAPSK,
        A_RSA,
        E_NULL,
        M_SHA384,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "RSA-PSK-NULL-SHA256",
        K_RSAPSK,
        A_RSA,
        E_NULL,
        M_SHA256,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "DHE-PSK-NULL-SHA384",
        K_DHEPSK,
        A_PSK,
        E_NULL,
        M_SHA384,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "DHE-PSK-NULL-SHA256",
        K_DHEPSK,
        A_PSK,
        E_NULL,
        M_SHA256,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "RSA-PSK-NULL-SHA",
        K_RSAPSK,
        A_RSA,
        E_NULL,
        M_SHA1,
        SSL3,
        S_NONE,
        0,
    ),
    c(
        "DHE-PSK-NULL-SHA",
        K_DHEPSK,
        A_PSK,
        E_NULL,
        M_SHA1,
        SSL3,
        S_NONE,
        0,
    ),
    c("NULL-SHA", K_RSA, A_RSA, E_NULL, M_SHA1, SSL3, S_NONE, 0),
    c("NULL-MD5", K_RSA, A_RSA, E_NULL, M_MD5, SSL3, S_NONE, 0),
    c(
        "PSK-NULL-SHA384",
        K_PSK,
        A_PSK,
        E_NULL,
        M_SHA384,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "PSK-NULL-SHA256",
        K_PSK,
        A_PSK,
        E_NULL,
        M_SHA256,
        TLS1,
        S_NONE,
        0,
    ),
    c(
        "PSK-NULL-SHA",
        K_PSK,
        A_PSK,
        E_NULL,
        M_SHA1,
        SSL3,
        S_NONE,
        0,
    ),
];

/// An alias: a set of algorithms (0 = any), as OpenSSL's `cipher_aliases`.
struct Alias {
    name: &'static str,
    kx: u32,
    au: u32,
    enc: u32,
    mac: u32,
    min_tls: u16,
    strength: u32,
}

const fn a(name: &'static str, kx: u32, au: u32, enc: u32, mac: u32) -> Alias {
    Alias {
        name,
        kx,
        au,
        enc,
        mac,
        min_tls: 0,
        strength: 0,
    }
}

const fn v(name: &'static str, min_tls: u16) -> Alias {
    Alias {
        name,
        kx: 0,
        au: 0,
        enc: 0,
        mac: 0,
        min_tls,
        strength: 0,
    }
}

const fn s(name: &'static str, enc: u32, strength: u32) -> Alias {
    Alias {
        name,
        kx: 0,
        au: 0,
        enc,
        mac: 0,
        min_tls: 0,
        strength,
    }
}

const NOT_NULL: u32 = !A_NULL;

static ALIASES: &[Alias] = &[
    a("ALL", 0, 0, !E_NULL, 0),
    a("COMPLEMENTOFALL", 0, 0, E_NULL, 0),
    s("COMPLEMENTOFDEFAULT", 0, S_NOT_DEFAULT),
    a("kRSA", K_RSA, 0, 0, 0),
    a("kEDH", K_DHE, 0, 0, 0),
    a("kDHE", K_DHE, 0, 0, 0),
    a("DH", K_DHE, 0, 0, 0),
    a("kEECDH", K_ECDHE, 0, 0, 0),
    a("kECDHE", K_ECDHE, 0, 0, 0),
    a("ECDH", K_ECDHE, 0, 0, 0),
    a("kPSK", K_PSK, 0, 0, 0),
    a("kRSAPSK", K_RSAPSK, 0, 0, 0),
    a("kECDHEPSK", K_ECDHEPSK, 0, 0, 0),
    a("kDHEPSK", K_DHEPSK, 0, 0, 0),
    a("kSRP", K_SRP, 0, 0, 0),
    a("aRSA", 0, A_RSA, 0, 0),
    a("aDSS", 0, A_DSS, 0, 0),
    a("DSS", 0, A_DSS, 0, 0),
    a("aNULL", 0, A_NULL, 0, 0),
    a("aECDSA", 0, A_ECDSA, 0, 0),
    a("ECDSA", 0, A_ECDSA, 0, 0),
    a("aPSK", 0, A_PSK, 0, 0),
    a("aSRP", 0, A_SRP, 0, 0),
    a("EDH", K_DHE, NOT_NULL, 0, 0),
    a("DHE", K_DHE, NOT_NULL, 0, 0),
    a("EECDH", K_ECDHE, NOT_NULL, 0, 0),
    a("ECDHE", K_ECDHE, NOT_NULL, 0, 0),
    a("NULL", 0, 0, E_NULL, 0),
    a("RSA", K_RSA, A_RSA, 0, 0),
    a("ADH", K_DHE, A_NULL, 0, 0),
    a("AECDH", K_ECDHE, A_NULL, 0, 0),
    a("PSK", K_ANY_PSK, 0, 0, 0),
    a("SRP", K_SRP, 0, 0, 0),
    a("3DES", 0, 0, E_3DES, 0),
    a("RC4", 0, 0, E_RC4, 0),
    a("RC2", 0, 0, E_RC2, 0),
    a("IDEA", 0, 0, E_IDEA, 0),
    a("SEED", 0, 0, E_SEED, 0),
    a("eNULL", 0, 0, E_NULL, 0),
    a(
        "AES128",
        0,
        0,
        E_AES128 | E_AES128GCM | E_AES128CCM | E_AES128CCM8,
        0,
    ),
    a(
        "AES256",
        0,
        0,
        E_AES256 | E_AES256GCM | E_AES256CCM | E_AES256CCM8,
        0,
    ),
    a("AES", 0, 0, E_AES, 0),
    a("AESGCM", 0, 0, E_AESGCM, 0),
    a("AESCCM", 0, 0, E_AESCCM, 0),
    a("AESCCM8", 0, 0, E_AES128CCM8 | E_AES256CCM8, 0),
    a("CAMELLIA128", 0, 0, E_CAMELLIA128, 0),
    a("CAMELLIA256", 0, 0, E_CAMELLIA256, 0),
    a("CAMELLIA", 0, 0, E_CAMELLIA, 0),
    a("CHACHA20", 0, 0, E_CHACHA20, 0),
    a("ARIA", 0, 0, E_ARIA, 0),
    a("ARIAGCM", 0, 0, E_ARIA, 0),
    a("ARIA128", 0, 0, E_ARIA128GCM, 0),
    a("ARIA256", 0, 0, E_ARIA256GCM, 0),
    a("CBC", 0, 0, E_CBC, 0),
    a("MD5", 0, 0, 0, M_MD5),
    a("SHA1", 0, 0, 0, M_SHA1),
    a("SHA", 0, 0, 0, M_SHA1),
    a("SHA256", 0, 0, 0, M_SHA256),
    a("SHA384", 0, 0, 0, M_SHA384),
    v("SSLv3", SSL3),
    v("TLSv1", TLS1),
    v("TLSv1.0", TLS1),
    v("TLSv1.2", TLS1_2),
    s("LOW", 0, S_LOW),
    s("MEDIUM", 0, S_MEDIUM),
    s("HIGH", 0, S_HIGH),
    s("FIPS", !E_NULL, S_FIPS),
];

/// What `SSL_DEFAULT_CIPHER_LIST` expands to in OpenSSL 3.0.
const DEFAULT_RULE: &str = "ALL:!COMPLEMENTOFDEFAULT:!eNULL";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Add,
    Kill,
    Del,
    Ord,
    Bump,
}

/// A selection: an explicit cipher, or algorithm masks (0 = any).
#[derive(Clone, Copy, Default)]
struct Pattern {
    cipher: Option<usize>,
    kx: u32,
    au: u32,
    enc: u32,
    mac: u32,
    min_tls: u16,
    strength: u32,
    /// `@STRENGTH`'s selection by strength bits.
    bits: Option<u32>,
}

impl Pattern {
    fn matches(&self, index: usize, cipher: &Cipher) -> bool {
        if let Some(bits) = self.bits {
            return cipher.bits == bits;
        }
        if let Some(wanted) = self.cipher {
            return wanted == index;
        }
        (self.kx == 0 || self.kx & cipher.kx != 0)
            && (self.au == 0 || self.au & cipher.au != 0)
            && (self.enc == 0 || self.enc & cipher.enc != 0)
            && (self.mac == 0 || self.mac & cipher.mac != 0)
            && (self.min_tls == 0 || self.min_tls == cipher.min_tls)
            && (self.strength & STRONG_MASK == 0
                || self.strength & STRONG_MASK & cipher.strength != 0)
            && (self.strength & DEFAULT_MASK == 0
                || self.strength & DEFAULT_MASK & cipher.strength != 0)
    }
}

/// OpenSSL's ordered cipher list while rules apply to it.
struct List {
    /// Cipher indexes in order; killed ones are gone for good.
    order: Vec<usize>,
    active: Vec<bool>,
}

impl List {
    fn apply(&mut self, pattern: &Pattern, rule: Rule) {
        let hits: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| pattern.matches(i, &CIPHERS[i]))
            .filter(|&i| match rule {
                Rule::Add => !self.active[i],
                Rule::Kill => true,
                _ => self.active[i],
            })
            .collect();
        if hits.is_empty() {
            return;
        }
        self.order.retain(|i| !hits.contains(i));
        match rule {
            Rule::Add | Rule::Ord => {
                self.order.extend_from_slice(&hits);
                for &i in &hits {
                    self.active[i] = true;
                }
            }
            Rule::Del | Rule::Bump => {
                let mut order = hits.clone();
                order.append(&mut self.order);
                self.order = order;
                if rule == Rule::Del {
                    for &i in &hits {
                        self.active[i] = false;
                    }
                }
            }
            Rule::Kill => {
                for &i in &hits {
                    self.active[i] = false;
                }
            }
        }
    }

    /// `@STRENGTH`: a stable sort by strength bits, strongest first.
    fn strength_sort(&mut self) {
        let mut used: Vec<u32> = self
            .order
            .iter()
            .filter(|&&i| self.active[i])
            .map(|&i| CIPHERS[i].bits)
            .collect();
        used.sort_unstable();
        used.dedup();
        for bits in used.into_iter().rev() {
            let pattern = Pattern {
                bits: Some(bits),
                ..Pattern::default()
            };
            self.apply(&pattern, Rule::Ord);
        }
    }

    fn masks(&self) -> (u32, u32, u32, u32) {
        CIPHERS.iter().fold((0, 0, 0, 0), |(k, a, e, m), cipher| {
            (k | cipher.kx, a | cipher.au, e | cipher.enc, m | cipher.mac)
        })
    }

    /// OpenSSL's starting order (`ssl_create_cipher_list`), everything
    /// inactive again at the end.
    fn initial() -> List {
        let mut list = List {
            order: (0..CIPHERS.len()).collect(),
            active: vec![false; CIPHERS.len()],
        };
        let p = |kx, au, enc, mac| Pattern {
            kx,
            au,
            enc,
            mac,
            ..Pattern::default()
        };
        list.apply(&p(K_ECDHE, A_ECDSA, 0, 0), Rule::Add);
        list.apply(&p(K_ECDHE, 0, 0, 0), Rule::Add);
        list.apply(&p(K_ECDHE, 0, 0, 0), Rule::Del);
        list.apply(&p(0, 0, E_AESGCM, 0), Rule::Add);
        list.apply(&p(0, 0, E_CHACHA20, 0), Rule::Add);
        list.apply(&p(0, 0, E_AES ^ E_AESGCM, 0), Rule::Add);
        list.apply(&p(0, 0, 0, 0), Rule::Add);
        list.apply(&p(0, 0, 0, M_MD5), Rule::Ord);
        list.apply(&p(0, A_NULL, 0, 0), Rule::Ord);
        list.apply(&p(K_RSA, 0, 0, 0), Rule::Ord);
        list.apply(&p(K_PSK, 0, 0, 0), Rule::Ord);
        list.apply(&p(0, 0, E_RC4, 0), Rule::Ord);
        list.strength_sort();
        let tls12 = Pattern {
            min_tls: TLS1_2,
            ..Pattern::default()
        };
        list.apply(&tls12, Rule::Bump);
        list.apply(&p(0, 0, 0, M_AEAD), Rule::Bump);
        list.apply(&p(K_DHE | K_ECDHE, 0, 0, 0), Rule::Bump);
        list.apply(&p(K_DHE | K_ECDHE, 0, 0, M_AEAD), Rule::Bump);
        list.apply(&p(0, 0, 0, 0), Rule::Del);
        list
    }

    fn active_names(&self) -> Vec<&'static str> {
        self.order
            .iter()
            .filter(|&&i| self.active[i])
            .map(|&i| CIPHERS[i].name)
            .collect()
    }
}

/// Why OpenSSL refuses a cipher string.
#[derive(Debug, PartialEq, Eq)]
pub enum CipherError {
    NoCipherMatch,
    InvalidCommand,
}

fn item_separator(b: u8) -> bool {
    matches!(b, b':' | b' ' | b';' | b',')
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'=')
}

/// One rule string (`ssl_cipher_process_rulestr`); `false` on an invalid
/// command.
fn process(rules: &[u8], list: &mut List) -> bool {
    let (kx_mask, au_mask, enc_mask, mac_mask) = list.masks();
    // Aliases whose algorithms no compiled-in cipher has are unknown.
    let known = |alias: &&Alias| {
        (alias.kx == 0 || alias.kx & kx_mask != 0)
            && (alias.au == 0 || alias.au & au_mask != 0)
            && (alias.enc == 0 || alias.enc & enc_mask != 0)
            && (alias.mac == 0 || alias.mac & mac_mask != 0)
    };
    let mut ok = true;
    let mut at = 0;
    while at < rules.len() {
        let first = rules[at];
        let rule = match first {
            b'-' => Some(Rule::Del),
            b'+' => Some(Rule::Ord),
            b'!' => Some(Rule::Kill),
            b'@' => None,
            _ => Some(Rule::Add),
        };
        if matches!(first, b'-' | b'+' | b'!' | b'@') {
            at += 1;
        } else if item_separator(first) {
            at += 1;
            continue;
        }
        let mut pattern = Pattern::default();
        let mut found = false;
        let mut special: &[u8] = b"";
        loop {
            let start = at;
            while at < rules.len() && name_byte(rules[at]) {
                at += 1;
            }
            let word = &rules[start..at];
            if word.is_empty() {
                ok = false;
                found = false;
                at += 1;
                break;
            }
            if rule.is_none() {
                special = word;
                break;
            }
            let multi = rules.get(at) == Some(&b'+');
            if multi {
                at += 1;
            }
            found = combine(&mut pattern, word, &known);
            if !found || !multi {
                break;
            }
        }
        match rule {
            None => {
                if special == b"STRENGTH" {
                    list.strength_sort();
                } else if special.len() == 10
                    && special.starts_with(b"SECLEVEL=")
                    && (b'0'..=b'5').contains(&special[9])
                {
                    // The security level matters to OpenSSL only.
                } else {
                    ok = false;
                }
                while at < rules.len() && !item_separator(rules[at]) {
                    at += 1;
                }
            }
            Some(rule) if found => list.apply(&pattern, rule),
            Some(_) => {
                while at < rules.len() && !item_separator(rules[at]) {
                    at += 1;
                }
            }
        }
    }
    ok
}

/// Adds one name (a cipher or an alias) to a `+`-joined selection;
/// `false` when the name is unknown or the selection became empty.
fn combine(pattern: &mut Pattern, word: &[u8], known: &dyn Fn(&&Alias) -> bool) -> bool {
    if let Some(index) = CIPHERS.iter().position(|c| c.name.as_bytes() == word) {
        let cipher = &CIPHERS[index];
        let alias = Alias {
            name: cipher.name,
            kx: cipher.kx,
            au: cipher.au,
            enc: cipher.enc,
            mac: cipher.mac,
            min_tls: 0,
            strength: cipher.strength,
        };
        if !intersect(pattern, &alias) {
            return false;
        }
        pattern.cipher = Some(index);
        return true;
    }
    let Some(alias) = ALIASES
        .iter()
        .filter(known)
        .find(|alias| alias.name.as_bytes() == word)
    else {
        return false;
    };
    if !intersect(pattern, alias) {
        return false;
    }
    if alias.min_tls != 0 {
        if pattern.min_tls != 0 && pattern.min_tls != alias.min_tls {
            return false;
        }
        pattern.min_tls = alias.min_tls;
    }
    true
}

fn intersect(pattern: &mut Pattern, alias: &Alias) -> bool {
    for (mine, theirs) in [
        (&mut pattern.kx, alias.kx),
        (&mut pattern.au, alias.au),
        (&mut pattern.enc, alias.enc),
        (&mut pattern.mac, alias.mac),
    ] {
        if theirs != 0 {
            if *mine != 0 {
                *mine &= theirs;
                if *mine == 0 {
                    return false;
                }
            } else {
                *mine = theirs;
            }
        }
    }
    if alias.strength & STRONG_MASK != 0 {
        if pattern.strength & STRONG_MASK != 0 {
            pattern.strength &= (alias.strength & STRONG_MASK) | !STRONG_MASK;
            if pattern.strength & STRONG_MASK == 0 {
                return false;
            }
        } else {
            // OpenSSL assigns here (dropping a DEFAULT bit set before).
            pattern.strength = alias.strength & STRONG_MASK;
        }
    }
    if alias.strength & DEFAULT_MASK != 0 {
        if pattern.strength & DEFAULT_MASK != 0 {
            pattern.strength &= (alias.strength & DEFAULT_MASK) | !DEFAULT_MASK;
            if pattern.strength & DEFAULT_MASK == 0 {
                return false;
            }
        } else {
            pattern.strength |= alias.strength & DEFAULT_MASK;
        }
    }
    true
}

/// The OpenSSL cipher names a string selects, in OpenSSL's order.
pub fn evaluate(text: &[u8]) -> Result<Vec<&'static str>, CipherError> {
    let mut list = List::initial();
    let mut rest = text;
    let mut ok = true;
    if let Some(after) = text.strip_prefix(b"DEFAULT") {
        ok = process(DEFAULT_RULE.as_bytes(), &mut list);
        rest = after.strip_prefix(b":").unwrap_or(after);
    }
    if ok && !rest.is_empty() {
        ok = process(rest, &mut list);
    }
    if !ok {
        return Err(CipherError::InvalidCommand);
    }
    let names = list.active_names();
    if names.is_empty() {
        return Err(CipherError::NoCipherMatch);
    }
    Ok(names)
}

/// The rustls suite for an OpenSSL cipher name, where rustls has it.
fn rustls_suite(name: &str) -> Option<SupportedCipherSuite> {
    Some(match name {
        "ECDHE-ECDSA-AES256-GCM-SHA384" => cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        "ECDHE-ECDSA-AES128-GCM-SHA256" => cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        "ECDHE-ECDSA-CHACHA20-POLY1305" => {
            cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
        }
        "ECDHE-RSA-AES256-GCM-SHA384" => cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        "ECDHE-RSA-AES128-GCM-SHA256" => cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        "ECDHE-RSA-CHACHA20-POLY1305" => cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        _ => return None,
    })
}

/// OpenSSL's name of a negotiated suite (`$ssl_cipher`): the IANA name for
/// TLS 1.3 suites, OpenSSL's own for older ones.
pub fn openssl_name(suite: SupportedCipherSuite) -> &'static str {
    use rustls::CipherSuite as S;
    match suite.suite() {
        S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => "ECDHE-ECDSA-AES128-GCM-SHA256",
        S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 => "ECDHE-ECDSA-CHACHA20-POLY1305",
        S::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => "ECDHE-RSA-AES256-GCM-SHA384",
        S::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => "ECDHE-RSA-AES128-GCM-SHA256",
        S::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => "ECDHE-RSA-CHACHA20-POLY1305",
        S::TLS13_AES_256_GCM_SHA384 => "TLS_AES_256_GCM_SHA384",
        S::TLS13_AES_128_GCM_SHA256 => "TLS_AES_128_GCM_SHA256",
        S::TLS13_CHACHA20_POLY1305_SHA256 => "TLS_CHACHA20_POLY1305_SHA256",
        _ => "(NONE)",
    }
}

/// The suites an `ssl_ciphers` string gives rustls: OpenSSL's default
/// TLS 1.3 suites, then the TLS 1.2 suites the string selects, in its
/// order. Refused as nginx refuses it when OpenSSL would refuse it.
pub fn select(text: &Arg) -> Result<Vec<SupportedCipherSuite>, ConfError> {
    let names = evaluate(text.as_bytes()).map_err(|err| {
        let reason = match err {
            CipherError::NoCipherMatch => "error:0A0000B9:SSL routines::no cipher match",
            CipherError::InvalidCommand => "error:0A000118:SSL routines::invalid command",
        };
        ConfError::bare(format!(
            "SSL_CTX_set_cipher_list(\"{text}\") failed (SSL: {reason})"
        ))
    })?;
    let mut suites = vec![
        cipher_suite::TLS13_AES_256_GCM_SHA384,
        cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
        cipher_suite::TLS13_AES_128_GCM_SHA256,
    ];
    suites.extend(names.into_iter().filter_map(rustls_suite));
    Ok(suites)
}

/// Whether the suites have a TLS 1.2 one (the string may select only
/// ciphers rustls does not have).
pub fn has_tls12(suites: &[SupportedCipherSuite]) -> bool {
    suites
        .iter()
        .any(|suite| matches!(suite, SupportedCipherSuite::Tls12(_)))
}

/// `ssl_ecdh_curve`: `auto` (rustls's default groups) or a `:` list. Names
/// OpenSSL knows but rustls lacks (X448, secp521r1, ffdhe*) are skipped;
/// unknown names are refused with nginx's message.
pub fn curves(value: Option<&Arg>) -> Result<Vec<&'static dyn SupportedKxGroup>, ConfError> {
    let defaults = || rustls::crypto::aws_lc_rs::default_provider().kx_groups;
    let Some(value) = value.filter(|v| v.as_bytes() != b"auto") else {
        return Ok(defaults());
    };
    let mut groups: Vec<&'static dyn SupportedKxGroup> = Vec::new();
    for name in value.as_bytes().split(|&b| b == b':') {
        let group: Option<&'static dyn SupportedKxGroup> = match name {
            b"X25519" | b"x25519" => Some(kx_group::X25519),
            b"prime256v1" | b"P-256" | b"secp256r1" => Some(kx_group::SECP256R1),
            b"secp384r1" | b"P-384" => Some(kx_group::SECP384R1),
            b"X25519MLKEM768" => Some(kx_group::X25519MLKEM768),
            b"X448"
            | b"x448"
            | b"secp521r1"
            | b"P-521"
            | b"ffdhe2048"
            | b"ffdhe3072"
            | b"ffdhe4096"
            | b"ffdhe6144"
            | b"ffdhe8192"
            | b"brainpoolP256r1tls13"
            | b"brainpoolP384r1tls13"
            | b"brainpoolP512r1tls13"
            | b"secp224r1"
            | b"secp256k1"
            | b"P-224" => None,
            _ => {
                return Err(ConfError::bare(format!(
                    "SSL_CTX_set1_curves_list(\"{value}\") failed (SSL: error:0A080106:SSL routines::passed invalid argument:group '{}' cannot be set)",
                    String::from_utf8_lossy(name)
                )));
            }
        };
        if let Some(group) = group
            && !groups.iter().any(|g| g.name() == group.name())
        {
            groups.push(group);
        }
    }
    if groups.is_empty() {
        return Ok(defaults());
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rustls-relevant part of what `openssl ciphers -s -tls1_2 S`
    /// prints on the reference machine (OpenSSL 3.0.19).
    fn rustls_part(text: &str) -> Vec<&'static str> {
        evaluate(text.as_bytes())
            .unwrap()
            .into_iter()
            .filter(|name| rustls_suite(name).is_some())
            .collect()
    }

    #[test]
    fn orders_match_openssl() {
        let all6 = [
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256",
        ];
        assert_eq!(rustls_part("HIGH:!aNULL:!MD5"), all6);
        assert_eq!(rustls_part("DEFAULT"), all6);
        assert_eq!(rustls_part("ALL:@STRENGTH"), all6);
        assert_eq!(rustls_part("ALL:+SHA256"), all6);
        assert_eq!(
            rustls_part("ECDHE+AESGCM"),
            [all6[0], all6[1], all6[4], all6[5]]
        );
        assert_eq!(
            rustls_part("EECDH+AESGCM:EDH+AESGCM"),
            [all6[0], all6[1], all6[4], all6[5]]
        );
        assert_eq!(
            rustls_part("CHACHA20:AESGCM"),
            [all6[2], all6[3], all6[0], all6[1], all6[4], all6[5]]
        );
        assert_eq!(
            rustls_part("ECDHE:-AES256:+AES128"),
            [all6[2], all6[3], all6[4], all6[5]]
        );
        assert_eq!(
            rustls_part("AES128+ECDHE:AES256+ECDHE"),
            [all6[4], all6[5], all6[0], all6[1]]
        );
        assert_eq!(rustls_part("TLSv1.2+ECDSA"), [all6[0], all6[2], all6[4]]);
        // Mozilla's "intermediate" list keeps its own order.
        assert_eq!(
            rustls_part(
                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"
            ),
            [all6[4], all6[5], all6[0], all6[1], all6[2], all6[3]]
        );
    }

    #[test]
    fn counts_match_openssl() {
        // `openssl ciphers S | tr : '\n' | wc -l`, less the 3 TLS 1.3 suites.
        let count = |text: &str| evaluate(text.as_bytes()).map(|names| names.len());
        assert_eq!(count("HIGH:!aNULL:!MD5"), Ok(125));
        assert_eq!(count("DEFAULT"), Ok(57));
        assert_eq!(count("ALL:@STRENGTH"), Ok(137));
        assert_eq!(count("ECDHE+AESGCM"), Ok(4));
        assert_eq!(count("EECDH+AESGCM:EDH+AESGCM"), Ok(8));
        assert_eq!(count("ARIA"), Ok(16));
        assert_eq!(count("CBC"), Ok(76));
        assert_eq!(count("FOO:HIGH"), count("HIGH"));
        assert_eq!(count("AES256-SHA"), Ok(1));
    }

    #[test]
    fn refusals_match_openssl() {
        assert_eq!(evaluate(b"FOO"), Err(CipherError::NoCipherMatch));
        assert_eq!(
            evaluate(b"TLS_AES_128_GCM_SHA256"),
            Err(CipherError::NoCipherMatch)
        );
        assert_eq!(evaluate(b"HIGH+MEDIUM"), Err(CipherError::NoCipherMatch));
        assert_eq!(
            evaluate(b"ECDHE-RSA-AES128-GCM-SHA256:!ECDHE"),
            Err(CipherError::NoCipherMatch)
        );
        assert_eq!(evaluate(b"HIGH:*"), Err(CipherError::InvalidCommand));
        assert_eq!(evaluate(b"@FOO"), Err(CipherError::InvalidCommand));
        assert_eq!(
            evaluate(b"HIGH:@SECLEVEL=9"),
            Err(CipherError::InvalidCommand)
        );
        assert!(evaluate(b"HIGH:@SECLEVEL=2").is_ok());
    }

    #[test]
    fn selection_keeps_tls13_suites() {
        let suites = select(&Arg::new("AES256-SHA")).unwrap();
        assert_eq!(suites.len(), 3);
        assert!(!has_tls12(&suites));
        let err = select(&Arg::new("FOO")).unwrap_err();
        assert_eq!(
            err.message,
            "SSL_CTX_set_cipher_list(\"FOO\") failed (SSL: error:0A0000B9:SSL routines::no cipher match)"
        );
    }

    #[test]
    fn curve_lists() {
        assert_eq!(curves(None).unwrap().len(), 4);
        let groups = curves(Some(&Arg::new("secp384r1:X448:prime256v1"))).unwrap();
        let names: Vec<_> = groups.iter().map(|g| g.name()).collect();
        assert_eq!(
            names,
            [rustls::NamedGroup::secp384r1, rustls::NamedGroup::secp256r1]
        );
        let err = curves(Some(&Arg::new("X25519:foo"))).unwrap_err();
        assert!(err.message.contains("group 'foo' cannot be set"));
    }
}
