//! Content factors (issue 13 item 4): figures of different bases are
//! refused, or converted with the caller's factors and the conversions
//! reported. Hand-worked chains.

use critical_minerals::analysis::ConcentrationOptions;
use critical_minerals::model::{ContentFactors, ContentKey, Conversion};
use critical_minerals::network::{ChainNetwork, FlowOptions, SourceRule, Target};
use critical_minerals::{Basis, Country, Error, Flow, Mineral, Node, Stage, SupplyChain};

use crate::support::t;

fn basis(text: &str) -> Basis {
    Basis::new(text).unwrap()
}

/// Ore (gross weight) → refinery (Li content) → manufacturer:
///
/// - AUS mine, output 1,000 t of ore (gross weight);
/// - AUS → CHN, 800 t of ore (gross weight, HS 253090);
/// - CHN refinery, output 90 t Li content;
/// - CHN → USA, 85 t Li content;
/// - USA manufacturer, no figure.
fn ore_chain() -> SupplyChain {
    let li = Mineral::LITHIUM;
    let mut c = SupplyChain::new();
    let mine = c
        .add_node(
            Node::new(Country::AUS, li.clone(), Stage::Extraction)
                .output(t(1_000.0))
                .basis(basis("gross weight")),
        )
        .unwrap();
    let refinery = c
        .add_node(
            Node::new(Country::CHN, li.clone(), Stage::Refining)
                .output(t(90.0))
                .basis(basis("Li content")),
        )
        .unwrap();
    let maker = c
        .add_node(Node::new(Country::USA, li, Stage::Manufacturing))
        .unwrap();
    c.add_flow(
        mine,
        refinery,
        Flow::new(t(800.0)).basis(basis("gross weight")).hs6(253090),
    )
    .unwrap();
    c.add_flow(
        refinery,
        maker,
        Flow::new(t(85.0)).basis(basis("Li content")),
    )
    .unwrap();
    c
}

/// The ore is 10% Li by the caller's assumption, stated both ways: by the
/// flow's HS code and by (lithium, extraction, gross weight) for the
/// mine's output.
fn ten_percent() -> ContentFactors {
    ContentFactors::new(basis("Li content"))
        .by_hs(253090, 0.1)
        .by_basis(
            Mineral::LITHIUM,
            Stage::Extraction,
            basis("gross weight"),
            0.1,
        )
}

fn options() -> FlowOptions {
    FlowOptions::new()
        .mineral(Mineral::LITHIUM)
        .sources(SourceRule::Extraction)
}

fn target() -> Target {
    Target::country_stage(Country::USA, Stage::Manufacturing)
}

#[test]
fn max_flow_in_contained_metal() {
    let chain = ore_chain();
    let net = ChainNetwork::new(&chain, &target(), &options().content(ten_percent())).unwrap();
    // In Li content: the mine supplies 1,000 × 0.1 = 100 t, the ore link
    // carries 800 × 0.1 = 80 t, the refinery passes at most 90 t, the link
    // to the US carries 85 t: min(100, 80, 90, 85) = 80 t. (Unconverted,
    // the ore link's 800 t would not bind and the answer would be the
    // refinery's 85 t link; with no factors at all it is refused below.)
    assert_eq!(net.solve().deliverable_supply().get(), 80.0);
    let li = Mineral::LITHIUM;
    assert_eq!(
        net.conversions(),
        &[
            Conversion {
                key: ContentKey::Hs(253090),
                basis: basis("gross weight"),
                factor: 0.1,
                count: 1,
            },
            Conversion {
                key: ContentKey::MineralStage {
                    mineral: li,
                    stage: Stage::Extraction,
                },
                basis: basis("gross weight"),
                factor: 0.1,
                count: 1,
            },
        ]
    );
    assert_eq!(
        net.conversions()[0].to_string(),
        "HS 253090 on \"gross weight\" × 0.1 (1 figure)"
    );
}

#[test]
fn without_factors_mixed_bases_are_refused() {
    let chain = ore_chain();
    let err = ChainNetwork::new(&chain, &target(), &options()).unwrap_err();
    assert!(matches!(err, Error::MixedBasis { .. }), "{err:?}");
    let msg = err.to_string();
    for needle in [
        "\"gross weight\"",
        "\"Li content\"",
        "node CHN/lithium/refining",
    ] {
        assert!(msg.contains(needle), "{msg} does not name {needle}");
    }
}

