"""Fuzz of every entry point that takes files, JSON or dicts: whatever comes
in, the call returns or raises CriticalMineralsError (or TypeError for a
wrong Python type), never crashes the interpreter, and a refused load leaves
the chain as it was. Counts are printed at the end of the run."""

import json
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import critical_minerals as cm
from conftest import DATA, FUZZ_CASES

CASES = 400
FUZZ = settings(
    max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)


def small_chain() -> cm.SupplyChain:
    chain = cm.SupplyChain()
    a = chain.add_node("AUS", "cobalt", "extraction", output=10.0)
    b = chain.add_node("CHN", "cobalt", "refining")
    c = chain.add_node("USA", "cobalt", "manufacturing")
    chain.add_flow(a, b, 10.0)
    chain.add_flow(b, c, 4.0)
    return chain


VALID_CHAIN = json.loads(small_chain().to_json())
VALID_SCENARIO: dict[str, Any] = {
    "name": "s",
    "shocks": [
        {"kind": "remove_country", "country": "AUS"},
        {"kind": "export_restriction", "imposer": "CHN", "minerals": "all", "stages": "all",
         "toward": "all", "measure": {"type": "ban"}},
    ],
}
VALID_MC: dict[str, Any] = {"failure": {"kind": "countries", "probability": 0.3}, "runs": 20, "seed": 3}


@st.composite
def mutated(draw: st.DrawFn, doc: Any) -> Any:
    """A valid document with one value somewhere replaced by any JSON value."""
    doc = json.loads(json.dumps(doc))
    node, key = doc, None
    parent: Any = None
    for _ in range(draw(st.integers(0, 6))):
        if isinstance(node, dict) and node:
            k = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            k = draw(st.integers(0, len(node) - 1))
        else:
            break
        parent, key, node = node, k, node[k]
    value = draw(json_values)
    if parent is None:
        return value
    parent[key] = value
    return doc


def accepts_or_refuses(call: Callable[[], Any]) -> None:
    try:
        call()
    except (cm.CriticalMineralsError, TypeError):
        pass


def count(name: str) -> None:
    FUZZ_CASES[name] = FUZZ_CASES.get(name, 0) + 1


@FUZZ
@given(st.one_of(mutated(VALID_CHAIN), json_values, st.text(max_size=200)))
def test_chain_from_json(doc: Any) -> None:
    count("SupplyChain.from_json (dict/text)")
    accepts_or_refuses(lambda: cm.SupplyChain.from_json(doc if isinstance(doc, str) else json.dumps(doc)))
    if isinstance(doc, (dict, list)):
        accepts_or_refuses(lambda: cm.SupplyChain.from_json(doc))


SIM = cm.Simulator(small_chain(), "manufacturing", country="USA")


@FUZZ
@given(st.one_of(mutated(VALID_SCENARIO), json_values), st.sampled_from(["exposure", "cascade", "reroute"]))
def test_scenarios(doc: Any, model: str) -> None:
    count("Simulator.run / cascade_flows (scenario dict)")
    accepts_or_refuses(lambda: SIM.run(doc, model))
    accepts_or_refuses(lambda: SIM.cascade_flows(doc))


@FUZZ
@given(st.one_of(mutated(VALID_MC), json_values))
def test_monte_carlo(doc: Any) -> None:
    count("Simulator.monte_carlo (experiment dict)")
    if isinstance(doc, dict) and isinstance(doc.get("runs"), int) and doc["runs"] > 2000:
        doc["runs"] = 2000  # keep each case fast; the crate's own limit is tested in Rust
    accepts_or_refuses(lambda: SIM.monte_carlo(doc))


BACI = (DATA / "baci_sample.csv").read_bytes()
COMTRADE = (DATA / "comtrade_sample.csv").read_bytes()


@st.composite
def mutated_file(draw: st.DrawFn, text: bytes) -> bytes:
    """A real trade file with a few bytes replaced, inserted or cut."""
    data = bytearray(text)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        piece = draw(st.binary(max_size=8) | st.sampled_from([b",", b"\n", b"\"", b"NaN", b"-1", b"1e400"]))
        cut = draw(st.integers(0, 8))
        data[at : at + cut] = piece
    return bytes(data)


@FUZZ
@given(st.one_of(mutated_file(BACI), st.binary(max_size=300)))
def test_load_baci(data: bytes) -> None:
    count("SupplyChain.load_baci (bytes)")
    chain = small_chain()
    before = chain.to_json()
    try:
        chain.load_baci(data)
    except cm.CriticalMineralsError:
        assert chain.to_json() == before


@FUZZ
@given(st.one_of(mutated_file(COMTRADE), st.binary(max_size=300)))
def test_load_comtrade(data: bytes) -> None:
    count("SupplyChain.load_comtrade (bytes)")
    chain = small_chain()
    before = chain.to_json()
    try:
        chain.load_comtrade(data)
    except cm.CriticalMineralsError:
        assert chain.to_json() == before


@FUZZ
@given(st.one_of(json_values, st.text(max_size=100)))
def test_summary_from_json(doc: Any) -> None:
    count("Summary.from_json")
    accepts_or_refuses(lambda: cm.Summary.from_json(doc if isinstance(doc, (str, dict, list)) else json.dumps(doc)))
