//! The summary of Monte Carlo runs: per-run records keyed by run index,
//! statistics computed in run-index order, so shards merge exactly.

use std::collections::BTreeMap;
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
    /// The shortfall split among the countries that failed in the run, in
    /// proportion to the supply they lost.
    pub contributions: BTreeMap<Country, Tonnes>,
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
    /// Each country's contribution to the expected shortfall (they add up
    /// to the mean), largest first.
    pub contributions: Vec<(Country, Tonnes)>,
}

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
        for r in self.runs.values() {
            for (c, x) in &r.contributions {
                *contrib.entry(*c).or_default() += x.get();
            }
        }
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
            table.write(f, "  ")?;
        }
        Ok(())
    }
}
