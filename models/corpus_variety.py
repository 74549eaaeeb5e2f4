"""More varied voicemails for the triage corpus (used by make_corpus.py).

The first corpus was built from one template per idea, so the classifier learned a narrow style:
short admin messages without a cue word fell to `symptoms`, and harmless short messages that shared
a word with an emergency template ("blood pressure pills") were raised. These generators combine
independent pieces (who calls, why, what else they mention in passing, how they hesitate) so that
no single phrasing carries the label:
  - `other` calls: wrong numbers, personal calls, deliveries, sales, surveys, job seekers,
    interpreters, complaints about hold times, thank-yous, pocket dials, noise, bare "call me back";
  - admin calls that mention a symptom in passing (the request is the concern);
  - third-party callers: pharmacies (refill vs. a question about a dose or an interaction), labs and
    imaging centres (routine reports vs. critical values), other offices, lawyers, schools, insurers,
    nursing homes, home-health nurses;
  - post-op questions and complications phrased without the word "surgery";
  - new red-flag classes: drug rashes, low blood sugar, passive suicidal thoughts, anxiety crises,
    meningitis signs, vomiting blood on a blood thinner, urinary retention;
  - Spanish for every concern, and very short messages.
Written for this project; it never reads tests/data/.
"""

from __future__ import annotations

E, U, R = "emergency", "urgent", "routine"

FIRST = ["Hi", "Hello", "Hey", "Good afternoon", "Morning", "Yeah hi", "Hi there", "Hello, um", "Uh, hi", "Hi, good morning"]
HEDGE = ["", "um, ", "uh, ", "so, ", "okay so ", "yeah, ", "I guess ", "sorry, "]
PASSING = ["I've had a bit of a cold", "my back's been sore", "I've got a little cough", "I had the flu last week",
           "my allergies are acting up", "I had a headache yesterday but it's gone", "my knee still bugs me",
           "I was sick over the weekend", "my blood pressure has been fine", "I'm feeling okay"]
RELS = ["my mom", "my dad", "my husband", "my wife", "my son", "my daughter", "my grandmother", "my uncle"]
OFFICES = ["Dr. Patel's office", "Riverside Cardiology", "the orthopedic group", "Lakeside Dermatology",
           "the sleep clinic", "Northside Family Practice", "the GI office"]
PHARMACIES = ["CVS on Elm", "Walgreens", "the Safeway pharmacy", "Costco pharmacy", "Main Street Pharmacy",
              "Optum Rx", "the hospital outpatient pharmacy"]
DRUGS = ["lisinopril", "metformin", "atorvastatin", "sertraline", "amoxicillin", "levothyroxine", "gabapentin",
         "hydrochlorothiazide", "prednisone", "azithromycin", "tramadol", "losartan", "trazodone", "montelukast"]
NEWDRUGS = ["the amoxicillin", "the new blood pressure pill", "the sulfa antibiotic", "the cefdinir", "the Keflex",
            "the new seizure medicine", "the lamotrigine", "the doxycycline", "the allopurinol", "the new ointment"]
PROC_PLAIN = ["my gallbladder out", "my knee replaced", "my hip replaced", "my appendix out", "a hernia fixed",
              "my tonsils out", "a c-section", "my prostate procedure", "a mole removed", "a colonoscopy",
              "my shoulder scoped", "a cyst removed", "my uterus out"]
WHEN = ["yesterday", "on Monday", "last Tuesday", "four days ago", "a week ago", "six days ago", "ten days ago",
        "the other day", "eight days ago", "two weeks ago"]


def _c(rng, xs):
    return rng.choice(xs)


