//! Policy simulations: hand-worked values for each propagation model, the
//! partner exemption, validation, and properties over generated chains.

use critical_minerals::network::{LinkCapacity, Target};
use critical_minerals::simulation::{
    Measure, Propagation, Scenario, Shock, SimulationOptions, Simulator,
};
use critical_minerals::{
    Agreement, AgreementKind, Country, Coverage, Error, ExportRestriction, Mineral, Node, NodeKey,
    Provision, RestrictionKind, RestrictionTargets, Share, Stage, SupplyChain, Termination,
};

use crate::support::{flow, node, t};

fn key(c: Country, s: Stage) -> NodeKey {
    NodeKey::new(c, Mineral::RARE_EARTHS, s)
}

/// AUS mine (output 100) → CHN refinery 80 t, → MYS refinery 20 t (MYS
/// capacity 50); CHN → USA magnets 60 t, → JPN magnets 20 t; MYS → USA
/// 20 t. Target: USA manufacturing, baseline B = 60 + 20 = 80 t.
fn five_nodes() -> SupplyChain {
    let mut c = SupplyChain::new();
    let aus = node(&mut c, Country::AUS, Stage::Extraction, Some(100.0));
    let chn = node(&mut c, Country::CHN, Stage::Refining, None);
    let mys = c
        .add_node(Node::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Refining).capacity(t(50.0)))
        .unwrap();
    let usa = node(&mut c, Country::USA, Stage::Manufacturing, None);
    let jpn = node(&mut c, Country::JPN, Stage::Manufacturing, None);
    flow(&mut c, aus, chn, 80.0);
    flow(&mut c, aus, mys, 20.0);
    flow(&mut c, chn, usa, 60.0);
    flow(&mut c, chn, jpn, 20.0);
    flow(&mut c, mys, usa, 20.0);
    c
}

fn usa_magnets() -> Target {
    Target::country_stage(Country::USA, Stage::Manufacturing)
}

fn shortfall(sim: &Simulator<'_>, s: &Scenario, p: Propagation) -> f64 {
    sim.run(s, p).unwrap().shortfall.get()
}

#[test]
fn each_model_on_five_nodes_by_hand() {
    let chain = five_nodes();
    let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
    assert_eq!(sim.baseline().get(), 80.0);

    // Half the mine's capacity is lost.
    // Exposure: USA's direct suppliers (CHN, MYS) are untouched: 0 lost.
    // Cascade: the mine keeps 1/2, so CHN and MYS keep 1/2 of their
    // input and USA gets (60 + 20) / 2 = 40: 40 lost.
    // Reroute: the mine can supply 50; links carry up to the exporter's
    // capacity, so all 50 reach USA (via CHN, 80 t of room): 30 lost.
    let half_mine = Scenario::new("half-mine").shock(Shock::CutCapacity {
        node: key(Country::AUS, Stage::Extraction),
        fraction: Share::new(0.5).unwrap(),
    });
    assert_eq!(shortfall(&sim, &half_mine, Propagation::Exposure), 0.0);
    assert_eq!(shortfall(&sim, &half_mine, Propagation::Cascade), 40.0);
    assert_eq!(shortfall(&sim, &half_mine, Propagation::Reroute), 30.0);

    // China's refinery fails.
    // Exposure and cascade: USA keeps MYS's 20 t: 60 lost.
    // Reroute: MYS can pass 50 (its capacity), the mine has 100: USA gets
    // 50, 30 lost.
    let no_chn = Scenario::new("no-chn").shock(Shock::RemoveNode {
        node: key(Country::CHN, Stage::Refining),
    });
    assert_eq!(shortfall(&sim, &no_chn, Propagation::Exposure), 60.0);
    assert_eq!(shortfall(&sim, &no_chn, Propagation::Cascade), 60.0);
    assert_eq!(shortfall(&sim, &no_chn, Propagation::Reroute), 30.0);
    // The removal batch (one solved baseline) gives the same value.
    let batch = sim
        .shortfalls(&[no_chn.clone(), half_mine], Propagation::Reroute)
        .unwrap();
    assert_eq!(batch[0].get(), 30.0);
    assert_eq!(batch[1].get(), 30.0);

    // With links held to their observed tonnes, nothing reroutes: MYS →
    // USA carries 20 t at most, 60 lost.
    let observed = SimulationOptions::new().links(LinkCapacity::Observed);
    let sim = Simulator::new(&chain, &usa_magnets(), &observed).unwrap();
    assert_eq!(shortfall(&sim, &no_chn, Propagation::Reroute), 60.0);

    // A quota of 30 t on China's refined exports to the US (observed 60 t):
    // exposure and cascade scale the covered flow to 30 t: 30 lost.
    let quota = Scenario::new("quota").shock(Shock::ExportRestriction {
        imposer: Country::CHN,
        minerals: Coverage::All,
        stages: Coverage::only([Stage::Refining]),
        toward: RestrictionTargets::Only([Country::USA].into()),
        measure: Measure::Quota { tonnes: t(30.0) },
    });
    for p in Propagation::ALL {
        assert_eq!(shortfall(&sim, &quota, p), 30.0, "{p}");
    }
}

