import pytest


@pytest.fixture
def office(personas):
    """Sở Nội vụ and Sở KH&CN with their registers (no signing keys: nothing here signs)."""
    from vanban.registry.setup import ensure_registers

    for agency in (personas.so_noi_vu, personas.so_khcn):
        ensure_registers(agency)
    return personas


@pytest.fixture
def paper(office, sample_pdf):
    """File paper incoming documents at Sở Nội vụ and index them as the worker does."""
    from vanban.registry.services import incoming

    def make(subject, *, sender="Sở Tài chính", number="", notation="", type_code="", issued_on=None, process=True):
        from vanban.directory.models import DocumentType

        doc = incoming.upload_paper(
            office.lan.user,
            sender_name=sender,
            subject=subject,
            data=sample_pdf,
            name="scan.pdf",
            code_number=number,
            code_notation=notation,
            document_type=DocumentType.objects.get(code=type_code) if type_code else None,
            issued_on=issued_on,
        )
        if process:
            from vanban.search import process_queue

            process_queue()
        return doc

    return make
