"""The README's tour on real 2024 trade, and pandas tables with typed columns."""

import critical_minerals as cm


def test_tour_on_real_2024_trade() -> None:
    data = cm.Dataset.builtin()
    chain = data.world_chain(2024, production="none").chain
    profile = chain.bilateral("USA", "MYS")
    assert any(link["mineral"] == "rare-earths" for link in profile.links)
    report = chain.chokepoint_report("manufacturing", country="USA", mineral="rare-earths")
    assert report.nodes[0]["key"]["country"] == "CHN"
    ban = {
        "name": "china-ree-ban",
        "shocks": [
            {
                "kind": "export_restriction",
                "imposer": "CHN",
                "minerals": {"only": ["rare-earths"]},
                "stages": "all",
                "toward": "all",
                "measure": {"type": "ban"},
            }
        ],
    }
    sim = cm.Simulator(chain, "manufacturing", country="USA", mineral="rare-earths")
    share = {m: sim.run(ban, m).shortfall_share for m in ("exposure", "cascade", "reroute")}
    assert share["reroute"] <= share["cascade"] and share["exposure"] > 0.5


def test_tables_have_typed_columns() -> None:
    chain = cm.Dataset.builtin().world_chain(2024, production="none").chain
    flows = chain.to_pandas()
    assert len(flows) == chain.flow_count
    assert str(flows["tonnes"].dtype) == "Float64"
    assert str(flows["exporter"].dtype) == "string"
    assert str(flows["year"].dtype) == "Int64"
    links = chain.bilateral("USA", "MYS").to_pandas()
    assert {"mineral", "from_stage", "to_stage", "a_to_b", "b_to_a"} <= set(links.columns)
    nodes = chain.chokepoint_report("manufacturing", country="USA", mineral="rare-earths").to_pandas()
    assert nodes["key_country"].iloc[0] == "CHN"
    scores = cm.product_risk_batch([2024]).to_pandas()
    assert str(scores["risk_score"].dtype) == "Float64"
    assert (scores["year"] == 2024).all()


def test_product_risk_and_trend() -> None:
    r = cm.product_risk("USA", 284690, 2024)
    assert r.commodity == "Rare Earths (REO)"
    assert 0.0 < r.risk["score"] < 1.0
    trend = cm.bilateral_trend("USA", "MYS")
    assert [p["year"] for p in trend.points] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert "2024" in str(trend)


def test_exports() -> None:
    chain = cm.SupplyChain()
    a = chain.add_node("AUS", "lithium", "extraction")
    b = chain.add_node("CHN", "lithium", "refining")
    chain.add_flow(a, b, 5.0)
    assert "<graphml" in chain.to_graphml()
    assert chain.to_dot(title="lithium").startswith("digraph")
    assert chain.flow_diagram(mineral="lithium")._repr_svg_().startswith("<svg")
    assert "AUS" in str(chain)
