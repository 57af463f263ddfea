//! The JSON form: exact round trip, schema version, validation on load.

use critical_minerals::{
    Country, Error, Flow, Mineral, Node, Provenance, Source, Stage, SupplyChain, Tonnes, Usd,
};

fn sample() -> SupplyChain {
    let mut c = SupplyChain::new();
    c.add_source(
        Source::new(
            "usgs_mcs_2025_rare_earths",
            "U.S. Geological Survey",
            "MCS 2025 — Rare earths",
        )
        .unwrap()
        .year(2025),
    )
    .unwrap();
    let m = Mineral::RARE_EARTHS;
    let a = c
        .add_node(
            Node::new(Country::AUS, m.clone(), Stage::Extraction)
                .output(Tonnes::new(13_000.0).unwrap())
                .provenance(Provenance::reported("usgs_mcs_2025_rare_earths")),
        )
        .unwrap();
    let gone = c
        .add_node(Node::new(Country::THA, m.clone(), Stage::Processing))
        .unwrap();
    let b = c
        .add_node(Node::new(Country::MYS, m, Stage::Refining).capacity(Tonnes::new(0.1).unwrap()))
        .unwrap();
    c.add_flow(a, gone, Flow::new(Tonnes::new(1.0).unwrap()))
        .unwrap();
    c.add_flow(
        a,
        b,
        Flow::new(Tonnes::new(1.0 / 3.0).unwrap())
            .value(Usd::new(12_345.678_9).unwrap())
            .year(2024),
    )
    .unwrap();
    // Leave a hole in both id spaces.
    c.remove_node(gone).unwrap();
    c
}

#[test]
fn round_trip_is_exact_including_ids_with_holes() {
    let c = sample();
    let json = c.to_json();
    assert!(json.contains("\"schema\": \"critical-minerals/chain\""));
    assert!(json.contains("\"version\": 2"));
    let back = SupplyChain::from_json(&json).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.to_json(), json);
    // Ids survive: node 2 (MYS) is still node 2, flow 1 still flow 1.
    let f = back.flows().next().unwrap();
    assert_eq!((f.id.get(), f.from.get(), f.to.get()), (1, 0, 2));
    assert_eq!(f.flow.tonnes.get(), 1.0 / 3.0);
}

#[test]
fn bad_values_are_refused_with_the_builders_errors() {
    let good = sample().to_json();
    // Negative tonnes.
    let bad = good.replace("0.3333333333333333", "-1.0");
    let e = SupplyChain::from_json(&bad).unwrap_err();
    assert!(e.to_string().contains("invalid tonnes -1"), "{e}");
    // Unknown country.
    let bad = good
        .replace("\"THA\"", "\"XXX\"")
        .replace("\"MYS\"", "\"XXX\"");
    let e = SupplyChain::from_json(&bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("unknown country code or name \"XXX\""),
        "{e}"
    );
    // An invalid stage transition: make the refinery an exploration node.
    let bad = good.replace("\"refining\"", "\"exploration\"");
    let e = SupplyChain::from_json(&bad).unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref context, ref source }
        if context.starts_with("flows[0]") && matches!(**source, Error::InvalidTransition { .. })),
        "{e}"
    );
    // A wrong schema version.
    let bad = good.replace("\"version\": 2", "\"version\": 99");
    assert!(matches!(
        SupplyChain::from_json(&bad),
        Err(Error::SchemaVersion { version: 99, .. })
    ));
    // Malformed JSON names the line and column.
    let e = SupplyChain::from_json("{\n  \"schema\": ,\n}").unwrap_err();
    assert!(
        matches!(
            e,
            Error::Parse {
                line: 2,
                column: Some(_),
                ..
            }
        ),
        "{e}"
    );
    // A hostile id far past the item count is refused, not allocated.
    let bad = good.replace("\"id\": 2,", "\"id\": 4000000000,");
    let e = SupplyChain::from_json(&bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("node ids must be strictly increasing"),
        "{e}"
    );
    // Flow pointing at the removed node's id.
    let bad = good.replace("\"to\": 2", "\"to\": 1");
    assert!(SupplyChain::from_json(&bad).is_err());
}

#[test]
fn many_removals_still_round_trip() {
    // 2,241 nodes, all but the last ten removed: ids up to 2,240 with only
    // ten live nodes (far more holes than items).
    let mut c = SupplyChain::new();
    let mut ids = Vec::new();
    for m in ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"] {
        for country in Country::iso_all() {
            let n = Node::new(country, Mineral::new(m).unwrap(), Stage::Extraction);
            ids.push(c.add_node(n).unwrap());
        }
    }
    assert_eq!(ids.len(), 9 * 249);
    for id in &ids[..ids.len() - 10] {
        c.remove_node(*id).unwrap();
    }
    let back = SupplyChain::from_json(&c.to_json()).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.nodes().next().unwrap().0, ids[ids.len() - 10]);
}

