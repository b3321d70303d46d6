import os

import pytest

from esar.testing.world import World, build_world


def pytest_configure(config):
    # Whatever creates the Celery producer pool first, it must point at the test broker, not at
    # Celery's default (AMQP on localhost). Tasks still run eagerly unless a test starts a worker.
    from config.celery import app

    app.conf.broker_url = os.environ.get("ESAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_collection_modifyitems(items):
    # Under pytest 9.2 every item of schemathesis's parametrized test has the node id of the test
    # function alone (its name keeps the operation, "test_…[GET /api/v1/me]"). xdist's
    # `--dist loadgroup` (make test) schedules by node id, so it ran one operation of 85 and
    # counted the rest nowhere. Each item gets back the id its name gives.
    from _pytest.nodeid import NodeId

    for item in items:
        wanted = f"{item.parent.nodeid}::{item.name}" if item.parent is not None else None
        if wanted is not None and item.nodeid != wanted:
            item._id = NodeId.parse(wanted)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest is built by collectstatic at deployment; tests read the files where they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _tasks_run_eagerly(settings):
    # The embedded mode hands long work to a background thread (esar.core.background); tests run
    # it eagerly at commit unless a test turns the runner on.
    settings.ESAR_JOBS_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings, tmp_path):
    # Uploaded files of one test never land in var/ nor meet those of another test.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def transactional_world(transactional_db) -> World:
    """The personas for tests that commit (live server, Celery worker).

    A transactional test empties every table when it ends, the provinces and agencies loaded by
    migration included, so they are loaded again here.
    """
    from django.apps import apps

    from esar.organizations import reference
    from esar.standards import reference as standards_reference

    reference.load(apps)
    standards_reference.load(apps)
    return build_world()
