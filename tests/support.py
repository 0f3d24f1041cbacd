"""Small things several test folders use: tiny valid files, signing a client in, the run's shared folder."""

import tempfile
from pathlib import Path

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def login(client, district, who):
    client.force_login(district.users[who])
    return client


# Every role of the test district (tests/conftest.py `district`).
ROLES = ["leader", "supervisor", "admin", "office", "hq", "street", "dept", "outsider"]


def run_folder(run: str) -> Path:
    """Where the xdist workers of the run `run` (its testrunuid) share files (tests/demo_copy.py)."""
    return Path(tempfile.gettempdir(), f"tiaodu-demo-{run}")
