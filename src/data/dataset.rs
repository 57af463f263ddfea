//! [`Dataset`]: the embedded CSV files, parsed once, and the queries on them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use super::concordance::{HS_CONCORDANCE_CSV, HsConcordance};
use super::policy::{self, Policy, PolicyAct};
use super::rows::{
    Bound, GovernanceProxy, GovernanceRow, ImportSourceRow, Production, ProductionRow, Reported,
    ReserveRow, ShareRow, Unit, UsgsRelianceFigure, UsgsRelianceRow,
};
use super::sheet::{Row, Sheet, replay, split_list};
use crate::error::{Error, Result};
use crate::model::{
    Agreement, Confidence, Country, ExportRestriction, Mineral, Share, Source, Stage, Status,
    Tonnes,
};

/// The text of every file of the dataset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Files<'a> {
    pub(crate) production: &'a str,
    pub(crate) shares: &'a str,
    pub(crate) reserves: &'a str,
    pub(crate) import_sources: &'a str,
    pub(crate) reliance: &'a str,
    pub(crate) governance: &'a str,
    pub(crate) policy: &'a str,
    pub(crate) hs: &'a str,
    pub(crate) sources: &'a str,
    pub(crate) byproducts: &'a str,
}

/// The files embedded at compile time (`data/*.csv`, copied verbatim from the
/// project's shared data folder).
pub(crate) const EMBEDDED: Files<'static> = Files {
    production: include_str!("../../data/production.csv"),
    shares: include_str!("../../data/shares.csv"),
    reserves: include_str!("../../data/reserves.csv"),
    import_sources: include_str!("../../data/us_import_sources.csv"),
    reliance: include_str!("../../data/us_net_import_reliance.csv"),
    governance: include_str!("../../data/governance_wgi.csv"),
    policy: include_str!("../../data/policy.csv"),
    hs: HS_CONCORDANCE_CSV,
    sources: include_str!("../../data/sources.csv"),
    byproducts: include_str!("../../data/byproducts.csv"),
};

/// A host/by-product relation stated in a USGS chapter (`byproducts.csv`):
/// qualitative, no shares are published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Byproduct {
    /// The mineral recovered as a by-product.
    pub by_product: Mineral,
    /// The host mineral it is recovered from.
    pub host: Mineral,
    /// The relation in the source's terms.
    pub note: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// The built-in dataset: public, sourced figures on critical minerals,
/// embedded in the crate so that analyses run with no download.
///
/// - production by country, mineral, stage and year (USGS Mineral Commodity
///   Summaries 2025; 2022–2024), each figure with its unit, basis (contained
///   metal, REO, gross weight), status (reported / estimated / withheld),
///   source and confidence;
/// - IEA 2019 processing shares, published only as percentages;
/// - USGS reserves, US import sources (2020–23) and US net import reliance;
/// - World Bank WGI political-stability estimates (2019–2024);
/// - 24 agreements, export restrictions and suspensions (2019–2025);
/// - an HS-6 concordance and the source register.
///
/// The crate never edits a figure: a withheld figure is `None`, not 0, and
/// the world total (`WLD`) and "other countries" (`ROW`) rows are kept apart
/// from the named countries. Units are converted to tonnes when loaded; the
/// published number and unit are kept next to it.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Dataset, Mineral, Stage};
/// let data = Dataset::builtin()?;
/// let cobalt = data.production(&Mineral::COBALT, Stage::Extraction, 2024);
/// let drc = cobalt.country(Country::COD).and_then(|r| r.tonnes());
/// assert_eq!(drc.map(|t| t.get()), Some(220_000.0));
/// let world = cobalt.world_total().and_then(|r| r.tonnes());
/// assert_eq!(world.map(|t| t.get()), Some(290_000.0));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Sorted by (mineral, stage, year, country).
    production: Vec<ProductionRow>,
    shares: Vec<ShareRow>,
    reserves: Vec<ReserveRow>,
    import_sources: Vec<ImportSourceRow>,
    reliance: Vec<UsgsRelianceRow>,
    governance: BTreeMap<(Country, i16), GovernanceRow>,
    policy: Policy,
    hs: HsConcordance,
    sources: Vec<Source>,
    byproducts: Vec<Byproduct>,
}

