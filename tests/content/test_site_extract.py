"""HTML page → title, language, dates and passages: the extraction of ``content.site.extract``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.site.extract import MAX_PASSAGE_CHARS, MIN_PASSAGE_CHARS, ExtractedPage, extract_page

FALLBACK_URL = "https://www.exempelstad.se/sida.html"
CONTENT = "Soptunnan töms varannan vecka under hela året."
FURNITURE = "MÖBLEMANG"


def doc(body: str, *, head: str = "", lang: str | None = None) -> str:
    """A whole page around ``body``."""
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    return f"<!doctype html><html{lang_attr}><head>{head}</head><body>{body}</body></html>"


def extract(html: str, **kwargs: str | None) -> ExtractedPage:
    return extract_page(html, fallback_url=kwargs.pop("fallback_url", None) or FALLBACK_URL, **kwargs)


def paths(page: ExtractedPage) -> list[tuple[str, ...]]:
    return [s.heading_path for s in page.sections]


# --- boilerplate --------------------------------------------------------------------------------------------

# Page furniture, each holding FURNITURE in a block element that would be read if it were not stripped.
FURNITURE_SNIPPETS = [
    pytest.param(f"<nav><ul><li>{FURNITURE}</li></ul></nav>", id="nav"),
    pytest.param(f"<aside><p>{FURNITURE}</p></aside>", id="aside"),
    pytest.param(f"<form><p>{FURNITURE}</p></form>", id="form"),
    pytest.param(f'<div id="cookie-banner"><p>{FURNITURE}</p></div>', id="cookie-by-id"),
    pytest.param(f'<div class="js-cookie-consent"><p>{FURNITURE}</p></div>', id="consent-by-class"),
    pytest.param(f'<div class="kakor_info"><p>{FURNITURE}</p></div>', id="kakor-by-class"),
    pytest.param(f'<section aria-label="Cookies"><p>{FURNITURE}</p></section>', id="cookie-by-aria-label"),
    pytest.param(f'<div role="dialog"><p>{FURNITURE}</p></div>', id="role-dialog"),
    pytest.param(f'<div role="navigation"><p>{FURNITURE}</p></div>', id="role-navigation"),
    pytest.param(f'<div role="banner"><p>{FURNITURE}</p></div>', id="role-banner"),
    pytest.param(f'<div role="contentinfo"><p>{FURNITURE}</p></div>', id="role-contentinfo"),
    pytest.param(f'<div role="complementary"><p>{FURNITURE}</p></div>', id="role-complementary"),
    pytest.param(f'<ol class="breadcrumbs"><li>{FURNITURE}</li></ol>', id="breadcrumbs"),
    pytest.param(f'<div id="brodsmulor"><p>{FURNITURE}</p></div>', id="brodsmulor"),
    pytest.param(f'<p><a class="skip-link" href="#main">{FURNITURE}</a></p>', id="skip-link"),
    pytest.param(f'<div class="sidebar"><div class="menu"><p>{FURNITURE}</p></div></div>', id="nested"),
    pytest.param(f"<p>Läs mer nedan.<script>var {FURNITURE} = 1;</script></p>", id="script"),
    pytest.param(f"<p>Läs mer nedan.<style>.{FURNITURE} {{}}</style></p>", id="style"),
    pytest.param(f"<p>Läs mer nedan.<noscript>{FURNITURE}</noscript></p>", id="noscript"),
    pytest.param(f"<p>Läs mer nedan.<button>{FURNITURE}</button></p>", id="button"),
]


@pytest.mark.parametrize("snippet", FURNITURE_SNIPPETS)
def test_furniture_inside_main_is_stripped(snippet: str) -> None:
    page = extract(doc(f"<main><h1>Avfall</h1>{snippet}<p>{CONTENT}</p></main>"))
    assert FURNITURE not in page.main_text
    assert CONTENT in page.main_text


@pytest.mark.parametrize("snippet", FURNITURE_SNIPPETS)
def test_furniture_is_stripped_when_the_body_is_the_content(snippet: str) -> None:
    page = extract(doc(f"{snippet}<div><h1>Avfall</h1><p>{CONTENT}</p></div>"))
    assert FURNITURE not in page.main_text
    assert CONTENT in page.main_text


@pytest.mark.parametrize(
    "snippet",
    [
        f'<div class="contact-card"><p>{FURNITURE}</p></div>',
        f'<section id="fees"><p>{FURNITURE}</p></section>',
        f'<div class="menubar-free"><p>{FURNITURE}</p></div>',  # "menubar" is not the word "menu"
    ],
)
def test_ordinary_containers_are_kept(snippet: str) -> None:
    """The stripping matches whole words of ids and classes, so these same shapes are read."""
    page = extract(doc(f"<main><h1>Avfall</h1>{snippet}<p>{CONTENT}</p></main>"))
    assert FURNITURE in page.main_text


def test_a_page_of_only_furniture_has_no_sections() -> None:
    page = extract(doc(f"<header><p>{FURNITURE}</p></header><nav><ul><li>{FURNITURE}</li></ul></nav>"))
    assert page.sections == ()


# --- the main content ---------------------------------------------------------------------------------------

INSIDE = "Det här stycket är sidans egentliga innehåll."
OUTSIDE = "Det här stycket står utanför innehållet."


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(f"<div><p>{OUTSIDE}</p></div><main><p>{INSIDE}</p></main>", id="main"),
        pytest.param(f'<div><p>{OUTSIDE}</p></div><div role="main"><p>{INSIDE}</p></div>', id="role-main"),
        pytest.param(f"<div><p>{OUTSIDE}</p></div><article><p>{INSIDE}</p></article>", id="article"),
        pytest.param(f'<div><p>{OUTSIDE}</p></div><div id="content"><p>{INSIDE}</p></div>', id="id-content"),
        pytest.param(
            f'<div><p>{OUTSIDE}</p></div><div class="content"><p>{INSIDE}</p></div>', id="class-content"
        ),
        pytest.param(f'<div><p>{OUTSIDE}</p></div><div id="main"><p>{INSIDE}</p></div>', id="id-main"),
        pytest.param(
            f"<article><p>{OUTSIDE}</p></article><main><p>{INSIDE}</p></main>", id="main-over-article"
        ),
        pytest.param(
            f'<div class="content"><p>{OUTSIDE}</p></div><div role="main"><p>{INSIDE}</p></div>',
            id="role-main-over-content",
        ),
    ],
)
def test_main_content_is_found(body: str) -> None:
    page = extract(doc(body))
    assert [s.text for s in page.sections] == [INSIDE]


def test_body_is_the_fallback_content() -> None:
    page = extract(doc(f"<div><p>{INSIDE}</p></div><div><p>{OUTSIDE}</p></div>"))
    assert [s.text for s in page.sections] == [f"{INSIDE}\n{OUTSIDE}"]


# --- headings and titles ------------------------------------------------------------------------------------


def test_heading_paths_follow_the_heading_levels() -> None:
    body = (
        "<main><h1>Avfall och återvinning</h1>"
        "<p>Så här fungerar sophämtningen i kommunen.</p>"
        "<h2>Hämtning</h2><p>Soptunnan töms varannan vecka från villor.</p>"
        "<h3>Sommar</h3><p>Under sommaren töms tunnan varje vecka i stället.</p>"
        "<h3>Helger</h3><p>Infaller hämtningen på en röd dag flyttas den.</p>"
        "<h2>Avgifter</h2><p>Avgiften betalas en gång i kvartalet till kommunen.</p>"
        "<h4>Rabatt</h4><p>Den som komposterar hemma får lägre avgift.</p>"
        "<h3>Betala</h3><p>Fakturan kommer med posten eller som e-faktura.</p>"
        "</main>"
    )
    page = extract(doc(body))
    assert page.title == "Avfall och återvinning"
    assert paths(page) == [
        ("Avfall och återvinning",),
        ("Avfall och återvinning", "Hämtning"),
        ("Avfall och återvinning", "Hämtning", "Sommar"),
        ("Avfall och återvinning", "Hämtning", "Helger"),  # an h3 after an h3 replaces it
        ("Avfall och återvinning", "Avgifter"),  # a new h2 drops the h3 above it
        ("Avfall och återvinning", "Avgifter", "Rabatt"),
        ("Avfall och återvinning", "Avgifter", "Betala"),  # an h3 after an h4 drops the h4
    ]
    assert page.sections[2].text == "Under sommaren töms tunnan varje vecka i stället."


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>Sidans titel</title>", "<main><h1>Bygglov</h1>", "Bygglov"),
        ("<title>Bygglov - Exempelstad kommun</title>", "<main>", "Bygglov"),
        ("<title>Bygglov – Exempelstad kommun</title>", "<main>", "Bygglov"),
        ("<title>Bygglov | Exempelstad kommun</title>", "<main>", "Bygglov"),
        ("<title>Bygglov</title>", "<main>", "Bygglov"),
        ("<title>  Bygg\n lov  </title>", "<main>", "Bygg lov"),
        ("", "<main>", FALLBACK_URL),
        ("<title>T</title>", "<h1>Utanför main</h1><main>", "T"),
    ],
)
def test_title_comes_from_h1_then_title_then_url(head: str, body: str, title: str) -> None:
    page = extract(doc(f"{body}<p>{CONTENT}</p></main>", head=head))
    assert page.title == title


def test_without_h1_the_page_title_heads_the_path() -> None:
    page = extract(
        doc(f"<main><h2>Hämtning</h2><p>{CONTENT}</p></main>", head="<title>Avfall - Exempelstad</title>")
    )
    assert paths(page) == [("Avfall", "Hämtning")]


# --- lists and tables ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "text"),
    [
        pytest.param("<ul><li>Papper</li><li>Glas</li></ul>", "– Papper\n– Glas", id="ul"),
        pytest.param("<ol><li>Ansök</li><li>Betala</li></ol>", "– Ansök\n– Betala", id="ol"),
        pytest.param(
            "<ul><li>Papper<ul><li>Kartong</li></ul></li></ul>", "– Papper Kartong", id="nested-list"
        ),
        pytest.param(
            "<ul><li><a href='/x'>Länk</a> till <b>sidan</b></li></ul>", "– Länk till sidan", id="inline"
        ),
        pytest.param(
            "<table><tr><th>Tjänst</th><th>Pris</th></tr>"
            "<tr><td>Kärl 190 liter</td><td>1 200 kr</td></tr></table>",
            "Tjänst: Pris\nKärl 190 liter: 1 200 kr",
            id="table",
        ),
        pytest.param(
            "<table><thead><tr><th>Dag</th><th>Tid</th></tr></thead>"
            "<tbody><tr><td>Måndag</td><td>8–17</td></tr></tbody></table>",
            "Dag: Tid\nMåndag: 8–17",
            id="table-thead-tbody",
        ),
        pytest.param("<table><tr><td>A</td><td></td><td>C</td></tr></table>", "A: C", id="empty-cell"),
        pytest.param("<dl><dt>Telefon</dt><dd>0123-45 00 00</dd></dl>", "Telefon\n0123-45 00 00", id="dl"),
        pytest.param("<p>Första  raden\n   fortsätter</p>", "Första raden fortsätter", id="whitespace"),
        pytest.param(
            "<blockquote><p>Citat</p><p>ur beslutet</p></blockquote>", "Citat ur beslutet", id="quote"
        ),
    ],
)
def test_blocks_become_lines(block: str, text: str) -> None:
    page = extract(doc(f"<main><h1>Avfall</h1>{block}</main>"))
    assert [s.text for s in page.sections] == [text]


# --- URL, date and language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "url"),
    [
        (
            '<link rel="canonical" href="https://www.exempelstad.se/avfall">',
            "https://www.exempelstad.se/avfall",
        ),
        (
            '<link rel="canonical" href="  https://www.exempelstad.se/avfall ">',
            "https://www.exempelstad.se/avfall",
        ),
        ('<meta property="og:url" content="https://www.exempelstad.se/og">', "https://www.exempelstad.se/og"),
        (
            '<meta property="og:url" content="https://www.exempelstad.se/og">'
            '<link rel="canonical" href="https://www.exempelstad.se/canonical">',
            "https://www.exempelstad.se/canonical",
        ),
        ('<link rel="canonical" href="">', FALLBACK_URL),
        ('<link rel="stylesheet" href="https://www.exempelstad.se/s.css">', FALLBACK_URL),
        ("", FALLBACK_URL),
    ],
)
def test_url_is_canonical_else_fallback(head: str, url: str) -> None:
    assert extract(doc(f"<main><p>{CONTENT}</p></main>", head=head)).url == url


def test_relative_canonical_is_resolved() -> None:
    page = extract(doc(f"<main><p>{CONTENT}</p></main>", head='<link rel="canonical" href="/avfall">'))
    assert page.url == "https://www.exempelstad.se/avfall"


@pytest.mark.parametrize(
    ("head", "fallback", "expected"),
    [
        ('<meta name="last-modified" content="2024-05-02">', None, "2024-05-02"),
        ('<meta name="dcterms.modified" content="2024-05-02T10:11:12+02:00">', None, "2024-05-02"),
        ('<meta name="DC.date.modified" content="2024-05-02 10:11">', None, "2024-05-02"),
        ('<meta property="article:modified_time" content="2024-05-02T08:00:00Z">', None, "2024-05-02"),
        ('<meta http-equiv="last-modified" content="Thu, 02 May 2024 10:11:12 GMT">', None, "2024-05-02"),
        ('<meta http-equiv="Last-Modified" content="Thu, 02 May 2024 10:11:12 GMT">', None, "2024-05-02"),
        ('<meta name="last-modified" content="02 May 2024">', None, "2024-05-02"),
        ('<meta name="last-modified" content=" 2024-05-02 ">', None, "2024-05-02"),
        (
            '<meta property="article:modified_time" content="2023-01-01">'
            '<meta name="last-modified" content="2024-05-02">',
            None,
            "2024-05-02",  # the first form in MODIFIED_META wins, whatever the order in the page
        ),
        ('<meta name="last-modified" content="igår">', "2020-01-01", "2020-01-01"),
        ('<meta name="last-modified" content="">', "2020-01-01", "2020-01-01"),
        ("", "2020-01-01", "2020-01-01"),
        ("", None, None),
    ],
)
def test_last_modified(head: str, fallback: str | None, expected: str | None) -> None:
    page = extract(doc(f"<main><p>{CONTENT}</p></main>", head=head), fallback_modified=fallback)
    assert page.last_modified == expected


@pytest.mark.parametrize("fallback", ["Thu, 02 May 2024 10:11:12 GMT", "2024-05-02T10:11:12+02:00"])
def test_fallback_modified_is_an_iso_date(fallback: str) -> None:
    page = extract(doc(f"<main><p>{CONTENT}</p></main>"), fallback_modified=fallback)
    assert page.last_modified == "2024-05-02"


@pytest.mark.parametrize(
    ("lang", "language"),
    [
        (None, "sv"),
        ("", "sv"),
        ("sv", "sv"),
        ("sv-SE", "sv"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("de", "sv"),
    ],
)
def test_language_from_html_lang(lang: str | None, language: str) -> None:
    assert extract(doc(f"<main><p>{CONTENT}</p></main>", lang=lang)).language == language


# --- splitting long sections and merging small ones ---------------------------------------------------------


def _paragraph(i: int, length: int) -> str:
    text = f"Stycke nummer {i} handlar om avgifter. "
    return (text * (length // len(text) + 1))[:length].strip() + "."


def test_long_sections_are_split_between_paragraphs() -> None:
    paragraphs = [_paragraph(i, 290) for i in range(12)]
    body = "<main><h1>Avgifter</h1><h2>Taxa</h2>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</main>"
    page = extract(doc(body))
    assert len(page.sections) > 1
    assert {s.heading_path for s in page.sections} == {("Avgifter", "Taxa")}
    assert all(len(s.text) <= MAX_PASSAGE_CHARS for s in page.sections)
    lines = [line for s in page.sections for line in s.text.split("\n")]
    assert lines == paragraphs  # every paragraph whole, in order, once


def test_a_paragraph_longer_than_the_limit_is_not_cut() -> None:
    long = _paragraph(1, MAX_PASSAGE_CHARS + 300)
    page = extract(doc(f"<main><h1>Avgifter</h1><p>{long}</p><p>{CONTENT}</p></main>"))
    assert [s.text for s in page.sections] == [long, CONTENT]


def test_split_passages_stay_under_the_limit_when_the_tail_is_short() -> None:
    first, second = "A" * 600, "B" * 599  # together exactly MAX_PASSAGE_CHARS with the newline
    page = extract(doc(f"<main><h1>T</h1><p>{first}</p><p>{second}</p><p>Kort rad här.</p></main>"))
    assert all(len(s.text) <= MAX_PASSAGE_CHARS for s in page.sections)


SHORT = "Avgift: 100 kr."  # shorter than MIN_PASSAGE_CHARS
LONG_A = "Soptunnan töms varannan vecka från villor i hela kommunen."
LONG_B = "Fakturan kommer med posten eller som e-faktura varje kvartal."


@pytest.mark.parametrize(
    ("body", "sections"),
    [
        pytest.param(
            f"<h2>Hämtning</h2><p>{LONG_A}</p><h2>Avgift</h2><p>{SHORT}</p><h2>Betala</h2><p>{LONG_B}</p>",
            [(("T", "Hämtning"), f"{LONG_A}\nAvgift\n{SHORT}"), (("T", "Betala"), LONG_B)],
            id="short-joins-the-one-before-with-its-heading",
        ),
        pytest.param(
            f"<h2>Hämtning</h2><p>{LONG_A}</p><h3>Avgift</h3><p>{SHORT}</p>",
            [(("T", "Hämtning"), f"{LONG_A}\nAvgift\n{SHORT}")],
            id="short-subsection-at-the-end",
        ),
        pytest.param(
            f"<p>{SHORT}</p><h2>Hämtning</h2><p>{LONG_A}</p>",
            [(("T", "Hämtning"), f"{SHORT}\n{LONG_A}")],
            id="short-intro-joins-the-next",
        ),
        pytest.param(
            f"<p>Öppet.</p><h2>A</h2><p>Stängt.</p><h2>B</h2><p>{LONG_B}</p>",
            [(("T", "B"), f"Öppet.\nStängt.\n{LONG_B}")],
            id="two-short-at-the-start",
        ),
        pytest.param(f"<p>{SHORT}</p>", [(("T",), SHORT)], id="only-one-short-section-is-kept"),
        pytest.param(
            f"<h2>Hämtning</h2><p>{LONG_A}</p><h2>Betala</h2><p>{LONG_B}</p>",
            [(("T", "Hämtning"), LONG_A), (("T", "Betala"), LONG_B)],
            id="long-enough-sections-stay-apart",
        ),
    ],
)
def test_small_sections_are_merged(body: str, sections: list[tuple[tuple[str, ...], str]]) -> None:
    assert len(SHORT) < MIN_PASSAGE_CHARS <= min(len(LONG_A), len(LONG_B))
    page = extract(doc(f"<main><h1>T</h1>{body}</main>"))
    assert [(s.heading_path, s.text) for s in page.sections] == sections


# --- known gaps (bugs to fix in content/site/extract.py) ----------------------------------------------------


def test_main_inside_a_wrapper_named_with_sidebar_is_read() -> None:
    main = f"<main><h1>Bygglov</h1><p>{CONTENT}</p></main>"
    body = f'<div class="layout with-sidebar">{main}<aside>x</aside></div>'
    assert extract(doc(body)).sections != ()


def test_an_article_header_is_content() -> None:
    body = (
        "<main><article><header><h1>Bygglov för altan</h1>"
        f"<p class='ingress'>{INSIDE}</p></header><p>{CONTENT}</p></article></main>"
    )
    page = extract(doc(body, head="<title>Bygglov - Exempelstad</title>"))
    assert page.title == "Bygglov för altan"
    assert INSIDE in page.main_text


# --- property -----------------------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    "avfall bygglov förskola återvinning kommunen ansökan avgift handläggare öppettider vecka "
    "tunnan hämtas villa lägenhet skola elev bibliotek låna bok parkering tillstånd".split()
)
_HEADINGS = st.lists(_WORDS, min_size=1, max_size=4).map(lambda w: "Rubrik " + " ".join(w))
_TEXTS = st.lists(_WORDS, min_size=1, max_size=60).map(" ".join)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), _HEADINGS), _TEXTS), min_size=1, max_size=15))
def test_every_paragraph_lands_in_exactly_one_passage(pairs: list[tuple[str | None, str]]) -> None:
    """A pair without a heading continues the section above, so long sections and splits occur too."""
    paragraphs = [f"{text} (stycke {i})." for i, (_, text) in enumerate(pairs)]
    body = "".join(
        (f"<h2>{heading}</h2>" if heading else "") + f"<p>{paragraph}</p>"
        for (heading, _), paragraph in zip(pairs, paragraphs, strict=True)
    )
    page = extract(doc(f"<main><h1>Sidan</h1>{body}</main>"))
    for paragraph in paragraphs:
        holders = [s for s in page.sections if paragraph in s.text.split("\n")]
        assert len(holders) == 1, paragraph
