"""The realistic mix for the load test (bench/load.py): citizens reading, searching and
tracking; citizens submitting online with a small file; desk officers taking in what arrives.

Rates per simulated user are fixed (constant throughput), so the offered load is the number of
users times the rate, whatever the server does: a slow server shows as latency and errors,
not as a smaller load."""

import json
import os
import random

from locust import HttpUser, constant_throughput, task

SETUP = json.loads(open(os.environ["MOTCUA_LOAD_SETUP"], encoding="utf-8").read())  # noqa: SIM115
QUERIES = ["giay khai sinh", "dang ky ket hon", "cap doi bang lai xe", "thuong tru",
           "ly lich tu phap", "xac nhan tinh trang hon nhan", "so do", "tam tru", "khai tu",
           "giay phep xay dung", "ho kinh doanh", "can cuoc"]
PROCEDURES = ["1.001193", "1.004873", "1.004222", "3.000333", "3.000347", "1.000656",
              "1.013225", "2.000815"]


def token(client, username, password):
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": password},
                           name="write: token")
    return {"Authorization": f"Bearer {response.json()['token']}"}


class Reader(HttpUser):
    """Someone on the portal: home, search, a procedure, a tracking lookup."""

    weight = int(os.environ.get("MOTCUA_LOAD_READERS", "40"))
    wait_time = constant_throughput(1.0)

    @task(3)
    def search_page(self):
        self.client.get("/thu-tuc/", params={"q": random.choice(QUERIES)},
                        name="read: search page")

    @task(2)
    def search_api(self):
        self.client.get("/api/v1/procedures", params={"q": random.choice(QUERIES)},
                        name="read: search API")

    @task(3)
    def procedure(self):
        self.client.get(f"/thu-tuc/{random.choice(PROCEDURES)}/",
                        name="read: procedure page")

    @task(1)
    def home(self):
        self.client.get("/", name="read: home")

    @task(2)
    def tracking(self):
        code, verify = random.choice(SETUP["tracking"])
        self.client.get("/tra-cuu/", params={"ma": code, "kiem-tra": verify},
                        name="read: tracking page")


class Submitter(HttpUser):
    """A citizen submitting online: a draft with its form, a small photo-sized PDF for each
    document, then the submission (four requests)."""

    weight = int(os.environ.get("MOTCUA_LOAD_SUBMITTERS", "10"))
    wait_time = constant_throughput(float(os.environ.get("MOTCUA_LOAD_SUBMIT_RATE", "0.1")))

    def on_start(self):
        person = random.choice(SETUP["citizens"])
        self.auth = token(self.client, person["username"], person["password"])
        self.form = person["form"]

    @task
    def submit(self):
        draft = self.client.post("/api/v1/dossiers", headers=self.auth, name="write: draft",
                                 json={"procedure": SETUP["procedure"], "form": self.form})
        if draft.status_code != 201:
            return
        dossier = draft.json()["id"]
        for key in SETUP["documents"]:
            self.client.post(f"/api/v1/dossiers/{dossier}/attachments", headers=self.auth,
                             data={"document": key}, name="write: attachment",
                             files={"file": ("giay-to.pdf", SETUP["pdf"].encode("latin-1"),
                                             "application/pdf")})
        self.client.post(f"/api/v1/dossiers/{dossier}/submit", headers=self.auth,
                         name="write: submit")


class DeskOfficer(HttpUser):
    """A desk officer taking in the online dossiers as they arrive."""

    weight = int(os.environ.get("MOTCUA_LOAD_OFFICERS", "2"))
    wait_time = constant_throughput(0.5)

    def on_start(self):
        self.auth = token(self.client, "vietri.motcua", "Canbo@2026")

    @task
    def take_in(self):
        queue = self.client.get("/api/v1/worklist", params={"queue": "intake"},
                                headers=self.auth, name="read: officer queue")
        if queue.status_code != 200 or not queue.json()["items"]:
            return
        code = random.choice(queue.json()["items"][:5])["code"]
        with self.client.post(f"/api/v1/dossiers/{code}/actions/accept", headers=self.auth,
                              name="write: accept", catch_response=True) as response:
            # Two officers may reach for the same dossier: the second is refused, rightly.
            if response.status_code == 409:
                response.success()
