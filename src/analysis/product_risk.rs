//! GeoPolRisk on the built-in data: any importer, year and HS product.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::concentration::{Concentration, ConcentrationOptions};
use super::geopolrisk::{GeoPolRisk, GeoPolRiskOptions, MissingGovernance};
use crate::Dataset;
use crate::data::{TradeQuery, TradeRow, TradeTable, WmdCommodity, WorldMiningData};
use crate::error::{Error, Result};
use crate::model::{Country, Tonnes};

/// Which WGI year a score uses. The built-in WGI covers 2019–2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WgiYear {
    /// The score's own year; a year without WGI values is an error naming
    /// it (the default).
    #[default]
    Exact,
    /// The WGI year nearest the score's year (2022 for 2023 and 2024, 2020
    /// for 2019); the result's [`ProductRisk::wgi_year`] says which.
    Nearest,
}

/// What the importer's domestic production `P` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DomesticProduction {
    /// The importer's World Mining Data output of the commodity (the
    /// reference implementation's `P`, the default). It adds the WMD basis
    /// (content or gross weight) to imports in product weight; the result
    /// names both bases ([`ProductRisk::production_basis`]).
    #[default]
    WorldMiningData,
    /// `P = 0`: imports only, one basis throughout.
    Exclude,
}

/// Options of [`ProductRisk::builtin`] and [`ProductRisk::builtin_batch`].
///
/// # Example
/// ```
/// use critical_minerals::analysis::{DomesticProduction, ProductRiskOptions, WgiYear};
/// let o = ProductRiskOptions::new().wgi_year(WgiYear::Nearest)
///     .domestic(DomesticProduction::Exclude);
/// assert_eq!(o.wgi_year, WgiYear::Nearest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProductRiskOptions {
    /// Which WGI year to use (default [`WgiYear::Exact`]).
    pub wgi_year: WgiYear,
    /// What `P` is (default [`DomesticProduction::WorldMiningData`]).
    pub domestic: DomesticProduction,
    /// Exporters without a WGI value (default
    /// [`MissingGovernance::Exclude`]: left out of the numerator and
    /// listed; BACI has partners such as `S19` and small territories that
    /// WGI does not cover).
    pub missing_governance: MissingGovernance,
}

impl Default for ProductRiskOptions {
    fn default() -> ProductRiskOptions {
        ProductRiskOptions {
            wgi_year: WgiYear::Exact,
            domestic: DomesticProduction::WorldMiningData,
            missing_governance: MissingGovernance::Exclude,
        }
    }
}

impl ProductRiskOptions {
    /// The defaults.
    pub fn new() -> ProductRiskOptions {
        ProductRiskOptions::default()
    }
    /// Sets which WGI year to use.
    pub fn wgi_year(mut self, rule: WgiYear) -> ProductRiskOptions {
        self.wgi_year = rule;
        self
    }
    /// Sets what `P` is.
    pub fn domestic(mut self, d: DomesticProduction) -> ProductRiskOptions {
        self.domestic = d;
        self
    }
    /// Sets how exporters without a WGI value are handled.
    pub fn missing_governance(mut self, m: MissingGovernance) -> ProductRiskOptions {
        self.missing_governance = m;
        self
    }
}

/// A GeoPolRisk score computed on the built-in data, with what it rests on.
///
/// - **HHI**: World Mining Data production of the commodity of the
///   product's mineral (HS 284690, rare-earth compounds → `Rare Earths
///   (REO)`, mine output), same year, world total and the conflicting gold
///   rows of Guyana left out;
/// - **imports `fᵢ`**: BACI tonnes of that HS code into the importer, by
///   exporter (rows without quantity are left out and counted);
/// - **`P`**: see [`DomesticProduction`];
/// - **governance**: WGI political stability of [`ProductRisk::wgi_year`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductRisk {
    /// The year of trade and production.
    pub year: i16,
    /// The HS92 code.
    pub hs6: u32,
    /// The WMD commodity whose production HHI is used.
    pub commodity: String,
    /// What that production measures, and `P` with it.
    pub production_basis: String,
    /// The WGI year used.
    pub wgi_year: i16,
    /// Import rows without a quantity, left out of `F`.
    pub rows_without_quantity: usize,
    /// The score and its parts.
    pub risk: GeoPolRisk,
}

