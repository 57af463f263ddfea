//! Market concentration: shares, HHI, top-k shares and the merger-guideline
//! bands.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::{Align, Table};
use crate::chain::SupplyChain;
use crate::error::{Error, Result};
use crate::model::{
    Basis, ContentFactors, Conversion, Converter, Country, Mineral, Share, Stage, Tonnes,
    common_basis, group_thousands,
};

/// The guideline whose HHI thresholds give the concentration band.
///
/// | guideline | unconcentrated | moderately | highly |
/// |---|---|---|---|
/// | US DOJ/FTC Horizontal Merger Guidelines 1992 | < 1,000 | 1,000–1,800 | > 1,800 |
/// | US DOJ/FTC Horizontal Merger Guidelines 2010 | < 1,500 | 1,500–2,500 | > 2,500 |
/// | US DOJ/FTC Merger Guidelines 2023 | — | — | > 1,800 |
///
/// The 2023 guidelines name only the "highly concentrated" band; below it a
/// market is [`Band::NotHighlyConcentrated`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guideline {
    /// 1992 Horizontal Merger Guidelines: 1,000 / 1,800.
    Merger1992,
    /// 2010 Horizontal Merger Guidelines: 1,500 / 2,500.
    Merger2010,
    /// 2023 Merger Guidelines: 1,800.
    #[default]
    Merger2023,
}

impl Guideline {
    /// The band an HHI (0–10,000) falls in. Boundary values belong to the
    /// middle band, as the guidelines' "between" wording reads.
    pub fn band(self, hhi: f64) -> Band {
        match self {
            Guideline::Merger1992 => Guideline::three_bands(hhi, 1_000.0, 1_800.0),
            Guideline::Merger2010 => Guideline::three_bands(hhi, 1_500.0, 2_500.0),
            Guideline::Merger2023 => {
                if hhi > 1_800.0 {
                    Band::HighlyConcentrated
                } else {
                    Band::NotHighlyConcentrated
                }
            }
        }
    }

    fn three_bands(hhi: f64, low: f64, high: f64) -> Band {
        if hhi < low {
            Band::Unconcentrated
        } else if hhi <= high {
            Band::ModeratelyConcentrated
        } else {
            Band::HighlyConcentrated
        }
    }
}

impl fmt::Display for Guideline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Guideline::Merger1992 => "1992 merger guidelines",
            Guideline::Merger2010 => "2010 merger guidelines",
            Guideline::Merger2023 => "2023 merger guidelines",
        })
    }
}

/// A concentration band under a [`Guideline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below the lower threshold.
    Unconcentrated,
    /// Between the two thresholds.
    ModeratelyConcentrated,
    /// Above the upper threshold.
    HighlyConcentrated,
    /// At or below the only threshold of the 2023 guidelines.
    NotHighlyConcentrated,
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Band::Unconcentrated => "unconcentrated",
            Band::ModeratelyConcentrated => "moderately concentrated",
            Band::HighlyConcentrated => "highly concentrated",
            Band::NotHighlyConcentrated => "not highly concentrated",
        })
    }
}

/// Options for [`Concentration`].
///
/// # Example
/// ```
/// use critical_minerals::analysis::{ConcentrationOptions, Guideline};
/// let opts = ConcentrationOptions::new().guideline(Guideline::Merger2010);
/// assert_eq!(opts.guideline, Guideline::Merger2010);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConcentrationOptions {
    /// Which thresholds give the band (default: 2023 merger guidelines).
    pub guideline: Guideline,
    /// Content factors converting the outputs of a chain to one basis
    /// before shares are taken ([`SupplyChain::concentration`]); `None`
    /// (the default): outputs of different bases are refused.
    #[serde(default)]
    pub content: Option<ContentFactors>,
}

impl ConcentrationOptions {
    /// The 2023 merger guidelines.
    pub fn new() -> ConcentrationOptions {
        ConcentrationOptions::default()
    }

    /// Uses `g`'s thresholds.
    pub fn guideline(mut self, g: Guideline) -> ConcentrationOptions {
        self.guideline = g;
        self
    }

