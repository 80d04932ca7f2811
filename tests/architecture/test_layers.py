"""The rooms of the house depend on each other one way only (README, "Layout").

Every import between our apps is read from the source with `ast`, including imports inside
functions, and checked against the order below: an app may import itself and the apps before it,
never one after it. Migrations are left out: Django writes them and they name other apps' models
by label, not by import.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Floor first. `config` (settings, root urls, the Celery app) sits above every room: it wires them
# together, and no app imports it.
LAYERS = [
    "academy",
    "complaint_standards",
    "assessments",
    "courses",
    "accreditation",
    "certificates",
    "organisations",
    "feedback",
    "portal",
]
PROJECT = "config"


def imported_modules(source: str) -> set[str]:
    """The absolute module names a piece of source imports (relative imports stay in the app)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def wrong_way_imports(root: Path) -> list[str]:
    """Every import in the apps under `root` that points up the house, as "file: module"."""
    found = []
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            for module in sorted(imported_modules(path.read_text(encoding="utf-8"))):
                if points_up(app, module.split(".")[0]):
                    found.append(f"{path.relative_to(root)}: {module}")
    return found


def points_up(app: str, target: str) -> bool:
    if target == PROJECT:
        return True
    return target in LAYERS and LAYERS.index(target) > LAYERS.index(app)


def test_imports_between_apps_run_only_downwards():
    assert wrong_way_imports(ROOT) == []


def test_every_app_of_ours_has_a_place_in_the_order():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)


@pytest.mark.parametrize(
    ("app", "line", "module"),
    [
        ("academy", "from courses.models import CoursePage", "courses.models"),
        ("academy", "import portal.views", "portal.views"),
        ("assessments", "from certificates import services", "certificates"),
        ("courses", "def later():\n    from portal import selectors\n", "portal"),
        ("certificates", "from config.celery import app", "config.celery"),
    ],
)
def test_an_import_up_the_house_is_found(tmp_path, app, line, module):
    for name in [*LAYERS, PROJECT]:
        (tmp_path / name).mkdir()
    (tmp_path / app / "module.py").write_text(line)
    assert wrong_way_imports(tmp_path) == [f"{app}/module.py: {module}"]


@pytest.mark.parametrize(
    ("app", "line"),
    [
        ("portal", "from certificates import selectors"),
        ("certificates", "from academy.audit import record"),
        ("courses", "from . import services"),
        ("courses", "from django.db import models"),
    ],
)
def test_an_import_down_the_house_or_within_an_app_is_allowed(tmp_path, app, line):
    for name in [*LAYERS, PROJECT]:
        (tmp_path / name).mkdir()
    (tmp_path / app / "module.py").write_text(line)
    assert wrong_way_imports(tmp_path) == []
