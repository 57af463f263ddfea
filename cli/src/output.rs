//! Rendering a result as a table, JSON or CSV, and writing it to stdout or
//! atomically to a file.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use serde_json::{Map, Value};

use crate::cli::Format;
use crate::run::Failure;

/// One result, ready in every format.
pub struct Out {
    /// The library's `Display` text.
    pub table: String,
    /// The library's serde form.
    pub json: Value,
    /// The rows CSV writes: an array of objects (nested fields become
    /// `a.b` columns) or one object (one row).
    pub rows: Value,
}

impl Out {
    /// A result whose CSV rows are the whole JSON value.
    pub fn new(table: String, json: Value) -> Out {
        Out {
            table,
            rows: json.clone(),
            json,
        }
    }

    /// A result whose CSV rows are `rows`.
    pub fn with_rows(table: String, json: Value, rows: Value) -> Out {
        Out { table, json, rows }
    }
}

/// The format to use: the one asked for, else a table on a terminal and
/// JSON otherwise (a pipe or `-o FILE`).
pub fn resolve(format: Option<Format>, to_file: bool) -> Format {
    format.unwrap_or(if !to_file && io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    })
}

/// Renders `out` in `format`.
pub fn render(out: &Out, format: Format) -> Result<String, Failure> {
    Ok(match format {
        Format::Table => {
            let mut t = out.table.clone();
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t
        }
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&out.json)
                .map_err(|e| Failure::Data(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
        Format::Csv => csv_of(&out.rows)?,
    })
}

/// Writes `text` to `path` atomically, or to stdout.
pub fn emit(text: &[u8], path: Option<&Path>) -> Result<(), Failure> {
    match path {
        Some(path) => write_atomic(path, text),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text)
                .and_then(|()| out.flush())
                .map_err(stdout_error)
        }
    }
}

/// A stdout write error: a closed pipe ends quietly, anything else is a
/// data error.
pub fn stdout_error(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::ClosedStdout
    } else {
        Failure::Data(format!("cannot write to stdout: {e}"))
    }
}

/// Writes a temporary file beside `path` and renames it over `path`, so a
/// failure leaves nothing half-written.
pub fn write_atomic(path: &Path, text: &[u8]) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |e: &dyn std::fmt::Display| {
        Failure::Data(format!("cannot write output file {}: {e}", path.display()))
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    tmp.write_all(text)
        .and_then(|()| tmp.flush())
        .map_err(|e| fail(&e))?;
    // A temporary file is private (0600); the result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| fail(&e))?;
    }
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// CSV of an array of objects (or one object): one column per flattened
/// field, in order of first appearance; numbers as JSON writes them (no
/// thousands separators); arrays of scalars joined by `;`.
pub fn csv_of(rows: &Value) -> Result<String, Failure> {
    let rows: Vec<Map<String, Value>> = match rows {
        Value::Array(items) => items.iter().map(flatten_row).collect(),
        other => vec![flatten_row(other)],
    };
    let mut header: Vec<String> = Vec::new();
    for r in &rows {
        for k in r.keys() {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Failure::Data(format!("cannot write CSV: {e}"));
    w.write_record(&header).map_err(err)?;
    for r in &rows {
        let cells: Vec<String> = header
            .iter()
            .map(|k| r.get(k).map(cell).unwrap_or_default())
            .collect();
        w.write_record(&cells).map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Failure::Data(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Failure::Data(format!("cannot write CSV: {e}")))
}

fn flatten_row(v: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    match v {
        Value::Object(_) => flatten("", v, &mut out),
        other => {
            out.insert("value".into(), other.clone());
        }
    }
    out
}

/// Preserves field order (serde_json's `preserve_order` is not on, so keys
/// sort; the order is still deterministic).
fn flatten(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(cell).collect::<Vec<_>>().join(";")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_flattens_nested_fields_and_keeps_plain_numbers() {
        let rows = json!([{"a": 1234567.5, "b": {"c": "x,y"}}, {"a": 2, "d": [1, 2]}]);
        // Header: union of keys in first-seen order; the comma in "x,y" is
        // quoted; 1234567.5 has no thousands separator.
        assert_eq!(
            csv_of(&rows).unwrap(),
            "a,b.c,d\n1234567.5,\"x,y\",\n2,,1;2\n"
        );
    }

    #[test]
    fn csv_of_one_object_is_one_row() {
        assert_eq!(csv_of(&json!({"n": 3})).unwrap(), "n\n3\n");
    }
}
