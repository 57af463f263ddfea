//! GeoPolRisk of raw materials, regions and characterization factors on the
//! built-in data, worked by hand from the data files; and properties.

use critical_minerals::analysis::{
    COPPER_REFERENCE_CF, CharacterizationFactor, Concentration, ConcentrationOptions, GeoPolRisk,
    GeoPolRiskOptions, IntraRegion, MaterialRisk, MissingGovernance, ProductRiskOptions,
    RawMaterial, Region,
};
use critical_minerals::{Country, Tonnes};
use proptest::prelude::*;

fn c(code: &str) -> Country {
    Country::from_alpha3(code).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

/// Cobalt's World Mining Data 2024 production (data/wmd_production.csv,
/// 19 producers, 268,755 t; COD 200,253, IDN 30,920, RUS 8,600, AUS
/// 4,773, CAN 3,546, ...): HHI = Σ sᵢ² = 0.5705923156717698 (the 19
/// shares squared and added).
const COBALT_HHI_2024: f64 = 0.5705923156717698;

#[test]
fn material_list_parses_with_complementary_codes() {
    let all = RawMaterial::builtin_list().unwrap();
    assert_eq!(all.len(), 40);
    let ree = RawMaterial::find("RARE EARTH").unwrap();
    assert_eq!(ree.codes(), vec![284690, 284610, 280530]);
    assert_eq!(ree.wmd_commodity, "Rare Earths (REO)");
    assert_eq!(
        RawMaterial::find("Platinum").unwrap().codes(),
        vec![711011, 711019, 711510]
    );
    assert!(RawMaterial::find("Unobtainium").is_err());
}

#[test]
fn cobalt_into_belarus_2024_sums_both_codes_and_gives_cf() {
    // data/trade_baci.csv.gz, 2024, importer BLR:
    //   POL 282200 0.45 t (9.867 kUSD), POL 810510 0.3 t (22.138 kUSD),
    //   CHN 810510 0.56 t (28.754 kUSD).
    // f_POL = 0.45 + 0.3 = 0.75, f_CHN = 0.56, F = 1.31; BLR has no WMD
    // cobalt output, P = 0.
    // WGI 2024: POL 0.498655 → g = (2.5 − 0.498655)/5 = 0.400269;
    //           CHN −0.1533364 → g = 2.6533364/5 = 0.53066728.
    // share = (0.400269 × 0.75 + 0.53066728 × 0.56) / 1.31
    //       = (0.30020175 + 0.2971736768) / 1.31 = 0.456011776183...
    // score = 0.5705923156717698 × 0.456011776183 = 0.260196815346
    // price = (9.867 + 22.138 + 28.754) kUSD / 1.31 t = 60.759/1.31
    //       = 46.380916030534 USD/kg
    // CF = 0.260196815346 × 46.380916030534 / 0.409412948 = 29.4767586197
    let r =
        MaterialRisk::builtin(c("BLR"), "Cobalt", 2024, &ProductRiskOptions::reference()).unwrap();
    assert_eq!(r.hs_codes, vec![282200, 810510]);
    assert_eq!(r.commodity, "Cobalt");
    assert!(close(r.risk.hhi_fraction, COBALT_HHI_2024));
    assert!(close(r.risk.total_imports.get(), 1.31));
    assert_eq!(r.risk.domestic_production, Tonnes::ZERO);
    let pol = r
        .risk
        .imports
        .iter()
        .find(|i| i.exporter == c("POL"))
        .unwrap();
    assert!(close(pol.tonnes.get(), 0.75));
    assert!(close(r.risk.weighted_import_share, 0.45601177618320615));
    assert!(close(r.risk.score, 0.2601968153459724));
    let cf = r.characterization.unwrap();
    assert!(close(cf.price_usd_per_kg, 46.38091603053435));
    assert!(close(cf.factor, 29.476758619695627));
    assert!(r.risk.neutral.is_empty() && r.risk.clamped.is_empty());
}

#[test]
fn a_region_counts_trade_between_members_at_weight_zero() {
    // Region {BDI, KEN}, cobalt 2024 (codes 282200 + 810510), rows:
    //   KEN → BDI 282200 1.6 t   (between members: g = 0)
    //   IND → KEN 282200 0.001 t (0.012 kUSD), DEU → KEN 810510 0.01 t
    //   (1.048 kUSD), USA → KEN 810510 0.243 t (4.495 kUSD). P = 0.
    // g: IND (2.5 + 0.7857625)/5 = 0.6571525; DEU (2.5 − 0.1242671)/5 =
    //    0.47514658; USA (2.5 + 0.0951125)/5 = 0.5190225.
    // numerator = 0.6571525 × 0.001 + 0.47514658 × 0.01 + 0.5190225 × 0.243
    //           = 0.0006571525 + 0.0047514658 + 0.1261224675 = 0.1315310858
    // reference rule: F = 1.6 + 0.254 = 1.854, share = 0.070944490723,
    //   score = 0.5705923156717698 × 0.070944490723 = 0.040480381246
    // intra left out: F = 0.254, share = 0.517838920472,
    //   score = 0.295474908777
    // price, reference rule (every row, members' trade included):
    //   (8.383 + 0.012 + 1.048 + 4.495) kUSD / 1.854 t = 13.938 / 1.854
    //   = 7.517799352751 USD/kg
    // price, default (imports from outside the region only):
    //   5.555 kUSD / 0.254 t = 21.870078740 USD/kg
    let region = Region::new("BDI+KEN", Country::ROW, [c("BDI"), c("KEN")]).unwrap();
    let o = ProductRiskOptions::reference();
    let r =
        MaterialRisk::builtin_region(&region, "Cobalt", 2024, IntraRegion::ZeroWeight, &o).unwrap();
    assert!(close(r.risk.total_imports.get(), 1.854));
    assert!(close(r.risk.score, 0.04048038124565492));
    let ken = r
        .risk
        .imports
        .iter()
        .find(|i| i.exporter == c("KEN"))
        .unwrap();
    assert_eq!((ken.g, ken.contribution), (Some(0.0), 0.0));
    assert!(close(
        r.characterization.unwrap().price_usd_per_kg,
        13.938 / 1.854
    ));
    let d = MaterialRisk::builtin_region(
        &region,
        "Cobalt",
        2024,
        IntraRegion::ZeroWeight,
        &ProductRiskOptions::new(),
    )
    .unwrap();
    assert!(close(
        d.characterization.unwrap().price_usd_per_kg,
        21.870078740157478
    ));
    let info = r.region.as_ref().unwrap();
    assert_eq!(info.intra_region_trade, IntraRegion::ZeroWeight);
    let x =
        MaterialRisk::builtin_region(&region, "Cobalt", 2024, IntraRegion::Exclude, &o).unwrap();
    assert!(close(x.risk.total_imports.get(), 0.254));
    assert!(close(x.risk.score, 0.2954749087773395));
}

#[test]
fn eu_membership_follows_brexit() {
    let gb = c("GBR");
    assert!(Region::eu(2019).members.contains(&gb));
    assert!(!Region::eu(2020).members.contains(&gb));
    assert_eq!(Region::eu(2024).name, "EU-27");
    assert_eq!(Region::eu27().members, Region::eu(2024).members);
    assert!(!Region::eu27().members.contains(&gb));
    assert!(Region::new("empty", Country::ROW, []).is_err());
    assert!(Region::new("self", Country::USA, [Country::USA]).is_err());
}

#[test]
fn characterization_factor_by_hand() {
    // 0.25 × (1,500 kUSD / 300 t = 5 USD/kg) / 0.409412948 = 3.053...
    let cf = CharacterizationFactor::new(0.25, 1_500.0, 300.0).unwrap();
    assert_eq!(cf.price_usd_per_kg, 5.0);
    assert!(close(cf.factor, 1.25 / 0.409412948));
    assert_eq!(COPPER_REFERENCE_CF, 0.409412948);
    assert!(CharacterizationFactor::new(0.25, 1.0, 0.0).is_none());
}

#[test]
fn neutral_and_clamp_are_listed() {
    // WGI −3.0 → g = 1.1, clamped to 1.0; no WGI → 0.5.
    let hhi = Concentration::from_outputs(
        [(Country::CHN, Tonnes::new(1.0).unwrap())],
        &ConcentrationOptions::new(),
    )
    .unwrap();
    let wgi = |k| if k == Country::CHN { Some(-3.0) } else { None };
    let imports = [
        (Country::CHN, Tonnes::new(1.0).unwrap()),
        (Country::OTHER_ASIA, Tonnes::new(1.0).unwrap()),
    ];
    let r = GeoPolRisk::from_parts(
        Country::USA,
        &hhi,
        Tonnes::ZERO,
        imports,
        wgi,
        &GeoPolRiskOptions::reference(),
    )
    .unwrap();
    // (1.0 × 1 + 0.5 × 1) / 2 = 0.75
    assert!(close(r.score, 0.75));
    assert_eq!(r.clamped, vec![Country::CHN]);
    assert_eq!(r.neutral, vec![Country::OTHER_ASIA]);
    let raw = GeoPolRisk::from_parts(
        Country::USA,
        &hhi,
        Tonnes::ZERO,
        imports,
        wgi,
        &GeoPolRiskOptions::new().missing_governance(MissingGovernance::Exclude),
    )
    .unwrap();
    // 1.1 × 1 / 2 = 0.55, S19 excluded
    assert!(close(raw.score, 0.55));
}

#[test]
fn batch_covers_every_material_and_stays_in_range() {
    let b = MaterialRisk::builtin_batch([2024], &ProductRiskOptions::reference()).unwrap();
    assert!(b.scores.len() > 3000, "{}", b.scores.len());
    assert!(b.scores.iter().all(|s| (0.0..=1.0).contains(&s.risk.score)));
    let one = b
        .scores
        .iter()
        .find(|s| s.material.as_deref() == Some("Cobalt") && s.risk.importer == c("BLR"))
        .unwrap();
    assert!(close(one.risk.score, 0.2601968153459724));
}

const POOL: [&str; 8] = ["USA", "CHN", "MYS", "AUS", "COD", "IDN", "DEU", "S19"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_region_of_one_country_is_that_country(i in 0usize..6, m in 0usize..40, y in 2019i16..=2024) {
        let country = c(POOL[i]);
        let name = &RawMaterial::builtin_list().unwrap()[m].name;
        let o = ProductRiskOptions::reference();
        let alone = MaterialRisk::builtin(country, name, y, &o);
        let region = Region::new("one", Country::ROW, [country]).unwrap();
        let grouped = MaterialRisk::builtin_region(&region, name, y, IntraRegion::ZeroWeight, &o);
        match (alone, grouped) {
            (Ok(a), Ok(g)) => {
                prop_assert_eq!(a.risk.score, g.risk.score);
                prop_assert_eq!(a.characterization, g.characterization);
            }
            (Err(_), Err(_)) => {}
            (a, g) => prop_assert!(false, "{:?} vs {:?}", a.is_ok(), g.is_ok()),
        }
    }

    #[test]
    fn zero_tonne_partner_changes_nothing_and_score_stays_in_range(
        flows in prop::collection::vec((0usize..8, 0.0f64..1e6), 1..8),
        wgis in prop::collection::vec(prop::option::of(-5.0f64..5.0), 8),
        p in 0.0f64..1e6,
        extra in 0usize..8,
    ) {
        let hhi = Concentration::from_outputs(
            [(Country::CHN, Tonnes::new(3.0).unwrap()), (Country::AUS, Tonnes::new(1.0).unwrap())],
            &ConcentrationOptions::new()).unwrap();
        let imports: Vec<(Country, Tonnes)> =
            flows.iter().map(|(i, t)| (c(POOL[*i]), Tonnes::new(*t).unwrap())).collect();
        let gov = |k: Country| POOL.iter().position(|x| c(x) == k).and_then(|i| wgis[i]);
        let o = GeoPolRiskOptions::reference();
        let importer = c("JPN");
        let a = GeoPolRisk::from_parts(importer, &hhi, Tonnes::new(p).unwrap(), imports.clone(), gov, &o);
        let mut more = imports.clone();
        more.push((c(POOL[extra]), Tonnes::ZERO));
        let b = GeoPolRisk::from_parts(importer, &hhi, Tonnes::new(p).unwrap(), more, gov, &o);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.score, b.score);
                // Under the reference conventions g is within 0–1, so the
                // score is within 0–HHI ⊂ 0–1.
                prop_assert!(a.score >= 0.0 && a.score <= a.hhi_fraction + 1e-12);
            }
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "one failed, the other not"),
        }
    }
}

