package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bidui/engine"
	"bidui/engine/demo"
	"bidui/engine/excel"
)

// demoCounty makes a demo database and its sample files.
func demoCounty(t *testing.T, households int) (*App, *demo.County, string) {
	t.Helper()
	a := openTest(t)
	dir := t.TempDir()
	_, c, err := a.MakeDemo(context.Background(), dir, households, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	return a, c, dir
}

// TestEverySampleFileImportsWithTrueCounts imports every department file
// the demo writes and checks the counts against the generator's truth, row
// by row: valid rows are exactly the rows made valid, and every invalid row
// has a reason.
func TestEverySampleFileImportsWithTrueCounts(t *testing.T) {
	a, c, dir := demoCounty(t, 400)
	for _, f := range c.DeptFiles {
		t.Run(f.Name, func(t *testing.T) {
			rec, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: f.Dept, List: f.List, Path: filepath.Join(dir, f.Name)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Rows != f.DataRows || rec.Valid != f.Valid || rec.Invalid != f.Invalid || rec.Duplicates != f.Duplicates {
				t.Errorf("counted rows=%d valid=%d invalid=%d dup=%d; truth rows=%d valid=%d invalid=%d dup=%d",
					rec.Rows, rec.Valid, rec.Invalid, rec.Duplicates, f.DataRows, f.Valid, f.Invalid, f.Duplicates)
			}
			if rec.Valid+rec.Invalid != rec.Rows || len(rec.Issues) != rec.Invalid {
				t.Errorf("valid %d + invalid %d != rows %d, or %d issues", rec.Valid, rec.Invalid, rec.Rows, len(rec.Issues))
			}
			rows, err := a.db.ListRows(rec.Seq)
			if err != nil {
				t.Fatal(err)
			}
			byLine := map[int]engine.DeptRow{}
			for _, r := range rows {
				byLine[r.Line] = r
			}
			for _, e := range f.Expect {
				r, ok := byLine[e.Line]
				if !ok {
					t.Fatalf("row %d (%s) was not kept", e.Line, e.Kind)
				}
				wantValid := e.Kind == demo.KindRoster || e.Kind == demo.KindOff || e.Kind == demo.KindID15
				if r.Valid() != wantValid {
					t.Errorf("row %d (%s): valid=%v, problem %q", e.Line, e.Kind, r.Valid(), r.Problem)
				}
				if wantValid {
					id := engine.ParseID(cell(rec, r, "id"))
					if id.Norm != e.PersonID {
						t.Errorf("row %d: ID read as %s, is %s", e.Line, id.Norm, e.PersonID)
					}
					if e.Amount != 0 {
						if amt, ok := engine.ParseAmount(cell(rec, r, "amount")); !ok || amt != e.Amount {
							t.Errorf("row %d: amount %v, truth %v", e.Line, amt, e.Amount)
						}
					}
				}
			}
		})
	}
	b, err := a.Board(c.Period)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Entries {
		if !e.Submitted || e.Status != "已报送" {
			t.Errorf("board: %s·%s %s", e.Dept, e.List, e.Status)
		}
	}
}

func cell(rec *engine.ListImport, r engine.DeptRow, key string) string {
	i, ok := rec.Columns[key]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

func findFile(t *testing.T, c *demo.County, dept, list string) demo.File {
	for _, f := range c.DeptFiles {
		if f.Dept == dept && f.List == list {
			return f
		}
	}
	t.Fatalf("no sample for %s·%s", dept, list)
	return demo.File{}
}

func TestReimportAsksThenSupersedes(t *testing.T) {
	a, c, dir := demoCounty(t, 100)
	f := findFile(t, c, "民政局", "新增救助")
	req := ListRequest{Period: c.Period, Dept: "民政局", Path: filepath.Join(dir, f.Name)}
	first, err := a.ImportList(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.ImportList(context.Background(), req, nil)
	var nc *NeedsConfirm
	if !errors.As(err, &nc) || !strings.Contains(err.Error(), "已于") || !strings.Contains(err.Error(), "导入过") {
		t.Fatalf("same file again: %v", err)
	}
	if all, _ := a.db.ListImports(c.Period); len(all) != 1 {
		t.Fatalf("asking wrote something: %d imports", len(all))
	}
	req.Force = true
	second, err := a.ImportList(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := a.db.ListImports(c.Period)
	if len(all) != 2 || all[0].SupersededBy != second.Seq || !all[1].Current() {
		t.Errorf("history: %+v", all)
	}
	// the old version's rows stay in history
	if rows, err := a.db.ListRows(first.Seq); err != nil || len(rows) != first.Rows {
		t.Errorf("old rows: %d, %v", len(rows), err)
	}
	b, _ := a.Board(c.Period)
	for _, e := range b.Entries {
		if e.Dept == "民政局" && (e.Versions != 2 || e.Import != second.Seq) {
			t.Errorf("board entry %+v", e)
		}
	}
}

func TestWrongDepartmentAndOtherMonth(t *testing.T) {
	a, c, dir := demoCounty(t, 100)
	f := findFile(t, c, "残联", "新增残疾")
	_, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "住建局", Path: filepath.Join(dir, f.Name)}, nil)
	if err == nil || !strings.Contains(err.Error(), "鉴定等级") || !strings.Contains(err.Error(), "残联·新增残疾") {
		t.Errorf("wrong department: %v", err)
	}
	// the file's name and title say another month
	_, err = a.ImportList(context.Background(), ListRequest{Period: "2026-10", Dept: "残联", Path: filepath.Join(dir, f.Name)}, nil)
	var nc *NeedsConfirm
	if !errors.As(err, &nc) || !strings.Contains(err.Error(), "与所选批次 2026-10 不一致") {
		t.Errorf("other month: %v", err)
	}
	_, err = a.ImportList(context.Background(), ListRequest{Period: "2026-13", Dept: "残联", Path: filepath.Join(dir, f.Name)}, nil)
	if err == nil || !strings.Contains(err.Error(), "格式不对") {
		t.Errorf("bad period: %v", err)
	}
	_, err = a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "气象局", Path: filepath.Join(dir, f.Name)}, nil)
	if err == nil || !strings.Contains(err.Error(), "部门目录中没有") {
		t.Errorf("unknown department: %v", err)
	}
	_, err = a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "医疗保障局", Path: filepath.Join(dir, f.Name)}, nil)
	if err == nil || !strings.Contains(err.Error(), "有多种清单") {
		t.Errorf("alias with two lists and no list named: %v", err)
	}
}

