//! Files the session writes for the user (`save`, `report`, `export features`, `export cohort`):
//! never over a file radnomo did not write.
//!
//! radnomo keeps, in each folder it writes to, a record `.radnomo-files` of what it wrote there:
//! one line per file, the SHA-256 of its contents, two spaces and its name — the format of
//! `sha256sum`, so `sha256sum -c .radnomo-files` checks it. A file that exists may be replaced
//! when the record holds its name with its current contents (radnomo wrote it and nobody changed
//! it since), or when the user said `overwrite=yes`; any other existing file is left alone and the
//! statement refused, naming it. Re-running a script therefore replaces its own outputs and
//! nothing else.

use crate::error::Error;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The name of the record kept in every folder radnomo writes to.
pub const RECORD: &str = crate::FILES_RECORD;

/// What writing a file did to what was there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// There was no file.
    New,
    /// It replaced a file radnomo had written, unchanged since.
    ReplacedOwn,
    /// It replaced another file, as `overwrite=yes` asked.
    Overwrote,
}

impl Written {
    /// A phrase for the statement's message: "" for a new file.
    pub fn note(self) -> &'static str {
        match self {
            Written::New => "",
            Written::ReplacedOwn => " (replacing radnomo's earlier file)",
            Written::Overwrote => " (overwriting the file that was there, as asked)",
        }
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The record of `folder`: (digest, name) pairs, in the order written.
fn read_record(folder: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(folder.join(RECORD)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(digest, name)| (digest.to_string(), name.to_string()))
        .collect()
}

fn write_record(folder: &Path, entries: &[(String, String)]) -> Result<(), Error> {
    let text: String = entries
        .iter()
        .map(|(digest, name)| format!("{digest}  {name}\n"))
        .collect();
    let path = folder.join(RECORD);
    std::fs::write(&path, text).map_err(|e| Error::io(path.display(), e))
}

/// The name under which `path` is recorded in its folder's record (its file name).
fn record_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Whether `path` holds what radnomo recorded writing there. A file the record does not name is
/// radnomo's only when it is a report or saved script that radnomo wrote before it kept records
/// (recognised by their first lines), so that re-running a script after an upgrade still works.
pub fn is_own(path: &Path) -> bool {
    let name = record_name(path);
    let record = read_record(&folder_of(path));
    let digest = record
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(d, _)| d.as_str());
    holds_own(path, digest)
}

/// Whether the file at `path` is radnomo's, given the digest its folder's record holds for its
/// name: the whole file is read only when there is one to compare with.
fn holds_own(path: &Path, recorded: Option<&str>) -> bool {
    match recorded {
        Some(digest) => std::fs::read(path).is_ok_and(|bytes| hex_digest(&bytes) == digest),
        None => {
            let mut head = Vec::new();
            std::fs::File::open(path)
                .and_then(|file| file.take(512).read_to_end(&mut head))
                .is_ok()
                && written_before_records(&head)
        }
    }
}

/// A report (`<title>radnomo session</title>` in its head) or a script saved by `save` (its first
/// line) from a radnomo that kept no record.
fn written_before_records(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head);
    (head.starts_with("<!DOCTYPE html>") && head.contains("<title>radnomo session</title>"))
        || (head.starts_with("# radnomo ")
            && head
                .lines()
                .next()
                .is_some_and(|l| l.contains("saved by `save`")))
}

/// Whether `path` may be written: what writing it would do, or why not.
///
/// # Errors
/// An existing folder, or an existing file radnomo did not write (or that changed since) without
/// `overwrite`.
pub fn may_write(path: &Path, overwrite: bool) -> Result<Written, Error> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("the path is empty; name a file"));
    }
    if record_name(path) == RECORD {
        return Err(Error::invalid(format!(
            "`{}` is the name of radnomo's record of the files it wrote; choose another name",
            path.display()
        )));
    }
    if path.is_dir() {
        return Err(Error::invalid(format!(
            "`{}` is a folder; name a file",
            path.display()
        )));
    }
    if !path.exists() {
        return Ok(Written::New);
    }
    if is_own(path) {
        Ok(Written::ReplacedOwn)
    } else if overwrite {
        Ok(Written::Overwrote)
    } else {
        Err(Error::invalid(format!(
            "`{}` exists and radnomo did not write it (or it was changed since); radnomo leaves \
             it alone — choose another name, or add `overwrite=yes` to replace it",
            path.display()
        )))
    }
}

