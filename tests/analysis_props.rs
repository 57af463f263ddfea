//! Properties of the analyses over generated chains (proptest).

use critical_minerals::analysis::{
    BilateralOptions, Concentration, ConcentrationOptions, OriginKind, OriginOptions,
};
use critical_minerals::{Country, Error, Flow, Mineral, Node, NodeId, Stage, SupplyChain, Tonnes};
use proptest::prelude::*;

const COUNTRIES: [Country; 6] = [
    Country::AUS,
    Country::CHN,
    Country::USA,
    Country::MYS,
    Country::JPN,
    Country::IDN,
];

/// Nodes: a presence flag per (country, stage) with an optional output;
/// flows: (sender, receiver, tonnes) picked by index, kept when the
/// transition is valid. Recycling nodes make loops possible, and same-stage
/// trade makes loops between countries.
fn chains() -> impl Strategy<Value = SupplyChain> {
    let nodes = prop::collection::vec((any::<bool>(), prop::option::of(1.0f64..1000.0)), 36);
    let flows = prop::collection::vec((0usize..36, 0usize..36, 0.5f64..500.0), 0..60);
    (nodes, flows).prop_map(|(nodes, flows)| {
        let mut chain = SupplyChain::new();
        let mut ids: Vec<Option<NodeId>> = vec![None; 36];
        for (slot, (present, output)) in nodes.into_iter().enumerate() {
            if !present {
                continue;
            }
            let (c, s) = (COUNTRIES[slot / 6], Stage::ALL[slot % 6]);
            let mut n = Node::new(c, Mineral::RARE_EARTHS, s);
            if let Some(o) = output {
                n = n.output(Tonnes::new(o).unwrap());
            }
            ids[slot] = Some(chain.add_node(n).unwrap());
        }
        for (a, b, x) in flows {
            if let (Some(a), Some(b)) = (ids[a], ids[b]) {
                // Invalid transitions are refused; the chain keeps the rest.
                let _ = chain.add_flow(a, b, Flow::new(Tonnes::new(x).unwrap()));
            }
        }
        chain
    })
}

/// Origin shares of every node by a dense solve of `(I − A) X = B`, where
/// row `v` of `X` is node `v`'s supply mix over countries: the forward form
/// of the model, computed independently of the crate's adjoint walk.
/// Returns `None` when the system is singular (a loop with no source).
fn dense_origin(chain: &SupplyChain) -> Option<Vec<Vec<f64>>> {
    let ids: Vec<NodeId> = chain.nodes().map(|(id, _)| id).collect();
    let n = ids.len();
    let idx = |id: NodeId| ids.iter().position(|x| *x == id);
    let k = COUNTRIES.len();
    let mut m = vec![vec![0.0f64; n + k]; n];
    for (v, id) in ids.iter().enumerate() {
        let node = chain.node(*id)?;
        let inflow: f64 = chain.flows_in(*id).map(|f| f.tonnes().get()).sum();
        let outflow: f64 = chain.flows_out(*id).map(|f| f.tonnes().get()).sum();
        let mining = matches!(node.stage(), Stage::Exploration | Stage::Extraction);
        let own = if mining {
            node.output.map_or((outflow - inflow).max(0.0), |o| o.get())
        } else {
            0.0
        };
        let c = COUNTRIES.iter().position(|c| *c == node.country())?;
        m[v][v] = 1.0;
        if inflow <= 0.0 {
            m[v][n + c] = 1.0;
            continue;
        }
        let denom = own + inflow;
        m[v][n + c] = own / denom;
        for f in chain.flows_in(*id) {
            let u = idx(f.from)?;
            m[v][u] -= f.tonnes().get() / denom;
        }
    }
    // Gauss–Jordan with partial pivoting.
    for col in 0..n {
        let p = (col..n).max_by(|a, b| m[*a][col].abs().total_cmp(&m[*b][col].abs()))?;
        if m[p][col].abs() < 1e-9 {
            return None;
        }
        m.swap(p, col);
        let pivot = m[col][col];
        for x in m[col].iter_mut() {
            *x /= pivot;
        }
        for r in 0..n {
            if r != col && m[r][col] != 0.0 {
                let factor = m[r][col];
                let row = m[col].clone();
                for (x, y) in m[r].iter_mut().zip(&row) {
                    *x -= factor * y;
                }
            }
        }
    }
    Some(m.into_iter().map(|row| row[n..].to_vec()).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn origin_matches_a_dense_linear_solve(chain in chains()) {
        let Some(x) = dense_origin(&chain) else {
            return Ok(());
        };
        let opts = OriginOptions::new();
        for (v, (id, _)) in chain.nodes().enumerate() {
            let o = match chain.origin(id, &opts) {
                Ok(o) => o,
                Err(Error::NotConverged { .. }) => continue,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            if o.sources.iter().any(|s| s.kind == OriginKind::ClosedLoop) {
                continue;
            }
            for (c, country) in COUNTRIES.iter().enumerate() {
                let got = o.share_of(*country).get();
                prop_assert!((got - x[v][c]).abs() < 1e-8, "{country}: {got} vs {}", x[v][c]);
            }
        }
    }

    #[test]
    fn origin_shares_sum_to_one_and_pass_through_dominates(chain in chains()) {
        let opts = OriginOptions::new();
        for (id, _) in chain.nodes() {
            let origin = match chain.origin(id, &opts) {
                Ok(o) => o,
                // A loop that recirculates nearly everything may need more
                // sweeps than allowed; that is reported, not a wrong answer.
                Err(Error::NotConverged { .. }) => continue,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            let by_country: f64 = origin.by_country.iter().map(|c| c.share.get()).sum();
            let by_source: f64 = origin.sources.iter().map(|s| s.share.get()).sum();
            prop_assert!((by_country - 1.0).abs() < 1e-9, "{by_country}");
            prop_assert!((by_source - 1.0).abs() < 1e-9, "{by_source}");
            let pass = chain.pass_through_all(id, &opts).unwrap();
            for c in &origin.by_country {
                prop_assert!(
                    pass.share_of(c.country).get() >= c.share.get() - 1e-9,
                    "{}: pass {} < origin {}", c.country, pass.share_of(c.country), c.share
                );
            }
        }
    }

    #[test]
    fn bilateral_mirrors(chain in chains()) {
        let opts = BilateralOptions::new().as_of(jiff::civil::date(2025, 1, 1));
        for a in COUNTRIES {
            for b in COUNTRIES {
                if a < b {
                    let ab = chain.bilateral(a, b, &opts).unwrap();
                    let ba = chain.bilateral(b, a, &opts).unwrap();
                    crate::analysis::assert_mirror(&ab, &ba);
                }
            }
        }
    }

    #[test]
    fn hhi_within_bounds_without_rest_of_world(
        outputs in prop::collection::vec(0.001f64..1e7, 1..=6),
    ) {
        let n = outputs.len() as f64;
        let rows = COUNTRIES.iter().copied().zip(outputs.iter().map(|x| Tonnes::new(*x).unwrap()));
        let c = Concentration::from_outputs(rows, &ConcentrationOptions::new()).unwrap();
        prop_assert!(c.hhi >= 10_000.0 / n - 1e-6 && c.hhi <= 10_000.0 + 1e-6, "{}", c.hhi);
        prop_assert!(!c.lower_bound);
        prop_assert!((0.0..=1.0).contains(&c.hhi_normalised));
        prop_assert!(c.top1 <= c.top3);
    }
}
