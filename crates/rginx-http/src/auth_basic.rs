//! nginx's auth_basic module: `auth_basic "realm"|off` and
//! `auth_basic_user_file` (both with variables) check the user and password
//! of an `Authorization: Basic` header against an htpasswd file, read
//! afresh for every request as nginx does, with nginx's hash formats
//! (`ngx_crypt`: `{PLAIN}`, `{SHA}`, `{SSHA}`, `$apr1$`) and, like nginx on
//! Debian, what the system's crypt(3) accepts (`$1$`, `$5$`, `$6$`, bcrypt,
//! yescrypt, DES, BSDi, `$sha1$`). A refused client gets 401 with
//! `WWW-Authenticate: Basic realm="..."`; the decision is combined with
//! allow/deny by [`crate::auth`] (`satisfy`).

use crate::compile::{Compiler, Target};
use crate::core_main::LogLevel;
use crate::http_core::request::Ctx;
use crate::variables::{self, Template};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use http::{HeaderMap, HeaderValue};
use md5::{Digest, Md5};
use rginx_conf::{ConfError, Directive};
use sha1::Sha1;
use std::sync::Arc;

/// The module's settings of one level.
#[derive(Clone, Debug, Default)]
pub struct AuthBasicConf {
    /// `auth_basic`: the realm, or `off` once evaluated.
    pub realm: Option<Arc<Template>>,
    pub user_file: Option<Arc<UserFile>>,
}

impl AuthBasicConf {
    pub fn merge(&mut self, parent: &AuthBasicConf) {
        if self.realm.is_none() {
            self.realm.clone_from(&parent.realm);
        }
        if self.user_file.is_none() {
            self.user_file.clone_from(&parent.user_file);
        }
    }
}

/// `auth_basic_user_file`: a path, relative ones against the directory
/// of the main configuration file (nginx's `conf_prefix`).
#[derive(Clone, Debug)]
pub struct UserFile {
    pub path: Template,
    /// The configuration directory, with its final slash.
    pub conf_prefix: Vec<u8>,
}

impl UserFile {
    /// The file's full path for this request.
    pub fn resolve(&self, ctx: &Ctx<'_>) -> Vec<u8> {
        let path = variables::eval::render(ctx, &self.path);
        self.full_name(path)
    }

    /// `ngx_get_full_name`: an absolute path stays, others get the prefix.
    fn full_name(&self, path: Vec<u8>) -> Vec<u8> {
        if path.first() == Some(&b'/') {
            return path;
        }
        let mut full = self.conf_prefix.clone();
        full.extend_from_slice(&path);
        full
    }
}

fn conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut AuthBasicConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.auth.basic),
        Target::Server(_, server) => Ok(&mut server.conf.auth.basic),
        Target::Location(location) => Ok(&mut location.conf.auth.basic),
        _ => Err(ConfError::bare("internal error: auth_basic out of place")),
    }
}

/// `auth_basic`: nginx's complex value slot.
fn set_realm(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if conf(t)?.realm.is_some() {
        return Err(crate::values::duplicate(d));
    }
    let realm = variables::compile(&d.args[0], &mut c.variables, &d.loc)?;
    conf(t)?.realm = Some(Arc::new(realm));
    Ok(())
}

/// `auth_basic_user_file`, as `ngx_http_auth_basic_user_file`.
fn set_user_file(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if conf(t)?.user_file.is_some() {
        return Err(crate::values::duplicate(d));
    }
    let path = variables::compile(&d.args[0], &mut c.variables, &d.loc)?;
    let mut conf_prefix = {
        use std::os::unix::ffi::OsStrExt;
        c.options.conf_prefix.as_os_str().as_bytes().to_vec()
    };
    if !conf_prefix.ends_with(b"/") {
        conf_prefix.push(b'/');
    }
    let mut file = UserFile { path, conf_prefix };
    // A path without variables is made full once, as nginx does.
    if let Some(literal) = file.path.literal() {
        let full = file.full_name(literal.to_vec());
        file.path = Template {
            parts: vec![variables::Part::Literal(full)],
        };
    }
    conf(t)?.user_file = Some(Arc::new(file));
    Ok(())
}

/// nginx's base64 decoding (`ngx_decode_base64`): it stops at the first
/// `=`, needs no padding and ignores left-over bits.
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone),
    );
    let end = text.iter().position(|&b| b == b'=').unwrap_or(text.len());
    LENIENT.decode(&text[..end]).ok()
}

