//! What each subcommand does: parse the arguments into library values, ask
//! the library, hand the result to `output`.

use std::io::{BufRead, IsTerminal, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use critical_minerals::analysis::{
    BilateralOptions, BilateralTotals, ChokepointOptions, CompanyAssessment, ConcentrationOptions,
    IntraRegion, MaterialRisk, ProductRisk, ProductRiskOptions, Purchase, Region,
};
use critical_minerals::data::{
    GovernanceProxy, ProductionSource, WorldChainOptions, YearChainOptions, YearRule,
};
use critical_minerals::io::{DotOptions, FlowDiagram, SvgOptions, TradeOptions};
use critical_minerals::network::Target;
use critical_minerals::simulation::{
    FailureModel, FlowChange, GovernanceMapping, GovernanceOptions, MonteCarlo, Propagation,
    Scenario, SimulationOptions, Simulator, Summary,
};
use critical_minerals::{Country, Dataset, Mineral, Share, Stage, SupplyChain};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::{Cli, Command, ExportFormat, McArgs, SimArgs, Source};
use crate::output::{self, Out};

/// Why a command did not finish.
#[derive(Debug)]
pub enum Failure {
    /// stdout was closed by its reader (`| head`): not an error.
    ClosedStdout,
    /// A usage error the parser could not see (exit 2).
    Usage(String),
    /// Bad data or a failed validation (exit 1).
    Data(String),
}

impl From<critical_minerals::Error> for Failure {
    fn from(e: critical_minerals::Error) -> Failure {
        Failure::Data(e.to_string())
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    let g = cli.global;
    let to_file = g.output.is_some();
    let format = output::resolve(g.format, to_file);
    let progress = !g.quiet && std::io::stderr().is_terminal();
    let out = match cli.command {
        Command::Bilateral { a, b, source } => bilateral(&a, &b, &source)?,
        Command::Chokepoints {
            target,
            mineral,
            rows,
            source,
        } => chokepoints(&target, mineral.as_deref(), rows, &source)?,
        Command::Concentration {
            mineral,
            stage,
            source,
        } => concentration(&mineral, stage.as_deref(), &source)?,
        Command::Geopolrisk {
            importer,
            hs,
            material,
            region,
            exclude_intra_region,
            company,
            reference,
            year,
        } => geopolrisk(&GprArgs {
            importer: &importer,
            hs: hs.as_deref(),
            material: material.as_deref(),
            region: region.as_deref(),
            exclude_intra_region,
            company: company.as_deref(),
            reference,
            year,
        })?,
        Command::Trend { a, b, mineral } => trend(&a, &b, mineral.as_deref())?,
        Command::Simulate {
            scenario,
            sim,
            propagation,
        } => simulate(&scenario, &sim, &propagation)?,
        Command::Montecarlo { sim, mc } => montecarlo(&sim, &mc, progress, g.quiet)?,
        Command::Merge { files, statistics } => merge(&files, statistics)?,
        Command::Sweep { sim, propagation } => {
            return sweep(&sim, &propagation, progress, g.output.as_deref());
        }
        Command::Export {
            to,
            mineral,
            scenario,
            target,
            source,
        } => {
            let bytes = export(
                to,
                mineral.as_deref(),
                scenario.as_deref(),
                target.as_deref(),
                &source,
            )?;
            return output::emit(&bytes, g.output.as_deref());
        }
        Command::Data { sources } => data(sources)?,
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cmx", &mut buf);
            return output::emit(&buf, g.output.as_deref());
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Failure::Data(format!("cannot render the man page: {e}")))?;
            return output::emit(&buf, g.output.as_deref());
        }
    };
    let text = output::render(&out, format)?;
    output::emit(text.as_bytes(), g.output.as_deref())
}

fn to_json<T: Serialize>(v: &T) -> Result<Value, Failure> {
    serde_json::to_value(v).map_err(|e| Failure::Data(format!("cannot write JSON: {e}")))
}

