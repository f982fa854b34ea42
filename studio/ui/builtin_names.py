"""The names of Studio's built-in presets and styles, shown in the window's language.

The names are data (resources/presets/presets.toml, resources/styles/*.toml): SQLite, the CLI and exported files
keep them as shipped, and a writer may rename a built-in. The window shows a built-in under its translated name
while it still carries the shipped name, so a Chinese window reads 续写 rather than "Continue". Chinese styles are
named in Chinese already and are not listed. tests/ui/test_builtin_names.py checks that every shipped English name
is here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from studio.domain.i18n import QT_TRANSLATE_NOOP

CONTEXT = "builtins"

SHIPPED = frozenset({
    # presets
    QT_TRANSLATE_NOOP("builtins", "Continue"),
    QT_TRANSLATE_NOOP("builtins", "Continue (bold)"),
    QT_TRANSLATE_NOOP("builtins", "Continue (one line)"),
    QT_TRANSLATE_NOOP("builtins", "Rewrite"),
    QT_TRANSLATE_NOOP("builtins", "Expand"),
    QT_TRANSLATE_NOOP("builtins", "Shorten"),
    # styles
    QT_TRANSLATE_NOOP("builtins", "Folk ballad"),
    QT_TRANSLATE_NOOP("builtins", "Hip-hop verse"),
    QT_TRANSLATE_NOOP("builtins", "Pop, chorus first"),
    QT_TRANSLATE_NOOP("builtins", "Free verse"),
    QT_TRANSLATE_NOOP("builtins", "Sonnet"),
    QT_TRANSLATE_NOOP("builtins", "Haiku"),
    QT_TRANSLATE_NOOP("builtins", "Limerick"),
    QT_TRANSLATE_NOOP("builtins", "Literary"),
    QT_TRANSLATE_NOOP("builtins", "Noir"),
    QT_TRANSLATE_NOOP("builtins", "Children's story"),
    QT_TRANSLATE_NOOP("builtins", "Tense thriller"),
    QT_TRANSLATE_NOOP("builtins", "Sitcom banter"),
    QT_TRANSLATE_NOOP("builtins", "Quiet drama"),
})


def shown_name(name: str, builtin_key: str | None) -> str:
    """``name`` as the window shows it: a built-in's shipped name translated, any other name as the writer wrote it."""
    if builtin_key and name in SHIPPED:
        return QCoreApplication.translate(CONTEXT, name)
    return name
