//! UN Comtrade bulk and API extracts.
//!
//! The layout of the Comtrade API and bulk downloads (comma- or
//! tab-separated, detected from the header), columns found by name,
//! case-insensitively, other columns ignored:
//!
//! | column | meaning |
//! |---|---|
//! | `refYear` (or `period`) | year |
//! | `reporterCode` or `reporterISO` | the reporting country (numeric Comtrade code, or ISO alpha-3) |
//! | `partnerCode` or `partnerISO` | the partner country |
//! | `flowCode` | `M` import, `X` export; others (re-imports `RM`, re-exports `RX`, ...) are skipped |
//! | `cmdCode` | HS-6 commodity code (other aggregation levels and `TOTAL` are not in the concordance) |
//! | `netWgt` | net weight, kilograms |
//! | `primaryValue` | value, US dollars |
//! | `partner2Code`, `customsCode`, `motCode`, `mosCode` | optional breakdowns: only total rows (`0`, `C00`, `0`, `0`, or empty) are used |
//!
//! When both a code and an ISO column are present the code is used.
//! Partner code `0` / `W00` (world) and the area codes 97 (EU), 837
//! (bunkers), 838 (free zones), 839 (special categories) and 899 (areas
//! n.e.s.) are totals, not partners: skipped as
//! [`SkipReason::AggregatePartner`].

use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

use super::report::{LoadReport, SkipReason};
use super::trade::{
    Aggregator, Code, Figure, FlowKey, Lookup, NonIsoPolicy, Products, Reading, TradeOptions,
    admit, finish, keep_figures, parse_figure, reject, resolve_code,
};
use crate::chain::SupplyChain;
use crate::csv_header::{HeaderReader, Names, parse_error, quote, read_error};
use crate::error::Result;
use crate::model::Country;

/// Comtrade partner codes that are totals over several partners.
const AGGREGATE_CODES: [u16; 6] = [0, 97, 837, 838, 839, 899];

/// Loads a UN Comtrade CSV (or tab-separated) extract into the chain.
///
/// Imports are taken as reported by the importer: a row with flow code `M`
/// is trade from the partner (exporter) to the reporter (importer). Export
/// rows (`X`, reporter → partner) are used only with
/// [`TradeOptions::mirror_exports`], and then only to fill the gaps: an
/// export row is used when no import row covers the same exporter, importer,
/// product and year (counted as [`SkipReason::ExportCoveredByImport`]
/// otherwise). Net weight in kilograms becomes tonnes; the value is in US
/// dollars.
///
/// Everything else is as for [`load_baci`](crate::io::load_baci): the
/// concordance maps the code to (mineral, stage), the receiving stage follows
/// [`TradeOptions::receiving`], rows of one exporter node, importer node and
/// year are summed into one flow, end nodes are created as needed, bad rows
/// are counted by reason (or fatal under [`TradeOptions::strict`]), and the
/// chain is unchanged on error. By default (lenient) a row whose `netWgt`
/// or `primaryValue` is outside its domain (not a number, negative, or
/// above 10^15 t or US dollars once converted, such as `1e308`) is skipped
/// and counted in [`LoadReport::skipped`](crate::io::LoadReport::skipped)
/// under [`SkipReason::InvalidQuantity`] or [`SkipReason::InvalidValue`];
/// check the report.
///
/// O(bytes) time; memory O(flows) beyond the reader's buffer.
///
/// # Errors
/// [`Error::Parse`](crate::Error::Parse) for a header that lacks a required column, malformed
/// CSV quoting, the first bad row under [`TradeOptions::strict`], or a
/// non-ISO code under [`NonIsoPolicy::Error`] (line and column named);
/// [`Error::Io`](crate::Error::Io) when reading fails; [`Error::InvalidTransition`](crate::Error::InvalidTransition) and
/// [`Error::UnknownSource`](crate::Error::UnknownSource) for bad options.
///
/// # Example
/// ```
/// use critical_minerals::{Country, SupplyChain};
/// use critical_minerals::io::{SkipReason, TradeOptions, load_comtrade};
/// // The US (842) reports importing refined gallium-group metal (811292)
/// // from China (156); China reports the matching export.
/// let csv = "refYear,reporterCode,partnerCode,flowCode,cmdCode,netWgt,primaryValue\n\
///            2023,842,156,M,811292,5000,1200000\n\
///            2023,156,842,X,811292,5200,1250000\n";
/// let mut chain = SupplyChain::new();
/// let report = load_comtrade(&mut chain, csv.as_bytes(), &TradeOptions::new())?;
/// assert_eq!(report.skipped(SkipReason::ExportNotMirrored), 1);
/// // 811292 stands for gallium and germanium: one flow each.
/// assert_eq!(report.flows_added, 2);
/// let f = chain.flows_between(Country::CHN, Country::USA).next().unwrap();
/// assert_eq!(f.tonnes().get(), 5.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn load_comtrade<R: Read>(
    chain: &mut SupplyChain,
    reader: R,
    options: &TradeOptions,
) -> Result<LoadReport> {
    load(chain, reader, None, options)
}

