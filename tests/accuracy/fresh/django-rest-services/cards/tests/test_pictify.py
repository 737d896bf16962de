import responses

from cards.services import pictify


@responses.activate
def test_render_sends_bearer(settings):
    settings.PICTIFY_API_KEY = "pk_test_qeOMJenu8I1ovFtmWrTP4h8WdsAbETcc"
    responses.post(
        "https://api.pictify.io/templates/og/render",
        json={"results": [{"url": "https://cdn.example.org/og.png"}]},
    )
    assert pictify.render_template("og", {"title": "Hi"}).endswith(".png")
