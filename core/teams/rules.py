"""Which permission every core route needs: the route half of the permission matrix.

A route's rule is, in order: ``opt={"public": True}`` (anyone), a ``requires(...)`` guard on
the handler (it checks itself), ``opt={"permission": "<name>"}`` on the handler (how plugins and
new code declare one), or a line below. A route with no rule is open to owners, administrators
and managers only (as open as before roles, closed to reviewers and annotators), and
tests/teams/test_route_matrix.py fails until it gets one.

The project a check applies to is found from the route's parameters (``scope.py``), so a rule is
just a permission name.
"""

from __future__ import annotations

import re

from .permissions import PERMISSIONS, PUBLIC

# "METHODS path permission"; paths as Litestar registers them (with converters). The API docs
# are public as before (the request middleware does not even authenticate them).
_TABLE = """
GET           /api/current-user                                    account.use
PATCH         /api/current-user                                    account.use
POST          /api/current-user/password                           account.use
POST          /api/current-user/reset-token                        account.use
GET           /api/current-user/token                              account.use
GET           /api/current-user/whoami                             account.use
POST          /api/auth/logout                                     account.use
GET,POST      /api/token                                           account.use
DELETE        /api/token/{token_id:int}                            account.use
GET           /api/users                                           account.use
GET           /api/users/{user_id:int}                             account.use
POST          /api/users                                           organization.manage
PATCH,DELETE  /api/users/{user_id:int}                             account.use
GET           /api/invite                                          organization.manage
POST          /api/invite/reset-token                              organization.manage
GET           /api/plugins                                         account.use
GET           /api/templates                                       account.use
POST          /api/labeling/tree                                   account.use
GET           /api/jobs                                            jobs.view
GET           /api/jobs/{job_id:int}                               jobs.view
GET,POST      /api/webhooks                                        projects.manage
GET           /api/webhooks/info                                   projects.manage
GET,PUT,PATCH,DELETE /api/webhooks/{webhook_id:int}                projects.manage
GET           /api/webhooks/{webhook_id:int}/deliveries            projects.manage
GET           /api/webhooks/{webhook_id:int}/deliveries/{delivery_id:int} projects.manage
GET           /api/projects                                        account.use
GET           /api/projects/counts                                 account.use
POST          /api/projects                                        projects.create
POST          /api/projects/validate                               projects.create
GET           /api/projects/{project_id:int}                       projects.view
PATCH,DELETE  /api/projects/{project_id:int}                       projects.manage
POST          /api/projects/{project_id:int}/duplicate             projects.manage
POST          /api/projects/{project_id:int}/validate              projects.manage
GET           /api/projects/{project_id:int}/summary               projects.view
GET           /api/projects/{project_id:int}/next                  annotations.create
GET           /api/projects/{project_id:int}/tasks                 tasks.view
DELETE        /api/projects/{project_id:int}/tasks                 tasks.manage
POST          /api/projects/{project_id:int}/import                tasks.manage
GET           /api/projects/{project_id:int}/import/formats        tasks.manage
POST          /api/projects/{project_id:int}/import/predictions    annotations.manage
GET,DELETE    /api/projects/{project_id:int}/file-uploads          tasks.manage
GET,DELETE    /api/import/file-upload/{upload_id:int}              tasks.manage
GET           /api/projects/{project_id:int}/export                data.export
GET           /api/projects/{project_id:int}/export/formats        data.export
GET,POST      /api/projects/{project_id:int}/exports               data.export
GET,DELETE    /api/projects/{project_id:int}/exports/{export_id:int} data.export
POST          /api/projects/{project_id:int}/exports/{export_id:int}/convert data.export
GET           /api/projects/{project_id:int}/exports/{export_id:int}/download data.export
POST          /api/projects/{project_id:int}/label-changes/apply   projects.manage
POST          /api/projects/{project_id:int}/label-changes/preview projects.manage
GET           /api/projects/{project_id:int}/model-versions        annotations.view
DELETE        /api/projects/{project_id:int}/model-versions        annotations.manage
GET           /api/tasks                                           tasks.view
POST          /api/tasks                                           tasks.manage
GET           /api/tasks/{task_id:int}                             tasks.view
PATCH,DELETE  /api/tasks/{task_id:int}                             tasks.manage
GET           /api/tasks/{task_id:int}/annotations                 annotations.view
POST          /api/tasks/{task_id:int}/annotations                 annotations.create
POST          /api/tasks/{task_id:int}/annotations/{annotation_id:int}/drafts annotations.create
GET,POST      /api/tasks/{task_id:int}/drafts                      annotations.create
GET           /api/annotations/{annotation_id:int}                 annotations.view
PATCH,DELETE  /api/annotations/{annotation_id:int}                 annotations.create
GET,PATCH,DELETE /api/drafts/{draft_id:int}                        annotations.create
GET           /api/predictions                                     annotations.view
POST          /api/predictions                                     annotations.manage
GET           /api/predictions/{prediction_id:int}                 annotations.view
PATCH,DELETE  /api/predictions/{prediction_id:int}                 annotations.manage
GET           /api/dm/actions                                      tasks.view
POST          /api/dm/actions                                      tasks.view
GET           /api/dm/actions/{action_id:str}/form                 tasks.view
GET           /api/dm/columns                                      tasks.view
GET           /api/dm/project                                      projects.view
GET           /api/dm/views                                        tasks.view
POST          /api/dm/views                                        tasks.view
POST          /api/dm/views/order                                  tasks.view
POST,DELETE   /api/dm/views/reset                                  tasks.manage
GET,PUT,PATCH /api/dm/views/{view_id:int}                          tasks.view
DELETE        /api/dm/views/{view_id:int}                          tasks.manage
GET           /data/upload/{file_path:path}                        account.use
GET           /api/ml                                              projects.view
POST          /api/ml                                              projects.manage
GET           /api/ml/{backend_id:int}                             projects.view
PATCH,DELETE  /api/ml/{backend_id:int}                             projects.manage
GET           /api/ml/{backend_id:int}/versions                    projects.view
POST          /api/ml/{backend_id:int}/interactive-annotating      annotations.create
POST          /api/ml/{backend_id:int}/predict                     annotations.manage
POST          /api/ml/{backend_id:int}/predict/test                projects.manage
POST          /api/ml/{backend_id:int}/train                       projects.manage
POST          /api/ml/tasks/{task_id:int}/predictions              annotations.create
GET           /api/projects/{project_id:int}/model-versions/stats  annotations.view
GET           /api/storages                                        projects.manage
GET           /api/storages/types                                  projects.manage
GET,POST      /api/storages/{kind:str}                             projects.manage
GET           /api/storages/{kind:str}/form                        projects.manage
POST          /api/storages/{kind:str}/validate                    projects.manage
GET,PATCH,DELETE /api/storages/{kind:str}/{storage_id:int}         projects.manage
POST          /api/storages/{kind:str}/{storage_id:int}/cancel     projects.manage
POST          /api/storages/{kind:str}/{storage_id:int}/sync       projects.manage
GET           /api/storages/export                                 projects.manage
GET           /api/storages/export/types                           projects.manage
GET,POST      /api/storages/export/{kind:str}                      projects.manage
GET           /api/storages/export/{kind:str}/form                 projects.manage
POST          /api/storages/export/{kind:str}/validate             projects.manage
GET,PATCH,DELETE /api/storages/export/{kind:str}/{storage_id:int}  projects.manage
POST          /api/storages/export/{kind:str}/{storage_id:int}/cancel projects.manage
POST          /api/storages/export/{kind:str}/{storage_id:int}/sync projects.manage
GET           /projects/{project_id:int}/resolve                   tasks.view
GET           /projects/{project_id:int}/presign                   tasks.view
GET           /tasks/{task_id:int}/resolve                         tasks.view
GET           /tasks/{task_id:int}/presign                         tasks.view
GET           /data/storage/{project_id:int}/resolve               tasks.view
GET           /data/storage/{project_id:int}/presign               tasks.view
GET           /data/local-files                                    account.use
GET           /docs                                                public
GET           /docs/openapi.json                                   public
GET           /docs/swagger                                        public
GET           /docs/oauth2-redirect.html                           public
GET           /docs/{path:str}                                     public
"""


def path_format(path: str) -> str:
    """``/api/tasks/{task_id:int}`` -> ``/api/tasks/{task_id}`` (Litestar's ``path_template``)."""
    return re.sub(r"\{([^}:]+):[^}]+\}", r"{\1}", path)


def _parse(table: str) -> dict[tuple[str, str], str]:
    rules: dict[tuple[str, str], str] = {}
    for line in table.strip().splitlines():
        methods, path, permission = line.split()
        if permission not in PERMISSIONS and permission != PUBLIC:
            raise KeyError(f"rules.py: unknown permission {permission!r} for {path}")
        for method in methods.split(","):
            rules[(method, path_format(path))] = permission
    return rules


ROUTE_RULES: dict[tuple[str, str], str] = _parse(_TABLE)


def add_rules(table: str) -> None:
    """Add lines in the format above (for a package whose routes are registered elsewhere)."""
    ROUTE_RULES.update(_parse(table))
