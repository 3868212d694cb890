"""A web application's browser sign-in, proven end to end (``bnxt-wizard login``).

For the length of a test the wizard *is* the registered web app: it serves the three local
URIs on ``https://app.local:PORT`` (:mod:`.listener`, certificate from :mod:`.cert`), sends the
browser to Visma Connect's authorize endpoint (found through :mod:`.discovery`) with PKCE,
``state`` and ``nonce`` (:mod:`.pkce`), exchanges the code (:mod:`.exchange`), verifies the ID
token (:mod:`.idtoken`), refreshes once and asks GraphQL what the user reaches.
:class:`.login.LoginSession` runs all of that and reports progress through events; results
are the pydantic models of :mod:`.results`. Nothing here knows about a terminal.
"""
