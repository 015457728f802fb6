"""The website tier's ranking, excerpt and decision, with a small deterministic embedder double."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from content.answering.settings import EngineSettings
from content.paths import DEFAULT_DATA_DIR
from content.site.answer import INLINE_EMBED_LIMIT, SiteAnswerer
from content.site.index import PassageIndex, segments, verify_excerpt
from content.site.store import NewPage, SiteStore

WORDS = ("simhall", "sophämtning", "bygglov", "bibliotek")


class WordEmbedder:
    """One dimension per topic word: a text points at the words it contains (a unit-test double)."""

    fingerprint = "words"

    def __init__(self) -> None:
        self.calls = 0

    def vector(self, text: str) -> np.ndarray:
        v = np.array([float(w in text.casefold()) for w in WORDS] + [0.1], dtype=np.float32)
        return v / np.linalg.norm(v)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return np.stack([self.vector(t) for t in texts])


def page(url: str, title: str, *sections: tuple[str, str]) -> NewPage:
    return NewPage(
        url, title, "sv", "2026-05-01", f"h{hash(sections)}", tuple(((title, h), t) for h, t in sections)
    )


@pytest.fixture()
def store(tmp_path: Path) -> SiteStore:
    s = SiteStore.open(f"sqlite:///{tmp_path / 'site.db'}")
    s.apply(
        "imp-1",
        "test",
        "2026-12-01T00:00:00",
        [
            page("https://x/simhall/", "Simhallen", ("Öppettider", "Simhallen har öppet alla dagar 07–21.")),
            page("https://x/sop/", "Sophämtning", ("Hämtdagar", "Sophämtning sker varannan vecka.")),
        ],
        [],
        {},
    )
    return s


def settings(**overrides: float) -> EngineSettings:
    return replace(
        EngineSettings.load(DEFAULT_DATA_DIR), site_min_score=0.9, site_min_margin=0.05, **overrides
    )


def test_the_passage_about_the_question_answers_whole_when_it_is_short(store):
    embedder = WordEmbedder()
    answerer = SiteAnswerer(store, embedder, settings())
    answer = answerer.answer("När har simhallen öppet?", embedder.vector("simhall"))
    assert answer is not None
    assert answer.passage.url == "https://x/simhall/"
    assert answer.excerpt == "Simhallen har öppet alla dagar 07–21."
    record = answer.to_dict()
    assert record["rule"] == "site_answer" and record["passage"]["page_url"] == "https://x/simhall/"
    assert record["runner_up"]["page_url"] == "https://x/sop/"


def test_nothing_answers_below_the_threshold_or_without_a_lead(store):
    embedder = WordEmbedder()
    answerer = SiteAnswerer(store, embedder, settings())
    assert answerer.answer("Hur söker jag bygglov?", embedder.vector("bygglov")) is None
    both = embedder.vector("simhall sophämtning")
    assert answerer.answer("simhall eller sophämtning?", both) is None  # two pages tie: no lead


def test_a_new_import_is_followed_and_a_removed_page_stops_answering(store):
    embedder = WordEmbedder()
    answerer = SiteAnswerer(store, embedder, settings(), refresh_seconds=0)
    assert answerer.answer("simhall", embedder.vector("simhall")) is not None
    store.apply("imp-2", "test", "2026-12-02T00:00:00", [], ["https://x/simhall/"], {})
    assert answerer.answer("simhall", embedder.vector("simhall")) is None
    assert answerer.index().import_id == "imp-2"


def test_a_re_import_embeds_only_the_new_passages(store):
    embedder = WordEmbedder()
    answerer = SiteAnswerer(store, embedder, settings(), refresh_seconds=0)
    answerer.index()
    before = embedder.calls
    changed = page("https://x/sop/", "Sophämtning", ("Hämtdagar", "Sophämtning sker varje vecka."))
    store.apply("imp-2", "test", "2026-12-02T00:00:00", [changed], [], {})
    index = answerer.index()
    assert index.import_id == "imp-2" and embedder.calls == before + 1
    assert {p.text for p in index.passages} >= {"Sophämtning sker varje vecka."}


def test_a_large_import_is_embedded_in_the_background_while_the_old_index_serves(store):
    embedder = WordEmbedder()
    answerer = SiteAnswerer(store, embedder, settings(), refresh_seconds=0)
    old = answerer.index()
    many = [
        page(f"https://x/bib/{i}/", f"Bibliotek {i}", ("Öppet", f"Biblioteket nummer {i} har öppet."))
        for i in range(INLINE_EMBED_LIMIT + 5)
    ]
    store.apply("imp-2", "test", "2026-12-02T00:00:00", many, [], {})
    assert answerer.index() is old  # still the old one while the new one is embedded
    deadline = time.monotonic() + 10
    while answerer.index().import_id != "imp-2":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(answerer.index()) == 2 + len(many)


def test_a_long_passage_is_trimmed_to_the_sentences_that_answer():
    embedder = WordEmbedder()
    filler = " ".join(f"Mening nummer {i} handlar om annat." for i in range(20))
    text = f"{filler}\nSimhallen har öppet alla dagar. Simhallen stänger vid jul.\nBiblioteket har sagostund."
    stored = _stored(text)
    index = PassageIndex([stored], embedder, import_id="imp-1")
    _, excerpt = index.best_on_page(stored.url, embedder.vector("simhall"), 200)
    assert "Simhallen har öppet alla dagar." in excerpt and "Mening nummer" not in excerpt
    assert verify_excerpt(excerpt, text)


def _stored(text: str):
    from content.site.store import StoredPassage

    return StoredPassage("p_1", "https://x/", "T", ("T",), "sv", text, "hash", None, "imp-1", True, None)


@pytest.mark.parametrize(
    ("excerpt", "ok"),
    [
        ("Entré 60 kr.", True),
        ("Entré 60 kr. Barn gratis.", True),
        ("Entré 60 kr.\nÖppet 7–21.", True),
        ("Entré 70 kr.", False),
        ("Entré 60 kr. Öppet 7–21.", False),  # two lines glued into one: not the page's sentence order
        ("", False),
    ],
)
def test_an_excerpt_must_be_the_passages_own_words(excerpt, ok):
    assert verify_excerpt(excerpt, "Entré 60 kr. Barn gratis.\nÖppet 7–21.") is ok


def test_segments_keep_lines_and_split_sentences():
    assert segments("A är en. B är två.\n– Punkt: med kolon") == [
        (0, "A är en."),
        (0, "B är två."),
        (1, "– Punkt: med kolon"),
    ]
