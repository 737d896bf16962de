import pytest
from pictify import Pictify


@pytest.fixture(scope="module")
def vcr_config():
    return {"filter_headers": [("authorization", "DUMMY")]}


@pytest.fixture
def client():
    return Pictify(api_key="pk_test_cOK2fo75WKCqiMhfRGsqhrMCkyZas2Zh")
