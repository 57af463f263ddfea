//! The graph: adding, validating, removing, indexing.

use critical_minerals::{
    Agreement, AgreementKind, Country, Error, Flow, Mineral, Node, NodeKey, Provenance, Source,
    Stage, SupplyChain, Tonnes,
};

fn t(v: f64) -> Tonnes {
    Tonnes::new(v).unwrap()
}

/// AUS mine → MYS refinery → USA magnet maker, plus CHN refinery → USA.
fn small() -> (SupplyChain, [critical_minerals::NodeId; 4]) {
    let ree = Mineral::RARE_EARTHS;
    let mut c = SupplyChain::new();
    let aus = c
        .add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction).output(t(13_000.0)))
        .unwrap();
    let mys = c
        .add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))
        .unwrap();
    let chn = c
        .add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining).output(t(200_000.0)))
        .unwrap();
    let usa = c
        .add_node(Node::new(Country::USA, ree, Stage::Manufacturing))
        .unwrap();
    c.add_flow(aus, mys, Flow::new(t(10_000.0))).unwrap();
    c.add_flow(mys, usa, Flow::new(t(2_000.0))).unwrap();
    c.add_flow(chn, usa, Flow::new(t(7_000.0))).unwrap();
    (c, [aus, mys, chn, usa])
}

#[test]
fn accessors_answer_by_key_country_mineral_stage() {
    let (c, [aus, mys, chn, usa]) = small();
    assert_eq!(c.node_count(), 4);
    assert_eq!(c.flow_count(), 3);
    let key = NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Refining);
    assert_eq!(c.node_id(&key), Some(mys));
    assert_eq!(c.nodes_at_stage(Stage::Refining).count(), 2);
    assert_eq!(c.nodes_of_country(Country::USA).next().unwrap().0, usa);
    assert_eq!(c.nodes_of_mineral(&Mineral::RARE_EARTHS).count(), 4);
    assert_eq!(c.nodes_of_mineral(&Mineral::COBALT).count(), 0);
    assert_eq!(
        c.countries().into_iter().collect::<Vec<_>>(),
        vec![Country::AUS, Country::CHN, Country::MYS, Country::USA]
    );
    assert_eq!(c.minerals().len(), 1);
    // 10,000 + 2,000 + 7,000
    assert_eq!(c.total_flow().get(), 19_000.0);
    // Only AUS and CHN carry output figures at their stages.
    assert_eq!(
        c.total_output(&Mineral::RARE_EARTHS, Stage::Refining).get(),
        200_000.0
    );
    let into_us: Vec<f64> = c.flows_in(usa).map(|f| f.tonnes().get()).collect();
    assert_eq!(into_us, vec![2_000.0, 7_000.0]);
    assert_eq!(c.flows_out(aus).count(), 1);
    assert_eq!(c.flows_out(chn).next().unwrap().to, usa);
    let between: Vec<_> = c.flows_between(Country::CHN, Country::USA).collect();
    assert_eq!(between.len(), 1);
    assert!(!between[0].is_domestic());
    assert_eq!(c.flows_between(Country::USA, Country::CHN).count(), 0);
}

#[test]
fn rejected_flows_change_nothing() {
    let (mut c, [aus, mys, _chn, usa]) = small();
    let before = c.clone();
    // Backwards along the chain.
    let e = c.add_flow(usa, aus, Flow::new(t(1.0))).unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidTransition {
            from: Stage::Manufacturing,
            to: Stage::Extraction,
            domestic: false
        }
    ));
    // Self-loop: the same stage within one country.
    let e = c.add_flow(mys, mys, Flow::new(t(1.0))).unwrap_err();
    assert!(matches!(e, Error::InvalidTransition { domestic: true, .. }));
    // Two minerals.
    let co = c
        .add_node(Node::new(Country::USA, Mineral::COBALT, Stage::Refining))
        .unwrap();
    let after_node = c.clone();
    let e = c.add_flow(aus, co, Flow::new(t(1.0))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "flow from a rare-earths node to a cobalt node: both ends must be the same mineral"
    );
    // Unknown source in provenance.
    let f = Flow::new(t(1.0)).provenance(Provenance::reported("nope"));
    assert!(matches!(
        c.add_flow(aus, mys, f),
        Err(Error::UnknownSource { .. })
    ));
    assert_eq!(c, after_node);
    c.remove_node(co).unwrap();
    // Removing the extra node again restores every id and flow.
    assert_eq!(c.node_count(), before.node_count());
    assert_eq!(c.flows().count(), 3);
    // Duplicate key.
    let dup = Node::new(Country::AUS, Mineral::RARE_EARTHS, Stage::Extraction);
    assert!(matches!(c.add_node(dup), Err(Error::DuplicateNode { .. })));
}

