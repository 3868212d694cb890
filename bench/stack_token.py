"""For scale only: the same token request on the wizard's stack, and nothing of the wizard.

asyncio + ``httpx.AsyncClient`` + a pydantic model for the settings: what any tool built on
these libraries pays before its own code runs. ``headless.py`` reports it next to the goal's
baseline (``minimal_token.py``) so the gap can be split into "the stack" and "the wizard".
With ``--sync`` the request goes through the synchronous ``httpx.Client`` instead: pydantic
without asyncio, to show what a synchronous check could save.

    python bench/stack_token.py [--sync] TOKEN_URL CLIENT_ID SCOPE < secret.txt
"""

import asyncio
import base64
import sys
from urllib.parse import quote_plus

import httpx
from pydantic import BaseModel, SecretStr


class Settings(BaseModel):
    token_url: str
    client_id: str
    scope: str
    secret: SecretStr


def request_parts(settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    secret = settings.secret.get_secret_value()
    pair = f"{quote_plus(settings.client_id)}:{quote_plus(secret)}"
    headers = {
        "Accept": "application/json",
        "Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii"),
    }
    return {"grant_type": "client_credentials", "scope": settings.scope}, headers


async def request(settings: Settings) -> int:
    form, headers = request_parts(settings)
    async with httpx.AsyncClient() as client:
        response = await client.post(settings.token_url, data=form, headers=headers)
    return response.status_code


def request_sync(settings: Settings) -> int:
    form, headers = request_parts(settings)
    with httpx.Client() as client:
        return client.post(settings.token_url, data=form, headers=headers).status_code


args = sys.argv[1:]
sync = args[:1] == ["--sync"]
url, client_id, scope = args[1:4] if sync else args[:3]
settings = Settings(
    token_url=url, client_id=client_id, scope=scope, secret=sys.stdin.readline().rstrip("\n")
)
status = request_sync(settings) if sync else asyncio.run(request(settings))
print(status)
sys.exit(0 if status == 200 else 1)
