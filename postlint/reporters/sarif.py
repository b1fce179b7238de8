"""SARIF 2.1.0 for GitHub code scanning.

URIs are relative to the SARIF root (the git top level by default) through the
uriBaseId %SRCROOT%; only the rules that ran are listed; results are capped at
GitHub's per-run limit, the most severe kept, with a notification saying so.
Fingerprints hash the rule, the path and the finding's window of its line (up
to 80 characters either side, Excerpt; and the occurrence among equal
windows), so they survive edits elsewhere in the post or far along the line.
A region's snippet is its own text; a contextRegion (the window) is given only
where it is a proper superset of the region, as SARIF 3.29.5 requires.

What code scanning reads (GitHub's "SARIF support for code scanning"): per rule
`id`, `shortDescription`, `fullDescription`, `help.text` and `help.markdown`,
`defaultConfiguration.level`, `properties.tags` (at most 20, 10 shown),
`properties.precision` and `properties.problem.severity` (the severity of a
non-security alert); per result `ruleId`, `ruleIndex`, `level`, `message.text`,
one location and `partialFingerprints`; per run `automationDetails.id`, the
category, which the upload action does not override when the file sets it.
`security-severity` is left out: these are not security findings.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from postlint import __version__
from postlint.engine.registry import Rule
from postlint.engine.warm import git_top
from postlint.model.diagnostic import Diagnostic, excerpt_of
from postlint.reporters import Report, utf8_safe

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/postlint/postlint"
RULES_DOC = "https://github.com/postlint/postlint/blob/main/docs/rules.md"
# GitHub code scanning rejects a run of more than 25,000 results (and shows the
# 5,000 most severe of those it accepts).
MAX_RESULTS = 25_000
# Code scanning rejects a rule with more than 20 tags.
MAX_TAGS = 20
# By a finding's severity (None, not yet decided, never reaches a reporter).
_LEVEL: dict[str | None, str] = {"error": "error", "warning": "warning", "info": "note"}
_RANK: dict[str | None, int] = {"error": 0, "warning": 1, "info": 2}
# properties.problem.severity of a rule: code scanning's own words for a non-security alert.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
FINGERPRINT = "postlintFingerprint/v1"



def help_uri(rule: Rule) -> str:
    return f"{RULES_DOC}#{rule.code.lower()}-{rule.name}"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule.doc
    body = doc.split("\n", 1)[1].strip() if "\n" in doc else doc
    what = _section(doc, "What it does") or rule.summary
    tags = [rule.family, "jekyll"]
    if rule.scope == "site":
        tags.append("site")
    if rule.network:
        tags.append("network")
    if rule.fix:
        tags.append(f"fix-{rule.fix}")
    return {
        "id": rule.code,
        "name": pascal(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what},
        "help": {"text": body or rule.summary, "markdown": help_markdown(rule)},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": tags[:MAX_TAGS],
            "precision": "high",
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
        },
    }


def help_markdown(rule: Rule) -> str:
    """The rule's documentation as code scanning shows it under an alert: its
    sections one level below the alert's own title, then a link to the docs."""
    doc = rule.doc
    body = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
    body = ("\n" + body).replace("\n## ", "\n#### ").strip()
    head = f"**{rule.code}** `{rule.name}`: {rule.summary}."
    return "\n\n".join(part for part in (head, body, f"[Documentation of {rule.code}]({help_uri(rule)})") if part)


def _section(doc: str, title: str) -> str:
    marker = f"## {title}"
    if marker not in doc:
        return ""
    rest = doc.split(marker, 1)[1]
    return rest.split("\n## ", 1)[0].strip()


def pascal(name: str) -> str:
    """A rule's kebab-case name as SARIF's friendly name: PascalCase
    (invalid-utf8 -> InvalidUtf8), which the SARIF validator asks for (SARIF2012)."""
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-") if part)


def _artifact(uri: str) -> dict[str, str]:
    """A relative URI is resolved against %SRCROOT%; an absolute one (a file
    outside the SARIF root) must not name a base (SARIF 3.4.4)."""
    if uri.startswith("file:"):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": "%SRCROOT%"}


