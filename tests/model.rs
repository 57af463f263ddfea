//! The vocabulary: stages, countries, minerals, quantities, dates, policy.

use critical_minerals::{
    Country, Error, ExportRestriction, Mineral, ReportedDate, RestrictionKind, RestrictionStatus,
    RestrictionTargets, Share, Stage, Suspension, Tonnes,
};
use jiff::civil::date;

#[test]
fn stage_parses_names_and_synonyms_case_insensitively() {
    let cases = [
        ("Exploration", Stage::Exploration),
        ("MINING", Stage::Extraction),
        ("mine production", Stage::Extraction),
        ("beneficiation", Stage::Processing),
        ("smelting", Stage::Refining),
        ("Refinery", Stage::Refining),
        ("manufacturing", Stage::Manufacturing),
        ("recovery", Stage::Recycling),
        ("Recycling and  Recovery", Stage::Recycling),
    ];
    for (text, stage) in cases {
        assert_eq!(text.parse::<Stage>().unwrap(), stage, "{text}");
    }
    let err = "quarrying".parse::<Stage>().unwrap_err();
    assert!(matches!(err, Error::UnknownStage { ref name } if name == "quarrying"));
}

#[test]
fn stage_transitions_are_exactly_the_documented_ones() {
    use Stage::*;
    // The allowed set written out by hand from the design: forward along the
    // five primary stages (skips allowed), manufacturing -> recycling,
    // recycling -> processing/refining/manufacturing; same stage only across
    // a border.
    let forward = [
        (Exploration, Extraction),
        (Exploration, Processing),
        (Exploration, Refining),
        (Exploration, Manufacturing),
        (Extraction, Processing),
        (Extraction, Refining),
        (Extraction, Manufacturing),
        (Processing, Refining),
        (Processing, Manufacturing),
        (Refining, Manufacturing),
        (Manufacturing, Recycling),
        (Recycling, Processing),
        (Recycling, Refining),
        (Recycling, Manufacturing),
    ];
    let mut allowed = 0;
    for a in Stage::ALL {
        for b in Stage::ALL {
            for cross in [false, true] {
                let expected = if a == b {
                    cross
                } else {
                    forward.contains(&(a, b))
                };
                assert_eq!(
                    a.can_flow_to(b, cross),
                    expected,
                    "{a} -> {b} cross={cross}"
                );
                allowed += expected as usize;
            }
        }
    }
    // 14 pairs × 2 (domestic and cross-border) + 6 same-stage cross-border.
    assert_eq!(allowed, 14 * 2 + 6);
    let err = Refining.check_transition(Extraction, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid stage transition refining -> extraction across a border"
    );
}

#[test]
fn country_parses_every_form() {
    for text in ["MYS", "mys", "MY", "my", "458", "Malaysia", " malaysia "] {
        assert_eq!(Country::parse(text).unwrap(), Country::MYS, "{text}");
    }
    assert_eq!(Country::parse("United States").unwrap(), Country::USA);
    assert_eq!(
        Country::parse("United States of America").unwrap(),
        Country::USA
    );
    assert_eq!(Country::parse("DRC").unwrap(), Country::COD);
    assert_eq!(Country::parse("South Korea").unwrap().alpha3(), "KOR");
    assert_eq!(Country::parse("EU").unwrap(), Country::EUU);
    assert_eq!(Country::parse("ROW").unwrap(), Country::ROW);
    assert_eq!(Country::parse("WLD").unwrap(), Country::WLD);
    assert!(Country::ROW.is_aggregate());
    assert_eq!(Country::ROW.alpha2(), None);
    assert_eq!(Country::USA.name(), "United States of America");
    let err = Country::parse("XXZ").unwrap_err();
    assert_eq!(err.to_string(), "unknown country code or name \"XXZ\"");
    assert!(Country::parse("").is_err());
    assert!(Country::parse("99999").is_err());
}

#[test]
fn trade_codes_map_explicitly() {
    // BACI/Comtrade codes that are not the ISO numeric code of their country.
    assert_eq!(Country::from_trade_code(842).unwrap(), Country::USA);
    assert_eq!(Country::from_trade_code(699).unwrap().alpha3(), "IND");
    assert_eq!(Country::from_trade_code(251).unwrap().alpha3(), "FRA");
    assert_eq!(Country::from_trade_code(757).unwrap().alpha3(), "CHE");
    assert_eq!(Country::from_trade_code(490).unwrap(), Country::OTHER_ASIA);
    assert_eq!(Country::from_trade_code(58).unwrap().alpha3(), "BLX");
    // Plain ISO numeric codes pass through.
    assert_eq!(Country::from_trade_code(458).unwrap(), Country::MYS);
    // 842 is not ISO numeric (the US is 840).
    assert!(Country::from_numeric(842).is_err());
    assert_eq!(Country::from_numeric(840).unwrap(), Country::USA);
}

