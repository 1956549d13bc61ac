"""The Azure Functions app: exactly one FunctionApp, built from Blueprints.

Loaded by the worker as `import function_app` (see function_app.py beside this package). Importing it
must stay light: the webhook answers Graph within its deadline on a cold start.
"""

from __future__ import annotations

import azure.functions as func

import telemetry
from function_app import http_triggers, preflight, worker_triggers
from function_app.bot import triggers as bot_triggers

telemetry.redact_logs()  # no staff address in any log record, whoever ships it (telemetry/)

app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)
app.register_blueprint(http_triggers.bp)
app.register_blueprint(worker_triggers.bp)
app.register_blueprint(preflight.bp)
app.register_blueprint(bot_triggers.bp)
