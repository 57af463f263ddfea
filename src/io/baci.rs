//! CEPII BACI bilateral trade files.
//!
//! BACI (Base pour l'Analyse du Commerce International) publishes one CSV
//! per year with the header `t,i,j,k,v,q`: year, exporter, importer (BACI's
//! numeric country codes), HS-6 product, value in thousands of US dollars,
//! quantity in metric tonnes (`NA` when unknown). Columns are found by name,
//! so their order does not matter and extra columns are ignored; fields may
//! be padded with spaces or wrapped in double quotes (`"260500"`).
//!
//! The reader is a byte-level streaming parser: it reads 1 MiB blocks, finds
//! line ends with `memchr`, and for each row checks only the column count
//! and the product code before discarding the many rows whose code is not
//! in the concordance (a bitset lookup). Each block is parsed in two halves
//! on two threads (rayon), each half into its own totals, merged at the end.
//! Memory is the block plus one total per flow, whatever the file size.

use std::io::{ErrorKind, Read};
use std::path::Path;

use super::report::{LoadReport, SkipReason};
use super::trade::{
    Aggregator, Code, CodeCache, Figure, FlowKey, Lookup, Products, TradeOptions, clean, finish,
    keep_figures, parse_digits, parse_figure, reject,
};
use crate::chain::SupplyChain;
use crate::csv_header::{MAX_LINE_BYTES, parse_error, quote, read_error};
use crate::error::{Error, Result};
use crate::model::Tonnes;

const BLOCK: usize = 1 << 20;
/// More fields than this on one line cannot be a BACI row; the count is
/// still reported exactly.
const MAX_FIELDS: usize = 32;

/// Loads a BACI CSV stream into the chain.
///
/// Each row whose HS-6 code is in the concordance (and whose year and
/// mineral the options keep) becomes trade of that mineral from the
/// exporter's node at the product's stage to the importer's node at the
/// receiving stage ([`TradeOptions::receiving`], by default
/// [`receiving_stage`](crate::io::receiving_stage): ore → processing,
/// intermediates → refining, refined → manufacturing, manufactured goods →
/// manufacturing, scrap → recycling). A code the concordance maps to several
/// minerals adds the row to each of them (counted in
/// [`LoadReport::rows_lumped`]).
///
/// Rows for the same exporter node, importer node and year are summed into
/// one flow (tonnes, and value in US dollars when every row has one), whose
/// note lists the HS codes and the number of rows. End nodes are created as
/// needed. Flows are added in the order of exporter, importer, mineral,
/// stage and year. The loader adds flows; it does not merge them with flows
/// already in the chain, so loading the same file twice doubles them.
///
/// Checks, in order, each failure counted under its [`SkipReason`]: column
/// count; product code (malformed, not in the concordance, mineral not
/// selected); year (malformed, not selected); exporter and importer codes
/// (unknown, non-ISO under the options' policy; equal codes are not trade);
/// value and quantity (not a number, not finite, negative, or outside the
/// quantity's domain: above 10^15 t or US dollars once converted, such as
/// `q = 1e308`; missing for the measure). Fields of rows outside the
/// concordance are not read beyond the product code, so a bad year on such
/// a row is not reported.
///
/// By default (lenient) such a row is skipped, not loaded and not fatal: it
/// is counted in [`LoadReport::skipped`](crate::io::LoadReport::skipped)
/// under [`SkipReason::InvalidQuantity`] or [`SkipReason::InvalidValue`]
/// (with every other reason), so check the report; under
/// [`TradeOptions::strict`] the first one is an error naming its line,
/// column and what is wrong with the figure.
///
/// O(bytes) time, on up to two threads; memory O(flows) beyond a 1 MiB
/// block. The result does not depend on how the reader splits its reads.
///
/// # Errors
/// [`Error::Parse`] for a missing header or a header without the six
/// columns, for the first bad row under [`TradeOptions::strict`] and for a
/// non-ISO code under [`NonIsoPolicy::Error`](crate::io::NonIsoPolicy::Error)
/// (line and column named); [`Error::Io`] when reading fails;
/// [`Error::Invalid`] (context `options: TradeOptions::route(..)`) wrapping
/// [`Error::InvalidTransition`] for a bad [`TradeOptions::route`];
/// [`Error::UnknownSource`] for an unregistered [`TradeOptions::source`].
/// The chain is unchanged on error.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Mineral, NodeKey, Stage, SupplyChain};
/// use critical_minerals::io::{SkipReason, TradeOptions, load_baci};
/// // Australia (36) ships cobalt ore (260500) to China (156) twice, and an
/// // unrelated product (999999) once.
/// let baci = "t,i,j,k,v,q\n\
///             2022,36,156,260500,12.5,40\n\
///             2022,36,156,260500,2.5,10\n\
///             2022,36,156,999999,1,1\n";
/// let mut chain = SupplyChain::new();
/// let report = load_baci(&mut chain, baci.as_bytes(), &TradeOptions::new())?;
/// assert_eq!((report.rows_read, report.rows_kept, report.flows_added), (3, 2, 1));
/// assert_eq!(report.skipped(SkipReason::NotInConcordance), 1);
/// let ore = NodeKey::new(Country::AUS, Mineral::COBALT, Stage::Extraction);
/// let flow = chain.flows_out(chain.node_id(&ore).unwrap()).next().unwrap();
/// assert_eq!(flow.to_key.stage, Stage::Processing);
/// assert_eq!(flow.tonnes().get(), 50.0);
/// assert_eq!(flow.flow.value.map(|v| v.get()), Some(15_000.0));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn load_baci<R: Read>(
    chain: &mut SupplyChain,
    reader: R,
    options: &TradeOptions,
) -> Result<LoadReport> {
    load(chain, reader, None, options)
}