fn country(s: &str) -> Result<Country, Failure> {
    Ok(Country::parse(s)?)
}

fn mineral(s: &str) -> Result<Mineral, Failure> {
    Ok(s.parse::<Mineral>()?)
}

fn stage(s: &str) -> Result<Stage, Failure> {
    Ok(s.parse::<Stage>()?)
}

/// `COUNTRY:STAGE` or `STAGE`.
fn target(s: &str) -> Result<Target, Failure> {
    match s.split_once(':') {
        Some((c, st)) => Ok(Target::country_stage(country(c)?, stage(st)?)),
        None => Ok(Target::Stage(stage(s)?)),
    }
}

fn propagation(s: &str) -> Result<Propagation, Failure> {
    serde_json::from_value(Value::String(s.to_string())).map_err(|_| {
        Failure::Usage(format!(
            "unknown propagation {s:?}; expected exposure, cascade or reroute"
        ))
    })
}

fn read_file(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::Data(format!("cannot read stdin: {e}")))?;
        if s.trim().is_empty() {
            return Err(Failure::Data("stdin is empty; expected JSON".into()));
        }
        return Ok(s);
    }
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Data(format!("cannot read {}: {e}", path.display())))
}

/// The network: the user's chain, else the built-in world chain of the
/// year (real BACI trade flows only, so every tonne is product weight).
fn load(source: &Source) -> Result<SupplyChain, Failure> {
    if let Some(path) = &source.baci {
        let mut chain = SupplyChain::new();
        critical_minerals::io::load_baci_file(&mut chain, path, &TradeOptions::new())?;
        return Ok(chain);
    }
    if let Some(path) = &source.comtrade {
        let mut chain = SupplyChain::new();
        critical_minerals::io::load_comtrade_file(&mut chain, path, &TradeOptions::new())?;
        return Ok(chain);
    }
    match &source.chain {
        Some(path) => {
            let text = read_file(path)?;
            SupplyChain::from_json(&text)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))
        }
        None => {
            let data = Dataset::builtin()?;
            let opts = WorldChainOptions::new(source.year).production(ProductionSource::None);
            Ok(data.world_chain(&opts)?.chain)
        }
    }
}

fn bilateral(a: &str, b: &str, source: &Source) -> Result<Out, Failure> {
    let (a, b) = (country(a)?, country(b)?);
    let chain = load(source)?;
    let p = chain.bilateral(a, b, &BilateralOptions::new())?;
    Ok(Out::with_rows(
        p.to_string(),
        to_json(&p)?,
        to_json(&p.links)?,
    ))
}

fn chokepoints(
    t: &str,
    m: Option<&str>,
    rows: Option<usize>,
    source: &Source,
) -> Result<Out, Failure> {
    let target = target(t)?;
    let mut opts = ChokepointOptions::new();
    if let Some(rows) = rows {
        opts = opts.rows(rows);
    }
    if let Some(m) = m {
        opts = opts.mineral(mineral(m)?);
    }
    let chain = load(source)?;
    let r = chain.chokepoint_report(&target, &opts)?;
    Ok(Out::with_rows(
        r.to_string(),
        to_json(&r)?,
        to_json(&r.nodes)?,
    ))
}

