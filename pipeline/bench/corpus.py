"""The benchmark's recordings: clinical voicemails spoken by espeak-ng, sent down a phone line by sox.

    python -m pipeline.bench.corpus [--out DIR]

Texts are composed from parts (greeting, the reason for the call, details, callback number,
closing) with a fixed seed, so every machine builds the same set. Each clip goes through
band-pass 300–3400 Hz, a speakerphone-like level and white noise, and is written as 8 kHz
mu-law WAV, as a phone system delivers it. Built once into a cache folder (git-ignored) and
rebuilt when missing or when the recipe changes. Needs espeak-ng and sox.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ..paths import DEFAULT_DATA_DIR

RECIPE_VERSION = 1
DEFAULT_CACHE = DEFAULT_DATA_DIR / "bench"
VOICES = ("en-us", "en-us+m3", "en-us+f3", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp+f2", "en-us+m7")
RATES = (140, 150, 160, 170)
NOISES = (0.002, 0.005, 0.010, 0.020)
WORDS_PER_SECOND = 2.6  # espeak-ng at ~150 words a minute, with its pauses

FIRST = ("Mary", "Robert", "Linda", "James", "Patricia", "Michael", "Susan", "David", "Karen", "Carlos",
         "Maria", "Thomas", "Nancy", "Daniel", "Lisa", "Paul", "Sandra", "Mark", "Ashley", "Kevin")
LAST = ("Jones", "Smith", "Brown", "Wilson", "Garcia", "Miller", "Davis", "Lopez", "Taylor", "Anderson",
        "Thomas", "Moore", "Martin", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright")
DOCTORS = ("Doctor Patel", "Doctor Nguyen", "Doctor Okafor", "Doctor Schmidt", "the nurse", "Doctor Rivera")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

GREETINGS = (
    "Hi, this is {name} calling for {doctor}.",
    "Hello, my name is {name}, I'm a patient of {doctor}.",
    "Good morning, this is {name}.",
    "Hi, um, this is {name}, calling about my appointment with {doctor}.",
    "Hello, this message is for {doctor}, my name is {name}.",
)
# The main reason for the call, each with the details a caller tends to add.
REASONS = (
    ("I had knee surgery last Tuesday and the incision is bleeding through the bandage.",
     ("I also have a fever of one oh one this morning.", "The area around the stitches is red and warm.",
      "I changed the dressing twice already but it keeps soaking through.")),
    ("I have had chest pain since this morning and my chest feels tight.",
     ("I am having some trouble breathing when I walk to the kitchen.", "The pain goes down my left arm.",
      "I took an aspirin about an hour ago.")),
    ("I need a refill of my lisinopril sent to the pharmacy on Main Street.",
     ("I have about three days of pills left.", "It is the ten milligram tablets, once a day.",
      "The pharmacy said they faxed a request last week.")),
    ("I have a question about a charge on my bill from last month.",
     ("I think my insurance should have covered it.", "The statement says I owe two hundred dollars.",
      "I already paid my copay at the front desk.")),
    ("I would like to schedule my annual physical.",
     ("Mornings work best for me, any day but Wednesday.", "I also need my blood work done before it.",
      "If there is a cancellation this month I can come in on short notice.")),
    ("I am calling about my lab results from Friday.",
     ("The portal says my potassium was high.", "Nobody has called me to explain what that means.",
      "Should I stop taking my water pill until we talk?")),
    ("My daughter is three months old and she has a fever of one hundred point six.",
     ("She is not eating much and she is very sleepy.", "We checked it twice with a rectal thermometer.",
      "She had her shots on Monday.")),
    ("I started the new blood pressure medicine and I feel dizzy and lightheaded.",
     ("I almost fainted when I stood up this morning.", "My blood pressure at home was ninety over fifty.",
      "I have been taking it at night like you said.")),
    ("I am on warfarin and my nose has been bleeding on and off since last night.",
     ("I have bruises on my arms too.", "My last I N R was three point five.",
      "It stops for a while and then starts again.")),
    ("I need a referral to the cardiologist for my insurance.",
     ("The prior authorization has to be in by the end of the month.",
      "The cardiology office is Heart Care Associates.", "They told me my plan needs the referral on file.")),
    ("I need a copy of my medical records sent to my new doctor.",
     ("I also need a work note for the days I missed last week.", "I can pick them up if that is easier.",
      "My employer needs the form signed by Friday.")),
    ("I am thirty two weeks pregnant and I have noticed less movement from the baby today.",
     ("I also had a little spotting this afternoon.", "I drank some juice and lay on my side.",
      "This is my second pregnancy.")),
    ("My father is confused today and he does not know where he is.",
     ("He is eighty four and this started this morning.", "He was fine yesterday evening.",
      "He has been coughing for a few days.")),
    ("I had my gallbladder out two weeks ago and my calf is swollen and painful.",
     ("It is the left leg and it feels warm.", "I have been lying in bed most of the time since surgery.",
      "There is no chest pain and I can breathe fine.")),
    ("I would like to become a new patient at your practice.",
     ("I just moved here from Ohio.", "I have Blue Cross insurance.",
      "I take medicine for thyroid and I need a new doctor to manage it.")),
    ("I think I took my evening pills twice by mistake.",
     ("It was my metoprolol and my sleeping pill.", "I feel very tired and my heart is slow.",
      "My husband is here with me.")),
)
RAMBLE = (
    "Sorry, I know you are busy, I just wanted to make sure someone gets this.",
    "I tried calling earlier but the line was busy.",
    "My son drove me to the pharmacy yesterday but they could not help.",
    "I am not sure if this is important, but I thought I should let you know.",
    "I also wanted to ask whether I should keep my appointment next Thursday.",
    "The weather has been cold so I have not been out much.",
    "I wrote down everything the surgeon told me but I cannot find the paper.",
    "If you need to leave a message, it is okay to leave details on my voicemail.",
    "I have been taking my vitamins and drinking plenty of water.",
    "My insurance card has a new member number since January.",
)
CLOSINGS = (
    "Please call me back at {phone}. Thank you.",
    "My number is {phone}. Thanks, bye.",
    "You can reach me at {phone}, my date of birth is {dob}. Thank you.",
    "Call me back when you can at {phone}. Have a good day.",
)


@dataclass(frozen=True)
class Clip:
    file: str
    text: str
    voice: str
    rate: int
    noise: float
    target_s: float


def _phone(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(7)]
    spoken = [DIGITS[d] for d in digits]
    return "five five five, " + " ".join(spoken[:3]) + ", " + " ".join(spoken[3:])


def _dob(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randrange(1, 28)}, nineteen {rng.choice(DIGITS[4:])} {rng.choice(DIGITS)}"


def compose(rng: random.Random, target_s: float, rate: int) -> str:
    """A voicemail of roughly `target_s` seconds at `rate` words a minute."""
    target_words = target_s * WORDS_PER_SECOND * rate / 150
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    fields = {"name": name, "doctor": rng.choice(DOCTORS), "phone": _phone(rng), "dob": _dob(rng)}
    head = rng.choice(GREETINGS).format(**fields)
    # Short messages end short: the phone system gives the caller's number anyway.
    tail = rng.choice(CLOSINGS).format(**fields) if target_s >= 15 else "Please call me back. Thanks."
    reasons = rng.sample(REASONS, len(REASONS))
    body: list[str] = []
    count = len(head.split()) + len(tail.split())
    for reason, details in reasons:
        for sentence in (reason, *details, rng.choice(RAMBLE)):
            if count + len(sentence.split()) > target_words and body:
                return " ".join([head, *body, tail])
            body.append(sentence)
            count += len(sentence.split())
    return " ".join([head, *body, tail])


def plan(count: int, min_s: float, max_s: float, seed: int, prefix: str) -> list[Clip]:
    """`count` clips with lengths spread from `min_s` to `max_s` (skewed short, as real voicemails are)."""
    rng = random.Random(seed)
    clips = []
    for i in range(count):
        share = (i + 0.5) / count
        target = min_s + (max_s - min_s) * share**2
        rate = rng.choice(RATES)
        clips.append(Clip(
            file=f"{prefix}_{i:03d}.wav",
            text=compose(rng, target, rate),
            voice=VOICES[i % len(VOICES)],
            rate=rate,
            noise=NOISES[(i * 3) % len(NOISES)],
            target_s=round(target, 1),
        ))
    return clips


# The two sets: `main` (stage times, ratios) and `backlog` (clearing a queue of short messages).
SETS = {
    "main": dict(count=40, min_s=10, max_s=90, seed=9, prefix="vm"),
    "backlog": dict(count=100, min_s=9, max_s=14, seed=99, prefix="bl"),
    "latency": dict(count=1, min_s=31, max_s=31, seed=1001, prefix="drop30"),
}


def telephone_clip(clip: Clip, target: Path) -> None:
    """espeak-ng speech → 8 kHz band-limited, speakerphone level, line noise → mu-law WAV."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, band, hiss = (Path(tmp) / n for n in ("raw.wav", "band.wav", "hiss.wav"))
        subprocess.run(["espeak-ng", "-v", clip.voice, "-s", str(clip.rate), "-w", str(raw), clip.text],
                       check=True, capture_output=True)
        subprocess.run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(band),
                        "sinc", "300-3400", "vol", "0.7", "pad", "0.4", "0.8"], check=True, capture_output=True)
        length = subprocess.run(["soxi", "-D", str(band)], check=True, capture_output=True, text=True).stdout
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(hiss),
                        "synth", length.strip(), "whitenoise", "vol", str(clip.noise)],
                       check=True, capture_output=True)
        tmp_target = target.with_suffix(".tmp.wav")
        subprocess.run(["sox", "-m", str(band), str(hiss), "-e", "u-law", str(tmp_target)],
                       check=True, capture_output=True)
        tmp_target.replace(target)