/// Loads a BACI CSV file (see [`load_baci`]); errors name the file.
///
/// # Errors
/// [`Error::Io`] naming the file when it cannot be read, otherwise as for
/// [`load_baci`].
pub fn load_baci_file(
    chain: &mut SupplyChain,
    path: impl AsRef<Path>,
    options: &TradeOptions,
) -> Result<LoadReport> {
    let path = path.as_ref();
    load(chain, super::util::open(path)?, Some(path), options)
}

fn load<R: Read>(
    chain: &mut SupplyChain,
    mut reader: R,
    file: Option<&Path>,
    options: &TradeOptions,
) -> Result<LoadReport> {
    options.check(chain)?;
    let products = Products::new(options)?;
    // Two parsers, one per half of each block, so both cores work; each
    // keeps its own totals and counts, merged at the end.
    let mut first = Parser::new(file, options, &products);
    let mut second = Parser::new(file, options, &products);
    let mut buf = vec![0u8; BLOCK];
    let mut len = 0;
    let mut eof = false;
    loop {
        // Fill the whole buffer, so that blocks (and so the order of
        // floating-point sums) do not depend on how the reader splits reads.
        while len < buf.len() && !eof {
            match reader.read(&mut buf[len..]) {
                Ok(0) => eof = true,
                Ok(n) => len += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(read_error(file, e)),
            }
        }
        let end = match memchr::memrchr(b'\n', &buf[..len]) {
            _ if eof => len,
            Some(last) => last + 1,
            None => {
                // A line longer than the block: grow until it fits, up to
                // the line limit, so an endless line fails in bounded memory.
                let line = first.line.saturating_add(1);
                if len as u64 > MAX_LINE_BYTES {
                    return Err(read_error(file, crate::csv_header::line_too_long(line)));
                }
                buf.resize(buf.len().saturating_mul(2), 0);
                continue;
            }
        };
        let mut block = &buf[..end];
        if first.columns.is_none() && !block.is_empty() {
            let header_end = memchr::memchr(b'\n', block).map_or(block.len(), |p| p + 1);
            first.block(&block[..header_end])?;
            second.columns = first.columns;
            block = &block[header_end..];
        }
        parse_halves(&mut first, &mut second, block)?;
        buf.copy_within(end..len, 0);
        len -= end;
        if eof {
            break;
        }
    }
    if first.columns.is_none() {
        return Err(parse_error(
            file,
            1,
            None,
            "empty file: expected the header t,i,j,k,v,q",
        ));
    }
    let (agg, report) = first.merge(second);
    finish(chain, agg, &products, options, "CEPII BACI", report)
}

/// The error for a row that takes its flow's tonnes past [`Tonnes::MAX`].
pub(super) fn over_limit(file: Option<&Path>, line: u64, column: usize, total: f64) -> Error {
    parse_error(
        file,
        line,
        Some(column as u64 + 1),
        format!(
            "this row takes its flow's total to {total} t, above the limit of {} t",
            Tonnes::MAX.get()
        ),
    )
}

/// Below this a block is parsed on one thread.
const PARALLEL_MIN: usize = 1 << 18;

