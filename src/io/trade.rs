//! What the trade loaders share: options, the receiving-stage rule, the
//! product table built from a concordance, and the aggregation of rows into
//! flows.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::commit::{PendingFlow, commit_flows};
use super::report::{LoadReport, SkipReason};
use crate::chain::{Flow, NodeKey, SupplyChain};
use crate::csv_header::parse_error;
use crate::data::HsConcordance;
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Provenance, Stage, Status, Tonnes, Usd};

/// The stage of the importer's node that receives a traded product, given
/// the stage the concordance gives the product.
///
/// The product's stage says what it *is* (ore is extraction output); the
/// flow leaves the exporter's node at that stage and enters the importer's
/// node at the next stage that *consumes* it:
///
/// | product (exporter's stage) | importer's receiving stage | why |
/// |---|---|---|
/// | exploration | extraction | (no goods are traded at this stage; for completeness) |
/// | extraction (ores, concentrates) | processing | ore feeds beneficiation and chemical processing |
/// | processing (mattes, intermediates, oxides) | refining | intermediates feed refineries and smelters |
/// | refining (refined metal, high-purity compounds) | manufacturing | refined material feeds makers of components |
/// | manufacturing (magnets, cells) | manufacturing | goods feed the importer's manufacturing: same stage across a border |
/// | recycling (waste and scrap) | recycling | scrap feeds the importer's recyclers: same stage across a border |
///
/// Every pair is a valid cross-border transition under
/// [`Stage::can_flow_to`]. Where a product skips a stage (concentrate
/// shipped straight to a refinery), override the rule with
/// [`TradeOptions::route`].
///
/// # Example
/// ```
/// use critical_minerals::Stage;
/// use critical_minerals::io::receiving_stage;
/// assert_eq!(receiving_stage(Stage::Extraction), Stage::Processing);
/// assert_eq!(receiving_stage(Stage::Manufacturing), Stage::Manufacturing);
/// assert!(Stage::Refining.can_flow_to(receiving_stage(Stage::Refining), true));
/// ```
pub const fn receiving_stage(product: Stage) -> Stage {
    match product {
        Stage::Exploration => Stage::Extraction,
        Stage::Extraction => Stage::Processing,
        Stage::Processing => Stage::Refining,
        Stage::Refining => Stage::Manufacturing,
        Stage::Manufacturing => Stage::Manufacturing,
        Stage::Recycling => Stage::Recycling,
    }
}

/// Which figure of a trade row a flow must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowMeasure {
    /// Rows need a quantity; a row without one (`NA`, empty) is skipped as
    /// [`SkipReason::MissingQuantity`], never guessed. The flow's tonnes are
    /// the rows' total; its value is their total when every row has one.
    #[default]
    Quantity,
    /// Rows need a value; a row without one is skipped as
    /// [`SkipReason::MissingValue`]. Rows without a quantity are kept: the
    /// flow's value is the rows' total and its tonnes the total of the
    /// quantities that are known. When any row had no quantity, the flow's
    /// provenance status is [`Status::Withheld`] and its note says how many
    /// rows lacked one, so the tonnes read as a lower bound.
    Value,
}

/// What to do with a trade code for a reporter that is not an ISO 3166-1
/// country: BACI / Comtrade 490 "Other Asia, n.e.s." (in practice Taiwan),
/// 58 Belgium-Luxembourg, 711 Southern African Customs Union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NonIsoPolicy {
    /// Map to the documented non-ISO codes `S19`, `BLX`, `ZA1` (see
    /// [`Country`]).
    #[default]
    Map,
    /// Skip the row, counted as [`SkipReason::NonIsoCountry`].
    Skip,
    /// Fail with [`Error::Parse`] naming the line and column.
    Error,
}

