//! nginx's empty_gif module: a location that answers every GET and HEAD
//! with the smallest transparent GIF (43 bytes), as tracking-pixel
//! locations use it.

use crate::compile::{Compiler, Target};
use crate::http_core::request::{Ctx, OutBody, Outcome};
use crate::registry::Spec;
use crate::static_files::conditional::{self, ImsMode, Validators};
use bytes::Bytes;
use http::{HeaderValue, Method};
use rginx_conf::{ConfError, Directive};

/// A one-pixel transparent GIF89a: header, 1x1 screen with a two-colour
/// table, a graphic control extension marking colour 1 transparent, one
/// image of LZW code size 2 (clear, 1, end), trailer.
const EMPTY_GIF: [u8; 43] = [
    b'G', b'I', b'F', b'8', b'9', b'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x01, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x4c, 0x01, 0x00, 0x3b,
];

/// nginx's fixed `Last-Modified` for the image (Unix time 23349600).
const LAST_MODIFIED: &str = "Mon, 28 Sep 1970 06:00:00 GMT";
const LAST_MODIFIED_TIME: i64 = 23_349_600;

fn set_empty_gif(_: &mut Compiler, _: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let Target::Location(location) = t else {
        return Err(ConfError::bare("internal error: empty_gif out of place"));
    };
    // The location's content handler, as nginx sets clcf->handler: nested
    // locations do not inherit it.
    location.conf.empty_gif = true;
    Ok(())
}

/// Whether the location answers with the image.
pub fn handles(ctx: &Ctx<'_>) -> bool {
    ctx.location.is_some_and(|location| location.conf.empty_gif)
}

/// The image: GET and HEAD only.
pub fn content(ctx: &Ctx<'_>) -> Outcome {
    if ctx.method != Method::GET && ctx.method != Method::HEAD {
        return Outcome::status(405, ctx.loc_conf());
    }
    // nginx's not-modified filter sees the image's Last-Modified as any
    // other response's.
    let verdict = conditional::check(
        &ctx.parts.headers,
        ctx.loc_conf()
            .static_files
            .if_modified_since
            .unwrap_or(ImsMode::Exact),
        &Validators {
            last_modified: Some(LAST_MODIFIED_TIME),
            etag: None,
        },
    );
    let last_modified = Some(HeaderValue::from_static(LAST_MODIFIED));
    if let Some(answer) = conditional::answer(verdict, ctx.loc_conf(), &last_modified, None) {
        return answer;
    }
    let mut outcome = Outcome::with_body(
        200,
        ctx.loc_conf(),
        OutBody::Full(Bytes::from_static(&EMPTY_GIF)),
        Some("image/gif".to_string()),
    );
    outcome.last_modified = last_modified;
    outcome
}

pub static SPECS: &[Spec] = &[Spec {
    module: "ngx_http_empty_gif_module",
    name: "empty_gif",
    set: set_empty_gif,
    note: "the 43-byte transparent GIF, with nginx's headers",
}];

#[cfg(test)]
mod tests {
    #[test]
    fn the_image_is_nginxs_43_bytes() {
        let gif = super::EMPTY_GIF;
        assert_eq!(gif.len(), 43);
        assert!(gif.starts_with(b"GIF89a"));
        assert_eq!(gif[42], b';');
        assert_eq!(
            crate::static_files::file::http_time(super::LAST_MODIFIED_TIME),
            super::LAST_MODIFIED
        );
    }
}
