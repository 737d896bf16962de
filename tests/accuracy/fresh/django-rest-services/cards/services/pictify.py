import requests

BASE_URL = "https://api.pictify.io"
PICTIFY_TOKEN = "f426e7b565c708740792cc331172bee89f631381"

session = requests.Session()
session.headers.update({"Authorization": f"Bearer {PICTIFY_TOKEN}", "Accept": "application/json"})


def render_template(template_id: str, variables: dict) -> str:
    resp = session.post(f"{BASE_URL}/templates/{template_id}/render", json={"variables": variables}, timeout=20)
    resp.raise_for_status()
    return resp.json()["results"][0]["url"]
