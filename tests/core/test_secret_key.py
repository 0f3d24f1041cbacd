"""The generated secret key: written once, the same for set-up steps that start at the same moment."""

import threading

from tiaodu.env import secret_key


def test_steps_starting_together_share_one_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    var = tmp_path / "var"
    keys, errors = [], []
    start = threading.Barrier(8)

    def step():
        start.wait()
        try:
            keys.append(secret_key(var))
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)

    threads = [threading.Thread(target=step) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) >= 50
    assert sorted(p.name for p in var.iterdir()) == ["secret_key"]
    assert secret_key(var) == keys[0]