#[test]
fn same_stage_across_a_border_is_allowed() {
    let mut c = SupplyChain::new();
    let jp = c.ensure_node(NodeKey::new(
        Country::JPN,
        Mineral::RARE_EARTHS,
        Stage::Manufacturing,
    ));
    let us = c.ensure_node(NodeKey::new(
        Country::USA,
        Mineral::RARE_EARTHS,
        Stage::Manufacturing,
    ));
    assert!(c.add_flow(jp, us, Flow::new(t(500.0))).is_ok());
    // ensure_node returns the existing id.
    assert_eq!(
        c.ensure_node(NodeKey::new(
            Country::JPN,
            Mineral::RARE_EARTHS,
            Stage::Manufacturing
        )),
        jp
    );
}

#[test]
fn removal_keeps_other_ids_and_indexes_in_step() {
    let (mut c, [aus, mys, chn, usa]) = small();
    let removed = c.remove_node(mys).unwrap();
    assert_eq!(removed.key.country, Country::MYS);
    // Both flows through MYS went with it; the CHN flow keeps its id.
    assert_eq!(c.flow_count(), 1);
    assert_eq!(c.flows_between(Country::AUS, Country::MYS).count(), 0);
    assert_eq!(c.flows_between(Country::CHN, Country::USA).count(), 1);
    assert_eq!(c.node(aus).unwrap().key.country, Country::AUS);
    assert_eq!(c.node(usa).unwrap().key.country, Country::USA);
    assert!(c.node(mys).is_none());
    assert!(matches!(c.remove_node(mys), Err(Error::UnknownNode { .. })));
    let f = c
        .flows_between(Country::CHN, Country::USA)
        .next()
        .unwrap()
        .id;
    assert_eq!(c.remove_flow(f).unwrap().tonnes.get(), 7_000.0);
    assert_eq!(c.flows_between(Country::CHN, Country::USA).count(), 0);
    assert!(matches!(c.remove_flow(f), Err(Error::UnknownFlow { .. })));
    // A new node does not disturb old ids.
    let again = c
        .add_node(Node::new(
            Country::MYS,
            Mineral::RARE_EARTHS,
            Stage::Refining,
        ))
        .unwrap();
    assert_eq!(c.node(chn).unwrap().key.country, Country::CHN);
    assert_eq!(c.node(again).unwrap().key.country, Country::MYS);
}

#[test]
fn policy_and_sources_are_validated() {
    let (mut c, _) = small();
    assert!(matches!(
        Agreement::new("solo", AgreementKind::Mou, [Country::USA]),
        Err(Error::Inconsistent { kind: "agreement", id, .. }) if id == "solo"
    ));
    let mou = Agreement::new("mou", AgreementKind::Mou, [Country::USA, Country::MYS])
        .unwrap()
        .provenance(Provenance::reported("usgs"));
    assert!(matches!(
        c.add_agreement(mou.clone()),
        Err(Error::UnknownSource { .. })
    ));
    c.add_source(Source::new("usgs", "U.S. Geological Survey", "MCS 2025").unwrap())
        .unwrap();
    c.add_agreement(mou.clone()).unwrap();
    assert!(matches!(
        c.add_agreement(mou),
        Err(Error::DuplicateId { .. })
    ));
    assert_eq!(c.agreements_between(Country::MYS, Country::USA).count(), 1);
    assert_eq!(c.agreements_between(Country::MYS, Country::CHN).count(), 0);
    assert!(Source::new("has space", "p", "t").is_err());
}

#[test]
fn petgraph_view_matches_ids() {
    let (c, [aus, mys, ..]) = small();
    let g = c.graph();
    assert_eq!(g.node_count(), 4);
    assert_eq!(g[aus.index()].key.country, Country::AUS);
    assert!(g.find_edge(aus.index(), mys.index()).is_some());
}