impl fmt::Display for ProductRisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "HS {:06}, {} (trade and production); HHI of WMD {:?} ({}); WGI {}",
            self.hs6, self.year, self.commodity, self.production_basis, self.wgi_year
        )?;
        if self.rows_without_quantity > 0 {
            writeln!(
                f,
                "  {} import rows without quantity left out of F",
                self.rows_without_quantity
            )?;
        }
        write!(f, "{}", self.risk)
    }
}

/// Every score [`ProductRisk::builtin_batch`] could compute, and how many
/// (importer, product, year) it could not, by reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductRiskBatch {
    /// The scores, by year, code and importer.
    pub scores: Vec<ProductRisk>,
    /// Combinations left out, by reason (a code whose mineral has no WMD
    /// commodity or no production that year; an importer whose imports
    /// all lack a quantity).
    pub skipped: BTreeMap<String, usize>,
}

/// The data one (year, code) shares across importers.
struct Prepared<'d> {
    commodity: &'d WmdCommodity,
    hhi: Concentration,
    wgi_year: i16,
}

impl ProductRisk {
    /// The GeoPolRisk of `importer`'s supply of the product `hs6` in `year`
    /// on the built-in data (see the type's docs for each part).
    ///
    /// Complexity: O(log R + r) for the code's r rows that year, after the
    /// one-off parse of the tables.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for a code not in the trade concordance;
    /// [`Error::NoData`] when the product's mineral has no WMD commodity or
    /// no production that year, when the year has no WGI values under
    /// [`WgiYear::Exact`] (naming the year), or when `F + P` is zero; as
    /// [`GeoPolRisk::from_parts`] otherwise.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::Country;
    /// use critical_minerals::analysis::{ProductRisk, ProductRiskOptions};
    /// let r = ProductRisk::builtin(Country::USA, 284690, 2022, &ProductRiskOptions::new())?;
    /// assert_eq!(r.commodity, "Rare Earths (REO)");
    /// assert!(r.risk.score > 0.0 && r.risk.score < 1.0);
    /// // 2024 is scored with 2024's WGI.
    /// let r = ProductRisk::builtin(Country::USA, 284690, 2024, &ProductRiskOptions::new())?;
    /// assert_eq!(r.wgi_year, 2024);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin(
        importer: Country,
        hs6: u32,
        year: i16,
        options: &ProductRiskOptions,
    ) -> Result<ProductRisk> {
        let data = Dataset::builtin()?;
        let (trade, wmd) = (data.trade()?, data.world_mining_data()?);
        let basis = prepare(data, trade, wmd, hs6, year, options)?;
        let q = TradeQuery::new().year(year).hs6(hs6).importer(importer);
        score(
            data,
            wmd,
            &basis,
            importer,
            hs6,
            year,
            trade.rows(&q),
            options,
        )
    }

    /// Every (importer, product, year) score the built-in data supports for
    /// the given years: each importer with BACI imports of a code whose
    /// mineral has WMD production that year (and WGI values, under
    /// [`WgiYear::Exact`]). About 200 × 52 × 6 scores for 2019–2024.
    ///
    /// Complexity: O(R log R) over the years' trade rows.
    ///
    /// # Errors
    /// As [`ProductRisk::builtin`] for a failure other than the reasons
    /// counted in [`ProductRiskBatch::skipped`].
    pub fn builtin_batch(
        years: impl IntoIterator<Item = i16>,
        options: &ProductRiskOptions,
    ) -> Result<ProductRiskBatch> {
        let data = Dataset::builtin()?;
        let (trade, wmd) = (data.trade()?, data.world_mining_data()?);
        let mut out = ProductRiskBatch {
            scores: Vec::new(),
            skipped: BTreeMap::new(),
        };
        let years: BTreeSet<i16> = years.into_iter().collect();
        for year in years {
            for hs6 in trade.products().codes() {
                let basis = match prepare(data, trade, wmd, hs6, year, options) {
                    Ok(b) => b,
                    Err(Error::NoData { what }) => {
                        *out.skipped.entry(format!("no data: {what}")).or_default() += 1;
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let q = TradeQuery::new().year(year).hs6(hs6);
                let mut by_importer: BTreeMap<Country, Vec<&TradeRow>> = BTreeMap::new();
                for r in trade.rows(&q) {
                    by_importer.entry(r.importer).or_default().push(r);
                }
                for (importer, rows) in by_importer {
                    match score(data, wmd, &basis, importer, hs6, year, rows, options) {
                        Ok(s) => out.scores.push(s),
                        Err(Error::NoData { .. }) => {
                            *out.skipped
                                .entry("no imports with a quantity and no production".into())
                                .or_default() += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(out)
    }
}

fn prepare<'d>(
    data: &Dataset,
    trade: &TradeTable,
    wmd: &'d WorldMiningData,
    hs6: u32,
    year: i16,
    options: &ProductRiskOptions,
) -> Result<Prepared<'d>> {
    let product = trade.product(hs6).ok_or_else(|| Error::UnknownValue {
        field: "hs6",
        value: format!("{hs6:06}"),
        expected: "a code of data/trade_hs92_concordance.csv",
    })?;
    let commodity = wmd
        .commodity_of(&product.mineral)
        .ok_or_else(|| Error::NoData {
            what: format!(
                "World Mining Data commodity for {} (HS {hs6:06})",
                product.mineral
            ),
        })?;
    let rows = wmd
        .year_of(&commodity.name, year)
        .iter()
        .filter(|r| r.country != Country::WLD && !wmd.is_conflicting(r))
        .map(|r| (r.country, r.reported.tonnes()));
    let hhi = Concentration::from_outputs(rows, &ConcentrationOptions::new())
        .map_err(|_| Error::NoData {
            what: format!(
                "World Mining Data production of {:?} in {year}",
                commodity.name
            ),
        })?
        .labelled(commodity.mineral.clone(), commodity.stage);
    let wgi_years: BTreeSet<i16> = data.governance_rows().map(|g| g.year).collect();
    let wgi_year = if wgi_years.contains(&year) {
        year
    } else {
        match options.wgi_year {
            WgiYear::Exact => {
                return Err(Error::NoData {
                    what: format!(
                        "WGI governance for {year} (the built-in WGI covers {:?}; \
                         WgiYear::Nearest uses the nearest year)",
                        wgi_years
                    ),
                });
            }
            WgiYear::Nearest => wgi_years
                .iter()
                .copied()
                .min_by_key(|y| ((y - year).abs(), *y))
                .ok_or_else(|| Error::NoData {
                    what: "WGI governance values".into(),
                })?,
        }
    };
    Ok(Prepared {
        commodity,
        hhi,
        wgi_year,
    })
}

#[allow(clippy::too_many_arguments)]
fn score<'r>(
    data: &Dataset,
    wmd: &WorldMiningData,
    basis: &Prepared<'_>,
    importer: Country,
    hs6: u32,
    year: i16,
    rows: impl IntoIterator<Item = &'r TradeRow>,
    options: &ProductRiskOptions,
) -> Result<ProductRisk> {
    let mut without = 0;
    let mut imports = Vec::new();
    for r in rows {
        match r.tonnes {
            Some(t) => imports.push((r.exporter, t)),
            None => without += 1,
        }
    }
    let domestic = match options.domestic {
        DomesticProduction::Exclude => Tonnes::ZERO,
        DomesticProduction::WorldMiningData => wmd
            .year_of(&basis.commodity.name, year)
            .iter()
            .find(|r| r.country == importer && !wmd.is_conflicting(r))
            .map_or(Tonnes::ZERO, |r| r.reported.tonnes()),
    };
    let wy = basis.wgi_year;
    let risk = GeoPolRisk::from_parts(
        importer,
        &basis.hhi,
        domestic,
        imports,
        |c| data.governance(c, wy).map(|g| g.estimate),
        &GeoPolRiskOptions::new().missing_governance(options.missing_governance),
    )?;
    Ok(ProductRisk {
        year,
        hs6,
        commodity: basis.commodity.name.clone(),
        production_basis: basis.commodity.basis.to_string(),
        wgi_year: wy,
        rows_without_quantity: without,
        risk,
    })
}
