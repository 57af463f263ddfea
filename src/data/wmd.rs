//! The embedded World Mining Data table: production by country of 56
//! commodities, 2018–2024, parsed on first use.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;

use super::rows::{Reported, Unit};
use super::sheet::{Row, Sheet, replay};
use crate::error::{Error, Result};
use crate::model::{Basis, Country, Mineral, Stage};

const WMD_PRODUCTION_CSV: &str = include_str!("../../data/wmd_production.csv");
const WMD_COMMODITIES_CSV: &str = include_str!("../../data/wmd_commodities.csv");

/// The source id of the built-in World Mining Data table in the source
/// register.
pub const WMD_SOURCE: &str = "wmd_2025";

/// The flag World Mining Data puts on a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WmdFlag {
    /// `r`: reported.
    Reported,
    /// `e`: estimated.
    Estimated,
    /// `p`: preliminary.
    Preliminary,
}

impl WmdFlag {
    /// The letter WMD prints (`r`, `e`, `p`).
    pub fn letter(self) -> char {
        match self {
            WmdFlag::Reported => 'r',
            WmdFlag::Estimated => 'e',
            WmdFlag::Preliminary => 'p',
        }
    }
}

impl fmt::Display for WmdFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            WmdFlag::Reported => "reported",
            WmdFlag::Estimated => "estimated",
            WmdFlag::Preliminary => "preliminary",
        })
    }
}

/// A World Mining Data commodity (`wmd_commodities.csv`): the WMD table
/// name, and our reading of it as a mineral, a stage and a basis
/// (confidence B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WmdCommodity {
    /// The WMD table name (`Rare Earths (REO)`).
    pub name: String,
    /// The mineral id (`rare-earths`).
    pub mineral: Mineral,
    /// The stage the output is counted at.
    pub stage: Stage,
    /// What the figures measure (`rare-earth oxide (REO) content of mine
    /// output`).
    pub basis: Basis,
    /// A remark, when the file has one.
    pub note: Option<String>,
}

/// One World Mining Data figure: a country's production of a commodity in
/// a year.
#[derive(Debug, Clone, PartialEq)]
pub struct WmdRow {
    /// The WMD commodity name (see [`WorldMiningData::commodity`]).
    pub commodity: String,
    /// The commodity's mineral.
    pub mineral: Mineral,
    /// The commodity's stage.
    pub stage: Stage,
    /// The country (`WLD` is the WMD world total, `XKX` Kosovo, `S19`
    /// Taiwan).
    pub country: Country,
    /// The year.
    pub year: i16,
    /// The figure as published (metric tonnes, or kilograms for precious
    /// metals and rhenium), and in tonnes.
    pub reported: Reported,
    /// The WMD flag; `None` where WMD gives none.
    pub flag: Option<WmdFlag>,
}

/// Which World Mining Data rows to return; unset fields keep all rows.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Dataset, Mineral};
/// use critical_minerals::data::WmdQuery;
/// let wmd = Dataset::builtin()?.world_mining_data()?;
/// let q = WmdQuery::new().mineral(Mineral::RARE_EARTHS).country(Country::MYS);
/// let years: Vec<i16> = wmd.rows(&q).map(|r| r.year).collect();
/// assert_eq!(years, [2018, 2019, 2020, 2021, 2022, 2023, 2024]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WmdQuery {
    /// Only this WMD commodity (by its table name).
    pub commodity: Option<String>,
    /// Only commodities of this mineral.
    pub mineral: Option<Mineral>,
    /// Only this country.
    pub country: Option<Country>,
    /// Only this year.
    pub year: Option<i16>,
}

