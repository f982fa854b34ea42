"""The assistant's questions: rhymes and syllables from Studio's tables (English and Chinese, never the model),
requests for the model (Action.ASK, the base and chat frames) and answers kept with the draft's history."""

from __future__ import annotations

import pytest

from studio.domain import Action, Form, UsageError
from studio.engine.prompts import ModelTraits, build_prompt
from studio.forms.rhyme import rhymes
from studio.forms.rhymebook import groups_of
from studio.services import Services
from studio.services.ask import TABLES, table_answer, table_ask


def _words(answer: str) -> list[str]:
    return [w.strip() for line in answer.splitlines()[1:] for w in line.split("：", 1)[-1].split(": ", 1)[-1]
            .replace(",", " ").split()]


@pytest.mark.parametrize("question", ["rhymes for 'light'", "What rhymes with light?", "Rhymes with “light”",
                                      "light的韵脚"])
def test_english_rhymes_come_from_the_dictionary(question):
    ask = table_ask(question)
    assert ask is not None and ask.kind == "rhymes" and ask.subject == "light"
    answer = table_answer(ask)
    words = _words(answer)
    assert len(words) >= 20 and "light" not in words
    for common in ("night", "bright", "white", "kite"):
        assert common in words
    assert all(rhymes(f"the {w}", "the light") for w in words), [w for w in words if not rhymes(w, "light")]
    assert answer.splitlines()[1].startswith("1 syllable" if ask.language == "en" else "1 个音节")


@pytest.mark.parametrize("question", ["光的韵脚", "押光韵", "“光”的韵脚？", "和光押韵的字", "rhymes for 光"])
def test_chinese_rhymes_come_from_the_rhyme_books(question):
    ask = table_ask(question)
    assert ask is not None and ask.subject == "光"
    answer = table_answer(ask)
    lines = answer.splitlines()
    shisanzhe = next(line for line in lines if line.startswith("十三辙 江阳："))
    pingshui = next(line for line in lines if line.startswith("平水韵 下平七阳："))
    for line, system in ((shisanzhe, "shisanzhe"), (pingshui, "pingshui")):
        chars = line.split("：", 1)[1].split()
        assert len(chars) >= 30 and "光" not in chars
        group = line.split("：", 1)[0].split()[1]
        assert all(any(g.split(":")[0] == group for g in groups_of(c, system)) for c in chars)  # type: ignore[arg-type]
    assert {"霜", "乡", "长"} <= set(shisanzhe.split("：", 1)[1].split())


def test_syllables_and_unknown_words_and_questions_for_the_model():
    assert table_answer(table_ask("How many syllables in 'evening'?")).startswith("“evening”: 2 syllables")
    assert "5 syllables" in table_answer(table_ask("syllables in the quiet evening"))
    unknown = table_answer(table_ask("rhymes for zqxvbn"))
    assert "not in the pronunciation dictionary" in unknown
    for question in ("Five titles for this", "what could happen next?", "Where does this scene drag?", "五个标题",
                     "给这里的人物起几个名字"):
        assert table_ask(question) is None


def _tokenize(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]  # one token a character: enough for the frame's budget


def test_the_ask_frames_base_and_chat(paths):
    sv = Services.open(paths)
    try:
        draft = sv.drafts.create("Harbour", Form.PROSE, body="The keeper climbed the stairs. " * 40 + "Then she",
                                 notes="Mara keeps the light.")
        with pytest.raises(UsageError):
            sv.ask.build_request(draft, "   ")
        request = sv.ask.build_request(draft, "Five titles for this")
        assert request.action is Action.ASK and request.instruction == "Five titles for this"
        base = build_prompt(request, ModelTraits(n_ctx=2048, bos=(2,)), _tokenize)
        assert base.mode == "completion" and base.action is Action.ASK
        assert base.text.endswith("Question: Five titles for this\nAnswer:\n1.") and base.prefix == "1."
        assert "Mara keeps the light." in base.text and "Then she" in base.text
        assert len(base.tokens) + base.max_tokens < 2048

        seen: list[list[dict[str, str]]] = []

        def chat(messages: list[dict[str, str]]) -> str:
            seen.append(messages)
            return "<user>" + messages[0]["content"] + "<model>"

        chatted = build_prompt(request, ModelTraits(n_ctx=2048, bos=(2,), chat=chat), _tokenize)
        assert chatted.mode == "chat" and chatted.prefix == ""
        assert "Five titles for this" in seen[-1][0]["content"] and "Then she" in seen[-1][0]["content"]

        zh = sv.ask.build_request(draft, "接下来会发生什么？")
        zh_plan = build_prompt(zh, ModelTraits(n_ctx=2048, bos=()), _tokenize)
        assert "问题：接下来会发生什么？\n回答：\n1." in zh_plan.text
        small = build_prompt(request, ModelTraits(n_ctx=400, bos=()), _tokenize)  # less passage, still asked
        assert len(small.tokens) + small.max_tokens <= 400 and "Five titles" in small.text

        rec = sv.ask.record_table_answer(draft.id, "rhymes for light", "Rhymes for “light”: …")
        assert rec.action is Action.ASK and rec.model_file == TABLES
        answers = sv.ask.answers(draft.id)
        assert [(a.instruction, a.output) for a in answers] == [("rhymes for light", "Rhymes for “light”: …")]
    finally:
        sv.close()
