"""Every readable error raised below the window carries a marked source (issue 14), so the window can show it in
the writer's language: a StudioError's message and hint (and a ServerFailure's, which become one) are built with
``msg(QT_TRANSLATE_NOOP("messages", ...))`` (studio/domain/i18n.py), never a plain string or an f-string.

The check reads the source with ``ast``. A message may also be another error's ``.message``/``.hint`` passed on,
a name whose every assignment (or, for a parameter, every caller's argument and its default) is such a message,
or None for a hint.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from studio.domain.i18n import Msg, msg

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ["studio/services", "studio/storage", "studio/engine", "studio/hub", "studio/export", "studio/paths.py",
           "studio/domain"]
SKIPPED_DIRS = ["studio/storage/migrations"]  # Alembic's scripts: they run before any window exists

# Errors whose texts are deliberately plain, with why.
PLAIN_CLASSES = {
    # A malformed file shipped inside Studio: a packaging bug, which names the file and the TOML key for whoever
    # fixes the package. The writer can only report it; translating key names would not help them.
    "BuiltinResourceError": "a packaging bug naming a shipped TOML file and key",
    "QuickRewriteResourceError": "a packaging bug naming a shipped TOML file and key",
}
# Files another part of issue 14 converts (they were being edited elsewhere when this check came in).
PENDING_FILES: dict[str, str] = {}
# Carriers of a message and hint that become a StudioError's: (positional index of the hint, or None).
CARRIERS = {"ServerFailure": 1}
# Functions that return a (message, hint) pair for a ServerFailure(*pair): every element they return is checked.
RETURNS = {"tls_problem"}
MARKER = "msg"
PASSED_ON = {"message", "hint"}  # err.message / failure.hint: an existing error's text, already checked at its source


@dataclass
class Module:
    path: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def scope_of(self, node: ast.AST) -> ast.AST:
        cur = self.parents.get(node)
        while cur is not None and not isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            cur = self.parents.get(cur)
        return cur if cur is not None else self.tree


def _python_files(rel: str) -> Iterator[Path]:
    p = ROOT / rel
    yield from ([p] if p.is_file() else sorted(p.rglob("*.py")))


def _load(paths: list[Path]) -> list[Module]:
    return [Module(str(p.relative_to(ROOT)), ast.parse(p.read_text(encoding="utf-8"))) for p in paths]


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def studio_error_names(modules: list[Module]) -> set[str]:
    """StudioError and every class that derives from it anywhere in studio/ (by name, through the bases)."""
    names = {"StudioError"}
    classes = [n for m in modules for n in ast.walk(m.tree) if isinstance(n, ast.ClassDef)]
    grown = True
    while grown:
        grown = False
        for c in classes:
            if c.name not in names and any(_name(b) in names for b in c.bases):
                names.add(c.name)
                grown = True
    return names


class Checker:
    def __init__(self, modules: list[Module], all_modules: list[Module]) -> None:
        self.modules = modules
        self.errors = studio_error_names(all_modules)
        self.functions: dict[str, list[tuple[Module, ast.FunctionDef | ast.AsyncFunctionDef]]] = {}
        for m in modules:
            for n in ast.walk(m.tree):
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions.setdefault(n.name, []).append((m, n))

    def problems(self) -> list[str]:
        found = []
        for m in self.modules:
            if m.path in PENDING_FILES:
                continue
            for node in ast.walk(m.tree):
                if isinstance(node, ast.FunctionDef) and node.name in RETURNS:
                    for r in ast.walk(node):
                        if isinstance(r, ast.Return) and r.value is not None:
                            parts = r.value.elts if isinstance(r.value, ast.Tuple) else [r.value]
                            for part in parts:
                                why = self.why_plain(m, part, set())
                                if why:
                                    found.append(f"{m.path}:{part.lineno}: {node.name} returns a text that {why}")
                if not isinstance(node, ast.Call):
                    continue
                cls = _name(node.func)
                if cls in PLAIN_CLASSES:
                    continue
                for role, expr in self._texts(node, cls):
                    why = self.why_plain(m, expr, set())
                    if why:
                        found.append(f"{m.path}:{expr.lineno}: {cls} {role} {why}")
        return found

    def _texts(self, call: ast.Call, cls: str | None) -> list[tuple[str, ast.expr]]:
        if cls in self.errors or cls in CARRIERS:
            out = [("message", call.args[0])] if call.args else []
            hint_at = CARRIERS.get(cls or "")
            if hint_at is not None and len(call.args) > hint_at:
                out.append(("hint", call.args[hint_at]))
            out += [(k.arg, k.value) for k in call.keywords if k.arg in ("message", "hint")]
            # ServerFailure(*tls): the (message, hint) tuple comes from a function in RETURNS, checked there.
            return [(role, e) for role, e in out if not isinstance(e, ast.Starred)]
        return []

    def why_plain(self, m: Module, e: ast.expr, seen: set[tuple[str, int, int]]) -> str | None:
        """None when ``e`` is a marked message (or passes one on); else what it is instead."""
        key = (m.path, e.lineno, e.col_offset)
        if key in seen:
            return None
        seen.add(key)
        if isinstance(e, ast.Call) and _name(e.func) == MARKER:
            return None
        if isinstance(e, ast.Constant) and e.value is None:
            return None
        if isinstance(e, ast.Attribute) and e.attr in PASSED_ON:
            return None
        if isinstance(e, ast.IfExp):
            return self.why_plain(m, e.body, seen) or self.why_plain(m, e.orelse, seen)
        if isinstance(e, ast.Name):
            return self._why_name(m, e, seen)
        if isinstance(e, ast.Constant):
            return f"is a plain string {e.value!r}"
        if isinstance(e, ast.JoinedStr):
            return "is an f-string"
        return f"is {type(e).__name__} ({ast.unparse(e)[:60]}), not msg(...)"

    def _why_name(self, m: Module, e: ast.Name, seen: set[tuple[str, int, int]]) -> str | None:
        scope = m.scope_of(e)
        values: list[tuple[Module, ast.expr]] = []
        for scope_node in (scope, m.tree) if scope is not m.tree else (m.tree,):
            for n in ast.walk(scope_node):
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == e.id for t in n.targets):
                    values.append((m, n.value))
                elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == e.id \
                        and n.value is not None:
                    values.append((m, n.value))
            if values:
                break
        if not values and isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            passed = self._arguments(m, scope, e.id)
            if passed is None:
                return f"is the name {e.id!r}, whose callers cannot be found"
            values = passed
        if not values:
            return f"is the name {e.id!r}, assigned nowhere this check can see"
        for vm, v in values:
            why = self.why_plain(vm, v, seen)
            if why:
                return f"is {e.id!r}, which {why}"
        return None

    def _arguments(self, m: Module, fn: ast.FunctionDef | ast.AsyncFunctionDef,
                   param: str) -> list[tuple[Module, ast.expr]] | None:
        """What ``param`` of ``fn`` can be: its default and every caller's argument (callers found by name)."""
        args = fn.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        if param not in positional and param not in [a.arg for a in args.kwonlyargs]:
            return None
        out: list[tuple[Module, ast.expr]] = []
        if param in positional:
            i = positional.index(param)
            defaults = args.defaults
            j = i - (len(positional) - len(defaults))
            if j >= 0:
                out.append((m, defaults[j]))
        else:
            k = [a.arg for a in args.kwonlyargs].index(param)
            if args.kw_defaults[k] is not None:
                out.append((m, args.kw_defaults[k]))  # type: ignore[arg-type]
        offset = 1 if positional and positional[0] in ("self", "cls") else 0
        calls = 0
        for cm in self.modules:
            for n in ast.walk(cm.tree):
                if isinstance(n, ast.Call) and _name(n.func) == fn.name:
                    calls += 1
                    for kw in n.keywords:
                        if kw.arg == param:
                            out.append((cm, kw.value))
                    if param in positional:
                        i = positional.index(param) - offset
                        if 0 <= i < len(n.args) and not isinstance(n.args[i], ast.Starred):
                            out.append((cm, n.args[i]))
        return out if calls else None


