"""Scenarios under the three models, Monte Carlo shards and cascade flows on hand-made chains."""

import json

import pytest

import critical_minerals as cm


def two_refiners() -> cm.SupplyChain:
    # CHN refining -> USA manufacturing 30 t; MYS refining -> USA manufacturing 10 t.
    chain = cm.SupplyChain()
    chn = chain.add_node("CHN", "rare-earths", "refining")
    mys = chain.add_node("MYS", "rare-earths", "refining")
    usa = chain.add_node("USA", "rare-earths", "manufacturing")
    chain.add_flow(chn, usa, 30.0)
    chain.add_flow(mys, usa, 10.0)
    return chain


def line() -> cm.SupplyChain:
    # AUS extraction -> MYS refining 10,000 t -> USA manufacturing 2,000 t.
    chain = cm.SupplyChain()
    aus = chain.add_node("AUS", "rare-earths", "extraction")
    mys = chain.add_node("MYS", "rare-earths", "refining")
    usa = chain.add_node("USA", "rare-earths", "manufacturing")
    chain.add_flow(aus, mys, 10_000.0)
    chain.add_flow(mys, usa, 2_000.0)
    return chain


BAN_CHN = {
    "name": "chn-ban",
    "shocks": [
        {
            "kind": "export_restriction",
            "imposer": "CHN",
            "minerals": "all",
            "stages": "all",
            "toward": "all",
            "measure": {"type": "ban"},
        }
    ],
}


def test_ban_under_exposure_and_cascade() -> None:
    sim = cm.Simulator(two_refiners(), "manufacturing", country="USA")
    assert sim.baseline == 40.0
    # The ban cuts the 30 t from CHN: 30 of 40 t, 0.75.
    for model in ("exposure", "cascade"):
        out = sim.run(BAN_CHN, model)
        assert out.shortfall == 30.0
        assert out.shortfall_share == 0.75
    # The same scenario as JSON text gives the same outcome.
    assert sim.run(json.dumps(BAN_CHN)).to_dict() == sim.run(BAN_CHN).to_dict()


def test_upstream_loss_is_felt_by_cascade_not_exposure() -> None:
    sim = cm.Simulator(line(), "manufacturing", country="USA")
    no_aus = {"name": "no-aus", "shocks": [{"kind": "remove_country", "country": "AUS"}]}
    # MYS refines only what AUS mines, so losing AUS starves USA (2,000 of
    # 2,000 t) once it propagates; first order sees no direct supplier lost.
    assert sim.run(no_aus, "exposure").shortfall == 0.0
    assert sim.run(no_aus, "cascade").shortfall == 2_000.0
    assert sim.run(no_aus, "reroute").shortfall == 2_000.0
    assert sim.shortfalls([no_aus, BAN_CHN_FREE], "cascade") == [2_000.0, 0.0]


BAN_CHN_FREE = {"name": "nothing", "shocks": []}


def test_run_many_keeps_order() -> None:
    sim = cm.Simulator(two_refiners(), "manufacturing", country="USA")
    names = [o.scenario for o in sim.run_many([BAN_CHN_FREE, BAN_CHN], "exposure")]
    assert names == ["nothing", "chn-ban"]


def test_monte_carlo_shards_merge_exactly() -> None:
    sim = cm.Simulator(two_refiners(), "manufacturing", country="USA")
    mc = {"failure": {"kind": "countries", "probability": 0.5}, "runs": 200, "seed": 7}
    whole = sim.monte_carlo(mc)
    shards = sim.monte_carlo(mc, start=50, end=200)
    shards.merge(sim.monte_carlo(mc, start=0, end=50))
    assert shards == whole
    assert cm.Summary.from_json(whole.to_json()) == whole
    assert whole.runs == 200


def test_monte_carlo_certain_failure() -> None:
    sim = cm.Simulator(two_refiners(), "manufacturing", country="USA")
    # Every country fails in every run: all 40 t lost each time.
    mc = {"failure": {"kind": "countries", "probability": 1.0}, "runs": 10}
    stats = sim.monte_carlo(mc).statistics()
    assert stats.mean == 40.0
    assert stats.mean_share == 1.0


def test_cascade_flows_before_and_after() -> None:
    sim = cm.Simulator(two_refiners(), "manufacturing", country="USA")
    flows = sorted(
        (f["from"]["country"], f["before"], f["after"]) for f in sim.cascade_flows(BAN_CHN).to_dict()
    )
    assert flows == [("CHN", 30.0, 0.0), ("MYS", 10.0, 10.0)]
    svg = sim.cascade_diagram(BAN_CHN)._repr_svg_()
    assert svg.startswith("<svg")


def test_invalid_scenario_names_the_shock() -> None:
    sim = cm.Simulator(two_refiners(), "manufacturing", country="USA")
    with pytest.raises(cm.NotInChainError) as e:
        sim.run({"name": "x", "shocks": [{"kind": "remove_country", "country": "BRA"}]})
    assert e.value.value == "BRA"
    with pytest.raises(cm.UnknownValueError):
        sim.run(BAN_CHN, "sideways")


def test_simulator_keeps_its_chain() -> None:
    chain = two_refiners()
    sim = cm.Simulator(chain, "manufacturing", country="USA")
    # Changing the chain afterwards copies it; the simulator is unaffected.
    chain.add_node("BRA", "rare-earths", "refining")
    assert sim.baseline == 40.0
    assert chain.node_count == 4


def test_experiment_runs_default_is_the_crates() -> None:
    # MonteCarlo::new runs 1,000 times unless told otherwise.
    assert cm.experiment_runs({"failure": {"kind": "countries", "probability": 0.1}}) == 1000
    assert cm.experiment_runs('{"failure": {"kind": "nodes", "probability": 0.1}, "runs": 7}') == 7
