"""Hostile input: huge pastes and drafts, NUL bytes and broken surrogates, a selection bigger than the context,
exports into missing, read-only and full places. Each case returns a CaseResult: what happened, how long it
took, and the problems found (a clear message and nothing lost is the goal)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faultkit.common import PYTHON, REPO, child_env, readable_problems, sha256_file, sha256_text

REWRITE_REFUSAL_LIMIT_S = 30.0

# Bytes that are not UTF-8 become U+FFFD, one per undecodable byte: the rest of the text survives, the damage
# stays visible, and nothing is silently read as some other encoding (a guess at Latin-1 would be right for this
# title and mojibake for the next). Keeping the raw bytes (os.fsdecode's surrogateescape) is no option: a lone
# surrogate cannot be written as UTF-8, so the database, the exports and Qt could not hold it.
REPLACEMENT = "\ufffd"

WORDS = ("the rain kept falling on the harbour while she read his letters again and again under a yellow lamp "
         "nobody came to the door that night").split()


@dataclass
class CaseResult:
    name: str
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""  # the error a writer saw, when there was one

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"ok": self.ok}


@contextlib.contextmanager
def _timed(res: CaseResult, what: str) -> Iterator[None]:
    t = time.perf_counter()
    yield
    res.timings[what] = round(time.perf_counter() - t, 3)


def words_text(n: int, seed: int = 1, needle: str | None = None) -> str:
    rng = random.Random(seed)
    out, line = [], []
    for i in range(n):
        line.append(rng.choice(WORDS))
        if len(line) >= 12:
            out.append(" ".join(line) + ".")
            line = []
            if i % 120 == 0:
                out.append("")
    if line:
        out.append(" ".join(line) + ".")
    if needle:
        out.insert(len(out) * 2 // 3, needle)
    return "\n".join(out) + "\n"


def _services(home: Path):  # -> Services
    from studio.paths import resolve_paths
    from studio.services import Services

    return Services.open(resolve_paths(home))


def _cli(home: Path, *args: str, stdin: bytes | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([PYTHON, "-m", "studio", *args], input=stdin, capture_output=True, env=child_env(home),
                          cwd=str(REPO), timeout=timeout)


def _error_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _check_error(res: CaseResult, proc: subprocess.CompletedProcess[bytes], *, exit_code: int | None,
                 mention: str | None = None) -> None:
    line = _error_line(proc)
    res.message = line
    if exit_code is not None and proc.returncode != exit_code:
        res.problems.append(f"exit code {proc.returncode}, expected {exit_code}: {line!r}")
    if not line.startswith("studio: error: "):
        res.problems.append(f"no error line on stderr: {proc.stderr[-300:]!r}")
    res.problems += [f"message {p}" for p in readable_problems(line, must_mention=mention)]
    if b"Traceback" in proc.stderr:
        res.problems.append("a traceback was printed")


# ---------------------------------------------------------------------------------------------------- cases


def big_paste(home: Path, mb: int = 10) -> CaseResult:
    """A 10 MB paste saved as the body of a draft (the window's autosave path), read back byte for byte, and
    the same text through the CLI (``drafts new --file -`` and ``drafts show``)."""
    res = CaseResult("10 MB paste")
    text = words_text(mb * 1024 * 1024 // 6, seed=2)[: mb * 1024 * 1024]
    sv = _services(home)
    try:
        d = sv.drafts.create("Pasted", "prose", body="")
        with _timed(res, "save"):
            d = sv.drafts.save(d.id, body=text, expected_version=d.version)
        with _timed(res, "load"):
            back = sv.drafts.get(d.id).body
        if sha256_text(back) != sha256_text(text):
            res.problems.append("the body read back differs from what was saved")
        with _timed(res, "list"):
            listed = [s for s in sv.drafts.list() if s.id == d.id]
        if not listed or listed[0].word_count <= 0:
            res.problems.append("the list shows no word count for the pasted draft")
    finally:
        sv.close()
    with _timed(res, "cli new --file -"):
        proc = _cli(home, "drafts", "new", "--title", "Pasted via CLI", "--file", "-", stdin=text.encode())
    if proc.returncode != 0:
        res.problems.append(f"`drafts new --file -` failed: {_error_line(proc)}")
        return res
    new_id = proc.stdout.decode().strip()
    with _timed(res, "cli show"):
        shown = _cli(home, "drafts", "show", new_id)
    if shown.stdout.decode("utf-8") != text:
        res.problems.append("`drafts show` does not give back the pasted text")
    return res


def huge_draft(home: Path, words: int = 200_000, out_dir: Path | None = None) -> CaseResult:
    """A 200,000-word draft: save, list with word counts, search, export; each must be quick enough."""
    res = CaseResult(f"{words:,}-word draft")
    needle = "Zanzibar-quokka"
    text = words_text(words, seed=3, needle=needle)
    limits = {"create": 5.0, "save": 5.0, "list": 3.0, "search": 3.0, "export": 10.0, "export all": 15.0}
    sv = _services(home)
    try:
        with _timed(res, "create"):
            d = sv.drafts.create("Epic", "prose", body=text)
        with _timed(res, "save"):
            d = sv.drafts.save(d.id, body=text + "The end.\n", expected_version=d.version)
        with _timed(res, "list"):
            listed = {s.id: s for s in sv.drafts.list()}
        wc = listed[d.id].word_count if d.id in listed else -1
        res.timings["word count"] = wc
        if not words * 0.98 <= wc <= words * 1.02 + 10:
            res.problems.append(f"the list counts {wc:,} words for a {words:,}-word draft")
        with _timed(res, "search"):
            found = [s.id for s in sv.drafts.list(search=needle)]
        if d.id not in found:
            res.problems.append("search does not find a word in the middle of the draft")
        out = (out_dir or home.parent / "export")
        out.mkdir(parents=True, exist_ok=True)
        with _timed(res, "export"):
            path = sv.drafts.export(d.id, out / "epic.md")
        if needle not in Path(path).read_text(encoding="utf-8"):
            res.problems.append("the export lost text")
        with _timed(res, "export all"):
            sv.drafts.export_all(out / "all")
    finally:
        sv.close()
    for what, limit in limits.items():
        if res.timings.get(what, 0) > limit:
            res.problems.append(f"{what} took {res.timings[what]:.1f} s (limit {limit:.0f} s)")
    return res


def _import_case(home: Path, name: str, filename: str | bytes, data: bytes,
                 expect_text: str | None, expect_title: str | None = None) -> CaseResult:
    """Import ``data`` (via the CLI, the way a writer does): either it comes in with ``expect_text`` intact, or
    the writer gets a clear error naming the file; never a Python exception, never silent mojibake."""
    res = CaseResult(name)
    folder = home.parent / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.join(os.fsencode(folder), filename if isinstance(filename, bytes) else os.fsencode(filename))
    with open(path, "wb") as fh:
        fh.write(data)
    proc = subprocess.run([PYTHON.encode(), b"-m", b"studio", b"drafts", b"import", b"--json", path],
                          capture_output=True, env=child_env(home), cwd=str(REPO), timeout=120)
    shown = os.fsdecode(os.path.basename(path))
    if proc.returncode == 0:
        import json

        made = json.loads(proc.stdout.decode("utf-8"))
        sv = _services(home)
        try:
            stored = sv.drafts.get(made[0]["id"])
        finally:
            sv.close()
        body = stored.body
        res.message = f"imported as {stored.title!r}"
        if expect_title is not None and stored.title != expect_title:
            res.problems.append(f"the title read back is {stored.title!r}, expected {expect_title!r}")
        if expect_text is not None and expect_text not in body:
            res.problems.append(f"imported without a word, but the text is garbled: {body[:80]!r}")
        if "\x00" in body or any(0xD800 <= ord(c) <= 0xDFFF for c in body):
            res.problems.append("NUL or lone surrogates stored in the body")
    else:
        line = _error_line(proc)
        res.message = line
        res.problems += [f"message {p}" for p in readable_problems(line)]
        if b"Traceback" in proc.stderr:
            res.problems.append("a traceback was printed")
        stem = shown.rsplit(".", 1)[0][:3]
        if stem not in line and "Cannot import" not in line:
            res.problems.append(f"the error does not name the file: {line!r}")
    return res


def import_nul_bytes(home: Path) -> CaseResult:
    return _import_case(home, "import: text with NUL bytes", "nul.txt",
                        b"A letter.\x00 Written in haste.\n" * 40, expect_text="Written in haste.")


def import_utf8_surrogates(home: Path) -> CaseResult:
    """UTF-8 text with one encoded lone surrogate (ED A0 80), as some broken converters write it."""
    good = "Café au lait, naïve résumé — 咖啡。\n" * 30
    return _import_case(home, "import: UTF-8 with an encoded surrogate", "surrogate.md",
                        good.encode() + b"Then: \xed\xa0\x80 a broken character.\n", expect_text="Café au lait")


def import_utf16_lone_surrogate(home: Path) -> CaseResult:
    text = "A letter in UTF-16.\n" * 20
    return _import_case(home, "import: UTF-16 with a lone surrogate", "utf16.txt",
                        b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xd8" + "tail\n".encode("utf-16-le"),
                        expect_text="A letter in UTF-16.")


def import_latin1_file_name(home: Path) -> CaseResult:
    """A file whose name is not UTF-8 (an old Latin-1 archive): Python sees lone surrogates in its name."""
    return _import_case(home, "import: a file name that is not UTF-8", b"caf\xe9-chapter.txt",
                        b"Plain text in a file with an old name.\n", expect_text="Plain text",
                        expect_title=f"caf{REPLACEMENT}-chapter")


def cli_title_not_utf8(home: Path) -> CaseResult:
    """`drafts new --title` with bytes that are not UTF-8 (a Latin-1 terminal): saved with U+FFFD for the bad
    byte, read back from the database; or refused with a clear error."""
    res = CaseResult("CLI: a title that is not UTF-8")
    proc = subprocess.run([PYTHON.encode(), b"-m", b"studio", b"drafts", b"new", b"--title", b"Caf\xe9 notes"],
                          capture_output=True, env=child_env(home), cwd=str(REPO), timeout=120)
    if proc.returncode != 0:
        _check_error(res, proc, exit_code=None)
        return res
    out = proc.stdout.decode("utf-8", "replace").strip()
    if not out.isdigit():
        res.problems.append(f"`drafts new` exited 0 but printed no draft id: {out[:100]!r}")
        return res
    sv = _services(home)
    try:
        title = sv.drafts.get(int(out)).title
    finally:
        sv.close()
    want = f"Caf{REPLACEMENT} notes"
    res.message = f"saved as {title!r}"
    if title != want:
        res.problems.append(f"the title read back is {title!r}, expected {want!r}")
    return res


def rewrite_overflow(home: Path, words: int = 30_000) -> CaseResult:
    """`studio rewrite --draft ID --start 0 --end N` on a huge draft: a clear error, exit code 3, draft untouched."""
    res = CaseResult(f"rewrite a {words:,}-word selection")
    sv = _services(home)
    try:
        d = sv.drafts.create("Too long to rewrite", "prose", body=words_text(words, seed=4))
    finally:
        sv.close()
    before = (sha256_text(d.body), d.version)
    with _timed(res, "cli rewrite"):
        proc = _cli(home, "rewrite", "--draft", str(d.id), "--start", "0", "--end", str(len(d.body)), "--instruction",
                    "shorter", "--apply", timeout=600)
    _check_error(res, proc, exit_code=3)
    # The writer waits (and Stop cannot interrupt tokenizing): the refusal must come quickly.
    if res.timings["cli rewrite"] > REWRITE_REFUSAL_LIMIT_S:
        res.problems.append(f"the refusal took {res.timings['cli rewrite']:.0f} s "
                            f"(limit {REWRITE_REFUSAL_LIMIT_S:.0f} s, model load included)")
    if proc.stdout.strip():
        res.problems.append(f"text was streamed although the request cannot fit: {proc.stdout[:100]!r}")
    sv = _services(home)
    try:
        after = sv.drafts.get(d.id)
    finally:
        sv.close()
    if (sha256_text(after.body), after.version) != before:
        res.problems.append("the draft changed")
    return res


def _export_setup(home: Path) -> tuple[int, str]:
    sv = _services(home)
    try:
        d = sv.drafts.create("Export me", "prose", body=words_text(40_000, seed=5))
        return d.id, sha256_text(d.body)
    finally:
        sv.close()


def _draft_sha(home: Path, draft_id: int) -> str:
    sv = _services(home)
    try:
        return sha256_text(sv.drafts.get(draft_id).body)
    finally:
        sv.close()


def _export_case(home: Path, name: str, target: Path, prepare: Callable[[], contextlib.AbstractContextManager[None]],
                 previous: Path | None = None) -> CaseResult:
    res = CaseResult(name)
    draft_id, sha = _export_setup(home)
    prev_sha = sha256_file(previous) if previous is not None and previous.exists() else None
    with prepare():
        proc = _cli(home, "drafts", "export", str(draft_id), "--out", str(target))
        _check_error(res, proc, exit_code=None, mention=target.name)
        if proc.returncode == 0:
            res.problems.append("the export claims success")
        if previous is not None:
            if prev_sha is not None and (not previous.exists() or sha256_file(previous) != prev_sha):
                res.problems.append("the previous export file was changed")
            debris = [p.name for p in previous.parent.iterdir() if p != previous]
            if debris:
                res.problems.append(f"half-written files left behind: {debris}")
    if _draft_sha(home, draft_id) != sha:
        res.problems.append("the draft changed")
    return res


def export_missing_folder(home: Path) -> CaseResult:
    target = home.parent / "no" / "such" / "folder" / "draft.md"
    return _export_case(home, "export into a missing folder", target, contextlib.nullcontext)


@contextlib.contextmanager
def _ro_mount(folder: Path) -> Iterator[None]:
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def export_read_only(home: Path) -> CaseResult:
    """Into a folder on a read-only file system, over an earlier export that must survive."""
    folder = home.parent / "ro-export"
    folder.mkdir(parents=True, exist_ok=True)
    previous = folder / "draft.md"
    previous.write_text("# An earlier export\n\nKeep me.\n", encoding="utf-8")
    return _export_case(home, "export to a read-only place", previous, lambda: _ro_mount(folder), previous=previous)


@contextlib.contextmanager
def _tiny_tmpfs(folder: Path, size: str = "64k") -> Iterator[None]:
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def export_disk_full(home: Path) -> CaseResult:
    """A 64 KB tmpfs holding an earlier export; the new export (~240 KB) fills the disk half way through."""
    folder = home.parent / "full-disk"
    folder.mkdir(parents=True, exist_ok=True)
    previous = folder / "draft.md"

    @contextlib.contextmanager
    def prepare() -> Iterator[None]:
        with _tiny_tmpfs(folder):
            previous.write_text("# An earlier export\n\nKeep me.\n", encoding="utf-8")
            prev_sha = sha256_file(previous)
            yield
            if sha256_file(previous) != prev_sha:
                raise AssertionError("previous export changed")

    res = CaseResult("export onto a full disk")
    draft_id, sha = _export_setup(home)
    with prepare():
        before = sha256_file(previous)
        proc = _cli(home, "drafts", "export", str(draft_id), "--out", str(previous))
        _check_error(res, proc, exit_code=None, mention=previous.name)
        if proc.returncode == 0:
            res.problems.append("the export claims success")
        if "full" not in res.message:
            res.problems.append(f"the message does not say the disk is full: {res.message!r}")
        if sha256_file(previous) != before:
            res.problems.append("the previous export file was changed")
        debris = [p.name for p in folder.iterdir() if p != previous]
        if debris:
            res.problems.append(f"half-written files left behind: {debris}")
    if _draft_sha(home, draft_id) != sha:
        res.problems.append("the draft changed")
    return res


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


ALL_CASES: list[Callable[[Path], CaseResult]] = [
    big_paste, huge_draft, import_nul_bytes, import_utf8_surrogates, import_utf16_lone_surrogate,
    import_latin1_file_name, cli_title_not_utf8, rewrite_overflow, export_missing_folder, export_read_only,
    export_disk_full,
]


def run_hostile(work: Path, *, full: bool) -> list[CaseResult]:
    results = []
    for i, case in enumerate(ALL_CASES):
        home = work / f"case-{i}" / "studio-home"
        home.parent.mkdir(parents=True, exist_ok=True)
        if case in (export_read_only, export_disk_full) and not can_mount():
            continue
        try:
            if case is rewrite_overflow and full:
                results.append(rewrite_overflow(home, words=200_000))
            else:
                results.append(case(home))
        except Exception as exc:  # noqa: BLE001
            results.append(CaseResult(case.__name__, problems=[f"harness error {type(exc).__name__}: {exc}"]))
    return results
