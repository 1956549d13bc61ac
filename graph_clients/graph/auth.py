"""Which azure-identity credential the Graph adapters use (no secret ever lives in the repo).

- In Azure (IRO_USE_MANAGED_IDENTITY=true, or the Functions host's IDENTITY_ENDPOINT is set): the
  app's managed identity (IRO_CLIENT_ID names a user-assigned one; empty means system-assigned).
- Elsewhere with IRO_CERTIFICATE_PATH: the app registration's client certificate (a PEM with its
  private key, kept outside the repo).
- Otherwise DefaultAzureCredential (environment, workload identity, Azure CLI login, ...).
The async (`azure.identity.aio`) credentials are used because the SDK runs on an event loop.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from rules.errors import InputError

from .settings import ENV, GraphSettings

GRAPH_SCOPE = "https://graph.microsoft.com/.default"


def credential_kind(settings: GraphSettings, environ: Mapping[str, str] | None = None) -> str:
    """'managed_identity', 'certificate' or 'default': which credential `make_credential` builds."""
    env = os.environ if environ is None else environ
    if settings.use_managed_identity or env.get("IDENTITY_ENDPOINT"):
        return "managed_identity"
    if settings.certificate_path:
        return "certificate"
    return "default"


def make_credential(settings: GraphSettings, environ: Mapping[str, str] | None = None) -> Any:
    from azure.identity.aio import CertificateCredential, DefaultAzureCredential, ManagedIdentityCredential

    kind = credential_kind(settings, environ)
    if kind == "managed_identity":
        return ManagedIdentityCredential(client_id=settings.client_id or None)
    if kind == "certificate":
        if not (settings.tenant_id and settings.client_id):
            raise InputError(
                f"{ENV['certificate_path']} is set but {ENV['tenant_id']} or {ENV['client_id']} is empty",
                "set both to the app registration's tenant and client (application) ids",
            )
        if not os.path.isfile(settings.certificate_path):
            raise InputError(f"{ENV['certificate_path']}={settings.certificate_path} is not a file",
                             "point it at the PEM holding the certificate and its private key")
        return CertificateCredential(settings.tenant_id, settings.client_id, certificate_path=settings.certificate_path)
    return DefaultAzureCredential()
