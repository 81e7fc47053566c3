package excel

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bidui/engine"
)

var update = flag.Bool("update", false, "rewrite the fixtures and golden files in testdata")

// listFields are the columns of a 医保 list, as the importer asks for them.
var listFields = []engine.Field{
	engine.FieldID, engine.FieldName,
	{Key: "amount", Label: "个人自付金额", Required: true, Synonyms: []string{"自付金额", "个人自付"}},
	engine.FieldTownship,
}

const (
	goodID  = "530428199001011231" // valid (check digit 1)
	goodID2 = "53042819850505234X" // valid (check digit X)
	id15    = "530428850505234"    // 15-digit form of goodID2's sequence
)

// writeFixtures (re)creates the spreadsheet fixtures. The .xls fixture is
// made by make_xls.py, since nothing in Go writes BIFF8.
func writeFixtures(t *testing.T) {
	t.Helper()
	// title row merged over the columns, a note row, the header, data with a
	// numeric ID as Excel stores it, a blank row, a 合计 row and a footer
	f := excelize.NewFile()
	s := "Sheet1"
	f.SetSheetName(s, "住院自付")
	s = "住院自付"
	f.SetCellStr(s, "A1", "青山县医疗保障局2026年11月住院个人自付清单")
	f.MergeCell(s, "A1", "E1")
	f.SetCellStr(s, "A2", "填报单位：青山县医疗保障局")
	for i, h := range []string{"序号", "姓 名", "公民身份号码", "个人自付金额（元）", "所属乡镇"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 3)
		f.SetCellStr(s, c, h)
	}
	rows := [][]string{
		{"1", "张三", goodID, "5,234.50元", "城关镇"},
		{"2", "李四", "", "800", "龙泉镇"}, // ID set as a number below
		{"3", "王 五", "'" + strings.ToLower("53042819900101123x"), "1.2万", "石桥乡"},
		{},
		{"合计", "", "", "22034.50", ""},
		{"制表人：赵六"},
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+4)
			f.SetCellStr(s, cell, v)
		}
	}
	// how Excel stores an 18-digit number: 15 significant digits, E notation
	f.SetCellDefault(s, "C5", "5.30428198505052E+17")
	f.SetCellInt(s, "A4", 1) // numbers in the 序号 column stay numbers
	if err := f.SaveAs(filepath.Join("testdata", "title_merged.xlsx")); err != nil {
		t.Fatal(err)
	}
	f.Close()

	// a two-row header: 序号 and 姓名 merged down over both rows, the other
	// columns as sub-headers under a group label
	f = excelize.NewFile()
	s = "Sheet1"
	f.SetCellStr(s, "A1", "序号")
	f.MergeCell(s, "A1", "A2")
	f.SetCellStr(s, "B1", "姓名")
	f.MergeCell(s, "B1", "B2")
	f.SetCellStr(s, "C1", "费用明细")
	f.MergeCell(s, "C1", "D1")
	f.SetCellStr(s, "C2", "身份证号")
	f.SetCellStr(s, "D2", "自付金额")
	f.SetCellStr(s, "A3", "1")
	f.SetCellStr(s, "B3", "张三")
	f.SetCellStr(s, "C3", goodID)
	f.SetCellStr(s, "D3", "6000")
	f.NewSheet("说明")
	f.SetCellStr("说明", "A1", "本表由医保局报送")
	if err := f.SaveAs(filepath.Join("testdata", "two_row_header.xlsx")); err != nil {
		t.Fatal(err)
	}
	f.Close()

	csvText := "青山县医保局门诊自付清单\r\n序号,姓名,身份证号,自付金额\r\n1,张三," + goodID + ",\"1,200.00\"\r\n2,李四," + id15 + ",600\r\n3,赵七,5.30428E+17,700\r\n,,,\r\n合计,,,2500\r\n"
	must(t, os.WriteFile(filepath.Join("testdata", "utf8.csv"), []byte(csvText), 0o644))
	must(t, os.WriteFile(filepath.Join("testdata", "utf8_bom.csv"), append([]byte{0xEF, 0xBB, 0xBF}, csvText...), 0o644))
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csvText))
	must(t, err)
	must(t, os.WriteFile(filepath.Join("testdata", "gbk.csv"), gbk, 0o644))
	must(t, os.WriteFile(filepath.Join("testdata", "tabs.csv"), []byte(strings.ReplaceAll(strings.ReplaceAll(csvText, ",\"1,200.00\"", "\t1200"), ",", "\t")), 0o644))

	// broken files
	must(t, os.WriteFile(filepath.Join("testdata", "empty.csv"), nil, 0o644))
	must(t, os.WriteFile(filepath.Join("testdata", "corrupt.xlsx"), []byte("PK\x03\x04 this is not really a zip archive at all"), 0o644))
	must(t, os.WriteFile(filepath.Join("testdata", "web_export.xls"), []byte("<html><body><table><tr><td>姓名</td></tr></table></body></html>"), 0o644))
	enc := append(append([]byte{}, magicOLE...), make([]byte, 504)...)
	enc = append(enc, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)
	must(t, os.WriteFile(filepath.Join("testdata", "password.xlsx"), enc, 0o644))

	// a sheet with no recognisable header
	f = excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "会议纪要")
	f.SetCellStr("Sheet1", "A2", "今天开会")
	must(t, f.SaveAs(filepath.Join("testdata", "no_header.xlsx")))
	f.Close()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// dump reads a fixture the way the importer does and renders what it saw.
