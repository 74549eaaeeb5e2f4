"""ConText traps: negated, family-history, hypothetical, resolved and admin mentions keep their
reason but set no floor; a relative who is the patient, minimising and buried urgency still do."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager


@pytest.fixture(scope="module")
def rules_only():
    return Triager(RULES_DIR, model_path=None)


NO_FLOOR = [
    ("negated", "I don't have any chest pain, just a cough"),
    ("negated", "no shortness of breath and no fever"),
    ("negated", "I'm not short of breath at all"),
    ("family", "my mother had chest pain before her heart attack"),
    ("family", "chest pain and heart attacks run in my family"),
    ("hypothetical", "if I get short of breath should I go to the ER"),
    ("hypothetical", "what do I do in case the incision starts bleeding"),
    ("historical", "I had chest pain last month but it went away"),
    ("historical", "the heavy bleeding stopped after ten minutes"),
    ("admin", "I have a question about the bill for my chest pain visit"),
    ("historical", "a few years back I had a seizure, now I need a form for my new job"),
    ("historical", "I had some chest pain two years ago and it turned out to be heartburn"),
    ("negated", "the insert says it may bring on suicidal thoughts, I haven't noticed anything like that"),
    ("hypothetical", "the label says this pill can cause shortness of breath, is that common"),
    ("admin", "I got the statement and I can't breathe, nine hundred dollars for a blood test"),
    ("hypothetical", "how much tylenol would be an overdose for someone my size"),
    ("historical", "lab here, the critical potassium from Tuesday was already acknowledged by the doctor"),
    ("historical", "she accidentally took two of her brother's pills, the nurse line told us she would be fine"),
    ("hypothetical", "I'm so mortified I want to die, but can I book a visit about a wart"),
    ("negated", "the patient denies fever, sweating, chest pain, she needs her refill sent"),
    ("negated", "he denies chest pain, shortness of breath and dizziness, calling to book the echo"),
    ("historical", "I had chest pain the week before last, but it went away and the stress test was normal"),
    ("historical", "kidney center calling, the potassium of 6.9 was treated and we informed the kidney doctor"),
    ("historical", "question about the ER charges from when he had his seizure over the holidays"),
    ("historical", "I had a seizure in high school and the licence form asks about it"),
    ("historical", "my mother fainted at a family party last summer, the cardiologist wants her records"),
    # triage9 (own wording)
    ("negated", "my daughter has been moody on the new pill, she hasn't mentioned anything about hurting herself"),
    ("historical", "I overdosed once when I was seventeen, it's been twelve years, the insurer wants the file"),
    ("historical", "I'd like a follow-up visit about the chest pain I was seen for at urgent care"),
    ("historical", "lab calling back about the critical sodium, Dr. Lee already took the call, fax it back"),
    ("hypothetical", "my class read a book about suicide and my son has questions, he's doing fine"),
]


@pytest.mark.parametrize(("context", "text"), NO_FLOOR, ids=[t for _, t in NO_FLOOR])
def test_context_mentions_set_no_floor(rules_only, context, text):
    assert rules_only.triage(text).urgency == "routine"


@pytest.mark.parametrize(("context", "text"), NO_FLOOR, ids=[t for _, t in NO_FLOOR])
def test_context_mentions_stay_visible_as_reasons(rules_only, context, text):
    reasons = rules_only.triage(text).reasons
    assert any(r.kind == "context" and r.context == context for r in reasons)


STILL_URGENT = [
    ("emergency", "my husband is having chest pain right now"),
    ("emergency", "my mother can't breathe"),
    ("emergency", "it's probably nothing but I've had chest pressure for an hour"),
    ("emergency", "I need to ask about parking and my insurance card changed, and also I can't catch my breath"),
    ("emergency", "please return my call, my chest hurts"),
    ("emergency", "I'm not sure if this is urgent, my chest hurts"),
    ("emergency", "let me know if you need anything else, my husband passed out"),
    ("emergency", "no fever and now my chest hurts"),
    ("urgent", "I'm not sure if it matters but I had surgery Monday and have a fever of 101.5"),
    ("emergency", "my dad's chest is hurting really bad"),
    ("emergency", "my mom's face looks droopy on the left"),
    ("emergency", "I paid the bill last week, but now my chest hurts"),
    ("emergency", "I had a seizure years ago and today she had a seizure again"),
    ("emergency", "poison control said he would be fine but now he's vomiting and very sleepy after the pills"),
    ("emergency", "how much is too much, I already took a whole bottle of tylenol an hour ago"),
    # A relative's "had" is their problem now when the sentence says when: the caller is reporting it.
    ("emergency", "my dad had chest pain this morning and he is sweating"),
    ("emergency", "my mom had chest pain an hour ago and she still feels it"),
    # "not" + a verb is a symptom, not a denial of what follows
    ("emergency", "she's not making any sense and one side of her face is drooping"),
    # the patient's own word is not a clearance
    ("emergency", "my dad swallowed the whole bottle of his sleeping pills, he says he's fine"),
    # a bare list item after a single denial, or followed by when it started, is asserted
    ("emergency", "no fever, cough, chest pain since this morning"),
    ("emergency", "no fever, no cough, chest pain since this morning"),
    # "passed gas" and "stopped drinking" are not a problem passing or stopping
    ("urgent", "I keep throwing up since the hernia repair and I haven't passed gas since yesterday"),
    # triage9: the new past and story cues reach only what they name
    ("emergency", "when I was 40 I had a heart attack, and now my chest hurts again since this morning"),
    ("emergency", "he hasn't said much all day and now he says he wants to kill himself"),
    ("emergency", "after the show about the war he said he's going to shoot himself tonight"),
]


@pytest.mark.parametrize(("urgency", "text"), STILL_URGENT, ids=[t for _, t in STILL_URGENT])
def test_asserted_red_flags_keep_their_floor(rules_only, urgency, text):
    assert rules_only.triage(text).urgency == urgency


def test_a_denial_does_not_reach_past_a_comma_into_a_new_clause(rules_only):
    assert rules_only.triage("no fever, chest pain since this morning").urgency == "emergency"


def test_a_list_of_denials_joined_by_or_stays_denied(rules_only):
    assert rules_only.triage("no chest pain, shortness of breath, or dizziness").urgency == "routine"


@pytest.mark.parametrize("text", ["I had a seizure a year ago, I need a refill of my Keppra",
                                  "I had a seizure in 2015, I need a letter for the DMV",
                                  "I fainted once when I was a teenager, the form asks about it"])
def test_a_past_event_dated_after_the_words_sets_no_floor(rules_only, text):
    assert rules_only.triage(text).urgency == "routine"
