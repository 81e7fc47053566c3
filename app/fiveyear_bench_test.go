package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bidui/assets"
	"bidui/engine"
	"bidui/engine/demo"
)

// The five-year benchmark (issue 13, DESIGN.md §9): a large county's
// database after 60 months of work, built by fiveYears through the same
// functions the officer's month goes through — the department rows stored
// as imports, the comparison, the assignment, the results — and kept in
// the temporary folder between runs (it takes minutes to build):
//
//	go test ./app -run '^$' -bench FiveYears -benchtime 3x -timeout 60m
//
// Each month sends about 300,000 department rows across the catalog's 16
// lists (医保 住院 and 门诊 140,000 each, the others 1,400), a third of
// them off the roster. The same people come back month after month (the
// lists are cumulative, as real ones are), so after the first month the
// assigned clues turn into follow-ups; one row in 24 brings new people
// each month. Results come back for nine in ten clues before the next
// month's comparison, for the rest a month later.
const (
	fiveYearMonths = 60
	fiveYearStart  = "2022-01"
)

var (
	fiveYearOnce sync.Once
	fiveYearPath string
	fiveYearErr  error
)

// fiveYearVersion names the built database: change it when what is built
// changes.
const fiveYearVersion = "v9"

// firstMonthVersion names the large first month's database; it is never
// compared in place (the benchmarks compare copies), so that it stays the
// month before its first comparison.
const firstMonthVersion = "v7"

func fiveYears(b *testing.B) string {
	fiveYearOnce.Do(func() {
		dir := filepath.Join(os.TempDir(), "bidui-bench-5y")
		fiveYearPath = filepath.Join(dir, "five-years-"+fiveYearVersion+".db")
		done := fiveYearPath + ".done"
		if _, err := os.Stat(done); err == nil {
			return
		}
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fiveYearErr = err
			return
		}
		start := time.Now()
		fiveYearErr = buildFiveYears(b, fiveYearPath)
		if fiveYearErr == nil {
			fiveYearErr = os.WriteFile(done, []byte(time.Since(start).String()), 0o644)
		}
	})
	if fiveYearErr != nil {
		b.Fatal(fiveYearErr)
	}
	return fiveYearPath
}

func fiveYearPeriod(m int) string {
	p, _ := engine.ParseMonth(fiveYearStart)
	return p.Add(m).String()
}

func buildFiveYears(b *testing.B, path string) error {
	a, err := Open(path)
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Date(2022, 1, 28, 9, 0, 0, 0, time.UTC)
	a.Now = func() time.Time { return now }
	c := demo.Generate(1, benchHouseholds, fiveYearStart, now)
	if _, err := a.db.ReplaceRoster(engine.NewRoster(c.Persons).Persons, engine.RosterImport{}, nil, engine.AuditEntry{Action: "bench"}); err != nil { // persons as an import hands them over
		return err
	}
	a.roster = nil
	cat, err := engine.ParseCatalog(assets.Catalog)
	if err != nil {
		return err
	}
	clues := 0
	for m := range fiveYearMonths {
		period := fiveYearPeriod(m)
		pm, _ := engine.ParseMonth(period)
		now = time.Date(pm.Year, time.Month(pm.Month), 26, 9, 0, 0, 0, time.UTC)
		// the results of the last months' assignments came back: nine in
		// ten within the month, the rest the month after
		for back := 1; back <= 2 && back <= m; back++ {
			if err := fiveYearResults(a, fiveYearPeriod(m-back), now, back == 2); err != nil {
				return err
			}
		}
		seq := 0
		for _, d := range cat.Departments {
			for _, l := range d.Lists {
				seq++
				rec, rows := fiveYearList(c.Persons, period, m, seq, d.Name, l, 50)
				if _, err := a.db.SaveListImport(rec, rows, nil, nil, nil, engine.AuditEntry{Action: "bench"}); err != nil {
					return err
				}
			}
		}
		res, err := a.MatchWith(context.Background(), period, MatchOptions{Force: true})
		if err != nil {
			return fmt.Errorf("%s: %w", period, err)
		}
		clues += res.Clues + res.Changes
		now = now.AddDate(0, 0, 3)
		if _, err := a.Assign(period, now, engine.AssignOptions{}); err != nil {
			return fmt.Errorf("%s: %w", period, err)
		}
		b.Logf("%s: %d clues (%d follow-ups), %d in all", period, res.Clues+res.Changes, res.FollowUps, clues)
	}
	return nil
}

