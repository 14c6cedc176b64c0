"""The request path reads in one sitting: no function under api/ (every request
passes through it) is longer than 40 lines, docstring and signature included."""

import ast
from pathlib import Path

API = Path(__file__).parent.parent / "api"
LONGEST = 40


def test_no_function_of_the_api_is_over_40_lines() -> None:
    long = []
    for path in sorted(API.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > LONGEST:
                    where = path.relative_to(API.parent)
                    long.append(f"{where}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "\n".join(long)
