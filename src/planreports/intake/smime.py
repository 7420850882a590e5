"""A digitally signed mail sent whole inside its signature (S/MIME "opaque" signing: smime.p7m).

Agencies sign their mail with their digital certificate (chữ ký số). Outlook and Thunderbird usually sign in
clear (multipart/signed: the parts stay readable beside the signature), but with "send clear text signed
message" unchecked, or on some government mail systems, the whole message, workbook included, travels inside
one application/pkcs7-mime attachment, smime.p7m: a CMS SignedData structure (RFC 5652) whose encapsulated
content is the MIME entity. Other mail programs show only smime.p7m, and the workbook would be lost.

The content is taken out by walking the CMS structure (BER: DER, or the indefinite lengths and pieces that
streaming signers write) only as far as the encapsulated content, each byte looked at a bounded number of
times: asn1crypto re-parsed a streamed structure at every level and joined its pieces in time that grows with
the square of their number (a hostile smime.p7m of 1-byte pieces took minutes). The signature is not verified:
the office receives the file, it does not judge the certificate, and a file is checked on its own merits
either way. An encrypted message (EnvelopedData) cannot be read without the recipient's private key: it is
said so, by name.
"""

from __future__ import annotations

from enum import StrEnum

P7M_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime"}
P7M_SUFFIXES = {".p7m"}


class Wrapped(StrEnum):
    """What a smime.p7m holds."""

    SIGNED = "signed"          # a readable message inside a signature
    ENCRYPTED = "encrypted"    # only the recipient's private key opens it
    UNKNOWN = "unknown"        # not CMS, damaged, or a kind of CMS that carries no message


# BER tags on the way to the content: a CMS ContentInfo is a SEQUENCE starting with an OID
_SEQUENCE, _OID, _EXPLICIT_0, _OCTETS, _CONSTRUCTED_OCTETS = 0x30, 0x06, 0xA0, 0x04, 0x24
MAX_DEPTH = 12
MAX_PIECES = 1_000_000      # streaming signers write pieces of 1 KB and more: this is 1 GB of them
_PKCS7 = bytes.fromhex("2a864886f70d0107")                 # 1.2.840.113549.1.7
SIGNED_DATA = _PKCS7 + b"\x02"
ENCRYPTED = {_PKCS7 + b"\x03", _PKCS7 + b"\x06", bytes.fromhex("2a864886f70d0109100117")}   # enveloped, …


class _Bad(ValueError):
    """Not the BER a CMS structure is written in."""


def _header(data: bytes, at: int, end: int) -> tuple[int, int, int | None]:
    """(tag, where the value starts, its length or None when indefinite) of the element at `at`."""
    if at + 2 > end or data[at] & 0x1F == 0x1F:      # (multi-byte tags do not occur on the way to the content)
        raise _Bad
    first, start = data[at + 1], at + 2
    if first < 0x80:
        length: int | None = first
    elif first == 0x80:
        length = None
    else:
        count = first & 0x7F
        if count > 4 or start + count > end:
            raise _Bad
        length, start = int.from_bytes(data[start:start + count], "big"), start + count
    if length is not None and start + length > end:
        raise _Bad
    return data[at], start, length


def _skip(data: bytes, at: int, end: int, depth: int = 0) -> int:
    """Where the element after the one at `at` starts (an indefinite length is walked to its end-of-contents)."""
    _, start, length = _header(data, at, end)
    if length is not None:
        return start + length
    if depth > MAX_DEPTH:
        raise _Bad
    at = start
    while data[at:at + 2] != b"\x00\x00":
        at = _skip(data, at, end, depth + 1)
    return at + 2


def _enter(data: bytes, at: int, end: int, tag: int) -> tuple[int, int]:
    """The value of the element at `at`, which must have `tag`: (start, end; an indefinite one ends where its
    container does, the walk stops at its end-of-contents)."""
    found, start, length = _header(data, at, end)
    if found != tag:
        raise _Bad
    return start, start + length if length is not None else end


def _octets(data: bytes, at: int, end: int, depth: int, out: list[bytes]) -> int:
    """The bytes of the OCTET STRING at `at` into `out` (one piece, or the pieces of a constructed one, in
    order, each looked at once); returns where the next element starts."""
    tag, start, length = _header(data, at, end)
    if tag == _OCTETS and length is not None:
        if len(out) >= MAX_PIECES:
            raise _Bad
        out.append(data[start:start + length])
        return start + length
    if tag != _CONSTRUCTED_OCTETS or depth > MAX_DEPTH:
        raise _Bad
    stop = start + length if length is not None else end
    at = start
    while at < stop and data[at:at + 2] != b"\x00\x00":
        at = _octets(data, at, stop, depth + 1, out)
    return at if length is not None else at + 2


def _walk(data: bytes) -> tuple[Wrapped, bytes]:
    # ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT … }: entered, never measured whole, so
    # a streamed structure is walked once
    start, end = _enter(data, 0, len(data), _SEQUENCE)
    oid_start, oid_end = _enter(data, start, end, _OID)
    kind = data[oid_start:oid_end]
    if kind in ENCRYPTED:
        return Wrapped.ENCRYPTED, b""
    if kind != SIGNED_DATA:
        return Wrapped.UNKNOWN, b""
    start, end = _enter(data, *_enter(data, oid_end, end, _EXPLICIT_0), _SEQUENCE)
    # SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE { OID, [0] content } … }
    at = _skip(data, _skip(data, start, end), end)
    start, end = _enter(data, at, end, _SEQUENCE)
    at = _skip(data, start, end)
    if at >= end or data[at:at + 2] == b"\x00\x00" or data[at] != _EXPLICIT_0:
        return Wrapped.UNKNOWN, b""      # a detached signature: the message is beside it, not in it
    start, end = _enter(data, at, end, _EXPLICIT_0)
    pieces: list[bytes] = []
    _octets(data, start, end, 0, pieces)
    joined = b"".join(pieces)
    return (Wrapped.SIGNED, joined) if joined else (Wrapped.UNKNOWN, b"")


def unwrap(data: bytes) -> tuple[Wrapped, bytes]:
    """What the bytes of a smime.p7m hold, and for a signed message the MIME entity inside it."""
    if not data or data[0] != _SEQUENCE:
        return Wrapped.UNKNOWN, b""
    try:
        return _walk(data)
    except (_Bad, IndexError, ValueError):
        return Wrapped.UNKNOWN, b""