@functools.cache
def _studio() -> list[Module]:
    return _load(sorted((ROOT / "studio").rglob("*.py")))


def _checked_modules() -> list[Module]:
    files = [p for rel in CHECKED for p in _python_files(rel)
             if not any(str(p.relative_to(ROOT)).startswith(s) for s in SKIPPED_DIRS)]
    return _load(files)


def test_every_readable_error_below_the_window_has_a_marked_source() -> None:
    checker = Checker(_checked_modules(), _studio())
    assert {"StorageError", "ModelLoadError", "HubError", "DiskSpaceError"} <= checker.errors
    problems = checker.problems()
    assert not problems, "Build these with msg(QT_TRANSLATE_NOOP(\"messages\", ...)):\n" + "\n".join(problems)


def test_the_allowlists_name_what_exists() -> None:
    names = studio_error_names(_studio())
    assert set(PLAIN_CLASSES) <= names
    assert all((ROOT / p).is_file() for p in PENDING_FILES)


@pytest.mark.parametrize(("source", "found"), [
    ('raise StorageError("The disk is full.")', "plain string"),
    ('raise UsageError(f"No draft named {name!r}")', "f-string"),
    ('raise HubError(msg(QT_TRANSLATE_NOOP("messages", "Hub down.")), hint="Try again.")', "plain string"),
    ('raise GenerationError(failure.message + " Kept.", hint=failure.hint)', "BinOp"),
    ('def refuse(reason, hint=None):\n'
     '    return ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "No: {r}"), r=reason), hint=hint)\n'
     'def load():\n'
     '    raise refuse("x", "Pick another file.")', "plain string"),
    ('HINT = "Check the folder."\n'
     'def check():\n'
     '    raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "No folder.")), hint=HINT)', "plain string"),
    ('def fail(url):\n    return ServerFailure(f"The server {url} failed.", "Check it.")', "f-string"),
])
def test_the_check_finds_a_plain_message(tmp_path: Path, source: str, found: str) -> None:
    """The check itself: each of these would reach the window in English, and is reported."""
    path = tmp_path / "raiser.py"
    path.write_text(source + "\n", encoding="utf-8")
    module = Module("raiser.py", ast.parse(path.read_text(encoding="utf-8")))
    problems = Checker([module], _studio()).problems()
    assert problems and all(p.startswith("raiser.py:") for p in problems), problems
    assert found in problems[0], problems


