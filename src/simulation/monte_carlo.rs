//! Monte Carlo over random failures: seeded, parallel, identical at any
//! thread count, and shardable by run index.

use std::collections::BTreeMap;
use std::ops::Range;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::{Dataset, GovernanceProxy};
use crate::error::{Error, Result};
use crate::model::{Country, Share, Tonnes};
use crate::simulation::Propagation;
use crate::simulation::attribution::RunToAttribute;
use crate::simulation::simulator::{Resolved, Simulator};
use crate::simulation::summary::{RunRecord, Summary};

/// How the WGI political-stability estimate (about −2.5 to +2.5) maps to a
/// yearly failure probability: linearly, from `least_stable` at −2.5 to
/// `most_stable` at +2.5, estimates outside that range clamped; countries
/// with no estimate get `missing`.
///
/// The default (1 % at +2.5, 20 % at −2.5, 10 % when missing) is an
/// illustrative assumption, not an estimate: state your own mapping when
/// the figures matter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GovernanceMapping {
    /// Failure probability at an estimate of +2.5 (most stable).
    pub most_stable: Share,
    /// Failure probability at −2.5 (least stable).
    pub least_stable: Share,
    /// Failure probability of a country with no estimate.
    pub missing: Share,
}

impl Default for GovernanceMapping {
    fn default() -> Self {
        GovernanceMapping {
            most_stable: Share::ratio(1.0, 100.0),
            least_stable: Share::ratio(20.0, 100.0),
            missing: Share::ratio(10.0, 100.0),
        }
    }
}

impl GovernanceMapping {
    /// The default mapping: 1 % at +2.5, 20 % at −2.5, 10 % when missing.
    pub fn new() -> GovernanceMapping {
        GovernanceMapping::default()
    }

    /// The probability at +2.5.
    pub fn most_stable(mut self, p: Share) -> GovernanceMapping {
        self.most_stable = p;
        self
    }

    /// The probability at −2.5.
    pub fn least_stable(mut self, p: Share) -> GovernanceMapping {
        self.least_stable = p;
        self
    }

    /// The probability with no estimate.
    pub fn missing(mut self, p: Share) -> GovernanceMapping {
        self.missing = p;
        self
    }

    /// The failure probability for an estimate (`None`: missing).
    pub fn probability(&self, estimate: Option<f64>) -> f64 {
        match estimate {
            Some(e) if e.is_finite() => {
                let x = ((2.5 - e.clamp(-2.5, 2.5)) / 5.0).clamp(0.0, 1.0);
                self.most_stable.get() + (self.least_stable.get() - self.most_stable.get()) * x
            }
            _ => self.missing.get(),
        }
    }
}

/// What fails in a run, and how likely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FailureModel {
    /// Each node fails on its own with the same probability.
    Nodes {
        /// The probability.
        probability: Share,
    },
    /// Each country (all its nodes together) fails with the same
    /// probability.
    Countries {
        /// The probability.
        probability: Share,
    },
    /// Each country fails with its own probability.
    PerCountry {
        /// The probabilities.
        probabilities: BTreeMap<Country, Share>,
        /// The probability of a country not listed.
        otherwise: Share,
    },
    /// Each country fails with a probability from its governance estimate
    /// (WGI political stability, `PV.EST`) under a stated mapping.
    Governance {
        /// The estimates.
        estimates: BTreeMap<Country, f64>,
        /// How an estimate becomes a probability.
        mapping: GovernanceMapping,
    },
}

/// How [`FailureModel::governance_with`] picks its WGI values.
///
/// # Example
/// ```
/// use critical_minerals::data::GovernanceProxy;
/// use critical_minerals::simulation::GovernanceOptions;
/// let opts = GovernanceOptions::new().nearest_year(true).proxy(GovernanceProxy::TaiwanForS19);
/// assert!(opts.nearest_year);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GovernanceOptions {
    /// A year without WGI values takes the nearest year that has them
    /// (the earlier of two equally near), said in the result; `false` (the
    /// default): such a year is an error.
    pub nearest_year: bool,
    /// Which rows stand in for countries without their own (default
    /// [`GovernanceProxy::None`]; [`GovernanceProxy::TaiwanForS19`] gives
    /// BACI's `S19` Taiwan's WGI row, as GeoPolRisk can).
    pub proxy: GovernanceProxy,
}

impl GovernanceOptions {
    /// The defaults: the year asked for, no proxy.
    pub fn new() -> GovernanceOptions {
        GovernanceOptions::default()
    }

