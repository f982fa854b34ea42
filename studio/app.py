"""The one place that wires things: arguments, paths, logging, the excepthook, the store, the window."""

from __future__ import annotations

import argparse
import errno
import logging
import logging.handlers
import os
import stat
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from studio import cli
from studio.domain import DatabaseCorruptError, DatabaseLockedError, StudioError
from studio.paths import Paths, os_reason, resolve_paths

log = logging.getLogger("studio")


# A record logged with extra={"notice": True} is something the writer must hear about although Studio carries on
# (a models folder it cannot read, a log it cannot write): besides the log file, it gets one line on the terminal.
NOTICE = "notice"

_log_file: Path | None = None  # where this run's log really goes; None when no log could be written anywhere


class _NoticeHandler(logging.Handler):
    """Each notice once, as one ``studio: warning:`` line on stderr: never a traceback, never a repeat (the window
    lists the models more than once)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._said: set[str] = set()
        self.addFilter(lambda record: bool(getattr(record, NOTICE, False)))

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join(record.getMessage().split())
        if text in self._said:
            return
        self._said.add(text)
        try:
            stream = sys.stderr  # looked up now: the CLI (and tests) may have replaced it since start-up
            stream.write(f"studio: warning: {text}\n")
            stream.flush()
        except (OSError, ValueError):  # a closed terminal must not stop Studio
            pass


def configure_logging(paths: Paths, *, debug: bool = False) -> str | None:
    """A rotating log file in the data folder; the terminal gets notices only (everything with --debug).

    When the log folder cannot be written, the log goes to a private folder in the system's temporary folder;
    returns the one line that says so (or that no log is kept at all), for the caller to show once it knows the
    data folder itself is usable. None when the log is where it belongs.
    """
    global _log_file
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for h in list(root.handlers):
        if getattr(h, "_studio", False):
            root.removeHandler(h)
            h.close()
    problem: str | None = None
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        fh: logging.Handler | None = _file_handler(paths.logs / "studio.log")
    except OSError as exc:
        fh, problem = _fallback_log(paths.logs, os_reason(exc))
    _log_file = Path(fh.baseFilename) if isinstance(fh, logging.FileHandler) else None
    handlers: list[logging.Handler] = [fh] if fh is not None else []
    if debug:
        sh = logging.StreamHandler(sys.stderr)
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handlers.append(sh)
    else:
        handlers.append(_NoticeHandler())
    for h in handlers:
        h._studio = True  # type: ignore[attr-defined]  # marks our handlers, so a second setup replaces them
        root.addHandler(h)
    return problem


def _file_handler(path: Path) -> logging.Handler:
    fh = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    return fh


def _fallback_log(folder: Path, reason: str) -> tuple[logging.Handler | None, str]:
    """The log in ``<temp>/studio-logs-<uid>`` instead (made private, and only used when it is ours: the temporary
    folder is shared with other users), and the line telling the writer so."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        spare = Path(tempfile.gettempdir()) / (f"studio-logs-{uid}" if uid is not None else "studio-logs")
        spare.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(spare)
        if stat.S_ISDIR(st.st_mode) and (uid is None or st.st_uid == uid):
            fh = _file_handler(spare / "studio.log")
            return fh, f"Studio cannot write its log in {folder} ({reason}); this run logs to {spare / 'studio.log'}."
    except OSError:
        pass
    return None, f"Studio cannot write its log in {folder} ({reason}), nor in the temporary folder: no log is kept."


def _say(problem: str | None) -> None:
    if problem:
        log.warning("%s", problem, extra={NOTICE: True})


def main(argv: Sequence[str] | None = None) -> int:
    parser = cli.build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    debug = bool(getattr(args, "debug", False))
    try:
        paths = resolve_paths(getattr(args, "data_dir", None))
        log_problem = configure_logging(paths, debug=debug)
        if not args.command:
            return _run_gui(paths, args, log_problem)
        if args.command not in cli.WITHOUT_DATA_FOLDER:
            # A data folder Studio cannot use is the one thing to say: the log problem would only follow from it.
            paths.ensure()
        _say(log_problem)
        return cli.run(args)
    except StudioError as exc:
        log.warning("%s", exc, exc_info=debug)
        if debug:
            traceback.print_exc()
        print(cli.error_line(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("studio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # one readable line for a writer; the details go to the log
        log.exception("unexpected error")
        if debug:
            traceback.print_exc()
        if isinstance(exc, OSError) and exc.errno in _PERMISSION_ERRNOS and exc.filename:
            # A file or folder no check above foresaw: still a storage problem, named, in words.
            print(f"studio: error: Studio may not use {exc.filename} ({os_reason(exc)}). Check its permissions, or "
                  f"choose another data folder with --data-dir ({_log_hint()}).", file=sys.stderr)
            return cli.EXIT_STORAGE
        print(f"studio: error: {exc.__class__.__name__}: {exc} ({_log_hint()})", file=sys.stderr)
        return cli.EXIT_OTHER


_PERMISSION_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def _log_hint() -> str:
    """Where the details are: this run's own log file, never another handler's (under pytest the root logger
    also holds one writing to /dev/null)."""
    if _log_file is not None:
        return f"details in {_log_file}"
    return "no log could be written; run again with --debug for the details"


def _run_gui(paths: Paths, args: argparse.Namespace, log_problem: str | None = None) -> int:
    from studio import ui
    from studio.services import Services
    from studio.services.recovery import acquire_instance_lock, restore_newest_backup
    from studio.ui.startup_check import check_window_libraries

    if check_window_libraries() is not None:  # said on stderr and in a dialog: Qt itself would only abort
        return cli.EXIT_OTHER
    try:
        paths.ensure()
    except StudioError as exc:
        return _cannot_start(ui, "Studio cannot use its data folder", exc)
    _say(log_problem)
    try:
        lock = acquire_instance_lock(paths)
    except DatabaseLockedError as exc:
        return _cannot_start(ui, "Studio is already open", exc)
    except StudioError as exc:
        return _cannot_start(ui, "Studio cannot start", exc)
    try:
        try:
            services = Services.open(paths)
        except DatabaseCorruptError as exc:
            log.error("%s", exc)
            if not exc.backups:
                ui.show_startup_error("Studio cannot open its database", str(exc))
                return cli.EXIT_STORAGE
            if not _ask_restore_backup(exc):
                return cli.EXIT_STORAGE
            moved = restore_newest_backup(paths, exc)
            log.warning("damaged database kept as %s; opened the newest backup", moved)
            services = Services.open(paths)
        except StudioError as exc:
            return _cannot_start(ui, "Studio cannot start", exc)
        try:
            return ui.launch(services, model=getattr(args, "model", None), server=cli.server_choice(args))
        finally:
            services.close()
    finally:
        lock.release()


def _cannot_start(ui: ModuleType, title: str, exc: StudioError) -> int:
    """The same words in a dialog and, for a writer who started Studio from a terminal, on one line there."""
    log.warning("%s", exc)
    print(cli.error_line(exc), file=sys.stderr)
    ui.show_startup_error(title, str(exc))
    return exc.exit_code


def _ask_restore_backup(exc: DatabaseCorruptError) -> bool:
    """Tell the writer what happened and offer the newest backup; the damaged file is kept either way."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - a dialog needs an application
    box = QMessageBox(QMessageBox.Icon.Critical, "Studio cannot open its database", str(exc))
    box.setInformativeText(
        f"Studio can open the newest backup ({exc.backups[0]}). The damaged file is renamed and kept, never "
        "overwritten, so nothing in it is lost."
    )
    open_backup = box.addButton("Open the newest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is open_backup
