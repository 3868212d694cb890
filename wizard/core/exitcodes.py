"""Documented process exit codes, shared by every headless command."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    CONFIG = 1  # config missing or invalid, bad input
    USAGE = 2  # wrong command-line usage
    CREDENTIALS = 3  # client ID or secret rejected, app not approved
    SCOPE = 4  # scope / API integration not granted
    NETWORK = 5  # network, TLS or timeout
    GRAPHQL = 6  # GraphQL error or User-table setup problem
    SIGN_IN = 7  # browser sign-in failed, refused, cancelled or timed out
    FILE_SYSTEM = 8  # file system: disk full, read-only, no permission
    INCOMPLETE = 9  # a step could not be done (a .env not rewritten): run what it says
    BROKEN_PIPE = 141  # stdout closed early (`| head`): quiet, as git and coreutils (128+SIGPIPE)
