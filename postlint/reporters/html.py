"""One self-contained HTML page to look at: `--output-format html`.

Long because: the page is self-contained: its markup, the inline style and
script, the SVG chart and the Content-Security-Policy hashes of that style and
script are written here together, and the hashes must match the text this
module writes.

Nothing is loaded from anywhere: no external script, style sheet, font or
image; the chart is inline SVG. The page carries its own Content-Security-Policy
(`default-src 'none'`, the one inline style and the one inline script allowed
by their SHA-256 hashes), so it works from disk and under a strict policy, and
nothing a post or a server said can run: every string from outside (file
names, messages, the lines of the code frames) is shown escaped, with control,
bidi and other format characters made visible as in the text reporter, and
never reaches the script, which is constant and reads the page itself.

What it shows: the totals (the JSON report's summary), the findings per rule
and severity, a chart of the findings over the months of the posts' dates
(the front matter's `date` as the DT rules read it, in the zone Jekyll builds
in, else the file name's date; findings in posts without a date are counted
apart), the files with most findings, and every finding with its code frame
(cut as the text reporter cuts it) and a link to its rule's documentation (the
SARIF `helpUri`). The script makes the findings sortable and filterable by
rule and severity; without scripting the page is the same, every finding
visible in file order. Its size is proportional to the findings shown
(max-findings-per-rule applies as in every format).
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from postlint import __version__
from postlint.model.diagnostic import Diagnostic
from postlint.model.escape import visible
from postlint.reporters import Report, files_with_findings, fixable, summary_line
from postlint.reporters.sarif import help_uri
from postlint.reporters.text import _width, frame

# The files listed under "Files with most findings".
TOP_FILES = 20
# The chart has one bar a month while the dates span at most this many months,
# else one a year (while they span at most this many years), else one for each
# year that has findings: its size stays bounded whatever dates posts claim.
MAX_BARS = 360
_SEVERITIES = ("error", "warning", "info")
_RANK = {s: i for i, s in enumerate(_SEVERITIES)}

STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --line: #d1d9e0;
  --head: #f6f8fa; --error: #cf222e; --warning: #9a6700; --info: #0969da; --mark: #ffebe9; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d;
  --head: #151b23; --error: #ff7b72; --warning: #d29922; --info: #4493f8; --mark: #5a1e1e; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 80rem; padding: 1rem 1.5rem 3rem; color: var(--fg); background: var(--bg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
a { color: var(--info); }
.muted, caption { color: var(--muted); }
caption { text-align: left; padding: .25rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
dl.totals { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; }
dl.totals div { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 8rem; }
dl.totals dt { color: var(--muted); font-size: .85rem; }
dl.totals dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
.path { overflow-wrap: anywhere; }
#findings-table { table-layout: fixed; }
#findings-table th:nth-child(1) { width: 22%; } #findings-table th:nth-child(2) { width: 6.5rem; }
#findings-table th:nth-child(3) { width: 6rem; } #findings-table th:nth-child(4) { width: 4.5rem; }
#findings-table td.n { white-space: nowrap; }
.message { white-space: pre-wrap; overflow-wrap: anywhere; }
pre.frame { margin: .3rem 0 0; padding: .3rem .5rem; background: var(--head); border-radius: 4px; overflow-x: auto;
  font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.frame .gutter { color: var(--muted); user-select: none; }
pre.frame mark { background: var(--mark); color: inherit; text-decoration: underline wavy var(--error); }
svg.chart { width: 100%; height: auto; max-height: 16rem; }
svg.chart .bar-error { fill: var(--error); } svg.chart .bar-warning { fill: var(--warning); }
svg.chart .bar-info { fill: var(--info); } svg.chart .axis { stroke: var(--line); }
svg.chart text { fill: var(--muted); font: 11px system-ui, sans-serif; }
.legend span::before { content: "\\25A0 "; } .legend span { margin-right: 1rem; }
#controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: .5rem 0; }
#controls[hidden] { display: none; }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
tr[hidden] { display: none; }
"""

