"""A self-contained offline HTML report over scored records.

:class:`ReportBuilder` consumes records (see :mod:`hypedetect.records`) one at a time
and keeps only aggregates — a hype histogram, label and error counts, per-methodology
and per-month sums — plus the ``top_n`` most and least hyped posts in two heaps, so
a report over millions of posts needs memory bounded by ``top_n`` and the number of
distinct methodologies and months, not by the number of posts.

The page is one HTML file with inline CSS and inline SVG charts: no JavaScript, no
external resources, and a Content-Security-Policy that forbids both. Everything that
comes from a record is HTML-escaped at output and is never placed in a ``style``
attribute or in a tag or attribute name; links are emitted only for http(s) URLs.
Records read back from CSV are accepted: list and dict fields may be JSON strings
and empty strings stand for missing values.
"""
from __future__ import annotations

import datetime as _dt
import heapq
import html
import json
import logging
import math
import re
from collections import abc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

logger = logging.getLogger(__name__)

LABELS3 = ("hype", "mixed", "nuance")
SPAN_LABELS = ("METHODOLOGY", "PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT")
STANCES = ("asserted", "reported", "negated")

# displaCy-like palette; unknown labels get the last class so no input reaches a class name.
_LABEL_COLORS = ("#7aecec", "#feca74", "#ff9561", "#ff8197", "#c887fb", "#9cc9cc", "#bfe1d9", "#dddddd")
_LABEL_CLASS = {label: f"c{i}" for i, label in enumerate(SPAN_LABELS)}
_OTHER_CLASS = f"c{len(SPAN_LABELS)}"

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_PIECE = re.compile(r"\S+[ \t]*|\s+")

# Bounds on what one record may make us retain or draw.
_MAX_FIELD = 300
_MAX_SPANS_SHOWN = 1000
_MAX_SENTENCES_SHOWN = 2000
_MAX_METHODOLOGIES = 5000
_MAX_MODELS = 20
_MAX_PERIODS = 240

_BAR_TOP = 24
_BAR_STEP = 12


def _esc(value: Any) -> str:
    """Escape any input for HTML text or a quoted attribute value."""
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def _short(value: Any, limit: int = _MAX_FIELD) -> Optional[str]:
    """A non-empty string cut to ``limit`` characters, or ``None``."""
    if value is None:
        return None
    text = str(value)
    if not text.strip():
        return None
    return text if len(text) <= limit else text[:limit] + "…"


def _json_field(value: Any, kind: type) -> Any:
    """A list/dict field that may arrive as a JSON string (CSV); anything malformed becomes empty."""
    if isinstance(value, (str, bytes)):
        if not value.strip():
            return kind()
        try:
            value = json.loads(value)
        except ValueError:
            logger.debug("unparsable JSON field %.80r", value)
            return kind()
    if value is None:
        return kind()
    if kind is list and isinstance(value, (list, tuple)):
        return list(value)
    if kind is dict and isinstance(value, abc.Mapping):
        return dict(value)
    return kind()


def _float(value: Any) -> Optional[float]:
    """A finite float or ``None`` (CSV gives strings, ``""`` and ``"nan"``)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _score(value: Any) -> Optional[float]:
    number = _float(value)
    return None if number is None else min(1.0, max(0.0, number))


def _int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number = _float(value)
    return None if number is None else int(number)


def _date(value: Any) -> Optional[_dt.date]:
    """The calendar date of an ISO 8601 date or datetime (string or object), else ``None``."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _heat(score: float) -> str:
    """Sentence tint from a score alone: blue below 0.5, red above, transparent at 0.5."""
    s = min(1.0, max(0.0, float(score)))
    alpha = abs(s - 0.5) * 2 * 0.5
    rgb = "239,68,68" if s >= 0.5 else "59,130,246"
    return f"rgba({rgb},{alpha:.3f})"


