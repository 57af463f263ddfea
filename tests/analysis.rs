//! Analyses: bilateral links, partners, import reliance, concentration,
//! GeoPolRisk, upstream origin and pass-through. Expected values are worked
//! out by hand in the comments.

use critical_minerals::analysis::{
    Balance, Band, BilateralOptions, Concentration, ConcentrationOptions, GeoPolRisk,
    GeoPolRiskOptions, Guideline, ImportReliance, MissingGovernance, OriginKind, OriginOptions,
    PartnerOptions, RecyclingOrigin, RelianceFigure,
};
use critical_minerals::{
    Agreement, AgreementKind, Country, Error, ExportRestriction, Mineral, NodeId, Provision,
    RestrictionKind, RestrictionStatus, RestrictionTargets, Stage, SupplyChain, Tonnes,
};
use jiff::civil::date;

use crate::support::{flow, node, t};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// The concentration of `rows` under the default options.
fn concentration(rows: impl IntoIterator<Item = (Country, Tonnes)>) -> Concentration {
    Concentration::from_outputs(rows, &ConcentrationOptions::new()).unwrap()
}

// ----- origin and pass-through ------------------------------------------------

/// Three countries (AUS, CHN, USA), three stages (extraction, refining,
/// manufacturing) and one recycling loop in the US:
///
/// ```text
/// AUS/ext ──60──▶ CHN/ref ◀──140── CHN/ext
///    │               │  └──120──▶ CHN/mfg
///    40              80
///    ▼               ▼
/// USA/ref ──50──▶ USA/mfg ──20──▶ USA/rec ──10──▶ USA/ref
/// ```
struct Loop {
    chain: SupplyChain,
    us_ref: NodeId,
    us_mfg: NodeId,
    cn_mfg: NodeId,
}

fn loop_chain() -> Loop {
    let mut chain = SupplyChain::new();
    let au_ext = node(&mut chain, Country::AUS, Stage::Extraction, Some(100.0));
    let cn_ext = node(&mut chain, Country::CHN, Stage::Extraction, Some(200.0));
    let cn_ref = node(&mut chain, Country::CHN, Stage::Refining, None);
    let us_ref = node(&mut chain, Country::USA, Stage::Refining, None);
    let us_mfg = node(&mut chain, Country::USA, Stage::Manufacturing, None);
    let cn_mfg = node(&mut chain, Country::CHN, Stage::Manufacturing, None);
    let us_rec = node(&mut chain, Country::USA, Stage::Recycling, None);
    flow(&mut chain, au_ext, cn_ref, 60.0);
    flow(&mut chain, au_ext, us_ref, 40.0);
    flow(&mut chain, cn_ext, cn_ref, 140.0);
    flow(&mut chain, cn_ref, us_mfg, 80.0);
    flow(&mut chain, cn_ref, cn_mfg, 120.0);
    flow(&mut chain, us_ref, us_mfg, 50.0);
    flow(&mut chain, us_mfg, us_rec, 20.0);
    flow(&mut chain, us_rec, us_ref, 10.0);
    Loop {
        chain,
        us_ref,
        us_mfg,
        cn_mfg,
    }
}

#[test]
fn origin_through_a_recycling_loop_matches_the_paper_solution() {
    // CHN/ref mixes 60 AUS + 140 CHN: AUS 0.3, CHN 0.7.
    // USA/ref mixes 40 AUS ore + 10 recycled: 0.8 AUS + 0.2 M, with M the
    //   mix of USA/mfg (USA/rec passes M on unchanged).
    // USA/mfg mixes 80 from CHN/ref + 50 from USA/ref (of 130):
    //   M = 8/13 (0.3 AUS + 0.7 CHN) + 5/13 (0.8 AUS + 0.2 M)
    //   M (1 - 1/13) = (2.4 + 4)/13 AUS + 5.6/13 CHN
    //   M = 6.4/12 AUS + 5.6/12 CHN = 8/15 AUS + 7/15 CHN.
    let l = loop_chain();
    let o = l.chain.origin(l.us_mfg, &OriginOptions::new()).unwrap();
    assert!(close(o.share_of(Country::AUS).get(), 8.0 / 15.0), "{o}");
    assert!(close(o.share_of(Country::CHN).get(), 7.0 / 15.0));
    assert_eq!(o.share_of(Country::USA).get(), 0.0);
    assert_eq!(o.by_country[0].country, Country::AUS);
    assert_eq!(o.supply.get(), 130.0);
    assert_eq!(o.untraced.get(), 0.0);
    assert!(o.sweeps > 0, "the loop needs sweeps");
    assert!(o.sources.iter().all(|s| s.kind == OriginKind::Extraction));

    // USA/ref: 0.8 AUS + 0.2 M = (0.8 + 0.2 × 8/15) AUS + 0.2 × 7/15 CHN
    //        = 68/75 AUS + 7/75 CHN.
    let r = l.chain.origin(l.us_ref, &OriginOptions::new()).unwrap();
    assert!(close(r.share_of(Country::AUS).get(), 68.0 / 75.0));
    assert!(close(r.share_of(Country::CHN).get(), 7.0 / 75.0));

    // CHN/mfg only gets CHN/ref's mix, and is not in the loop.
    let c = l.chain.origin(l.cn_mfg, &OriginOptions::new()).unwrap();
    assert!(close(c.share_of(Country::AUS).get(), 0.3));
    assert!(close(c.share_of(Country::CHN).get(), 0.7));
    assert_eq!(c.sweeps, 0, "no loop upstream of CHN/mfg");
}

