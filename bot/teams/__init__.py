"""The Microsoft Teams front end, on the Teams SDK for Python (microsoft-teams-apps).

Importing ``microsoft_teams.apps`` loads a ``.env`` file from the working
directory into ``os.environ`` (python-dotenv, at import time). Our settings
never come from ``.env``, and a stray file must not slip ``SLACK_*`` or
``DATABASE_URL`` values into the next ``Settings()``. So the SDK is imported
here, before any module of this package uses it, with that loading switched
off: python-dotenv honours ``PYTHON_DOTENV_DISABLED``.
"""

from __future__ import annotations

import os
import warnings

_DOTENV_SWITCH = "PYTHON_DOTENV_DISABLED"
_before = os.environ.get(_DOTENV_SWITCH)
os.environ[_DOTENV_SWITCH] = "1"
try:
    with warnings.catch_warnings():
        # The SDK warns at import about a preview feature (HTML widgets) that we do not use.
        warnings.simplefilter("ignore", FutureWarning)
        import microsoft_teams.apps  # noqa: F401  (imported for its side effect, made harmless)
finally:
    if _before is None:
        del os.environ[_DOTENV_SWITCH]
    else:
        os.environ[_DOTENV_SWITCH] = _before
