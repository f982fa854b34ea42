"""Two Studios on one database: no corruption, no lost update, a clear error when the lock is held too long."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from studio.domain import ConflictError, DatabaseLockedError, Form, StorageError
from studio.paths import Paths
from studio.storage import Store, acquire_instance_lock
from studio.storage import db as storage_db

REPO = Path(__file__).resolve().parents[2]


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_stale_writer_from_another_store_gets_conflict(paths: Paths, resources: Path) -> None:
    window = Store.open(paths, resources=resources)
    cli = Store.open(paths, resources=resources)
    try:
        with window.unit_of_work() as uow:
            opened = uow.drafts.create("Shared", Form.PROSE, body="first")
        with cli.unit_of_work() as uow:
            uow.drafts.update(opened.id, body="written by the CLI", expected_version=opened.version)
        with pytest.raises(ConflictError, match="changed elsewhere"), window.unit_of_work() as uow:
            uow.drafts.update(opened.id, body="the window's older text", expected_version=opened.version)
        with window.unit_of_work() as uow:
            assert uow.drafts.get(opened.id).body == "written by the CLI"
    finally:
        window.close()
        cli.close()


def test_two_stores_writing_from_threads_lose_nothing(paths: Paths, resources: Path) -> None:
    stores = [Store.open(paths, resources=resources), Store.open(paths, resources=resources)]
    with stores[0].unit_of_work() as uow:
        counter = uow.drafts.create("Counter", Form.PROSE, body="0")
    per_thread, threads_per_store = 15, 2
    conflicts = [0]
    errors: list[BaseException] = []

    def work(store: Store, name: str) -> None:
        try:
            for i in range(per_thread):
                with store.unit_of_work() as uow:
                    d = uow.drafts.create(f"{name}-{i}", Form.PROSE, body=f"text {i}")
                    uow.revisions.add(d.id, d.body, "manual")
                while True:  # optimistic increment: read, then write only if nobody wrote in between
                    with store.unit_of_work() as uow:
                        current = uow.drafts.get(counter.id)
                    try:
                        with store.unit_of_work() as uow:
                            uow.drafts.update(
                                counter.id, body=str(int(current.body) + 1), expected_version=current.version
                            )
                        break
                    except ConflictError:
                        conflicts[0] += 1
        except Exception as exc:  # noqa: BLE001 - any failure in a worker is reported by the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(store, f"s{si}t{ti}"))
        for si, store in enumerate(stores)
        for ti in range(threads_per_store)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert not errors, errors
        total = per_thread * threads_per_store * len(stores)
        with stores[1].unit_of_work() as uow:
            assert uow.drafts.get(counter.id).body == str(total)  # no lost update
            assert len(uow.drafts.list()) == total + 1
    finally:
        for s in stores:
            s.close()
    assert integrity(paths.database) == "ok"


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from studio.paths import Paths
    from studio.storage import Store
    store = Store.open(Paths(Path(sys.argv[2])), resources=Path(sys.argv[3]))
    for i in range(60):
        with store.unit_of_work() as uow:
            d = uow.drafts.create(f"child-{i}", "poetry", body="line " * 50)
            uow.drafts.update(d.id, body="changed " * 50, expected_version=d.version)
            uow.settings.set("child", i)
    store.close()
    print("child done")
    """
)


def test_a_second_process_writing_at_the_same_time(paths: Paths, resources: Path) -> None:
    store = Store.open(paths, resources=resources)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(REPO), str(paths.root), str(resources)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for i in range(60):
            with store.unit_of_work() as uow:
                d = uow.drafts.create(f"parent-{i}", Form.PROSE, body="word " * 50)
                uow.revisions.add(d.id, d.body, "autosave")
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "child done" in out
    with store.unit_of_work() as uow:
        assert len(uow.drafts.list(form=Form.POETRY)) == 60
        assert len(uow.drafts.list(form=Form.PROSE)) == 60
        assert uow.settings.get("child") == 59
    store.close()
    assert integrity(paths.database) == "ok"


def test_a_lock_held_too_long_is_a_readable_busy_error(
    paths: Paths, resources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 200)  # not 5 s per test
    store = Store.open(paths, resources=resources)
    other = sqlite3.connect(paths.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process mid-write
        with pytest.raises(StorageError, match="busy") as info, store.unit_of_work() as uow:
            uow.drafts.create("Blocked", Form.PROSE)
        assert type(info.value) is StorageError
        assert "sqlalchemy" not in type(info.value).__module__
        other.execute("ROLLBACK")
        with store.unit_of_work() as uow:  # and it recovers once the lock is gone
            uow.drafts.create("Later", Form.PROSE)
    finally:
        other.close()
        store.close()


def test_instance_lock_is_exclusive(paths: Paths) -> None:
    first = acquire_instance_lock(paths)
    try:
        with pytest.raises(DatabaseLockedError) as info:
            acquire_instance_lock(paths)
        assert f"Studio is already open on {paths.root}" in str(info.value)
    finally:
        first.release()
    again = acquire_instance_lock(paths)  # released: the next window may take it
    again.release()


def test_instance_lock_held_by_another_process(paths: Paths) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys; sys.path.insert(0, sys.argv[1]);"
                "from pathlib import Path; from studio.paths import Paths;"
                "from studio.storage import acquire_instance_lock;"
                "lock = acquire_instance_lock(Paths(Path(sys.argv[2]))); print('held', flush=True); sys.stdin.read()"
            ),
            str(REPO),
            str(paths.root),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseLockedError):
            acquire_instance_lock(paths)
    finally:
        holder.communicate("", timeout=30)
    acquire_instance_lock(paths).release()  # the process exited: the lock went with it
