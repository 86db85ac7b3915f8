"""Settings for the test suite: the `test` profile of rapport.settings."""

import os

os.environ["RAPPORT_ENV"] = "test"

from rapport.settings import *  # noqa: F403
