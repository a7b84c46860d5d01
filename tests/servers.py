"""Application servers in their own processes (gunicorn, as in production) for the tests that
cross processes: several servers sharing one database, or one killed in mid-request."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env: dict, *, workers: int = 1, timeout: int = 30):
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.log = open(Path(env["MOTCUA_VAR_DIR"]) / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [gunicorn, "motcua.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", str(timeout), "--graceful-timeout", "2"],
            env=env, cwd=env["MOTCUA_VAR_DIR"], stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, seconds: float = 60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(Path(self.log.name).read_text())
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server not ready: " + Path(self.log.name).read_text())

    def kill(self):
        """kill -9 of every process of this server (master and workers)."""
        import signal

        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                                  text=True).stdout.split()
        self.process.send_signal(signal.SIGKILL)
        for pid in children:
            subprocess.run(["kill", "-9", pid], check=False)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
