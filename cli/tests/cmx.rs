//! Runs the `cmx` binary: every subcommand and format, values worked out by
//! hand on a three-node chain (tests/data/tiny.json) or pinned on the
//! built-in data with the command that produced them, and the bad inputs.
//!
//! tiny.json: CHN rare-earths refining (output 90 t) → USA manufacturing
//! 90 t, MYS refining (output 10 t) → USA manufacturing 10 t.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cmx() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cmx"))
}

fn tiny() -> String {
    data("tiny.json")
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

fn json_of(args: &[&str]) -> Value {
    let out = cmx().args(args).args(["-f", "json"]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("stdout is JSON")
}

fn stdout_of(args: &[&str]) -> String {
    let out = cmx().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

const SCENARIO: &str = r#"{"name":"no-chn","shocks":[{"kind":"remove_country","country":"CHN"}]}"#;

#[test]
fn every_subcommand_help_shows_an_example() {
    for sub in [
        "bilateral",
        "chokepoints",
        "concentration",
        "geopolrisk",
        "trend",
        "simulate",
        "montecarlo",
        "merge",
        "sweep",
        "export",
        "data",
        "completions",
        "man",
    ] {
        cmx()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example").and(predicate::str::contains("cmx ")));
    }
}

#[test]
fn bilateral_on_the_tiny_chain_by_hand() {
    // USA → CHN nothing, CHN → USA 90 t: CHN is the net exporter by 90 t.
    let csv = stdout_of(&["bilateral", "USA", "CHN", "--chain", &tiny(), "-f", "csv"]);
    assert_eq!(
        csv,
        "a_to_b,b_to_a,balance.exporter,balance.kind,balance.surplus,from_stage,mineral,to_stage\n\
         0.0,90.0,CHN,net_exporter,90.0,refining,rare-earths,manufacturing\n"
    );
    let v = json_of(&["bilateral", "USA", "CHN", "--chain", &tiny()]);
    assert_eq!(v["b_to_a"], 90.0);
    assert_eq!(v["a_to_b"], 0.0);
}

#[test]
fn bilateral_on_built_in_2024_trade_is_pinned() {
    // Pinned with: cmx bilateral USA MYS -f json (a_to_b, b_to_a).
    let v = json_of(&["bilateral", "USA", "MYS"]);
    assert_eq!(v["a_to_b"], 149865.332);
    assert_eq!(v["b_to_a"], 56152.38);
    let table = stdout_of(&["bilateral", "USA", "MYS", "-f", "table"]);
    assert!(table.starts_with("Bilateral profile USA (United States of America) – MYS"));
}

#[test]
fn chokepoints_on_the_tiny_chain_by_hand() {
    // Removing CHN refining loses 90 of the 100 t reaching USA
    // manufacturing (90 %); MYS 10 t (10 %).
    let v = json_of(&[
        "chokepoints",
        "--target",
        "USA:manufacturing",
        "--chain",
        &tiny(),
    ]);
    assert_eq!(v["nodes"][0]["key"]["country"], "CHN");
    assert_eq!(v["nodes"][0]["lost"], 90.0);
    assert_eq!(v["nodes"][1]["key"]["country"], "MYS");
    assert_eq!(v["nodes"][1]["lost"], 10.0);
    let table = stdout_of(&[
        "chokepoints",
        "--target",
        "USA:manufacturing",
        "--chain",
        &tiny(),
        "-f",
        "table",
    ]);
    assert!(table.contains("deliverable supply 100 t"));
    let csv = stdout_of(&[
        "chokepoints",
        "--target",
        "USA:manufacturing",
        "--chain",
        &tiny(),
        "-f",
        "csv",
    ]);
    assert!(csv.lines().count() == 3, "header and two nodes: {csv}");
}

#[test]
fn chokepoints_on_built_in_rare_earths_put_china_first() {
    let v = json_of(&[
        "chokepoints",
        "--target",
        "USA:manufacturing",
        "--mineral",
        "rare-earths",
        "--rows",
        "3",
    ]);
    assert_eq!(v["nodes"][0]["key"]["country"], "CHN");
}

#[test]
fn concentration_by_hand_in_every_format() {
    // Shares 0.9 and 0.1; HHI = 90² + 10² = 8,200.
    let args = ["concentration", "--chain", &tiny(), "--stage", "refining"];
    let csv = stdout_of(&[&args[..], &["-f", "csv"]].concat());
    assert_eq!(csv, "country,share,tonnes\nCHN,0.9,90.0\nMYS,0.1,10.0\n");
    let v = json_of(&args);
    assert_eq!(v["hhi"], 8200.0);
    let table = stdout_of(&[&args[..], &["-f", "table"]].concat());
    assert!(table.contains("8,200"), "{table}");
}

#[test]
fn concentration_by_stage_on_built_in_data_has_no_thousands_separators_in_csv() {
    let csv = stdout_of(&["concentration", "--mineral", "cobalt", "-f", "csv"]);
    // Pinned with: cmx concentration --mineral cobalt -f csv
    assert_eq!(
        csv,
        "hhi,producers,stage,top1\n5940.79839882956,12,extraction,0.7633587786259542\n"
    );
}

#[test]
fn geopolrisk_per_product_is_pinned() {
    // Pinned with: cmx geopolrisk --hs 280530 --year 2022 -f json
    // (the table shows 0.0027 = HHI 0.5218 × weighted import share 0.0053).
    let v = json_of(&["geopolrisk", "--hs", "280530", "--year", "2022"]);
    assert_eq!(v["hs6"], 280530);
    assert_eq!(v["risk"]["score"], 0.0027454647227942216);
    let csv = stdout_of(&[
        "geopolrisk",
        "--hs",
        "280530",
        "--year",
        "2022",
        "-f",
        "csv",
    ]);
    assert!(csv.contains("0.0027454647227942216"));
}

#[test]
fn trend_has_a_row_per_year() {
    // Pinned with: cmx trend USA MYS -f csv (2019 USA → MYS 12,562.465 t).
    let csv = stdout_of(&["trend", "USA", "MYS", "-f", "csv"]);
    assert_eq!(csv.lines().count(), 7, "header + 2019..=2024");
    assert!(csv.contains(",USA,MYS,,31,8,12562.464999999997,2712.195,"));
    let table = stdout_of(&["trend", "USA", "MYS", "-f", "table"]);
    assert!(table.contains("149,865 t"));
}

#[test]
fn simulate_by_hand_under_every_model() {
    // Without CHN, USA manufacturing keeps MYS's 10 t of 100: shortfall
    // 90 t (0.9) under every model (there is no other supplier to reroute).
    let csv = cmx()
        .args([
            "simulate",
            "-",
            "--chain",
            &tiny(),
            "-f",
            "csv",
            "--target",
            "USA:manufacturing",
        ])
        .write_stdin(SCENARIO)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "after,before,propagation,shortfall,shortfall_share\n\
         10.0,100.0,exposure,90.0,0.9\n\
         10.0,100.0,cascade,90.0,0.9\n\
         10.0,100.0,reroute,90.0,0.9\n"
    );
    let out = cmx()
        .args([
            "simulate",
            "-",
            "--target",
            "manufacturing",
            "--chain",
            &tiny(),
            "--propagation",
            "exposure",
        ])
        .args(["-f", "json"])
        .write_stdin(SCENARIO)
        .assert()
        .success();
    // The JSON is the library's Outcome.
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["shortfall"], 90.0);
}

#[test]
fn montecarlo_extremes_by_hand() {
    // No country ever fails: every run loses 0 t.
    let v = json_of(&[
        "montecarlo",
        "--target",
        "manufacturing",
        "--chain",
        &tiny(),
        "--failure",
        "countries:0",
        "--runs",
        "200",
    ]);
    assert_eq!(v["mean"], 0.0);
    assert_eq!(v["runs"], 200);
    // Every country fails fully in every run: all 100 t lost.
    let v = json_of(&[
        "montecarlo",
        "--target",
        "manufacturing",
        "--chain",
        &tiny(),
        "--failure",
        "countries:1",
        "--runs",
        "200",
    ]);
    assert_eq!(v["mean"], 100.0);
    assert_eq!(v["p5"], 100.0);
}

#[test]
fn montecarlo_shards_merge_exactly_and_runs_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    for (shard, file) in [("2/2", &b), ("1/2", &a)] {
        cmx()
            .args([
                "montecarlo",
                "--target",
                "manufacturing",
                "--chain",
                &tiny(),
                "--failure",
                "countries:0.3",
            ])
            .args(["--runs", "500", "--seed", "9", "--shard", shard, "-o"])
            .arg(file)
            .assert()
            .success();
    }
    // A shard file is the library's Summary.
    let part: critical_minerals::simulation::Summary =
        serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    assert_eq!(part.runs.len(), 250);
    let merged = cmx()
        .args(["merge", "--statistics", "-f", "json"])
        .arg(&b)
        .arg(&a)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let one = json_of(&[
        "montecarlo",
        "--target",
        "manufacturing",
        "--chain",
        &tiny(),
        "--failure",
        "countries:0.3",
        "--runs",
        "500",
        "--seed",
        "9",
    ]);
    assert_eq!(serde_json::from_slice::<Value>(&merged).unwrap(), one);
    let again = json_of(&[
        "montecarlo",
        "--target",
        "manufacturing",
        "--chain",
        &tiny(),
        "--failure",
        "countries:0.3",
        "--runs",
        "500",
        "--seed",
        "9",
    ]);
    assert_eq!(one, again);
}

