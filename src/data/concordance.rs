//! HS-6 commodity codes → (mineral, stage): the concordance that turns
//! bilateral trade data into supply-chain flows.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::sheet::{Sheet, replay, split_list};
use crate::error::{Error, Result};
use crate::model::{Mineral, Stage};

/// The embedded `data/hs_concordance.csv`.
pub(crate) const HS_CONCORDANCE_CSV: &str = include_str!("../../data/hs_concordance.csv");

/// The largest HS-6 code (six digits).
const MAX_HS6: u32 = 999_999;

/// One reading of an HS-6 code: the mineral and stage its trade stands for,
/// with the official description and the caveats of using it.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, Stage};
/// use critical_minerals::data::HsEntry;
/// let e = HsEntry::new(260500, Mineral::COBALT, Stage::Extraction, "Cobalt ores and concentrates")?
///     .caveat("in JRC basket");
/// assert_eq!(e.code(), "260500");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HsEntry {
    /// The HS-6 code as a number (`260500`; codes of chapters 01–09 lose
    /// their leading zero, see [`HsEntry::code`]).
    pub hs6: u32,
    /// The mineral the code's trade is counted as.
    pub mineral: Mineral,
    /// The stage of the traded product.
    pub stage: Stage,
    /// The official short description (HS2017 for the built-in table).
    pub description: String,
    /// Why the code is an imperfect measure of the mineral, when it is
    /// (lumped codes, catch-all codes, mislabelled codes).
    pub caveat: Option<String>,
    /// Ids of the sources of the mapping (the dataset's source register).
    pub sources: Vec<String>,
}

impl HsEntry {
    /// An entry with no caveat and no source.
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] when `hs6` has more than six digits.
    pub fn new(
        hs6: u32,
        mineral: Mineral,
        stage: Stage,
        description: impl Into<String>,
    ) -> Result<HsEntry> {
        check_code(hs6)?;
        Ok(HsEntry {
            hs6,
            mineral,
            stage,
            description: description.into(),
            caveat: None,
            sources: Vec::new(),
        })
    }

    /// Sets the caveat.
    pub fn caveat(mut self, caveat: impl Into<String>) -> HsEntry {
        self.caveat = Some(caveat.into());
        self
    }

    /// Adds a source id.
    pub fn source(mut self, id: impl Into<String>) -> HsEntry {
        self.sources.push(id.into());
        self
    }

    /// The code as six digits, zero-padded (`"260500"`, `"030110"`).
    pub fn code(&self) -> String {
        format!("{:06}", self.hs6)
    }
}

fn check_code(hs6: u32) -> Result<()> {
    if hs6 > MAX_HS6 {
        return Err(Error::OutOfDomain {
            field: "hs6",
            value: hs6.to_string(),
            expected: "an HS-6 code has at most six digits".into(),
        });
    }
    Ok(())
}

/// Parses an HS-6 code from text: one to six ASCII digits (BACI drops the
/// leading zero of chapters 01–09, so `"30110"` and `"030110"` are the same
/// code).
///
/// # Errors
/// [`Error::OutOfDomain`] for anything else.
pub fn parse_hs6(text: &str) -> Result<u32> {
    let bad = || Error::OutOfDomain {
        field: "hs6",
        value: format!("{text:?}"),
        expected: "expected one to six digits".into(),
    };
    let t = text.trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    t.parse().map_err(|_| bad())
}

