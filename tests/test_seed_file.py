"""The seed plan YAML must match the source text of the plan it is transcribed from."""

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

SEED_DIR = Path(__file__).resolve().parent.parent / "workflow" / "seed"
PLAN_TEXT = SEED_DIR / "source" / "ke-hoach-cchc-phuong-phu-lien-6-thang-cuoi-2025.txt"
PLAN_YAML = SEED_DIR / "plan_phu_lien_2025.yaml"

AREA_HEADING = re.compile(r"([1-7])\.\s+(\S.*)")
LETTERED_ITEM = re.compile(r"([a-zđ])\)\s*(.*)")
PAGE_NUMBER = re.compile(r"\d+")


def normalise(text):
    return " ".join(text.split())


def parse_section_iii(text):
    """Return [(area name, [(letter, content), ...]), ...] for section III of the plan."""
    lines = [line.replace("\f", " ").strip() for line in text.splitlines()]
    start = lines.index("III. NHIỆM VỤ, GIẢI PHÁP") + 1
    areas = []
    for line in lines[start:]:
        if line.startswith("IV. KINH PHÍ") or line.startswith("(Danh mục nhiệm vụ"):
            break
        if not line or PAGE_NUMBER.fullmatch(line):
            continue
        heading = AREA_HEADING.fullmatch(line)
        if heading and int(heading.group(1)) == len(areas) + 1:
            areas.append((heading.group(2), []))
            continue
        item = LETTERED_ITEM.match(line)
        if item:
            areas[-1][1].append([item.group(1), item.group(2)])
        else:
            areas[-1][1][-1][1] += " " + line
    return [(name, [(letter, normalise(body)) for letter, body in items]) for name, items in areas]


@pytest.fixture(scope="module")
def text_areas():
    return parse_section_iii(PLAN_TEXT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return yaml.safe_load(PLAN_YAML.read_text(encoding="utf-8"))


def all_tasks(seed):
    return [task for area in seed["areas"] for task in area["tasks"]]


def test_text_has_seven_areas_and_36_items(text_areas):
    assert [len(items) for _, items in text_areas] == [5, 4, 5, 4, 6, 7, 5]


def test_areas_match_text_headings(seed, text_areas):
    assert [area["number"] for area in seed["areas"]] == list(range(1, 8))
    assert [area["name"] for area in seed["areas"]] == [name for name, _ in text_areas]


def test_task_count_per_area_matches_text(seed, text_areas):
    assert [len(area["tasks"]) for area in seed["areas"]] == [len(items) for _, items in text_areas]


def test_task_letters_and_contents_match_text_in_order(seed, text_areas):
    for area, (_, items) in zip(seed["areas"], text_areas):
        assert [task["letter"] for task in area["tasks"]] == [letter for letter, _ in items]
        for task, (_, body) in zip(area["tasks"], items):
            assert normalise(task["content"]) == body, task["code"]


def test_task_codes_unique_and_prefixed_by_area(seed):
    codes = [task["code"] for task in all_tasks(seed)]
    assert len(codes) == len(set(codes)) == 36
    for area in seed["areas"]:
        assert all(task["code"].startswith(f"{area['number']}.") for task in area["tasks"])


def test_task_units_are_declared(seed):
    unit_codes = {unit["code"] for unit in seed["units"]}
    assert len(unit_codes) == 5
    for task in all_tasks(seed):
        assert task["lead"] in unit_codes, task["code"]
        assert set(task["cooperating"]) <= unit_codes - {task["lead"]}, task["code"]
    for target in seed["targets"]:
        assert target["responsible"] and set(target["responsible"]) <= unit_codes


def test_task_fields_present_and_deadlines_inside_plan(seed):
    plan = seed["plan"]
    assert plan["start"] == dt.date(2025, 7, 1) and plan["end"] == dt.date(2025, 12, 31)
    for task in all_tasks(seed):
        assert task["title"] and len(task["title"]) <= 90, task["code"]
        assert task["output"], task["code"]
        assert isinstance(task["deadline"], dt.date), task["code"]
        assert plan["start"] <= task["deadline"] <= plan["end"], task["code"]


def test_plan_identity(seed):
    plan = seed["plan"]
    assert plan["number"] == "116/QĐ-UBND"
    assert plan["issued_on"] == dt.date(2025, 7, 11)
    assert plan["signer_name"] == "Phạm Văn Diện"


def test_five_targets(seed):
    targets = seed["targets"]
    assert [target["code"] for target in targets] == ["1", "2", "3", "4", "5"]
    assert [target["metric"] for target in targets] == ["rank", "percent", "count", "percent", "percent"]
    assert [target["value"] for target in targets] == [None, 100, 1, 100, 90]


def test_two_periods_with_due_dates(seed):
    assert [(p["name"], p["kind"], p["due"]) for p in seed["periods"]] == [
        ("Quý III/2025", "quarter", dt.date(2025, 9, 5)),
        ("Năm 2025", "year", dt.date(2025, 12, 5)),
    ]
