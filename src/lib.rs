//! Critical-mineral supply chains as a directed graph.
//!
//! A node is one stage of one mineral in one country (`MYS/rare-earths/refining`);
//! a flow is an annual tonnage from one node to a node of a later stage (or
//! the same stage across a border, or back from recycling). On top of the
//! graph the crate answers what analysts ask: bilateral links and dependence
//! ([`analysis`]), chokepoints by max flow and dominance ([`network`]), and
//! what-if questions ([`simulation`]). Real, sourced figures ship with the crate ([`data`]).
//!
//! # A tour
//!
//! ```
//! use critical_minerals::analysis::{ChokepointOptions, RiskKind};
//! use critical_minerals::network::Target;
//! use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
//!
//! let ree = Mineral::RARE_EARTHS;
//! let mut chain = SupplyChain::new();
//! let mine = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
//! let refinery = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
//! let magnets = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
//! chain.add_flow(mine, refinery, Flow::new(Tonnes::new(10_000.0)?))?;
//! chain.add_flow(refinery, magnets, Flow::new(Tonnes::new(2_000.0)?))?;
//!
//! // Invalid input is refused and leaves the chain unchanged.
//! assert!(chain.add_flow(magnets, mine, Flow::new(Tonnes::new(1.0)?)).is_err());
//! assert!(Tonnes::new(f64::NAN).is_err());
//!
//! let into_us: f64 = chain.flows_between(Country::MYS, Country::USA).map(|f| f.tonnes().get()).sum();
//! assert_eq!(into_us, 2_000.0);
//!
//! // Who can starve US magnet making? Every tonne passes through MYS refining.
//! let target = Target::country_stage(Country::USA, Stage::Manufacturing);
//! let report = chain.chokepoint_report(&target, &ChokepointOptions::new().mineral(ree))?;
//! assert_eq!(report.deliverable_supply.get(), 2_000.0);
//! assert!(report.nodes.iter().any(|n| n.node == refinery && n.kinds.contains(&RiskKind::Dominator)));
//!
//! // The whole model round-trips exactly through versioned JSON.
//! assert_eq!(SupplyChain::from_json(&chain.to_json())?, chain);
//! # Ok::<(), critical_minerals::Error>(())
//! ```
//!
//! # Where things are
//!
//! - [`model`]: the vocabulary: [`Stage`] and its valid transitions,
//!   [`Country`] (ISO 3166-1 plus documented trade-data codes), [`Mineral`],
//!   the units [`Tonnes`], [`Share`], [`Usd`], [`ReportedDate`], the policy
//!   objects [`Agreement`] and [`ExportRestriction`], and [`Provenance`].
//! - [`chain`]: [`SupplyChain`], its ids ([`NodeId`], [`FlowId`]), indexes
//!   and JSON form (schema in [`chain`]'s docs).
//! - [`data`]: the built-in dataset, and the world chain of any year from
//!   real CEPII BACI trade and World Mining Data production.
//! - [`io`]: trade data in (BACI, UN Comtrade), CSV, GraphML and DOT out,
//!   and a stage-layered flow picture (SVG).
//! - [`analysis`]: bilateral links, import reliance, concentration,
//!   GeoPolRisk, upstream origin, trends, and the chokepoint report.
//! - [`flow`]: the integer graph engine (max flow, batch removals, cascade,
//!   dominators, cuts, betweenness), knowing nothing of supply chains.
//! - [`network`]: the chain as a flow network and every chokepoint question
//!   in domain terms: deliverable supply, criticality, dominators, cuts,
//!   betweenness.
//! - [`simulation`]: what-if scenarios (export bans, disruptions, new
//!   capacity, recycling) under three propagation models, and Monte Carlo.
//! - [`Error`]: the one error type.
//!
//! # What the root re-exports
//!
//! The nouns every user writes: the vocabulary of [`model`] (stages,
//! countries, minerals, quantities, policy objects, provenance),
//! [`SupplyChain`] with its parts and ids ([`Node`], [`NodeKey`], [`Flow`],
//! [`NodeId`], [`FlowId`]), [`Dataset`], and [`Error`] / [`Result`].
//! Everything else (options, results, loaders, the engine) is reached
//! through its module: `analysis::ChokepointOptions`,
//! `network::Target`, `io::load_baci`, `flow::FlowNetwork`. A name at the
//! root is a promise that it is part of the crate's vocabulary.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod analysis;
pub mod chain;
mod csv_header;
pub mod data;
mod error;
pub mod flow;
pub mod io;
pub mod model;
pub mod network;
pub mod simulation;

// The root re-exports the nouns every user writes (the rule is stated in
// the crate docs under "What the root re-exports"); everything else is
// reached through its module.
pub use chain::{Flow, FlowId, Node, NodeId, NodeKey, SupplyChain};
pub use data::Dataset;
pub use error::{Error, Result};
pub use model::{
    Agreement, AgreementKind, AgreementStatus, Basis, Binding, Confidence, Country, Coverage,
    ExportRestriction, Mineral, Provenance, Provision, QuotaLimit, ReportedDate, RestrictionKind,
    RestrictionStatus, RestrictionTargets, Share, Source, Stage, Status, Suspension, Termination,
    Tonnes, Usd,
};

/// The README's example, compiled and run as a doc test so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
