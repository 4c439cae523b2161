"""Look at what was given before any work: its kind, its size, whether it is safe to open.

Images (PNG, JPEG, TIFF, multi-page TIFF) are checked from their headers (declared pixels,
frame count) before any pixel is decoded, then wrapped losslessly in a PDF with img2pdf. PDFs
are opened with pikepdf: encryption, page count, declared image sizes and how far each
compressed stream inflates (decoded in bounded chunks) are checked, after the one\npre-flight check of every PDF (:func:`vanban.pdfguard.check_pdf`). Nothing is written."""

from __future__ import annotations

import io
import warnings
import zlib
from dataclasses import dataclass

import img2pdf
import pikepdf
from PIL import Image

from vanban.digitize.errors import DigitizeError
from vanban.digitize.model import DigitizeOptions
from vanban.pdfguard import PdfEncrypted, PdfRefused, PdfTooLargeInflated, check_pdf

__all__ = ["Intake", "examine", "media_type_of", "pdf_text_pages"]

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_DEFAULT_DPI = 300  # a scan that does not say its resolution


@dataclass(frozen=True)
class Intake:
    """A checked input: the PDF to work on (the input itself or the image wrapped), its media
    type, page count, and which pages already have a text layer."""

    pdf: bytes
    media_type: str
    page_count: int
    pages_with_text: tuple[bool, ...]

    @property
    def has_text(self) -> bool:
        return bool(self.pages_with_text) and all(self.pages_with_text)


