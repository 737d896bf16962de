from django.conf import settings
from pictify import Pictify

client = Pictify(api_key=settings.RENDER_KEY)
