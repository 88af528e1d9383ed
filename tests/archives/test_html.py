from pathlib import Path

from hypedetect.archives import iter_documents
from hypedetect.archives.html import html_to_text

PAGE = """<!doctype html><html><head><title>Blog | Social selling</title>
<meta property="og:title" content="Social selling is not a strategy">
<meta property="article:published_time" content="2015-03-04T10:00:00Z">
<link rel="canonical" href="https://example.com/p/social"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/pricing">Pricing menu item</a></li></ul></nav>
<script>document.title = "pwned"; var secretScriptText = 1;</script>
<article><h1>Social selling is not a strategy</h1>
<p>Vendors promised that social selling would double every pipeline within a quarter, and plenty of teams bought it.</p>
<p onmouseover="alert(1)">We looked at forty teams. It helped a few of them and cost the rest a lot of afternoons.</p>
</article><footer>Copyright footer text 2015</footer></body></html>"""


def test_main_text_without_navigation_or_scripts(tmp_path):
    path = tmp_path / "post.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = list(iter_documents(path))
    assert doc.error is None
    assert "forty teams" in doc.text and "double every pipeline" in doc.text
    for boilerplate in ("Pricing menu item", "secretScriptText", "pwned", "Copyright footer", "alert"):
        assert boilerplate not in doc.text
    assert doc.title == "Social selling is not a strategy"
    assert doc.date == "2015-03-04" and doc.url == "https://example.com/p/social"


def test_page_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>",
                    encoding="utf-8")
    [doc] = list(iter_documents(path))
    assert doc.error and "no main text" in doc.error


def test_fragments_keep_every_paragraph():
    text = html_to_text("<p>One <strong>bold</strong> claim.</p><ul><li>two</li><li>three</li></ul>"
                        "<script>alert(1)</script><blockquote>quoted</blockquote>")
    assert text.split("\n") == ["One bold claim.", "two", "three", "quoted"]


def test_example_pages_are_read():
    folder = Path(__file__).resolve().parents[2] / "examples" / "archive" / "html"
    docs = list(iter_documents(folder))
    assert len(docs) >= 4 and all(d.error is None and d.title and d.date and len(d.text) > 500 for d in docs)