    /// Converts each node output to `factors`' target basis before adding
    /// (see [`ContentFactors`] for the rule); an output with neither a
    /// factor nor the target basis is refused with
    /// [`Error::MixedBasis`] naming the node. The result lists what was
    /// applied in [`Concentration::conversions`].
    pub fn content(mut self, factors: ContentFactors) -> ConcentrationOptions {
        self.content = Some(factors);
        self
    }
}

/// One producer's output and share of the total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProducerShare {
    /// The producer.
    pub country: Country,
    /// Its output.
    pub tonnes: Tonnes,
    /// Its share of the total (rest of world included in the total).
    pub share: Share,
}

/// How concentrated the output of one mineral at one stage is.
///
/// Shares are of the total output, which includes a rest-of-world
/// ([`Country::ROW`]) row when there is one. That row's composition is
/// unknown, so it is left out of the sum of squares: the HHI is then a
/// lower bound ([`Concentration::lower_bound`]), since splitting the row
/// among any producers can only add to it. World totals
/// ([`Country::WLD`]) are ignored. Several rows for one country are added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concentration {
    /// The mineral, when known.
    pub mineral: Option<Mineral>,
    /// The stage, when known.
    pub stage: Option<Stage>,
    /// Total output, rest of world included.
    pub total: Tonnes,
    /// Named producers with positive output, largest first (ties by code).
    pub shares: Vec<ProducerShare>,
    /// The rest-of-world row, when there is one with positive output.
    pub rest_of_world: Option<ProducerShare>,
    /// Herfindahl–Hirschman index on the 0–10,000 scale:
    /// `Σ (100 × share)²` over the named producers.
    pub hhi: f64,
    /// The HHI rescaled by the number of named producers `n`, with
    /// `H = hhi / 10,000` (shares of the total, rest of world included):
    /// `(H − 1/n) / (1 − 1/n)` clamped into 0–1 when `n ≥ 2`; `H` itself
    /// when `n = 1` (1 for a sole producer, its share² beside a
    /// rest-of-world row); 0 when `n = 0` (rest of world only). With a
    /// rest-of-world row `H` can fall below `1/n`, which the clamp turns
    /// into 0. Not the 0–1 HHI of GeoPolRisk, which is
    /// [`hhi_fraction`](Concentration::hhi_fraction).
    pub hhi_normalised: f64,
    /// The largest named producer's share.
    pub top1: Share,
    /// The three largest named producers' shares together.
    pub top3: Share,
    /// Number of named producers with positive output.
    pub producers: usize,
    /// The guideline the band is read under.
    pub guideline: Guideline,
    /// The band.
    pub band: Band,
    /// Whether a rest-of-world row makes the HHI a lower bound.
    pub lower_bound: bool,
    /// The content factors applied to the outputs
    /// ([`ConcentrationOptions::content`]); empty when none were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conversions: Vec<Conversion>,
}

