"""HTML page → title, language, dates and passages cut by heading (selectolax, the Lexbor parser).

Boilerplate goes first: menus, headers, footers, asides, forms, cookie banners, breadcrumbs and skip
links, found by element, ARIA role and the words CMSs use in ids and classes. The main content is
``<main>`` (or ``role=main``, ``<article>``, a content container, the body). Its block elements are read
in document order; each heading opens a section whose heading path is the chain of headings above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

BOILERPLATE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "dialog",
)
BOILERPLATE_ROLES = (
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
)
# Words CMSs put in ids and classes of page furniture (matched as whole dash/underscore-separated words).
BOILERPLATE_WORDS = frozenset(
    {
        "cookie",
        "cookies",
        "consent",
        "kakor",
        "breadcrumb",
        "breadcrumbs",
        "brodsmulor",
        "skip",
        "skiplink",
        "menu",
        "meny",
        "navigation",
        "sidebar",
        "share",
        "social",
        "related",
        "relaterade",
        "footer",
        "sidfot",
        "feedback",
    }
)
PAGE_FURNITURE = ("header", "footer")  # the site's, unless inside the main content (an article's own header)
MAIN_SELECTORS = ("main", "[role=main]", "article", "#content", ".content", "#main", "body")
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = frozenset({"p", "li", "dt", "dd", "tr", "blockquote", "pre", "figcaption", "address"})
MODIFIED_META = (
    ('meta[name="last-modified" i]', "content"),
    ('meta[name="dcterms.modified" i]', "content"),
    ('meta[name="dc.date.modified" i]', "content"),
    ('meta[property="article:modified_time" i]', "content"),
    ('meta[http-equiv="last-modified" i]', "content"),
)
MAX_PASSAGE_CHARS = 1200
MIN_PASSAGE_CHARS = 25
_WORD = re.compile(r"[a-z]+")
_SPACE = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"\s+[-–|]\s+[^-–|]+$")


@dataclass(frozen=True)
class Section:
    """One passage of a page: the headings above it and its text (paragraphs on their own lines)."""

    heading_path: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ExtractedPage:
    """What a page says, without its furniture."""

    url: str
    title: str
    language: str
    last_modified: str | None
    sections: tuple[Section, ...]

    @property
    def main_text(self) -> str:
        """All passages in order (what the content hash of the page covers)."""
        return "\n\n".join(" > ".join(s.heading_path) + "\n" + s.text for s in self.sections)


def extract_page(html: str, *, fallback_url: str, fallback_modified: str | None = None) -> ExtractedPage:
    """Parse one page; ``fallback_url``/``fallback_modified`` apply when the page does not say."""
    tree = LexborHTMLParser(html)
    url = _attr(tree, 'link[rel="canonical"]', "href") or _attr(tree, 'meta[property="og:url"]', "content")
    modified = next((v for v in (_attr(tree, s, a) for s, a in MODIFIED_META) if v), None)
    html_node = tree.css_first("html")
    language = ((html_node.attributes.get("lang") if html_node else None) or "sv")[:2].lower()
    title_node = tree.css_first("title")
    page_title = _clean(title_node.text()) if title_node is not None else ""
    _strip_boilerplate(tree)
    main = next((n for n in (tree.css_first(s) for s in MAIN_SELECTORS) if n is not None), None)
    h1 = main.css_first("h1") if main is not None else None
    title = _clean(h1.text()) if h1 is not None else _TITLE_SUFFIX.sub("", page_title)
    sections = _sections(main, title) if main is not None else []
    return ExtractedPage(
        url=urljoin(fallback_url, url.strip()) if url else fallback_url,
        title=title or fallback_url,
        language=language if language in ("sv", "en") else "sv",
        last_modified=_iso_date(modified) or _iso_date(fallback_modified),
        sections=tuple(sections),
    )


def _attr(tree: LexborHTMLParser, selector: str, name: str) -> str | None:
    node = tree.css_first(selector)
    value = node.attributes.get(name) if node is not None else None
    return value.strip() if value else None


def _strip_boilerplate(tree: LexborHTMLParser) -> None:
    tree.strip_tags(list(BOILERPLATE_TAGS))
    for tag in PAGE_FURNITURE:
        for node in tree.css(tag):
            if not _has_ancestor(node, ("main", "article")):
                node.decompose()
    for role in BOILERPLATE_ROLES:
        for node in tree.css(f'[role="{role}"]'):
            node.decompose()
    for node in tree.css("[id], [class], [aria-label]"):
        words = " ".join(node.attributes.get(a) or "" for a in ("id", "class", "aria-label")).lower()
        if not BOILERPLATE_WORDS.intersection(_WORD.findall(words)) or node.tag in ("main", "body", "html"):
            continue
        if node.css_first("main, [role=main], article") is None:  # a layout wrapper holding the content stays
            node.decompose()


def _has_ancestor(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _sections(main: LexborNode, title: str) -> list[Section]:
    path: list[tuple[int, str]] = [(1, title)] if title else []
    current: list[str] = []
    sections: list[Section] = []

    def close() -> None:
        text = "\n".join(current).strip()
        if text:
            sections.extend(_split(tuple(h for _, h in path), text))
        current.clear()

    for node in main.traverse(include_text=False):
        tag = node.tag
        if tag in HEADINGS:
            level, heading = HEADINGS[tag], _clean(node.text())
            if level == 1 and heading == title:
                continue
            close()
            path = [p for p in path if p[0] < level] + [(level, heading)]
        elif tag in BLOCKS and not _inside_block(node, main):
            text = _block_text(node)
            if text:
                current.append(text)
    close()
    return _merge_small(sections)


def _inside_block(node: LexborNode, main: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent is not main and parent.tag != "body":
        if parent.tag in BLOCKS:
            return True
        parent = parent.parent
    return False


def _block_text(node: LexborNode) -> str:
    if node.tag == "tr":
        cells = [_clean(c.text(separator=" ")) for c in node.css("th, td")]
        return ": ".join(c for c in cells if c)
    text = _clean(node.text(separator=" "))
    if node.tag == "li" and text:
        return "– " + text
    return text


def _split(path: tuple[str, ...], text: str) -> list[Section]:
    """A long section becomes several passages, cut between paragraphs."""
    if len(text) <= MAX_PASSAGE_CHARS:
        return [Section(path, text)]
    parts: list[Section] = []
    chunk: list[str] = []
    for line in text.split("\n"):
        if chunk and sum(len(c) + 1 for c in chunk) + len(line) > MAX_PASSAGE_CHARS:
            parts.append(Section(path, "\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        parts.append(Section(path, "\n".join(chunk)))
    return parts


def _merge_small(sections: list[Section]) -> list[Section]:
    """A passage too short to answer anything joins a neighbour.

    It joins the one before it, with its heading as a line of text (a short fee table under "Avgift"), or
    the next one when it comes first (an intro).
    """
    merged: list[Section] = []
    carry: Section | None = None
    for section in sections:
        if carry is not None:
            section = Section(section.heading_path, carry.text + "\n" + section.text)
            carry = None
        fits = bool(merged) and len(merged[-1].text) + len(section.text) + 64 <= MAX_PASSAGE_CHARS
        if len(section.text) >= MIN_PASSAGE_CHARS or (merged and not fits):
            merged.append(section)
        elif merged:
            last = merged.pop()
            heading = section.heading_path[-1] if section.heading_path != last.heading_path else ""
            lines = [last.text, heading, section.text] if heading else [last.text, section.text]
            merged.append(Section(last.heading_path, "\n".join(lines)))
        else:
            carry = section
    if carry is not None:
        merged.append(carry)
    return merged


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,:;!?)])")


def _clean(text: str | None) -> str:
    """One line of text: whitespace collapsed, no space before punctuation (a link followed by '.')."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _SPACE.sub(" ", text or "")).strip()


def _iso_date(value: str | None) -> str | None:
    """An ISO date from the common ways pages state it (ISO date or time, HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    for fmt in ("%a, %d %b %Y %H:%M:%S %Z", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None