def _fmt(value: Optional[float], digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(part: float, whole: float) -> str:
    return "–" if not whole else f"{100.0 * part / whole:.1f}%"


def _safe_url(url: Optional[str]) -> Optional[str]:
    """The URL when it is an absolute http(s) URL without control characters or spaces, else ``None``."""
    if not url:
        return None
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    lowered = url.lower()
    if lowered.startswith(("http://", "https://")) and len(url.split("//", 1)[1]) > 0:
        return url
    return None


@dataclass
class MethodologyStats:
    """One row of the methodologies table."""

    id: str
    posts: int = 0
    mentions: int = 0
    hype_sum: float = 0.0
    hype_n: int = 0
    asserted: int = 0
    reported: int = 0
    negated: int = 0

    @property
    def mean_hype(self) -> Optional[float]:
        """Mean hype of the scored posts that mention this methodology."""
        return self.hype_sum / self.hype_n if self.hype_n else None

    def share(self, stance: str) -> Optional[float]:
        """Share of this methodology's mentions with ``stance`` (``None`` without mentions)."""
        return getattr(self, stance) / self.mentions if self.mentions else None


class _PeriodSums:
    __slots__ = ("mentions", "posts", "hype_sum", "hype_n")

    def __init__(self) -> None:
        self.mentions = 0
        self.posts = 0
        self.hype_sum = 0.0
        self.hype_n = 0

    def merge(self, other: "_PeriodSums") -> None:
        self.mentions += other.mentions
        self.posts += other.posts
        self.hype_sum += other.hype_sum
        self.hype_n += other.hype_n


Month = Tuple[int, int]


class ReportBuilder:
    """Accumulate scored records in one pass and render the HTML report.

    ``top_n`` posts are shown at each end of the hype ranking, ``max_chars`` characters
    of each shown post's text, the ``trend_k`` methodologies mentioned in most posts get
    trend charts, and the first ``max_errors`` error reasons are listed.
    """

    def __init__(
        self,
        *,
        top_n: int = 10,
        title: str = "hypedetect report",
        max_chars: int = 3000,
        trend_k: int = 8,
        bins: int = 20,
        max_errors: int = 10,
    ) -> None:
        if top_n < 0 or max_chars < 1 or trend_k < 0 or bins < 1 or max_errors < 0:
            raise ValueError("top_n, trend_k and max_errors must be >= 0; max_chars and bins >= 1")
        self.top_n, self.title, self.max_chars = top_n, title, max_chars
        self.trend_k, self.bins, self.max_errors = trend_k, bins, max_errors
        self.n_records = 0
        self.n_errors = 0
        self.errors: List[Dict[str, Optional[str]]] = []
        self.n_unscored = 0
        self.n_undated = 0
        self.histogram = [0] * bins
        self.hype_sum = 0.0
        self.label_counts: Dict[str, int] = {label: 0 for label in LABELS3}
        self.label_counts["other"] = 0
        self.models: Dict[str, int] = {}
        self.min_date: Optional[_dt.date] = None
        self.max_date: Optional[_dt.date] = None
        self.methodologies: Dict[str, MethodologyStats] = {}
        self.dropped_methodologies = 0
        self._trend: Dict[str, Dict[Month, _PeriodSums]] = {}
        self._month_posts: Dict[Month, int] = {}
        self._seq = 0
        # (hype, -seq) min-heap keeps the highest; (-hype, -seq) keeps the lowest; ties keep earlier posts.
        self._top: List[Tuple[float, int, Dict[str, Any]]] = []
        self._bottom: List[Tuple[float, int, Dict[str, Any]]] = []

    # ------------------------------------------------------------------ input

    @property
    def n_scored(self) -> int:
        """Records that did not fail."""
        return self.n_records - self.n_errors

    @property
    def retained_posts(self) -> int:
        """Posts currently held for display (at most ``2 * top_n``)."""
        return len(self._top) + len(self._bottom)

    def add(self, record: Mapping[str, Any]) -> None:
        """Fold one record into the aggregates; malformed fields are skipped, never fatal."""
        self.n_records += 1
        self._seq += 1
        error = _short(record.get("error"))
        if error is not None:
            self.n_errors += 1
            if len(self.errors) < self.max_errors:
                self.errors.append({"id": _short(record.get("id")), "source": _short(record.get("source")),
                                    "error": error})
            return
        hype = _score(record.get("hype"))
        label = record.get("label")
        self.label_counts[label if label in LABELS3 else "other"] += 1
        self._add_model(_json_field(record.get("model"), dict))
        if hype is None:
            self.n_unscored += 1
        else:
            self.hype_sum += hype
            self.histogram[min(self.bins - 1, int(hype * self.bins))] += 1
        spans = [s for s in _json_field(record.get("spans"), list) if isinstance(s, abc.Mapping)]
        date = _date(record.get("date"))
        if date is None:
            self.n_undated += 1
        else:
            self.min_date = date if self.min_date is None else min(self.min_date, date)
            self.max_date = date if self.max_date is None else max(self.max_date, date)
            month = (date.year, date.month)
            self._month_posts[month] = self._month_posts.get(month, 0) + 1
        self._add_methodologies(record, spans, hype, date)
        if hype is not None and self.top_n:
            self._rank(record, spans, hype)

    def _add_model(self, model: Dict[str, Any]) -> None:
        if not model:
            return
        parts = [str(model.get("name") or "unnamed")]
        if model.get("version"):
            parts.append(f"v{model['version']}")
        if model.get("dtype"):
            parts.append(f"({model['dtype']})")
        key = _short(" ".join(parts)) or "unnamed"
        if key in self.models or len(self.models) < _MAX_MODELS:
            self.models[key] = self.models.get(key, 0) + 1

    def _add_methodologies(self, record: Mapping[str, Any], spans: List[Mapping[str, Any]],
                           hype: Optional[float], date: Optional[_dt.date]) -> None:
        mentions: Dict[str, List[Any]] = {}
        for span in spans:
            if span.get("label") == "METHODOLOGY" and span.get("id"):
                mentions.setdefault(str(span["id"]), []).append(span.get("stance"))
        # A post mentions a methodology when it is listed or tagged (also when only negated).
        ids = set(mentions)
        ids.update(str(m) for m in _json_field(record.get("methodologies"), list) if m not in (None, ""))
        for mid in ids:
            stats = self.methodologies.get(mid)
            if stats is None:
                if len(self.methodologies) >= _MAX_METHODOLOGIES:
                    self.dropped_methodologies += 1
                    continue
                stats = self.methodologies[mid] = MethodologyStats(mid)
            stances = mentions.get(mid, [])
            stats.posts += 1
            stats.mentions += len(stances)
            for stance in stances:
                if stance in STANCES:
                    setattr(stats, stance, getattr(stats, stance) + 1)
            if hype is not None:
                stats.hype_sum += hype
                stats.hype_n += 1
            if date is not None:
                sums = self._trend.setdefault(mid, {}).setdefault((date.year, date.month), _PeriodSums())
                sums.posts += 1
                sums.mentions += len(stances)
                if hype is not None:
                    sums.hype_sum += hype
                    sums.hype_n += 1

    def _rank(self, record: Mapping[str, Any], spans: List[Mapping[str, Any]], hype: float) -> None:
        post: Optional[Dict[str, Any]] = None
        for heap, key in ((self._top, hype), (self._bottom, -hype)):
            item_key = (key, -self._seq)
            if len(heap) >= self.top_n and item_key <= heap[0][:2]:
                continue
            if post is None:
                post = self._slim(record, spans, hype)
            entry = (key, -self._seq, post)
            if len(heap) < self.top_n:
                heapq.heappush(heap, entry)
            else:
                heapq.heapreplace(heap, entry)

    def _slim(self, record: Mapping[str, Any], spans: List[Mapping[str, Any]], hype: float) -> Dict[str, Any]:
        """What a ranked post needs for display: its text cut to ``max_chars`` and the marks inside it."""
        text = record.get("text")
        text = text if isinstance(text, str) else None
        shown = text[: self.max_chars] if text is not None else None
        limit = len(shown) if shown is not None else 0
        kept_spans = []
        for span in spans:
            start = _int(span.get("start"))
            if text is None or (start is not None and start < limit):
                kept_spans.append({k: span.get(k) for k in ("start", "end", "label", "text", "id", "stance")})
                if len(kept_spans) >= _MAX_SPANS_SHOWN:
                    break
        kept_sentences = []
        if shown is not None:
            for sentence in _json_field(record.get("sentences"), list):
                if not isinstance(sentence, abc.Mapping):
                    continue
                start = _int(sentence.get("start"))
                if start is not None and start < limit:
                    kept_sentences.append({k: sentence.get(k) for k in ("start", "end", "hype")})
                    if len(kept_sentences) >= _MAX_SENTENCES_SHOWN:
                        break
        return {
            "id": _short(record.get("id")), "title": _short(record.get("title")),
            "date": _short(record.get("date"), 40), "source": _short(record.get("source")),
            "url": _short(record.get("url"), 2000), "hype": hype,
            "hype_level": _float(record.get("hype_level")), "label": _short(record.get("label"), 40),
            "text": shown, "more": (len(text) - len(shown)) if text is not None and shown is not None else 0,
            "spans": kept_spans, "sentences": kept_sentences,
        }

    # ---------------------------------------------------------------- results

    def most_hyped(self) -> List[Dict[str, Any]]:
        """The retained most hyped posts, highest first."""
        return [post for _, _, post in sorted(self._top, key=lambda e: (-e[0], -e[1]))]

    def least_hyped(self) -> List[Dict[str, Any]]:
        """The retained least hyped posts, lowest first."""
        return [post for _, _, post in sorted(self._bottom, key=lambda e: (-e[0], -e[1]))]

    def methodology_table(self) -> List[MethodologyStats]:
        """Methodology rows sorted by posts, then mentions (descending), then id."""
        return sorted(self.methodologies.values(), key=lambda m: (-m.posts, -m.mentions, m.id))

    def trend_period(self) -> Optional[str]:
        """``"month"`` when the dated posts span less than three years, ``"year"`` otherwise, ``None`` if none are dated."""
        if self.min_date is None or self.max_date is None:
            return None
        return "month" if (self.max_date - self.min_date).days < 3 * 365 else "year"

    def _periods(self) -> List[Any]:
        period = self.trend_period()
        if period is None or self.min_date is None or self.max_date is None:
            return []
        if period == "month":
            first, last = (self.min_date.year, self.min_date.month), (self.max_date.year, self.max_date.month)
            months = []
            year, month = first
            while (year, month) <= last:
                months.append((year, month))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return months
        years = list(range(self.min_date.year, self.max_date.year + 1))
        if len(years) > _MAX_PERIODS:  # absurd date ranges: chart only the years that have posts
            years = sorted({y for y, _ in self._month_posts})
        return years

    def trends(self) -> Dict[str, List[Tuple[str, int, Optional[float]]]]:
        """For the ``trend_k`` methodologies in most posts: ``(period, mentions, mean hype)`` per period."""
        periods = self._periods()
        if not periods:
            return {}
        out: Dict[str, List[Tuple[str, int, Optional[float]]]] = {}
        for stats in self.methodology_table():
            if len(out) >= self.trend_k:
                break
            months = self._trend.get(stats.id)
            if not months:
                continue
            by_period: Dict[Any, _PeriodSums] = {}
            for (year, month), sums in months.items():
                key = (year, month) if self.trend_period() == "month" else year
                by_period.setdefault(key, _PeriodSums()).merge(sums)
            series = []
            for key in periods:
                sums = by_period.get(key, _PeriodSums())
                name = f"{key[0]:04d}-{key[1]:02d}" if isinstance(key, tuple) else f"{key:04d}"
                series.append((name, sums.mentions, sums.hype_sum / sums.hype_n if sums.hype_n else None))
            out[stats.id] = series
        return out

    def summary(self) -> Dict[str, Any]:
        """The headline numbers of the report."""
        scored = self.n_scored
        with_hype = scored - self.n_unscored
        return {
            "records": self.n_records, "scored": scored, "failed": self.n_errors,
            "unscored": self.n_unscored, "undated": self.n_undated,
            "labels": dict(self.label_counts),
            "shares": {label: (self.label_counts[label] / scored if scored else None) for label in LABELS3},
            "mean_hype": self.hype_sum / with_hype if with_hype else None,
            "models": dict(self.models),
            "date_range": (self.min_date.isoformat(), self.max_date.isoformat())
            if self.min_date and self.max_date else None,
        }

    # ----------------------------------------------------------------- output

    def render(self) -> str:
        """The complete HTML page."""
        parts = [
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n",
            "<meta name=\"referrer\" content=\"no-referrer\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            f"<title>{_esc(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
            f"<header><h1>{_esc(self.title)}</h1></header>\n<main>\n",
            self._render_summary(),
            self._render_distribution(),
            self._render_posts(),
            self._render_methodologies(),
            self._render_trends(),
            self._render_errors(),
            "</main>\n</body>\n</html>\n",
        ]
        return "".join(parts)

    def _render_summary(self) -> str:
        s = self.summary()
        rows = [
            ("Posts scored", f"{s['scored']:,}"),
            ("Posts failed", f"{s['failed']:,}"),
        ]
        for label in LABELS3:
            rows.append((f"Share {label}", f"{_pct(s['labels'][label], s['scored'])} ({s['labels'][label]:,})"))
        if s["labels"]["other"]:
            rows.append(("Without label", f"{s['labels']['other']:,}"))
        rows.append(("Mean hype", _fmt(s["mean_hype"])))
        if s["unscored"]:
            rows.append(("Scored posts without a hype value", f"{s['unscored']:,}"))
        models = ", ".join(f"{_esc(name)} ({count:,})" for name, count in
                           sorted(s["models"].items(), key=lambda kv: -kv[1])) or "–"
        date_range = "–" if s["date_range"] is None else f"{s['date_range'][0]} – {s['date_range'][1]}"
        body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
        body += f"<tr><th>Model</th><td>{models}</td></tr><tr><th>Date range</th><td>{date_range}</td></tr>"
        if s["undated"]:
            body += f"<tr><th>Without a usable date</th><td>{s['undated']:,}</td></tr>"
        return f"<section id=\"summary\"><h2>Summary</h2><table class=\"kv\">{body}</table></section>\n"

    def _render_distribution(self) -> str:
        labels = self.label_counts
        total = sum(labels.values())
        rows = "".join(
            f"<tr><td>{name}</td><td class=\"num\">{labels[name]:,}</td><td class=\"num\">{_pct(labels[name], total)}</td>"
            f"<td>{_bar(labels[name] / total if total else 0.0)}</td></tr>"
            for name in (*LABELS3, "other")
        )
        return (
            "<section id=\"distribution\"><h2>Distribution of hype</h2>"
            f"<div class=\"chart\">{_histogram_svg(self.histogram)}</div>"
            "<table><thead><tr><th>Label</th><th>Posts</th><th>Share</th><th></th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>\n"
        )

    def _render_posts(self) -> str:
        legend = "".join(
            f"<span class=\"swatch {_LABEL_CLASS[label]}\"></span>{label} " for label in SPAN_LABELS
        )
        heat = "".join(
            f"<span class=\"heat\" style=\"background-color:{_heat(i / 10)}\">{i / 10:.1f}</span>" for i in range(11)
        )
        out = [
            "<section id=\"posts\"><h2>Most and least hyped posts</h2>",
            f"<p class=\"legend\">Spans: {legend}<br>Sentence hype: {heat}"
            " · tags marked “negated” or “reported” are not asserted by the author</p>",
        ]
        for heading, posts in (("Most hyped", self.most_hyped()), ("Least hyped", self.least_hyped())):
            out.append(f"<h3>{heading}</h3>")
            if not posts:
                out.append("<p class=\"note\">No scored posts.</p>")
            for rank, post in enumerate(posts, 1):
                out.append(_render_post(rank, post))
        out.append("</section>\n")
        return "".join(out)

    def _render_methodologies(self) -> str:
        table = self.methodology_table()
        if not table:
            return "<section id=\"methodologies\"><h2>Methodologies</h2><p class=\"note\">No methodology mentioned.</p></section>\n"
        rows = "".join(
            f"<tr><td><code>{_esc(m.id)}</code></td><td class=\"num\">{m.posts:,}</td>"
            f"<td class=\"num\">{m.mentions:,}</td><td class=\"num\">{_fmt(m.mean_hype)}</td>"
            + "".join(f"<td class=\"num\">{_pct(getattr(m, st), m.mentions)}</td>" for st in STANCES)
            + "</tr>"
            for m in table
        )
        note = (f"<p class=\"note\">{self.dropped_methodologies:,} mentions of further methodologies were not "
                "tabulated (too many distinct ids).</p>" if self.dropped_methodologies else "")
        return (
            "<section id=\"methodologies\"><h2>Methodologies</h2>"
            "<table><thead><tr><th>Methodology</th><th>Posts</th><th>Mentions</th><th>Mean hype</th>"
            "<th>Asserted</th><th>Reported</th><th>Negated</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{note}</section>\n"
        )

    def _render_trends(self) -> str:
        out = ["<section id=\"trends\"><h2>Fad trends</h2>"]
        trends = self.trends()
        period = self.trend_period()
        if trends:
            out.append(
                f"<p class=\"legend\">Per {period}: <span class=\"swatch mentions\"></span>mentions (left axis) · "
                "<span class=\"swatch hypeline\"></span>mean hype of posts mentioning it (right axis, 0–1)</p>"
                "<div class=\"multiples\">"
            )
            for mid, series in trends.items():
                out.append(f"<figure><figcaption><code>{_esc(mid)}</code></figcaption>{_trend_svg(mid, series)}</figure>")
            out.append("</div>")
        else:
            out.append("<p class=\"note\">No dated posts mention a methodology.</p>")
        if self.n_undated:
            out.append(f"<p class=\"note\">{self.n_undated:,} scored posts have no or an unparsable date "
                       "and are not charted.</p>")
        out.append("</section>\n")
        return "".join(out)

    def _render_errors(self) -> str:
        if not self.n_errors:
            return ""
        items = "".join(
            f"<li><code>{_esc(e['id'] or '–')}</code> ({_esc(e['source'] or 'no source')}): {_esc(e['error'])}</li>"
            for e in self.errors
        )
        more = self.n_errors - len(self.errors)
        tail = f"<p class=\"note\">… and {more:,} more.</p>" if more > 0 else ""
        return (f"<section id=\"errors\"><h2>Failed records</h2><p>{self.n_errors:,} records could not be scored.</p>"
                f"<ul>{items}</ul>{tail}</section>\n")


# -------------------------------------------------------------- post markup

def _clamped(items: Sequence[Mapping[str, Any]], limit: int) -> List[Tuple[int, int, Mapping[str, Any]]]:
    """``(start, end, item)`` with offsets clamped to ``[0, limit]``; empty or non-numeric ranges dropped."""
    out = []
    for item in items:
        start, end = _int(item.get("start")), _int(item.get("end"))
        if start is None or end is None:
            continue
        start, end = max(0, start), min(limit, end)
        if start < end:
            out.append((start, end, item))
    return out


def _slots(spans: List[Tuple[int, int, Mapping[str, Any]]]) -> List[Tuple[int, int, Mapping[str, Any], int]]:
    """Give each span the lowest vertical slot free at its start (longer spans first, as displaCy does)."""
    ordered = sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]), str(s[2].get("label"))))
    slot_ends: List[int] = []
    out = []
    for start, end, span in ordered:
        for slot, busy_until in enumerate(slot_ends):
            if busy_until <= start:
                slot_ends[slot] = end
                break
        else:
            slot = len(slot_ends)
            slot_ends.append(end)
        out.append((start, end, span, slot))
    return out