def other_calls(rng):
    name = _c(rng, ["Steve", "Tina", "Marco", "Deb", "Alicia", "Ray", "Jo", "Kim"])
    body = _c(rng, [
        f"hey {name}, it's me, are we still on for {_c(rng, ['dinner', 'Saturday', 'the game', 'bowling', 'the lake'])}, call me",
        f"{_c(rng, ['oh', 'oops', 'sorry'])}, wrong number, {_c(rng, ['my bad', 'sorry about that', 'never mind'])}",
        f"is this {_c(rng, ['the vet', 'the pizza place', 'the dentist', 'Joe', 'the school office', 'the tire shop'])}? {_c(rng, ['I must have the wrong number', 'never mind', 'call me back if it is'])}",
        f"this is {_c(rng, ['UPS', 'FedEx', 'Amazon delivery', 'the courier'])}, {_c(rng, ['we have a package for your office', 'we tried to drop off a delivery', 'nobody signed for the box'])}, call {_c(rng, ['the number on the tag', 'us back', '1-800-555-0101'])}",
        f"hi this is {name} with {_c(rng, ['Acme Office Supply', 'MedSource', 'a merchant services company', 'Bright Ideas Marketing'])}, {_c(rng, ['we have a special offer for clinics', 'I wanted to tell you about our new product', 'we can lower your card processing fees', 'we help practices get more reviews'])}",
        f"this is {_c(rng, ['a survey', 'a quick poll', 'the county health department survey', 'a research study'])} about {_c(rng, ['patient satisfaction', 'vaccination rates', 'local services'])}, call us when you can",
        f"hi, I'm calling about {_c(rng, ['the front desk job', 'the nursing position', 'the job posting', 'my application'])}, {_c(rng, ['I sent my resume', 'I applied online', 'I wanted to follow up'])}",
        f"this is {_c(rng, ['the interpreter service', 'the sign language agency'])} confirming {_c(rng, ['tomorrow at two', 'the ten thirty', 'Thursday morning'])}",
        f"I have been on hold {_c(rng, ['forever', 'for half an hour', 'since nine'])}, {_c(rng, ['nobody picks up', 'I give up', 'someone please answer the phone'])}, call me back",
        f"just wanted to say thank you to {_c(rng, ['the nurses', 'Dr. Lin', 'the whole staff', 'everyone at the front desk'])}, {_c(rng, ['you were wonderful', 'you took great care of my dad', 'we really appreciate it'])}, no need to call back",
        _c(rng, ["call me back", "it's me, call me", "hello? hello?", "[silence]", "[static]", "[fax tones]", "[muffled talking] ... [rustling]",
                 "uh ... hold on ... [click]", "hi, it's, um, never mind", "you know who this is, call me", "[background music] ... no I said the red one",
                 "okay bye", "testing testing", "hello is anyone there"]),
        f"this is {_c(rng, ['the building manager', 'the landlord', 'the cleaning service', 'the alarm company'])}, {_c(rng, ['about the parking lot', 'we will be in on Friday', 'the elevator inspection is tomorrow'])}",
        f"hi {name}, it's your {_c(rng, ['sister', 'cousin', 'aunt', 'friend'])}, {_c(rng, ['call me when you get off work', 'I have news', 'about the party'])}",
    ])
    return R, "other", body, "other"


