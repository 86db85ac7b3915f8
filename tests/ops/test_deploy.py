"""The files in ``deploy/`` say what the product does: each systemd unit and compose service runs
a real ``rapport`` command with options the command accepts, exactly one of them runs the
scheduler, and nginx keeps ``/metrics`` private and passes its request id on. (Debian's nginx and
container images are not available on the machines this is developed on: the files are checked
by reading them.)"""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from rapport.cli import _parser

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(path)
    return unit


def _rapport_args(command: list[str]) -> list[str]:
    assert Path(command[0]).name == "rapport", command
    return command[1:]


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_a_rapport_command_the_command_accepts(path):
    service = _unit(path)["Service"]
    args = _parser().parse_args(_rapport_args(shlex.split(service["ExecStart"])))

    assert args.command in {"serve", "worker"}
    assert service["User"] == "rapport"
    assert service["EnvironmentFile"] == "/etc/rapport/rapport.env"
    assert service["NoNewPrivileges"] == "yes"


def test_exactly_one_unit_and_one_compose_service_run_the_scheduler():
    workers = [_parser().parse_args(_rapport_args(shlex.split(_unit(path)["Service"]["ExecStart"]))) for path in UNITS]
    assert sum(1 for args in workers if args.command == "worker" and args.scheduler) == 1

    import yaml

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    commands = [service.get("command") for service in compose["services"].values()]
    parsed = [_parser().parse_args(command[1:]) for command in commands if command and command[0] == "rapport"]
    assert sum(1 for args in parsed if args.command == "worker" and args.scheduler) == 1


def test_nginx_keeps_metrics_private_and_passes_the_request_id():
    site = (DEPLOY / "nginx" / "rapport.conf").read_text()

    assert "location = /metrics { return 404; }" in site
    assert "proxy_set_header X-Request-ID $request_id;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
