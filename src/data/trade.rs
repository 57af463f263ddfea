//! The embedded CEPII BACI table: bilateral trade in 52 mineral products
//! (HS 1992 codes), 2019–2024, parsed on first use.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use flate2::read::GzDecoder;

use super::concordance::{HsConcordance, HsEntry, parse_hs6};
use super::sheet::replay;
use crate::csv_header::{HeaderReader, Names, parse_error};
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Stage, Tonnes, Usd};

/// The embedded `data/trade_baci.csv.gz` (gzip-compressed CSV).
const TRADE_BACI_GZ: &[u8] = include_bytes!("../../data/trade_baci.csv.gz");
/// The embedded `data/trade_hs92_concordance.csv`.
const TRADE_HS92_CSV: &str = include_str!("../../data/trade_hs92_concordance.csv");
/// The file name errors in the trade table name.
const TRADE_FILE: &str = "data/trade_baci.csv.gz";

/// The source id of the built-in BACI table in the source register.
pub const BACI_SOURCE: &str = "cepii_baci_hs92_v202401b";

/// One row of the built-in BACI table: what one country exported to another
/// under one HS-6 code in one year.
///
/// `tonnes` is `None` where BACI has no quantity (12,076 of the 179,036
/// rows): such a row is kept and counted, never read as zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TradeRow {
    /// The year.
    pub year: i16,
    /// The exporter (ISO alpha-3; `S19` is BACI's "Other Asia, n.e.s.",
    /// in practice Taiwan).
    pub exporter: Country,
    /// The importer.
    pub importer: Country,
    /// The HS 1992 six-digit product code.
    pub hs6: u32,
    /// The value in thousand US dollars, FOB, as published.
    pub value_kusd: f64,
    /// The quantity in tonnes of product weight, when BACI has one.
    pub tonnes: Option<Tonnes>,
}

impl TradeRow {
    /// The value in US dollars.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] when `value_kusd` is negative or not
    /// finite (never for a row of the built-in table, which is validated
    /// when parsed).
    pub fn value(&self) -> Result<Usd> {
        Usd::from_thousands(self.value_kusd)
    }
}

/// Which rows of the trade table to return: every field set narrows the
/// selection, every field unset keeps all rows.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Dataset, Mineral, Stage};
/// use critical_minerals::data::TradeQuery;
/// let trade = Dataset::builtin()?.trade()?;
/// // US imports of rare-earth compounds (284610 + 284690) from Malaysia in 2023.
/// let q = TradeQuery::new().year(2023).mineral(Mineral::RARE_EARTHS)
///     .stage(Stage::Processing).exporter(Country::MYS).importer(Country::USA);
/// let t: f64 = trade.rows(&q).filter_map(|r| r.tonnes).map(|t| t.get()).sum();
/// assert!(t > 1_502.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TradeQuery {
    /// Only this year.
    pub year: Option<i16>,
    /// Only this HS-6 code.
    pub hs6: Option<u32>,
    /// Only codes of this mineral (per the trade concordance).
    pub mineral: Option<Mineral>,
    /// Only codes of this stage (per the trade concordance).
    pub stage: Option<Stage>,
    /// Only this exporter.
    pub exporter: Option<Country>,
    /// Only this importer.
    pub importer: Option<Country>,
}

impl TradeQuery {
    /// Every row.
    pub fn new() -> TradeQuery {
        TradeQuery::default()
    }
    /// Only this year.
    pub fn year(mut self, year: i16) -> TradeQuery {
        self.year = Some(year);
        self
    }
    /// Only this HS-6 code.
    pub fn hs6(mut self, code: u32) -> TradeQuery {
        self.hs6 = Some(code);
        self
    }
    /// Only codes of this mineral.
    pub fn mineral(mut self, mineral: Mineral) -> TradeQuery {
        self.mineral = Some(mineral);
        self
    }
    /// Only codes of this stage.
    pub fn stage(mut self, stage: Stage) -> TradeQuery {
        self.stage = Some(stage);
        self
    }
    /// Only this exporter.
    pub fn exporter(mut self, country: Country) -> TradeQuery {
        self.exporter = Some(country);
        self
    }
    /// Only this importer.
    pub fn importer(mut self, country: Country) -> TradeQuery {
        self.importer = Some(country);
        self
    }
}

