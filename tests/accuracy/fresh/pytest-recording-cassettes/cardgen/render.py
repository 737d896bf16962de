from pictify import Pictify

from cardgen import settings


def render(title: str) -> str:
    client = Pictify(api_key=settings.PICTIFY_API_KEY)
    return client.render(settings.DEFAULT_TEMPLATE, variables={"title": title}).url
