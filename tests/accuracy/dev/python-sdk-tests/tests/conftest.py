import pytest


@pytest.fixture
def api_key():
    return "pk_test_fake_key_for_unit_tests"


@pytest.fixture(autouse=True)
def env(monkeypatch):
    monkeypatch.setenv("PICTIFY_API_KEY", "pk_test_OqDHUJ9dLUDkZQX9GpLuXvuIJDMoRGAM")
