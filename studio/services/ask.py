"""Questions about the draft (the assistant's Ask tab and `studio ask`): answered beside the draft, never into it.

Rhymes and syllable counts come from Studio's own tables (CMU; 十三辙 and 平水韵), at once and exactly, never from
the model: "rhymes for 'light'", "what rhymes with sea", "syllables in 'evening'", "光的韵脚", "押光韵". Every
other question is a request for the model (Action.ASK, the frame in engine/ask_prompt.py). Each answer, from the
tables or the model, is recorded with the draft's generations (action "ask"), so the draft's history keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.domain import Action, Draft, Finished, GenerationRecord, GenerationRequest, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.services.generation import GenerationService
from studio.storage import Store

TABLES = "Studio's tables"  # the "model" of an answer from the tables, in the history

# The quick asks, as the writer would type them; a button sends its question as it stands. "{word}" is the word
# before the cursor (the rhymes ask), filled by the front end.
QUICK_ASKS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("titles", "Five titles for this"), ("names", "Names for a character here"),
           ("next", "What could happen next?"), ("drag", "Where does this scene drag?"),
           ("rhymes", "Rhymes for '{word}'")),
    "zh": (("titles", "五个标题"), ("names", "给这里的人物起几个名字"), ("next", "接下来会发生什么？"),
           ("drag", "这一场哪里拖沓？"), ("rhymes", "{word}的韵脚")),
}

_QUOTE = "'\"‘’“”「」『』《》"
_EN_RHYME = re.compile(r"^\s*(?:(?:what|which)\s+(?:words\s+)?rhymes?\s+(?:with|for)|(?:give\s+me\s+)?(?:some\s+)?"
                       r"(?:words\s+that\s+)?rhymes?\s+(?:with|for|to))\s+(?P<w>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
_EN_SYLLABLES = re.compile(r"^\s*(?:how\s+many\s+)?syllables?\s+(?:are\s+there\s+)?(?:in|of)\s+(?P<w>.+?)\s*[?.!]*\s*$",
                           re.IGNORECASE)
_ZH_RHYME = re.compile(r"^\s*(?:(?:和|与|跟)(?P<a>.+?)押韵的字|押(?P<b>.+?)韵的字|押(?P<c>.+?)韵|"
                       r"(?P<d>.+?)(?:的韵脚|押什么韵|是什么韵|的韵|韵脚))\s*[？?。！!]*\s*$")


@dataclass(frozen=True)
class TableAsk:
    kind: str  # "rhymes" | "syllables"
    subject: str  # the word (or the Han character) asked about
    language: str  # "en" | "zh": the answer's language


def table_ask(question: str) -> TableAsk | None:
    """The question as one the tables answer, or None (a question for the model)."""
    if m := _EN_RHYME.match(question):
        word = m.group("w").strip(_QUOTE + " ")
        if re.fullmatch(r"[A-Za-z][A-Za-z'’-]*", word):
            return TableAsk("rhymes", word, "en")
        han = [c for c in word if _is_han(c)]
        if len(han) == 1 or (han and len(word.strip()) == len(han)):
            return TableAsk("rhymes", han[-1], "en")
        return None
    if m := _EN_SYLLABLES.match(question):
        text = m.group("w").strip(_QUOTE + " ")
        return TableAsk("syllables", text, "en") if text else None
    if m := _ZH_RHYME.match(question):
        subject = next(g for g in m.groups() if g).strip(_QUOTE + " ")
        han = [c for c in subject if _is_han(c)]
        if han and len(han) <= 4 and all(_is_han(c) for c in subject):
            return TableAsk("rhymes", han[-1], "zh")  # a word's rhyme is its last character's
        if re.fullmatch(r"[A-Za-z][A-Za-z'’-]*", subject):
            return TableAsk("rhymes", subject, "zh")
    return None


def table_answer(ask: TableAsk) -> str:
    """The answer from the tables, in lines (each can be inserted on its own)."""
    if ask.kind == "syllables":
        return _syllables_answer(ask.subject)
    if _is_han(ask.subject[-1]):
        return _chinese_rhymes_answer(ask.subject, ask.language)
    return _english_rhymes_answer(ask.subject, ask.language)


def _is_han(ch: str) -> bool:
    from studio.forms.counting import is_han

    return is_han(ch)


def _english_rhymes_answer(word: str, lang: str) -> str:
    from studio.forms.rhyme_words import english_rhymes

    found = english_rhymes(word)
    if not found.known:
        if lang == "zh":
            return f"发音词典里没有“{word}”，Studio 说不出什么词和它押韵。"
        return f"“{word}” is not in the pronunciation dictionary, so Studio cannot say what rhymes with it."
    if not found.words:
        return f"词典里没有和“{word}”押韵的词。" if lang == "zh" else f"The dictionary has no rhyme for “{word}”."

    def label(n: int) -> str:
        return f"{n} 个音节" if lang == "zh" else f"{n} syllable{'s' if n != 1 else ''}"

    colon = "：" if lang == "zh" else ": "
    head = (f"“{found.word}”的韵（CMU 发音词典）：" if lang == "zh"
            else f"Rhymes for “{found.word}” (the CMU pronouncing dictionary):")
    lines = [f"{label(n)}{colon}{', '.join(words)}" for n, words in found.by_syllables.items()]
    return "\n".join([head, *lines])


def _chinese_rhymes_answer(char: str, lang: str) -> str:
    from studio.forms.rhyme_words import chinese_rhymes
    from studio.forms.rhymebook import SYSTEM_TITLES

    found = chinese_rhymes(char)
    if not found.groups:
        return (f"韵书里没有“{char}”。" if lang == "zh"
                else f"“{char}” is in neither rhyme book (十三辙, 平水韵), so Studio cannot say what rhymes with it.")
    head = f"“{found.char}”的韵脚：" if lang == "zh" else f"Rhymes for “{found.char}”:"
    lines = [f"{SYSTEM_TITLES[g.system]} {g.name}：{' '.join(g.chars)}" for g in found.groups]
    return "\n".join([head, *lines])


def _syllables_answer(text: str) -> str:
    from studio.forms.counting import count_line, is_known_word

    line = count_line(text, "en")
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", text)
    guessed = [w for w in words if not is_known_word(w)]
    n = line.syllables
    answer = f"“{text}”: {n} syllable{'s' if n != 1 else ''}"
    if line.low != line.high:
        answer += f" ({line.low}-{line.high} by the dictionary's other pronunciations)"
    if guessed:
        answer += f" (estimated for {', '.join(guessed)}: not in the CMU dictionary)"
    return answer + "."


class AskService:
    """Builds the model's requests for questions, answers the ones the tables can, keeps every answer."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._generation = GenerationService(store)

    @staticmethod
    def quick_asks(language: str) -> tuple[tuple[str, str], ...]:
        """(key, question) per quick-ask button, in ``language`` ("zh" or "en")."""
        return QUICK_ASKS["zh" if language == "zh" else "en"]

    @staticmethod
    def quick_language(text: str, window: str) -> str:
        """The quick asks' language: the draft's where it has words (a Chinese draft asks in Chinese), else the
        window's ("zh" or "en")."""
        from studio.engine.prompts import draft_language

        if any(c.isalpha() for c in text[-3000:]):
            return draft_language(text)
        return "zh" if window == "zh" else "en"

    @staticmethod
    def quick_question(key: str, language: str, before: str) -> str:
        """The question a quick ask sends; the rhymes ask names the word before the cursor ("" when there is none)."""
        question = dict(QUICK_ASKS["zh" if language == "zh" else "en"])[key]
        if "{word}" not in question:
            return question
        from studio.forms.counting import last_word

        word = last_word(before[-200:]) or ""
        if word and _is_han(word[-1]):
            word = word[-1]  # a Chinese rhyme is the last character's
        return question.replace("{word}", word) if word and not word.isdigit() else ""

    def build_request(self, draft: Draft, question: str, *, cursor: int | None = None, body: str | None = None,
                      notes: str | None = None, style_id: int | None = None,
                      max_tokens: int | None = None) -> GenerationRequest:
        """The question as a request for the model, with the text around ``cursor`` (the draft's end by default)."""
        if not question.strip():
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Ask a question first.")),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Type what you want to know about the draft.")))
        request = self._generation.build_request(draft, Action.ASK, cursor=cursor, instruction=question.strip(),
                                                 style_id=style_id, max_tokens=max_tokens, body=body, notes=notes)
        return request if draft.id > 0 else _without_key(request)

    def record_model_answer(self, draft_id: int | None, request: GenerationRequest, finished: Finished,
                            model_file: str) -> GenerationRecord:
        return self._generation.record(draft_id, request, finished, group_id=self._generation.new_group_id(),
                                       model_file=model_file)

    def record_table_answer(self, draft_id: int | None, question: str, answer: str) -> GenerationRecord:
        rec = GenerationRecord(id=None, draft_id=draft_id or None, action=Action.ASK, output=answer,
                               model_file=TABLES, instruction=question.strip(),
                               group_id=self._generation.new_group_id(), stop_reason="stop")
        with self._store.unit_of_work() as uow:
            return uow.generations.add(rec)

    def answers(self, draft_id: int) -> list[GenerationRecord]:
        """The draft's asks and their answers, newest first."""
        return [r for r in self._generation.history(draft_id) if r.action is Action.ASK]


def _without_key(request: GenerationRequest) -> GenerationRequest:
    from dataclasses import replace

    return replace(request, draft_key=None)