def admin_with_passing_symptom(rng):
    """Requests whose concern is the request even though a symptom is mentioned."""
    passing = _c(rng, PASSING)
    rel = _c(rng, RELS)
    concern, body = _c(rng, [
        ("scheduling", f"{passing}, but that's not why I'm calling, I need to {_c(rng, ['move', 'push back', 'change'])} my appointment on {_c(rng, ['Tuesday', 'the fifth', 'Friday'])}"),
        ("scheduling", f"I'm {_c(rng, ['running about ten minutes late', 'stuck in traffic', 'going to be late'])} for my {_c(rng, ['nine thirty', 'two o clock', 'appointment'])}, {_c(rng, ['is that okay', 'sorry', 'please hold my spot'])}"),
        ("scheduling", f"can I do my {_c(rng, ['follow up', 'visit', 'check in'])} by {_c(rng, ['video', 'phone', 'telehealth'])} instead, {_c(rng, ['my car broke down', 'I am out of town', 'I can not get off work'])}"),
        ("scheduling", f"I got a {_c(rng, ['reminder', 'card', 'text'])} that I'm due for my {_c(rng, ['physical', 'checkup', 'annual visit', 'diabetes check', 'six month visit'])}, {_c(rng, ['mornings are best', 'I can only do afternoons', 'any Thursday works'])}"),
        ("scheduling", f"do you have {_c(rng, ['flu shots', 'covid boosters', 'walk in hours'])}, do I need an appointment"),
        ("scheduling", f"calling for {rel}, {_c(rng, ['he', 'she'])} needs {_c(rng, ['a follow up', 'the yearly checkup', 'a sports physical', 'a blood pressure check'])} {_c(rng, ['next week', 'any afternoon', 'before the end of the month'])}"),
        ("scheduling", f"is there any way to get in sooner, {_c(rng, ['it is just my shoulder', 'my rash is the same as before', 'it is for my usual back thing'])}, nothing urgent"),
        ("records", f"{passing}, I missed work {_c(rng, ['Monday', 'two days', 'this week'])} and {_c(rng, ['my boss', 'HR', 'my job'])} needs a {_c(rng, ['note', 'doctor note', 'letter'])}"),
        ("records", f"{_c(rng, ['leave', 'disability', 'DMV', 'camp', 'daycare'])} {_c(rng, ['papers', 'forms', 'paperwork'])} for {rel} {_c(rng, ['need the doctor to sign', 'are being faxed over', 'have to be filled out'])}"),
        ("records", f"{rel} was in the {_c(rng, ['ER', 'hospital', 'urgent care'])} {_c(rng, ['last week', 'over the weekend'])}, {_c(rng, ['totally fine now', 'all better', 'doing well'])}, the school needs a note before {_c(rng, ['field trips', 'sports', 'she goes back'])}"),
        ("billing", f"I {_c(rng, ['moved', 'changed jobs', 'got married'])}, can you {_c(rng, ['update my address', 'put my new insurance on file', 'change my last name on the account'])}"),
        ("billing", f"I got {_c(rng, ['two bills', 'a bill', 'a statement', 'a collections letter'])} for {_c(rng, ['the ER visit', 'my chest x ray', 'the broken arm', 'the ambulance', 'my heart monitor'])} and {_c(rng, ['I think it is a mistake', 'insurance should have paid', 'I do not understand it'])}"),
        ("billing", f"I just saw the bill and {_c(rng, ['nearly had a heart attack', 'I can not breathe', 'my heart stopped', 'I almost fainted'])}, {_c(rng, ['six hundred', 'nine hundred', 'two thousand'])} dollars for {_c(rng, ['one shot', 'a strep test', 'a bandage'])}"),
        ("test_results", f"{passing}, I'm just calling because {_c(rng, ['my biopsy came back', 'the portal shows my cholesterol flagged', 'I got a letter about my mammogram', 'my stress test was normal'])}, {_c(rng, ['what does it mean', 'is that good', 'can someone explain'])}"),
        ("test_results", f"I had {_c(rng, ['a urine culture', 'an MRI', 'my colonoscopy', 'blood drawn', 'a CT'])} {_c(rng, WHEN)} and {_c(rng, ['have not heard anything', 'nobody called', 'was told results in two days'])}"),
        ("test_results", f"my {_c(rng, ['covid', 'strep', 'flu', 'pregnancy'])} test {_c(rng, ['was positive', 'came back positive', 'was negative'])}, {_c(rng, ['I feel fine', 'just a stuffy nose', 'do I need to do anything'])}"),
        ("new_patient", f"{_c(rng, ['we just moved here', 'I am new in town', 'my doctor retired', 'we are switching practices'])}, {_c(rng, ['my kids need a pediatrician', 'are you taking new patients', 'how do I get set up', 'I would like to establish care'])}, {_c(rng, ['we have Aetna', 'I have Medicare', 'I have Medicaid', ''])}"),
        ("new_patient", f"I'm looking for a {_c(rng, ['primary care doctor', 'family doctor', 'new doctor'])}, {_c(rng, ['I have high blood pressure', 'I had asthma as a kid', passing])}, {_c(rng, ['do you take my insurance', 'are you accepting patients', 'how do I sign up'])}"),
        ("new_patient", f"I'm thinking about switching to your office, {_c(rng, ['what are your hours', 'do you have Saturday hours', 'do you do telehealth'])}, just asking"),
        ("referral", f"I'd like a {_c(rng, ['referral', 'second opinion', 'referral to a specialist'])} about my {_c(rng, ['knee', 'back surgery', 'skin', 'heart murmur', 'migraines'])}"),
        ("referral", f"this is {_c(rng, ['Blue Cross', 'Aetna', 'UnitedHealthcare', 'the insurance company'])}, we need {_c(rng, ['a prior authorization', 'clinical notes for the authorization', 'the referral number'])} for {_c(rng, ['an MRI', 'a sleep study', 'physical therapy'])}"),
    ])
    return R, concern, body, "admin"