func TestMessyWorkbooks(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	id1, id2 := "530428199001011231", "53042819850505234X"
	// an ID column full of numbers, on the second sheet, under two header rows
	numeric := filepath.Join(dir, "numbers.xlsx")
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "说明：本表第二页为明细")
	f.NewSheet("明细")
	f.SetCellStr("明细", "A1", "序号")
	f.SetCellStr("明细", "B1", "基本情况")
	f.SetCellStr("明细", "D1", "救助")
	f.SetCellStr("明细", "B2", "姓名")
	f.SetCellStr("明细", "C2", "身份证号码")
	f.SetCellStr("明细", "D2", "救助类别")
	for i, id := range []string{id1, id2} {
		r := i + 3
		f.SetCellInt("明细", "A"+itoa(r), int64(i+1))
		f.SetCellStr("明细", "B"+itoa(r), "张三"+itoa(i))
		f.SetCellDefault("明细", "C"+itoa(r), id[:1]+"."+id[1:15]+"E+17")
		f.SetCellStr("明细", "D"+itoa(r), "低保")
	}
	must(t, f.SaveAs(numeric))
	f.Close()
	rec, err := a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "民政局", Path: numeric}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Sheet != "明细" || rec.Rows != 2 || rec.Invalid != 2 || !strings.Contains(rec.Issues[0].Message, "存成了数字") {
		t.Errorf("numeric IDs: %+v", rec)
	}
	// an empty sheet under a header
	empty := filepath.Join(dir, "empty.xlsx")
	must(t, excel.WriteXLSX(empty, excel.Sheet{Name: "Sheet1", Rows: [][]any{{"姓名", "身份证号", "救助类型"}}}))
	_, err = a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "民政局", Path: empty}, nil)
	if err == nil || !strings.Contains(err.Error(), "没有数据行") {
		t.Errorf("empty sheet: %v", err)
	}
	// a sheet chosen by name that does not exist
	_, err = a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "民政局", Sheet: "没有", Path: numeric}, nil)
	if err == nil || !strings.Contains(err.Error(), "没有名为「没有」的工作表") {
		t.Errorf("missing sheet: %v", err)
	}
	if all, _ := a.db.ListImports(""); len(all) != 1 {
		t.Errorf("failed imports left %d records", len(all))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestConfirmedMappingIsRememberedAndCancelWritesNothing(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	id := "530428199001011231"
	// the amount column is called something the catalog does not know
	path := filepath.Join(dir, "odd.xlsx")
	must(t, excel.WriteXLSX(path, excel.Sheet{Name: "Sheet1", Rows: [][]any{{"姓名", "身份证号", "本人承担"}, {"张三", id, "6000"}}}))
	_, err := a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "医保局", List: "住院自付", Path: path}, nil)
	if err == nil || !strings.Contains(err.Error(), "个人自付金额") {
		t.Fatalf("unknown amount column: %v", err)
	}
	p, err := a.PreviewList(path, "医保局", "住院自付", "")
	if err != nil || len(p.Missing) != 1 || p.Header[2] != "本人承担" {
		t.Fatalf("preview: %+v %v", p, err)
	}
	// cancelled: nothing written
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := filepath.Join(dir, "big.xlsx")
	rows := [][]any{{"姓名", "身份证号", "个人自付金额"}}
	for i := 0; i < 12000; i++ {
		rows = append(rows, []any{"张三", id, "100"})
	}
	must(t, excel.WriteXLSX(big, excel.Sheet{Name: "Sheet1", Rows: rows}))
	if _, err := a.ImportList(ctx, ListRequest{Period: "2026-11", Dept: "医保局", List: "住院自付", Path: big}, nil); err == nil || !strings.Contains(err.Error(), "已取消") {
		t.Fatalf("cancel: %v", err)
	}
	// the officer maps the column; the next file with that header needs no help
	rec, err := a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "医保局", List: "住院自付", Path: path,
		Columns: map[string]int{"amount": 2}}, nil)
	if err != nil || rec.Valid != 1 {
		t.Fatalf("mapped import: %+v %v", rec, err)
	}
	path2 := filepath.Join(dir, "odd2.xlsx")
	must(t, excel.WriteXLSX(path2, excel.Sheet{Name: "Sheet1", Rows: [][]any{{"序号", "姓名", "身份证号", "本人承担"}, {"1", "李四", id, "700"}}}))
	rec, err = a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "医保局", List: "住院自付", Path: path2, Force: true}, nil)
	if err != nil || rec.Columns["amount"] != 3 {
		t.Fatalf("remembered mapping: %+v %v", rec, err)
	}
	if all, _ := a.db.ListImports(""); len(all) != 2 {
		t.Errorf("%d imports, want 2 (the cancelled one wrote nothing)", len(all))
	}
}

