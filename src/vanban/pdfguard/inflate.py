"""How large a PDF stream becomes once its filters are undone, found without ever holding
more than a small chunk of it: a final Flate stage is inflated chunk by chunk with
:class:`zlib.decompressobj` and a ``max_length``; earlier stages (rare: ``/ASCII85Decode``
before ``/FlateDecode``) are undone by qpdf only when their worst-case expansion stays
within the cap; an image codec (JPEG, JPEG 2000, JBIG2, CCITT) is measured by the bitmap
its dictionary declares, which is what a renderer allocates."""

from __future__ import annotations

import zlib

import pikepdf

__all__ = ["inflated_size"]

_CHUNK = 256 * 1024
_IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/DCT", "/CCF"}
_FLATE = {"/FlateDecode", "/Fl"}
# the most a filter can multiply its input by (Flate: 1032:1 is deflate's ceiling)
_EXPANSION = {
    "/FlateDecode": 1032,
    "/Fl": 1032,
    "/LZWDecode": 1400,
    "/LZW": 1400,
    "/RunLengthDecode": 64,
    "/RL": 64,
    "/ASCII85Decode": 4,
    "/A85": 4,
    "/ASCIIHexDecode": 1,
    "/AHx": 1,
}


def _names(value: object) -> list[str]:
    if isinstance(value, pikepdf.Name):
        return [str(value)]
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value if isinstance(v, pikepdf.Name)]
    return []


def _parms(value: object, count: int) -> list[object]:
    if isinstance(value, pikepdf.Array):
        items: list[object] = list(value)
    elif isinstance(value, pikepdf.Dictionary):
        items = [value]
    else:
        items = []
    return (items + [None] * count)[:count]


def _inflate_counting(data: bytes, cap: int) -> int:
    """Bytes that ``data`` (a zlib stream) inflates to, stopping past ``cap``."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for start in range(0, len(data), _CHUNK):
            pending = data[start : start + _CHUNK]
            while pending:
                out = inflater.decompress(pending, _CHUNK)
                size += len(out)
                if size > cap:
                    return size
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    return size
        return size + len(inflater.flush(_CHUNK))
    except zlib.error:
        return size  # a damaged stream: readers stop where it breaks, so does the count


def _image_bitmap(stream: pikepdf.Stream, raw: int) -> int:
    try:
        width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
        bits = int(stream.get("/BitsPerComponent", 8))
    except (TypeError, ValueError):
        return raw
    space = stream.get("/ColorSpace")
    components = {"/DeviceGray": 1, "/CalGray": 1, "/DeviceCMYK": 4}.get(str(space), 3) if space is not None else 3
    return max(raw, width * height * components * max(bits, 1) // 8)


def _one_stage(pdf: pikepdf.Pdf, data: bytes, name: str, parms: object) -> bytes:
    extra = {"DecodeParms": parms} if isinstance(parms, pikepdf.Dictionary) else {}
    return pikepdf.Stream(pdf, data, Filter=pikepdf.Name(name), **extra).read_bytes()


def inflated_size(pdf: pikepdf.Pdf, stream: pikepdf.Stream, cap: int) -> int:
    """Bytes ``stream`` decodes to, or some number over ``cap`` as soon as it is known to
    exceed it (nothing larger than a chunk, or than ``cap`` between two rare stages, is held)."""
    data = stream.read_raw_bytes()
    filters = _names(stream.get("/Filter"))
    parms = _parms(stream.get("/DecodeParms"), len(filters))
    for position, name in enumerate(filters):
        last = position == len(filters) - 1
        if name in _FLATE and last:
            return _inflate_counting(data, cap)
        if name in _IMAGE_CODECS:
            return _image_bitmap(stream, len(data))
        if name not in _EXPANSION:  # /Crypt or unknown: readers cannot undo it either
            return len(data)
        if name in _FLATE and parms[position] is None:
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, cap + 1)
            except zlib.error:
                return len(data)
            if len(data) > cap:
                return len(data)
            continue
        if len(data) * _EXPANSION[name] > cap:
            return len(data) * _EXPANSION[name]  # cannot be shown to stay within the cap
        try:
            data = _one_stage(pdf, data, name, parms[position])
        except pikepdf.PdfError:
            return len(data)
    return len(data)
