"""Benchmark the site import: N pages through extraction, the personal-data scan and the SQLite store.

Usage::

    .venv/bin/python scripts/bench_site_import.py                    # 1,000 pages, target 120 s
    .venv/bin/python scripts/bench_site_import.py --pages 200 --json
    make bench-site ARGS="--pages 5000 --max-seconds 600"

The pages are the demo site's (``data/site/pages``), copied round until there are N of them (each copy
gets its own canonical URL and a paragraph of its own, so no two are the same page). Without a demo site
the pages are generated from a template with varied Swedish text. Four figures are timed: loading the
redactor (the scanner), the first import, a re-import with nothing changed and a re-import after 10 %
of the pages changed. Everything happens in a temporary folder that is deleted afterwards. The exit
status is 1 when the first import takes longer than ``--max-seconds``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from content.municipality import Municipality, load_municipality  # noqa: E402
from content.site.importer import ImportReport, import_site  # noqa: E402
from content.site.scan import Scanner, load_public_terms, redactor_scanner  # noqa: E402
from content.site.settings import get_site_settings  # noqa: E402
from content.site.store import SiteStore  # noqa: E402

CHANGED_SHARE = 0.10
_CANONICAL = re.compile(r'(<link\b[^>]*\brel=["\']?canonical["\']?[^>]*\bhref=["\'])([^"\']*)', re.IGNORECASE)
_CLOSERS = ("</main>", "</article>", "</body>")

# --- the pages ----------------------------------------------------------------------------------------

TOPICS = [
    ("avfall", "Avfall och återvinning", ["Hämtning", "Grovavfall", "Avgifter", "Sortera rätt"]),
    ("bygglov", "Bygglov", ["När behövs bygglov", "Ansökan", "Handläggningstid", "Avgifter"]),
    ("forskola", "Förskola", ["Ansök om plats", "Placering", "Avgifter", "Uppsägning"]),
    ("skola", "Grundskola", ["Välja skola", "Skolskjuts", "Läsårstider", "Frånvaro"]),
    ("bibliotek", "Bibliotek", ["Öppettider", "Låna", "Lånekort", "Evenemang"]),
    ("parkering", "Parkering", ["Parkeringstillstånd", "Avgifter", "Boendeparkering", "Felparkering"]),
    ("vatten", "Vatten och avlopp", ["Driftstörningar", "Vattenmätare", "Avgifter", "Enskilt avlopp"]),
    ("aldreomsorg", "Äldreomsorg", ["Hemtjänst", "Särskilt boende", "Trygghetslarm", "Avgifter"]),
]
SENTENCES = [
    "Ansökan görs enklast via e-tjänsten på webbplatsen, men det går också bra att skicka en blankett.",
    "Handläggningstiden är normalt fyra veckor från det att ansökan är komplett.",
    "Avgiften fastställs av kommunfullmäktige och räknas om varje år från den första januari.",
    "Du kan överklaga beslutet till förvaltningsrätten inom tre veckor från att du fick del av det.",
    "Under sommaren och kring storhelger kan tiderna ändras, så kontrollera gärna innan du kommer.",
    "Kontaktcenter svarar på frågor och kopplar vidare till rätt handläggare när det behövs.",
    "Tänk på att ansökan ska vara komplett, annars kan handläggningen ta längre tid.",
    "Den som är missnöjd med handläggningen kan lämna synpunkter via kommunens webbformulär.",
    "Kommunen skickar en bekräftelse när ärendet är registrerat och ett beslut när det är klart.",
    "Informationen finns även på lättläst svenska och på flera andra språk.",
    "Det kostar ingenting att ansöka, men vissa tjänster har en avgift som beror på hushållets inkomst.",
    "Läs mer om reglerna i kommunens riktlinjer, som finns att ladda ner längre ner på sidan.",
    "Har du frågor om en faktura kan du vända dig till kommunens ekonomienhet under kontorstid.",
    "Ändringar som gäller från nästa år beslutas vanligtvis i november och publiceras här.",
]
FEES = [
    ("Grundavgift", "1 250 kr per år"),
    ("Tilläggstjänst", "300 kr per tillfälle"),
    ("Expressavgift", "750 kr"),
]


def generated_page(i: int, municipality: Municipality) -> str:
    """A municipal page: furniture, a breadcrumb, sections with text, a list and a fee table."""
    rng = random.Random(i)
    slug, title, headings = TOPICS[i % len(TOPICS)]
    sections = []
    for heading in rng.sample(headings, k=rng.randint(2, len(headings))):
        texts = (" ".join(rng.sample(SENTENCES, k=rng.randint(2, 4))) for _ in range(2))
        paragraphs = "".join(f"<p>{text}</p>" for text in texts)
        sections.append(f"<h2>{heading}</h2>{paragraphs}")
    items = "".join(f"<li>{s}</li>" for s in rng.sample(SENTENCES, k=3))
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in FEES)
    street = municipality.visiting_address.get("street", "")
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} - {municipality.display_name}</title>
<link rel="canonical" href="{municipality.website}/{slug}/sida-{i}">
<meta name="dcterms.modified" content="2024-{1 + i % 12:02d}-{1 + i % 28:02d}"></head>
<body><div id="cookie-banner"><p>Vi använder kakor för att webbplatsen ska fungera.</p></div>
<header><a class="skip-link" href="#main">Till innehållet</a>
<nav><ul><li>Start</li><li>{title}</li></ul></nav></header>
<nav class="breadcrumbs"><ol><li>Start</li><li>{title}</li></ol></nav>
<main id="main"><h1>{title}</h1><p>Sida {i} om {title.lower()} i {municipality.short_name}.</p>
{"".join(sections)}<h2>Bra att veta</h2><ul>{items}</ul>
<h2>Kostnad</h2><table><tr><th>Tjänst</th><th>Pris</th></tr>{rows}</table>
<h2>Kontakt</h2><p>Ring kontaktcenter på {municipality.switchboard} eller mejla {municipality.email}.
Besöksadress: {street}.</p></main>
<aside><p>Relaterade sidor</p></aside><footer><p>{municipality.display_name}</p></footer></body></html>"""


