"""RFC 9162 hashing rules, hand-built small trees, and proofs for every size up to 20."""

from __future__ import annotations

import hashlib

import pytest

from audit import merkle

D = [f"leaf-{i}".encode() for i in range(21)]
H = [merkle.leaf_hash(d) for d in D]


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return sha(b"\x01" + left + right)


def test_hash_prefixes_follow_rfc9162() -> None:
    assert merkle.leaf_hash(b"abc") == sha(b"\x00abc")
    assert merkle.node_hash(b"L" * 32, b"R" * 32) == sha(b"\x01" + b"L" * 32 + b"R" * 32)
    assert merkle.EMPTY_ROOT == sha(b"") == merkle.mth([])
    # A leaf can never be mistaken for a node: same bytes, different prefix, different hash.
    assert merkle.leaf_hash(H[0] + H[1]) != merkle.node_hash(H[0], H[1])


def test_hand_built_trees() -> None:
    assert merkle.mth(H[:1]) == H[0]
    assert merkle.mth(H[:2]) == node(H[0], H[1])
    # n = 3: the left subtree takes the largest power of two below n (2), the right the rest.
    assert merkle.mth(H[:3]) == node(node(H[0], H[1]), H[2])
    assert merkle.mth(H[:4]) == node(node(H[0], H[1]), node(H[2], H[3]))
    assert merkle.mth(H[:5]) == node(node(node(H[0], H[1]), node(H[2], H[3])), H[4])
    # n = 7 (the RFC's example tree shape): k = 4, then 2 + 1 on the right.
    left = node(node(H[0], H[1]), node(H[2], H[3]))
    right = node(node(H[4], H[5]), H[6])
    assert merkle.mth(H[:7]) == node(left, right)


def test_hand_built_proofs_for_seven_leaves() -> None:
    # RFC 9162 §2.1.5 example tree: the path for d0 is [b, h, l] and for d6 [l', i] in its notation.
    a, b, c, d = H[0], H[1], H[2], H[3]
    g, h = node(a, b), node(c, d)
    i = node(H[4], H[5])
    j = H[6]
    k, ll = node(g, h), node(i, j)
    assert merkle.resolve_ranges(merkle.inclusion_ranges(0, 7), _lookup(7)) == [b, h, ll]
    assert merkle.resolve_ranges(merkle.inclusion_ranges(6, 7), _lookup(7)) == [i, k]
    # Consistency 3 -> 7 is [c, d, g, l]; 4 -> 7 is [l]; 6 -> 7 is [i, j, k].
    assert merkle.resolve_ranges(merkle.consistency_ranges(3, 7), _lookup(7)) == [c, d, g, ll]
    assert merkle.resolve_ranges(merkle.consistency_ranges(4, 7), _lookup(7)) == [ll]
    assert merkle.resolve_ranges(merkle.consistency_ranges(6, 7), _lookup(7)) == [i, j, k]


def _lookup(size: int):  # type: ignore[no-untyped-def]
    def lookup(nodes: list[merkle.Node]) -> dict[merkle.Node, bytes]:
        for level, index in nodes:
            assert (index + 1) << level <= size, "proof asked for a node outside the tree"
        return {
            (level, index): merkle.mth(H[index << level : (index + 1) << level]) for level, index in nodes
        }

    return lookup


def _ref_path(m: int, hashes: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) exactly as RFC 9162 §2.1.3.1 defines it."""
    n = len(hashes)
    if n == 1:
        return []
    k = merkle.split_point(n)
    if m < k:
        return _ref_path(m, hashes[:k]) + [merkle.mth(hashes[k:])]
    return _ref_path(m - k, hashes[k:]) + [merkle.mth(hashes[:k])]


def _ref_subproof(m: int, hashes: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) exactly as RFC 9162 §2.1.4.1 defines it."""
    n = len(hashes)
    if m == n:
        return [] if complete else [merkle.mth(hashes)]
    k = merkle.split_point(n)
    if m <= k:
        return _ref_subproof(m, hashes[:k], complete) + [merkle.mth(hashes[k:])]
    return _ref_subproof(m - k, hashes[k:], False) + [merkle.mth(hashes[:k])]