// fiveYearList is one list of one month: the same people as the month
// before, but for the one row in 24 that brings new people.
// One bill in over crosses the line.
func fiveYearList(persons []engine.Person, period string, m, seq int, dept string, l engine.ListType, over int) (engine.ListImport, []engine.DeptRow) {
	n := 1400
	if dept == "医保局" {
		n = 140000
	}
	rec := engine.ListImport{Period: period, Dept: dept, List: l.Name, File: fmt.Sprintf("%s_%s_%s.xlsx", dept, l.Name, period),
		Columns: map[string]int{"name": 0, "id": 1}, Rows: n, Header: []string{"姓名", "身份证号"}}
	for i, f := range l.Columns {
		rec.Columns[f.Key] = 2 + i
		rec.Header = append(rec.Header, f.Label)
	}
	// where the person lives, as the departments' lists give it: what
	// places a person off the roster
	rec.Columns["township"], rec.Columns["village"] = 2+len(l.Columns), 3+len(l.Columns)
	rec.Header = append(rec.Header, "乡镇", "村")
	rows := make([]engine.DeptRow, n)
	for i := range rows {
		k := i*7919 + seq*104729
		if i%24 == m%24 {
			k += m * 15485863
		}
		p := persons[k%len(persons)]
		id := p.ID
		if i%3 == 0 { // a third of the rows are people off the roster
			id = fmt.Sprintf("5304289%04d%06d", seq, i)
			id = id[:17] + string(engine.IDCheckDigit(id[:17]))
		}
		cells := []string{p.Name, id}
		for _, f := range l.Columns {
			switch f.Key {
			case "amount":
				// most bills are small
				amt := 50 + i%400 + m*3
				if i%over == 7%over {
					amt = 25000 + i%5000 + m*10
				}
				cells = append(cells, strconv.Itoa(amt)+".50")
			case "grade":
				cells = append(cells, []string{"A", "B", "C", "D"}[i%4])
			default:
				cells = append(cells, "一级")
			}
		}
		cells = append(cells, p.Township, p.Village)
		rows[i] = engine.DeptRow{Line: i + 3, Cells: cells}
	}
	return rec, rows
}

// fiveYearResults records results for nine in ten of a month's assigned
// clues (all when late): most not included, some included and entered.
func fiveYearResults(a *App, period string, now time.Time, late bool) error {
	clues, err := a.db.Clues(period)
	if err != nil {
		return err
	}
	var changed []engine.Clue
	for i, c := range clues {
		if !c.Assigned() || c.Feedback != nil || (i%10 == 9 && !late) {
			continue
		}
		f := engine.Feedback{Outcome: engine.OutcomeNotIncluded, Reason: "经入户核实，家庭收入稳定", Verifier: "驻村工作队", Date: now.Format("2006-01-02"), At: now, Operator: "基准"}
		if i%20 == 3 {
			f = engine.Feedback{Outcome: engine.OutcomeIncluded, MonitorType: "突发严重困难户", Verifier: "驻村工作队", Date: now.Format("2006-01-02"),
				Entered: now.Format("2006-01-02"), At: now, Operator: "基准"}
		}
		c.Feedback, c.Status, c.Outcome, c.Updated = &f, engine.StatusClosed, f.Outcome, now
		changed = append(changed, c)
	}
	return a.db.SaveClues(changed, engine.AuditEntry{Action: "bench"})
}

