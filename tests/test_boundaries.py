"""The apps use one another only through their public names: an app imports another app's
package (``vanban.connector``) or a module that app declares public in its ``__init__``
(``PUBLIC_MODULES``), never its models, services or files otherwise; the hub never imports
the office apps and the office apps never import the hub (they talk over HTTP); the pure
libraries import no Django and no app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vanban"
APPS = (
    "directory",
    "registry",
    "connector",
    "scanning",
    "exchange",
    "audit",
    "web",
    "search",
    "records",
    "fixity",
    "reports",
)
OFFICE = {"registry", "connector", "scanning", "records", "reports"}
HUB = {"exchange"}
PURE = (
    "edxml",
    "signing",
    "vdxp",
    "transport",
    "secrecy",
    "textsearch",
    "workdays",
    "arrival",
    "errors",
    "agencycode",
    "digitize",
    "secretbox",
    "pdfguard",
    "archivepkg",
    "signagent",
)
ENTRY_POINTS = {"cli", "demo", "settings", "urls", "wsgi"}  # they assemble the apps


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def _public_modules(app: str) -> set[str]:
    tree = ast.parse((SRC / app / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PUBLIC_MODULES" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def _sources(top: str) -> list[Path]:
    base = SRC / top
    files = [base.with_suffix(".py")] if base.with_suffix(".py").exists() else sorted(base.rglob("*.py"))
    return [f for f in files if "migrations" not in f.parts]


def _modules_of(top: str) -> list[str]:
    return [top] if (SRC / f"{top}.py").exists() else [top]


@pytest.mark.parametrize("app", APPS)
def test_an_app_uses_the_others_only_through_their_public_names(app):
    public = {other: _public_modules(other) for other in APPS}
    wrong = []
    for path in _sources(app):
        for line, name in _imports(path):
            parts = name.split(".")
            if len(parts) < 2 or parts[0] != "vanban" or parts[1] not in APPS or parts[1] == app:
                continue
            other = parts[1]
            if (app in OFFICE and other in HUB) or (app in HUB and other in OFFICE):
                wrong.append(f"{path.relative_to(SRC)}:{line} {name} (hub and office talk only over HTTP)")
            elif len(parts) >= 3 and parts[2] not in public[other] and not _is_public_name(other, parts[2]):
                wrong.append(f"{path.relative_to(SRC)}:{line} {name}")
    assert not wrong, "imports outside the other app's public names:\n" + "\n".join(sorted(set(wrong)))


def _is_public_name(app: str, name: str) -> bool:
    """``from vanban.connector import send_document``: a name the package exports."""
    tree = ast.parse((SRC / app / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_WHERE" for t in node.targets):
            return name in ast.get_source_segment((SRC / app / "__init__.py").read_text(encoding="utf-8"), node)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            try:
                if name in ast.literal_eval(node.value):
                    return True
            except ValueError:
                pass
    return False


@pytest.mark.parametrize("lib", PURE)
def test_a_pure_library_imports_no_django_and_no_app(lib):
    wrong = []
    for path in _sources(lib):
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] == "django" or (parts[0] == "vanban" and len(parts) > 1 and parts[1] in APPS):
                wrong.append(f"{path.relative_to(SRC)}:{line} {name}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_violation():
    """The rule itself: a registry module importing the connector's models is caught."""
    assert "models" not in _public_modules("connector")
    assert not _is_public_name("connector", "models")
    assert _is_public_name("connector", "send_document")


def _module_graph() -> dict[str, set[str]]:
    root = SRC.parent
    mods = {}
    for f in root.rglob("*.py"):
        if "migrations" in f.parts:
            continue
        name = ".".join(f.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        mods[name] = f
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        for node in ast.parse(f.read_text(encoding="utf-8")).body:  # module level: what runs on import
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                subs = [f"{node.module}.{a.name}" for a in node.names]
                targets = [t for t in subs if t in mods]
                if len(targets) < len(subs):
                    targets.append(node.module)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[m].update(t for t in targets if t in mods and t != m)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert _cycles(_module_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
