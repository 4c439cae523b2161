"""Where a certificate carries who it belongs to, as Vietnamese CAs lay it out.

Vietnamese CAs put the holder's identifier in the subject's ``UID`` attribute
(OID 0.9.2342.19200300.100.1.1) as ``PREFIX:VALUE`` (``MST:`` tax code for an
enterprise, ``CCCD:`` citizen id for a person). vanban uses the prefix ``MDD:``
(mã định danh) for an agency's identifier code (Quyết định 20/2020/QĐ-TTg), both in
agency (seal) certificates and in personal certificates, where it names the agency the
person works for. ``CN`` is the agency's or the person's name, ``O`` the agency name,
``L``/``ST`` the province, ``C`` is ``VN``. Those layout choices are ours (the
Ban Cơ yếu profile is not public): they live here only.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

__all__ = [
    "AGENCY_CODE_PREFIX",
    "PERSON_ID_PREFIX",
    "agency_subject",
    "person_subject",
    "agency_code_from_certificate",
    "uid_values",
    "certificate_kind",
    "subject_field",
]

AGENCY_CODE_PREFIX = "MDD:"
PERSON_ID_PREFIX = "CCCD:"


def agency_subject(code: str, name: str, province: str = "") -> x509.Name:
    """Subject of an agency (seal) certificate: CN = agency name, UID = MDD:code."""
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    ]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    attrs += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
        x509.NameAttribute(NameOID.USER_ID, AGENCY_CODE_PREFIX + code),
    ]
    return x509.Name(attrs)


def person_subject(
    full_name: str,
    agency_code: str,
    agency_name: str,
    position: str = "",
    person_id: str = "",
    province: str = "",
) -> x509.Name:
    """Subject of a personal certificate: CN = full name, O = agency, UID = MDD:agency code."""
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name))
    if position:
        attrs.append(x509.NameAttribute(NameOID.TITLE, position))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, full_name))
    attrs.append(x509.NameAttribute(NameOID.USER_ID, AGENCY_CODE_PREFIX + agency_code))
    if person_id:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, PERSON_ID_PREFIX + person_id))
    return x509.Name(attrs)


def uid_values(cert: x509.Certificate) -> list[str]:
    """All ``UID`` values of the certificate's subject, in order."""
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.USER_ID)]


def agency_code_from_certificate(cert: x509.Certificate) -> str | None:
    """The agency identifier code the certificate names (``MDD:`` UID), or None."""
    for value in uid_values(cert):
        if value.upper().startswith(AGENCY_CODE_PREFIX):
            return value[len(AGENCY_CODE_PREFIX) :].strip()
    return None


def certificate_kind(cert: x509.Certificate) -> str:
    """``"agency"`` (seal certificate: CN equals O, no title) or ``"person"``."""
    cn = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    org = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    title = cert.subject.get_attributes_for_oid(NameOID.TITLE)
    if cn and org and cn[0] == org[0] and not title:
        return "agency"
    return "person"


def subject_field(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    """First value of a subject attribute, or ``""``."""
    attrs = cert.subject.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else ""
