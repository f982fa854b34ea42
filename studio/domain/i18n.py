"""Messages below the window that the window can show in the writer's language.

Only ``studio.ui`` imports Qt, yet the readable errors that services, storage and engines raise reach the window.
Such a message is built with :func:`msg`: an ordinary English ``str`` (what the CLI prints and the log records, so
every caller and test that reads it as text keeps working) that also remembers its source text and its values. The
window looks the source up in Qt's translation, in the context :data:`CONTEXT`, and fills the values in.

``QT_TRANSLATE_NOOP`` only marks the source for ``pyside6-lupdate``, which finds it by that name (it does not read
keyword arguments of other calls, so the marker is nested)::

    raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "{name} is not a GGUF model file."), name=path.name))

Placeholders are ``str.format`` names, so a translation may put them in another order; a translation that drops or
renames one is caught by the translation tests, and at run time falls back to the English text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

CONTEXT = "messages"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Marks ``source`` for translation in ``context``; returns it unchanged."""
    return source


class Msg(str):
    """English text that remembers the source it was formatted from (see the module's doc)."""

    source: str
    values: Mapping[str, Any]

    def __new__(cls, source: str, values: Mapping[str, Any]) -> Msg:
        self = super().__new__(cls, source.format(**values) if values else source)
        self.source = source
        self.values = dict(values)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # str's own pickling would call __new__ with the formatted text alone (errors cross process boundaries
        # in the crash tests and may be pickled by a worker pool).
        return (Msg, (self.source, self.values))

    def translated(self, lookup: Callable[[str, str], str]) -> str:
        """This message in the language ``lookup(context, source)`` gives; English if the translation is unusable."""
        text = lookup(CONTEXT, self.source)
        if not text or text == self.source:
            return str(self)
        try:
            return text.format(**{k: _translated(v, lookup) for k, v in self.values.items()})
        except (KeyError, IndexError, ValueError):
            return str(self)  # a translation with a broken placeholder: the English text loses nothing


def msg(source: str, /, **values: Any) -> Msg:
    """A message from its (marked) source and the values of its ``{name}`` placeholders."""
    return Msg(source, values)


def _translated(value: Any, lookup: Callable[[str, str], str]) -> Any:
    return value.translated(lookup) if isinstance(value, Msg) else value


def translated(text: str | None, lookup: Callable[[str, str], str]) -> str | None:
    """``text`` in the writer's language when it is a :class:`Msg`; any other text as it is."""
    return text.translated(lookup) if isinstance(text, Msg) else text