impl Concentration {
    /// Concentration of the given outputs, one `(country, tonnes)` per row
    /// (the built-in dataset's production rows, or any list).
    ///
    /// Complexity: O(n log n) for n rows.
    ///
    /// # Errors
    /// [`Error::NoData`] when the rows hold no positive output (world-total
    /// rows aside).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::{Band, Concentration, ConcentrationOptions}, Country,
    ///     Tonnes};
    /// // Shares 60 / 30 / 10: HHI = 3,600 + 900 + 100 = 4,600.
    /// let c = Concentration::from_outputs([
    ///     (Country::CHN, Tonnes::new(60.0)?),
    ///     (Country::AUS, Tonnes::new(30.0)?),
    ///     (Country::MYS, Tonnes::new(10.0)?),
    /// ], &ConcentrationOptions::new())?;
    /// assert!((c.hhi - 4_600.0).abs() < 1e-9);
    /// assert_eq!(c.band, Band::HighlyConcentrated);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn from_outputs(
        rows: impl IntoIterator<Item = (Country, Tonnes)>,
        options: &ConcentrationOptions,
    ) -> Result<Concentration> {
        let mut by_country: BTreeMap<Country, Tonnes> = BTreeMap::new();
        for (c, t) in rows {
            if c == Country::WLD {
                continue;
            }
            let e = by_country.entry(c).or_insert(Tonnes::ZERO);
            *e = *e + t;
        }
        let total: Tonnes = by_country.values().copied().sum();
        if total.get() <= 0.0 {
            return Err(Error::NoData {
                what: "positive output to compute concentration from".into(),
            });
        }
        let share = |c: Country, t: Tonnes| ProducerShare {
            country: c,
            tonnes: t,
            share: Share::ratio(t.get(), total.get()),
        };
        let rest_of_world = by_country
            .remove(&Country::ROW)
            .filter(|t| t.get() > 0.0)
            .map(|t| share(Country::ROW, t));
        let mut shares: Vec<ProducerShare> = by_country
            .into_iter()
            .filter(|(_, t)| t.get() > 0.0)
            .map(|(c, t)| share(c, t))
            .collect();
        shares.sort_by(|x, y| {
            y.tonnes
                .get()
                .total_cmp(&x.tonnes.get())
                .then(x.country.cmp(&y.country))
        });
        let sum_sq: f64 = shares.iter().map(|s| s.share.get() * s.share.get()).sum();
        let hhi = 10_000.0 * sum_sq;
        let n = shares.len();
        let hhi_normalised = if n <= 1 {
            if n == 1 { sum_sq.clamp(0.0, 1.0) } else { 0.0 }
        } else {
            let inv = 1.0 / n as f64;
            ((sum_sq - inv) / (1.0 - inv)).clamp(0.0, 1.0)
        };
        let top = |k: usize| {
            Share::ratio(
                shares.iter().take(k).map(|s| s.tonnes.get()).sum(),
                total.get(),
            )
        };
        Ok(Concentration {
            mineral: None,
            stage: None,
            total,
            top1: top(1),
            top3: top(3),
            producers: n,
            guideline: options.guideline,
            band: options.guideline.band(hhi),
            lower_bound: rest_of_world.is_some(),
            hhi,
            hhi_normalised,
            shares,
            rest_of_world,
            conversions: Vec::new(),
        })
    }

    /// Labels the result with a mineral and stage (for display).
    pub fn labelled(mut self, mineral: Mineral, stage: Stage) -> Concentration {
        self.mineral = Some(mineral);
        self.stage = Some(stage);
        self
    }

    /// The HHI as a fraction, `hhi / 10,000` (0–1): the form GeoPolRisk uses.
    pub fn hhi_fraction(&self) -> f64 {
        self.hhi / 10_000.0
    }

    /// A country's share (zero when it is not a producer; the rest-of-world
    /// share for [`Country::ROW`]).
    pub fn share_of(&self, c: Country) -> Share {
        if c == Country::ROW {
            return self.rest_of_world.map_or(Share::ZERO, |r| r.share);
        }
        self.shares
            .iter()
            .find(|s| s.country == c)
            .map_or(Share::ZERO, |s| s.share)
    }

    /// Weighted HHI on the 0–10,000 scale, `Σ wᵢ (100 × shareᵢ)²` over the
    /// named producers: the form of the EU criticality method's supply risk
    /// (weights = scaled governance indicators). Rest of world has no
    /// weight and is left out, as in the plain HHI. O(n).
    ///
    /// # Errors
    /// [`Error::NoData`] naming the first producer (in share order) with no
    /// weight; [`Error::InvalidQuantity`] for a weight that is NaN,
    /// infinite or negative.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::{Concentration, ConcentrationOptions}, Country, Tonnes};
    /// let c = Concentration::from_outputs([
    ///     (Country::CHN, Tonnes::new(80.0)?),
    ///     (Country::AUS, Tonnes::new(20.0)?),
    /// ], &ConcentrationOptions::new())?;
    /// // 0.5 × 80² + 0.1 × 20² = 3,200 + 40.
    /// let w = c.weighted_hhi(|k| match k { Country::CHN => Some(0.5), _ => Some(0.1) })?;
    /// assert!((w - 3_240.0).abs() < 1e-9);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn weighted_hhi(&self, weight: impl Fn(Country) -> Option<f64>) -> Result<f64> {
        let mut sum = 0.0;
        for s in &self.shares {
            let w = weight(s.country).ok_or_else(|| Error::NoData {
                what: format!("weight for producer {}", s.country),
            })?;
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::InvalidQuantity {
                    what: "concentration weight",
                    value: w,
                });
            }
            let p = 100.0 * s.share.get();
            sum += w * p * p;
        }
        Ok(sum)
    }
}

