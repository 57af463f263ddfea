//! Helpers shared by the readers and writers of this module.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The path used in [`Error::Io`] when the output is a caller's writer, not a
/// file (the same label as [`SupplyChain::write_json`](crate::SupplyChain::write_json)).
pub(crate) const WRITER: &str = "<writer>";

/// Opens a file for buffered reading; the error names the file.
pub(crate) fn open(path: &Path) -> Result<BufReader<File>> {
    File::open(path)
        .map(|f| BufReader::with_capacity(1 << 16, f))
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Creates (truncates) a file for buffered writing; the error names the file.
pub(crate) fn create(path: &Path) -> Result<BufWriter<File>> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Runs a writer function over a file, naming the file in any I/O error
/// (the writer functions label theirs `<writer>`).
pub(crate) fn write_file(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let mut w = create(path)?;
    let named = |e: Error| match e {
        Error::Io { source, .. } => Error::Io {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    };
    f(&mut w).map_err(named)?;
    w.flush().map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Wraps an I/O error from a caller's writer.
pub(crate) fn writer_error(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from(WRITER),
        source,
    }
}

/// Whether a cell means "no figure": empty, `NA`, `N/A`, `NaN`, `null`,
/// `..` or `-` (case-insensitive), as trade and spreadsheet exports write it.
pub(crate) fn is_missing(cell: &str) -> bool {
    let t = cell.trim();
    t.is_empty()
        || ["na", "n/a", "nan", "null", "..", "-"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
}

/// Formats a float so that parsing it back gives the same bits (Rust's
/// `Display` for `f64` prints the shortest such form).
pub(crate) fn float(v: f64) -> String {
    format!("{v}")
}