/// Options of the trade loaders ([`load_baci`](crate::io::load_baci),
/// [`load_comtrade`](crate::io::load_comtrade)).
///
/// Defaults: every year, every mineral of the concordance, quantity as the
/// measure, non-ISO codes mapped, the built-in concordance
/// ([`HsConcordance::builtin`]), bad rows counted rather than fatal,
/// Comtrade exports not mirrored, products routed by [`receiving_stage`],
/// flows cited as the data set with no registered source.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, Stage};
/// use critical_minerals::io::{FlowMeasure, NonIsoPolicy, TradeOptions};
/// let opts = TradeOptions::new()
///     .years(2021..=2022)
///     .mineral(Mineral::COBALT)
///     .measure(FlowMeasure::Value)
///     .non_iso(NonIsoPolicy::Skip)
///     .route(Stage::Extraction, Stage::Refining)
///     .strict(true);
/// assert_eq!(opts.receiving(Stage::Extraction), Stage::Refining);
/// ```
///
/// Not serialisable: [`HsConcordance`] is not.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TradeOptions {
    /// The years to keep; `None` keeps every year (the default).
    pub years: Option<BTreeSet<i16>>,
    /// The minerals to keep; `None` keeps every mineral of the concordance
    /// (the default).
    pub minerals: Option<BTreeSet<Mineral>>,
    /// Which figure a row must have (default [`FlowMeasure::Quantity`]).
    pub measure: FlowMeasure,
    /// What to do with non-ISO reporter codes (default
    /// [`NonIsoPolicy::Map`]).
    pub non_iso: NonIsoPolicy,
    /// The caller's concordance; `None` uses the built-in one (the default).
    pub concordance: Option<HsConcordance>,
    /// Whether the first bad row fails the load (see
    /// [`TradeOptions::strict`]); default `false`.
    pub strict: bool,
    /// Whether Comtrade export rows fill the gaps of import rows (see
    /// [`TradeOptions::mirror_exports`]); default `false`.
    pub mirror_exports: bool,
    /// Receiving stage by product stage, overriding [`receiving_stage`]
    /// (see [`TradeOptions::route`]); empty by default.
    pub routes: BTreeMap<Stage, Stage>,
    /// A registered source cited on every flow loaded; `None` cites the data
    /// set with no registered source (the default).
    pub source: Option<String>,
}

impl TradeOptions {
    /// The defaults (see the type's docs).
    pub fn new() -> TradeOptions {
        TradeOptions::default()
    }

    /// Keeps this year too (the first call limits loading to the years
    /// given; with no call every year is kept).
    pub fn year(mut self, year: i16) -> TradeOptions {
        self.years.get_or_insert_with(BTreeSet::new).insert(year);
        self
    }

    /// Keeps these years too (see [`TradeOptions::year`]).
    pub fn years(mut self, years: impl IntoIterator<Item = i16>) -> TradeOptions {
        self.years.get_or_insert_with(BTreeSet::new).extend(years);
        self
    }

    /// Keeps this mineral too (the first call limits loading to the minerals
    /// given; with no call every mineral of the concordance is kept).
    pub fn mineral(mut self, mineral: Mineral) -> TradeOptions {
        self.minerals
            .get_or_insert_with(BTreeSet::new)
            .insert(mineral);
        self
    }

    /// Keeps these minerals too (see [`TradeOptions::mineral`]).
    pub fn minerals(mut self, minerals: impl IntoIterator<Item = Mineral>) -> TradeOptions {
        self.minerals
            .get_or_insert_with(BTreeSet::new)
            .extend(minerals);
        self
    }

    /// Which figure a row must have (default [`FlowMeasure::Quantity`]).
    pub fn measure(mut self, measure: FlowMeasure) -> TradeOptions {
        self.measure = measure;
        self
    }

    /// What to do with non-ISO reporter codes (default
    /// [`NonIsoPolicy::Map`]).
    pub fn non_iso(mut self, policy: NonIsoPolicy) -> TradeOptions {
        self.non_iso = policy;
        self
    }

    /// Uses the caller's concordance instead of the built-in one.
    pub fn concordance(mut self, concordance: HsConcordance) -> TradeOptions {
        self.concordance = Some(concordance);
        self
    }

    /// With `true`, the first bad row (wrong column count, malformed field,
    /// unknown country, negative or non-finite number: see
    /// [`SkipReason::is_bad_data`]) fails the load with [`Error::Parse`]
    /// naming its line and column, instead of being counted and skipped.
    /// Missing quantities are never an error: they are counted.
    pub fn strict(mut self, strict: bool) -> TradeOptions {
        self.strict = strict;
        self
    }