#[test]
fn pass_through_counts_every_passage_once() {
    // Walking upstream from USA/mfg: to CHN/ref with 8/13 (a CHN node), or
    // to USA/ref with 5/13; from there to AUS ore with 0.8 or back round the
    // loop to USA/mfg with 0.2. So P(CHN) = 8/13 + 5/13 × 0.2 × P(CHN),
    // P(CHN) × 12/13 = 8/13, P(CHN) = 2/3 (≥ its 7/15 origin share).
    // AUS nodes are only origins, so its pass-through equals its origin
    // share, 8/15. The target is in the USA: 1.
    let l = loop_chain();
    let opts = OriginOptions::new();
    let cn = l.chain.pass_through(l.us_mfg, Country::CHN, &opts).unwrap();
    assert!(close(cn.get(), 2.0 / 3.0), "{cn:?}");
    let all = l.chain.pass_through_all(l.us_mfg, &opts).unwrap();
    assert!(close(all.share_of(Country::AUS).get(), 8.0 / 15.0));
    assert!(close(all.share_of(Country::CHN).get(), 2.0 / 3.0));
    assert_eq!(all.share_of(Country::USA).get(), 1.0);
    assert_eq!(all.share_of(Country::JPN).get(), 0.0);
    assert_eq!(all.shares[0].country, Country::USA);

    // From USA/ref: 0.2 × (back to USA/mfg, then 2/3) = 2/15 through China.
    let r = l.chain.pass_through(l.us_ref, Country::CHN, &opts).unwrap();
    assert!(close(r.get(), 2.0 / 15.0));
}

#[test]
fn recycling_as_origin_stops_at_the_recycler() {
    // USA/ref = 0.8 AUS + 0.2 USA/rec (an origin now), so
    // M = 8/13 (0.3 AUS + 0.7 CHN) + 5/13 (0.8 AUS + 0.2 REC)
    //   = 6.4/13 AUS + 5.6/13 CHN + 1/13 USA (recycling).
    let l = loop_chain();
    let opts = OriginOptions::new().recycling(RecyclingOrigin::AsOrigin);
    let o = l.chain.origin(l.us_mfg, &opts).unwrap();
    assert!(close(o.share_of(Country::AUS).get(), 6.4 / 13.0));
    assert!(close(o.share_of(Country::CHN).get(), 5.6 / 13.0));
    assert!(close(o.share_of(Country::USA).get(), 1.0 / 13.0));
    let rec = o
        .sources
        .iter()
        .find(|s| s.kind == OriginKind::Recycling)
        .unwrap();
    assert_eq!((rec.country, rec.stage), (Country::USA, Stage::Recycling));
    assert_eq!(
        o.sweeps, 0,
        "cutting the loop at the recycler leaves no cycle"
    );
}

#[test]
fn supply_with_no_inputs_is_flagged_unexplained() {
    // USA/mfg gets 30 t from a Japanese refinery with no recorded inputs and
    // 10 t from Chinese refining of Chinese ore: 75 % unexplained at
    // JPN/refining, 25 % Chinese.
    let mut chain = SupplyChain::new();
    let cn_ext = node(&mut chain, Country::CHN, Stage::Extraction, None);
    let cn_ref = node(&mut chain, Country::CHN, Stage::Refining, None);
    let jp_ref = node(&mut chain, Country::JPN, Stage::Refining, Some(500.0));
    let us = node(&mut chain, Country::USA, Stage::Manufacturing, None);
    flow(&mut chain, cn_ext, cn_ref, 10.0);
    flow(&mut chain, cn_ref, us, 10.0);
    flow(&mut chain, jp_ref, us, 30.0);
    let o = chain.origin(us, &OriginOptions::new()).unwrap();
    assert!(close(o.untraced.get(), 0.75));
    let jp = o
        .sources
        .iter()
        .find(|s| s.country == Country::JPN)
        .unwrap();
    assert_eq!(
        (jp.stage, jp.kind),
        (Stage::Refining, OriginKind::Unexplained)
    );
    assert!(close(o.share_of(Country::CHN).get(), 0.25));
    // An unexplained node as the target is its own origin.
    let j = chain.origin(jp_ref, &OriginOptions::new()).unwrap();
    assert_eq!(j.share_of(Country::JPN).get(), 1.0);
    assert_eq!(j.supply.get(), 500.0);
}

