"""Messages raised below the window carry their source so the window can translate them (studio/domain/i18n.py)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from studio.domain import ModelLoadError
from studio.domain.i18n import CONTEXT, QT_TRANSLATE_NOOP, Msg, msg, translated

ZH = {"{name} is not a GGUF model file.": "{name} 不是 GGUF 模型文件。",
      "Check the file: {why}": "请检查文件：{why}",
      "it is empty": "它是空的",
      "Broken {nmae}": "坏的 {nmae}",
      "Order {a} then {b}": "先 {b} 后 {a}"}


def lookup(context: str, source: str) -> str:
    assert context == CONTEXT
    return ZH.get(source, source)


def test_a_message_is_its_english_text_and_remembers_its_source() -> None:
    m = msg(QT_TRANSLATE_NOOP("messages", "{name} is not a GGUF model file."), name="x.gguf")
    assert m == "x.gguf is not a GGUF model file."
    assert isinstance(m, str) and m.source == "{name} is not a GGUF model file." and m.values == {"name": "x.gguf"}
    err = ModelLoadError(m, hint=msg("Check the file: {why}", why=msg("it is empty")))
    assert str(err) == "x.gguf is not a GGUF model file. Check the file: it is empty"


def test_the_window_translates_it_values_included_and_in_the_translation_s_order() -> None:
    m = msg("{name} is not a GGUF model file.", name="模型.gguf")
    assert m.translated(lookup) == "模型.gguf 不是 GGUF 模型文件。"
    assert msg("Check the file: {why}", why=msg("it is empty")).translated(lookup) == "请检查文件：它是空的"
    assert msg("Order {a} then {b}", a="1", b="2").translated(lookup) == "先 2 后 1"
    assert translated("plain text", lookup) == "plain text" and translated(None, lookup) is None


def test_a_broken_or_missing_translation_falls_back_to_english() -> None:
    assert msg("Broken {name}", name="x").translated(lookup) == "Broken x"  # the translation names {nmae}
    assert msg("Not in the table {n}", n=3).translated(lookup) == "Not in the table 3"
    assert msg("Braces {x}", x="{not a field}").translated(lookup) == "Braces {not a field}"


def test_it_survives_pickling() -> None:
    m = pickle.loads(pickle.dumps(msg("Order {a} then {b}", a=1, b=2)))
    assert isinstance(m, Msg) and m == "Order 1 then 2" and m.source == "Order {a} then {b}"


def test_pyside6_lupdate_finds_the_marked_sources(tmp_path: Path) -> None:
    src = tmp_path / "raiser.py"
    src.write_text(
        "class Engine:\n"
        "    def load(self, path):\n"
        "        raise ModelLoadError(msg(QT_TRANSLATE_NOOP('messages', '{name} is not a GGUF model file.'),\n"
        "                                 name=path.name))\n", encoding="utf-8")
    ts = tmp_path / "out.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), str(src), "-ts", str(ts)], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    assert "<name>messages</name>" in text and "{name} is not a GGUF model file." in text
