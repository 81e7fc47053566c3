package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bidui/engine"

	"github.com/xuri/excelize/v2"
)

// TestDemoHistoryWorksEarlierMonthsThrough builds the demo county with two
// earlier months worked through and checks that what it recorded is what an
// office would have: every list imported inside its month (one late), each
// month compared and assigned, results only from after the assignment and
// never from the future, the newest month still under way and the older one
// with a few overdue clues, the returned sheets on disk, the current month
// untouched — and the window's list of clues awaiting a result agreeing
// with the report.
func TestDemoHistoryWorksEarlierMonthsThrough(t *testing.T) {
	a := openTest(t) // today is 2026-11-23
	dir := t.TempDir()
	res, _, err := a.MakeDemo(context.Background(), dir, 300, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != 2 || res.History[0].Period != "2026-09" || res.History[1].Period != "2026-10" {
		t.Fatalf("history = %+v, want 2026-09 and 2026-10", res.History)
	}
	nLists := 0
	for _, d := range a.Catalog.Departments {
		nLists += len(d.Lists)
	}
	today := time.Date(testNow.Year(), testNow.Month(), testNow.Day(), 0, 0, 0, 0, time.UTC)
	for i, m := range res.History {
		if m.Lists != nLists || m.Assignments == 0 || m.Results == 0 {
			t.Errorf("%s: %+v", m.Period, m)
		}
		b, err := a.Board(m.Period)
		if err != nil {
			t.Fatal(err)
		}
		late := 0
		for _, e := range b.Entries {
			if !e.Submitted {
				t.Errorf("%s: %s·%s not submitted", m.Period, e.Dept, e.List)
			}
			if e.At.Format("2006-01") != m.Period {
				t.Errorf("%s: %s·%s imported at %v, outside its month", m.Period, e.Dept, e.List, e.At)
			}
			if e.Late {
				late++
			}
		}
		if late != 1 {
			t.Errorf("%s: %d late lists, want the one made late", m.Period, late)
		}
		clues, err := a.db.Clues(m.Period)
		if err != nil {
			t.Fatal(err)
		}
		withResult, unanswered, overdue, late2 := 0, 0, 0, 0
		riskResults, riskOverdue := 0, 0 // the report counts warnings, not 信息变更
		for _, c := range clues {
			if !c.Assigned() {
				continue
			}
			risk := c.Kind == engine.KindRisk
			if c.AssignedOn <= m.Period+"-31" || c.AssignedOn > today.Format("2006-01-02") {
				t.Errorf("%s: %s assigned on %s, not in the next month up to today", m.Period, c.ID, c.AssignedOn)
			}
			if c.Feedback == nil {
				unanswered++
				if c.Deadline < today.Format("2006-01-02") {
					overdue++
					if risk {
						riskOverdue++
					}
				}
				continue
			}
			withResult++
			if risk {
				riskResults++
			}
			f := c.Feedback
			if f.Date < c.AssignedOn || f.Date >= today.Format("2006-01-02") {
				t.Errorf("%s: visited %s, assigned %s, today %s", c.ID, f.Date, c.AssignedOn, today.Format("2006-01-02"))
			}
			if f.At.Before(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || f.At.After(testNow) {
				t.Errorf("%s: result recorded at %v", c.ID, f.At)
			}
			if f.Date > c.Deadline {
				late2++
			}
			if (f.Outcome == engine.OutcomeIncluded && f.MonitorType == "") || f.Verifier == "" {
				t.Errorf("%s: incomplete result %+v", c.ID, f)
			}
		}
		if withResult != m.Results || unanswered != m.Unanswered {
			t.Errorf("%s: %d results and %d unanswered in the database, the demo said %d and %d", m.Period, withResult, unanswered, m.Results, m.Unanswered)
		}
		rep, err := a.Report(m.Period)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total.Reported != riskResults || rep.Total.Overdue != riskOverdue {
			t.Errorf("%s: report says %d reported, %d overdue; the warning clues say %d, %d", m.Period, rep.Total.Reported, rep.Total.Overdue, riskResults, riskOverdue)
		}
		switch i {
		case 0: // 2026-09: deadline in early November, long past
			if overdue == 0 || overdue > withResult/10 || late2 == 0 {
				t.Errorf("2026-09: %d overdue, %d late results of %d: want a few of each", overdue, late2, withResult)
			}
		case 1: // 2026-10: assigned in November, under way
			if overdue != 0 || unanswered < withResult/5 {
				t.Errorf("2026-10: %d overdue, %d unanswered, %d results: want a month under way", overdue, unanswered, withResult)
			}
		}
		sheets, _ := filepath.Glob(filepath.Join(m.Dir, "乡镇反馈", "*_核查结果.xlsx"))
		pdfs, _ := filepath.Glob(filepath.Join(m.Dir, "交办单", "*.pdf"))
		if len(sheets) == 0 || len(pdfs) != m.Assignments+1 {
			t.Errorf("%s: %d returned sheets, %d PDFs for %d assignments", m.Period, len(sheets), len(pdfs), m.Assignments)
		}
	}
	// the current month waits for the officer
	if imps, err := a.db.ListImports("2026-11"); err != nil || len(imps) != 0 {
		t.Errorf("2026-11 already has %d imports (%v)", len(imps), err)
	}
	if _, err := os.Stat(filepath.Join(dir, res.Files[1].File)); err != nil {
		t.Error(err)
	}
	r, err := a.Roster()
	if err != nil || len(r.Persons) == 0 {
		t.Errorf("roster after the demo: %v", err)
	}
	// a second demo with history on the same database is refused before it writes anything
	audit, _ := a.db.AuditLog(0)
	if _, _, err := a.MakeDemo(context.Background(), t.TempDir(), 300, 4, 2); err == nil || !strings.Contains(err.Error(), "新的数据库") {
		t.Errorf("second demo with history: %v", err)
	}
	if again, _ := a.db.AuditLog(0); len(again) != len(audit) {
		t.Errorf("the refused demo wrote %d audit entries", len(again)-len(audit))
	}
	// 核查反馈's list: every assigned clue without a result, most overdue first
	awaiting, err := a.AwaitingResults([]string{"2026-11", "2026-10", "2026-09"})
	if err != nil {
		t.Fatal(err)
	}
	if len(awaiting) != res.History[0].Unanswered+res.History[1].Unanswered {
		t.Errorf("%d awaiting, the months have %d + %d unanswered", len(awaiting), res.History[0].Unanswered, res.History[1].Unanswered)
	}
	for i, c := range awaiting {
		if c.Feedback != nil || !c.Assigned() {
			t.Errorf("%s listed as awaiting a result", c.ID)
		}
		if i > 0 && c.DaysLeft < awaiting[i-1].DaysLeft {
			t.Fatalf("not most overdue first at %d: %d after %d", i, c.DaysLeft, awaiting[i-1].DaysLeft)
		}
		if (c.DaysLeft < 0) != (c.Deadline < "2026-11-23") {
			t.Errorf("%s: deadline %s, %d working days left", c.ID, c.Deadline, c.DaysLeft)
		}
	}
	if len(awaiting) > 0 && awaiting[0].DaysLeft >= 0 {
		t.Errorf("the first awaiting clue is not overdue: %+v", awaiting[0].DaysLeft)
	}
}

// TestListYieldsInReportAndBulletin: over the demo's worked months, each
// list's clues, verified clues and 纳入监测 add up, and the monthly report
// and the bulletin carry them with the rate's definition.
func TestListYieldsInReportAndBulletin(t *testing.T) {
	a := openTest(t)
	dir := t.TempDir()
	res, _, err := a.MakeDemo(context.Background(), dir, 200, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	older := res.History[0].Period
	yields, err := a.ListYields(res.History[1].Period, YieldMonths)
	if err != nil {
		t.Fatal(err)
	}
	if len(yields) == 0 {
		t.Fatal("no list yields")
	}
	verified, included := 0, 0
	for _, y := range yields {
		if y.Verified > y.Raised || y.Included > y.Verified || (y.Verified > 0 && y.Rate != float64(y.Included)*100/float64(y.Verified)) {
			t.Errorf("yield %+v does not add up", y)
		}
		verified += y.Verified
		included += y.Included
	}
	if verified == 0 || included == 0 {
		t.Errorf("the worked months verified %d and included %d", verified, included)
	}
	path := filepath.Join(dir, "月报表.xlsx")
	if err := a.ExportReport(older, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("各清单成效")
	f.Close()
	if len(rows) < 4 || !strings.Contains(rows[1][0], "转化率") {
		t.Errorf("report sheet: %q", rows)
	}
	pdfPath := filepath.Join(dir, "通报.pdf")
	if err := a.ExportBulletin(res.History[1].Period, pdfPath); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftotext", pdfPath, "-").Output(); err == nil {
		if text := strings.ReplaceAll(string(out), " ", ""); !strings.Contains(text, "各部门清单成效") || !strings.Contains(text, "转化率") {
			t.Errorf("the bulletin lacks the yields:\n%s", text)
		}
	}
}

// TestBulletinSaysOnlyWhatIsTrue: with November's lists not yet due (today
// is the 23rd, due the 25th) and its clues still being checked, the
// bulletin neither calls November's lists late nor says every township has
// answered.
func TestBulletinSaysOnlyWhatIsTrue(t *testing.T) {
	a := openTest(t) // today is 2026-11-23
	dir := t.TempDir()
	if _, _, err := a.MakeDemo(context.Background(), dir, 200, 4, 2); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "通报.pdf")
	if err := a.ExportBulletin("2026-11", path); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(out), " ", ""), "\n", "")
	if strings.Contains(text, "各乡镇均在期限内反馈") {
		t.Error("says every township answered in time")
	}
	i := strings.Index(text, "逾期报送或尚未报送数据的部门清单：")
	if i < 0 {
		t.Fatal("October's late department is not named")
	}
	sentence := text[i:]
	sentence = sentence[:strings.Index(sentence, "。")]
	if n := strings.Count(sentence, "·"); n > 2 {
		t.Errorf("%d lists called late, November's are not due yet: %s", n, sentence)
	}
}