func dump(t *testing.T, path, sheet string) string {
	t.Helper()
	wb, err := Open(path)
	if err != nil {
		return "open error: " + err.Error() + "\n"
	}
	defer wb.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s %s\nsheets: %s\n", wb.Format, wb.Enc, strings.Join(wb.Sheets, ","))
	rows, err := wb.Rows(sheet)
	if err != nil {
		return b.String() + "rows error: " + err.Error() + "\n"
	}
	defer rows.Close()
	h, st, err := engine.ReadTable(rows, filepath.Base(path), sheet, listFields, nil, func(h *engine.Header, r engine.TableRow) error {
		id := engine.ParseID(h.Col(r.Cells, "id"))
		amt, ok := engine.ParseAmount(h.Col(r.Cells, "amount"))
		fmt.Fprintf(&b, "row %d: name=%q id=%q status=%s amount=%s/%v\n", r.Line, h.Col(r.Cells, "name"), id.Norm, id.Status, amt, ok)
		return nil
	})
	if err != nil {
		fmt.Fprintf(&b, "read error: %v\n", err)
	}
	cols := []string{}
	for _, f := range listFields {
		if i, ok := h.Columns[f.Key]; ok {
			cols = append(cols, fmt.Sprintf("%s=%s(%q)", f.Key, ColumnName(i), h.Names[i]))
		}
	}
	fmt.Fprintf(&b, "header rows %d-%d: %s\n", h.FirstRow+1, h.LastRow+1, strings.Join(cols, " "))
	fmt.Fprintf(&b, "stats: data=%d blank=%d total=%d note=%d header=%d\n", st.Data, st.Blank, st.Total, st.Note, st.HeaderRepeats)
	return b.String()
}

