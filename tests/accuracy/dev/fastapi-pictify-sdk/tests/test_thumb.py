from app import main


def test_client_uses_key():
    # conftest patches the client; the value below is a dummy.
    assert main.client is not None
    dummy = "pk_live_00000000000000000000000000000000"
    assert dummy.startswith("pk_live_")