def third_party(rng):
    pharm, drug, rel = _c(rng, PHARMACIES), _c(rng, DRUGS), _c(rng, RELS)
    items = [
        (R, "refill", f"this is {pharm}, we need a {_c(rng, ['refill authorization', 'renewal', 'new prescription'])} for {drug} for your patient"),
        (R, "refill", f"{_c(rng, ['Express Scripts', 'Optum', 'the mail order pharmacy'])} calling for a renewal on {drug}, ninety day supply, please fax back"),
        (R, "medication", f"this is the pharmacist at {pharm}, {drug} and {_c(rng, DRUGS)} {_c(rng, ['have an interaction', 'should not be taken together', 'interact'])}, can the doctor {_c(rng, ['call us', 'change one', 'advise'])}"),
        (R, "medication", f"{pharm} calling, the directions on the {drug} prescription {_c(rng, ['are missing the frequency', 'do not say how many', 'are unclear'])}, we need clarification"),
        (R, "medication", f"{pharm} here, the dose on the {drug} looks {_c(rng, ['high', 'unusual', 'different from last time'])}, can someone confirm"),
        (R, "test_results", f"this is {_c(rng, ['Quest', 'LabCorp', 'Valley Imaging', 'the radiology group'])}, {_c(rng, ['the report is faxed', 'the final report is ready', 'results are on the portal'])} for your patient, {_c(rng, ['nothing urgent', 'no action needed', 'routine'])}"),
        (R, "test_results", f"the {_c(rng, ['coumadin clinic', 'anticoagulation clinic'])} here, the INR today was {_c(rng, ['two point four', '2.8', 'in range'])}, same dose, nothing to do"),
        (U, "test_results", f"this is {_c(rng, ['Quest', 'the hospital lab', 'LabCorp'])}, {_c(rng, ['a critical value', 'a critical result', 'a panic value'])} on {_c(rng, ['potassium', 'sodium', 'INR', 'glucose'])} for your patient, please call back"),
        (U, "test_results", f"this is {_c(rng, ['Sunrise Nursing Home', 'the home health nurse', 'Oak Manor'])}, the lab says {_c(rng, ['her INR is critically high', 'his potassium is at a critical level', 'her sodium is critically low'])} and we cannot reach the doctor"),
        (R, "records", f"this is {_c(rng, OFFICES)}, we're requesting {_c(rng, ['office notes', 'the last two years of records', 'labs and notes', 'the discharge summary'])} for a shared patient, please fax"),
        (R, "records", f"this is {_c(rng, ['a law office', 'an attorney', 'the disability office', 'the insurance adjuster'])}, we're requesting records for our client, the signed release was faxed"),
        (R, "records", f"this is {_c(rng, ['the school nurse', 'the daycare', 'summer camp'])}, we need {_c(rng, ['the immunization record', 'a medication form', 'the physical form'])} for {_c(rng, ['a student', 'one of your patients'])}"),
        (R, "scheduling", f"calling from {_c(rng, OFFICES)} to {_c(rng, ['set up', 'confirm', 'move'])} a {_c(rng, ['follow up', 'consult'])} for a patient you referred"),
        (R, "referral", f"this is {_c(rng, OFFICES)}, we got the referral but need {_c(rng, ['the insurance info', 'the authorization', 'the notes'])} before we can book"),
        (R, "symptoms", f"calling for {rel}, {_c(rng, ['he has had a runny nose', 'she has a mild sore throat', 'he has a bit of diarrhea since yesterday', 'she has a small rash on her arm'])}, {_c(rng, ['no fever', 'eating and drinking fine', 'acting normal'])}, {_c(rng, ['should we come in', 'what can we give', 'can the nurse call'])}"),
    ]
    u, c, body = _c(rng, items)
    return u, c, body, "third_party"


def post_op_plain(rng):
    proc, when = _c(rng, PROC_PLAIN), _c(rng, WHEN)
    items = [
        (R, "post_op", f"I had {proc} {when}, {_c(rng, ['healing well', 'no fever', 'feeling good'])}, {_c(rng, ['when can I drive', 'when can I shower', 'how often do I change the bandage', 'when do I get the stitches out', 'can I go back to work'])}"),
        (R, "post_op", f"after {proc} {when} there's {_c(rng, ['a little bruising', 'a tiny bit of redness', 'some itching around the tape'])}, {_c(rng, ['no drainage', 'no fever', 'nothing else'])}, just checking"),
        (U, "post_op", f"I had {proc} {when} and {_c(rng, ['I can not pee since this morning', 'I have not been able to urinate all day', 'I can not empty my bladder and my belly hurts'])}"),
        (U, "post_op", f"I had {proc} {when} and now {_c(rng, ['my leg below the knee is swollen and warm', 'my calf is sore and puffy', 'the back of my leg hurts and is red'])}"),
        (U, "post_op", f"had {proc} {when}, I'm running a temperature of {_c(rng, ['101.8', 'a hundred and one point five', '102', '38.9'])} and feel awful"),
        (E, "post_op", f"I had {proc} {when} and {_c(rng, ['all of a sudden I am so short of breath', 'I can not catch my breath and my heart is racing', 'it hurts to breathe in and I am really winded'])}"),
        (U, "post_op", f"I had {proc} {when}, the cut is {_c(rng, ['leaking yellow stuff', 'coming open', 'red and hot and oozing'])}"),
    ]
    u, c, body = _c(rng, items)
    return u, c, body, "post_op_plain"


