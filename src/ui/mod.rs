//! The shared floor under every view: what the app, the lab and the world
//! views draw with, depending on no view and on no part of the app.
//!
//! - [`theme`]: light and dark visuals, presentation mode, fonts, and the one
//!   palette (layer colours, status colours, the world views' colours);
//! - [`plot`]: decimation, round grid marks and tick labels, trailing means;
//! - [`params`]: the one parameter widget, generated from a parameter's spec;
//! - [`playback`]: the per-frame budget and the loop that steps runs in it;
//! - [`screenshot`]: capturing the window as a PNG;
//! - [`shell`]: the two-pane layout of the lab views.
//!
//! Dependencies run one way: `sim ← scenario ← batch ← ui ← {lab,
//! worldview} ← app`.

pub mod params;
pub mod playback;
pub mod plot;
pub mod screenshot;
pub mod shell;
pub mod theme;
