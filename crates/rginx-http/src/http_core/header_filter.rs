//! nginx's header filter decisions made once a response is known: the
//! browser quirks (keep-alive, MSIE/Chrome padding), keep-alive, the
//! absolute `Location`, and the request-body size check.

use super::request::{Ctx, Outcome};
use http::{HeaderValue, Method, Version};
use memchr::memmem::Finder;
use std::sync::LazyLock;

/// What nginx's `ngx_http_process_user_agent` makes of the User-Agent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Browser {
    pub msie: bool,
    pub msie6: bool,
    pub chrome: bool,
    pub safari: bool,
}

/// The User-Agent's marks, each searched with memchr's vectorised
/// substring search (a browser's User-Agent is over a hundred bytes, and a
/// byte-by-byte search for six marks cost thousands of instructions per
/// request).
struct Marks {
    msie: Finder<'static>,
    sv1: Finder<'static>,
    opera: Finder<'static>,
    gecko: Finder<'static>,
    chrome: Finder<'static>,
    safari: Finder<'static>,
    mac_os_x: Finder<'static>,
}

static MARKS: LazyLock<Marks> = LazyLock::new(|| Marks {
    msie: Finder::new(b"MSIE "),
    sv1: Finder::new(b"SV1"),
    opera: Finder::new(b"Opera"),
    gecko: Finder::new(b"Gecko/"),
    chrome: Finder::new(b"Chrome/"),
    safari: Finder::new(b"Safari/"),
    mac_os_x: Finder::new(b"Mac OS X"),
});

impl Browser {
    pub fn of(user_agent: &[u8]) -> Browser {
        let marks = &*MARKS;
        let has = |finder: &Finder<'_>| finder.find(user_agent).is_some();
        let mut browser = Browser::default();
        if let Some(at) = marks.msie.find(user_agent)
            && at + 7 < user_agent.len()
        {
            browser.msie = true;
            if user_agent[at + 6] == b'.' {
                match user_agent[at + 5] {
                    b'4' | b'5' => browser.msie6 = true,
                    b'6' => browser.msie6 = marks.sv1.find(&user_agent[at + 8..]).is_none(),
                    _ => {}
                }
            }
        }
        if has(&marks.opera) {
            return Browser::default();
        }
        if !browser.msie && !has(&marks.gecko) {
            if has(&marks.chrome) {
                browser.chrome = true;
            } else if has(&marks.safari) && has(&marks.mac_os_x) {
                browser.safari = true;
            }
        }
        browser
    }
}

impl Ctx<'_> {
    pub fn browser(&self) -> Browser {
        Browser::of(
            super::headers_in::first(&self.parts.headers, &http::header::USER_AGENT)
                .unwrap_or_default(),
        )
    }
}

/// nginx's keep-alive decision (`ngx_http_update_location_config` and the
/// header filter): keep the connection unless the client, the limits or the
/// browser quirks say otherwise.
pub fn keepalive(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    let client = &ctx.loc_conf().client;
    if !ctx.location_searched {
        // Answered before the location was searched (a server-level
        // `return`): nginx's limits were never checked, the header says
        // keep-alive, but `keepalive_timeout 0` still closes after it.
        if !ctx.head.keep_alive {
            outcome.close = true;
        } else if client.keepalive_timeout().is_zero() {
            outcome.close_after = true;
        }
        if !outcome.close
            && let Some(Some(header)) = client.keepalive_header
        {
            outcome.keepalive_header = Some(header.as_secs());
        }
        return;
    }
    let browser = ctx.browser();
    let (no_msie6, no_safari) = client.keepalive_disable.unwrap_or((true, false));
    if !ctx.head.keep_alive
        || client.keepalive_timeout().is_zero()
        || ctx.connection_requests >= client.keepalive_requests()
        || (no_msie6 && browser.msie6 && ctx.method == Method::POST)
        || (no_safari && browser.safari)
    {
        outcome.close = true;
    }
    if !outcome.close
        && let Some(Some(header)) = client.keepalive_header
    {
        outcome.keepalive_header = Some(header.as_secs());
    }
}

