"""Python vs Rust, side by side in one session, for the five calls of issue 17.

Run from the repository root, with the package installed (scripts/test_python.sh
builds it into target/py-venv):

    target/py-venv/bin/python python/bench/parity.py

It builds and runs ``examples/py_parity.rs`` (release) for the Rust times, then
times the same calls through the package by the same rule (repeat until a
second has passed or 200 times, keep the fastest), and prints one table. The
reroute totals of both sides must be equal (the script checks it).
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any, Callable

import critical_minerals as cm


def best(f: Callable[[], Any]) -> float:
    fastest, started, n = float("inf"), time.perf_counter(), 0
    while n < 200 and (n < 3 or time.perf_counter() - started < 1.0):
        t = time.perf_counter()
        f()
        fastest = min(fastest, time.perf_counter() - t)
        n += 1
    return fastest


def rust_times() -> dict[str, float]:
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "py_parity"], check=True)
    out = subprocess.run(
        ["target/release/examples/py_parity"], check=True, capture_output=True, text=True
    ).stdout
    times: dict[str, float] = json.loads(out)
    return times


def python_times() -> dict[str, float]:
    data = cm.Dataset.builtin()
    chain = data.world_chain(2024, production="none").chain
    sim = cm.Simulator(chain, "manufacturing", country="USA", mineral="rare-earths")
    # The same scenarios as py_parity.rs.
    exporters = sorted(
        {r["exporter"] for r in chain.flow_rows() if r["mineral"] == "rare-earths" and r["exporter"] != r["importer"]}
    )
    n = len(exporters)
    scenarios = []
    for i in range(1000):
        a, b = exporters[i % n], exporters[(7 * i + 3) % n]
        shocks = [{"kind": "remove_country", "country": a}]
        if a != b:
            shocks.append({"kind": "remove_country", "country": b})
        scenarios.append({"name": f"s{i}", "shocks": shocks})
    return {
        "world_chain": best(lambda: data.world_chain(2024, production="none")),
        "bilateral": best(lambda: chain.bilateral("USA", "MYS")),
        "chokepoint_report": best(
            lambda: chain.chokepoint_report("manufacturing", country="USA", mineral="rare-earths")
        ),
        "reroute_1000": best(lambda: sim.shortfalls(scenarios, "reroute")),
        "geopolrisk_batch": best(lambda: cm.product_risk_batch([2019, 2020, 2021, 2022, 2023, 2024])),
        "check_reroute_total": sum(sim.shortfalls(scenarios, "reroute")),
        # Not a Rust call: what reading a whole result as Python data adds.
        "bilateral_to_dict": best(lambda: chain.bilateral("USA", "MYS").to_dict()),
        "chokepoint_to_dict": best(
            lambda: chain.chokepoint_report("manufacturing", country="USA", mineral="rare-earths").to_dict()
        ),
    }


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def main() -> None:
    rust = rust_times()
    py = python_times()
    assert py["check_reroute_total"] == rust["check_reroute_total"], (py, rust)
    rows = [
        ("world_chain", "a year's world chain (2024, trade only)"),
        ("bilateral", "bilateral profile USA–MYS"),
        ("chokepoint_report", "chokepoint report, rare earths → USA manufacturing"),
        ("reroute_1000", "1,000 reroute scenarios (shortfalls)"),
        ("geopolrisk_batch", "GeoPolRisk batch 2019–2024"),
    ]
    print("| call | Rust | Python | Python / Rust |")
    print("|---|---|---|---|")
    for key, label in rows:
        print(f"| {label} | {fmt(rust[key])} | {fmt(py[key])} | {py[key] / rust[key]:.2f}× |")
    print(
        f"\nreading the whole result as Python data (to_dict) costs: bilateral {fmt(py['bilateral_to_dict'])}, "
        f"chokepoint report {fmt(py['chokepoint_to_dict'])} (the calls above return the Rust result, "
        "converted field by field only when read)"
    )
    print(f"\nreroute check: both sides lose {py['check_reroute_total']:.3f} t in total over the 1,000 scenarios")


if __name__ == "__main__":
    main()
