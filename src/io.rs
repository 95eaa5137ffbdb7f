//! Writing files so that a failure never leaves a partial file behind.

use std::path::Path;

/// Writes `bytes` to `path` atomically: into a temporary file beside it,
/// flushed to disk, then renamed over the target.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// Writes `path` atomically from `write`, which streams into a buffered
/// temporary file beside it (a large file need not be built in memory
/// first). The target is replaced only when `write` and the flush to disk
/// succeed; otherwise the temporary file is removed and the target is left
/// as it was.
pub fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path names no file"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("ixsim-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.csv");
        atomic_write(&target, b"a,b\n1,2\n").unwrap();
        atomic_write(&target, b"a,b\n3,4\n").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n3,4\n");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let missing = dir.join("no-such-dir").join("x.csv");
        assert!(atomic_write(&missing, b"x").is_err());
        // A writer that fails half-way leaves the old file whole.
        let failed = atomic_write_with(&target, |w| {
            w.write_all(b"a,b\n5,")?;
            Err(std::io::Error::other("the run failed"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n3,4\n");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