    /// Whether a year without values falls back to the nearest one.
    pub fn nearest_year(mut self, on: bool) -> GovernanceOptions {
        self.nearest_year = on;
        self
    }

    /// The proxy rule.
    pub fn proxy(mut self, proxy: GovernanceProxy) -> GovernanceOptions {
        self.proxy = proxy;
        self
    }
}

/// A governance failure model and how it was built, from
/// [`FailureModel::governance_with`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GovernanceFailure {
    /// The model ([`FailureModel::Governance`]).
    pub model: FailureModel,
    /// The year asked for.
    pub requested_year: i16,
    /// The WGI year used: the one asked for, or the nearest under
    /// [`GovernanceOptions::nearest_year`].
    pub year: i16,
    /// Countries that took another country's row under the proxy rule, as
    /// (country, the country whose row it took), e.g. (`S19`, `TWN`).
    pub proxied: Vec<(Country, Country)>,
}

impl FailureModel {
    /// The governance model from the dataset's WGI political-stability
    /// estimates (`PV.EST`) of a year (2019–2024 in the built-in data),
    /// without proxies. A country without an estimate fails with the
    /// mapping's `missing` probability; a Monte Carlo [`Summary`] lists
    /// those of its network ([`Summary::unscored`]).
    ///
    /// # Errors
    /// [`Error::NoData`] naming the year when the dataset has no estimate
    /// for it (ask [`FailureModel::governance_with`] for the nearest year).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset};
    /// use critical_minerals::simulation::{FailureModel, GovernanceMapping};
    /// let data = Dataset::builtin()?;
    /// let model = FailureModel::governance(data, 2024, GovernanceMapping::new())?;
    /// assert!(matches!(model, FailureModel::Governance { .. }));
    /// // A year the data lacks is an error, not 10% for every country.
    /// let err = FailureModel::governance(data, 2030, GovernanceMapping::new()).unwrap_err();
    /// assert!(err.to_string().contains("2030"));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn governance(
        data: &Dataset,
        year: i16,
        mapping: GovernanceMapping,
    ) -> Result<FailureModel> {
        FailureModel::governance_with(data, year, mapping, GovernanceOptions::new())
            .map(|g| g.model)
    }

    /// [`FailureModel::governance`] with options: the nearest year with
    /// values on request, and the `S19` → `TWN` proxy; the result says
    /// which year was used and which countries took another's row.
    /// O(R) over the dataset's governance rows.
    ///
    /// # Errors
    /// [`Error::NoData`] naming the year when it has no estimate and
    /// [`GovernanceOptions::nearest_year`] is off (or the dataset has no
    /// estimate for any year).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::data::GovernanceProxy;
    /// use critical_minerals::simulation::{FailureModel, GovernanceMapping, GovernanceOptions};
    /// use critical_minerals::{Country, Dataset};
    /// let data = Dataset::builtin()?;
    /// let opts = GovernanceOptions::new().nearest_year(true).proxy(GovernanceProxy::TaiwanForS19);
    /// let g = FailureModel::governance_with(data, 2030, GovernanceMapping::new(), opts)?;
    /// assert_eq!((g.requested_year, g.year), (2030, 2024));
    /// assert_eq!(g.proxied, vec![(Country::OTHER_ASIA, Country::from_alpha3("TWN")?)]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn governance_with(
        data: &Dataset,
        year: i16,
        mapping: GovernanceMapping,
        options: GovernanceOptions,
    ) -> Result<GovernanceFailure> {
        let years: std::collections::BTreeSet<i16> = data
            .governance_rows()
            .filter(|r| r.indicator == "PV.EST")
            .map(|r| r.year)
            .collect();
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "no year".into(),
        };
        let used = if years.contains(&year) {
            year
        } else if options.nearest_year {
            *years
                .iter()
                .min_by_key(|y| ((i32::from(**y) - i32::from(year)).abs(), **y))
                .ok_or_else(|| Error::NoData {
                    what: "WGI political-stability estimates (PV.EST) for any year".into(),
                })?
        } else {
            return Err(Error::NoData {
                what: format!(
                    "WGI political-stability estimates (PV.EST) for {year}: the data covers {span}; \
                     ask for the nearest year (GovernanceOptions::nearest_year) or pick one"
                ),
            });
        };
        let mut estimates: BTreeMap<Country, f64> = data
            .governance_rows()
            .filter(|r| r.year == used && r.indicator == "PV.EST")
            .map(|r| (r.country, r.estimate))
            .collect();
        let mut proxied = Vec::new();
        // The proxy rule names the countries it covers (S19 today).
        let c = Country::OTHER_ASIA;
        let from = options.proxy.resolve(c);
        if from != c && !estimates.contains_key(&c) {
            if let Some(&e) = estimates.get(&from) {
                estimates.insert(c, e);
                proxied.push((c, from));
            }
        }
        Ok(GovernanceFailure {
            model: FailureModel::Governance { estimates, mapping },
            requested_year: year,
            year: used,
            proxied,
        })
    }

    /// Whether a country has no probability of its own under this model
    /// and takes the default one (`missing` of a governance model, the
    /// `otherwise` of a per-country one). O(log n).
    pub fn is_unscored(&self, c: Country) -> bool {
        match self {
            FailureModel::Nodes { .. } | FailureModel::Countries { .. } => false,
            FailureModel::PerCountry { probabilities, .. } => !probabilities.contains_key(&c),
            FailureModel::Governance { estimates, .. } => !estimates.contains_key(&c),
        }
    }

    fn country_probability(&self, c: Country) -> f64 {
        match self {
            FailureModel::Nodes { .. } => 0.0,
            FailureModel::Countries { probability } => probability.get(),
            FailureModel::PerCountry {
                probabilities,
                otherwise,
            } => probabilities.get(&c).unwrap_or(otherwise).get(),
            FailureModel::Governance { estimates, mapping } => {
                mapping.probability(estimates.get(&c).copied())
            }
        }
    }
}

