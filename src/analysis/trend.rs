//! The same question for every year: a year series with a table.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use super::concentration::Concentration;
use super::product_risk::ProductRisk;
use super::text::Table;
use crate::Dataset;
use crate::data::TradeQuery;
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Share, Tonnes, Usd};

/// One year of a [`Trend`]: the answer, or why there is none (a gap stays
/// a gap).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint<T> {
    /// The year.
    pub year: i16,
    /// The answer, when the data has one.
    pub value: Option<T>,
    /// Why there is no answer (the [`Error::NoData`] message).
    pub gap: Option<String>,
}

/// The same question asked for every year, as data (serde) with a
/// `Display` table when the answer is a [`TrendRow`].
///
/// # Example
/// ```
/// use critical_minerals::Country;
/// use critical_minerals::analysis::{ImportDependence, Trend};
/// // US dependence on China for rare-earth compounds (HS 284690 + 284610).
/// let t = Trend::collect("US dependence on China, rare-earth compounds", 2019..=2024, |y| {
///     ImportDependence::builtin(Country::USA, Country::CHN, &[284690, 284610], y)
/// })?;
/// assert_eq!(t.points.len(), 6);
/// println!("{t}");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
///
/// A stage's concentration by year, on one production source for every
/// year (World Mining Data; USGS MCS 2025 covers only its last years):
/// ```
/// use critical_minerals::{Dataset, Mineral, Stage};
/// use critical_minerals::analysis::{ConcentrationOptions, Trend};
/// use critical_minerals::data::{ProductionSource, WorldChainOptions};
/// let data = Dataset::builtin()?;
/// let t = Trend::collect("Rare-earth mine output (WMD, REO)", 2019..=2024, |y| {
///     let opts = WorldChainOptions::new(y).production(ProductionSource::Wmd);
///     let world = data.world_chain(&opts)?;
///     world.chain.concentration(&Mineral::RARE_EARTHS, Stage::Extraction, &ConcentrationOptions::new())
/// })?;
/// // China mines most of the world's rare earths every year: highly concentrated.
/// assert!(t.points.iter().all(|p| p.value.as_ref().is_some_and(|c| c.hhi > 2_500.0)));
/// println!("{t}");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend<T> {
    /// What was asked.
    pub title: String,
    /// One point per year, ascending.
    pub points: Vec<TrendPoint<T>>,
}

impl<T> Trend<T> {
    /// Asks `question` for each year (ascending, each once). A year for
    /// which it answers [`Error::NoData`] becomes a gap with the message.
    ///
    /// # Errors
    /// The first error other than [`Error::NoData`].
    pub fn collect(
        title: impl Into<String>,
        years: impl IntoIterator<Item = i16>,
        mut question: impl FnMut(i16) -> Result<T>,
    ) -> Result<Trend<T>> {
        let years: BTreeSet<i16> = years.into_iter().collect();
        let mut points = Vec::with_capacity(years.len());
        for year in years {
            let (value, gap) = match question(year) {
                Ok(v) => (Some(v), None),
                Err(Error::NoData { what }) => (None, Some(format!("no data: {what}"))),
                Err(e) => return Err(e),
            };
            points.push(TrendPoint { year, value, gap });
        }
        Ok(Trend {
            title: title.into(),
            points,
        })
    }
}

/// An answer that prints as one row of a [`Trend`] table.
pub trait TrendRow {
    /// The column names after `year`.
    fn header() -> Vec<&'static str>;
    /// The cells, as many as [`TrendRow::header`].
    fn cells(&self) -> Vec<String>;
}

impl<T: TrendRow> fmt::Display for Trend<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.title)?;
        let mut header = vec!["year"];
        header.extend(T::header());
        let mut t = Table::new(header);
        for p in &self.points {
            let mut row = vec![p.year.to_string()];
            match (&p.value, &p.gap) {
                (Some(v), _) => row.extend(v.cells()),
                (None, gap) => row.push(gap.clone().unwrap_or_else(|| "-".into())),
            }
            t.row(row);
        }
        t.write(f, "  ")
    }
}

