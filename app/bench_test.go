package app

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"bidui/engine"
	"bidui/engine/demo"
	"bidui/engine/excel"
)

// The scale of a large county (DESIGN.md §9): 300,000 roster persons.
const benchHouseholds = 86000 // about 300,000 persons

var (
	benchOnce   sync.Once
	benchRoster string
)

// benchRosterFile writes the large roster export once.
func benchRosterFile(b *testing.B) string {
	benchOnce.Do(func() {
		benchRoster = keptBenchFile(b, "roster300k.xlsx", func(path string) error {
			return WriteDemoFile(path, demo.Generate(1, benchHouseholds, "2026-11", testNow).Roster)
		})
	})
	return benchRoster
}

// keptBenchFile is a benchmark's input file in the temporary folder,
// written by write the first time and kept for later runs, as the benchmark
// databases are (a file with the same name is the same input).
func keptBenchFile(b *testing.B, name string, write func(path string) error) string {
	dir := filepath.Join(os.TempDir(), "bidui-bench-files")
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path + ".done"); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := write(path); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path+".done", nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkRosterImport300k imports a 300,000-person national-system export
// into an empty database: read, validate, store in one transaction.
func BenchmarkRosterImport300k(b *testing.B) {
	path := benchRosterFile(b)
	programGC(b) // as the program runs it
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := Open(filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{path}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Valid), "persons")
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
}

// BenchmarkOpenRoster300k is what opening the window costs: loading the
// roster of 300,000 persons from the database and building its indexes.
func BenchmarkOpenRoster300k(b *testing.B) {
	path := benchRosterFile(b)
	dbPath := filepath.Join(b.TempDir(), "b.db")
	a, err := Open(dbPath)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{path}}, nil); err != nil {
		b.Fatal(err)
	}
	a.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := Open(dbPath)
		if err != nil {
			b.Fatal(err)
		}
		r, err := a.Roster()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(r.Persons)), "persons")
		a.Close()
	}
}

// BenchmarkRosterSearch300k is one keystroke in the roster screen's search
// box over 300,000 persons.
func BenchmarkRosterSearch300k(b *testing.B) {
	c := demo.Generate(1, benchHouseholds, "2026-11", testNow)
	r := engine.NewRoster(c.Persons)
	q := []string{"张", "5304281990", "龙泉镇"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = r.Filter(engine.RosterFilter{Query: q[i%len(q)]})
	}
}

var (
	benchListOnce sync.Once
	benchList     string
)

// benchListFile writes a 200,000-row 医保 住院自付 workbook once: a title
// row, the header, and rows of real-looking people and bills.
func benchListFile(b *testing.B) string {
	benchListOnce.Do(func() {
		benchList = keptBenchFile(b, "医保局_住院自付_200k.xlsx", func(path string) error {
			c := demo.Generate(2, 60000, "2026-11", testNow)
			rows := [][]any{{"青山县医疗保障局2026年11月住院个人自付清单"}, {"序号", "姓名", "身份证号", "个人自付金额", "医疗机构", "疾病名称", "乡镇", "村"}}
			for i := 0; i < 200000; i++ {
				p := c.Persons[(i*7919)%len(c.Persons)]
				rows = append(rows, []any{i + 1, p.Name, p.ID, fmt.Sprintf("%d.%02d", 100+i%30000, i%100), "县人民医院", "脑梗死", p.Township, p.Village})
			}
			return excel.WriteXLSX(path, excel.Sheet{Name: "住院自付", Rows: rows})
		})
	})
	return benchList
}

// BenchmarkListImport200k is a 200,000-row 医保 xlsx imported end to end:
// read, check every row, keep it, store it in one transaction.
func BenchmarkListImport200k(b *testing.B) {
	path := benchListFile(b)
	programGC(b) // as the program runs it
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := Open(filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rec, err := a.ImportList(context.Background(), ListRequest{Period: "2026-11", Dept: "医保局", List: "住院自付", Path: path, Force: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rec.Rows), "rows")
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
}

// BenchmarkExcelizeRows200k is the floor set by the library: a bare
// excelize Rows()/Columns() pass over the same file.
func BenchmarkExcelizeRows200k(b *testing.B) {
	path := benchListFile(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("住院自付")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
		b.ReportMetric(float64(n), "rows")
	}
}

// BenchmarkInflate200k is the floor set by the file itself: inflating the
// sheet's XML and the shared strings, without parsing them, with Go's own
// inflater (the yardstick).
func BenchmarkInflate200k(b *testing.B) { benchInflate(b, false) }

// BenchmarkInflateKlauspost200k is the same with the inflater the reader
// uses (klauspost/compress/flate), which is faster.
func BenchmarkInflateKlauspost200k(b *testing.B) { benchInflate(b, true) }

func benchInflate(b *testing.B, klauspost bool) {
	path := benchListFile(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		if klauspost {
			z.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
		}
		var total int64
		for _, f := range z.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/") || f.Name == "xl/sharedStrings.xml" {
				r, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, r)
				total += n
				r.Close()
			}
		}
		z.Close()
		b.ReportMetric(float64(total)/1e6, "MB-xml")
	}
}

