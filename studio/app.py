"""The one place that wires things: arguments, paths, logging, the excepthook, the store, the window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Sequence

from studio import cli
from studio.domain import DatabaseCorruptError, DatabaseLockedError, StudioError
from studio.paths import Paths, resolve_paths

log = logging.getLogger("studio")


def configure_logging(paths: Paths, *, debug: bool = False) -> None:
    """A rotating log file in the data folder; the terminal only gets warnings (everything with --debug)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for h in list(root.handlers):
        if getattr(h, "_studio", False):
            root.removeHandler(h)
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        fh: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.logs / "studio.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        fh = logging.StreamHandler(sys.stderr)  # an unwritable data folder must not stop the app from saying so
        # ... but only what is wrong: info lines would clutter the terminal, and a StudioError is printed once by
        # main() (a warning here would show it twice, the first time as a log record).
        fh.setLevel(logging.ERROR)
    fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    fh._studio = True  # type: ignore[attr-defined]
    root.addHandler(fh)
    if debug:
        sh = logging.StreamHandler(sys.stderr)
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        sh._studio = True  # type: ignore[attr-defined]
        root.addHandler(sh)


def main(argv: Sequence[str] | None = None) -> int:
    parser = cli.build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    debug = bool(getattr(args, "debug", False))
    try:
        paths = resolve_paths(getattr(args, "data_dir", None))
        configure_logging(paths, debug=debug)
        if args.command:
            return cli.run(args)
        return _run_gui(paths, args)
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
        print(f"studio: error: {exc.__class__.__name__}: {exc} (details in {_log_hint()})", file=sys.stderr)
        return cli.EXIT_OTHER


def _log_hint() -> str:
    for h in logging.getLogger().handlers:
        name = getattr(h, "baseFilename", None)
        if name:
            return name
    return "the log"


def _run_gui(paths: Paths, args: object) -> int:
    from studio import ui
    from studio.services import Services
    from studio.services.recovery import acquire_instance_lock, restore_newest_backup

    try:
        lock = acquire_instance_lock(paths)
    except DatabaseLockedError as exc:
        log.warning("%s", exc)
        print(cli.error_line(exc), file=sys.stderr)  # for a writer who started it from a terminal
        ui.show_startup_error("Studio is already open", str(exc))
        return cli.EXIT_STORAGE
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
            log.error("%s", exc)
            ui.show_startup_error("Studio cannot start", str(exc))
            return exc.exit_code
        try:
            return ui.launch(services, model=getattr(args, "model", None))
        finally:
            services.close()
    finally:
        lock.release()


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