fn concentration(m: &str, st: Option<&str>, source: &Source) -> Result<Out, Failure> {
    let m = mineral(m)?;
    let st = st.map(stage).transpose()?;
    let own = source.chain.is_some() || source.baci.is_some() || source.comtrade.is_some();
    let chain = if own {
        load(source)?
    } else {
        let data = Dataset::builtin()?;
        let known = data.minerals();
        if !known.contains(&m) {
            let names: Vec<String> = known.iter().map(|k| k.to_string()).collect();
            return Err(Failure::Data(format!(
                "no country output for mineral \"{m}\" in the built-in data (it has {})",
                names.join(", ")
            )));
        }
        data.chain_with(&YearChainOptions::new(source.year).years(YearRule::LatestUpTo))?
    };
    let opts = ConcentrationOptions::new();
    match st {
        Some(st) => {
            let c = chain.concentration(&m, st, &opts)?;
            Ok(Out::with_rows(
                c.to_string(),
                to_json(&c)?,
                to_json(&c.shares)?,
            ))
        }
        None => {
            let c = chain.concentration_by_stage(&m, &opts);
            let rows: Vec<Value> = c
                .stages
                .iter()
                .map(|s| {
                    json!({"stage": s.stage, "producers": s.shares.len(), "top1": s.top1,
                           "hhi": s.hhi})
                })
                .collect();
            Ok(Out::with_rows(
                c.to_string(),
                to_json(&c)?,
                Value::Array(rows),
            ))
        }
    }
}

/// What `cmx geopolrisk` was asked.
struct GprArgs<'a> {
    importer: &'a str,
    hs: Option<&'a str>,
    material: Option<&'a str>,
    region: Option<&'a str>,
    exclude_intra_region: bool,
    company: Option<&'a Path>,
    reference: bool,
    year: i16,
}

/// GeoPolRisk per HS product, raw material (country or region) or a
/// company's purchases.
fn geopolrisk(a: &GprArgs<'_>) -> Result<Out, Failure> {
    let options = if a.reference {
        ProductRiskOptions::reference()
    } else {
        ProductRiskOptions::new()
    };
    if let Some(path) = a.company {
        let purchases = Purchase::read_csv(&read_file(path)?)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
        let r = CompanyAssessment::assess(&purchases, &options)?;
        return Ok(Out::new(r.to_string(), to_json(&r)?));
    }
    if let Some(material) = a.material {
        let r = match a.region {
            Some(region) => {
                let region = match region.to_ascii_lowercase().as_str() {
                    "eu27" | "eu-27" => Region::eu27(),
                    "eu" => Region::eu(a.year),
                    list => {
                        let members = list
                            .split(',')
                            .map(|c| country(c.trim()))
                            .collect::<Result<Vec<_>, _>>()?;
                        Region::new(region, Country::WLD, members)?
                    }
                };
                let intra = if a.exclude_intra_region {
                    IntraRegion::Exclude
                } else {
                    IntraRegion::ZeroWeight
                };
                MaterialRisk::builtin_region(&region, material, a.year, intra, &options)?
            }
            None => MaterialRisk::builtin(country(a.importer)?, material, a.year, &options)?,
        };
        return Ok(Out::new(r.to_string(), to_json(&r)?));
    }
    let Some(hs) = a.hs else {
        return Err(Failure::Usage(
            "geopolrisk: give --hs CODE, --material NAME or --company FILE".into(),
        ));
    };
    let hs6 = critical_minerals::data::parse_hs6(hs)?;
    let r = ProductRisk::builtin(country(a.importer)?, hs6, a.year, &options)?;
    Ok(Out::new(r.to_string(), to_json(&r)?))
}

fn trend(a: &str, b: &str, m: Option<&str>) -> Result<Out, Failure> {
    let (a, b) = (country(a)?, country(b)?);
    let m = m.map(mineral).transpose()?;
    let t = BilateralTotals::trend(a, b, m)?;
    Ok(Out::with_rows(
        t.to_string(),
        to_json(&t)?,
        to_json(&t.points)?,
    ))
}

fn simulator<'c>(chain: &'c SupplyChain, sim: &SimArgs) -> Result<Simulator<'c>, Failure> {
    let target = target(&sim.target)?;
    let mut opts = SimulationOptions::new();
    if let Some(m) = &sim.mineral {
        opts = opts.mineral(mineral(m)?);
    }
    Ok(Simulator::new(chain, &target, &opts)?)
}

