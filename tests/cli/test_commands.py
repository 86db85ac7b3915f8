"""The `rapport` command's account and pass-through commands, run in-process through main()."""

from __future__ import annotations

import io

import pytest

from rapport.accounts.models import ApiToken, Role, User
from rapport.accounts.services import token_authenticate
from rapport.cli import main

pytestmark = pytest.mark.django_db

STRONG = "plum-orchard-lantern-42"


def test_token_create_prints_a_token_that_works_until_revoked(agent, capsys):
    # when
    assert main(["token", "create", "--user", "AGENT@example.com", "--name", "reporting"]) == 0

    # then the token alone is on stdout, and it authenticates as the agent
    out, err = capsys.readouterr()
    token = out.strip()
    assert token_authenticate(token) == agent
    key_id = token.split("_")[1]
    assert f"Token {key_id} for agent@example.com" in err
    assert ApiToken.objects.get(key_id=key_id).name == "reporting"

    # when it is revoked by id
    assert main(["token", "revoke", "--id", key_id]) == 0

    # then it no longer works
    assert "Revoked 1 token." in capsys.readouterr().out
    assert token_authenticate(token) is None


def test_token_revoke_by_user_revokes_all_of_theirs(agent, manager, capsys):
    # given
    main(["token", "create", "--user", agent.email])
    main(["token", "create", "--user", agent.email])
    main(["token", "create", "--user", manager.email])
    capsys.readouterr()

    # when
    assert main(["token", "revoke", "--user", agent.email]) == 0

    # then
    assert "Revoked 2 tokens." in capsys.readouterr().out
    assert ApiToken.objects.filter(user=agent, revoked_at__isnull=True).count() == 0
    assert ApiToken.objects.filter(user=manager, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["token", "create", "--user", "nobody@example.com"], "no user with the email address 'nobody@example.com'"),
        (["token", "revoke", "--user", "nobody@example.com"], "no user with the email address"),
        (["token", "revoke", "--id", "abcdef123456"], "No active token with that id."),
    ],
)
def test_unknown_user_or_token_is_a_message_and_exit_status_2(agent, argv, message, capsys):
    # when
    status = main(argv)

    # then
    assert status == 2
    out, err = capsys.readouterr()
    assert message in err
    assert "Traceback" not in err
    assert out == ""
    assert ApiToken.objects.count() == 0


def test_createadmin_reads_the_password_from_stdin(monkeypatch, capsys):
    # given
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))

    # when
    status = main(["createadmin", "--email", "Boss@Example.com", "--name", "Jo Boss", "--password-stdin"])

    # then
    assert status == 0
    admin = User.objects.get(email="boss@example.com")
    assert admin.role == Role.ADMIN
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.check_password(STRONG)
    assert "Created admin boss@example.com." in capsys.readouterr().out


def test_createadmin_prompts_when_there_is_a_terminal(monkeypatch):
    # given
    answers = iter(["ops@example.com", "Ops Person"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: STRONG)

    # when
    assert main(["createadmin"]) == 0

    # then
    assert User.objects.get(email="ops@example.com").check_password(STRONG)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "too short"), ("password123", "too common")],
)
def test_createadmin_refuses_a_weak_password_and_creates_nobody(monkeypatch, capsys, password, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))

    status = main(["createadmin", "--email", "boss@example.com", "--name", "Jo Boss", "--password-stdin"])

    assert status == 2
    assert message in capsys.readouterr().err
    assert not User.objects.exists()


def test_createadmin_refuses_an_email_already_in_use(agent, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))

    status = main(["createadmin", "--email", agent.email, "--name", "Someone", "--password-stdin"])

    assert status == 2
    assert "email: An account already uses this email address." in capsys.readouterr().err
    assert User.objects.get(email=agent.email).role == Role.AGENT


def test_createadmin_without_answers_is_a_message_not_a_traceback(monkeypatch, capsys):
    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)

    assert main(["createadmin"]) == 2
    assert "use --email and --name" in capsys.readouterr().err
    assert not User.objects.exists()


def test_check_passes_its_arguments_to_django(capsys):
    assert main(["check", "--fail-level", "ERROR"]) == 0
    assert "System check identified no issues" in capsys.readouterr().out


def test_manage_runs_any_django_command(capsys):
    assert main(["manage", "showmigrations", "cases"]) == 0
    assert "0002_search_index" in capsys.readouterr().out


def test_migrate_is_safe_to_run_again(capsys):
    assert main(["migrate"]) == 0
    assert "No migrations to apply." in capsys.readouterr().out


def test_no_command_prints_help_and_exit_status_2(capsys):
    assert main([]) == 2
    assert "usage: rapport" in capsys.readouterr().out