/// Two suppliers of magnets: CHN and AUS each send 50 t to both USA and
/// JPN manufacturing (target: the USA and JPN nodes, B = 200 t). CHN bans its
/// exports toward everyone (a chain restriction in force), and has
/// committed to JPN not to restrict exports (an agreement signed before).
///
/// On paper: without the exemption both CHN flows stop: 100 t lost, a
/// shortfall of 100 / 200 = 50 %. With it, CHN → JPN (50 t) is exempt: only
/// CHN → USA stops, 50 t lost, 25 %: the exemption halves the shortfall.
/// Discontinuing the agreement before the day removes the exemption: back
/// to 100 t.
#[test]
fn partner_exemption_halves_the_shortfall() {
    let mut c = SupplyChain::new();
    let chn = node(&mut c, Country::CHN, Stage::Manufacturing, Some(100.0));
    let aus = node(&mut c, Country::AUS, Stage::Manufacturing, Some(100.0));
    let usa = node(&mut c, Country::USA, Stage::Manufacturing, None);
    let jpn = node(&mut c, Country::JPN, Stage::Manufacturing, None);
    for (a, b) in [(chn, usa), (chn, jpn), (aus, usa), (aus, jpn)] {
        flow(&mut c, a, b, 50.0);
    }
    c.add_restriction(
        ExportRestriction::new("chn-ban", Country::CHN, RestrictionKind::Ban)
            .unwrap()
            .effective("2025-01".parse().unwrap()),
    )
    .unwrap();
    c.add_agreement(
        Agreement::new(
            "chn-jpn",
            AgreementKind::TradeAgreement,
            [Country::CHN, Country::JPN],
        )
        .unwrap()
        .signed("2024-06-01".parse().unwrap())
        .termination(Termination::WrittenNotice)
        .provision(Provision::NoExportRestriction {
            by: Country::CHN,
            toward: Country::JPN,
        }),
    )
    .unwrap();
    let target = Target::Nodes(vec![usa, jpn]);
    let sim = Simulator::new(&c, &target, &SimulationOptions::new()).unwrap();
    assert_eq!(sim.baseline().get(), 200.0);
    let day = jiff::civil::date(2025, 6, 1);
    let apply = |honour| Shock::ApplyRestrictions {
        on: day,
        honour_agreements: honour,
        licence_let_through: Share::new(0.5).unwrap(),
    };
    let strict = Scenario::new("ban").shock(apply(false));
    let exempt = Scenario::new("ban-exempt").shock(apply(true));
    let ended = Scenario::new("ban-ended")
        .shock(Shock::DiscontinueAgreement {
            agreement: "chn-jpn".into(),
            on: jiff::civil::date(2025, 3, 1),
        })
        .shock(apply(true));
    for p in [Propagation::Exposure, Propagation::Cascade] {
        assert_eq!(shortfall(&sim, &strict, p), 100.0);
        assert_eq!(shortfall(&sim, &exempt, p), 50.0);
        assert_eq!(shortfall(&sim, &ended, p), 100.0);
    }
    // Reroute with links up to the exporter: under the full ban AUS (100 t,
    // no spare) already ships everything: 100 t lost. With the exemption,
    // the CHN → JPN link can carry up to CHN's 100 t, so the 50 t no
    // longer allowed to the US go to Japan: the target as a whole loses
    // nothing.
    assert_eq!(shortfall(&sim, &strict, Propagation::Reroute), 100.0);
    assert_eq!(shortfall(&sim, &exempt, Propagation::Reroute), 0.0);
    // A suspended or not-yet-effective restriction does nothing.
    let early = Scenario::new("early").shock(Shock::ApplyRestrictions {
        on: jiff::civil::date(2024, 1, 1),
        honour_agreements: true,
        licence_let_through: Share::new(0.5).unwrap(),
    });
    assert_eq!(shortfall(&sim, &early, Propagation::Cascade), 0.0);
}

#[test]
fn unknown_values_name_the_shock() {
    let chain = five_nodes();
    let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
    let s = Scenario::new("bad")
        .shock(Shock::RemoveCountry {
            country: Country::AUS,
        })
        .shock(Shock::RemoveNode {
            node: key(Country::IDN, Stage::Refining),
        });
    let e = sim.run(&s, Propagation::Cascade).unwrap_err();
    assert_eq!(
        e.to_string(),
        "scenario \"bad\", shock 1 (remove_node): node IDN/rare-earths/refining is not in the chain"
    );
    let s = Scenario::new("bad").shock(Shock::DiscontinueAgreement {
        agreement: "nope".into(),
        on: jiff::civil::date(2025, 1, 1),
    });
    match sim.run(&s, Propagation::Cascade).unwrap_err() {
        Error::Invalid { source, .. } => {
            assert!(matches!(
                *source,
                Error::NotInChain {
                    what: "agreement",
                    ..
                }
            ))
        }
        other => panic!("unexpected {other}"),
    }
    // A link between stages that cannot trade.
    let s = Scenario::new("bad").shock(Shock::AddLink {
        from: key(Country::USA, Stage::Manufacturing),
        to: key(Country::CHN, Stage::Refining),
        tonnes: t(1.0),
        under: None,
    });
    assert!(sim.run(&s, Propagation::Reroute).is_err());
}

