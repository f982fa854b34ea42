"""Use cases: combine the store, the engine, forms and export; own transactions. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

from studio.paths import Paths
from studio.services.drafts import DraftService
from studio.services.generation import GenerationService, ModelRunner, ServerChoice
from studio.services.library import LibraryService
from studio.services.models import ModelShop
from studio.storage import Store


@dataclass
class Services:
    """Everything the window and the CLI use, wired once by studio.app / studio.cli."""

    paths: Paths
    _store: Store  # private: the front ends go through the services, never the store (a contract checks imports)
    drafts: DraftService
    library: LibraryService
    generation: GenerationService

    @classmethod
    def open(cls, paths: Paths) -> Services:
        store = Store.open(paths.ensure())
        return cls(
            paths=paths,
            _store=store,
            drafts=DraftService(store),
            library=LibraryService(store),
            generation=GenerationService(store),
        )

    def new_model_runner(self, server: ServerChoice | None = None) -> ModelRunner:
        return ModelRunner(self.paths, server=server)

    def model_shop(self) -> ModelShop:
        """The catalogue, fit advice and downloads (Model -> Get a model..., `studio models catalog|get`)."""
        return ModelShop(self.paths, self._store)

    def close(self) -> None:
        self._store.close()


__all__ = ["DraftService", "GenerationService", "LibraryService", "ModelRunner", "ServerChoice", "Services"]