/// Parses a block of lines: the first half (to a line end near the middle)
/// with `first`, the second with `second`, in parallel. Errors are those of
/// the first half first, so the reported line is the first bad one in the
/// file.
fn parse_halves(first: &mut Parser<'_>, second: &mut Parser<'_>, block: &[u8]) -> Result<()> {
    let split = if block.len() < PARALLEL_MIN {
        None
    } else {
        memchr::memchr(b'\n', &block[block.len() / 2..]).map(|p| block.len() / 2 + p + 1)
    };
    let Some(split) = split else {
        return first.block(block);
    };
    let (a, b) = block.split_at(split);
    // The second parser counts lines from the start of its half; its error
    // lines are moved to file lines once the first half's count is known.
    second.line = 0;
    let (ra, rb) = rayon::join(|| first.block(a), || second.block(b));
    ra?;
    if let Err(mut e) = rb {
        if let Error::Parse { line, .. } = &mut e {
            *line += first.line;
        }
        return Err(e);
    }
    first.line += second.line;
    Ok(())
}

/// Slots of the six BACI fields, in this order.
const T: usize = 0;
const I: usize = 1;
const J: usize = 2;
const K: usize = 3;
const V: usize = 4;
const Q: usize = 5;

/// Where the six BACI columns are in the file.
#[derive(Debug, Clone, Copy)]
struct Columns {
    /// For each field position, the slot it fills (`NONE` for extra columns).
    slot_of: [u8; MAX_FIELDS],
    /// For each slot, its 0-based position in the file.
    pos: [usize; 6],
    /// The header's field count.
    width: usize,
}

const NONE: u8 = u8::MAX;

struct Parser<'a> {
    file: Option<&'a Path>,
    options: &'a TradeOptions,
    products: &'a Products,
    codes: CodeCache,
    agg: Aggregator,
    report: LoadReport,
    columns: Option<Columns>,
    line: u64,
    /// Most rows end here; a plain counter spares a map update per row.
    not_in_concordance: u64,
}

impl<'a> Parser<'a> {
    /// A parser with empty totals, before the header is read.
    fn new(file: Option<&'a Path>, options: &'a TradeOptions, products: &'a Products) -> Self {
        Parser {
            file,
            options,
            products,
            codes: CodeCache::new(options.non_iso),
            agg: Aggregator::default(),
            report: LoadReport::default(),
            columns: None,
            line: 0,
            not_in_concordance: 0,
        }
    }

