"""Audit actions and error codes come from each app's `codes.py` (StrEnums), never from loose string literals,
so the audit trail's vocabulary and the API's error codes can be listed, documented and kept stable.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest

from lienket.analytics.codes import AuditAction as AnalyticsAction
from lienket.analytics.codes import ErrorCode as AnalyticsErrorCode
from lienket.cooperation.codes import AuditAction as CooperationAction
from lienket.cooperation.codes import ErrorCode as CooperationErrorCode
from lienket.core.codes import ErrorCode as CoreErrorCode
from lienket.core.codes import error_codes
from lienket.library.codes import AuditAction as LibraryAction
from lienket.library.codes import ErrorCode as LibraryErrorCode
from lienket.products.codes import AuditAction as ProductsAction
from lienket.products.codes import ErrorCode as ProductsErrorCode
from lienket.proposals.codes import AuditAction as ProposalsAction
from lienket.proposals.codes import ErrorCode as ProposalsErrorCode
from lienket.proposals.workflow import TRANSITIONS as PROPOSAL_TRANSITIONS
from lienket.regions.codes import ErrorCode as RegionsErrorCode
from lienket.reporting.codes import AuditAction as ReportingAction
from lienket.reporting.codes import ErrorCode as ReportingErrorCode
from lienket.reporting.workflow import TRANSITIONS
from lienket.search.codes import AuditAction as SearchAction
from lienket.search.codes import ErrorCode as SearchErrorCode
from lienket.users.codes import AuditAction as UsersAction
from lienket.users.codes import ErrorCode as UsersErrorCode

ROOT = Path(__file__).resolve().parent.parent / "lienket"
EXCEPTIONS = {"ApplicationError", "NotFound", "PermissionDenied", "ValidationFailed", "Conflict"}
ACTION_ENUMS: list[type[StrEnum]] = [ReportingAction, UsersAction, SearchAction, LibraryAction, ProductsAction,
                                     ProposalsAction, CooperationAction, AnalyticsAction]
ERROR_ENUMS: list[type[StrEnum]] = [CoreErrorCode, RegionsErrorCode, UsersErrorCode, ReportingErrorCode, SearchErrorCode,
                                     LibraryErrorCode, ProductsErrorCode, ProposalsErrorCode, CooperationErrorCode,
                                     AnalyticsErrorCode]
ALL_ACTIONS = {str(m) for enum in ACTION_ENUMS for m in enum}
# Written before the `<object>.<verb>` style; entries are stored (and append-only) with these names, and the
# audit filters and the API documentation name them, so they are kept as they are.
LEGACY_ACTIONS = {str(m) for m in UsersAction}
STYLE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


def _modules(*, tests: bool) -> list[Path]:
    return sorted(
        p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and (("tests" in p.parts) == tests)
    )


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _values(node: ast.expr) -> list[ast.expr]:
    return [*_values(node.body), *_values(node.orelse)] if isinstance(node, ast.IfExp) else [node]


def _calls(paths: list[Path]) -> list[tuple[str, ast.Call]]:
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                found.append((f"{path.relative_to(ROOT.parent)}:{node.lineno}", node))
    return found


def _literal(node: ast.expr) -> bool:
    """A string written into the call: a constant or an f-string (enum lookups such as `AuditAction(f"...")`,
    names and attributes are fine: audit_log's `action` is typed StrEnum, so mypy checks those)."""
    return isinstance(node, ast.JoinedStr | ast.BinOp) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _audit_actions(*, tests: bool) -> Iterator[tuple[str, ast.expr]]:
    """(where, expression) of every `action=` given to audit_log in the code (or in the tests)."""
    for where, call in _calls(_modules(tests=tests)):
        if _name(call.func) == "audit_log":
            for kw in call.keywords:
                if kw.arg == "action":
                    for value in _values(kw.value):
                        yield where, value


def test_every_audit_action_in_the_code_is_an_enum_member():
    loose = [f"{where}: {ast.unparse(value)}" for where, value in _audit_actions(tests=False) if _literal(value)]
    assert not loose, "use the app's codes.AuditAction:\n" + "\n".join(loose)


def test_every_error_code_in_the_code_is_an_enum_member():
    loose = []
    for where, call in _calls(_modules(tests=False)):
        if _name(call.func) not in EXCEPTIONS:
            continue
        candidates = [kw.value for kw in call.keywords if kw.arg == "code"]
        if _name(call.func) == "ApplicationError" and call.args:
            candidates.append(call.args[0])
        loose += [f"{where}: {ast.unparse(v)}" for v in candidates if isinstance(v, ast.Constant)]
    assert not loose, "use the app's codes.ErrorCode:\n" + "\n".join(loose)


def test_tests_record_only_actions_the_code_writes():
    # An audit test that records a made-up action proves nothing about the trail the code writes.
    made_up = [
        f"{where}: {value.value!r}"
        for where, value in _audit_actions(tests=True)
        if isinstance(value, ast.Constant) and value.value not in ALL_ACTIONS
    ]
    assert not made_up, "\n".join(made_up)


def test_every_workflow_transition_has_its_audit_action():
    assert {f"submission.{action}" for action in TRANSITIONS} <= {str(m) for m in ReportingAction}
    assert {f"proposal.{action}" for action in PROPOSAL_TRANSITIONS} <= {str(m) for m in ProposalsAction}


@pytest.mark.parametrize("action", sorted(ALL_ACTIONS - LEGACY_ACTIONS))
def test_audit_actions_are_named_object_dot_verb(action):
    assert STYLE.match(action), action


@pytest.mark.parametrize("enum", [*ACTION_ENUMS, *ERROR_ENUMS])
def test_member_names_spell_their_values(enum):
    # one style for the Python side too: AuditAction.SUBMISSION_APPROVE == "submission.approve"
    assert all(m.name == m.value.replace(".", "_").upper() for m in enum)


def test_openapi_lists_every_error_code(client):
    # given the API's schema
    schema = client.get("/api/v1/openapi.json").json()
    error_out = schema["components"]["schemas"]["ErrorOut"]
    # then the error body keeps its shape and its code names every app's codes
    assert set(error_out["properties"]) == {"code", "message", "details"}
    description = error_out["properties"]["code"]["description"]
    every = {str(m) for enum in ERROR_ENUMS for m in enum}
    assert set(error_codes()) == every
    assert all(f"`{code}`" in description for code in every)
