"""Every import in caseflow respects the declared layering (tests/layers.toml).

Bottom to top: plumbing (errors, extensions, config, database, money, i18n, forms, http,
boundary, templating), the workflow engine, audit, reference, auth, the dossiers core,
notifications, documents and financing, referrals, reports imports and admin, the desk that
composes them, and the app (the package __init__, cli, models, wsgi) on top.
A module may import its own slice and any slice of a strictly lower layer; slices of one layer
stay apart, except plumbing modules, which may import each other. No slice is part of a cycle.
Imports inside functions and under ``if TYPE_CHECKING:`` count like any other.
"""

import ast
import functools
import tomllib
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = tomllib.loads((Path(__file__).parent / "layers.toml").read_text("utf-8"))["layer"]

# slice prefix -> slice id; a one_slice layer is one id so its modules may wire each other up
SLICE_OF_PREFIX = {
    prefix: layer["name"] if layer.get("one_slice") else prefix
    for layer in LAYERS for prefix in layer["slices"]
}
LAYER_OF_SLICE = {SLICE_OF_PREFIX[p]: (n, layer) for n, layer in enumerate(LAYERS, 1)
                  for p in layer["slices"]}
PLUMBING = {SLICE_OF_PREFIX[p] for p in LAYERS[0]["slices"]}
ABOVE_DOSSIERS = {
    "caseflow.documents", "caseflow.financing", "caseflow.referrals", "caseflow.notifications",
    "caseflow.reports", "caseflow.imports", "caseflow.desk",
}


class Import(NamedTuple):
    path: str
    line: int
    source: str
    target: str


def module_name(path: str) -> str:
    """Dotted name of the module at a path relative to the project root."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def slice_of(module: str) -> str | None:
    """The slice id of a module: its longest declared prefix, or None when undeclared."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        # an undotted name ("caseflow") stands for that module only, not the package below it
        if prefix in SLICE_OF_PREFIX and ("." in prefix or end == len(parts)):
            return SLICE_OF_PREFIX[prefix]
    return None


def imports_in(path: str, source: str, known: set[str]) -> list[Import]:
    """Every import statement of one file, resolved to the module it names."""
    module = module_name(path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found = []
    # ast.walk reaches function bodies and TYPE_CHECKING blocks, which a lazy import hides in
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, module, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(kept + ([node.module] if node.module else []))
            for alias in node.names:
                # `from caseflow import cli` depends on caseflow.cli, not on caseflow's __init__
                full = f"{base}.{alias.name}"
                found.append(Import(path, node.lineno, module, full if full in known else base))
    # a set: `from x import a, b` names module x once for that line, not once per name
    return sorted(set(found))


def project_files() -> list[str]:
    """Paths of the checked sources: caseflow/ without its migrations, and wsgi.py."""
    files = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "caseflow").rglob("*.py"))]
    return [f for f in files if not f.startswith("caseflow/migrations/")] + ["wsgi.py"]


@functools.cache
def project_imports() -> tuple[Import, ...]:
    """All imports of the project, read once for every test."""
    files = project_files()
    known = {module_name(f) for f in files}
    return tuple(i for f in files for i in imports_in(f, (ROOT / f).read_text("utf-8"), known))


def layer_label(module: str) -> str:
    """'layer 6 core' for a project module, the bare top-level name for a third party."""
    if (found := slice_of(module)) is None:
        return module.split(".")[0]
    return f"layer {LAYER_OF_SLICE[found][0]} {LAYER_OF_SLICE[found][1]['name']}"


def describe(imp: Import) -> str:
    """One actionable line per offending import."""
    return (f"{imp.path}:{imp.line}: {imp.source} imports {imp.target} "
            f"({layer_label(imp.source)} may not depend on {layer_label(imp.target)})")


def cross_slice(imports) -> list[tuple[Import, str, str]]:
    """Imports from one declared slice into another, with both slice ids."""
    pairs = [(i, slice_of(i.source), slice_of(i.target)) for i in imports]
    return [(i, a, b) for i, a, b in pairs if a and b and a != b]


def layering_breaks(imports) -> list[str]:
    """Imports that go up or sideways in the declared layering."""
    broken = []
    for imp, a, b in cross_slice(imports):
        (low, layer), (high, _) = LAYER_OF_SLICE[b], LAYER_OF_SLICE[a]
        if not (low < high or (low == high and layer.get("peers_import"))):
            broken.append(describe(imp))
    return broken


