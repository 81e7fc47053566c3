package app

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bidui/engine"
)

// fillTwin writes results into a township's xlsx twin the way a township
// clerk would: a column inserted in front, a blank row, varied date formats.
func fillTwin(t *testing.T, path string, results [][]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := "交办单"
	col := func(name string) string {
		rows, _ := f.GetRows(s)
		for i, h := range rows[2] {
			if h == name {
				c, _ := excelize.ColumnNumberToName(i + 1)
				return c
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	cols := []string{col("核查结果"), col("监测类型"), col("情况说明"), col("核查人"), col("核查日期")}
	for i, r := range results {
		for j, v := range r {
			f.SetCellStr(s, cols[j]+strconv.Itoa(4+i), v)
		}
	}
	// the township's own edits: a column in front, and a blank row
	f.InsertCols(s, "A", 1)
	f.SetCellStr(s, "A3", "乡镇内部编号")
	f.InsertRows(s, 5, 1)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

func TestFeedbackImportRecordsRejectsAndCorrects(t *testing.T) {
	a, period, res := assignedCounty(t, 200)
	out := t.TempDir()
	if _, err := a.Print(period, out, nil); err != nil {
		t.Fatal(err)
	}
	a.Now = func() time.Time { return time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC) }
	g := res.Assignments[0]
	for _, x := range res.Assignments {
		if len(x.Clues) > len(g.Clues) {
			g = x
		}
	}
	path := filepath.Join(out, g.Township+".xlsx")
	if len(g.Clues) < 9 {
		t.Fatalf("township %s has only %d clues", g.Township, len(g.Clues))
	}
	fillTwin(t, path, [][]string{
		{"纳入监测", "边缘易致贫户", "", "张干部", "2026.12.5"},
		{"不纳入", "", "", "张干部", "2026-12-05"}, // no reason: rejected
		{"不纳入", "", "家庭收入稳定，医疗费用已报销", "张干部", "12月3日"},
		{"其他", "", "已搬迁到外县", "李干部", "2026/12/4"},
		{"不知道", "", "", "李干部", "2026-12-04"},    // not an outcome: rejected
		{"已是监测对象", "", "", "李干部", "2026-12-20"}, // in the future: rejected
		{"纳入监测", "", "", "李干部", "2026-12-04"},   // no monitored type: rejected
		{"", "", "", "王干部", "2026-12-04"},       // a result begun but no outcome: rejected
	})
	fr, err := a.ImportFeedback(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	// the rows the township has not visited yet are waiting, not 退回
	if fr.Recorded != 3 || fr.Rejected != 5 || fr.Waiting != len(g.Clues)-8 || fr.Rows != 8 || fr.Recorded+fr.Rejected != fr.Rows {
		t.Fatalf("import: %+v (clues %d)", fr, len(g.Clues))
	}
	msgs := ""
	for _, is := range fr.Issues {
		msgs += is.Message + "\n"
	}
	for _, want := range []string{"须在情况说明中逐户说明原因", "核查结果“不知道”不对", "在今天之后", "须写明监测类型", "核查结果未填"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("no rejection saying %q in:\n%s", want, msgs)
		}
	}
	// the rows sent back, for the township to correct
	back := filepath.Join(t.TempDir(), "退回.xlsx")
	if err := a.ExportRejected(fr, back); err != nil {
		t.Fatal(err)
	}
	xf, err := excelize.OpenFile(back)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := xf.GetRows("退回")
	xf.Close()
	if len(rows) != 2+fr.Rejected || !strings.Contains(strings.Join(rows[2], " "), filepath.Base(path)) {
		t.Errorf("exported rejections: %q", rows)
	}
	clues, _ := a.db.Clues(period)
	var included *engine.Clue
	recorded := 0
	for i := range clues {
		c := &clues[i]
		if c.Feedback == nil {
			continue
		}
		recorded++
		if c.Feedback.Outcome == engine.OutcomeIncluded {
			included = c
		}
		if c.Feedback.Outcome == engine.OutcomeNotIncluded && c.Feedback.Date != "2026-12-03" {
			t.Errorf("12月3日 read as %s", c.Feedback.Date)
		}
	}
	if recorded != 3 || included == nil || included.Feedback.MonitorType != engine.MonitorMarginal || included.Status != engine.StatusReported {
		t.Fatalf("recorded %d, included %+v", recorded, included)
	}
	// the same sheet again: nothing changes, nothing is counted twice
	fr2, err := a.ImportFeedback(context.Background(), []string{path})
	if err != nil || fr2.Unchanged != 3 || fr2.Recorded != 3 {
		t.Fatalf("second import: %+v %v", fr2, err)
	}
	// a correction keeps the old and the new value
	c, err := a.RecordFeedback(included.ID, engine.Feedback{Outcome: "纳入监测", MonitorType: "边缘易致贫户", Verifier: "张干部", Date: "2026-12-05", Entered: "2026-12-08"})
	if err != nil {
		t.Fatal(err)
	}
	last := c.History[len(c.History)-1]
	if last.Action != "更正核查结果" || !strings.Contains(last.New, "录入全国系统") || strings.Contains(last.Old, "录入全国系统") || c.Status != engine.StatusClosed {
		t.Errorf("correction: %+v, status %s", last, c.Status)
	}
	// a clue that was not assigned, and one that does not exist
	var pending string
	for _, cl := range clues {
		if !cl.Assigned() {
			pending = cl.ID
		}
	}
	if pending != "" {
		if _, err := a.RecordFeedback(pending, engine.Feedback{Outcome: "不纳入", Reason: "x", Verifier: "张", Date: "2026-12-05"}); err == nil || !strings.Contains(err.Error(), "尚未交办") {
			t.Errorf("result for an unassigned clue: %v", err)
		}
	}
	if _, err := a.RecordFeedback("2026-11-9999", engine.Feedback{}); err == nil {
		t.Error("unknown clue accepted")
	}
	// a date before the assignment is refused
	var other string
	for _, cl := range clues {
		if cl.Assigned() && cl.Feedback == nil {
			other = cl.ID
		}
	}
	if _, err := a.RecordFeedback(other, engine.Feedback{Outcome: "信息有误", Verifier: "王", Date: "2026-11-20"}); err == nil || !strings.Contains(err.Error(), "早于交办日期") {
		t.Errorf("date before assignment: %v", err)
	}
	log, _ := a.db.AuditLog(0)
	found := false
	for _, e := range log {
		found = found || (e.Action == "更正核查结果" && strings.Contains(e.Detail, "→"))
	}
	if !found {
		t.Error("correction not in the audit log")
	}
}

func TestReportsAgreeWithTheClues(t *testing.T) {
	a, period, res := assignedCounty(t, 200)
	// record a few results, then look after every deadline has passed
	clues, _ := a.db.Clues(period)
	a.Now = func() time.Time { return time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC) }
	n := 0
	for _, c := range clues {
		if c.Assigned() && c.Kind == engine.KindRisk && n < 5 {
			if _, err := a.RecordFeedback(c.ID, engine.Feedback{Outcome: "纳入监测", MonitorType: "脱贫不稳定户", Verifier: "张", Date: "2026-12-05"}); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	a.Now = func() time.Time { return time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC) }
	rep, err := a.Report(period)
	if err != nil {
		t.Fatal(err)
	}
	clues, _ = a.db.Clues(period)
	assigned, risk := 0, 0
	for _, c := range clues {
		if c.Kind == engine.KindRisk {
			risk++
			if c.Assigned() {
				assigned++
			}
		}
	}
	if rep.Total.Clues != risk || rep.Total.Assigned != assigned || rep.Total.Reported != 5 || rep.Total.Included != 5 ||
		rep.Total.ByType[engine.MonitorUnstable] != 5 || rep.Total.Overdue != assigned-5 || len(rep.Overdue) != assigned-5 {
		t.Fatalf("report total %+v (risk %d, assigned %d)", rep.Total, risk, assigned)
	}
	sum := 0
	for _, tw := range rep.Towns {
		sum += tw.Clues
	}
	if sum != rep.Total.Clues {
		t.Errorf("townships add up to %d, total %d", sum, rep.Total.Clues)
	}
	_ = res
	// the exported 月报表 shows the same figures
	out := t.TempDir()
	xlsx := filepath.Join(out, "月报表.xlsx")
	if err := a.ExportReport(period, xlsx); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("按乡镇")
	f.Close()
	last := rows[len(rows)-1]
	if last[0] != "合计" || last[1] != strconv.Itoa(rep.Total.Clues) || last[3] != "5" || last[13] != strconv.Itoa(rep.Total.Overdue) {
		t.Errorf("exported total row %v, report %+v", last, rep.Total)
	}
	// the bulletin PDF
	pdfPath := filepath.Join(out, "通报.pdf")
	if err := a.ExportBulletin(period, pdfPath); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, pdfPath)), "")
	for _, want := range []string{"调度通报", "各乡镇反馈率", "行业部门数据报送情况", rep.Towns[0].Name} {
		if !strings.Contains(text, want) {
			t.Errorf("bulletin lacks %q", want)
		}
	}
	// a department's result list, IDs masked
	dr := filepath.Join(out, "医保.xlsx")
	nrows, err := a.DeptResults(period, "医保局", dr, true)
	if err != nil || nrows == 0 {
		t.Fatalf("dept results: %d %v", nrows, err)
	}
	g, _ := excelize.OpenFile(dr)
	r2, _ := g.GetRows("住院自付")
	g.Close()
	masked := false
	for _, row := range r2[3:] {
		for _, v := range row {
			masked = masked || strings.Contains(v, "********")
		}
	}
	if !masked || r2[2][len(r2[2])-5] != "比对结果" {
		t.Errorf("dept results: masked %v, header %v", masked, r2[2])
	}
}