def new_red_flags(rng):
    drug, rel = _c(rng, NEWDRUGS), _c(rng, RELS)
    items = [
        (U, "medication", f"{_c(rng, ['I started', 'they put me on', 'she began'])} {drug} {_c(rng, WHEN)} and {_c(rng, ['now there are red itchy welts everywhere', 'I broke out in a rash on my chest and back', 'my lips look puffy and I am itchy'])}"),
        (U, "medication", f"{_c(rng, ['since the insulin went up', 'on the glipizide', 'after the new diabetes pill'])} my {_c(rng, ['sugar', 'blood sugar', 'glucose'])} {_c(rng, ['dropped to 48', 'was in the fifties twice', 'keeps going low', 'hit 55 last night'])} and I {_c(rng, ['got shaky', 'was sweating', 'felt like I would pass out'])}"),
        (U, "symptoms", f"{_c(rng, ['I have been really down', 'things have been dark lately', 'I am not doing well'])}, {_c(rng, ['sometimes I think everybody would be better off without me', 'I feel like there is no point going on', 'I do not want to be here anymore', 'I keep wishing I would not wake up'])}, {_c(rng, ['I am safe right now', 'I do not have a plan', 'my husband is home'])}, {_c(rng, ['I just need to talk to someone', 'please call me', ''])}"),
        (U, "symptoms", f"{_c(rng, ['my anxiety is out of control', 'I keep having panic attacks every day', 'I have not slept in four days'])}, {_c(rng, ['I am not going to hurt myself', 'I am safe', 'I am not in danger'])}, {_c(rng, ['I need to see someone soon', 'I really need to talk to someone today', 'can someone call me'])}"),
        (E, "symptoms", f"{_c(rng, ['my son', 'my daughter', 'I', 'my roommate'])} {_c(rng, ['has', 'have'])} a {_c(rng, ['bad headache', 'fever of 102', 'high fever'])} and a stiff neck{_c(rng, [', the light hurts', ', throwing up too', ''])}"),
        (E, "medication", f"I'm on {_c(rng, ['Eliquis', 'warfarin', 'Xarelto', 'a blood thinner'])} and I {_c(rng, ['vomited and there was blood in it', 'threw up dark red blood', 'was throwing up and it looked like coffee grounds'])}"),
        (U, "medication", f"I'm on {_c(rng, ['Eliquis', 'warfarin', 'Xarelto', 'Plavix'])} and {_c(rng, ['my stools are black', 'there is blood in my pee', 'my nose bled for an hour', 'I have bruises everywhere'])}"),
        (E, "symptoms", f"{_c(rng, ['me desmayé', 'mi papá se desmayó', 'mi hija no puede respirar', 'tengo un dolor de pecho muy fuerte', 'mi esposo tiene la cara caída y no puede hablar'])}, {_c(rng, ['por favor llámenme', 'qué hago', ''])}"),
        (U, "symptoms", f"{rel} {_c(rng, ['nearly passed out getting up', 'almost fainted in the shower', 'felt like fainting twice today'])}"),
    ]
    u, c, body = _c(rng, items)
    return u, c, body, "red_flag_class"


SPANISH_MORE = [
    (R, "scheduling", ["quiero cambiar mi cita del {d}", "llamo para cancelar la cita de mi mamá", "necesito una cita para un chequeo"]),
    (R, "refill", ["necesito más de mi {m}, se me acabó", "por favor mande la receta de {m} a la farmacia"]),
    (R, "billing", ["cambié de seguro, ¿pueden actualizar mi información?", "tengo una pregunta sobre una factura"]),
    (R, "records", ["necesito una carta para mi trabajo", "necesito la cartilla de vacunas de mi hijo para la escuela",
                    "necesito una copia de mi expediente"]),
    (R, "new_patient", ["¿aceptan pacientes nuevos?", "busco un doctor familiar para mi familia", "somos nuevos en el área y necesitamos doctor"]),
    (R, "test_results", ["quiero saber los resultados de mis análisis", "¿ya llegaron los resultados de mi ultrasonido?"]),
    (R, "medication", ["¿puedo tomar ibuprofeno con mi {m}?", "la pastilla nueva me da un poco de náusea, ¿es normal?"]),
    (R, "other", ["perdón, número equivocado", "hola, ¿es la farmacia?"]),
    (U, "medication", ["empecé la medicina nueva y me salieron ronchas por todo el cuerpo", "con la pastilla nueva me mareo mucho y casi me caigo"]),
]


def spanish_more(rng):
    u, c, bodies = _c(rng, SPANISH_MORE)
    return u, c, _c(rng, bodies).format(d=_c(rng, ["lunes", "martes", "viernes"]), m=_c(rng, DRUGS)), "spanish"