#[test]
fn a_company_file_by_hand() {
    use critical_minerals::analysis::{CompanyAssessment, Purchase};
    // Cobalt 2024: 1,000 kg from the DR Congo (30,000 USD), 3,000 kg from
    // Finland given by name in two rows (2,000 kg 70,000 USD; 1,000 kg
    // 40,000 USD). P = 0 for a company.
    // g: COD (2.5 + 2.1191762)/5 = 0.92383524; FIN (2.5 − 0.8325695)/5 =
    //    0.3334861.
    // import risk = (0.92383524 × 1000 + 0.3334861 × 3000) / 4000
    //             = (923.83524 + 1000.4583) / 4000 = 0.481073385
    // score = 0.5705923156717698 × 0.481073385 = 0.274496776755
    // price = 140,000 USD / 4,000 kg = 35 USD/kg
    // CF = 0.274496776755 × 35 / 0.409412948 = 23.4662514543
    let csv = "Metal,Country of Origin,Quantity (kg),Value (USD),Year\n\
               Cobalt,COD,1000,30000,2024\n\
               cobalt,Finland,2000,70000,2024\n\
               Cobalt,FI,1000,40000,2024\n";
    let p = Purchase::read_csv(csv).unwrap();
    assert_eq!(p[1].origin, c("FIN"));
    let a = CompanyAssessment::assess(&p, &ProductRiskOptions::reference()).unwrap();
    assert_eq!(a.results.len(), 1);
    let r = &a.results[0];
    assert!(close(r.import_risk, 0.481073385));
    assert!(close(r.score, 0.2744967767552069));
    let cf = r.characterization.unwrap();
    assert!(close(cf.price_usd_per_kg, 35.0));
    assert!(close(cf.factor, 23.466251454343944));
}

