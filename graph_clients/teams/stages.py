"""The stages of the dispute resolution process and who answers at each (004 s5, Appendix 1)."""

from __future__ import annotations

from enum import StrEnum

from rules.errors import InputError


class Stage(StrEnum):
    STAGE1 = "stage1"    # Team Manager: meeting within 5 days, written response within 10 (004 s5.1-5.2)
    STAGE2 = "stage2"    # Head of Service: 5 working days to respond (004 s5)
    STAGE3 = "stage3"    # Service Director (004 s5)
    AD_QA = "ad_qa"      # not resolved in timescale: Assistant Director, Quality Assurance (004 Appendix 1)


LABELS = {
    Stage.STAGE1: "Stage 1: Team Manager",
    Stage.STAGE2: "Stage 2: Head of Service",
    Stage.STAGE3: "Stage 3: Service Director",
    Stage.AD_QA: "Assistant Director, Quality Assurance",
}

# The roster role (rules.model.Person.role) that answers at each stage.
OWNER_ROLE = {
    Stage.STAGE1: "tm",
    Stage.STAGE2: "hos",
    Stage.STAGE3: "service_director",
    Stage.AD_QA: "ad_qa",
}

ROLE_LABELS = {
    "iro": "IRO",
    "sw": "Social worker",
    "tm": "Team manager",
    "hos": "Head of Service",
    "service_director": "Service Director",
    "ad_qa": "AD Quality Assurance",
    "iro_manager": "IRO service manager",
}


def stage(value: str | int | Stage) -> Stage:
    """Accepts "stage2", 2 or "2", and "ad_qa"; anything else is refused with the accepted values."""
    text = str(value).strip().lower()
    if text.isdigit():
        text = f"stage{text}"
    try:
        return Stage(text)
    except ValueError:
        raise InputError(
            f"unknown resolution stage '{value}'", "use stage1, stage2, stage3 or ad_qa (004 s5, Appendix 1)"
        ) from None


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.replace("_", " ").capitalize() if role else "")
