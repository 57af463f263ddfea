//! The built-in dataset: real, sourced public figures embedded in the crate.
//!
//! [`Dataset::builtin`] parses the CSV files of `data/` (embedded at compile
//! time; see `data/README.md` for each file's source, conventions and known
//! gaps) once and answers questions on them: production by country, mineral,
//! stage and year; IEA processing shares; reserves; US import sources and net
//! import reliance; WGI governance; agreements and export restrictions;
//! the HS-6 concordance; the source register. [`Dataset::chain`] turns a
//! year into a [`SupplyChain`](crate::SupplyChain), and [`ModeledFlows`] is
//! the explicit, optional step that adds modeled flows to it.
//!
//! # Trade and multi-year production
//!
//! Two larger tables ship compressed or as plain CSV and are parsed on
//! first use, not by [`Dataset::builtin`]: [`Dataset::trade`] (CEPII BACI,
//! HS 1992, 52 mineral products, 2019–2024, 179,036 rows; gzip, decoded
//! with `flate2`'s pure-Rust backend) and [`Dataset::world_mining_data`]
//! (World Mining Data, 56 commodities, 2018–2024, with `r`/`e`/`p` flags).
//! Query them with [`TradeQuery`] and [`WmdQuery`].
//!
//! Country codes: every code parses. `S19` is BACI's "Other Asia, n.e.s."
//! (Taiwan in practice, [`Country::OTHER_ASIA`](crate::Country::OTHER_ASIA)),
//! `XKX` is Kosovo (WMD's `R20`, re-keyed in the file;
//! [`Country::KOSOVO`](crate::Country::KOSOVO), a country, not an aggregate),
//! `WLD` the WMD world total (never a node).
//!
//! # The world chain
//!
//! [`Dataset::world_chain`] builds one year: production nodes from one
//! source per (mineral, stage) ([`ProductionSource`]) and one flow per BACI
//! row, each with its year, HS code, value, [`Basis`](crate::Basis) and
//! source; [`WorldChainReport`] counts what was built and left out.
//!
//! Trade tonnes are **product weight** (ore gross weight, compound or alloy
//! weight), production is metal or oxide content or gross weight: the
//! bases differ across stages and between trade and production. So, as
//! shipped:
//!
//! | meaningful on the world chain | needs content factors |
//! |---|---|
//! | bilateral links (tonnes and value by product, both ways) | a max flow or origin trace across stages in contained metal |
//! | dependence of an importer on its partners, by product (HS code) | comparing traded tonnes with production |
//! | concentration of production (one source, one basis per stage) | adding tonnes of different codes of one mineral at different stages |
//! | GeoPolRisk by product ([`analysis::ProductRisk`](crate::analysis::ProductRisk)) | |
//! | chokepoints within one product's trade network (one HS code) | |
//!
//! Analyses that add tonnes refuse figures of different bases with
//! [`Error::MixedBasis`](crate::Error::MixedBasis), naming both bases and
//! the figure; a figure with no basis (hand-made chains) is compatible
//! with any.
//!
//! ## Content factors: the caller's, never the data's
//!
//! The right-hand column becomes meaningful with
//! [`ContentFactors`](crate::model::ContentFactors): factors by HS code
//! (a flow's product weight → the target basis) and by (mineral, stage,
//! basis) (a production figure's basis → the target basis), passed to
//! [`FlowOptions::content`](crate::network::FlowOptions::content) or
//! [`ConcentrationOptions::content`](crate::analysis::ConcentrationOptions::content).
//! Every figure used is converted to the one target basis; one with
//! neither a factor nor that basis is refused, so a gap stays a gap; the
//! result lists each factor applied and how many figures it converted
//! ([`ChainNetwork::conversions`](crate::network::ChainNetwork::conversions),
//! [`Concentration::conversions`](crate::analysis::Concentration::conversions)).
//! No factor values ship with the crate: the sources give none (a
//! compound's content varies by shipment), so the values below are the
//! caller's illustrative assumptions, to be stated with any result.
//!
//! ```
//! use critical_minerals::data::WorldChainOptions;
//! use critical_minerals::model::{ContentFactors, ContentKey};
//! use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
//! use critical_minerals::{Basis, Country, Dataset, Error, Mineral, Stage};
//! let world = Dataset::builtin()?.world_chain(&WorldChainOptions::new(2023))?;
//! let target = Target::country_stage(Country::USA, Stage::Manufacturing);
//! let rare_earths = FlowOptions::new().mineral(Mineral::RARE_EARTHS);
//! // As shipped: mine output in REO equivalent (USGS), trade in product
//! // weight. Refused.
//! let err = ChainNetwork::new(&world.chain, &target, &rare_earths).unwrap_err();
//! assert!(matches!(err, Error::MixedBasis { .. }));
//! // The caller's factors (illustrative, not data): tonnes of REO per
//! // tonne of product.
//! let reo = ContentFactors::new(Basis::new("REO equivalent (all rare earths)")?)
//!     .by_hs(284690, 0.81) // rare-earth compounds
//!     .by_hs(284610, 0.75) // cerium compounds
//!     .by_hs(280530, 1.17); // rare-earth metals, as oxide
//! let net = ChainNetwork::new(&world.chain, &target, &rare_earths.content(reo))?;
//! let supply = net.solve().deliverable_supply();
//! // Say which factors the figure rests on.
//! assert!(net.conversions().iter().any(|c| c.key == ContentKey::Hs(284690)));
//! for c in net.conversions() {
//!     println!("{c}");
//! }
//! println!("US rare-earth manufacturing can receive {supply} of REO (on these factors)");
//! # Ok::<(), critical_minerals::Error>(())
//! ```
//!
//! # Policy rows
//! `policy.csv` holds 24 rows: 6 become [`Agreement`](crate::Agreement)s,
//! 16 [`ExportRestriction`](crate::ExportRestriction)s and 2 (China's
//! suspensions of 2025) [`PolicyAct`]s that are also attached to the
//! restrictions they suspend. The mapping of each column:
//!
//! | `kind` | becomes |
//! |---|---|
//! | `mou`, `framework`, `trade_agreement`, `partnership` | an agreement of that kind |
//! | `export_ban` | [`RestrictionKind::Ban`](crate::RestrictionKind::Ban) |
//! | `export_suspension` | `Ban`, with `ends` from "ended YYYY-MM-DD" (DRC cobalt, ended 2025-10-15) |
//! | `licence_requirement` | `Licence` |
//! | `quota` | `Quota`; the limit is not a column: the DRC's is 96,600 t a year, the 2026 figure stated in the row's summary, and its provenance note says so |
//! | `technology_export_ban` | `TechnologyBan` |
//! | `suspension` | a [`PolicyAct`], and a [`Suspension`](crate::Suspension) (`by` = the act's id, `from` = its announcement date, `until` = the date in its row) on every restriction whose `end_or_suspension` names it: No. 70 suspends Nos. 55, 56, 57, 58, 61 and 62 until 2026-11-10; the other suspends No. 46 (clause 2 only, as the restriction's note says) until 2026-11-27 |
//!
//! Minerals: `critical minerals (general)` → [`Coverage::All`](crate::Coverage::All);
//! `rare-earths (samarium;…)` → `rare-earths`, the elements in the
//! provenance note; `superhard materials` → `superhard-materials`. Stages:
//! `all` → `Coverage::All`. Parties: `EU` → [`Country::EUU`](crate::Country::EUU);
//! targets `ALL` → [`RestrictionTargets::All`](crate::RestrictionTargets::All), a country list →
//! `RestrictionTargets::Only`. `binding`: yes / no / unknown / pending (not in force).
//! Dates stay as reported (a month stays a month). `source_ref` → the
//! provenance citation, `confidence` → [`Confidence`](crate::Confidence),
//! `end_or_suspension` → the provenance note. Agreement provisions are read
//! by hand from the summaries (the US–Malaysia MOU: US investment priority,
//! price floors, information sharing, ends by written notice; the
//! reciprocal trade agreement: Malaysia's commitment not to ban or set quotas
//! on exports to the US, binding pending), and each agreement's note says so.

mod assemble;
mod concordance;
mod dataset;
mod modeled;
mod policy;
mod rows;
mod sheet;
mod trade;
mod wmd;
mod world;

pub use assemble::{YearChainOptions, YearRule};
pub use concordance::{HsConcordance, HsEntry, parse_hs6};
pub use dataset::{Byproduct, Dataset};
pub use modeled::{ModeledFlows, ModeledReport};
pub use policy::PolicyAct;
pub use rows::{
    Bound, GovernanceProxy, GovernanceRow, ImportSourceRow, Production, ProductionRow, Reported,
    ReserveRow, ShareRow, Unit, UsgsRelianceFigure, UsgsRelianceRow,
};
pub use trade::{BACI_SOURCE, TradeQuery, TradeRow, TradeTable};
pub use wmd::{WMD_SOURCE, WmdCommodity, WmdFlag, WmdQuery, WmdRow, WorldMiningData};
pub use world::{
    ProductionOrigin, ProductionPick, ProductionSource, WorldChain, WorldChainOptions,
    WorldChainReport, WorldSkip,
};