    /// Parses a block of lines; the last may lack its line end (end of
    /// file).
    fn block(&mut self, block: &[u8]) -> Result<()> {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', block) {
            self.line(&block[start..end])?;
            start = end + 1;
        }
        if start < block.len() {
            self.line(&block[start..])?;
        }
        Ok(())
    }

    /// The totals and report of both parsers.
    fn merge(self, other: Parser<'_>) -> (Aggregator, LoadReport) {
        let mut agg = self.agg;
        agg.merge(other.agg);
        let mut report = self.report;
        let o = other.report;
        report.rows_read += o.rows_read;
        report.rows_kept += o.rows_kept;
        report.rows_lumped += o.rows_lumped;
        report.rows_without_quantity += o.rows_without_quantity;
        report.rows_without_value += o.rows_without_value;
        for (reason, n) in o.skipped {
            report.skip_n(reason, n);
        }
        report.skip_n(
            SkipReason::NotInConcordance,
            self.not_in_concordance + other.not_in_concordance,
        );
        (agg, report)
    }

    fn line(&mut self, raw: &[u8]) -> Result<()> {
        self.line += 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Some(cols) = self.columns else {
            self.columns = Some(self.header(line)?);
            return Ok(());
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        self.report.rows_read += 1;
        // Only the six slots are kept: filling a wide array per row would
        // cost more than the parsing on a 10-million-row file.
        let mut fields: [&[u8]; 6] = [&[]; 6];
        let mut count = 0;
        for f in line.split(|b| *b == b',') {
            if let Some(&slot) = cols.slot_of.get(count) {
                if let Some(x) = fields.get_mut(usize::from(slot)) {
                    *x = f;
                }
            }
            count += 1;
        }
        if count != cols.width {
            return self.reject(SkipReason::WrongColumnCount, None, || {
                format!("expected {} fields, found {count}", cols.width)
            });
        }
        self.row(&fields, cols)
    }

    fn header(&self, line: &[u8]) -> Result<Columns> {
        // Every leading byte-order mark, as the other CSV readers do.
        let mut line = line;
        while let Some(rest) = line.strip_prefix("\u{feff}".as_bytes()) {
            line = rest;
        }
        let names: Vec<String> = line
            .split(|b| *b == b',')
            .map(|f| String::from_utf8_lossy(clean(f)).to_ascii_lowercase())
            .collect();
        let find = |name: &str| {
            names.iter().position(|n| n == name).ok_or_else(|| {
                parse_error(
                    self.file,
                    1,
                    None,
                    format!(
                        "missing column {name:?} in header {}: a BACI header is t,i,j,k,v,q",
                        quote(&String::from_utf8_lossy(line))
                    ),
                )
            })
        };
        if names.len() > MAX_FIELDS {
            return Err(parse_error(
                self.file,
                1,
                None,
                format!("{} columns: a BACI file has six", names.len()),
            ));
        }
        let mut c = Columns {
            slot_of: [NONE; MAX_FIELDS],
            pos: [0; 6],
            width: names.len(),
        };
        for (slot, name) in ["t", "i", "j", "k", "v", "q"].into_iter().enumerate() {
            let at = find(name)?;
            c.pos[slot] = at;
            c.slot_of[at] = slot as u8;
        }
        Ok(c)
    }

    fn reject(
        &mut self,
        reason: SkipReason,
        column: Option<usize>,
        message: impl FnOnce() -> String,
    ) -> Result<()> {
        reject(
            &mut self.report,
            self.options,
            reason,
            self.file,
            self.line,
            column.map(|c| c as u64 + 1),
            message,
        )
    }

    fn row(&mut self, f: &[&[u8]; 6], c: Columns) -> Result<()> {
        let text = |x: &[u8]| String::from_utf8_lossy(clean(x)).into_owned();
        let raw_k = clean(f[K]);
        let Some(code) = parse_digits(raw_k).filter(|_| raw_k.len() <= 6) else {
            return self.reject(SkipReason::Malformed, Some(c.pos[K]), || {
                format!("k: {} is not an HS-6 code", quote(&text(f[K])))
            });
        };
        let products = self.products;
        let (readings, lumped) = match products.lookup(code) {
            Lookup::Absent => {
                self.not_in_concordance += 1;
                return Ok(());
            }
            Lookup::Unselected => {
                self.report.skip(SkipReason::MineralNotSelected);
                return Ok(());
            }
            Lookup::Readings(r, lumped) => (r, lumped),
        };
        let Some(year) = parse_digits(clean(f[T])).and_then(|y| i16::try_from(y).ok()) else {
            return self.reject(SkipReason::Malformed, Some(c.pos[T]), || {
                format!("t: {} is not a year", quote(&text(f[T])))
            });
        };
        if !self.options.keeps_year(year) {
            self.report.skip(SkipReason::YearNotSelected);
            return Ok(());
        }
        let mut ends = [None, None];
        for (slot, col, name) in [(0, I, "i (exporter)"), (1, J, "j (importer)")] {
            let code = parse_digits(clean(f[col]));
            match code.map_or(Err(SkipReason::UnknownCountry), |n| self.codes.get(n)) {
                Ok(country) => ends[slot] = Some(country),
                Err(reason) => {
                    return self.reject(reason, Some(c.pos[col]), || match reason {
                        SkipReason::NonIsoCountry => format!(
                            "{name}: {} is a non-ISO trade code, refused by the options",
                            quote(&text(f[col]))
                        ),
                        _ => format!("{name}: unknown BACI country code {}", quote(&text(f[col]))),
                    });
                }
            }
        }
        let (Some(exporter), Some(importer)) = (ends[0], ends[1]) else {
            return Ok(());
        };
        if exporter == importer {
            self.report.skip(SkipReason::SelfTrade);
            return Ok(());
        }
        // BACI values are in thousands of US dollars, quantities in tonnes.
        let value = match parse_figure(f[V], 1000.0) {
            Figure::Invalid(why) => {
                return self.reject(SkipReason::InvalidValue, Some(c.pos[V]), || {
                    format!("v: {} {}", quote(&text(f[V])), why.describe())
                });
            }
            Figure::Missing => None,
            Figure::Number(v) => Some(v),
        };
        let quantity = match parse_figure(f[Q], 1.0) {
            Figure::Invalid(why) => {
                return self.reject(SkipReason::InvalidQuantity, Some(c.pos[Q]), || {
                    format!("q: {} {}", quote(&text(f[Q])), why.describe())
                });
            }
            Figure::Missing => None,
            Figure::Number(q) => Some(q),
        };
        if !keep_figures(&mut self.report, self.options, quantity, value) {
            return Ok(());
        }
        for r in readings {
            let key = FlowKey {
                exporter,
                importer,
                mineral: r.mineral,
                stage: r.stage,
                year,
            };
            if let Err(total) = self
                .agg
                .add(key, Code { hs6: code, lumped }, quantity, value)
            {
                return Err(over_limit(self.file, self.line, c.pos[Q], total));
            }
        }
        if lumped {
            self.report.rows_lumped += 1;
        }
        Ok(())
    }
}