def recipe_digest(clips: list[Clip]) -> str:
    blob = json.dumps([RECIPE_VERSION, [asdict(c) for c in clips]], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def missing_tools() -> list[str]:
    return [tool for tool in ("espeak-ng", "sox", "soxi") if shutil.which(tool) is None]


def ensure_set(name: str, cache: Path = DEFAULT_CACHE) -> list[Path]:
    """The set's WAV files, built into `cache/<name>/` when missing or made by an older recipe."""
    clips = plan(**SETS[name])
    folder = cache / name
    stamp = folder / "recipe.json"
    digest = recipe_digest(clips)
    paths = [folder / c.file for c in clips]
    current = stamp.is_file() and json.loads(stamp.read_text()).get("digest") == digest
    if current and all(p.is_file() for p in paths):
        return paths
    if missing_tools():
        raise RuntimeError(f"building the benchmark recordings needs {', '.join(missing_tools())}: "
                           "apt-get install espeak-ng sox")
    folder.mkdir(parents=True, exist_ok=True)
    for clip, path in zip(clips, paths, strict=True):
        if not (current and path.is_file()):
            telephone_clip(clip, path)
    stamp.write_text(json.dumps({"digest": digest, "clips": [asdict(c) for c in clips]}, indent=1))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_CACHE, help="cache folder (default data/bench)")
    args = parser.parse_args()
    for name in SETS:
        paths = ensure_set(name, args.out)
        print(f"{name}: {len(paths)} recordings in {paths[0].parent}")


if __name__ == "__main__":
    main()