def _tag_text(span: Mapping[str, Any], *, full: bool = False) -> str:
    """Escaped tag text: a methodology's id stands for its label (the colour says METHODOLOGY) unless ``full``."""
    label = str(span.get("label") or "?")
    text = str(span["id"]) if span.get("id") and label == "METHODOLOGY" and not full else label
    if full and span.get("id"):
        text += f" {span['id']}"
    if span.get("stance") in ("negated", "reported"):
        text += f" · {span['stance']}"
    return _esc(_short(text, 80) or "?")


def _render_text(text: str, spans: Sequence[Mapping[str, Any]], sentences: Sequence[Mapping[str, Any]]) -> str:
    """The post text with displaCy-style span bars and sentence heat; overlaps and bad offsets tolerated."""
    limit = len(text)
    placed = _slots(_clamped(spans, limit))
    sents = sorted(_clamped(sentences, limit), key=lambda s: (s[0], s[1]))
    bounds = {0, limit}
    for start, end, *_ in placed:
        bounds.update((start, end))
    for start, end, _ in sents:
        bounds.update((start, end))
    cuts = sorted(bounds)
    out: List[str] = []
    open_sentence: Optional[int] = None
    for a, b in zip(cuts, cuts[1:]):
        # The innermost (latest-starting) sentence covering this segment tints it.
        sentence = None
        for i, (s_start, s_end, _) in enumerate(sents):
            if s_start > a:
                break
            if s_end >= b:
                sentence = i
        if sentence != open_sentence:
            if open_sentence is not None:
                out.append("</span>")
            if sentence is not None:
                score = _score(sents[sentence][2].get("hype"))
                if score is None:
                    out.append("<span class=\"sent\" title=\"sentence hype: none\">")
                else:
                    out.append(f"<span class=\"sent\" style=\"background-color:{_heat(score)}\" "
                               f"title=\"sentence hype {score:.3f}\">")
            open_sentence = sentence
        active = [p for p in placed if p[0] <= a and p[1] >= b]
        segment = text[a:b]
        if not active:
            out.append(_esc(segment))
            continue
        height = _BAR_STEP * (max(p[3] for p in active) + 1) + 4
        first = True
        for match in _PIECE.finditer(segment):
            piece = match.group(0)
            if not piece.strip():
                out.append(_esc(piece))
                continue
            bars = []
            for start, _, span, slot in sorted(active, key=lambda p: p[3]):
                css = _LABEL_CLASS.get(str(span.get("label")), _OTHER_CLASS)
                dim = " dim" if span.get("stance") in ("negated", "reported") else ""
                top = _BAR_TOP + _BAR_STEP * slot
                bars.append(f"<span class=\"bar {css}{dim}\" style=\"top:{top}px\"></span>")
                if first and start == a:
                    bars.append(f"<span class=\"tag {css}\" style=\"top:{top - 5}px\" "
                                f"title=\"{_tag_text(span, full=True)}\">{_tag_text(span)}</span>")
            first = False
            out.append(f"<span class=\"tok\" style=\"padding-bottom:{height}px\">{_esc(piece)}{''.join(bars)}</span>")
    if open_sentence is not None:
        out.append("</span>")
    return "".join(out)


