//! How each analysis grows with the chain: seeded synthetic chains
//! (`benches/common`, the benches' generator) at several sizes, the median
//! time and the extra peak memory of each analysis, the fitted growth
//! (time ∝ E^k), and the memory a `SupplyChain` takes per node and per flow.
//! The tables in BENCHMARKS.md come from this program.
//!
//! ```sh
//! cargo run --release --example scaling                 # 4, 16 and 64 minerals (~31k to ~490k flows)
//! cargo run --release --example scaling -- --memory     # also a chain of more than 2 million flows
//! cargo run --release --example scaling -- --minerals 2,8 --runs 3   # a quick run (CI)
//! ```
//!
//! Peak memory is read from `/proc/self/status` (`VmHWM`, reset before each
//! analysis through `/proc/self/clear_refs`), so it is Linux-only; elsewhere
//! the memory columns are empty.

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::Instant;

use common::{Spec, busiest_manufacturer, pairs_with_flows, synthetic};
use critical_minerals::analysis::{
    BilateralOptions, ChokepointOptions, ConcentrationOptions, OriginOptions,
};
use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
use critical_minerals::{Mineral, Stage, SupplyChain};

/// Resident set size now and its peak since the last reset, in MiB.
fn rss_mib() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Resets the peak RSS to the current RSS (Linux ≥ 4.0).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Row {
    analysis: &'static str,
    claimed: &'static str,
    /// (flows, nodes, median seconds, extra peak MiB)
    points: Vec<(usize, usize, f64, Option<f64>)>,
}

/// Median time of `runs` calls, and how far the peak RSS rose above the
/// RSS before them (later calls mostly reuse what the first freed).
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, Option<f64>) {
    reset_peak();
    let base = rss_mib().map(|r| r.0);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed().as_secs_f64());
        drop(out);
    }
    let peak = match (base, rss_mib()) {
        (Some(b), Some((_, hwm))) => Some((hwm - b).max(0.0)),
        _ => None,
    };
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], peak)
}

/// Least-squares slope of log(time) on log(flows).
fn growth(points: &[(usize, usize, f64, Option<f64>)]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.2 > 0.0)
        .map(|p| ((p.0 as f64).ln(), p.2.ln()))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

