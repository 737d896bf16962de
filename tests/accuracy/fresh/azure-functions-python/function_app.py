import os

import azure.functions as func
import requests

app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)


@app.route(route="render", methods=["POST"])
def render(req: func.HttpRequest) -> func.HttpResponse:
    resp = requests.post(
        "https://api.pictify.io/image",
        json=req.get_json(),
        headers={"Authorization": f"Bearer {os.environ['PICTIFY_API_KEY']}"},
        timeout=30,
    )
    return func.HttpResponse(resp.text, status_code=resp.status_code, mimetype="application/json")
