"""The HTML report: aggregates, ranking, streaming, and that no input ever becomes markup."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from hypedetect.report import ReportBuilder, build_report, write_report

MODEL = {"name": "hype-minilm", "version": "1.2.0", "dtype": "float32"}


def _span(start: int, end: int, label: str, text: str, mid: Optional[str] = None,
          stance: str = "asserted") -> Dict[str, Any]:
    return {"start": start, "end": end, "label": label, "text": text, "id": mid, "stance": stance}


def _record(rid: str, text: str, hype: Optional[float], label: Optional[str], date: Optional[str],
            spans: List[Dict[str, Any]], methodologies: List[str], **extra: Any) -> Dict[str, Any]:
    record = {
        "id": rid, "source": "blog", "title": f"Post {rid}", "date": date, "url": f"https://example.com/{rid}",
        "text": text, "hype": hype, "hype_level": None if hype is None else 4 * hype, "label": label,
        "sentences": [{"start": 0, "end": len(text), "hype": hype}], "spans": spans,
        "methodologies": methodologies, "model": MODEL, "error": None,
    }
    record.update(extra)
    return record


def sample_records() -> List[Dict[str, Any]]:
    """Four scored posts (one undated, one as read back from CSV) and one failed record."""
    a = "Social selling will 10x your pipeline. Guaranteed."
    b = "Some say MEDDICC works; social selling is not a silver bullet."
    c = "MEDDICC may help in some cases."
    d = "Social selling now! Social selling always."
    csv_row = _record("d", d, None, "hype", "2024-03-01T10:00:00Z", [], [])
    csv_row.update({
        "hype": "0.7", "hype_level": "2.8", "error": "",
        "sentences": json.dumps([{"start": 0, "end": 19, "hype": 0.8}, {"start": 20, "end": len(d), "hype": 0.6}]),
        "spans": json.dumps([_span(0, 14, "METHODOLOGY", "Social selling", "social-selling"),
                             _span(20, 34, "METHODOLOGY", "Social selling", "social-selling"),
                             _span(35, 41, "UNIVERSAL", "always")]),
        "methodologies": json.dumps(["social-selling"]), "model": json.dumps(MODEL),
    })
    return [
        _record("a", a, 0.9, "hype", "2024-01-15",
                [_span(0, 14, "METHODOLOGY", "Social selling", "social-selling"),
                 _span(20, 37, "PROMISE", "10x your pipeline"), _span(39, 49, "BOOSTER", "Guaranteed")],
                ["social-selling"]),
        _record("b", b, 0.2, "nuance", "2024-02-03",
                [_span(9, 16, "METHODOLOGY", "MEDDICC", "meddicc", "reported"),
                 _span(24, 38, "METHODOLOGY", "social selling", "social-selling", "negated")],
                ["meddicc", "social-selling"]),
        _record("c", c, 0.55, "mixed", None, [_span(0, 7, "METHODOLOGY", "MEDDICC", "meddicc"),
                                               _span(8, 11, "HEDGE", "may")], ["meddicc"]),
        csv_row,
        {"id": "e", "source": "feed.xml", "title": None, "date": None, "url": None, "text": None, "hype": None,
         "hype_level": None, "label": None, "sentences": [], "spans": [], "methodologies": [], "model": None,
         "error": "could not decode input"},
    ]


def _builder(records: List[Dict[str, Any]], **kwargs: Any) -> ReportBuilder:
    builder = ReportBuilder(**kwargs)
    for record in records:
        builder.add(record)
    return builder


def test_summary_counts() -> None:
    summary = _builder(sample_records()).summary()
    assert (summary["records"], summary["scored"], summary["failed"], summary["undated"]) == (5, 4, 1, 1)
    assert summary["labels"] == {"hype": 2, "mixed": 1, "nuance": 1, "other": 0}
    assert summary["shares"]["hype"] == pytest.approx(0.5)
    assert summary["mean_hype"] == pytest.approx((0.9 + 0.2 + 0.55 + 0.7) / 4)
    assert summary["date_range"] == ("2024-01-15", "2024-03-01")
    assert summary["models"] == {"hype-minilm v1.2.0 (float32)": 4}


def test_methodology_table() -> None:
    rows = {row.id: row for row in _builder(sample_records()).methodology_table()}
    social, meddicc = rows["social-selling"], rows["meddicc"]
    # social-selling: posts a, b (negated), d (two mentions from CSV JSON).
    assert (social.posts, social.mentions) == (3, 4)
    assert social.mean_hype == pytest.approx((0.9 + 0.2 + 0.7) / 3)
    assert (social.share("asserted"), social.share("reported"), social.share("negated")) == (0.75, 0.0, 0.25)
    assert (meddicc.posts, meddicc.mentions) == (2, 2)
    assert meddicc.mean_hype == pytest.approx((0.2 + 0.55) / 2)
    assert (meddicc.share("asserted"), meddicc.share("reported"), meddicc.share("negated")) == (0.5, 0.5, 0.0)
    assert [row.id for row in _builder(sample_records()).methodology_table()] == ["social-selling", "meddicc"]


def test_trend_period_month_and_year() -> None:
    builder = _builder(sample_records())
    assert builder.trend_period() == "month"
    trends = builder.trends()
    assert trends["social-selling"] == [("2024-01", 1, pytest.approx(0.9)), ("2024-02", 1, pytest.approx(0.2)),
                                        ("2024-03", 2, pytest.approx(0.7))]
    assert trends["meddicc"] == [("2024-01", 0, None), ("2024-02", 1, pytest.approx(0.2)), ("2024-03", 0, None)]

    span = [_span(0, 7, "METHODOLOGY", "MEDDICC", "meddicc")]
    yearly = _builder([_record("x", "MEDDICC", 0.4, "mixed", "2015-06-01", span, ["meddicc"]),
                       _record("y", "MEDDICC", 0.8, "hype", "2018-06-01", span, ["meddicc"])])
    assert yearly.trend_period() == "year"
    assert [(p, m) for p, m, _ in yearly.trends()["meddicc"]] == [("2015", 1), ("2016", 0), ("2017", 0), ("2018", 1)]
    assert _builder([]).trend_period() is None


def test_top_and_bottom_ordering() -> None:
    builder = _builder(sample_records(), top_n=2)
    assert [p["id"] for p in builder.most_hyped()] == ["a", "d"]
    assert [p["id"] for p in builder.least_hyped()] == ["b", "c"]
    page = builder.render()
    assert page.index("Post a") < page.index("Post d") < page.index("Least hyped") < page.index("Post b")


def test_streaming_retains_at_most_two_top_n() -> None:
    builder = ReportBuilder(top_n=5)
    for i in range(1000):
        builder.add(_record(str(i), "x" * 50, (i * 37 % 1000) / 1000, "mixed", "2024-01-01", [], []))
        assert builder.retained_posts <= 10
    assert [p["hype"] for p in builder.most_hyped()] == [0.999, 0.998, 0.997, 0.996, 0.995]
    assert [p["hype"] for p in builder.least_hyped()] == [0.0, 0.001, 0.002, 0.003, 0.004]
    assert sum(builder.histogram) == 1000


def test_malformed_offsets_and_truncation() -> None:
    text = "Word " * 200
    record = _record("m", text, 0.5, "mixed", "not a date",
                     [_span(-5, 4, "PROMISE", "Word"), _span(990, 5000, "BOOSTER", "x"), _span(8, 3, "HEDGE", "?"),
                      {"start": "7", "end": None, "label": "CAVEAT"}, "garbage", _span(2, 12, "NEW_LABEL", "rd Wo")],
                     [], sentences=[{"start": 3, "end": 9999, "hype": 2.0}, {"start": 0, "end": 7, "hype": "x"},
                                    {"start": None}])
    page = build_report([record, {"id": "z", "spans": "{not json", "hype": "nan", "error": ""}], max_chars=100)
    assert "900 more characters" in page
    assert "NEW_LABEL" in page
    assert "unparsable date" in page


def test_write_report(tmp_path: Path) -> None:
    path = write_report(sample_records(), tmp_path / "sub" / "report.html", title="Demo")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Demo</title>" in page
    for section in ("summary", "distribution", "posts", "methodologies", "trends", "errors"):
        assert f"<section id=\"{section}\">" in page
    assert "could not decode input" in page and "social-selling" in page


# ------------------------------------------------------------------ escaping

PAYLOADS = (
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "\"><svg onload=\"document.title='PWNED'\">",
    "'><iframe src=javascript:alert(1)>",
)
EVIL = " ".join(PAYLOADS)

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "section", "h1", "h2", "h3", "h4", "p",
    "table", "thead", "tbody", "tr", "th", "td", "span", "div", "code", "b", "br", "a", "article", "ul", "li",
    "figure", "figcaption", "svg", "rect", "line", "polygon", "polyline", "circle", "text",
}
ALLOWED_ATTRS = {
    "charset", "http-equiv", "content", "name", "lang", "id", "class", "style", "title", "href", "rel",
    "viewbox", "width", "height", "role", "aria-label", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "fill", "fill-opacity", "stroke", "stroke-width", "points", "text-anchor",
}
STYLE_VALUE = re.compile(r"(top:-?\d+px|padding-bottom:\d+px|background-color:rgba\(\d+,\d+,\d+,[01]\.\d{3}\))")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: List[Tuple[str, List[Tuple[str, Optional[str]]]]] = []
        self.text: List[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text.append(data)


def markup_problems(page: str) -> List[str]:
    """Everything in ``page`` that is not markup our renderer emits (empty for a clean page)."""
    problems = []
    if "<script" in page.lower():
        problems.append("<script in page")
    parser = _Collector()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name} on {tag}")
            if name not in ALLOWED_ATTRS:
                problems.append(f"attribute {name} on {tag}")
            if name in ("src", "srcset", "xlink:href", "action", "formaction", "background", "poster"):
                problems.append(f"resource attribute {name}")
            if name == "href" and (tag != "a" or not re.match(r"https?://", value or "", re.I)):
                problems.append(f"href {value!r} on {tag}")
            if name == "style" and not STYLE_VALUE.fullmatch(value or ""):
                problems.append(f"style {value!r}")
    if re.search(r"url\(|@import", page, re.I):
        problems.append("CSS url()/@import")
    return problems


def page_text(page: str) -> str:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return "".join(parser.text)


def evil_records() -> List[Dict[str, Any]]:
    text = f"Intro. {EVIL} Then social selling wins."
    start = text.index("social selling")
    evil = _record(
        EVIL, text, 0.95, EVIL, "2024-05-01\"><script>", [
            _span(start, start + 14, EVIL, "social selling", EVIL),
            _span(start, start + 14, "METHODOLOGY", "social selling", EVIL, EVIL),
            _span(0, 5, "PROMISE", EVIL),
        ], [EVIL], title=EVIL, source=EVIL, url="javascript:alert(1)", model={"name": EVIL, "version": EVIL},
        sentences=[{"start": 0, "end": len(text), "hype": EVIL}, {"start": 0, "end": 6, "hype": 0.99}])
    evil_csv = _record("csv", "MEDDICC", 0.1, "nuance", "2024-06-01", [], [],
                       url="https://example.com/\"onmouseover=\"document.title='PWNED'")
    evil_csv.update(spans=json.dumps([_span(0, 7, "METHODOLOGY", "MEDDICC", EVIL)]), methodologies=json.dumps([EVIL]))
    failed = {"id": EVIL, "source": EVIL, "error": EVIL, "title": EVIL, "url": " JaVaScRiPt:alert(1)"}
    return [evil, evil_csv, failed]


def test_checker_catches_injection() -> None:
    """The checker must be able to fail: unescaped input is reported."""
    page = build_report(evil_records())
    assert markup_problems(page.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"'))
    assert markup_problems("<p style=\"color:red\">x</p><a href=\"javascript:alert(1)\">y</a>")


def test_no_input_becomes_markup() -> None:
    page = build_report(evil_records(), title=EVIL)
    assert markup_problems(page) == []
    text = page_text(page)
    for payload in (*PAYLOADS, EVIL, "javascript:alert(1)"):
        assert payload in text
    hrefs = [dict(attrs)["href"] for tag, attrs in _tags(page) if tag == "a"]
    assert set(hrefs) == {"https://example.com/\"onmouseover=\"document.title='PWNED'"}
    assert all(dict(attrs).get("rel") == "noopener noreferrer nofollow" for tag, attrs in _tags(page) if tag == "a")
    assert "Content-Security-Policy" in page


def _tags(page: str) -> List[Tuple[str, List[Tuple[str, Optional[str]]]]]:
    parser = _Collector()
    parser.feed(page)
    return parser.tags


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell",
                  "chrome-headless-shell")


def _dump_doms(browser: str, *paths: Path) -> List[str]:
    """The DOM of each page after load, the browsers run side by side."""
    procs = [subprocess.Popen(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--user-data-dir={path.parent / (path.stem + '-profile')}", "--virtual-time-budget=1000",
         "--dump-dom", path.as_uri()],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) for path in paths]
    return [proc.communicate(timeout=60)[0] for proc in procs]


def _title(dom: str) -> str:
    match = re.search(r"<title>([^<]*)</title>", dom)
    assert match, "the browser rendered nothing"
    return match.group(1)


def test_headless_browser_runs_no_script(tmp_path: Path) -> None:
    browser = next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)
    if browser is None:
        pytest.skip("no Chromium installed")
    page = build_report(evil_records(), title="SAFE-TITLE")
    # Without the CSP, escaping alone must keep the payloads inert.
    bare = re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", page)
    assert bare != page
    path, control = tmp_path / "evil.html", tmp_path / "control.html"
    path.write_text(bare, encoding="utf-8")
    # Control: the same harness does see a script that runs.
    control.write_text(f"<title>SAFE-TITLE</title>{PAYLOADS[1]}", encoding="utf-8")
    dom, control_dom = _dump_doms(browser, path, control)
    assert "Most hyped" in dom, "the browser rendered nothing"
    assert _title(dom) == "SAFE-TITLE"
    assert _title(control_dom) == "PWNED"
