//! Who caused a Monte Carlo run's shortfall: the Shapley value of each
//! failed country.
//!
//! A run fails a set `F` of countries (each with its drawn severities). Its
//! shortfall is `v(F)`, where `v(S)` is the shortfall at the target when
//! only the countries in `S` fail, as drawn. Each failed country gets its
//! Shapley value
//!
//! > `φ_c = Σ_{S ⊆ F∖{c}} |S|! (|F| − |S| − 1)! / |F|! · (v(S ∪ {c}) − v(S))`,
//!
//! its marginal effect averaged over every order in which the failures
//! could arrive. The parts add up to `v(F) − v(∅)` (efficiency): the run's
//! shortfall less what is short with no failure at all (a baseline gap,
//! zero unless capacities or link limits already bind; reported as
//! unattributed). A country whose failure cannot change the shortfall (no
//! path from its nodes to the target) gets exactly 0, and two countries
//! that play the same part get equal parts (symmetry).
//!
//! - **Exposure**: the shortfall is a sum over the target's own supply and
//!   its in-flows of `f · (k⁰_u k⁰_t − k_u k_t)`, each term depending on at
//!   most two countries. Shapley is additive over such terms, so it is
//!   exact and O(E) per run: a term of one country goes to it, a term of
//!   two splits as `½(v(a) + v(ab) − v(b))` and `½(v(b) + v(ab) − v(a))`
//!   (with full loss `x`, the flow's loss `f · (x_u + x_t − x_u x_t)` and
//!   the interaction `f · x_u x_t` split equally).
//! - **Cascade and reroute**: exact over the failed countries that can
//!   reach the target, from `v` of all 2^m subsets, when there are at most
//!   [`SHAPLEY_EXACT_MAX`] of them (one propagation per subset); above it,
//!   estimated from [`SHAPLEY_PERMUTATIONS`] random orders (m propagations
//!   each), seeded from the experiment's seed and the run index, with each
//!   part's standard error recorded ([`RunRecord::sampled`]). Sampled parts
//!   still add up exactly to the run's attributable shortfall: each order's
//!   marginals telescope.

use std::collections::BTreeMap;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

use crate::error::Result;
use crate::model::{Country, Tonnes};
use crate::simulation::Propagation;
use crate::simulation::simulator::Simulator;
use crate::simulation::summary::{RunRecord, SampledShapley};

/// The most failed countries (that can reach the target) a cascade or
/// reroute run attributes exactly: 2^10 = 1,024 propagations at most.
pub const SHAPLEY_EXACT_MAX: usize = 10;

/// Random orders drawn to estimate the Shapley value of a run with more
/// than [`SHAPLEY_EXACT_MAX`] failed countries.
pub const SHAPLEY_PERMUTATIONS: u32 = 200;

/// Parts below this share of the baseline are rounding noise and read as 0.
const NOISE: f64 = 1e-12;

/// One run to attribute: its index, failures and shortfall.
pub(crate) struct RunToAttribute<'r> {
    pub(crate) index: u64,
    pub(crate) failed: &'r [(u32, f64)],
    pub(crate) shortfall: f64,
}

