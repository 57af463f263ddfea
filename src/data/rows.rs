//! The typed rows of the built-in dataset: production, shares, reserves, US
//! import sources and reliance, governance.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Confidence, Country, Mineral, Share, Stage, Status, Tonnes, group_thousands};

/// The unit a figure is published in. Every figure is also converted to
/// [`Tonnes`] when it is loaded; the unit is kept so that the published
/// number can be shown as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Metric tonnes (`t`).
    #[serde(rename = "t")]
    Tonnes,
    /// Thousand metric tonnes (`kt`).
    #[serde(rename = "kt")]
    Kilotonnes,
    /// Kilograms (`kg`).
    #[serde(rename = "kg")]
    Kilograms,
}

impl Unit {
    /// Parses `t`, `kt` or `kg`.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for anything else.
    pub fn parse(s: &str) -> Result<Unit> {
        match s.trim() {
            "t" => Ok(Unit::Tonnes),
            "kt" => Ok(Unit::Kilotonnes),
            "kg" => Ok(Unit::Kilograms),
            other => Err(Error::UnknownValue {
                field: "unit",
                value: other.to_string(),
                expected: "t, kt or kg",
            }),
        }
    }

    /// The symbol (`t`, `kt`, `kg`).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Tonnes => "t",
            Unit::Kilotonnes => "kt",
            Unit::Kilograms => "kg",
        }
    }

    /// Converts a value in this unit to tonnes.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] when the value is NaN, infinite or negative.
    pub fn to_tonnes(self, value: f64) -> Result<Tonnes> {
        match self {
            Unit::Tonnes => Tonnes::new(value),
            Unit::Kilotonnes => Tonnes::from_kt(value),
            Unit::Kilograms => Tonnes::from_kg(value),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.symbol())
    }
}

/// A figure as the source publishes it: the number and its unit
/// (`750,000 kg`). Use [`Reported::tonnes`] for arithmetic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reported {
    value: f64,
    unit: Unit,
    tonnes: Tonnes,
}

impl Reported {
    /// A published figure; converted to tonnes at once.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] when the value is NaN, infinite or negative.
    pub fn new(value: f64, unit: Unit) -> Result<Reported> {
        let tonnes = unit.to_tonnes(value)?;
        Ok(Reported {
            value,
            unit,
            tonnes,
        })
    }

    /// The number as published, in [`Reported::unit`].
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The unit it was published in.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The figure in tonnes.
    pub fn tonnes(&self) -> Tonnes {
        self.tonnes
    }
}

impl fmt::Display for Reported {
    /// `750,000 kg` (whole numbers), `2.5 kt` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decimals = if self.value.fract() == 0.0 { 0 } else { 3 };
        let mut s = group_thousands(self.value, decimals);
        if decimals > 0 {
            s = s.trim_end_matches('0').to_string();
        }
        f.pad(&format!("{s} {}", self.unit))
    }
}

/// Whether a published number is exact or one side of a range (USGS prints
/// `>X` and `<X`; the dataset stores X and says which in the notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The number as printed.
    Exact,
    /// At least the number (USGS `>X`).
    AtLeast,
    /// At most the number (USGS `<X`).
    AtMost,
}

impl Bound {
    /// Reads the bound from a dataset note (`"lower bound"`, `"upper bound"`).
    pub(crate) fn from_note(note: &str) -> Bound {
        if note.contains("lower bound") {
            Bound::AtLeast
        } else if note.contains("upper bound") {
            Bound::AtMost
        } else {
            Bound::Exact
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Bound::Exact => "",
            Bound::AtLeast => ">",
            Bound::AtMost => "<",
        }
    }
}

/// One country's output of one mineral at one stage in one year
/// (`production.csv`).
///
/// `country` is an ISO country, [`Country::ROW`] (the USGS "Other countries"
/// row) or [`Country::WLD`] (the USGS rounded world total);
/// [`Production`] keeps the three apart.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionRow {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage.
    pub stage: Stage,
    /// The producer (or `ROW` / `WLD`).
    pub country: Country,
    /// The year the output refers to.
    pub year: i16,
    /// The figure as published; `None` when withheld.
    pub reported: Option<Reported>,
    /// The unit of the source's table (kept for withheld rows too).
    pub unit: Unit,
    /// What is measured: `"Co content"`, `"REO equivalent (all rare
    /// earths)"`, `"gross weight (dry)"`...
    pub basis: String,
    /// Reported, estimated or withheld.
    pub status: Status,
    /// Id of the source in [`Dataset::sources`](crate::Dataset::sources).
    pub source: String,
    /// Confidence grade.
    pub confidence: Confidence,
    /// Notes from the dataset (footnotes, caveats).
    pub notes: Option<String>,
}

impl ProductionRow {
    /// The output in tonnes; `None` when withheld (never zero for a gap).
    pub fn tonnes(&self) -> Option<Tonnes> {
        self.reported.map(|r| r.tonnes())
    }