def _render_post(rank: int, post: Mapping[str, Any]) -> str:
    heading = _esc(post["title"] or post["id"] or "(untitled)")
    meta = [f"hype <b>{_fmt(post['hype'])}</b>"]
    if post.get("label"):
        meta.append(f"label {_esc(post['label'])}")
    if post.get("hype_level") is not None:
        meta.append(f"level {post['hype_level']:.2f}")
    meta.append(_esc(post["date"]) if post.get("date") else "no date")
    if post.get("source"):
        meta.append(_esc(post["source"]))
    url = post.get("url")
    if url:
        safe = _safe_url(url)
        if safe is not None:
            meta.append(f"<a href=\"{_esc(safe)}\" rel=\"noopener noreferrer nofollow\">{_esc(url)}</a>")
        else:
            meta.append(f"<span class=\"url\">{_esc(url)}</span>")
    if post.get("title") and post.get("id"):
        meta.append(f"<code>{_esc(post['id'])}</code>")
    if post.get("text") is not None:
        body = f"<div class=\"text\">{_render_text(post['text'], post['spans'], post['sentences'])}</div>"
        if post.get("more"):
            body += f"<p class=\"note\">… ({post['more']:,} more characters)</p>"
    else:
        chips = "".join(
            f"<span class=\"chip {_LABEL_CLASS.get(str(s.get('label')), _OTHER_CLASS)}\">{_tag_text(s, full=True)}: "
            f"{_esc(_short(s.get('text'), 120) or '')}</span> "
            for s in post.get("spans", [])[:100]
        )
        body = f"<p class=\"note\">The record carries no text.</p><div>{chips}</div>"
    return (f"<article class=\"post\"><h4>{rank}. {heading}</h4>"
            f"<p class=\"meta\">{' · '.join(meta)}</p>{body}</article>")


