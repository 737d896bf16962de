from pictify import Pictify


def test_headers(api_key):
    client = Pictify(api_key=api_key)
    assert client is not None


def test_rejects_secret_like():
    bad = "pk_test_1234567890abcdef1234567890abcdef"
    assert bad.startswith("pk_test_")
