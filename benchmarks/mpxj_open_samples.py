"""Open mpxj's own public sample files with tiaodu.scheduling.mpxj_open and count what happens.

Not part of the test run. Reads the sample files from a local mpxj git mirror (never copied into this
repository): every .mpp, .mpt, .mpx, .xer, .pmxml and .xml under junit/data. Prints, per outcome, how many
files and a few names; with -v every file. A file holding several projects counts as read when the
choice it asks for lists them.

    .venv/bin/python benchmarks/mpxj_open_samples.py [--repo /work/.mirror/joniles+mpxj/repo] [-v]
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")

EXTENSIONS = (".mpp", ".mpt", ".mpx", ".xer", ".pmxml", ".xml")


def sample_paths(repo: str) -> list[str]:
    out = subprocess.run(
        ["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "junit/data"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [p for p in out.splitlines() if p.lower().endswith(EXTENSIONS)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", default="/work/.mirror/joniles+mpxj/repo")
    parser.add_argument("-v", action="store_true", help="print every file")
    args = parser.parse_args()
    if not Path(args.repo).exists():
        sys.exit(f"no mpxj mirror at {args.repo}")
    import django

    django.setup()
    from tiaodu.scheduling.importers import ScheduleFileError
    from tiaodu.scheduling.mpxj_open import ProjectChoiceNeeded, open_file

    outcomes: dict[str, list[str]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for rel in sample_paths(args.repo):
            shown = subprocess.run(["git", "-C", args.repo, "show", f"HEAD:{rel}"], capture_output=True)
            if shown.returncode:  # a blob the mirror left out
                outcomes["not in the mirror"].append(rel)
                continue
            data = shown.stdout
            path = Path(tmp) / Path(rel).name
            path.write_bytes(data)
            try:
                opened = open_file(path)
                key = f"read as {opened.format_key}" + (f" ({opened.charset})" if opened.charset else "")
            except ProjectChoiceNeeded as exc:
                key = f"asks for one of {len(exc.choices)} projects"
            except ScheduleFileError as exc:
                key = "refused: " + re.sub(r"「[^」]*」", "「…」", exc.messages[0].split("（技术信息")[0])
            outcomes[key].append(rel)
            if args.v:
                print(f"{rel}: {key}", flush=True)
            path.unlink()
    for key, rels in sorted(outcomes.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(rels):5d}  {key}")
        for rel in rels[:3]:
            print(f"         {rel}")


if __name__ == "__main__":
    main()