/// nginx pads its 4xx/5xx pages for MSIE and Chrome (`msie_padding`), so
/// they show the server's page instead of their own.
pub fn msie_padding(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    let browser = ctx.browser();
    outcome.msie_padding = outcome.body.is_none()
        && outcome.status >= 400
        && ctx.loc_conf().msie_padding.unwrap_or(true)
        && (browser.msie || browser.chrome)
        && ctx.head.version != Version::HTTP_09;
}

/// nginx's check after the location is found: a declared body over
/// `client_max_body_size` is refused with 413.
pub fn body_too_large(ctx: &Ctx<'_>) -> bool {
    let limit = ctx.loc_conf().client.client_max_body_size();
    if limit == 0 {
        return false;
    }
    let declared = super::headers_in::get(&ctx.parts.headers, &http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(length) if length > limit => {
            crate::log::error(
                ctx,
                crate::core_main::LogLevel::Error,
                &format!("client intended to send too large body: {length} bytes"),
            );
            true
        }
        _ => false,
    }
}

/// nginx's header filter for `Location`: a relative redirect becomes
/// absolute (`absolute_redirect`, `server_name_in_redirect`,
/// `port_in_redirect`).
pub fn absolute_location(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    let Some(location) = &outcome.location else {
        return;
    };
    let conf = ctx.loc_conf();
    if location.as_bytes().first() != Some(&b'/') {
        // nginx writes a Location it did not rewrite in the general header
        // list, after Connection.
        if let Some(location) = outcome.location.take() {
            outcome
                .headers
                .insert(0, (http::header::LOCATION, location));
        }
        return;
    }
    if !conf.absolute_redirect.unwrap_or(true) {
        // Not rewritten either: it stays in the general list, after
        // Connection.
        if let Some(location) = outcome.location.take() {
            outcome
                .headers
                .insert(0, (http::header::LOCATION, location));
        }
        return;
    }
    let host: Vec<u8> = if conf.server_name_in_redirect.unwrap_or(false) {
        ctx.server.primary_name().to_vec()
    } else if let Some(host) = &ctx.host {
        host.clone()
    } else {
        ctx.conn
            .local
            .map(|local| local.ip().to_string().into_bytes())
            .unwrap_or_default()
    };
    // A TLS connection's redirects are https, without its default port.
    let tls = ctx.conn.tls.is_some();
    let (scheme, default_port): (&[u8], u16) = if tls {
        (b"https://", 443)
    } else {
        (b"http://", 80)
    };
    let mut absolute = scheme.to_vec();
    absolute.extend_from_slice(&host);
    if conf.port_in_redirect.unwrap_or(true)
        && let Some(local) = ctx.conn.local
        && local.port() != default_port
    {
        absolute.extend_from_slice(format!(":{}", local.port()).as_bytes());
    }
    absolute.extend_from_slice(location.as_bytes());
    outcome.location = HeaderValue::from_bytes(&absolute).ok();
}

/// nginx's header and range filters: `Last-Modified` only on 200, 206 and
/// 304; `Accept-Ranges` only on 200 (an error page served from a file by
/// `error_page` has neither).
pub fn status_headers(outcome: &mut Outcome) {
    if !matches!(outcome.status, 200 | 206 | 304) {
        outcome.last_modified = None;
    }
    if outcome.status != 200 {
        outcome
            .headers
            .retain(|(name, _)| *name != http::header::ACCEPT_RANGES);
    }
}

/// Puts nginx's built-in page (and its padding) into a response that has
/// no body of its own, so the log phase counts the bytes sent.
pub fn builtin_page(outcome: &mut Outcome) {
    if outcome.body.is_some() || outcome.abort {
        return;
    }
    match super::special_response::error_page(outcome.status, outcome.server_tokens) {
        Some(mut page) => {
            if outcome.msie_padding {
                page.push_str(super::special_response::MSIE_PADDING);
            }
            outcome.content_type = Some("text/html".to_string());
            outcome.body = Some(super::request::OutBody::Full(bytes::Bytes::from(page)));
            outcome.special_response = true;
        }
        // nginx answers a status it has no page for with an empty body.
        None if outcome.status >= 300 && outcome.status != 304 => {
            outcome.body = Some(super::request::OutBody::Full(bytes::Bytes::new()));
            outcome.special_response = true;
        }
        None => {}
    }
}

