//! Every directive of nginx 1.22 (placeholder; filled by the table transcription).
use crate::nginx_flags::*;

/// One directive as nginx declares it.
#[derive(Clone, Copy, Debug)]
pub struct KnownDirective {
    pub name: &'static str,
    pub module: &'static str,
    pub kind: ModuleKind,
    pub flags: u32,
}

pub static NGINX_DIRECTIVES: &[KnownDirective] = &[KnownDirective {
    name: "worker_processes",
    module: "ngx_core_module",
    kind: ModuleKind::Core,
    flags: NGX_MAIN_CONF | NGX_DIRECT_CONF | NGX_CONF_TAKE1,
}];
