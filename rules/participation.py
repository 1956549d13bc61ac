"""The child's participation in a review as the SSDA903 return codes it (REVIEW_CODE, PN0-PN7).

Source: DfE, Children looked after return (SSDA903), guidance for data item REVIEW_CODE ("Participation of
the child in the review"). One code per review. The review record asks the IRO to tick one of these
(doc_templates/build.py), and the read-back (doc_templates/record_fields.py) turns the tick into the code.
"""

from __future__ import annotations

PARTICIPATION: dict[str, str] = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child physically attends and speaks for themselves",
    "PN2": "Child physically attends and an advocate speaks on their behalf",
    "PN3": "Child attends and conveys their view symbolically (non-verbally)",
    "PN4": "Child physically attends but does not speak for themselves, does not convey their view "
           "symbolically and does not ask an advocate to speak for them",
    "PN5": "Child does not attend physically but briefs an advocate to speak for them",
    "PN6": "Child does not attend but conveys their feelings to the review by a facilitative medium",
    "PN7": "Child does not attend nor are their views conveyed to the review",
}