def engine_breaks(imports) -> list[str]:
    """Imports that tie the workflow engine to Flask, SQLAlchemy or the app's extensions."""
    def forbidden(target):
        top = target.split(".")[0]
        return top in ("flask", "sqlalchemy") or top.startswith("flask_") or \
            slice_of(target) == "caseflow.extensions"

    return [describe(i) for i in imports
            if slice_of(i.source) == "caseflow.workflow" and forbidden(i.target)]


def cycles(imports) -> list[list[str]]:
    """Groups of two or more slices that all reach each other, as sorted slice ids."""
    graph: dict[str, set[str]] = {}
    for _, a, b in cross_slice(imports):
        graph.setdefault(a, set()).add(b)
    reach = {}
    # the slice graph has a few dozen nodes: plain reachability is clearer than Tarjan
    for start in graph:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), set()) - seen:
                seen.add(nxt)
                todo.append(nxt)
        reach[start] = seen
    groups = {tuple(sorted(m for m in reach[n] if n in reach.get(m, ()))) for n in graph}
    return sorted(list(g) for g in groups if len(g) > 1)


def check(rule: str, offending: list[str]) -> None:
    """Fail with the rule and every offending import, one per line."""
    if offending:
        pytest.fail(f"{rule}:\n" + "\n".join(offending), pytrace=False)


def offending(rule) -> list[str]:
    """The project's imports between two slices for which rule(from_slice, to_slice) holds."""
    return [describe(i) for i, a, b in cross_slice(project_imports()) if rule(a, b)]


def test_checker_catches_an_import_inside_a_function():
    source = "def f():\n    from caseflow.desk import views\n"
    found = imports_in("caseflow/dossiers/x.py", source, known={"caseflow.desk.views"})
    assert layering_breaks(found) == [
        "caseflow/dossiers/x.py:2: caseflow.dossiers.x imports caseflow.desk.views "
        "(layer 6 core may not depend on layer 13 desk)"]


def test_checker_resolves_every_import_form_and_finds_cycles_and_flask():
    source = ("import caseflow.auth.models\nfrom caseflow import cli, create_app\n"
              "if TYPE_CHECKING:\n    from ..referrals import models\n")
    found = imports_in("caseflow/dossiers/x.py", source,
                       known={"caseflow.cli", "caseflow.referrals.models"})
    assert sorted(i.target for i in found) == [
        "caseflow", "caseflow.auth.models", "caseflow.cli", "caseflow.referrals.models"]
    back = imports_in("caseflow/referrals/y.py", "import caseflow.dossiers", set())
    assert cycles(found + back) == [["caseflow.dossiers", "caseflow.referrals"]]
    assert engine_breaks(imports_in("caseflow/workflow/z.py", "import flask_babel", set()))


def test_every_module_belongs_to_a_declared_slice():
    undeclared = [f"{f}: {module_name(f)}" for f in project_files() if not slice_of(module_name(f))]
    check("modules outside every slice of tests/layers.toml (add their slice there)", undeclared)


def test_imports_follow_the_layering():
    check("imports against the layering", layering_breaks(project_imports()))


def test_engine_imports_neither_flask_nor_sqlalchemy():
    check("the workflow engine must run without Flask, SQLAlchemy or caseflow.extensions",
          engine_breaks(project_imports()))


def test_audit_imports_only_plumbing():
    check("caseflow.audit may import plumbing only",
          offending(lambda a, b: a == "caseflow.audit" and b not in PLUMBING))


def test_plumbing_imports_no_feature_slice():
    check("plumbing may import plumbing only",
          offending(lambda a, b: a in PLUMBING and b not in PLUMBING))


def test_dossiers_import_none_of_the_features_built_on_them():
    check("caseflow.dossiers may not import the slices built on it",
          offending(lambda a, b: a == "caseflow.dossiers" and b in ABOVE_DOSSIERS))


def test_only_the_app_imports_the_desk():
    check("only the app layer may import caseflow.desk",
          offending(lambda a, b: b == "caseflow.desk" and a != "app"))


def test_no_cycle_between_slices():
    imports = project_imports()
    report = []
    for component in cycles(imports):
        # a cycle always holds an import going up or sideways: cutting those breaks it
        report.append(f"cycle between {', '.join(component)}; its imports up or sideways:")
        report += [f"  {describe(i)}" for i, a, b in cross_slice(imports)
                   if a in component and b in component
                   and LAYER_OF_SLICE[b][0] >= LAYER_OF_SLICE[a][0]]
    check("slices in a cycle", report)