SIZES = range(1, 21)


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proofs_all_leaves(size: int) -> None:
    root = merkle.mth(H[:size])
    for index in range(size):
        proof = merkle.resolve_ranges(merkle.inclusion_ranges(index, size), _lookup(size))
        assert proof == _ref_path(index, H[:size])
        assert merkle.verify_inclusion(H[index], index, size, proof, root)
        assert not merkle.verify_inclusion(H[index], index, size, proof, H[20])  # wrong root
        assert not merkle.verify_inclusion(H[20], index, size, proof, root)  # wrong leaf
        assert not merkle.verify_inclusion(H[index], index, index, proof, root)  # leaf outside the tree
        if proof:
            assert not merkle.verify_inclusion(H[index], index, size, proof[:-1], root)  # truncated
            assert not merkle.verify_inclusion(H[index], index, size, [*proof, root], root)  # padded
            bent = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
            assert not merkle.verify_inclusion(H[index], index, size, bent, root)
        if size > 1:
            other = (index + 1) % size
            assert not merkle.verify_inclusion(H[index], other, size, proof, root)  # wrong position


@pytest.mark.parametrize("new_size", SIZES)
def test_consistency_proofs_all_pairs(new_size: int) -> None:
    new_root = merkle.mth(H[:new_size])
    for old_size in range(1, new_size + 1):
        old_root = merkle.mth(H[:old_size])
        proof = merkle.resolve_ranges(merkle.consistency_ranges(old_size, new_size), _lookup(new_size))
        if old_size < new_size:
            assert proof == _ref_subproof(old_size, H[:new_size], True)
        else:
            assert proof == []
        assert merkle.verify_consistency(old_size, new_size, proof, old_root, new_root)
        assert not merkle.verify_consistency(old_size, new_size, proof, H[20], new_root)
        assert not merkle.verify_consistency(old_size, new_size, proof, old_root, H[20])
        if proof:
            assert not merkle.verify_consistency(old_size, new_size, proof[:-1], old_root, new_root)
            bent = [*proof[:-1], bytes([proof[-1][0] ^ 1]) + proof[-1][1:]]
            assert not merkle.verify_consistency(old_size, new_size, bent, old_root, new_root)


def test_forked_history_fails_consistency() -> None:
    forked = [*H[:5], merkle.leaf_hash(b"changed"), *H[6:12]]
    proof = merkle.resolve_ranges(merkle.consistency_ranges(8, 12), _lookup(12))
    assert not merkle.verify_consistency(8, 12, proof, merkle.mth(forked[:8]), merkle.mth(H[:12]))


def test_consistency_edge_cases() -> None:
    assert merkle.verify_consistency(0, 5, [], merkle.EMPTY_ROOT, merkle.mth(H[:5]))
    assert not merkle.verify_consistency(5, 4, [], merkle.mth(H[:5]), merkle.mth(H[:4]))
    assert not merkle.verify_consistency(3, 5, [], merkle.mth(H[:3]), merkle.mth(H[:5]))
    with pytest.raises(ValueError):
        merkle.consistency_ranges(5, 4)
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(5, 5)


@pytest.mark.parametrize("size", range(0, 40))
def test_compact_range_matches_mth_and_reports_completed_nodes(size: int) -> None:
    compact = merkle.CompactRange()
    completed: dict[merkle.Node, bytes] = {}
    for leaf in [merkle.leaf_hash(bytes([i])) for i in range(size)]:
        completed.update(compact.append(leaf))
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(size)]
    assert compact.root() == merkle.mth(leaves)
    for (level, index), value in completed.items():
        assert value == merkle.mth(leaves[index << level : (index + 1) << level])
    # Exactly the interior perfect subtrees: one per complete pair, quad, ...
    assert len(completed) == sum(size >> level for level in range(1, 7))
    rebuilt = merkle.CompactRange(size, [h for _, h in compact.nodes])
    assert rebuilt.root() == compact.root()


@pytest.mark.parametrize(("start", "end"), [(0, 1), (0, 13), (8, 13), (12, 13), (16, 21), (4, 6)])
def test_perfect_cover_is_aligned_and_exact(start: int, end: int) -> None:
    cover = merkle.perfect_cover(start, end)
    position = start
    for level, index in cover:
        assert index << level == position
        position += 1 << level
    assert position == end
