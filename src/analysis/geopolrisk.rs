//! GeoPolRisk: the geopolitical supply risk of an importer's supply.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::concentration::{Concentration, ConcentrationOptions};
use super::text::Table;
use crate::chain::{NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Stage, Tonnes};

/// What to do with an exporter that has no governance (WGI) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingGovernance {
    /// Refuse: [`Error::NoData`] naming the exporter (default).
    #[default]
    Error,
    /// Keep its tonnes in the total imports `F` but give it no weight in
    /// the numerator, and list it in [`GeoPolRisk::excluded`]. The score is
    /// then a lower bound.
    Exclude,
    /// Count it as `g = 0.5`, the middle of the 0–1 scale, and list it in
    /// [`GeoPolRisk::neutral`]: geopolrisk-py's convention. It is an
    /// assumption, not a measurement (BACI's `S19` is Taiwan, whose WGI is
    /// far from the middle); prefer
    /// [`GovernanceProxy::TaiwanForS19`](crate::data::GovernanceProxy::TaiwanForS19)
    /// for `S19` when matching the reference is not the point.
    Neutral,
}

/// Options for the GeoPolRisk score.
///
/// # Example
/// ```
/// use critical_minerals::analysis::{GeoPolRiskOptions, MissingGovernance};
/// let opts = GeoPolRiskOptions::new().missing_governance(MissingGovernance::Exclude);
/// assert_eq!(opts.missing_governance, MissingGovernance::Exclude);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GeoPolRiskOptions {
    /// Handling of exporters with no governance value.
    pub missing_governance: MissingGovernance,
    /// Clamp `g` to 0–1 (geopolrisk-py's convention; off by default). The
    /// WGI scale is only approximately ±2.5, so a few real estimates fall
    /// outside it (Syria 2021: −2.66 → `g` 1.03); clamping hides that
    /// difference, so the default keeps `g` as computed. Exporters clamped
    /// are listed in [`GeoPolRisk::clamped`].
    pub clamp_g: bool,
}

impl GeoPolRiskOptions {
    /// Missing governance values are errors.
    pub fn new() -> GeoPolRiskOptions {
        GeoPolRiskOptions::default()
    }

    /// Sets how missing governance values are handled.
    pub fn missing_governance(mut self, m: MissingGovernance) -> GeoPolRiskOptions {
        self.missing_governance = m;
        self
    }

    /// Sets whether `g` is clamped to 0–1.
    pub fn clamp_g(mut self, clamp: bool) -> GeoPolRiskOptions {
        self.clamp_g = clamp;
        self
    }

    /// geopolrisk-py 2.0.1's conventions: a missing WGI value counts as
    /// `g = 0.5` ([`MissingGovernance::Neutral`]) and `g` is clamped to 0–1.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::{GeoPolRiskOptions, MissingGovernance};
    /// let o = GeoPolRiskOptions::reference();
    /// assert_eq!(o.missing_governance, MissingGovernance::Neutral);
    /// assert!(o.clamp_g);
    /// ```
    pub fn reference() -> GeoPolRiskOptions {
        GeoPolRiskOptions {
            missing_governance: MissingGovernance::Neutral,
            clamp_g: true,
        }
    }
}

/// The largest WGI magnitude accepted: twice the nominal ±2.5, room for the
/// real outliers (about −3) while refusing values on another scale.
const WGI_LIMIT: f64 = 5.0;

/// One exporter's part of a GeoPolRisk score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ImportRisk {
    /// The exporter.
    pub exporter: Country,
    /// Tonnes the importer receives from it, `fᵢ`.
    pub tonnes: Tonnes,
    /// Its WGI political-stability estimate, when known.
    pub wgi: Option<f64>,
    /// `gᵢ = (2.5 − WGIᵢ) / 5`, when the WGI is known: within −0.5 to 1.5
    /// (0–1 for a WGI within ±2.5).
    pub g: Option<f64>,
    /// `gᵢ fᵢ / (F + P)`: its part of the weighted import share.
    pub contribution: f64,
}

