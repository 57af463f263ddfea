//! The vocabulary of the domain: stages, countries, minerals, quantities,
//! dates, provenance and policy objects.

mod basis;
mod content;
mod country;
mod date;
mod mineral;
mod policy;
mod provenance;
mod quantity;
mod stage;

pub use basis::Basis;
pub(crate) use basis::{OneBasis, common_basis};
pub(crate) use content::Converter;
pub use content::{BasisFactor, ContentFactors, ContentKey, Conversion};
pub use country::Country;
pub use date::ReportedDate;
pub use mineral::Mineral;
pub use policy::{
    Agreement, AgreementKind, AgreementStatus, Binding, Coverage, ExportRestriction, Provision,
    QuotaLimit, RestrictionKind, RestrictionStatus, RestrictionTargets, Suspension, Termination,
};
pub use provenance::{Confidence, Provenance, Source, Status};
pub(crate) use quantity::group_thousands;
pub use quantity::{Share, Tonnes, Usd};
pub use stage::Stage;
