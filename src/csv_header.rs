//! Reading CSV by header name: the one reader behind the built-in dataset
//! ([`data`](crate::data)), the Comtrade loader and the nodes/flows CSV
//! files ([`io`](crate::io)), and the one way a `csv` error becomes an
//! [`Error`].
//!
//! It reads the header, keeps its names (normalised as the caller asks) and
//! hands out records with their line numbers; what a missing, unknown or
//! repeated column means is each caller's rule. The BACI loader parses bytes
//! itself for speed (a 10-million-row file), so it shares only the error
//! constructors.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// How header names are normalised before they are looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Names {
    /// Trimmed only: the dataset's own files, whose headers the crate
    /// writes.
    Trimmed,
    /// Trimmed, byte-order mark removed, lowercase ([`fold_name`]): files
    /// from spreadsheets and trade-data portals.
    Folded,
}

/// A header name trimmed, without a leading byte-order mark, in lowercase.
pub(crate) fn fold_name(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
}

/// A CSV reader positioned after its header row.
pub(crate) struct HeaderReader<'f, R: Read> {
    file: Option<&'f Path>,
    rdr: csv::Reader<R>,
    names: Vec<String>,
}

impl<'f, R: Read> HeaderReader<'f, R> {
    /// Reads the header row. `file` only labels errors; `flexible` lets
    /// records have another field count than the header (the caller then
    /// checks [`HeaderReader::width`] itself).
    pub(crate) fn new(
        reader: R,
        file: Option<&'f Path>,
        delimiter: u8,
        flexible: bool,
        names: Names,
    ) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(flexible)
            .from_reader(reader);
        let header = rdr.headers().map_err(|e| csv_error(file, e))?;
        let names = header
            .iter()
            .map(|h| match names {
                Names::Trimmed => h.trim().to_string(),
                Names::Folded => fold_name(h),
            })
            .collect();
        Ok(HeaderReader { file, rdr, names })
    }

    /// The file errors are labelled with.
    pub(crate) fn file(&self) -> Option<&'f Path> {
        self.file
    }

    /// The header's names, normalised, in file order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The header's field count.
    pub(crate) fn width(&self) -> usize {
        self.names.len()
    }

    /// The 0-based position of a column; when a name repeats, its last.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().rposition(|n| n == name)
    }

    /// Reads the next record into `rec`; its 1-based line, or `None` at the
    /// end of the input.
    pub(crate) fn next(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>> {
        if !self
            .rdr
            .read_record(rec)
            .map_err(|e| csv_error(self.file, e))?
        {
            return Ok(None);
        }
        Ok(Some(rec.position().map_or(0, csv::Position::line)))
    }
}

/// A parse error at a place in a file.
pub(crate) fn parse_error(
    file: Option<&Path>,
    line: u64,
    column: Option<u64>,
    message: impl Into<String>,
) -> Error {
    Error::Parse {
        file: file.map(Path::to_path_buf),
        line,
        column,
        message: message.into(),
    }
}

/// A CSV error from the `csv` crate, located at its line. An I/O failure
/// reading a file stays an [`Error::Io`] naming the file, with the original
/// `std::io::Error` as its source.
pub(crate) fn csv_error(file: Option<&Path>, e: csv::Error) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    let message = e.to_string();
    match (file, e.into_kind()) {
        (Some(p), csv::ErrorKind::Io(source)) => Error::Io {
            path: p.to_path_buf(),
            source,
        },
        (file, _) => parse_error(file, line, None, message),
    }
}
