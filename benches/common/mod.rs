//! A seeded synthetic supply-chain generator shared by the benches.
//!
//! Countries × minerals × stages (extraction, processing, refining,
//! manufacturing, recycling), each country present at a stage with a
//! stage-specific probability. Sizes are heavy-tailed: a log-normal country
//! weight times a Pareto draw, so a few countries dominate each stage as in
//! the real data. Every receiving node draws suppliers from the stages that
//! may feed it (mostly the previous stage; some skip a stage, some trade at
//! the same stage across borders), in proportion to supplier size.
//! Recycling nodes take end-of-life material from manufacturing and send it
//! back into processing, refining and manufacturing, so the graph has
//! recycling loops (and trade loops at one stage). Only valid transitions
//! are generated. The same spec gives the same chain on every machine: the
//! RNG is splitmix64, written out here.
//!
//! Also where the peer benchmark's graph directories are found
//! ([`peer_dir`]).

// Each bench compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;

use critical_minerals::{Country, Flow, Mineral, Node, NodeId, Stage, SupplyChain, Tonnes};

/// splitmix64 (Steele, Lea & Flood 2014): tiny, fast, and good enough to
/// draw graph shapes.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.uniform() * n as f64) as usize).min(n - 1)
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Pareto (Lomax) draw with shape `alpha`: heavy tail for alpha < 1.
    pub fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.uniform()).max(1e-12).powf(-1.0 / alpha) - 1.0
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Number of countries (at most the 249 ISO codes).
    pub countries: usize,
    /// Number of minerals (`m000`, `m001`, ...).
    pub minerals: usize,
    /// Mean number of suppliers per receiving node.
    pub suppliers: usize,
    /// Presence probabilities are multiplied by this (capped at 1).
    pub density: f64,
    /// RNG seed.
    pub seed: u64,
}

impl Spec {
    /// About 32,000 flows: 249 countries, 4 minerals.
    pub const SMALL: Spec = Spec {
        countries: 249,
        minerals: 4,
        suppliers: 19,
        density: 1.0,
        seed: 11,
    };
    /// About 308,000 flows: 249 countries, 40 minerals.
    pub const LARGE: Spec = Spec {
        countries: 249,
        minerals: 40,
        suppliers: 19,
        density: 1.0,
        seed: 11,
    };
    /// About 290,000 flows of ONE mineral: every country at every stage,
    /// densely traded, so a manufacturing node's upstream is the whole graph.
    pub const DENSE: Spec = Spec {
        countries: 249,
        minerals: 1,
        suppliers: 800,
        density: 10.0,
        seed: 7,
    };
}

const STAGES: [Stage; 5] = [
    Stage::Extraction,
    Stage::Processing,
    Stage::Refining,
    Stage::Manufacturing,
    Stage::Recycling,
];
const PRESENCE: [f64; 5] = [0.5, 0.4, 0.35, 0.75, 0.35];
const ALPHA: [f64; 5] = [0.7, 0.5, 0.45, 0.7, 0.6];

struct Slot {
    id: NodeId,
    country: usize,
    weight: f64,
}

/// Picks one slot from `cands`: half the time in proportion to weight (the
/// big producers), half the time uniformly (the long tail of small
/// partners every trade matrix has).
fn pick(rng: &mut SplitMix64, cands: &[Slot], cum: &[f64]) -> usize {
    if rng.uniform() < 0.5 {
        return rng.below(cands.len());
    }
    let total = *cum.last().unwrap_or(&0.0);
    let x = rng.uniform() * total;
    cum.partition_point(|c| *c <= x).min(cands.len() - 1)
}

fn cumulative(cands: &[Slot]) -> Vec<f64> {
    let mut acc = 0.0;
    cands
        .iter()
        .map(|s| {
            acc += s.weight;
            acc
        })
        .collect()
}