SCRIPT = """
"use strict";
(function () {
  var table = document.getElementById("findings-table");
  var controls = document.getElementById("controls");
  if (!table || !controls) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var rule = document.getElementById("rule-filter");
  var severity = document.getElementById("severity-filter");
  var shown = document.getElementById("shown");
  var rank = {error: 0, warning: 1, info: 2};
  function filter() {
    var n = 0;
    rows.forEach(function (row) {
      var hide = (rule.value && row.dataset.rule !== rule.value) ||
        (severity.value && row.dataset.severity !== severity.value);
      row.hidden = !!hide;
      if (!hide) n++;
    });
    shown.textContent = String(n);
  }
  var keys = {
    path: function (r) { return [r.dataset.path, +r.dataset.line, +r.dataset.column]; },
    severity: function (r) { return [rank[r.dataset.severity]]; },
    rule: function (r) { return [r.dataset.rule]; },
    message: function (r) { return [r.cells[4].firstChild.textContent]; }
  };
  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }
  var heads = Array.prototype.slice.call(table.tHead.querySelectorAll("th[data-sort]"));
  heads.forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = keys[th.dataset.sort];
      var up = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var sorted = rows.map(function (r) { return [key(r), +r.dataset.index, r]; });
      sorted.sort(function (a, b) { return (up ? 1 : -1) * compare(a[0], b[0]) || a[1] - b[1]; });
      rows = sorted.map(function (s) { return s[2]; });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (r) { fragment.appendChild(r); });
      body.appendChild(fragment);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-rule]"), function (link) {
    link.addEventListener("click", function () {
      rule.value = link.dataset.rule;
      severity.value = "";
      filter();
    });
  });
  rule.addEventListener("change", filter);
  severity.addEventListener("change", filter);
  controls.hidden = false;
  filter();
})();
"""


def _source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# Everything else is refused: no fetch, image, font, frame, form or <base>.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_source_hash(STYLE)}; script-src {_source_hash(SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)


