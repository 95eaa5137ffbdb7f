//! Background batches for the app (bands, gallery previews) and the lab
//! (replications, sweeps): one worker thread, polled from the UI thread,
//! with progress, remaining time and cancel.
//!
//! Owns: the thread handle and the shared counters. The UI thread never
//! waits on the worker; it asks [`Job::try_finish`] each frame. Dropping a
//! job asks its worker to stop and lets it wind down on its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::runner::BatchError;

/// How far a background batch has come.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Simulations finished.
    pub done: usize,
    /// Simulations in the batch.
    pub total: usize,
    /// Wall time since the start.
    pub elapsed: Duration,
    /// Estimated wall time left (once something has finished).
    pub remaining: Option<Duration>,
    /// Cancel was pressed and the workers are stopping.
    pub cancelling: bool,
}

impl Progress {
    /// Share done, 0–1.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64) as f32
        }
    }

    /// A line for a progress bar: "12 / 40 runs, about 8 s left".
    pub fn describe(&self) -> String {
        let mut s = format!("{} / {} runs", self.done, self.total);
        if self.cancelling {
            s.push_str(", stopping…");
        } else if let Some(r) = self.remaining {
            s.push_str(&format!(
                ", about {} left",
                crate::format::duration(r.as_secs_f64())
            ));
        } else {
            s.push_str(", estimating time left…");
        }
        s
    }
}

/// A worker thread could not be started.
#[derive(Debug, thiserror::Error)]
#[error("could not start a worker thread: {0}")]
pub struct SpawnError(#[source] std::io::Error);

/// The message, for views that show errors as text.
impl From<SpawnError> for String {
    fn from(e: SpawnError) -> Self {
        e.to_string()
    }
}

/// How a background batch ended.
#[derive(Debug)]
pub(crate) enum JobEnd<T> {
    /// Every simulation ran.
    Done(T, Duration),
    /// Cancel was pressed; nothing is kept.
    Cancelled,
    /// The batch could not run, or a worker panicked.
    Failed(String),
}

/// A batch running on a worker thread.
#[derive(Debug)]
pub(crate) struct Job<T> {
    handle: Option<JoinHandle<Result<T, BatchError>>>,
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    total: usize,
    started: Instant,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work(done, cancel)` on a new thread. `total` is the number of
    /// simulations `work` will count in `done`.
    pub(crate) fn spawn<F>(name: &str, total: usize, work: F) -> Result<Self, SpawnError>
    where
        F: FnOnce(&AtomicUsize, &AtomicBool) -> Result<T, BatchError> + Send + 'static,
    {
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (d, c) = (Arc::clone(&done), Arc::clone(&cancel));
        let handle = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || work(&d, &c))
            .map_err(SpawnError)?;
        Ok(Self {
            handle: Some(handle),
            done,
            cancel,
            total,
            started: Instant::now(),
        })
    }
}

impl<T> Job<T> {
    /// Progress so far.
    pub(crate) fn progress(&self) -> Progress {
        let done = self.done.load(Ordering::Relaxed).min(self.total);
        let elapsed = self.started.elapsed();
        let remaining =
            (done > 0).then(|| elapsed.mul_f64((self.total - done) as f64 / done as f64));
        Progress {
            done,
            total: self.total,
            elapsed,
            remaining,
            cancelling: self.cancel.load(Ordering::Relaxed),
        }
    }

    /// Asks the workers to stop; [`Self::try_finish`] reports the end.
    pub(crate) fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome, if the worker has finished; never blocks on a running one.
    pub(crate) fn try_finish(&mut self) -> Option<JobEnd<T>> {
        if !self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let handle = self.handle.take()?;
        let elapsed = self.started.elapsed();
        Some(match handle.join() {
            Ok(Ok(value)) if !self.cancel.load(Ordering::Relaxed) => JobEnd::Done(value, elapsed),
            Ok(Ok(_)) | Ok(Err(BatchError::Cancelled)) => JobEnd::Cancelled,
            Ok(Err(e)) => JobEnd::Failed(e.to_string()),
            Err(panic) => JobEnd::Failed(format!(
                "a worker stopped unexpectedly: {}",
                panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".into())
            )),
        })
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        // Stop the workers without waiting for them: the UI must not block.
        self.cancel.store(true, Ordering::Relaxed);
    }
}
