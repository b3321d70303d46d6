import pytest

from esar.testing.world import World, build_world


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest is built by collectstatic at deployment; tests read the files where they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db) -> World:
    return build_world()