#[test]
fn montecarlo_on_built_in_rare_earths_in_table_and_csv() {
    let table = stdout_of(&[
        "montecarlo",
        "--target",
        "USA:manufacturing",
        "--mineral",
        "rare-earths",
        "--runs",
        "300",
        "-f",
        "table",
    ]);
    assert!(
        table.starts_with("Monte Carlo: 300 runs under cascade"),
        "{table}"
    );
    let csv = stdout_of(&[
        "montecarlo",
        "--target",
        "USA:manufacturing",
        "--mineral",
        "rare-earths",
        "--runs",
        "300",
        "-f",
        "csv",
    ]);
    // Statistics' fields, flattened in key order; contributions (a list)
    // are not a column, their method and error are.
    assert!(
        csv.starts_with(
            "contribution_error,contribution_method,exceedance,mean,mean_share,p5,p50,p95,runs,\
             sampled_runs,std_dev,threshold,unattributed,unscored\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("Shapley value of each failed country"),
        "{csv}"
    );
}

#[test]
fn sweep_keeps_input_order_and_reports_bad_lines() {
    let keep = r#"{"name":"nothing","shocks":[]}"#;
    let input = format!("{SCENARIO}\n\n{keep}\n");
    let out = cmx()
        .args([
            "sweep",
            "--chain",
            &tiny(),
            "--propagation",
            "exposure",
            "--target",
            "manufacturing",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["scenario"], "no-chn");
    assert_eq!(lines[0]["shortfall"], 90.0);
    assert_eq!(lines[1]["shortfall"], 0.0);
    cmx()
        .args(["sweep", "--chain", &tiny(), "--target", "manufacturing"])
        .write_stdin(format!("{SCENARIO}\n{{bad\n"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no-chn"))
        .stderr(predicate::str::contains("line 2"));
}

#[test]
fn export_every_format() {
    let csv = stdout_of(&["export", "--chain", &tiny(), "--to", "csv"]);
    assert_eq!(
        csv,
        "from_country,from_stage,to_country,to_stage,mineral,tonnes,value_usd,year,status,confidence,sources,citation,note\n\
         CHN,refining,USA,manufacturing,rare-earths,90,,,reported,,,,\n\
         MYS,refining,USA,manufacturing,rare-earths,10,,,reported,,,,\n"
    );
    assert!(stdout_of(&["export", "--chain", &tiny(), "--to", "dot"]).starts_with("digraph"));
    assert!(stdout_of(&["export", "--chain", &tiny(), "--to", "graphml"]).contains("<graphml"));
    assert!(stdout_of(&["export", "--chain", &tiny(), "--to", "svg"]).starts_with("<svg"));
    // JSON round-trips: export, read back, export again: same bytes.
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("chain.json");
    cmx()
        .args(["export", "--chain", &tiny(), "--to", "json", "-o"])
        .arg(&first)
        .assert()
        .success();
    let again = stdout_of(&["export", "--chain", first.to_str().unwrap(), "--to", "json"]);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), again);
    let chain = critical_minerals::SupplyChain::from_json(&again).unwrap();
    assert_eq!(chain.flows().count(), 2);
}

#[test]
fn export_before_after_picture_of_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let sc = dir.path().join("s.json");
    std::fs::write(&sc, SCENARIO).unwrap();
    let svg = stdout_of(&[
        "export",
        "--chain",
        &tiny(),
        "--to",
        "svg",
        "--scenario",
        sc.to_str().unwrap(),
        "--target",
        "USA:manufacturing",
    ]);
    assert!(svg.starts_with("<svg") && svg.contains("no-chn (before/after, cascade)"));
}

#[test]
fn baci_file_loads() {
    let baci = format!(
        "{}/../tests/data/baci_sample.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let csv = stdout_of(&["export", "--baci", &baci, "--to", "csv"]);
    assert!(csv.contains("CHN,refining,JPN,manufacturing,cobalt,400.5,8000000,2022"));
}

#[test]
fn data_in_every_format() {
    let v = json_of(&["data"]);
    assert_eq!(
        v["trade_years"],
        serde_json::json!([2019, 2020, 2021, 2022, 2023, 2024])
    );
    assert_eq!(v["sources"], 42);
    assert!(stdout_of(&["data", "-f", "table"]).contains("sources       42"));
    let csv = stdout_of(&["data", "--sources", "-f", "csv"]);
    assert_eq!(csv.lines().count(), 43, "header + 42 sources");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        cmx()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("montecarlo"));
    }
    cmx()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH cmx"));
}

