import json
import logging

import pytest

from tslp_portal.logs import JsonLinesFormatter


def test_a_security_event_is_one_json_line_with_its_fields():
    record = logging.makeLogRecord(
        {
            "name": "tslp.security",
            "levelno": 30,
            "levelname": "WARNING",
            "msg": "login_failed",
            "event": "login_failed",
            "username": "dinsos",
            "ip": "203.0.113.7",
        }
    )
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert {k: data[k] for k in ("logger", "level", "event", "username", "ip")} == {
        "logger": "tslp.security",
        "level": "WARNING",
        "event": "login_failed",
        "username": "dinsos",
        "ip": "203.0.113.7",
    }


@pytest.mark.django_db
def test_each_request_is_logged_without_its_query(client, caplog):
    with caplog.at_level(logging.INFO, logger="tslp.request"):
        client.get("/wilayah/?q=rahasia")
    record = next(r for r in caplog.records if r.name == "tslp.request")
    assert (record.method, record.path, record.status) == ("GET", "/wilayah/", 200)
    assert "rahasia" not in JsonLinesFormatter().format(record)