/// The GeoPolRisk midpoint score of an importer's supply of a mineral
/// (Gemechu et al. 2016, *J. Ind. Ecol.* 20(1); Koyamparambath et al.
/// 2024; the `geopolrisk-py` implementation):
///
/// `score = HHI × Σᵢ gᵢ fᵢ / (F + P)`
///
/// with HHI the 0–1 production HHI of the mineral
/// ([`Concentration::hhi`]` / 10,000`), `fᵢ` the importer's imports from
/// country `i`, `F = Σ fᵢ` its total imports, `P` its domestic production,
/// and `gᵢ = (2.5 − WGIᵢ) / 5` the World Bank political-stability estimate
/// rescaled so that 0 is the most and 1 the least stable.
///
/// The WGI estimate is on a standard-normal scale, nominally −2.5 to 2.5,
/// but a few countries fall outside it (the built-in data's lowest is
/// −2.80). Such values are kept as they are, not clamped, so `g` can leave
/// 0–1; values outside −5 to 5, such as a percentile rank (0–100) passed
/// by mistake, are refused. Hence `g` is within −0.5 to 1.5, and
/// `weighted_import_share` and `score` are too (within 0–1 when every WGI
/// is within ±2.5, or when [`GeoPolRiskOptions::clamp_g`] is set).
/// [`GeoPolRiskOptions::reference`] reproduces geopolrisk-py 2.0.1's
/// conventions (missing WGI → `g = 0.5`, `g` clamped); the result lists the
/// exporters each convention touched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeoPolRisk {
    /// The importer.
    pub importer: Country,
    /// The mineral, when known.
    pub mineral: Option<Mineral>,
    /// The stage of the product, when known.
    pub stage: Option<Stage>,
    /// Production HHI as a fraction (0–1), [`Concentration::hhi`]` / 10,000`
    /// (not the 0–10,000 index).
    pub hhi_fraction: f64,
    /// Whether that HHI is a lower bound (a rest-of-world row).
    pub hhi_lower_bound: bool,
    /// Total imports `F`.
    pub total_imports: Tonnes,
    /// Domestic production `P`.
    pub domestic_production: Tonnes,
    /// `Σ gᵢ fᵢ / (F + P)`: within −0.5 to 1.5, and within 0–1 when every
    /// exporter's WGI is within ±2.5 (a plain `f64`, not a
    /// [`Share`](crate::Share), because `g` is not clamped).
    pub weighted_import_share: f64,
    /// `hhi_fraction × weighted_import_share`, within −0.5 to 1.5 (0–1 when
    /// every WGI is within ±2.5).
    pub score: f64,
    /// Each exporter's part, largest contribution first (ties by code).
    pub imports: Vec<ImportRisk>,
    /// Exporters left out of the numerator for want of a governance value
    /// ([`MissingGovernance::Exclude`]).
    pub excluded: Vec<Country>,
    /// Exporters with no governance value counted as `g = 0.5`
    /// ([`MissingGovernance::Neutral`]).
    pub neutral: Vec<Country>,
    /// Exporters whose `g` was clamped to 0–1
    /// ([`GeoPolRiskOptions::clamp_g`]).
    pub clamped: Vec<Country>,
}

