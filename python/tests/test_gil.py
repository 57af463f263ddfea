"""Long calls release the GIL: another Python thread runs during them."""

import threading
import time

import critical_minerals as cm


def test_other_threads_run_during_a_long_call() -> None:
    chain = cm.Dataset.builtin().world_chain(2024, production="none").chain
    sim = cm.Simulator(chain, "manufacturing", country="USA", mineral="rare-earths")
    countries = sorted({r["exporter"] for r in chain.flow_rows() if r["mineral"] == "rare-earths"})
    scenarios = [
        {"name": f"s{i}", "shocks": [{"kind": "remove_country", "country": countries[i % len(countries)]}]}
        for i in range(600)
    ]
    window: list[float] = []

    def work() -> None:
        start = time.perf_counter()
        sim.shortfalls(scenarios, "reroute")
        window.extend([start, time.perf_counter()])

    ticks: list[float] = []
    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    start, end = window
    inside = [t for t in ticks if start < t < end]
    # Had the call held the GIL, this thread could have run only in one
    # switch interval (5 ms) at the call's start or end; it ran across it.
    assert end - start > 0.05, "the call is too short to tell"
    assert inside and max(inside) - min(inside) > 0.5 * (end - start), (len(inside), end - start)
