"""The project's settings, plus the two ceiling routes (benchmarks/http/urls.py).

Everything else (middleware, sessions, templates, static files) is the production configuration
the server runs with, so that a page and its ceiling pay the same framework costs.
"""

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

ROOT_URLCONF = "benchmarks.http.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
