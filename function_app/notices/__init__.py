"""What people hear from the app, split by concern (docs/notifications.md):

- recipients.py  who a notice reaches (the one resolver: roles on the case, owners, stage owners);
- deliver.py     one channel per notice per person, chosen by the policy (card, email or digest line);
- events.py      notices about things that happened (a resolution at a stage, a significant change, ...);
- digests.py     each person's daily digest: due soon, overdue, breaches they are told of, news;
- mails.py       the email bodies; words.py the shared words (decisions with their text, dates, roles).
"""
