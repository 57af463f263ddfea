//! Loading a synthetic BACI file: throughput (MB/s, rows/s) and peak memory.
//!
//! Not part of CI. The issue's target: 10 million rows (~400 MB, mostly HS
//! codes outside the concordance, as in the real files) in under 5 s and
//! under 1 GB peak memory, release build, on a 2-core machine.
//!
//! ```text
//! cargo bench --bench baci_load                      # 10,000,000 rows, 3 runs
//! BACI_BENCH_ROWS=100000 cargo bench --bench baci_load   # a CI-sized run
//! ```
//!
//! Environment: `BACI_BENCH_ROWS` (default 10,000,000), `BACI_BENCH_RUNS`
//! (default 3; the median is reported), `BACI_BENCH_DIR` (default the
//! system temp dir), `BACI_BENCH_KEEP=1` keeps the generated file (it is
//! reused when present: the generator is seeded, so the file is the same).
//!
//! A plain bench binary rather than criterion: one load of the full file
//! takes seconds, and the figure that matters is the single-pass time and
//! the peak resident memory (`VmHWM` from `/proc/self/status`, the same
//! figure as "Maximum resident set size" of `/usr/bin/time -v`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use critical_minerals::data::HsConcordance;
use critical_minerals::io::{TradeOptions, load_baci_file};
use critical_minerals::{Country, SupplyChain};

/// xorshift64*: small, seeded, the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Writes `rows` BACI rows for 2022: exporter and importer drawn from the
/// ISO numeric codes (plus BACI's 490, 842, 699), about 1% of rows with a
/// concordance code, the rest with other HS-6 codes; values and quantities
/// with three decimals as BACI prints them, about 5% of quantities `NA`.
fn generate(path: &Path, rows: u64) -> std::io::Result<()> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut countries: Vec<u16> = Country::iso_all().filter_map(|c| c.numeric()).collect();
    countries.retain(|c| ![840, 356, 250, 756, 578].contains(c));
    countries.extend([490, 842, 699, 251, 757, 579]);
    let hs = HsConcordance::builtin().map_err(std::io::Error::other)?;
    let mineral_codes: Vec<u32> = hs.codes().collect();
    let mut other_codes: Vec<u32> = Vec::new();
    while other_codes.len() < 5000 {
        let c = 10_000 + rng.below(960_000) as u32;
        if !hs.contains(c) {
            other_codes.push(c);
        }
    }
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    w.write_all(b"t,i,j,k,v,q\n")?;
    for _ in 0..rows {
        let i = countries[rng.below(countries.len() as u64) as usize];
        let mut j = countries[rng.below(countries.len() as u64) as usize];
        if j == i {
            j = countries[(rng.below(countries.len() as u64 - 1) as usize + 1) % countries.len()];
        }
        let k = if rng.below(100) == 0 {
            mineral_codes[rng.below(mineral_codes.len() as u64) as usize]
        } else {
            other_codes[rng.below(other_codes.len() as u64) as usize]
        };
        let v = rng.below(50_000_000);
        write!(w, "2022,{i},{j},{k:06},{}.{:03},", v / 1000, v % 1000)?;
        if rng.below(20) == 0 {
            w.write_all(b"NA\n")?;
        } else {
            let q = rng.below(20_000_000);
            writeln!(w, "{}.{:03}", q / 1000, q % 1000)?;
        }
    }
    w.flush()
}

/// Peak resident set size of this process in MiB, from `/proc/self/status`.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows = env_u64("BACI_BENCH_ROWS", 10_000_000);
    let runs = env_u64("BACI_BENCH_RUNS", 3).max(1);
    let dir = std::env::var_os("BACI_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join("critical-minerals-baci-bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("baci_{rows}.csv"));
    if !path.exists() {
        let t = Instant::now();
        generate(&path, rows)?;
        println!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&path)?.len();
    let rss_before = peak_rss_mib();
    let mut times = Vec::new();
    for run in 0..runs {
        let mut chain = SupplyChain::new();
        let t = Instant::now();
        let report = load_baci_file(&mut chain, &path, &TradeOptions::new())?;
        let s = t.elapsed().as_secs_f64();
        // Check the work was done, so nothing is optimised away.
        assert_eq!(report.rows_read, rows);
        assert!(rows < 1000 || report.flows_added > 0);
        if run == 0 {
            println!(
                "rows kept {}, flows {}, nodes {}",
                report.rows_kept, report.flows_added, report.nodes_added
            );
        }
        times.push(s);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let mb = bytes as f64 / 1e6;
    println!(
        "baci_load rows={rows} size={mb:.1} MB runs={runs} median={median:.3} s \
         min={:.3} s max={:.3} s throughput={:.0} MB/s {:.2} M rows/s",
        times[0],
        times[times.len() - 1],
        mb / median,
        rows as f64 / median / 1e6
    );
    if let (Some(before), Some(after)) = (rss_before, peak_rss_mib()) {
        println!("peak RSS: {after:.1} MiB (before loading: {before:.1} MiB)");
    }
    if std::env::var("BACI_BENCH_KEEP").as_deref() != Ok("1") {
        std::fs::remove_file(&path)?;
    }
    Ok(())
}
