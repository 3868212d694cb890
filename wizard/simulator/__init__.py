"""A local Visma Connect + Business NXT GraphQL simulator for demos, tests and CI.

Start one with ``with Simulator() as sim:`` and point a client at ``sim.token_url`` and
``sim.graphql_service_url``. PyJWT and cryptography load only when a simulator starts.
"""

from wizard.core.visma import AppType, facts
from wizard.simulator.seed import (
    DEMO_CLIENT_ID,
    DEMO_NEXT_SECRET,
    DEMO_SECRET,
    DEMO_WEB_CLIENT_ID,
    SimAccess,
    SimClient,
    SimCompany,
    SimCustomer,
    SimPerson,
    SimSeed,
    SimUser,
    load_seed,
)
from wizard.simulator.server import BindError, PortInUseError, RequestRecord, Simulator

SERVICE_SCOPE = facts(AppType.SERVICE).scope
WEB_SCOPE = facts(AppType.WEB).scope

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_NEXT_SECRET",
    "DEMO_SECRET",
    "DEMO_WEB_CLIENT_ID",
    "SERVICE_SCOPE",
    "WEB_SCOPE",
    "BindError",
    "PortInUseError",
    "RequestRecord",
    "SimAccess",
    "SimClient",
    "SimCompany",
    "SimCustomer",
    "SimPerson",
    "SimSeed",
    "SimUser",
    "Simulator",
    "load_seed",
]
