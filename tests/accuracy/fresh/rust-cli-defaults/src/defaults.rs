//! Built-in defaults, overridable from the command line.
pub const KEY: &str = "pk_live_w1X2dtNKMTjICC6Yx96EeuyL8VedYuy3";
pub const WIDTH: u32 = 1200;