#[test]
fn new_capacity_under_an_agreement_and_its_discontinuation() {
    let chain = {
        let mut c = five_nodes();
        c.add_agreement(
            Agreement::new("us-mys", AgreementKind::Mou, [Country::USA, Country::MYS])
                .unwrap()
                .provision(Provision::InvestmentPriority {
                    investor: Country::USA,
                }),
        )
        .unwrap();
        c
    };
    let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
    let mou = chain.agreement("us-mys").unwrap();
    let no_chn = Shock::RemoveNode {
        node: key(Country::CHN, Stage::Refining),
    };
    // 30 t more refining in Malaysia: MYS can pass 80, and the mine has
    // 100, so with CHN gone reroute delivers all 80 t: no shortfall.
    let invest = Shock::investment(mou, key(Country::MYS, Stage::Refining), t(30.0)).unwrap();
    let s = Scenario::new("invest")
        .shock(no_chn.clone())
        .shock(invest.clone());
    assert_eq!(shortfall(&sim, &s, Propagation::Reroute), 0.0);
    // Discontinued, the investment does not come: 30 t lost as without it.
    let s = s.shock(Shock::DiscontinueAgreement {
        agreement: "us-mys".into(),
        on: jiff::civil::date(2026, 1, 1),
    });
    assert_eq!(shortfall(&sim, &s, Propagation::Reroute), 30.0);

    // An offtake contracted under the agreement: 30 t a year straight from
    // the AUS mine to US magnet makers. With CHN refining gone, MYS passes
    // its 50 t capacity and the new link the other 30 of the mine's 100:
    // all 80 t arrive. Discontinued, the link lapses: 30 t lost again.
    let offtake = Shock::AddLink {
        from: key(Country::AUS, Stage::Extraction),
        to: key(Country::USA, Stage::Manufacturing),
        tonnes: t(30.0),
        under: Some("us-mys".into()),
    };
    let s = Scenario::new("offtake").shock(no_chn).shock(offtake);
    assert_eq!(shortfall(&sim, &s, Propagation::Reroute), 0.0);
    let s = s.shock(Shock::DiscontinueAgreement {
        agreement: "us-mys".into(),
        on: jiff::civil::date(2026, 1, 1),
    });
    assert_eq!(shortfall(&sim, &s, Propagation::Reroute), 30.0);
    // An offtake under an agreement the chain does not have is refused.
    let bad = Scenario::new("bad").shock(Shock::AddLink {
        from: key(Country::AUS, Stage::Extraction),
        to: key(Country::USA, Stage::Manufacturing),
        tonnes: t(30.0),
        under: Some("no-such-mou".into()),
    });
    let err = bad.validate(&chain).unwrap_err().to_string();
    assert!(
        err.contains("no-such-mou") && err.contains("add_link"),
        "{err}"
    );
}

#[test]
fn recycling_returns_scrap_into_refining() {
    // USA magnets keep all 80 t; 25 % comes back as scrap (20 t) through
    // USA recycling into ... no USA refinery, so into manufacturing itself.
    let chain = five_nodes();
    let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
    let s = Scenario::new("recycle")
        .shock(Shock::RemoveNode {
            node: key(Country::CHN, Stage::Refining),
        })
        .shock(Shock::RaiseRecycling {
            country: Country::USA,
            mineral: None,
            share: Share::new(0.25).unwrap(),
        });
    // Cascade: USA's supply is 20 (MYS) + scrap return r, with r = 0.25 × 80
    // × s_USA, S_USA = 80 + 20 = 100 now, s_USA = (20 + 20 s_USA) / 100 →
    // s_USA = 0.25, after = 25 t: 55 lost.
    let out = sim.run(&s, Propagation::Cascade).unwrap();
    assert!((out.shortfall.get() - 55.0).abs() < 1e-6, "{out}");
}

mod properties {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use critical_minerals::Flow;
    use critical_minerals::simulation::{FailureModel, MonteCarlo, Severity};

    const COUNTRIES: [Country; 5] = [
        Country::AUS,
        Country::CHN,
        Country::MYS,
        Country::USA,
        Country::JPN,
    ];
    const STAGES: [Stage; 5] = [
        Stage::Extraction,
        Stage::Processing,
        Stage::Refining,
        Stage::Manufacturing,
        Stage::Recycling,
    ];

    /// A chain over 5 countries × 5 stages from generated flows (valid
    /// transitions only), some nodes with an output or a capacity, and
    /// always a USA manufacturing node.
    fn chain_from(flows: &[(usize, usize, u32)], figures: &[(usize, u32, bool)]) -> SupplyChain {
        let mut c = SupplyChain::new();
        c.ensure_node(key(Country::USA, Stage::Manufacturing));
        let k = |i: usize| key(COUNTRIES[i % 5], STAGES[(i / 5) % 5]);
        for &(a, b, t) in flows {
            let (ka, kb) = (k(a), k(b));
            if !ka.stage.can_flow_to(kb.stage, ka.country != kb.country) {
                continue;
            }
            let from = c.ensure_node(ka);
            let to = c.ensure_node(kb);
            let _ = c.add_flow(from, to, Flow::new(super::t(f64::from(t))));
        }
        for &(i, x, is_capacity) in figures {
            if let Some(id) = c.node_id(&k(i)) {
                let x = Some(super::t(f64::from(x)));
                if is_capacity {
                    c.set_capacity(id, x).unwrap();
                } else {
                    c.set_output(id, x).unwrap();
                }
            }
        }
        c
    }

