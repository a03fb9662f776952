#!/usr/bin/env python3
"""Writes Tests/AppTests/Fixtures/import.xlsx: a minimal workbook (deflated, shared strings, an Excel
date serial and a numeric СНИЛС) for the import tests. Run once; the file is committed."""
import os, zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
header = ["Фамилия родителя", "Имя родителя", "Отчество родителя", "Эл. почта родителя", "Телефон родителя",
          "Фамилия ребёнка", "Имя ребёнка", "Отчество ребёнка", "Дата рождения", "Пол", "СНИЛС",
          "Серия свидетельства о рождении", "Номер свидетельства о рождении"]
rows = [
    header,
    ["Зуева", "Ирина", "Олеговна", "zueva@example.ru", "+7 913 000-00-01", "Зуев", "Лев", "Андреевич", 41791, "м", 11223344595, "II-ЛО", "100001"],
    ["Зуева", "Ирина", "Олеговна", "zueva@example.ru", "", "Зуева", "Ева", "Андреевна", "2013-07-15", "ж", "abc", "II-ЛО", "100002"],
]
strings = []
def s(v):
    if v not in strings: strings.append(v)
    return strings.index(v)
def col(i): return chr(ord("A") + i)
def esc(t): return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
for r, row in enumerate(rows, 1):
    sheet.append(f'<row r="{r}">')
    for c, v in enumerate(row):
        ref = f"{col(c)}{r}"
        if isinstance(v, int):
            sheet.append(f'<c r="{ref}"><v>{v}</v></c>')
        elif v == "":
            continue
        else:
            sheet.append(f'<c r="{ref}" t="s"><v>{s(v)}</v></c>')
    sheet.append('</row>')
sheet.append('</sheetData></worksheet>')
shared = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
shared += [f'<si><t>{esc(t)}</t></si>' for t in strings] + ['</sst>']
out = os.path.join(root, "Tests", "AppTests", "Fixtures", "import.xlsx")
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("xl/sharedStrings.xml", "".join(shared))
    z.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
print("wrote", out, os.path.getsize(out), "bytes")