/// Builds the chain for `spec`.
pub fn synthetic(spec: &Spec) -> SupplyChain {
    let countries: Vec<Country> = Country::iso_all().take(spec.countries).collect();
    let mut rng = SplitMix64::new(spec.seed);
    let country_weight: Vec<f64> = countries
        .iter()
        .map(|_| (1.5 * rng.normal()).exp())
        .collect();
    let mut chain = SupplyChain::new();
    for m in 0..spec.minerals {
        let mineral = Mineral::new(format!("m{m:03}")).expect("valid mineral name");
        let volume = 1e5 * (1.5 * rng.normal()).exp();
        // Nodes per stage.
        let mut by_stage: Vec<Vec<Slot>> = (0..STAGES.len()).map(|_| Vec::new()).collect();
        for (s, stage) in STAGES.iter().enumerate() {
            let p = (PRESENCE[s] * spec.density).min(1.0);
            for (c, country) in countries.iter().enumerate() {
                let forced = c < 2; // every stage has at least two producers
                if !forced && rng.uniform() >= p {
                    continue;
                }
                let weight = country_weight[c].sqrt() * (1.0 + rng.pareto(ALPHA[s]));
                let mut node = Node::new(*country, mineral.clone(), *stage);
                if *stage == Stage::Extraction {
                    let t = (volume * weight / 50.0).round().max(1.0);
                    node = node.output(Tonnes::new(t).expect("finite"));
                }
                let id = chain.add_node(node).expect("fresh key");
                by_stage[s].push(Slot {
                    id,
                    country: c,
                    weight,
                });
            }
        }
        let cums: Vec<Vec<f64>> = by_stage.iter().map(|v| cumulative(v)).collect();
        // (stage index of supplier, probability) for each receiving stage.
        let feeds: [&[(usize, f64)]; 5] = [
            &[],
            &[(0, 1.0)],
            &[(1, 0.7), (0, 0.2), (2, 0.1)],
            &[(2, 0.85), (3, 0.15)],
            &[(3, 1.0)],
        ];
        let mut seen = std::collections::HashSet::new();
        // (feed index, supplier slot) drawn for the current receiver.
        let mut chosen: Vec<(usize, usize)> = Vec::new();
        for r in 1..STAGES.len() {
            for receiver in &by_stage[r] {
                let k = if r == 4 {
                    1 + rng.below(4)
                } else {
                    1 + rng.below(2 * spec.suppliers)
                };
                seen.clear();
                chosen.clear();
                let mut attempts = 0;
                while seen.len() < k && attempts < 8 * k {
                    attempts += 1;
                    let u = rng.uniform();
                    let mut acc = 0.0;
                    let mut feed = 0;
                    for (f, (_, p)) in feeds[r].iter().enumerate() {
                        acc += p;
                        feed = f;
                        if u < acc {
                            break;
                        }
                    }
                    let s = feeds[r][feed].0;
                    // Recyclers take mostly domestic scrap.
                    let j = if r == 4 && attempts == 1 {
                        match by_stage[s]
                            .iter()
                            .position(|x| x.country == receiver.country)
                        {
                            Some(j) => j,
                            None => pick(&mut rng, &by_stage[s], &cums[s]),
                        }
                    } else {
                        pick(&mut rng, &by_stage[s], &cums[s])
                    };
                    let supplier = &by_stage[s][j];
                    if supplier.id == receiver.id
                        || (s == r && supplier.country == receiver.country)
                        || !seen.insert(supplier.id)
                    {
                        continue;
                    }
                    chosen.push((feed, j));
                }
                // The receiver's input is split between its feeds by the
                // feed probabilities (among the feeds it drew from), and
                // within a feed by supplier size: so same-stage trade stays
                // a minor share, as mass balance would have it.
                let need = volume * receiver.weight / 100.0;
                let mut feed_weight = [0.0f64; 3];
                for &(feed, j) in &chosen {
                    feed_weight[feed] += by_stage[feeds[r][feed].0][j].weight;
                }
                let present: f64 = (0..feeds[r].len())
                    .filter(|f| feed_weight[*f] > 0.0)
                    .map(|f| feeds[r][f].1)
                    .sum();
                for &(feed, j) in &chosen {
                    let (s, p) = feeds[r][feed];
                    let supplier = &by_stage[s][j];
                    let tonnes = need * (p / present) * supplier.weight / feed_weight[feed];
                    chain
                        .add_flow(
                            supplier.id,
                            receiver.id,
                            Flow::new(Tonnes::new(tonnes.max(1.0)).expect("finite")),
                        )
                        .expect("valid transition");
                }
            }
        }
        // Secondary supply: each recycler ships back into 1–3 processing,
        // refining or manufacturing nodes, a few percent of their input.
        for rec in &by_stage[4] {
            for _ in 0..1 + rng.below(3) {
                let s = 1 + rng.below(3);
                if by_stage[s].is_empty() {
                    continue;
                }
                let j = match by_stage[s].iter().position(|x| x.country == rec.country) {
                    Some(j) if rng.uniform() < 0.6 => j,
                    _ => pick(&mut rng, &by_stage[s], &cums[s]),
                };
                let to = &by_stage[s][j];
                let tonnes = volume * to.weight * (0.02 + 0.06 * rng.uniform()) / 100.0;
                chain
                    .add_flow(
                        rec.id,
                        to.id,
                        Flow::new(Tonnes::new(tonnes.max(1.0)).expect("finite")),
                    )
                    .expect("valid transition");
            }
        }
    }
    chain
}

/// The manufacturing node with the most inflow in the chain for `mineral`
/// (a meaningful origin target).
pub fn busiest_manufacturer(chain: &SupplyChain, mineral: &str) -> NodeId {
    let m = Mineral::new(mineral).expect("valid mineral name");
    chain
        .nodes_of_mineral(&m)
        .filter(|(_, n)| n.stage() == Stage::Manufacturing)
        .max_by(|(a, _), (b, _)| {
            let ia: f64 = chain.flows_in(*a).map(|f| f.tonnes().get()).sum();
            let ib: f64 = chain.flows_in(*b).map(|f| f.tonnes().get()).sum();
            ia.total_cmp(&ib)
        })
        .map(|(id, _)| id)
        .expect("every mineral has manufacturing nodes")
}

/// Up to `n` country pairs whose flows (both ways) number exactly `k`, in
/// code order: lets a bench compare graph sizes at equal work per pair,
/// averaged over many pairs so one node's in-degree does not decide it.
pub fn pairs_with_flows(chain: &SupplyChain, k: usize, n: usize) -> Vec<(Country, Country)> {
    let mut count: std::collections::BTreeMap<(Country, Country), usize> = Default::default();
    for f in chain.flows() {
        let (a, b) = (f.from_key.country, f.to_key.country);
        if a != b {
            *count.entry((a.min(b), a.max(b))).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|(_, c)| *c == k)
        .map(|(p, _)| p)
        .take(n)
        .collect()
}

/// The directory of the peer benchmark's `size` graph (`small`, `medium`,
/// `large`): the copy under `tests/data/peer_{size}` if there is one, else
/// `../shared/bench/data/{size}`; `None` when neither has an `edges.csv`.
pub fn peer_dir(size: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        root.join("tests/data").join(format!("peer_{size}")),
        root.join("../shared/bench/data").join(size),
    ]
    .into_iter()
    .find(|d| d.join("edges.csv").is_file())
}
