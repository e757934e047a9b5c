//! nginx's status lines and built-in error pages, byte for byte, except that
//! the page's signature says rginx.

/// The reason phrase nginx writes in its status line (`302 Moved
/// Temporarily`, `408 Request Time-out`); `None` where nginx writes the bare
/// code.
pub fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Time-out",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Large",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        421 => "Misdirected Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        _ => return None,
    })
}

/// The title and heading of nginx's page for a status, where it has one.
/// nginx's special 4xx (494-497) pages answer with 400 and a second line.
fn page_title(status: u16) -> Option<(&'static str, Option<&'static str>)> {
    Some(match status {
        301 => ("301 Moved Permanently", None),
        302 => ("302 Found", None),
        303 => ("303 See Other", None),
        307 => ("307 Temporary Redirect", None),
        308 => ("308 Permanent Redirect", None),
        400 => ("400 Bad Request", None),
        401 => ("401 Authorization Required", None),
        402 => ("402 Payment Required", None),
        403 => ("403 Forbidden", None),
        404 => ("404 Not Found", None),
        405 => ("405 Not Allowed", None),
        406 => ("406 Not Acceptable", None),
        408 => ("408 Request Time-out", None),
        409 => ("409 Conflict", None),
        410 => ("410 Gone", None),
        411 => ("411 Length Required", None),
        412 => ("412 Precondition Failed", None),
        413 => ("413 Request Entity Too Large", None),
        414 => ("414 Request-URI Too Large", None),
        415 => ("415 Unsupported Media Type", None),
        416 => ("416 Requested Range Not Satisfiable", None),
        421 => ("421 Misdirected Request", None),
        429 => ("429 Too Many Requests", None),
        494 => (
            "400 Request Header Or Cookie Too Large",
            Some("Request Header Or Cookie Too Large"),
        ),
        495 => (
            "400 The SSL certificate error",
            Some("The SSL certificate error"),
        ),
        496 => (
            "400 No required SSL certificate was sent",
            Some("No required SSL certificate was sent"),
        ),
        497 => (
            "400 The plain HTTP request was sent to HTTPS port",
            Some("The plain HTTP request was sent to HTTPS port"),
        ),
        500 => ("500 Internal Server Error", None),
        501 => ("501 Not Implemented", None),
        502 => ("502 Bad Gateway", None),
        503 => ("503 Service Temporarily Unavailable", None),
        504 => ("504 Gateway Time-out", None),
        505 => ("505 HTTP Version Not Supported", None),
        507 => ("507 Insufficient Storage", None),
        _ => return None,
    })
}

/// The status nginx sends for one of its internal codes (494-497 -> 400).
pub fn wire_status(status: u16) -> u16 {
    match status {
        494..=497 => 400,
        other => other,
    }
}

/// rginx's version string for `Server:` and page signatures.
pub const RGINX_VER: &str = concat!("rginx/", env!("CARGO_PKG_VERSION"));

/// nginx's MSIE/Chrome padding, sent after error pages to such browsers so
/// they show the page instead of their own.
pub const MSIE_PADDING: &str = "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n\
<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n\
<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n\
<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n\
<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n\
<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";

/// The built-in page for `status`, or `None` when nginx sends no body.
/// `tokens`: `server_tokens on` puts the version in the signature.
pub fn error_page(status: u16, tokens: bool) -> Option<String> {
    let (title, detail) = page_title(status)?;
    let heading = if detail.is_some() {
        "400 Bad Request"
    } else {
        title
    };
    let mut page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{heading}</h1></center>\r\n"
    );
    if let Some(detail) = detail {
        page.push_str(&format!("<center>{detail}</center>\r\n"));
    }
    let signature = if tokens { RGINX_VER } else { "rginx" };
    page.push_str(&format!(
        "<hr><center>{signature}</center>\r\n</body>\r\n</html>\r\n"
    ));
    Some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_404_page_is_nginxs_with_rginx_signature() {
        assert_eq!(
            error_page(404, false).unwrap(),
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n\
             <center><h1>404 Not Found</h1></center>\r\n<hr><center>rginx</center>\r\n\
             </body>\r\n</html>\r\n"
        );
    }

    #[test]
    fn special_400s_carry_a_second_line() {
        let page = error_page(497, false).unwrap();
        assert!(
            page.contains("<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP")
        );
        assert_eq!(wire_status(497), 400);
    }

    #[test]
    fn status_line_reasons_are_nginxs_not_rfcs() {
        assert_eq!(reason_phrase(302), Some("Moved Temporarily"));
        assert_eq!(reason_phrase(503), Some("Service Temporarily Unavailable"));
        assert_eq!(reason_phrase(418), None);
    }
}