    fn shocks() -> impl Strategy<Value = Vec<Shock>> {
        let node = (0usize..25).prop_map(|i| key(COUNTRIES[i % 5], STAGES[i / 5]));
        let shock = prop_oneof![
            (0usize..5).prop_map(|i| Shock::RemoveCountry {
                country: COUNTRIES[i]
            }),
            node.clone().prop_map(|node| Shock::RemoveNode { node }),
            (node.clone(), 0.0f64..=1.0).prop_map(|(node, f)| Shock::CutCapacity {
                node,
                fraction: Share::new(f).unwrap(),
            }),
            (0usize..5, 0usize..5, 0u32..3, 0.0f64..=1.0, 0u32..200).prop_map(
                |(imp, st, m, f, q)| Shock::ExportRestriction {
                    imposer: COUNTRIES[imp],
                    minerals: Coverage::All,
                    stages: Coverage::only([STAGES[st]]),
                    toward: RestrictionTargets::All,
                    measure: match m {
                        0 => Measure::Ban,
                        1 => Measure::Licence {
                            let_through: Share::new(f).unwrap()
                        },
                        _ => Measure::Quota {
                            tonnes: super::t(f64::from(q))
                        },
                    },
                }
            ),
        ];
        prop::collection::vec(shock, 0..4)
    }

    /// Keeps only shocks the chain can validate (nodes and countries it
    /// holds).
    fn valid(chain: &SupplyChain, shocks: Vec<Shock>) -> Scenario {
        let mut s = Scenario::new("generated");
        for sh in shocks {
            let trial = s.clone().shock(sh.clone());
            if trial.validate(chain).is_ok() {
                s = trial;
            }
        }
        s
    }

    /// Generated flows `(from slot, to slot, tonnes)` and node figures
    /// `(slot, tonnes, is capacity)`.
    type Graph = (Vec<(usize, usize, u32)>, Vec<(usize, u32, bool)>);

    fn graph() -> impl Strategy<Value = Graph> {
        (
            prop::collection::vec((0usize..25, 0usize..25, 0u32..500), 1..40),
            prop::collection::vec((0usize..25, 0u32..800, any::<bool>()), 0..8),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn shortfalls_bracket((flows, figures) in graph(), shocks in shocks(), extra in 0u32..300, at in 0usize..25) {
            let chain = chain_from(&flows, &figures);
            let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
            let s = valid(&chain, shocks);
            let b = sim.baseline().get();
            let eps = 1e-6 * b.max(1.0);
            // The bracket needs every observed tonne to have an origin: a
            // loop whose flows come from nowhere (trade circulating at one
            // stage with no producer) is in the baseline but has no source
            // in the reroute network.
            let base = sim.run(&Scenario::new("baseline"), Propagation::Reroute).unwrap();
            prop_assume!(base.shortfall.get() <= eps);
            let mut fall = BTreeMap::new();
            for p in Propagation::ALL {
                let out = sim.run(&s, p).unwrap();
                let share = out.shortfall_share.get();
                prop_assert!((0.0..=1.0).contains(&share));
                prop_assert!(out.shortfall.get() <= b + eps);
                fall.insert(p, out.shortfall.get());
            }
            // The cascaded flow is feasible in the shocked network.
            prop_assert!(fall[&Propagation::Reroute] <= fall[&Propagation::Cascade] + eps,
                "reroute {} > cascade {}", fall[&Propagation::Reroute], fall[&Propagation::Cascade]);
            // Capacity added at an existing node never raises a shortfall.
            let node = key(COUNTRIES[at % 5], STAGES[at / 5]);
            if chain.node_id(&node).is_some() {
                let more = s.clone().shock(Shock::AddCapacity { node, tonnes: super::t(f64::from(extra)), under: None });
                for p in Propagation::ALL {
                    let after = sim.run(&more, p).unwrap().shortfall.get();
                    prop_assert!(after <= fall[&p] + eps, "{p}: {after} > {}", fall[&p]);
                }
            }
            // Exactly through JSON.
            prop_assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        }
    }

    fn monte_carlo_chain() -> SupplyChain {
        let flows: Vec<(usize, usize, u32)> = (0..60)
            .map(|i: usize| ((i * 7) % 25, (i * 11 + 3) % 25, (i as u32 * 37) % 400 + 1))
            .collect();
        chain_from(&flows, &[(0, 500, true), (16, 300, false)])
    }

    fn mc(p: Propagation) -> MonteCarlo {
        MonteCarlo::new(FailureModel::Nodes {
            probability: Share::new(0.2).unwrap(),
        })
        .runs(400)
        .seed(42)
        .propagation(p)
        .severity(Severity::Uniform {
            low: Share::new(0.5).unwrap(),
            high: Share::new(1.0).unwrap(),
        })
    }

    #[test]
    fn monte_carlo_is_the_same_at_one_and_two_threads() {
        let chain = monte_carlo_chain();
        let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
        for p in Propagation::ALL {
            let run = |threads| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap()
                    .install(|| sim.monte_carlo(&mc(p)).unwrap())
            };
            assert_eq!(run(1), run(2), "{p}");
        }
    }

