"""The council's name, logo and service contact details, printed on every document.

Comes from configuration: a YAML or JSON file (`load_branding`) or any mapping (`Branding.model_validate`).
The bundled default is neutral: "Example Council", a reserved `.example` mailbox, an Ofcom drama number
and a plain placeholder logo (`assets/logo.png`, made by `python -m doc_templates.build`), never a real
council's logo.

    name: Buckinghamshire Council
    service: Independent Reviewing Service
    email: iro.service@buckinghamshire.gov.uk
    phone: 01296 000000
    address: The Gateway, Gatehouse Road, Aylesbury
    logo: logo.png          # relative to this file
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rules.errors import PolicyError

ASSETS = Path(__file__).resolve().parent / "assets"
PLACEHOLDER_LOGO = ASSETS / "logo.png"


class Branding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field("Example Council", min_length=1)
    service: str = "Independent Reviewing Service"
    email: str = "iro.service@council.example"
    phone: str = "01632 960001"
    address: str = ""
    logo: Path | None = PLACEHOLDER_LOGO

    def template_fields(self) -> dict[str, str]:
        """What a template sees as `council`: everything but the logo (which is `logo`)."""
        return self.model_dump(exclude={"logo"})


DEFAULT_BRANDING = Branding()


def load_branding(path: str | Path | None) -> Branding:
    """Branding from a YAML or JSON file; None gives the neutral default. A broken file raises PolicyError."""
    if path is None:
        return DEFAULT_BRANDING
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(str(file), "(file)", f"cannot be read ({exc.strerror})", "check the path") from None
    except UnicodeDecodeError:
        raise PolicyError(str(file), "(file)", "is not UTF-8 text", "save it as UTF-8") from None
    data = _parse(file, text)
    if isinstance(data.get("logo"), str) and not Path(data["logo"]).is_absolute():
        data["logo"] = str(file.parent / data["logo"])
    try:
        branding = Branding.model_validate(data)
    except ValidationError as exc:
        from rules.policy_file import line_of

        first = exc.errors(include_input=False, include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "(file)"
        line = line_of(text, tuple(first["loc"])) if file.suffix.lower() != ".json" else None
        raise PolicyError(str(file), f"{field} (line {line})" if line else field, first["msg"],
                          "correct the branding file at that field") from None
    if branding.logo is not None and not branding.logo.is_file():
        raise PolicyError(str(file), "logo", f"no image at {branding.logo}", "give a PNG or JPEG path, or omit logo")
    return branding


def _parse(file: Path, text: str) -> dict[str, Any]:
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyError(str(file), f"(json syntax, line {exc.lineno}, column {exc.colno})", exc.msg,
                              "correct the JSON at that line") from None
        except RecursionError:
            raise PolicyError(str(file), "(json syntax)", "lists or objects nest too deeply",
                              "write name:, email:, phone:, logo: only") from None
    else:
        from rules.policy_file import parse_yaml  # the policy's own reader: line, column and fix

        data = parse_yaml(text, str(file))
    if not isinstance(data, Mapping):
        raise PolicyError(str(file), "(file)", "is not a mapping of fields", "write name:, email:, phone:, logo:")
    return dict(data)