impl Dataset {
    /// The built-in dataset, parsed from the embedded files on first use and
    /// cached for the life of the process (later calls are a pointer read).
    ///
    /// # Errors
    /// [`Error::Parse`] naming the file, line and column if an embedded file
    /// does not parse. That would be a defect of the build; the crate's tests
    /// prove that every embedded row parses.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::Dataset;
    /// let data = Dataset::builtin()?;
    /// assert_eq!(data.restrictions().len(), 16);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn builtin() -> Result<&'static Dataset> {
        static CELL: OnceLock<Result<Dataset>> = OnceLock::new();
        CELL.get_or_init(|| Dataset::parse(&EMBEDDED))
            .as_ref()
            .map_err(replay)
    }

    /// A fresh, owned parse of the embedded files (not cached): for a copy
    /// to extend or edit, or to time the parse. [`Dataset::builtin`] caches
    /// the same result.
    ///
    /// # Errors
    /// As for [`Dataset::builtin`].
    pub fn load_builtin() -> Result<Dataset> {
        Dataset::parse(&EMBEDDED)
    }

    /// Parses the files. Not cached: [`Dataset::builtin`] caches.
    pub(crate) fn parse(files: &Files<'_>) -> Result<Dataset> {
        let read = |text: &str, name: &str| {
            Sheet::read(text.as_bytes(), Some(PathBuf::from(format!("data/{name}"))))
        };
        let sources = parse_sources(&read(files.sources, "sources.csv")?)?;
        let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        let known = |row: &Row<'_>, col: &str| -> Result<String> {
            let id = row.required(col)?;
            if ids.contains(id) {
                Ok(id.to_string())
            } else {
                Err(row.error(col, format!("unknown source id {id:?}")))
            }
        };

        let production = parse_production(&read(files.production, "production.csv")?, &known)?;
        let shares = parse_shares(&read(files.shares, "shares.csv")?, &known)?;
        let reserves = parse_reserves(&read(files.reserves, "reserves.csv")?, &known)?;
        let import_sources = parse_import_sources(
            &read(files.import_sources, "us_import_sources.csv")?,
            &known,
        )?;
        let reliance =
            parse_reliance(&read(files.reliance, "us_net_import_reliance.csv")?, &known)?;
        let governance = parse_governance(&read(files.governance, "governance_wgi.csv")?, &known)?;
        let policy = policy::parse(&read(files.policy, "policy.csv")?)?;
        let hs = HsConcordance::read(
            files.hs.as_bytes(),
            Some(PathBuf::from("data/hs_concordance.csv")),
        )?;
        let byproducts = parse_byproducts(&read(files.byproducts, "byproducts.csv")?)?;
        Ok(Dataset {
            production,
            shares,
            reserves,
            import_sources,
            reliance,
            governance,
            policy,
            hs,
            sources,
            byproducts,
        })
    }

    // ----- production ----------------------------------------------------------

    /// The output of one mineral at one stage in one year: the named
    /// countries, the "other countries" row and the world total, apart.
    /// Empty when the dataset has no such rows. O(log n + k).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset, Mineral, Stage};
    /// use critical_minerals::data::Unit;
    /// let data = Dataset::builtin()?;
    /// let ga = data.production(&Mineral::GALLIUM, Stage::Refining, 2024);
    /// let china = ga.country(Country::CHN).and_then(|r| r.reported).unwrap();
    /// assert_eq!((china.value(), china.unit()), (750_000.0, Unit::Kilograms));
    /// assert_eq!(china.tonnes().get(), 750.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn production(&self, mineral: &Mineral, stage: Stage, year: i16) -> Production<'_> {
        fn key(r: &ProductionRow) -> (&Mineral, Stage, i16) {
            (&r.mineral, r.stage, r.year)
        }
        let lo = self
            .production
            .partition_point(|r| key(r) < (mineral, stage, year));
        let hi = self
            .production
            .partition_point(|r| key(r) <= (mineral, stage, year));
        let mut view = Production {
            countries: Vec::new(),
            rest_of_world: None,
            world: None,
        };
        for r in self.production.get(lo..hi).unwrap_or(&[]) {
            match r.country {
                Country::WLD => view.world = Some(r),
                Country::ROW => view.rest_of_world = Some(r),
                _ => view.countries.push(r),
            }
        }
        view
    }

    /// Every production row, sorted by mineral, stage, year and country.
    pub fn production_rows(&self) -> &[ProductionRow] {
        &self.production
    }

    /// The sum of the named countries' and the "other countries" output of
    /// one mineral at one stage in one year, in tonnes. Withheld figures add
    /// nothing (so the sum is a floor where a figure is withheld); the world
    /// total is not part of it.
    ///
    /// # Errors
    /// [`Error::MixedBasis`] when the rows measure different things (for
    /// example contained metal and gross weight).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Dataset, Mineral, Stage};
    /// let data = Dataset::builtin()?;
    /// // 12 named countries plus "other countries" (6,200 t): 288,200 t of
    /// // contained cobalt; the rounded world total is 290,000 t.
    /// let co = data.total(&Mineral::COBALT, Stage::Extraction, 2024)?;
    /// assert_eq!(co.get(), 288_200.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn total(&self, mineral: &Mineral, stage: Stage, year: i16) -> Result<Tonnes> {
        let p = self.production(mineral, stage, year);
        ProductionRow::sum(p.countries.iter().copied().chain(p.rest_of_world))
    }

    /// The figures published only as shares of world output (IEA 2019
    /// processing shares), by country. O(n).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset, Mineral, Stage};
    /// let data = Dataset::builtin()?;
    /// let ree = data.shares(&Mineral::RARE_EARTHS, Stage::Processing, 2019);
    /// let mys = ree.iter().find(|r| r.country == Country::MYS).unwrap();
    /// assert_eq!(mys.share.percent(), 12.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn shares(&self, mineral: &Mineral, stage: Stage, year: i16) -> Vec<&ShareRow> {
        self.shares
            .iter()
            .filter(|r| &r.mineral == mineral && r.stage == stage && r.year == year)
            .collect()
    }

    /// Every share row, in file order.
    pub fn share_rows(&self) -> &[ShareRow] {
        &self.shares
    }

    /// The reserves of one mineral, by country (`ROW` and `WLD` rows
    /// included; check [`Country::is_aggregate`]). O(n).
    pub fn reserves(&self, mineral: &Mineral) -> Vec<&ReserveRow> {
        self.reserves
            .iter()
            .filter(|r| &r.mineral == mineral)
            .collect()
    }

    /// USGS import sources of the US for one mineral (all stages), in file
    /// order. Lines the notes call incomplete do not sum to 100%. O(n).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset, Mineral};
    /// let data = Dataset::builtin()?;
    /// let ree = data.us_import_sources(&Mineral::RARE_EARTHS);
    /// assert_eq!(ree[0].exporter, Country::CHN);
    /// assert_eq!(ree[0].share.percent(), 70.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn us_import_sources(&self, mineral: &Mineral) -> Vec<&ImportSourceRow> {
        self.import_sources
            .iter()
            .filter(|r| &r.mineral == mineral && r.importer == Country::USA)
            .collect()
    }

    /// Every import-source row, in file order.
    pub fn import_source_rows(&self) -> &[ImportSourceRow] {
        &self.import_sources
    }

    /// US net import reliance on one mineral (2024), when the dataset has it.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Dataset, Mineral};
    /// use critical_minerals::data::UsgsRelianceFigure;
    /// let data = Dataset::builtin()?;
    /// let boron = data.us_net_import_reliance(&Mineral::BORON).unwrap();
    /// assert_eq!(boron.reliance, UsgsRelianceFigure::NetExporter);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn us_net_import_reliance(&self, mineral: &Mineral) -> Option<&UsgsRelianceRow> {
        self.reliance.iter().find(|r| &r.mineral == mineral)
    }

    /// The World Bank WGI political-stability estimate (`PV.EST`) of a
    /// country in a year (2019–2024). O(log n).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset};
    /// let data = Dataset::builtin()?;
    /// let mys = data.governance(Country::MYS, 2022).unwrap();
    /// assert!(mys.estimate > 0.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn governance(&self, country: Country, year: i16) -> Option<&GovernanceRow> {
        self.governance.get(&(country, year))
    }

    /// The governance row that stands for `country` in `year` under a
    /// [`GovernanceProxy`] (`S19` may take Taiwan's row); the row names the
    /// country it belongs to, so a caller can tell a proxy was used.
    /// O(log n).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::data::GovernanceProxy;
    /// use critical_minerals::{Country, Dataset};
    /// let data = Dataset::builtin()?;
    /// let mys = data.governance_with(Country::MYS, 2024, GovernanceProxy::TaiwanForS19).unwrap();
    /// assert_eq!(mys.country, Country::MYS);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn governance_with(
        &self,
        country: Country,
        year: i16,
        proxy: GovernanceProxy,
    ) -> Option<&GovernanceRow> {
        self.governance(proxy.resolve(country), year)
    }

    /// Every governance row, by country and year.
    pub fn governance_rows(&self) -> impl Iterator<Item = &GovernanceRow> {
        self.governance.values()
    }

    // ----- policy --------------------------------------------------------------

    /// The agreements (MOUs, frameworks, the trade agreement, the MSP), in
    /// file order. See the mapping in the `policy.csv` section of the
    /// [`data`](crate::data) module docs.
    pub fn agreements(&self) -> &[Agreement] {
        &self.policy.agreements
    }

    /// The agreements both countries are party to, in file order.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset};
    /// let data = Dataset::builtin()?;
    /// let ids: Vec<&str> = data.agreements_between(Country::USA, Country::MYS)
    ///     .map(|a| a.id.as_str()).collect();
    /// assert_eq!(ids, ["us-mys-critical-minerals-mou-2025", "us-mys-reciprocal-trade-agreement-2025"]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn agreements_between(&self, a: Country, b: Country) -> impl Iterator<Item = &Agreement> {
        self.policy
            .agreements
            .iter()
            .filter(move |ag| a != b && ag.is_party(a) && ag.is_party(b))
    }

    /// The export restrictions (bans, licences, quotas, technology bans),
    /// with the suspensions that apply to them, in file order.
    pub fn restrictions(&self) -> &[ExportRestriction] {
        &self.policy.restrictions
    }

    /// The restrictions `imposer` places that reach exports toward
    /// `destination`, in file order.
    pub fn restrictions_toward(
        &self,
        imposer: Country,
        destination: Country,
    ) -> impl Iterator<Item = &ExportRestriction> {
        self.policy.restrictions.iter().filter(move |r| {
            r.imposer == imposer && destination != imposer && r.targets.reaches(destination)
        })
    }

    /// The suspension acts (China's Announcement No. 70 of 2025 and the
    /// suspension of clause 2 of No. 46), each with the restrictions it
    /// suspends; they are also attached to those restrictions as
    /// [`Suspension`](crate::Suspension)s.
    pub fn policy_acts(&self) -> &[PolicyAct] {
        &self.policy.acts
    }

    // ----- reference tables ----------------------------------------------------

    /// The HS-6 concordance (the same table as [`HsConcordance::builtin`]).
    pub fn hs_concordance(&self) -> &HsConcordance {
        &self.hs
    }

    /// The source register, in file order.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Host/by-product relations (qualitative).
    pub fn byproducts(&self) -> &[Byproduct] {
        &self.byproducts
    }

    // ----- coverage ------------------------------------------------------------

    /// The minerals with production or share figures, sorted.
    pub fn minerals(&self) -> BTreeSet<Mineral> {
        self.production
            .iter()
            .map(|r| r.mineral.clone())
            .chain(self.shares.iter().map(|r| r.mineral.clone()))
            .collect()
    }

    /// The stages with production or share figures for one mineral, sorted.
    pub fn stages(&self, mineral: &Mineral) -> BTreeSet<Stage> {
        self.production
            .iter()
            .filter(|r| &r.mineral == mineral)
            .map(|r| r.stage)
            .chain(
                self.shares
                    .iter()
                    .filter(|r| &r.mineral == mineral)
                    .map(|r| r.stage),
            )
            .collect()
    }

    /// The years with production or share figures, sorted.
    pub fn years(&self) -> BTreeSet<i16> {
        self.production
            .iter()
            .map(|r| r.year)
            .chain(self.shares.iter().map(|r| r.year))
            .collect()
    }

    /// The countries (ISO only, not `ROW` / `WLD`) with production or share
    /// figures, sorted.
    pub fn countries(&self) -> BTreeSet<Country> {
        self.production
            .iter()
            .map(|r| r.country)
            .chain(self.shares.iter().map(|r| r.country))
            .filter(Country::is_iso)
            .collect()
    }
}

