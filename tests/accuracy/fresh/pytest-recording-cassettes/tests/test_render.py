import pytest


@pytest.mark.vcr
def test_render_card(client):
    assert client.render("og-card", variables={"title": "Hi"}).url.startswith("https://")