#[test]
fn a_loop_with_no_source_is_a_closed_loop_origin() {
    // JPN/mfg and KOR/mfg trade magnets round in a circle (10 t each way)
    // and nothing enters the circle; JPN ships 10 t of it to the US, which
    // also gets 30 t traced to Chinese ore. The circle cannot be traced, so
    // its 25 % is attributed to JPN/manufacturing (where the walk enters).
    let mut chain = SupplyChain::new();
    let kor = Country::parse("KOR").unwrap();
    let cn_ext = node(&mut chain, Country::CHN, Stage::Extraction, Some(30.0));
    let jp = node(&mut chain, Country::JPN, Stage::Manufacturing, None);
    let kr = node(&mut chain, kor, Stage::Manufacturing, None);
    let us = node(&mut chain, Country::USA, Stage::Manufacturing, None);
    flow(&mut chain, jp, kr, 10.0);
    flow(&mut chain, kr, jp, 10.0);
    flow(&mut chain, jp, us, 10.0);
    flow(&mut chain, cn_ext, us, 30.0);
    let o = chain.origin(us, &OriginOptions::new()).unwrap();
    assert!(close(o.share_of(Country::CHN).get(), 0.75));
    assert!(close(o.share_of(Country::JPN).get(), 0.25));
    assert!(close(o.untraced.get(), 0.25));
    assert!(o.sources.iter().any(|s| s.kind == OriginKind::ClosedLoop));
    // A walk that enters the circle at JPN never leaves it: its only input
    // is KOR, whose only input is JPN, so it meets KOR with certainty.
    // Passing through KOR is therefore the 25 % that reaches the circle, as
    // is passing through JPN; CHN is the other 75 %.
    let opts = OriginOptions::new();
    let p = chain.pass_through(us, kor, &opts).unwrap();
    assert!(close(p.get(), 0.25), "{p}");
    let all = chain.pass_through_all(us, &opts).unwrap();
    assert!(close(all.share_of(kor).get(), 0.25));
    assert!(close(all.share_of(Country::JPN).get(), 0.25));
    assert!(close(all.share_of(Country::CHN).get(), 0.75));
    assert_eq!(all.share_of(Country::USA).get(), 1.0);
}

#[test]
fn imported_ore_passes_through_an_extraction_node() {
    // MYS/ext mines 30 t and receives 10 t of Australian ore (extraction
    // traded at the same stage); its refinery then gets all 40 t:
    // 30/40 MYS, 10/40 AUS.
    let mut chain = SupplyChain::new();
    let au = node(&mut chain, Country::AUS, Stage::Extraction, Some(100.0));
    let my = node(&mut chain, Country::MYS, Stage::Extraction, Some(30.0));
    let my_ref = node(&mut chain, Country::MYS, Stage::Refining, None);
    flow(&mut chain, au, my, 10.0);
    flow(&mut chain, my, my_ref, 40.0);
    let o = chain.origin(my_ref, &OriginOptions::new()).unwrap();
    assert!(close(o.share_of(Country::MYS).get(), 0.75));
    assert!(close(o.share_of(Country::AUS).get(), 0.25));
}

#[test]
fn origin_refuses_bad_input() {
    let l = loop_chain();
    let mut chain = l.chain.clone();
    chain.remove_node(l.cn_mfg).unwrap();
    assert!(matches!(
        chain.origin(l.cn_mfg, &OriginOptions::new()),
        Err(Error::UnknownNode { .. })
    ));
    assert!(matches!(
        l.chain
            .origin(l.us_mfg, &OriginOptions::new().tolerance(f64::NAN)),
        Err(Error::OutOfDomain { field: "origin tolerance", value, .. }) if value == "NaN"
    ));
    // One sweep cannot settle the loop.
    assert!(matches!(
        l.chain
            .origin(l.us_mfg, &OriginOptions::new().max_sweeps(1)),
        Err(Error::NotConverged { .. })
    ));
}

// ----- bilateral, partners, reliance ---------------------------------------------

/// A US–Malaysia rare-earth chain:
///
/// - MYS/ext → USA/ref 5 t (raw ore, under Malaysia's ban), MYS/ext → MYS/ref 100
/// - AUS/ext → MYS/ref 80, USA/ref → MYS/ref 20 (refined, same stage)
/// - MYS/ref → USA/mfg 300, CHN/ref → USA/mfg 700, USA/ref → USA/mfg 100
///
/// plus an MOU in which Malaysia commits not to restrict exports to the US,
/// a three-party partnership, a US–Japan framework, Malaysia's raw
/// rare-earth ban (from 2024-01), and a Chinese ban aimed at the US only.
struct UsMys {
    chain: SupplyChain,
}

