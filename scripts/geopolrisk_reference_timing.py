#!/usr/bin/env python3
"""Time geopolrisk-py 2.0.1 on "every importer x material x year" work (issue 16 bench).

    /work/gprvenv/bin/python scripts/geopolrisk_reference_timing.py

A full run (about 40 materials x 200 importers x 6 years = 48 000 scores) is far beyond 15 minutes
here, so this times a fixed subset with exactly gprs_calc's per-case body (aggregateTrade, HHI per
member, GeoPolRisk; no Excel/SQLite output) and prints the extrapolation. Import (database load)
and mapped_baci are one-off costs and are reported separately.
"""
import sys
import time

t0 = time.time()
from geopolrisk.assessment.database import databases  # noqa: E402
from geopolrisk.assessment import core, utils  # noqa: E402

t_load = time.time() - t0
t = time.time()
data = utils.mapped_baci()
t_map = time.time() - t
MATERIALS = ["Cobalt", "Rare earth", "Lithium", "Nickel", "Graphite", "Copper", "Manganese",
             "Tungsten", "Platinum", "Aluminium"]
IMPORTERS = ["USA", "Malaysia", "China", "Germany", "Japan", "India", "Brazil", "Rep. of Korea",
             "France", "Viet Nam"]
YEARS = [2022, 2024]
t = time.time()
n = 0
for year in YEARS:
    for ctry in IMPORTERS:
        for rm in MATERIALS:
            members = databases.regionslist[utils.cvtcountry(ctry, type="Name")]
            num, total, price = utils.aggregateTrade(year, members, rm, data=data)
            prods = []
            for j in members:
                prod, hhi = core.HHI(rm, int(year), utils.cvtcountry(j, type="Name"))
                prods.append(prod)
            core.GeoPolRisk(num, total, price, sum(prods), hhi)
            n += 1
dt = time.time() - t
full = 40 * 200 * 6
print(f"import/load {t_load:.1f} s, mapped_baci {t_map:.1f} s, {n} scores in {dt:.1f} s "
      f"= {dt / n * 1000:.1f} ms/score; {full} scores -> {full * dt / n / 60:.0f} min "
      f"+ {(t_load + t_map):.0f} s start-up (extrapolated)", file=sys.stderr)

# gprs_calc itself on a small batch must equal tests/data/geopolrisk_reference.csv bit for bit
import csv  # noqa: E402
import os  # noqa: E402
from geopolrisk.assessment import main  # noqa: E402

ref = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                   "geopolrisk_reference.csv")
rows = {(r["material"], r["importer"], int(r["year"])): r for r in csv.DictReader(open(ref))}
res = main.gprs_calc([2022, 2024], ["USA", "Malaysia"], ["Cobalt", "Lithium"])
for _, r in res.iterrows():
    iso = {"USA": "USA", "Malaysia": "MYS"}[r["Country [Economic Entity]"]]
    mine = rows[(r["Raw Material"], iso, int(r["Year"]))]
    assert float(mine["score"]) == r["GeoPolRisk Score"], (mine, r)
    assert float(mine["cf"]) == r["GeoPolRisk Characterization Factor [eq. Kg-Cu/Kg]"], (mine, r)
print(f"gprs_calc itself equals the CSV bit for bit on {len(res)} cases", file=sys.stderr)