def _e(text: Any) -> str:
    """Text from outside, for HTML text or a quoted attribute: control and
    format characters made visible, lone surrogates (bytes that were not
    UTF-8) shown as \\xNN, then &, <, >, " and ' escaped."""
    return html.escape(visible(str(text)), quote=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- the posts' dates ------------------------------------------------------------------


def post_months(report: Report, paths: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    """The (year, month) of each post's date, or None when it has none.

    As the DT rules read it: the front matter's `date` in the zone Jekyll
    builds in (the site's `timezone`, else `build-timezone`), else the date the
    file name starts with. The post is read again (only those with findings),
    inside the site as the run read it; one that cannot be read has its file
    name's date or none."""
    from postlint.model.site import filename_date

    options = {"format": "rfc2822", "accept": ["jekyll"], **report.date_options}
    zones: dict[str, Any] = {}  # folder -> the zone its site builds in
    out: dict[str, tuple[int, int] | None] = {}
    for path in paths:
        month: tuple[int, int] | None = None
        try:
            month = _front_matter_month(report, path, options, zones)
        except Exception:  # noqa: BLE001 - a post the chart cannot date is counted apart, never a crash
            month = None
        if month is None:
            named = filename_date(path)
            if named is not None and 1 <= named[1] <= 12:
                month = (named[0], named[1])
        out[path] = month
    return out


def _front_matter_month(
    report: Report, path: str, options: dict[str, Any], zones: dict[str, Any]
) -> tuple[int, int] | None:
    from postlint.analysis.dates.facts import check_value
    from postlint.files.safe import Refused, read_inside
    from postlint.model.post import parse
    from postlint.model.site import build_zone, find_site, is_yaml_timestamp, jekyll_moment

    full = path if os.path.isabs(path) else os.path.join(str(report.cwd), path)
    try:
        data = read_inside(full).data
    except (OSError, Refused):
        return None
    if b"date" not in data:  # no date key at all: no YAML to parse
        return None
    post = parse(full, data)
    value = post.data.get("date")
    if not isinstance(value, str):
        return None
    parsed, _problems, _fmt = check_value(value, options)
    if parsed is None:
        return None
    folder = os.path.dirname(full)
    if folder not in zones:
        try:
            zones[folder] = build_zone(find_site(Path(full)), options.get("build-timezone"))
        except ValueError:  # an unknown build-timezone (the DT rules refuse it first)
            zones[folder] = None
    if zones[folder] is None:
        return None
    moment = jekyll_moment(parsed, zones[folder], is_yaml_timestamp(post, "date"))
    if moment is None:
        return None
    return (moment.year, moment.month)


def _buckets(months: Counter[tuple[int, int]]) -> tuple[str, list[tuple[str, tuple[int, int]]]]:
    """The chart's bars: ("month" | "year", [(label, key)]), in date order."""
    first, last = min(months), max(months)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span <= MAX_BARS:
        out = []
        year, month = first
        for _ in range(span):
            out.append((f"{year:04d}-{month:02d}", (year, month)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return "month", out
    if last[0] - first[0] + 1 <= MAX_BARS:
        return "year", [(f"{y:04d}", (y, 0)) for y in range(first[0], last[0] + 1)]
    return "year", [(f"{y:04d}", (y, 0)) for y in sorted({y for y, _ in months})]


# -- the page ----------------------------------------------------------------------------


def render(report: Report) -> str:
    diagnostics = report.diagnostics
    rules = report.registry.rules
    severities: Counter[str | None] = Counter(d.severity for d in diagnostics)
    not_shown = sum(d.not_shown for d in diagnostics)
    total = len(diagnostics)
    title = f"postlint: {_plural(total, 'finding')}"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta name="generator" content="postlint {_e(__version__)}">\n',
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        (
            f'<header>\n<h1>postlint report</h1>\n<p class="muted">{_e(summary_line(report))} '
            f"postlint {_e(__version__)}.</p>\n</header>\n"
        ),
    ]
    parts.append(_totals(report, total, severities, not_shown))
    if diagnostics:
        parts.append(_rule_table(report, rules))
        parts.append(_chart(report))
        parts.append(_top_files(diagnostics))
        parts.append(_findings(report, rules))
    if report.notes:
        parts.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n")
        parts.extend(f"<li>{_e(note)}</li>\n" for note in report.notes)
        parts.append("</ul>\n</section>\n")
    parts.append(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(parts)


def _totals(report: Report, total: int, severities: Counter[str | None], not_shown: int) -> str:
    items = [
        ("findings", "Findings", total),
        ("errors", "Errors", severities.get("error", 0)),
        ("warnings", "Warnings", severities.get("warning", 0)),
        ("info", "Info", severities.get("info", 0)),
        ("files", "Files checked", report.files),
        ("files_with_findings", "Files with findings", files_with_findings(report)),
        ("fixable", "Fixable with --fix" if not report.unsafe_fixes else "Fixable", sum(
            1 for d in report.diagnostics if fixable(d, report.unsafe_fixes))),
        ("fixed", "Fixed", report.fixed),
        ("not_shown", "Not shown (max-findings-per-rule)", not_shown),
    ]
    out = ['<section id="totals">\n<h2>Totals</h2>\n<dl class="totals">\n']
    for key, label, value in items:
        if key in ("fixed", "not_shown") and not value:
            continue
        out.append(f'<div><dt>{label}</dt><dd data-total="{key}">{value}</dd></div>\n')
    out.append("</dl>\n</section>\n")
    return "".join(out)


def _rule_link(code: str, rules: dict[str, Any]) -> str:
    rule = rules.get(code)
    if rule is None:
        return f"<code>{_e(code)}</code>"
    return f'<a href="{_e(help_uri(rule))}" rel="noreferrer" title="{_e(rule.summary)}"><code>{_e(code)}</code></a>'


def _rule_table(report: Report, rules: dict[str, Any]) -> str:
    per_rule: dict[str, Counter[str | None]] = defaultdict(Counter)
    hidden: Counter[str | None] = Counter()
    for d in report.diagnostics:
        per_rule[d.code][d.severity] += 1
        hidden[d.code] += d.not_shown
    out = [
        '<section id="rules">\n<h2>Findings per rule and severity</h2>\n<table id="rules-table">\n',
        (
            '<thead><tr><th>Rule</th><th>Name</th><th class="n">Errors</th><th class="n">Warnings</th>'
            '<th class="n">Info</th><th class="n">Findings</th><th class="n">Not shown</th></tr></thead>\n<tbody>\n'
        ),
    ]
    for code, counts in sorted(per_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        rule = rules.get(code)
        name = _e(rule.name) if rule else ""
        cells = "".join(
            f'<td class="n" data-severity="{s}">{counts[s] or ""}</td>' for s in _SEVERITIES
        )
        count = sum(counts.values())
        out.append(
            f'<tr data-rule="{_e(code)}"><td>{_rule_link(code, rules)}</td><td>{name}</td>{cells}'
            f'<td class="n"><a href="#findings" data-rule="{_e(code)}" data-count="{count}">{count}</a></td>'
            f'<td class="n">{hidden[code] or ""}</td></tr>\n'
        )
    out.append(f"</tbody>\n</table>\n<p class=\"muted\">{_plural(len(report.rules), 'rule')} ran.</p>\n</section>\n")
    return "".join(out)


def _chart(report: Report) -> str:
    paths = sorted({d.path for d in report.diagnostics})
    months = post_months(report, paths)
    dated: dict[tuple[int, int], Counter[str | None]] = defaultdict(Counter)
    undated_findings = 0
    undated_files = set()
    for d in report.diagnostics:
        month = months.get(d.path)
        if month is None:
            undated_findings += 1
            undated_files.add(d.path)
        else:
            dated[month][d.severity] += 1
    out = ['<section id="timeline">\n<h2>Findings by the month of the post\'s date</h2>\n']
    if dated:
        unit, bars = _buckets(Counter({m: sum(c.values()) for m, c in dated.items()}))
        per_bar: dict[tuple[int, int], Counter[str | None]] = defaultdict(Counter)
        for (year, number), counted in dated.items():
            per_bar[(year, number) if unit == "month" else (year, 0)].update(counted)
        out.append(_svg(unit, bars, per_bar))
        out.append(
            '<details>\n<summary>The chart as a table</summary>\n<table id="months-table">\n'
            f'<thead><tr><th>{"Month" if unit == "month" else "Year"}</th><th class="n">Errors</th>'
            '<th class="n">Warnings</th><th class="n">Info</th><th class="n">Findings</th></tr></thead>\n<tbody>\n'
        )
        for label, key in bars:
            counts = per_bar.get(key)
            if not counts:
                continue
            cells = "".join(f'<td class="n">{counts[s] or ""}</td>' for s in _SEVERITIES)
            out.append(f'<tr data-month="{label}"><td>{label}</td>{cells}'
                       f'<td class="n" data-count="{sum(counts.values())}">{sum(counts.values())}</td></tr>\n')
        out.append("</tbody>\n</table>\n</details>\n")
    else:
        out.append('<p class="muted">No post with findings has a date.</p>\n')
    if undated_findings:
        out.append(
            f'<p id="undated">Posts without a date (neither in the front matter nor in the file name): '
            f'<span data-count="{undated_findings}">{_plural(undated_findings, "finding")}</span> in '
            f'<span data-files="{len(undated_files)}">{_plural(len(undated_files), "file")}</span>.</p>\n'
        )
    out.append("</section>\n")
    return "".join(out)


def _svg(
    unit: str, bars: list[tuple[str, tuple[int, int]]], per_bar: dict[tuple[int, int], Counter[str | None]]
) -> str:
    width, height, left, bottom, top = 960, 200, 40, 24, 8
    plot_w, plot_h = width - left - 8, height - bottom - top
    highest = max(sum(c.values()) for c in per_bar.values())
    step = plot_w / len(bars)
    bar_w = min(max(step * 0.8, 0.5), 48)
    out = [
        (
            f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" '
            'xmlns="http://www.w3.org/2000/svg">\n'
            f'<title id="chart-title">Findings per {unit} of the post\'s date, by severity</title>\n'
        ),
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}"/>\n',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>\n',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end">{highest}</text>\n',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>\n',
    ]
    # A label for each year (at its first bar), thinned to about a dozen.
    years = sorted({key[0] for _, key in bars})
    every = max(1, -(-len(years) // 12))
    labelled = {y for i, y in enumerate(years) if i % every == 0}
    seen_years: set[int] = set()
    for i, (label, key) in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        if key[0] not in seen_years:
            seen_years.add(key[0])
            if key[0] in labelled:
                out.append(f'<text x="{min(x, width - 36):.1f}" y="{height - 8}">{key[0]:04d}</text>\n')
        counts = per_bar.get(key)
        if not counts:
            continue
        n = sum(counts.values())
        words = ", ".join(
            _plural(counts[s], s) if s != "info" else f"{counts[s]} info" for s in _SEVERITIES if counts[s]
        )
        out.append(f'<g data-bar="{label}" data-count="{n}"><title>{label}: {_plural(n, "finding")} ({words})</title>')
        y: float = top + plot_h
        for s in _SEVERITIES:
            if not counts[s]:
                continue
            h = plot_h * counts[s] / highest
            y -= h
            out.append(f'<rect class="bar-{s}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>')
        out.append("</g>\n")
    out.append("</svg>\n")
    out.append('<p class="legend muted"><span class="sev-error">errors</span><span class="sev-warning">warnings</span>'
               '<span class="sev-info">info</span></p>\n')
    return "".join(out)


def _top_files(diagnostics: list[Diagnostic]) -> str:
    per_file: dict[str, Counter[str | None]] = defaultdict(Counter)
    for d in diagnostics:
        per_file[d.path][d.severity] += 1
    ranked = sorted(per_file.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:TOP_FILES]
    out = [
        '<section id="files">\n<h2>Files with most findings</h2>\n<table id="files-table">\n',
        "<caption>"
        + (
            f"All {_plural(len(per_file), 'file')} with findings."
            if len(ranked) == len(per_file)
            else f"The {len(ranked)} with most findings, of {len(per_file)} files with findings."
        )
        + "</caption>\n",
        (
            '<thead><tr><th>File</th><th class="n">Errors</th><th class="n">Warnings</th><th class="n">Info</th>'
            '<th class="n">Findings</th></tr></thead>\n<tbody>\n'
        ),
    ]
    for path, counts in ranked:
        cells = "".join(f'<td class="n">{counts[s] or ""}</td>' for s in _SEVERITIES)
        out.append(f'<tr><td class="path">{_e(path)}</td>{cells}<td class="n">{sum(counts.values())}</td></tr>\n')
    out.append("</tbody>\n</table>\n</section>\n")
    return "".join(out)


def _findings(report: Report, rules: dict[str, Any]) -> str:
    codes = Counter(d.code for d in report.diagnostics)
    options = "".join(
        f'<option value="{_e(code)}">{_e(code)} ({codes[code]})</option>' for code in sorted(codes)
    )
    out = [
        '<section id="findings">\n<h2>Findings</h2>\n',
        (
            '<div id="controls" hidden>\n<label>Rule <select id="rule-filter"><option value="">all rules</option>'
            f"{options}</select></label>\n"
            '<label>Severity <select id="severity-filter"><option value="">all</option>'
            '<option value="error">error</option><option value="warning">warning</option>'
            '<option value="info">info</option></select></label>\n'
            f'<span>Showing <output id="shown">{len(report.diagnostics)}</output> '
            f"of {len(report.diagnostics)}</span>\n</div>\n"
        ),
        (
            '<table id="findings-table">\n<thead><tr><th data-sort="path">File</th><th>Line:Col</th>'
            '<th data-sort="severity">Severity</th><th data-sort="rule">Rule</th><th data-sort="message">Message</th>'
            "</tr></thead>\n<tbody>\n"
        ),
    ]
    for i, d in enumerate(report.diagnostics):
        mark = " [*]" if fixable(d, report.unsafe_fixes) else ""
        severity = d.severity or "error"
        out.append(
            f'<tr data-index="{i}" data-rule="{_e(d.code)}" data-severity="{_e(severity)}" data-path="{_e(d.path)}" '
            f'data-line="{d.line}" data-column="{d.column}">'
            f'<td class="path">{_e(d.path)}</td><td class="n">{d.line}:{d.column}</td>'
            f'<td class="sev-{_e(severity)}">{_e(severity)}</td><td>{_rule_link(d.code, rules)}</td>'
            f'<td><div class="message">{_e(d.message)}{mark}</div>{_frame(d)}</td></tr>\n'
        )
    out.append("</tbody>\n</table>\n</section>\n")
    return "".join(out)


def _frame(d: Diagnostic) -> str:
    """The code frame: the line as the text reporter shows it (a bounded
    window, tabs expanded, control characters escaped), the flagged
    characters marked."""
    shown = frame(d)
    if shown is None:
        return ""
    line, offset, width = shown
    # The frame's offsets are terminal cells: back to characters of `line`.
    start = end = len(line)
    cells = 0
    for i, char in enumerate(line):
        if start == len(line) and cells >= offset:
            start = i
        if start != len(line) and cells >= offset + width:
            end = i
            break
        cells += _width(char)
    before, flagged, after = line[:start], line[start:end], line[end:]
    marked = html.escape(flagged) if flagged else " "
    return (
        f'<pre class="frame"><span class="gutter">{d.line} | </span>{html.escape(before)}'
        f"<mark>{marked}</mark>{html.escape(after)}</pre>"
    )