fn us_mys() -> UsMys {
    let mut chain = SupplyChain::new();
    let my_ext = node(&mut chain, Country::MYS, Stage::Extraction, Some(105.0));
    let my_ref = node(&mut chain, Country::MYS, Stage::Refining, Some(300.0));
    let au_ext = node(&mut chain, Country::AUS, Stage::Extraction, Some(80.0));
    let us_ref = node(&mut chain, Country::USA, Stage::Refining, Some(120.0));
    let us_mfg = node(&mut chain, Country::USA, Stage::Manufacturing, None);
    let cn_ref = node(&mut chain, Country::CHN, Stage::Refining, Some(700.0));
    flow(&mut chain, my_ext, us_ref, 5.0);
    flow(&mut chain, my_ext, my_ref, 100.0);
    flow(&mut chain, au_ext, my_ref, 80.0);
    flow(&mut chain, us_ref, my_ref, 20.0);
    flow(&mut chain, my_ref, us_mfg, 300.0);
    flow(&mut chain, cn_ref, us_mfg, 700.0);
    flow(&mut chain, us_ref, us_mfg, 100.0);
    chain
        .add_agreement(
            Agreement::new(
                "us-mys-mou",
                AgreementKind::Mou,
                [Country::USA, Country::MYS],
            )
            .unwrap()
            .provision(Provision::NoExportRestriction {
                by: Country::MYS,
                toward: Country::USA,
            }),
        )
        .unwrap();
    chain
        .add_agreement(
            Agreement::new(
                "three-party",
                AgreementKind::Partnership,
                [Country::USA, Country::MYS, Country::AUS],
            )
            .unwrap(),
        )
        .unwrap();
    chain
        .add_agreement(
            Agreement::new(
                "us-jpn",
                AgreementKind::Framework,
                [Country::USA, Country::JPN],
            )
            .unwrap(),
        )
        .unwrap();
    chain
        .add_restriction(
            ExportRestriction::new("mys-raw-ree-ban", Country::MYS, RestrictionKind::Ban)
                .unwrap()
                .minerals([Mineral::RARE_EARTHS])
                .stages([Stage::Extraction])
                .effective("2024-01".parse().unwrap()),
        )
        .unwrap();
    chain
        .add_restriction(
            ExportRestriction::new("chn-ban", Country::CHN, RestrictionKind::Ban)
                .unwrap()
                .targets(RestrictionTargets::Only([Country::USA].into())),
        )
        .unwrap();
    UsMys { chain }
}

#[test]
fn bilateral_profile_by_hand() {
    let UsMys { chain } = us_mys();
    let opts = BilateralOptions::new().as_of(date(2026, 2, 5));
    let p = chain.bilateral(Country::USA, Country::MYS, &opts).unwrap();
    // USA→MYS: 20 refined. MYS→USA: 5 ore + 300 refined = 305.
    assert_eq!(p.a_to_b.get(), 20.0);
    assert_eq!(p.b_to_a.get(), 305.0);
    assert_eq!(
        p.balance(),
        Balance::NetExporter {
            exporter: Country::MYS,
            surplus: t(285.0)
        }
    );
    let keys: Vec<(Stage, Stage, f64, f64)> = p
        .links
        .iter()
        .map(|l| (l.from_stage, l.to_stage, l.a_to_b.get(), l.b_to_a.get()))
        .collect();
    assert_eq!(
        keys,
        vec![
            (Stage::Extraction, Stage::Refining, 0.0, 5.0),
            (Stage::Refining, Stage::Refining, 20.0, 0.0),
            (Stage::Refining, Stage::Manufacturing, 0.0, 300.0),
        ]
    );
    // Dependence, sorted by importer code (MYS before USA):
    // MYS/ref: 20 from the US of 100 imported (80 AUS) and 200 in all.
    // USA/ref: 5 from MYS, its only input.
    // USA/mfg: 300 from MYS of 1,000 imported; 1,100 with the domestic 100.
    let d: Vec<(Country, Stage, f64, f64)> = p
        .dependence
        .iter()
        .map(|d| {
            (
                d.importer,
                d.stage,
                d.share_of_imports.get(),
                d.share_of_input.get(),
            )
        })
        .collect();
    assert_eq!(d[0], (Country::MYS, Stage::Refining, 0.2, 0.1));
    assert_eq!(d[1], (Country::USA, Stage::Refining, 1.0, 1.0));
    assert_eq!(
        (d[2].0, d[2].1, d[2].2),
        (Country::USA, Stage::Manufacturing, 0.3)
    );
    assert!(close(d[2].3, 300.0 / 1100.0));

    // Both are party to the MOU and the partnership, not the US–Japan one.
    let ids: Vec<&str> = p.agreements.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["three-party", "us-mys-mou"]);
    // Only Malaysia's ban reaches the other side; it covers the 5 t of ore.
    assert_eq!(p.restrictions.len(), 1);
    let r = &p.restrictions[0];
    assert_eq!(
        (r.restriction.id.as_str(), r.toward),
        ("mys-raw-ree-ban", Country::USA)
    );
    assert_eq!(r.status, Some(RestrictionStatus::InForce));
    assert_eq!(r.tonnes_covered.get(), 5.0);
    // The MOU's commitment conflicts with it.
    assert_eq!(p.conflicts.len(), 1);
    let c = &p.conflicts[0];
    assert_eq!(
        (c.agreement.as_str(), c.by, c.toward, c.restriction.as_str()),
        ("us-mys-mou", Country::MYS, Country::USA, "mys-raw-ree-ban")
    );
    let text = p.to_string();
    assert!(text.contains("mys-raw-ree-ban"), "{text}");
    assert!(text.contains("not to restrict exports to USA"), "{text}");

    // Before the ban took effect; and with no date, no status.
    let early = chain
        .bilateral(
            Country::USA,
            Country::MYS,
            &BilateralOptions::new().as_of(date(2023, 6, 1)),
        )
        .unwrap();
    assert_eq!(
        early.restrictions[0].status,
        Some(RestrictionStatus::NotYetEffective)
    );
    let undated = chain
        .bilateral(Country::USA, Country::MYS, &BilateralOptions::new())
        .unwrap();
    assert_eq!(undated.restrictions[0].status, None);
}