fn year(row: &Row<'_>, col: &str) -> Result<i16> {
    row.parse(col, |s| {
        s.parse::<i16>().map_err(|_| Error::OutOfDomain {
            field: "year",
            value: format!("{s:?}"),
            expected: "expected a year".into(),
        })
    })
}

fn number(row: &Row<'_>, col: &str) -> Result<f64> {
    row.parse(col, |s| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| Error::OutOfDomain {
                field: "number",
                value: format!("{s:?}"),
                expected: "expected a finite number".into(),
            })
    })
}

fn country(row: &Row<'_>, col: &str) -> Result<Country> {
    row.parse(col, Country::from_alpha3)
}

fn mineral(row: &Row<'_>, col: &str) -> Result<Mineral> {
    row.parse(col, Mineral::new)
}

fn stage(row: &Row<'_>) -> Result<Stage> {
    row.parse("stage", str::parse::<Stage>)
}

fn confidence(row: &Row<'_>) -> Result<Confidence> {
    row.parse("confidence", Confidence::parse)
}

fn share_pct(row: &Row<'_>, col: &str) -> Result<Share> {
    let v = number(row, col)?;
    Share::from_percent(v).map_err(|e| row.error(col, e.to_string()))
}

fn notes(row: &Row<'_>) -> Option<String> {
    row.opt("notes").map(str::to_string)
}