impl SupplyChain {
    /// Concentration of the chain's node outputs for `mineral` at `stage`
    /// (nodes with no output figure are left out; see [`Concentration`] for
    /// rest of world and world totals).
    ///
    /// Complexity: O(V + n log n) for V nodes and n producers.
    ///
    /// # Errors
    /// [`Error::NoData`] when no node of that mineral and stage has a
    /// positive output; [`Error::MixedBasis`] when their outputs measure
    /// different things ([`Node::basis`](crate::Node::basis); a node with
    /// no basis is compatible with any), or, with
    /// [`ConcentrationOptions::content`], an output has neither a factor
    /// nor the target basis; [`Error::OutOfDomain`] for a content factor
    /// that is not finite and positive.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::ConcentrationOptions, Country, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let co = Mineral::COBALT;
    /// for (c, t) in [(Country::COD, 170_000.0), (Country::IDN, 22_000.0), (Country::ROW, 8_000.0)] {
    ///     chain.add_node(Node::new(c, co.clone(), Stage::Extraction).output(Tonnes::new(t)?))?;
    /// }
    /// let c = chain.concentration(&co, Stage::Extraction, &ConcentrationOptions::new())?;
    /// assert_eq!(c.top1.get(), 0.85);
    /// assert!(c.lower_bound); // ROW is in the total, not in the sum of squares
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn concentration(
        &self,
        mineral: &Mineral,
        stage: Stage,
        options: &ConcentrationOptions,
    ) -> Result<Concentration> {
        let with_output = || {
            self.nodes_of_mineral(mineral)
                .filter(move |(_, n)| n.key.stage == stage && n.output.is_some())
        };
        let (rows, conversions) = match &options.content {
            // Shares of a total are meaningless across bases (tonnes of
            // contained metal against gross weight): refuse them.
            None => {
                common_basis(mineral, stage, with_output().map(|(_, n)| n.basis.as_ref()))?;
                let rows: Vec<(Country, Tonnes)> = with_output()
                    .filter_map(|(_, n)| n.output.map(|t| (n.key.country, t)))
                    .collect();
                (rows, Vec::new())
            }
            // ... unless the caller's factors put them on one basis.
            Some(factors) => {
                let mut conv = Converter::new(factors)?;
                let mut rows = Vec::new();
                for (_, n) in with_output() {
                    if let Some(t) = n.output {
                        let t = conv.convert(mineral, stage, n.basis.as_ref(), None, t, || {
                            format!("node {}", n.key)
                        })?;
                        rows.push((n.key.country, t));
                    }
                }
                (rows, conv.finish())
            }
        };
        Concentration::from_outputs(rows, options)
            .map(|c| Concentration {
                conversions,
                ..c.labelled(mineral.clone(), stage)
            })
            .map_err(|e| match e {
                Error::NoData { .. } => Error::NoData {
                    what: format!("output of {mineral} at {stage} in the chain"),
                },
                other => other,
            })
    }

    /// Concentration of `mineral` at every stage that has output, in stage
    /// order; a stage whose outputs mix bases (after the content factors
    /// of [`ConcentrationOptions::content`], if any) is left out (see
    /// [`SupplyChain::concentration`]). One pass over the nodes:
    /// O(V + n log n).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::ConcentrationOptions, Country, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Extraction)
    ///     .output(Tonnes::new(270_000.0)?))?;
    /// chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining)
    ///     .output(Tonnes::new(200_000.0)?))?;
    /// let by_stage = chain.concentration_by_stage(&ree, &ConcentrationOptions::new());
    /// assert_eq!(by_stage.stages.len(), 2);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn concentration_by_stage(
        &self,
        mineral: &Mineral,
        options: &ConcentrationOptions,
    ) -> StageConcentration {
        let mut rows: BTreeMap<Stage, Vec<(Country, Tonnes)>> = BTreeMap::new();
        let mut bases: BTreeMap<Stage, Vec<Option<&Basis>>> = BTreeMap::new();
        for (_, n) in self.nodes_of_mineral(mineral) {
            if let Some(t) = n.output {
                rows.entry(n.key.stage)
                    .or_default()
                    .push((n.key.country, t));
                bases.entry(n.key.stage).or_default().push(n.basis.as_ref());
            }
        }
        if options.content.is_some() {
            // Factors put each stage on one basis, or the stage is left out.
            let stages = rows
                .keys()
                .filter_map(|&stage| self.concentration(mineral, stage, options).ok())
                .collect();
            return StageConcentration {
                mineral: mineral.clone(),
                stages,
            };
        }
        let stages = rows
            .into_iter()
            // A stage whose figures mix bases has no meaningful shares.
            .filter(|(stage, _)| {
                common_basis(
                    mineral,
                    *stage,
                    bases.get(stage).into_iter().flatten().copied(),
                )
                .is_ok()
            })
            .filter_map(|(stage, r)| {
                Concentration::from_outputs(r, options)
                    .ok()
                    .map(|c| c.labelled(mineral.clone(), stage))
            })
            .collect();
        StageConcentration {
            mineral: mineral.clone(),
            stages,
        }
    }
}

