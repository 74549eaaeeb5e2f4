"""Simulated voicemails from one practice whose patients have their own way of talking.

Every practice's patients talk differently; this one says "my ticker", "can't get my wind",
"the stitches came apart and there's gunk", "top up my tablets". Many of its urgent messages use no
word a red-flag rule knows, so the system misses them until reviewers correct it and the
classifier learns. Some routine messages mention alarming words in passing (over-triage), and
some admin wording lands in the wrong concern. Labels are known by construction.

Deterministic for a seed. Used by tools/simulate_reviews.py; never by the product.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

WHO = ["my husband", "my wife", "my mum", "my dad", "my son", "my daughter", "my nan", "my grandad"]
ME = ["I", "I've", "me"]
MEDS = ["metformin", "lisinopril", "amlodipine", "sertraline", "atorvastatin", "levothyroxine", "gabapentin"]
THINNERS = ["warfarin", "the Eliquis", "Xarelto", "my blood thinner tablets"]
PROCEDURES = ["knee op", "gallbladder op", "hernia op", "c-section", "hip op", "keyhole surgery"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
OPENERS = ["Hiya, it's {name}.", "Hello love, {name} here.", "Alright, this is {name}.", "Hi there.",
           "Morning, {name} calling.", ""]
CLOSERS = ["Ring me back on {phone}.", "Cheers, bye.", "My number's {phone}, ta.", "Thanks ever so much.", ""]
NAMES = ["Maggie Doyle", "Dot Parsons", "Kev Hughes", "Shaz Whitlock", "Terry Blunt", "Bev Osei", "Len Marsh"]

# (urgency, concern, templates): the practice's own phrasings.
PATTERNS: list[tuple[str, str, list[str]]] = [
    ("emergency", "symptoms", [
        "{who} has gone all floppy on the settee and I can't rouse {them} properly.",
        "{who}'s lips have gone a funny grey colour and {they} can't get {their} wind at all.",
        "{who} has necked a whole packet of {med} on purpose, I found the empty box.",
        "My ticker is hammering and it's like a great lump of lead sat on me, I'm all clammy.",
        "{who} is talking gibberish and {their} mouth has sagged down one side.",
        "{who} has gone rigid and {their} arms and legs are jerking about, it won't stop.",
    ]),
    ("urgent", "post_op", [
        "Since my {proc} the stitches have come apart and there's yellow gunk coming out.",
        "It's a week after my {proc} and I'm roasting, thermometer says 102 and I'm shivery.",
        "Back of my leg has gone fat and hot and it throbs, that's since the {proc}.",
        "The cut from the {proc} has gone angry red and it's weeping something that smells off.",
    ]),
    ("urgent", "medication", [
        "I'm on {thinner} and my gums won't quit oozing, and I've got big purple patches.",
        "Since starting the new {med} I'm covered in itchy welts and my lips feel puffy.",
        "I'm on {thinner} and my wee's gone the colour of tea with bits in.",
    ]),
    ("urgent", "symptoms", [
        "{who} isn't {themself} at all, muddled since yesterday and doesn't know what day it is.",
        "The little one is only seven weeks and feels like a hot water bottle, 100.8 on the thermometer.",
        "I'm twenty-eight weeks gone and the baby's gone quiet, hardly any kicks today.",
        "I can't stop the dark thoughts and I don't feel safe with myself tonight but I've not done anything.",
    ]),
    ("routine", "refill", [
        "Can I get my {med} topped up, I'm down to my last few.",
        "I need a fresh lot of my {med} sent over to the chemist on the high street.",
        "Running low on the {med}, can the doctor sign for more.",
    ]),
    ("routine", "scheduling", [
        "Can you shift my slot on {day}, I've got work.",
        "I need to swap my {day} one for later in the week if there's space.",
        "Can I book {who} in for a once-over sometime next week.",
    ]),
    ("routine", "records", [
        "I need a letter for my boss about the time off after the {proc}.",
        "Can somebody do the form for the DMV about my eyes, no rush.",
        "I need a copy of my jabs record for the new job.",
    ]),
    ("routine", "billing", [
        "The insurance fellas sent me a bill I don't understand, can somebody explain it.",
        "I think I've been charged twice for the same visit last month.",
    ]),
    ("routine", "test_results", [
        "Got a paper from the lab, what do the numbers mean, no rush at all.",
        "Just wondering if my bloods are back from {day}.",
    ]),
    ("routine", "symptoms", [
        "My knee's been grumbling for a month, nothing new, can I see somebody about it.",
        "I've had a tickly cough for a week, otherwise fine, just want some advice.",
    ]),
    # Alarming words in passing: the rules fire, the reviewer says routine (hard cases for new rules).
    ("routine", "records", [
        "I had the chest pain looked at last year and it was nothing, I just need a copy of the notes.",
        "The stroke clinic letter from years back, can I have a copy for my solicitor.",
    ]),
    ("routine", "scheduling", [
        "My chest x-ray needs moving from {day}, I can't get a lift.",
        "{who}'s seizure clinic follow-up, can we move it to {day}, {they}'s been fine for years.",
    ]),
]

PRONOUNS = {"my husband": ("he", "him", "his", "himself"), "my dad": ("he", "him", "his", "himself"),
            "my son": ("he", "him", "his", "himself"), "my grandad": ("he", "him", "his", "himself")}
SHE = ("she", "her", "her", "herself")


@dataclass(frozen=True)
class PracticeMessage:
    key: str
    text: str
    urgency: str
    concern: str
    pattern: int  # which template: for grouping, never shown to the model


def _phone(rng: random.Random) -> str:
    return f"five five five, {' '.join(rng.choice(['one', 'two', 'four', 'six', 'eight']) for _ in range(4))}"


def practice_messages(n: int, seed: int = 7) -> list[PracticeMessage]:
    rng = random.Random(seed)
    templates = [(u, c, t) for u, c, ts in PATTERNS for t in ts]
    out = []
    for i in range(n):
        index = rng.randrange(len(templates))
        urgency, concern, template = templates[index]
        who = rng.choice(WHO)
        they, them, their, themself = PRONOUNS.get(who, SHE)
        body = template.format(who=who, they=they, them=them, their=their, themself=themself,
                               med=rng.choice(MEDS), thinner=rng.choice(THINNERS), proc=rng.choice(PROCEDURES),
                               day=rng.choice(DAYS))
        body = body[0].upper() + body[1:]
        name = rng.choice(NAMES)
        parts = [rng.choice(OPENERS).format(name=name), body, rng.choice(CLOSERS).format(phone=_phone(rng))]
        out.append(PracticeMessage(f"practice-{seed}-{i}", " ".join(p for p in parts if p), urgency, concern, index))
    return out