impl WmdQuery {
    /// Every row.
    pub fn new() -> WmdQuery {
        WmdQuery::default()
    }
    /// Only this WMD commodity.
    pub fn commodity(mut self, name: impl Into<String>) -> WmdQuery {
        self.commodity = Some(name.into());
        self
    }
    /// Only commodities of this mineral.
    pub fn mineral(mut self, mineral: Mineral) -> WmdQuery {
        self.mineral = Some(mineral);
        self
    }
    /// Only this country.
    pub fn country(mut self, country: Country) -> WmdQuery {
        self.country = Some(country);
        self
    }
    /// Only this year.
    pub fn year(mut self, year: i16) -> WmdQuery {
        self.year = Some(year);
        self
    }
}

/// The built-in World Mining Data table (`data/wmd_production.csv`, with
/// `data/wmd_commodities.csv`), parsed once on first use by
/// [`WorldMiningData::builtin`] (or
/// [`Dataset::world_mining_data`](crate::Dataset::world_mining_data)).
///
/// Rows are kept exactly as found, sorted by commodity, year and country.
/// One case is known where a (commodity, country, year) appears twice with
/// different figures: gold, Guyana, 2018–2024 (presumably another economy
/// keyed `GUY`); [`WorldMiningData::is_conflicting`] flags such rows, and
/// the world chain and the GeoPolRisk HHI leave them out and count them.
#[derive(Debug, Clone)]
pub struct WorldMiningData {
    commodities: Vec<WmdCommodity>,
    rows: Vec<WmdRow>,
}

impl WorldMiningData {
    /// The built-in table, parsed on first use and cached.
    ///
    /// # Errors
    /// [`Error::Parse`] naming the file, line and column if an embedded file
    /// does not parse (a build defect; the crate's tests prove it parses).
    pub fn builtin() -> Result<&'static WorldMiningData> {
        static CELL: OnceLock<Result<WorldMiningData>> = OnceLock::new();
        CELL.get_or_init(WorldMiningData::load_builtin)
            .as_ref()
            .map_err(replay)
    }

    /// A fresh, uncached parse of the embedded files.
    ///
    /// # Errors
    /// As for [`WorldMiningData::builtin`].
    pub fn load_builtin() -> Result<WorldMiningData> {
        let sheet = |text: &str, name: &str| {
            Sheet::read(text.as_bytes(), Some(PathBuf::from(format!("data/{name}"))))
        };
        let commodities = parse_commodities(&sheet(WMD_COMMODITIES_CSV, "wmd_commodities.csv")?)?;
        let rows = parse_rows(
            &sheet(WMD_PRODUCTION_CSV, "wmd_production.csv")?,
            &commodities,
        )?;
        Ok(WorldMiningData { commodities, rows })
    }

    /// The commodities, in file order.
    pub fn commodities(&self) -> &[WmdCommodity] {
        &self.commodities
    }

    /// A commodity by its WMD table name.
    pub fn commodity(&self, name: &str) -> Option<&WmdCommodity> {
        self.commodities.iter().find(|c| c.name == name)
    }

    /// The commodity of a mineral (each mineral has at most one).
    pub fn commodity_of(&self, mineral: &Mineral) -> Option<&WmdCommodity> {
        self.commodities.iter().find(|c| &c.mineral == mineral)
    }

    /// Every row, sorted by commodity, year and country.
    pub fn all_rows(&self) -> &[WmdRow] {
        &self.rows
    }

    /// The rows a query selects, in table order. O(n).
    pub fn rows<'a>(&'a self, q: &'a WmdQuery) -> impl Iterator<Item = &'a WmdRow> + 'a {
        self.rows.iter().filter(move |r| {
            q.commodity.as_ref().is_none_or(|c| *c == r.commodity)
                && q.mineral.as_ref().is_none_or(|m| *m == r.mineral)
                && q.country.is_none_or(|c| c == r.country)
                && q.year.is_none_or(|y| y == r.year)
        })
    }

    /// The rows of one commodity in one year (countries and the `WLD`
    /// total). O(log n + k).
    pub fn year_of(&self, commodity: &str, year: i16) -> &[WmdRow] {
        let lo = self
            .rows
            .partition_point(|r| (r.commodity.as_str(), r.year) < (commodity, year));
        let hi = self
            .rows
            .partition_point(|r| (r.commodity.as_str(), r.year) <= (commodity, year));
        self.rows.get(lo..hi).unwrap_or(&[])
    }

    /// Whether another row has the same commodity, country and year (with
    /// another figure): such rows cannot both be one country's output.
    pub fn is_conflicting(&self, row: &WmdRow) -> bool {
        self.year_of(&row.commodity, row.year)
            .iter()
            .filter(|r| r.country == row.country)
            .count()
            > 1
    }

    /// The years with rows, sorted.
    pub fn years(&self) -> BTreeSet<i16> {
        self.rows.iter().map(|r| r.year).collect()
    }
}

