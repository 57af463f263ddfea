"""The exception hierarchy: kinds, fields, TypeErrors naming the argument."""

import pytest

import critical_minerals as cm


def test_every_kind_is_a_critical_minerals_error() -> None:
    kinds = cm.error_kinds()
    assert len(kinds) == 27
    for name in kinds:
        cls = getattr(cm, name)
        assert issubclass(cls, cm.CriticalMineralsError)
    assert issubclass(cm.CriticalMineralsError, ValueError)


def test_fields_of_an_unknown_country() -> None:
    chain = cm.SupplyChain()
    with pytest.raises(cm.UnknownCountryError) as e:
        chain.add_node("Atlantis", "cobalt", "refining")
    assert e.value.field == "country"
    assert e.value.value == "Atlantis"
    assert "Atlantis" in str(e.value)
    assert chain.node_count == 0


def test_parse_error_has_line_and_column() -> None:
    with pytest.raises(cm.ParseError) as e:
        cm.SupplyChain.from_json('{\n  "schema": ')
    assert e.value.line == 2
    assert e.value.column is not None


def test_negative_tonnes() -> None:
    chain = cm.SupplyChain()
    a = chain.add_node("AUS", "cobalt", "extraction")
    b = chain.add_node("CHN", "cobalt", "refining")
    with pytest.raises(cm.InvalidQuantityError) as e:
        chain.add_flow(a, b, -5.0)
    assert e.value.value == "-5"
    with pytest.raises(cm.InvalidQuantityError):
        chain.add_flow(a, b, float("nan"))
    assert chain.flow_count == 0


def test_wrong_python_type_is_a_type_error_naming_the_argument() -> None:
    chain = cm.SupplyChain()
    with pytest.raises(TypeError, match="country_code"):
        chain.add_node(3, "cobalt", "refining")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="document"):
        cm.SupplyChain.from_json(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="source"):
        chain.load_baci(3.5)  # type: ignore[arg-type]


def test_unknown_keyword_values() -> None:
    data = cm.Dataset.builtin()
    with pytest.raises(cm.UnknownValueError) as e:
        data.world_chain(2024, production="guess")
    assert e.value.field == "production"


def test_missing_file_is_an_io_error() -> None:
    with pytest.raises(cm.IoError) as e:
        cm.SupplyChain().load_baci("/nonexistent/baci.csv")
    assert e.value.value == "/nonexistent/baci.csv"


def test_node_ids_out_of_range() -> None:
    chain = cm.SupplyChain()
    a = chain.add_node("AUS", "cobalt", "extraction")
    with pytest.raises(cm.OutOfDomainError) as e:
        chain.add_flow(a, -1, 1.0)
    assert (e.value.field, e.value.value) == ("node id", "-1")
    with pytest.raises(cm.UnknownNodeError):
        chain.add_flow(a, 7, 1.0)