impl GeoPolRisk {
    /// The score from its parts: the mineral's production concentration,
    /// the importer's domestic production and its imports by exporter, and
    /// a governance lookup (for example the built-in dataset's WGI
    /// estimates for a year). Several rows for one exporter are added;
    /// rows naming the importer itself are ignored.
    ///
    /// Complexity: O(k log k) for k import rows.
    ///
    /// # Errors
    /// [`Error::NoData`] when `F + P` is zero, or (under
    /// [`MissingGovernance::Error`]) naming an exporter with no governance
    /// value; [`Error::OutOfDomain`] naming the exporter for a WGI value
    /// outside −5 to 5 (or NaN): the estimate's scale is about ±2.5, so such
    /// a value is most likely a percentile rank or another indicator.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::{Concentration, ConcentrationOptions, GeoPolRisk,
    ///     GeoPolRiskOptions}, Country, Tonnes};
    /// // Production: CHN 80, AUS 20 → HHI = 0.64 + 0.04 = 0.68.
    /// let hhi = Concentration::from_outputs([(Country::CHN, Tonnes::new(80.0)?),
    ///     (Country::AUS, Tonnes::new(20.0)?)], &ConcentrationOptions::new())?;
    /// // Imports 30 from CHN (WGI −0.5 → g = 0.6) and 10 from AUS (WGI 1.0 → g = 0.3); P = 10.
    /// let wgi = |c| match c { Country::CHN => Some(-0.5), Country::AUS => Some(1.0), _ => None };
    /// let r = GeoPolRisk::from_parts(Country::USA, &hhi, Tonnes::new(10.0)?,
    ///     [(Country::CHN, Tonnes::new(30.0)?), (Country::AUS, Tonnes::new(10.0)?)],
    ///     wgi, &GeoPolRiskOptions::new())?;
    /// // (0.6 × 30 + 0.3 × 10) / (40 + 10) = 21 / 50 = 0.42; score = 0.68 × 0.42.
    /// assert!((r.weighted_import_share - 0.42).abs() < 1e-12);
    /// assert!((r.score - 0.2856).abs() < 1e-12);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn from_parts(
        importer: Country,
        production_concentration: &Concentration,
        domestic_production: Tonnes,
        imports: impl IntoIterator<Item = (Country, Tonnes)>,
        governance: impl Fn(Country) -> Option<f64>,
        options: &GeoPolRiskOptions,
    ) -> Result<GeoPolRisk> {
        GeoPolRisk::from_parts_members(
            importer,
            &[importer],
            false,
            production_concentration,
            domestic_production,
            imports,
            governance,
            options,
        )
    }

    /// As [`GeoPolRisk::from_parts`] for an importer made of `members`
    /// (`importer` labels the result): rows from a member are trade within
    /// the group; with `intra_in_total` they count in `F` with `g = 0` (the
    /// reference's rule for regions), listed as rows of weight 0, else they
    /// are left out.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts_members(
        importer: Country,
        members: &[Country],
        intra_in_total: bool,
        production_concentration: &Concentration,
        domestic_production: Tonnes,
        imports: impl IntoIterator<Item = (Country, Tonnes)>,
        governance: impl Fn(Country) -> Option<f64>,
        options: &GeoPolRiskOptions,
    ) -> Result<GeoPolRisk> {
        let mut by_exporter: BTreeMap<Country, Tonnes> = BTreeMap::new();
        let mut intra: BTreeMap<Country, Tonnes> = BTreeMap::new();
        for (c, t) in imports {
            if t.get() <= 0.0 {
                continue;
            }
            let map = if members.contains(&c) {
                if !intra_in_total {
                    continue;
                }
                &mut intra
            } else {
                &mut by_exporter
            };
            let e = map.entry(c).or_insert(Tonnes::ZERO);
            *e = *e + t;
        }
        let intra_total: Tonnes = intra.values().copied().sum();
        let total_imports: Tonnes = by_exporter.values().copied().sum::<Tonnes>() + intra_total;
        let denominator = (total_imports + domestic_production).get();
        if denominator <= 0.0 {
            return Err(Error::NoData {
                what: format!("imports or domestic production for importer {importer}"),
            });
        }
        let mut rows = Vec::with_capacity(by_exporter.len());
        let mut excluded = Vec::new();
        let mut neutral = Vec::new();
        let mut clamped = Vec::new();
        for (exporter, tonnes) in by_exporter {
            let wgi = governance(exporter);
            if let Some(w) = wgi {
                if !(-WGI_LIMIT..=WGI_LIMIT).contains(&w) {
                    return Err(Error::OutOfDomain {
                        field: "WGI estimate",
                        value: w.to_string(),
                        expected: format!(
                            "exporter {exporter}: outside -{WGI_LIMIT} to {WGI_LIMIT}; the \
                             political-stability estimate is on a scale of about ±2.5 (not a \
                             percentile rank)"
                        ),
                    });
                }
            } else {
                match options.missing_governance {
                    MissingGovernance::Error => {
                        return Err(Error::NoData {
                            what: format!("governance (WGI) for exporter {exporter}"),
                        });
                    }
                    MissingGovernance::Exclude => excluded.push(exporter),
                    MissingGovernance::Neutral => neutral.push(exporter),
                }
            }
            let mut g = match (wgi, options.missing_governance) {
                (Some(w), _) => Some((2.5 - w) / 5.0),
                (None, MissingGovernance::Neutral) => Some(0.5),
                (None, _) => None,
            };
            if let Some(v) = g.filter(|v| options.clamp_g && !(0.0..=1.0).contains(v)) {
                g = Some(v.clamp(0.0, 1.0));
                clamped.push(exporter);
            }
            rows.push(ImportRisk {
                exporter,
                tonnes,
                wgi,
                g,
                contribution: g.map_or(0.0, |g| g * tonnes.get() / denominator),
            });
        }
        for (exporter, tonnes) in intra {
            rows.push(ImportRisk {
                exporter,
                tonnes,
                wgi: None,
                g: Some(0.0),
                contribution: 0.0,
            });
        }
        rows.sort_by(|x, y| {
            y.contribution
                .total_cmp(&x.contribution)
                .then(x.exporter.cmp(&y.exporter))
        });
        let weighted_import_share: f64 = rows.iter().map(|r| r.contribution).sum();
        let hhi_fraction = production_concentration.hhi_fraction();
        Ok(GeoPolRisk {
            importer,
            mineral: production_concentration.mineral.clone(),
            stage: production_concentration.stage,
            hhi_fraction,
            hhi_lower_bound: production_concentration.lower_bound,
            total_imports,
            domestic_production,
            weighted_import_share,
            score: hhi_fraction * weighted_import_share,
            imports: rows,
            excluded,
            neutral,
            clamped,
        })
    }
}