    /// The provenance of a node built from this row: its source, status
    /// and confidence, and a note `"{label}{year} ({status}); basis: …"`
    /// with the row's own notes.
    pub(crate) fn provenance(&self, label: &str) -> crate::model::Provenance {
        let mut note = format!(
            "{label}{} ({}); basis: {}",
            self.year, self.status, self.basis
        );
        if let Some(x) = &self.notes {
            note.push_str("; ");
            note.push_str(x);
        }
        crate::model::Provenance {
            sources: vec![self.source.clone()],
            status: self.status,
            confidence: Some(self.confidence),
            citation: None,
            note: Some(note),
        }
    }

    /// Sums the known quantities of rows that must all share one mineral,
    /// stage and basis; withheld rows add nothing.
    ///
    /// # Errors
    /// [`Error::MixedBasis`] when two rows of the same mineral and stage
    /// measure different things (contained metal and gross weight cannot be
    /// added), [`Error::Inconsistent`] when the rows are of different
    /// minerals or stages.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Dataset, Mineral, Stage};
    /// use critical_minerals::data::ProductionRow;
    /// let data = Dataset::builtin()?;
    /// let cobalt = data.production(&Mineral::COBALT, Stage::Extraction, 2024);
    /// // Named countries plus "other countries", in tonnes of contained cobalt.
    /// let sum = ProductionRow::sum(cobalt.countries().iter().copied().chain(cobalt.rest_of_world()))?;
    /// assert!(sum.get() > 280_000.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn sum<'a>(rows: impl IntoIterator<Item = &'a ProductionRow>) -> Result<Tonnes> {
        let mut first: Option<&ProductionRow> = None;
        let mut total = Tonnes::ZERO;
        for row in rows {
            if let Some(f) = first {
                if f.mineral != row.mineral || f.stage != row.stage {
                    return Err(Error::Inconsistent {
                        kind: "production row",
                        id: format!("{}/{}", row.mineral, row.stage),
                        reason: format!(
                            "cannot add to {}/{}: different mineral or stage",
                            f.mineral, f.stage
                        ),
                    });
                }
                if f.basis != row.basis {
                    return Err(Error::MixedBasis {
                        mineral: row.mineral.clone(),
                        stage: row.stage,
                        first: f.basis.clone(),
                        second: row.basis.clone(),
                        item: Some(format!("the {} row of {}", row.country, row.year)),
                    });
                }
            } else {
                first = Some(row);
            }
            if let Some(t) = row.tonnes() {
                total = total + t;
            }
        }
        Ok(total)
    }
}

impl fmt::Display for ProductionRow {
    /// `COD cobalt/extraction 2024: 220,000 t (Co content, estimated, usgs_mcs_2025_cobalt)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = match &self.reported {
            Some(r) => r.to_string(),
            None => "withheld".to_string(),
        };
        f.pad(&format!(
            "{} {}/{} {}: {} ({}, {}, {})",
            self.country,
            self.mineral,
            self.stage,
            self.year,
            q,
            self.basis,
            self.status,
            self.source
        ))
    }
}

/// The rows of one mineral, stage and year, split into named countries, the
/// "rest of world" row and the world total, which must never be added to
/// the countries.
#[derive(Debug, Clone, PartialEq)]
pub struct Production<'a> {
    pub(crate) countries: Vec<&'a ProductionRow>,
    pub(crate) rest_of_world: Option<&'a ProductionRow>,
    pub(crate) world: Option<&'a ProductionRow>,
}

impl<'a> Production<'a> {
    /// The named countries' rows, by country code.
    pub fn countries(&self) -> &[&'a ProductionRow] {
        &self.countries
    }

    /// One country's row.
    pub fn country(&self, c: Country) -> Option<&'a ProductionRow> {
        self.countries.iter().find(|r| r.country == c).copied()
    }

    /// The USGS "Other countries" row (composition unknown).
    pub fn rest_of_world(&self) -> Option<&'a ProductionRow> {
        self.rest_of_world
    }

    /// The USGS rounded world total. It need not equal the sum of the other
    /// rows (rounding; some totals exclude withheld US output).
    pub fn world_total(&self) -> Option<&'a ProductionRow> {
        self.world
    }

    /// Whether there is no row at all.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.rest_of_world.is_none() && self.world.is_none()
    }

    /// The countries' share of the world total (`None` without a world
    /// total or a country figure). A rounded total can be smaller than a
    /// country's figure, so the share is clamped to 1.
    pub fn share_of_world(&self, c: Country) -> Option<Share> {
        let w = self.world?.tonnes()?;
        let x = self.country(c)?.tonnes()?;
        Some(Share::ratio(x.get(), w.get()))
    }
}

/// A share of world output published only as a percentage (`shares.csv`:
/// the IEA 2019 processing shares, top producers only).
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRow {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage.
    pub stage: Stage,
    /// The producer.
    pub country: Country,
    /// The data year.
    pub year: i16,
    /// The share of world output.
    pub share: Share,
    /// Source id.
    pub source: String,
    /// Confidence grade.
    pub confidence: Confidence,
    /// Notes.
    pub notes: Option<String>,
}

