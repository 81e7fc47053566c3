package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bidui/engine"
	"bidui/engine/demo"
	"bidui/engine/excel"
)

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *App {
	t.Helper()
	a, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	a.Now = func() time.Time { return testNow }
	t.Cleanup(func() { a.Close() })
	return a
}

// TestDemoRosterImportMatchesTruth imports the demo county's messy roster
// export and checks the counts and persons against the generator's truth.
func TestDemoRosterImportMatchesTruth(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	res, county, err := a.MakeDemo(context.Background(), dir, 300, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	rr := res.Roster
	f := county.Roster
	if rr.Rows != f.DataRows || rr.Valid != f.Valid || rr.Invalid != f.Invalid || rr.Duplicates != f.Duplicates {
		t.Errorf("import counted rows=%d valid=%d invalid=%d dup=%d; the file has rows=%d valid=%d invalid=%d dup=%d",
			rr.Rows, rr.Valid, rr.Invalid, rr.Duplicates, f.DataRows, f.Valid, f.Invalid, f.Duplicates)
	}
	if rr.Valid+rr.Invalid != rr.Rows {
		t.Errorf("valid + invalid = %d, rows = %d", rr.Valid+rr.Invalid, rr.Rows)
	}
	if len(rr.Issues) != rr.Invalid {
		t.Errorf("%d issues for %d invalid rows", len(rr.Issues), rr.Invalid)
	}
	if rr.Skipped != 2 { // one blank row, one 合计 row
		t.Errorf("skipped = %d, want 2", rr.Skipped)
	}
	r, err := a.Roster()
	if err != nil {
		t.Fatal(err)
	}
	want := demo.Sorted(county.Persons)
	if len(r.Persons) != len(want) {
		t.Fatalf("roster has %d persons, truth %d", len(r.Persons), len(want))
	}
	for _, w := range want {
		got, ok := r.Person(w.ID)
		if !ok {
			t.Fatalf("person %s missing", w.ID)
		}
		if got.Name != w.Name || got.HouseholdNo != w.HouseholdNo || got.Township != w.Township || got.Village != w.Village ||
			got.Category != w.Category || got.MonitorType != w.MonitorType || got.RiskEliminated != w.RiskEliminated || got.Relation != w.Relation {
			t.Fatalf("person %s:\n got  %+v\n want %+v", w.ID, *got, w)
		}
	}
	s := a.Settings()
	if s.CountyName != county.Name {
		t.Errorf("county name = %q", s.CountyName)
	}
	// every sample file the demo promised is on disk
	for _, ff := range res.Files {
		if _, err := os.Stat(filepath.Join(dir, ff.File)); err != nil {
			t.Errorf("sample file: %v", err)
		}
	}
	if len(res.Files) != 2+countLists(a.Catalog) { // the roster, one file per list, the register
		t.Errorf("%d files for %d lists", len(res.Files), countLists(a.Catalog))
	}
}

func countLists(c *engine.Catalog) int {
	n := 0
	for _, d := range c.Departments {
		n += len(d.Lists)
	}
	return n
}

// TestReimportReportsChanges re-imports an edited roster: a person removed,
// one added, one moved, one category changed.
func TestReimportReportsChanges(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	c := demo.Generate(3, 50, "2026-11", testNow)
	path := filepath.Join(dir, "r.xlsx")
	if err := WriteDemoFile(path, c.Roster); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{path}}, nil); err != nil {
		t.Fatal(err)
	}
	// edit the export: drop the first data row, move the second, change the third's type, add a person
	rows := c.Roster.Rows
	hdr := 3 // title, export time, header
	col := func(name string) int {
		for i, h := range rows[hdr-1] {
			if h.Text == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	edited := append([][]demo.Cell{}, rows[:hdr]...)
	moved := append([]demo.Cell{}, rows[hdr+1]...)
	moved[col("行政村")] = demo.Cell{Text: "新迁村"}
	changed := append([]demo.Cell{}, rows[hdr+2]...)
	changed[col("户类型")] = demo.Cell{Text: "监测户"}
	changed[col("监测对象类别")] = demo.Cell{Text: "突发严重困难户"}
	changed[col("风险是否消除")] = demo.Cell{Text: "否"}
	added := append([]demo.Cell{}, rows[hdr+3]...)
	added[col("证件号码")] = demo.Cell{Text: "530428201001011230"}
	if engine.ParseID("530428201001011230").Usable() == false {
		first := "53042820100101123"
		added[col("证件号码")] = demo.Cell{Text: first + string(engine.IDCheckDigit(first))}
	}
	edited = append(edited, moved, changed, added)
	edited = append(edited, rows[hdr+3:]...)
	c.Roster.Rows = edited
	if err := WriteDemoFile(path, c.Roster); err != nil {
		t.Fatal(err)
	}
	res, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{path}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch := res.Changes
	if ch.Added != 1 || ch.Removed != 1 || ch.Moved != 1 {
		t.Errorf("changes = %+v, want added 1, removed 1, moved 1", ch)
	}
	if ch.CategoryChanged < 1 {
		t.Errorf("category change not seen: %+v", ch)
	}
	imports, _ := a.db.RosterImports()
	if len(imports) != 2 || imports[0].Changes != ch || imports[1].Stats.Persons == 0 {
		t.Errorf("the previous snapshot's summary is not kept: %+v", imports)
	}
}

// TestBadRosterFilesChangeNothing: each bad input gets a clear Chinese
// message and the roster stays as it was.
func TestBadRosterFilesChangeNothing(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	c := demo.Generate(5, 30, "2026-11", testNow)
	good := filepath.Join(dir, "good.xlsx")
	if err := WriteDemoFile(good, c.Roster); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{good}}, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := a.db.Roster()

	noID := filepath.Join(dir, "no_id.xlsx")
	must(t, excel.WriteXLSX(noID, excel.Sheet{Name: "人员", Rows: [][]any{{"姓名", "户编号", "乡镇"}, {"张三", "H1", "城关镇"}}}))
	allBad := filepath.Join(dir, "all_bad.csv")
	must(t, excel.WriteCSV(allBad, [][]string{{"户编号", "姓名", "证件号码"}, {"H1", "张三", "5.30428E+17"}, {"H1", "李四", "123"}}, excel.CSVGBK))
	empty := filepath.Join(dir, "empty.csv")
	must(t, os.WriteFile(empty, nil, 0o644))
	corrupt := filepath.Join(dir, "corrupt.xlsx")
	must(t, os.WriteFile(corrupt, []byte("PK\x03\x04garbage"), 0o644))

	cases := map[string]string{
		filepath.Join(dir, "missing.xlsx"): "找不到该文件",
		noID:                               "缺少必需的列 “证件号码”",
		allBad:                             "没有一条有效的人员记录",
		empty:                              "文件是空的",
		corrupt:                            "另存为 .xlsx",
	}
	for path, want := range cases {
		_, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{path}}, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", filepath.Base(path), err, want)
		}
		after, _ := a.db.Roster()
		if len(after.Persons) != len(before.Persons) {
			t.Errorf("%s changed the roster: %d → %d persons", filepath.Base(path), len(before.Persons), len(after.Persons))
		}
	}
	// a good file with a bad one: all or nothing
	if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{good, empty}}, nil); err == nil {
		t.Error("a batch with a bad file was accepted")
	}
	imports, _ := a.db.RosterImports()
	if len(imports) != 1 {
		t.Errorf("failed imports were recorded: %d records", len(imports))
	}
}

