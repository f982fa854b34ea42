"""Use cases: combine the store, the engine, forms and export; own transactions. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

from studio.paths import Paths
from studio.services.ask import AskService
from studio.services.drafts import DraftService
from studio.services.generation import GenerationService, ModelRunner, ServerChoice
from studio.services.history import HistoryService
from studio.services.library import LibraryService
from studio.services.lore import LoreService
from studio.services.models import ModelShop
from studio.services.servers import ServerService, SwitchingRunner
from studio.storage import Store


@dataclass
class Services:
    """Everything the window and the CLI use, wired once by studio.app / studio.cli."""

    paths: Paths
    _store: Store  # private: the front ends go through the services, never the store (a contract checks imports)
    drafts: DraftService
    library: LibraryService
    generation: GenerationService
    servers: ServerService
    lore: LoreService
    ask: AskService
    history: HistoryService

    @classmethod
    def open(cls, paths: Paths) -> Services:
        store = Store.open(paths.ensure())
        return cls(
            paths=paths,
            _store=store,
            drafts=DraftService(store),
            library=LibraryService(store),
            generation=GenerationService(store),
            servers=ServerService(store, lambda server: ModelRunner(paths, server=server)),
            lore=LoreService(store),
            ask=AskService(store),
            history=HistoryService(store),
        )

    def new_model_runner(self, server: ServerChoice | None = None) -> ModelRunner:
        return ModelRunner(self.paths, server=server)

    def new_window_runner(self) -> SwitchingRunner:
        """The window's: the local model or a server, switched by what it is asked to load."""
        return SwitchingRunner(self.new_model_runner)

    def model_shop(self) -> ModelShop:
        """The catalogue, fit advice and downloads (Model -> Get a model..., `studio models catalog|get`)."""
        return ModelShop(self.paths, self._store)

    def close(self) -> None:
        self._store.close()


__all__ = ["AskService", "DraftService", "GenerationService", "HistoryService", "LibraryService", "LoreService",
           "ModelRunner", "ServerChoice", "ServerService", "Services", "SwitchingRunner"]
