import json
import re

from hypedetect.components.stance import default_rules, validate_rule
from hypedetect.tagging import methodologies, read_jsonl_resource

CATEGORIES = {"methodology", "qualification", "role-model", "tactic", "technology", "trend", "process"}
REQUIRED_IDS = {
    "spin-selling", "solution-selling", "challenger-sale", "meddic", "meddicc", "meddpicc", "bant", "sandler",
    "strategic-selling", "conceptual-selling", "value-selling", "command-of-the-message", "gap-selling",
    "snap-selling", "consultative-selling", "insight-selling", "target-account-selling", "neat-selling",
    "social-selling", "sales-2-0", "account-based-marketing", "account-based-selling", "inbound",
    "predictable-revenue", "sdr-bdr-ae-split", "growth-hacking", "revops", "sales-enablement", "crm",
    "marketing-automation", "conversation-intelligence", "intent-data", "ai-sdr", "generative-ai",
    "product-led-sales", "video-prospecting",
}


def test_methodology_lexicon_is_complete_and_well_formed():
    entries = methodologies()
    assert len(entries) >= 120
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    assert REQUIRED_IDS <= set(ids)
    for e in entries:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e["id"]), e["id"]
        assert e["name"] and e["aliases"] and e["era"]
        assert e["category"] in CATEGORIES
        assert 5 <= len(e["description"].split()) <= 40
        assert set(e.get("case_sensitive", [])) <= set(e["aliases"])
        assert set(e.get("requires_context", [])) <= set(e["aliases"])


def test_no_alias_belongs_to_two_methodologies():
    seen = {}
    for e in methodologies():
        for alias in e["aliases"]:
            key = alias.lower()
            assert seen.setdefault(key, e["id"]) == e["id"], f"{alias!r} in {seen[key]} and {e['id']}"


def test_acronyms_that_are_words_are_case_sensitive():
    words = {"ai", "ae", "am", "abm", "spin", "snap", "neat", "rain", "champ", "faint", "bant", "cpq", "sql"}
    for e in methodologies():
        for alias in e["aliases"]:
            if alias.lower() in words:
                assert alias in e.get("case_sensitive", []), (e["id"], alias)


def test_claim_and_stance_resources_are_valid():
    labels = {"PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT"}
    rows = read_jsonl_resource("claims.jsonl")
    assert {r["label"] for r in rows} == labels
    for r in rows:
        assert "phrases" in r or "pattern" in r
    for rule in default_rules():
        validate_rule(rule)
    json.dumps(default_rules())
