from esar.core.text import normalize_code, normalize_text


def test_odd_spacing_and_invisible_characters_are_cleaned():
    assert normalize_text("  เทศบาล\u00a0 ตำบล\u200bดอยคำ \t") == "เทศบาล ตำบลดอยคำ"


def test_split_sara_am_is_joined():
    # "ดอยคำ" typed with NIKHAHIT + SARA AA looks the same but would not match.
    assert normalize_text("ดอยค\u0e4d\u0e32") == "ดอยคำ"


def test_codes_from_excel_and_thai_digits():
    assert normalize_code(" 5010401.0 ") == "5010401"
    assert normalize_code("๕๐๑๐๔๐๑") == "5010401"
    assert normalize_code("50 10401") == "50 10401"  # kept, so validation can refuse it


def test_control_characters_are_dropped():
    # A NUL pasted into a search box or an Excel cell would make PostgreSQL refuse the query.
    assert normalize_text("ดอย\x00คำ\x1f\x7f") == "ดอยคำ"
    assert normalize_text("บ้าน\nป่าสัก") == "บ้าน ป่าสัก"
