"""Imported pages and their passages, kept with every import that changed them.

A passage is never updated in place: when its page changes, the old passage is retired (``retired_by``
names the import) and the new text becomes a new passage with a new content hash. Answers name the
passage id, so an old answer still explains itself with the exact words it was given, and only active
passages may be shown. Published pages hold no citizen text, so nothing here needs redaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from content.errors import SiteError

metadata = MetaData()

site_import = Table(
    "site_import",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("import_id", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=False),
    Column("report", Text, nullable=False),  # JSON counts and the lists of urls per outcome
)

site_page = Table(
    "site_page",
    metadata,
    Column("url", String(1000), primary_key=True),
    Column("title", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("last_modified", String(32)),
    Column("page_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # active, removed or flagged
    Column("flag_reason", Text),
    Column("first_import", String(64), nullable=False),
    Column("last_import", String(64), nullable=False),
)

site_passage = Table(
    "site_passage",
    metadata,
    Column("passage_id", String(64), primary_key=True),
    Column("url", String(1000), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("heading", Text, nullable=False),  # JSON list: the heading path
    Column("language", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("last_modified", String(32)),
    Column("import_id", String(64), nullable=False),  # the import that brought these words
    Column("active", Boolean, nullable=False, index=True),
    Column("retired_by", String(64)),
)

STATUSES = ("active", "removed", "flagged")


def content_hash(text: str) -> str:
    """SHA-256 of a passage's exact words."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def passage_id(url: str, heading: Iterable[str], text_hash: str) -> str:
    """A stable id for these words under this heading on this page."""
    key = json.dumps([url, list(heading), text_hash], ensure_ascii=False)
    return "p_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:30]


@dataclass(frozen=True)
class StoredPassage:
    """One passage as stored."""

    passage_id: str
    url: str
    title: str
    heading: tuple[str, ...]
    language: str
    text: str
    content_hash: str
    last_modified: str | None
    import_id: str
    active: bool
    retired_by: str | None

    def source_info(self) -> dict[str, Any]:
        """What travels with an answer from this passage as its source (no text: the hash names it)."""
        return {
            "passage_id": self.passage_id,
            "kind": "site",
            "page_url": self.url,
            "page_title": self.title,
            "heading": " > ".join(self.heading),
            "content_hash": self.content_hash,
            "import_id": self.import_id,
            "last_modified": self.last_modified,
            "language": self.language,
        }


@dataclass(frozen=True)
class NewPage:
    """A page of this import, ready to be stored (``flag_reason`` set: kept out of answers)."""

    url: str
    title: str
    language: str
    last_modified: str | None
    page_hash: str
    passages: tuple[tuple[tuple[str, ...], str], ...]  # (heading path, text)
    flag_reason: str | None = None


