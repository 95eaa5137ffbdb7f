//! Capturing the window as a PNG: the one helper behind the app's
//! `--screenshot` mode and the examples' pictures.
//!
//! A [`Capture`] is polled once per frame after the picture is ready: it
//! lets the plots settle on their bounds for a few frames, asks the renderer
//! for the frame, waits for it (at most [`WAIT`]) and writes it atomically.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use eframe::egui;

/// Longest wait for the renderer to hand over a requested frame.
pub const WAIT: Duration = Duration::from_secs(30);

/// Why a screenshot could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum ScreenshotError {
    /// The renderer did not answer within [`WAIT`].
    #[error("the renderer returned no screenshot within {} s", WAIT.as_secs())]
    Timeout,
    /// The renderer dropped the request.
    #[error("the renderer dropped the screenshot request")]
    Dropped,
    /// The pixels could not be encoded.
    #[error("could not encode the PNG: {0}")]
    Encode(#[from] image::ImageError),
    /// The file could not be written.
    #[error("cannot write: {source}: {}", path.display())]
    Write {
        /// Where it was to go.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
}

/// A screenshot in progress.
#[derive(Debug)]
pub struct Capture {
    path: PathBuf,
    settle_frames: u32,
    rx: Option<mpsc::Receiver<Arc<egui::ColorImage>>>,
    asked: Option<Instant>,
}

impl Capture {
    /// A screenshot to `path`, taken after `settle_frames` ready frames.
    pub fn new(path: PathBuf, settle_frames: u32) -> Self {
        Self {
            path,
            settle_frames,
            rx: None,
            asked: None,
        }
    }

    /// Where the picture goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Call once per frame when what should be pictured is ready (keep the
    /// window repainting). Returns the outcome once the file is written or
    /// the capture failed; `None` while it is still under way.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<Result<PathBuf, ScreenshotError>> {
        if self.settle_frames > 0 {
            self.settle_frames -= 1;
            return None;
        }
        let Some(rx) = &self.rx else {
            let (tx, rx) = mpsc::channel();
            ctx.request_screenshot(move |image| {
                let _ = tx.send(image);
            });
            self.rx = Some(rx);
            self.asked = Some(Instant::now());
            return None;
        };
        match rx.try_recv() {
            Ok(image) => Some(save_png(&self.path, &image).map(|()| self.path.clone())),
            Err(mpsc::TryRecvError::Empty) => {
                let waited = self.asked.map_or(Duration::ZERO, |t| t.elapsed());
                (waited > WAIT).then_some(Err(ScreenshotError::Timeout))
            }
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(ScreenshotError::Dropped)),
        }
    }
}

/// Writes `image` to `path` as PNG, atomically.
pub fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), ScreenshotError> {
    use image::ImageEncoder as _;
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png).write_image(
        &bytes,
        w as u32,
        h as u32,
        image::ExtendedColorType::Rgba8,
    )?;
    crate::io::atomic_write(path, &png).map_err(|source| ScreenshotError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_is_written_as_png() {
        let dir = std::env::temp_dir().join(format!("ixsim-shot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.png");
        let image = egui::ColorImage::new([3, 2], vec![egui::Color32::RED; 6]);
        save_png(&path, &image).unwrap();
        let back = image::open(&path).unwrap().to_rgba8();
        assert_eq!(back.dimensions(), (3, 2));
        assert_eq!(back.get_pixel(2, 1).0, [255, 0, 0, 255]);
        let missing = dir.join("no-such-dir").join("p.png");
        assert!(matches!(
            save_png(&missing, &image),
            Err(ScreenshotError::Write { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
