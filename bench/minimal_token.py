"""The baseline for `bnxt-wizard check --no-graphql`: the same token request, nothing else.

Same form body, same RFC 6749 Basic credentials (each part form-urlencoded, then base64),
same Accept header. The secret comes on stdin, never in argv.

    python bench/minimal_token.py TOKEN_URL CLIENT_ID SCOPE < secret.txt
"""

import base64
import sys
from urllib.parse import quote_plus

import httpx

url, client_id, scope = sys.argv[1:4]
secret = sys.stdin.readline().rstrip("\n")
pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
headers = {
    "Accept": "application/json",
    "Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii"),
}
form = {"grant_type": "client_credentials", "scope": scope}
response = httpx.post(url, data=form, headers=headers)
print(response.status_code)
sys.exit(0 if response.status_code == 200 else 1)
