//! The summary of Monte Carlo runs: per-run records keyed by run index,
//! statistics computed in run-index order, so shards merge exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::text::Table;
use crate::error::{Error, Result};
use crate::model::{Country, Share, Tonnes};
use crate::simulation::Propagation;

/// One run's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The shortfall at the target.
    pub shortfall: Tonnes,
    /// Each failed country's Shapley value: its marginal effect on this
    /// run's shortfall averaged over every order of the run's failures (see
    /// [`attribution`](crate::simulation::attribution)). The parts and
    /// [`RunRecord::unattributed`] add up to the shortfall; a country that
    /// cannot affect the target has no entry. Empty when the experiment
    /// asked for no contributions ([`MonteCarlo::contributions`](crate::simulation::MonteCarlo::contributions)).
    pub contributions: BTreeMap<Country, Tonnes>,
    /// The part of the shortfall no failure caused: what is short with no
    /// failure at all (a capacity or link limit that binds at baseline).
    /// Usually 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unattributed: Tonnes,
    /// Set when the contributions were estimated from random orders (more
    /// than [`SHAPLEY_EXACT_MAX`](crate::simulation::attribution::SHAPLEY_EXACT_MAX)
    /// failed countries under cascade or reroute); `None` when exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampled: Option<SampledShapley>,
}

/// How a run's Shapley values were estimated when not exact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampledShapley {
    /// Random orders of the failures drawn.
    pub permutations: u32,
    /// Each country's standard error of its estimated part, in tonnes.
    pub std_errors: BTreeMap<Country, Tonnes>,
}

fn is_zero(t: &Tonnes) -> bool {
    t.get() == 0.0
}

/// Monte Carlo results: every run's record, keyed by run index, from
/// [`Simulator::monte_carlo`](crate::simulation::Simulator::monte_carlo).
///
/// Statistics are computed from the records in run-index order, so a
/// summary merged from shards ([`Summary::merge`], in any order) equals,
/// bit for bit, the summary of one run over all indices. Serialisable, so
/// shards written as JSON by separate processes merge later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The propagation model of the runs.
    pub propagation: Propagation,
    /// The baseline supply at the target.
    pub baseline: Tonnes,
    /// The shortfall share whose exceedance probability is reported.
    pub threshold: Share,
    /// Every run's record, by run index.
    pub runs: BTreeMap<u64, RunRecord>,
    /// Countries of the network that had no probability of their own under
    /// the failure model and failed at its default one (a governance
    /// model's `missing` probability: no WGI score).
    #[serde(default)]
    pub unscored: BTreeSet<Country>,
}

/// Statistics of a [`Summary`], from [`Summary::statistics`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    /// Number of runs.
    pub runs: u64,
    /// Mean shortfall (the expected shortfall).
    pub mean: Tonnes,
    /// Standard deviation of the shortfall (population: divided by the
    /// number of runs).
    pub std_dev: Tonnes,
    /// 5th percentile (nearest rank).
    pub p5: Tonnes,
    /// Median (nearest rank).
    pub p50: Tonnes,
    /// 95th percentile (nearest rank).
    pub p95: Tonnes,
    /// Mean shortfall as a share of the baseline.
    pub mean_share: Share,
    /// Share of runs whose shortfall share exceeds the threshold.
    pub exceedance: Share,
    /// The threshold.
    pub threshold: Share,
    /// Each country's contribution to the expected shortfall: the mean
    /// over runs of its Shapley value in each run (0 in runs where it did
    /// not fail), largest first. With [`Statistics::unattributed`] they add
    /// up to the mean.
    pub contributions: Vec<(Country, Tonnes)>,
    /// The method behind [`Statistics::contributions`].
    pub contribution_method: &'static str,
    /// The mean shortfall no failure caused (see
    /// [`RunRecord::unattributed`]).
    pub unattributed: Tonnes,
    /// Runs whose contributions were estimated from random orders.
    pub sampled_runs: u64,
    /// The largest standard error of a country's contribution from those
    /// estimates, in tonnes (0 when every run is exact).
    pub contribution_error: Tonnes,
    /// Countries that failed at the model's default probability (no score
    /// of their own), as in [`Summary::unscored`].
    pub unscored: Vec<Country>,
}

/// The name of the contribution method, as [`Statistics`] gives it.
pub const SHAPLEY_METHOD: &str = "Shapley value of each failed country, per run (exact under exposure and for up to 10 failed countries; sampled above)";

fn t(x: f64) -> Tonnes {
    Tonnes::new(x.max(0.0)).unwrap_or(Tonnes::ZERO)
}

impl Summary {
    pub(crate) fn from_records(
        propagation: Propagation,
        baseline: Tonnes,
        threshold: Share,
        runs: BTreeMap<u64, RunRecord>,
    ) -> Summary {
        Summary {
            propagation,
            baseline,
            threshold,
            runs,
            unscored: BTreeSet::new(),
        }
    }

