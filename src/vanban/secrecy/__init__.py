"""Secrecy marks (độ mật) on documents that arrive electronically.

A document marked Mật, Tối mật or Tuyệt mật never travels on the electronic channel;
when one arrives anyway it is refused and reported. edXML has no secrecy field, so the
signs we look for are data (``marks.json``): extension elements under ``OtherInfo``, the
stamp word standing alone in the subject, and the stamp alone on a line of the first PDF
page. Pure library: no Django."""

from vanban.secrecy.detect import Finding, in_envelope, in_pdf, in_text, levels

__all__ = ["Finding", "in_envelope", "in_pdf", "in_text", "levels"]
