"""Agencies, their units and people, and the reference data every agency shares.

Administrative tiers are rows of :class:`Level`, never an enum: since 2025 many
provinces have only province and commune, and a province may add its own.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from vanban.agencycode import check_agency_code
from vanban.textsearch import fold


def validate_agency_code(value: str) -> None:
    problems = check_agency_code(value)
    if problems:
        raise ValidationError([p.message_vi for p in problems], code=problems[0].code)


class Level(models.Model):
    """An administrative tier (trung ương, tỉnh, huyện, xã, ...)."""

    code = models.SlugField("mã", max_length=32, unique=True)
    name = models.CharField("tên cấp", max_length=100)
    rank = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = "cấp hành chính"
        verbose_name_plural = "cấp hành chính"

    def __str__(self) -> str:
        return self.name


class Hub(models.Model):
    """An interconnection hub (trục liên thông) that serves some agencies."""

    code = models.SlugField("mã trục", max_length=32, unique=True)
    name = models.CharField("tên trục", max_length=200)
    base_url = models.URLField("địa chỉ", blank=True)
    is_local = models.BooleanField("trục của hệ thống này", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "trục liên thông"
        verbose_name_plural = "trục liên thông"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A state body (cơ quan) addressed by its identifier code (mã định danh)."""

    code = models.CharField("mã định danh", max_length=32, unique=True, validators=[validate_agency_code])
    name = models.CharField("tên cơ quan", max_length=255)
    short_name = models.CharField(
        "tên viết tắt",
        max_length=30,
        blank=True,
        help_text="Dùng trong ký hiệu văn bản, ví dụ UBND, SNV.",
    )
    level = models.ForeignKey(Level, models.PROTECT, verbose_name="cấp", related_name="agencies")
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="cơ quan cấp trên",
    )
    active = models.BooleanField("đang hoạt động", default=True)
    hub = models.ForeignKey(
        Hub,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="trục liên thông",
        related_name="agencies",
    )
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="cơ quan kế thừa",
    )
    closed_on = models.DateField("ngày giải thể/sáp nhập", null=True, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    address = models.CharField("địa chỉ", max_length=500, blank=True)
    place = models.CharField(
        "địa danh", max_length=50, blank=True, help_text="Địa danh ghi trên văn bản, ví dụ Quảng Ninh, Hạ Long."
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join([self.code, self.name, self.short_name]))

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        super().save(*args, **kwargs)


class Unit(models.Model):
    """A unit (đơn vị, phòng ban) inside an agency, with its notation suffix."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="units", verbose_name="cơ quan")
    name = models.CharField("tên đơn vị", max_length=255)
    suffix = models.CharField(
        "ký hiệu",
        max_length=20,
        blank=True,
        help_text="Phần ký hiệu của đơn vị soạn thảo, ví dụ VP1, TCCB.",
    )
    active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "suffix"],
                condition=~models.Q(suffix=""),
                name="unit_suffix_unique_in_agency",
            ),
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class Role(models.Model):
    """A role a person holds (văn thư, chuyên viên, lãnh đạo, quản trị...)."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên vai trò", max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A user bound to an agency (and usually a unit) with a position and roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="person", verbose_name="tài khoản"
    )
    full_name = models.CharField("họ và tên", max_length=150)
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="people", verbose_name="cơ quan")
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="people", verbose_name="đơn vị")
    position = models.CharField("chức vụ", max_length=150, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="people", verbose_name="vai trò")
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    certificate_pem = models.TextField("chứng thư số (PEM)", blank=True)

    class Meta:
        ordering = ["agency", "full_name"]
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name

    def has_role(self, code: str) -> bool:
        """Whether the person holds the role; the codes are read once per instance
        (a guard asks several times a step), and :func:`set_roles` forgets them."""
        codes = self.__dict__.get("_role_codes")
        if codes is None:
            codes = self.__dict__["_role_codes"] = frozenset(r.code for r in self.roles.all())
        return code in codes


class DocumentType(models.Model):
    """A document type (loại văn bản) with its abbreviation and exchange rules."""

    GROUP_ADMINISTRATIVE = "hanh-chinh"
    GROUP_NORMATIVE = "qppl"
    GROUP_CHOICES = [
        (GROUP_ADMINISTRATIVE, "Văn bản hành chính"),
        (GROUP_NORMATIVE, "Văn bản quy phạm pháp luật"),
    ]

    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("tên loại", max_length=150)
    abbreviation = models.CharField("viết tắt", max_length=10, blank=True)
    group = models.CharField("nhóm", max_length=20, choices=GROUP_CHOICES)
    edxml_type = models.PositiveSmallIntegerField("edXML Type")
    edxml_type_detail = models.PositiveSmallIntegerField("edXML TypeDetail", null=True, blank=True)
    type_detail_confirmed = models.BooleanField("mã TypeDetail đã xác nhận", default=False)
    electronic_allowed = models.BooleanField("được gửi điện tử", default=True)
    paper_copy_required = models.BooleanField("phải gửi kèm bản giấy", default=False)
    in_exchange_catalogue = models.BooleanField("thuộc danh mục gửi nhận điện tử", default=False)
    year_in_number = models.BooleanField("số có năm (VBQPPL)", default=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = "loại văn bản"
        verbose_name_plural = "loại văn bản"

    def __str__(self) -> str:
        return self.name


class SecrecyLevel(models.Model):
    """Độ mật: Mật, Tối mật, Tuyệt mật. A document with any of them never goes electronically."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên", max_length=50)
    rank = models.PositiveSmallIntegerField("mức", default=1)
    electronic_allowed = models.BooleanField("được gửi điện tử", default=False)

    class Meta:
        ordering = ["rank"]
        verbose_name = "độ mật"
        verbose_name_plural = "độ mật"

    def __str__(self) -> str:
        return self.name


class UrgencyLevel(models.Model):
    """Mức độ khẩn: Khẩn, Thượng khẩn, Hỏa tốc (and the edXML Priority value)."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên", max_length=50)
    rank = models.PositiveSmallIntegerField("mức", default=1)
    edxml_priority = models.PositiveSmallIntegerField("edXML Priority", default=0)

    class Meta:
        ordering = ["rank"]
        verbose_name = "độ khẩn"
        verbose_name_plural = "độ khẩn"

    def __str__(self) -> str:
        return self.name
