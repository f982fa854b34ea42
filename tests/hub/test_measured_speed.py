"""The fit advice scales this machine's measured speed: the generations Studio recorded on a model file here."""

from __future__ import annotations

from pathlib import Path

from studio.domain import Action, GenerationRecord
from studio.paths import Paths
from studio.services import Services


def test_measured_speed_comes_from_recorded_generations_on_the_default_model(paths: Paths,
                                                                             default_model_path: Path) -> None:
    sv = Services.open(paths)
    try:
        shop = sv.model_shop()
        assert shop.measured_speed() is None  # nothing run yet: the advice says it guesses
        with sv._store.unit_of_work() as uow:
            for tps in (40.0, 50.0, 60.0):
                uow.generations.add(GenerationRecord(id=None, draft_id=None, action=Action.CONTINUE, output="x",
                                                     model_file=default_model_path.name, generated_tokens=64,
                                                     tokens_per_s=tps))
            uow.generations.add(GenerationRecord(id=None, draft_id=None, action=Action.CONTINUE, output="x",
                                                 model_file="not-here.gguf", generated_tokens=64, tokens_per_s=999))
        m = shop.measured_speed()
        assert m is not None and m.model_file == default_model_path.name and m.tokens_per_s == 50.0 and m.runs == 3
        assert m.size_bytes == default_model_path.stat().st_size
        fits = shop.catalogue_fits()
        assert all(c.fit.measured for c in fits) and "measured here" in fits[0].fit.reason
    finally:
        sv.close()