/// Writes `bytes` to `path` (creating its folder) if [`may_write`] allows, and records it.
pub fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Written, Error> {
    let written = may_write(path, overwrite)?;
    let folder = folder_of(path);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(folder.display(), e))?;
    std::fs::write(path, bytes).map_err(|e| Error::io(path.display(), e))?;
    record(path, bytes)?;
    Ok(written)
}

/// Records that radnomo wrote `bytes` to `path` (a file written by other means, such as an image
/// of an exported cohort).
pub fn record(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let folder = folder_of(path);
    let name = record_name(path);
    let mut entries = read_record(&folder);
    entries.retain(|(_, n)| *n != name);
    entries.push((hex_digest(bytes), name));
    write_record(&folder, &entries)
}

/// The entries of one folder, sorted, with their types as the folder holds them (links are not
/// followed, so a link back up the tree is never walked into).
fn entries(dir: &Path) -> std::io::Result<Vec<(PathBuf, std::fs::FileType)>> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|entry| entry.and_then(|e| Ok((e.path(), e.file_type()?))))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Records every file below `folder` as written by radnomo (after an export wrote them by other
/// means), one record per folder; the folders are hashed in parallel.
pub fn record_tree(folder: &Path) -> Result<(), Error> {
    use rayon::prelude::*;
    let mut folders = vec![folder.to_path_buf()];
    let mut at = 0;
    while at < folders.len() {
        let listing = entries(&folders[at]).map_err(|e| Error::io(folders[at].display(), e))?;
        folders.extend(
            listing
                .into_iter()
                .filter(|(_, k)| k.is_dir())
                .map(|(p, _)| p),
        );
        at += 1;
    }
    folders.par_iter().try_for_each(|dir| {
        let mut record = Vec::new();
        for (path, kind) in entries(dir).map_err(|e| Error::io(dir.display(), e))? {
            if kind.is_file() && path.file_name().is_some_and(|n| n != RECORD) {
                let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display(), e))?;
                record.push((hex_digest(&bytes), record_name(&path)));
            }
        }
        write_record(dir, &record)
    })
}

/// What lies below a folder: radnomo's own files and the others.
#[derive(Debug, Default)]
struct Survey {
    /// Files radnomo recorded writing, unchanged since.
    pub own: Vec<PathBuf>,
    /// Other files and links, relative to the folder, sorted; the survey stops once it has found
    /// more than the limit it was given, so a large foreign tree is never read whole.
    pub foreign: Vec<PathBuf>,
    /// The folders below, parents before their children.
    folders: Vec<PathBuf>,
}

/// Looks through `folder` (each folder's record read once, a file read whole only when its
/// record names it), stopping after `foreign_limit` + 1 foreign entries.
fn survey(folder: &Path, foreign_limit: usize) -> Survey {
    let mut found = Survey::default();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(listing) = entries(&dir) else {
            continue;
        };
        let record = read_record(&dir);
        for (path, kind) in listing {
            let name = record_name(&path);
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if name == RECORD {
                continue;
            }
            let recorded = record
                .iter()
                .find(|(_, n)| *n == name)
                .map(|(d, _)| d.as_str());
            if kind.is_file() && holds_own(&path, recorded) {
                found.own.push(path);
            } else {
                let relative = path.strip_prefix(folder).unwrap_or(&path).to_path_buf();
                found.foreign.push(relative);
                if found.foreign.len() > foreign_limit {
                    break;
                }
            }
        }
        if found.foreign.len() > foreign_limit {
            break;
        }
        if dir != folder {
            found.folders.push(dir);
        }
    }
    found.foreign.sort();
    found
}

/// Removes the surveyed folder's own files and its records, and the folders that become empty
/// (the surveyed folder itself stays). Returns how many files went.
fn remove_own(folder: &Path, survey: &Survey) -> Result<usize, Error> {
    for path in &survey.own {
        std::fs::remove_file(path).map_err(|e| Error::io(path.display(), e))?;
    }
    for dir in std::iter::once(folder).chain(survey.folders.iter().map(PathBuf::as_path)) {
        let _ = std::fs::remove_file(dir.join(RECORD));
    }
    // Children before their parents, so a folder emptied by its children goes too.
    for dir in survey.folders.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(survey.own.len())
}

