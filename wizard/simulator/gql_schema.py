"""The slice of the Business NXT schema a setup check touches, and how to answer it.

Validation runs over the whole operation before anything is resolved, so a typo gives
``data: null`` and an ``errors`` array, exactly like a real GraphQL server. Answers hold only
the fields that were asked for, under their aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.simulator.gql_parse import FieldNode

SCALARS = frozenset({"Int", "String"})
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


@dataclass(frozen=True)
class FieldType:
    type_name: str
    is_list: bool = False

    @property
    def is_scalar(self) -> bool:
        return self.type_name in SCALARS

    def __str__(self) -> str:
        return f"[{self.type_name}]" if self.is_list else self.type_name


INT, STRING = FieldType("Int"), FieldType("String")

SCHEMA: dict[str, dict[str, FieldType]] = {
    "Query": {
        "availableCustomers": FieldType("AvailableCustomerConnection"),
        "availableCompanies": FieldType("AvailableCompanyConnection"),
    },
    "AvailableCustomerConnection": {
        "totalCount": INT,
        "items": FieldType("AvailableCustomer", is_list=True),
    },
    "AvailableCompanyConnection": {
        "totalCount": INT,
        "items": FieldType("AvailableCompany", is_list=True),
    },
    "AvailableCustomer": {"name": STRING, "vismaNetCustomerId": INT},
    "AvailableCompany": {"name": STRING, "vismaNetCompanyId": INT, "vismaNetCustomerId": INT},
}


def graphql_error(message: str, node: FieldNode | None = None, code: str = "") -> dict[str, Any]:
    error: dict[str, Any] = {"message": message}
    if node is not None:
        error["locations"] = [{"line": node.line, "column": node.column}]
    if code:
        error["extensions"] = {"code": code}
    return error


def validate(selections: tuple[FieldNode, ...], type_name: str = "Query") -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for node in selections:
        if node.name == "__typename":
            field_type: FieldType | None = STRING
        else:
            field_type = SCHEMA[type_name].get(node.name)
        if field_type is None:
            message = f'Cannot query field "{node.name}" on type "{type_name}".'
        elif field_type.is_scalar and node.selections is not None:
            message = (
                f'Field "{node.name}" must not have a selection since type '
                f'"{field_type}" has no subfields.'
            )
        elif not field_type.is_scalar and node.selections is None:
            message = (
                f'Field "{node.name}" of type "{field_type}" must have a selection of '
                f'subfields. Did you mean "{node.name} {{ ... }}"?'
            )
        else:
            if node.selections is not None:
                errors += validate(node.selections, field_type.type_name)
            continue
        errors.append(graphql_error(message, node, VALIDATION_FAILED))
    return errors


def execute(
    selections: tuple[FieldNode, ...], value: dict[str, Any], type_name: str = "Query"
) -> dict[str, Any]:
    """Project ``value`` onto the selection set; call only after :func:`validate` passed."""
    answer: dict[str, Any] = {}
    for node in selections:
        if node.name == "__typename":
            answer[node.key] = type_name
            continue
        field_type = SCHEMA[type_name][node.name]
        raw = value[node.name]
        if field_type.is_scalar or node.selections is None:
            answer[node.key] = raw
        elif field_type.is_list:
            answer[node.key] = [execute(node.selections, v, field_type.type_name) for v in raw]
        else:
            answer[node.key] = execute(node.selections, raw, field_type.type_name)
    return answer
