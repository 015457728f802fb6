"""RFC 9162 Merkle tree hashing, proofs and their verification (§2.1), independent of any store.

A tree over leaves ``D[0:n]`` has ``MTH({}) = SHA-256()``, ``MTH({d}) = SHA-256(0x00 || d)`` and
``MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`` with ``k`` the largest power of two below
``n``. Proofs are computed as lists of index ranges ``(start, end)``; a store turns each range into a
hash from its saved perfect subtrees (:func:`perfect_cover`), so proofs cost O(log n) lookups at any size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
Range = tuple[int, int]
Node = tuple[int, int]  # (level, index): the perfect subtree over leaves [index << level, (index+1) << level)

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Hash of one leaf: ``SHA-256(0x00 || data)``."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash of an interior node: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """Largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# --- reference implementation over in-memory leaf hashes (the RFC text, used by tests and small trees) ---


def mth(hashes: Sequence[bytes]) -> bytes:
    """Merkle tree head over already-hashed leaves, straight from the RFC's recursive definition."""
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = split_point(len(hashes))
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


# --- proofs as index ranges ---


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """Ranges whose hashes form ``PATH(index, D[0:size])`` (RFC 9162 §2.1.3.1), in proof order."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    out: list[Range] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m = start + k, m - k
    out.reverse()
    return out


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """Ranges whose hashes form ``PROOF(old_size, D[0:new_size])`` (RFC 9162 §2.1.4.1), in proof order."""
    if not 0 <= old_size <= new_size:
        raise ValueError("old size must not exceed new size")
    if old_size in (0, new_size):
        return []
    out: list[Range] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        out.append((start, end))
    out.reverse()
    return out


def perfect_cover(start: int, end: int) -> list[Node]:
    """Split ``[start, end)`` into aligned perfect subtrees, largest (leftmost) first."""
    nodes: list[Node] = []
    while start < end:
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while (1 << level) > end - start:
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def fold_cover(hashes: Sequence[bytes]) -> bytes:
    """Hash of a range from the hashes of its perfect cover (right fold, as MTH nests them)."""
    acc = hashes[-1]
    for left in reversed(hashes[:-1]):
        acc = node_hash(left, acc)
    return acc


def resolve_ranges(ranges: Sequence[Range], lookup: Callable[[list[Node]], dict[Node, bytes]]) -> list[bytes]:
    """Turn proof ranges into hashes; ``lookup`` fetches all needed perfect nodes in one call."""
    covers = [perfect_cover(start, end) for start, end in ranges]
    found = lookup(sorted({node for cover in covers for node in cover}))
    return [fold_cover([found[node] for node in cover]) for cover in covers]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ---


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """True when ``proof`` shows leaf hash ``leaf`` at ``index`` in the tree of ``size`` with ``root``."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """True when ``proof`` shows the tree ``(old_size, old_root)`` is a prefix of ``(new_size, new_root)``."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class CompactRange:
    """The perfect subtrees covering ``[0, size)``: enough to append leaves and compute the root.

    ``append`` returns the interior nodes it completes, so a store can save them for later proofs.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        """Start from ``size`` leaves whose cover (see :func:`perfect_cover`) has ``hashes``."""
        self.size = size
        self.nodes: list[tuple[int, bytes]] = [
            (level, h) for (level, _), h in zip(perfect_cover(0, size), hashes, strict=True)
        ]

    def append(self, leaf: bytes) -> list[tuple[Node, bytes]]:
        """Add a leaf hash; return the completed interior nodes ``((level, index), hash)``."""
        completed: list[tuple[Node, bytes]] = []
        level, current, index = 0, leaf, self.size
        while self.nodes and self.nodes[-1][0] == level:
            _, left = self.nodes.pop()
            current = node_hash(left, current)
            level += 1
            index >>= 1
            completed.append(((level, index), current))
        self.nodes.append((level, current))
        self.size += 1
        return completed

    def root(self) -> bytes:
        """Tree head over the leaves so far."""
        if not self.nodes:
            return EMPTY_ROOT
        return fold_cover([h for _, h in self.nodes])

    def copy(self) -> CompactRange:
        """An independent copy."""
        clone = CompactRange()
        clone.size, clone.nodes = self.size, list(self.nodes)
        return clone
