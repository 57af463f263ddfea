"""The chain built node by node, its JSON, and the analyses on small hand-made chains."""

import json

import pytest

import critical_minerals as cm


def small_chain() -> tuple[cm.SupplyChain, int, int, int]:
    # AUS mine -> MYS refinery 10,000 t; MYS refinery -> USA magnets 2,000 t.
    chain = cm.SupplyChain()
    mine = chain.add_node("AUS", "rare-earths", "extraction")
    refinery = chain.add_node("MYS", "rare-earths", "refining")
    magnets = chain.add_node("USA", "rare-earths", "manufacturing")
    chain.add_flow(mine, refinery, 10_000.0)
    chain.add_flow(refinery, magnets, 2_000.0)
    return chain, mine, refinery, magnets


def test_node_by_node_and_json_round_trip() -> None:
    chain, _, _, _ = small_chain()
    assert (chain.node_count, chain.flow_count) == (3, 2)
    again = cm.SupplyChain.from_json(chain.to_json())
    assert again == chain
    # A dict in the same schema reads the same.
    assert cm.SupplyChain.from_json(json.loads(chain.to_json())) == chain


def test_chokepoint_report_on_hand_made_chain() -> None:
    chain, _, refinery, _ = small_chain()
    report = chain.chokepoint_report("manufacturing", country="USA", mineral="rare-earths")
    # Every tonne reaching USA manufacturing (2,000 t) passes MYS refining.
    assert report.deliverable_supply == 2_000.0
    assert any(n["node"] == refinery and "dominator" in n["kinds"] for n in report.nodes)
    assert "MYS refining" in str(report)


def test_flow_table() -> None:
    chain, _, _, _ = small_chain()
    rows = chain.flow_rows()
    assert [(r["exporter"], r["importer"], r["tonnes"]) for r in rows] == [
        ("AUS", "MYS", 10_000.0),
        ("MYS", "USA", 2_000.0),
    ]


def test_refused_flow_leaves_chain_unchanged() -> None:
    chain, mine, _, magnets = small_chain()
    before = chain.to_json()
    with pytest.raises(cm.InvalidTransitionError):
        chain.add_flow(magnets, mine, 1.0)
    assert chain.to_json() == before


def test_chain_and_summary_pickle() -> None:
    import pickle

    chain, _, _, _ = small_chain()
    assert pickle.loads(pickle.dumps(chain)) == chain
    sim = cm.Simulator(chain, "manufacturing", country="USA")
    summary = sim.monte_carlo({"failure": {"kind": "countries", "probability": 0.5}, "runs": 30})
    assert pickle.loads(pickle.dumps(summary)) == summary