func TestSpotCheckIsReproducibleAndHistoryComplete(t *testing.T) {
	a, period, _ := assignedCounty(t, 200)
	if _, err := a.DrawSpotCheck(period, 2, 42); err == nil {
		t.Fatal("a draw before any result came back")
	}
	// the townships' results: only verified clues are checked in person
	a.Now = func() time.Time { return time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC) } // the visits are made
	clues, _ := a.db.Clues(period)
	verified := map[string]bool{}
	for i, c := range clues {
		if c.Assigned() && i%3 != 0 {
			if _, err := a.RecordFeedback(c.ID, engine.Feedback{Outcome: engine.OutcomeNotIncluded, Reason: "收入稳定", Verifier: "张", Date: c.AssignedOn}); err != nil {
				t.Fatal(err)
			}
			verified[c.ID] = true
		}
	}
	s1, err := a.DrawSpotCheck(period, 2, 42)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s1.Picks {
		if !verified[c.ID] {
			t.Errorf("drew %s, which has no result yet", c.ID)
		}
	}
	s2, _ := a.DrawSpotCheck(period, 2, 42)
	s3, _ := a.DrawSpotCheck(period, 2, 43)
	ids := func(s *SpotCheck) string {
		var x []string
		for _, c := range s.Picks {
			x = append(x, c.ID)
		}
		return strings.Join(x, ",")
	}
	if ids(s1) != ids(s2) || ids(s1) == ids(s3) {
		t.Errorf("same seed %v, other seed same %v", ids(s1) == ids(s2), ids(s1) == ids(s3))
	}
	for t2, n := range s1.Towns {
		if n > 2 || n < 1 {
			t.Errorf("%s: %d drawn", t2, n)
		}
	}
	if err := a.ExportSpotCheck(s1, filepath.Join(t.TempDir(), "抽查.xlsx")); err != nil {
		t.Fatal(err)
	}
	// 一户一档: from a member's ID, the household and its clues
	c := s1.Picks[0]
	h, err := a.History(c.Persons[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, hc := range h.Clues {
		found = found || hc.ID == c.ID
	}
	if !found || (c.Household != "" && (h.Household == nil || h.Household.No != c.Household)) {
		t.Errorf("history of %s: %+v", c.ID, h)
	}
	if _, err := a.History("没有这个人"); err == nil {
		t.Error("history of nobody")
	}
}

// TestADepartmentListIsNotTakenForAReturnedSheet: a department list (or
// the roster) chosen by mistake in 导入乡镇交回的交办单 is named as such.
func TestADepartmentListIsNotTakenForAReturnedSheet(t *testing.T) {
	a, c, dir := demoCounty(t, 40)
	var list string
	for _, f := range c.DeptFiles {
		if strings.HasSuffix(f.Name, ".xlsx") {
			list = filepath.Join(dir, f.Name)
			break
		}
	}
	_, err := a.ImportFeedback(context.Background(), []string{list})
	if err == nil || !strings.Contains(err.Error(), "这是部门清单") || !strings.Contains(err.Error(), "部门数据") {
		t.Errorf("a department list as a returned sheet: %v", err)
	}
	_, err = a.ImportFeedback(context.Background(), []string{filepath.Join(dir, c.Roster.Name)})
	if err == nil || !strings.Contains(err.Error(), "这是基础名册") {
		t.Errorf("the roster as a returned sheet: %v", err)
	}
}