/// How much of a failed node's capacity is lost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Severity {
    /// Always this share (1: the node is removed).
    Fixed {
        /// The share lost.
        share: Share,
    },
    /// Drawn uniformly between two shares, per failure.
    Uniform {
        /// The smallest share lost.
        low: Share,
        /// The largest share lost.
        high: Share,
    },
}

/// A Monte Carlo experiment: failure model, severity, number of runs,
/// seed, propagation model and the shortfall threshold whose exceedance
/// probability is reported.
///
/// Run `i` draws from its own generator, ChaCha8 seeded with `seed` on
/// stream `i`, so a run's draws depend only on the seed and its index:
/// results are identical at any thread count and any sharding.
///
/// # Example
/// ```
/// use critical_minerals::Share;
/// use critical_minerals::simulation::{FailureModel, MonteCarlo, Propagation};
/// let mc = MonteCarlo::new(FailureModel::Countries { probability: Share::new(0.1)? })
///     .runs(500)
///     .seed(7)
///     .propagation(Propagation::Reroute);
/// assert_eq!(mc.runs, 500);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MonteCarlo {
    /// What fails, how likely.
    pub failure: FailureModel,
    /// How much a failure costs (default: fixed 1, removal).
    pub severity: Severity,
    /// Number of runs (default 1,000).
    pub runs: u64,
    /// The seed (default 0).
    pub seed: u64,
    /// The propagation model (default cascade).
    pub propagation: Propagation,
    /// Report the probability that the shortfall share exceeds this
    /// (default 10 %).
    pub threshold: Share,
    /// Attribute each run's shortfall to the failed countries by their
    /// Shapley values (default `true`; see
    /// [`attribution`](crate::simulation::attribution) for the method and
    /// its cost). `false` records shortfalls only, for speed.
    #[serde(default = "yes")]
    pub contributions: bool,
}

fn yes() -> bool {
    true
}

impl MonteCarlo {
    /// An experiment with a failure model and the defaults: removal, 1,000
    /// runs, seed 0, cascade, threshold 10 %.
    pub fn new(failure: FailureModel) -> MonteCarlo {
        MonteCarlo {
            failure,
            severity: Severity::Fixed {
                share: Share::ratio(1.0, 1.0),
            },
            runs: 1_000,
            seed: 0,
            propagation: Propagation::Cascade,
            threshold: Share::ratio(1.0, 10.0),
            contributions: true,
        }
    }

    /// The failure model.
    pub fn failure(mut self, failure: FailureModel) -> MonteCarlo {
        self.failure = failure;
        self
    }

    /// The severity.
    pub fn severity(mut self, severity: Severity) -> MonteCarlo {
        self.severity = severity;
        self
    }

    /// The number of runs.
    pub fn runs(mut self, runs: u64) -> MonteCarlo {
        self.runs = runs;
        self
    }

    /// The seed.
    pub fn seed(mut self, seed: u64) -> MonteCarlo {
        self.seed = seed;
        self
    }

    /// The propagation model.
    pub fn propagation(mut self, propagation: Propagation) -> MonteCarlo {
        self.propagation = propagation;
        self
    }