impl Simulator<'_> {
    /// Nodes from which some target node is reachable along the
    /// simulator's edges (targets included). O(V + E).
    pub(crate) fn reaches_target(&self) -> Vec<bool> {
        let n = self.keys.len();
        let mut rev: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(u, v, _) in &self.edges {
            rev[v as usize].push(u);
        }
        let mut seen = vec![false; n];
        let mut stack: Vec<u32> = self.targets.clone();
        for &t in &self.targets {
            seen[t as usize] = true;
        }
        while let Some(v) = stack.pop() {
            for &u in &rev[v as usize] {
                if !seen[u as usize] {
                    seen[u as usize] = true;
                    stack.push(u);
                }
            }
        }
        seen
    }

    /// The run's record with each failed country's Shapley value (see the
    /// module docs). `reach` is [`Simulator::reaches_target`]; `engine`
    /// is the shared reroute engine when every failure is a removal.
    pub(crate) fn attribute(
        &self,
        run: RunToAttribute<'_>,
        propagation: Propagation,
        seed: u64,
        reach: &[bool],
        engine: Option<&crate::flow::SupplyEngine<'_>>,
    ) -> Result<RunRecord> {
        // Players: failed countries with a node that can reach the target,
        // in code order, each with its failures.
        let mut by_country: BTreeMap<Country, Vec<(u32, f64)>> = BTreeMap::new();
        for &(v, sev) in run.failed {
            by_country
                .entry(self.keys[v as usize].country)
                .or_default()
                .push((v, sev));
        }
        let players: Vec<(Country, Vec<(u32, f64)>)> = by_country
            .into_iter()
            .filter(|(_, f)| f.iter().any(|&(v, _)| reach[v as usize]))
            .collect();
        let record = |parts: BTreeMap<Country, f64>, gap: f64, sampled| {
            let floor = NOISE * self.baseline.max(1.0);
            RunRecord {
                shortfall: tonnes(run.shortfall),
                contributions: parts
                    .into_iter()
                    .filter(|(_, x)| *x > floor)
                    .map(|(c, x)| (c, tonnes(x)))
                    .collect(),
                unattributed: tonnes(if gap > floor { gap } else { 0.0 }),
                sampled,
            }
        };
        if players.is_empty() || run.shortfall <= 0.0 {
            // Nothing that failed can reach the target: what is short was
            // short before any failure.
            return Ok(record(BTreeMap::new(), run.shortfall, None));
        }
        if propagation == Propagation::Exposure {
            let parts = self.exposure_shapley(&players);
            let sum: f64 = parts.values().sum();
            return Ok(record(parts, run.shortfall - sum, None));
        }
        let m = players.len();
        // v(S) for a set of players, as a bit mask over `players`.
        let value = |masks: &[u64]| -> Result<Vec<f64>> {
            let full = (1u64 << m) - 1;
            let sets: Vec<Vec<(u32, f64)>> = masks
                .iter()
                .map(|&mask| {
                    (0..m)
                        .filter(|i| mask >> i & 1 == 1)
                        .flat_map(|i| players[i].1.iter().copied())
                        .collect()
                })
                .collect();
            let afters: Vec<Option<f64>> = match engine {
                Some(engine) => {
                    let nodes: Vec<Vec<u32>> = sets
                        .iter()
                        .map(|s| s.iter().map(|x| x.0).collect())
                        .collect();
                    engine
                        .supply_without_each(&nodes)?
                        .into_iter()
                        .map(|u| Some(self.reroute_after(u)))
                        .collect()
                }
                None => sets
                    .iter()
                    .zip(masks)
                    .map(|(s, &mask)| {
                        if mask == full {
                            return Ok(None);
                        }
                        let r = self.resolve_failures(s);
                        self.effect(&r, propagation, false).map(|e| Some(e.after))
                    })
                    .collect::<Result<_>>()?,
            };
            Ok(afters
                .into_iter()
                .zip(masks)
                .map(|(a, &mask)| match a {
                    // The whole set is the run itself: its shortfall as
                    // recorded, so the parts add up to it.
                    _ if mask == full => run.shortfall,
                    Some(after) => (self.baseline - after).max(0.0),
                    None => run.shortfall,
                })
                .collect())
        };
        if m <= SHAPLEY_EXACT_MAX {
            let masks: Vec<u64> = (0..1u64 << m).collect();
            let v = value(&masks)?;
            // weight[s] = s! (m − s − 1)! / m!
            let weight: Vec<f64> = (0..m).map(|s| shapley_weight(m, s)).collect();
            let mut parts = BTreeMap::new();
            for (i, (c, _)) in players.iter().enumerate() {
                let bit = 1u64 << i;
                let mut phi = 0.0;
                for mask in 0..1u64 << m {
                    if mask & bit == 0 {
                        phi += weight[mask.count_ones() as usize]
                            * (v[(mask | bit) as usize] - v[mask as usize]);
                    }
                }
                parts.insert(*c, phi);
            }
            return Ok(record(parts, v[0], None));
        }
        // Sampled: random orders from the run's own stream of a generator
        // seeded apart from the failure draws.
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5348_4150_4c45_5900);
        rng.set_stream(run.index);
        let p = SHAPLEY_PERMUTATIONS as usize;
        let mut masks = Vec::with_capacity(p * (m + 1));
        let mut orders = Vec::with_capacity(p);
        for _ in 0..p {
            let mut order: Vec<usize> = (0..m).collect();
            for j in (1..m).rev() {
                let k = (rng.next_u64() % (j as u64 + 1)) as usize;
                order.swap(j, k);
            }
            let mut mask = 0u64;
            masks.push(mask);
            for &i in &order {
                mask |= 1 << i;
                masks.push(mask);
            }
            orders.push(order);
        }
        let v = value(&masks)?;
        let mut sum = vec![0.0f64; m];
        let mut sum_sq = vec![0.0f64; m];
        for (k, order) in orders.iter().enumerate() {
            let base = k * (m + 1);
            for (j, &i) in order.iter().enumerate() {
                let d = v[base + j + 1] - v[base + j];
                sum[i] += d;
                sum_sq[i] += d * d;
            }
        }
        let pf = p as f64;
        let mut parts = BTreeMap::new();
        let mut errors = BTreeMap::new();
        for (i, (c, _)) in players.iter().enumerate() {
            let mean = sum[i] / pf;
            let var = (sum_sq[i] / pf - mean * mean).max(0.0) * pf / (pf - 1.0);
            parts.insert(*c, mean);
            errors.insert(*c, tonnes((var / pf).sqrt()));
        }
        let gap = v[0];
        Ok(record(
            parts,
            gap,
            Some(SampledShapley {
                permutations: SHAPLEY_PERMUTATIONS,
                std_errors: errors,
            }),
        ))
    }

    /// Exact Shapley values under exposure: additive over the target's own
    /// terms and in-flows, each a game of at most two countries. O(V + E).
    fn exposure_shapley(&self, players: &[(Country, Vec<(u32, f64)>)]) -> BTreeMap<Country, f64> {
        let k0 = self.resolve_failures(&[]).k;
        let all: Vec<(u32, f64)> = players.iter().flat_map(|p| p.1.iter().copied()).collect();
        let k1 = self.resolve_failures(&all).k;
        let mut failed_country: Vec<Option<Country>> = vec![None; self.keys.len()];
        for (c, f) in players {
            for &(v, _) in f {
                failed_country[v as usize] = Some(*c);
            }
        }
        let mut parts: BTreeMap<Country, f64> = BTreeMap::new();
        let mut is_target = vec![false; self.keys.len()];
        for &t in &self.targets {
            is_target[t as usize] = true;
            if let Some(c) = failed_country[t as usize] {
                *parts.entry(c).or_default() +=
                    self.own[t as usize] * (k0[t as usize] - k1[t as usize]);
            }
        }
        for &(u, t, f) in &self.edges {
            let (u, t) = (u as usize, t as usize);
            if !is_target[t] {
                continue;
            }
            let base = f * k0[u] * k0[t];
            match (failed_country[u], failed_country[t]) {
                (None, None) => {}
                (Some(a), None) => *parts.entry(a).or_default() += base - f * k1[u] * k0[t],
                (None, Some(b)) => *parts.entry(b).or_default() += base - f * k0[u] * k1[t],
                (Some(a), Some(b)) if a == b => {
                    *parts.entry(a).or_default() += base - f * k1[u] * k1[t];
                }
                (Some(a), Some(b)) => {
                    let va = base - f * k1[u] * k0[t];
                    let vb = base - f * k0[u] * k1[t];
                    let vab = base - f * k1[u] * k1[t];
                    *parts.entry(a).or_default() += 0.5 * (va + vab - vb);
                    *parts.entry(b).or_default() += 0.5 * (vb + vab - va);
                }
            }
        }
        parts
    }
}

/// `s! (m − s − 1)! / m!`, the Shapley weight of a coalition of `s` of the
/// other `m − 1` players, as a product of ratios (no factorial overflow).
fn shapley_weight(m: usize, s: usize) -> f64 {
    // 1 / (m · C(m − 1, s))
    let mut c = 1.0f64;
    for j in 0..s {
        c = c * (m - 1 - j) as f64 / (j + 1) as f64;
    }
    1.0 / (m as f64 * c)
}

fn tonnes(x: f64) -> Tonnes {
    Tonnes::new(x.max(0.0)).unwrap_or(Tonnes::ZERO)
}