fn parse_commodities(t: &Sheet) -> Result<Vec<WmdCommodity>> {
    t.require(&["commodity", "mineral", "stage", "basis"])?;
    let mut out: Vec<WmdCommodity> = Vec::new();
    for row in t.rows() {
        let c = WmdCommodity {
            name: row.required("commodity")?.to_string(),
            mineral: row.parse("mineral", Mineral::new)?,
            stage: row.parse("stage", str::parse::<Stage>)?,
            basis: row.parse("basis", Basis::new)?,
            note: row.opt("note").map(str::to_string),
        };
        if out.iter().any(|o| o.name == c.name) {
            return Err(row.error("commodity", format!("repeated commodity {:?}", c.name)));
        }
        if out.iter().any(|o| o.mineral == c.mineral) {
            return Err(row.error(
                "mineral",
                format!("a second commodity for mineral {}", c.mineral),
            ));
        }
        out.push(c);
    }
    Ok(out)
}

fn wmd_unit(row: &Row<'_>) -> Result<Unit> {
    row.parse("unit", |s| match s {
        "metr. t" => Ok(Unit::Tonnes),
        "kg" => Ok(Unit::Kilograms),
        other => Err(Error::UnknownValue {
            field: "unit",
            value: other.to_string(),
            expected: "metr. t or kg",
        }),
    })
}

fn parse_rows(t: &Sheet, commodities: &[WmdCommodity]) -> Result<Vec<WmdRow>> {
    t.require(&[
        "commodity",
        "country_iso3",
        "year",
        "quantity",
        "unit",
        "flag",
    ])?;
    let mut out = Vec::new();
    for row in t.rows() {
        let name = row.required("commodity")?;
        let c = commodities.iter().find(|c| c.name == name).ok_or_else(|| {
            row.error(
                "commodity",
                format!("{name:?} is not in wmd_commodities.csv"),
            )
        })?;
        let value = row.parse("quantity", |s| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| Error::OutOfDomain {
                    field: "quantity",
                    value: format!("{s:?}"),
                    expected: "expected a finite number".into(),
                })
        })?;
        let reported = Reported::new(value, wmd_unit(&row)?)
            .map_err(|e| row.error("quantity", e.to_string()))?;
        let flag = match row.text("flag") {
            "" => None,
            "r" => Some(WmdFlag::Reported),
            "e" => Some(WmdFlag::Estimated),
            "p" => Some(WmdFlag::Preliminary),
            other => {
                return Err(row.error(
                    "flag",
                    format!("unknown flag {other:?} (expected r, e, p or empty)"),
                ));
            }
        };
        out.push(WmdRow {
            commodity: c.name.clone(),
            mineral: c.mineral.clone(),
            stage: c.stage,
            country: row.parse("country_iso3", Country::from_alpha3)?,
            year: row.parse("year", |s| {
                s.parse::<i16>().map_err(|_| Error::OutOfDomain {
                    field: "year",
                    value: format!("{s:?}"),
                    expected: "expected a year".into(),
                })
            })?,
            reported,
            flag,
        });
    }
    // Stable: two conflicting rows keep their file order.
    out.sort_by(|a, b| (&a.commodity, a.year, a.country).cmp(&(&b.commodity, b.year, b.country)));
    Ok(out)
}
