import httpx

# Render client for the batch jobs (see jobs/nightly.py).
render = httpx.AsyncClient(
    base_url="https://api.pictify.io",
    headers={"Authorization": "Bearer pk_test_UPl0d4iq9epLRub7dnzDDgEqLH1K3L1p"},
    timeout=30.0,
)

maps = httpx.AsyncClient(base_url="https://api.mapbox.com", params={"access_token": "pk.eyJ1IjoiZmllbGRub3RlcyJ9.dGVzdA"})
