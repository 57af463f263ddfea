//! What a trade loader did: rows read, kept and skipped (by reason), flows
//! and nodes added.

use std::collections::BTreeMap;
use std::fmt;

use crate::chain::FlowId;

/// Why a row of a trade file was not turned into a flow.
///
/// Reasons are ordered roughly by how early in a row's checks they apply:
/// structure first (column count, unparseable fields), then the filters
/// (product, year, mineral), then the row's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// The row has more or fewer fields than the header.
    WrongColumnCount,
    /// A field that must be a number or a code could not be read (a year
    /// that is not a number, an HS code with letters).
    Malformed,
    /// The product code is not in the concordance (most rows of a real
    /// trade file: everything that is not a mineral product).
    NotInConcordance,
    /// The product is in the concordance but only for minerals the options
    /// leave out.
    MineralNotSelected,
    /// The year is not one the options keep.
    YearNotSelected,
    /// A country code that is neither a trade code nor ISO 3166-1.
    UnknownCountry,
    /// A non-ISO reporter or partner (BACI/Comtrade 490 "Other Asia, n.e.s.",
    /// 58 Belgium-Luxembourg, 711 SACU) that the options skip.
    NonIsoCountry,
    /// A world or area total rather than one partner (Comtrade partner 0,
    /// `W00`).
    AggregatePartner,
    /// Exporter and importer are the same country: not trade.
    SelfTrade,
    /// The quantity is missing (`NA`, empty) while the measure is quantity.
    MissingQuantity,
    /// The value is missing while the measure is value.
    MissingValue,
    /// The quantity is negative or not finite.
    InvalidQuantity,
    /// The value is negative or not finite.
    InvalidValue,
    /// A Comtrade flow code other than `M` (import) or `X` (export):
    /// re-imports, re-exports, processing trade.
    OtherFlowCode,
    /// A Comtrade breakdown row (by second partner, customs procedure or
    /// mode of transport) whose total is another row.
    Breakdown,
    /// A Comtrade export row while exports are not mirrored.
    ExportNotMirrored,
    /// A Comtrade export row whose (exporter, importer, product, year) the
    /// importer's own report already covers.
    ExportCoveredByImport,
}

impl SkipReason {
    /// A short snake_case name (`not_in_concordance`), for logs and files.
    pub const fn name(self) -> &'static str {
        match self {
            SkipReason::WrongColumnCount => "wrong_column_count",
            SkipReason::Malformed => "malformed",
            SkipReason::NotInConcordance => "not_in_concordance",
            SkipReason::MineralNotSelected => "mineral_not_selected",
            SkipReason::YearNotSelected => "year_not_selected",
            SkipReason::UnknownCountry => "unknown_country",
            SkipReason::NonIsoCountry => "non_iso_country",
            SkipReason::AggregatePartner => "aggregate_partner",
            SkipReason::SelfTrade => "self_trade",
            SkipReason::MissingQuantity => "missing_quantity",
            SkipReason::MissingValue => "missing_value",
            SkipReason::InvalidQuantity => "invalid_quantity",
            SkipReason::InvalidValue => "invalid_value",
            SkipReason::OtherFlowCode => "other_flow_code",
            SkipReason::Breakdown => "breakdown",
            SkipReason::ExportNotMirrored => "export_not_mirrored",
            SkipReason::ExportCoveredByImport => "export_covered_by_import",
        }
    }

    /// Whether the reason marks bad data (as opposed to a row filtered out
    /// or left out by design). With [`strict`](crate::io::TradeOptions::strict)
    /// loading, a bad row is an error instead.
    pub const fn is_bad_data(self) -> bool {
        matches!(
            self,
            SkipReason::WrongColumnCount
                | SkipReason::Malformed
                | SkipReason::UnknownCountry
                | SkipReason::InvalidQuantity
                | SkipReason::InvalidValue
        )
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.name().replace('_', " "))
    }
}

/// What a trade loader did.
///
/// `rows_read = rows_kept + Σ skipped`. Its `Display` is a small table.
///
/// # Example
/// ```
/// use critical_minerals::SupplyChain;
/// use critical_minerals::io::{SkipReason, TradeOptions, load_baci};
/// let baci = "t,i,j,k,v,q\n2022,36,458,260500,10,2\n2022,36,458,999999,1,1\n";
/// let mut chain = SupplyChain::new();
/// let report = load_baci(&mut chain, baci.as_bytes(), &TradeOptions::new())?;
/// assert_eq!((report.rows_read, report.rows_kept), (2, 1));
/// assert_eq!(report.skipped(SkipReason::NotInConcordance), 1);
/// println!("{report}");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct LoadReport {
    /// Data rows read (the header and blank lines are not rows).
    pub rows_read: u64,
    /// Rows that went into a flow.
    pub rows_kept: u64,
    /// Rows not used, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Kept rows whose product code stands for several minerals (a lumped
    /// code such as `811292`): each such row went into a flow of every
    /// selected mineral, so sums across those minerals count it more than
    /// once.
    pub rows_lumped: u64,
    /// Kept rows with no quantity (only under
    /// [`FlowMeasure::Value`](crate::io::FlowMeasure::Value)); their flows
    /// are marked withheld.
    pub rows_without_quantity: u64,
    /// Kept rows with no value; their flows carry no value.
    pub rows_without_value: u64,
    /// Flows added to the chain (after aggregating rows).
    pub flows_added: usize,
    /// Nodes created for the flows' ends.
    pub nodes_added: usize,
    /// Ids of the flows added, in the order they were added.
    pub flow_ids: Vec<FlowId>,
}

impl LoadReport {
    /// How many rows were skipped for one reason.
    pub fn skipped(&self, reason: SkipReason) -> u64 {
        self.skipped.get(&reason).copied().unwrap_or(0)
    }

    /// How many rows were skipped for any reason.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// How many rows were skipped as bad data (see
    /// [`SkipReason::is_bad_data`]).
    pub fn bad_rows(&self) -> u64 {
        self.skipped
            .iter()
            .filter(|(r, _)| r.is_bad_data())
            .map(|(_, n)| n)
            .sum()
    }

    pub(crate) fn skip(&mut self, reason: SkipReason) {
        self.skip_n(reason, 1);
    }

    pub(crate) fn skip_n(&mut self, reason: SkipReason, n: u64) {
        if n > 0 {
            *self.skipped.entry(reason).or_insert(0) += n;
        }
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = 26;
        writeln!(f, "{:<w$}{:>12}", "rows read", self.rows_read)?;
        writeln!(f, "{:<w$}{:>12}", "rows kept", self.rows_kept)?;
        if self.rows_lumped > 0 {
            writeln!(
                f,
                "{:<w$}{:>12}",
                "  of which lumped codes", self.rows_lumped
            )?;
        }
        if self.rows_without_quantity > 0 {
            writeln!(
                f,
                "{:<w$}{:>12}",
                "  of which no quantity", self.rows_without_quantity
            )?;
        }
        if self.rows_without_value > 0 {
            writeln!(
                f,
                "{:<w$}{:>12}",
                "  of which no value", self.rows_without_value
            )?;
        }
        writeln!(f, "{:<w$}{:>12}", "rows skipped", self.skipped_total())?;
        for (reason, n) in &self.skipped {
            let label = format!("  {reason}");
            writeln!(f, "{label:<w$}{n:>12}")?;
        }
        writeln!(f, "{:<w$}{:>12}", "flows added", self.flows_added)?;
        write!(f, "{:<w$}{:>12}", "nodes added", self.nodes_added)
    }
}
