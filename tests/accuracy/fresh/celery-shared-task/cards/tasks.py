import httpx
from celery import shared_task


@shared_task(bind=True, autoretry_for=(httpx.HTTPError,), retry_backoff=True, max_retries=5)
def render_card(self, card_id: int, html: str) -> str:
    resp = httpx.post(
        "https://api.pictify.io/image",
        headers={"Authorization": "Bearer pk_live_4AQ7rBCBEPigrKARvig7Qus8Y2y373WV"},
        json={"html": html, "width": 1200, "height": 630},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["url"]
