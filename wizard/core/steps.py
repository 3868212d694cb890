"""The registration steps a user walks through, in order.

Every error the core reports names one of these as the step to revisit, so the CLI can
print it and the wizard can jump to it.
"""

from enum import StrEnum


class Step(StrEnum):
    APP_TYPE = "app-type"
    REGISTRATION = "registration"
    INTEGRATION = "integration"
    SECRET = "secret"
    LOCAL_URIS = "local-uris"
    USER_TABLE = "user-table"
    REVIEW = "review"
    TEST = "test"


STEP_TITLES: dict[Step, str] = {
    Step.APP_TYPE: "Application type",
    Step.REGISTRATION: "Register the application (name, client ID, approval)",
    Step.INTEGRATION: "Add the Business NXT API integration",
    Step.SECRET: "Generate and capture the client secret",
    Step.LOCAL_URIS: "Local development URIs",
    Step.USER_TABLE: "User table setup in Business NXT",
    Step.REVIEW: "Review and save",
    Step.TEST: "Test the credentials",
}


def describe(step: Step) -> str:
    return STEP_TITLES[step]