/// The user and password of an `Authorization: Basic` header, as
/// `ngx_http_auth_basic_user` reads them (`$remote_user` is the user).
pub fn credentials(headers: &HeaderMap) -> Option<(Vec<u8>, Vec<u8>)> {
    let value = crate::http_core::headers_in::first(headers, &http::header::AUTHORIZATION)?;
    let scheme = value.get(..6)?;
    if !scheme.eq_ignore_ascii_case(b"Basic ") {
        return None;
    }
    let encoded = &value[6..];
    let start = encoded
        .iter()
        .position(|&b| b != b' ')
        .unwrap_or(encoded.len());
    let encoded = &encoded[start..];
    if encoded.is_empty() {
        return None;
    }
    let decoded = decode_base64(encoded)?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    if colon == 0 {
        return None;
    }
    Some((decoded[..colon].to_vec(), decoded[colon + 1..].to_vec()))
}

/// What the module decided for a request.
#[derive(Debug)]
pub enum Verdict {
    /// Not configured here, or `auth_basic off`.
    Declined,
    Granted,
    /// 401 with this `WWW-Authenticate` value.
    Unauthorized(HeaderValue),
    /// The user file does not exist (nginx answers 403).
    Forbidden,
    /// The user file could not be read (500).
    Error,
}

/// nginx's read buffer: a password field longer than this is cut.
const BUF_SIZE: usize = 2048;

/// The access-phase handler (`ngx_http_auth_basic_handler`).
pub fn check(ctx: &Ctx<'_>) -> Verdict {
    let conf = &ctx.loc_conf().auth.basic;
    let (Some(realm), Some(user_file)) = (&conf.realm, &conf.user_file) else {
        return Verdict::Declined;
    };
    let realm = variables::eval::render(ctx, realm);
    if realm == b"off" {
        return Verdict::Declined;
    }
    let Some((user, password)) = credentials(&ctx.parts.headers) else {
        crate::log::error(
            ctx,
            LogLevel::Info,
            "no user/password was provided for basic authentication",
        );
        return Verdict::Unauthorized(challenge(&realm));
    };
    let path = user_file.resolve(ctx);
    let data = match read_file(&path) {
        Ok(data) => data,
        Err((call, err)) => return read_failure(ctx, call, &path, &err),
    };
    let user_text = String::from_utf8_lossy(&user);
    let Some(field) = find_user(&data, &user) else {
        crate::log::error(
            ctx,
            LogLevel::Error,
            &format!(
                "user \"{user_text}\" was not found in \"{}\"",
                String::from_utf8_lossy(&path)
            ),
        );
        return Verdict::Unauthorized(challenge(&realm));
    };
    // The password and the stored hash are C strings in nginx.
    let stored = until_nul(&field[..field.len().min(BUF_SIZE)]);
    let encrypted = crypt(until_nul(&password), stored);
    if encrypted == stored {
        return Verdict::Granted;
    }
    crate::log::error(
        ctx,
        LogLevel::Error,
        &format!("user \"{user_text}\": password mismatch"),
    );
    Verdict::Unauthorized(challenge(&realm))
}

/// The user file's bytes, or the call that failed and why.
fn read_file(path: &[u8]) -> Result<Vec<u8>, (&'static str, std::io::Error)> {
    use std::io::Read;
    let mut file =
        std::fs::File::open(crate::static_files::path::os_path(path)).map_err(|e| ("open()", e))?;
    let mut data = Vec::new();
    file.read_to_end(&mut data).map_err(|e| ("pread()", e))?;
    Ok(data)
}

/// A user file that could not be read: a missing file is 403 (logged as
/// an error), anything else 500 (critical), as in nginx.
fn read_failure(ctx: &Ctx<'_>, call: &str, path: &[u8], err: &std::io::Error) -> Verdict {
    let message = format!(
        "{call} \"{}\" failed {}",
        String::from_utf8_lossy(path),
        rginx_conf::error::os_error_suffix(err)
    );
    if call == "open()" && err.raw_os_error() == Some(nix::libc::ENOENT) {
        crate::log::error(ctx, LogLevel::Error, &message);
        return Verdict::Forbidden;
    }
    crate::log::error(ctx, LogLevel::Crit, &message);
    Verdict::Error
}