def media_type_of(data: bytes) -> str | None:
    """The media type from the first bytes (PDF may start after a little garbage)."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None


def _bomb(what: str) -> DigitizeError:
    return DigitizeError(
        "decompression_bomb",
        f"Tệp bị từ chối vì {what} quá lớn so với một bản quét (có thể là tệp độc hại).",
        f"Refused: {what} is too large for a scan (possibly a decompression bomb).",
    )


def _too_many(count: int, limit: int) -> DigitizeError:
    return DigitizeError(
        "too_many_pages",
        f"Tệp có {count} trang, vượt giới hạn {limit} trang cho một lần số hóa; hãy tách tệp.",
        f"The file has {count} pages, over the limit of {limit}.",
    )


def _not_supported() -> DigitizeError:
    return DigitizeError(
        "not_image_or_pdf",
        "Tệp không phải ảnh quét (PNG, JPEG, TIFF) hay PDF nên không số hóa được.",
        "The file is not a scanned image (PNG, JPEG, TIFF) nor a PDF.",
    )


def examine(data: bytes, options: DigitizeOptions) -> Intake:
    """Check ``data`` and give the PDF to work on; :class:`DigitizeError` when refused."""
    if not data:
        raise DigitizeError("empty_file", "Tệp rỗng (0 byte), không có gì để số hóa.", "The file is empty.")
    media_type = media_type_of(data)
    if media_type is None:
        raise _not_supported()
    if media_type == "application/pdf":
        count, with_text = _examine_pdf(data, options)
        return Intake(data, media_type, count, with_text)
    count = _examine_image(data, options)
    return Intake(_image_to_pdf(data), media_type, count, (False,) * count)


def _examine_image(data: bytes, options: DigitizeOptions) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as im:
                frames = getattr(im, "n_frames", 1)
                if frames > options.max_pages:
                    raise _too_many(frames, options.max_pages)
                for index in range(frames):
                    im.seek(index)
                    width, height = im.size
                    if width * height > options.max_pixels:
                        raise _bomb(f"ảnh trang {index + 1} ({width}×{height} điểm ảnh)")
                    if width < 16 or height < 16:
                        raise _not_supported()
                return int(frames)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb("ảnh") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise DigitizeError(
                "not_image_or_pdf",
                "Không đọc được ảnh quét: tệp hỏng hoặc không đúng định dạng.",
                f"The image cannot be read: {exc}",
            ) from exc


def _image_to_pdf(data: bytes) -> bytes:
    """The image losslessly in a PDF (JPEG kept as is); a resolution is assumed if absent."""
    with Image.open(io.BytesIO(data)) as im:
        dpi = im.info.get("dpi")
        needs_rgb = im.mode in ("RGBA", "LA", "P", "PA", "I;16", "I", "F") or "transparency" in im.info
    fixed = None if dpi and min(dpi) >= 50 else img2pdf.get_fixed_dpi_layout_fun((_DEFAULT_DPI, _DEFAULT_DPI))
    try:
        if needs_rgb:
            raise img2pdf.AlphaChannelError("convert")
        return bytes(img2pdf.convert(data, layout_fun=fixed) if fixed else img2pdf.convert(data))
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError):
        frames = []
        with Image.open(io.BytesIO(data)) as im:
            for index in range(getattr(im, "n_frames", 1)):
                im.seek(index)
                frame = im.convert("RGBA")
                flat = Image.new("RGB", frame.size, "white")
                flat.paste(frame, mask=frame.getchannel("A"))
                buf = io.BytesIO()
                flat.save(buf, "PNG", dpi=tuple(dpi) if dpi and min(dpi) >= 50 else (_DEFAULT_DPI, _DEFAULT_DPI))
                frames.append(buf.getvalue())
        return bytes(img2pdf.convert(frames))


def _examine_pdf(data: bytes, options: DigitizeOptions) -> tuple[int, tuple[bool, ...]]:
    _guard(data)  # before pikepdf opens it: the guard also turns qpdf's odd failures into refusals
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise _encrypted() from exc
    except pikepdf.PdfError as exc:
        raise DigitizeError(
            "not_image_or_pdf",
            "Không đọc được tệp PDF: tệp hỏng hoặc không đúng định dạng.",
            f"The PDF cannot be read: {exc}",
        ) from exc
    with pdf:
        if pdf.is_encrypted:
            raise _encrypted()
        count = len(pdf.pages)
        if count > options.max_pages:
            raise _too_many(count, options.max_pages)
        if count == 0:
            raise DigitizeError("not_image_or_pdf", "Tệp PDF không có trang nào.", "The PDF has no pages.")
        _check_streams(pdf, options)
    return count, _pages_with_text(data)


def _guard(data: bytes) -> None:
    """The one pre-flight check of every PDF (:func:`vanban.pdfguard.check_pdf`), its
    refusal told as a digitizing error (an inflate bomb as ``decompression_bomb``)."""
    try:
        check_pdf(data)
    except PdfEncrypted as exc:
        raise _encrypted() from exc
    except PdfTooLargeInflated as exc:
        raise DigitizeError("decompression_bomb", exc.message_vi, exc.message_en) from exc
    except PdfRefused as exc:
        raise DigitizeError(exc.code, exc.message_vi, exc.message_en) from exc


def _encrypted() -> DigitizeError:
    return DigitizeError(
        "encrypted_pdf",
        "Tệp PDF được mã hóa (đặt mật khẩu) nên không số hóa được; hãy gỡ mật khẩu rồi gửi lại.",
        "The PDF is encrypted.",
    )


def _check_streams(pdf: pikepdf.Pdf, options: DigitizeOptions) -> None:
    """Declared image sizes within ``max_pixels``; Flate streams inflate within the budget."""
    budget = options.max_inflated_bytes
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        if obj.get("/Subtype") == pikepdf.Name.Image:
            width, height = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
            if width * height > options.max_pixels:
                raise _bomb(f"ảnh trong tệp PDF ({width}×{height} điểm ảnh)")
        filters = obj.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
        if "/FlateDecode" not in names:
            continue
        budget -= _inflated_size(obj.read_raw_bytes(), budget)
        if budget < 0:
            raise _bomb("dữ liệu nén trong tệp PDF khi giải nén")


def _inflated_size(raw: bytes, limit: int) -> int:
    """How many bytes ``raw`` inflates to, stopping past ``limit`` (bounded memory)."""
    inflater = zlib.decompressobj()
    total = 0
    chunk = raw
    try:
        while chunk and total <= limit:
            out = inflater.decompress(chunk, 1 << 20)
            total += len(out)
            chunk = inflater.unconsumed_tail
    except zlib.error:
        return total  # a damaged stream: the renderer will cope or fail later
    return total


def _pages_with_text(data: bytes) -> tuple[bool, ...]:
    return tuple(len("".join(text.split())) >= 10 for text in pdf_text_pages(data))


def pdf_text_pages(pdf: bytes) -> list[str]:
    """The text layer of each page of ``pdf``; :class:`DigitizeError` (``unreadable_pdf``)
    when pdfium cannot open the file or one of its pages."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise _unreadable(None, exc) from exc
    try:
        out = []
        for index in range(len(doc)):
            try:
                page = doc[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError as exc:
                raise _unreadable(index + 1, exc) from exc
            out.append(textpage.get_text_range().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


def _unreadable(page: int | None, exc: Exception) -> DigitizeError:
    where = f"trang {page} của tệp PDF" if page else "tệp PDF"
    return DigitizeError(
        "unreadable_pdf",
        f"Không đọc được {where} (tệp hỏng hoặc không đúng định dạng) nên không số hóa được.",
        f"pdfium cannot read the PDF{f' page {page}' if page else ''}: {exc}",
    )