#[test]
fn bilateral_mineral_filter_and_errors() {
    let UsMys { chain } = us_mys();
    let co = chain
        .bilateral(
            Country::USA,
            Country::MYS,
            &BilateralOptions::new().mineral(Mineral::COBALT),
        )
        .unwrap();
    assert!(co.links.is_empty() && co.dependence.is_empty() && co.restrictions.is_empty());
    // Both agreements cover all minerals, so they stay.
    assert_eq!(co.agreements.len(), 2);
    assert!(matches!(
        chain.bilateral(Country::USA, Country::USA, &BilateralOptions::new()),
        Err(Error::Inconsistent { kind: "bilateral pair", id, .. }) if id == "USA-USA"
    ));
}

#[test]
fn bilateral_mirrors() {
    let UsMys { chain } = us_mys();
    let opts = BilateralOptions::new().as_of(date(2026, 2, 5));
    let ab = chain.bilateral(Country::USA, Country::MYS, &opts).unwrap();
    let ba = chain.bilateral(Country::MYS, Country::USA, &opts).unwrap();
    assert_mirror(&ab, &ba);
}

pub(crate) fn assert_mirror(
    ab: &critical_minerals::analysis::BilateralProfile,
    ba: &critical_minerals::analysis::BilateralProfile,
) {
    assert_eq!((ab.a, ab.b), (ba.b, ba.a));
    assert_eq!((ab.a_to_b, ab.b_to_a), (ba.b_to_a, ba.a_to_b));
    assert_eq!(ab.links.len(), ba.links.len());
    for (x, y) in ab.links.iter().zip(&ba.links) {
        assert_eq!(
            (&x.mineral, x.from_stage, x.to_stage),
            (&y.mineral, y.from_stage, y.to_stage)
        );
        assert_eq!((x.a_to_b, x.b_to_a), (y.b_to_a, y.a_to_b));
        assert_eq!(x.balance, y.balance);
    }
    assert_eq!(ab.dependence, ba.dependence);
    assert_eq!(ab.agreements, ba.agreements);
    assert_eq!(ab.restrictions, ba.restrictions);
    assert_eq!(ab.conflicts, ba.conflicts);
}

#[test]
fn partners_ranked_by_tonnes() {
    let UsMys { chain } = us_mys();
    // USA: CHN 700 in; MYS 305 in + 20 out = 325. Total 1,025.
    let p = chain.partners(Country::USA, &PartnerOptions::new());
    let rank: Vec<(Country, f64)> = p
        .partners
        .iter()
        .map(|x| (x.country, x.total.get()))
        .collect();
    assert_eq!(rank, vec![(Country::CHN, 700.0), (Country::MYS, 325.0)]);
    assert!(close(p.partners[0].share.get(), 700.0 / 1025.0));
    assert_eq!(p.partners[1].exports_to.get(), 20.0);
    // MYS: USA 325, AUS 80.
    let m = chain.partners(
        Country::MYS,
        &PartnerOptions::new().mineral(Mineral::RARE_EARTHS),
    );
    assert_eq!(m.partners[1].country, Country::AUS);
    assert!(
        chain
            .partners(
                Country::USA,
                &PartnerOptions::new().mineral(Mineral::COBALT)
            )
            .partners
            .is_empty()
    );
}