type Known<'k> = dyn Fn(&Row<'_>, &str) -> Result<String> + 'k;

fn parse_sources(t: &Sheet) -> Result<Vec<Source>> {
    t.require(&["source_id", "publisher", "title"])?;
    let mut out: Vec<Source> = Vec::new();
    for row in t.rows() {
        let id = row.required("source_id")?;
        if out.iter().any(|s| s.id == id) {
            return Err(row.error("source_id", format!("duplicate source id {id:?}")));
        }
        let mut s = Source::new(id, row.text("publisher"), row.text("title"))
            .map_err(|e| row.error("source_id", e.to_string()))?;
        if row.opt("year").is_some() {
            s = s.year(year(&row, "year")?);
        }
        if let Some(r) = row.opt("url_or_reference") {
            s = s.reference(r);
        }
        if let Some(n) = row.opt("notes") {
            s = s.note(n);
        }
        out.push(s);
    }
    Ok(out)
}

fn parse_production(t: &Sheet, known: &Known<'_>) -> Result<Vec<ProductionRow>> {
    t.require(&[
        "mineral",
        "stage",
        "country_iso3",
        "year",
        "quantity",
        "unit",
        "basis",
        "status",
        "source_id",
        "confidence",
    ])?;
    let mut out = Vec::new();
    let mut keys = BTreeSet::new();
    for row in t.rows() {
        let unit = row.parse("unit", Unit::parse)?;
        let status = match row.required("status")? {
            "reported" => Status::Reported,
            "estimated" => Status::Estimated,
            "withheld" => Status::Withheld,
            other => return Err(row.error("status", format!("unknown status {other:?}"))),
        };
        let reported = match (status, row.opt("quantity")) {
            (Status::Withheld, None) => None,
            (Status::Withheld, Some(_)) => {
                return Err(row.error("quantity", "a withheld row has no quantity".into()));
            }
            (_, None) => {
                return Err(row.error(
                    "quantity",
                    "missing (only withheld rows may be empty)".into(),
                ));
            }
            (_, Some(_)) => {
                let v = number(&row, "quantity")?;
                Some(Reported::new(v, unit).map_err(|e| row.error("quantity", e.to_string()))?)
            }
        };
        let r = ProductionRow {
            mineral: mineral(&row, "mineral")?,
            stage: stage(&row)?,
            country: country(&row, "country_iso3")?,
            year: year(&row, "year")?,
            reported,
            unit,
            basis: row.required("basis")?.to_string(),
            status,
            source: known(&row, "source_id")?,
            confidence: confidence(&row)?,
            notes: notes(&row),
        };
        if !keys.insert((r.mineral.clone(), r.stage, r.year, r.country)) {
            return Err(row.error(
                "country_iso3",
                format!(
                    "duplicate row for {}/{} {} {}",
                    r.mineral, r.stage, r.year, r.country
                ),
            ));
        }
        out.push(r);
    }
    out.sort_by(|a, b| {
        (&a.mineral, a.stage, a.year, a.country).cmp(&(&b.mineral, b.stage, b.year, b.country))
    });
    Ok(out)
}

