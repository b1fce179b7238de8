"""Compare the HTML rules (HT001-HT003) with the Nu Html Checker (vnu).

    npm install vnu-jar            # in a folder outside the repo, or a gitignored one
    python benchmarks/vnu_compare.py --vnu PATH/node_modules/vnu-jar/build/dist/vnu.jar \
        [--work DIR] [--strict] ../shared/corpora/X [...]

What is compared, and why it is fair:

* Each post's body is given to vnu exactly as postlint's HTML parser sees it
  (``postlint.analysis.body.html._prepare``): Liquid tags and outputs blanked (Jekyll
  runs Liquid before any HTML exists; vnu does not know Liquid), and for a
  Markdown post only its raw-HTML blocks and inline HTML as HTML, the
  Markdown prose around them with its ``<`` and ``&`` made spaces (kramdown
  escapes those, so they are not markup in the page).  Same text, same
  offsets: both checkers judge the same characters.  Bodies with no markup
  at all (no ``<``, ``&`` or NUL) are skipped: neither can find anything.
* vnu gets each body wrapped as the fragment of a body in a minimal valid
  document (``<!DOCTYPE html>``, ``<title>``, ``<body>`` ... ``</body>``), so
  it sees a fragment in a body, as the post is in its layout.  The wrapper's
  lines are subtracted from vnu's positions.
* vnu is a validator: besides parse errors it reports content-model errors
  ("element X not allowed as child of Y", missing ``alt``, obsolete
  attributes) that HT rules do not cover.  Only its *parse* errors are
  compared: the messages of its HTML parser (tokenizer and tree builder),
  recognised by their wording (``_PARSE``).  "Element “x” not allowed as
  child" is content model even for an element HTML does not have: the
  parser accepts any name (``<notextile>...</notextile>`` is an element).
  An unknown element that is never closed (``<num_hosts>``), which postlint
  reports as an unescaped ``<``, shows in vnu as its parser's "Unclosed
  element" or "End tag ... seen, but there were open elements".
* vnu still reports some things today's standard accepts (it flags a bare
  ``&`` only when it looks like a reference, as the standard does), and
  reports as errors things browsers render as written (``<`` before a
  space); those are counted apart ("as written"), postlint reports them only
  with ``[html] strict`` (``--strict`` here).

Printed: on bodies vnu finds free of parse errors, how many have an HT
finding (target 0); on bodies where vnu reports a parse error, how many
postlint flags too (target all), and the differences, body by body.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import load
from postlint.model.site import Site

HEAD = "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>x</title></head><body>\n"
TAIL = "\n</body></html>\n"
HEAD_LINES = HEAD.count("\n")

# vnu's parser messages (nu.validator.htmlparser), by wording.
_PARSE_WORDINGS = (
    r"Stray (end|start) tag", r"End tag .* seen, but there were open elements", r"Unclosed element",
    r"End of file", r"Bad character", r"Saw “<” ", r"Saw “<>”", r"Saw “</>”", r"Duplicate attribute",
    r"character reference", r"Character reference", r"No space between attributes",
    r"Attribute value missing", r"Bogus comment", r"comment", r"Quote", r"quote",
    r"“=” at the start of an attribute name", r"“<” in attribute name", r"in an unquoted attribute value",
    r"Self-closing syntax", r"Heading cannot be a child of another heading",
    r"An “\w+” start tag seen but an element of the same type was already open",
    r"No “\w+” element in scope", r"End tag “\w+” implied", r"Start tag “\w+” seen in “table”",
    r"Non-space characters? in table", r"Saw “\?”", r"CDATA", r"Almost standards mode", r"Non-space character",
    r"Start tag seen without seeing a doctype", r"Stray doctype", r"doctype", r"Garbage after",
    r"Unclosed elements", r"“\w+” start tag in table body", r"Forbidden code point", r"NULL",
    r"U\+0000", r"End tag “[^”]+” violates nesting rules", r"^End tag “[^”]+”\.$",
)
_PARSE = re.compile("|".join(_PARSE_WORDINGS))
_AS_WRITTEN = re.compile(r"Bad character .* after “<”|Saw “<” followed by|“&” did not start|"
                         r"No space between attributes|Self-closing syntax .* used on a non-void|"
                         r"Saw “<” at the end|Stray “/”")

from postlint.analysis.body.html import _prepare  # noqa: E402


def is_parse_error(message: str) -> bool:
    return (bool(_PARSE.search(message)) and "not allowed as child" not in message
            and "completely-unknown element" not in message)


def bodies(roots: list[Path]) -> list[tuple[Path, str, str, str]]:
    """(path, rel path, raw source, text vnu gets) of every post with markup."""
    from postlint.analysis.body.liquid import prepare
    from postlint.analysis.body.markdown import markdown_regions
    from postlint.model.post import parse

    out = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "_posts" in p.parts):
            if path.suffix.lower() not in (".md", ".markdown", ".mkdn", ".html", ".htm", ".text", ".rmd"):
                continue
            raw = path.read_bytes()
            post = parse(str(path), raw)
            if post.binary or post.text is None:
                continue
            body = post.body
            fragments = markdown_regions(prepare(body)).html if post.is_markdown else None
            if post.is_markdown and not fragments:
                continue
            text = _prepare(body, fragments)
            if text is None:
                continue
            out.append((path, str(path.relative_to(root.parent)), raw.decode("utf-8", "replace"), text))
    return out


def run_vnu(jar: Path, files: list[Path]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {str(f): [] for f in files}
    for i in range(0, len(files), 500):
        batch = files[i:i + 500]
        proc = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json",
                               *map(str, batch)], capture_output=True, text=True)
        data = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
        for msg in data.get("messages", []):
            url = msg.get("url", "")
            key = url.removeprefix("file:")
            if key in found and msg.get("type") == "error":
                found[key].append(msg)
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--vnu", type=Path, required=True, help="path to vnu.jar")
    ap.add_argument("--work", type=Path, help="folder for the wrapped bodies (default: a temporary one)")
    ap.add_argument("--strict", action="store_true", help="HT001 with [html] strict = true")
    ap.add_argument("--verbose", action="store_true", help="print every difference")
    ap.add_argument("roots", nargs="+", type=Path)
    args = ap.parse_args()

    posts = bodies(args.roots)
    work = args.work or Path(tempfile.mkdtemp(prefix="vnu-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    files = []
    for n, (_, _, _, text) in enumerate(posts):
        f = work / f"{n:05d}.html"
        f.write_text(HEAD + text + TAIL, encoding="utf-8")
        files.append(f.resolve())
    vnu = run_vnu(args.vnu, files)

    settings = Settings(root=Path("."), tables={"html": {"strict": True}} if args.strict else {})
    settings.select = ["HT"]
    linter = Linter(settings, load(), Site(), network=False)

    clean = flagged_clean = with_error = flagged_error = as_written_only = 0
    differences = []
    for (path, rel, raw, _), f in zip(posts, files):
        msgs = [m for m in vnu[str(f)] if is_parse_error(m.get("message", ""))]
        real = [m for m in msgs if not _AS_WRITTEN.search(m["message"])]
        ours = linter.lint_source(str(path), raw.encode("utf-8"))[1].diagnostics
        ht = [d for d in ours if d.code.startswith("HT")]
        considered = msgs if args.strict else real
        if not considered:
            clean += 1
            if msgs:
                as_written_only += 1
            if ht:
                flagged_clean += 1
                differences.append((rel, "postlint only", [f"{d.line}:{d.column} {d.code} {d.message}" for d in ht]))
        else:
            with_error += 1
            if ht:
                flagged_error += 1
            else:
                differences.append((rel, "vnu only", [f"body line {m.get('lastLine', 0) - HEAD_LINES}: {m['message']}"
                                                      for m in considered]))

    print(f"bodies with markup compared: {len(posts)}")
    print(f"free of parse errors per vnu: {clean} (of which {as_written_only} with only errors browsers "
          f"render as written{'' if args.strict else ', not counted'})")
    print(f"  ... with an HT finding: {flagged_clean}   (target 0)")
    print(f"with a parse error per vnu: {with_error}")
    print(f"  ... flagged by postlint too: {flagged_error}   (target {with_error})")
    for rel, side, lines in differences if args.verbose else differences[:40]:
        print(f"\n{side}: {rel}")
        for line in lines[:6]:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