def short_messages(rng):
    drug = _c(rng, DRUGS)
    u, c, body = _c(rng, [
        (R, "refill", f"refill on my {_c(rng, [drug, 'blood pressure pills', 'heart pills', 'water pill', 'inhaler', 'sugar pills'])} please"),
        (R, "refill", f"need my {_c(rng, ['blood pressure medicine', 'cholesterol pills', drug])} refilled, thanks"),
        (R, "medication", f"can I take {_c(rng, ['Tylenol', 'Advil', 'Benadryl', 'Sudafed', 'a cold medicine'])} with my {_c(rng, ['blood pressure pill', 'heart medicine', drug, 'blood thinner'])}"),
        (R, "scheduling", f"{_c(rng, ['need to cancel tomorrow', 'can I move my appointment', 'what time is my appointment', 'I need an appointment'])}"),
        (R, "billing", f"{_c(rng, ['question about my bill', 'how much do I owe', 'did you get my payment'])}"),
        (R, "test_results", f"{_c(rng, ['are my results in', 'any word on my labs', 'calling about my x ray'])}"),
        (R, "other", f"{_c(rng, ['call me back', 'hello?', 'bye', 'okay never mind'])}"),
    ])
    return u, c, body, "short"


def hedged(text: str, rng) -> str:
    """A natural opening and hesitation, independent of the body."""
    return f"{_c(rng, FIRST)}, {_c(rng, HEDGE)}{text}"


KIDS = ["my son", "my daughter", "my toddler", "my little boy", "my little girl", "the baby", "my grandson", "my granddaughter"]
AGES = ["he's two", "she's three", "she's fourteen months", "he's nineteen months", "he's four", "she's eleven months"]


def red_flags_more(rng):
    """Telephone-triage red flags by body system, in lay words (the triage3 review)."""
    kid, age, rel = _c(rng, KIDS), _c(rng, AGES), _c(rng, RELS)
    items = [
        (E, "symptoms", f"{kid} {_c(rng, ['swallowed', 'I think swallowed', 'may have swallowed'])} {_c(rng, ['a button battery', 'one of the flat batteries from the key fob', 'a watch battery', 'two little magnets', 'a coin battery from a toy'])}, {age}, {_c(rng, ['he seems okay', 'she is acting normal', 'he is drooling a bit', 'I am scared'])}"),
        (E, "symptoms", f"{kid} {_c(rng, ['drank some', 'got into the', 'chewed on a', 'licked some'])} {_c(rng, ['bleach', 'dishwasher detergent', 'laundry pod', 'antifreeze', 'lamp oil', 'drain cleaner'])} {_c(rng, ['under the sink', 'in the garage', 'a few minutes ago'])}, {age}"),
        (E, "symptoms", f"{kid} choked on {_c(rng, ['a grape', 'a piece of hot dog', 'a candy', 'popcorn'])} and now {_c(rng, ['his breathing is squeaky and he is working hard to breathe', 'she is wheezing and can barely cry', 'he is gasping', 'her lips have gone dusky'])}"),
        (E, "symptoms", f"{_c(rng, ['the baby', 'my newborn', 'my two month old'])} {_c(rng, ['is turning blue', 'went kind of blue around the mouth', 'looks grey and is breathing weird', 'has blue lips'])}"),
        (E, "symptoms", f"I'm bleeding {_c(rng, ['so heavily', 'a lot'])}, {_c(rng, ['a pad is full within the hour', 'I am changing a pad every forty minutes', 'it is soaking through my jeans'])}, {_c(rng, ['and I nearly fainted', 'and my heart is racing', 'with clots the size of a plum'])}"),
        (E, "symptoms", f"{kid} has a fever and {_c(rng, ['dark pinpoint spots on the chest that stay when you push on them', 'a rash that stays purple when I roll a glass over it', 'purplish specks on the tummy', 'bruise-like marks appearing all over'])}"),
        (E, "post_op", f"{_c(rng, ['my son', 'my daughter', 'I'])} had {_c(rng, ['a tonsillectomy', 'the tonsils taken out'])} {_c(rng, ['five days ago', 'a week ago', 'on Monday'])} and {_c(rng, ['there is fresh blood in the sink every time she spits', 'he is coughing up red clots', 'is bleeding from the back of the throat and it keeps coming'])}"),
        (E, "symptoms", f"{_c(rng, ['estoy de treinta y tres semanas', 'estoy de veintinueve semanas', 'tengo treinta y cuatro semanas de embarazo'])} y {_c(rng, ['siento contracciones seguidas cada ocho minutos', 'se me rompió la fuente', 'tengo contracciones fuertes y regulares'])}"),
        (E, "symptoms", f"{_c(rng, ['I cannot go on', 'I cannot do this anymore', 'everything feels hopeless'])}, {_c(rng, ['I lined up all my pills', 'I have been saving up my pills', 'my pills are counted out on the table'])} and {_c(rng, ['I want to swallow every one', 'I plan to swallow the whole bottle', 'I am going to take a handful after dark'])}"),
        (U, "symptoms", f"{_c(rng, ['my stool was full of red blood', 'I passed blood in my stole again', 'I had bloody diarrhea three times', 'the toilet bowl turned red after I went'])} {_c(rng, ['this morning', 'today', 'since last night'])}{_c(rng, [' and I feel lightheaded', ', I am a bit weak', ''])}"),
        (U, "symptoms", f"{_c(rng, ['the whole room whirls around', 'I have bad vertigo', 'everything spins when I turn my head'])} {_c(rng, ['since breakfast', 'for hours'])} and I {_c(rng, ['have thrown up four times', 'keep vomiting', 'cannot keep anything down'])}"),
        (U, "symptoms", f"{kid} fell {_c(rng, ['off the swing', 'down the stairs', 'off his scooter', 'at soccer'])} and {_c(rng, ['the forearm has a bump and an odd angle', 'the arm is deformed', 'the ankle is pointing the wrong way', 'cannot put any weight on the leg'])}"),
        (U, "symptoms", f"{_c(rng, ['my mom', 'my dad', 'my grandmother', 'my husband'])}, who is {_c(rng, ['eighty', 'ninety one', 'seventy eight'])}, {_c(rng, ['has not been herself for a day, mixing up names', 'has been confused since this morning', 'is talking nonsense today', 'did not recognise me this morning'])}"),
        (U, "symptoms", f"{_c(rng, ['my migraine', 'this headache'])} has {_c(rng, ['lasted three days', 'not let up for seventy two hours', 'not stopped in four days'])} and {_c(rng, ['the triptan did nothing', 'my usual medicine is not working', 'I keep vomiting'])}"),
        (U, "symptoms", f"I'm on {_c(rng, ['chemo', 'chemotherapy', 'immunotherapy'])} {_c(rng, ['for colon cancer', 'for lymphoma', ''])} and {_c(rng, ['my temperature is 38.3', 'my temperature is 100.8 and I feel awful', 'I have shaking chills and 38.5'])}"),
        (U, "medication", f"{rel} {_c(rng, ['takes digoxin', 'is on lithium', 'is on Dilantin'])} and {_c(rng, ['lost her appetite and says lights have green rings', 'is wobbly on his feet with a coarse tremor', 'is slurring a little and unsteady', 'has been vomiting since the dose went up'])}"),
        (U, "medication", f"I'm on {_c(rng, ['methimazole', 'clozapine'])} and {_c(rng, ['I have mouth ulcers and a temperature', 'I have had a raw throat with chills since Sunday'])}"),
        (U, "symptoms", f"{_c(rng, ['the baby', 'my son', 'my daughter'])} {_c(rng, ['has had a dry diaper all day', 'has not peed in twelve hours', 'has no tears and a sunken soft spot'])}"),
        (U, "symptoms", f"{_c(rng, ['there is a red streak going up my arm', 'the redness around the cut is spreading and it is hot', 'a red line is moving up my leg'])}"),
        (U, "symptoms", f"I'm {_c(rng, ['33', '36', '30'])} weeks pregnant and {_c(rng, ['I have a pounding headache and I am seeing spots', 'my face and hands are suddenly swollen', 'my vision is blurry and my head hurts'])}"),
    ]
    u, c, body = _c(rng, items)
    return u, c, body, "red_flag_class"