    /// Adds the runs of another shard of the same experiment.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] when the shards differ in model, baseline or
    /// threshold, or share a run index; `self` is unchanged then.
    pub fn merge(&mut self, other: Summary) -> Result<()> {
        let bad = |reason: String| Error::Inconsistent {
            kind: "monte carlo summary",
            id: format!("{} runs", other.runs.len()),
            reason,
        };
        if self.propagation != other.propagation
            || self.baseline.get().to_bits() != other.baseline.get().to_bits()
            || self.threshold.get().to_bits() != other.threshold.get().to_bits()
        {
            return Err(bad(
                "model, baseline or threshold differ from this summary's".into(),
            ));
        }
        if let Some(i) = other.runs.keys().find(|i| self.runs.contains_key(i)) {
            return Err(bad(format!("run {i} is in both summaries")));
        }
        if self.unscored != other.unscored {
            return Err(bad(
                "the countries without a score differ (another failure model or network)".into(),
            ));
        }
        self.runs.extend(other.runs);
        Ok(())
    }

    /// Mean, standard deviation, percentiles, exceedance probability and
    /// country contributions, in run-index order. O(N log N).
    pub fn statistics(&self) -> Statistics {
        let n = self.runs.len();
        let xs: Vec<f64> = self.runs.values().map(|r| r.shortfall.get()).collect();
        let nf = n.max(1) as f64;
        let mean = xs.iter().sum::<f64>() / nf;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / nf;
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let pct = |p: f64| -> f64 {
            if n == 0 {
                return 0.0;
            }
            let rank = ((p / 100.0) * n as f64).ceil() as usize;
            sorted[rank.clamp(1, n) - 1]
        };
        let base = self.baseline.get();
        let over = xs
            .iter()
            .filter(|&&x| base > 0.0 && x / base > self.threshold.get())
            .count();
        let mut contrib: BTreeMap<Country, f64> = BTreeMap::new();
        let mut err_sq: BTreeMap<Country, f64> = BTreeMap::new();
        let mut unattributed = 0.0;
        let mut sampled_runs = 0u64;
        let mut attributed = false;
        for r in self.runs.values() {
            for (c, x) in &r.contributions {
                *contrib.entry(*c).or_default() += x.get();
            }
            attributed |= !r.contributions.is_empty() || r.unattributed.get() > 0.0;
            unattributed += r.unattributed.get();
            if let Some(s) = &r.sampled {
                sampled_runs += 1;
                for (c, e) in &s.std_errors {
                    *err_sq.entry(*c).or_default() += e.get() * e.get();
                }
            }
        }
        let contribution_error = err_sq.values().fold(0.0f64, |a, v| a.max(v.sqrt() / nf));
        let mut contributions: Vec<(Country, Tonnes)> =
            contrib.into_iter().map(|(c, x)| (c, t(x / nf))).collect();
        contributions.sort_by(|a, b| b.1.get().total_cmp(&a.1.get()).then(a.0.cmp(&b.0)));
        Statistics {
            runs: n as u64,
            mean: t(mean),
            std_dev: t(var.sqrt()),
            p5: t(pct(5.0)),
            p50: t(pct(50.0)),
            p95: t(pct(95.0)),
            mean_share: Share::ratio(mean, base),
            exceedance: Share::ratio(over as f64, n as f64),
            threshold: self.threshold,
            contributions,
            contribution_method: if attributed || mean == 0.0 {
                SHAPLEY_METHOD
            } else {
                "none (not asked for)"
            },
            unattributed: t(unattributed / nf),
            sampled_runs,
            contribution_error: t(contribution_error),
            unscored: self.unscored.iter().copied().collect(),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.statistics();
        writeln!(
            f,
            "Monte Carlo: {} runs under {}, baseline {}",
            s.runs, self.propagation, self.baseline
        )?;
        let mut table = Table::new(["shortfall", "tonnes"]);
        table.row(["mean".to_string(), s.mean.to_string()]);
        table.row(["standard deviation".to_string(), s.std_dev.to_string()]);
        table.row(["5th percentile".to_string(), s.p5.to_string()]);
        table.row(["median".to_string(), s.p50.to_string()]);
        table.row(["95th percentile".to_string(), s.p95.to_string()]);
        table.write(f, "  ")?;
        writeln!(
            f,
            "  mean shortfall {} of the baseline; P(shortfall > {}) = {}",
            s.mean_share, s.threshold, s.exceedance
        )?;
        if !s.contributions.is_empty() {
            writeln!(f)?;
            let mut table = Table::new(["contribution to expected shortfall", "tonnes"]);
            for (c, x) in s.contributions.iter().take(10) {
                table.row([format!("{} ({c})", c.name()), x.to_string()]);
            }
            if s.unattributed.get() > 0.0 {
                table.row([
                    "no failure (baseline gap)".to_string(),
                    s.unattributed.to_string(),
                ]);
            }
            table.write(f, "  ")?;
            writeln!(f, "  method: {}", s.contribution_method)?;
            if s.sampled_runs > 0 {
                writeln!(
                    f,
                    "  {} runs sampled; largest standard error of a contribution {}",
                    s.sampled_runs, s.contribution_error
                )?;
            }
        }
        if !s.unscored.is_empty() {
            let list: Vec<String> = s.unscored.iter().map(|c| c.to_string()).collect();
            writeln!(
                f,
                "  failed at the default probability (no score of their own): {}",
                list.join(", ")
            )?;
        }
        Ok(())
    }
}
