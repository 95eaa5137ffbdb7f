//! Writing output files so that a failure never leaves a partial file
//! behind, and nothing but the named file is touched.
//!
//! A regular file (or a new one) is replaced atomically: the bytes go to a
//! temporary file created beside it with a random name and `O_EXCL` (so a
//! planted file or symlink cannot be hijacked), with the old file's mode,
//! and are renamed over it once flushed to disk. A symlink is followed and
//! the file it names is replaced. Devices, FIFOs, sockets and standard
//! streams (`/dev/stdout`, `/dev/fd/N`, `/proc/…`) are written through, never
//! replaced. A read-only file is refused unless [`Replace::ReadOnlyToo`].
//! Writing stops with [`std::io::ErrorKind::Interrupted`] once [`stop`] has
//! been requested (SIGINT/SIGTERM in the command line); the temporary file
//! is then removed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once the process is asked to stop; checked between writes and, in
/// batches, between days.
static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every write in progress to stop (a signal handler calls it).
pub fn stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// The stop flag, for batches that check it between days.
pub fn stop_flag() -> &'static AtomicBool {
    &STOP
}

/// Whether an existing read-only file may be replaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Replace {
    /// Refuse to replace a read-only file (the default).
    #[default]
    WritableOnly,
    /// Replace it anyway (`--force`).
    ReadOnlyToo,
}

/// Most symlinks followed from the path given.
const MAX_LINKS: usize = 40;

/// Where the bytes go.
#[derive(Debug)]
enum Target {
    /// Replace this regular file (or create it), keeping `mode` if it existed.
    Replace(PathBuf, Option<fs::Metadata>),
    /// Write into this special file or stream as it is.
    Through(PathBuf),
}

/// Standard streams and process file descriptors: written through even when
/// they lead to a regular file (replacing it would cut the shell's
/// redirection off).
fn is_stream(p: &Path) -> bool {
    p.starts_with("/proc")
        || p.starts_with("/dev/fd")
        || ["/dev/stdout", "/dev/stderr", "/dev/stdin"]
            .iter()
            .any(|s| p == Path::new(s))
}

/// Follows symlinks from `path` to what the bytes should go to.
fn resolve(path: &Path) -> io::Result<Target> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_stream(&p) {
            return Ok(Target::Through(p));
        }
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = if to.is_absolute() {
                    to
                } else {
                    p.parent().unwrap_or(Path::new(".")).join(to)
                };
            }
            Ok(m) if m.is_file() => return Ok(Target::Replace(p, Some(m))),
            Ok(m) if m.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a directory",
                ));
            }
            Ok(_) => return Ok(Target::Through(p)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Replace(p, None)),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symlinks to follow"
    )))
}

/// A writer that fails once a stop is requested.
struct Stoppable<W>(W);

impl<W: Write> Write for Stoppable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if STOP.load(Ordering::Relaxed) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Writes `bytes` to `path` (see the module's doc).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// Streams `write` into `path` (see the module's doc), refusing to replace a
/// read-only file.
pub fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_file(path, Replace::WritableOnly, write)
}

/// Streams `write` into `path`: a regular file is replaced only when `write`
/// and the flush to disk succeed (otherwise the temporary file is removed
/// and the target left as it was); a special file is written through.
pub fn write_file(
    path: &Path,
    replace: Replace,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if path.file_name().is_none() {
        return Err(io::Error::other("the path names no file"));
    }
    match resolve(path)? {
        Target::Through(p) => {
            let is_file = fs::metadata(&p).is_ok_and(|m| m.is_file());
            let file = OpenOptions::new().write(true).truncate(is_file).open(&p)?;
            let mut w = io::BufWriter::new(Stoppable(file));
            write(&mut w)?;
            w.flush()
        }
        Target::Replace(p, existing) => {
            if let Some(m) = &existing
                && m.permissions().readonly()
                && replace == Replace::WritableOnly
            {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "the file is read-only and was left as it is",
                ));
            }
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            // A short random name, whatever the target's length: O_EXCL, so
            // nothing planted there is followed or overwritten.
            let mut builder = tempfile::Builder::new();
            builder.prefix(".ixsim-").suffix(".tmp").rand_bytes(8);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                // The old file's mode, or the usual 0666 less the umask.
                let mode = existing.as_ref().map_or(0o666, |m| m.permissions().mode());
                builder.permissions(fs::Permissions::from_mode(mode));
            }
            let tmp = builder.tempfile_in(&dir)?;
            let mut w = io::BufWriter::new(Stoppable(tmp));
            write(&mut w)?;
            let Stoppable(tmp) = w.into_inner().map_err(io::IntoInnerError::into_error)?;
            if let Some(m) = &existing {
                // Exactly the old mode (the umask may have narrowed it).
                fs::set_permissions(tmp.path(), m.permissions())?;
            }
            tmp.as_file().sync_all()?;
            tmp.persist(&p).map_err(|e| e.error)?;
            Ok(())
        }
    }
}