fn until_nul(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

/// `Basic realm="REALM"`, the realm as it is (nginx escapes nothing).
fn challenge(realm: &[u8]) -> HeaderValue {
    let mut value = b"Basic realm=\"".to_vec();
    // Bytes a header value cannot carry are dropped rather than sent.
    value.extend(
        realm
            .iter()
            .filter(|&&b| b == b'\t' || (b >= 0x20 && b != 0x7f)),
    );
    value.push(b'"');
    HeaderValue::from_bytes(&value).unwrap_or_else(|_| HeaderValue::from_static("Basic"))
}

/// The stored hash of `user`, scanning the file as nginx's handler does:
/// a line is `user:hash[:anything]`; lines starting with `#` or CR are
/// skipped. nginx compares byte by byte as it reads, so a line that ends
/// early while matching the user also hides the line after it; that is
/// kept.
pub fn find_user<'d>(data: &'d [u8], user: &[u8]) -> Option<&'d [u8]> {
    enum State {
        Login,
        Password,
        Skip,
    }
    let mut state = State::Login;
    let mut login = 0;
    let mut password = 0;
    for (i, &b) in data.iter().enumerate() {
        match state {
            State::Login => {
                if login == 0 {
                    if b == b'#' || b == b'\r' {
                        state = State::Skip;
                        continue;
                    }
                    if b == b'\n' {
                        continue;
                    }
                }
                // The user is followed by its `:` in nginx's buffer.
                let expected = user.get(login).copied().unwrap_or(b':');
                if b != expected {
                    state = State::Skip;
                    continue;
                }
                if login == user.len() {
                    state = State::Password;
                    password = i + 1;
                }
                login += 1;
            }
            State::Password => {
                if b == b'\n' || b == b'\r' || b == b':' {
                    return Some(&data[password..i]);
                }
            }
            State::Skip => {
                if b == b'\n' {
                    state = State::Login;
                    login = 0;
                }
            }
        }
    }
    match state {
        State::Password => Some(&data[password..]),
        _ => None,
    }
}

/// `ngx_crypt`: the password hashed the way the stored value says; the
/// caller compares the result with the stored value.
pub fn crypt(key: &[u8], salt: &[u8]) -> Vec<u8> {
    if salt.starts_with(b"$apr1$") {
        apr1(key, salt)
    } else if salt.starts_with(b"{PLAIN}") {
        let mut out = b"{PLAIN}".to_vec();
        out.extend_from_slice(key);
        out
    } else if let Some(encoded) = salt.strip_prefix(b"{SSHA}") {
        ssha(key, encoded)
    } else if salt.starts_with(b"{SHA}") {
        let digest: [u8; 20] = Sha1::digest(key).into();
        let mut out = b"{SHA}".to_vec();
        out.extend_from_slice(
            base64::engine::general_purpose::STANDARD
                .encode(digest)
                .as_bytes(),
        );
        out
    } else {
        libc_crypt(key, salt)
    }
}

/// `{SSHA}`: base64(SHA1(password salt) salt), the salt being what follows
/// the 20 digest bytes of the stored value (none if it does not decode).
fn ssha(key: &[u8], encoded: &[u8]) -> Vec<u8> {
    let salt = match decode_base64(encoded) {
        Some(decoded) if decoded.len() >= 20 => decoded[20..].to_vec(),
        _ => Vec::new(),
    };
    let mut sha = Sha1::new();
    sha.update(key);
    sha.update(&salt);
    let mut raw: Vec<u8> = sha.finalize().to_vec();
    raw.extend_from_slice(&salt);
    let mut out = b"{SSHA}".to_vec();
    out.extend_from_slice(
        base64::engine::general_purpose::STANDARD
            .encode(raw)
            .as_bytes(),
    );
    out
}

/// Apache's `$apr1$`: md5-crypt with its own magic, as `ngx_crypt_apr1`
/// (the salt is at most 8 bytes, up to a `$`).
fn apr1(key: &[u8], salt: &[u8]) -> Vec<u8> {
    const MAGIC: &[u8] = b"$apr1$";
    let rest = &salt[MAGIC.len()..];
    let salt_len = rest
        .iter()
        .take(8)
        .position(|&b| b == b'$')
        .unwrap_or(rest.len().min(8));
    let salt = &rest[..salt_len];

    let mut md5 = Md5::new();
    md5.update(key);
    md5.update(MAGIC);
    md5.update(salt);

    let mut alternate = Md5::new();
    alternate.update(key);
    alternate.update(salt);
    alternate.update(key);
    let mut fin: [u8; 16] = alternate.finalize().into();

    let mut left = key.len();
    while left > 0 {
        md5.update(&fin[..left.min(16)]);
        left = left.saturating_sub(16);
    }
    fin = [0; 16];
    let mut bits = key.len();
    while bits > 0 {
        if bits & 1 == 1 {
            md5.update(&fin[..1]);
        } else {
            md5.update(&key[..1]);
        }
        bits >>= 1;
    }
    fin = md5.finalize().into();

    for round in 0..1000 {
        let mut ctx = Md5::new();
        if round & 1 == 1 {
            ctx.update(key);
        } else {
            ctx.update(fin);
        }
        if round % 3 != 0 {
            ctx.update(salt);
        }
        if round % 7 != 0 {
            ctx.update(key);
        }
        if round & 1 == 1 {
            ctx.update(fin);
        } else {
            ctx.update(key);
        }
        fin = ctx.finalize().into();
    }

    let mut out = MAGIC.to_vec();
    out.extend_from_slice(salt);
    out.push(b'$');
    let group = |a: usize, b: usize, c: usize| {
        (u32::from(fin[a]) << 16) | (u32::from(fin[b]) << 8) | u32::from(fin[c])
    };
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        to64(&mut out, group(a, b, c), 4);
    }
    to64(&mut out, u32::from(fin[11]), 2);
    out
}

