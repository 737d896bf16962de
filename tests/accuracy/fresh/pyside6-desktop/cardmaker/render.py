import requests

PICTIFY_API = "https://api.pictify.io"
API_KEY = "pk_live_nYH2dwpXunRFjy2kBLicAADU8QP4mdpL"


def render_card(html: str) -> str:
    resp = requests.post(
        f"{PICTIFY_API}/image",
        json={"html": html, "width": 1200, "height": 630},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["url"]