/// Whether standard output is open. `ixsim run >&-` closes it, and Rust's
/// runtime then opens `/dev/null` in its place (read-write, where a shell's
/// `>/dev/null` opens it write-only), so every write would vanish. Known on
/// Linux (from `/proc/self/fd*`); elsewhere assumed open.
pub fn stdout_is_open() -> bool {
    let Ok(target) = fs::read_link("/proc/self/fd/1") else {
        return true;
    };
    if target != Path::new("/dev/null") {
        return true;
    }
    let Ok(info) = fs::read_to_string("/proc/self/fdinfo/1") else {
        return true;
    };
    // `flags:` is octal; the access mode is its low two bits (2 = read-write).
    let read_write = info
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 == 0o2);
    !read_write
}

/// A file opened for reading, if it is a regular file of at most
/// `max_bytes`: a device, FIFO or huge file is refused before anything is
/// read, so `/dev/zero` cannot fill memory nor a FIFO hang.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge {
            bytes: meta.len(),
            max_bytes,
        });
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    // The file may have been swapped since: read one byte past the limit at most.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    io::Read::read_to_end(&mut io::Read::take(file, max_bytes + 1), &mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            max_bytes,
        });
    }
    Ok(bytes)
}

/// Why [`read_limited`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A directory, device, FIFO or socket.
    #[error("not a regular file")]
    NotAFile,
    /// Larger than allowed.
    #[error("{bytes} bytes: expected at most {max_bytes}")]
    TooLarge {
        /// Its size.
        bytes: u64,
        /// The limit.
        max_bytes: u64,
    },
    /// The system refused.
    #[error("cannot read: {0}")]
    Io(#[source] io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ixsim-io-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = scratch("whole");
        let target = dir.join("out.csv");
        atomic_write(&target, b"a,b\n1,2\n").unwrap();
        atomic_write(&target, b"a,b\n3,4\n").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"a,b\n3,4\n");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        let missing = dir.join("no-such-dir").join("x.csv");
        assert!(atomic_write(&missing, b"x").is_err());
        // A writer that fails half-way leaves the old file whole.
        let failed = atomic_write_with(&target, |w| {
            w.write_all(b"a,b\n5,")?;
            Err(io::Error::other("the run failed"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"a,b\n3,4\n");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_the_mode_kept() {
        use std::os::unix::fs::{PermissionsExt as _, symlink};
        let dir = scratch("link");
        let real = dir.join("real.csv");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.join("link.csv");
        symlink(&real, &link).unwrap();
        atomic_write(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_read_only_file_is_replaced_only_when_asked() {
        let dir = scratch("ro");
        let target = dir.join("ro.csv");
        fs::write(&target, b"keep").unwrap();
        let mut perms = fs::metadata(&target).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&target, perms).unwrap();
        let refused = atomic_write(&target, b"new").unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        write_file(&target, Replace::ReadOnlyToo, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert!(fs::metadata(&target).unwrap().permissions().readonly());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_name_of_255_bytes_can_be_written() {
        let dir = scratch("long");
        let target = dir.join("x".repeat(251) + ".csv");
        atomic_write(&target, b"a").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"a");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_at_the_old_temporary_name_is_not_followed() {
        use std::os::unix::fs::symlink;
        let dir = scratch("plant");
        let victim = dir.join("victim");
        fs::write(&victim, b"precious").unwrap();
        // The name the writer used to choose, predictable from the PID.
        symlink(
            &victim,
            dir.join(format!(".out.csv.{}.tmp", std::process::id())),
        )
        .unwrap();
        atomic_write(&dir.join("out.csv"), b"data").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_through_and_a_full_disk_is_an_error() {
        let full = atomic_write(Path::new("/dev/full"), &[b'x'; 10_000]).unwrap_err();
        assert_eq!(full.raw_os_error(), Some(28), "{full}"); // ENOSPC
        assert!(!fs::metadata("/dev/full").unwrap().is_file());
        atomic_write(Path::new("/dev/null"), b"x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }

    #[test]
    fn reading_refuses_special_and_large_files() {
        let dir = scratch("read");
        let small = dir.join("s.ron");
        fs::write(&small, b"abc").unwrap();
        assert_eq!(read_limited(&small, 3).unwrap(), b"abc");
        assert!(matches!(
            read_limited(&small, 2),
            Err(ReadError::TooLarge { bytes: 3, .. })
        ));
        assert!(matches!(read_limited(&dir, 10), Err(ReadError::NotAFile)));
        #[cfg(unix)]
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile)
        ));
        fs::remove_dir_all(&dir).unwrap();
    }
}