/// crypt's base64: 6 bits at a time, low bits first.
fn to64(out: &mut Vec<u8>, mut value: u32, count: usize) {
    const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for _ in 0..count {
        out.push(ITOA64[(value & 0x3f) as usize]);
        value >>= 6;
    }
}

/// What Debian's crypt(3) (libxcrypt) gives. Where it cannot hash it
/// returns a "failure token" (`*0`, or `*1` for a setting starting with
/// `*0`) that never equals the setting; so does this.
fn libc_crypt(key: &[u8], salt: &[u8]) -> Vec<u8> {
    let failure = if salt.starts_with(b"*0") {
        b"*1".to_vec()
    } else {
        b"*0".to_vec()
    };
    let Ok(setting) = std::str::from_utf8(salt) else {
        return failure;
    };
    if setting.starts_with("$y$") {
        use yescrypt::password_hash::PasswordVerifier;
        // The verifier recomputes the hash from the setting's parameters
        // and salt and compares it with the setting's own.
        return match yescrypt::Yescrypt::default().verify_password(key, setting) {
            Ok(()) => salt.to_vec(),
            Err(_) => failure,
        };
    }
    if let Some(rest) = setting.strip_prefix("$2x$") {
        // `$2x$` is bcrypt with an old bug that only bytes >= 0x80 reach.
        if !key.is_ascii() {
            return failure;
        }
        return match pwhash::unix::crypt(key, &format!("$2a${rest}")) {
            Ok(hash) => format!("$2x${}", &hash[4..]).into_bytes(),
            Err(_) => failure,
        };
    }
    match pwhash::unix::crypt(key, setting) {
        Ok(hash) => hash.into_bytes(),
        Err(_) => failure,
    }
}

const MODULE: &str = "ngx_http_auth_basic_module";

