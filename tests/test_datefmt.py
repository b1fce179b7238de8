from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.analysis.dates.formats import FORMATS, ParsedDate, check_date


def at(value: str, token: str, occurrence: int = 0) -> tuple[int, int]:
    """Span of the `occurrence`-th `token` in `value`."""
    start = -1
    for _ in range(occurrence + 1):
        start = value.index(token, start + 1)
    return start, start + len(token)


def kinds_and_spans(value: str, fmt: str = "rfc2822") -> list[tuple[str, int, int]]:
    _, problems = check_date(value, fmt)  # type: ignore[arg-type]
    return [(p.kind, p.start, p.end) for p in problems]


# -- RFC 5322: valid -----------------------------------------------------------

VALID_RFC = [
    # Appendix A style: weekday, one-digit day, negative zone with half hour
    ("Fri, 21 Nov 1997 09:55:06 -0600", (1997, 11, 21, 9, 55, 6, -360, 4)),
    ("Tue, 1 Jul 2003 10:52:37 +0200", (2003, 7, 1, 10, 52, 37, 120, 1)),
    ("Thu, 13 Feb 1969 23:32:54 -0330", (1969, 2, 13, 23, 32, 54, -210, 3)),
    # weekday and seconds omitted
    ("21 Nov 1997 10:05 -0600", (1997, 11, 21, 10, 5, None, -360, None)),
    # A.5: folded white space and a trailing comment are current syntax
    (
        (
            "Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n"
            "               -0330 (Newfoundland Time)"
        ),
        (1969, 2, 13, 23, 32, None, -210, 3),
    ),
    ("Mon, 13 May 2019 12:45:33 +0200", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("Mon, 13 May 2019 12:45:33 +0200 (CEST)", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("Mon, 13 May 2019 12:45:33 +0200 (CEST (summer \\) time))", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("Mon,  13   May  2019\t12:45:33    +0200  ", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("  Mon,13 May 2019 12:45:33 +0200", (2019, 5, 13, 12, 45, 33, 120, 0)),
    # ABNF literals are case-insensitive (RFC 5234 §2.3)
    ("mon, 13 may 2019 12:45:33 +0200", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("MON, 13 MAY 2019 12:45:33 +0200", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("Thu, 29 Feb 2024 08:00:00 +0000", (2024, 2, 29, 8, 0, 0, 0, 3)),
    ("Tue, 29 Feb 2000 08:00:00 +0000", (2000, 2, 29, 8, 0, 0, 0, 1)),
    ("Sat, 31 Dec 2016 23:59:60 +0000", (2016, 12, 31, 23, 59, 60, 0, 5)),  # leap second
    ("Mon, 1 Jan 1900 00:00:00 +0000", (1900, 1, 1, 0, 0, 0, 0, 0)),
    ("Mon, 13 May 2019 12:45:33 +9959", (2019, 5, 13, 12, 45, 33, 99 * 60 + 59, 0)),
    ("Mon, 13 May 2019 12:45:33 +0200 (kommentaar met ë)", (2019, 5, 13, 12, 45, 33, 120, 0)),
]


@pytest.mark.parametrize(("value", "fields"), VALID_RFC)
def test_rfc2822_valid(value: str, fields: tuple) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert problems == []
    assert parsed is not None
    assert tuple(parsed)[:8] == fields
    assert parsed.has_time and parsed.has_zone


def test_rfc2822_to_datetime() -> None:
    parsed, _ = check_date("Mon, 13 May 2019 12:45:33 +0200", "rfc2822")
    assert parsed is not None
    assert parsed.to_datetime() == datetime(2019, 5, 13, 10, 45, 33, tzinfo=timezone.utc)
    assert parsed.to_datetime().utcoffset() == timedelta(hours=2)  # type: ignore[union-attr]


def test_leap_second_becomes_next_second() -> None:
    parsed, _ = check_date("Sat, 31 Dec 2016 23:59:60 +0000", "rfc2822")
    assert parsed is not None
    assert parsed.to_datetime() == datetime(2017, 1, 1, tzinfo=timezone.utc)


def test_offset_beyond_a_day_is_not_a_datetime() -> None:
    parsed, _ = check_date("Mon, 13 May 2019 12:45:33 +9959", "rfc2822")
    assert parsed is not None and parsed.to_datetime() is None


# -- RFC 5322: invalid ---------------------------------------------------------

INVALID_RFC = [
    # (value, token that must be flagged, occurrence)
    ("Mon, 32 May 2019 12:00:00 +0000", "32", 0),
    ("Sun, 31 Apr 2019 12:00:00 +0000", "31", 0),
    ("Wed, 29 Feb 2023 12:00:00 +0000", "29", 0),
    ("Mon, 29 Feb 1900 12:00:00 +0000", "29", 0),  # 1900 is not a leap year
    ("Mon, 0 May 2019 12:00:00 +0000", "0", 0),
    ("Mon, 13 Mai 2019 12:00:00 +0000", "Mai", 0),
    ("Mon, 13 May 2019 25:00:00 +0000", "25", 0),
    ("Mon, 13 May 2019 12:60:00 +0000", "60", 0),
    ("Mon, 13 May 2019 12:45:61 +0000", "61", 0),
    ("Mon, 13 May 2019 12:45:33 +2", "+2", 0),
    ("Mon, 13 May 2019 12:45:33 +020", "+020", 0),
    ("Mon, 13 May 2019 12:45:33 +02:00", "+02:00", 0),
    ("Mon, 13 May 2019 12:45:33 +0260", "+0260", 0),
    ("Mon, 13 May 2019 12:45:33+0200", "+0200", 0),
    ("Mon, 13 May 2019 12:45:33 (c)+0200", "+0200", 0),
    ("Mon, 13 May 2019 12:45:33 CEST", "CEST", 0),
    ("Mon, 13 May 2019 12:45:33 UTC", "UTC", 0),
    ("Mon, 13 May 2019 12:45:33 J", "J", 0),  # the one letter obs-zone leaves out
    ("Mon, 13 May 2019 12:45:33 +0200 CEST", "CEST", 0),
    ("Mon, 13 May 1899 12:45:33 +0200", "1899", 0),
    ("Mon, 13 May 2019 9:45:33 +0200", "9", 1),
    ("Mon, 13 May 2019 12:5:33 +0200", "5", 0),
    ("Mon, 130 May 2019 12:45:33 +0200", "130", 0),
    ("Mon 13 May 2019 12:45:33 +0200", "Mon", 0),
    ("May 13 2019 12:45:33 +0200", "May", 0),
    ("Mon, 13 05 2019 12:45:33 +0200", "05", 0),
    ("Mon, 13 May 9 12:45:33 +0200", "9", 0),
    ("Mon, 13 May 2019 12:45:33 +0200 (unclosed", "(unclosed", 0),
    ("2019-05-13 12:45:33 +0200", "2019", 0),
    ("Mon, 13 May 2019 12.45.33 +0200", "12", 0),  # '.' is not ':'
]


@pytest.mark.parametrize(("value", "token", "occurrence"), INVALID_RFC)
def test_rfc2822_invalid(value: str, token: str, occurrence: int) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is None
    assert [(p.kind, p.start, p.end) for p in problems] == [("invalid", *at(value, token, occurrence))]


def test_missing_zone_points_at_time_and_mentions_jekyll() -> None:
    value = "Mon, 13 May 2019 12:45:33"
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is None
    assert [(p.kind, p.start, p.end) for p in problems] == [("invalid", *at(value, "12:45:33"))]
    assert "Jekyll" in problems[0].message
    assert problems[0].suggestion is None


def test_non_english_names_are_each_invalid() -> None:
    value = "ma, 13 mei 2019 12:45:33 +0200"
    assert kinds_and_spans(value) == [("invalid", *at(value, "ma")), ("invalid", *at(value, "mei"))]


def test_missing_parts_point_inside_the_value() -> None:
    for value in ("Mon,", "Mon, 13", "Mon, 13 May", "Mon, 13 May 2019", "Mon, 13 May 2019 12", "Mon, 13 May 2019 12:"):
        parsed, problems = check_date(value, "rfc2822")
        assert parsed is None
        assert len(problems) == 1 and problems[0].kind == "invalid"
        assert 0 <= problems[0].start < problems[0].end <= len(value)


@pytest.mark.parametrize("value", ["", "   ", "(only a comment)"])
def test_no_date_at_all(value: str) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is None
    assert [(p.kind, p.start, p.end) for p in problems] == [("invalid", 0, len(value))]


SUGGESTIONS_INVALID = [
    ("Mon, 13 May 2019 12:45:33 +2", "Mon, 13 May 2019 12:45:33 +0200"),
    ("Mon, 13 May 2019 12:45:33 -05", "Mon, 13 May 2019 12:45:33 -0500"),
    ("Mon, 13 May 2019 12:45:33 +02:00", "Mon, 13 May 2019 12:45:33 +0200"),
    ("Mon, 13 May 2019 12:45:33+0200", "Mon, 13 May 2019 12:45:33 +0200"),
    ("Mon, 13 May 2019 12:45:33 CEST", "Mon, 13 May 2019 12:45:33 +0200"),
    ("Mon, 13 May 2019 12:45:33 UTC", "Mon, 13 May 2019 12:45:33 +0000"),
    ("Mon, 13 May 2019 12:45:33 +0200 CEST", "Mon, 13 May 2019 12:45:33 +0200 (CEST)"),
    ("Mon 13 May 2019 12:45:33 +0200", "Mon, 13 May 2019 12:45:33 +0200"),
    ("Mon, 13 May 2019 9:45:33 +0200", "Mon, 13 May 2019 09:45:33 +0200"),
    # 24:00 is the end of the day: the next day's midnight, weekday and all
    ("Sun, 31 Dec 2023 24:00:00 +0000", "Mon, 01 Jan 2024 00:00:00 +0000"),
    ("Thu, 28 Feb 2019 24:00 +0100", "Fri, 01 Mar 2019 00:00 +0100"),
    ("29 Feb 2024 24:00:00 +0100", "01 Mar 2024 00:00:00 +0100"),
]


@pytest.mark.parametrize(("value", "suggestion"), SUGGESTIONS_INVALID)
def test_invalid_suggestions(value: str, suggestion: str) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is None
    assert [p.suggestion for p in problems] == [suggestion]
    fixed, again = check_date(suggestion, "rfc2822")
    assert fixed is not None and again == []


@pytest.mark.parametrize(
    "value",
    [
        "Wed, 29 Feb 2023 12:00:00 +0000",  # which day was meant is unknown
        "Mon, 32 May 2019 12:00:00 +0000",
        "Mon, 13 May 2019 12:45:33",  # which zone is unknown
        "Mon, 13 May 2019 24:30:00 +0000",  # 24:00 alone is a known idiom
        "ma, 13 mei 2019 12:45:33 +0200",
        "Mon, 13 May 2019 12:45:33 +020",
    ],
)
def test_ambiguous_invalid_has_no_suggestion(value: str) -> None:
    _, problems = check_date(value, "rfc2822")
    assert problems and all(p.suggestion is None for p in problems)


# -- ctime style: what `date` and git print --------------------------------------

CTIME = [
    # (value, suggestion): only where the zone has one meaning
    ("Tue Mar  5 09:10:11 CET 2019", "Tue, 5 Mar 2019 09:10:11 +0100"),
    ("Tue Mar 5 09:10:11 2019 +0100", "Tue, 5 Mar 2019 09:10:11 +0100"),  # git's default
    ("Mon May 13 23:30:00 UTC 2019", "Mon, 13 May 2019 23:30:00 +0000"),
    ("mon may 13 9:30 EEST 2019", "Mon, 13 May 2019 09:30 +0300"),
    ("Tue Mar  5 09:10:11 PST 2019", "Tue, 5 Mar 2019 09:10:11 -0800"),
    ("Tue Mar  5 09:10:11 PM CET 2019", "Tue, 5 Mar 2019 21:10:11 +0100"),  # GNU date, en_US
    ("Tue Mar  5 12:10:11 AM CET 2019", "Tue, 5 Mar 2019 00:10:11 +0100"),
    ("Tue Mar  5 13:10:11 PM CET 2019", None),
    ("Tue Mar  5 09:10:11 CST 2019", None),  # US Central, China or Cuba
    ("Tue Mar  5 09:10:11 IST 2019", None),  # India, Ireland or Israel
    ("Tue Mar  5 09:10:11 XYZ 2019", None),  # unknown
    ("Tue Mar  5 09:10:11 2019", None),  # asctime: no zone at all
    ("Mon Mar  5 09:10:11 CET 2019", None),  # 5 March 2019 was a Tuesday: which is wrong?
    ("Tue Mar 32 09:10:11 CET 2019", None),
]


@pytest.mark.parametrize(("value", "suggestion"), CTIME)
def test_ctime_style(value: str, suggestion: str | None) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is None
    assert [(p.kind, p.start, p.end, p.suggestion) for p in problems] == [
        ("invalid", 0, len(value), suggestion)
    ]
    if suggestion is not None:
        fixed, again = check_date(suggestion, "rfc2822")
        assert fixed is not None and again == []
        assert fixed.to_datetime() is not None


def test_a_fix_is_offered_only_when_it_leads_to_a_clean_date() -> None:
    # Adding the comma would reveal the wrong weekday: no fix, and the message says why.
    _, problems = check_date("Tue 13 May 2019 12:45:33 +0200", "rfc2822")
    assert [(p.kind, p.suggestion) for p in problems] == [("invalid", None)]
    assert "Monday" in problems[0].message
    # Two invalid parts with known corrections: each fix corrects both.
    value = "Mon, 13 May 2019 9:45:33 +2"
    _, problems = check_date(value, "rfc2822")
    assert [(p.start, p.end, p.suggestion) for p in problems] == [
        (*at(value, "9", 1), "Mon, 13 May 2019 09:45:33 +0200"),
        (*at(value, "+2"), "Mon, 13 May 2019 09:45:33 +0200"),
    ]
    # Obsolete syntax beside the invalid part is normalised along.
    _, problems = check_date("Mon 13 May 19 12:45:33 GMT", "rfc2822")
    assert [p.suggestion for p in problems] == ["Mon, 13 May 2019 12:45:33 +0000"]


# -- RFC 5322: weekday ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fixed"),
    [
        ("Tue, 13 May 2019 12:45:33 +0200", "Mon, 13 May 2019 12:45:33 +0200"),
        ("Sun, 29 Feb 2024 10:00:00 +0000", "Thu, 29 Feb 2024 10:00:00 +0000"),
        ("fri, 1 Jul 2003 10:52:37 +0200", "Tue, 1 Jul 2003 10:52:37 +0200"),
        ("Mon, 13 May 19 12:45:33 +0200", None),  # weekday agrees with the year 2019
    ],
)
def test_weekday(value: str, fixed: str | None) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is not None  # a wrong weekday does not stop the parse
    weekday_problems = [p for p in problems if p.kind == "weekday"]
    if fixed is None:
        assert weekday_problems == []
        return
    assert [(p.start, p.end, p.suggestion) for p in weekday_problems] == [(0, 3, fixed)]
    assert parsed.weekday is not None  # the weekday as written


# -- RFC 5322: obsolete --------------------------------------------------------

OBSOLETE = [
    # (value, flagged token, suggestion, year, offset)
    # several obsolete parts: each suggestion modernises them all
    ("21 Nov 97 09:55:06 GMT", "97", "21 Nov 1997 09:55:06 +0000", 1997, 0),
    ("21 Nov 97 09:55:06 GMT", "GMT", "21 Nov 1997 09:55:06 +0000", 1997, 0),
    ("Mon, 13 May 19 12:45:33 +0200", "19", "Mon, 13 May 2019 12:45:33 +0200", 2019, 120),
    ("Sat, 1 Jan 00 12:00:00 +0000", "00", "Sat, 1 Jan 2000 12:00:00 +0000", 2000, 0),
    ("Thu, 1 Jan 49 12:00:00 +0000", "49", "Thu, 1 Jan 2049 12:00:00 +0000", 2049, 0),
    ("Sun, 1 Jan 50 12:00:00 +0000", "50", "Sun, 1 Jan 1950 12:00:00 +0000", 1950, 0),
    ("Mon, 13 May 119 12:45:33 +0200", "119", "Mon, 13 May 2019 12:45:33 +0200", 2019, 120),
    ("Mon, 13 May 2019 12:45:33 GMT", "GMT", "Mon, 13 May 2019 12:45:33 +0000", 2019, 0),
    ("Mon, 13 May 2019 12:45:33 UT", "UT", "Mon, 13 May 2019 12:45:33 +0000", 2019, 0),
    ("Mon, 13 May 2019 12:45:33 gmt", "gmt", "Mon, 13 May 2019 12:45:33 +0000", 2019, 0),
    ("Mon, 13 May 2019 12:45:33 EST", "EST", "Mon, 13 May 2019 12:45:33 -0500", 2019, -300),
    ("Mon, 13 May 2019 12:45:33 EDT", "EDT", "Mon, 13 May 2019 12:45:33 -0400", 2019, -240),
    ("Mon, 13 May 2019 12:45:33 CST", "CST", "Mon, 13 May 2019 12:45:33 -0600", 2019, -360),
    ("Mon, 13 May 2019 12:45:33 MDT", "MDT", "Mon, 13 May 2019 12:45:33 -0600", 2019, -360),
    ("Mon, 13 May 2019 12:45:33 PST", "PST", "Mon, 13 May 2019 12:45:33 -0800", 2019, -480),
    ("Mon, 13 May 2019 12:45:33 PDT", "PDT", "Mon, 13 May 2019 12:45:33 -0700", 2019, -420),
    ("Mon, 13 May 2019 12:45:33GMT", "GMT", "Mon, 13 May 2019 12:45:33 +0000", 2019, 0),
    # military letters: RFC 822 defined them backwards, so no suggestion; but
    # Z is UTC whichever way they are read
    ("Mon, 13 May 2019 12:45:33 Z", "Z", "Mon, 13 May 2019 12:45:33 +0000", 2019, 0),
    ("Mon, 13 May 2019 12:45:33 q", "q", None, 2019, None),
    # Jekyll reads RFC 822's names as RFC 822 defines them
    ("2019-05-13 12:45:33 EST", "EST", "2019-05-13 12:45:33 -0500", 2019, -300),
    ("2019-05-13 12:45:33PDT", "PDT", "2019-05-13 12:45:33 -0700", 2019, -420),
]


@pytest.mark.parametrize(("value", "token", "suggestion", "year", "offset"), OBSOLETE)
def test_obsolete(value: str, token: str, suggestion: str | None, year: int, offset: int | None) -> None:
    parsed, problems = check_date(value, "jekyll" if value.startswith("2019-") else "rfc2822")
    assert parsed is not None
    assert (parsed.year, parsed.offset_minutes) == (year, offset)
    flagged = [p for p in problems if (p.start, p.end) == at(value, token)]
    assert [(p.kind, p.suggestion) for p in flagged] == [("obsolete", suggestion)]


def test_obsolete_year_and_zone_are_two_problems() -> None:
    value = "21 Nov 97 09:55:06 GMT"  # RFC 5322 A.6.2
    assert kinds_and_spans(value) == [("obsolete", *at(value, "97")), ("obsolete", *at(value, "GMT"))]


def test_obsolete_comments_and_spaces_inside_time() -> None:
    value = "Fri, 21 Nov 1997 09(comment):   55  :  06 -0600"  # RFC 5322 A.6.3
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is not None and (parsed.hour, parsed.minute, parsed.second) == (9, 55, 6)
    start = value.index("(comment)")
    end = value.index("06")
    assert [(p.kind, p.start, p.end) for p in problems] == [("obsolete", start, end)]
    assert problems[0].suggestion == "Fri, 21 Nov 1997 09:55:06 -0600"


@pytest.mark.parametrize(
    ("value", "span_text", "suggestion"),
    [
        ("Mon , 13 May 2019 12:45:33 +0200", " ", "Mon, 13 May 2019 12:45:33 +0200"),
        ("(c) Mon, 13 May 2019 12:45:33 +0200", "(c) ", "Mon, 13 May 2019 12:45:33 +0200"),
        ("Mon, 13 (c) May 2019 12:45:33 +0200", " (c) ", "Mon, 13 May 2019 12:45:33 +0200"),
        ("13May2019 12:45:33 +0200", "13May2019", "13 May 2019 12:45:33 +0200"),
        ("Mon, 13 May 2019 12:45:33 (c) +0200", " (c) ", "Mon, 13 May 2019 12:45:33 +0200"),
    ],
)
def test_obsolete_white_space(value: str, span_text: str, suggestion: str) -> None:
    parsed, problems = check_date(value, "rfc2822")
    assert parsed is not None
    assert [(p.kind, p.start, p.end, p.suggestion) for p in problems] == [
        ("obsolete", *at(value, span_text), suggestion)
    ]


@pytest.mark.parametrize(
    ("value", "fmt"), [("Mon, 13 May 2019 12:45:33 -0000", "rfc2822"), ("2019-05-13T12:45:33-00:00", "iso8601")],
)
def test_minus_zero_is_current_syntax_and_means_utc(value: str, fmt: str) -> None:
    # RFC 5322 §3.3 / RFC 3339 §4.3: the time is in UTC, the local offset unknown.
    parsed, problems = check_date(value, fmt)  # type: ignore[arg-type]
    assert problems == []
    assert parsed is not None and parsed.to_datetime() == datetime(2019, 5, 13, 12, 45, 33, tzinfo=timezone.utc)


# -- Jekyll ----------------------------------------------------------------------

VALID_JEKYLL = [
    ("2019-05-13 12:45:33 +0200", (2019, 5, 13, 12, 45, 33, 120), True, True),
    ("2019-05-13 12:45:33 -07:00", (2019, 5, 13, 12, 45, 33, -420), True, True),
    ("2019-05-13 12:45:33+0200", (2019, 5, 13, 12, 45, 33, 120), True, True),
    ("2019-05-13T12:45:33Z", (2019, 5, 13, 12, 45, 33, 0), True, True),
    ("2019-05-13 12:45:33.25 +0000", (2019, 5, 13, 12, 45, 33, 0), True, True),
    ("2019-05-13 9:00:00 +0200", (2019, 5, 13, 9, 0, 0, 120), True, True),
    # no zone: valid, read in the site's timezone
    ("2019-05-13 12:45:33", (2019, 5, 13, 12, 45, 33, None), True, False),
    ("2019-05-13 12:45", (2019, 5, 13, 12, 45, None, None), True, False),
    ("2019-05-13 9:00:00", (2019, 5, 13, 9, 0, 0, None), True, False),
    ("2019-05-13", (2019, 5, 13, 0, 0, None, None), False, False),
    ("2024-02-29", (2024, 2, 29, 0, 0, None, None), False, False),
    # YAML 1.1 timestamps: one- or two-digit month, day, hour and zone hour
    ("2019-5-3", (2019, 5, 3, 0, 0, None, None), False, False),
    ("2019-5-3 9:05:00", (2019, 5, 3, 9, 5, 0, None), True, False),
    ("2019-05-13 12:45:33 +2", (2019, 5, 13, 12, 45, 33, 120), True, True),
    ("2019-05-13 12:45:33 -05", (2019, 5, 13, 12, 45, 33, -300), True, True),
    ("2019-05-13 12:45:33 -5:30", (2019, 5, 13, 12, 45, 33, -330), True, True),
    # Ruby's Time#to_s, and the other names Time.parse reads as UTC
    ("2019-05-13 23:30:00 UTC", (2019, 5, 13, 23, 30, 0, 0), True, True),
    ("2019-05-13 23:30:00 GMT", (2019, 5, 13, 23, 30, 0, 0), True, True),
    ("2019-05-13 23:30:00 Z", (2019, 5, 13, 23, 30, 0, 0), True, True),
    ("2019-05-13 23:30:00 utc", (2019, 5, 13, 23, 30, 0, 0), True, True),
]


@pytest.mark.parametrize(("value", "fields", "has_time", "has_zone"), VALID_JEKYLL)
def test_jekyll_valid(value: str, fields: tuple, has_time: bool, has_zone: bool) -> None:
    parsed, problems = check_date(value, "jekyll")
    assert problems == []
    assert parsed is not None
    assert tuple(parsed)[:7] == fields
    assert (parsed.has_time, parsed.has_zone, parsed.weekday) == (has_time, has_zone, None)


def test_jekyll_without_zone_is_naive() -> None:
    parsed, _ = check_date("2019-05-13 12:45:33", "jekyll")
    assert parsed is not None and parsed.to_datetime() == datetime(2019, 5, 13, 12, 45, 33)


INVALID_JEKYLL = [
    # (value, flagged text, suggestion)
    ("2019-123-13", "123", None),
    ("2023-02-29", "29", None),
    ("2019-04-31 12:00:00 +0200", "31", None),
    ("2019-13-01", "13", None),
    ("2019-05-13 24:00:00 +0200", "24", None),
    ("2019-05-13 12:60:00 +0200", "60", None),
    ("2019-05-13 12:45:33 +200", "+200", None),  # +2:00 or +20:0? Psych reads +20 hours
    ("2019-05-13 12:45:33 +2:0", "+2:0", None),
    ("2019-05-13 12:45:33 CEST", "CEST", "2019-05-13 12:45:33 +0200"),
    ("2019-05-13 12:45:33 +2500", "+2500", None),
    ("2019-05-13 12:45:33 +0200 (CEST)", " (CEST)", None),
    ("2019-05-13 ", " ", "2019-05-13"),
    ("19-05-13", "19", None),
    ("13-05-2019", "13-05-2019", None),
    ("Mon, 13 May 2019 12:45:33 +0200", "Mon, 13 May 2019 12:45:33 +0200", None),
]


@pytest.mark.parametrize(("value", "text", "suggestion"), INVALID_JEKYLL)
def test_jekyll_invalid(value: str, text: str, suggestion: str | None) -> None:
    parsed, problems = check_date(value, "jekyll")
    assert parsed is None
    assert [(p.kind, p.start, p.end, p.suggestion) for p in problems] == [
        ("invalid", *at(value, text), suggestion)
    ]


# -- RFC 3339 --------------------------------------------------------------------

VALID_ISO = [
    ("2019-05-13T12:45:33+02:00", (2019, 5, 13, 12, 45, 33, 120, 0)),
    ("2019-05-13T12:45:33.123456Z", (2019, 5, 13, 12, 45, 33, 0, 123456)),
    ("2019-05-13t12:45:33z", (2019, 5, 13, 12, 45, 33, 0, 0)),
    ("2019-05-13T12:45-05:30", (2019, 5, 13, 12, 45, None, -330, 0)),
    ("2016-12-31T23:59:60Z", (2016, 12, 31, 23, 59, 60, 0, 0)),
    ("2019-05-13", (2019, 5, 13, 0, 0, None, None, 0)),
]


@pytest.mark.parametrize(("value", "fields"), VALID_ISO)
def test_iso_valid(value: str, fields: tuple) -> None:
    parsed, problems = check_date(value, "iso8601")
    assert problems == []
    assert parsed is not None
    p = parsed
    assert (p.year, p.month, p.day, p.hour, p.minute, p.second, p.offset_minutes, p.microsecond) == fields


INVALID_ISO = [
    ("2019-05-13 12:45:33+02:00", " ", "2019-05-13T12:45:33+02:00"),
    ("2019-05-13T12:45:33", "12:45:33", None),
    ("2019-05-13T12:45:33+0200", "+0200", "2019-05-13T12:45:33+02:00"),
    ("2019-05-13T12:45:33+2", "+2", "2019-05-13T12:45:33+02:00"),
    ("2018-05-13T9:45:33Z", "9", "2018-05-13T09:45:33Z"),
    ("2019-05-13T12:45:33 Z", " ", "2019-05-13T12:45:33Z"),
    ("2019-05-13T12:45:33,5Z", ",", "2019-05-13T12:45:33.5Z"),
    ("2019-05-13T12:45:33.Z", ".", None),
    ("2019-05-13T12:45:33+24:00", "+24:00", None),
    ("2019-02-30", "30", None),
]


@pytest.mark.parametrize(("value", "text", "suggestion"), INVALID_ISO)
def test_iso_invalid(value: str, text: str, suggestion: str | None) -> None:
    parsed, problems = check_date(value, "iso8601")
    assert parsed is None
    assert [(p.kind, p.start, p.end, p.suggestion) for p in problems] == [
        ("invalid", *at(value, text), suggestion)
    ]


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError):
        check_date("2019-05-13", "rfc822")  # type: ignore[arg-type]


# -- properties --------------------------------------------------------------------

date_like = st.text(
    alphabet=st.sampled_from(list("0123456789 \t\r\n,:+-()\\.TZzMonayGMTJ") + ["é", "١", "\x00"]),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(st.text(max_size=40), date_like), fmt=st.sampled_from(FORMATS))
def test_never_raises_and_spans_are_inside(value: str, fmt: str) -> None:
    parsed, problems = check_date(value, fmt)  # type: ignore[arg-type]
    for p in problems:
        assert 0 <= p.start <= p.end <= len(value)
        assert p.end > p.start or value == ""
        assert p.message
    if any(p.kind == "invalid" for p in problems):
        assert parsed is None
    elif parsed is not None:
        assert isinstance(parsed, ParsedDate)
        parsed.to_datetime()


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 30)),
       offset=st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59))
