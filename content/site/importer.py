"""Bring a municipality's published pages into the site store: new, changed, unchanged, removed.

Sources: a folder of saved HTML pages (``*.html``/``*.htm``; a page's URL is its canonical link, else the
base URL plus its path) or a sitemap on a reachable host (each ``<loc>`` is fetched with a timeout).
A page is skipped when it has no main text or repeats another page's URL, and flagged (kept out of
answers) when it holds personal data beyond the municipality's public contacts. Pages the store knows
that this import did not see are removed (``partial=True`` keeps them), and their passages stop.
"""

from __future__ import annotations

import hashlib
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from content.errors import SiteError
from content.site.extract import ExtractedPage, extract_page
from content.site.scan import Scanner
from content.site.store import NewPage, SiteStore

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_PAGE_BYTES = 5_000_000
Progress = Callable[[Iterator[Any], int], Iterator[Any]]


@dataclass(frozen=True)
class Document:
    """One fetched or saved page before extraction."""

    location: str  # file path or fetched URL (for the report)
    fallback_url: str
    html: str
    fallback_modified: str | None


@dataclass
class ImportReport:
    """What one import did, page by page."""

    import_id: str
    source: str
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    flagged: list[dict[str, str]] = field(default_factory=list)
    passages: int = 0
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """How many pages had each outcome."""
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
            "skipped": len(self.skipped),
            "flagged": len(self.flagged),
            "passages": self.passages,
        }

    def to_dict(self) -> dict[str, Any]:
        """The report as stored with the import and printed by ``--json``."""
        return {
            "import_id": self.import_id,
            "source": self.source,
            "counts": self.counts(),
            "seconds": round(self.seconds, 2),
            "new": self.new,
            "changed": self.changed,
            "removed": self.removed,
            "skipped": self.skipped,
            "flagged": self.flagged,
        }

    def summary(self) -> str:
        """A few lines for people."""
        c = self.counts()
        lines = [
            f"Import {self.import_id} from {self.source} in {self.seconds:.1f} s:",
            f"  {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, {c['removed']} removed "
            f"pages; {c['passages']} passages in new or changed pages",
        ]
        for item in self.skipped:
            lines.append(f"  skipped {item['location']}: {item['reason']}")
        for item in self.flagged:
            lines.append(f"  FLAGGED (not used) {item['url']}: {item['reason']}")
        for url in self.removed:
            lines.append(f"  removed {url}")
        return "\n".join(lines)


def new_import_id(now: datetime | None = None) -> str:
    """``imp-YYYYMMDDTHHMMSS-xxxx``: sortable and unique."""
    now = now or datetime.now(UTC)
    return f"imp-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(2)}"


def read_folder(folder: Path, base_url: str) -> list[Document]:
    """Every saved HTML page under ``folder``, in path order."""
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())
    documents = []
    base = base_url.rstrip("/")
    for path in files:
        relative = path.relative_to(folder).as_posix()
        if path.name in ("index.html", "index.htm"):  # a folder's page: its URL is the folder's
            relative = relative[: -len(path.name)]
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
        documents.append(
            Document(str(path), f"{base}/{relative}", path.read_text("utf-8", errors="replace"), modified)
        )
    return documents


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sitemap_entries(xml_text: str, entry: str) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of every ``entry`` element (``url`` or ``sitemap``), with or without the namespace."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise SiteError(f"the sitemap is not valid XML: {exc}") from None
    found = []
    for node in root.iter():
        if _local(node.tag) != entry:
            continue
        values = {_local(child.tag): (child.text or "").strip() for child in node}
        if values.get("loc"):
            found.append((values["loc"], values.get("lastmod") or None))
    return found