# ------------------------------------------------------------------- charts

def _bar(share: float) -> str:
    width = 120 * min(1.0, max(0.0, share))
    return (f"<svg class=\"minibar\" width=\"120\" height=\"10\" viewBox=\"0 0 120 10\">"
            f"<rect x=\"0\" y=\"0\" width=\"{width:.1f}\" height=\"10\" fill=\"#6b8fd6\"></rect></svg>")


def _histogram_svg(counts: Sequence[int]) -> str:
    width, height, left, right, top, bottom = 640, 220, 48, 12, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(counts) if counts and max(counts) > 0 else 1
    n = len(counts)
    bar_w = plot_w / n
    parts = [f"<svg class=\"hist\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" "
             "role=\"img\" aria-label=\"Histogram of post hype\">"]
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x, y = left + i * bar_w, top + plot_h - h
        color = _hist_color((i + 0.5) / n)
        parts.append(f"<rect x=\"{x + 1:.1f}\" y=\"{y:.1f}\" width=\"{bar_w - 2:.1f}\" height=\"{h:.1f}\" "
                     f"fill=\"{color}\"><title>{i / n:.2f}–{(i + 1) / n:.2f}: {count:,} posts</title></rect>")
    base = top + plot_h
    parts.append(f"<line x1=\"{left}\" y1=\"{base}\" x2=\"{left + plot_w}\" y2=\"{base}\" stroke=\"#555\"></line>")
    parts.append(f"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base}\" stroke=\"#555\"></line>")
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = left + plot_w * tick
        parts.append(f"<line x1=\"{x:.1f}\" y1=\"{base}\" x2=\"{x:.1f}\" y2=\"{base + 4}\" stroke=\"#555\"></line>"
                     f"<text x=\"{x:.1f}\" y=\"{base + 17}\" text-anchor=\"middle\">{tick:g}</text>")
    parts.append(f"<text x=\"{left - 6}\" y=\"{top + 10}\" text-anchor=\"end\">{peak:,}</text>"
                 f"<text x=\"{left - 6}\" y=\"{base}\" text-anchor=\"end\">0</text>"
                 f"<text x=\"{left + plot_w / 2:.1f}\" y=\"{height - 2}\" text-anchor=\"middle\">hype</text></svg>")
    return "".join(parts)