/// Reserves of one mineral in one country (`reserves.csv`, USGS MCS 2025).
#[derive(Debug, Clone, PartialEq)]
pub struct ReserveRow {
    /// The mineral.
    pub mineral: Mineral,
    /// The country (or `ROW` / `WLD`).
    pub country: Country,
    /// The year (2024 for MCS 2025).
    pub year: i16,
    /// The figure as published.
    pub reported: Reported,
    /// Exact, or a lower or upper bound (USGS `>X` / `<X`).
    pub bound: Bound,
    /// What is measured.
    pub basis: String,
    /// Source id.
    pub source: String,
    /// Confidence grade.
    pub confidence: Confidence,
    /// Notes.
    pub notes: Option<String>,
}

impl ReserveRow {
    /// The reserves in tonnes (for a bound, the bound itself).
    pub fn tonnes(&self) -> Tonnes {
        self.reported.tonnes()
    }
}

/// One partner's share of US imports of a product (`us_import_sources.csv`,
/// USGS MCS 2025 "Import Sources (2020–23)").
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSourceRow {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage of the imported product.
    pub stage: Stage,
    /// The exporting partner (`ROW` for the USGS "other" share).
    pub exporter: Country,
    /// The importer (always the US in the built-in data).
    pub importer: Country,
    /// First year of the period.
    pub from_year: i16,
    /// Last year of the period.
    pub to_year: i16,
    /// The partner's share of imports over the period.
    pub share: Share,
    /// The product, in the source's words.
    pub product: String,
    /// Source id.
    pub source: String,
    /// Confidence grade.
    pub confidence: Confidence,
    /// Notes (whether the USGS line is complete, footnotes).
    pub notes: Option<String>,
}

/// US net import reliance on one mineral, as USGS publishes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UsgsRelianceFigure {
    /// A share of apparent (for gallium: reported) consumption, exact or a
    /// bound.
    Share {
        /// The share.
        share: Share,
        /// Exact, `>X` or `<X`.
        bound: Bound,
    },
    /// USGS prints "E": the US is a net exporter.
    NetExporter,
}

impl fmt::Display for UsgsRelianceFigure {
    /// `80%`, `>95%`, `net exporter`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsgsRelianceFigure::Share { share, bound } => f.pad(&format!(
                "{}{}%",
                bound.prefix(),
                group_thousands(share.percent(), 0)
            )),
            UsgsRelianceFigure::NetExporter => f.pad("net exporter"),
        }
    }
}

/// A row of `us_net_import_reliance.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct UsgsRelianceRow {
    /// The mineral.
    pub mineral: Mineral,
    /// The year (2024, USGS column 2024e).
    pub year: i16,
    /// The reliance.
    pub reliance: UsgsRelianceFigure,
    /// Source id.
    pub source: String,
    /// Confidence grade.
    pub confidence: Confidence,
    /// Notes (which product line, the USGS quote).
    pub notes: Option<String>,
}

/// A World Bank WGI "Political Stability and Absence of
/// Violence/Terrorism" estimate (`PV.EST`).
#[derive(Debug, Clone, PartialEq)]
pub struct GovernanceRow {
    /// The country.
    pub country: Country,
    /// The year.
    pub year: i16,
    /// The indicator code (`PV.EST`).
    pub indicator: String,
    /// The estimate, about −2.5 (unstable) to +2.5 (stable); an index, not
    /// a quantity.
    pub estimate: f64,
    /// Source id.
    pub source: String,
    /// Notes.
    pub notes: Option<String>,
}

/// Whose WGI value a trade code without its own stands on.
///
/// BACI and Comtrade report Taiwan's trade as `S19` ("Other Asia, n.e.s.",
/// code 490); WGI scores Taiwan as `TWN` and has no `S19` row. Giving `S19`
/// Taiwan's value is a judgement (the code is a residual that could, in
/// principle, hold other economies), so it is off by default and every
/// result that used it says so.
///
/// # Example
/// ```
/// use critical_minerals::data::GovernanceProxy;
/// use critical_minerals::{Country, Dataset};
/// let data = Dataset::builtin()?;
/// let off = data.governance_with(Country::OTHER_ASIA, 2024, GovernanceProxy::None);
/// assert!(off.is_none());
/// let on = data.governance_with(Country::OTHER_ASIA, 2024, GovernanceProxy::TaiwanForS19).unwrap();
/// assert_eq!(on.country, Country::from_alpha3("TWN")?);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovernanceProxy {
    /// Every country stands on its own row, or has none (the default).
    #[default]
    None,
    /// `S19` takes Taiwan's (`TWN`) row.
    TaiwanForS19,
}

impl GovernanceProxy {
    /// The country whose row `country` takes under this rule: `TWN` for
    /// `S19` under [`GovernanceProxy::TaiwanForS19`], else `country`.
    pub fn resolve(self, country: Country) -> Country {
        match self {
            GovernanceProxy::TaiwanForS19 if country == Country::OTHER_ASIA => {
                Country::from_alpha3("TWN").unwrap_or(country)
            }
            _ => country,
        }
    }
}