    /// With `true`, Comtrade export rows fill the gaps the importers' own
    /// reports leave ("mirror" data): an export row is used only when no
    /// import row covers the same exporter, importer, product and year.
    /// BACI has no use for it (it is already reconciled).
    pub fn mirror_exports(mut self, mirror: bool) -> TradeOptions {
        self.mirror_exports = mirror;
        self
    }

    /// Sends products of stage `product` to the importer's `receiving`
    /// stage instead of the default [`receiving_stage`]. Loading fails with
    /// [`Error::InvalidTransition`] when the pair is not a valid
    /// cross-border transition.
    pub fn route(mut self, product: Stage, receiving: Stage) -> TradeOptions {
        self.routes.insert(product, receiving);
        self
    }

    /// Cites this registered source on every flow loaded (loading fails with
    /// [`Error::UnknownSource`] when the chain does not have it).
    pub fn source(mut self, id: impl Into<String>) -> TradeOptions {
        self.source = Some(id.into());
        self
    }

    /// The importer's stage for a product of stage `product`: the route set
    /// with [`TradeOptions::route`], else [`receiving_stage`].
    pub fn receiving(&self, product: Stage) -> Stage {
        self.routes
            .get(&product)
            .copied()
            .unwrap_or(receiving_stage(product))
    }

    pub(crate) fn keeps_year(&self, year: i16) -> bool {
        self.years.as_ref().is_none_or(|ys| ys.contains(&year))
    }

    /// Checks what can be checked before reading a row: routes and source.
    pub(crate) fn check(&self, chain: &SupplyChain) -> Result<()> {
        for (from, to) in &self.routes {
            from.check_transition(*to, true)
                .map_err(|e| e.at(format!("options: TradeOptions::route({from}, {to})")))?;
        }
        if let Some(id) = &self.source {
            if chain.source(id).is_none() {
                return Err(Error::UnknownSource { id: id.clone() });
            }
        }
        Ok(())
    }
}

/// One selected reading of a product code: an index into
/// [`Products::minerals`] and the product's stage.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    pub(crate) mineral: u16,
    pub(crate) stage: Stage,
}

/// The concordance, prepared for a fast per-row lookup: a bitset over all
/// 10^6 HS-6 codes rejects the many codes outside it in O(1).
#[derive(Debug)]
pub(crate) struct Products {
    in_concordance: Vec<u64>,
    /// Every concordance code, with what [`Lookup::Readings`] returns for
    /// it: one map, so a kept row costs one hash lookup.
    codes: HashMap<u32, Product>,
    /// Selected minerals, sorted, so that flow order follows mineral names.
    pub(crate) minerals: Vec<Mineral>,
}

/// A concordance code's selected readings, and whether the code stands for
/// several minerals in the concordance (selected or not).
#[derive(Debug)]
struct Product {
    readings: Vec<Reading>,
    lumped: bool,
}

/// What the product table says about a code.
pub(crate) enum Lookup<'a> {
    /// Not in the concordance.
    Absent,
    /// In it, but for no selected mineral.
    Unselected,
    /// The selected readings, and whether the code stands for several
    /// minerals in the concordance.
    Readings(&'a [Reading], bool),
}

