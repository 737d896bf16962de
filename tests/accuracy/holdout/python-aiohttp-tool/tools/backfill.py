import asyncio

import aiohttp

TOKEN = "jBcROiwYVA4zIqEaPxkraDvlNj_5fM1E0cbtx4vyMc5"
SENTRY = "https://990334e6b1dfd89d1162f13df28faa9e@o0.ingest.sentry.io/1"


async def main(ids):
    async with aiohttp.ClientSession(base_url="https://api.pictify.io",
                                     headers={"Authorization": f"Bearer {TOKEN}"}) as s:
        for i in ids:
            async with s.post("/templates/card/render", json={"variables": {"id": i}}) as r:
                print((await r.json())["results"][0]["url"])


if __name__ == "__main__":
    asyncio.run(main(range(10)))
