# Writes legacy.xls, the .xls fixture (BIFF8), with python3-xlwt:
#   python3 make_xls.py
# A title row merged across, a header, a text ID, an ID Excel stored as a
# number, an amount with a thousands separator, and a 合计 row.
import xlwt

wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("住院")
ws.write_merge(0, 0, 0, 3, "青山县医保局2026年11月住院自付清单")
for c, h in enumerate(["序号", "姓名", "身份证号码", "个人自付金额（元）"]):
    ws.write(1, c, h)
ws.write(2, 0, 1); ws.write(2, 1, "张三"); ws.write(2, 2, "530428199001011231"); ws.write(2, 3, "5,234.50")
ws.write(3, 0, 2); ws.write(3, 1, "李四"); ws.write(3, 2, 530428198505052000.0); ws.write(3, 3, 800)  # the ID as Excel keeps it: 15 digits
ws.write(4, 0, "合计"); ws.write(4, 3, 6034.5)
wb.save("legacy.xls")