    #[test]
    fn four_shards_merge_into_one_run() {
        let chain = monte_carlo_chain();
        let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
        for p in Propagation::ALL {
            let mc = mc(p);
            let one = sim.monte_carlo(&mc).unwrap();
            // Shards merged out of order.
            let shard = |a, b| sim.monte_carlo_runs(&mc, a..b).unwrap();
            let mut merged = shard(300, 400);
            merged.merge(shard(0, 100)).unwrap();
            merged.merge(shard(200, 300)).unwrap();
            merged.merge(shard(100, 200)).unwrap();
            assert_eq!(merged, one);
            assert_eq!(merged.statistics(), one.statistics());
            // A shard cannot be merged twice.
            assert!(merged.merge(shard(0, 1)).is_err());
            // Contributions add up to the mean.
            let st = one.statistics();
            let sum: f64 = st.contributions.iter().map(|c| c.1.get()).sum();
            assert!((sum - st.mean.get()).abs() <= 1e-9 * st.mean.get().max(1.0));
            assert!(st.p5.get() <= st.p50.get() && st.p50.get() <= st.p95.get());
        }
    }

    #[test]
    fn removal_only_reroute_matches_the_general_path() {
        let chain = monte_carlo_chain();
        let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
        let scenarios: Vec<Scenario> = chain
            .nodes()
            .map(|(_, n)| {
                Scenario::new(n.key.to_string()).shock(Shock::RemoveNode {
                    node: n.key.clone(),
                })
            })
            .collect();
        let batch = sim.shortfalls(&scenarios, Propagation::Reroute).unwrap();
        for (s, b) in scenarios.iter().zip(batch) {
            assert_eq!(
                sim.run(s, Propagation::Reroute).unwrap().shortfall,
                b,
                "{}",
                s.name
            );
        }
    }

    #[test]
    fn batched_cascade_matches_one_run_each() {
        // Removals and capacity cuts are batched (Cascade::BATCH to a
        // solve); a ban changes edge factors, so its batch runs one by
        // one; new capacity adds a node and recompiles.
        let chain = monte_carlo_chain();
        let sim = Simulator::new(&chain, &usa_magnets(), &SimulationOptions::new()).unwrap();
        let mut scenarios: Vec<Scenario> = Vec::new();
        for (_, n) in chain.nodes() {
            scenarios.push(Scenario::new("out").shock(Shock::RemoveNode {
                node: n.key.clone(),
            }));
            scenarios.push(Scenario::new("half").shock(Shock::CutCapacity {
                node: n.key.clone(),
                fraction: Share::new(0.5).unwrap(),
            }));
        }
        scenarios.insert(
            3,
            Scenario::new("ban").shock(Shock::ExportRestriction {
                imposer: Country::CHN,
                minerals: Coverage::All,
                stages: Coverage::All,
                toward: RestrictionTargets::All,
                measure: Measure::Ban,
            }),
        );
        scenarios.insert(
            6,
            Scenario::new("new").shock(Shock::AddCapacity {
                node: key(Country::USA, Stage::Refining),
                tonnes: t(10.0),
                under: None,
            }),
        );
        let batch = sim.shortfalls(&scenarios, Propagation::Cascade).unwrap();
        for (s, b) in scenarios.iter().zip(batch) {
            assert_eq!(
                sim.run(s, Propagation::Cascade).unwrap().shortfall,
                b,
                "{}",
                s.name
            );
        }
    }

    /// Every run fails exactly the countries in `failing` (probability 1,
    /// removal), others never.
    fn certain(failing: &[Country]) -> MonteCarlo {
        let probabilities = failing
            .iter()
            .map(|c| (*c, Share::new(1.0).unwrap()))
            .collect();
        MonteCarlo::new(FailureModel::PerCountry {
            probabilities,
            otherwise: Share::new(0.0).unwrap(),
        })
        .runs(3)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Shapley contributions on any chain: each run's parts and its
        /// unattributed rest add up to its shortfall; a country with no node
        /// that reaches the target gets no part; the runs' parts are the
        /// mean's.
        #[test]
        fn contributions_add_up_and_spare_countries_off_the_paths(
            flows in prop::collection::vec((0usize..25, 0usize..25, 1u32..400), 1..40),
            figures in prop::collection::vec((0usize..25, 1u32..600, any::<bool>()), 0..6),
            seed in any::<u64>(),
            p in 0usize..3,
        ) {
            let mut chain = chain_from(&flows, &figures);
            // JPN recycling, off every path to the target: it never counts.
            let off = chain.ensure_node(key(Country::JPN, Stage::Recycling));
            let _ = off;
            let target = Target::country_stage(Country::USA, Stage::Manufacturing);
            let sim = Simulator::new(&chain, &target, &SimulationOptions::new()).unwrap();
            let mc = MonteCarlo::new(FailureModel::Countries { probability: Share::new(0.5).unwrap() })
                .runs(40)
                .seed(seed)
                .propagation(Propagation::ALL[p]);
            let summary = sim.monte_carlo(&mc).unwrap();
            let base = sim.baseline().get().max(1.0);
            let reach: std::collections::BTreeSet<Country> = {
                // Countries with a node from which USA manufacturing is reachable.
                let mut up = std::collections::BTreeSet::new();
                let usa = chain.node_id(&key(Country::USA, Stage::Manufacturing)).unwrap();
                let mut stack = vec![usa];
                let mut seen = std::collections::BTreeSet::from([usa]);
                while let Some(v) = stack.pop() {
                    up.insert(chain.node(v).unwrap().key.country);
                    for f in chain.flows_in(v) {
                        if seen.insert(f.from) {
                            stack.push(f.from);
                        }
                    }
                }
                up
            };
            for r in summary.runs.values() {
                let parts: f64 = r.contributions.values().map(|x| x.get()).sum();
                prop_assert!((parts + r.unattributed.get() - r.shortfall.get()).abs() <= 1e-7 * base,
                    "{parts} + {} != {}", r.unattributed.get(), r.shortfall.get());
                for c in r.contributions.keys() {
                    prop_assert!(reach.contains(c), "{c} has no path to the target");
                }
            }
            let st = summary.statistics();
            let sum: f64 = st.contributions.iter().map(|c| c.1.get()).sum::<f64>() + st.unattributed.get();
            prop_assert!((sum - st.mean.get()).abs() <= 1e-7 * base);
        }
    }

