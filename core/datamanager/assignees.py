"""Task assignment from the data manager (teams): actions on a selection and Label Studio
Enterprise's ``POST /api/projects/{id}/tasks/assignees`` (``{type, users, selectedItems,
filters}``). Each is one set-based statement over the selected-ids subquery."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..projects.models import Project
from ..projects.service import get_project
from ..specs import ActionSpec
from ..teams import assignments
from ..teams.permissions import Role
from ..teams.service import list_memberships
from ..teams.visibility import ANNOTATE, REVIEW
from .actions import ActionContext
from .query import parse_query
from .selection import selected_ids


def _user_ids(raw: Any) -> list[int]:
    """The form's ``users`` (a list, a comma-separated string or one id) as ids."""
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    try:
        return [int(i) for i in items if str(i).strip()]
    except ValueError:
        raise ValidationFailed("users must be user ids.", validation_errors={"users": ["must be user ids"]}) from None


async def _people_form(db: AsyncSession, project: Project, *, roles: str, with_type: bool = False) -> list[dict[str, Any]]:
    wanted = [Role(code) for code in roles.split(",")]
    _, members = await list_memberships(db, roles=wanted, search=None, page=1, page_size=1000)
    options = [
        {"value": m["user"]["id"], "label": _name(m["user"]) + f" ({m['role_label']})"} for m in members
    ]
    fields: list[dict[str, Any]] = [{"type": "multiselect", "name": "users", "label": "People", "options": options}]
    if with_type:
        fields.append({"type": "select", "name": "type", "label": "Assignment",
                       "options": [{"value": "", "label": "Annotators and reviewers"},
                                   {"value": ANNOTATE, "label": "Annotators"}, {"value": REVIEW, "label": "Reviewers"}]})
    return [{"columnCount": 1, "fields": fields}]


def _name(user: dict[str, Any]) -> str:
    full = f"{user.get('first_name') or ''} {user.get('last_name') or ''}".strip()
    return full or user["email"]


_WORKERS = "AN,RE,MA,AD,OW"


async def annotators_form(db: AsyncSession, project: Project) -> list[dict[str, Any]]:
    return await _people_form(db, project, roles=_WORKERS)


async def reviewers_form(db: AsyncSession, project: Project) -> list[dict[str, Any]]:
    return await _people_form(db, project, roles="RE,MA,AD,OW")


async def unassign_form(db: AsyncSession, project: Project) -> list[dict[str, Any]]:
    return await _people_form(db, project, roles=_WORKERS, with_type=True)


async def _assign(ctx: ActionContext, kind: str, *, spread: bool = False) -> dict[str, Any]:
    users = await assignments.check_users(ctx.db, _user_ids(ctx.params.get("users")))
    run = assignments.distribute if spread else assignments.assign
    count = await run(ctx.db, ctx.project.id, ctx.selected_ids(), users, kind)
    what = "reviewer" if kind == REVIEW else "annotator"
    return {"processed_items": count, "detail": f"Made {count} {what} assignments", "reload": True}


async def assign_annotators(ctx: ActionContext) -> dict[str, Any]:
    return await _assign(ctx, ANNOTATE)


async def distribute_annotators(ctx: ActionContext) -> dict[str, Any]:
    return await _assign(ctx, ANNOTATE, spread=True)


async def assign_reviewers(ctx: ActionContext) -> dict[str, Any]:
    return await _assign(ctx, REVIEW)


async def unassign_users(ctx: ActionContext) -> dict[str, Any]:
    users = _user_ids(ctx.params.get("users"))
    if users:
        users = await assignments.check_users(ctx.db, users)
    kind = assignments.check_type(ctx.params["type"]) if ctx.params.get("type") else None
    count = await assignments.unassign(ctx.db, ctx.project.id, ctx.selected_ids(), users or None, kind)
    return {"processed_items": count, "detail": f"Removed {count} assignments", "reload": True}


def _dialog(title: str, text: str) -> dict[str, Any]:
    return {"title": title, "text": text, "type": "confirm", "form": None}


def assignment_action_specs() -> list[ActionSpec]:
    return [
        ActionSpec(name="assign_annotators", title="Assign annotators", function=assign_annotators, order=120,
                   permission="tasks.assign", form=annotators_form,
                   dialog=_dialog("Assign annotators", "Every chosen person is assigned to every selected task.")),
        ActionSpec(name="distribute_annotators", title="Distribute among annotators", function=distribute_annotators,
                   order=121, permission="tasks.assign", form=annotators_form,
                   dialog=_dialog("Distribute among annotators",
                                  "The selected tasks without an annotator are spread evenly over the chosen people.")),
        ActionSpec(name="assign_reviewers", title="Assign reviewers", function=assign_reviewers, order=122,
                   permission="tasks.assign", form=reviewers_form,
                   dialog=_dialog("Assign reviewers", "Every chosen person reviews every selected task.")),
        ActionSpec(name="unassign_users", title="Unassign", function=unassign_users, order=123,
                   permission="tasks.assign", form=unassign_form,
                   dialog=_dialog("Unassign", "Remove the chosen people (none chosen: everyone) from the selected tasks.")),
    ]


@post(
    "/api/projects/{project_id:int}/tasks/assignees",
    operation_id="tasks_bulk_assign",
    tags=["Task assignments"],
    status_code=HTTP_200_OK,
    opt={"permission": "tasks.assign"},
)
async def bulk_assign(db: AsyncSession, request: Request[Any, Any, Any], project_id: int) -> dict[str, Any]:
    """Label Studio Enterprise's bulk assignment: ``{"type": "AN"|"RE", "users": [ids],
    "selectedItems": {"all", "included"|"excluded"}, "filters": {...}}``."""
    body = await request.json() if await request.body() else {}
    if not isinstance(body, dict):
        raise ValidationFailed("The body must be a JSON object.", validation_errors={"body": ["must be an object"]})
    project = await get_project(db, project_id)
    kind = assignments.check_type(body.get("type"))
    users = await assignments.check_users(db, body.get("users"))
    if body.get("selectedItems") is None:
        message = "selectedItems is required: {\"all\": true} or {\"all\": false, \"included\": [ids]}."
        raise ValidationFailed(message, validation_errors={"selectedItems": [message]})
    query = parse_query({"filters": body.get("filters"), "selectedItems": body["selectedItems"]})
    count = await assignments.assign(db, project.id, selected_ids(db, project.id, query), users, kind)
    return {"assignments": count}

