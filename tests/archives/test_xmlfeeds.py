from pathlib import Path

import pytest

from hypedetect.archives import iter_documents

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Closing Bell</title>
<wp:wxr_version>1.2</wp:wxr_version>"""


def _item(post_id, title, body, *, post_type="post", status="publish", date="2016-10-11 14:45:00"):
    return f"""<item><title>{title}</title><link>https://example.com/{post_id}</link>
<pubDate>Tue, 11 Oct 2016 14:45:00 +0000</pubDate><dc:creator><![CDATA[dana]]></dc:creator>
<guid isPermaLink="false">https://example.com/?p={post_id}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
<wp:status><![CDATA[{status}]]></wp:status><wp:post_type><![CDATA[{post_type}]]></wp:post_type>
<category domain="post_tag" nicename="abm"><![CDATA[ABM]]></category></item>"""


def _wxr(tmp_path, items, *, close=True):
    path = tmp_path / "export.xml"
    path.write_text(WXR_HEAD + "".join(items) + ("</channel></rss>" if close else ""), encoding="utf-8")
    return path


def test_wxr_reads_published_posts_only(tmp_path):
    path = _wxr(tmp_path, [
        _item(1, "ABM", "<p>ABM is the end of <strong>spray and pray</strong>.</p><p>Second paragraph.</p>"),
        _item(2, "About", "<p>About us.</p>", post_type="page"),
        _item(3, "logo.png", "", post_type="attachment"),
        _item(4, "Draft", "<p>Not yet.</p>", status="draft"),
        _item(5, "RevOps", "RevOps is an operating system.\n\nSecond paragraph without tags."),
    ])
    docs = list(iter_documents(path))
    assert [d.title for d in docs] == ["ABM", "RevOps"]
    assert docs[0].text == "ABM is the end of spray and pray.\nSecond paragraph."
    assert docs[0].date == "2016-10-11T14:45:00" and docs[0].url == "https://example.com/1"
    assert docs[0].author == "dana" and docs[0].tags == ["ABM"]
    assert docs[1].text.startswith("RevOps is an operating system.")
    assert docs[0].id != docs[1].id


def test_truncated_wxr_keeps_the_posts_before_the_cut(tmp_path):
    items = [_item(i, f"Post {i}", f"<p>Body of post {i} about MEDDICC.</p>") for i in range(1, 4)]
    text = WXR_HEAD + "".join(items)
    path = tmp_path / "export.xml"
    path.write_text(text[: text.rindex("<wp:status>")], encoding="utf-8")
    docs = list(iter_documents(path))
    assert [d.title for d in docs[:-1]] == ["Post 1", "Post 2"]
    assert docs[-1].error.startswith("XML parse error") and "after 2 posts" in docs[-1].error


def test_wxr_is_streamed(tmp_path):
    items = [_item(i, f"Post {i}", f"<p>Post number {i} says social selling works.</p>") for i in range(2000)]
    docs = iter_documents(_wxr(tmp_path, items))
    first = next(docs)
    assert first.title == "Post 0"
    assert sum(1 for _ in docs) == 1999


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0" {ns}><channel><item><title>&lol4;</title><description>&lol4;</description></item></channel></rss>"""


@pytest.mark.parametrize("ns", ['xmlns:wp="http://wordpress.org/export/1.2/"', ""])
def test_entity_expansion_is_refused(tmp_path, ns):
    path = tmp_path / "bomb.xml"
    path.write_text(BILLION_LAUGHS.format(ns=ns), encoding="utf-8")
    [doc] = list(iter_documents(path))
    assert "entity-expansion" in doc.error and doc.text == ""


@pytest.mark.parametrize("ns", ['xmlns:wp="http://wordpress.org/export/1.2/"', ""])
def test_external_entities_are_not_read(tmp_path, ns):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss version="2.0" {ns}><channel><item><title>x</title><description>&xxe;</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&xxe;</content:encoded>
</item></channel></rss>""", encoding="utf-8")
    docs = list(iter_documents(path))
    assert len(docs) == 1 and docs[0].error and "refused" in docs[0].error
    assert all("TOP-SECRET" not in (d.text + (d.title or "")) for d in docs)


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Field notes</title>
<item><title>SPIN with a stopwatch</title><link>https://example.net/spin</link><guid>https://example.net/spin</guid>
<pubDate>Tue, 08 Feb 2011 10:00:00 +0000</pubDate><description>Short teaser only.</description>
<content:encoded><![CDATA[<p>The full post: SPIN questions took longer than we thought.</p><p>Part two.</p>]]>
</content:encoded></item>
<item><title>Summary only</title><link>https://example.net/s</link><description>Just a summary here.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Quota ledger</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>AI SDRs, month three</title><link href="https://example.org/ai-sdr"/><id>urn:1</id>
<published>2024-03-05T08:00:00Z</published><updated>2024-03-06T08:00:00Z</updated><author><name>Marcus</name></author>
<summary>Teaser.</summary><content type="html">&lt;p&gt;Full text: 9,400 emails, 7 meetings.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_uses_full_content_not_the_teaser(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    docs = list(iter_documents(path))
    assert docs[0].text == "The full post: SPIN questions took longer than we thought.\nPart two."
    assert docs[0].date == "2011-02-08T10:00:00+00:00" and docs[0].url == "https://example.net/spin"
    assert docs[1].text == "Just a summary here."


def test_atom_entries(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, encoding="utf-8")
    [doc] = list(iter_documents(path))
    assert (doc.title, doc.text, doc.author) == ("AI SDRs, month three", "Full text: 9,400 emails, 7 meetings.",
                                                 "Marcus")
    assert doc.date == "2024-03-05T08:00:00+00:00"


def test_unknown_and_broken_xml_are_file_errors(tmp_path):
    (tmp_path / "a.xml").write_text("<?xml version='1.0'?><svg></svg>", encoding="utf-8")
    (tmp_path / "b.xml").write_text("<rss><channel><item><title>cut", encoding="utf-8")
    docs = list(iter_documents(tmp_path))
    assert "neither a WordPress export nor an RSS/Atom feed" in docs[0].error
    assert "XML parse error" in docs[1].error


def test_example_wxr_and_feeds():
    root = Path(__file__).resolve().parents[2] / "examples" / "archive"
    wxr = list(iter_documents(root / "wordpress" / "export.xml"))
    assert len(wxr) >= 6 and all(d.error is None and d.date and d.title for d in wxr)
    assert not any("About" == d.title for d in wxr)
    feeds = list(iter_documents(root / "feeds"))
    assert len(feeds) >= 8 and all(d.error is None and len(d.text) > 200 for d in feeds)