def test_round_trip_of_formatted_dates(moment: datetime, offset: int) -> None:
    moment = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset)))
    sign = "-" if offset < 0 else "+"
    zone = f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    rfc = moment.strftime("%a, %d %b %Y %H:%M:%S ") + zone
    jekyll = moment.strftime("%Y-%m-%d %H:%M:%S ") + zone
    iso = moment.isoformat()
    for value, fmt in ((rfc, "rfc2822"), (jekyll, "jekyll"), (iso, "iso8601")):
        parsed, problems = check_date(value, fmt)  # type: ignore[arg-type]
        assert problems == [] and parsed is not None, value
        assert parsed.to_datetime() == moment


date_tokens = st.lists(
    st.sampled_from(list("0123456789 :+-,()TZ") + [
        "Mon", "Tue", "Mar", "May", "CET", "CST", "UTC", "GMT", "EST", "2019", "19", "13", "5",
        "09:10:11", "9:10", "\r\n ", "  ",
    ]),
    max_size=14,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(value=date_tokens, fmt=st.sampled_from(FORMATS))
def test_an_invalid_values_suggestion_is_a_clean_date(value: str, fmt: str) -> None:
    _, problems = check_date(value, fmt)  # type: ignore[arg-type]
    for p in problems:
        if p.kind == "invalid" and p.suggestion is not None:
            fixed, again = check_date(p.suggestion, fmt)  # type: ignore[arg-type]
            assert fixed is not None and again == [], (value, p)


@pytest.mark.parametrize("zone", ["XYZ", "IST"])
def test_ctime_with_unknown_zone_advises_its_own_date(zone: str) -> None:
    # No fix (the offset cannot be known), but the advice rewrites this date,
    # not a fixed example, and leaves the offset for the author to fill in.
    value = f"Fri Jun 12 18:04:05 {zone} 2020"
    _, problems = check_date(value, "rfc2822")
    assert [(p.kind, p.suggestion) for p in problems] == [("invalid", None)]
    assert "Fri, 12 Jun 2020 18:04:05 +hhmm" in problems[0].message
    assert "2019" not in problems[0].message


# -- answers kept per process ---------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["Mon, 13 May 2019 12:45:33 +0200", "2019-5-13 12:45:33 GMT", "13 Mei 2019", "x" * 300],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_checked_again_gets_the_same_answer(value: str, fmt: str) -> None:
    from postlint.analysis.dates import formats

    formats._checked.clear()
    formats._any_parsed.clear()
    parsed, problems = check_date(value, fmt)  # type: ignore[arg-type]
    expected = (parsed, list(problems))
    anyway = formats.parse_any_date(value)
    problems.clear()  # the caller's own list: what is kept stays as it was
    for _ in range(2):
        assert check_date(value, fmt) == expected  # type: ignore[arg-type]
        assert formats.parse_any_date(value) == anyway


def test_the_usual_rfc5322_shape_reads_as_the_full_grammar() -> None:
    import random

    from postlint.analysis.dates.formats import DAY_NAMES, MONTH_NAMES, _plain_rfc5322, _Rfc5322

    rng = random.Random(5322)
    seen = {True: 0, False: 0}
    for _ in range(4000):
        year = rng.choice([1899, 1900, 1999, 2000, 2019, 2024, 2100, rng.randint(1900, 2200)])
        month = rng.randint(1, 12)
        day = rng.choice([1, 9, 28, 29, 30, 31, 0, rng.randint(1, 31)])
        try:
            weekday = datetime(2000 + year % 400, month, day).weekday()
        except ValueError:
            weekday = rng.randint(0, 6)
        if rng.random() < 0.15:
            weekday = (weekday + rng.randint(1, 6)) % 7
        hour, minute, second = rng.choice([0, 9, 23, 24]), rng.choice([0, 59, 60]), rng.choice([0, 33, 59, 60, 61])
        zone = rng.choice(["+0200", "-0000", "+0000", "-0930", "+2400", "+0160", "+9999", "-1200"])
        day_text = str(day) if rng.random() < 0.5 else f"{day:02d}"
        time = f"{hour:02d}:{minute:02d}:{second:02d}"
        value = f"{DAY_NAMES[weekday]}, {day_text} {MONTH_NAMES[month - 1]} {year} {time} {zone}"
        plain = _plain_rfc5322(value)
        full, problems = _Rfc5322(value).run()
        seen[plain is not None] += 1
        if plain is not None:
            assert (plain, problems) == (full, []), value
        else:
            assert problems or full is None or full.second == 60 or full.year < 1900, value
    assert seen[True] > 300 and seen[False] > 300
    for other in ["Mon, 13 May 2019 12:45 +0200", "mon, 13 May 2019 12:45:33 +0200", " Mon, 13 May 2019 12:45:33 +0200",
                  "Mon,  13 May 2019 12:45:33 +0200", "Mon, 13 May 2019 12:45:33 GMT", "13 May 2019 12:45:33 +0200"]:
        assert _plain_rfc5322(other) is None