func TestCancelledImportChangesNothing(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	c := demo.Generate(9, 800, "2026-11", testNow) // over 2,000 rows: the reader checks the context every 1,000
	path := filepath.Join(dir, "r.xlsx")
	must(t, WriteDemoFile(path, c.Roster))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.ImportRoster(ctx, RosterRequest{Files: []string{path}}, nil)
	if err == nil || !strings.Contains(err.Error(), "已取消") {
		t.Fatalf("err = %v", err)
	}
	r, _ := a.db.Roster()
	if len(r.Persons) != 0 {
		t.Errorf("cancelled import wrote %d persons", len(r.Persons))
	}
}

func TestSettingsValidation(t *testing.T) {
	a := openTest(t)
	if err := a.SaveSettings(engine.Settings{}); err == nil {
		t.Error("empty county name accepted")
	}
	if err := a.SaveSettings(engine.Settings{CountyName: "青山县", CountyCode: "12ab", DueDay: 25}); err == nil {
		t.Error("bad county code accepted")
	}
	if err := a.SaveSettings(engine.Settings{CountyName: "青山县", DueDay: 31}); err == nil {
		t.Error("due day 31 accepted")
	}
	if err := a.SaveSettings(engine.Settings{CountyName: "青山县", CountyCode: "530428", Operator: "小李", DueDay: 5}); err != nil {
		t.Error(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestASmallRosterFileAsksFirstAndCanBeUndone: a file of ten persons does
// not silently replace a roster of hundreds; confirmed, it does, and the
// roster before it is one step away.
func TestASmallRosterFileAsksFirstAndCanBeUndone(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	c := demo.Generate(3, 120, "2026-11", testNow)
	full := filepath.Join(dir, "full.xlsx")
	if err := WriteDemoFile(full, c.Roster); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{full}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.UndoableRoster(); !ok {
		t.Error("the first import cannot be undone")
	}
	before, _ := a.Roster()
	n := len(before.Persons)
	small := c.Roster
	small.Rows = append([][]demo.Cell{}, c.Roster.Rows[:3+10]...) // title, export time, header, ten persons
	smallPath := filepath.Join(dir, "small.xlsx")
	if err := WriteDemoFile(smallPath, small); err != nil {
		t.Fatal(err)
	}
	_, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{smallPath}}, nil)
	var nc *NeedsConfirm
	if !errors.As(err, &nc) || !strings.Contains(nc.Reasons[0], "减少") {
		t.Fatalf("a ten-person file was not questioned: %v", err)
	}
	if r, _ := a.db.Roster(); len(r.Persons) != n {
		t.Fatalf("asking changed the roster: %d persons, had %d", len(r.Persons), n)
	}
	if imports, _ := a.db.RosterImports(); len(imports) != 1 {
		t.Fatalf("asking recorded an import: %d", len(imports))
	}
	res, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{smallPath}, Force: true}, nil)
	if err != nil || res.Stats.Persons > 10 {
		t.Fatalf("confirmed import: %v, %+v", err, res)
	}
	rec, ok, err := a.UndoableRoster()
	if err != nil || !ok || rec.Seq != res.Seq {
		t.Fatalf("undoable: %+v %v %v", rec, ok, err)
	}
	undone, err := a.UndoRoster()
	if err != nil || undone.Seq != res.Seq || undone.Undone.IsZero() {
		t.Fatalf("undo: %+v %v", undone, err)
	}
	after, _ := a.Roster()
	if len(after.Persons) != n {
		t.Fatalf("after undo %d persons, want %d", len(after.Persons), n)
	}
	if r, _ := a.db.Roster(); len(r.Persons) != n {
		t.Fatalf("the stored roster after undo has %d persons", len(r.Persons))
	}
	if _, err := a.UndoRoster(); err == nil {
		t.Error("undone twice")
	}
	imports, _ := a.db.RosterImports()
	if len(imports) != 2 {
		t.Fatalf("imports: %d", len(imports))
	}
	var marked bool
	for _, im := range imports {
		if im.Seq == res.Seq && !im.Undone.IsZero() {
			marked = true
		}
	}
	if !marked {
		t.Error("the undone import is not marked")
	}
	log, _ := a.db.AuditLog(1)
	if len(log) != 1 || log[0].Action != "撤销名册导入" {
		t.Errorf("audit: %+v", log)
	}
	// the next import after an undo works as usual, and can itself be undone
	if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{full}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.UndoableRoster(); !ok {
		t.Error("the import after an undo cannot be undone")
	}
}
