"""gunicorn settings of the tslp-web service: ``gunicorn -c ops/gunicorn.conf.py tslp_portal.wsgi``."""

workers = 2  # one per core of the regency's server
bind = "127.0.0.1:8000"
timeout = 120
accesslog = "-"
errorlog = "-"
# gunicorn's largest request line. The portal refuses lines longer than tslp_portal.middleware.MAX_REQUEST_LINE
# (4094 bytes) itself, with the API's JSON error under /api/; only lines over 8190 bytes still get gunicorn's
# plain-text 400.
limit_request_line = 8190
