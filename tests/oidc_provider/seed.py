"""Set up the test provider's database: a signing key, Rapport as a client, and people.

Run as ``python -m tests.oidc_provider.seed REDIRECT_URI POST_LOGOUT_URI`` with the provider's
settings; prints nothing. People: ``ada`` (verified email, groups ``rapport-managers`` and
``billing``), ``ben`` (verified, group ``rapport-agents``), ``cat`` (unverified email), ``dan``
(verified, no Rapport group). Every password is ``provider pass``.
"""

import os
import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    redirect_uri, post_logout_uri = sys.argv[1], sys.argv[2]
    call_command("creatersakey", stdout=open(os.devnull, "w"))  # noqa: SIM115 - discarded output
    client = Client.objects.create(
        name="Rapport",
        client_type="confidential",
        client_id="rapport-test",
        client_secret="rapport-test-secret",
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
        _redirect_uris=redirect_uri,
        _post_logout_redirect_uris=post_logout_uri,
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    people = [
        ("ada", "ada.lovelace@example.org", "Ada", "Lovelace", ["rapport-managers", "billing"]),
        ("ben", "ben.jones@example.org", "Ben", "Jones", ["rapport-agents"]),
        ("cat", "cat.evans@example.org", "Cat", "unverified", ["rapport-agents"]),
        ("dan", "dan.price@example.org", "Dan", "Price", []),
    ]
    for username, email, first, last, groups in people:
        user = User.objects.create_user(username, email, "provider pass", first_name=first, last_name=last)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])


if __name__ == "__main__":
    main()
