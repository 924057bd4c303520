"""Reads feeds the way an independent aggregator would and prints what it understood, as JSON.

    /usr/bin/python3 -I test/e2e/check_feeds.py URL...

RSS and Atom go through Debian's python3-feedparser (the Universal Feed Parser that many
readers embed), so its verdict is independent of the `feed` npm package that wrote them.
feedparser 6.0.x has no JSON Feed support (it arrived after 6.0), so JSON Feeds are read with
the standard library against the JSON Feed 1.1 spec instead. run.ts compares the output with
the content; this script only reads, so a reader bug and a product bug cannot cancel out.

Output: {"feeds": [{"url", "reader", "version", "bozo", "bozo_exception", "updated",
"entries": [{"id", "link", "published", "title", "title_type"}]}]}, times as Unix seconds (UTC)
or null. "title" is the text feedparser hands a reader, "title_type" what it says that text is
(text/plain, or text/html when it is markup to render): a reader shows a text/plain title as it is.
"""
import calendar
import json
import re
import sys
import urllib.request
from datetime import datetime

try:
    import feedparser
except ImportError:
    sys.exit("check_feeds.py: python3-feedparser is not installed: apt-get install -y python3-feedparser")

TIMEOUT_SECONDS = 10
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# RFC 3339 date-time; fromisoformat alone would also take ISO 8601 forms the spec excludes.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE)


def fetch(url):
    """One GET; headers lowercased, as feedparser's response_headers expects."""
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def unix(parsed):
    """feedparser's UTC struct_time -> Unix seconds."""
    return calendar.timegm(parsed) if parsed else None


def read_xml(url, body, headers):
    # Passing the headers lets feedparser judge the Content-Type and charset as it would online;
    # content-location makes relative links resolve against the feed's own URL.
    parsed = feedparser.parse(body, response_headers={**headers, "content-location": url})
    return {
        "reader": "feedparser " + feedparser.__version__,
        "version": parsed.version,
        "bozo": bool(parsed.bozo),
        "bozo_exception": repr(parsed.get("bozo_exception")) if parsed.bozo else None,
        "updated": unix(parsed.feed.get("updated_parsed")),
        "entries": [
            {
                "id": e.get("id"),
                "link": e.get("link"),
                "published": unix(e.get("published_parsed")),
                "title": e.get("title"),
                "title_type": e.get("title_detail", {}).get("type"),
            }
            for e in parsed.entries
        ],
    }


def rfc3339(value):
    """RFC 3339 -> Unix seconds, or None if it is not RFC 3339 (Python 3.11 parses the Z form)."""
    if not isinstance(value, str) or not RFC3339.fullmatch(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return int(moment.timestamp()) if moment.tzinfo else None


def read_json(body):
    """Reads a JSON Feed 1.1, listing every spec violation as the 'bozo' reason."""
    problems = []
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return {"reader": "json", "version": "", "bozo": True, "bozo_exception": repr(error), "updated": None, "entries": []}
    if doc.get("version") != JSON_FEED_VERSION:
        problems.append(f"version is {doc.get('version')!r}, expected {JSON_FEED_VERSION!r}")
    if not isinstance(doc.get("title"), str):
        problems.append("title is missing")
    items = doc.get("items")
    if not isinstance(items, list):
        problems.append("items is not a list")
        items = []
    entries = []
    for index, item in enumerate(items):
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item {index} has no string id")
        published = rfc3339(item.get("date_published")) if "date_published" in item else None
        if "date_published" in item and published is None:
            problems.append(f"item {index} date_published {item['date_published']!r} is not RFC 3339")
        entries.append({
            "id": item.get("id"),
            "link": item.get("url"),
            "published": published,
            # JSON Feed 1.1: "title (optional, string) is plain text".
            "title": item.get("title"),
            "title_type": "text/plain",
        })
    return {
        "reader": "json (stdlib, JSON Feed 1.1 rules)",
        "version": "json11" if doc.get("version") == JSON_FEED_VERSION else str(doc.get("version")),
        "bozo": bool(problems),
        "bozo_exception": "; ".join(problems) or None,
        # JSON Feed has no feed-level date.
        "updated": None,
        "entries": entries,
    }


def read(url):
    try:
        body, headers = fetch(url)
    except OSError as error:
        return {"url": url, "reader": "none", "version": "", "bozo": True, "bozo_exception": f"fetch failed: {error!r}", "updated": None, "entries": []}
    is_json = "json" in headers.get("content-type", "")
    return {"url": url, **(read_json(body) if is_json else read_xml(url, body, headers))}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    json.dump({"feeds": [read(url) for url in sys.argv[1:]]}, sys.stdout, indent=1)
    print()
