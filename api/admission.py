"""How much costly anonymous work a worker runs at once.

One event loop runs every request of a worker, and on SQLite one connection runs
every statement: sixteen costly queries at once put an ordinary one behind all
of their statements. So a query costing `floor` or more (api/cost.py) is
admitted only while the costs of those running add up to at most `capacity`;
others wait their turn, first come first served, and are told to come back
later (429, Retry-After) if it does not come within `wait` seconds. Cheaper
queries, which are nearly all of them, never wait."""

import asyncio
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Admission:
    capacity: int
    floor: int
    wait: float
    running: int = 0
    waiting: deque[tuple[int, asyncio.Future[None]]] = field(default_factory=deque)

    def units(self, cost: int) -> int:
        """What a query of this cost takes: nothing below the floor."""
        return 0 if cost < self.floor else min(cost, self.capacity)

    async def enter(self, units: int) -> bool:
        """Take `units`, waiting at most `wait` seconds; False if not given."""
        if not self.waiting and self.running + units <= self.capacity:
            self.running += units
            return True
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (units, turn)
        self.waiting.append(entry)
        try:
            async with asyncio.timeout(self.wait):
                await turn
        except (TimeoutError, asyncio.CancelledError) as stopped:
            if turn.done() and not turn.cancelled():
                self.leave(units)  # its turn came as it stopped waiting
            elif entry in self.waiting:
                self.waiting.remove(entry)
                self._wake()
            if isinstance(stopped, TimeoutError):
                return False
            raise
        return True

    def leave(self, units: int) -> None:
        self.running -= units
        self._wake()

    def _wake(self) -> None:
        while self.waiting and self.running + self.waiting[0][0] <= self.capacity:
            units, turn = self.waiting.popleft()
            if not turn.done():
                self.running += units
                turn.set_result(None)
