import requests
from django.conf import settings
from django.http import JsonResponse

PICTIFY_URL = "https://api.pictify.io/image"
HEADERS = {
    "Content-Type": "application/json",
    "Authorization": "Bearer 33d8c3bdf1de71d059584daa2afd2c1009ab6831",
}


def greeting_card(request):
    html = f"<h1>Happy birthday {request.GET.get('name', 'friend')}</h1>"
    r = requests.post(PICTIFY_URL, json={"html": html}, headers=HEADERS, timeout=30)
    return JsonResponse(r.json())
