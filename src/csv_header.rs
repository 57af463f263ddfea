//! Reading CSV by header name: the one reader behind the built-in dataset
//! ([`data`](crate::data)), the Comtrade loader and the nodes/flows CSV
//! files ([`io`](crate::io)), and the one way a `csv` error becomes an
//! [`Error`].
//!
//! It reads the header, keeps its names (normalised as the caller asks) and
//! hands out records with their line numbers; what a missing, unknown or
//! repeated column means is each caller's rule. The BACI loader parses bytes
//! itself for speed (a 10-million-row file), so it shares only the error
//! constructors and the limits.
//!
//! Every reader goes through [`Input`]: a byte-order mark is removed however
//! the caller's reader splits its reads, an `Interrupted` read is retried,
//! a line longer than [`MAX_LINE_BYTES`] stops the read (bounded memory
//! whatever the input), and a failing reader comes back as [`Error::Io`].

use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

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

/// The longest line (record) any CSV reader of the crate accepts, in bytes:
/// real rows are under 1 KiB (16 MiB leaves room for long free-text cells
/// and lines longer than the BACI reader's 1 MiB block); a longer line is
/// refused with
/// [`Error::TooLarge`] before more of it is buffered.
pub(crate) const MAX_LINE_BYTES: u64 = 1 << 24;

/// The most characters of a value an error message quotes; longer values
/// are cut and their size given (see [`quote`]).
pub(crate) const MAX_QUOTE_CHARS: usize = 200;

/// A value for an error message, `Debug`-quoted and cut to
/// [`MAX_QUOTE_CHARS`] characters (`"aaaa…" (104857600 bytes)`), so a huge
/// cell cannot make a huge message.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTE_CHARS) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &value[..cut], value.len()),
    }
}

/// The marker error [`Input`] returns for an over-long line.
#[derive(Debug)]
struct LineTooLong {
    line: u64,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} is longer than {MAX_LINE_BYTES} bytes",
            self.line
        )
    }
}

impl std::error::Error for LineTooLong {}

/// The I/O error that stops a read at an over-long line (1-based), turned
/// into [`Error::TooLarge`] by [`read_error`].
pub(crate) fn line_too_long(line: u64) -> std::io::Error {
    std::io::Error::new(ErrorKind::InvalidData, LineTooLong { line })
}

/// A caller's reader as the CSV readers see it: without its leading UTF-8
/// byte-order marks (however many, even when they arrive split over several
/// reads),
/// `Interrupted` reads retried, and lines capped at [`MAX_LINE_BYTES`].
pub(crate) struct Input<R: Read> {
    inner: R,
    /// Bytes read while looking for a byte-order mark, not yet handed out.
    head: Vec<u8>,
    started: bool,
    line: u64,
    line_bytes: u64,
}

impl<R: Read> Input<R> {
    pub(crate) fn new(inner: R) -> Input<R> {
        Input {
            inner,
            head: Vec::new(),
            started: false,
            line: 1,
            line_bytes: 0,
        }
    }

    fn read_retrying(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }

    /// Drops every leading BOM: reads three bytes at a time (or to the end)
    /// while they are a BOM, and keeps the first three that are not. All of
    /// them, not just one, so that the CSV parser (which strips a BOM only
    /// when it sees all three bytes in one buffer) never sees one, and the
    /// same bytes give the same header under any split of the reads.
    fn start(&mut self) -> std::io::Result<()> {
        loop {
            let mut first = [0u8; 3];
            let mut got = 0;
            while got < first.len() {
                let n = self.read_retrying(&mut first[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            if got == 3 && first == [0xEF, 0xBB, 0xBF] {
                continue;
            }
            self.head.extend_from_slice(&first[..got]);
            self.started = true;
            return Ok(());
        }
    }

    /// Counts line lengths in what is handed out; refuses an over-long line.
    fn count(&mut self, out: &[u8]) -> std::io::Result<()> {
        let mut rest = out;
        while let Some(p) = memchr::memchr(b'\n', rest) {
            self.line_bytes = self.line_bytes.saturating_add(p as u64);
            self.check()?;
            self.line = self.line.saturating_add(1);
            self.line_bytes = 0;
            rest = &rest[p + 1..];
        }
        self.line_bytes = self.line_bytes.saturating_add(rest.len() as u64);
        self.check()
    }

    fn check(&self) -> std::io::Result<()> {
        if self.line_bytes > MAX_LINE_BYTES {
            return Err(line_too_long(self.line));
        }
        Ok(())
    }
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.started {
            self.start()?;
        }
        let n = if self.head.is_empty() {
            self.read_retrying(buf)?
        } else {
            let n = self.head.len().min(buf.len());
            buf[..n].copy_from_slice(&self.head[..n]);
            self.head.drain(..n);
            n
        };
        self.count(&buf[..n])?;
        Ok(n)
    }
}

/// An I/O error met while reading input: [`Error::Io`] naming the file, or
/// `<reader>` for a caller's reader; an over-long line is
/// [`Error::TooLarge`] with its place.
pub(crate) fn read_error(file: Option<&Path>, source: std::io::Error) -> Error {
    let long = source
        .get_ref()
        .and_then(|e| e.downcast_ref::<LineTooLong>())
        .map(|l| l.line);
    if let Some(line) = long {
        let place = file.map_or_else(String::new, |f| format!("{}: ", f.display()));
        return Error::TooLarge {
            what: "line length in bytes",
            size: MAX_LINE_BYTES + 1,
            limit: MAX_LINE_BYTES,
        }
        .at(format!("{place}line {line}"));
    }
    Error::Io {
        path: file.map_or_else(|| PathBuf::from("<reader>"), Path::to_path_buf),
        source,
    }
}

/// A CSV reader positioned after its header row.
pub(crate) struct HeaderReader<'f, R: Read> {
    file: Option<&'f Path>,
    rdr: csv::Reader<Input<R>>,
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
            .from_reader(Input::new(reader));
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
/// stays an [`Error::Io`] naming the file (or `<reader>`), with the
/// original `std::io::Error` as its source (see [`read_error`]).
pub(crate) fn csv_error(file: Option<&Path>, e: csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line().max(1));
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(source) => read_error(file, source),
        _ => parse_error(file, line, None, message),
    }
}
