"""Shared advanced event selectors: argument spec = doc fragment, validation knobs, conversions."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.cloudaudit.aws.plugins.doc_fragments._advanced_event_selectors import ModuleDocFragment
from ansible_collections.cloudaudit.aws.plugins.module_utils._common import advanced_selectors as adv
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError

DOC_KEYS = ("type", "elements", "required", "choices", "default")


def _spec_from_doc(options):
    spec = {}
    for name, doc in options.items():
        entry = {k: doc[k] for k in DOC_KEYS if k in doc}
        if "suboptions" in doc:
            entry["options"] = _spec_from_doc(doc["suboptions"])
        spec[name] = entry
    return spec


def test_doc_fragment_matches_argument_spec():
    doc = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert list(doc) == ["advanced_event_selectors"]
    assert _spec_from_doc(doc)["advanced_event_selectors"] == adv.argument_spec()


def test_argument_spec_is_a_fresh_copy():
    spec = adv.argument_spec()
    spec["options"]["name"]["type"] = "int"
    assert adv.argument_spec()["options"]["name"]["type"] == "str"
    assert set(spec["options"]["field_selectors"]["options"]) == {"field", *adv.OPERATORS}


def one(**field):
    return [{"field_selectors": [field]}]


@pytest.mark.parametrize(
    "selectors, message",
    [
        ([{"field_selectors": []}], "at least one field selector"),
        (one(field="bad field", equals=["x"]), "letters, digits"),
        (one(field="eventName"), "at least one operator"),
        (one(field="eventName", equals=[], not_equals=None), "at least one operator"),
        (one(field="readOnly", not_equals=["true"]), "only supports the equals operator"),
        (one(field="eventName", equals=["x" * 2049]), "1-2048"),
        (one(field="eventName", equals=[""]), "1-2048"),
    ],
)
def test_invalid_selectors_per_field_location(selectors, message):
    with pytest.raises(CloudAuditError) as e:
        adv.validate(selectors, "opt")
    assert message in e.value.msg
    assert e.value.option.startswith("opt[0]")


def test_location_in_message_when_not_per_field():
    with pytest.raises(CloudAuditError) as e:
        adv.validate([{"field_selectors": [{"field": "eventName", "equals": ["a"]}]}] + one(field="readOnly", ends_with=["x"]), "opt", per_field=False)
    assert e.value.option == "opt"
    assert e.value.msg.startswith("opt: selector 2: field 'readOnly' only supports")


def test_empty_operator_is_an_error_only_when_asked():
    selectors = one(field="eventName", equals=[], starts_with=["Delete"])
    adv.validate(selectors, "opt")
    with pytest.raises(CloudAuditError, match="equals of field 'eventName' is empty"):
        adv.validate(selectors, "opt", empty_operator_is_error=True)


def test_limits_are_parameters():
    five = one(field="eventCategory", equals=["Management"]) * 5
    adv.validate(five, "opt", max_selectors=5)
    adv.validate(five * 2, "opt")
    with pytest.raises(CloudAuditError, match="6 selectors given, AWS allows at most 5") as e:
        adv.validate(five + five[:1], "opt", max_selectors=5)
    assert e.value.option == "opt"
    values = one(field="resources.ARN", starts_with=[str(i) for i in range(500)])
    adv.validate(values, "opt")
    with pytest.raises(CloudAuditError, match="501 condition values"):
        adv.validate(values + one(field="eventName", equals=["x"]), "opt")
    with pytest.raises(CloudAuditError, match="500 condition values given, AWS allows at most 10"):
        adv.validate(values, "opt", max_values=10)


def test_round_trips_and_canonical_forms():
    mine = [
        {
            "name": "B",
            "field_selectors": [{"field": "eventName", "equals": ["b", "a"], "not_equals": None}, {"field": "eventCategory", "equals": ["Management"]}],
        },
        {"name": None, "field_selectors": [{"field": "eventCategory", "equals": ["Data"]}]},
    ]
    aws = adv.to_aws(mine)
    assert aws[0] == {"Name": "B", "FieldSelectors": [{"Field": "eventName", "Equals": ["b", "a"]}, {"Field": "eventCategory", "Equals": ["Management"]}]}
    assert aws[1] == {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}
    back = adv.from_aws(aws)
    assert back[1] == {"name": None, "field_selectors": [{"field": "eventCategory", "equals": ["Data"]}]}
    assert adv.normalize(back) == adv.normalize(list(reversed(mine)))
    assert adv.normalize(None) is None and adv.from_aws(None) == []
    reordered = [{"Name": "B", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "eventName", "Equals": ["a", "b"]}]}, aws[1]]
    assert adv.canonical(list(reversed(reordered))) == adv.canonical(aws)
    assert adv.canonical(aws) != adv.canonical([{**aws[0], "Name": "C"}, aws[1]])
