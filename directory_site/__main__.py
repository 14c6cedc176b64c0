"""`python -m directory_site OUT_DIR [flags]`: build the directory, as `partners
build-site` does (the same flags and exit statuses, `BuildStatus`). The server's
publisher starts its builds this way (directory_site/publisher.py)."""

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main(["build-site", *sys.argv[1:]]))