fn main() -> Result<(), critical_minerals::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let minerals: Vec<usize> = value("--minerals")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![4, 16, 64]);
    let runs: usize = value("--runs").and_then(|s| s.parse().ok()).unwrap_or(5);
    let memory = args.iter().any(|a| a == "--memory");

    let mut rows: Vec<Row> = [
        ("chain JSON round trip", "O(V + E)"),
        ("bilateral profile (one pair)", "O(k log k + d log d)"),
        ("concentration (one mineral, stage)", "O(V + n log n)"),
        ("upstream origin (one target)", "O(V_up + E_up) per sweep"),
        ("flow network build (all minerals)", "O(V + E)"),
        ("deliverable supply (max flow)", "Dinic per component"),
        (
            "node criticality (every node)",
            "≤ V warm-started max flows",
        ),
        ("supply dominators", "O((V + E) log V)"),
        (
            "chokepoint report (one mineral)",
            "all of the above, one network",
        ),
    ]
    .into_iter()
    .map(|(analysis, claimed)| Row {
        analysis,
        claimed,
        points: Vec::new(),
    })
    .collect();

    for &m in &minerals {
        let spec = Spec {
            minerals: m,
            ..Spec::LARGE
        };
        let chain = synthetic(&spec);
        let (v, e) = (chain.node_count(), chain.flow_count());
        eprintln!("{m} minerals: {v} nodes, {e} flows");
        let mineral = Mineral::new("m000")?;
        let target = busiest_manufacturer(&chain, "m000");
        let pair = pairs_with_flows(&chain, 4, 1)
            .first()
            .copied()
            .ok_or_else(|| critical_minerals::Error::NoData {
                what: "a country pair with 4 flows".into(),
            })?;
        let all_mfg = Target::Stage(Stage::Manufacturing);
        let mfg_country = {
            let key = &chain.node(target).expect("target exists").key;
            Target::country_stage(key.country, Stage::Manufacturing)
        };
        let bil = BilateralOptions::new();
        let conc = ConcentrationOptions::new();
        let orig = OriginOptions::new();
        let flow_all = FlowOptions::new();
        let net = ChainNetwork::new(&chain, &all_mfg, &flow_all)?;
        let report_opts = ChokepointOptions::new().mineral(mineral.clone());

        let json = chain.to_json();
        let results = [
            measure(runs, || {
                SupplyChain::from_json(&json).map(|c| c.flow_count())
            }),
            measure(runs, || {
                chain.bilateral(pair.0, pair.1, &bil).map(|p| p.links.len())
            }),
            measure(runs, || {
                chain
                    .concentration(&mineral, Stage::Extraction, &conc)
                    .is_ok()
            }),
            measure(runs, || chain.origin(target, &orig).is_ok()),
            measure(runs, || {
                ChainNetwork::new(&chain, &all_mfg, &flow_all).is_ok()
            }),
            measure(runs, || net.solve().deliverable_supply()),
            measure(runs.min(3), || net.solve().node_criticality().len()),
            measure(runs, || net.supply_dominators()),
            measure(runs.min(3), || {
                chain.chokepoint_report(&mfg_country, &report_opts).is_ok()
            }),
        ];
        for (row, (t, mem)) in rows.iter_mut().zip(results) {
            row.points.push((e, v, t, mem));
        }
    }

    println!(
        "| analysis | claimed cost | {} | fitted k (time ∝ E^k) |",
        {
            let first = &rows[0].points;
            first
                .iter()
                .map(|p| format!("{} nodes, {} flows: median (extra peak)", p.1, p.0))
                .collect::<Vec<_>>()
                .join(" | ")
        }
    );
    println!("|---|---|{}---|", "---|".repeat(rows[0].points.len()));
    for row in &rows {
        let cells: Vec<String> = row
            .points
            .iter()
            .map(|p| {
                let t = if p.2 < 1e-3 {
                    format!("{:.1} µs", p.2 * 1e6)
                } else if p.2 < 1.0 {
                    format!("{:.2} ms", p.2 * 1e3)
                } else {
                    format!("{:.2} s", p.2)
                };
                match p.3 {
                    Some(mb) => format!("{t} ({mb:.1} MiB)"),
                    None => t,
                }
            })
            .collect();
        let k = growth(&row.points).map_or("-".to_string(), |k| format!("{k:.2}"));
        println!(
            "| {} | {} | {} | {k} |",
            row.analysis,
            row.claimed,
            cells.join(" | ")
        );
    }

    if memory {
        // Memory of the chain itself: RSS growth while building chains of
        // two sizes, the difference divided by the difference in nodes and
        // flows (a least-squares fit on two points).
        println!();
        println!("| chain | nodes | flows | RSS of the chain (MiB) |");
        println!("|---|---|---|---|");
        let mut pts = Vec::new();
        for m in [64usize, 272] {
            let before = rss_mib().map(|r| r.0).unwrap_or(0.0);
            let chain = synthetic(&Spec {
                minerals: m,
                ..Spec::LARGE
            });
            let after = rss_mib().map(|r| r.0).unwrap_or(0.0);
            let (v, e) = (chain.node_count(), chain.flow_count());
            println!("| {m} minerals | {v} | {e} | {:.1} |", after - before);
            pts.push((v as f64, e as f64, after - before));
            drop(chain);
        }
        if let [a, b] = pts[..] {
            // Flows outnumber nodes about 16 to 1 in every generated size, so
            // a per-flow figure that includes the nodes' share is the honest
            // summary: bytes per flow, nodes included.
            let per_flow = (b.2 - a.2) * 1024.0 * 1024.0 / (b.1 - a.1);
            println!();
            println!(
                "memory: {per_flow:.0} bytes per flow, nodes' share included ({:.1} flows per node); {:.0} MiB for {} flows",
                b.1 / b.0,
                b.2,
                b.1 as usize
            );
            // Nodes alone: the large chain's nodes copied into a chain with
            // no flows, so a node's share can be told from a flow's.
            let big = synthetic(&Spec {
                minerals: 272,
                ..Spec::LARGE
            });
            let nodes: Vec<_> = big.nodes().map(|(_, n)| n.clone()).collect();
            let flows = big.flow_count();
            drop(big);
            let before = rss_mib().map(|r| r.0).unwrap_or(0.0);
            let mut only_nodes = SupplyChain::new();
            for n in nodes.iter().cloned() {
                only_nodes.add_node(n)?;
            }
            let after = rss_mib().map(|r| r.0).unwrap_or(0.0);
            let per_node = (after - before) * 1024.0 * 1024.0 / nodes.len() as f64;
            let per_flow_alone =
                (b.2 * 1024.0 * 1024.0 - per_node * nodes.len() as f64) / flows as f64;
            println!(
                "memory: {per_node:.0} bytes per node (a chain of {} nodes and no flows: {:.1} MiB), so {per_flow_alone:.0} bytes per flow",
                nodes.len(),
                after - before
            );
        }
    }
    Ok(())
}
