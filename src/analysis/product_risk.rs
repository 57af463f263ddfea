//! GeoPolRisk on the built-in data: any importer, year and HS product.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::concentration::{Concentration, ConcentrationOptions};
use super::geopolrisk::{GeoPolRisk, GeoPolRiskOptions, MissingGovernance};
use crate::Dataset;
use crate::data::{
    GovernanceProxy, TradeQuery, TradeRow, TradeTable, WmdCommodity, WorldMiningData,
};
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
    /// Clamp `g` to 0–1 (default off; see
    /// [`GeoPolRiskOptions::clamp_g`]).
    pub clamp_g: bool,
    /// Whose WGI row an exporter takes (default [`GovernanceProxy::None`];
    /// [`GovernanceProxy::TaiwanForS19`] gives BACI's `S19` Taiwan's row,
    /// and the result's [`ProductRisk::governance_proxy`] says so).
    pub governance_proxy: GovernanceProxy,
    /// Reproduce geopolrisk-py 2.0.1 where we judge it wrong (default off;
    /// on under [`ProductRiskOptions::reference`]), so its scores can be
    /// matched exactly:
    /// - the economies whose WGI row the reference cannot match to a trade
    ///   partner (its WGI code is "NA": Taiwan, Liechtenstein, Monaco,
    ///   Martinique, Puerto Rico, Réunion, Jersey;
    ///   [`REFERENCE_WGI_GAPS`]) count as having no WGI value, although
    ///   the WGI has one;
    /// - the price is the value of every import row, rows without a
    ///   quantity and trade between region members included, over the
    ///   quantity (the default counts only the rows in `F` from outside:
    ///   a value without its tonnes inflates a price per kg), and imports
    ///   of no quantity at all are priced 0 (CF 0; the default gives no
    ///   price);
    /// - an importer with neither imports of a quantity nor output scores
    ///   0 (the default refuses: there is nothing to score);
    /// - World Mining Data rows that conflict (gold, `GUY` twice: Guyana
    ///   and French Guiana) both enter the HHI and `P` takes the first
    ///   (the default leaves them out).
    pub reference_quirks: bool,
}

/// The economies geopolrisk-py 2.0.1 gives no WGI value although the WGI
/// has one (their WGI rows carry the code "NA"), as ISO alpha-3 codes.
pub const REFERENCE_WGI_GAPS: [&str; 7] = ["TWN", "LIE", "MCO", "MTQ", "PRI", "REU", "JEY"];

/// Whether `c` is one of [`REFERENCE_WGI_GAPS`].
pub(crate) fn is_reference_gap(c: Country) -> bool {
    REFERENCE_WGI_GAPS.contains(&c.alpha3())
}

/// The WGI estimate of `c` in `year` under `options` (proxy, then the
/// reference's gaps when [`ProductRiskOptions::reference_quirks`] is set).
pub(crate) fn wgi_of(
    data: &Dataset,
    c: Country,
    year: i16,
    options: &ProductRiskOptions,
) -> Option<f64> {
    let row = data.governance_with(c, year, options.governance_proxy)?;
    if options.reference_quirks && is_reference_gap(row.country) {
        return None;
    }
    Some(row.estimate)
}