/// Loads a UN Comtrade file (see [`load_comtrade`]); errors name the file.
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) naming the file when it cannot be read, otherwise as for
/// [`load_comtrade`].
pub fn load_comtrade_file(
    chain: &mut SupplyChain,
    path: impl AsRef<Path>,
    options: &TradeOptions,
) -> Result<LoadReport> {
    let path = path.as_ref();
    load(chain, super::util::open(path)?, Some(path), options)
}

/// Column positions, by role.
#[derive(Debug)]
struct Columns {
    year: usize,
    reporter_code: Option<usize>,
    reporter_iso: Option<usize>,
    partner_code: Option<usize>,
    partner_iso: Option<usize>,
    flow: usize,
    cmd: usize,
    weight: usize,
    value: usize,
    /// Breakdown columns with the value of their total row.
    breakdowns: Vec<(usize, &'static str)>,
}

impl Columns {
    fn from_header<R: Read>(header: &HeaderReader<'_, R>) -> Result<Columns> {
        let file = header.file();
        let get = |n: &str| header.position(n);
        let need = |n: &str, hint: &str| {
            get(n).ok_or_else(|| parse_error(file, 1, None, format!("missing column {hint:?}")))
        };
        let year = match get("refyear") {
            Some(i) => i,
            None => need("period", "refYear")?,
        };
        let c = Columns {
            year,
            reporter_code: get("reportercode"),
            reporter_iso: get("reporteriso"),
            partner_code: get("partnercode"),
            partner_iso: get("partneriso"),
            flow: need("flowcode", "flowCode")?,
            cmd: need("cmdcode", "cmdCode")?,
            weight: need("netwgt", "netWgt")?,
            value: need("primaryvalue", "primaryValue")?,
            breakdowns: [
                ("partner2code", "0"),
                ("customscode", "C00"),
                ("motcode", "0"),
                ("moscode", "0"),
            ]
            .into_iter()
            .filter_map(|(n, total)| get(n).map(|i| (i, total)))
            .collect(),
        };
        if c.reporter_code.is_none() && c.reporter_iso.is_none() {
            return Err(parse_error(
                file,
                1,
                None,
                "missing column \"reporterCode\" (or \"reporterISO\")",
            ));
        }
        if c.partner_code.is_none() && c.partner_iso.is_none() {
            return Err(parse_error(
                file,
                1,
                None,
                "missing column \"partnerCode\" (or \"partnerISO\")",
            ));
        }
        Ok(c)
    }
}

fn load<R: Read>(
    chain: &mut SupplyChain,
    reader: R,
    file: Option<&Path>,
    options: &TradeOptions,
) -> Result<LoadReport> {
    options.check(chain)?;
    let products = Products::new(options)?;
    let (delimiter, input) = sniff_delimiter(reader).map_err(|e| read_error(file, e))?;
    let mut rdr = HeaderReader::new(input, file, delimiter, true, Names::Folded)?;
    let cols = Columns::from_header(&rdr)?;
    let width = rdr.width();
    let mut report = LoadReport::default();
    let mut imports = Aggregator::default();
    let mut exports = Aggregator::default();
    let mut export_rows: Vec<Vec<FlowKey>> = Vec::new();
    let mut rec = csv::StringRecord::new();
    let policy = options.non_iso;
    while let Some(line) = rdr.next(&mut rec)? {
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        report.rows_read += 1;
        let skip = |report: &mut LoadReport, reason, column: Option<usize>, msg: String| {
            reject(
                report,
                options,
                reason,
                file,
                line,
                column.map(|c| c as u64 + 1),
                || msg,
            )
        };
        if rec.len() != width {
            let msg = format!("expected {width} fields, found {}", rec.len());
            skip(&mut report, SkipReason::WrongColumnCount, None, msg)?;
            continue;
        }
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        if cols
            .breakdowns
            .iter()
            .any(|(i, total)| !cell(*i).is_empty() && cell(*i) != *total)
        {
            report.skip(SkipReason::Breakdown);
            continue;
        }
        let cmd = cell(cols.cmd);
        // Only six-digit codes are HS-6; shorter ones are chapters and
        // headings, and `TOTAL` is every product.
        let code = if cmd.len() == 6 && cmd.bytes().all(|b| b.is_ascii_digit()) {
            cmd.parse::<u32>().ok()
        } else {
            None
        };
        let (readings, lumped) = match code.map(|c| products.lookup(c)) {
            None | Some(Lookup::Absent) => {
                report.skip(SkipReason::NotInConcordance);
                continue;
            }
            Some(Lookup::Unselected) => {
                report.skip(SkipReason::MineralNotSelected);
                continue;
            }
            Some(Lookup::Readings(r, l)) => (r, l),
        };
        let code = code.unwrap_or_default();
        let import = match cell(cols.flow) {
            "M" | "m" => true,
            "X" | "x" => false,
            _ => {
                report.skip(SkipReason::OtherFlowCode);
                continue;
            }
        };
        if !import && !options.mirror_exports {
            report.skip(SkipReason::ExportNotMirrored);
            continue;
        }
        let Some(year) = cell(cols.year).parse::<i16>().ok() else {
            let msg = format!("refYear: {} is not a year", quote(cell(cols.year)));
            skip(&mut report, SkipReason::Malformed, Some(cols.year), msg)?;
            continue;
        };
        if !options.keeps_year(year) {
            report.skip(SkipReason::YearNotSelected);
            continue;
        }
        let reporter = country(&rec, cols.reporter_code, cols.reporter_iso, policy);
        let partner = country(&rec, cols.partner_code, cols.partner_iso, policy);
        let (reporter, partner) = match (reporter, partner) {
            (Ok(r), Ok(p)) => (r, p),
            (Err((reason, col)), _) | (_, Err((reason, col))) => {
                let msg = match reason {
                    SkipReason::NonIsoCountry => format!(
                        "{} is a non-ISO trade code, refused by the options",
                        quote(cell(col))
                    ),
                    _ => format!("unknown Comtrade country code {}", quote(cell(col))),
                };
                skip(&mut report, reason, Some(col), msg)?;
                continue;
            }
        };
        if reporter == partner {
            report.skip(SkipReason::SelfTrade);
            continue;
        }
        let (exporter, importer) = if import {
            (partner, reporter)
        } else {
            (reporter, partner)
        };
        let value = match parse_figure(cell(cols.value).as_bytes(), 1.0) {
            Figure::Invalid(why) => {
                let msg = format!(
                    "primaryValue: {} {}",
                    quote(cell(cols.value)),
                    why.describe()
                );
                skip(&mut report, SkipReason::InvalidValue, Some(cols.value), msg)?;
                continue;
            }
            Figure::Missing => None,
            Figure::Number(v) => Some(v),
        };
        // Net weight is in kilograms.
        let quantity = match parse_figure(cell(cols.weight).as_bytes(), 0.001) {
            Figure::Invalid(why) => {
                let msg = format!("netWgt: {} {}", quote(cell(cols.weight)), why.describe());
                skip(
                    &mut report,
                    SkipReason::InvalidQuantity,
                    Some(cols.weight),
                    msg,
                )?;
                continue;
            }
            Figure::Missing => None,
            Figure::Number(q) => Some(q),
        };
        if !keep_figures(&mut report, options, quantity, value) {
            continue;
        }
        let key = |r: &Reading| FlowKey {
            exporter,
            importer,
            mineral: r.mineral,
            stage: r.stage,
            year,
        };
        let agg = if import { &mut imports } else { &mut exports };
        for r in readings {
            if let Err(total) = agg.add(key(r), Code { hs6: code, lumped }, quantity, value) {
                return Err(super::baci::over_limit(file, line, cols.weight, total));
            }
        }
        // Only export rows are checked against the imports afterwards, so
        // only they keep their keys: no allocation per import row.
        if !import {
            export_rows.push(readings.iter().map(key).collect());
        }
        if lumped {
            report.rows_lumped += 1;
        }
    }
    mirror(&mut imports, exports, &export_rows, &mut report);
    finish(chain, imports, &products, options, "UN Comtrade", report)
}

/// Adds export totals to the import totals where no import row covers
/// their flow, and counts the export rows whose flows are all covered.
fn mirror(
    imports: &mut Aggregator,
    exports: Aggregator,
    export_rows: &[Vec<FlowKey>],
    report: &mut LoadReport,
) {
    let covered = export_rows
        .iter()
        .filter(|keys| keys.iter().all(|k| imports.groups.contains_key(k)))
        .count() as u64;
    for (key, totals) in exports.groups {
        imports.groups.entry(key).or_insert(totals);
    }
    report.rows_kept -= covered.min(report.rows_kept);
    report.skip_n(SkipReason::ExportCoveredByImport, covered);
}

/// Resolves a reporter or partner from its code column, else its ISO column;
/// on failure, the reason and the column to blame.
fn country(
    rec: &csv::StringRecord,
    code_col: Option<usize>,
    iso_col: Option<usize>,
    policy: NonIsoPolicy,
) -> Result<Country, (SkipReason, usize)> {
    let cell = |i: usize| rec.get(i).unwrap_or("").trim();
    if let Some(i) = code_col.filter(|i| !cell(*i).is_empty()) {
        let code = cell(i)
            .parse::<u16>()
            .map_err(|_| (SkipReason::UnknownCountry, i))?;
        if AGGREGATE_CODES.contains(&code) {
            return Err((SkipReason::AggregatePartner, i));
        }
        return resolve_code(code, policy).map_err(|r| (r, i));
    }
    let i = iso_col.or(code_col).unwrap_or(0);
    let iso = cell(i);
    if iso.eq_ignore_ascii_case("W00") {
        return Err((SkipReason::AggregatePartner, i));
    }
    let c = Country::from_alpha3(iso).map_err(|_| (SkipReason::UnknownCountry, i))?;
    admit(c, policy).map_err(|r| (r, i))
}

/// How far the header line is read to decide the delimiter: longer than any
/// Comtrade header (about 50 columns), and a bound on memory for input that
/// has no newline at all.
const HEADER_SNIFF_LIMIT: u64 = 1 << 16;

/// Tab when the first line has tabs and no commas (bulk `.txt` files),
/// comma otherwise; returns the delimiter and the whole input, the bytes
/// read to decide put back in front.
///
/// The first line is read in full (up to [`HEADER_SNIFF_LIMIT`] bytes), so
/// the choice does not depend on how the reader splits its reads.
fn sniff_delimiter<R: Read>(reader: R) -> std::io::Result<(u8, impl Read)> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let mut head = Vec::new();
    (&mut buffered)
        .take(HEADER_SNIFF_LIMIT)
        .read_until(b'\n', &mut head)?;
    let tabs = head.iter().filter(|b| **b == b'\t').count();
    let commas = head.iter().filter(|b| **b == b',').count();
    let delimiter = if tabs > 0 && commas == 0 { b'\t' } else { b',' };
    Ok((delimiter, Cursor::new(head).chain(buffered)))
}
