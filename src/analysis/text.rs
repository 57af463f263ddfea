//! Plain-text tables for the analyses' `Display` output.

use std::fmt;

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A table of strings printed with aligned columns and a rule under the
/// header; a row may carry a note printed on the line below it. Widths
/// count `char`s, so the em dashes and arrows used in labels do not throw
/// the columns off.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<(Vec<String>, Option<String>)>,
    rule: char,
}

impl Table {
    /// A table whose first column is left-aligned and the rest right-aligned,
    /// which suits a label followed by figures.
    pub(crate) fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let align = (0..header.len())
            .map(|i| if i == 0 { Align::Left } else { Align::Right })
            .collect();
        Table {
            header,
            align,
            rows: Vec::new(),
            rule: '-',
        }
    }

    /// Draws the rule under the header with `c` (default `-`).
    pub(crate) fn rule(mut self, c: char) -> Table {
        self.rule = c;
        self
    }

    /// Sets the alignment of column `i` (ignored when out of range).
    pub(crate) fn align(mut self, i: usize, a: Align) -> Table {
        if let Some(slot) = self.align.get_mut(i) {
            *slot = a;
        }
        self
    }

    /// Appends a row; missing cells print empty, extra cells are dropped.
    pub(crate) fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.push(cells, None);
    }

    /// Appends a row and a note printed on the line below it, lined up with
    /// the second column (a reason, say, too long for a column of its own).
    pub(crate) fn row_with_note<S: Into<String>>(
        &mut self,
        cells: impl IntoIterator<Item = S>,
        note: impl Into<String>,
    ) {
        self.push(cells, Some(note.into()));
    }

    fn push<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>, note: Option<String>) {
        let mut r: Vec<String> = cells.into_iter().map(Into::into).collect();
        r.resize(self.header.len(), String::new());
        self.rows.push((r, note));
    }

    /// Writes the table, each line prefixed by `indent`.
    pub(crate) fn write(&self, f: &mut fmt::Formatter<'_>, indent: &str) -> fmt::Result {
        let width = |s: &String| s.chars().count();
        let mut widths: Vec<usize> = self.header.iter().map(width).collect();
        for (r, _) in &self.rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(width(c));
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let mut out = String::from(indent);
            for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
                if i > 0 {
                    out.push_str("  ");
                }
                let pad = w.saturating_sub(width(c));
                match self.align.get(i).copied().unwrap_or(Align::Left) {
                    Align::Left => {
                        out.push_str(c);
                        out.extend(std::iter::repeat_n(' ', pad));
                    }
                    Align::Right => {
                        out.extend(std::iter::repeat_n(' ', pad));
                        out.push_str(c);
                    }
                }
            }
            writeln!(f, "{}", out.trim_end())
        };
        line(f, &self.header)?;
        let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        let rule = String::from(self.rule).repeat(total);
        writeln!(f, "{indent}{rule}")?;
        let note_at = widths.first().map_or(0, |w| w + 2);
        for (r, note) in &self.rows {
            line(f, r)?;
            if let Some(note) = note {
                writeln!(f, "{indent}{}{note}", " ".repeat(note_at))?;
            }
        }
        Ok(())
    }
}
