//! China's rare-earth export controls toward US manufacturing, under the
//! three propagation models; then with a new Malaysian magnet plant under
//! the US–Malaysia MOU's investment priority; then with the MOU
//! discontinued.
//!
//! The chain is the built-in data (latest figures up to 2024) with the
//! explicit **modeled-flow** step. The built-in data has rare-earth mine
//! output but no downstream tonnages (processing appears as shares only,
//! and real bilateral trade is not yet built in), so this example gives the
//! processing, refining and magnet stages **illustrative round outputs**
//! before the modeled step links every stage in proportion to output. The
//! tonnages are therefore illustrative; the mine outputs, the export
//! controls and the agreements are the real ones from the dataset.
//!
//! Run: `cargo run --release --example export_ban`

use critical_minerals::data::{YearChainOptions, YearRule};
use critical_minerals::network::{LinkCapacity, Target};
use critical_minerals::simulation::{Propagation, Scenario, Shock, SimulationOptions, Simulator};
use critical_minerals::{Country, Dataset, Mineral, NodeKey, Share, Stage, Tonnes};

fn main() -> Result<(), critical_minerals::Error> {
    let data = Dataset::builtin()?;
    let ree = Mineral::RARE_EARTHS;
    let key = |c, s| NodeKey::new(c, ree.clone(), s);
    let mut chain = data.chain_with(&YearChainOptions::new(2024).years(YearRule::LatestUpTo))?;
    // Illustrative downstream outputs (tonnes a year), not data.
    let illustrative = [
        (Country::CHN, Stage::Processing, 240_000.0),
        (Country::MYS, Stage::Processing, 12_000.0),
        (Country::CHN, Stage::Refining, 220_000.0),
        (Country::MYS, Stage::Refining, 11_000.0),
        (Country::CHN, Stage::Manufacturing, 200_000.0),
        (Country::JPN, Stage::Manufacturing, 10_000.0),
        (Country::USA, Stage::Manufacturing, 5_000.0),
    ];
    for (c, s, t) in illustrative {
        let id = chain.ensure_node(key(c, s));
        chain.set_output(id, Some(Tonnes::new(t)?))?;
    }
    data.modeled_flows().year(2024).apply(&mut chain)?;
    println!("NOTE: flows are MODELED and downstream outputs ILLUSTRATIVE (see the file header);");
    println!("mine outputs, China's export controls and the US-Malaysia agreements are real.\n");

    let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    // Reroute holds every link to its observed tonnes: the routes and
    // contracts that exist, shifted but not enlarged.
    let options = SimulationOptions::new()
        .mineral(ree.clone())
        .links(LinkCapacity::Observed);
    let sim = Simulator::new(&chain, &target, &options)?;

    // 28 October 2025: China's April and October licence requirements on
    // rare earths are in force (the November suspension comes later);
    // Malaysia's raw rare-earth ban too, with the reciprocal trade
    // agreement (signed 26 October) exempting the US. A licence is assumed
    // to let half of each flow through.
    let day = jiff::civil::date(2025, 10, 28);
    let controls = Shock::ApplyRestrictions {
        on: day,
        honour_agreements: true,
        licence_let_through: Share::new(0.5)?,
    };
    let mou = chain.agreement("us-mys-critical-minerals-mou-2025").ok_or(
        critical_minerals::Error::NoData {
            what: "the US-Malaysia MOU".into(),
        },
    )?;
    let plant = key(Country::MYS, Stage::Manufacturing);
    let invest = Shock::investment(mou, plant.clone(), Tonnes::new(1_500.0)?)?;
    let offtake = |from: NodeKey, to: NodeKey| Shock::AddLink {
        from,
        to,
        tonnes: Tonnes::new(1_500.0).unwrap_or(Tonnes::ZERO),
    };
    let controls_only = Scenario::new("china-ree-controls").shock(controls.clone());
    let mut with_plant = controls_only
        .clone()
        .shock(invest)
        .shock(offtake(key(Country::MYS, Stage::Refining), plant.clone()))
        .shock(offtake(
            plant.clone(),
            key(Country::USA, Stage::Manufacturing),
        ));
    with_plant.name = "controls+mys-magnet-plant".into();
    let mut discontinued = with_plant.clone().shock(Shock::DiscontinueAgreement {
        agreement: mou.id.clone(),
        on: jiff::civil::date(2025, 10, 27),
    });
    discontinued.name = "controls+plant, mou-discontinued".into();

    println!(
        "Supply of rare earths to US manufacturing: baseline {:.0}\n",
        sim.baseline()
    );
    println!(
        "  {:<34} {:>12} {:>12} {:>12}",
        "scenario", "exposure", "cascade", "reroute"
    );
    for s in [&controls_only, &with_plant, &discontinued] {
        let mut cells = Vec::new();
        for p in Propagation::ALL {
            let o = sim.run(s, p)?;
            cells.push(format!("{:.0} ({:.0})", o.shortfall, o.shortfall_share));
        }
        println!(
            "  {:<34} {:>12} {:>12} {:>12}",
            s.name, cells[0], cells[1], cells[2]
        );
    }
    println!("\n(shortfall in tonnes, share of the baseline in brackets)\n");
    println!("{}", sim.run(&controls_only, Propagation::Cascade)?);
    println!("{}", sim.run(&with_plant, Propagation::Reroute)?);
    Ok(())
}
