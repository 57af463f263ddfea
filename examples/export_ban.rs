//! China's rare-earth export controls toward the United States under the
//! three propagation models; then with a new Malaysian processing plant
//! under the US–Malaysia MOU's investment priority; then with the MOU
//! discontinued.
//!
//! The network is real: every rare-earth trade flow of 2024 (CEPII BACI,
//! tonnes of product: compounds and metals), with no production figures,
//! so one basis throughout and supply entering where a country ships more
//! than it receives. The target is US intake: compounds arrive at US
//! refining, metals at US manufacturing. China's controls and the
//! agreements are the dataset's own. **Illustrative**, and said so in the
//! output: the 50% a licence lets through, and the size of the plant and
//! its offtake contract.
//!
//! Run: `cargo run --release --example export_ban`

use critical_minerals::data::{ProductionSource, WorldChainOptions};
use critical_minerals::network::{LinkCapacity, Target};
use critical_minerals::simulation::{Propagation, Scenario, Shock, SimulationOptions, Simulator};
use critical_minerals::{Country, Dataset, Error, Mineral, NodeKey, Share, Stage, Tonnes};

fn main() -> Result<(), Error> {
    let data = Dataset::builtin()?;
    let ree = Mineral::RARE_EARTHS;
    let key = |c, s| NodeKey::new(c, ree.clone(), s);
    let world =
        data.world_chain(&WorldChainOptions::new(2024).production(ProductionSource::None))?;
    let chain = &world.chain;
    println!("Real rare-earth trade flows of 2024 (CEPII BACI, tonnes of product).");
    println!("ILLUSTRATIVE: a licence lets 50% through; the Malaysian plant and its offtake.\n");

    let us = [Stage::Refining, Stage::Manufacturing]
        .into_iter()
        .filter_map(|s| chain.node_id(&key(Country::USA, s)))
        .collect();
    let target = Target::Nodes(us);
    // Reroute holds every link to its observed tonnes: the routes and
    // contracts that exist, shifted but not enlarged. (With links "up to
    // the exporter" and no capacity figures in a trade-only network,
    // every shortfall would vanish by assumption.)
    let options = SimulationOptions::new()
        .mineral(ree.clone())
        .links(LinkCapacity::Observed);
    let sim = Simulator::new(chain, &target, &options)?;

    // 28 October 2025: China's April and October licence requirements on
    // rare earths are in force (the November suspension comes later);
    // Malaysia's raw rare-earth ban too, with the reciprocal trade
    // agreement (signed 26 October) exempting the US.
    let controls = Shock::ApplyRestrictions {
        on: jiff::civil::date(2025, 10, 28),
        honour_agreements: true,
        licence_let_through: Share::new(0.5)?,
    };
    let mou = chain
        .agreement("us-mys-critical-minerals-mou-2025")
        .ok_or(Error::NoData {
            what: "the US-Malaysia MOU".into(),
        })?;
    let plant = key(Country::MYS, Stage::Processing);
    let size = Tonnes::new(2_000.0)?;
    let invest = Shock::investment(mou, plant.clone(), size)?;
    // The offtake toward US refining is a new contract: a link of its own.
    let offtake = Shock::AddLink {
        from: plant,
        to: key(Country::USA, Stage::Refining),
        tonnes: size,
        under: Some(mou.id.clone()),
    };
    let controls_only = Scenario::new("china-ree-controls").shock(controls);
    let mut with_plant = controls_only.clone().shock(invest).shock(offtake);
    with_plant.name = "controls+mys-plant+offtake".into();
    // Ended by written notice the day after signing: the plant does not
    // come, and the offtake contracted under the MOU lapses with it.
    let mut discontinued = with_plant.clone().shock(Shock::DiscontinueAgreement {
        agreement: mou.id.clone(),
        on: jiff::civil::date(2025, 10, 27),
    });
    discontinued.name = "mou-discontinued".into();

    println!(
        "Rare earths reaching US refining + manufacturing: baseline {}\n",
        sim.baseline()
    );
    println!(
        "  {:<34} {:>16} {:>16} {:>16}",
        "scenario", "exposure", "cascade", "reroute"
    );
    for s in [&controls_only, &with_plant, &discontinued] {
        let mut cells = Vec::new();
        for p in Propagation::ALL {
            let o = sim.run(s, p)?;
            cells.push(format!("{} ({})", o.shortfall, o.shortfall_share));
        }
        println!(
            "  {:<34} {:>16} {:>16} {:>16}",
            s.name, cells[0], cells[1], cells[2]
        );
    }
    println!("\n(shortfall, share of the baseline in brackets)");
    println!("Cascade does not adapt, so new capacity changes nothing there; under reroute the");
    println!(
        "offtake is fed from Malaysia's existing exports first, so it helps even without the plant.\n"
    );
    println!("{}", sim.run(&controls_only, Propagation::Cascade)?);
    println!("{}", sim.run(&with_plant, Propagation::Reroute)?);
    Ok(())
}