impl Default for ProductRiskOptions {
    fn default() -> ProductRiskOptions {
        ProductRiskOptions {
            wgi_year: WgiYear::Exact,
            domestic: DomesticProduction::WorldMiningData,
            missing_governance: MissingGovernance::Exclude,
            clamp_g: false,
            governance_proxy: GovernanceProxy::None,
            reference_quirks: false,
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
    /// Sets whether `g` is clamped to 0–1.
    pub fn clamp_g(mut self, clamp: bool) -> ProductRiskOptions {
        self.clamp_g = clamp;
        self
    }
    /// Sets whose WGI row an exporter takes.
    pub fn governance_proxy(mut self, proxy: GovernanceProxy) -> ProductRiskOptions {
        self.governance_proxy = proxy;
        self
    }
    /// "As geopolrisk-py 2.0.1 computes it": a missing WGI value counts as
    /// `g = 0.5`, `g` is clamped to 0–1, `P` is the WMD output, each year
    /// takes its own WGI, `S19` has no WGI row (so it counts as 0.5), and
    /// [`ProductRiskOptions::reference_quirks`] is on.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::{MissingGovernance, ProductRiskOptions};
    /// let o = ProductRiskOptions::reference();
    /// assert_eq!(o.missing_governance, MissingGovernance::Neutral);
    /// assert!(o.clamp_g);
    /// ```
    pub fn reference() -> ProductRiskOptions {
        ProductRiskOptions {
            missing_governance: MissingGovernance::Neutral,
            clamp_g: true,
            reference_quirks: true,
            ..ProductRiskOptions::default()
        }
    }
    /// The options of the score itself.
    pub(crate) fn geopolrisk(&self) -> GeoPolRiskOptions {
        GeoPolRiskOptions::new()
            .missing_governance(self.missing_governance)
            .clamp_g(self.clamp_g)
    }
}

/// geopolrisk-py's reference characterization factor: the average
/// GeoPolRisk factor of copper for OECD importers 2017–2021, in USD/kg
/// (score × price). A characterization factor in kg Cu-eq/kg is a score
/// × its price ÷ this constant.
pub const COPPER_REFERENCE_CF: f64 = 0.409412948;

/// The price of imports (USD/kg, value ÷ quantity) and the
/// characterization factor `score × price ÷ 0.409412948` (kg Cu-eq/kg,
/// [`COPPER_REFERENCE_CF`]).
///
/// # Example
/// ```
/// use critical_minerals::analysis::CharacterizationFactor;
/// // 2,000 kUSD for 500 t: 2,000,000 USD / 500,000 kg = 4 USD/kg.
/// let cf = CharacterizationFactor::new(0.1, 2_000.0, 500.0).unwrap();
/// assert!((cf.price_usd_per_kg - 4.0).abs() < 1e-12);
/// // 0.1 × 4 / 0.409412948 = 0.977023...
/// assert!((cf.factor - 0.4 / 0.409412948).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CharacterizationFactor {
    /// Import value over import quantity, USD/kg.
    pub price_usd_per_kg: f64,
    /// `score × price ÷ 0.409412948`, kg Cu-eq/kg.
    pub factor: f64,
}

impl CharacterizationFactor {
    /// From a score, the import value (thousand USD) and the import
    /// quantity (tonnes) of the same rows; `None` when the quantity is not
    /// positive or either figure is not finite (no price exists).
    pub fn new(score: f64, value_kusd: f64, tonnes: f64) -> Option<CharacterizationFactor> {
        if tonnes <= 0.0 || !value_kusd.is_finite() || !tonnes.is_finite() || !score.is_finite() {
            return None;
        }
        // kUSD / t = 1000 USD / 1000 kg = USD/kg.
        let price = value_kusd / tonnes;
        Some(CharacterizationFactor {
            price_usd_per_kg: price,
            factor: score * price / COPPER_REFERENCE_CF,
        })
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
    /// Whose WGI row each exporter took.
    pub governance_proxy: GovernanceProxy,
    /// Price and characterization factor, from the rows counted in `F`
    /// (`None` when they have no quantity).
    pub characterization: Option<CharacterizationFactor>,
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
        if self.governance_proxy != GovernanceProxy::None {
            writeln!(f, "  governance proxy: {:?}", self.governance_proxy)?;
        }
        write!(f, "{}", self.risk)?;
        write_cf(f, self.characterization)
    }
}

pub(crate) fn write_cf(
    f: &mut fmt::Formatter<'_>,
    cf: Option<CharacterizationFactor>,
) -> fmt::Result {
    match cf {
        Some(c) => writeln!(
            f,
            "  price {:.3} USD/kg; characterization factor {:.6} kg Cu-eq/kg",
            c.price_usd_per_kg, c.factor
        ),
        None => writeln!(
            f,
            "  no price (no import quantity): no characterization factor"
        ),
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
pub(crate) struct Prepared<'d> {
    pub(crate) commodity: &'d WmdCommodity,
    pub(crate) hhi: Concentration,
    pub(crate) wgi_year: i16,
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
    prepare_commodity(data, wmd, commodity, year, options)
}

/// The HHI and WGI year of one WMD commodity in one year.
pub(crate) fn prepare_commodity<'d>(
    data: &Dataset,
    wmd: &'d WorldMiningData,
    commodity: &'d WmdCommodity,
    year: i16,
    options: &ProductRiskOptions,
) -> Result<Prepared<'d>> {
    let rows = wmd
        .year_of(&commodity.name, year)
        .iter()
        .filter(|r| {
            r.country != Country::WLD && (options.reference_quirks || !wmd.is_conflicting(r))
        })
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
    let s = score_rows(
        data,
        wmd,
        basis,
        (importer, &[importer], false),
        year,
        rows,
        options,
    )?;
    Ok(ProductRisk {
        year,
        hs6,
        commodity: basis.commodity.name.clone(),
        production_basis: basis.commodity.basis.to_string(),
        wgi_year: basis.wgi_year,
        rows_without_quantity: s.without,
        governance_proxy: options.governance_proxy,
        characterization: s.characterization,
        risk: s.risk,
    })
}