#[test]
fn import_reliance_by_hand() {
    let UsMys { chain } = us_mys();
    let ree = Mineral::RARE_EARTHS;
    // USA refined: P = 120 (output), E = 20 (to MYS/ref), I = 300 + 700 of
    // foreign refined product into US nodes (the 5 t of ore is extraction
    // product and does not count). AC = 120 + 1,000 − 20 = 1,100;
    // NIR = 980 / 1,100.
    let r = chain.import_reliance(Country::USA, &ree, Stage::Refining);
    assert_eq!(
        (r.production.get(), r.imports.get(), r.exports.get()),
        (120.0, 1000.0, 20.0)
    );
    assert_eq!(r.apparent_consumption.get(), 1100.0);
    let RelianceFigure::NetImports { share } = r.reliance else {
        panic!("{r}")
    };
    assert!(close(share.get(), 980.0 / 1100.0));
    // MYS refined: exports 300, imports 20: a net exporter of 280.
    let m = chain.import_reliance(Country::MYS, &ree, Stage::Refining);
    assert_eq!(
        m.reliance,
        RelianceFigure::NetExporter {
            net_exports: t(280.0)
        }
    );
    // Nothing at all: no consumption.
    let z = ImportReliance::from_figures(t(0.0), t(0.0), t(0.0));
    assert_eq!(z.reliance, RelianceFigure::NoConsumption);
    // Imports equal exports with production: 0 %.
    let e = ImportReliance::from_figures(t(10.0), t(5.0), t(5.0));
    assert_eq!(
        e.reliance,
        RelianceFigure::NetImports {
            share: critical_minerals::Share::ZERO
        }
    );
}

// ----- concentration and GeoPolRisk ----------------------------------------------

#[test]
fn concentration_with_rest_of_world_is_a_lower_bound() {
    // CHN 60, AUS 20, ROW 20 (and a world total that is ignored): shares
    // 0.6 / 0.2 / 0.2; HHI = 3,600 + 400 = 4,000 without ROW; top-1 60 %,
    // top-3 over named producers 80 %.
    let c = concentration([
        (Country::CHN, t(60.0)),
        (Country::AUS, t(20.0)),
        (Country::ROW, t(20.0)),
        (Country::WLD, t(1000.0)),
    ]);
    assert!(close(c.hhi, 4000.0));
    assert!(c.lower_bound);
    assert_eq!(c.producers, 2);
    assert_eq!(c.total.get(), 100.0);
    assert_eq!((c.top1.get(), c.top3.get()), (0.6, 0.8));
    assert_eq!(c.share_of(Country::ROW).get(), 0.2);
    assert_eq!(c.band, Band::HighlyConcentrated);
    assert!(c.to_string().contains("lower bound"));
}

#[test]
fn concentration_bands_and_normalised_hhi() {
    // 0.6 / 0.3 / 0.1: H = 0.46; normalised (0.46 − 1/3) / (2/3) = 0.19.
    let c = concentration([
        (Country::CHN, t(6.0)),
        (Country::AUS, t(3.0)),
        (Country::MYS, t(1.0)),
    ]);
    assert!(close(c.hhi, 4600.0));
    assert!(close(c.hhi_normalised, 0.19));
    assert!(!c.lower_bound);
    // Two equal producers: H = 5,000, normalised 0. Rows for one country add up.
    let even = concentration([
        (Country::CHN, t(3.0)),
        (Country::AUS, t(5.0)),
        (Country::CHN, t(2.0)),
    ]);
    assert!(close(even.hhi, 5000.0) && close(even.hhi_normalised, 0.0));
    // Thresholds, boundaries in the middle band.
    assert_eq!(Guideline::Merger1992.band(999.0), Band::Unconcentrated);
    assert_eq!(
        Guideline::Merger1992.band(1000.0),
        Band::ModeratelyConcentrated
    );
    assert_eq!(
        Guideline::Merger1992.band(1800.0),
        Band::ModeratelyConcentrated
    );
    assert_eq!(Guideline::Merger1992.band(1801.0), Band::HighlyConcentrated);
    assert_eq!(Guideline::Merger2010.band(1499.0), Band::Unconcentrated);
    assert_eq!(
        Guideline::Merger2010.band(2500.0),
        Band::ModeratelyConcentrated
    );
    assert_eq!(Guideline::Merger2010.band(2501.0), Band::HighlyConcentrated);
    assert_eq!(
        Guideline::Merger2023.band(1800.0),
        Band::NotHighlyConcentrated
    );
    assert_eq!(Guideline::Merger2023.band(1800.5), Band::HighlyConcentrated);
    // 40 / 20 / 20 / 20: 1,600 + 3 × 400 = 2,800, highly concentrated under 2010.
    let two = [
        (Country::CHN, t(40.0)),
        (Country::AUS, t(20.0)),
        (Country::MYS, t(20.0)),
        (Country::USA, t(20.0)),
    ];
    let c10 = Concentration::from_outputs(
        two,
        &ConcentrationOptions::new().guideline(Guideline::Merger2010),
    )
    .unwrap();
    assert!(close(c10.hhi, 2800.0));
    assert_eq!(c10.band, Band::HighlyConcentrated);
}

