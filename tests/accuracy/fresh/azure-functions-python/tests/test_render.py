import function_app


def test_render_uses_env_key(monkeypatch, requests_mock):
    monkeypatch.setenv("PICTIFY_API_KEY", "pk_test_hQmqmf8DGb7jwK3b9f2L66BEhNVc0L3H")
    requests_mock.post("https://api.pictify.io/image", json={"url": "https://cdn.example.org/a.png"})