#[test]
fn bad_company_rows_name_row_and_cell() {
    use critical_minerals::analysis::Purchase;
    let head = "Metal,Country of Origin,Quantity (kg),Value (USD),Year\n";
    for (row, col, needle) in [
        (
            "Cobalt,COD,1,2,2024\nUnobtainium,COD,1,2,2024\n",
            1,
            "line 3, column 1",
        ),
        ("Cobalt,Atlantis,1,2,2024\n", 2, "line 2, column 2"),
        ("Cobalt,COD,NaN,2,2024\n", 3, "line 2, column 3"),
        ("Cobalt,COD,1,-2,2024\n", 4, "line 2, column 4"),
        ("Cobalt,COD,1,2,twenty\n", 5, "line 2, column 5"),
    ] {
        let e = Purchase::read_csv(&format!("{head}{row}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "column {col}: {e}");
    }
    let e = Purchase::read_csv("Metal,Year\nCobalt,2024\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Country of Origin") || e.contains("country of origin"),
        "{e}"
    );
}

#[test]
fn the_reference_company_template_reads() {
    use critical_minerals::analysis::{CompanyAssessment, Purchase};
    // tests/data/geopolrisk_company_purchases.csv (copied from the
    // reference helper): BACI names, a numeric code (156 = CHN), notes.
    let text = include_str!("data/geopolrisk_company_purchases.csv");
    let p = Purchase::read_csv(text).unwrap();
    assert_eq!(p.len(), 8);
    assert_eq!(p[0].origin, c("COD"));
    assert_eq!(p[1].origin, Country::CHN);
    let a = CompanyAssessment::assess(&p, &ProductRiskOptions::reference()).unwrap();
    // Cobalt 2022, Lithium 2023, Nickel 2024.
    assert_eq!(a.results.len(), 3);
    // Cobalt 2022 price = (396,000 + 105,000 + 60,000) / 16,500 kg = 34 USD/kg.
    assert!(close(
        a.results[0].characterization.unwrap().price_usd_per_kg,
        34.0
    ));
}