#[test]
fn normalised_hhi_with_a_rest_of_world_row() {
    // Shares are of the total, rest of world included; its row is not a
    // producer. CHN 60 + ROW 40: one named producer, H = 0.6² = 0.36, and
    // with n = 1 the normalised HHI is H itself, not 1.
    let norm = |rows: &[(Country, Tonnes)]| concentration(rows.iter().copied()).hhi_normalised;
    assert!(close(
        norm(&[(Country::CHN, t(60.0)), (Country::ROW, t(40.0))]),
        0.36
    ));
    // CHN 60, AUS 20, ROW 20: H = 0.36 + 0.04 = 0.40 < 1/n = 0.5, so
    // (0.40 − 0.5) / (1 − 0.5) = −0.2 is clamped to 0.
    let three = [
        (Country::CHN, t(60.0)),
        (Country::AUS, t(20.0)),
        (Country::ROW, t(20.0)),
    ];
    assert_eq!(norm(&three), 0.0);
    // CHN 80, AUS 10, ROW 10: H = 0.64 + 0.01 = 0.65; (0.65 − 0.5) / 0.5 = 0.3.
    let skewed = [
        (Country::CHN, t(80.0)),
        (Country::AUS, t(10.0)),
        (Country::ROW, t(10.0)),
    ];
    assert!(close(norm(&skewed), 0.3));
    // Rest of world only: no named producer, 0.
    assert_eq!(norm(&[(Country::ROW, t(5.0))]), 0.0);
}

#[test]
fn concentration_errors() {
    assert!(matches!(
        Concentration::from_outputs([(Country::WLD, t(5.0))], &ConcentrationOptions::new()),
        Err(Error::NoData { .. })
    ));
    let c = concentration([(Country::CHN, t(1.0))]);
    assert_eq!((c.hhi, c.hhi_normalised), (10_000.0, 1.0));
    assert!(matches!(
        c.weighted_hhi(|_| None),
        Err(Error::NoData { .. })
    ));
    assert!(matches!(
        c.weighted_hhi(|_| Some(f64::NAN)),
        Err(Error::InvalidQuantity { .. })
    ));
    let chain = SupplyChain::new();
    assert!(matches!(
        chain.concentration(
            &Mineral::COBALT,
            Stage::Refining,
            &ConcentrationOptions::new()
        ),
        Err(Error::NoData { .. })
    ));
}

#[test]
fn concentration_by_stage_from_a_chain() {
    let UsMys { chain } = us_mys();
    // Extraction: MYS 105, AUS 80 → 185. Refining: CHN 700, MYS 300, USA 120.
    let s = chain.concentration_by_stage(&Mineral::RARE_EARTHS, &ConcentrationOptions::new());
    let stages: Vec<Stage> = s.stages.iter().filter_map(|c| c.stage).collect();
    assert_eq!(stages, [Stage::Extraction, Stage::Refining]);
    let r = &s.stages[1];
    // (700² + 300² + 120²) / 1,120² × 10,000
    let expect = (490_000.0 + 90_000.0 + 14_400.0) / (1120.0 * 1120.0) * 10_000.0;
    assert!(close(r.hhi, expect));
    assert!(s.to_string().contains("refining"));
}

