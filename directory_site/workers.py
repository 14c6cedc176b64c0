"""A build's languages side by side. Each worker process takes some of the site's
languages and is sent every page of partners as the API gives it, so partner
pages are rendered and written while the build is still querying; the lists and
the search index follow once every partner is in. The processes start before the
first query, so they start up while the database answers. With one core, or one
language, the languages run here, in turn.

A worker is its own small program (`python -m directory_site.workers`) that
reads pickled tasks on its standard input and writes its languages' results, or
why it failed, on its standard output: it imports what rendering needs and no
more (multiprocessing's spawn would import the builder's main module again, the
whole CLI with the API)."""

import asyncio
import os
import pickle
import queue
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NoReturn, Self

from directory_site.language import BuildError, Language, Written
from directory_site.pages import Site

Task = tuple[str, Any]


def _path() -> str:
    """The worker's PYTHONPATH: it imports this very code, wherever the build was
    started from."""
    here = str(Path(__file__).resolve().parent.parent)
    given = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    return os.pathsep.join([here, *given]).rstrip(os.pathsep)


def _serve(tasks: IO[bytes], results: IO[bytes]) -> None:
    """A worker: begin its languages, add each page of partners, finish."""
    languages: list[Language] = []
    try:
        while True:
            kind, payload = pickle.load(tasks)
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
                answer: Task = ("done", [language.finish() for language in languages])
                break
    except Exception as error:  # the build stops; say why
        answer = ("failed", error)
    try:
        data = pickle.dumps(answer)
    except Exception:  # an error that does not pickle
        data = pickle.dumps(("failed", BuildError(f"{answer[1]!r}")))
    results.write(data)
    results.flush()


class _Worker:
    """One worker process, and a thread that sends it tasks without making the
    build wait while the worker is busy."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.codes = codes
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "directory_site.workers"],  # not the cwd's
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": _path()},
        )
        self.tasks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.sender = threading.Thread(target=self._send, daemon=True)
        self.sender.start()

    def _send(self) -> None:
        pipe = self.process.stdin
        assert pipe is not None
        try:
            while (task := self.tasks.get()) is not None:
                pipe.write(task)
                pipe.flush()
        except (BrokenPipeError, OSError):  # it stopped: check() and result() say so
            pass

    def put(self, kind: str, payload: Any) -> None:
        self.send(pickle.dumps((kind, payload)))

    def send(self, task: bytes) -> None:
        """A pickled task, as it is (one page of partners goes to every worker)."""
        self.tasks.put(task)

    def check(self) -> None:
        """Raise now if the worker has failed or stopped."""
        if self.process.poll() is not None:
            self.result()

    def result(self) -> list[Written]:
        """Wait for the worker's languages, one Written each."""
        assert self.process.stdout is not None
        try:
            kind, payload = pickle.load(self.process.stdout)
        except EOFError:  # it stopped without a word
            self._stopped()
        if kind != "done":
            raise payload
        return list(payload)

    def _stopped(self) -> NoReturn:
        raise BuildError(
            f"the process building {', '.join(self.codes)} stopped "
            f"(exit code {self.process.wait()})"
        )

    def close(self) -> None:
        self.tasks.put(None)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.sender.join()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except BrokenPipeError:
                    pass


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
            worker.put("begin", (staging, site, directory, assets, worker.codes))

    def add(self, partners: list[dict[str, Any]]) -> None:
        """Hand on the next page of partners; raise if a worker has failed."""
        for language in self.here:
            language.add(partners)
        task = pickle.dumps(("partners", partners)) if self.workers else b""
        for worker in self.workers:
            worker.check()
            worker.send(task)

    async def finish(self) -> list[Written]:
        """Each language's Written, in the site's order."""
        if not self.workers:
            return [language.finish() for language in self.here]
        for worker in self.workers:
            worker.put("finish", None)
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


if __name__ == "__main__":
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to the log, never into the results
    _serve(sys.stdin.buffer, results)