fn parse_shares(t: &Sheet, known: &Known<'_>) -> Result<Vec<ShareRow>> {
    t.require(&[
        "mineral",
        "stage",
        "country_iso3",
        "year",
        "share_pct",
        "source_id",
        "confidence",
    ])?;
    t.rows()
        .map(|row| {
            Ok(ShareRow {
                mineral: mineral(&row, "mineral")?,
                stage: stage(&row)?,
                country: country(&row, "country_iso3")?,
                year: year(&row, "year")?,
                share: share_pct(&row, "share_pct")?,
                source: known(&row, "source_id")?,
                confidence: confidence(&row)?,
                notes: notes(&row),
            })
        })
        .collect()
}

fn parse_reserves(t: &Sheet, known: &Known<'_>) -> Result<Vec<ReserveRow>> {
    t.require(&[
        "mineral",
        "country_iso3",
        "year",
        "quantity",
        "unit",
        "basis",
        "source_id",
        "confidence",
    ])?;
    t.rows()
        .map(|row| {
            let unit = row.parse("unit", Unit::parse)?;
            let v = number(&row, "quantity")?;
            Ok(ReserveRow {
                mineral: mineral(&row, "mineral")?,
                country: country(&row, "country_iso3")?,
                year: year(&row, "year")?,
                reported: Reported::new(v, unit)
                    .map_err(|e| row.error("quantity", e.to_string()))?,
                bound: Bound::from_note(row.text("notes")),
                basis: row.required("basis")?.to_string(),
                source: known(&row, "source_id")?,
                confidence: confidence(&row)?,
                notes: notes(&row),
            })
        })
        .collect()
}

