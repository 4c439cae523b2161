"""Hypothesis strategies for envelopes and status messages."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from vanban.edxml import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    DocumentCode,
    DocumentType,
    Envelope,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
)

# Text as readers return it: XML-legal characters, no surrounding white space.
_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from(
    "ăâđêôơưÁÀẢÃẠĐ &<>\"'"
)
text = st.text(_chars, max_size=40).map(str.strip)
opt_text = st.none() | text
organ_id = st.from_regex(r"\A\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}\Z")
dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
stamps = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 12, 31)).map(lambda d: d.replace(microsecond=0))
small = st.integers(0, 4)

organizations = st.builds(Organization, organ_id, opt_text, opt_text, opt_text, opt_text, opt_text, opt_text, opt_text)
staff = st.none() | st.builds(StaffInfo, opt_text, opt_text, opt_text, opt_text)
response_for = st.builds(ResponseFor, st.none() | organ_id, opt_text, st.none() | dates, opt_text)
business = st.builds(
    Business,
    business_doc_type=st.integers(0, 3),
    document_id=opt_text,
    business_doc_reason=opt_text,
    paper=st.none() | st.integers(0, 1),
    staff_info=staff,
    document_info=st.none()
    | st.builds(
        BusinessDocumentInfo,
        st.none() | st.integers(0, 1),
        st.none() | st.integers(0, 1),
        st.lists(st.builds(Receiver, st.none() | organ_id, st.none() | st.integers(0, 1)), max_size=3),
    ),
    replacements=st.lists(st.builds(ReplacementInfo, opt_text, st.lists(organ_id, max_size=3)), max_size=2),
)
content_ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9.@-]{0,30}\Z")
attachments = st.lists(
    st.builds(
        Attachment,
        content_ids,
        text.filter(bool),
        st.sampled_from(["application/pdf", "application/zip", "text/plain"]),
        st.binary(max_size=300),
        opt_text,
    ),
    max_size=3,
    unique_by=lambda a: a.content_id,
)

envelopes = st.builds(
    Envelope,
    sender=organizations,
    recipients=st.lists(organizations, max_size=3),
    code=st.none() | st.builds(DocumentCode, text, text),
    promulgation_info=st.none() | st.builds(PromulgationInfo, opt_text, st.none() | dates),
    document_type=st.none()
    | st.builds(DocumentType, st.none() | st.integers(0, 30), st.none() | st.integers(0, 30), opt_text),
    subject=opt_text,
    content=opt_text,
    signer_info=st.none() | st.builds(SignerInfo, opt_text, opt_text, opt_text),
    due_date=st.none() | dates,
    to_places=st.none() | st.lists(text, max_size=3),
    other_info=st.none()
    | st.builds(
        OtherInfo,
        st.none() | small,
        opt_text,
        opt_text,
        st.none() | st.integers(0, 65535),
        st.none() | st.integers(0, 65535),
        st.none() | st.booleans(),
        st.lists(text, max_size=2),
    ),
    response_for=st.lists(response_for, max_size=2),
    steering_type=st.none() | st.integers(0, 2),
    document_id=opt_text,
    trace_headers=st.lists(st.builds(TraceHeader, st.none() | organ_id, st.none() | stamps), max_size=3),
    business=st.none() | business,
    attachments=attachments,
)

statuses = st.builds(
    StatusMessage,
    sender=organizations,
    response_for=response_for,
    status_code=st.sampled_from(list(StatusCode)),
    timestamp=st.none() | stamps,
    staff_info=staff,
    description=opt_text,
)
