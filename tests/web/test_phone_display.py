"""Phone numbers on the page read the same however the phone system or the caller wrote them."""

from pipeline.web.app import _phone


def test_the_same_number_written_two_ways_displays_identically():
    assert _phone("+15552120199") == _phone("+1 555 212 0199") == _phone("(555) 212-0199")
    assert _phone("+15552120199").startswith("+1 555")


def test_an_unparseable_number_is_shown_as_stored():
    assert _phone("ext 12") == "ext 12"
    assert _phone(None) == ""
