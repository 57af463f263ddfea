"""A sweep of >= 200 scenarios and a 4-shard Monte Carlo on a LocalCluster of
two worker processes equal the in-process runs exactly."""

from typing import Any, Iterator

import pytest

import critical_minerals as cm
from critical_minerals.dask import SimulatorSpec, monte_carlo, sweep

distributed = pytest.importorskip("distributed")

SPEC = SimulatorSpec(stage="manufacturing", country="USA", mineral="rare-earths", year=2024)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster, distributed.Client(cluster) as c:
        yield c


def scenarios() -> list[dict[str, Any]]:
    """Every exporter of rare earths removed, banning its exports, and
    banning them toward the USA only."""
    chain = SPEC.chain()
    countries = sorted({r["exporter"] for r in chain.flow_rows() if r["mineral"] == "rare-earths"})
    out: list[dict[str, Any]] = []
    for c in countries:
        out.append({"name": f"no-{c}", "shocks": [{"kind": "remove_country", "country": c}]})
        ban = {
            "kind": "export_restriction",
            "imposer": c,
            "minerals": {"only": ["rare-earths"]},
            "stages": "all",
            "toward": "all",
            "measure": {"type": "ban"},
        }
        out.append({"name": f"ban-{c}", "shocks": [ban]})
        if c != "USA":
            out.append({"name": f"ban-{c}-usa", "shocks": [{**ban, "toward": {"only": ["USA"]}}]})
    return out


def test_sweep_equals_in_process(client: Any) -> None:
    items = scenarios()
    assert len(items) >= 200
    remote = sweep(client, SPEC, items, "cascade", batch_size=40)
    local = [o.to_dict() for o in SPEC.build().run_many(items, "cascade")]
    assert remote == local
    lost = sum(1 for o in remote if o["shortfall"] > 0)
    print(f"\nsweep: {len(items)} scenarios on 2 worker processes, equal to in-process; {lost} lose supply")


def test_sharded_monte_carlo_equals_in_process(client: Any) -> None:
    data = cm.Dataset.builtin()
    experiment = {"failure": data.governance_failure(2024), "runs": 2000, "seed": 11}
    remote = monte_carlo(client, SPEC, experiment, shards=4)
    local = SPEC.build().monte_carlo(experiment)
    assert remote == local
    assert remote.runs == 2000
    print(f"monte carlo: 4 shards on 2 worker processes equal the in-process run: {remote}")
