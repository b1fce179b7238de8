"""Strict date grammars: RFC 5322 date-time, Jekyll's front-matter date, RFC 3339.

Long because: three whole grammars (RFC 5322 with its obsolete syntax,
Jekyll's, RFC 3339), each with problem spans and suggestions, share one
tokenizer, the calendar checks and the logic that decides when a suggestion is
unambiguous.

`check_date(value, fmt)` returns the parsed date (None when the value is
invalid) and a list of problems, each with a code-point span into `value`:

- ``invalid``  (DT001) the grammar rejects the value, or it names an impossible
  date or time; the span points at the offending token;
- ``weekday``  (DT002) the written day name is not the date's real weekday;
- ``obsolete`` (DT003) syntax the RFC still accepts but tells writers not to
  generate; the value is still parsed.

A `suggestion` is the corrected *whole* value, given only where the intended
date is unambiguous. For an ``invalid`` value it is offered only when it leads
to a date with no problem at all (other parts with a known correction are
corrected along); a wrong weekday it would reveal, or a zone name with no one
meaning, withdraws it and the message says why. Spans satisfy
0 <= start < end <= len(value), except for an empty value, where the span is (0, 0).

``rfc2822`` -- RFC 5322 §3.3, with the obsolete forms of §4.3:

    date-time = [ day-of-week "," ] date time [CFWS]
    date      = day month year          ; day: 1*2DIGIT, year: 4*DIGIT >= 1900
    time      = hour ":" minute [ ":" second ] FWS zone    ; 2DIGIT each
    zone      = ( "+" / "-" ) 4DIGIT    ; -9959 .. +9959

Day and month names are ABNF literals and so case-insensitive (RFC 5234 §2.3):
``may`` and ``MON`` are valid. White space may be any run of spaces and tabs,
folded with CRLF. Comments (nested, with quoted pairs; non-ASCII allowed as in
RFC 6532) are plain syntax only after the zone; anywhere else -- and white space
where the current grammar allows none, such as ``Mon ,`` or ``09 : 55`` -- is
the §4.3 obsolete syntax, reported once as ``obsolete`` with a suggestion that
normalises it. Also ``obsolete``: two- and three-digit years (00-49 -> 20xx,
50-99 and three digits -> +1900), the zone names UT, GMT, EST ... PDT, military
letters (which RFC 5322 says mean -0000, as RFC 822 defined them backwards;
``Z`` is UTC either way). ``-0000`` is current syntax, not a problem: the time
is in UTC and the local offset is not known (§3.3). The calendar
checks of §3.3 are ``invalid``: day within its month, 00:00:00 to 23:59:60,
zone minutes below 60. ``24:00[:00]`` is invalid, with the next day's midnight
as suggestion. The zone is required: a missing zone is ``invalid``.
A ctime-style stamp (``Tue Mar  5 09:10:11 CET 2019``, git's
``Tue Mar 5 09:10:11 2019 +0100``) is ``invalid``, suggested in RFC 5322 form
when its zone is numeric or a name with one meaning (CET, EEST, UTC, PST...;
not CST, IST or BST, which name several zones).

``jekyll`` -- the front-matter date as Jekyll reads it: a YAML 1.1 timestamp
(Psych's ``ScalarScanner::TIME``: one- or two-digit month, day, hour and zone
hour), or a string Ruby's ``Time.parse`` reads in the same shape, such as
``Time#to_s``'s ``2019-05-13 23:30:00 UTC``:

    jekyll = date [ ( 1*(SP / HTAB) / "T" / "t" ) time [ *(SP / HTAB) zone ] ]
    date   = 4DIGIT "-" 1*2DIGIT "-" 1*2DIGIT
    time   = 1*2DIGIT ":" 2DIGIT [ ":" 2DIGIT [ "." 1*DIGIT ] ]
    zone   = ( "+" / "-" ) ( 1*2DIGIT / 2DIGIT 2DIGIT / 1*2DIGIT ":" 2DIGIT )
           / "Z" / "UTC" / "GMT" / "UT"              ; case-insensitive

A date alone, or a time without a zone, is *valid* (see postlint.model.site for the
zone Jekyll then reads it in). The result has ``has_time`` / ``has_zone`` False
and ``offset_minutes`` None. RFC 822's US zone names (EST ... PDT), which
Ruby reads as RFC 822 defines them, are ``obsolete``; other names are invalid
(Ruby ignores them and reads the build machine's time), with the numeric zone as
suggestion where the name has one meaning.

``iso8601`` -- RFC 3339 §5.6 with optional seconds, or a full-date alone:

    iso = date [ ( "T" / "t" ) 2DIGIT ":" 2DIGIT [ ":" 2DIGIT [ "." 1*DIGIT ] ] zone ]
    zone = "Z" / "z" / ( "+" / "-" ) 2DIGIT ":" 2DIGIT

A time needs a zone. ``-00:00`` (RFC 3339 §4.3: UTC, local offset unknown) is
valid, like RFC 5322's ``-0000``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple

ProblemKind = Literal["invalid", "weekday", "obsolete"]
DateFormat = Literal["rfc2822", "jekyll", "iso8601"]
FORMATS: tuple[DateFormat, ...] = ("rfc2822", "jekyll", "iso8601")


class DateProblem(NamedTuple):
    kind: ProblemKind
    start: int
    end: int
    message: str
    suggestion: str | None = None


class ParsedDate(NamedTuple):
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int | None
    offset_minutes: int | None  # None: no zone written, or one saying "unknown"
    weekday: int | None  # 0 = Monday, as written; None when omitted
    microsecond: int = 0
    has_time: bool = True  # False for a date alone (hour and minute are then 0)
    has_zone: bool = True  # False when no zone was written at all

    def to_datetime(self) -> datetime | None:
        """The moment as a datetime: aware when the offset is known, naive when
        it is not; None when Python cannot represent it (year beyond 1..9999,
        offset of a day or more). A leap second becomes the next second."""
        tz = None
        if self.offset_minutes is not None:
            if abs(self.offset_minutes) >= 24 * 60:
                return None
            tz = timezone(timedelta(minutes=self.offset_minutes))
        second = self.second or 0
        try:
            moment = datetime(
                self.year, self.month, self.day, self.hour, self.minute,
                min(second, 59), self.microsecond, tzinfo=tz,
            )
            if second == 60:
                moment += timedelta(seconds=1)
        except (ValueError, OverflowError):
            return None
        return moment


# Answers kept per process for values up to this long (a date is ~30
# characters; the same value is parsed by DT, FM100's date formats and JK002),
# at most _KEPT_MAX of them. Both results are immutable NamedTuples.
_KEPT_LEN = 200
_KEPT_MAX = 8192
_checked: dict[tuple[str, str], tuple[ParsedDate | None, tuple[DateProblem, ...]]] = {}
_any_parsed: dict[str, ParsedDate | None] = {}


def check_date(value: str, fmt: DateFormat) -> tuple[ParsedDate | None, list[DateProblem]]:
    """Parse `value` in the grammar `fmt`; never raises on any text."""
    key = (value, fmt)
    known = _checked.get(key)
    if known is None:
        parsed, problems = _check(value, fmt)
        problems = _obsolete_together(problems, fmt)
        known = parsed, tuple(
            _settled(p, fmt) if p.kind == "invalid" and p.suggestion is not None else p for p in problems
        )
        if len(value) <= _KEPT_LEN:
            if len(_checked) >= _KEPT_MAX:
                _checked.clear()
            _checked[key] = known
    return known[0], list(known[1])


def _obsolete_together(problems: list[DateProblem], fmt: DateFormat) -> list[DateProblem]:
    """Several obsolete parts with known modern forms (``19`` and ``GMT``): each
    suggestion modernises them all, so that one fix leaves no obsolete syntax
    it could have corrected (the moment is the same either way)."""
    obsolete = [p for p in problems if p.kind == "obsolete" and p.suggestion is not None]
    if len(obsolete) < 2:
        return problems
    candidate = obsolete[0].suggestion
    for _ in range(8):
        assert candidate is not None
        _, again = _check(candidate, fmt)
        following = next((p.suggestion for p in again if p.kind == "obsolete" and p.suggestion), None)
        if following is None or following == candidate:
            break
        candidate = following
    return [p._replace(suggestion=candidate) if p in obsolete else p for p in problems]


def _check(value: str, fmt: DateFormat) -> tuple[ParsedDate | None, list[DateProblem]]:
    if fmt == "rfc2822":
        ctime = _check_ctime(value)
        if ctime is not None:
            return None, [ctime]
        plain = _plain_rfc5322(value)
        if plain is not None:
            return plain, []
        return _Rfc5322(value).run()
    if fmt in ("jekyll", "iso8601"):
        return _check_numeric(value, fmt)
    raise ValueError(f"unknown date format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _settled(problem: DateProblem, fmt: DateFormat) -> DateProblem:
    """An invalid value's suggestion is kept only when it leads to a date with no
    problem at all: a fix must not leave, or reveal, another finding. Other parts
    whose correction is known (a second invalid part, obsolete syntax) are
    corrected along; a wrong weekday, or a part without a known correction,
    withdraws the suggestion."""
    candidate = problem.suggestion
    left: list[DateProblem] = []
    for _ in range(8):
        assert candidate is not None
        _, left = _check(candidate, fmt)
        if not left:
            return problem._replace(suggestion=candidate)
        following = next((p.suggestion for p in left if p.kind != "weekday" and p.suggestion), None)
        if following is None or following == candidate:
            break
        candidate = following
    rest = next((p for p in left if p.suggestion is None or p.kind == "weekday"), left[0] if left else None)
    note = f"; no fix: in '{candidate}' {rest.message}" if rest is not None else ""
    return problem._replace(message=problem.message + note, suggestion=None)


# -- calendar ---------------------------------------------------------------

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FULL_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DAY_INDEX = {name.lower(): i for i, name in enumerate(DAY_NAMES)}
_MONTH_INDEX = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _weekday(year: int, month: int, day: int) -> int:
    # The Gregorian calendar repeats every 400 years, so any year >= 0 maps into
    # Python's range with the same weekdays and leap years.
    return date(2000 + year % 400, month, day).weekday()


def _day_problem(year: int, month: int, day: int) -> str | None:
    if day == 0:
        return "day 0 does not exist; days start at 1"
    last = _days_in_month(year, month)
    if day <= last:
        return None
    if month == 2 and day == 29:
        return f"{year} is not a leap year: February {year} has 28 days"
    if day > 31:
        return f"day {day} is out of range: no month has more than 31 days"
    return f"{_FULL_MONTHS[month - 1]} has {last} days, not {day}"


def _next_day(year: int, month: int, day: int) -> tuple[int, int, int]:
    if day < _days_in_month(year, month):
        return year, month, day + 1
    if month < 12:
        return year, month + 1, 1
    return year + 1, 1, 1


def _apply(value: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, text in sorted(edits, reverse=True):
        value = value[:start] + text + value[end:]
    return value


def _example_zone(sign: str, digits: str) -> str | None:
    """`+2` / `+02` -> `+0200`: an hour-only offset is unambiguous."""
    if 1 <= len(digits) <= 2 and int(digits) <= 23:
        return f"{sign}{int(digits):02d}00"
    return None


# -- RFC 5322 ---------------------------------------------------------------

# §4.3 obs-zone names, with their offsets in minutes.
_OBS_ZONES = {
    "UT": 0, "GMT": 0,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}
# Names outside the grammar that have one meaning in practice; used only to
# suggest the numeric zone for an invalid value.
_KNOWN_ZONE_NAMES = {
    "UTC": 0, "Z": 0, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MET": 60,
    "MEST": 120, "EET": 120, "EEST": 180, "JST": 540,
}
# Zone abbreviations as `date` and ctime-style stamps print them, with the one
# offset each has; used only to suggest the numeric zone. CST and CDT are left
# out: they name US Central, China and Cuba time alike, so no fix is offered.
_CTIME_ZONES = {
    **_KNOWN_ZONE_NAMES, "UT": 0, "GMT": 0,
    **{name: offset for name, offset in _OBS_ZONES.items() if name not in ("CST", "CDT")},
}
_AMBIGUOUS_ZONES = {
    "CST": "US Central, China or Cuba", "CDT": "US Central or Cuba", "IST": "India, Ireland or Israel",
    "BST": "British Summer or Bangladesh", "AST": "Atlantic or Arabia",
}
_WSP = " \t"
_DIGITS = "0123456789"
_EXAMPLE = "Mon, 13 May 2019 12:45:33 +0200"


class _Tok(NamedTuple):
    kind: str  # ws, comment, word, num, punct, other
    start: int
    end: int
    folds: int = 0  # CRLF line folds inside white space


class _Gap(NamedTuple):
    start: int
    end: int
    empty: bool
    has_comment: bool
    ends_with_ws: bool
    folds: int


class _Fail(Exception):
    """A structural error: the rest of the value cannot be read."""


def _fmt_zone(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


class _Rfc5322:
    def __init__(self, value: str) -> None:
        self.v = value
        self.problems: list[DateProblem] = []
        # (span start, span end, edit start, edit end, replacement, reason)
        self.obs_gaps: list[tuple[int, int, int, int, str, str]] = []
        self.sig: list[_Tok] = []
        self.gaps: list[list[_Tok]] = []

    # -- helpers

    def text(self, tok: _Tok) -> str:
        return self.v[tok.start:tok.end]

    def invalid(self, start: int, end: int, message: str, suggestion: str | None = None) -> None:
        self.problems.append(DateProblem("invalid", start, end, message, suggestion))

    def fail(self, start: int, end: int, message: str, suggestion: str | None = None) -> _Fail:
        self.invalid(start, end, message, suggestion)
        return _Fail()

    def gap(self, i: int) -> _Gap:
        toks = self.gaps[i]
        if not toks:
            at = self.sig[i].start if i < len(self.sig) else len(self.v)
            return _Gap(at, at, True, False, False, 0)
        return _Gap(
            toks[0].start, toks[-1].end, False,
            any(t.kind == "comment" for t in toks), toks[-1].kind == "ws",
            sum(t.folds for t in toks),
        )

    def gap_rule(self, i: int, rule: str, canonical: str, what: str) -> None:
        """Check the gap before sig[i] against the current grammar.

        rule "none": nothing allowed; "opt": optional FWS; "req": FWS required.
        Whatever else the obsolete grammar accepts is recorded as obsolete."""
        g = self.gap(i)
        if g.empty:
            if rule != "req":
                return
            reason = f"no space {what}"
            prev, nxt = self.sig[i - 1], self.sig[i]
            self.obs_gaps.append((prev.start, nxt.end, g.start, g.end, canonical, reason))
            return
        if rule == "none":
            reason = f"white space or comment {what}"
        elif g.has_comment:
            reason = f"comment {what}"
        elif g.folds > 1:
            reason = f"more than one line fold {what}"
        else:
            return
        self.obs_gaps.append((g.start, g.end, g.start, g.end, canonical, reason))

    def expect(self, i: int, kind: str, what: str) -> _Tok:
        if i >= len(self.sig):
            last = self.sig[-1]
            raise self.fail(
                last.start, last.end,
                f"missing {what} after {self.text(last)!r}; expected a date like {_EXAMPLE!r}",
            )
        tok = self.sig[i]
        if tok.kind != kind:
            raise self.fail(tok.start, tok.end, f"expected {what}, found {self.text(tok)!r}")
        return tok

    def is_punct(self, i: int, char: str) -> bool:
        return i < len(self.sig) and self.sig[i].kind == "punct" and self.text(self.sig[i]) == char

    # -- tokenizer

    def fold_at(self, i: int) -> bool:
        v = self.v
        return v.startswith("\r\n", i) and i + 2 < len(v) and v[i + 2] in _WSP

    def tokenize(self) -> None:
        v, n, i = self.v, len(self.v), 0
        toks: list[_Tok] = []
        while i < n:
            c = v[i]
            start = i
            if c in _WSP or self.fold_at(i):
                folds = 0
                while i < n:
                    if v[i] in _WSP:
                        i += 1
                    elif self.fold_at(i):
                        folds += 1
                        i += 2
                    else:
                        break
                toks.append(_Tok("ws", start, i, folds))
            elif c == "(":
                i = self.comment_end(i)
                toks.append(_Tok("comment", start, i))
            elif c in _DIGITS:
                while i < n and v[i] in _DIGITS:
                    i += 1
                toks.append(_Tok("num", start, i))
            elif c.isalpha():
                while i < n and v[i].isalpha():
                    i += 1
                toks.append(_Tok("word", start, i))
            elif c in ",:+-":
                toks.append(_Tok("punct", i, i + 1))
                i += 1
            else:
                toks.append(_Tok("other", i, i + 1))
                i += 1
        pending: list[_Tok] = []
        for tok in toks:
            if tok.kind in ("ws", "comment"):
                pending.append(tok)
            else:
                self.gaps.append(pending)
                self.sig.append(tok)
                pending = []
        self.gaps.append(pending)

    def comment_end(self, i: int) -> int:
        v, n, start, depth = self.v, len(self.v), i, 0
        while i < n:
            c = v[i]
            if c == "\\":
                if i + 1 < n and v[i + 1] not in "\r\n\x00":
                    i += 2
                    continue
                raise self.fail(i, min(i + 2, n), "a backslash in a comment must quote a character")
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            elif self.fold_at(i):
                i += 2
                continue
            elif c in "\r\n\x00":
                raise self.fail(i, i + 1, "line breaks inside a comment must be CRLF followed by a space")
            i += 1
        raise self.fail(start, n, "comment is not closed: add ')'")

    # -- grammar

    def run(self) -> tuple[ParsedDate | None, list[DateProblem]]:
        parsed = None
        try:
            self.tokenize()
            parsed = self.parse()
        except _Fail:
            parsed = None
        if self.obs_gaps:
            self.add_obs_gap_problem()
        if any(p.kind == "invalid" for p in self.problems):
            parsed = None
        self.problems.sort(key=lambda p: (p.start, p.end))
        return parsed, self.problems

    def add_obs_gap_problem(self) -> None:
        start = min(g[0] for g in self.obs_gaps)
        end = max(g[1] for g in self.obs_gaps)
        reasons = list(dict.fromkeys(g[5] for g in self.obs_gaps))
        suggestion = _apply(self.v, [(g[2], g[3], g[4]) for g in self.obs_gaps])
        message = "obsolete syntax (RFC 5322 §4.3): " + "; ".join(reasons)
        self.problems.append(DateProblem("obsolete", start, end, message, suggestion))

    def parse(self) -> ParsedDate | None:
        v, sig = self.v, self.sig
        if not sig:
            end = len(v)
            raise self.fail(0, end, f"no date: expected a date like {_EXAMPLE!r}")
        i = 0
        weekday: int | None = None
        weekday_tok: _Tok | None = None
        first = sig[0]
        if first.kind == "word":
            name = self.text(first)
            known_day = _DAY_INDEX.get(name.lower())
            if self.is_punct(1, ","):
                self.gap_rule(0, "opt", "", "before the day name")
                self.gap_rule(1, "none", "", "before ','")
                if known_day is None:
                    self.invalid(
                        first.start, first.end,
                        f"unknown day name {name!r}: RFC 5322 day names are English "
                        f"abbreviations ({', '.join(DAY_NAMES)})",
                    )
                else:
                    weekday, weekday_tok = known_day, first
                i = 2
            elif known_day is not None:
                raise self.fail(
                    first.start, first.end, "a ',' must follow the day name",
                    v[:first.end] + "," + v[first.end:],
                )
            elif name.lower() in _MONTH_INDEX:
                raise self.fail(
                    first.start, first.end,
                    "the day of the month comes before the month, e.g. '13 May 2019'",
                )
            else:
                raise self.fail(first.start, first.end, f"expected a day name or day of the month, found {name!r}")

        # day
        day_tok = self.expect(i, "num", "day of the month")
        if i == 0:
            self.gap_rule(0, "opt", "", "before the day")
        else:
            self.gap_rule(i, "opt", " ", "between ',' and the day")
        if day_tok.end - day_tok.start > 2:
            raise self.fail(day_tok.start, day_tok.end, "the day of the month has one or two digits")
        day = int(self.text(day_tok))
        i += 1

        # month
        if i < len(sig) and sig[i].kind == "num":
            tok = sig[i]
            raise self.fail(
                tok.start, tok.end,
                f"expected a month name ({', '.join(MONTH_NAMES)}), found {self.text(tok)!r}",
            )
        month_tok = self.expect(i, "word", "month name")
        self.gap_rule(i, "req", " ", "between day and month")
        month_name = self.text(month_tok)
        month = _MONTH_INDEX.get(month_name.lower())
        if month is None:
            self.invalid(
                month_tok.start, month_tok.end,
                f"unknown month name {month_name!r}: RFC 5322 month names are English "
                f"abbreviations ({', '.join(MONTH_NAMES)})",
            )
        i += 1

        # year
        year_tok = self.expect(i, "num", "year")
        self.gap_rule(i, "req", " ", "between month and year")
        year_text = self.text(year_tok)
        year = int(year_text)
        if len(year_text) == 1:
            raise self.fail(year_tok.start, year_tok.end, "the year has four digits")
        if len(year_text) < 4:
            year = year + 2000 if len(year_text) == 2 and year < 50 else year + 1900
            self.problems.append(DateProblem(
                "obsolete", year_tok.start, year_tok.end,
                f"{len(year_text)}-digit year (RFC 5322 §4.3) is read as {year}; write all four digits",
                v[:year_tok.start] + str(year) + v[year_tok.end:],
            ))
        elif year < 1900:
            self.invalid(year_tok.start, year_tok.end, f"year {year} is before 1900, the earliest RFC 5322 allows")
        i += 1

        # time of day
        hour_tok = self.expect(i, "num", "time of day (hh:mm:ss)")
        self.gap_rule(i, "req", " ", "between year and time")
        hour = self.two_digits(hour_tok, "hour", 23)
        i += 1
        if not self.is_punct(i, ":"):
            raise self.fail(hour_tok.start, hour_tok.end, "expected ':' and the minutes after the hour")
        self.gap_rule(i, "none", "", "before ':'")
        i += 1
        minute_tok = self.expect(i, "num", "minutes")
        self.gap_rule(i, "none", "", "after ':'")
        minute = self.two_digits(minute_tok, "minute", 59)
        i += 1
        second: int | None = None
        last_time_tok = minute_tok
        if self.is_punct(i, ":"):
            self.gap_rule(i, "none", "", "before ':'")
            i += 1
            second_tok = self.expect(i, "num", "seconds")
            self.gap_rule(i, "none", "", "after ':'")
            second = self.two_digits(second_tok, "second", 60)
            last_time_tok = second_tok
            i += 1

        # zone
        offset, has_zone, i = self.zone(i, hour_tok, last_time_tok)

        if i < len(sig):
            start, end = sig[i].start, sig[-1].end
            extra = v[start:end]
            suggestion = None
            if not any(c in extra for c in "()\\"):
                suggestion = v[:start] + "(" + extra + ")" + v[end:]
            raise self.fail(
                start, end,
                "unexpected text after the zone; a remark such as a zone name goes in a comment: (...)",
                suggestion,
            )

        if month is not None and (msg := _day_problem(year, month, day)):
            self.invalid(day_tok.start, day_tok.end, msg)
        if any(p.kind == "invalid" for p in self.problems):
            self.suggest_midnight(
                year, month, day, hour, minute, second, weekday_tok, day_tok, month_tok, year_tok, hour_tok
            )
            return None
        assert month is not None
        real = _weekday(year, month, day)
        if weekday_tok is not None and weekday != real:
            self.problems.append(DateProblem(
                "weekday", weekday_tok.start, weekday_tok.end,
                f"{day} {MONTH_NAMES[month - 1]} {year} is a {_FULL_DAYS[real]}, "
                f"not a {_FULL_DAYS[weekday or 0]}",
                v[:weekday_tok.start] + DAY_NAMES[real] + v[weekday_tok.end:],
            ))
        return ParsedDate(year, month, day, hour, minute, second, offset, weekday, has_zone=has_zone)

    def two_digits(self, tok: _Tok, what: str, highest: int) -> int:
        digits = self.text(tok)
        value = int(digits)
        if len(digits) != 2:
            suggestion = None
            if len(digits) == 1:
                suggestion = self.v[:tok.start] + "0" + digits + self.v[tok.end:]
            self.invalid(tok.start, tok.end, f"the {what} must have two digits, e.g. {value:02d}", suggestion)
        elif value > highest:
            detail = "00-60 (60 only for a leap second)" if what == "second" else f"00-{highest}"
            self.invalid(tok.start, tok.end, f"{what} {digits} is out of range {detail}")
        return value

    def zone(self, i: int, hour_tok: _Tok, last: _Tok) -> tuple[int | None, bool, int]:
        v, sig = self.v, self.sig
        if i >= len(sig):
            raise self.fail(
                hour_tok.start, last.end,
                "missing zone: RFC 5322 requires an offset such as +0200 after the time; "
                "without one Jekyll reads the time in the site's `timezone` "
                "(the build machine's local time, often UTC, when unset)",
            )
        tok = sig[i]
        text = self.text(tok)
        if tok.kind == "punct" and text in "+-":
            digits_tok = sig[i + 1] if i + 1 < len(sig) else None
            if digits_tok is None or digits_tok.kind != "num" or self.gaps[i + 1]:
                raise self.fail(tok.start, tok.end, f"expected four digits after {text!r}, e.g. {text}0200")
            digits = self.text(digits_tok)
            end = digits_tok.end
            g = self.gap(i)
            if g.empty or not g.ends_with_ws:
                self.invalid(
                    tok.start, end, "a space must separate the zone from what precedes it",
                    v[:tok.start] + " " + v[tok.start:],
                )
            elif g.has_comment or g.folds > 1:
                self.gap_rule(i, "req", " ", "before the zone")
            if (
                len(digits) == 2 and self.is_punct(i + 2, ":") and not self.gaps[i + 2]
                and i + 3 < len(sig) and sig[i + 3].kind == "num" and not self.gaps[i + 3]
                and sig[i + 3].end - sig[i + 3].start == 2
            ):
                end = sig[i + 3].end
                fixed = text + digits + self.text(sig[i + 3])
                raise self.fail(
                    tok.start, end, f"the zone is written without a colon: {fixed}",
                    v[:tok.start] + fixed + v[end:],
                )
            if len(digits) != 4:
                example = _example_zone(text, digits)
                raise self.fail(
                    tok.start, end,
                    f"the zone is a sign and four digits (hhmm), e.g. {example or text + '0200'}",
                    v[:tok.start] + example + v[end:] if example else None,
                )
            hours, minutes = int(digits[:2]), int(digits[2:])
            if minutes > 59:
                self.invalid(tok.start, end, f"zone minutes {digits[2:]} are out of range 00-59")
            # "-0000" is current syntax (§3.3): the time is in UTC and the
            # local offset is not known. Not a finding; the moment is UTC.
            sign = -1 if text == "-" else 1
            return sign * (hours * 60 + minutes), True, i + 2
        if tok.kind == "word":
            upper = text.upper()
            if upper in _OBS_ZONES:
                offset = _OBS_ZONES[upper]
                numeric = _fmt_zone(offset)
                self.problems.append(DateProblem(
                    "obsolete", tok.start, tok.end,
                    f"zone name {text!r} is obsolete (RFC 5322 §4.3); write {numeric}",
                    self.replace_zone(tok, numeric),
                ))
                return offset, True, i + 1
            if len(text) == 1 and text.isascii() and upper != "J":
                if upper == "Z":
                    # Z is UTC whichever way the letters are read.
                    self.problems.append(DateProblem(
                        "obsolete", tok.start, tok.end,
                        "military zone 'Z' is obsolete (RFC 5322 §4.3); write +0000",
                        self.replace_zone(tok, "+0000"),
                    ))
                    return 0, True, i + 1
                self.problems.append(DateProblem(
                    "obsolete", tok.start, tok.end,
                    f"military zone {text!r} is obsolete and, as RFC 822 defined these backwards, "
                    "means -0000 (UTC, local offset unknown); write the numeric offset the writer meant",
                ))
                return None, True, i + 1
            known = _KNOWN_ZONE_NAMES.get(upper)
            suggestion = self.replace_zone(tok, _fmt_zone(known)) if known is not None else None
            self.invalid(
                tok.start, tok.end,
                f"unknown zone {text!r}: write a numeric offset such as "
                f"{_fmt_zone(known) if known is not None else '+0200'}",
                suggestion,
            )
            return None, True, i + 1
        raise self.fail(tok.start, tok.end, f"expected the zone (e.g. +0200), found {text!r}")

    def replace_zone(self, tok: _Tok, numeric: str) -> str:
        # The numeric zone needs white space before it; a name could follow directly.
        lead = "" if self.gaps[self.sig.index(tok)] else " "
        return self.v[:tok.start] + lead + numeric + self.v[tok.end:]

    def suggest_midnight(
        self, year: int, month: int | None, day: int, hour: int, minute: int, second: int | None,
        weekday_tok: _Tok | None, day_tok: _Tok, month_tok: _Tok, year_tok: _Tok, hour_tok: _Tok,
    ) -> None:
        """24:00[:00] is the end of the day: suggest the next day's 00:00 when it is
        the only invalid part."""
        invalid = [p for p in self.problems if p.kind == "invalid"]
        if (
            len(invalid) != 1 or invalid[0][1:3] != (hour_tok.start, hour_tok.end)
            or hour != 24 or minute != 0 or second not in (None, 0) or month is None
            or _day_problem(year, month, day)
        ):
            return
        ny, nm, nd = _next_day(year, month, day)
        width = day_tok.end - day_tok.start
        edits = [
            (day_tok.start, day_tok.end, f"{nd:0{width}d}"),
            (month_tok.start, month_tok.end, MONTH_NAMES[nm - 1]),
            (year_tok.start, year_tok.end, str(ny)),
            (hour_tok.start, hour_tok.end, "00"),
        ]
        if weekday_tok is not None:
            edits.append((weekday_tok.start, weekday_tok.end, DAY_NAMES[_weekday(ny, nm, nd)]))
        problem = invalid[0]
        self.problems[self.problems.index(problem)] = problem._replace(
            message=problem.message + "; 24:00 is midnight at the end of the day: write 00:00 of the next day",
            suggestion=_apply(self.v, edits),
        )


# -- the usual RFC 5322 date, at once ---------------------------------------------

# What feeds write: "Mon, 13 May 2019 12:45:33 +0200", exactly (single spaces,
# English names as RFC 5322 spells them, two-digit time, four-digit year and zone).
_PLAIN_RFC5322 = lazy(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})"
)


def _plain_rfc5322(value: str) -> ParsedDate | None:
    """The ParsedDate `_Rfc5322(value).run()` gives a value of the usual shape
    without any problem (a right weekday, every part in range); None for any
    other value, which the full grammar then reads."""
    m = _PLAIN_RFC5322.fullmatch(value)
    if m is None:
        return None
    name, d, mon, y, h, mi, sec, sign, zh, zm = m.groups()
    year, month, day = int(y), _MONTH_INDEX[mon.lower()], int(d)
    hour, minute, second, zone_minutes = int(h), int(mi), int(sec), int(zm)
    if year < 1900 or hour > 23 or minute > 59 or second > 59 or zone_minutes > 59:
        return None
    if _day_problem(year, month, day) is not None:
        return None
    weekday = _DAY_INDEX[name.lower()]
    if weekday != _weekday(year, month, day):
        return None
    offset = (-1 if sign == "-" else 1) * (int(zh) * 60 + zone_minutes)
    return ParsedDate(year, month, day, hour, minute, second, offset, weekday, has_zone=True)


# -- ctime style ------------------------------------------------------------

# What `date`, ctime(3) and asctime(3) print, and git's default date format:
# "Tue Mar  5 09:10:11 CET 2019", "Tue Mar  5 09:10:11 AM CET 2019" (GNU date in
# en_US), "Tue Mar 5 09:10:11 2019 +0100".
_CTIME = lazy(
    r"""
    [ \t]*(?P<wd>[A-Za-z]{3})[ \t]+(?P<mon>[A-Za-z]{3})[ \t]+(?P<d>[0-9]{1,2})
    [ \t]+(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?
    (?:[ \t]+(?P<ampm>[AaPp][Mm]))?
    (?:[ \t]+(?P<z1>[A-Za-z]{1,5}|[+-][0-9]{4}))?
    [ \t]+(?P<y>[0-9]{4})
    (?:[ \t]+(?P<z2>[A-Za-z]{1,5}|[+-][0-9]{4}))?
    [ \t]*
    """,
    re.VERBOSE,
)


def _check_ctime(value: str) -> DateProblem | None:
    """A ctime-style stamp: one invalid problem over it, with the RFC 5322 date
    it stands for when its zone is known (numeric, or a name with one meaning)."""
    m = _CTIME.fullmatch(value)
    if m is None or (m["z1"] and m["z2"]):
        return None
    weekday = _DAY_INDEX.get(m["wd"].lower())
    month = _MONTH_INDEX.get(m["mon"].lower())
    if weekday is None or month is None:
        return None
    start, end = m.start("wd"), max(m.end(g) for g in ("y", "z1", "z2") if m[g])
    zone_text = m["z1"] or m["z2"]
    head = "a ctime-style date (as `date` prints it) is not RFC 5322"
    if zone_text is None:
        return DateProblem(
            "invalid", start, end,
            f"{head}, and it has no zone: write it as "
            f"'{DAY_NAMES[weekday]}, {int(m['d'])} {MONTH_NAMES[month - 1]} {m['y']} hh:mm:ss +hhmm' "
            "with the offset it was written in",
        )
    hour = int(m["h"])
    if m["ampm"]:
        if not 1 <= hour <= 12:
            return DateProblem("invalid", start, end, f"{head}, and {m['h']} {m['ampm']} is not an hour")
        hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
    seconds = f":{m['s']}" if m["s"] else ""
    local = (
        f"{DAY_NAMES[weekday]}, {int(m['d'])} {MONTH_NAMES[month - 1]} {m['y']} "
        f"{hour:02d}:{m['mi']}{seconds}"
    )
    if zone_text[0] in "+-":
        zone: str | None = zone_text
    else:
        known = _CTIME_ZONES.get(zone_text.upper())
        zone = _fmt_zone(known) if known is not None else None
    if zone is None:
        why = _AMBIGUOUS_ZONES.get(zone_text.upper())
        detail = f"zone {zone_text!r} is ambiguous ({why})" if why else f"zone {zone_text!r} is unknown"
        return DateProblem(
            "invalid", start, end,
            f"{head}, and its {detail}: write it as '{local} +hhmm' with the numeric offset it was written in",
        )
    rfc = f"{local} {zone}"
    return DateProblem("invalid", start, end, head, value[:start] + rfc + value[end:])


# -- Jekyll and RFC 3339 ----------------------------------------------------

_NUMERIC = lazy(
    r"""
    (?P<lead>[ \t]*)
    (?P<y>[0-9]+)-(?P<mo>[0-9]+)-(?P<d>[0-9]+)
    (?:
        (?P<sep>[ \t]+|[Tt])
        (?P<h>[0-9]+):(?P<mi>[0-9]+)
        (?::(?P<s>[0-9]+)(?:(?P<dot>[.,])(?P<frac>[0-9]*))?)?
        (?P<zsp>[ \t]*)
        (?P<zone>[+-][0-9]+(?::[0-9]*)?|[A-Za-z]+)?
    )?
    (?P<rest>.*)
    """,
    re.VERBOSE | re.DOTALL,
)


def _check_numeric(value: str, fmt: DateFormat) -> tuple[ParsedDate | None, list[DateProblem]]:
    iso = fmt == "iso8601"
    shape = "YYYY-MM-DDThh:mm[:ss]Z or ±hh:mm" if iso else "YYYY-MM-DD hh:mm:ss +hhmm"
    problems: list[DateProblem] = []

    def invalid(start: int, end: int, message: str, fix: tuple[int, int, str] | None = None) -> None:
        suggestion = _apply(value, [fix]) if fix is not None else None
        problems.append(DateProblem("invalid", start, max(end, start + 1), message, suggestion))

    m = _NUMERIC.match(value)
    if m is None:
        end = len(value)
        problems.append(DateProblem(
            "invalid", 0, end, f"not a date: expected {shape} (time optional)",
        ))
        return None, problems
    if m["lead"]:
        invalid(0, m.end("lead"), "white space before the date", (0, m.end("lead"), ""))
    if m["rest"]:
        start, end = m.span("rest")
        if m["rest"].strip(" \t") == "":
            invalid(start, end, "white space after the date", (start, end, ""))
        else:
            invalid(start, end, f"unexpected text {m['rest']!r}: expected {shape}")

    def number(group: str, what: str, width: int, low: int, high: int, *, loose: bool = False) -> int | None:
        digits = m[group]
        start, end = m.span(group)
        val = int(digits)
        if len(digits) != width and not (loose and len(digits) < width):
            # Zero-padding is the unambiguous reading of a short month, day or time
            # field; a short year is not (19 could be 1919 or 2019).
            fix = (start, end, digits.zfill(width)) if len(digits) < width and group != "y" else None
            invalid(start, end, f"the {what} must have {width} digits", fix)
            return None
        if not low <= val <= high:
            invalid(start, end, f"{what} {digits} is out of range {low:0{width}d}-{high:0{width}d}")
            return None
        return val

    if len(m["y"]) != 4 and len(m["d"]) == 4:
        invalid(
            0, m.end("d"),
            f"the year comes first: {shape}; which of {m['y']}-{m['mo']} is the day and which the month is not known",
        )
        return None, problems
    year = number("y", "year", 4, 0, 9999)
    # YAML 1.1 timestamps (and so Jekyll) take one- or two-digit months and days.
    month = number("mo", "month", 2, 1, 12, loose=not iso)
    day = number("d", "day", 2, 1, 31, loose=not iso)
    if year is not None and month is not None and day is not None and (msg := _day_problem(year, month, day)):
        invalid(*m.span("d"), msg)
    if m["h"] is None:
        if any(p.kind == "invalid" for p in problems):
            return None, problems
        assert year is not None and month is not None and day is not None
        return ParsedDate(year, month, day, 0, 0, None, None, None, has_time=False, has_zone=False), problems

    if iso and m["sep"] not in ("T", "t"):
        invalid(*m.span("sep"), "date and time are separated by 'T' in RFC 3339", (*m.span("sep"), "T"))
    hour = number("h", "hour", 2, 0, 23, loose=not iso)
    minute = number("mi", "minute", 2, 0, 59)
    second = number("s", "second", 2, 0, 60) if m["s"] is not None else None
    microsecond = 0
    if m["dot"] is not None:
        start, end = m.span("dot")
        if m["dot"] == ",":
            invalid(start, end, "fractions of a second follow a '.'", (start, end, "."))
        if not m["frac"]:
            invalid(start, end, "a '.' must be followed by the fraction of a second")
        else:
            microsecond = int(m["frac"][:6].ljust(6, "0"))

    offset: int | None = None
    has_zone = m["zone"] is not None
    time_span = (m.start("h"), m.end("dot") if m["dot"] else m.end("s" if m["s"] else "mi"))
    if not has_zone:
        if iso:
            invalid(*time_span, "missing zone: RFC 3339 requires Z or an offset such as +02:00 after the time")
    else:
        if iso and m["zsp"]:
            invalid(*m.span("zsp"), "no space before the zone in RFC 3339", (*m.span("zsp"), ""))
        offset = _numeric_zone(m, iso, invalid, problems)

    if any(p.kind == "invalid" for p in problems):
        return None, problems
    assert year is not None and month is not None and day is not None
    assert hour is not None and minute is not None
    return ParsedDate(
        year, month, day, hour, minute, second, offset, None,
        microsecond=microsecond, has_zone=has_zone,
    ), problems


def value_with(m: re.Match[str], start: int, end: int, text: str) -> str:
    return m.string[:start] + text + m.string[end:]


def _numeric_zone(
    m: re.Match[str], iso: bool, invalid: Callable[..., None], problems: list[DateProblem],
) -> int | None:
    zone = m["zone"]
    start, end = m.span("zone")
    wanted = "Z or ±hh:mm" if iso else "±hhmm"
    if zone.isalpha():
        upper = zone.upper()
        if upper == "Z" or (not iso and upper in ("UTC", "GMT", "UT")):
            # Ruby's Time#to_s writes "UTC"; Time.parse reads UTC, GMT, UT and Z.
            return 0
        lead = "" if m["zsp"] or iso else " "
        if not iso and upper in _OBS_ZONES:
            # Jekyll (Ruby's Time.parse) reads RFC 822's names as RFC 822 defines them.
            numeric = _fmt_zone(_OBS_ZONES[upper])
            problems.append(DateProblem(
                "obsolete", start, end,
                f"zone name {zone!r} is obsolete: Jekyll reads it as {numeric}; write {numeric}",
                value_with(m, start, end, lead + numeric),
            ))
            return _OBS_ZONES[upper]
        known = _KNOWN_ZONE_NAMES.get(upper, _OBS_ZONES.get(upper))
        fix = None
        if known is not None:
            numeric = _fmt_zone(known)
            numeric = "Z" if iso and known == 0 else numeric[:3] + ":" + numeric[3:] if iso else numeric
            fix = (start, end, lead + numeric)
        reading = "" if iso else ": Jekyll ignores it and reads the time in the build machine's zone"
        invalid(start, end, f"zone {zone!r} is not allowed{reading}; write {wanted}", fix)
        return None
    sign, digits = zone[0], zone[1:]
    hh, colon, mm = digits.partition(":")
    fixed: str | None = None
    if colon:
        # YAML 1.1 (and Psych) take a one-digit hour before ":mm".
        ok = len(mm) == 2 and (len(hh) == 2 or (len(hh) == 1 and not iso))
        if not ok and len(hh) == 1 and len(mm) == 2:
            fixed = f"{sign}0{hh}:{mm}"
    elif len(hh) == 4:
        hh, mm = hh[:2], hh[2:]
        ok = not iso
        fixed = f"{sign}{hh}:{mm}"
    elif len(hh) in (1, 2) and not iso:
        # YAML 1.1's hour-only offset: "+2", "-05".
        ok, mm = True, "0"
    else:
        ok = False
        example = _example_zone(sign, hh)
        if example is not None:
            fixed = example[:3] + ":" + example[3:] if iso else example
    if not ok:
        invalid(start, end, f"the zone must be {wanted}", (start, end, fixed) if fixed else None)
        return None
    hours, minutes = int(hh), int(mm)
    if hours > 23 or minutes > 59:
        invalid(start, end, f"zone {zone} is out of range: hours 00-23, minutes 00-59")
        return None
    # "-00:00" (RFC 3339 §4.3) is current syntax: UTC, local offset unknown.
    return (-1 if sign == "-" else 1) * (hours * 60 + minutes)


def parse_any_date(value: str) -> Any:
    """A front-matter date in any format postlint knows (Jekyll's own parser is
    lenient): the ParsedDate of the first format that accepts it, else None."""
    if value in _any_parsed:
        return _any_parsed[value]
    found = None
    # Try the format the value looks like first: most values parse at once.
    numeric = value[:4].isdigit() and value[4:5] == "-"
    for fmt in sorted(FORMATS, key=lambda f: (f == "rfc2822") == numeric):
        parsed, problems = check_date(value, fmt)
        if parsed is not None and not any(p.kind == "invalid" for p in problems):
            found = parsed
            break
    if len(value) <= _KEPT_LEN:
        if len(_any_parsed) >= _KEPT_MAX:
            _any_parsed.clear()
        _any_parsed[value] = found
    return found