/// Makes `folder` ready for an export: new, empty, or a previous export by radnomo (whose files
/// are removed first, so no image of another layout stays behind). Returns how many files went.
pub fn clear_for_export(folder: &Path) -> Result<usize, Error> {
    if folder.as_os_str().is_empty() {
        return Err(Error::invalid("the path is empty; name a folder"));
    }
    if folder.is_file() {
        return Err(Error::invalid(format!(
            "`{}` is a file; name a folder",
            folder.display()
        )));
    }
    let found = survey(folder, 5);
    if !found.foreign.is_empty() {
        let shown: Vec<String> = found
            .foreign
            .iter()
            .take(5)
            .map(|p| p.display().to_string())
            .collect();
        return Err(Error::invalid(format!(
            "`{}` holds files radnomo did not write ({}{}); export into a new or empty folder, or \
             into one of radnomo's earlier exports",
            folder.display(),
            shown.join(", "),
            if found.foreign.len() > 5 {
                " and more"
            } else {
                ""
            }
        )));
    }
    remove_own(folder, &found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("radnomo-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    #[test]
    fn a_users_file_is_kept_and_radnomos_own_is_replaced() {
        let folder = scratch("own");
        let mine = folder.join("analysis.rad");
        std::fs::write(&mine, "# written by hand\n").unwrap();
        let refused = write(&mine, b"load cohort\n", false).unwrap_err();
        assert!(
            refused.to_string().contains("radnomo did not write it"),
            "{refused}"
        );
        assert_eq!(
            std::fs::read_to_string(&mine).unwrap(),
            "# written by hand\n"
        );
        assert_eq!(write(&mine, b"one\n", true).unwrap(), Written::Overwrote);
        assert_eq!(write(&mine, b"two\n", false).unwrap(), Written::ReplacedOwn);
        // Changed by hand since: the user's now.
        std::fs::write(&mine, "edited\n").unwrap();
        assert!(write(&mine, b"three\n", false).is_err());
        assert!(write(Path::new(""), b"x", true).is_err());
        let record = write(&folder.join(RECORD), b"x", true).unwrap_err();
        assert!(record.to_string().contains("radnomo's record"), "{record}");
        let fresh = folder.join("sub/report.html");
        assert_eq!(write(&fresh, b"<html>", false).unwrap(), Written::New);
        let record = std::fs::read_to_string(folder.join("sub").join(RECORD)).unwrap();
        // sha256sum's format: the digest of "<html>", two spaces, the name.
        assert_eq!(record, format!("{}  report.html\n", hex_digest(b"<html>")));
        assert_eq!(
            hex_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let _ = std::fs::remove_dir_all(&folder);
    }

    #[test]
    fn reports_and_scripts_from_before_the_record_are_recognised() {
        let folder = scratch("legacy");
        let report = folder.join("study-report.html");
        std::fs::write(&report, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>radnomo session</title>").unwrap();
        assert_eq!(may_write(&report, false).unwrap(), Written::ReplacedOwn);
        let script = folder.join("s.rad");
        std::fs::write(
            &script,
            "# radnomo 0.1.0 session, saved by `save`; run it\nload cohort\n",
        )
        .unwrap();
        assert_eq!(may_write(&script, false).unwrap(), Written::ReplacedOwn);
        std::fs::write(&script, "# radnomo notes of mine\n").unwrap();
        assert!(may_write(&script, false).is_err());
        let _ = std::fs::remove_dir_all(&folder);
    }

    #[test]
    fn foreign_files_are_found_and_own_files_removed() {
        let folder = scratch("foreign");
        write(&folder.join("images/P1/phase_1.nii.gz"), b"a", false).unwrap();
        write(&folder.join("clinical.csv"), b"b", false).unwrap();
        std::fs::write(folder.join("images/notes.txt"), "mine").unwrap();
        // A link back up the tree is a foreign entry, never walked into.
        std::os::unix::fs::symlink(&folder, folder.join("images/loop")).unwrap();
        let found = survey(&folder, 5);
        assert_eq!(
            found.foreign,
            vec![
                PathBuf::from("images/loop"),
                PathBuf::from("images/notes.txt")
            ]
        );
        assert_eq!(survey(&folder, 0).foreign.len(), 1, "stops past the limit");
        assert_eq!(remove_own(&folder, &found).unwrap(), 2);
        assert!(!folder.join("images/P1").exists());
        assert!(folder.join("images/notes.txt").exists());
        let _ = std::fs::remove_dir_all(&folder);
    }
}
