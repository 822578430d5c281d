"""The shape of workflow/, read from the source with `ast`, so anyone can rerun it:

- no import cycle between its modules (imports inside functions count too);
- the engine (workflow/items/) imports nothing from the wings built on it (ranking/, documents/,
  consolidated/), and the bottom modules nothing from any blueprint package;
- every module says in a docstring what it is for;
- a state's name is written only in models/state.py, the ward's name and its units' codes only in
  the plan's data file, and no template names a role or compares a state.
"""
import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workflow"
TEMPLATES = ROOT / "templates"
WINGS = ("workflow.ranking", "workflow.documents", "workflow.consolidated")
# Below every blueprint package: they may import each other and the models, nothing above.
BOTTOM = ("workflow.config", "workflow.extensions", "workflow.validation", "workflow.formats", "workflow.forms",
          "workflow.models", "workflow.kinds", "workflow.wards", "workflow.access", "workflow.downloads",
          "workflow.templating", "workflow.errors", "workflow.security", "workflow.lending")
PACKAGES = ("workflow.items", "workflow.consolidated", "workflow.documents", "workflow.ranking", "workflow.plan",
            "workflow.admin", "workflow.auth", "workflow.public", "workflow.seed", "workflow.cli", "workflow.issuance",
            "workflow.calendar", "workflow.mail", "workflow.reminders", "workflow.dashboard",
            "workflow.search")
STATES = {"draft", "submitted", "reviewed", "accepted"}
ROLES = ("member", "reviewer", "acceptor", "chairman", "admin")


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _within(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def imports_of(name):
    """The workflow modules `name` imports: `from .x import y` names module x.y when there is one, else x."""
    path = SOURCES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            for alias in node.names:
                found.add(f"{module}.{alias.name}" if f"{module}.{alias.name}" in SOURCES else module)
    return {target for target in found if target in SOURCES and target != name}


GRAPH = {name: imports_of(name) for name in SOURCES}


def cycles(graph):
    """Every strongly connected group of more than one module (Tarjan), each a cycle of imports."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_walk_sees_the_imports_it_must():
    """The graph is not empty by mistake: known edges are there, relative and absolute alike."""
    assert "workflow.items.states" in GRAPH["workflow.items.notices"]
    assert "workflow.kinds" in GRAPH["workflow.access"]
    assert "workflow.documents.final" in GRAPH["workflow.consolidated.kind"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_the_engine_does_not_import_its_wings():
    upward = sorted((name, target) for name, targets in GRAPH.items() if name.startswith("workflow.items")
                    for target in targets if _within(target, WINGS))
    assert upward == []


def test_bottom_modules_import_no_blueprint_package():
    upward = sorted((name, target) for name, targets in GRAPH.items() if _within(name, BOTTOM)
                    for target in targets if _within(target, PACKAGES))
    assert upward == []


def test_every_module_says_what_it_is_for():
    silent = [name for name, path in SOURCES.items()
              if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert silent == []


def _string_constants(path):
    """(line, text) of the string literals of a module, docstrings left out (they are prose)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_state_names_are_written_only_in_the_enum():
    found = [(name, line, text) for name, path in SOURCES.items() if name != "workflow.models.state"
             for line, text in _string_constants(path) if text in STATES]
    assert found == []


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_name_no_state_and_no_role(path):
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"""['"](?:%s)['"]""" % "|".join(STATES), text) == []
    assert re.findall(r"""['"](?:%s)['"]|has_role\(""" % "|".join(ROLES), text) == []


def test_the_ward_is_data_not_code():
    """Its name, and the code of its consolidating unit, only in the plan's data file (workflow/seed/)."""
    ward = re.compile(r"Phù Liễn|PHÙ LIỄN|\bVHXH\b|Văn hóa - Xã hội")
    in_code = [(name, line, text) for name, path in SOURCES.items() if not name.startswith("workflow.seed")
               for line, text in _string_constants(path) if ward.search(text)]
    in_templates = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                    if ward.search(p.read_text(encoding="utf-8"))]
    assert in_code == [] and in_templates == []
