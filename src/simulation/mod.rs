//! Policy simulations: scenarios as data, three propagation models that
//! bracket the outcome, Monte Carlo that shards.
//!
//! A [`Scenario`] is a named list of [`Shock`]s (remove a country or a
//! node, cut capacity, an export ban / licence / quota, the chain's own
//! restrictions as of a day with agreements' exemptions, discontinue an
//! agreement, add capacity (under an agreement's investment priority:
//! [`Shock::investment`]), add a link, raise recycling), kept as JSON and
//! checked against the chain before anything runs. A [`Simulator`]
//! compiles a chain and a target once; [`Simulator::run`] gives an
//! [`Outcome`] under one [`Propagation`] model. Simulations only read the
//! caller's chain.
//!
//! | question | call | cost |
//! |---|---|---|
//! | compile a chain toward a target | [`Simulator::new`] | O(V + E) |
//! | is a scenario valid for this chain | [`Scenario::validate`] | O(shocks × (log V + A)) |
//! | what each flow carries after a shock (cascade), for a before/after picture | [`Simulator::cascade_flows`] | as a cascade run |
//! | what one scenario does, with detail | [`Simulator::run`] | exposure O(V + E); cascade O(V + E) + sweeps in loops; reroute one max flow |
//! | the shortfall of many scenarios | [`Simulator::shortfalls`] | one run each, in parallel; removal-only scenarios under reroute share one solved baseline |
//! | random failures, summarised | [`Simulator::monte_carlo`], [`Simulator::monte_carlo_runs`] | one propagation per run, in parallel |
//! | combine shards | [`Summary::merge`], [`Summary::statistics`] | O(runs log runs) |
//!
//! # Which model, when
//!
//! - **Exposure** (first order): the tonnes the target loses on the flows
//!   the shock cuts directly. The right lens for "how much of our intake
//!   is at stake" — the number a procurement office watches, an upper
//!   bound on nothing. Cheapest.
//! - **Cascade** (no adaptation): shortfalls pass downstream in proportion
//!   to each node's inputs, `s_v = k_v · (o_v + Σ_u f_uv · s_u · e_uv) / S_v`,
//!   through recycling loops until no kept fraction changes by more than
//!   the tolerance ([`SimulationOptions::tolerance`], default 1e-9;
//!   [`Error::NotConverged`](crate::Error::NotConverged) past
//!   [`SimulationOptions::max_sweeps`]). The right lens for the first
//!   months of a disruption, before contracts are rewritten: nothing
//!   reroutes, new capacity only offsets cuts. At baseline every `s = 1`,
//!   so it reproduces the observed flows.
//! - **Reroute** (best case): `min(B, maximum deliverable supply)` in the
//!   shocked network, with spare capacity and links usable as
//!   [`SimulationOptions::links`] allows (default
//!   [`LinkCapacity::UpToExporter`](crate::network::LinkCapacity::UpToExporter)).
//!   The right lens for the medium term, once trade has adapted; with
//!   [`LinkCapacity::Observed`](crate::network::LinkCapacity::Observed)
//!   only existing tonnages can be shifted between routes.
//!
//! Because the cascaded flow is feasible in the shocked network, **reroute
//! shortfall ≤ cascade shortfall** whenever the baseline itself is
//! deliverable (every observed tonne has an origin; a loop of trade with no
//! producer is in `B` but has no source); the property tests check it on
//! generated chains. Exposure is usually the smallest, but not a bound of
//! either.
//!
//! # Semantics
//!
//! - **Origination** `o_v`: what a node put out beyond what it took in, the
//!   larger of its output figure and its outflow minus its inflow (the
//!   network's [`SourceRule::Origination`](crate::network::SourceRule::Origination),
//!   taking the outflow too when it exceeds the output figure, so observed
//!   flows always balance). **Supply** `S_v = o_v + Σ inflow`.
//! - **Baseline** `B`: the observed supply reaching the target, the sum over
//!   target nodes of their inflow plus their own origination. A target
//!   that holds both ends of a flow (all of one stage, say) counts it
//!   twice; prefer targets that do not trade with each other.
//! - **Capacity**: the stated capacity, else the output, else the
//!   throughput, never below `S_v`. A capacity cut by `f` leaves
//!   `(1 − f) · capacity`; a node's factor is
//!   `k_v = min(1, remaining capacity / S_v)` (0 when removed).
//! - **Restrictions** act on flows from the imposer to other countries at
//!   covered minerals and stages (of the exporting node): a ban sets the
//!   edge factor `e` to 0, a licence to the fraction let through, a quota
//!   scales the covered flows so that their observed total is at most the
//!   quota (under reroute: a gate node per exporting node, the quota shared
//!   in proportion to observed tonnes). Several restrictions multiply.
//! - **Reroute network**: node limits = capacity × what remains + added
//!   capacity; supply arcs where a node originates (origination plus spare
//!   capacity, plus added capacity) or is an extraction node; links per
//!   [`SimulationOptions::links`]; targets drain without limit.
//! - **Recycling**: the share of what a manufacturing node keeps (supply
//!   minus outflow) comes back through the country's recycling node into its
//!   refining, else processing, else manufacturing node; the cascade carries
//!   it as scrap scaled by the manufacturing node's kept fraction, reroute
//!   as supply at the recycling node.
//!
//! # Monte Carlo
//!
//! [`MonteCarlo`]: a [`FailureModel`] (each node, or each country, fails
//! with a probability: uniform, per country, or from WGI political
//! stability by a stated [`GovernanceMapping`]), a [`Severity`] (fixed or
//! uniform; 1 removes), N runs, a seed, any model. Run `i` draws from
//! ChaCha8 seeded with the seed on stream `i`, so a run depends only on the
//! seed and its index: identical at any thread count and any sharding.
//! The [`Summary`] keeps every run's record by index and computes
//! statistics in index order, so [`Summary::merge`] of shards equals one
//! run over all, bit for bit.
//!
//! # Sweeps beyond one machine
//!
//! Scenarios and outcomes are JSON Lines ([`Scenario::from_json`],
//! [`Outcome::to_json`]). `examples/sweep.rs` reads scenarios on stdin
//! and writes one outcome per line on stdout, so any engine that shards
//! lines can run a sweep. With GNU parallel on one machine or over ssh:
//!
//! ```text
//! cargo build --release --example sweep
//! parallel --pipe -N100 ./target/release/examples/sweep --propagation reroute \
//!     < scenarios.jsonl > outcomes.jsonl
//! ```
//!
//! Monte Carlo shards by run range instead: each worker calls
//! [`Simulator::monte_carlo_runs`] on its range and writes the [`Summary`]
//! as JSON; one process reads them back and [`Summary::merge`]s them.
pub mod attribution;
mod cascade;
mod exposure;
mod monte_carlo;
mod options;
mod outcome;
mod propagation;
mod reroute;
mod scenario;
mod simulator;
mod summary;

pub use cascade::FlowChange;
pub use monte_carlo::{
    FailureModel, GovernanceFailure, GovernanceMapping, GovernanceOptions, MAX_RUNS_PER_CALL,
    MonteCarlo, Severity,
};
pub use options::{Propagation, SimulationOptions};
pub use outcome::{Change, ConcentrationChange, Outcome};
pub use scenario::{Measure, Scenario, Shock};
pub use simulator::Simulator;
pub use summary::{RunRecord, SHAPLEY_METHOD, SampledShapley, Statistics, Summary};
