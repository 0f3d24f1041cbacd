"""Signed-in users opening the dashboard of the 20,000-project benchmark district (dashboard_load.py).

Each simulated user signs in through the login page as the leader (sees all 20,000 projects) or the street
office (its projects), 3 : 1, then opens /dashboard/ at the benchmark's as-of date, 1–3 s between requests.
/healthz (the cheapest request the same server answers) under the same load is the reference."""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "Tiaodu@2026")
AS_OF = os.environ.get("BENCH_AS_OF", "2026-11-26")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Reader(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        username = random.choices(["bench-leader", "bench-street"], weights=[3, 1])[0]
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        answer = self.client.post(
            "/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            answer.failure(f"sign-in of {username} answered {answer.status_code}")

    @task(6)
    def dashboard(self):
        self.client.get(f"/dashboard/?as_of={AS_OF}", name="/dashboard/")

    @task(1)
    def floor(self):
        self.client.get("/healthz", name="reference /healthz")
