"""Typed use of the package, checked by mypy --strict in scripts/test_python.sh
(and run by pytest so the calls stay real)."""

from typing import Optional

import critical_minerals as cm
from critical_minerals.dask import SimulatorSpec


def test_typed_calls() -> None:
    chain: cm.SupplyChain = cm.SupplyChain()
    a: int = chain.add_node("AUS", "lithium", "extraction", output=5.0)
    b: int = chain.add_node("CHN", "lithium", "refining")
    flow: int = chain.add_flow(a, b, 5.0)
    assert flow == 0
    report: cm.Report = chain.chokepoint_report("refining", country="CHN")
    supply: float = report.deliverable_supply
    assert supply == 5.0
    sim: cm.Simulator = cm.Simulator(chain, "refining", country="CHN")
    summary: cm.Summary = sim.monte_carlo({"failure": {"kind": "nodes", "probability": 0.5}, "runs": 4})
    assert summary.runs == 4
    wgi: Optional[float] = cm.Dataset.builtin().governance("MYS", 2022)
    assert wgi is not None and wgi > 0.0
    spec = SimulatorSpec(stage="refining", chain_json=chain.to_json(), country="CHN")
    assert spec.build().baseline == 5.0
    try:
        chain.add_node("XXX", "lithium", "refining")
    except cm.UnknownCountryError as e:
        field: Optional[str] = e.field
        assert field == "country"
