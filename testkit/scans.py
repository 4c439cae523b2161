"""Scans the digitizing tests make: Vietnamese administrative text rendered with Liberation
Serif (the metric twin of Times New Roman that Nghị định 30 asks for), then "scanned": paper
noise, a skew, an upside-down page, a red seal stamped over the last lines (a light outline
or a dense seal: thick rings, a star, curved text, nearly opaque ink), a blue signature
crossing a line, a greyscale office scan, JPEG compression.

Each page comes with its truth (the text lines as printed), so a test can compute the
character error rate (:func:`cer`) of what the OCR read."""

from __future__ import annotations

import io
import math
import random
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from rapidfuzz.distance import Levenshtein

__all__ = ["Page", "Doc", "cer", "text_page", "document_page", "documents", "to_bytes", "FONT_DIR"]

FONT_DIR = "/usr/share/fonts/truetype/liberation2"
A4_MM = (210, 297)

BODY = [
    "Thực hiện Kế hoạch số 125/KH-UBND ngày 12 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh",
    "về chuyển đổi số năm 2026, Sở Nội vụ đề nghị các cơ quan, đơn vị triển khai thực hiện",
    "một số nội dung sau đây nhằm nâng cao hiệu quả quản lý văn bản điện tử trên toàn tỉnh.",
    "Một là, rà soát, cập nhật danh mục hồ sơ của cơ quan, đơn vị theo đúng quy định hiện hành;",
    "bảo đảm mọi văn bản đến bằng giấy đều được số hóa và đăng ký vào hệ thống trong ngày.",
    "Hai là, phân công công chức làm văn thư kiểm tra độ chính xác của bản số hóa, đối chiếu",
    "số, ký hiệu, ngày tháng và trích yếu với bản giấy trước khi chuyển lãnh đạo xử lý.",
    "Ba là, tuyệt đối không gửi văn bản có nội dung bí mật nhà nước qua mạng; các văn bản này",
    "chỉ được đăng ký và chuyển giao bằng bản giấy theo quy định về bảo vệ bí mật nhà nước.",
    "Bốn là, báo cáo kết quả thực hiện về Sở Nội vụ trước ngày 30 tháng 6 năm 2026 để tổng hợp,",
    "báo cáo Ủy ban nhân dân tỉnh. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc,",
    "đề nghị phản ánh kịp thời về Sở Nội vụ (qua Phòng Văn thư - Lưu trữ) để được hướng dẫn.",
    "Sở Nội vụ đề nghị Thủ trưởng các cơ quan, đơn vị quan tâm, chỉ đạo thực hiện nghiêm túc.",
]


@cache
def font(size_px: int, bold: bool = False, italic: bool = False) -> ImageFont.FreeTypeFont:
    style = "Bold" if bold and not italic else "Italic" if italic and not bold else "BoldItalic" if bold else "Regular"
    return ImageFont.truetype(f"{FONT_DIR}/LiberationSerif-{style}.ttf", size_px)


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _pt(pt: float, dpi: int) -> int:
    return round(pt / 72 * dpi)


@dataclass
class Page:
    """A generated scan: the image, the truth lines, and where the seal went (if any)."""

    image: Image.Image
    truth: list[str]
    dpi: int
    kind: str = ""

    @property
    def truth_text(self) -> str:
        return "\n".join(self.truth)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth: str, read: str) -> float:
    """Character error rate: edit distance over the truth's length, whitespace collapsed."""
    t, r = _norm(truth), _norm(read)
    return Levenshtein.distance(t, r) / max(1, len(t))


def _blank(dpi: int) -> Image.Image:
    return Image.new("RGB", (_px(A4_MM[0], dpi), _px(A4_MM[1], dpi)), "white")


