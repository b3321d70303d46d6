"""Files of standards made in the tests: .xlsx workbooks and CSV, with the template's headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl

HEADER = [
    "มาตรฐานที่",
    "ชื่อมาตรฐาน",
    "ชื่อมาตรฐาน (อังกฤษ)",
    "หัวข้อ",
    "หัวข้อ (อังกฤษ)",
    "ประเด็นที่",
    "ประเด็นพิจารณา",
    "ประเด็นพิจารณา (อังกฤษ)",
]

# A small new basic set: two standards, one with a group of two items.
ROWS = [
    [
        "1",
        "คุณภาพของผู้เรียน",
        "Quality of learners",
        "1.1 ผลสัมฤทธิ์",
        "1.1 Achievement",
        "1.1.1",
        "อ่านออกเขียนได้",
        "Reads and writes",
    ],
    ["1", "", "", "1.1 ผลสัมฤทธิ์", "1.1 Achievement", "1.1.2", "คิดคำนวณได้", "Calculates"],
    ["2", "การบริหารจัดการ", "Management", "", "", "2.1", "มีแผนพัฒนาคุณภาพ", "A quality plan"],
]


def xlsx(rows: Sequence[Sequence[object]], header: Sequence[object] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "มาตรฐาน"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], header: Sequence[object] = HEADER, encoding: str = "utf-8"
) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([header, *rows])
    return text.getvalue().encode(encoding)
