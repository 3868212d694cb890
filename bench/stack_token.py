"""For scale only: the same token request on the wizard's stack, and nothing of the wizard.

asyncio + ``httpx.AsyncClient`` + a pydantic model for the settings: what any tool built on
these libraries pays before its own code runs. ``headless.py`` reports it next to the goal's
baseline (``minimal_token.py``) so the gap can be split into "the stack" and "the wizard".

    python bench/stack_token.py TOKEN_URL CLIENT_ID SCOPE < secret.txt
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


async def request(settings: Settings) -> int:
    secret = settings.secret.get_secret_value()
    pair = f"{quote_plus(settings.client_id)}:{quote_plus(secret)}"
    headers = {
        "Accept": "application/json",
        "Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii"),
    }
    form = {"grant_type": "client_credentials", "scope": settings.scope}
    async with httpx.AsyncClient() as client:
        response = await client.post(settings.token_url, data=form, headers=headers)
    return response.status_code


url, client_id, scope = sys.argv[1:4]
settings = Settings(
    token_url=url, client_id=client_id, scope=scope, secret=sys.stdin.readline().rstrip("\n")
)
status = asyncio.run(request(settings))
print(status)
sys.exit(0 if status == 200 else 1)