#[test]
fn output_file_equals_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    let args = [
        "concentration",
        "--chain",
        &tiny(),
        "--stage",
        "refining",
        "-f",
        "csv",
    ];
    cmx()
        .args(args)
        .arg("-o")
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), stdout_of(&args));
}

// ---- bad inputs ----

#[test]
fn unknown_country_is_exit_1_with_the_value() {
    cmx()
        .args(["bilateral", "USA", "XXX"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown country code or name \"XXX\"",
        ));
}

#[test]
fn unknown_stage_is_exit_1() {
    cmx()
        .args(["chokepoints", "--target", "USA:nowhere", "--chain", &tiny()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown stage \"nowhere\""));
}

#[test]
fn unknown_year_is_exit_1() {
    cmx()
        .args(["bilateral", "USA", "MYS", "--year", "1990"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1990"));
}

#[test]
fn unknown_mineral_names_the_known_ones() {
    cmx()
        .args(["concentration", "--mineral", "unobtainium"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("\"unobtainium\"").and(predicate::str::contains("cobalt")),
        );
}

#[test]
fn malformed_json_is_exit_1_with_line_and_column() {
    cmx()
        .args([
            "simulate",
            "-",
            "--chain",
            &tiny(),
            "--target",
            "manufacturing",
        ])
        .write_stdin("{\"name\":")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 1, column"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("chain.json");
    std::fs::write(&bad, "{\"schema\": 3").unwrap();
    cmx()
        .args(["export", "--chain", bad.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("chain.json"));
    cmx()
        .args(["merge"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a Monte Carlo summary"));
}

#[test]
fn malformed_csv_is_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("trade.csv");
    std::fs::write(&bad, "a,b\n1\n").unwrap();
    cmx()
        .args(["export", "--baci", bad.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing column"));
}

#[test]
fn empty_stdin_is_exit_1() {
    cmx()
        .args(["sweep", "--chain", &tiny(), "--target", "manufacturing"])
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("stdin is empty"));
    cmx()
        .args([
            "simulate",
            "-",
            "--chain",
            &tiny(),
            "--target",
            "manufacturing",
        ])
        .write_stdin("\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("stdin is empty"));
}

#[test]
fn unwritable_output_path_is_exit_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-dir").join("out.json");
    cmx()
        .args(["data", "-o"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write output file"));
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn usage_errors_are_exit_2() {
    cmx().arg("frob").assert().code(2);
    cmx().args(["data", "--format", "xml"]).assert().code(2);
    cmx()
        .args([
            "montecarlo",
            "--shard",
            "3/2",
            "--chain",
            &tiny(),
            "--target",
            "refining",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shard"));
    cmx()
        .args([
            "sweep",
            "--propagation",
            "teleport",
            "--chain",
            &tiny(),
            "--target",
            "refining",
        ])
        .write_stdin(SCENARIO)
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn closed_stdout_exits_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    // Read one line of a long output and close the pipe, as `| head -1`.
    let mut child = Std::new(env!("CARGO_BIN_EXE_cmx"))
        .args(["export", "--to", "dot"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 7];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is dropped (closed) here.
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first, b"digraph");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn montecarlo_reports_its_rate_on_stderr_unless_quiet() {
    let args = [
        "montecarlo",
        "--target",
        "manufacturing",
        "--chain",
        &tiny(),
        "--runs",
        "100",
    ];
    cmx().args(args).assert().success().stderr(
        predicate::str::contains("montecarlo: 100 runs in").and(predicate::str::contains("runs/s")),
    );
    cmx()
        .args(args)
        .arg("--quiet")
        .assert()
        .success()
        .stderr("");
}

/// Issue 16 from the shell: a raw material (cobalt = 282200 + 810510), a
/// region, a company file, and bad input. The company file is worked by
/// hand: 800 kg from the DRC (WGI 2024 −2.1191762, g 0.92383524) and 200 kg
/// from Australia (0.7932693, g 0.34134614): import risk (0.8 × 0.92383524
/// + 0.2 × 0.34134614) / 1.0 = 0.80733742; price 31,000 / 1,000 = 31 USD/kg.
#[test]
fn geopolrisk_by_material_region_and_company() {
    let json = stdout_of(&[
        "geopolrisk",
        "--importer",
        "MYS",
        "--material",
        "cobalt",
        "--year",
        "2024",
        "--reference",
        "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["hs_codes"], serde_json::json!([282200, 810510]));
    let csv = stdout_of(&[
        "geopolrisk",
        "--region",
        "eu27",
        "--material",
        "rare earth",
        "--year",
        "2024",
        "-f",
        "csv",
    ]);
    assert!(csv.contains("zero_weight"), "{csv}");
    let dir = std::env::temp_dir().join(format!("cmx-company-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("purchases.csv");
    std::fs::write(
        &file,
        "Metal,Country of Origin,Quantity (kg),Value (USD),Year\nCobalt,COD,800,24000,2024\nCobalt,Australia,200,7000,2024\n",
    )
    .unwrap();
    let table = stdout_of(&[
        "geopolrisk",
        "--company",
        file.to_str().unwrap(),
        "--reference",
        "-f",
        "table",
    ]);
    assert!(
        table.contains("0.807337") && table.contains("31.000"),
        "{table}"
    );
    std::fs::write(
        &file,
        "Metal,Country of Origin,Quantity (kg),Value (USD),Year\nCobalt,Atlantis,1,1,2024\n",
    )
    .unwrap();
    let out = cmx()
        .args(["geopolrisk", "--company", file.to_str().unwrap()])
        .assert()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("line 2") && err.contains("Atlantis"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
    cmx()
        .args(["geopolrisk", "--material", "kryptonite"])
        .assert()
        .code(1);
    cmx()
        .args(["geopolrisk", "--importer", "USA"])
        .assert()
        .code(2);
}
