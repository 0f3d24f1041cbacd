"""Screenshots of the browser tests, kept in the folder TIAODU_SCREENSHOTS names, taken only then.

A full-page screenshot costs 0.2-0.9 s of the browser's time; those the tests wrote to their own
temporary folder were deleted unseen. Without the folder, an element's screenshot still waits for the
element to be visible, as taking it did.
"""

import os
from pathlib import Path

FOLDER = os.environ.get("TIAODU_SCREENSHOTS", "")


def shot(target, name: str, **options) -> None:
    """A screenshot of `target` (a page or a locator) as FOLDER/name.png, when FOLDER is set."""
    if FOLDER:
        Path(FOLDER).mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(Path(FOLDER) / f"{name}.png"), **options)
    elif hasattr(target, "wait_for"):  # a locator
        target.wait_for(state="visible")