/// A concordance from HS-6 codes to (mineral, stage) readings.
///
/// One code can stand for several minerals: lumped codes such as `811292`
/// (gallium, germanium, hafnium, indium, niobium, rhenium and vanadium) map
/// to one entry per mineral, and a trade loader must decide how to split or
/// flag such trade (the caveat says why). A code may not map to the same
/// mineral twice.
///
/// [`HsConcordance::builtin`] is the crate's table (43 rows, HS2017
/// descriptions, JRC RMIS 2024 baskets and UN Comtrade references); build
/// your own with [`HsConcordance::from_entries`] or
/// [`HsConcordance::from_csv_reader`].
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, Stage};
/// use critical_minerals::data::HsConcordance;
/// let hs = HsConcordance::builtin()?;
/// let cobalt_ore = hs.get(260500);
/// assert_eq!(cobalt_ore.len(), 1);
/// assert_eq!((cobalt_ore[0].mineral.clone(), cobalt_ore[0].stage), (Mineral::COBALT, Stage::Extraction));
/// // A lumped code: gallium and germanium share 811292.
/// assert_eq!(hs.get(811292).len(), 2);
/// assert!(hs.get(999999).is_empty());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HsConcordance {
    by_code: BTreeMap<u32, Vec<HsEntry>>,
}

