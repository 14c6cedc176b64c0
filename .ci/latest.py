"""The project's requirements (dev included) with each upper bound moved to the
next major version (0.x to below 1): what `make test-latest` installs, to see
whether the newest releases each dependency's major version allows still pass."""

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version


def widened(text: str) -> str:
    requirement = Requirement(text)
    lower = [s.version for s in requirement.specifier if s.operator in (">=", "==")]
    if not lower:
        return str(requirement)
    version = Version(lower[0])
    upper = f"<{version.major + 1}"
    marker = f"; {requirement.marker}" if requirement.marker else ""
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{requirement.name}{extras}>={version},{upper}{marker}"


def main() -> None:
    project = tomllib.loads(Path(sys.argv[1]).read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    print("\n".join(widened(w) for w in wanted))


if __name__ == "__main__":
    main()
