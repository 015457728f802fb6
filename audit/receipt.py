"""Receipts: proof that one answer's record is in the log, checkable without access to the database.

A receipt holds the record's leaf data (metadata and a content commitment, no conversation text), its
leaf hash, an RFC 9162 inclusion proof and a signed checkpoint. Anyone holding the municipality's
published public key can check it with :func:`verify_receipt`; holding an older checkpoint too, they can
ask the log for a consistency proof and check that history was not rewritten in between.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from audit import merkle
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.errors import ReceiptInvalid, RecordNotFound
from audit.leaf import leaf_header
from audit.proofs import inclusion_proof, latest_checkpoint
from audit.records import find_row
from audit.writer import LogWriter

RECEIPT_FORMAT = "kommunsvar-audit-receipt/1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True)
class Receipt:
    """Everything needed to check that a record is in the log."""

    audit_id: str
    seq: int
    leaf_hash: bytes
    leaf_data: bytes | None
    tree_size: int
    inclusion_proof: list[bytes]
    checkpoint: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (hashes in base64, as in the checkpoint)."""
        return {
            "format": RECEIPT_FORMAT,
            "audit_id": self.audit_id,
            "seq": self.seq,
            "leaf_hash": _b64(self.leaf_hash),
            "leaf_data": None if self.leaf_data is None else self.leaf_data.decode("utf-8"),
            "tree_size": self.tree_size,
            "inclusion_proof": [_b64(h) for h in self.inclusion_proof],
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Receipt:
        """Parse :meth:`to_dict` output.

        Raises:
            ReceiptInvalid: fields are missing or malformed.
        """
        try:
            if data.get("format") != RECEIPT_FORMAT:
                raise ReceiptInvalid("not a Kommunsvar audit receipt")
            leaf_data = data.get("leaf_data")
            return cls(
                audit_id=str(data["audit_id"]),
                seq=int(data["seq"]),
                leaf_hash=_unb64(data["leaf_hash"]),
                leaf_data=None if leaf_data is None else str(leaf_data).encode("utf-8"),
                tree_size=int(data["tree_size"]),
                inclusion_proof=[_unb64(h) for h in data["inclusion_proof"]],
                checkpoint=str(data["checkpoint"]),
            )
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise ReceiptInvalid("receipt is malformed") from None


def make_receipt(log: LogWriter, audit_id: str) -> Receipt:
    """Build the receipt for ``audit_id``, signing a new checkpoint if none covers it yet.

    Raises:
        RecordNotFound: no such record.
    """
    row = find_row(log, audit_id)
    if row is None:
        raise RecordNotFound(f"no audit record {audit_id!r}")
    checkpoint = latest_checkpoint(log, min_size=row.seq + 1) or log.checkpoint(min_size=row.seq + 1)
    proof = inclusion_proof(log, row.seq, checkpoint.tree_size)
    return Receipt(
        audit_id=row.audit_id,
        seq=row.seq,
        leaf_hash=bytes(row.leaf_hash),
        leaf_data=None if row.leaf_data is None else bytes(row.leaf_data),
        tree_size=checkpoint.tree_size,
        inclusion_proof=proof,
        checkpoint=checkpoint.note,
    )


def verify_receipt(
    receipt: Receipt | dict[str, Any],
    public_keys: Ed25519PublicKey | list[Ed25519PublicKey],
    *,
    origin: str | None = None,
) -> Checkpoint:
    """Check a receipt against trusted public keys; returns the checkpoint it is anchored to.

    Never trust a key that arrives with the receipt: use the key the municipality publishes.

    Raises:
        ReceiptInvalid: the signature, the leaf or the inclusion proof does not verify.
    """
    if isinstance(receipt, dict):
        receipt = Receipt.from_dict(receipt)
    keys = public_keys if isinstance(public_keys, list) else [public_keys]
    checkpoint = open_checkpoint(receipt.checkpoint, keys, origin)
    if checkpoint.tree_size != receipt.tree_size:
        raise ReceiptInvalid("receipt tree size differs from its checkpoint")
    if receipt.leaf_data is not None:
        if merkle.leaf_hash(receipt.leaf_data) != receipt.leaf_hash:
            raise ReceiptInvalid("leaf data does not match the leaf hash")
        try:
            leaf = leaf_header(receipt.leaf_data)
        except ValueError:
            raise ReceiptInvalid("leaf data is malformed") from None
        if leaf.get("audit_id") != receipt.audit_id or leaf.get("seq") != receipt.seq:
            raise ReceiptInvalid("leaf data belongs to another record")
    if not merkle.verify_inclusion(
        receipt.leaf_hash, receipt.seq, receipt.tree_size, receipt.inclusion_proof, checkpoint.root_hash
    ):
        raise ReceiptInvalid("inclusion proof does not lead to the checkpoint's root hash")
    return checkpoint