@pytest.mark.parametrize("source", [
    'raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "The disk holding {p} is full."), p=path))',
    'raise GenerationError(exc.message, hint=exc.hint) from None',
    'def refuse(reason, hint=None):\n'
    '    return ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "No: {r}"), r=reason), hint=hint)\n'
    'def load():\n'
    '    raise refuse("x", msg(QT_TRANSLATE_NOOP("messages", "Pick another file.")))',
    'def check(token):\n'
    '    if token:\n'
    '        hint = msg(QT_TRANSLATE_NOOP("messages", "Use another token."))\n'
    '    else:\n'
    '        hint = None\n'
    '    raise HubAccessError(msg(QT_TRANSLATE_NOOP("messages", "Refused.")), hint=hint)',
])
def test_the_check_accepts_a_marked_message(tmp_path: Path, source: str) -> None:
    module = Module("raiser.py", ast.parse(source + "\n"))
    assert Checker([module], _studio()).problems() == []


def test_a_converted_message_reads_as_before() -> None:
    """What the writer reads in English is the same text as before the conversion, values filled in."""
    from studio.storage.errors import corrupt_error

    err = corrupt_error(Path("/data/studio.sqlite3"), None, msg("is damaged ({text}).", text="malformed"))
    assert str(err) == ("The database /data/studio.sqlite3 is damaged (malformed).\n"
                        "Studio left the file untouched. Move it aside to start with an empty database.\n"
                        "There are no backups.")
    assert isinstance(err.message, Msg)
    assert err.message.source == "The database {path} {problem}\n{advice}\n{listing}"