/// One importer's dependence on one exporter for a set of HS products in
/// a year, from the built-in BACI table: by tonnes (rows with a quantity)
/// and by value (every row). The codes must share a basis to be added: all
/// trade quantities are product weight, so any set of codes may be, but
/// the sum is tonnes of *products* (compound weight), not of an element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportDependence {
    /// The importer.
    pub importer: Country,
    /// The exporter.
    pub exporter: Country,
    /// The HS92 codes.
    pub codes: Vec<u32>,
    /// The year.
    pub year: i16,
    /// Tonnes from the exporter (rows with a quantity).
    pub from_exporter: Tonnes,
    /// Tonnes from every exporter (rows with a quantity).
    pub total: Tonnes,
    /// `from_exporter / total`.
    pub share: Share,
    /// Value from the exporter.
    pub value_from_exporter: Usd,
    /// Value from every exporter.
    pub value_total: Usd,
    /// `value_from_exporter / value_total`.
    pub share_by_value: Share,
    /// Import rows without quantity (in the values, not the tonnes).
    pub rows_without_quantity: usize,
}

impl ImportDependence {
    /// Computes it from the built-in BACI table.
    ///
    /// Complexity: O(log R + r) per code for its r rows that year.
    ///
    /// # Errors
    /// [`Error::NoData`] when the importer has no imports of the codes that
    /// year; as [`Dataset::trade`].
    pub fn builtin(
        importer: Country,
        exporter: Country,
        codes: &[u32],
        year: i16,
    ) -> Result<ImportDependence> {
        let trade = Dataset::builtin()?.trade()?;
        let (mut t_from, mut t_all, mut v_from, mut v_all, mut rows, mut without) =
            (0.0, 0.0, 0.0, 0.0, 0usize, 0usize);
        for &code in codes {
            let q = TradeQuery::new().year(year).hs6(code).importer(importer);
            for r in trade.rows(&q) {
                rows += 1;
                let t = r.tonnes.map_or(0.0, |t| t.get());
                without += usize::from(r.tonnes.is_none());
                let v = r.value()?.get();
                t_all += t;
                v_all += v;
                if r.exporter == exporter {
                    t_from += t;
                    v_from += v;
                }
            }
        }
        if rows == 0 {
            return Err(Error::NoData {
                what: format!("{importer} imports of HS {codes:?} in {year}"),
            });
        }
        Ok(ImportDependence {
            importer,
            exporter,
            codes: codes.to_vec(),
            year,
            from_exporter: Tonnes::new(t_from)?,
            total: Tonnes::new(t_all)?,
            share: Share::ratio(t_from, t_all),
            value_from_exporter: Usd::new(v_from)?,
            value_total: Usd::new(v_all)?,
            share_by_value: Share::ratio(v_from, v_all),
            rows_without_quantity: without,
        })
    }
}

impl TrendRow for ImportDependence {
    fn header() -> Vec<&'static str> {
        vec![
            "from exporter",
            "all imports",
            "share (t)",
            "value from",
            "value all",
            "share ($)",
            "rows w/o qty",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.from_exporter.to_string(),
            self.total.to_string(),
            self.share.to_string(),
            self.value_from_exporter.to_string(),
            self.value_total.to_string(),
            self.share_by_value.to_string(),
            self.rows_without_quantity.to_string(),
        ]
    }
}

impl TrendRow for Concentration {
    fn header() -> Vec<&'static str> {
        vec!["total", "HHI", "top-1", "top-3", "producers"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.total.to_string(),
            format!("{:.0}", self.hhi),
            self.top1.to_string(),
            self.top3.to_string(),
            self.producers.to_string(),
        ]
    }
}

impl TrendRow for ProductRisk {
    fn header() -> Vec<&'static str> {
        vec![
            "HHI",
            "imports F",
            "P",
            "weighted share",
            "score",
            "WGI year",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            format!("{:.4}", self.risk.hhi_fraction),
            self.risk.total_imports.to_string(),
            self.risk.domestic_production.to_string(),
            format!("{:.4}", self.risk.weighted_import_share),
            format!("{:.4}", self.risk.score),
            self.wgi_year.to_string(),
        ]
    }
}

/// The totals of a bilateral profile in one year, from the built-in BACI
/// table: tonnes and value each way between two countries, for every
/// mineral product or one mineral's. Tonnes are of products (product
/// weight, any mix of codes), from rows with a quantity; values are of
/// every row; rows without a quantity are counted, never read as 0 t.
///
/// # Example
/// ```
/// use critical_minerals::Country;
/// use critical_minerals::analysis::BilateralTotals;
/// let t = BilateralTotals::trend(Country::USA, Country::MYS, None)?;
/// assert_eq!(t.points.len(), 6); // 2019–2024
/// println!("{t}");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BilateralTotals {
    /// The first country.
    pub a: Country,
    /// The second country.
    pub b: Country,
    /// Only this mineral's products; `None`: every mineral product.
    pub mineral: Option<Mineral>,
    /// The year.
    pub year: i16,
    /// Tonnes from `a` to `b` (rows with a quantity).
    pub tonnes_a_to_b: Tonnes,
    /// Value from `a` to `b` (every row).
    pub value_a_to_b: Usd,
    /// Rows from `a` to `b`.
    pub rows_a_to_b: usize,
    /// Of those, rows without a quantity (in the value, not the tonnes).
    pub without_quantity_a_to_b: usize,
    /// Tonnes from `b` to `a` (rows with a quantity).
    pub tonnes_b_to_a: Tonnes,
    /// Value from `b` to `a` (every row).
    pub value_b_to_a: Usd,
    /// Rows from `b` to `a`.
    pub rows_b_to_a: usize,
    /// Of those, rows without a quantity.
    pub without_quantity_b_to_a: usize,
}