def fingerprints(diagnostics: list[Diagnostic], uri_of: Any) -> list[str]:
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for d in diagnostics:
        # Anchored on the finding's bounded window of its line (Excerpt): an
        # edit elsewhere in the post, or far along the same long line, leaves
        # the fingerprint as it was.
        content = " ".join(excerpt_of(d.source_line)[0].split())
        key = (uri_of(d.path), d.code, content)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8", "surrogatepass")).hexdigest()
        out.append(f"{digest[:32]}:{occurrence + 1}")
    return out


def document(report: Report) -> dict[str, Any]:
    top = git_top(str(report.cwd))  # (the warm run compares its record with the same call)
    root = (report.sarif_root or (Path(top) if top else None) or report.cwd).resolve()

    def uri_of(path: str) -> str:
        # Where the file stands (its folder resolved, not a link it is): a link
        # loop does not raise, a link outside the site does not show its target.
        head, name = os.path.split(os.path.abspath(report.cwd / path))
        absolute = Path(os.path.realpath(head)) / name
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            return absolute.as_uri()
        # Percent-encoded bytes: a name that is not UTF-8 (surrogateescape) too.
        return quote(os.fsencode(relative), safe="/")

    rules = sorted(report.rules, key=lambda r: r.code)
    codes_seen = {d.code for d in report.diagnostics}
    # PL000 may appear without having been selected; it must still be described.
    for code in sorted(codes_seen - {r.code for r in rules}):
        rule = report.registry.rules.get(code)
        if rule is not None:
            rules.append(rule)
    index = {rule.code: i for i, rule in enumerate(rules)}

    kept = report.diagnostics
    notifications = []
    if len(kept) > MAX_RESULTS:
        kept = sorted(kept, key=lambda d: _RANK.get(d.severity, 0))[:MAX_RESULTS]
        kept.sort(key=Diagnostic.sort_key)
        left_out = len(report.diagnostics) - MAX_RESULTS
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} finding{'s' if left_out != 1 else ''} left out: GitHub code scanning "
                    f"accepts at most {MAX_RESULTS} results per run; the most severe were kept."
                },
                "properties": {"leftOut": left_out},
            }
        )
    prints = fingerprints(kept, uri_of)
    results = []
    for d, fingerprint in zip(kept, prints):
        region: dict[str, Any] = {
            "startLine": d.line,
            "startColumn": d.column,
            "endLine": d.end_line,
            "endColumn": max(d.end_column, d.column) if d.end_line == d.line else d.end_column,
        }
        physical: dict[str, Any] = {"artifactLocation": _artifact(uri_of(d.path)), "region": region}
        text, start, _length = excerpt_of(d.source_line)
        if text and d.end_line == d.line:
            # The snippet is the region's own text, the context a bounded
            # window of the line around it: only when the finding carries all
            # of the region, and only a context that is a proper superset of
            # the region (SARIF 3.29.5; the multitool's SARIF1008).
            a, b = d.column - start, region["endColumn"] - start
            if 0 <= a <= b <= len(text):
                region["snippet"] = {"text": text[a:b]}
                if a > 0 or b < len(text):
                    physical["contextRegion"] = {
                        "startLine": d.line, "startColumn": start, "endLine": d.line,
                        "endColumn": start + len(text), "snippet": {"text": text},
                    }
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL.get(d.severity, "error"),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {FINGERPRINT: fingerprint},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.not_shown:
            # Findings of this rule in this file left out after this one (max-findings-per-rule).
            result["properties"] = {"notShown": d.not_shown}
        results.append(result)

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "postlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r) for r in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        # A rule that crashed (PL000) means the run did not do all it should.
        "invocations": [{
            "executionSuccessful": not any(d.code == "PL000" for d in report.diagnostics),
            "toolExecutionNotifications": notifications,
        }],
        # All the findings and posts of the run, also when results were capped: the
        # GitHub Action's summary and outputs read them (postlint.integrations.github_action).
        "properties": {
            "findings": len(report.diagnostics), "files": report.files,
            "notShown": sum(d.not_shown for d in report.diagnostics),
        },
    }
    if report.sarif_category:
        run["automationDetails"] = {"id": report.sarif_category.rstrip("/") + "/"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return utf8_safe(json.dumps(document(report), ensure_ascii=False, indent=2) + "\n")