fn simulate(path: &Path, sim: &SimArgs, p: &str) -> Result<Out, Failure> {
    let models = match p {
        "all" => Propagation::ALL.to_vec(),
        one => vec![propagation(one)?],
    };
    let scenario = Scenario::from_json(&read_file(path)?)
        .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
    let chain = load(&sim.source)?;
    let s = simulator(&chain, sim)?;
    let outcomes = models
        .iter()
        .map(|m| s.run(&scenario, *m))
        .collect::<Result<Vec<_>, _>>()?;
    let table = outcomes
        .iter()
        .map(|o| o.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let json = to_json(&outcomes)?;
    let rows: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            json!({"propagation": o.propagation, "before": o.before, "after": o.after,
                   "shortfall": o.shortfall, "shortfall_share": o.shortfall_share})
        })
        .collect();
    Ok(Out::with_rows(table, json, Value::Array(rows)))
}

/// `I/N` (1-based) as the run range of shard I of `runs` runs.
fn shard(s: &str, runs: u64) -> Result<Range<u64>, Failure> {
    let bad = || Failure::Usage(format!("--shard {s:?}: expected I/N with 1 <= I <= N"));
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || i == 0 || i > n {
        return Err(bad());
    }
    // Shard boundaries floor(k * runs / n) tile 0..runs exactly.
    let at = |k: u64| ((k as u128 * runs as u128) / n as u128) as u64;
    Ok(at(i - 1)..at(i))
}

/// The failure model: a governance year without WGI values is an error
/// (exit 1) unless `--nearest-wgi-year`; `--taiwan-proxy` gives S19 Taiwan's
/// WGI row.
fn failure(mc: &McArgs, year: i16) -> Result<FailureModel, Failure> {
    let prob = |p: &str| -> Result<Share, Failure> {
        let v: f64 = p
            .parse()
            .map_err(|_| Failure::Usage(format!("--failure: {p:?} is not a probability")))?;
        Ok(Share::new(v)?)
    };
    match mc.failure.split_once(':') {
        None if mc.failure == "governance" => {
            let proxy = if mc.taiwan_proxy {
                GovernanceProxy::TaiwanForS19
            } else {
                GovernanceProxy::None
            };
            let options = GovernanceOptions::new()
                .nearest_year(mc.nearest_wgi_year)
                .proxy(proxy);
            Ok(FailureModel::governance_with(
                Dataset::builtin()?,
                mc.wgi_year.unwrap_or(year),
                GovernanceMapping::new(),
                options,
            )?
            .model)
        }
        Some(("countries", p)) => Ok(FailureModel::Countries {
            probability: prob(p)?,
        }),
        Some(("nodes", p)) => Ok(FailureModel::Nodes {
            probability: prob(p)?,
        }),
        _ => Err(Failure::Usage(format!(
            "--failure {:?}: expected governance, countries:P or nodes:P",
            mc.failure
        ))),
    }
}

fn bar(len: u64, show: bool, what: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len);
    let style = ProgressStyle::with_template(&format!(
        "{what} {{bar:30}} {{pos}}/{{len}} {{per_sec}} eta {{eta}}"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    b.set_style(style);
    b
}

/// Runs `range` in chunks (so the bar moves) and merges them; merging is
/// exact, so the summary equals one `monte_carlo_runs` over the range.
fn run_range(
    s: &Simulator<'_>,
    mc: &MonteCarlo,
    range: Range<u64>,
    progress: bool,
) -> Result<Summary, Failure> {
    let len = range.end - range.start;
    let b = bar(len, progress, "montecarlo");
    let chunk = (len / 50).max(1000);
    let mut start = range.start;
    let mut total: Option<Summary> = None;
    loop {
        let end = (start + chunk).min(range.end);
        let part = s.monte_carlo_runs(mc, start..end)?;
        match &mut total {
            None => total = Some(part),
            Some(t) => t.merge(part)?,
        }
        b.inc(end - start);
        start = end;
        if start >= range.end {
            break;
        }
    }
    b.finish_and_clear();
    total.ok_or_else(|| Failure::Data("no runs".into()))
}

/// Runs the experiment (or one shard of it); the run rate goes to stderr
/// unless `--quiet`.
fn montecarlo(sim: &SimArgs, mc: &McArgs, progress: bool, quiet: bool) -> Result<Out, Failure> {
    let mut experiment =
        MonteCarlo::new(failure(mc, sim.source.year)?).contributions(!mc.no_contributions);
    if let Some(runs) = mc.runs {
        experiment = experiment.runs(runs);
    }
    if let Some(seed) = mc.seed {
        experiment = experiment.seed(seed);
    }
    if let Some(p) = &mc.propagation {
        experiment = experiment.propagation(propagation(p)?);
    }
    let range = match &mc.shard {
        Some(s) => shard(s, experiment.runs)?,
        None => 0..experiment.runs,
    };
    let chain = load(&sim.source)?;
    let s = simulator(&chain, sim)?;
    let started = std::time::Instant::now();
    let summary = run_range(&s, &experiment, range.clone(), progress)?;
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "montecarlo: {} runs in {:.2} s ({:.0} runs/s, {} threads)",
            range.end - range.start,
            secs,
            (range.end - range.start) as f64 / secs.max(1e-9),
            rayon::current_num_threads()
        );
    }
    summary_out(summary, mc.shard.is_some())
}