/// What the log phase sees of a response: its status, every header as it
/// goes out (only when some `$sent_http_*` variable can ask for them:
/// copying them for nothing showed in profiles), and the bytes
/// (`$body_bytes_sent`, `$bytes_sent`) it carries.
pub fn response_info(outcome: &Outcome, with_headers: bool) -> super::request::ResponseInfo {
    use crate::serve::answer::{KEEP_ALIVE, Line};
    use http::header;
    let status = super::special_response::wire_status(outcome.status);
    let length = outcome
        .body
        .as_ref()
        .and_then(super::request::OutBody::known_len);
    let fixed = [
        outcome
            .content_type
            .as_deref()
            .filter(|t| t.bytes().all(|b| b == b'\t' || (32..127).contains(&b)))
            .map(|t| (&header::CONTENT_TYPE, Line::Text(t))),
        length.map(|n| (&header::CONTENT_LENGTH, Line::Number(n))),
        outcome
            .last_modified
            .as_ref()
            .map(|v| (&header::LAST_MODIFIED, Line::Value(v))),
        outcome
            .location
            .as_ref()
            .map(|v| (&header::LOCATION, Line::Value(v))),
        Some((
            &header::CONNECTION,
            Line::Static(if outcome.close { "close" } else { "keep-alive" }),
        )),
        outcome
            .keepalive_header
            .map(|n| (&KEEP_ALIVE, Line::Timeout(n))),
    ];
    let lines = fixed.into_iter().flatten().chain(
        outcome
            .headers
            .iter()
            .map(|(name, value)| (name, Line::Value(value))),
    );
    // The head as written: status line, Server and Date, the headers, and
    // the blank line.
    let reason = super::special_response::reason_phrase(status).unwrap_or("");
    let server = if outcome.server_tokens {
        super::special_response::RGINX_VER.len()
    } else {
        "rginx".len()
    };
    let mut head = "HTTP/1.1 000 \r\n".len() + reason.len();
    head += "Server: \r\n".len() + server;
    head += "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n".len();
    let mut headers = Vec::new();
    for (name, line) in lines {
        head += name.as_str().len() + 2 + line.wire_len() + 2;
        if with_headers && let Some(value) = line.to_value() {
            headers.push((name.clone(), value));
        }
    }
    head += 2;
    let body_bytes = if outcome.head_only {
        0
    } else {
        length.unwrap_or(0)
    };
    super::request::ResponseInfo {
        status,
        headers,
        body_bytes,
        bytes: head as u64 + body_bytes,
        complete: true,
    }
}

#[cfg(test)]
mod browser_tests {
    use super::Browser;

    fn browser(msie: bool, msie6: bool, chrome: bool, safari: bool) -> Browser {
        Browser {
            msie,
            msie6,
            chrome,
            safari,
        }
    }

    #[test]
    fn user_agents_read_as_nginx_reads_them() {
        let cases: &[(&[u8], Browser)] = &[
            (
                b"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
                browser(true, true, false, false),
            ),
            (
                b"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)",
                browser(true, false, false, false),
            ),
            (
                b"Mozilla/4.0 (compatible; MSIE 5.5; Windows 98)",
                browser(true, true, false, false),
            ),
            (
                b"Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)",
                browser(true, false, false, false),
            ),
            // Too short after the mark to be read as MSIE.
            (b"x MSIE 6.", browser(false, false, false, false)),
            (b"x MSIE 6.0", browser(true, true, false, false)),
            (
                b"Opera/9.80 (Windows NT 6.1; U; MSIE 6.0; en) Presto/2.10",
                browser(false, false, false, false),
            ),
            (
                b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                browser(false, false, true, false),
            ),
            (
                b"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                browser(false, false, false, false),
            ),
            (
                b"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
                browser(false, false, false, true),
            ),
            (
                b"Mozilla/5.0 (Windows NT 10.0) AppleWebKit/533.20 (KHTML, like Gecko) Version/5.0 Safari/533.20",
                browser(false, false, false, false),
            ),
            (b"", browser(false, false, false, false)),
        ];
        for (agent, expected) in cases {
            assert_eq!(
                Browser::of(agent),
                *expected,
                "{}",
                String::from_utf8_lossy(agent)
            );
        }
    }
}
