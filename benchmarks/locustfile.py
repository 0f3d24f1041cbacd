"""Signed-in users of mixed roles working through the pages and the API (used by load_test.py).

Every simulated user signs in through the login page with a demo account (password Tiaodu@2026) and then
opens what that role opens during a working week. /healthz is the floor: the cheapest request the same
server answers under the same load."""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "Tiaodu@2026"
ROLES = {  # username → weight: units report, the office and leaders read
    "office": 3,
    "leader": 2,
    "wangqz": 1,
    "duchashi": 2,
    "beiyuan_hq": 3,
    "xiaoqinghe_hq": 2,
    "beiyuan_street": 3,
    "luokou_street": 3,
    "jianshe": 2,
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE = re.compile(r'href="/projects/((?:ZD|ZZ)-[^/"]+)/"')


class Member(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.username = random.choices(list(ROLES), weights=list(ROLES.values()))[0]
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        answer = self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            answer.failure(f"sign-in of {self.username} answered {answer.status_code}")
        listing = self.client.get("/projects/", name="first /projects/ (during sign-in ramp)")
        self.codes = CODE.findall(listing.text) or ["ZD-2026-01"]

    @task(4)
    def home(self):
        self.client.get("/", name="/")

    @task(4)
    def dashboard(self):
        self.client.get("/dashboard/", name="/dashboard/")

    @task(3)
    def projects(self):
        self.client.get("/projects/?page=1", name="/projects/")

    @task(3)
    def project(self):
        self.client.get(f"/projects/{random.choice(self.codes)}/", name="/projects/<code>/")

    @task(2)
    def schedule(self):
        self.client.get(f"/projects/{random.choice(self.codes)}/schedule/", name="/projects/<code>/schedule/")

    @task(2)
    def reports(self):
        self.client.get("/reports/", name="/reports/")

    @task(2)
    def supervision(self):
        self.client.get("/supervision/", name="/supervision/")

    @task(1)
    def problems(self):
        self.client.get("/problems/", name="/problems/")

    @task(1)
    def briefings(self):
        self.client.get("/briefings/", name="/briefings/")

    @task(2)
    def api_projects(self):
        self.client.get("/api/v1/projects/", name="API /api/v1/projects/")

    @task(2)
    def api_progress(self):
        self.client.get("/api/v1/progress", name="API /api/v1/progress")

    @task(1)
    def floor(self):
        self.client.get("/healthz", name="floor /healthz")