pub static SPECS: &[crate::registry::Spec] = &[
    crate::registry::Spec {
        module: MODULE,
        name: "auth_basic",
        set: set_realm,
        note: "realm with variables; off",
    },
    crate::registry::Spec {
        module: MODULE,
        name: "auth_basic_user_file",
        set: set_user_file,
        note: "htpasswd: {PLAIN} {SHA} {SSHA} $apr1$ $1$ $5$ $6$ $2a/b/x/y$ $y$ DES _",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn header(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn credentials_as_nginx_reads_them() {
        let creds = |v: &str| credentials(&header(v));
        let pair = |u: &str, p: &str| Some((u.as_bytes().to_vec(), p.as_bytes().to_vec()));
        assert_eq!(creds("Basic dXNlcjpwYXNz"), pair("user", "pass"));
        assert_eq!(creds("basic   dXNlcjpwYXNz"), pair("user", "pass"));
        // Padding is optional and anything after the first `=` ignored.
        assert_eq!(creds("Basic dXNlcjpwYQ"), pair("user", "pa"));
        assert_eq!(creds("Basic dXNlcjpwYQ==junk!"), pair("user", "pa"));
        assert_eq!(creds("Basic dXNlcjpwYR"), pair("user", "pa"));
        assert_eq!(creds("Basic dXNlcjo="), pair("user", ""));
        assert_eq!(creds("Basic dXNlcjpwOmM="), pair("user", "p:c"));
        assert_eq!(creds("Basic OnBhc3M="), None); // ":pass"
        assert_eq!(creds("Basic dXNlcg=="), None); // no colon
        assert_eq!(creds("Basic "), None);
        assert_eq!(creds("Basic d"), None); // 1 mod 4
        assert_eq!(creds("Basic dXNl*3Bh"), None);
        assert_eq!(creds("Bearer dXNlcjpwYXNz"), None);
        assert_eq!(creds("Basic"), None);
    }

    #[test]
    fn the_user_file_scan_keeps_nginx_quirks() {
        let file = b"# users\nalice:{PLAIN}a\n\nbob:{PLAIN}b:comment\r\ncarol:{PLAIN}c";
        assert_eq!(find_user(file, b"alice"), Some(&b"{PLAIN}a"[..]));
        assert_eq!(find_user(file, b"bob"), Some(&b"{PLAIN}b"[..]));
        assert_eq!(find_user(file, b"carol"), Some(&b"{PLAIN}c"[..]));
        assert_eq!(find_user(file, b"al"), None);
        assert_eq!(find_user(file, b"# users"), None);
        assert_eq!(find_user(file, b"dave"), None);
        // A line that is the user without its colon hides the next line.
        assert_eq!(find_user(b"alice\nalice:x\n", b"alice"), None);
        assert_eq!(find_user(b"alicex\nalice:x\n", b"alice"), Some(&b"x"[..]));
        assert_eq!(find_user(b"alice:\n", b"alice"), Some(&b""[..]));
        assert_eq!(find_user(b" alice:x\n", b"alice"), None);
    }

    #[test]
    fn nginx_own_formats() {
        assert_eq!(crypt(b"secret", b"{PLAIN}whatever"), b"{PLAIN}secret");
        // printf pw | openssl dgst -sha1 -binary | base64
        assert_eq!(
            crypt(b"pw", b"{SHA}x"),
            b"{SHA}GpHWL3ymc5liWkNopqtdSjuqYHM="
        );
        // Apache's own example of an apr1 hash.
        let apache = b"$apr1$lZL6V/ci$eIMz/iKDkbtys/uU7LEK00";
        assert_eq!(crypt(b"password", apache), apache);
        assert_ne!(crypt(b"passwore", apache), apache);
        // A salt longer than 8 bytes is cut.
        assert!(crypt(b"pw", b"$apr1$123456789$x").starts_with(b"$apr1$12345678$"));
    }

    #[test]
    fn ssha_uses_the_salt_after_the_digest() {
        let salt = b"NaCl";
        let mut sha = Sha1::new();
        sha.update(b"pw");
        sha.update(salt);
        let mut raw = sha.finalize().to_vec();
        raw.extend_from_slice(salt);
        let stored = format!(
            "{{SSHA}}{}",
            base64::engine::general_purpose::STANDARD.encode(&raw)
        );
        assert_eq!(crypt(b"pw", stored.as_bytes()), stored.as_bytes());
        assert_ne!(crypt(b"px", stored.as_bytes()), stored.as_bytes());
        // Too short to hold a digest: no salt.
        assert_eq!(
            crypt(b"pw", b"{SSHA}AAAA"),
            crypt(b"pw", b"{SSHA}!not base64")
        );
    }

    #[test]
    fn system_crypt_formats() {
        // Values made by Debian's crypt(3) (perl -e 'print crypt(...)').
        let cases: [&[u8]; 7] = [
            b"$1$abcdefgh$G//4keteveJp0qb8z2DxG/",
            b"$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.",
            b"$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/",
            b"$2y$05$abcdefghijklmnopqrstuuWG29KuyeAicPCJODk1zjyGvyQUU2awu",
            b"abJnggxhB/yWI",
            b"_J9..abcdIPPmXD22F8s",
            b"$y$j9T$abcdefghijklmnop$7asOTx5b6Exfl3myM6K0pLBn.I2hsEvu7G0F7NMfaO.",
        ];
        for stored in cases {
            assert_eq!(
                crypt(b"password", stored),
                stored,
                "{}",
                String::from_utf8_lossy(stored)
            );
            assert_ne!(crypt(b"Password", stored), stored);
        }
        let x = b"$2x$05$abcdefghijklmnopqrstuuWG29KuyeAicPCJODk1zjyGvyQUU2awu";
        assert_eq!(crypt(b"password", x), x);
    }

    #[test]
    fn unknown_formats_never_match() {
        assert_eq!(crypt(b"pw", b""), b"*0");
        assert_eq!(crypt(b"pw", b"*0"), b"*1");
        assert_eq!(crypt(b"pw", b"$9$nothing"), b"*0");
        assert_eq!(crypt(b"pw", b"$2y$99$abcdefghijklmnopqrstuu"), b"*0");
        assert_eq!(crypt(b"pw", b"\xff\xfe"), b"*0");
    }

    #[test]
    fn realms_are_sent_as_they_are() {
        assert_eq!(challenge(b"Realm \"q\""), "Basic realm=\"Realm \"q\"\"");
        assert_eq!(challenge(b""), "Basic realm=\"\"");
        assert_eq!(challenge(b"a\nb"), "Basic realm=\"ab\"");
    }
}
