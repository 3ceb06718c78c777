//! Files written whole or not at all, and the digests that name their content. Every file
//! govscore writes — reports, the crawl manifest, a site's archive — is first written under
//! a `.part` name and renamed when complete, so a reader (or a resumed run) never meets half a
//! file; a `.part` file left behind is known to be unfinished.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The suffix of a file still being written.
pub const PART_SUFFIX: &str = ".part";

/// The name `path` has while it is being written.
pub fn part_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(PART_SUFFIX);
    PathBuf::from(name)
}

/// Whether `path` is a file some writer did not finish.
pub fn is_part(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == &PART_SUFFIX[1..])
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees
/// half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = part_path(path);
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)
}

/// SHA-256 in lower-case hexadecimal: how results and the crawl manifest name the indicator
/// file and the site list they were made from.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        assert!(!part_path(&path).exists());
        assert!(is_part(&part_path(&path)));
        assert!(!is_part(&path));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