    /// The exceedance threshold.
    pub fn threshold(mut self, threshold: Share) -> MonteCarlo {
        self.threshold = threshold;
        self
    }

    /// Whether each run's shortfall is attributed to the failed countries
    /// (Shapley values; default `true`).
    pub fn contributions(mut self, on: bool) -> MonteCarlo {
        self.contributions = on;
        self
    }
}

/// The most runs one call of [`Simulator::monte_carlo_runs`] does (ten
/// million): every run's record is kept in the [`Summary`], so a larger
/// experiment is run in shards and [merged](Summary::merge).
pub const MAX_RUNS_PER_CALL: u64 = 10_000_000;

/// Uniform in [0, 1) from 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

impl Simulator<'_> {
    /// Runs the whole experiment: runs `0..mc.runs`. See
    /// [`Simulator::monte_carlo_runs`].
    ///
    /// # Errors
    /// As [`Simulator::monte_carlo_runs`].
    pub fn monte_carlo(&self, mc: &MonteCarlo) -> Result<Summary> {
        self.monte_carlo_runs(mc, 0..mc.runs)
    }

    /// Runs the experiment's runs with indices in `runs` (a shard), in
    /// parallel (rayon). Each run draws its failures (nodes in compact
    /// order, or countries in code order: a uniform draw each, then a
    /// severity draw for each failure), resolves them into node factors
    /// (severity 1 removes; below 1 cuts that share of capacity) and
    /// propagates them. Under reroute with removal only, all runs share one
    /// solved baseline ([`SupplyEngine::supply_without_each`](crate::flow::SupplyEngine::supply_without_each)).
    /// Summaries of disjoint shards [`merge`](Summary::merge) into exactly
    /// the summary of one run over all. Cost: one propagation per run.
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] for zero runs ([`MonteCarlo::runs`]), a
    /// uniform severity whose low end is above its high end, or a
    /// governance estimate that is not finite;
    /// [`Error::IndexOutOfRange`] for a shard ending past the experiment's
    /// runs; [`Error::TooLarge`] for more than [`MAX_RUNS_PER_CALL`] runs
    /// in one call (every run's record is kept); [`Error::NotConverged`]
    /// from the cascade.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::network::Target;
    /// use critical_minerals::simulation::{FailureModel, MonteCarlo, SimulationOptions, Simulator};
    /// use critical_minerals::{Country, Flow, Mineral, Node, Share, Stage, SupplyChain, Tonnes};
    /// let co = Mineral::COBALT;
    /// let mut chain = SupplyChain::new();
    /// let cod = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// chain.add_flow(cod, chn, Flow::new(Tonnes::new(100.0)?))?;
    /// let target = Target::country_stage(Country::CHN, Stage::Refining);
    /// let sim = Simulator::new(&chain, &target, &SimulationOptions::new())?;
    /// let mc = MonteCarlo::new(FailureModel::Countries { probability: Share::new(0.2)? }).runs(200);
    /// let all = sim.monte_carlo(&mc)?;
    /// let mut shards = sim.monte_carlo_runs(&mc, 100..200)?;
    /// shards.merge(sim.monte_carlo_runs(&mc, 0..100)?)?;
    /// assert_eq!(shards, all);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn monte_carlo_runs(&self, mc: &MonteCarlo, runs: Range<u64>) -> Result<Summary> {
        if mc.runs == 0 {
            // A summary of nothing reads as "no shortfall, ever".
            return Err(Error::OutOfDomain {
                field: "MonteCarlo::runs",
                value: "0".into(),
                expected: "must be at least 1".into(),
            });
        }
        if runs.end > mc.runs {
            return Err(Error::IndexOutOfRange {
                what: "Monte Carlo shard end",
                index: runs.end,
                len: mc.runs,
            });
        }
        let count = runs.end.saturating_sub(runs.start);
        if count > MAX_RUNS_PER_CALL {
            return Err(Error::TooLarge {
                what: "Monte Carlo runs in one call (shard the experiment)",
                size: count,
                limit: MAX_RUNS_PER_CALL,
            });
        }
        if let FailureModel::Governance { estimates, .. } = &mc.failure {
            if let Some((c, e)) = estimates.iter().find(|(_, e)| !e.is_finite()) {
                return Err(Error::OutOfDomain {
                    field: "governance estimate (FailureModel::Governance)",
                    value: format!("{e} for {c}"),
                    expected: "must be finite (leave a country out for a missing estimate)".into(),
                });
            }
        }
        if let Severity::Uniform { low, high } = mc.severity {
            if low.get() > high.get() {
                return Err(Error::OutOfDomain {
                    field: "uniform severity",
                    value: format!("{low}..{high}"),
                    expected: "low must not exceed high".into(),
                });
            }
        }
        let draws: Vec<(u64, Vec<(u32, f64)>)> = runs
            .clone()
            .into_par_iter()
            .map(|i| (i, self.draw(mc, i)))
            .collect();
        let removal_only = mc.propagation == Propagation::Reroute
            && matches!(mc.severity, Severity::Fixed { share } if share.get() >= 1.0);
        let afters: Vec<f64> = if removal_only {
            let sets: Vec<Vec<u32>> = draws
                .iter()
                .map(|(_, f)| f.iter().map(|x| x.0).collect())
                .collect();
            let engine = crate::flow::SupplyEngine::new(&self.network);
            engine
                .supply_without_each(&sets)?
                .into_iter()
                .map(|v| self.reroute_after(v))
                .collect()
        } else {
            draws
                .par_iter()
                .map(|(_, failed)| {
                    let r = self.resolve_failures(failed);
                    self.effect(&r, mc.propagation, false).map(|e| e.after)
                })
                .collect::<Result<_>>()?
        };
        let reach = self.reaches_target();
        let engine = removal_only.then(|| crate::flow::SupplyEngine::new(&self.network));
        let records: BTreeMap<u64, RunRecord> = draws
            .par_iter()
            .zip(afters.par_iter())
            .map(|((i, failed), after)| {
                let shortfall = (self.baseline - after).max(0.0);
                let record = if mc.contributions {
                    let run = RunToAttribute {
                        index: *i,
                        failed,
                        shortfall,
                    };
                    self.attribute(run, mc.propagation, mc.seed, &reach, engine.as_ref())?
                } else {
                    RunRecord {
                        shortfall: Tonnes::new(shortfall).unwrap_or(Tonnes::ZERO),
                        contributions: BTreeMap::new(),
                        unattributed: Tonnes::ZERO,
                        sampled: None,
                    }
                };
                Ok((*i, record))
            })
            .collect::<Result<_>>()?;
        let mut summary =
            Summary::from_records(mc.propagation, self.baseline(), mc.threshold, records);
        summary.unscored = self
            .by_country
            .keys()
            .copied()
            .filter(|c| mc.failure.is_unscored(*c))
            .collect();
        Ok(summary)
    }

    /// The failures of run `i`: (node, severity).
    fn draw(&self, mc: &MonteCarlo, i: u64) -> Vec<(u32, f64)> {
        let mut rng = ChaCha8Rng::seed_from_u64(mc.seed);
        rng.set_stream(i);
        let severity = |rng: &mut ChaCha8Rng| match mc.severity {
            Severity::Fixed { share } => share.get(),
            Severity::Uniform { low, high } => low.get() + (high.get() - low.get()) * uniform(rng),
        };
        let mut failed = Vec::new();
        match &mc.failure {
            FailureModel::Nodes { probability } => {
                for v in 0..self.keys.len() as u32 {
                    if uniform(&mut rng) < probability.get() {
                        failed.push((v, severity(&mut rng)));
                    }
                }
            }
            model => {
                for (c, nodes) in &self.by_country {
                    if uniform(&mut rng) < model.country_probability(*c) {
                        let s = severity(&mut rng);
                        failed.extend(nodes.iter().map(|&v| (v, s)));
                    }
                }
            }
        }
        failed
    }

    /// Node factors for a set of failures, without a scenario. O(V + E).
    pub(crate) fn resolve_failures(&self, failed: &[(u32, f64)]) -> Resolved {
        let n = self.keys.len();
        let supply = self.cascade.supply();
        let mut remaining = vec![1.0f64; n];
        for &(v, sev) in failed {
            remaining[v as usize] *= 1.0 - sev.clamp(0.0, 1.0);
        }
        let k = (0..n)
            .map(|v| {
                if remaining[v] == 0.0 {
                    0.0
                } else if supply[v] <= 0.0 {
                    1.0
                } else {
                    (remaining[v] * self.capacity[v] / supply[v]).min(1.0)
                }
            })
            .collect();
        Resolved {
            n,
            added_keys: Vec::new(),
            k,
            remaining,
            extra: vec![0.0; n],
            added_edges: Vec::new(),
            e: vec![1.0; self.edges.len()],
            e_gate: vec![1.0; self.edges.len()],
            quotas: Vec::new(),
            recycled: Vec::new(),
            removal_only: None,
        }
    }
}
