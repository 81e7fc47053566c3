package excel

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestHTMLSavedAsXLSIsReadLikeASheet: a government system's "导出Excel" —
// a GBK web page named .xls, with a title spanning the table, a two-row
// header (rowspan and colspan), line breaks, &nbsp; and a nested table —
// reads as the sheet Excel shows.
func TestHTMLSavedAsXLSIsReadLikeASheet(t *testing.T) {
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><style>td{mso-number-format:"\@"}</style></head>
<body><table border="1">
<tr><td colspan="5"><b>青山县2026年11月住院费用清单</b></td></tr>
<tr><th rowspan="2">序号</th><th colspan="2">基本信息</th><th rowspan="2">个人自付金额</th><th rowspan="2">备注</th></tr>
<tr><th>姓名</th><th>身份证号</th></tr>
<tr><td>1</td><td>张&nbsp;三</td><td>530428199001011231</td><td>5,234.50</td><td>住院<br>两次</td></tr>
<tr><td>2</td><td>李四</td><td>53042819850505234X</td><td>600</td><td><table><tr><td>内嵌</td></tr></table></td></tr>
</table>
<table><tr><td>制表人：王</td></tr></table>
</body></html>`
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	must(t, err)
	path := filepath.Join(t.TempDir(), "住院费用_导出.xls")
	must(t, os.WriteFile(path, []byte(gbk), 0o644))
	wb, err := Open(path)
	if err != nil {
		t.Fatalf("an HTML .xls: %v", err)
	}
	defer wb.Close()
	if wb.Format != FormatHTML || wb.Enc != "GBK" || !reflect.DeepEqual(wb.Sheets, []string{"表1", "表2"}) {
		t.Fatalf("format %v enc %s sheets %v", wb.Format, wb.Enc, wb.Sheets)
	}
	rows, err := wb.Rows("表1")
	must(t, err)
	var got [][]string
	for rows.Next() {
		got = append(got, rows.Cells())
	}
	want := [][]string{
		{"青山县2026年11月住院费用清单", "", "", "", ""},
		{"序号", "基本信息", "", "个人自付金额", "备注"},
		{"", "姓名", "身份证号", "", ""},
		{"1", "张 三", "530428199001011231", "5,234.50", "住院\n两次"},
		{"2", "李四", "53042819850505234X", "600", "内嵌"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%q\nwant\n%q", got, want)
	}
	// and it imports: the header is found under the title
	if d := dump(t, path, ""); !strings.Contains(d, `name="张 三"`) || !strings.Contains(d, "amount=5234.50/true") {
		t.Errorf("dump:\n%s", d)
	}
}

func TestAPageWithoutATableIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.xls")
	must(t, os.WriteFile(path, []byte("<html><body>登录已过期，请重新登录</body></html>"), 0o644))
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "没有表格") {
		t.Errorf("a page without a table: %v", err)
	}
}

// TestExcel2003XMLIsRead: an Excel 2003 "XML 表格" named .xls, GB2312,
// with a merged title, a skipped column (ss:Index), numbers, a date and a
// boolean.
func TestExcel2003XMLIsRead(t *testing.T) {
	doc := `<?xml version="1.0" encoding="gb2312"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="救助名单"><Table>
<Row><Cell ss:MergeAcross="3"><Data ss:Type="String">青山县低保新增名单</Data></Cell></Row>
<Row><Cell><Data ss:Type="String">姓名</Data></Cell><Cell><Data ss:Type="String">身份证号</Data></Cell><Cell><Data ss:Type="String">救助日期</Data></Cell><Cell><Data ss:Type="String">在册</Data></Cell></Row>
<Row><Cell><Data ss:Type="String">张三</Data></Cell><Cell><Data ss:Type="String">530428199001011231</Data></Cell><Cell><Data ss:Type="DateTime">2026-11-05T00:00:00.000</Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell></Row>
<Row ss:Index="5"><Cell><Data ss:Type="String">李四</Data></Cell><Cell ss:Index="4"><Data ss:Type="Number">12.5</Data></Cell></Row>
</Table></Worksheet></Workbook>`
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(doc)
	must(t, err)
	path := filepath.Join(t.TempDir(), "低保_导出.xls")
	must(t, os.WriteFile(path, []byte(gbk), 0o644))
	wb, err := Open(path)
	if err != nil {
		t.Fatalf("Excel 2003 XML: %v", err)
	}
	defer wb.Close()
	if wb.Format != FormatXML || !reflect.DeepEqual(wb.Sheets, []string{"救助名单"}) {
		t.Fatalf("format %v sheets %v", wb.Format, wb.Sheets)
	}
	rows, err := wb.Rows("救助名单")
	must(t, err)
	var got [][]string
	for rows.Next() {
		got = append(got, rows.Cells())
	}
	want := [][]string{
		{"青山县低保新增名单", "", "", ""},
		{"姓名", "身份证号", "救助日期", "在册"},
		{"张三", "530428199001011231", "46331", "TRUE"},
		nil,
		{"李四", "", "", "12.5"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%q\nwant\n%q", got, want)
	}
}
