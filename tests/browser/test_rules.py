"""The routing rules editor in a real browser: write a rule, preview it, save it, see it listed."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_admin_writes_previews_and_saves_a_rule(open_page, app_db):
    page = open_page("nora", "/b/lumen/rules/new/")
    page.get_by_label("Name").fill("Coffee gear to care")
    page.get_by_text("Advanced: the rule as JSON").click()  # the JSON view of the builder
    page.get_by_label(re.compile("^Conditions")).fill(json.dumps(
        {"all": [{"field": "text", "op": "keywords", "value": ["grinder", "lid", "kettle"]}]}))
    page.get_by_label(re.compile("^Actions")).fill(json.dumps([{"type": "set_team", "team": "care"},
                                                               {"type": "add_tag", "tag": "gear"}]))
    page.get_by_role("button", name="Preview the JSON").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(re.compile(r"\d+ of the last \d+ posts match"))
    expect(preview).to_contain_text("team care; tag gear;")

    page.get_by_label(re.compile("^Actions")).fill('[{"type": "explode"}]')
    page.get_by_role("button", name="Preview the JSON").click()
    expect(preview).to_contain_text("unknown action")

    page.get_by_label(re.compile("^Actions")).fill(json.dumps([{"type": "set_team", "team": "care"}]))
    page.get_by_role("button", name="Save from JSON").click()
    expect(page.locator("#flash")).to_contain_text("Rule “Coffee gear to care” saved.")
    expect(page.get_by_role("link", name="Coffee gear to care")).to_be_visible()

    def remove():
        from parley.routing.models import RoutingRule

        RoutingRule.objects.filter(name="Coffee gear to care").delete()

    app_db.run(remove)


def test_agents_cannot_open_the_rules(open_page):
    page = open_page("cara", "/b/lumen/rules/")
    expect(page.locator("body")).to_contain_text(re.compile("not found|No such", re.I))
