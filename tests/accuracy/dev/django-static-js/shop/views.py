import os

import requests
from django.http import JsonResponse

PICTIFY = "https://api.pictify.io"


def card(request, product_id):
    r = requests.post(
        f"{PICTIFY}/templates/product/render",
        json={"variables": {"id": product_id}},
        headers={"Authorization": f"Bearer {os.environ['PICTIFY_API_KEY']}"},
        timeout=20,
    )
    return JsonResponse(r.json())