func TestReturnListKeepsIDsAsText(t *testing.T) {
	a, c, dir := demoCounty(t, 100)
	f := findFile(t, c, "医保局", "住院自付")
	rec, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "医保局", List: "住院自付", Path: filepath.Join(dir, f.Name)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "退回.xlsx")
	n, err := a.ExportReturnList(rec.Seq, out)
	if err != nil || n != rec.Invalid {
		t.Fatalf("return list: %d rows, %v; invalid %d", n, err, rec.Invalid)
	}
	x, err := excelize.OpenFile(out)
	must(t, err)
	defer x.Close()
	rows, _ := x.GetRows("退回核实")
	if len(rows) != 3+rec.Invalid {
		t.Fatalf("%d rows in the sheet", len(rows))
	}
	hdr := rows[2]
	if hdr[0] != "原表行号" || hdr[len(hdr)-1] != "问题说明" {
		t.Errorf("header %v", hdr)
	}
	idCol := rec.Columns["id"] + 1
	for r := 3; r < len(rows); r++ {
		name, _ := excelize.CoordinatesToCellName(idCol+1, r+1)
		typ, _ := x.GetCellType("退回核实", name)
		if typ == excelize.CellTypeNumber {
			t.Errorf("ID cell %s is a number", name)
		}
		if rows[r][len(rows[r])-1] == "" {
			t.Errorf("row %d has no reason", r+1)
		}
	}
	if !strings.Contains(rows[1][0], "内部资料") {
		t.Errorf("no 内部资料 mark: %q", rows[1][0])
	}
}