#[test]
fn geopolrisk_from_the_chain_and_missing_governance() {
    let UsMys { chain } = us_mys();
    let ree = Mineral::RARE_EARTHS;
    // Refining output: CHN 700, MYS 300, USA 120 of 1,120:
    // HHI = (490,000 + 90,000 + 14,400) / 1,254,400 = 0.473852...
    // US refined imports: CHN 700 (WGI −0.5, g 0.6), MYS 300 (WGI 0.0,
    // g 0.5); P = 120. Σ g f / (F + P) = (420 + 150) / 1,120 = 570 / 1,120.
    let wgi = |c: Country| match c {
        Country::CHN => Some(-0.5),
        Country::MYS => Some(0.0),
        _ => None,
    };
    let r = chain
        .geopolrisk(
            Country::USA,
            &ree,
            Stage::Refining,
            wgi,
            &GeoPolRiskOptions::new(),
        )
        .unwrap();
    let hhi = 594_400.0 / 1_254_400.0;
    assert!(close(r.hhi_fraction, hhi));
    assert!(close(r.weighted_import_share, 570.0 / 1120.0));
    assert!(close(r.score, hhi * 570.0 / 1120.0));
    assert_eq!(
        (r.total_imports.get(), r.domestic_production.get()),
        (1000.0, 120.0)
    );
    assert_eq!(r.imports[0].exporter, Country::CHN);

    // No WGI for Malaysia: an error by default, a lower bound on request.
    let only_cn = |c: Country| (c == Country::CHN).then_some(-0.5);
    let err = chain.geopolrisk(
        Country::USA,
        &ree,
        Stage::Refining,
        only_cn,
        &GeoPolRiskOptions::new(),
    );
    assert!(matches!(err, Err(Error::NoData { what }) if what.contains("MYS")));
    let ex = chain
        .geopolrisk(
            Country::USA,
            &ree,
            Stage::Refining,
            only_cn,
            &GeoPolRiskOptions::new().missing_governance(MissingGovernance::Exclude),
        )
        .unwrap();
    assert_eq!(ex.excluded, [Country::MYS]);
    assert!(close(ex.weighted_import_share, 420.0 / 1120.0));

    // An importer with neither imports nor production.
    let c = concentration([(Country::CHN, t(1.0))]);
    assert!(matches!(
        GeoPolRisk::from_parts(Country::USA, &c, t(0.0), [], wgi, &GeoPolRiskOptions::new()),
        Err(Error::NoData { .. })
    ));
}

#[test]
fn geopolrisk_refuses_a_wgi_off_the_estimate_scale() {
    // One producer: HHI fraction 1. The US imports 10 t from COD, P = 0, so
    // the score is g = (2.5 − WGI) / 5.
    let one = concentration([(Country::CHN, t(1.0))]);
    let risk = |w: f64| {
        GeoPolRisk::from_parts(
            Country::USA,
            &one,
            t(0.0),
            [(Country::COD, t(10.0))],
            move |_| Some(w),
            &GeoPolRiskOptions::new(),
        )
    };
    // −2.8 (below −2.5, as in the built-in data): g = 5.3 / 5 = 1.06, kept.
    let low = risk(-2.8).unwrap();
    assert!(close(low.hhi_fraction, 1.0));
    assert!(close(low.weighted_import_share, 1.06) && close(low.score, 1.06));
    // The ends of the accepted range: 5 → g = −0.5, −5 → g = 1.5.
    assert!(close(risk(5.0).unwrap().score, -0.5));
    assert!(close(risk(-5.0).unwrap().score, 1.5));
    // A percentile rank (0–100) or anything else off the ±5 scale is refused,
    // naming the exporter and the value.
    for w in [50.0, 1e308, 5.01, -5.01, f64::NAN, f64::INFINITY] {
        match risk(w) {
            Err(Error::OutOfDomain {
                field: "WGI estimate",
                value,
                expected,
            }) => {
                assert_eq!(value, w.to_string());
                assert!(expected.contains("COD"), "{expected}");
            }
            other => panic!("WGI {w}: {other:?}"),
        }
    }
}

#[test]
fn results_print_and_serialise() {
    // Every result prints a table and serialises; spot-check one field each.
    let UsMys { chain } = us_mys();
    let ree = Mineral::RARE_EARTHS;
    let opts = BilateralOptions::new().as_of(date(2026, 2, 5));
    let p = chain.bilateral(Country::USA, Country::MYS, &opts).unwrap();
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["b_to_a"], 305.0);
    assert_eq!(json["conflicts"][0]["restriction"], "mys-raw-ree-ban");
    let partners = chain.partners(Country::USA, &PartnerOptions::new());
    assert!(partners.to_string().contains("CHN"));
    let r = chain.import_reliance(Country::MYS, &ree, Stage::Refining);
    assert!(r.to_string().contains("net exporter"), "{r}");
    assert_eq!(
        serde_json::to_value(&r).unwrap()["reliance"]["kind"],
        "net_exporter"
    );
    let l = loop_chain();
    let o = l.chain.origin(l.us_mfg, &OriginOptions::new()).unwrap();
    assert!(o.to_string().contains("AUS"));
    assert_eq!(
        serde_json::to_value(&o).unwrap()["target"]["country"],
        "USA"
    );
    let pt = l
        .chain
        .pass_through_all(l.us_mfg, &OriginOptions::new())
        .unwrap();
    assert!(pt.to_string().contains("66.7%"), "{pt}");
    let c = concentration([(Country::CHN, t(3.0))]);
    assert!(c.to_string().contains("10,000"), "{c}");
    let wgi = |_| Some(0.0);
    let g = chain
        .geopolrisk(
            Country::USA,
            &ree,
            Stage::Refining,
            wgi,
            &GeoPolRiskOptions::new(),
        )
        .unwrap();
    assert!(g.to_string().contains("weighted import share"), "{g}");
}