def _hist_color(score: float) -> str:
    """Opaque blue→grey→red by score, for bars (the heat tint is too pale)."""
    s = min(1.0, max(0.0, score))
    low, mid, high = (59, 130, 246), (160, 160, 160), (239, 68, 68)
    a, b, t = (low, mid, s * 2) if s < 0.5 else (mid, high, (s - 0.5) * 2)
    r, g, bl = (round(a[i] + (b[i] - a[i]) * t) for i in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _trend_svg(mid: str, series: Sequence[Tuple[str, int, Optional[float]]]) -> str:
    width, height, left, right, top, bottom = 320, 150, 34, 30, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(series)
    peak = max((m for _, m, _ in series), default=0) or 1

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    base = top + plot_h
    parts = [f"<svg class=\"trend\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" "
             f"role=\"img\" aria-label=\"Trend of {_esc(mid)}\">"]
    area = [f"{x_of(0):.1f},{base}"] + [f"{x_of(i):.1f},{base - plot_h * m / peak:.1f}"
                                          for i, (_, m, _) in enumerate(series)] + [f"{x_of(n - 1):.1f},{base}"]
    parts.append(f"<polygon points=\"{' '.join(area)}\" fill=\"#9ecae1\" fill-opacity=\"0.6\" stroke=\"#3182bd\"></polygon>")
    # The hype line is broken where a period has no scored post mentioning the methodology.
    run: List[str] = []
    runs: List[List[str]] = []
    for i, (name, mentions, mean) in enumerate(series):
        if mean is None:
            if run:
                runs.append(run)
            run = []
            continue
        y = top + plot_h * (1 - mean)
        run.append(f"{x_of(i):.1f},{y:.1f}")
        parts.append(f"<circle cx=\"{x_of(i):.1f}\" cy=\"{y:.1f}\" r=\"2.5\" fill=\"#d62728\">"
                     f"<title>{_esc(name)}: {mentions:,} mentions, mean hype {mean:.3f}</title></circle>")
    if run:
        runs.append(run)
    for points in runs:
        if len(points) > 1:
            parts.append(f"<polyline points=\"{' '.join(points)}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\"></polyline>")
    parts.append(f"<line x1=\"{left}\" y1=\"{base}\" x2=\"{left + plot_w}\" y2=\"{base}\" stroke=\"#555\"></line>")
    parts.append(f"<text x=\"{left - 4}\" y=\"{top + 8}\" text-anchor=\"end\">{peak:,}</text>"
                 f"<text x=\"{left - 4}\" y=\"{base}\" text-anchor=\"end\">0</text>"
                 f"<text x=\"{left + plot_w + 4}\" y=\"{top + 8}\" fill=\"#d62728\">1</text>"
                 f"<text x=\"{left + plot_w + 4}\" y=\"{base}\" fill=\"#d62728\">0</text>")
    ticks = sorted({0, n - 1} | set(range(0, n, max(1, math.ceil(n / 4)))))
    for i in ticks:
        if i < n and (i == n - 1 or n - 1 - i >= max(1, math.ceil(n / 8))):
            parts.append(f"<text x=\"{x_of(i):.1f}\" y=\"{base + 16}\" text-anchor=\"middle\">{_esc(series[i][0])}</text>")
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
header{background:#24292f;color:#fff;padding:12px 24px}h1{margin:0;font-size:1.4em}
main{padding:8px 24px 48px;max-width:1100px}
h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}table.kv th{font-weight:600;color:#57606a}
.note{color:#57606a;font-size:.9em}.legend{font-size:.85em;line-height:2}
.swatch{display:inline-block;width:12px;height:12px;margin:0 3px 0 8px;vertical-align:middle;border-radius:2px}
.swatch.mentions{background:#9ecae1}.swatch.hypeline{background:#d62728}
.heat{display:inline-block;padding:0 4px;font-size:.85em;border:1px solid #eee}
svg text{font-size:11px;fill:#444}svg.hist,svg.trend{max-width:100%;height:auto}
.multiples{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #eaeef2;padding:6px}
figcaption{font-size:.9em;margin-bottom:2px}
.post{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;margin:12px 0}
.post h4{margin:4px 0;overflow-wrap:anywhere}.meta{font-size:.85em;color:#57606a;margin:2px 0 8px;overflow-wrap:anywhere}
.text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.6;font-size:15px}
.sent{border-radius:3px}
.tok{display:inline-block;position:relative;font-weight:600}
.bar{position:absolute;left:-1px;width:calc(100% + 2px);height:3px}
.bar.dim{opacity:.45}
.tag{position:absolute;left:-1px;z-index:10;color:#000;padding:1px 3px;font-size:9px;font-weight:700;
line-height:1;border-radius:3px;white-space:nowrap}
.chip{display:inline-block;padding:1px 5px;margin:2px;border-radius:3px;font-size:.85em}
""" + "".join(f".c{i}{{background:{color}}}" for i, color in enumerate(_LABEL_COLORS)) + "\n"


def build_report(records: Iterable[Mapping[str, Any]], **kwargs: Any) -> str:
    """Render the HTML report for ``records`` in one pass (``kwargs`` go to :class:`ReportBuilder`)."""
    builder = ReportBuilder(**kwargs)
    for record in records:
        builder.add(record)
    return builder.render()


def write_report(records: Iterable[Mapping[str, Any]], path: Union[str, Path], **kwargs: Any) -> Path:
    """Write the HTML report for ``records`` to ``path`` (parent folders created) and return the path."""
    path = Path(path)
    page = build_report(records, **kwargs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    logger.info("wrote report to %s", path)
    return path