impl HsConcordance {
    /// The built-in concordance, parsed from the embedded
    /// `data/hs_concordance.csv` on first use and cached.
    ///
    /// # Errors
    /// [`Error::Parse`] if the embedded file does not parse (a build defect;
    /// the crate's tests prove it parses).
    pub fn builtin() -> Result<&'static HsConcordance> {
        static CELL: OnceLock<Result<HsConcordance>> = OnceLock::new();
        CELL.get_or_init(|| {
            HsConcordance::read(
                HS_CONCORDANCE_CSV.as_bytes(),
                Some(PathBuf::from("data/hs_concordance.csv")),
            )
        })
        .as_ref()
        .map_err(replay)
    }

    /// A concordance from the caller's own entries.
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] for a code of more than six digits,
    /// [`Error::DuplicateId`] when one code maps to the same mineral twice.
    /// Nothing is built on error.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Mineral, Stage};
    /// use critical_minerals::data::{HsConcordance, HsEntry};
    /// let hs = HsConcordance::from_entries([
    ///     HsEntry::new(260400, Mineral::NICKEL, Stage::Extraction, "Nickel ores and concentrates")?,
    /// ])?;
    /// assert_eq!(hs.get(260400)[0].mineral, Mineral::NICKEL);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn from_entries(entries: impl IntoIterator<Item = HsEntry>) -> Result<HsConcordance> {
        let mut c = HsConcordance::default();
        for e in entries {
            c.insert(e)?;
        }
        Ok(c)
    }

    /// Reads a concordance from CSV with a header row and the columns
    /// `hs6`, `mineral`, `stage` (required) and `description`, `caveat`,
    /// `source_ref` (optional; `source_ref` is a `;`-separated list of source
    /// ids). Other columns are ignored, so the layout of the built-in file
    /// reads as is.
    ///
    /// # Errors
    /// [`Error::Parse`] with the line and column of a malformed row, a bad
    /// code, mineral or stage, a missing column or a duplicate
    /// (code, mineral).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Mineral, Stage};
    /// use critical_minerals::data::HsConcordance;
    /// let csv = "hs6,mineral,stage\n283691,lithium,refining\n";
    /// let hs = HsConcordance::from_csv_reader(csv.as_bytes())?;
    /// assert_eq!(hs.get(283691)[0].stage, Stage::Refining);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn from_csv_reader<R: Read>(reader: R) -> Result<HsConcordance> {
        HsConcordance::read(reader, None)
    }

    /// Reads a concordance from a CSV file (layout as for
    /// [`HsConcordance::from_csv_reader`]); errors name the file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened, otherwise as for
    /// [`HsConcordance::from_csv_reader`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<HsConcordance> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        HsConcordance::read(std::io::BufReader::new(file), Some(path.to_path_buf()))
    }

    pub(crate) fn read<R: Read>(reader: R, file: Option<PathBuf>) -> Result<HsConcordance> {
        let table = Sheet::read(reader, file)?;
        table.require(&["hs6", "mineral", "stage"])?;
        let mut c = HsConcordance::default();
        for row in table.rows() {
            let hs6 = row.parse("hs6", parse_hs6)?;
            let mineral = row.parse("mineral", Mineral::new)?;
            let stage = row.parse("stage", str::parse::<Stage>)?;
            let entry = HsEntry {
                hs6,
                mineral,
                stage,
                description: row.text("description").to_string(),
                caveat: row.opt("caveat").map(str::to_string),
                sources: split_list(row.text("source_ref"))
                    .map(str::to_string)
                    .collect(),
            };
            c.insert(entry)
                .map_err(|e| row.error("mineral", e.to_string()))?;
        }
        Ok(c)
    }

    /// Adds an entry.
    ///
    /// # Errors
    /// As for [`HsConcordance::from_entries`]; the concordance is unchanged
    /// on error.
    pub fn insert(&mut self, entry: HsEntry) -> Result<()> {
        check_code(entry.hs6)?;
        let list = self.by_code.entry(entry.hs6).or_default();
        if list.iter().any(|e| e.mineral == entry.mineral) {
            return Err(Error::DuplicateId {
                kind: "hs concordance entry",
                id: format!("{}/{}", entry.code(), entry.mineral),
            });
        }
        list.push(entry);
        Ok(())
    }

    /// The readings of one HS-6 code, in insertion order (file order for a
    /// CSV); empty when the code is not in the concordance. O(log n).
    pub fn get(&self, hs6: u32) -> &[HsEntry] {
        self.by_code.get(&hs6).map_or(&[], Vec::as_slice)
    }

    /// Whether the code has at least one reading.
    pub fn contains(&self, hs6: u32) -> bool {
        self.by_code.contains_key(&hs6)
    }

    /// The codes, ascending.
    pub fn codes(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_code.keys().copied()
    }

    /// Every entry, by code ascending then insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &HsEntry> {
        self.by_code.values().flatten()
    }

    /// The entries for one mineral at one stage, by code. O(n).
    pub fn entries_for<'a>(
        &'a self,
        mineral: &'a Mineral,
        stage: Stage,
    ) -> impl Iterator<Item = &'a HsEntry> + 'a {
        self.iter()
            .filter(move |e| &e.mineral == mineral && e.stage == stage)
    }

    /// Number of entries (a lumped code counts once per mineral).
    pub fn len(&self) -> usize {
        self.by_code.values().map(Vec::len).sum()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

impl fmt::Display for HsEntry {
    /// `260500 cobalt/extraction`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{} {}/{}", self.code(), self.mineral, self.stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_leaves_concordance_unchanged() {
        let e = HsEntry::new(260500, Mineral::COBALT, Stage::Extraction, "x").unwrap();
        let mut c = HsConcordance::from_entries([e.clone()]).unwrap();
        let before = c.clone();
        assert!(c.insert(e).is_err());
        assert_eq!(c, before);
    }

    #[test]
    fn builtin_parses_every_row() {
        // `awk -F, 'NR>1{n++; c[$1]++} END{print n, length(c)}'` on the file
        // gives 43 rows and 41 distinct codes (811292 and 811299 each carry
        // gallium and germanium).
        let hs = HsConcordance::builtin().unwrap();
        assert_eq!(hs.len(), 43);
        assert_eq!(hs.codes().count(), 41);
        let thorium = hs.get(261220);
        assert_eq!(thorium[0].mineral.as_str(), "thorium");
        assert!(
            thorium[0]
                .caveat
                .as_deref()
                .unwrap()
                .starts_with("NOT a rare-earth code")
        );
    }

    #[test]
    fn hs6_parsing() {
        assert_eq!(parse_hs6("030110").unwrap(), 30110);
        assert_eq!(parse_hs6("30110").unwrap(), 30110);
        assert!(parse_hs6("1234567").is_err());
        assert!(parse_hs6("12a456").is_err());
        assert!(parse_hs6("").is_err());
        assert!(parse_hs6("-12").is_err());
    }
}