/// The built-in BACI table (`data/trade_baci.csv.gz`) and its concordance
/// (`data/trade_hs92_concordance.csv`: each HS92 code → one mineral and
/// stage), parsed once on first use by [`TradeTable::builtin`] (or
/// [`Dataset::trade`](crate::Dataset::trade)); [`Dataset::builtin`](crate::Dataset::builtin)
/// does not parse it.
///
/// Rows are stored compactly (40 bytes each), sorted by year, HS code,
/// exporter and importer, so a year or a (year, code) is a binary search.
/// Every country code of the file parses (`S19` is
/// [`Country::OTHER_ASIA`]); every code is in the concordance; each
/// (year, exporter, importer, code) appears once. Nothing is skipped: a
/// row without quantity is kept with `tonnes = None`.
#[derive(Debug, Clone)]
pub struct TradeTable {
    rows: Vec<TradeRow>,
    products: HsConcordance,
}

impl TradeTable {
    /// The built-in table, parsed from the embedded file on first use and
    /// cached for the life of the process.
    ///
    /// # Errors
    /// [`Error::Parse`] naming the file and line if an embedded file does
    /// not parse (a build defect; the crate's tests prove it parses).
    pub fn builtin() -> Result<&'static TradeTable> {
        static CELL: OnceLock<Result<TradeTable>> = OnceLock::new();
        CELL.get_or_init(TradeTable::load_builtin)
            .as_ref()
            .map_err(replay)
    }

    /// A fresh, uncached parse of the embedded files (to time the parse).
    ///
    /// # Errors
    /// As for [`TradeTable::builtin`].
    pub fn load_builtin() -> Result<TradeTable> {
        let products = HsConcordance::read(
            TRADE_HS92_CSV.as_bytes(),
            Some(PathBuf::from("data/trade_hs92_concordance.csv")),
        )?;
        TradeTable::read(
            GzDecoder::new(TRADE_BACI_GZ),
            Some(Path::new(TRADE_FILE)),
            products,
        )
    }

    /// Reads a table in the built-in layout (`year,exporter,importer,hs6,
    /// value_kusd,tonnes`, alpha-3 country codes) with its concordance.
    ///
    /// # Errors
    /// [`Error::Parse`] naming the line and column for a missing column, a
    /// malformed field, an unknown country, a code that is not in the
    /// concordance, a negative or non-finite figure, or a repeated
    /// (year, exporter, importer, code); [`Error::Inconsistent`] when the
    /// concordance gives a code several readings.
    pub(crate) fn read<R: Read>(
        reader: R,
        file: Option<&Path>,
        products: HsConcordance,
    ) -> Result<TradeTable> {
        if let Some(code) = products.codes().find(|c| products.get(*c).len() > 1) {
            return Err(Error::Inconsistent {
                kind: "trade concordance code",
                id: format!("{code:06}"),
                reason: "has several readings; the trade table needs one".into(),
            });
        }
        let mut rdr = HeaderReader::new(reader, file, b',', false, Names::Trimmed)?;
        let col = |name: &str| {
            rdr.position(name)
                .ok_or_else(|| parse_error(file, 1, None, format!("missing column {name:?}")))
        };
        let (cy, ce, ci, ch, cv, cq) = (
            col("year")?,
            col("exporter")?,
            col("importer")?,
            col("hs6")?,
            col("value_kusd")?,
            col("tonnes")?,
        );
        let mut countries: HashMap<String, Country> = HashMap::new();
        let mut rows: Vec<(TradeRow, u64)> = Vec::with_capacity(180_000);
        let mut rec = csv::StringRecord::new();
        while let Some(line) = rdr.next(&mut rec)? {
            let at = |c: usize, msg: String| parse_error(file, line, Some(c as u64 + 1), msg);
            let field = |c: usize| rec.get(c).map_or("", str::trim);
            let mut country = |c: usize| -> Result<Country> {
                let code = field(c);
                if let Some(k) = countries.get(code) {
                    return Ok(*k);
                }
                let k = Country::from_alpha3(code).map_err(|e| at(c, e.to_string()))?;
                countries.insert(code.to_string(), k);
                Ok(k)
            };
            let exporter = country(ce)?;
            let importer = country(ci)?;
            let year: i16 = field(cy)
                .parse()
                .map_err(|_| at(cy, format!("year: expected a year, got {:?}", field(cy))))?;
            let hs6 = parse_hs6(field(ch)).map_err(|e| at(ch, e.to_string()))?;
            if !products.contains(hs6) {
                return Err(at(
                    ch,
                    format!("hs6: code {hs6:06} is not in the trade concordance"),
                ));
            }
            let number = |c: usize, name: &str| -> Result<f64> {
                field(c)
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| {
                        at(
                            c,
                            format!(
                                "{name}: expected a finite non-negative number, got {:?}",
                                field(c)
                            ),
                        )
                    })
            };
            let value_kusd = number(cv, "value_kusd")?;
            Usd::from_thousands(value_kusd).map_err(|e| at(cv, e.to_string()))?;
            let tonnes = if field(cq).is_empty() {
                None
            } else {
                Some(Tonnes::new(number(cq, "tonnes")?).map_err(|e| at(cq, e.to_string()))?)
            };
            rows.push((
                TradeRow {
                    year,
                    exporter,
                    importer,
                    hs6,
                    value_kusd,
                    tonnes,
                },
                line,
            ));
        }
        // Stable, and the file is already ordered by year and code, so this
        // sorts short runs only.
        rows.sort_by_key(|(r, _)| key(r));
        if let Some(w) = rows.windows(2).find(|w| key(&w[0].0) == key(&w[1].0)) {
            let (r, line) = (&w[1].0, w[1].1);
            return Err(parse_error(
                file,
                line,
                None,
                format!(
                    "repeated row for {} {} → {} {:06} (first at line {})",
                    r.year, r.exporter, r.importer, r.hs6, w[0].1
                ),
            ));
        }
        Ok(TradeTable {
            rows: rows.into_iter().map(|(r, _)| r).collect(),
            products,
        })
    }

    /// Every row, sorted by year, HS code, exporter and importer.
    pub fn all_rows(&self) -> &[TradeRow] {
        &self.rows
    }

    /// The rows a query selects, in table order. A year (and a code) is
    /// found by binary search, O(log n); the other fields filter the rest.
    pub fn rows<'a>(&'a self, query: &'a TradeQuery) -> impl Iterator<Item = &'a TradeRow> + 'a {
        let span = match (query.year, query.hs6) {
            (Some(y), Some(h)) => {
                self.span(|r| (r.year, r.hs6) < (y, h), |r| (r.year, r.hs6) <= (y, h))
            }
            (Some(y), None) => self.span(|r| r.year < y, |r| r.year <= y),
            _ => &self.rows[..],
        };
        let codes: Option<Vec<u32>> =
            (query.mineral.is_some() || query.stage.is_some()).then(|| {
                self.products
                    .iter()
                    .filter(|e| query.mineral.as_ref().is_none_or(|m| *m == e.mineral))
                    .filter(|e| query.stage.is_none_or(|s| s == e.stage))
                    .map(|e| e.hs6)
                    .collect()
            });
        span.iter().filter(move |r| {
            query.hs6.is_none_or(|h| h == r.hs6)
                && query.exporter.is_none_or(|c| c == r.exporter)
                && query.importer.is_none_or(|c| c == r.importer)
                && codes.as_ref().is_none_or(|cs| cs.contains(&r.hs6))
        })
    }

    fn span(
        &self,
        before: impl Fn(&TradeRow) -> bool,
        up_to: impl Fn(&TradeRow) -> bool,
    ) -> &[TradeRow] {
        let lo = self.rows.partition_point(before);
        let hi = self.rows.partition_point(up_to);
        self.rows.get(lo..hi).unwrap_or(&[])
    }

    /// The concordance: each code's mineral, stage, official HS92 label and
    /// caveat.
    pub fn products(&self) -> &HsConcordance {
        &self.products
    }

    /// The reading of one code (mineral, stage, label, caveat); `None` for
    /// a code not in the table's concordance.
    pub fn product(&self, hs6: u32) -> Option<&HsEntry> {
        self.products.get(hs6).first()
    }

    /// The years with rows, sorted.
    pub fn years(&self) -> BTreeSet<i16> {
        let mut out = BTreeSet::new();
        let mut rest = &self.rows[..];
        while let Some(first) = rest.first() {
            let y = first.year;
            out.insert(y);
            rest = rest
                .get(rest.partition_point(|r| r.year <= y)..)
                .unwrap_or(&[]);
        }
        out
    }

    /// The number of rows without a quantity.
    pub fn rows_without_quantity(&self) -> usize {
        self.rows.iter().filter(|r| r.tonnes.is_none()).count()
    }
}

fn key(r: &TradeRow) -> (i16, u32, Country, Country) {
    (r.year, r.hs6, r.exporter, r.importer)
}