/// A shard (or `merge` without `--statistics`) writes the whole summary,
/// which deserialises into `critical_minerals::simulation::Summary`; else
/// its statistics.
fn summary_out(summary: Summary, whole: bool) -> Result<Out, Failure> {
    let stats = summary.statistics();
    let table = summary.to_string();
    if whole {
        let json = to_json(&summary)?;
        let rows: Vec<Value> = summary
            .runs
            .iter()
            .map(|(run, r)| json!({"run": run, "shortfall": r.shortfall}))
            .collect();
        Ok(Out::with_rows(table, json, Value::Array(rows)))
    } else {
        let json = to_json(&stats)?;
        let mut row = json.clone();
        if let Some(o) = row.as_object_mut() {
            o.remove("contributions");
        }
        Ok(Out::with_rows(table, json, row))
    }
}

fn merge(files: &[PathBuf], statistics: bool) -> Result<Out, Failure> {
    let mut total: Option<Summary> = None;
    for f in files {
        let part: Summary = serde_json::from_str(&read_file(f)?).map_err(|e| {
            Failure::Data(format!("{}: not a Monte Carlo summary: {e}", f.display()))
        })?;
        match &mut total {
            None => total = Some(part),
            Some(t) => t
                .merge(part)
                .map_err(|e| Failure::Data(format!("{}: {e}", f.display())))?,
        }
    }
    let total = total.ok_or_else(|| Failure::Usage("merge needs at least one file".into()))?;
    summary_out(total, !statistics)
}

fn sweep(sim: &SimArgs, p: &str, progress: bool, out: Option<&Path>) -> Result<(), Failure> {
    let p = propagation(p)?;
    let lines: Vec<(usize, String)> = std::io::stdin()
        .lock()
        .lines()
        .enumerate()
        .map(|(n, l)| l.map(|l| (n + 1, l)))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Data(format!("cannot read stdin: {e}")))?;
    let lines: Vec<(usize, String)> = lines
        .into_iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return Err(Failure::Data(
            "stdin is empty; expected one Scenario JSON per line".into(),
        ));
    }
    let chain = load(&sim.source)?;
    let s = simulator(&chain, sim)?;
    let b = bar(lines.len() as u64, progress, "sweep");
    let results: Vec<Result<String, String>> = lines
        .par_iter()
        .map(|(n, line)| {
            let r = Scenario::from_json(line)
                .and_then(|sc| s.run(&sc, p))
                .map(|o| o.to_json())
                .map_err(|e| format!("line {n}: {e}"));
            b.inc(1);
            r
        })
        .collect();
    b.finish_and_clear();
    let mut text = String::new();
    let mut failed = 0;
    for r in results {
        match r {
            Ok(json) => {
                text.push_str(&json);
                text.push('\n');
            }
            Err(e) => {
                failed += 1;
                eprintln!("{e}");
            }
        }
    }
    output::emit(text.as_bytes(), out)?;
    if failed > 0 {
        return Err(Failure::Data(format!(
            "{failed} scenario(s) did not run (above)"
        )));
    }
    Ok(())
}

