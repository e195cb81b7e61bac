"""Word lists that make seeded tasks read like real ones, with no external data.

Titles and descriptions are built from templates, so that a search word matches a
realistic share of rows (``SEARCH_WORD`` is in a few per cent of the tasks) instead of
all or none of them.
"""

from __future__ import annotations

import random

VERBS = (
    "Review", "Update", "Prepare", "Send", "Call", "Fix", "Plan", "Book", "Draft", "Check",
    "Clean", "Order", "Write", "Finish", "Schedule", "Organise", "Pay", "Renew", "Sort out",
    "Follow up on", "Test", "Deploy", "Cancel", "Archive", "Print", "Sign", "Research",
    "Compare", "Buy", "Return", "Repair", "Migrate", "Document", "Share", "Approve",
)
NOUNS = (
    "report", "invoice", "budget", "presentation", "newsletter", "contract", "roadmap",
    "dentist appointment", "car insurance", "tax return", "birthday gift", "team lunch",
    "release notes", "database backup", "website copy", "expense claim", "kitchen sink",
    "garden fence", "flight tickets", "hotel booking", "onboarding checklist", "slides",
    "quarterly review", "client proposal", "meeting notes", "bike", "passport", "laptop",
    "phone plan", "gym membership", "library books", "recipe list", "grocery list",
    "holiday photos", "wedding speech", "job application", "cover letter", "bank statement",
    "electricity bill", "water filter", "server logs", "API docs", "test suite", "invoice template",
    "survey results", "design mockups", "press release", "training plan", "volunteer rota",
    "school forms", "vet appointment", "parking permit", "boiler service", "window blinds",
)
QUALIFIERS = (
    "", "", "", "", "for Monday", "before Friday", "for the team", "with Sam", "for Q3",
    "for Q4", "this week", "next month", "(urgent)", "again", "for Alex", "with the landlord",
    "for the board", "at home", "for the office", "and tidy up",
)
SENTENCES = (
    "Remember to {verb} the {noun} before the deadline.",
    "Ask {person} whether the {noun} is still needed.",
    "The {noun} from last time is in the shared folder.",
    "Waiting on {person} for the final numbers.",
    "Needs a second pair of eyes on the {noun}.",
    "Check the {noun} against last year's figures.",
    "Bring the {noun} to the next meeting.",
    "{person} said it can wait until after the {noun}.",
    "Blocked until the {noun} is signed off.",
    "Keep it short: one page at most.",
    "Link the {noun} in the ticket when done.",
    "Prices went up, compare at least three offers.",
    "Set a reminder a day before.",
    "Call {person} if anything changes.",
)
PEOPLE = ("Sam", "Alex", "Priya", "Jordan", "Maria", "Chen", "Fatima", "Tom", "Olga", "Luis")

# Common enough to return real pages, rare enough that the search has to filter.
SEARCH_WORD = "report"


def title(rng: random.Random) -> str:
    qualifier = rng.choice(QUALIFIERS)
    text = f"{rng.choice(VERBS)} {rng.choice(NOUNS)}"
    return f"{text} {qualifier}" if qualifier else text


def description(rng: random.Random) -> str | None:
    """None for a quarter of the tasks, else one to three sentences."""
    if rng.random() < 0.25:
        return None
    parts = []
    for _ in range(rng.randint(1, 3)):
        parts.append(
            rng.choice(SENTENCES).format(
                verb=rng.choice(VERBS).lower(), noun=rng.choice(NOUNS), person=rng.choice(PEOPLE)
            )
        )
    return " ".join(parts)