def text_page(
    dpi: int = 300, lines: list[str] | None = None, size_pt: float = 13
) -> tuple[Image.Image, list[str], list[int]]:
    """Body text, left-aligned, one printed line per truth line; the y of each line's middle."""
    lines = list(lines or BODY)
    image = _blank(dpi)
    draw = ImageDraw.Draw(image)
    f = font(_pt(size_pt, dpi))
    x, y = _px(30, dpi), _px(25, dpi)
    step = round(f.size * 1.5)
    middles = []
    for line in lines:
        draw.text((x, y), line, font=f, fill=(20, 20, 20))
        middles.append(y + f.size // 2)
        y += step
    return image, lines, middles


def signed_page(dpi: int, seal: str, signature: bool = True) -> Page:
    """Body text plus a signer block; a red seal (``"light"`` or ``"dense"``) over the last
    four lines and the signer's title, and a blue signature crossing a line."""
    lines = BODY[:9] + ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Nguyễn Văn An"]
    image, _, middles = text_page(dpi, list(lines))
    truth = [x for x in lines if x]
    width = image.width
    # the seal: centred on the fourth-last line of text, left of centre like a real one
    cy = middles[7]
    cx = _px(95, dpi)
    radius = _px(19, dpi)
    if seal:
        image = stamp_seal(image, (cx, cy), radius, dense=(seal == "dense"), dpi=dpi)
    if signature:
        image = sign(image, (cx + _px(22, dpi), middles[9]), dpi)
    del width
    return Page(image, truth, dpi, f"seal-{seal}" if seal else "signed")


def _ink(base: Image.Image, mask: Image.Image, colour: tuple[int, int, int], opacity: float) -> Image.Image:
    """Ink ``mask`` onto ``base`` by multiplying (ink absorbs light; black toner stays black)."""
    layer = Image.new("RGB", base.size, colour)
    inked = ImageChops.multiply(base, layer)
    alpha = mask.point(lambda v: round(v * opacity))
    return Image.composite(inked, base, alpha)


def stamp_seal(image: Image.Image, centre: tuple[int, int], radius: int, *, dense: bool, dpi: int) -> Image.Image:
    """A round red seal: outer and inner rings, curved agency name, a star in the middle."""
    rnd = random.Random(7)
    mask = Image.new("L", image.size, 0)
    d = ImageDraw.Draw(mask)
    cx, cy = centre
    ring = max(2, radius // (8 if dense else 40))
    d.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=255, width=ring)
    if dense:
        inner = round(radius * 0.62)
        d.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=255, width=max(2, round(ring * 0.6)))
        # the star
        pts = []
        for k in range(10):
            r = inner * (0.55 if k % 2 == 0 else 0.22)
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
        d.polygon(pts, fill=255)
        # curved text between the rings
        f = font(round(radius * 0.26), bold=True)
        text = "SỞ NỘI VỤ * TỈNH QUẢNG NINH * "
        mid = (radius + inner) / 2
        for k, ch in enumerate(text):
            a = -math.pi + k * 2 * math.pi / len(text)
            glyph = Image.new("L", (f.size * 2, f.size * 2), 0)
            ImageDraw.Draw(glyph).text((f.size, f.size), ch, font=f, fill=255, anchor="mm")
            glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
            gx, gy = cx + mid * math.cos(a) - glyph.width / 2, cy + mid * math.sin(a) - glyph.height / 2
            mask.paste(255, (round(gx), round(gy)), glyph)
    # uneven ink
    speckle = Image.effect_noise(image.size, 40).point(lambda v: 255 if v > 60 else 0)
    mask = ImageChops.multiply(
        mask, speckle.filter(ImageFilter.GaussianBlur(1)).point(lambda v: min(255, v + (170 if dense else 120)))
    )
    mask = mask.filter(ImageFilter.GaussianBlur(max(1, dpi // 200)))
    colour = (205 + rnd.randint(-10, 10), 25, 35)
    return _ink(image, mask, colour, 0.97 if dense else 0.85)


def sign(image: Image.Image, start: tuple[int, int], dpi: int) -> Image.Image:
    """A blue signature: a few loops and a long stroke crossing the line above the name."""
    mask = Image.new("L", image.size, 0)
    d = ImageDraw.Draw(mask)
    x0, y0 = start
    w = _px(45, dpi)
    pts = []
    for k in range(200):
        t = k / 199
        pts.append((x0 + t * w, y0 + math.sin(t * 14) * _px(5, dpi) * (1 - t) - t * _px(9, dpi)))
    d.line(pts, fill=255, width=max(2, dpi // 75), joint="curve")
    d.line(
        [(x0 - _px(5, dpi), y0 + _px(2, dpi)), (x0 + w + _px(10, dpi), y0 - _px(12, dpi))],
        fill=255,
        width=max(2, dpi // 100),
    )
    mask = mask.filter(ImageFilter.GaussianBlur(1))
    return _ink(image, mask, (40, 60, 190), 0.9)


def scan(
    image: Image.Image,
    *,
    dpi: int,
    skew: float = 0.0,
    upside_down: bool = False,
    noise: float = 12.0,
    grey: bool = False,
) -> Image.Image:
    """As a scanner gives it: a slight blur, paper noise, a skew, maybe upside down, maybe grey."""
    out = image.filter(ImageFilter.GaussianBlur(0.6 * dpi / 300))
    if noise:
        grain = Image.effect_noise(out.size, noise).point(lambda v: v - 128 + 240 if v > 0 else 240)
        out = ImageChops.multiply(out, Image.merge("RGB", [grain] * 3).point(lambda v: min(255, v + 15)))
    if skew:
        out = out.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(250, 250, 250))
    if upside_down:
        out = out.rotate(180)
    if grey:
        out = out.convert("L")
    return out


def to_bytes(image: Image.Image, fmt: str, dpi: int, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        image.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    else:
        image.save(buf, fmt, dpi=(dpi, dpi))
    return buf.getvalue()


# ---- whole documents laid out per Nghị định 30/2020 (for the fields) ----


@dataclass
class Doc:
    """An administrative document's header as printed, and the fields a clerk would register."""

    superior: str
    agency: str
    number: int
    notation: str
    place: str
    day: int
    month: int
    year: int
    doc_type: str  # the code of the reference data
    heading: str  # "QUYẾT ĐỊNH" ("" for a công văn)
    subject: list[str]  # as printed, one item per line
    body: list[str] = field(default_factory=lambda: BODY[:4])
    secrecy: str = ""
    agency_lines: list[str] = field(default_factory=list)

    @property
    def number_notation(self) -> str:
        return f"{self.number:02d}/{self.notation}"

    @property
    def subject_text(self) -> str:
        return " ".join(self.subject)


def documents_tiff(dpi: int = 300) -> bytes:
    """All of :func:`documents` scanned into one multi-page TIFF, JPEG-compressed, in
    greyscale but for the pages with a red stamp; a few pages slightly skewed."""
    pages = [
        scan(
            _top(document_page(doc, dpi), 0.45),
            dpi=dpi,
            skew=(1.0 if k % 3 == 1 else -0.7 if k % 3 == 2 else 0.0),
            grey=not doc.secrecy,
            noise=8,
        )
        for k, doc in enumerate(documents())
    ]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="jpeg", quality=85)
    return buf.getvalue()


def _top(image: Image.Image, share: float) -> Image.Image:
    """The top of a page (the header, the type and trích yếu, the first lines): OCR costs
    time in proportion to the area, and the fields are all there."""
    return image.crop((0, 0, image.width, round(image.height * share)))


def document_page(doc: Doc, dpi: int = 300) -> Image.Image:
    """The first page of ``doc`` as printed (NĐ 30 Phụ lục I layout, 13–14 pt)."""
    image = _blank(dpi)
    d = ImageDraw.Draw(image)
    left, right = _px(30, dpi), _px(A4_MM[0] - 15, dpi)
    col = _px(62, dpi)  # the left column's centre
    rcol = _px(144, dpi)
    f12, f13, f13b, f14b, f14i = (
        font(_pt(12.5, dpi)),
        font(_pt(13, dpi)),
        font(_pt(13, dpi), bold=True),
        font(_pt(14, dpi), bold=True),
        font(_pt(14, dpi), italic=True),
    )
    y = _px(20, dpi)

    def centred(text: str, cx: int, yy: int, f: ImageFont.FreeTypeFont) -> None:
        w = d.textlength(text, font=f)
        d.text((cx - w / 2, yy), text, font=f, fill=(15, 15, 15))

    agency_lines = doc.agency_lines or [x for x in (doc.superior, doc.agency) if x]
    if d.textlength(agency_lines[-1], font=f13b) > _px(64, dpi):  # too long for the column: two lines
        last = agency_lines[-1]
        cut = next((last.index(sep) for sep in (" VÀ ", " - ") if sep in last), last.rindex(" "))
        agency_lines = [*agency_lines[:-1], last[:cut], last[cut + 1 :]]
    ly = y
    bold_from = len(agency_lines) - (2 if len(agency_lines) > len([x for x in (doc.superior, doc.agency) if x]) else 1)
    for k, line in enumerate(agency_lines):
        centred(line, col, ly, f13b if k >= bold_from else f13)
        ly += round(f13.size * 1.25)
    d.line((col - _px(12, dpi), ly + 4, col + _px(12, dpi), ly + 4), fill=(15, 15, 15), width=2)
    ry = y
    centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rcol, ry, f13b)
    ry += round(f13.size * 1.25)
    centred("Độc lập - Tự do - Hạnh phúc", rcol, ry, f14b)
    ry += round(f14b.size * 1.25)
    d.line((rcol - _px(28, dpi), ry + 4, rcol + _px(28, dpi), ry + 4), fill=(15, 15, 15), width=2)
    y = max(ly, ry) + _px(6, dpi)
    centred(f"Số: {doc.number_notation}", col, y, f13)
    centred(f"{doc.place}, ngày {doc.day:02d} tháng {doc.month} năm {doc.year}", rcol, y, f14i)
    y += round(f13.size * 1.3)
    if doc.secrecy:  # the dấu chỉ độ mật: red capitals in a red frame, under the number
        y += _px(2, dpi)
        w = d.textlength(doc.secrecy, font=f14b)
        mask = Image.new("L", image.size, 0)
        m = ImageDraw.Draw(mask)
        m.text((col - w / 2, y), doc.secrecy, font=f14b, fill=255)
        pad = _px(2, dpi)
        m.rectangle(
            (col - w / 2 - pad, y - pad, col + w / 2 + pad, y + f14b.size + pad), outline=255, width=max(2, dpi // 100)
        )
        image = _ink(image, mask, (200, 30, 40), 0.9)
        d = ImageDraw.Draw(image)
        y += round(f13.size * 1.8)
    if not doc.heading:  # công văn: V/v under the number
        for line in doc.subject:
            centred(line, col, y, f12)
            y += round(f12.size * 1.2)
        y += _px(10, dpi)
        centred("Kính gửi: Các sở, ban, ngành thuộc tỉnh.", _px(105, dpi), y, f14i)
        y += _px(12, dpi)
    else:
        y += _px(10, dpi)
        centred(doc.heading, _px(105, dpi), y, f14b)
        y += round(f14b.size * 1.3)
        for line in doc.subject:
            centred(line, _px(105, dpi), y, f14b)
            y += round(f14b.size * 1.25)
        y += _px(10, dpi)
    for line in doc.body:
        d.text((left, y), line, font=f13, fill=(15, 15, 15))
        y += round(f13.size * 1.5)
    del right
    return image


def documents() -> list[Doc]:
    """At least twenty documents of different types, agencies and layouts."""
    return list(_DOCS)


_DOCS = [
    Doc(
        "UBND TỈNH QUẢNG NINH",
        "SỞ NỘI VỤ",
        13,
        "SNV-VP",
        "Quảng Ninh",
        5,
        3,
        2026,
        "cong-van",
        "",
        ["V/v số hóa văn bản đến", "bằng giấy năm 2026"],
    ),
    Doc(
        "",
        "ỦY BAN NHÂN DÂN",
        125,
        "KH-UBND",
        "Hạ Long",
        12,
        1,
        2026,
        "ke-hoach",
        "KẾ HOẠCH",
        ["Chuyển đổi số tỉnh Quảng Ninh năm 2026"],
        agency_lines=["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"],
    ),
    Doc(
        "UBND TỈNH BẮC NINH",
        "SỞ TÀI CHÍNH",
        7,
        "QĐ-STC",
        "Bắc Ninh",
        2,
        2,
        2026,
        "quyet-dinh",
        "QUYẾT ĐỊNH",
        ["Về việc ban hành Quy chế quản lý tài sản công", "tại Sở Tài chính"],
    ),
    Doc(
        "BỘ NỘI VỤ",
        "VĂN PHÒNG",
        45,
        "TB-VP",
        "Hà Nội",
        20,
        4,
        2026,
        "thong-bao",
        "THÔNG BÁO",
        ["Kết luận của Chánh Văn phòng tại cuộc họp giao ban"],
    ),
    Doc(
        "UBND HUYỆN ĐÔNG ANH",
        "PHÒNG NỘI VỤ",
        3,
        "BC-PNV",
        "Đông Anh",
        9,
        5,
        2026,
        "bao-cao",
        "BÁO CÁO",
        ["Kết quả công tác văn thư, lưu trữ quý I năm 2026"],
    ),
    Doc(
        "UBND TỈNH THANH HÓA",
        "SỞ Y TẾ",
        218,
        "SYT-NVY",
        "Thanh Hóa",
        15,
        6,
        2026,
        "cong-van",
        "",
        ["V/v tăng cường phòng, chống", "dịch bệnh mùa hè"],
    ),
    Doc(
        "",
        "HỘI ĐỒNG NHÂN DÂN",
        21,
        "NQ-HĐND",
        "Nghệ An",
        10,
        7,
        2026,
        "nghi-quyet",
        "NGHỊ QUYẾT",
        ["Về kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030"],
        agency_lines=["HỘI ĐỒNG NHÂN DÂN", "TỈNH NGHỆ AN"],
    ),
    Doc(
        "UBND TỈNH ĐỒNG NAI",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        9,
        "HD-SGDĐT",
        "Đồng Nai",
        1,
        8,
        2026,
        "huong-dan",
        "HƯỚNG DẪN",
        ["Thực hiện nhiệm vụ năm học 2026 - 2027"],
    ),
    Doc(
        "UBND THÀNH PHỐ HUẾ",
        "VĂN PHÒNG",
        56,
        "GM-VP",
        "Huế",
        3,
        9,
        2026,
        "giay-moi",
        "GIẤY MỜI",
        ["Dự hội nghị tổng kết công tác cải cách hành chính"],
    ),
    Doc(
        "UBND TỈNH LÀO CAI",
        "SỞ XÂY DỰNG",
        34,
        "TTr-SXD",
        "Lào Cai",
        22,
        9,
        2026,
        "to-trinh",
        "TỜ TRÌNH",
        ["Về việc phê duyệt đề án phát triển nhà ở xã hội"],
    ),
    Doc(
        "",
        "ỦY BAN NHÂN DÂN",
        1024,
        "UBND-KT",
        "Đà Nẵng",
        30,
        10,
        2026,
        "cong-van",
        "",
        ["V/v triển khai thực hiện", "Nghị định số 30/2020/NĐ-CP"],
        agency_lines=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"],
    ),
    Doc(
        "UBND TỈNH CÀ MAU",
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        88,
        "CTr-SNNMT",
        "Cà Mau",
        4,
        11,
        2026,
        "chuong-trinh",
        "CHƯƠNG TRÌNH",
        ["Công tác trọng tâm năm 2027"],
    ),
    Doc(
        "BỘ TÀI CHÍNH",
        "CỤC THUẾ",
        2,
        "CT-CT",
        "Hà Nội",
        6,
        1,
        2026,
        "chi-thi",
        "CHỈ THỊ",
        ["Về tăng cường kỷ luật, kỷ cương hành chính"],
    ),
    Doc(
        "UBND TỈNH AN GIANG",
        "BAN QUẢN LÝ DỰ ÁN",
        17,
        "PA-BQLDA",
        "Long Xuyên",
        14,
        2,
        2026,
        "phuong-an",
        "PHƯƠNG ÁN",
        ["Bảo đảm an toàn giao thông dịp Tết Nguyên đán"],
    ),
    Doc(
        "UBND HUYỆN GIA LÂM",
        "UBND XÃ BÁT TRÀNG",
        11,
        "BB-UBND",
        "Bát Tràng",
        18,
        3,
        2026,
        "bien-ban",
        "BIÊN BẢN",
        ["Họp bàn giao hồ sơ địa chính"],
    ),
    Doc(
        "",
        "ỦY BAN NHÂN DÂN",
        5,
        "2026/QĐ-UBND",
        "Hải Phòng",
        25,
        3,
        2026,
        "qppl-quyet-dinh",
        "QUYẾT ĐỊNH",
        ["Ban hành Quy định về quản lý văn bản điện tử", "trên địa bàn thành phố"],
        agency_lines=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG"],
    ),
    Doc(
        "SỞ NỘI VỤ",
        "CHI CỤC VĂN THƯ - LƯU TRỮ",
        62,
        "GGT-CCVTLT",
        "Cần Thơ",
        8,
        4,
        2026,
        "giay-gioi-thieu",
        "GIẤY GIỚI THIỆU",
        ["Liên hệ công tác về hồ sơ lưu trữ"],
    ),
    Doc(
        "UBND TỈNH KHÁNH HÒA",
        "SỞ CÔNG THƯƠNG",
        140,
        "SCT-QLTM",
        "Khánh Hòa",
        11,
        5,
        2026,
        "cong-van",
        "",
        ["V/v báo cáo tình hình", "thị trường tháng 5"],
    ),
    Doc(
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "VỤ GIÁO DỤC ĐẠI HỌC",
        19,
        "KH-GDĐH",
        "Hà Nội",
        27,
        5,
        2026,
        "ke-hoach",
        "KẾ HOẠCH",
        ["Kiểm tra công tác tuyển sinh năm 2026"],
    ),
    Doc(
        "UBND TỈNH GIA LAI",
        "SỞ TƯ PHÁP",
        8,
        "QyĐ-STP",
        "Gia Lai",
        2,
        6,
        2026,
        "quy-dinh",
        "QUY ĐỊNH",
        ["Về lề lối làm việc của Sở Tư pháp"],
    ),
    Doc(
        "UBND TỈNH SƠN LA",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        73,
        "ĐA-SVHTTDL",
        "Sơn La",
        16,
        6,
        2026,
        "de-an",
        "ĐỀ ÁN",
        ["Bảo tồn di sản văn hóa các dân tộc giai đoạn 2026 - 2030"],
    ),
    Doc(
        "UBND TỈNH HÀ TĨNH",
        "SỞ NỘI VỤ",
        4,
        "SNV-CCVC",
        "Hà Tĩnh",
        19,
        6,
        2026,
        "cong-van",
        "",
        ["V/v tuyển dụng công chức", "năm 2026"],
        secrecy="MẬT",
    ),
]


def expected_fields(doc: Doc) -> dict[str, object]:
    """What a clerk would register from ``doc`` (the fields :func:`extract_fields` should give)."""
    import datetime

    lines = doc.agency_lines or [x for x in (doc.superior, doc.agency) if x]
    agency = " ".join(lines) if doc.agency_lines else doc.agency
    return {
        "agency": agency,
        "number_notation": doc.number_notation,
        "number": doc.number,
        "notation": doc.notation,
        "place": doc.place,
        "date": datetime.date(doc.year, doc.month, doc.day),
        "doc_type": doc.doc_type,
        "subject": doc.subject_text,
    }


def field_misses(fields: object, doc: Doc) -> list[tuple[str, object, object]]:
    """The fields read wrong: (name, expected, read)."""
    out = []
    for name, want in expected_fields(doc).items():
        got = getattr(fields, name).value
        if got != want:
            out.append((name, want, got))
    return out
