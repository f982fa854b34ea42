"""Untrusted model metadata: GGUFs whose tokenizer.chat_template tries to read files, run commands or exhaust
the machine. Studio must either refuse the model (ModelLoadError) or render the template only in Jinja's sandbox:
no side effect may happen, no file content may reach the prompt, and the process must survive."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faultkit.common import readable_problems
from faultkit.gguf_mut import T_STRING, Variant, _rebuilt, enc_kv, parse_layout
from faultkit.models import Child

CHILD = Path(__file__).with_name("template_child.py")
SECRET_FILE = Path("/etc/passwd")


def hostile_templates(marker: Path, secret: Path) -> dict[str, tuple[str, str]]:
    """name -> (family, template). ``marker`` is the file a successful attack would create."""
    touch = f"touch {marker}"
    return {
        "mro-subclasses": ("escape", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        "cycler-os-popen": ("escape", "{{ cycler.__init__.__globals__.os.popen('" + touch + "').read() }}"),
        "joiner-os-system": ("escape", "{{ joiner.__init__.__globals__.os.system('" + touch + "') }}"),
        "lipsum-globals-os": ("escape", "{{ lipsum.__globals__['os'].popen('" + touch + "').read() }}"),
        "self-builtins-open": ("escape", "{{ self.__init__.__globals__.__builtins__.open('" + str(secret) + "').read() }}"),
        "namespace-builtins": ("escape", "{% set ns = namespace() %}{{ ns.__init__.__globals__.__builtins__.__import__('os').system('" + touch + "') }}"),
        "messages-class-init": ("escape", "{% for m in messages %}{{ m.__class__.__init__.__globals__ }}{% endfor %}"),
        "format-string-attr": ("escape", "{{ '{0.__class__.__init__.__globals__}'.format(messages) }}"),
        "attr-filter-bypass": ("escape", "{{ (messages|attr('__class__')|attr('__mro__'))[1]|attr('__subclasses__')() }}"),
        "include-passwd": ("file", "{% include '" + str(secret) + "' %}"),
        "extends-passwd": ("file", "{% extends '" + str(secret) + "' %}"),
        "import-passwd": ("file", "{% import '" + str(secret) + "' as p %}{{ p }}"),
        "raise-exception": ("misc", "{{ raise_exception('This template refuses to render.') }}"),
        "unparseable": ("misc", "{% for %}{{"),
        "memory-bomb": ("resource", "{{ 'x' * (2 ** 34) }}"),
        "cpu-bomb": ("resource", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
    }


CI_TEMPLATES = ("mro-subclasses", "cycler-os-popen", "self-builtins-open", "include-passwd", "unparseable",
                "memory-bomb", "cpu-bomb")


@dataclass
class TemplateReport:
    templates: int = 0
    side_effects: int = 0  # the marker file appeared, or the secret file's content reached the prompt (goal 0)
    crashes: int = 0
    hangs: int = 0
    refused: int = 0  # ModelLoadError at load
    failed_readably: int = 0  # GenerationError with a readable message at rewrite
    rendered_safely: int = 0
    problems: list[str] = field(default_factory=list)
    results: dict[str, dict[str, object]] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _secret_leaked(prompt: str, secret_text: str) -> bool:
    lines = [ln for ln in secret_text.splitlines() if len(ln) > 8]
    return any(ln in prompt for ln in lines[:5])


def run_template_attacks(model: Path, workdir: Path, *, full: bool, timeout_s: float = 45.0) -> TemplateReport:
    started = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    marker = workdir / "PWNED"
    secret_text = SECRET_FILE.read_text(errors="replace") if SECRET_FILE.exists() else ""
    layout = parse_layout(model)
    cases = hostile_templates(marker, SECRET_FILE)
    if not full:
        cases = {k: v for k, v in cases.items() if k in CI_TEMPLATES}
    files_dir = workdir / "models"
    shutil.rmtree(files_dir, ignore_errors=True)
    files_dir.mkdir()
    jobs: list[tuple[str, str]] = []
    for name, (_family, tpl) in cases.items():
        entry = enc_kv("tokenizer.chat_template", T_STRING, tpl)
        head, size = _rebuilt(layout, add=[entry])
        # The weights are a sparse hole (zeros): the template is what is under test, and zeros run fine.
        jobs.append((name, str(Variant(name, "template", head, size).write(files_dir))))
    report = TemplateReport()
    pending = list(jobs)
    n = 0
    state = workdir / "state"
    state.mkdir(exist_ok=True)
    while pending:
        n += 1
        child = Child(pending, workdir, state, n, script=CHILD)
        done = set()
        for name, result in child.results(timeout_s):
            report.results[name] = result
            done.add(name)
        child.kill()
        current = child.current
        if current is not None:
            rc = child.proc.returncode
            hung = rc == -9
            report.results[current] = {"outcome": "hang" if hung else "crash", "rc": rc,
                                       "message": child.stderr_tail()[-500:]}
            done.add(current)
        pending = [j for j in pending if j[0] not in done]
    for name, (family, tpl) in cases.items():
        r = report.results.get(name, {"outcome": "missing"})
        report.templates += 1
        outcome = r.get("outcome")
        prompt = str(r.get("prompt", ""))
        if marker.exists():
            report.side_effects += 1
            report.problems.append(f"{name}: the command in the template ran ({marker} exists)")
            marker.unlink()
        if secret_text and _secret_leaked(prompt + str(r.get("message", "")) + str(r.get("generated", "")), secret_text):
            report.side_effects += 1
            report.problems.append(f"{name}: content of {SECRET_FILE} reached the prompt or a message")
        if outcome == "crash":
            report.crashes += 1
            report.problems.append(f"{name} ({family}): the process died: {r.get('rc')} {r.get('message')}")
        elif outcome == "hang":
            report.hangs += 1
            report.problems.append(f"{name} ({family}): no answer within {timeout_s:.0f} s (Stop cannot interrupt "
                                   "a template being rendered)")
        elif outcome == "refused":
            report.refused += 1
            issues = readable_problems(str(r.get("message", "")), must_mention=f"{name}.gguf")
            if "template" not in str(r.get("message", "")):
                issues.append("the reason given is not the chat template")
            if issues:
                report.problems.append(f"{name}: load refused, but {issues}: {r.get('message')!r}")
        elif outcome == "studio-error":
            issues = readable_problems(str(r.get("message", "")))
            msg = str(r.get("message", ""))
            if msg.rstrip().endswith(":"):
                issues.append("the message gives no reason")
            if issues:
                report.problems.append(f"{name}: rewrite failed with {issues}: {msg!r}")
            else:
                report.failed_readably += 1
        elif outcome == "rendered":
            report.rendered_safely += 1
            if not r.get("has_chat_template"):
                report.problems.append(f"{name}: the template was not detected")
        else:
            report.problems.append(f"{name}: {outcome}: {r.get('message')}")
        r["family"] = family
        r["template"] = tpl
    shutil.rmtree(files_dir, ignore_errors=True)
    report.seconds = round(time.perf_counter() - started, 1)
    (workdir / "template-report.json").write_text(json.dumps(report.as_dict(), indent=2, default=str))
    return report
