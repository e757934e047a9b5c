//! nginx's `ngx_command_t.type` bits, under nginx's own names, so the table of
//! nginx's directives can be transcribed from nginx's source and checked by eye.
//!
//! The context bits overlap between module kinds (an event module's
//! `NGX_EVENT_CONF` is the same bit as an http module's `NGX_HTTP_MAIN_CONF`),
//! exactly as in nginx: a bit means something only together with the kind of
//! module that declares it ([`ModuleKind`]).
#![allow(missing_docs)]

// Arity.
pub const NGX_CONF_NOARGS: u32 = 0x0000_0001;
pub const NGX_CONF_TAKE1: u32 = 0x0000_0002;
pub const NGX_CONF_TAKE2: u32 = 0x0000_0004;
pub const NGX_CONF_TAKE3: u32 = 0x0000_0008;
pub const NGX_CONF_TAKE4: u32 = 0x0000_0010;
pub const NGX_CONF_TAKE5: u32 = 0x0000_0020;
pub const NGX_CONF_TAKE6: u32 = 0x0000_0040;
pub const NGX_CONF_TAKE7: u32 = 0x0000_0080;
pub const NGX_CONF_MAX_ARGS: usize = 8;
pub const NGX_CONF_TAKE12: u32 = NGX_CONF_TAKE1 | NGX_CONF_TAKE2;
pub const NGX_CONF_TAKE13: u32 = NGX_CONF_TAKE1 | NGX_CONF_TAKE3;
pub const NGX_CONF_TAKE23: u32 = NGX_CONF_TAKE2 | NGX_CONF_TAKE3;
pub const NGX_CONF_TAKE123: u32 = NGX_CONF_TAKE1 | NGX_CONF_TAKE2 | NGX_CONF_TAKE3;
pub const NGX_CONF_TAKE1234: u32 =
    NGX_CONF_TAKE1 | NGX_CONF_TAKE2 | NGX_CONF_TAKE3 | NGX_CONF_TAKE4;
pub const NGX_CONF_ARGS_NUMBER: u32 = 0x0000_00ff;
pub const NGX_CONF_BLOCK: u32 = 0x0000_0100;
pub const NGX_CONF_FLAG: u32 = 0x0000_0200;
pub const NGX_CONF_ANY: u32 = 0x0000_0400;
pub const NGX_CONF_1MORE: u32 = 0x0000_0800;
pub const NGX_CONF_2MORE: u32 = 0x0000_1000;

// Core (main) contexts.
pub const NGX_DIRECT_CONF: u32 = 0x0001_0000;
pub const NGX_MAIN_CONF: u32 = 0x0100_0000;
pub const NGX_ANY_CONF: u32 = 0xFF00_0000;

// Event module contexts.
pub const NGX_EVENT_CONF: u32 = 0x0200_0000;

// HTTP module contexts.
pub const NGX_HTTP_MAIN_CONF: u32 = 0x0200_0000;
pub const NGX_HTTP_SRV_CONF: u32 = 0x0400_0000;
pub const NGX_HTTP_LOC_CONF: u32 = 0x0800_0000;
pub const NGX_HTTP_UPS_CONF: u32 = 0x1000_0000;
pub const NGX_HTTP_SIF_CONF: u32 = 0x2000_0000;
pub const NGX_HTTP_LIF_CONF: u32 = 0x4000_0000;
pub const NGX_HTTP_LMT_CONF: u32 = 0x8000_0000;

// Mail module contexts.
pub const NGX_MAIL_MAIN_CONF: u32 = 0x0200_0000;
pub const NGX_MAIL_SRV_CONF: u32 = 0x0400_0000;

// Stream module contexts.
pub const NGX_STREAM_MAIN_CONF: u32 = 0x0200_0000;
pub const NGX_STREAM_SRV_CONF: u32 = 0x0400_0000;
pub const NGX_STREAM_UPS_CONF: u32 = 0x0800_0000;

/// The kind of nginx module that declares a directive (`NGX_CORE_MODULE`,
/// `NGX_EVENT_MODULE`, ...): it gives the context bits their meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModuleKind {
    /// `ngx_conf_module` (`include`): usable in every context.
    Conf,
    Core,
    Event,
    Http,
    Mail,
    Stream,
}