#[test]
fn mineral_names_are_validated() {
    assert_eq!(Mineral::new("rare-earths").unwrap(), Mineral::RARE_EARTHS);
    assert_eq!(Mineral::new("nd2fe14b").unwrap().as_str(), "nd2fe14b");
    for bad in [
        "",
        "Cobalt",
        "rare earths",
        "9lives",
        "co_balt",
        &"a".repeat(65),
    ] {
        let err = Mineral::new(bad).unwrap_err();
        assert!(matches!(err, Error::InvalidMineral { .. }), "{bad}");
    }
}

#[test]
fn quantities_refuse_nan_infinite_negative() {
    assert_eq!(Tonnes::from_kg(760_000.0).unwrap().get(), 760.0);
    assert_eq!(Tonnes::from_kt(18_000.0).unwrap().get(), 18_000_000.0);
    for bad in [f64::NAN, f64::INFINITY, -0.5] {
        assert!(Tonnes::new(bad).is_err());
        assert!(Tonnes::from_kg(bad).is_err());
    }
    // 1e306 kt is 1e309 t: past f64, so refused rather than infinite.
    assert!(Tonnes::from_kt(1e306).is_err());
    let err = Tonnes::new(-3.0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid tonnes -3: must be finite and non-negative"
    );
    assert_eq!(Share::from_percent(87.0).unwrap().get(), 0.87);
    assert!(Share::new(1.000_001).is_err());
    assert!(Share::new(f64::NAN).is_err());
    assert_eq!(Share::ratio(3.0, 0.0), Share::ZERO);
    assert_eq!(
        format!("{}", Tonnes::new(1_234_567.0).unwrap()),
        "1,234,567 t"
    );
    assert_eq!(format!("{}", Share::new(0.125).unwrap()), "12.5%");
    // Precision means decimals, never a maximum width; width pads.
    assert_eq!(format!("{:.2}", Share::new(0.6925).unwrap()), "69.25%");
    assert_eq!(format!("{:>8.1}", Share::new(0.5).unwrap()), "   50.0%");
    assert_eq!(format!("{:<8.1}|", Share::new(0.5).unwrap()), "50.0%   |");
    assert_eq!(
        format!("{:.1}", Tonnes::new(1_500.25).unwrap()),
        "1,500.2 t"
    );
    assert_eq!(format!("{:>9}", Tonnes::new(1_500.0).unwrap()), "  1,500 t");
}

#[test]
fn reported_dates_keep_their_precision() {
    let m: ReportedDate = "2024-01".parse().unwrap();
    assert_eq!(m, ReportedDate::Month(2024, 1));
    assert_eq!(m.to_string(), "2024-01");
    assert_eq!(m.last_day(), date(2024, 1, 31));
    let y: ReportedDate = "2022".parse().unwrap();
    assert_eq!(y.first_day(), date(2022, 1, 1));
    for bad in ["2024-13", "2023-02-29", "24-01", "2024/01/01", "", "2024-1"] {
        assert!(bad.parse::<ReportedDate>().is_err(), "{bad}");
    }
}

#[test]
fn restriction_status_follows_dates_and_suspensions() {
    // China's Oct-2025 rare-earth controls: announced 2025-10-09 with no
    // effective date, suspended until 2026-11-10 by Announcement No. 70.
    let r = ExportRestriction::new("no57", Country::CHN, RestrictionKind::Licence)
        .unwrap()
        .minerals([Mineral::RARE_EARTHS])
        .stages([Stage::Refining, Stage::Manufacturing])
        .announced("2025-10-09".parse().unwrap())
        .suspension(Suspension {
            from: Some("2025-11-07".parse().unwrap()),
            until: Some("2026-11-10".parse().unwrap()),
            by: Some("chn-suspension-no70-2025".into()),
        });
    assert_eq!(
        r.status_on(date(2025, 10, 8)),
        RestrictionStatus::NotYetEffective
    );
    assert_eq!(r.status_on(date(2025, 10, 9)), RestrictionStatus::InForce);
    assert_eq!(r.status_on(date(2025, 11, 7)), RestrictionStatus::Suspended);
    assert_eq!(
        r.status_on(date(2026, 11, 10)),
        RestrictionStatus::Suspended
    );
    assert_eq!(r.status_on(date(2026, 11, 11)), RestrictionStatus::InForce);
    assert!(r.applies_to(Country::USA, &Mineral::RARE_EARTHS, Stage::Refining));
    assert!(!r.applies_to(Country::USA, &Mineral::RARE_EARTHS, Stage::Extraction));
    assert!(!r.applies_to(Country::CHN, &Mineral::RARE_EARTHS, Stage::Refining));

    let only_us = ExportRestriction::new("x", Country::CHN, RestrictionKind::Ban)
        .unwrap()
        .targets(RestrictionTargets::AllExcept([Country::MYS].into()));
    assert!(only_us.applies_to(Country::USA, &Mineral::GALLIUM, Stage::Refining));
    assert!(!only_us.applies_to(Country::MYS, &Mineral::GALLIUM, Stage::Refining));
    assert_eq!(
        only_us.status_on(date(2025, 1, 1)),
        RestrictionStatus::Unknown
    );
}
