"""Write tests/data/triage_heldout.jsonl: the held-out triage evaluation set.

Written independently of the training generator (models/make_corpus.py): its own scenarios,
wording, people and framing, so `vmtriage eval triage` measures how the triage generalises.
Each scenario is one hand-written message body with its label; the script wraps bodies in
varied greetings and sign-offs and, for a share, imitates phone-ASR damage. Hard cases (traps:
negation, family, hypothetical, resolved, minimising, admin words, buried urgency, mixed
concerns, mis-hearings, Spanish) are marked `hard: true`.

    python tests/data/make_heldout.py        # deterministic (seeded)
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("triage_heldout.jsonl")

# (urgency, concern, hard-tag or "", body)
E, U, R = "emergency", "urgent", "routine"
SCENARIOS = [
    # --- emergencies, plain
    (E, "symptoms", "", "my husband is sweating and says there's a weight sitting on his chest, started twenty minutes ago"),
    (E, "symptoms", "", "I woke up with this pressure in the middle of my chest going down my left arm"),
    (E, "symptoms", "", "my dad's words are coming out all jumbled and the left side of his mouth is drooping"),
    (E, "symptoms", "", "my wife suddenly can't lift her right arm and her speech sounds slurred"),
    (E, "symptoms", "", "I'm wheezing so bad I can barely get a word out, I can hardly breathe"),
    (E, "symptoms", "", "my son ate something with peanuts and now his lips and tongue are swelling up"),
    (E, "symptoms", "", "my little girl had a seizure, she was shaking all over for two minutes"),
    (E, "symptoms", "", "my grandmother collapsed and we can't get her to wake up"),
    (E, "symptoms", "", "I swallowed about twenty of my sleeping pills on purpose"),
    (E, "symptoms", "", "my toddler got into the medicine cabinet and swallowed some of grandma's heart pills"),
    (E, "symptoms", "", "I don't want to be alive anymore and I have a plan to end it tonight"),
    (E, "symptoms", "", "my baby's lips look bluish and he's breathing really fast"),
    (E, "symptoms", "", "I cut my hand with a kitchen knife and blood is pouring out, it's soaked three towels"),
    (E, "symptoms", "", "I'm throwing up what looks like coffee grounds and I feel faint"),
    (E, "symptoms", "", "I'm 33 weeks pregnant and I've been having contractions every five minutes for an hour"),
    (E, "symptoms", "", "my chest is so tight I can't get air in, it feels like someone is squeezing it"),
    (E, "symptoms", "", "I got stung by a bee and my throat feels like it's closing, my face is swollen"),
    (E, "post_op", "", "I had my gallbladder out four days ago and now I'm soaking through pads of blood from the incision, it won't stop"),
    (E, "symptoms", "", "she fell down the stairs, hit her head and now she's not making any sense and vomiting"),
    (E, "symptoms", "", "I have the worst headache I've ever had, it came on like a thunderclap"),
    # --- emergencies, hard
    (E, "symptoms", "minimising", "I'm sure it's nothing and I hate to bother you but I've had this crushing feeling in my chest for about an hour"),
    (E, "symptoms", "minimising", "probably just indigestion but my chest has been hurting and my jaw aches and I'm kind of sweaty"),
    (E, "symptoms", "buried", "hi I wanted to ask about the parking situation for my visit next week, and whether I need to fast, and oh also my left arm and leg went numb suddenly about thirty minutes ago and I can't really smile right"),
    (E, "symptoms", "buried", "calling about my bill from March, I think I was charged twice, the account is under my husband's name, and also I should mention I'm really struggling to breathe right now, my lips feel tingly"),
    (E, "symptoms", "asr", "my chest is tied and I cant breed very well"),
    (E, "symptoms", "asr", "I'm having chess pain and it goes to my arm"),
    (E, "symptoms", "asr", "my husband's face is droopy and his speech is lured"),
    (E, "symptoms", "spanish", "tengo mucho dolor en el pecho y no puedo respirar bien"),
    (E, "symptoms", "spanish", "mi esposo se desmayó y no responde"),
    (E, "symptoms", "mixed", "I need my inhaler refilled but honestly right now I can't catch my breath even after using it twice"),
    (E, "symptoms", "family_patient", "my mother is having chest pain right now and she's sweating a lot"),
    (E, "symptoms", "family_patient", "my brother took a bunch of pills and he's really drowsy, I think it was an overdose"),
    # --- urgent, plain
    (U, "post_op", "", "I had hernia surgery five days ago and tonight my temperature is 101.8"),
    (U, "post_op", "", "my knee replacement was two weeks ago and the incision is red, hot and draining yellow stuff"),
    (U, "post_op", "", "the stitches on my belly from Tuesday's surgery have pulled apart and I can see the wound opening"),
    (U, "post_op", "", "after my hip surgery last week my calf is swollen and really painful"),
    (U, "post_op", "", "I had a c-section ten days ago and now I have a fever of 102 and chills"),
    (U, "medication", "", "I started the new blood pressure pill on Monday and my lips are a bit puffy and I'm itchy all over"),
    (U, "medication", "", "I take Eliquis and I've had a nosebleed for forty minutes that keeps coming back"),
    (U, "medication", "", "I'm on Coumadin and I noticed blood in my urine this morning"),
    (U, "medication", "", "ever since the doctor raised my dose I've been so dizzy I almost fell twice"),
    (U, "medication", "", "the antibiotic you gave me is making me throw up everything, I can't keep anything down"),
    (U, "symptoms", "", "my daughter is seven weeks old and her temperature is 100.6 rectally"),
    (U, "symptoms", "", "my newborn is only 19 days old and she feels hot, the thermometer says 100.9"),
    (U, "symptoms", "", "I'm 24 weeks pregnant and I've had some bleeding this morning"),
    (U, "symptoms", "", "I'm 35 weeks and the baby hasn't been kicking much today, way less than usual"),
    (U, "test_results", "", "this is Quest Diagnostics calling with a critical result for a patient, potassium of 6.9, please call back"),
    (U, "test_results", "", "hello this is the hospital lab, we have a critical hemoglobin on your patient that needs to be reported to a provider"),
    (U, "symptoms", "", "my 84 year old father is suddenly very confused today, he doesn't know what year it is"),
    (U, "symptoms", "", "I have a terrible pain in my lower right belly, it's a nine out of ten and getting worse"),
    (U, "symptoms", "", "my kidney stone pain is unbearable and I can't stop vomiting"),
    (U, "symptoms", "", "I've been feeling really hopeless and I'm not sleeping, I'm not going to hurt myself but I need to talk to someone today"),
    (U, "symptoms", "", "my son's testicle has been hurting really badly for the last two hours"),
    (U, "symptoms", "", "I can't see out of my right eye since this morning, it's like a curtain came down"),
    # --- urgent, hard
    (U, "post_op", "asr", "I had surgery Thursday and my incision is leading through the bandage"),
    (U, "post_op", "asr", "I had my surgery on Friday and now I have a fever of one oh one point five"),
    (U, "medication", "asr", "I'm on war farin and my gums are bleeding and there's bruises everywhere"),
    (U, "post_op", "buried", "hi just confirming my follow up appointment with Dr. Patel on the 14th, also need a work note for my employer, and I guess I should say the incision started oozing pus yesterday and I've got a fever of 101.4"),
    (U, "symptoms", "buried", "I wanted to update my address and phone number in your system, and the insurance card is new too, oh and I'm 28 weeks pregnant and I haven't felt the baby move since last night"),
    (U, "post_op", "minimising", "not a big deal probably but my surgery was last week and I'm running 101 and the wound looks angry"),
    (U, "medication", "mixed", "I need a refill of my Xarelto but also I've been having black tarry stools for two days"),
    (U, "symptoms", "spanish", "estoy embarazada de 30 semanas y estoy sangrando"),
    (U, "symptoms", "spanish", "mi bebé de un mes tiene fiebre de 38.5"),
    (U, "test_results", "admin", "hi this is Memorial Hospital lab with a critical value on one of your patients, a sodium of 118"),
    (U, "symptoms", "family_patient", "my mom is 90 and since yesterday she's really confused and seeing things that aren't there"),
    # --- routine, plain
    (R, "refill", "", "could you send my metformin refill to the Walgreens on Oak Street"),
    (R, "refill", "", "I'm almost out of my levothyroxine, can you call in more"),
    (R, "refill", "", "I need more of my atorvastatin, I have three pills left"),
    (R, "refill", "", "please renew my albuterol inhaler prescription, the pharmacy said it needs authorization from the doctor"),
    (R, "scheduling", "", "I need to move my physical from Tuesday to sometime next week"),
    (R, "scheduling", "", "I'd like to book a well child visit for my son"),
    (R, "scheduling", "", "I have to cancel tomorrow's appointment, something came up at work"),
    (R, "billing", "", "I got a statement saying I owe 240 dollars but my insurance should have covered it"),
    (R, "billing", "", "can someone explain the charge for the lab work on my last bill"),
    (R, "billing", "", "I want to set up a payment plan for my balance"),
    (R, "test_results", "", "I had blood drawn last Tuesday and haven't heard anything about the results"),
    (R, "test_results", "", "I saw my cholesterol numbers on the portal and I'd like someone to explain them"),
    (R, "referral", "", "my insurance needs a referral before I can see the cardiologist"),
    (R, "referral", "", "I'm checking on the prior authorization for my MRI"),
    (R, "referral", "", "could the doctor refer me to a physical therapist for my shoulder"),
    (R, "records", "", "I need my immunization records for my daughter's school"),
    (R, "records", "", "can you fill out the FMLA paperwork I dropped off"),
    (R, "records", "", "I need a note saying I was seen yesterday so I can go back to work"),
    (R, "records", "", "please fax my records to Dr. Nguyen's office"),
    (R, "new_patient", "", "I just moved to the area and I'm looking for a new primary care doctor, are you taking patients"),
    (R, "new_patient", "", "I'd like to establish care with one of your physicians, I have Blue Cross"),
    (R, "symptoms", "", "I've had a runny nose and a mild cough for four days, no fever"),
    (R, "symptoms", "", "I have a rash on my arm that's a little itchy, it's been there a week"),
    (R, "symptoms", "", "my knee has been aching when I climb stairs for a couple of months"),
    (R, "symptoms", "", "my son has a sore throat and a low fever of 99.8, he's eating and drinking fine"),
    (R, "symptoms", "", "I've been losing more hair than usual lately and wanted to ask about it"),
    (R, "symptoms", "", "my acne has gotten worse since I stopped the cream"),
    (R, "medication", "", "can I take ibuprofen with my lisinopril"),
    (R, "medication", "", "should I take my thyroid pill before or after breakfast"),
    (R, "medication", "", "the new statin gives me a little muscle ache, is that normal, it's mild"),
    (R, "post_op", "", "I had my carpal tunnel surgery last week, when can I take the bandage off to shower"),
    (R, "post_op", "", "my stitches are due to come out, do I book that with the nurse"),
    (R, "other", "", "hi this is Mike from Office Supply Direct calling about a special on printer toner"),
    (R, "other", "", "sorry wrong number"),
    (R, "other", "", "hello? hello? I guess nobody's there"),
    # --- routine, hard (traps)
    (R, "symptoms", "negation", "just so you know I don't have any chest pain or trouble breathing, just a stuffy nose"),
    (R, "symptoms", "negation", "the nurse asked me to call back, no fever, no bleeding, the cough is about the same"),
    (R, "post_op", "negation", "everything's fine after the surgery, no fever, the incision looks clean and dry"),
    (R, "scheduling", "family", "my father died of a heart attack at 55 so I'd like to schedule a checkup"),
    (R, "scheduling", "family", "stroke runs in my family and I want to book a screening appointment"),
    (R, "symptoms", "hypothetical", "the pharmacist said if I ever get short of breath on the new inhaler I should stop it, so far so good"),
    (R, "medication", "hypothetical", "what should I do if I start bleeding while on the Eliquis, I'm fine right now, just want to know"),
    (R, "symptoms", "resolved", "I had some chest discomfort last month but it went away and the cardiologist cleared me, just updating you"),
    (R, "symptoms", "resolved", "my nosebleed stopped after ten minutes, it's fine now, just letting the doctor know"),
    (R, "post_op", "resolved", "I had a low fever the day after surgery but it's been normal for a week now"),
    (R, "billing", "admin", "I'm calling about the bill from my emergency room visit for chest pain back in January"),
    (R, "records", "admin", "I need copies of my records from when I had the stroke two years ago for my disability application"),
    (R, "scheduling", "admin", "I'd like to schedule a follow up for my heart attack from last year, the cardiologist wants labs"),
    (R, "billing", "admin", "the insurance denied the claim for my seizure medication visit, can you resubmit it"),
    (R, "scheduling", "admin", "my appointment at the bleeding disorder clinic needs to be moved to next month"),
    (R, "test_results", "admin", "the lab already called about my potassium last week and the doctor adjusted my meds, I just want to know when to recheck"),
    (R, "refill", "mixed", "I need my warfarin refilled before Friday, everything's fine, my INR was stable"),
    (R, "refill", "asr", "I need a ree fill of my lisnopril sent to CVS"),
    (R, "scheduling", "spanish", "quisiera hacer una cita para mi hijo la próxima semana"),
    (R, "refill", "spanish", "necesito que me manden más de mi medicina para la presión a la farmacia"),
    (R, "billing", "spanish", "tengo una pregunta sobre mi factura"),
    (R, "symptoms", "minimising", "my headache is mild, a two out of ten, I just want to know if I can take Tylenol"),
    (R, "records", "family", "my mom had breast cancer so my insurance form asks for family history, can you help fill it out"),
    (R, "symptoms", "negation", "my baby is four months old and has a stuffy nose, no fever, she's feeding well"),
    (R, "post_op", "negation", "I'm two weeks out from surgery, there's no redness or drainage, just wanted to ask about driving"),
    (R, "medication", "negation", "I'm on Plavix and got a small bruise on my arm, no bleeding, is that expected"),
]

OPENERS = [
    "Hello, ", "Hi there, ", "Good morning, ", "Yeah hi, ", "Hi, um, ", "Hello this message is for the nurse, ",
    "Hey, ", "Good afternoon, ", "", "Hi, it's {name} calling, ", "This is {name}, ", "Hello, my name is {name}, ",
    "Hi, this is {name}, birthday {dob}, ",
]
CLOSERS = [
    "", " Thank you.", " Please call me back.", " My number is {phone}.", " You can reach me at {phone}, thanks.",
    " Call me back when you can.", " Thanks so much, bye.", " Again it's {name}, {phone}.",
]
NAMES = ["Rosa Delgado", "Tom Becker", "Priya Raman", "Gloria Whitfield", "Dwayne Ortiz", "Min-jun Park",
         "Harold Lindqvist", "Keisha Brown", "Fatima Haddad", "Ellen O'Connor", "Luis Herrera", "Ines Moreau"]
DOBS = ["June 2nd 1961", "11/30/1978", "the fourth of July 1990", "February 14, 1949", "3 9 1985"]
PHONES = ["312 555 0147", "four one five, five five five, zero one nine two", "(617) 555-0110", "7135550163",
          "area code 404, 555 0188"]

SPANISH_OPEN = ["Hola, ", "Buenos días, ", "Hola, habla {name}, "]
SPANISH_CLOSE = [" Gracias.", " Mi número es {phone}.", ""]


def asr_damage(text: str, rng: random.Random) -> str:
    """Phone-ASR style damage independent of the training generator: lowercase, no punctuation, fillers."""
    text = text.lower().replace(",", "").replace(".", "")
    words = text.split()
    if len(words) > 6 and rng.random() < 0.5:
        words.insert(rng.randrange(1, len(words)), rng.choice(["uh", "um", "you know"]))
    return " ".join(words)


def fill(template: str, rng: random.Random) -> str:
    return template.format(name=rng.choice(NAMES), dob=rng.choice(DOBS), phone=rng.choice(PHONES))


def build(seed: int = 20261127, copies: int = 3) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for n, (urgency, concern, tag, body) in enumerate(SCENARIOS):
        for k in range(copies):
            spanish = tag == "spanish"
            opener = fill(rng.choice(SPANISH_OPEN if spanish else OPENERS), rng)
            closer = fill(rng.choice(SPANISH_CLOSE if spanish else CLOSERS), rng)
            text = opener + body + ("." if not body.endswith((".", "?")) else "") + closer
            if k == 2 and not spanish:
                text = asr_damage(text, rng)
            items.append({
                "id": f"h{n:03d}{'abc'[k]}",
                "text": text[0].upper() + text[1:],
                "urgency": urgency,
                "concern": concern,
                "hard": bool(tag),
                "tag": tag or "plain",
            })
    return items


def main() -> None:
    items = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    hard = sum(i["hard"] for i in items)
    print(f"{len(items)} messages, {hard} hard ({hard / len(items):.0%}) -> {OUT}")


if __name__ == "__main__":
    main()
