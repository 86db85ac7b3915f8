"""The email channel: mailboxes, inbound import and threading, the outbox."""