def demo_pages() -> tuple[Path, list[str]]:
    """The demo site's folder and pages (none when it has none yet)."""
    folder = get_site_settings().demo_dir / "pages"
    if not folder.is_dir():
        return folder, []
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())
    return folder, [p.read_text("utf-8", errors="replace") for p in files]


def with_paragraph(html: str, paragraph: str) -> str:
    """``html`` with ``paragraph`` at the end of its main content (else of its body)."""
    lower = html.lower()
    for closer in _CLOSERS:
        at = lower.rfind(closer)
        if at >= 0:
            return f"{html[:at]}<p>{paragraph}</p>{html[at:]}"
    return f"{html}<p>{paragraph}</p>"


def unique_copy(html: str, n: int) -> str:
    """Copy ``n`` of a demo page: its own canonical URL and a paragraph of its own."""
    html = _CANONICAL.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip('/')}/kopia-{n}", html, count=1)
    return with_paragraph(html, f"Den här kopian av sidan bär löpnummer {n} och finns bara för mätningen.")


def write_pages(folder: Path, count: int, municipality: Municipality) -> tuple[list[Path], str]:
    """Write ``count`` distinct pages into ``folder``; returns their paths and where they came from."""
    demo_folder, sources = demo_pages()
    paths = []
    for i in range(count):
        if sources:
            html = sources[i] if i < len(sources) else unique_copy(sources[i % len(sources)], i)
        else:
            html = generated_page(i, municipality)
        path = folder / f"page-{i:05d}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    origin = f"copies of {len(sources)} pages in {demo_folder}" if sources else "generated from a template"
    return paths, origin


def change_pages(paths: list[Path], share: float) -> int:
    """Edit every n-th page so that ``share`` of them change; returns how many."""
    step = max(1, round(1 / share))
    chosen = paths[::step]
    for n, path in enumerate(chosen):
        text = f"Uppdaterat: sidan har fått ny information om avgifterna, ändring nummer {n}."
        path.write_text(with_paragraph(path.read_text("utf-8"), text), encoding="utf-8")
    return len(chosen)


# --- the measurements ------------------------------------------------------------------------------------


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def loaded_scanner() -> Scanner:
    """The redactor scanner, made to load its models now (it may defer that to its first page)."""
    scan = redactor_scanner(load_public_terms(ROOT / "data" / "site"))  # as make site-import does
    scan("")
    return scan


def row(step: str, pages: int | None, report: ImportReport | None, seconds: float) -> dict[str, Any]:
    return {
        "step": step,
        "pages": pages,
        "passages": report.passages if report else None,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 1) if pages and seconds else None,
        "counts": report.counts() if report else None,
    }


def run(pages: int, municipality: Municipality) -> dict[str, Any]:
    scan, load_seconds = timed(loaded_scanner)
    rows = [row("scanner load", None, None, load_seconds)]
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        paths, origin = write_pages(folder, pages, municipality)
        store = SiteStore.open(f"sqlite:///{Path(tmp) / 'site.db'}")
        try:

            def once() -> ImportReport:
                return import_site(str(folder), store, base_url=municipality.website, scan=scan)

            report, seconds = timed(once)
            rows.append(row("first import", pages, report, seconds))
            report, seconds = timed(once)
            rows.append(row("re-import, nothing changed", pages, report, seconds))
            changed = change_pages(paths, CHANGED_SHARE)
            report, seconds = timed(once)
            rows.append(row(f"re-import, {changed} pages changed", pages, report, seconds))
            active = len(store.active_passages())
        finally:
            store.close()
    return {"pages": pages, "origin": origin, "active_passages": active, "rows": rows}


def print_table(result: dict[str, Any], max_seconds: float) -> None:
    print(f"site import benchmark: {result['pages']} pages ({result['origin']}), SQLite, redactor scan")
    print(f"  {'step':<32} {'pages':>6} {'passages':>9} {'seconds':>8} {'pages/s':>8}   outcome")
    for r in result["rows"]:
        counts = r["counts"] or {}
        outcome = ", ".join(f"{k} {v}" for k, v in counts.items() if v and k != "passages")
        cells = [r["pages"], r["passages"], f"{r['seconds']:.2f}", r["pages_per_second"]]
        pages, passages, seconds, rate = ("–" if c is None else c for c in cells)
        print(f"  {r['step']:<32} {pages:>6} {passages:>9} {seconds:>8} {rate:>8}   {outcome}")
    print(f"  active passages after the last import: {result['active_passages']}")
    first = result["rows"][1]["seconds"]
    verdict = "within" if first <= max_seconds else "OVER"
    print(f"  first import {first:.1f} s: {verdict} the target of {max_seconds:g} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="how many pages (default 1000)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="target for the first import")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    municipality = load_municipality()
    result = run(args.pages, municipality)
    result["max_seconds"] = args.max_seconds
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result, args.max_seconds)
    if result["rows"][1]["seconds"] > args.max_seconds:
        print(f"first import slower than {args.max_seconds:g} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
