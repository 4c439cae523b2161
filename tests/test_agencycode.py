import pytest

from vanban.agencycode import InvalidAgencyCode, check_agency_code, parse_agency_code


@pytest.mark.parametrize("code", ["000.00.00.H49", "000.00.12.H53", "000.01.12.H28", "001.01.12.G22"])
def test_valid_codes(code):
    assert check_agency_code(code) == []


def test_parent_is_lowest_nonzero_segment_zeroed():
    assert parse_agency_code("000.01.12.H28").parent == "000.00.12.H28"
    assert parse_agency_code("000.00.12.H28").parent == "000.00.00.H28"
    assert parse_agency_code("000.00.00.H28").parent is None


def test_three_segment_code_is_refused_saying_how_many_parts():
    [problem] = check_agency_code("01.02.G22")
    assert problem.code == "segments"
    assert "4 phần" in problem.message_vi and "3" in problem.message_vi


def test_bad_level_one_part_is_named():
    problems = check_agency_code("000.00.00.h49")
    assert [p.code for p in problems] == ["level1"]
    assert "cấp 1" in problems[0].message_vi and "h49" in problems[0].message_vi


def test_bad_level_two_part_is_named():
    problems = check_agency_code("000.00.1A.H49")
    assert [p.code for p in problems] == ["level2"]
    assert "cấp 2" in problems[0].message_vi


def test_skipped_level_is_refused():
    problems = check_agency_code("001.00.05.H41")
    assert [p.code for p in problems] == ["contiguity"]


def test_lgsp_local_code_is_refused():
    with pytest.raises(InvalidAgencyCode) as exc:
        parse_agency_code("H37.DN.002")
    assert "H37.DN.002" in str(exc.value)
    assert "4 dot-separated parts" in exc.value.message_en
