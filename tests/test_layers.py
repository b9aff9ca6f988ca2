"""The shape of the code that `make lint` and review rely on: no import cycles, no oversized modules."""

import ast
from pathlib import Path

from django.conf import settings

PACKAGES = (
    "tslp_portal",
    "accounts",
    "poverty_data",
    "companies",
    "programs",
    "dashboards",
    "demo",
    "publik",
    "api",
)
MAX_MODULE_LINES = 600


def import_cycles(graph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), sorted for a readable failure."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(cycles)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def load_time_imports(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Modules imported while ``module`` loads: its top level, not function bodies nor TYPE_CHECKING."""
    imported: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def walk(statements):
        for node in statements:
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{anchor}.{base}" if base else anchor
                imported.add(base)
                imported.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                walk(node.body)

    walk(tree.body)
    return imported


class ModuleGraph:
    """Our modules and their load-time imports, shaped like grimp's graph for ``import_cycles``."""

    def __init__(self, root: Path, packages):
        self.imports: dict[str, set[str]] = {}
        for package in packages:
            for path in (root / package).rglob("*.py"):
                if "migrations" in path.parts:
                    continue
                name = module_name(root, path)
                tree = ast.parse(path.read_text(encoding="utf-8"))
                self.imports[name] = load_time_imports(tree, name, path.name == "__init__.py")
        self.modules = set(self.imports)

    def find_modules_directly_imported_by(self, module: str) -> set[str]:
        return {name for name in self.imports[module] if name in self.modules and name != module}


def test_no_module_imports_one_that_imports_it_back():
    assert import_cycles(ModuleGraph(Path(settings.BASE_DIR), PACKAGES)) == []


def test_cycle_finder_reports_a_two_module_cycle(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "__init__.py").write_text("")
    (tmp_path / "a" / "x.py").write_text("from a import y\n")
    (tmp_path / "a" / "y.py").write_text("from . import x\n\ndef later():\n    from a import z\n")
    (tmp_path / "a" / "z.py").write_text("import a.x\n")
    assert import_cycles(ModuleGraph(tmp_path, ["a"])) == [["a.x", "a.y"]]


def test_no_module_is_over_600_lines():
    root = Path(settings.BASE_DIR)
    long_modules = {
        str(path.relative_to(root)): count
        for package in PACKAGES
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long_modules == {}