func excelWrite(path string, rows [][]any) error {
	return excel.WriteXLSX(path, excel.Sheet{Name: "Sheet1", Rows: rows})
}

// TestSameFileIsAskedBeforeItsRowsAreRead: a large file imported a second
// time is known by its hash before a row of it is read.
func TestSameFileIsAskedBeforeItsRowsAreRead(t *testing.T) {
	a, c, dir := demoCounty(t, 60)
	rows := [][]string{{"姓名", "身份证号", "救助类型"}}
	for i := 0; i < 12000; i++ {
		p := c.Persons[i%len(c.Persons)]
		rows = append(rows, []string{p.Name, p.ID, "低保"})
	}
	path := filepath.Join(dir, "民政低保全量.csv")
	if err := excel.WriteCSV(path, rows, excel.CSVUTF8BOM); err != nil {
		t.Fatal(err)
	}
	req := ListRequest{Period: c.Period, Dept: "民政局", List: "新增救助", Path: path}
	ticks := 0
	if _, err := a.ImportList(context.Background(), req, func(int) { ticks++ }); err != nil || ticks == 0 {
		t.Fatalf("first import: %v, %d progress reports", err, ticks)
	}
	ticks = 0
	_, err := a.ImportList(context.Background(), req, func(int) { ticks++ })
	var nc *NeedsConfirm
	if !errors.As(err, &nc) || ticks != 0 {
		t.Fatalf("again: %v after %d progress reports; want the question before any row is read", err, ticks)
	}
}

// TestTextNamedAsExcelIsNotExcel: a text file named .xlsx is said to be no
// Excel file, wherever it is imported; a CSV named .xlsx is still read.
func TestTextNamedAsExcelIsNotExcel(t *testing.T) {
	a, c, dir := demoCounty(t, 30)
	text := filepath.Join(dir, "医保住院.xlsx")
	os.WriteFile(text, []byte("请见附件说明\n联系人：张三\n"), 0o644)
	for what, err := range map[string]error{
		"list": func() error {
			_, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "医保局", List: "住院自付", Path: text}, nil)
			return err
		}(),
		"preview": func() error { _, err := a.PreviewList(text, "医保局", "住院自付", ""); return err }(),
		"roster": func() error {
			_, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{text}}, nil)
			return err
		}(),
	} {
		if err == nil || !strings.Contains(err.Error(), "不是Excel文件") {
			t.Errorf("%s: %v", what, err)
		}
	}
	csvNamedXLSX := filepath.Join(dir, "民政.xlsx")
	p := c.Persons[0]
	os.WriteFile(csvNamedXLSX, []byte("姓名,身份证号,救助类型\n"+p.Name+","+p.ID+",低保\n"), 0o644)
	if rec, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "民政局", List: "新增救助", Path: csvNamedXLSX}, nil); err != nil || rec.Valid != 1 {
		t.Errorf("a CSV named .xlsx: %v", err)
	}
}
