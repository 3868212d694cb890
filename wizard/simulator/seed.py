"""The simulated world: customers, companies, registered clients and the Business NXT User table.

It lives in a JSON file so a CI pipeline can bring its own world (``load_seed(path)``) while the
demo and the tests share the packaged one. The demo constants below are the credentials the
packaged seed holds; a test checks the two never drift apart.
"""

from __future__ import annotations

import hmac
import json
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

DEMO_CLIENT_ID = "isv_bnxt_demo"
DEMO_SECRET = "EXW7IPJ0RxnDoPiVknDneykumtJq2tZ2QXJPJrnf"
DEMO_NEXT_SECRET = "xDSTNaqc5RO2aPtsCrCK8uM8En3bF30LJOb6as8V"
DEMO_WEB_CLIENT_ID = "isv_bnxt_web_demo"

SimAppType = Literal["service", "web"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SimCustomer(_Model):
    name: str
    customer_id: int = Field(alias="vismaNetCustomerId")


class SimLedgerCustomer(_Model):
    """A row of the company's own customer table (``useCompany { customer { ... } }``)."""

    customer_no: int = Field(alias="customerNo")
    name: str


class SimCompany(_Model):
    """``company_id`` is the Visma.net company ID, as ``useCompany(no: N)`` takes it. The
    simulator uses the same number for Column no. in its User table; Visma's docs do not say
    whether the two are the same (an assumption, see README)."""

    company_id: int = Field(alias="vismaNetCompanyId")
    name: str
    customer_id: int = Field(alias="vismaNetCustomerId")
    ledger_customers: list[SimLedgerCustomer] = Field(default_factory=list, alias="customers")


class SimClient(_Model):
    """A registered application. Several secrets may be valid at once: that is how rotation
    works without downtime. No scopes means the API integration is missing or not approved."""

    client_id: str
    secrets: list[SecretStr]
    app_type: SimAppType
    approved: bool = True
    scopes: list[str] = Field(default_factory=list)
    redirect_uris: list[str] = Field(default_factory=list)  # web apps: matched exactly

    def accepts(self, secret: str) -> bool:
        given = secret.encode()
        matches = [hmac.compare_digest(given, s.get_secret_value().encode()) for s in self.secrets]
        return any(matches)


class SimAccess(_Model):
    """A Connect Application Access row: one company the user may reach, and with which rights."""

    company_no: int
    access_group: str


class SimUser(_Model):
    """A row of the Business NXT User table; a service's user name is its client ID."""

    user: str
    connect_application: bool = False
    access: list[SimAccess] = Field(default_factory=list)


class SimPerson(_Model):
    """A Visma.net user who can sign in to a web application (the login page's demo users).

    Their rights come from Visma.net: they reach the companies of the customers listed."""

    username: str
    password: SecretStr
    sub: str
    name: str
    email: str
    customers: list[int] = Field(default_factory=list)


class SimSeed(_Model):
    customers: list[SimCustomer]
    companies: list[SimCompany]
    clients: list[SimClient]
    user_table: list[SimUser] = Field(default_factory=list)
    users: list[SimPerson] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> SimSeed:
        customer_ids = {c.customer_id for c in self.customers}
        company_ids = {c.company_id for c in self.companies}
        for company in self.companies:
            if company.customer_id not in customer_ids:
                raise ValueError(
                    f"Company {company.company_id} names customer {company.customer_id}, "
                    "which is not in customers."
                )
        for user in self.user_table:
            for row in user.access:
                if row.company_no not in company_ids:
                    raise ValueError(
                        f"User {user.user} is granted company {row.company_no}, "
                        "which is not in companies."
                    )
        for person in self.users:
            unknown = [c for c in person.customers if c not in customer_ids]
            if unknown:
                raise ValueError(
                    f"User {person.username} is given customer {unknown[0]}, "
                    "which is not in customers."
                )
        if len({p.username for p in self.users}) != len(self.users):
            raise ValueError("Two users share a username.")
        client_ids = [c.client_id for c in self.clients]
        if len(client_ids) != len(set(client_ids)):
            raise ValueError("Two clients share a client_id.")
        return self

    def client(self, client_id: str) -> SimClient | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def user_row(self, user_name: str) -> SimUser | None:
        return next((u for u in self.user_table if u.user == user_name), None)

    def person(self, username: str) -> SimPerson | None:
        return next((p for p in self.users if p.username == username), None)

    def person_by_sub(self, sub: str) -> SimPerson | None:
        return next((p for p in self.users if p.sub == sub), None)


def load_seed(path: str | Path | None = None) -> SimSeed:
    """Load a seed file; without a path, the packaged ``seed.json``."""
    if path is None:
        text = resources.files("wizard.simulator").joinpath("seed.json").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return SimSeed.model_validate(json.loads(text))
