"""The package manifest (root ``METS.xml``): every other entry with its SHA-256 and size,
signed with the agency seal (XML-DSig, enveloped).

METS as E-ARK CSIP writes it (spec §1.4): ``OBJID="uuid-…"``, ``<file ID="ID-…"
CHECKSUMTYPE="SHA-256" CHECKSUM SIZE MIMETYPE>`` with one ``FLocat`` per file, a structMap
with one ``div`` per dossier. The signature is the profile :mod:`vanban.edxml.dsig` checks
(one ``Reference URI=""``, enveloped + exclusive C14N, SHA-256, the certificate chain in
``X509Data``), made here from a :class:`vanban.signing.Signer` so the seal key may sit on a
PKCS#11 token or behind a remote service: only ``SignedInfo`` is handed to the signer.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

from vanban.archivepkg.model import AgencyInfo
from vanban.signing import Signer
from vanban.signing.signers import key_algorithm

__all__ = [
    "ManifestEntry",
    "build_manifest",
    "sign_manifest",
    "read_manifest",
    "ManifestContent",
    "METS_NS",
    "XLINK_NS",
]

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SIG_METHODS = {
    "rsa": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "ecdsa": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
}
PROFILE = "vanban:nop-luu:1"


@dataclass(frozen=True)
class ManifestEntry:
    """One file of the package as the manifest lists it."""

    path: str
    size: int
    sha256: str
    use: str  # fileGrp: "data", "metadata", "mucluc", "checksums"
    media_type: str
    dossier: str = ""  # the dossier's folder segment, "" for root files


def _m(name: str) -> str:
    return f"{{{METS_NS}}}{name}"


def build_manifest(agency: AgencyInfo, entries: list[ManifestEntry], created: str) -> etree._Element:
    """The unsigned METS tree; ``created`` is an ISO 8601 time."""
    root = etree.Element(_m("mets"), nsmap={None: METS_NS, "xlink": XLINK_NS})
    root.set("OBJID", f"uuid-{str(uuid.uuid4()).upper()}")
    root.set("TYPE", "SIP")
    root.set("PROFILE", PROFILE)
    hdr = etree.SubElement(root, _m("metsHdr"), CREATEDATE=created)
    agent = etree.SubElement(hdr, _m("agent"), ROLE="CREATOR", TYPE="ORGANIZATION")
    etree.SubElement(agent, _m("name")).text = agency.name
    etree.SubElement(agent, _m("note")).text = agency.code
    file_sec = etree.SubElement(root, _m("fileSec"))
    groups: dict[str, etree._Element] = {}
    ids: dict[str, str] = {}
    for e in entries:
        grp = groups.get(e.use)
        if grp is None:
            grp = groups[e.use] = etree.SubElement(file_sec, _m("fileGrp"), USE=e.use)
        fid = f"ID-{str(uuid.uuid4()).upper()}"
        ids[e.path] = fid
        f = etree.SubElement(
            grp, _m("file"), ID=fid, MIMETYPE=e.media_type, SIZE=str(e.size), CHECKSUMTYPE="SHA-256", CHECKSUM=e.sha256
        )
        loc = etree.SubElement(f, _m("FLocat"), LOCTYPE="URL")
        loc.set(f"{{{XLINK_NS}}}type", "simple")
        loc.set(f"{{{XLINK_NS}}}href", e.path)
    smap = etree.SubElement(root, _m("structMap"), TYPE="PHYSICAL", LABEL="Gói nộp lưu")
    top = etree.SubElement(smap, _m("div"), LABEL=agency.name)
    divs: dict[str, etree._Element] = {}
    for e in entries:
        parent = top
        if e.dossier:
            found = divs.get(e.dossier)
            if found is None:
                found = divs[e.dossier] = etree.SubElement(top, _m("div"), TYPE="hoso", LABEL=e.dossier)
            parent = found
        etree.SubElement(parent, _m("fptr"), FILEID=ids[e.path])
    return root


def _ds(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{DSIG_NS}}}{name}", attrs)


def _c14n(el: etree._Element) -> bytes:
    out: bytes = etree.tostring(el, method="c14n", exclusive=True, with_comments=False)
    return out


def sign_manifest(root: etree._Element, signer: Signer) -> bytes:
    """Append an enveloped XML-DSig to ``root`` signed by ``signer``; the document's bytes."""
    digest = base64.b64encode(hashlib.sha256(_c14n(root)).digest()).decode("ascii")
    kind = key_algorithm(signer.certificate)
    sig = etree.SubElement(root, f"{{{DSIG_NS}}}Signature", nsmap={"ds": DSIG_NS})
    si = _ds(sig, "SignedInfo")
    _ds(si, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _ds(si, "SignatureMethod", Algorithm=SIG_METHODS[kind])
    ref = _ds(si, "Reference", URI="")
    transforms = _ds(ref, "Transforms")
    _ds(transforms, "Transform", Algorithm=ENVELOPED)
    _ds(transforms, "Transform", Algorithm=EXC_C14N)
    _ds(ref, "DigestMethod", Algorithm=SHA256)
    _ds(ref, "DigestValue").text = digest
    value = signer.sign_raw(_c14n(si), "sha256")
    if kind == "ecdsa":  # XML-DSig wants r || s, each the curve's size
        r, s = decode_dss_signature(value)
        half = (signer.certificate.public_key().key_size + 7) // 8  # type: ignore[union-attr]
        value = r.to_bytes(half, "big") + s.to_bytes(half, "big")
    _ds(sig, "SignatureValue").text = base64.b64encode(value).decode("ascii")
    x509_data = _ds(_ds(sig, "KeyInfo"), "X509Data")
    for cert in [signer.certificate, *signer.chain]:
        der = cert.public_bytes(serialization.Encoding.DER)
        _ds(x509_data, "X509Certificate").text = base64.b64encode(der).decode("ascii")
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return out


@dataclass
class ManifestContent:
    """What a parsed manifest declares: the agency and path → entry."""

    agency_code: str
    agency_name: str
    entries: dict[str, ManifestEntry]
    duplicates: list[str]


def read_manifest(root: etree._Element) -> ManifestContent:
    """Read a (safely parsed) METS tree; files without a usable FLocat are skipped, paths
    listed twice are returned in ``duplicates``."""
    agent = root.find(f"{_m('metsHdr')}/{_m('agent')}")
    code = (agent.findtext(_m("note")) or "").strip() if agent is not None else ""
    name = (agent.findtext(_m("name")) or "").strip() if agent is not None else ""
    entries: dict[str, ManifestEntry] = {}
    duplicates: list[str] = []
    for grp in root.iterfind(f"{_m('fileSec')}/{_m('fileGrp')}"):
        use = grp.get("USE", "")
        for f in grp.iterfind(_m("file")):
            loc = f.find(_m("FLocat"))
            path = loc.get(f"{{{XLINK_NS}}}href", "") if loc is not None else ""
            try:
                size = int(f.get("SIZE", "-1"))
            except ValueError:
                size = -1
            if not path:
                continue
            if path in entries:
                duplicates.append(path)
            entries[path] = ManifestEntry(path, size, (f.get("CHECKSUM") or "").lower(), use, f.get("MIMETYPE", ""), "")
    return ManifestContent(code, name, entries, duplicates)
