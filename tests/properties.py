"""How the property tests run: examples drawn per test, no deadline (a real
database answers them), and fixtures made once per test rather than per example,
which is what they are meant for here (each example cleans up after itself or
builds on what the last one left, as the test says)."""

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings


def examples(count: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
        ],
    )