/// Concentration of one mineral at each stage with output; see
/// [`SupplyChain::concentration_by_stage`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageConcentration {
    /// The mineral.
    pub mineral: Mineral,
    /// One entry per stage with positive output, in stage order.
    pub stages: Vec<Concentration>,
}

fn hhi_text(c: &Concentration) -> String {
    let h = group_thousands(c.hhi, 0);
    if c.lower_bound { format!("≥{h}") } else { h }
}

fn top3_text(c: &Concentration) -> String {
    c.shares
        .iter()
        .take(3)
        .map(|s| format!("{} {:.0}", s.country, s.share))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for StageConcentration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Concentration of {} by stage", self.mineral)?;
        if self.stages.is_empty() {
            return writeln!(f, "  (no output at any stage)");
        }
        let mut t = Table::new([
            "stage",
            "producers",
            "total",
            "largest three",
            "top-1",
            "top-3",
            "HHI",
            "band",
        ])
        .align(3, Align::Left)
        .align(7, Align::Left);
        let mut guideline = None;
        let mut any_lower = false;
        for c in &self.stages {
            guideline = Some(c.guideline);
            any_lower |= c.lower_bound;
            t.row([
                c.stage.map(|s| s.to_string()).unwrap_or_default(),
                c.producers.to_string(),
                c.total.to_string(),
                top3_text(c),
                c.top1.to_string(),
                c.top3.to_string(),
                hhi_text(c),
                c.band.to_string(),
            ]);
        }
        t.write(f, "  ")?;
        if let Some(g) = guideline {
            writeln!(f, "  Bands under the {g}.")?;
        }
        if any_lower {
            writeln!(
                f,
                "  ≥: a rest-of-world row of unknown composition is in the total but not in the \
                 sum of squares, so the HHI is a lower bound."
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Concentration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Concentration")?;
        if let Some(m) = &self.mineral {
            write!(f, " of {m}")?;
        }
        if let Some(s) = &self.stage {
            write!(f, " at {s}")?;
        }
        writeln!(f)?;
        let mut t = Table::new(["country", "name", "output", "share"]).align(1, Align::Left);
        for s in self.shares.iter().chain(self.rest_of_world.iter()) {
            let name = if s.country == Country::ROW {
                "rest of world (unknown composition)"
            } else {
                s.country.name()
            };
            t.row([
                s.country.to_string(),
                name.to_string(),
                s.tonnes.to_string(),
                s.share.to_string(),
            ]);
        }
        t.row([
            "total".to_string(),
            String::new(),
            self.total.to_string(),
            Share::ONE.to_string(),
        ]);
        t.write(f, "  ")?;
        writeln!(
            f,
            "  HHI {} ({}, {}); normalised {:.3}; top-1 {}, top-3 {}; {} producers",
            hhi_text(self),
            self.band,
            self.guideline,
            self.hhi_normalised,
            self.top1,
            self.top3,
            self.producers
        )?;
        if self.lower_bound {
            writeln!(
                f,
                "  The HHI is a lower bound: rest of world counts in the total but not in the sum \
                 of squares."
            )?;
        }
        Ok(())
    }
}
