"""GET /api/preflight (the host's admin key only): `iro doctor`'s checks run inside the Function App, so Graph,
the store and Key Vault are probed as the app's own managed identity, not as the person asking.

    iro doctor --remote "https://<app>.azurewebsites.net/api/preflight?code=<master key>"

Answers 200 with the checks as JSON when all pass, 503 with the same body when any fails. Imported at
indexing like every blueprint, so the module itself imports only azure.functions; the checks load on call.
"""

from __future__ import annotations

import json

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("preflight")
@bp.route(route="preflight", methods=["GET"], auth_level=func.AuthLevel.ADMIN)
def preflight(req: func.HttpRequest) -> func.HttpResponse:
    from dataclasses import asdict

    from cli import doctor

    checks = doctor.run(doctor.environment(None))
    ok = all(c.result != doctor.FAIL for c in checks)
    return func.HttpResponse(json.dumps([asdict(c) for c in checks]), status_code=200 if ok else 503,
                             mimetype="application/json")