    /// Two countries in the same place (AUS and MYS mines each shipping
    /// 40 t to the CHN refinery, which ships 80 t to the US) get equal parts
    /// under every model, whatever else fails.
    #[test]
    fn symmetric_countries_get_equal_parts() {
        let mut c = SupplyChain::new();
        let aus = node(&mut c, Country::AUS, Stage::Extraction, Some(40.0));
        let mys = node(&mut c, Country::MYS, Stage::Extraction, Some(40.0));
        let chn = node(&mut c, Country::CHN, Stage::Refining, None);
        let usa = node(&mut c, Country::USA, Stage::Manufacturing, None);
        flow(&mut c, aus, chn, 40.0);
        flow(&mut c, mys, chn, 40.0);
        flow(&mut c, chn, usa, 80.0);
        let target = Target::country_stage(Country::USA, Stage::Manufacturing);
        let sim = Simulator::new(&c, &target, &SimulationOptions::new()).unwrap();
        for p in Propagation::ALL {
            for failing in [
                vec![Country::AUS, Country::MYS],
                vec![Country::AUS, Country::MYS, Country::CHN],
            ] {
                let st = sim
                    .monte_carlo(&certain(&failing).propagation(p))
                    .unwrap()
                    .statistics();
                let part = |k: Country| {
                    st.contributions
                        .iter()
                        .find(|x| x.0 == k)
                        .map_or(0.0, |x| x.1.get())
                };
                assert_eq!(part(Country::AUS), part(Country::MYS), "{p} {failing:?}");
            }
        }
    }

    /// The three-country chain worked by hand: AUS mine (100 t) → CHN
    /// refinery → USA plant (100 t), and a MYS refinery shipping 50 t of its
    /// own to the USA plant; baseline 150 t. AUS, CHN and MYS all fail
    /// (removal) in every run, so every run loses all 150 t.
    ///
    /// - Exposure (no propagation): the plant keeps 100·k_CHN + 50·k_MYS.
    ///   The AUS mine is not a direct supplier: v(S) = 100·[CHN ∈ S] +
    ///   50·[MYS ∈ S], additive, so CHN 100, MYS 50, AUS 0.
    /// - Cascade: the refinery loses whatever the mine loses, so the CHN
    ///   route is lost if AUS or CHN fails: v = 100·[AUS ∈ S or CHN ∈ S] +
    ///   50·[MYS ∈ S]. The first part is a two-player game worth 100 to
    ///   either and to both: Shapley splits it 50/50. AUS 50, CHN 50, MYS 50.
    /// - Reroute (links up to the exporter): no other route exists, so the
    ///   same game as cascade: AUS 50, CHN 50, MYS 50.
    ///
    /// Under the old proportional split (severity × supply lost), AUS (100 t
    /// of supply) and CHN (100 t) and MYS (50 t) would have had 60/60/30.
    #[test]
    fn three_countries_by_hand_under_each_model() {
        let mut c = SupplyChain::new();
        let aus = node(&mut c, Country::AUS, Stage::Extraction, Some(100.0));
        let chn = node(&mut c, Country::CHN, Stage::Refining, None);
        let mys = node(&mut c, Country::MYS, Stage::Refining, Some(50.0));
        let usa = node(&mut c, Country::USA, Stage::Manufacturing, None);
        flow(&mut c, aus, chn, 100.0);
        flow(&mut c, chn, usa, 100.0);
        flow(&mut c, mys, usa, 50.0);
        let target = Target::country_stage(Country::USA, Stage::Manufacturing);
        let sim = Simulator::new(&c, &target, &SimulationOptions::new()).unwrap();
        assert_eq!(sim.baseline().get(), 150.0);
        let failing = [Country::AUS, Country::CHN, Country::MYS];
        for (p, want) in [
            (
                Propagation::Exposure,
                [(Country::CHN, 100.0), (Country::MYS, 50.0)].as_slice(),
            ),
            (
                Propagation::Cascade,
                &[
                    (Country::AUS, 50.0),
                    (Country::CHN, 50.0),
                    (Country::MYS, 50.0),
                ],
            ),
            (
                Propagation::Reroute,
                &[
                    (Country::AUS, 50.0),
                    (Country::CHN, 50.0),
                    (Country::MYS, 50.0),
                ],
            ),
        ] {
            let summary = sim.monte_carlo(&certain(&failing).propagation(p)).unwrap();
            let st = summary.statistics();
            assert_eq!(st.mean.get(), 150.0, "{p}");
            let mut got: Vec<(Country, f64)> = st
                .contributions
                .iter()
                .map(|(c, x)| (*c, x.get()))
                .collect();
            got.sort_by_key(|a| a.0);
            for ((gc, gx), (wc, wx)) in got.iter().zip(want) {
                assert_eq!(gc, wc, "{p}");
                assert!((gx - wx).abs() < 1e-9, "{p}: {gc} {gx} != {wx}");
            }
            assert_eq!(got.len(), want.len(), "{p}: {got:?}");
            assert_eq!(
                st.contribution_method,
                critical_minerals::simulation::SHAPLEY_METHOD
            );
            // Asked for none: shortfalls only.
            let bare = sim
                .monte_carlo(&certain(&failing).propagation(p).contributions(false))
                .unwrap()
                .statistics();
            assert!(bare.contributions.is_empty());
            assert_eq!(bare.mean, st.mean);
        }
    }
}

