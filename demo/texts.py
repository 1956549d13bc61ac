"""The wording of the demo's emails and review decisions: plain social-work English, no names of children.

A child appears only as `{who}`: the two invented initials of `Council.display_initials` or "the child".
Significant-change texts each carry the phrases of one 004 Appendix 2 kind from the policy file's
`significant_changes` keywords (rules/policies/buckinghamshire.yaml), and avoid every other kind's, so the
real classifier (rules/mail.py) files each under the kind intended; the tests check this.
"""

from __future__ import annotations

# 004 Appendix 2, by the policy's ids: (free subject, body). Subjects are used for about a third of the
# notifications (the rest say "Significant change CLA-..."); `{ref}` is the case reference.
SIGNIFICANT_CHANGES: dict[str, tuple[str, str]] = {
    "care_plan_change": (
        "{ref} care plan",
        "Following the professionals meeting there is a proposed change of care plan for {who}, from a "
        "return to parents to long-term fostering. I will send the updated plan before the next review.",
    ),
    "decisions_not_carried_out": (
        "{ref} outstanding review actions",
        "I need to let you know that two review decisions for {who} were not carried out within timescale: "
        "the dental check and the PEP meeting are both still outstanding. I expect both by the end of the "
        "month.",
    ),
    "family_time_change": (
        "{ref} family time",
        "Family time with mum has been reduced to monthly and will now be supervised after the last two "
        "sessions were cancelled at short notice. {Who} has been told and we are keeping this under review.",
    ),
    "social_worker_change": (
        "{ref} new allocated social worker",
        "Please note a change of allocated social worker for {who}: I am the new allocated social worker from "
        "this week and will arrange to visit in the next ten days.",
    ),
    "safeguarding": (
        "{ref} strategy discussion",
        "A strategy discussion was held this morning after a disclosure at school, and s47 enquiries have "
        "started. {Who} is staying with the current carers while the enquiries take place.",
    ),
    "complaint": (
        "{ref} complaint received",
        "The carers have made a formal complaint on behalf of {who} about the cancellation of the planned "
        "activity week. It has been logged with the complaints team.",
    ),
    "placement_change": (
        "{ref} placement update",
        "Placement ended unexpectedly last night, {who} moved to emergency carers. The carers gave notice "
        "after a difficult weekend; we are looking for a longer-term home in the same school area.",
    ),
    "birth_family_change": (
        "{ref} birth family news",
        "The birth mother has had a baby and the new sibling is subject to a pre-birth plan. {Who} does not "
        "know yet; we will plan with the carers how to share this.",
    ),
    "offending": (
        "{ref} police involvement",
        "{Who} was arrested on Saturday and has been charged with criminal damage. The youth offending "
        "service is involved and the first court date is next month.",
    ),
    "school_exclusion": (
        "{ref} school",
        "{Who} has received a fixed term exclusion of five days following an incident in class. The virtual "
        "school is arranging a reintegration meeting.",
    ),
    "missing_or_exploitation": (
        "{ref} missing episode",
        "{Who} was reported missing from placement overnight and returned this morning. A return home "
        "interview is booked and there are concerns about exploitation, which I have passed to the MACE lead.",
    ),
    "health_event": (
        "{ref} hospital admission",
        "{Who} was admitted to hospital yesterday after a serious accident on a bike and is expected to stay "
        "for a few days. The carers are with {who} and I will update you after the ward round.",
    ),
    "permanency_panel": (
        "{ref} panel outcome",
        "The adoption panel met on Tuesday and the agency decision maker has agreed the plan for {who}. "
        "Matching will start next month.",
    ),
}

# Emails that carry a case reference but nothing the classifier can file (subject, body).
UNCLASSIFIABLE: tuple[tuple[str, str], ...] = (
    ("{ref}", "Please see attached. Thanks"),
    ("{ref} - quick question", "Could you give me a ring when you have a moment? Thanks"),
    ("Re: {ref}", "Sorry, wrong thread, please ignore my last message."),
)
NO_REFERENCE = ("Catch up next week", "Are you free on Thursday afternoon for a catch up before the team meeting?")

# 004 Appendix 1 categories: the concern in neutral words (docs/domain.md s4).
CONCERNS: dict[int, str] = {
    1: "The updated assessment and care plan were not available before the review.",
    2: "The care plan has not progressed since the last review and I cannot agree it in its present form.",
    3: "Neither the social worker nor a team manager attended the review.",
    4: "Decisions from the previous review have not been carried out within the agreed timescales.",
    5: "Statutory visits have not taken place within the required timescales.",
    6: "The child has not been seen alone by the social worker since the last review.",
    7: "The review health assessment is out of timescale.",
    8: "Health needs identified at the last review are not being met.",
    9: "There is drift in permanency planning: no permanency plan was presented at the second review.",
    10: "The PEP is not up to date.",
    11: "Identified education needs are not being met.",
    12: "I was not notified of significant events on this case in good time.",
    13: "The final care plan was not referred to me for approval before it was filed.",
}

RESPONSES = (
    "Thank you for raising this. I have met the social worker and we have agreed the actions; they will be "
    "completed by {by} and I will confirm to you when they are done.",
    "I accept the concern. The social worker has been given protected time this week and the outstanding "
    "work will be completed by {by}.",
)
RESPONSE_DISAGREE = (
    "I do not agree that the plan has drifted: the team's view is that the current plan is proceeding and "
    "the assessment will be filed with the court. I am happy to meet to discuss."
)
RESOLVED = (
    "The concern raised under {rid} is resolved: the actions agreed have been completed and checked with the "
    "social worker.",
)
GOOD_PRACTICE = (
    "The social worker prepared {who} well for the review and the consultation forms were returned in good "
    "time; recording this as good practice.",
    "The team manager responded to the concern within the week and the actions were completed quickly; "
    "recording this as good practice.",
)
CAFCASS_DISCUSSION = (
    "I would like to discuss a referral to Cafcass for this case before I make it, as resolution {rid} has "
    "not resolved the drift in permanency planning. Could we speak this week?"
)
CAFCASS_REFERRAL = (
    "Following our discussion I have today referred this case to Cafcass under resolution {rid}. The child's "
    "guardian has been informed."
)
DISPUTE_REASONS = (
    "the assessment it asks for was completed last month and is on the record",
    "the timescale cannot be met while the court timetable is running",
    "the team does not hold the budget for this and it needs a panel decision first",
)

# Review decisions (000 standard 5): (text, role of the named person).
DECISIONS: tuple[tuple[str, str], ...] = (
    ("Care plan to be updated to reflect the plan agreed at this review", "sw"),
    ("Personal education plan to be reviewed with the designated teacher", "sw"),
    ("Review health assessment to be requested from the health team", "sw"),
    ("Life story work to begin, with support from the carers", "sw"),
    ("Family time arrangements to be reviewed and written into the plan", "sw"),
    ("Sibling assessment to be completed and shared with the IRO", "sw"),
    ("Statutory visits to continue at least every six weeks, with time alone", "sw"),
    ("Permanency plan to be presented at the next review", "tm"),
    ("Placement plan to be signed and added to the record", "tm"),
    ("Dental check to be booked", "sw"),
    ("CAMHS referral to be followed up and the outcome shared", "sw"),
    ("Consultation form to be completed with the young person before the next review", "iro"),
    ("Midway check on the progress of the plan", "iro"),
)
