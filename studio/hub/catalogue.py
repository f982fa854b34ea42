"""The curated catalogue (resources/catalogue.toml): models that write well in English and/or Chinese."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from studio.domain import StudioError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg

REQUIRED_FIELDS = ("name", "title", "repo", "file", "size_bytes", "params_b", "licence", "languages", "kind",
                   "thinks", "writes", "source")
KINDS = ("instruct", "base")


@dataclass(frozen=True)
class CatalogueEntry:
    name: str  # what `studio models get NAME` takes
    title: str
    repo: str  # owner/name on the hub
    file: str  # the recommended quant's file in that repo
    size_bytes: int  # as the file list showed it: approximate, for advice before the hub is asked
    params_b: float
    licence: str
    languages: tuple[str, ...]
    kind: str  # instruct | base
    thinks: bool  # opens a <think> block before it answers
    writes: str  # one line on what it writes well
    source: str  # where repo and file were confirmed

    @property
    def spec(self) -> str:
        return f"{self.repo}:{self.file}"


def load_catalogue(path: Path) -> list[CatalogueEntry]:
    """Every entry of the catalogue at ``path``, checked: a missing or mistyped field is a StudioError naming the
    entry and the field (a broken catalogue is a bug in Studio's own data, never silently half-read)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue {path} cannot be read "
                                                            "({reason})."), path=path, reason=str(exc))) from None
    raw = data.get("model")
    if not isinstance(raw, list) or not raw:
        raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue {path} lists no models."),
                              path=path))
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, 1):
        where = (msg(QT_TRANSLATE_NOOP("messages", "entry {i} ({name})"), i=i, name=item.get("name", "?"))
                 if isinstance(item, dict) else msg(QT_TRANSLATE_NOOP("messages", "entry {i}"), i=i))
        if not isinstance(item, dict):
            raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} is not a table."),
                                  where=where))
        missing = [f for f in REQUIRED_FIELDS if f not in item]
        if missing:
            raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} lacks {missing}."),
                                  where=where, missing=", ".join(missing)))
        entry = CatalogueEntry(
            name=_text(item, "name", where), title=_text(item, "title", where), repo=_text(item, "repo", where),
            file=_text(item, "file", where), size_bytes=_number(item, "size_bytes", where, int),
            params_b=float(_number(item, "params_b", where, (int, float))), licence=_text(item, "licence", where),
            languages=tuple(_languages(item, where)), kind=_text(item, "kind", where),
            thinks=_flag(item, "thinks", where), writes=_text(item, "writes", where),
            source=_text(item, "source", where),
        )
        if entry.kind not in KINDS:
            raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} has kind {kind} "
                                                                "(instruct or base)."),
                                  where=where, kind=repr(entry.kind)))
        if entry.repo.count("/") != 1 or not entry.file.endswith(".gguf"):
            raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} needs repo as "
                                                                "owner/name and a .gguf file."), where=where))
        if entry.name in seen:
            raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: the name {name} is there "
                                                                "twice."), name=repr(entry.name)))
        seen.add(entry.name)
        entries.append(entry)
    return entries


def _text(item: dict[str, object], key: str, where: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value.strip():
        raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} has an empty or "
                                                            "non-text {key}."), where=where, key=key))
    return value.strip()


def _number(item: dict[str, object], key: str, where: str, kind: type | tuple[type, ...]) -> int:
    value = item[key]
    if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:  # type: ignore[operator]
        raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} has a {key} that is "
                                                            "not a positive number."), where=where, key=key))
    return value  # type: ignore[return-value]


def _flag(item: dict[str, object], key: str, where: str) -> bool:
    value = item[key]
    if not isinstance(value, bool):
        raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} has a {key} that is "
                                                            "not true or false."), where=where, key=key))
    return value


def _languages(item: dict[str, object], where: str) -> list[str]:
    value = item["languages"]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise StudioError(msg(QT_TRANSLATE_NOOP("messages", "Studio's model catalogue: {where} needs languages as a "
                                                            "list like [\"en\", \"zh\"]."), where=where))
    return [str(v) for v in value]