/// [`Cascade::solve_batch`] against one [`Cascade::solve`] per set.
mod cascade_batch {
    use critical_minerals::flow::{Cascade, CascadeBatchWork, CascadeWork};
    use proptest::prelude::*;

    type Case = (Vec<(u32, u32, f64)>, Vec<f64>, Vec<Vec<f64>>, Vec<f64>);

    /// Up to 12 nodes and 40 edges (loops of every shape), up to
    /// `Cascade::BATCH` sets of node factors (many 0 or 1, as removals
    /// are), edge factors all 1 or drawn.
    fn case() -> impl Strategy<Value = Case> {
        (2u32..12).prop_flat_map(|n| {
            let factor = prop_oneof![Just(0.0), Just(1.0), 0.0f64..1.0];
            (
                prop::collection::vec((0..n, 0..n, 0.0f64..100.0), 1..40),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..50.0], n as usize),
                prop::collection::vec(
                    prop::collection::vec(factor.clone(), n as usize),
                    0..=Cascade::BATCH,
                ),
                any::<bool>(),
                prop::collection::vec(factor, 40),
            )
                .prop_map(|(edges, own, sets, ones, e)| {
                    let e = if ones {
                        vec![1.0; edges.len()]
                    } else {
                        e[..edges.len()].to_vec()
                    };
                    (edges, own, sets, e)
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Each lane is the one-set solve to the bit, sweeps included.
        #[test]
        fn batch_equals_one_solve_per_set((edges, own, sets, e) in case()) {
            let c = Cascade::new(own.len(), &edges, &own).unwrap();
            let mut batch = CascadeBatchWork::new();
            let mut one = CascadeWork::new();
            // A loop whose gain is close to 1 (edge factors near 1 on a
            // cycle with little leaving it) needs more sweeps than the limit:
            // then the batch fails, and so does the one-set solve of some
            // lane, with the same error kind.
            let Ok(sweeps) = c.solve_batch(&sets, &e, 1e-12, 10_000, &mut batch) else {
                let failed = sets
                    .iter()
                    .filter(|k| c.solve(k, &e, 1e-12, 10_000, &mut one).is_err())
                    .count();
                prop_assert!(failed > 0, "the batch failed where every set converges");
                return Ok(());
            };
            prop_assert_eq!(sweeps.len(), sets.len());
            for (i, k) in sets.iter().enumerate() {
                let n = c.solve(k, &e, 1e-12, 10_000, &mut one).unwrap();
                prop_assert_eq!(n, sweeps[i]);
                let got: Vec<u64> = batch.fractions(i).map(f64::to_bits).collect();
                let want: Vec<u64> = one.fractions().iter().map(|x| x.to_bits()).collect();
                prop_assert_eq!(got, want);
            }
        }
    }

    /// The regression behind the flaky property: a two-node loop (5 → 8,
    /// 99.7 t; 8 → 5, 72.76 t) with nothing originating in it and edge
    /// factors just under 1. Each sweep shrinks the loop's fractions by the
    /// loop gain 0.9999 × 0.9999, so reaching a change of 1e-12 takes about
    /// ln(1e-12) / ln(0.9998) ≈ 138,000 sweeps: past a 10,000 limit both
    /// the batch and the one-set solve say NotConverged (a documented
    /// outcome, not a bug); with the room they need, they agree to the bit.
    #[test]
    fn a_slow_loop_fails_alike_in_the_batch_and_alone() {
        let mut edges = vec![(0u32, 1u32, 1.0f64); 0];
        edges.push((5, 8, 99.7));
        edges.push((8, 5, 72.76));
        let own = vec![0.0; 10];
        let c = Cascade::new(10, &edges, &own).unwrap();
        let e = [0.9999, 0.9999];
        let sets = vec![vec![1.0; 10]];
        let mut one = CascadeWork::new();
        let mut batch = CascadeBatchWork::new();
        let err = c.solve(&sets[0], &e, 1e-12, 10_000, &mut one).unwrap_err();
        assert!(
            matches!(err, critical_minerals::Error::NotConverged { .. }),
            "{err}"
        );
        let err = c
            .solve_batch(&sets, &e, 1e-12, 10_000, &mut batch)
            .unwrap_err();
        assert!(
            matches!(err, critical_minerals::Error::NotConverged { .. }),
            "{err}"
        );
        let n = c.solve(&sets[0], &e, 1e-12, 1_000_000, &mut one).unwrap();
        let m = c
            .solve_batch(&sets, &e, 1e-12, 1_000_000, &mut batch)
            .unwrap();
        assert_eq!(m, vec![n]);
        let got: Vec<u64> = batch.fractions(0).map(f64::to_bits).collect();
        let want: Vec<u64> = one.fractions().iter().map(|x| x.to_bits()).collect();
        assert_eq!(got, want);
        // Nothing originates in the loop, so everything drains away: the
        // sweeps stop once a sweep changes less than 1e-12, i.e. at about
        // 1e-12 / (1 - 0.9998) = 5e-9.
        assert!(one.fractions()[5] < 1e-7 && one.fractions()[8] < 1e-7);
    }

    #[test]
    fn more_sets_than_a_batch_are_refused() {
        let c = Cascade::new(2, &[(0, 1, 1.0)], &[1.0, 0.0]).unwrap();
        let sets = vec![vec![1.0, 1.0]; Cascade::BATCH + 1];
        let mut work = CascadeBatchWork::new();
        assert!(c.solve_batch(&sets, &[1.0], 1e-9, 10, &mut work).is_err());
    }
}

/// A world chain with production (REO content, USGS) and trade (product
/// weight) cannot be simulated as one flow of "tonnes": refused, naming both
/// bases. The trade-only world chain is one basis and runs.
#[test]
fn simulations_refuse_mixed_bases() {
    use critical_minerals::Dataset;
    use critical_minerals::data::{ProductionSource, WorldChainOptions};
    let data = Dataset::builtin().unwrap();
    let target = Target::country_stage(Country::USA, Stage::Refining);
    let opts = SimulationOptions::new().mineral(Mineral::RARE_EARTHS);
    let mixed = data.world_chain(&WorldChainOptions::new(2024)).unwrap();
    match Simulator::new(&mixed.chain, &target, &opts) {
        Err(Error::MixedBasis { first, second, .. }) => {
            assert_ne!(first, second);
            assert!(format!("{first} {second}").contains("product weight"));
        }
        other => panic!("expected MixedBasis, got {other:?}"),
    }
    let trade = data
        .world_chain(&WorldChainOptions::new(2024).production(ProductionSource::None))
        .unwrap();
    assert!(Simulator::new(&trade.chain, &target, &opts).is_ok());
}

/// Issue 20: a WGI year the data lacks is an error naming the year (not 10%
/// for every country), the nearest year on request says which it used, and
/// S19 takes Taiwan's row only when asked; a summary lists the countries
/// that failed at the no-score probability.
#[test]
fn governance_failure_years_proxy_and_unscored_countries() {
    use critical_minerals::Dataset;
    use critical_minerals::data::{GovernanceProxy, ProductionSource, WorldChainOptions};
    use critical_minerals::simulation::{
        FailureModel, GovernanceMapping, GovernanceOptions, MonteCarlo,
    };
    let data = Dataset::builtin().unwrap();
    let err = FailureModel::governance(data, 2030, GovernanceMapping::new()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("2030") && msg.contains("2019–2024"), "{msg}");
    let near = |y| {
        FailureModel::governance_with(
            data,
            y,
            GovernanceMapping::new(),
            GovernanceOptions::new().nearest_year(true),
        )
        .unwrap()
    };
    assert_eq!(near(2030).year, 2024);
    assert_eq!(near(2010).year, 2019);
    assert_eq!(near(2023).year, 2023);
    assert!(near(2023).proxied.is_empty());

    let ree = data
        .world_chain(&WorldChainOptions::new(2024).production(ProductionSource::None))
        .unwrap();
    let target = Target::country_stage(Country::USA, Stage::Refining);
    let opts = SimulationOptions::new().mineral(Mineral::RARE_EARTHS);
    let sim = Simulator::new(&ree.chain, &target, &opts).unwrap();
    let run = |proxy| {
        let g = FailureModel::governance_with(
            data,
            2024,
            GovernanceMapping::new(),
            GovernanceOptions::new().proxy(proxy),
        )
        .unwrap();
        let mc = MonteCarlo::new(g.model).runs(20).contributions(false);
        (g.proxied, sim.monte_carlo(&mc).unwrap())
    };
    let (proxied, plain) = run(GovernanceProxy::None);
    assert!(proxied.is_empty());
    assert!(
        plain.unscored.contains(&Country::OTHER_ASIA),
        "{:?}",
        plain.unscored
    );
    let (proxied, with) = run(GovernanceProxy::TaiwanForS19);
    let twn = Country::from_alpha3("TWN").unwrap();
    assert_eq!(proxied, vec![(Country::OTHER_ASIA, twn)]);
    assert!(!with.unscored.contains(&Country::OTHER_ASIA));
    assert!(plain.to_string().contains("no score of their own"));
}
