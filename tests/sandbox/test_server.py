"""The same handler over real HTTP on loopback."""

from __future__ import annotations

import httpx

from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, serve


def test_serves_real_http_on_a_free_port() -> None:
    district = SandboxDistrict.generate(seed=5, schools=1, teachers=4, students=300)
    api = SandboxAPI(district)
    server, base_url = serve(api, port=0)
    try:
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v3.0")
        assert server.port != 0
        origin = base_url.removesuffix("/v3.0")
        with httpx.Client(headers={"Authorization": f"Bearer {district.token}"}) as http:
            first = http.get(f"{base_url}/users", params={"role": "student", "limit": 200})
            assert first.status_code == 200
            assert first.headers["X-RateLimit-Limit"] == "1200"
            body = first.json()
            nxt = next(item["uri"] for item in body["links"] if item["rel"] == "next")
            second = http.get(origin + nxt).json()
            ids = [i["data"]["id"] for i in body["data"] + second["data"]]
            assert len(ids) == len(set(ids)) == 300
            assert http.get(f"{base_url}/users/missing").status_code == 404
            assert httpx.get(f"{base_url}/schools").status_code == 401
        assert api.request_count == 4
    finally:
        server.close()
    server.close()


async def test_async_client_and_close_releases_the_port() -> None:
    district = SandboxDistrict.generate(seed=6, schools=1, teachers=2, students=30)
    server, base_url = serve(SandboxAPI(district))
    with server:
        async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {district.token}"}) as http:
            response = await http.get("/districts")
            assert response.json()["data"][0]["data"]["id"] == district.district_id
    try:
        httpx.get(f"{base_url}/districts", timeout=1)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the server still answers after close()")
