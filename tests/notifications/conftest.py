import datetime as dt
import socket
from zoneinfo import ZoneInfo

import pytest

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.20.H36-260211-0001"
PHONE = "0912345678"
EMAIL = "nguyen.thi.hoa@example.vn"


@pytest.fixture(autouse=True)
def sms_outbox(settings, tmp_path):
    """Every test gets its own SMS outbox file: the embedded gateway writes there."""
    settings.SMS_GATEWAY = "motcua.notifications.channels.FileSmsGateway"
    settings.SMS_OUTBOX = tmp_path / "sms" / "outbox.log"
    return settings.SMS_OUTBOX


def outbox_lines(path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="ascii").splitlines()]


@pytest.fixture
def closed_port() -> int:
    """A port on loopback where nothing listens: a mail server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port
    settings.EMAIL_TIMEOUT = 5


def received_context(**changes) -> dict:
    context = {
        "dossier_code": CODE,
        "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Nguyễn Thị Hoa",
        "received_at": dt.datetime(2026, 2, 11, 9, 30, tzinfo=LOCAL),
        "appointment_date": dt.date(2026, 2, 23),
        "tracking_url": f"https://dichvucong.phutho.gov.vn/tra-cuu/{CODE}",
        "desk_name": "Bộ phận Một cửa UBND xã Thanh Sơn",
    }
    context.update(changes)
    return context
