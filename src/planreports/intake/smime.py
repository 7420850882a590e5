"""A digitally signed mail sent whole inside its signature (S/MIME "opaque" signing: smime.p7m).

Agencies sign their mail with their digital certificate (chữ ký số). Outlook and Thunderbird usually sign in
clear (multipart/signed: the parts stay readable beside the signature), but with "send clear text signed
message" unchecked, or on some government mail systems, the whole message, workbook included, travels inside
one application/pkcs7-mime attachment, smime.p7m: a CMS SignedData structure (RFC 5652) whose encapsulated
content is the MIME entity. Other mail programs show only smime.p7m, and the workbook would be lost.

The content is taken out with asn1crypto (DER or the BER that streaming signers write); the signature is not
verified: the office receives the file, it does not judge the certificate, and a file is checked on its own
merits either way. An encrypted message (EnvelopedData) cannot be read without the recipient's private key:
it is said so, by name.
"""

from __future__ import annotations

from enum import StrEnum

P7M_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime"}
P7M_SUFFIXES = {".p7m"}
# the first bytes of a CMS ContentInfo: a SEQUENCE (definite or indefinite length) starting with an OID
_SEQUENCE = 0x30


class Wrapped(StrEnum):
    """What a smime.p7m holds."""

    SIGNED = "signed"          # a readable message inside a signature
    ENCRYPTED = "encrypted"    # only the recipient's private key opens it
    UNKNOWN = "unknown"        # not CMS, damaged, or a kind of CMS that carries no message


def unwrap(data: bytes) -> tuple[Wrapped, bytes]:
    """What the bytes of a smime.p7m hold, and for a signed message the MIME entity inside it."""
    if not data or data[0] != _SEQUENCE:
        return Wrapped.UNKNOWN, b""
    from asn1crypto import cms  # here, not at the top: the file-reading workers rarely need it (42 ms)

    try:
        info = cms.ContentInfo.load(data)
        kind = info["content_type"].native
        if kind in ("enveloped_data", "authenticated_enveloped_data", "encrypted_data"):
            return Wrapped.ENCRYPTED, b""
        if kind != "signed_data":
            return Wrapped.UNKNOWN, b""
        content = info["content"]["encap_content_info"]["content"].native
    except Exception:  # a damaged structure raises ValueError, TypeError, KeyError, … from the parser
        return Wrapped.UNKNOWN, b""
    if not isinstance(content, bytes) or not content:
        return Wrapped.UNKNOWN, b""      # a detached signature: the message is beside it, not in it
    return Wrapped.SIGNED, content