func openFiveYears(b *testing.B) *App {
	b.Helper()
	path := fiveYears(b)
	a, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	last := fiveYearPeriod(fiveYearMonths - 1)
	pm, _ := engine.ParseMonth(last)
	a.Now = func() time.Time { return time.Date(pm.Year, time.Month(pm.Month), 28, 9, 0, 0, 0, time.UTC) }
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "db-MB")
	}
	return a
}

// BenchmarkFiveYearsOpen is opening the database and everything 首页 shows:
// the roster, this and last month's progress, the month over month and the
// month's checklist.
func BenchmarkFiveYearsOpen(b *testing.B) {
	path := fiveYears(b)
	last := fiveYearPeriod(fiveYearMonths - 1)
	b.ReportAllocs()
	for b.Loop() {
		a, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.Roster(); err != nil {
			b.Fatal(err)
		}
		for _, p := range []string{last, fiveYearPeriod(fiveYearMonths - 2)} {
			if _, err := a.Report(p); err != nil {
				b.Fatal(err)
			}
		}
		if _, _, err := a.MonthFlows(last); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Checklist(last); err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
}

// BenchmarkFiveYearsMatch is the last month's comparison run again: its
// 300,000 rows against the roster, with the repeats and follow-ups over
// five years of clues, stored.
func BenchmarkFiveYearsMatch(b *testing.B) {
	a := openFiveYears(b)
	defer a.Close()
	last := fiveYearPeriod(fiveYearMonths - 1)
	b.ReportAllocs()
	for b.Loop() {
		res, err := a.MatchWith(context.Background(), last, MatchOptions{Force: true})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Rows), "rows")
		b.ReportMetric(float64(res.Clues+res.Changes), "clues")
	}
}