fn export(
    to: ExportFormat,
    m: Option<&str>,
    scenario: Option<&Path>,
    t: Option<&str>,
    source: &Source,
) -> Result<Vec<u8>, Failure> {
    let m = m.map(mineral).transpose()?;
    let chain = load(source)?;
    let mut buf = Vec::new();
    if let Some(path) = scenario {
        if to != ExportFormat::Svg {
            return Err(Failure::Usage(
                "--scenario draws a before/after picture: use --to svg".into(),
            ));
        }
        let sc = Scenario::from_json(&read_file(path)?)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
        let mut opts = SimulationOptions::new();
        let mut svg = SvgOptions::new().title(format!("{} (before/after, cascade)", sc.name));
        if let Some(m) = &m {
            opts = opts.mineral(m.clone());
            svg = svg.mineral(m.clone());
        }
        let t = t.ok_or_else(|| {
            Failure::Usage("--scenario needs --target (COUNTRY:STAGE or STAGE)".into())
        })?;
        let s = Simulator::new(&chain, &target(t)?, &opts)?;
        let changes = s.cascade_flows(&sc)?;
        let (before, after) = FlowChange::diagram_links(&changes);
        let d = FlowDiagram::compare(&before, &after, &svg)?;
        return Ok(d.to_svg().into_bytes());
    }
    match to {
        ExportFormat::Json => chain.write_json(&mut buf)?,
        ExportFormat::Graphml => critical_minerals::io::write_graphml(&chain, &mut buf)?,
        ExportFormat::Dot => {
            critical_minerals::io::write_dot(&chain, &mut buf, &DotOptions::new())?
        }
        ExportFormat::Csv => critical_minerals::io::write_flows_csv(&chain, &mut buf)?,
        ExportFormat::Svg => {
            let mut svg = SvgOptions::new();
            if let Some(m) = m {
                svg = svg.mineral(m);
            }
            critical_minerals::io::write_svg(&chain, &mut buf, &svg)?;
        }
    }
    Ok(buf)
}

fn data(sources: bool) -> Result<Out, Failure> {
    let d = Dataset::builtin()?;
    if sources {
        let list = d.sources();
        let table = list
            .iter()
            .map(|s| format!("{:<28} {} — {}", s.id, s.publisher, s.title))
            .collect::<Vec<_>>()
            .join("\n");
        return Ok(Out::new(table, to_json(&list)?));
    }
    let minerals: Vec<String> = d.minerals().iter().map(|m| m.to_string()).collect();
    let years: Vec<i16> = d.years().into_iter().collect();
    let trade_years: Vec<i16> = d.trade()?.years().into_iter().collect();
    let json = json!({
        "minerals": minerals,
        "years": years,
        "trade_years": trade_years,
        "countries": d.countries().len(),
        "hs_products": d.hs_concordance().len(),
        "agreements": d.agreements().len(),
        "restrictions": d.restrictions().len(),
        "sources": d.sources().len(),
    });
    let table = format!(
        "minerals      {}\nyears         {}–{}\ntrade (BACI)  {}–{}, {} HS products\ncountries     {}\nagreements    {}\nrestrictions  {}\nsources       {} (cmx data --sources)",
        minerals.join(", "),
        years.first().copied().unwrap_or_default(),
        years.last().copied().unwrap_or_default(),
        trade_years.first().copied().unwrap_or_default(),
        trade_years.last().copied().unwrap_or_default(),
        d.hs_concordance().len(),
        d.countries().len(),
        d.agreements().len(),
        d.restrictions().len(),
        d.sources().len(),
    );
    Ok(Out::new(table, json))
}