#[test]
fn serde_impls_validate_too() {
    let c = sample();
    let v = serde_json::to_value(&c).unwrap();
    let back: SupplyChain = serde_json::from_value(v).unwrap();
    assert_eq!(back, c);
}

/// The issue-19 case: 70,000 nodes removed and one kept leaves ids far past
/// the unlisted-hole allowance (2 × 1 + 65,536); the document the crate
/// writes lists every hole in its free list, so it loads, equal, and the
/// reloaded chain hands out the same ids. The same for 69,999 removed flows.
#[test]
fn a_document_the_crate_wrote_always_loads_whatever_its_holes() {
    let mut c = SupplyChain::new();
    let mut ids = Vec::new();
    'fill: for m in 0.. {
        let mineral = Mineral::new(format!("m{m}")).unwrap();
        for country in Country::iso_all() {
            for stage in Stage::ALL {
                if ids.len() == 70_001 {
                    break 'fill;
                }
                ids.push(
                    c.add_node(Node::new(country, mineral.clone(), stage))
                        .unwrap(),
                );
            }
        }
    }
    for id in &ids[..70_000] {
        c.remove_node(*id).unwrap();
    }
    let back = SupplyChain::from_json(&c.to_json()).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.nodes().next().unwrap().0, ids[70_000]);
    crate::bad_input::same_allocator(&c);

    // 70,000 flows between distinct pairs (a node of many flows would make
    // each removal walk its edge list), all but the last removed.
    let mut c = SupplyChain::new();
    let countries: Vec<Country> = Country::iso_all().collect();
    let mut flows = Vec::new();
    'flows: for m in [Mineral::COBALT, Mineral::NICKEL] {
        let to: Vec<_> = countries
            .iter()
            .map(|&k| {
                c.add_node(Node::new(k, m.clone(), Stage::Refining))
                    .unwrap()
            })
            .collect();
        for &k in &countries {
            let from = c
                .add_node(Node::new(k, m.clone(), Stage::Extraction))
                .unwrap();
            for &t in &to {
                if flows.len() == 70_000 {
                    break 'flows;
                }
                flows.push(
                    c.add_flow(from, t, Flow::new(Tonnes::new(1.0).unwrap()))
                        .unwrap(),
                );
            }
        }
    }
    for f in &flows[..69_999] {
        c.remove_flow(*f).unwrap();
    }
    let back = SupplyChain::from_json(&c.to_json()).unwrap();
    assert_eq!(back, c);
    crate::bad_input::same_allocator(&c);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
    /// Any interleaving of node and flow additions and removals, written and
    /// read back, gives an equal chain that hands out the same node and flow
    /// ids for the same later additions.
    #[test]
    fn any_edit_sequence_round_trips_with_its_allocator(
        ops in proptest::collection::vec((0u8..4, proptest::prelude::any::<u16>()), 0..80),
    ) {
        let mut c = SupplyChain::new();
        let countries = [Country::AUS, Country::CHN, Country::MYS, Country::USA];
        for (op, k) in ops {
            let k = usize::from(k);
            let live: Vec<_> = c.nodes().map(|(id, _)| id).collect();
            match op {
                0 => {
                    let n = Node::new(
                        countries[k % 4],
                        Mineral::new(format!("p{}", (k / 4) % 3)).unwrap(),
                        Stage::ALL[(k / 12) % 6],
                    );
                    // A key already present is refused; that is an edit too.
                    let _ = c.add_node(n);
                }
                1 if !live.is_empty() => {
                    let (a, b) = (live[k % live.len()], live[(k / 7) % live.len()]);
                    // Invalid transitions are refused and leave the chain as it was.
                    let _ = c.add_flow(a, b, Flow::new(Tonnes::new(k as f64).unwrap()));
                }
                2 if !live.is_empty() => {
                    c.remove_node(live[k % live.len()]).unwrap();
                }
                3 => {
                    let flows: Vec<_> = c.flows().map(|f| f.id).collect();
                    if !flows.is_empty() {
                        c.remove_flow(flows[k % flows.len()]).unwrap();
                    }
                }
                _ => {}
            }
        }
        crate::bad_input::same_allocator(&c);
    }
}
