"""gunicorn settings for Một Cửa Số, all from the environment.

    gunicorn -c deploy/gunicorn.conf.py motcua.wsgi:application
"""

import multiprocessing
import os

bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8000")
# Sync workers: each request is short and CPU-bound in Python; a process per core and one
# more keeps the cores busy while one waits on the database.
workers = int(os.environ.get("MOTCUA_WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("MOTCUA_WEB_THREADS", "1"))
timeout = int(os.environ.get("MOTCUA_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage; jitter so they do not
# all restart at once.
max_requests = int(os.environ.get("MOTCUA_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Uploads arrive through the proxy, which buffers them; forwarded headers only from it.
forwarded_allow_ips = os.environ.get("MOTCUA_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The path without its query string: searches and tracking checks can hold personal data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
