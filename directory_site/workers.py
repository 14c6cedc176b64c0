"""A build's languages side by side. Each worker process takes some of the site's
languages and is sent every page of partners as the API gives it, so partner
pages are rendered and written while the build is still querying; the lists and
the search index follow once every partner is in. The processes start before the
first query, so they import while the database answers. With one core, or one
language, the languages run here, in turn."""

import asyncio
import multiprocessing
import os
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn, Self

from directory_site.language import BuildError, Language, Written
from directory_site.pages import Site

Task = tuple[str, Any]


def _serve(tasks: "Queue[Task]", results: Connection) -> None:
    """A worker: begin its languages, add each page of partners, finish."""
    languages: list[Language] = []
    try:
        while True:
            kind, payload = tasks.get()
            if kind == "begin":
                staging, site, directory, assets, codes = payload
                languages = [
                    Language(staging, site.speaking(code), directory, assets)
                    for code in codes
                ]
            elif kind == "partners":
                for language in languages:
                    language.add(payload)
            else:  # finish
                results.send(("done", [language.finish() for language in languages]))
                return
    except BaseException as error:  # the build stops; say why
        try:
            results.send(("failed", error))
        except Exception:  # an error that does not pickle
            results.send(("failed", BuildError(f"{type(error).__name__}: {error}")))


class _Worker:
    def __init__(self, codes: tuple[str, ...]) -> None:
        spawn = multiprocessing.get_context("spawn")  # no fork of a running loop
        self.codes = codes
        self.tasks: Queue[Task] = spawn.Queue()
        self.results, sending = spawn.Pipe(duplex=False)
        self.process: BaseProcess = spawn.Process(
            target=_serve, args=(self.tasks, sending), daemon=True
        )
        self.process.start()
        sending.close()

    def check(self) -> None:
        """Raise now if the worker has failed or stopped."""
        if self.results.poll():  # before its finish, only a failure is sent
            raise self._message()[1]
        if not self.process.is_alive():
            self._stopped()

    def result(self) -> list[Written]:
        """Wait for the worker's languages, one Written each."""
        wait([self.results, self.process.sentinel])
        if not self.results.poll():
            self._stopped()
        kind, payload = self._message()
        if kind != "done":
            raise payload
        return list(payload)

    def _message(self) -> tuple[str, Any]:
        try:
            kind, payload = self.results.recv()
            return kind, payload
        except EOFError:  # it stopped without a word
            self._stopped()

    def _stopped(self) -> NoReturn:
        self.process.join(1)
        raise BuildError(
            f"the process building {', '.join(self.codes)} stopped "
            f"(exit code {self.process.exitcode})"
        )

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.tasks.close()
        self.tasks.cancel_join_thread()  # nobody reads what a stopped worker left
        self.results.close()


class Workers:
    """The build's languages, each in a worker process or, with one, here."""

    def __init__(self, languages: tuple[str, ...], cores: int | None = None) -> None:
        count = min(len(languages), cores or os.cpu_count() or 1)
        self.languages = languages
        self.here: list[Language] = []
        self.workers = (
            [_Worker(languages[i::count]) for i in range(count)] if count > 1 else []
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for worker in self.workers:
            worker.close()

    def begin(
        self,
        staging: Path,
        site: Site,
        directory: dict[str, Any],
        assets: dict[str, str],
    ) -> None:
        if not self.workers:
            self.here = [
                Language(staging, site.speaking(code), directory, assets)
                for code in self.languages
            ]
        for worker in self.workers:
            worker.tasks.put(
                ("begin", (staging, site, directory, assets, worker.codes))
            )

    def add(self, partners: list[dict[str, Any]]) -> None:
        """Hand on the next page of partners; raise if a worker has failed."""
        for language in self.here:
            language.add(partners)
        for worker in self.workers:
            worker.check()
            worker.tasks.put(("partners", partners))

    async def finish(self) -> list[Written]:
        """Each language's Written, in the site's order."""
        if not self.workers:
            return [language.finish() for language in self.here]
        for worker in self.workers:
            worker.tasks.put(("finish", None))
        loop = asyncio.get_running_loop()
        results = await asyncio.gather(
            *(loop.run_in_executor(None, worker.result) for worker in self.workers)
        )
        by_code = {
            code: written
            for worker, part in zip(self.workers, results, strict=True)
            for code, written in zip(worker.codes, part, strict=True)
        }
        return [by_code[code] for code in self.languages]
