import json
import os
import urllib.request


def handler(event, context):
    key = os.environ.get("PICTIFY_API_KEY") or os.environ["PICTIFY_FALLBACK_KEY"]
    req = urllib.request.Request(
        "https://api.pictify.io/image",
        data=json.dumps({"html": json.loads(event["body"])["html"]}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=25) as resp:
        return {"statusCode": 200, "body": resp.read().decode()}
