"""A worker process for the crash test: polls the test mailbox, optionally pausing after each
message is committed and before it is marked \\Seen (the window a crash is most dangerous in).

    python -m tests.mail.imap_worker PORT DELAY_SECONDS
"""

from __future__ import annotations

import sys
import time

import django


def main() -> None:
    port, delay = int(sys.argv[1]), float(sys.argv[2])
    django.setup()
    from django.utils import timezone

    from rapport.mail import imap
    from rapport.mail.models import Mailbox
    from tests.mail.dovecot import PASSWORD, USER

    mailbox, _ = Mailbox.objects.update_or_create(
        name="Support",
        defaults={
            "address": "support@rapport.example",
            "host": "127.0.0.1",
            "port": port,
            "use_tls": False,
            "username": USER,
            "password_env": "TEST_IMAP_PASSWORD",
        },
    )
    import os

    os.environ["TEST_IMAP_PASSWORD"] = PASSWORD
    receive = imap.mail_receive

    def slow_receive(**kwargs):  # type: ignore[no-untyped-def]
        result = receive(**kwargs)
        print("filed", flush=True)
        time.sleep(delay)
        return result

    imap.mail_receive = slow_receive  # type: ignore[assignment]
    result = imap.mailbox_poll(mailbox=mailbox, now=timezone.now())
    print(result, flush=True)


if __name__ == "__main__":
    main()
