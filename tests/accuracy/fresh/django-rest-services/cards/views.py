from rest_framework.decorators import api_view
from rest_framework.response import Response

from cards.services.pictify import render_template


@api_view(["POST"])
def share_card(request):
    url = render_template("share-card", {"title": request.data["title"]})
    return Response({"url": url})
