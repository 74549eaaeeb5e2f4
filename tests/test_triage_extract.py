"""Extraction: callback numbers (spoken and written), date of birth, names, medications, days
since a procedure, and the numbers behind the rules (temperatures, ages)."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
from pipeline.triage.extract import callback_numbers, caller_name, date_of_birth, patient_name
from pipeline.triage.facts import temperature_at_stated_limit, temperatures_f, without_fever_limits
from pipeline.triage.numbers import spoken_to_digits


@pytest.fixture(scope="module")
def triager():
    return Triager(RULES_DIR, model_path=None)


@pytest.mark.parametrize(("text", "number"), [
    ("call me back at five five five, two one two, zero one nine nine", "+15552120199"),
    ("my number is 555-212-0199", "+15552120199"),
    ("reach me at (617) 555-0110 thanks", "+16175550110"),
    ("it's area code four one five, five five five, zero one nine two", "+14155550192"),
    ("call seven one three five five five zero one six three", "+17135550163"),
    ("my cell is 1 312 555 0147", "+13125550147"),
])
def test_callback_numbers_are_normalised_to_e164(text, number):
    assert callback_numbers(text) == [number]


def test_a_date_of_birth_is_not_taken_for_a_phone_number():
    assert callback_numbers("date of birth 11/30/1978, nothing else") == []


@pytest.mark.parametrize(("text", "dob"), [
    ("my date of birth is March 3rd, 1956", "1956-03-03"),
    ("birthday 11/30/1978", "1978-11-30"),
    ("DOB the fourth of July 1990", "1990-07-04"),
    ("date of birth is January twenty second nineteen seventy five", "1975-01-22"),
    ("fecha de nacimiento 5 de mayo de 1980", "1980-05-05"),
])
def test_dates_of_birth_in_spoken_and_written_forms(text, dob):
    assert date_of_birth(text) == dob


def test_caller_name_after_this_is():
    assert caller_name("Hi, this is Rosa Delgado, calling about my refill") == "Rosa Delgado"


def test_caller_name_is_not_an_organisation_word():
    assert caller_name("hi this is the lab calling with a result") is None


def test_patient_name_when_calling_for_someone_else():
    text = "Hi this is Maria Garcia, I'm calling about my son Jacob, he has a fever"
    assert patient_name(text, caller_name(text)) == "Jacob"


def test_medications_exact_brand_and_misheard(triager):
    result = triager.triage("I take Eliquis and lisnopril, and my husband is on war farin")
    assert result.extraction.medications == ["apixaban", "lisinopril", "warfarin"]


def test_days_since_procedure(triager):
    assert triager.triage("I had knee surgery five days ago and it hurts").extraction.days_since_procedure == 5


def test_extraction_is_filled_on_every_result(triager):
    ext = triager.triage("This is Tom Becker, birthday June 2nd 1961, call 312 555 0147").extraction
    assert (ext.caller_name, ext.date_of_birth, ext.callback_numbers) == ("Tom Becker", "1961-06-02",
                                                                          ["+13125550147"])


@pytest.mark.parametrize(("text", "digits"), [
    ("one oh one point five", "101.5"),
    ("a hundred and two", "102"),
    ("ninety nine point eight", "99.8"),
])
def test_spoken_numbers_become_digits(text, digits):
    assert spoken_to_digits(text) == digits


def test_celsius_temperatures_are_converted():
    assert temperatures_f("fever of 38.5 C") == [101.3]


def test_numbers_far_from_a_temperature_word_are_not_temperatures():
    assert temperatures_f("I need 100 tablets of my metformin") == []


@pytest.mark.parametrize(("text", "at_limit"), [
    ("they said call if the temp goes over 100.4, and the thermometer says 100.8", True),
    ("the discharge sheet says call for a fever of 101 or more, it reads 101.0 now", True),
    ("the cutoff they gave me is 38.3 and I just measured 38.5", True),
    ("they said call if the temp is over 101, I'm at 99.6", False),
    ("please call back when you can, my temp is 102", False),
])
def test_a_reading_is_compared_with_the_fever_limit_the_caller_quotes(text, at_limit):
    assert temperature_at_stated_limit(text) is at_limit


def test_a_quoted_fever_limit_is_not_a_temperature_reading():
    text = "they said call if his temperature goes above 101.5, it's 100.2"
    assert temperatures_f(without_fever_limits(text)) == [100.2]