fn parse_import_sources(t: &Sheet, known: &Known<'_>) -> Result<Vec<ImportSourceRow>> {
    t.require(&[
        "mineral",
        "stage",
        "exporter_iso3",
        "importer_iso3",
        "period",
        "share_pct",
        "source_id",
        "confidence",
    ])?;
    t.rows()
        .map(|row| {
            let period = row.required("period")?;
            let bad_period = || row.error("period", format!("expected YYYY-YYYY, got {period:?}"));
            let (a, b) = period.split_once('-').ok_or_else(bad_period)?;
            let from_year: i16 = a.trim().parse().map_err(|_| bad_period())?;
            let to_year: i16 = b.trim().parse().map_err(|_| bad_period())?;
            if to_year < from_year {
                return Err(bad_period());
            }
            Ok(ImportSourceRow {
                mineral: mineral(&row, "mineral")?,
                stage: stage(&row)?,
                exporter: country(&row, "exporter_iso3")?,
                importer: country(&row, "importer_iso3")?,
                from_year,
                to_year,
                share: share_pct(&row, "share_pct")?,
                product: row.text("product_note").to_string(),
                source: known(&row, "source_id")?,
                confidence: confidence(&row)?,
                notes: notes(&row),
            })
        })
        .collect()
}

fn parse_reliance(t: &Sheet, known: &Known<'_>) -> Result<Vec<UsgsRelianceRow>> {
    t.require(&[
        "mineral",
        "year",
        "net_import_reliance_pct",
        "source_id",
        "confidence",
    ])?;
    let mut out: Vec<UsgsRelianceRow> = Vec::new();
    for row in t.rows() {
        let note = row.text("notes");
        let reliance = if row.opt("net_import_reliance_pct").is_some() {
            UsgsRelianceFigure::Share {
                share: share_pct(&row, "net_import_reliance_pct")?,
                bound: Bound::from_note(note),
            }
        } else if note.contains("net exporter") {
            UsgsRelianceFigure::NetExporter
        } else {
            return Err(row.error(
                "net_import_reliance_pct",
                "empty, and the notes do not say net exporter".into(),
            ));
        };
        let m = mineral(&row, "mineral")?;
        if out.iter().any(|r| r.mineral == m) {
            return Err(row.error("mineral", format!("duplicate reliance row for {m}")));
        }
        out.push(UsgsRelianceRow {
            mineral: m,
            year: year(&row, "year")?,
            reliance,
            source: known(&row, "source_id")?,
            confidence: confidence(&row)?,
            notes: notes(&row),
        });
    }
    Ok(out)
}

