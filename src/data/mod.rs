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

pub use assemble::{YearChainOptions, YearRule};
pub use concordance::{HsConcordance, HsEntry, parse_hs6};
pub use dataset::{Byproduct, Dataset};
pub use modeled::{ModeledFlows, ModeledReport};
pub use policy::PolicyAct;
pub use rows::{
    Bound, GovernanceRow, ImportSourceRow, Production, ProductionRow, Reported, ReserveRow,
    ShareRow, Unit, UsgsRelianceFigure, UsgsRelianceRow,
};
