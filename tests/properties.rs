//! Properties that must hold for any chain (proptest).

use critical_minerals::{
    Country, Flow, Mineral, Node, NodeId, NodeKey, Stage, SupplyChain, Tonnes,
};
use proptest::prelude::*;

const COUNTRIES: [Country; 5] = [
    Country::USA,
    Country::MYS,
    Country::CHN,
    Country::AUS,
    Country::JPN,
];

/// A random chain: nodes from a small key space, then flows between random
/// pairs where the transition is valid, then some removals.
fn arb_chain() -> impl Strategy<Value = SupplyChain> {
    let node = (
        0..5usize,
        0..2usize,
        0..6usize,
        proptest::option::of(0.0..1e7f64),
    );
    let flow = (0..40usize, 0..40usize, 0.0..1e6f64);
    (
        proptest::collection::vec(node, 1..30),
        proptest::collection::vec(flow, 0..60),
        proptest::collection::vec(0..40usize, 0..4),
    )
        .prop_map(|(nodes, flows, removals)| {
            let minerals = [Mineral::RARE_EARTHS, Mineral::COBALT];
            let mut c = SupplyChain::new();
            let mut ids: Vec<NodeId> = Vec::new();
            for (ci, mi, si, out) in nodes {
                let mut n = Node::new(COUNTRIES[ci], minerals[mi].clone(), Stage::ALL[si]);
                if let Some(o) = out {
                    n = n.output(Tonnes::new(o).unwrap());
                }
                if let Ok(id) = c.add_node(n) {
                    ids.push(id);
                }
            }
            for (a, b, tn) in flows {
                let (a, b) = (ids[a % ids.len()], ids[b % ids.len()]);
                let _ = c.add_flow(a, b, Flow::new(Tonnes::new(tn).unwrap()).year(2024));
            }
            for r in removals {
                let _ = c.remove_node(ids[r % ids.len()]);
            }
            c
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn json_round_trip_is_the_identity(c in arb_chain()) {
        let json = c.to_json();
        let back = SupplyChain::from_json(&json).unwrap();
        prop_assert_eq!(&back, &c);
        prop_assert_eq!(back.to_json(), json);
    }

    #[test]
    fn rejected_mutations_leave_the_chain_unchanged(
        c in arb_chain(),
        a in 0..64u32, b in 0..64u32,
        tn in prop_oneof![Just(f64::NAN), Just(-1.0), Just(f64::INFINITY), 0.0..10.0f64],
    ) {
        let before = c.clone();
        let mut c = c;
        // Either the tonnes are invalid (refused before reaching the chain)
        // or the flow is; when add_flow fails, nothing may have changed.
        if let Ok(t) = Tonnes::new(tn) {
            let (a, b) = (NodeId::from(petgraph::graph::NodeIndex::new(a as usize)),
                          NodeId::from(petgraph::graph::NodeIndex::new(b as usize)));
            if c.add_flow(a, b, Flow::new(t)).is_err() {
                prop_assert_eq!(&c, &before);
            }
        } else {
            prop_assert!(tn.is_nan() || tn < 0.0 || tn.is_infinite());
        }
        // Adding an existing key always fails and changes nothing.
        let mut c2 = before.clone();
        if let Some((_, n)) = before.nodes().next() {
            prop_assert!(c2.add_node(Node::from_key(n.key.clone())).is_err());
            prop_assert_eq!(&c2, &before);
        }
    }

    #[test]
    fn a_batch_by_key_is_all_or_nothing(
        c in arb_chain(),
        batch in proptest::collection::vec((0..5usize, 0..6usize, 0..5usize, 0..6usize, 0.0..1e3f64), 0..12),
    ) {
        let key = |ci: usize, si: usize| {
            NodeKey::new(COUNTRIES[ci], Mineral::RARE_EARTHS, Stage::ALL[si])
        };
        let batch: Vec<_> = batch
            .into_iter()
            .map(|(a, sa, b, sb, tn)| (key(a, sa), key(b, sb), Flow::new(Tonnes::new(tn).unwrap())))
            .collect();
        // A batch succeeds exactly when every transition in it is valid.
        let valid = batch.iter().all(|(f, t, _)| {
            f.stage.can_flow_to(t.stage, f.country != t.country)
        });
        let before = c.clone();
        let mut after = c;
        match after.add_flows_by_key(batch.clone()) {
            Ok(added) => {
                prop_assert!(valid);
                prop_assert_eq!(added.flows.len(), batch.len());
                prop_assert_eq!(after.flow_count(), before.flow_count() + batch.len());
                prop_assert_eq!(after.node_count(), before.node_count() + added.nodes.len());
            }
            Err(_) => {
                prop_assert!(!valid);
                prop_assert_eq!(&after, &before);
            }
        }
    }

    #[test]
    fn removing_a_node_removes_exactly_its_flows(c in arb_chain(), pick in 0..64usize) {
        let ids: Vec<NodeId> = c.nodes().map(|(id, _)| id).collect();
        prop_assume!(!ids.is_empty());
        let v = ids[pick % ids.len()];
        let incident = c.flows().filter(|f| f.from == v || f.to == v).count();
        let mut c2 = c.clone();
        c2.remove_node(v).unwrap();
        prop_assert_eq!(c2.flow_count(), c.flow_count() - incident);
        // The country-pair index agrees with a scan.
        for a in COUNTRIES {
            for b in COUNTRIES {
                let scan = c2.flows().filter(|f| f.from_key.country == a && f.to_key.country == b).count();
                prop_assert_eq!(c2.flows_between(a, b).count(), scan);
            }
        }
    }
}

#[test]
fn every_iso_country_round_trips_alpha2_alpha3_numeric() {
    let mut n = 0;
    for c in Country::iso_all() {
        let a2 = c.alpha2().unwrap();
        let num = c.numeric().unwrap();
        assert_eq!(Country::from_alpha2(a2).unwrap(), c);
        assert_eq!(Country::from_alpha3(c.alpha3()).unwrap(), c);
        assert_eq!(Country::from_numeric(num).unwrap(), c);
        assert_eq!(Country::parse(c.name()).unwrap(), c, "{}", c.name());
        assert_eq!(Country::parse(&format!("{num:03}")).unwrap(), c);
        n += 1;
    }
    // ISO 3166-1 has 249 officially assigned codes.
    assert_eq!(n, 249);
}