#[test]
fn a_missing_factor_is_refused_naming_the_item() {
    let chain = ore_chain();
    // The HS code's factor converts the flow, but nothing converts the
    // mine's output.
    let only_hs = ContentFactors::new(basis("Li content")).by_hs(253090, 0.1);
    let err = ChainNetwork::new(&chain, &target(), &options().content(only_hs)).unwrap_err();
    assert!(matches!(err, Error::MixedBasis { .. }), "{err:?}");
    let msg = err.to_string();
    for needle in [
        "\"Li content\"",
        "\"gross weight\"",
        "node AUS/lithium/extraction",
        "no content factor",
    ] {
        assert!(msg.contains(needle), "{msg} does not name {needle}");
    }
    // A factor at another stage does not apply (a flow is looked up at
    // its exporter's stage, a node at its own).
    let refining_only = ContentFactors::new(basis("Li content")).by_basis(
        Mineral::LITHIUM,
        Stage::Refining,
        basis("gross weight"),
        0.1,
    );
    let msg = ChainNetwork::new(&chain, &target(), &options().content(refining_only))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("node AUS/lithium/extraction"), "{msg}");
}

#[test]
fn factors_out_of_domain_are_refused() {
    let chain = ore_chain();
    for bad in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        let f = ten_percent().by_hs(253090, bad);
        let err = ChainNetwork::new(&chain, &target(), &options().content(f)).unwrap_err();
        assert!(matches!(err, Error::OutOfDomain { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("HS 253090"), "{msg}");
        assert!(msg.contains(&bad.to_string()), "{msg}");
    }
    let f = ten_percent().by_hs(12_345_678, 0.5);
    assert!(ChainNetwork::new(&chain, &target(), &options().content(f)).is_err());
}

#[test]
fn concentration_in_one_basis() {
    let li = Mineral::LITHIUM;
    let mut chain = SupplyChain::new();
    chain
        .add_node(
            Node::new(Country::AUS, li.clone(), Stage::Extraction)
                .output(t(100.0))
                .basis(basis("Li content")),
        )
        .unwrap();
    chain
        .add_node(
            Node::new(Country::IDN, li.clone(), Stage::Extraction)
                .output(t(300.0))
                .basis(basis("Li2O content")),
        )
        .unwrap();
    let plain = ConcentrationOptions::new();
    let err = chain
        .concentration(&li, Stage::Extraction, &plain)
        .unwrap_err();
    assert!(matches!(err, Error::MixedBasis { .. }), "{err:?}");
    // Li → Li2O: 2 × 6.94 + 16.00 = 29.88 per 2 × 6.94 = 13.88, × 2.153.
    // AUS 100 × 2.153 = 215.3 t Li2O, IDN 300 t: total 515.3 t;
    // HHI = 10,000 × (215.3² + 300²) / 515.3² = 10,000 × 136,354.09 /
    // 265,534.09 = 5,135.09.
    let factors = ContentFactors::new(basis("Li2O content")).by_basis(
        li.clone(),
        Stage::Extraction,
        basis("Li content"),
        2.153,
    );
    let c = chain
        .concentration(&li, Stage::Extraction, &plain.content(factors.clone()))
        .unwrap();
    assert!((c.total.get() - 515.3).abs() < 1e-9, "{}", c.total);
    assert!((c.hhi - 5_135.09).abs() < 0.01, "{}", c.hhi);
    assert_eq!(c.shares[0].country, Country::IDN);
    assert_eq!(c.conversions.len(), 1);
    assert_eq!(c.conversions[0].count, 1);
    assert_eq!(c.conversions[0].factor, 2.153);
    let by_stage = chain.concentration_by_stage(&li, &ConcentrationOptions::new().content(factors));
    assert_eq!(by_stage.stages.len(), 1);
    assert_eq!(by_stage.stages[0].hhi, c.hhi);
}

#[test]
fn factors_round_trip_through_json() {
    let f = ten_percent();
    let json = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<ContentFactors>(&json).unwrap(), f);
    let opts = options().content(f);
    let json = serde_json::to_string(&opts).unwrap();
    assert_eq!(serde_json::from_str::<FlowOptions>(&json).unwrap(), opts);
    // Only the target is required.
    let min: ContentFactors = serde_json::from_str(r#"{"target":"REO content"}"#).unwrap();
    assert!(min.by_hs.is_empty() && min.by_basis.is_empty());
}
