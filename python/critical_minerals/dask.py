"""Scenario sweeps and sharded Monte Carlo on Dask (``dask.distributed``).

The functions take any :class:`distributed.Client`: a ``LocalCluster`` on a
laptop, ``dask-jobqueue`` on a Slurm or PBS cluster, ``dask-kubernetes`` or
Coiled in the cloud. Nothing here depends on which: a worker receives a
:class:`SimulatorSpec` (a few strings), builds its simulator once per process
and keeps it, runs its share of scenarios or its range of Monte Carlo runs,
and sends back plain data. The results equal the in-process run exactly
(scenarios are independent; Monte Carlo run ``i`` draws only from the seed
and ``i``, and the crate's ``Summary.merge`` is exact).

>>> spec = SimulatorSpec(stage="manufacturing", country="USA", mineral="rare-earths")
>>> round(spec.build().baseline, 3)
120.171
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Optional, Union

from critical_minerals._native import Dataset, Simulator, Summary, SupplyChain, experiment_runs

Scenario = Union[str, dict[str, Any]]


@dataclass(frozen=True)
class SimulatorSpec:
    """How a worker builds its simulator: the target and the chain.

    The chain is the built-in world chain of ``year`` (``production`` as in
    :meth:`Dataset.world_chain`; default ``"none"``: trade only, so every
    tonne is product weight), or ``chain_json``, a chain in the crate's JSON.
    """

    stage: str
    country: Optional[str] = None
    mineral: Optional[str] = None
    year: int = 2024
    production: str = "none"
    chain_json: Optional[str] = None

    def chain(self) -> SupplyChain:
        """The chain this spec names."""
        if self.chain_json is not None:
            return SupplyChain.from_json(self.chain_json)
        world = Dataset.builtin().world_chain(self.year, production=self.production)
        return world.chain

    def build(self) -> Simulator:
        """The simulator, built once per process and then reused."""
        return _simulator(self)


@functools.lru_cache(maxsize=8)
def _simulator(spec: SimulatorSpec) -> Simulator:
    return Simulator(spec.chain(), spec.stage, country=spec.country, mineral=spec.mineral)


def _run_batch(spec: SimulatorSpec, scenarios: list[Scenario], propagation: str) -> list[dict[str, Any]]:
    outcomes = spec.build().run_many(scenarios, propagation)
    return [o.to_dict() for o in outcomes]


def _run_shard(spec: SimulatorSpec, experiment: dict[str, Any], start: int, end: int) -> str:
    return spec.build().monte_carlo(experiment, start=start, end=end).to_json()


def batches(items: list[Scenario], size: int) -> list[list[Scenario]]:
    """``items`` cut into consecutive batches of at most ``size``.

    >>> batches(["a", "b", "c"], 2)
    [['a', 'b'], ['c']]
    """
    if size < 1:
        raise ValueError(f"batch size {size}: must be at least 1")
    return [items[i : i + size] for i in range(0, len(items), size)]


def shard_ranges(runs: int, shards: int) -> list[tuple[int, int]]:
    """Run ranges of ``shards`` near-equal shards of ``runs`` runs.

    >>> shard_ranges(10, 4)
    [(0, 3), (3, 6), (6, 8), (8, 10)]
    """
    if shards < 1 or runs < 1:
        raise ValueError(f"{runs} runs in {shards} shards: both must be at least 1")
    step, extra = divmod(runs, shards)
    out, start = [], 0
    for i in range(min(shards, runs)):
        end = start + step + (1 if i < extra else 0)
        out.append((start, end))
        start = end
    return out


def sweep(
    client: Any,
    spec: SimulatorSpec,
    scenarios: list[Scenario],
    propagation: str = "cascade",
    batch_size: int = 50,
) -> list[dict[str, Any]]:
    """Every scenario's outcome (as ``Report.to_dict()``), in input order,
    run on the cluster behind ``client`` in batches of ``batch_size``."""
    parts = batches(scenarios, batch_size)
    futures = client.map(
        _run_batch, [spec] * len(parts), parts, [propagation] * len(parts), pure=False
    )
    results: list[list[dict[str, Any]]] = client.gather(futures)
    return [o for part in results for o in part]


def monte_carlo(
    client: Any, spec: SimulatorSpec, experiment: dict[str, Any], shards: int = 4
) -> Summary:
    """A Monte Carlo experiment (the crate's schema; ``failure`` required,
    other keys default as in the crate) run as ``shards`` run ranges on the
    cluster and merged: equal to ``spec.build().monte_carlo(experiment)``."""
    ranges = shard_ranges(experiment_runs(experiment), shards)
    futures = [
        client.submit(_run_shard, spec, experiment, start, end, pure=False)
        for start, end in ranges
    ]
    parts: list[str] = client.gather(futures)
    total = Summary.from_json(parts[0])
    for part in parts[1:]:
        total.merge(Summary.from_json(part))
    return total