func TestReadFixturesGolden(t *testing.T) {
	if *update {
		writeFixtures(t)
	}
	cases := []struct{ file, sheet string }{
		{"title_merged.xlsx", ""},
		{"two_row_header.xlsx", ""},
		{"utf8.csv", ""},
		{"utf8_bom.csv", ""},
		{"gbk.csv", ""},
		{"tabs.csv", ""},
		{"legacy.xls", ""},
		{"empty.csv", ""},
		{"corrupt.xlsx", ""},
		{"password.xlsx", ""},
		{"no_header.xlsx", ""},
		{"missing.xlsx", ""},
		{"two_row_header.xlsx", "没有这个表"},
	}
	for _, c := range cases {
		t.Run(c.file+c.sheet, func(t *testing.T) {
			got := dump(t, filepath.Join("testdata", c.file), c.sheet)
			golden := filepath.Join("testdata", strings.ReplaceAll(c.file+c.sheet, ".", "_")+".golden")
			if *update {
				must(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden file (run go test -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("read of %s changed.\n--- got\n%s--- want\n%s", c.file, got, want)
			}
		})
	}
}

// The golden files pin the whole dump; these assertions name the behaviour
// each fixture exists for, so a wrong golden file cannot hide it.
func TestReadBehaviour(t *testing.T) {
	read := func(file string) string { return dump(t, filepath.Join("testdata", file), "") }

	got := read("title_merged.xlsx")
	for _, want := range []string{
		"header rows 3-3", // found under the title and the note
		`name="张三" id="` + goodID + `" status=有效 amount=5234.50/true`,
		"status=身份证号已被Excel损坏",                     // the numeric ID is caught
		`id="53042819900101123X" status=身份证号校验位错误`, // apostrophe and lower-case x folded
		"amount=12000.00/true",                     // 1.2万
		"stats: data=3 blank=1 total=1 note=1",
		`name="王 五"`, // the name is given raw; cleaning is the importer's
	} {
		if !strings.Contains(got, want) {
			t.Errorf("title_merged.xlsx: want %q in\n%s", want, got)
		}
	}
	got = read("two_row_header.xlsx")
	if !strings.Contains(got, "header rows 1-2") || !strings.Contains(got, `name=B("姓名")`) || !strings.Contains(got, `amount=D("自付金额")`) || !strings.Contains(got, "row 3:") {
		t.Errorf("two-row header not combined:\n%s", got)
	}
	for _, f := range []string{"utf8.csv", "utf8_bom.csv", "gbk.csv", "tabs.csv"} {
		got := read(f)
		if !strings.Contains(got, `name="张三"`) || !strings.Contains(got, "status=15位已升级") ||
			!strings.Contains(got, "status=身份证号已被Excel损坏") || !strings.Contains(got, "stats: data=3 blank=1 total=1") {
			t.Errorf("%s read wrongly:\n%s", f, got)
		}
	}
	if got := read("gbk.csv"); !strings.Contains(got, "GBK") {
		t.Errorf("gbk.csv encoding not detected:\n%s", got)
	}
	if got := read("utf8_bom.csv"); !strings.Contains(got, "UTF-8 BOM") {
		t.Errorf("BOM not detected:\n%s", got)
	}
	got = read("legacy.xls")
	if !strings.Contains(got, "format: xls") || !strings.Contains(got, `name="张三"`) || !strings.Contains(got, "header rows 2-2") {
		t.Errorf("legacy.xls not read:\n%s", got)
	}
}

func TestOpenErrorsAreClearChinese(t *testing.T) {
	cases := map[string]string{
		"empty.csv":     "文件是空的",
		"corrupt.xlsx":  "另存为 .xlsx",
		"password.xlsx": "密码",
		"missing.xlsx":  "找不到该文件",
	}
	for file, want := range cases {
		_, err := Open(filepath.Join("testdata", file))
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: got %v, want an *Error naming the file and saying %q", file, err, want)
		}
	}
	// no header: the error is a HeaderError that names the sheet
	wb, err := Open(filepath.Join("testdata", "no_header.xlsx"))
	must(t, err)
	defer wb.Close()
	rows, err := wb.Rows("")
	must(t, err)
	defer rows.Close()
	_, _, err = engine.ReadTable(rows, "no_header.xlsx", "Sheet1", listFields, nil, func(*engine.Header, engine.TableRow) error { return nil })
	var he *engine.HeaderError
	if !errors.As(err, &he) || !errors.Is(err, engine.ErrNoHeader) || !strings.Contains(err.Error(), "没有找到可识别的表头") {
		t.Errorf("no header: got %v", err)
	}
}

func TestWriteXLSXKeepsIDsAsTextAndIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xlsx")
	err := WriteXLSX(path, Sheet{Name: "退回清单", Rows: [][]any{{"姓名", "身份证号", "金额"}, {"张三", goodID, 12.5}},
		Lists: map[int][]string{2: {"纳入监测", "不纳入"}}, HeaderRows: 1})
	must(t, err)
	f, err := excelize.OpenFile(path)
	must(t, err)
	defer f.Close()
	typ, err := f.GetCellType("退回清单", "B2")
	must(t, err)
	if typ == excelize.CellTypeNumber {
		t.Errorf("ID cell written as a number")
	}
	v, _ := f.GetCellValue("退回清单", "B2")
	if v != goodID {
		t.Errorf("ID cell = %q", v)
	}
	dvs, err := f.GetDataValidations("退回清单")
	must(t, err)
	if len(dvs) != 1 {
		t.Errorf("want one drop-down, got %d", len(dvs))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// a folder that does not exist: a clear message, nothing written
	err = WriteXLSX(filepath.Join(dir, "no", "such", "out.xlsx"), Sheet{Name: "x", Rows: [][]any{{"a"}}})
	if err == nil || !strings.Contains(err.Error(), "保存位置不存在") {
		t.Errorf("missing folder: %v", err)
	}
}

func TestWriteToReadOnlyFolderLeavesNothing(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere; use a path under a file instead, which fails for everyone
		dir := t.TempDir()
		blocker := filepath.Join(dir, "file")
		must(t, os.WriteFile(blocker, []byte("x"), 0o644))
		err := WriteCSV(filepath.Join(blocker, "out.csv"), [][]string{{"a"}}, CSVUTF8BOM)
		if err == nil {
			t.Fatal("write under a file succeeded")
		}
		return
	}
	dir := t.TempDir()
	must(t, os.Chmod(dir, 0o555))
	defer os.Chmod(dir, 0o755)
	err := WriteCSV(filepath.Join(dir, "out.csv"), [][]string{{"a"}}, CSVUTF8BOM)
	if err == nil || !strings.Contains(err.Error(), "只读") {
		t.Errorf("read-only folder: %v", err)
	}
}
