import requests
from flask import Flask, render_template, request

app = Flask(__name__)

PICTIFY_BASE = "https://api.pictify.io"
PICTIFY_HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "User-Agent": "gif-maker/0.9",
    "Authorization": "Bearer 91f91c158e8be996885a40d3b394e69e8b3ca09cac42e29197071bca36f68821",
}


@app.post("/gif")
def gif():
    r = requests.post(f"{PICTIFY_BASE}/gif", json={"html": request.form["html"]}, headers=PICTIFY_HEADERS, timeout=60)
    return r.json()


@app.get("/checkout")
def checkout():
    return render_template("checkout.html")