// BenchmarkPrint3000 prints a month of 3,000 clues across 13 townships:
// one PDF and one xlsx twin per township and the combined PDF.
func BenchmarkPrint3000(b *testing.B) {
	a, err := Open(filepath.Join(b.TempDir(), "p.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.Now = func() time.Time { return testNow }
	c := demo.Generate(3, 3000, "2026-11", testNow)
	var clues []engine.Clue
	seen := map[string]bool{}
	for _, p := range c.Persons {
		if seen[p.HouseholdNo] || len(clues) == 3000 {
			continue
		}
		seen[p.HouseholdNo] = true
		n := len(clues) + 1
		clues = append(clues, engine.Clue{ID: engine.ClueID("2026-11", n), Key: "B|" + p.HouseholdNo, Period: "2026-11", Kind: engine.KindRisk,
			Source: engine.SourceCompare, Township: p.Township, Village: p.Village, Household: p.HouseholdNo, Head: p.Name, Category: p.Category,
			Persons: []engine.CluePerson{{Name: p.Name, ID: p.ID}}, Status: engine.StatusPending,
			Risks: []engine.Risk{{Dept: "医保局", List: "住院自付", Type: "因病", Detail: "住院自付 个人自付金额合计 12,345.67 元（2 条记录），医疗机构：县人民医院，疾病名称：脑梗死", Person: p.ID, Name: p.Name}}})
	}
	if err := a.db.SaveMatch(engine.MatchRun{Period: "2026-11"}, clues, nil, engine.AuditEntry{Action: "bench"}); err != nil {
		b.Fatal(err)
	}
	res, err := a.Assign("2026-11", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), engine.AssignOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		pr, err := a.Print("2026-11", dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		fi, _ := os.Stat(pr.Files[len(pr.Files)-1])
		b.ReportMetric(float64(pr.Pages), "pages")
		b.ReportMetric(float64(fi.Size())/float64(pr.Pages)/1024, "KB/page")
		b.ReportMetric(float64(len(res.Assignments)), "townships")
		b.StartTimer()
	}
}

var (
	historyOnce sync.Once
	historyDB   string
)

// historyDatabase is five years of history: 60 periods of 3,000 clues each
// (180,000 clues), about half with results, built once per run (in the
// same place each time, over the last run's).
func historyDatabase(b *testing.B) string {
	historyOnce.Do(func() {
		dir := filepath.Join(os.TempDir(), "bidui-bench-history")
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		historyDB = filepath.Join(dir, "history.db")
		a, err := Open(historyDB)
		if err != nil {
			b.Fatal(err)
		}
		defer a.Close()
		c := demo.Generate(4, 40000, "2026-11", testNow)
		if _, err := a.db.ReplaceRoster(engine.NewRoster(c.Persons).Persons, engine.RosterImport{}, nil, engine.AuditEntry{}); err != nil {
			b.Fatal(err)
		}
		start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
		for m := 0; m < 60; m++ {
			period := start.AddDate(0, m, 0).Format("2006-01")
			clues := make([]engine.Clue, 3000)
			for i := range clues {
				p := c.Persons[(m*3000+i)*7%len(c.Persons)]
				cl := engine.Clue{ID: engine.ClueID(period, i+1), Key: "B|" + period + p.HouseholdNo, Period: period, Kind: engine.KindRisk,
					Source: engine.SourceCompare, Township: p.Township, Village: p.Village, Household: p.HouseholdNo, Head: p.Name,
					Category: p.Category, Persons: []engine.CluePerson{{Name: p.Name, ID: p.ID}}, Status: engine.StatusAssigned,
					Assignment: period + "-交", Deadline: start.AddDate(0, m+1, 0).Format("2006-01-02"),
					Risks: []engine.Risk{{Dept: "医保局", List: "住院自付", Type: "因病", Detail: "住院自付 个人自付金额合计 12,345.67 元", Person: p.ID, Name: p.Name}}}
				if i%2 == 0 {
					cl.Feedback = &engine.Feedback{Outcome: engine.OutcomeNotIncluded, Reason: "收入稳定", Verifier: "张", Date: cl.Deadline}
					cl.Status, cl.Outcome = engine.StatusClosed, engine.OutcomeNotIncluded
				}
				clues[i] = cl
			}
			if err := a.db.SaveMatch(engine.MatchRun{Period: period}, clues, nil, engine.AuditEntry{Action: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	return historyDB
}

// BenchmarkReport60Periods is the month's report (and its xlsx) over a
// database holding five years of history.
func BenchmarkReport60Periods(b *testing.B) {
	a, err := Open(historyDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.Now = func() time.Time { return time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC) }
	out := filepath.Join(b.TempDir(), "r.xlsx")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := a.ExportReport("2026-12", out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDashboard60Periods is opening 首页 at that size: this and last
// month's progress.
func BenchmarkDashboard60Periods(b *testing.B) {
	a, err := Open(historyDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range []string{"2026-11", "2026-12"} {
			if _, err := a.Report(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkHistory60Periods is 一户一档 over five years of clues.
func BenchmarkHistory60Periods(b *testing.B) {
	a, err := Open(historyDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	r, _ := a.Roster()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.History(r.Persons[i%len(r.Persons)].ID); err != nil {
			b.Fatal(err)
		}
	}
}