// BenchmarkFiveYearsHistory is 一户一档 of roster persons over five years.
func BenchmarkFiveYearsHistory(b *testing.B) {
	a := openFiveYears(b)
	defer a.Close()
	r, err := a.Roster()
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.History(r.Persons[(i*7919)%len(r.Persons)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFiveYearsReport is the last month's report and its 月报表
// workbook (month over month and the lists' yields over a year included).
func BenchmarkFiveYearsReport(b *testing.B) {
	a := openFiveYears(b)
	defer a.Close()
	out := filepath.Join(b.TempDir(), "r.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := a.ExportReport(fiveYearPeriod(fiveYearMonths-1), out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFiveYearsBackup is a backup with a password (compressed, then
// sealed) and the check a restore makes of it before anything is replaced.
func BenchmarkFiveYearsBackup(b *testing.B) {
	a := openFiveYears(b)
	defer a.Close()
	out := filepath.Join(b.TempDir(), "b.bak")
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Backup(out, "benchmark-password"); err != nil {
			b.Fatal(err)
		}
	}
	fi, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "backup-MB")
}

// BenchmarkFiveYearsRestoreCheck is the check of a backup before it is
// restored: opened, decompressed, the database checked whole.
func BenchmarkFiveYearsRestoreCheck(b *testing.B) {
	a := openFiveYears(b)
	defer a.Close()
	out := filepath.Join(b.TempDir(), "b.bak")
	if err := a.Backup(out, "benchmark-password"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.InspectBackup(out, "benchmark-password"); err != nil {
			b.Fatal(err)
		}
	}
}

// programGC runs the rest of the benchmark with the garbage collector set
// as the program sets it (MemoryLimit, GCPercent).
func programGC(b *testing.B) {
	limit, pct := debug.SetMemoryLimit(MemoryLimit), debug.SetGCPercent(GCPercent)
	b.Cleanup(func() { debug.SetMemoryLimit(limit); debug.SetGCPercent(pct) })
}

// peakMB runs f under the program's soft memory limit while sampling the
// memory the Go runtime holds from the system, and reports the highest
// figure in MB: the process's private memory but for the binary and the C
// libraries (the database file's mapped pages are the system's cache).
func peakMB(b *testing.B, f func()) {
	b.Helper()
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(MemoryLimit))
	defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
	var peak uint64
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

// largeFirstMonth stores a large county's first month as the issue met it:
// 78,000 clues, one per household, across the demo county's townships.
func largeFirstMonth(b *testing.B, a *App, period string) {
	b.Helper()
	c := demo.Generate(5, 80000, period, testNow)
	var clues []engine.Clue
	seen := map[string]bool{}
	for _, p := range c.Persons {
		if seen[p.HouseholdNo] || len(clues) == 78000 {
			continue
		}
		seen[p.HouseholdNo] = true
		n := len(clues) + 1
		clues = append(clues, engine.Clue{ID: engine.ClueID(period, n), Key: "B|" + p.HouseholdNo, Period: period, Kind: engine.KindRisk,
			Source: engine.SourceCompare, Township: p.Township, Village: p.Village, Household: p.HouseholdNo, Head: p.Name, Category: p.Category,
			Persons: []engine.CluePerson{{Name: p.Name, ID: p.ID}}, Status: engine.StatusPending, Created: testNow, Updated: testNow,
			Risks: []engine.Risk{{Dept: "医保局", List: "住院自付", Type: "因病", Amount: 1234567, Detail: "住院自付 个人自付金额合计 12,345.67 元（2 条记录），医疗机构：县人民医院，疾病名称：脑梗死",
				Person: p.ID, Name: p.Name, Import: 1, Lines: []int{n + 2}, Rule: "个人自付金额 12,345.67 元 ≥ 5,000.00 元（名册内）"}}})
	}
	if err := a.db.SaveMatch(engine.MatchRun{Period: period}, clues, nil, engine.AuditEntry{Action: "bench"}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAssign78k is assigning a first month of 78,000 clues: read,
// plan per township, number, snapshot the sheets, store.
func BenchmarkAssign78k(b *testing.B) {
	a, err := Open(filepath.Join(b.TempDir(), "a.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.Now = func() time.Time { return testNow }
	m, _ := engine.ParseMonth("2026-01")
	programGC(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		period := m.Add(i).String()
		largeFirstMonth(b, a, period)
		b.StartTimer()
		if _, err := a.Assign(period, testNow, engine.AssignOptions{IgnoreStale: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrint78k prints that month: a PDF and an xlsx per township and
// the combined PDF, one township at a time.
func BenchmarkPrint78k(b *testing.B) {
	a, err := Open(filepath.Join(b.TempDir(), "p.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.Now = func() time.Time { return testNow }
	largeFirstMonth(b, a, "2026-11")
	if _, err := a.Assign("2026-11", testNow, engine.AssignOptions{IgnoreStale: true}); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	b.ReportAllocs()
	for b.Loop() {
		dir := b.TempDir()
		peakMB(b, func() {
			pr, err := a.Print("2026-11", dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(pr.Pages), "pages")
		})
	}
}

// largeFirstMonthDB is a large county's first month as a new user meets it
// (issue 13): the 300,000-person roster and 300,000 department rows of the
// catalog's 16 lists, one 医保 bill in four over the line — tens of
// thousands of clues before any follow-up thins them out. It is kept in the
// temporary folder, so that the whole commands can be timed on it:
//
//	cp $TMPDIR/bidui-bench-first/first-v7.db /tmp/m.db && bidui match --db /tmp/m.db --period 2026-11
func largeFirstMonthDB(b *testing.B) string {
	dir := filepath.Join(os.TempDir(), "bidui-bench-first")
	path := filepath.Join(dir, "first-"+firstMonthVersion+".db")
	if _, err := os.Stat(path + ".done"); err == nil {
		return path
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	a, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.Now = func() time.Time { return testNow }
	c := demo.Generate(1, benchHouseholds, "2026-11", testNow)
	if _, err := a.db.ReplaceRoster(engine.NewRoster(c.Persons).Persons, engine.RosterImport{}, nil, engine.AuditEntry{Action: "bench"}); err != nil { // persons as an import hands them over
		b.Fatal(err)
	}
	a.roster = nil
	seq := 0
	for _, d := range a.Catalog.Departments {
		for _, l := range d.Lists {
			seq++
			rec, rows := fiveYearList(c.Persons, "2026-11", 0, seq, d.Name, l, 4)
			if _, err := a.db.SaveListImport(rec, rows, nil, nil, nil, engine.AuditEntry{Action: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(path+".done", nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkFirstMonthMatch is that month's first comparison, stored: the
// roster and the rows read from the database, compared, tens of thousands
// of clues written with their index. Each run starts from a copy of the
// month before its comparison (the copy is not timed).
func BenchmarkFirstMonthMatch(b *testing.B) {
	benchMatchFirst(b, false)
}

// BenchmarkFirstMonthMatchAgain is the same comparison run again over the
// clues of the first (match --force): those are read and replaced.
func BenchmarkFirstMonthMatchAgain(b *testing.B) {
	benchMatchFirst(b, true)
}

func benchMatchFirst(b *testing.B, again bool) {
	src := largeFirstMonthDB(b)
	path := filepath.Join(b.TempDir(), "first.db")
	open := func() *App {
		data, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		// written through to the disk, as the officer's database is: the
		// comparison's commit would otherwise flush the copy too
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		a, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		a.Now = func() time.Time { return testNow }
		return a
	}
	var a *App
	if again {
		a = open()
		defer a.Close()
		if _, err := a.MatchWith(context.Background(), "2026-11", MatchOptions{Force: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if !again {
			b.StopTimer()
			a = open()
			runtime.GC()
			b.StartTimer()
		}
		a.roster = nil // the command reads the roster too
		peakMB(b, func() {
			res, err := a.MatchWith(context.Background(), "2026-11", MatchOptions{Force: true})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Clues+res.Changes), "clues")
		})
		if !again {
			b.StopTimer()
			a.Close()
			b.StartTimer()
		}
	}
}

// BenchmarkSQLite3FirstMonth is issue 13's yardstick for the first
// comparison, on the same machine in the same run: the sqlite3 program
// loading the same month's roster (ID, household) and department rows (list,
// ID, amount) from CSV, joining every row to its person and grouping by
// household. Skipped where the sqlite3 program is not installed
// (apt-get install sqlite3); the benchmarks are not part of the test run.
func BenchmarkSQLite3FirstMonth(b *testing.B) {
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("sqlite3 is not installed")
	}
	dir := b.TempDir()
	c := demo.Generate(1, benchHouseholds, "2026-11", testNow)
	var roster, rows strings.Builder
	roster.WriteString("id,household\n")
	for _, p := range c.Persons {
		fmt.Fprintf(&roster, "%s,%s\n", p.ID, p.HouseholdNo)
	}
	rows.WriteString("list,id,amount\n")
	cat, err := DefaultCatalog()
	if err != nil {
		b.Fatal(err)
	}
	seq, n := 0, 0
	for _, d := range cat.Departments {
		for _, l := range d.Lists {
			seq++
			rec, rs := fiveYearList(c.Persons, "2026-11", 0, seq, d.Name, l, 4)
			amount, has := rec.Columns["amount"]
			for _, r := range rs {
				a := ""
				if has {
					a = r.Cells[amount]
				}
				fmt.Fprintf(&rows, "%d,%s,%s\n", seq, r.Cells[1], a)
				n++
			}
		}
	}
	for name, s := range map[string]string{"roster.csv": roster.String(), "rows.csv": rows.String(), "join.sql": `.mode csv
.import roster.csv roster
.import rows.csv rows
.output /dev/null
SELECT r.household, count(*), sum(CAST(x.amount AS REAL)) FROM rows x JOIN roster r ON r.id = x.id GROUP BY r.household;
`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		cmd := exec.Command(sqlite, ":memory:", ".read join.sql")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			b.Fatalf("sqlite3: %v %s", err, out)
		}
		b.ReportMetric(float64(n), "rows")
	}
}