class SiteStore:
    """The site tables in SQLite (default) or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine``; the tables are created when missing (the store is rebuilt by re-importing)."""
        self.engine = engine
        try:
            metadata.create_all(engine)
        except SQLAlchemyError as exc:
            raise SiteError(f"the site store cannot be opened: {type(exc).__name__}") from None

    @classmethod
    def open(cls, database_url: str) -> SiteStore:
        """Open the store at ``database_url`` (SQLite files get their folder and WAL mode).

        Raises:
            SiteError: the URL is malformed or the database cannot be reached.
        """
        try:
            url = make_url(database_url)
        except ArgumentError as exc:
            raise SiteError(f"invalid site database URL: {exc}") from None
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")  # readers go on while an import writes
                cursor.close()

        else:
            if url.drivername in ("postgresql", "postgresql+psycopg2"):
                url = url.set(drivername="postgresql+psycopg")
            engine = create_engine(url, connect_args={"connect_timeout": 10}, pool_pre_ping=True)
        return cls(engine)

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise SiteError(f"the site store failed: {type(exc).__name__}") from None

    # --- reading ---------------------------------------------------------------------------------------

    def latest_import(self) -> str | None:
        """The id of the newest import (None before the first)."""
        with self._begin() as conn:
            seq = conn.execute(select(func.max(site_import.c.seq))).scalar()
            if seq is None:
                return None
            return conn.execute(select(site_import.c.import_id).where(site_import.c.seq == seq)).scalar()

    def page_hashes(self) -> dict[str, tuple[str, str]]:
        """Every known page: url → (page hash, status)."""
        with self._begin() as conn:
            rows = conn.execute(select(site_page.c.url, site_page.c.page_hash, site_page.c.status))
            return {r.url: (r.page_hash, r.status) for r in rows}

    def active_passages(self) -> list[StoredPassage]:
        """The passages that may be shown, in a stable order."""
        with self._begin() as conn:
            rows = conn.execute(
                select(site_passage)
                .where(site_passage.c.active.is_(True))
                .order_by(site_passage.c.passage_id)
            )
            return [_passage(r._mapping) for r in rows]

    def passage(self, pid: str) -> StoredPassage | None:
        """One passage, active or retired."""
        with self._begin() as conn:
            row = conn.execute(select(site_passage).where(site_passage.c.passage_id == pid)).first()
            return _passage(row._mapping) if row is not None else None

    def pages(self) -> list[dict[str, Any]]:
        """Every known page with its status (for the console)."""
        with self._begin() as conn:
            rows = conn.execute(select(site_page).order_by(site_page.c.url))
            return [dict(r._mapping) for r in rows]

    def imports(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest imports first, with their reports."""
        with self._begin() as conn:
            rows = conn.execute(select(site_import).order_by(site_import.c.seq.desc()).limit(limit))
            return [{**dict(r._mapping), "report": json.loads(r.report)} for r in rows]

    # --- writing ---------------------------------------------------------------------------------------

    def apply(
        self,
        import_id: str,
        source: str,
        started_at: str,
        changed: Iterable[NewPage],
        removed: Iterable[str],
        report: dict[str, Any],
    ) -> None:
        """Store one import in one transaction: new and changed pages, removed pages, the report."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._begin() as conn:
            for page in changed:
                self._retire(conn, page.url, import_id)
                values = {
                    "title": page.title,
                    "language": page.language,
                    "last_modified": page.last_modified,
                    "page_hash": page.page_hash,
                    "status": "flagged" if page.flag_reason else "active",
                    "flag_reason": page.flag_reason,
                    "last_import": import_id,
                }
                done = conn.execute(update(site_page).where(site_page.c.url == page.url).values(**values))
                if not done.rowcount:
                    conn.execute(site_page.insert().values(url=page.url, first_import=import_id, **values))
                if page.flag_reason:
                    continue
                for heading, text in page.passages:
                    self._activate(conn, page, heading, text, import_id)
            for url in removed:
                self._retire(conn, url, import_id)
                conn.execute(
                    update(site_page)
                    .where(site_page.c.url == url)
                    .values(status="removed", last_import=import_id)
                )
            conn.execute(
                site_import.insert().values(
                    import_id=import_id,
                    source=source,
                    started_at=started_at,
                    finished_at=now,
                    report=json.dumps(report, ensure_ascii=False),
                )
            )

    @staticmethod
    def _retire(conn: Connection, url: str, import_id: str) -> None:
        conn.execute(
            update(site_passage)
            .where(site_passage.c.url == url, site_passage.c.active.is_(True))
            .values(active=False, retired_by=import_id)
        )

    @staticmethod
    def _activate(
        conn: Connection, page: NewPage, heading: tuple[str, ...], text: str, import_id: str
    ) -> None:
        text_hash = content_hash(text)
        pid = passage_id(page.url, heading, text_hash)
        # The same words under the same heading came back (a page restored): reactivate them.
        done = conn.execute(
            update(site_passage)
            .where(site_passage.c.passage_id == pid)
            .values(
                active=True,
                retired_by=None,
                title=page.title,
                language=page.language,
                last_modified=page.last_modified,
            )
        )
        if done.rowcount:
            return
        conn.execute(
            site_passage.insert().values(
                passage_id=pid,
                url=page.url,
                title=page.title,
                heading=json.dumps(list(heading), ensure_ascii=False),
                language=page.language,
                text=text,
                content_hash=text_hash,
                last_modified=page.last_modified,
                import_id=import_id,
                active=True,
                retired_by=None,
            )
        )


def _passage(row: Any) -> StoredPassage:
    return StoredPassage(
        passage_id=row["passage_id"],
        url=row["url"],
        title=row["title"],
        heading=tuple(json.loads(row["heading"])),
        language=row["language"],
        text=row["text"],
        content_hash=row["content_hash"],
        last_modified=row["last_modified"],
        import_id=row["import_id"],
        active=bool(row["active"]),
        retired_by=row["retired_by"],
    )