impl SupplyChain {
    /// The GeoPolRisk score of `importer`'s supply of `mineral` at `stage`
    /// from the chain: HHI from the node outputs at that stage (as
    /// [`SupplyChain::concentration`]), imports `fᵢ` the stage-`stage`
    /// material the importer receives from each country (as in
    /// [`SupplyChain::import_reliance`]), `P` the output of the importer's
    /// node at that stage (its outflows when it has no output figure, zero
    /// when there is no node). `governance` gives each exporter's WGI
    /// political-stability estimate.
    ///
    /// Complexity: O(V + d log d) for V nodes (the concentration pass) and
    /// the in-degree d of the importer's nodes of that mineral.
    ///
    /// # Errors
    /// As [`SupplyChain::concentration`] and [`GeoPolRisk::from_parts`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::GeoPolRiskOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// let cn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining)
    ///     .output(Tonnes::new(90.0)?))?;
    /// let my = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining)
    ///     .output(Tonnes::new(10.0)?))?;
    /// let us = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(cn, us, Flow::new(Tonnes::new(7.0)?))?;
    /// chain.add_flow(my, us, Flow::new(Tonnes::new(3.0)?))?;
    /// let wgi = |c| match c { Country::CHN => Some(-0.5), Country::MYS => Some(0.0), _ => None };
    /// let r = chain.geopolrisk(Country::USA, &ree, Stage::Refining, wgi,
    ///     &GeoPolRiskOptions::new())?;
    /// // HHI 0.82; (0.6 × 7 + 0.5 × 3) / 10 = 0.57.
    /// assert!((r.score - 0.82 * 0.57).abs() < 1e-12);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn geopolrisk(
        &self,
        importer: Country,
        mineral: &Mineral,
        stage: Stage,
        governance: impl Fn(Country) -> Option<f64>,
        options: &GeoPolRiskOptions,
    ) -> Result<GeoPolRisk> {
        let conc = self.concentration(mineral, stage, &ConcentrationOptions::new())?;
        let production = match self.node_by_key(&NodeKey::new(importer, mineral.clone(), stage)) {
            None => Tonnes::ZERO,
            Some((id, node)) => node
                .output
                .unwrap_or_else(|| self.flows_out(id).map(|f| f.tonnes()).sum()),
        };
        let imports: Vec<(Country, Tonnes)> = Stage::ALL
            .iter()
            .filter(|to| stage.can_flow_to(**to, true))
            .filter_map(|to| self.node_id(&NodeKey::new(importer, mineral.clone(), *to)))
            .flat_map(|id| self.flows_in(id))
            .filter(|f| !f.is_domestic() && f.from_key.stage == stage)
            .map(|f| (f.from_key.country, f.tonnes()))
            .collect();
        GeoPolRisk::from_parts(importer, &conc, production, imports, governance, options)
    }
}

fn opt_num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "n/a".into(), |x| format!("{x:.decimals$}"))
}

impl fmt::Display for GeoPolRisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GeoPolRisk of {}'s", self.importer)?;
        if let Some(m) = &self.mineral {
            write!(f, " {m}")?;
        }
        writeln!(f, " supply: {:.4}", self.score)?;
        let stage = self
            .stage
            .map(|s| format!(" of {s} output"))
            .unwrap_or_default();
        writeln!(
            f,
            "  = HHI{stage} {:.4}{} × weighted import share {:.4}",
            self.hhi_fraction,
            if self.hhi_lower_bound {
                " (lower bound)"
            } else {
                ""
            },
            self.weighted_import_share
        )?;
        writeln!(
            f,
            "  imports F = {}, domestic production P = {}",
            self.total_imports, self.domestic_production
        )?;
        if !self.imports.is_empty() {
            let mut t = Table::new(["exporter", "imports", "WGI", "g", "g·f/(F+P)"]);
            for r in &self.imports {
                t.row([
                    r.exporter.to_string(),
                    r.tonnes.to_string(),
                    opt_num(r.wgi, 3),
                    opt_num(r.g, 3),
                    format!("{:.4}", r.contribution),
                ]);
            }
            t.write(f, "  ")?;
        }
        if !self.excluded.is_empty() {
            let list: Vec<String> = self.excluded.iter().map(|c| c.to_string()).collect();
            writeln!(
                f,
                "  No WGI value for {}: left out of the numerator, so the score is a lower bound.",
                list.join(", ")
            )?;
        }
        if !self.neutral.is_empty() {
            let list: Vec<String> = self.neutral.iter().map(|c| c.to_string()).collect();
            writeln!(
                f,
                "  No WGI value for {}: counted as g = 0.5 (geopolrisk-py's convention).",
                list.join(", ")
            )?;
        }
        if !self.clamped.is_empty() {
            let list: Vec<String> = self.clamped.iter().map(|c| c.to_string()).collect();
            writeln!(f, "  g clamped to 0–1 for {}.", list.join(", "))?;
        }
        Ok(())
    }
}
