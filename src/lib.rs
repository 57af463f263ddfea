//! Critical-mineral supply chains as a directed graph.
//!
//! TODO-tour
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod analysis;
pub mod chain;
pub mod data;
mod error;
pub mod io;
pub mod model;
pub mod network;

pub use chain::{ChainGraph, Flow, FlowId, FlowRef, Node, NodeId, NodeKey, SupplyChain};
pub use error::{Error, Result};
pub use model::{
    Agreement, AgreementKind, Binding, Confidence, Country, Coverage, ExportRestriction, Mineral,
    Provenance, Provision, QuotaLimit, ReportedDate, RestrictionKind, RestrictionStatus, Share,
    Source, Stage, Status, Suspension, Targets, Termination, Tonnes, Usd,
};

// Re-exports of the data module (built-in dataset).
pub use data::{
    Bound, Byproduct, ChainOptions, Dataset, GovernanceRow, HsConcordance, HsEntry,
    ImportSourceRow, ModeledFlows, ModeledReport, NetImportReliance, NetReliance, PolicyAct,
    Production, ProductionRow, Reported, ReserveRow, ShareRow, Unit, YearRule, parse_hs6,
};

// Re-exports of the io module (trade data, CSV, GraphML, DOT).
pub use io::{DotOptions, FlowMeasure, LoadReport, NonIsoPolicy, SkipReason, TradeOptions};

// Re-exports of the analysis module (bilateral, reliance, concentration, origin).
pub use analysis::{
    Band, BilateralOptions, BilateralProfile, Concentration, ConcentrationOptions, GeoPolRisk,
    GeoPolRiskOptions, Guideline, ImportReliance, MissingGovernance, Origin, OriginOptions,
    PartnerOptions, Partners, PassThrough, RecyclingOrigin, Reliance, StageConcentration,
};

// Re-exports of the network module (max flow, criticality, chokepoints).
pub use network::{ChokepointOptions, ChokepointReport, RiskKind};
pub use network::{FlowNetwork, FlowOptions, NodeLimit, SupplyEngine, Target};