impl Products {
    /// Prepares the options' concordance (the built-in one by default),
    /// restricted to the options' minerals.
    pub(crate) fn new(options: &TradeOptions) -> Result<Products> {
        let concordance = match &options.concordance {
            Some(c) => c,
            None => HsConcordance::builtin()?,
        };
        let minerals: Vec<Mineral> = concordance
            .iter()
            .map(|e| e.mineral.clone())
            .filter(|m| options.minerals.as_ref().is_none_or(|s| s.contains(m)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut p = Products {
            in_concordance: vec![0; 1_000_000 / 64 + 1],
            codes: HashMap::new(),
            minerals,
        };
        for code in concordance.codes() {
            let entries = concordance.get(code);
            if let Some(w) = p.in_concordance.get_mut(code as usize / 64) {
                *w |= 1 << (code % 64);
            }
            let readings = entries
                .iter()
                .filter_map(|e| {
                    let ix = p.minerals.binary_search(&e.mineral).ok()?;
                    Some(Reading {
                        mineral: u16::try_from(ix).ok()?,
                        stage: e.stage,
                    })
                })
                .collect();
            let lumped = entries.len() > 1;
            p.codes.insert(code, Product { readings, lumped });
        }
        Ok(p)
    }

    /// What the table says about a code.
    #[inline]
    pub(crate) fn lookup(&self, code: u32) -> Lookup<'_> {
        let hit = self
            .in_concordance
            .get(code as usize / 64)
            .is_some_and(|w| w & (1 << (code % 64)) != 0);
        if !hit {
            return Lookup::Absent;
        }
        match self.codes.get(&code) {
            Some(p) if !p.readings.is_empty() => Lookup::Readings(&p.readings, p.lumped),
            _ => Lookup::Unselected,
        }
    }
}

/// Resolves a numeric trade code to a country under the non-ISO policy.
/// `Err` carries the skip reason (unknown code, or non-ISO under
/// [`NonIsoPolicy::Skip`] or [`NonIsoPolicy::Error`]; the caller turns the
/// latter into an error).
pub(crate) fn resolve_code(code: u16, policy: NonIsoPolicy) -> Result<Country, SkipReason> {
    let c = Country::from_trade_code(code).map_err(|_| SkipReason::UnknownCountry)?;
    admit(c, policy)
}

/// Applies the non-ISO policy to a resolved country: a non-ISO one is
/// refused with [`SkipReason::NonIsoCountry`] unless the policy maps it.
pub(crate) fn admit(country: Country, policy: NonIsoPolicy) -> Result<Country, SkipReason> {
    if policy != NonIsoPolicy::Map && !country.is_iso() {
        return Err(SkipReason::NonIsoCountry);
    }
    Ok(country)
}

/// A cache of [`resolve_code`] for codes below 1000 (BACI's and Comtrade's
/// codes are three digits), so a 10-million-row file resolves each code once.
#[derive(Debug)]
pub(crate) struct CodeCache {
    policy: NonIsoPolicy,
    slots: Vec<Option<Result<Country, SkipReason>>>,
}

impl CodeCache {
    pub(crate) fn new(policy: NonIsoPolicy) -> CodeCache {
        CodeCache {
            policy,
            slots: vec![None; 1000],
        }
    }

    #[inline]
    pub(crate) fn get(&mut self, code: u32) -> Result<Country, SkipReason> {
        let policy = self.policy;
        match self.slots.get_mut(code as usize) {
            Some(slot) => *slot.get_or_insert_with(|| resolve_code(code as u16, policy)),
            None => Err(SkipReason::UnknownCountry),
        }
    }
}

/// Handles a row that cannot be used: counts it, or fails when the options
/// say so (strict loading and a bad-data reason, or a non-ISO code under
/// [`NonIsoPolicy::Error`]).
pub(crate) fn reject(
    report: &mut LoadReport,
    options: &TradeOptions,
    reason: SkipReason,
    file: Option<&Path>,
    line: u64,
    column: Option<u64>,
    message: impl FnOnce() -> String,
) -> Result<()> {
    let fatal = (options.strict && reason.is_bad_data())
        || (reason == SkipReason::NonIsoCountry && options.non_iso == NonIsoPolicy::Error);
    if fatal {
        return Err(parse_error(file, line, column, message()));
    }
    report.skip(reason);
    Ok(())
}

/// The flow a group of rows becomes: exporter's node → importer's node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FlowKey {
    pub(crate) exporter: Country,
    pub(crate) importer: Country,
    pub(crate) mineral: u16,
    pub(crate) stage: Stage,
    pub(crate) year: i16,
}

/// The running totals of one [`FlowKey`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Totals {
    tonnes: f64,
    value: f64,
    pub(crate) rows: u64,
    rows_no_quantity: u64,
    rows_no_value: u64,
    codes: Vec<u32>,
    lumped: bool,
}

/// A row's product code, and whether the concordance maps it to several
/// minerals.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Code {
    pub(crate) hs6: u32,
    pub(crate) lumped: bool,
}

/// Sums rows into flows.
#[derive(Debug, Default)]
pub(crate) struct Aggregator {
    pub(crate) groups: HashMap<FlowKey, Totals>,
}

