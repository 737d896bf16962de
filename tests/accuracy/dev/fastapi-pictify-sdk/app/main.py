from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from pictify import AsyncPictify

app = FastAPI()
client = AsyncPictify(api_key="pk_live_jW389mj28yXJRm0md5Vz2XfYnZYBIFDY")


@app.get("/thumb/{video_id}")
async def thumb(video_id: str):
    result = await client.render(template_id="yt_thumb", variables={"id": video_id})
    return RedirectResponse(result.image_url)
