"""Max-flow questions toward a target on a hand-made chain."""

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


def test_supply_and_criticality() -> None:
    net = two_refiners().network("manufacturing", country="USA")
    # Both flows reach the target: 30 + 10 = 40 t.
    assert net.deliverable_supply == 40.0
    lost = {(n["key"]["country"], n["key"]["stage"]): n["lost"] for n in net.node_criticality().to_dict()}
    # Losing CHN refining loses its 30 t, MYS its 10 t, the target all 40 t.
    assert lost[("CHN", "refining")] == 30.0
    assert lost[("MYS", "refining")] == 10.0
    countries = {c["country"]: c["lost"] for c in net.country_criticality().to_dict()}
    assert countries["CHN"] == 30.0
    table = net.node_criticality().to_pandas()
    assert len(table) == 3


def test_min_cut_and_dominators() -> None:
    net = two_refiners().network("manufacturing", country="USA")
    cut = net.min_cut()
    # The refiners have no inflow, so they are the supplies; the cheapest
    # cut is both of them, 30 + 10 = 40 t, the deliverable supply.
    assert cut.value == 40.0
    assert sorted((s["key"]["country"], s["tonnes"]) for s in cut.supplies) == [
        ("CHN", 30.0),
        ("MYS", 10.0),
    ]
    # Two disjoint paths: no node other than the target is on every one.
    assert net.dominators().chokepoints == []
    # The target node (id 2) joins the two flows; each flow is a bridge.
    cuts = net.cuts()
    assert cuts.articulation_points == [2]
    assert sorted(map(tuple, cuts.bridges)) == [(0, 2), (1, 2)]
