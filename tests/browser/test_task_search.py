"""Active search on the task list: htmx swaps the rows in place, pushes the URL, and Back restores."""
import re

import pytest
import yaml
from playwright.sync_api import expect

from workflow.seed import PLAN_FILE

with open(PLAN_FILE, encoding="utf-8") as fh:
    AREAS = yaml.safe_load(fh)["areas"]
ALL_CODES = [t["code"] for a in AREAS for t in a["tasks"]]  # the list's order: area, then position
AREA_7 = next(a for a in AREAS if a["number"] == 7)
PER_PAGE = 25


@pytest.fixture
def task_list(page, live_server, login):
    """A unit officer on the task list, reached through the menu as a person would."""
    login(page, live_server, "vhxh")
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Nhiệm vụ").click()
    expect(page).to_have_url(f"{live_server.url}/tasks")
    return page


def codes(page):
    return page.locator("#task-rows tbody tr td:first-child")


def test_seed_has_the_numbers_this_file_relies_on():
    assert len(ALL_CODES) == 36
    assert [t["code"] for a in AREAS for t in a["tasks"] if "ISO" in t["title"]] == ["7.d"]


def test_typing_narrows_rows_in_place_and_back_restores_the_full_list(task_list, live_server):
    page = task_list
    expect(codes(page)).to_have_text(ALL_CODES[:PER_PAGE])
    expect(page.locator("#task-rows .count")).to_have_text("36 nhiệm vụ · trang 1/2")

    page.evaluate("window.__marker = 1")
    # One input event: typed key by key, a loaded machine can stall past the 300 ms debounce after "I",
    # push that URL too, and then Back lands on ?q=I instead of the full list.
    page.get_by_role("searchbox", name="Tìm kiếm").fill("ISO")

    expect(codes(page)).to_have_text(["7.d"])
    expect(page.locator("#task-rows tbody tr")).to_contain_text("ISO")
    expect(page.locator("#task-rows .count")).to_have_text("1 nhiệm vụ")
    expect(page).to_have_url(re.compile(r"/tasks\?(.*&)?q=ISO(&|$)"))
    assert page.evaluate("window.__marker") == 1, "the rows changed through a full page load"

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/tasks")
    expect(codes(page)).to_have_text(ALL_CODES[:PER_PAGE])
    expect(page.locator("#task-rows .count")).to_have_text("36 nhiệm vụ · trang 1/2")
    expect(page.get_by_role("searchbox", name="Tìm kiếm")).to_have_value("")
    assert page.evaluate("window.__marker") == 1, "Back reloaded the page instead of restoring it"


def test_area_select_narrows_to_that_area(task_list):
    page = task_list
    page.evaluate("window.__marker = 1")
    page.get_by_label("Lĩnh vực").select_option(label=f"7. {AREA_7['name']}")

    expect(codes(page)).to_have_text([t["code"] for t in AREA_7["tasks"]])
    expect(page.locator("#task-rows tbody tr td:nth-child(3)")).to_have_text(
        [f"7. {AREA_7['name']}"] * len(AREA_7["tasks"]))
    expect(page).to_have_url(re.compile(r"[?&]area=\d+"))
    assert page.evaluate("window.__marker") == 1