def sitemap_urls(xml_text: str) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of every ``<url>`` in a sitemap."""
    return _sitemap_entries(xml_text, "url")


def _fetch_text(client: httpx.Client, url: str, what: str) -> str:
    try:
        response = client.get(url)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise SiteError(f"the {what} cannot be fetched: {type(exc).__name__}") from None
    return response.text


def read_sitemap(sitemap_url: str, client: httpx.Client) -> Iterator[Document]:
    """Fetch a sitemap (or a sitemap index, one level) and then each page it lists.

    A page that cannot be fetched becomes a document marked ``error:`` (skipped, and not removed).
    """
    text = _fetch_text(client, sitemap_url, "sitemap")
    entries = sitemap_urls(text)
    for child, _ in _sitemap_entries(text, "sitemap"):  # a sitemap index names the real sitemaps
        entries.extend(sitemap_urls(_fetch_text(client, child, "sitemap")))
    for loc, lastmod in entries:
        try:
            page = client.get(loc)
            page.raise_for_status()
        except httpx.HTTPError as exc:
            yield Document(loc, loc, "", f"error:{type(exc).__name__}")
            continue
        if "html" not in page.headers.get("content-type", "text/html") or len(page.content) > MAX_PAGE_BYTES:
            yield Document(loc, loc, "", "error:not an HTML page")
            continue
        yield Document(loc, loc, page.text, lastmod or page.headers.get("last-modified"))


def page_hash(page: ExtractedPage, checked: bool = True) -> str:
    """SHA-256 over what the page says (title, language and passages), not its furniture.

    A page stored without the personal-data check hashes differently, so the next checked import
    checks it.
    """
    mark = "" if checked else "\nunchecked"
    return hashlib.sha256(f"{page.title}\n{page.language}\n{page.main_text}{mark}".encode()).hexdigest()


def import_site(
    source: str,
    store: SiteStore,
    *,
    base_url: str,
    scan: Scanner | None,
    partial: bool = False,
    timeout_seconds: float = 10.0,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``source`` (a folder or an http(s) sitemap URL) into ``store`` and return the report.

    Raises:
        SiteError: the source does not exist or cannot be read, or the store fails.
    """
    started = datetime.now(UTC)
    clock = datetime.now(UTC).timestamp()
    report = ImportReport(new_import_id(started), source)
    known = store.page_hashes()
    client: httpx.Client | None = None
    if source.startswith(("http://", "https://")):
        client = httpx.Client(timeout=timeout_seconds, follow_redirects=True)
        documents: Any = read_sitemap(source, client)
        total = 0
    else:
        folder = Path(source)
        if not folder.is_dir():
            raise SiteError(f"no such folder: {source}")
        documents = read_folder(folder, base_url)
        total = len(documents)
    seen: set[str] = set()
    changed: list[NewPage] = []
    failed: set[str] = set()  # fetched with an error: kept as they are, never removed by a hiccup
    try:
        iterator = progress(iter(documents), total) if progress else iter(documents)
        for document in iterator:
            if (document.fallback_modified or "").startswith("error:"):
                failed.add(document.fallback_url)
            page = _one(document, report, seen)
            if page is None:
                continue
            digest = page_hash(page, checked=scan is not None)
            previous = known.get(page.url)
            if previous is not None and previous[0] == digest and previous[1] != "removed":
                report.unchanged.append(page.url)
                continue
            flag = _flag(page, scan)
            passages = tuple((s.heading_path, s.text) for s in page.sections)
            changed.append(
                NewPage(page.url, page.title, page.language, page.last_modified, digest, passages, flag)
            )
            if flag:
                report.flagged.append({"url": page.url, "reason": flag})
            else:
                report.passages += len(passages)
            (report.changed if previous is not None else report.new).append(page.url)
    finally:
        if client is not None:
            client.close()
    if not seen and not failed and not partial:
        # An empty folder or a sitemap that lists nothing would remove the whole site: refuse.
        raise SiteError("no page with main text was found; nothing was changed (use --partial to allow)")
    if not partial:
        report.removed = sorted(
            url for url, (_, status) in known.items() if status != "removed" and url not in seen | failed
        )
    report.seconds = datetime.now(UTC).timestamp() - clock  # the report stored holds the reading time
    store.apply(
        report.import_id,
        source,
        started.isoformat(timespec="seconds"),
        changed,
        report.removed,
        report.to_dict(),
    )
    report.seconds = datetime.now(UTC).timestamp() - clock
    return report


def _one(document: Document, report: ImportReport, seen: set[str]) -> ExtractedPage | None:
    if document.fallback_modified and document.fallback_modified.startswith("error:"):
        report.skipped.append({"location": document.location, "reason": document.fallback_modified[6:]})
        return None
    page = extract_page(
        document.html, fallback_url=document.fallback_url, fallback_modified=document.fallback_modified
    )
    if not page.sections:
        report.skipped.append({"location": document.location, "reason": "no main text"})
        return None
    if page.url in seen:
        report.skipped.append(
            {"location": document.location, "reason": f"same URL as another page: {page.url}"}
        )
        return None
    seen.add(page.url)
    return page


def _flag(page: ExtractedPage, scan: Scanner | None) -> str | None:
    """Why the page may not be used (personal data found), or None."""
    if scan is None:
        return None
    try:
        found = scan(page.title + "\n" + "\n".join(s.text for s in page.sections))
    except Exception as exc:  # noqa: BLE001 - an unchecked page must not be used
        return f"the personal-data check failed ({type(exc).__name__})"
    if not found:
        return None
    return "personal data: " + ", ".join(f"{kind} ×{n}" for kind, n in sorted(found.items()))