/// A score on trade rows, before it is labelled.
pub(crate) struct Scored {
    pub(crate) risk: GeoPolRisk,
    pub(crate) without: usize,
    pub(crate) characterization: Option<CharacterizationFactor>,
}

/// The score of `importer` from its import rows (any codes of one
/// commodity; several rows per exporter are added). `who` is the label,
/// the member countries (the label alone for a country) and whether trade
/// between members counts in `F` with weight 0.
pub(crate) fn score_rows<'r>(
    data: &Dataset,
    wmd: &WorldMiningData,
    basis: &Prepared<'_>,
    who: (Country, &[Country], bool),
    year: i16,
    rows: impl IntoIterator<Item = &'r TradeRow>,
    options: &ProductRiskOptions,
) -> Result<Scored> {
    let (importer, members, intra_in_total) = who;
    let mut without = 0;
    let mut imports = Vec::new();
    let (mut value, mut quantity) = (0.0, 0.0);
    let quirks = options.reference_quirks;
    for r in rows {
        let outside = !members.contains(&r.exporter);
        match r.tonnes {
            Some(t) => {
                imports.push((r.exporter, t));
                if outside || quirks {
                    value += r.value_kusd;
                    quantity += t.get();
                }
            }
            None => {
                without += 1;
                if quirks {
                    value += r.value_kusd;
                }
            }
        }
    }
    let domestic = match options.domestic {
        DomesticProduction::Exclude => Tonnes::ZERO,
        DomesticProduction::WorldMiningData => {
            let rows = wmd.year_of(&basis.commodity.name, year);
            members
                .iter()
                .filter_map(|m| {
                    rows.iter()
                        .find(|r| r.country == *m && (quirks || !wmd.is_conflicting(r)))
                })
                .map(|r| r.reported.tonnes())
                .sum()
        }
    };
    let wy = basis.wgi_year;
    let counted: f64 = imports
        .iter()
        .filter(|(c, _)| intra_in_total || !members.contains(c))
        .map(|(_, t)| t.get())
        .sum();
    if quirks && counted + domestic.get() <= 0.0 {
        // The reference scores an importer with neither imports of a
        // quantity nor output as 0 (its division fails and it returns 0).
        return Ok(Scored {
            risk: GeoPolRisk {
                importer,
                mineral: basis.hhi.mineral.clone(),
                stage: basis.hhi.stage,
                hhi_fraction: basis.hhi.hhi_fraction(),
                hhi_lower_bound: basis.hhi.lower_bound,
                total_imports: Tonnes::ZERO,
                domestic_production: domestic,
                weighted_import_share: 0.0,
                score: 0.0,
                imports: Vec::new(),
                excluded: Vec::new(),
                neutral: Vec::new(),
                clamped: Vec::new(),
            },
            without,
            characterization: Some(CharacterizationFactor {
                price_usd_per_kg: 0.0,
                factor: 0.0,
            }),
        });
    }
    let risk = GeoPolRisk::from_parts_members(
        importer,
        members,
        intra_in_total,
        &basis.hhi,
        domestic,
        imports,
        |c| wgi_of(data, c, wy, options),
        &options.geopolrisk(),
    )?;
    let characterization = match CharacterizationFactor::new(risk.score, value, quantity) {
        // The reference prices an import of no quantity at 0 (so CF 0).
        None if quirks => Some(CharacterizationFactor {
            price_usd_per_kg: 0.0,
            factor: 0.0,
        }),
        cf => cf,
    };
    Ok(Scored {
        risk,
        without,
        characterization,
    })
}
