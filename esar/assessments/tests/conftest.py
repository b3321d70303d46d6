# The API's test client and tokens, for the target-group filter of /api/v1/institutions.
from esar.api.tests.conftest import api, token_for  # noqa: F401
