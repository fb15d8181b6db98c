"""The package as it installs: one import namespace (`aurules`, with `aurules.model` and
`aurules.properties` inside), three layers with no arrow running back up, no import cycle, and
a user's own `model.py` or `properties.py` left alone."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import aurules

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {
    "aurules": ROOT / "aurules",
    "aurules.model": ROOT / "model",
    "aurules.properties": ROOT / "properties",
}
"""Where each installed package's source lives in the repository (the package-dir mapping)."""

SCENARIO = (
    '{"learner": {"date_of_birth": "2000-01-15"}, '
    '"unit": {"published_min_hours": 60, "funding_rate": "1500.00"}, '
    '"plan": {"start_date": "2026-05-04", "planned_end_date": "2026-07-27", '
    '"planned_hours": 60, "price": "1500.00"}}'
)


def installed_modules() -> dict[str, Path]:
    """Every module of the package, by its installed name, with its source file."""
    out: dict[str, Path] = {}
    for prefix, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            relative = path.relative_to(folder).with_suffix("")
            parts = [p for p in relative.parts if p != "__init__"]
            if prefix == "aurules" and parts and parts[0] in ("model", "properties"):
                continue
            out[".".join([prefix, *parts])] = path
    return out


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports, anywhere in its body (lazy imports too)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:  # `if TYPE_CHECKING:` imports never run
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        found |= {t for t in targets if t in modules and t != name}
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph() -> dict[str, set[str]]:
    modules = installed_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def layer(name: str) -> str:
    if name.startswith("aurules.model"):
        return "model"
    if name.startswith("aurules.properties"):
        return "properties"
    return "tools"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                out.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_has_no_cycle() -> None:
    assert [] == cycles(import_graph())


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert [["a", "b"]] == cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})


def test_the_rules_import_nothing_from_the_checks_or_the_tools() -> None:
    offenders = [
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        if layer(name) == "model"
        for target in sorted(targets)
        if layer(target) != "model"
    ]
    assert [] == offenders


def test_the_checks_import_only_the_rules() -> None:
    offenders = [
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        if layer(name) == "properties"
        for target in sorted(targets)
        if layer(target) == "tools"
    ]
    assert [] == offenders


def test_rule_modules_import_only_what_rules_stand_on() -> None:
    """A rule module registers itself; it never imports the rule book or an engine, so
    registration has no cycle and a rule cannot depend on how it is run."""
    engines = {
        "aurules.model.rulebook",
        "aurules.model.lifecycle",
        "aurules.model.evaluate",
        "aurules.model.planned",
        "aurules.model.access_transition",
    }
    offenders = [
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        if name.startswith("aurules.model.rules.")
        for target in sorted(targets)
        if target in engines
        or target.startswith(("aurules.model.symbolic", "aurules.model.population"))
    ]
    assert [] == offenders


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = import_graph()
    assert "aurules.properties.runner" in graph["aurules.cli.main"]  # imported in a function
    assert "aurules.model.rules.milestones" in graph["aurules.model.rulebook"]


def test_no_code_imports_the_old_top_level_names() -> None:
    offenders = []
    for folder in ("aurules", "model", "properties", "tests", "scripts", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom) and not node.level
                    else []
                )
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}"
                    for n in names
                    if n.split(".")[0] in ("model", "properties")
                ]
    assert [] == offenders


def test_every_package_folder_is_installed() -> None:
    """Each folder with an `__init__.py` is listed in pyproject's packages (or it would be
    missing from the wheel)."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {name for name, path in installed_modules().items() if path.name == "__init__.py"}
    found |= {"aurules.model.rulesets"}  # data only: the shipped rulesets
    assert found == listed


def run_python(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


@pytest.fixture
def users_folder(tmp_path: Path) -> Path:
    """A folder holding a user's own `model.py` and `properties.py`."""
    (tmp_path / "model.py").write_text("OWN = 'the user model'\n", "utf-8")
    (tmp_path / "properties.py").write_text("OWN = 'the user properties'\n", "utf-8")
    (tmp_path / "scenario.json").write_text(SCENARIO, "utf-8")
    return tmp_path


def test_the_cli_runs_beside_a_users_model_py(users_folder: Path) -> None:
    result = run_python(users_folder, "-m", "aurules", "rules", "--status", "encoded")
    assert 0 == result.returncode, result.stderr
    assert "model.rules.milestones.milestone_1_hours_reached" in result.stdout
    evaluated = run_python(users_folder, "-m", "aurules", "evaluate", "scenario.json")
    assert 0 == evaluated.returncode, evaluated.stderr
    assert '"eligible": true' in evaluated.stdout


def test_the_api_runs_beside_a_users_model_py(users_folder: Path) -> None:
    code = (
        "import json, aurules, model, properties\n"
        "out = aurules.evaluate(json.load(open('scenario.json')), '2026-04')\n"
        "print(out['eligible'], out['status'], model.OWN, properties.OWN)\n"
    )
    result = run_python(users_folder, "-c", code)
    assert 0 == result.returncode, result.stderr
    assert "True in_learning the user model the user properties" == result.stdout.strip()


def test_model_and_properties_are_not_top_level_names(tmp_path: Path) -> None:
    for name in ("model", "properties"):
        result = run_python(tmp_path, "-c", f"import {name}")
        assert "ModuleNotFoundError" in result.stderr, name


def test_the_wheel_holds_one_top_level_package_with_every_module(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == built.returncode, built.stderr
    (wheel,) = tmp_path.glob("aurules-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "aurules",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    } == {n.split("/")[0] for n in names}
    expected = {
        f"{name.replace('.', '/')}{'/__init__' if path.name == '__init__.py' else ''}.py"
        for name, path in installed_modules().items()
    }
    expected |= {"aurules/model/catalogue.toml", "aurules/model/rulesets/2026-04.toml"}
    assert set() == expected - names
    # installed from the wheel alone, beside a user's model.py, it runs
    target = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == installed.returncode, installed.stderr
    (tmp_path / "model.py").write_text("OWN = 1\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import aurules, model; print(aurules.__file__); "
        "print(len(aurules.rules(status='encoded')))"
    )
    result = run_python(tmp_path, "-c", code, env=env)
    assert 0 == result.returncode, result.stderr
    where, encoded = result.stdout.split()
    assert where.startswith(str(target))
    assert len(aurules.rules(status="encoded")) == int(encoded)


def test_no_module_shadows_an_api_function() -> None:
    """Importing `aurules.<name>` as a module would replace the function `aurules.<name>`."""
    clashes = {f"aurules.{name}" for name in aurules.__all__} & set(installed_modules())
    assert set() == clashes
