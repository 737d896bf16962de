import click
import requests

API_KEY = "pk_live_YST9vtdGcPJI4udUSH9quYYox8OGgwVk"
BASE = "https://api.pictify.io"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

SLACK_HOOK_TOKEN = "T3FfUYj2q8Mag8BM08d7GfcJB_KzW8sUllpVIqkDNLl6"


@click.command()
@click.argument("title")
def main(title):
    r = requests.post(f"{BASE}/image", json={"html": f"<h1>{title}</h1>"}, headers=HEADERS, timeout=30)
    url = r.json()["url"]
    requests.post("https://hooks.slack.com/services/T000/B000", json={"text": url},
                  headers={"Authorization": f"Bearer {SLACK_HOOK_TOKEN}"}, timeout=10)
    click.echo(url)
