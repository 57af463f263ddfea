//! A scenario sweep as a filter: scenarios in (JSON Lines on stdin), one
//! outcome per scenario out (JSON Lines on stdout), in input order. Any
//! engine that shards lines can run a sweep that outgrows one machine:
//!
//! ```text
//! cargo build --release --example sweep
//! parallel --pipe -N100 ./target/release/examples/sweep --propagation reroute \
//!     < scenarios.jsonl > outcomes.jsonl
//! ```
//!
//! (`parallel --pipe -N100 cargo run --release --example sweep` works too,
//! at the cost of a cargo check per chunk.) Each line of input is one
//! `Scenario` (see `critical_minerals::simulation::Scenario`), for example
//! `{"name":"no-chl","shocks":[{"kind":"remove_country","country":"CHL"}]}`.
//!
//! Options: `--chain FILE` (a chain in the crate's JSON; default: the
//! built-in world chain of 2024, real CEPII BACI trade flows only, so every
//! tonne is product weight), `--stage STAGE` (target: every node
//! at that stage; default refining), `--country CODE` (narrow the target
//! to one country at that stage), `--mineral NAME`, `--propagation
//! exposure|cascade|reroute` (default cascade). A scenario that does not
//! validate is reported on stderr with its line number and the sweep goes
//! on; the exit status is then 1.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use critical_minerals::data::{ProductionSource, WorldChainOptions};
use critical_minerals::network::Target;
use critical_minerals::simulation::{Propagation, Scenario, SimulationOptions, Simulator};
use critical_minerals::{Country, Dataset, Error, Mineral, Stage, SupplyChain};

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut chain_file, mut stage, mut country, mut mineral) = (None, Stage::Refining, None, None);
    let mut propagation = Propagation::Cascade;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--chain" => chain_file = Some(value),
            "--stage" => stage = value.parse()?,
            "--country" => country = Some(Country::parse(&value)?),
            "--mineral" => mineral = Some(Mineral::new(value)?),
            "--propagation" => {
                propagation = serde_json::from_value(serde_json::Value::String(value.clone()))
                    .map_err(|_| Error::UnknownValue {
                        field: "propagation",
                        value,
                        expected: "exposure, cascade or reroute",
                    })?
            }
            other => {
                return Err(Error::UnknownValue {
                    field: "argument",
                    value: other.to_string(),
                    expected: "--chain, --stage, --country, --mineral, --propagation",
                });
            }
        }
        i += 2;
    }
    let chain = match chain_file {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.into(),
                source,
            })?;
            SupplyChain::from_json(&text)?
        }
        None => {
            let data = Dataset::builtin()?;
            eprintln!("sweep: built-in 2024 world chain, BACI trade flows (product weight)");
            data.world_chain(&WorldChainOptions::new(2024).production(ProductionSource::None))?
                .chain
        }
    };
    let target = match country {
        Some(c) => Target::country_stage(c, stage),
        None => Target::Stage(stage),
    };
    let mut options = SimulationOptions::new();
    if let Some(m) = mineral {
        options = options.mineral(m);
    }
    let sim = Simulator::new(&chain, &target, &options)?;
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut ok = true;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|source| Error::Io {
            path: "<stdin>".into(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        match Scenario::from_json(&line).and_then(|s| sim.run(&s, propagation)) {
            Ok(outcome) => {
                let _ = writeln!(out, "{}", outcome.to_json());
            }
            Err(e) => {
                ok = false;
                eprintln!("line {}: {e}", n + 1);
            }
        }
    }
    let _ = out.flush();
    Ok(ok)
}