impl BilateralTotals {
    /// The totals of `a` and `b`'s trade in `year` (of `mineral`'s
    /// products only, when given). A year of the table with no trade
    /// between them is an answer of zeros, not a gap.
    ///
    /// Complexity: O(log R + r) for the r rows of each direction.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] when `a` is `b`; [`Error::NoData`] for a
    /// year the table does not cover (BACI: 2019–2024); as
    /// [`Dataset::trade`].
    pub fn builtin(
        a: Country,
        b: Country,
        mineral: Option<&Mineral>,
        year: i16,
    ) -> Result<BilateralTotals> {
        if a == b {
            return Err(Error::Inconsistent {
                kind: "bilateral pair",
                id: format!("{a}-{b}"),
                reason: "a country's trade with itself is not bilateral".into(),
            });
        }
        let trade = Dataset::builtin()?.trade()?;
        if !trade.years().contains(&year) {
            return Err(Error::NoData {
                what: format!("BACI trade in {year} (the table has 2019–2024)"),
            });
        }
        let way = |from: Country, to: Country| -> Result<(f64, f64, usize, usize)> {
            let mut q = TradeQuery::new().year(year).exporter(from).importer(to);
            if let Some(m) = mineral {
                q = q.mineral(m.clone());
            }
            let (mut t, mut v, mut rows, mut without) = (0.0, 0.0, 0, 0);
            for r in trade.rows(&q) {
                rows += 1;
                match r.tonnes {
                    Some(x) => t += x.get(),
                    None => without += 1,
                }
                v += r.value()?.get();
            }
            Ok((t, v, rows, without))
        };
        let (t_ab, v_ab, r_ab, w_ab) = way(a, b)?;
        let (t_ba, v_ba, r_ba, w_ba) = way(b, a)?;
        Ok(BilateralTotals {
            a,
            b,
            mineral: mineral.cloned(),
            year,
            tonnes_a_to_b: Tonnes::new(t_ab)?,
            value_a_to_b: Usd::new(v_ab)?,
            rows_a_to_b: r_ab,
            without_quantity_a_to_b: w_ab,
            tonnes_b_to_a: Tonnes::new(t_ba)?,
            value_b_to_a: Usd::new(v_ba)?,
            rows_b_to_a: r_ba,
            without_quantity_b_to_a: w_ba,
        })
    }

    /// The totals for every year of the built-in table, 2019–2024, as a
    /// [`Trend`] (a table when printed, serde as data).
    ///
    /// # Errors
    /// As [`BilateralTotals::builtin`], except [`Error::NoData`], which
    /// becomes a gap.
    pub fn trend(
        a: Country,
        b: Country,
        mineral: Option<Mineral>,
    ) -> Result<Trend<BilateralTotals>> {
        let what = mineral.as_ref().map_or_else(
            || "mineral products".to_string(),
            |m| format!("{m} products"),
        );
        Trend::collect(
            format!("{a} <-> {b} trade in {what} (BACI; tonnes of product weight)"),
            2019..=2024,
            |y| BilateralTotals::builtin(a, b, mineral.as_ref(), y),
        )
    }
}

impl TrendRow for BilateralTotals {
    fn header() -> Vec<&'static str> {
        vec![
            "a → b (t)",
            "a → b (value)",
            "rows w/o qty",
            "b → a (t)",
            "b → a (value)",
            "rows w/o qty",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.tonnes_a_to_b.to_string(),
            self.value_a_to_b.to_string(),
            format!("{} of {}", self.without_quantity_a_to_b, self.rows_a_to_b),
            self.tonnes_b_to_a.to_string(),
            self.value_b_to_a.to_string(),
            format!("{} of {}", self.without_quantity_b_to_a, self.rows_b_to_a),
        ]
    }
}
