//! A dataset file read whole, its cells looked up by column name, with
//! errors that name the file, line and column. The reading itself is the
//! crate's one CSV-by-header reader ([`crate::csv_header`]).

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use crate::csv_header::{HeaderReader, Names};
use crate::error::{Error, Result};

/// A CSV file read whole, with its header mapped to column positions.
pub(crate) struct Sheet {
    file: Option<PathBuf>,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Sheet {
    /// Reads every record of a CSV with a header row. `file` only labels
    /// errors.
    pub(crate) fn read<R: Read>(reader: R, file: Option<PathBuf>) -> Result<Sheet> {
        let mut rdr = HeaderReader::new(reader, file.as_deref(), b',', false, Names::Trimmed)?;
        // A repeated name maps to its last column, as the lookups expect.
        let header = rdr
            .names()
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect();
        let mut rows = Vec::new();
        let mut rec = csv::StringRecord::new();
        while let Some(line) = rdr.next(&mut rec)? {
            rows.push((line, std::mem::take(&mut rec)));
        }
        Ok(Sheet {
            file,
            columns: header,
            rows,
        })
    }

    /// Checks that every named column is present.
    pub(crate) fn require(&self, names: &[&str]) -> Result<()> {
        match names.iter().find(|n| !self.columns.contains_key(**n)) {
            Some(missing) => Err(Error::Parse {
                file: self.file.clone(),
                line: 1,
                column: None,
                message: format!("missing column {missing:?}"),
            }),
            None => Ok(()),
        }
    }

    /// The rows, in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, rec)| Row {
            table: self,
            line: *line,
            rec,
        })
    }
}

/// One record of a [`Sheet`].
pub(crate) struct Row<'a> {
    table: &'a Sheet,
    line: u64,
    rec: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    /// The trimmed text of a column; empty when the column is absent.
    pub(crate) fn text(&self, name: &str) -> &'a str {
        self.table
            .columns
            .get(name)
            .and_then(|i| self.rec.get(*i))
            .map_or("", str::trim)
    }

    /// The text of a column, `None` when empty or absent.
    pub(crate) fn opt(&self, name: &str) -> Option<&'a str> {
        Some(self.text(name)).filter(|s| !s.is_empty())
    }

    /// The text of a column, an error when empty or absent.
    pub(crate) fn required(&self, name: &str) -> Result<&'a str> {
        self.opt(name)
            .ok_or_else(|| self.error(name, "empty value".to_string()))
    }

    /// Parses a column with `f`, locating any error at this row and column.
    pub(crate) fn parse<T>(&self, name: &str, f: impl FnOnce(&'a str) -> Result<T>) -> Result<T> {
        f(self.required(name)?).map_err(|e| self.error(name, e.to_string()))
    }

    /// A parse error at this row and column.
    pub(crate) fn error(&self, name: &str, message: String) -> Error {
        Error::Parse {
            file: self.table.file.clone(),
            line: self.line,
            column: self.table.columns.get(name).map(|i| *i as u64 + 1),
            message: format!("{name}: {message}"),
        }
    }
}

/// Splits a `;`-separated list, trimming and dropping empty items.
pub(crate) fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty())
}

/// A fresh copy of an error cached from parsing embedded data (the crate's
/// error type is not `Clone`, and a cached failure must be returned on every
/// call).
pub(crate) fn replay(e: &Error) -> Error {
    match e {
        Error::Parse {
            file,
            line,
            column,
            message,
        } => Error::Parse {
            file: file.clone(),
            line: *line,
            column: *column,
            message: message.clone(),
        },
        other => Error::Parse {
            file: None,
            line: 0,
            column: None,
            message: other.to_string(),
        },
    }
}