def benign_lookalikes(rng):
    """Routine calls with alarming words (idioms, questions, cleared events) and everyday admin calls."""
    drug, kid = _c(rng, DRUGS), _c(rng, KIDS)
    items = [
        (R, "other", f"{_c(rng, ['I am dying to find out', 'dying of curiosity here'])}, {_c(rng, ['what are your hours on Christmas Eve', 'is the new location open yet', 'do you close early on Saturdays'])}"),
        (R, "billing", f"{_c(rng, ['this practice is bleeding my wallet dry', 'you are bleeding us dry', 'these fees are bleeding me dry'])}, {_c(rng, ['I was charged twice for one visit', 'the lab fee should be covered', 'please look at the coding'])}"),
        (R, "medication", f"{_c(rng, ['how much Tylenol is too much in a day', 'how many ibuprofen would be an overdose', 'what counts as too much acetaminophen'])}, {_c(rng, ['I feel fine', 'I take two a day', 'just want to be safe'])}"),
        (R, "medication", f"{kid} took {_c(rng, ['the allergy pill twice', 'an extra dose of the ADHD medicine', 'two vitamins instead of one'])} {_c(rng, ['on Sunday', 'last week'])}, poison control said {_c(rng, ['he would be fine', 'she would be fine'])} and {_c(rng, ['he was', 'she was fine'])}, {_c(rng, ['how do we stop that happening', 'should we get a pill box'])}"),
        (R, "symptoms", f"I'm {_c(rng, ['so mortified I could die', 'embarrassed to death'])} asking this, but {_c(rng, ['I have a rash down there', 'I think I have a yeast infection', 'I have a wart'])}, can I get an appointment"),
        (R, "other", _c(rng, ["is the parking lot on Oak street for patients", "which level of the garage is for the clinic", "do you validate parking"])),
        (R, "other", f"my {_c(rng, ['umbrella', 'car keys', 'scarf', 'phone charger', 'sunglasses'])} {_c(rng, ['must be in exam room three', 'fell out of my bag at the front desk', 'is missing since my visit'])}, {_c(rng, ['is there a lost and found', 'could someone look', 'I will swing by tomorrow'])}"),
        (R, "other", f"please change who you call in an emergency for me, it should be {_c(rng, ['my daughter', 'my sister', 'my partner'])} now, {_c(rng, ['my mother passed', 'the old number is disconnected'])}"),
        (R, "other", f"this is {_c(rng, ['the ambulance company', 'a courier', 'the lab supply company'])}, {_c(rng, ['I think I have the wrong office', 'sorry, wrong department', 'I was looking for the hospital'])}"),
        (R, "records", _c(rng, ["the online portal keeps rejecting my password", "can someone reset my portal password", "my activation code for the portal expired"])),
        (R, "records", f"{_c(rng, ['the daycare', 'my nursing program', 'my new job'])} wants my immunization history, {_c(rng, ['the tetanus date', 'the hepatitis B series', 'the chickenpox shots'])} especially"),
        (R, "records", f"{_c(rng, ['this is the life insurance company', 'calling from the insurance underwriter'])}, following up on {_c(rng, ['the attending physician statement', 'the records request', 'the form we faxed'])} for {_c(rng, ['an applicant', 'our client'])}"),
        (R, "records", f"can the doctor write a letter {_c(rng, ['for the court saying I cannot serve', 'for my landlord about my service dog', 'for my airline about my oxygen'])}"),
        (R, "referral", f"{_c(rng, ['has the referral gone out to', 'the specialist office says it has nothing from you for', 'I am still waiting on my referral to'])} {_c(rng, ['the skin doctor', 'the cancer doctor', 'a counselor', 'the heart doctor'])}, {_c(rng, ['it has been three weeks', 'could you resend it', 'they need the paperwork'])}"),
        (R, "medication", _c(rng, ["I skipped one of my birth control pills on Tuesday, am I still protected", "I forgot my evening dose, should I double up", "does the metformin go with breakfast or on an empty stomach",
                                   f"I'd like to talk about coming off the {drug} slowly, I feel good", "please list amoxicillin as an allergy, I had a rash years ago"])),
        (R, "billing", f"I'm the executor for my late {_c(rng, ['father', 'mother', 'husband'])}, statements keep arriving in their name, who handles the account"),
        (R, "test_results", f"{_c(rng, ['are my', 'did my', 'any news on my'])} {_c(rng, ['thyroid', 'kidney', 'iron', 'liver', 'vitamin D'])} {_c(rng, ['numbers back yet', 'levels come in', 'labs from Monday'])}"),
        (R, "medication", f"{_c(rng, ['please add', 'can you put', 'I want you to record'])} {_c(rng, ['penicillin', 'sulfa', 'codeine', 'latex'])} {_c(rng, ['on my allergy list', 'as an allergy in my chart', 'under my allergies'])}"),
        (R, "medication", f"{_c(rng, ['how do I taper off', 'can I stop', 'I want to wean off'])} the {drug}, {_c(rng, ['I feel well now', 'slowly please', 'what is the schedule'])}"),
        (R, "other", f"{_c(rng, ['are you open', 'what are your hours', 'is the office closed'])} {_c(rng, ['on Memorial Day', 'the day after Christmas', 'this Saturday', 'on New Year'])}"),
        (R, "billing", f"my {_c(rng, ['wife', 'husband', 'mom', 'dad'])} {_c(rng, ['died', 'passed'])} {_c(rng, ['last month', 'in the spring'])} and {_c(rng, ['bills still come for', 'you keep sending statements to'])} {_c(rng, ['her', 'him'])}, {_c(rng, ['who do I call', 'please close the account'])}"),
        (R, "symptoms", f"{kid} is drooling a lot and chewing on everything, {_c(rng, ['teething I think', 'no fever', 'is that normal'])}"),
        (R, "symptoms", f"I walk with a limp from {_c(rng, ['an old knee injury', 'my hip arthritis'])}, can I get {_c(rng, ['a referral for physical therapy', 'an appointment next week'])}"),
    ]
    u, c, body = _c(rng, items)
    return u, c, body, "trap"


GENERATORS = [(other_calls, 6), (admin_with_passing_symptom, 9), (third_party, 6), (post_op_plain, 4),
              (new_red_flags, 6), (spanish_more, 2), (short_messages, 3),
              (red_flags_more, 4), (benign_lookalikes, 4)]