impl Aggregator {
    /// Adds one row's figures (already validated finite and non-negative,
    /// in tonnes and US dollars) to a flow. `Err` with the flow's new total
    /// when its tonnes pass [`Tonnes::MAX`]: the caller names the row.
    pub(crate) fn add(
        &mut self,
        key: FlowKey,
        code: Code,
        tonnes: Option<f64>,
        value: Option<f64>,
    ) -> std::result::Result<(), f64> {
        let t = self.groups.entry(key).or_default();
        t.rows += 1;
        t.lumped |= code.lumped;
        let code = code.hs6;
        match tonnes {
            Some(q) => t.tonnes += q,
            None => t.rows_no_quantity += 1,
        }
        match value {
            Some(v) => t.value += v,
            None => t.rows_no_value += 1,
        }
        if !t.codes.contains(&code) {
            t.codes.push(code);
        }
        if t.tonnes > Tonnes::MAX.get() {
            return Err(t.tonnes);
        }
        Ok(())
    }

    /// Adds another aggregator's totals (of other rows) to these.
    pub(crate) fn merge(&mut self, other: Aggregator) {
        for (key, o) in other.groups {
            let t = self.groups.entry(key).or_default();
            t.tonnes += o.tonnes;
            t.value += o.value;
            t.rows += o.rows;
            t.rows_no_quantity += o.rows_no_quantity;
            t.rows_no_value += o.rows_no_value;
            t.lumped |= o.lumped;
            for c in o.codes {
                if !t.codes.contains(&c) {
                    t.codes.push(c);
                }
            }
        }
    }

    /// Turns the totals into flows, sorted by exporter, importer, mineral,
    /// stage and year so the chain's flow ids do not depend on hash order.
    pub(crate) fn into_pending(
        self,
        products: &Products,
        options: &TradeOptions,
        dataset: &str,
    ) -> Result<Vec<PendingFlow>> {
        let mut groups: Vec<(FlowKey, Totals)> = self.groups.into_iter().collect();
        groups.sort_unstable_by_key(|(k, _)| *k);
        let mut out = Vec::with_capacity(groups.len());
        for (k, mut t) in groups {
            let mineral = products
                .minerals
                .get(usize::from(k.mineral))
                .cloned()
                .ok_or_else(|| Error::IndexOutOfRange {
                    what: "mineral index",
                    index: u64::from(k.mineral),
                    len: products.minerals.len() as u64,
                })?;
            // Rows are checked as they are added; totals merged from two
            // halves of a file are checked here, naming the flow.
            let place = || {
                format!(
                    "{dataset}: flow {} -> {} {mineral} {} {} ({} rows)",
                    k.exporter, k.importer, k.stage, k.year, t.rows
                )
            };
            let mut flow =
                Flow::new(Tonnes::new(t.tonnes).map_err(|e| e.at(place()))?).year(k.year);
            if t.rows_no_value == 0 {
                flow.value = Some(Usd::new(t.value).map_err(|e| e.at(place()))?);
            }
            t.codes.sort_unstable();
            let codes: Vec<String> = t.codes.iter().map(|c| format!("{c:06}")).collect();
            let mut note = format!(
                "HS-6 {}; {} row{}",
                codes.join(", "),
                t.rows,
                if t.rows == 1 { "" } else { "s" }
            );
            if t.lumped {
                note.push_str("; a code shared with other minerals: the tonnes cover all of them");
            }
            let mut prov = Provenance::new(Status::Reported).citation(dataset);
            if t.rows_no_quantity > 0 {
                prov.status = Status::Withheld;
                note.push_str(&format!(
                    "; quantity missing in {} of {} rows, tonnes are a lower bound",
                    t.rows_no_quantity, t.rows
                ));
            }
            if t.rows_no_value > 0 {
                note.push_str(&format!(
                    "; value missing in {} of {} rows, so no value is given",
                    t.rows_no_value, t.rows
                ));
            }
            if let Some(id) = &options.source {
                prov = prov.source(id.clone());
            }
            flow.provenance = prov.note(note);
            out.push(PendingFlow {
                from: NodeKey::new(k.exporter, mineral.clone(), k.stage),
                to: NodeKey::new(k.importer, mineral, options.receiving(k.stage)),
                flow,
            });
        }
        Ok(out)
    }
}