fn parse_governance(
    t: &Sheet,
    known: &Known<'_>,
) -> Result<BTreeMap<(Country, i16), GovernanceRow>> {
    t.require(&["country_iso3", "year", "indicator", "estimate", "source_id"])?;
    let mut out = BTreeMap::new();
    for row in t.rows() {
        let g = GovernanceRow {
            country: country(&row, "country_iso3")?,
            year: year(&row, "year")?,
            indicator: row.required("indicator")?.to_string(),
            estimate: number(&row, "estimate")?,
            source: known(&row, "source_id")?,
            notes: notes(&row),
        };
        let key = (g.country, g.year);
        if out.insert(key, g).is_some() {
            return Err(row.error(
                "country_iso3",
                format!("duplicate governance row for {} {}", key.0, key.1),
            ));
        }
    }
    Ok(out)
}

fn parse_byproducts(t: &Sheet) -> Result<Vec<Byproduct>> {
    t.require(&["by_product", "host"])?;
    t.rows()
        .map(|row| {
            Ok(Byproduct {
                by_product: mineral(&row, "by_product")?,
                host: mineral(&row, "host")?,
                note: row.text("share_or_note").to_string(),
                sources: split_list(row.text("source_ref"))
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRODUCTION_HEADER: &str =
        "mineral,stage,country_iso3,year,quantity,unit,basis,status,source_id,confidence,notes\n";

    /// Parses the embedded files with `production.csv` replaced by a header
    /// and `row`, expecting a parse error in that file; returns its line and
    /// column.
    fn production_error_at(row: &str) -> (u64, Option<u64>) {
        let production = format!("{PRODUCTION_HEADER}{row}\n");
        match Dataset::parse(&Files {
            production: &production,
            ..EMBEDDED
        }) {
            Err(Error::Parse {
                file, line, column, ..
            }) => {
                assert_eq!(file.unwrap().to_str(), Some("data/production.csv"));
                (line, column)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn mixed_bases_are_refused() {
        // Two cobalt mine rows, one in contained cobalt, one in gross weight.
        let production = format!(
            "{PRODUCTION_HEADER}\
            cobalt,extraction,COD,2024,220000,t,Co content,estimated,usgs_mcs_2025_cobalt,A-t,\n\
            cobalt,extraction,IDN,2024,28000,t,gross weight,estimated,usgs_mcs_2025_cobalt,A-t,\n"
        );
        let files = Files {
            production: &production,
            ..EMBEDDED
        };
        let data = Dataset::parse(&files).unwrap();
        let err = data
            .total(&Mineral::COBALT, Stage::Extraction, 2024)
            .unwrap_err();
        assert!(matches!(err, Error::MixedBasis { .. }), "{err}");
    }

    #[test]
    fn bad_rows_name_file_line_and_column() {
        // Columns: 1 mineral, 2 stage, 3 country_iso3, 4 year, 5 quantity,
        // 6 unit, 7 basis, 8 status, 9 source_id; the one row is line 2.
        // A negative quantity is blamed on quantity.
        assert_eq!(
            production_error_at(
                "cobalt,extraction,COD,2024,-5,t,Co content,estimated,usgs_mcs_2025_cobalt,A-t,"
            ),
            (2, Some(5))
        );
        // A withheld figure must not carry a quantity, and others must.
        assert_eq!(
            production_error_at(
                "cobalt,extraction,COD,2024,5,t,Co content,withheld,usgs_mcs_2025_cobalt,A-t,"
            ),
            (2, Some(5))
        );
        assert_eq!(
            production_error_at(
                "cobalt,extraction,COD,2024,,t,Co content,estimated,usgs_mcs_2025_cobalt,A-t,"
            ),
            (2, Some(5))
        );
        // Every source id must be in the source register.
        assert_eq!(
            production_error_at(
                "cobalt,extraction,COD,2024,1,t,Co content,estimated,no_such_source,A-t,"
            ),
            (2, Some(9))
        );
    }
}