/// Commits the aggregated flows and completes the report.
pub(crate) fn finish(
    chain: &mut SupplyChain,
    agg: Aggregator,
    products: &Products,
    options: &TradeOptions,
    dataset: &str,
    mut report: LoadReport,
) -> Result<LoadReport> {
    let pending = agg.into_pending(products, options, dataset)?;
    let done = commit_flows(chain, pending)?;
    report.flows_added = done.flows.len();
    report.nodes_added = done.nodes_added;
    report.flow_ids = done.flows;
    Ok(report)
}

/// Applies the measure to a row's figures: counts a row that lacks the
/// measured figure as skipped, or counts it as kept (with what it lacks).
pub(crate) fn keep_figures(
    report: &mut LoadReport,
    options: &TradeOptions,
    quantity: Option<f64>,
    value: Option<f64>,
) -> bool {
    match options.measure {
        FlowMeasure::Quantity if quantity.is_none() => {
            report.skip(SkipReason::MissingQuantity);
            return false;
        }
        FlowMeasure::Value if value.is_none() => {
            report.skip(SkipReason::MissingValue);
            return false;
        }
        _ => {}
    }
    report.rows_kept += 1;
    report.rows_without_quantity += u64::from(quantity.is_none());
    report.rows_without_value += u64::from(value.is_none());
    true
}

/// Cleans a raw field: trims ASCII whitespace and one pair of surrounding
/// double quotes.
#[inline]
pub(crate) fn clean(field: &[u8]) -> &[u8] {
    let f = field.trim_ascii();
    match f {
        [b'"', inner @ .., b'"'] => inner.trim_ascii(),
        _ => f,
    }
}

/// Parses one to nine ASCII digits.
#[inline]
pub(crate) fn parse_digits(field: &[u8]) -> Option<u32> {
    if field.is_empty() || field.len() > 9 {
        return None;
    }
    let mut n: u32 = 0;
    for &b in field {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u32::from(d);
    }
    Some(n)
}

/// A figure of a row: missing, a finite non-negative number, or invalid
/// (and why).
pub(crate) enum Figure {
    Missing,
    Number(f64),
    Invalid(FigureProblem),
}

/// What is wrong with a figure a trade loader refuses.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FigureProblem {
    /// Not a number at all (or not UTF-8).
    NotANumber,
    /// NaN or infinite.
    NotFinite,
    /// Below zero.
    Negative,
    /// Above [`Tonnes::MAX`] once converted (the column's limit is given).
    TooLarge {
        /// The largest figure accepted, in the column's own unit.
        limit: f64,
    },
}

impl FigureProblem {
    /// The end of a message: `"1e308" ` + this.
    pub(crate) fn describe(self) -> String {
        match self {
            FigureProblem::NotANumber => "is not a number".into(),
            FigureProblem::NotFinite => "is not a finite number".into(),
            FigureProblem::Negative => "is negative".into(),
            FigureProblem::TooLarge { limit } => format!(
                "is outside the accepted domain: above {limit:e} in this column's unit, \
                 larger than any real figure (a unit error)"
            ),
        }
    }
}

/// Reads a figure; `scale` converts to tonnes or US dollars.
pub(crate) fn parse_figure(field: &[u8], scale: f64) -> Figure {
    let Ok(text) = std::str::from_utf8(clean(field)) else {
        return Figure::Invalid(FigureProblem::NotANumber);
    };
    if super::util::is_missing(text) {
        return Figure::Missing;
    }
    // No single figure is above the tonnes limit (10^15; as US dollars,
    // ten times world output): larger is a unit error, refused with its row.
    match text.parse::<f64>() {
        Ok(v) if !v.is_finite() => Figure::Invalid(FigureProblem::NotFinite),
        Ok(v) if v < 0.0 => Figure::Invalid(FigureProblem::Negative),
        Ok(v) if v * scale > Tonnes::MAX.get() => Figure::Invalid(FigureProblem::TooLarge {
            limit: Tonnes::MAX.get() / scale,
        }),
        Ok(v) => Figure::Number(v * scale + 0.0),
        Err(_) => Figure::Invalid(FigureProblem::NotANumber),
    }
}
