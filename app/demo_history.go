package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"bidui/engine"
	"bidui/engine/demo"
	"bidui/engine/excel"
)

// DemoMonth is one earlier month the demo county was worked through.
type DemoMonth struct {
	Period      string
	Lists       int
	Clues       int
	Assignments int
	Results     int // results recorded from the townships' returned sheets
	Unanswered  int // assigned clues still without a result
	Dir         string
}

// withClock is the same App reading another clock: the demo's history is
// recorded at the days it would have happened, without touching a.Now.
func (a *App) withClock(now func() time.Time) *App {
	return &App{db: a.db, Catalog: a.Catalog, Now: now, operator: a.operator, settings: a.Settings()}
}

// demoHistory works the demo county through the months before the current
// one as an office would have: each month's department files imported on
// their days (one department late), the rural-household register, the
// comparison, the review rows with one clear candidate confirmed, the
// assignment on the first working day after the 2nd of the next month, the
// sheets printed, and the townships' filled sheets imported when they came
// back — with the visits not yet made left blank, so the newest month is
// in progress and a few clues of the older ones are overdue. The files it
// made stay in dir/往月（已导入）/YYYY-MM for the officer to look at.
func (a *App) demoHistory(ctx context.Context, c *demo.County, dir string, periods []string, seed uint64, clock *time.Time, today time.Time) ([]DemoMonth, error) {
	cal, err := a.Calendar()
	if err != nil {
		return nil, err
	}
	h := &demoHistory{a: a, ctx: ctx, c: c, cal: cal, v: demo.NewVerifier(seed), clock: clock, today: today}
	var out []DemoMonth
	for i, p := range periods {
		m, err := h.month(p, filepath.Join(dir, "往月（已导入）", p), seed+uint64(1000*(i+1)), i == len(periods)-1)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// demoHistory is the demo's earlier months while they are worked through;
// clock is the App's clock, set to the moment of each step.
type demoHistory struct {
	a     *App
	ctx   context.Context
	c     *demo.County
	cal   *engine.Calendar
	v     *demo.Verifier
	clock *time.Time
	today time.Time
}

// at sets the clock to a day of period p.
func (h *demoHistory) at(p string, d, hour, min int) time.Time {
	m, _ := engine.ParseMonth(p)
	*h.clock = m.Day(d, hour, min, time.Local)
	return *h.clock
}

// month works one earlier month through, its files in sub.
func (h *demoHistory) month(p, sub string, seed uint64, newest bool) (DemoMonth, error) {
	m := DemoMonth{Period: p, Dir: sub}
	var err error
	if m.Lists, err = h.importLists(p, sub, seed); err != nil {
		return m, err
	}
	if err := h.compare(p); err != nil {
		return m, err
	}
	pr, assigned, err := h.assignAndPrint(p, sub)
	if err != nil {
		return m, err
	}
	m.Assignments = assigned
	if m.Results, err = h.a.demoReturns(h.ctx, h.v, h.cal, pr.Files, filepath.Join(sub, "乡镇反馈"), h.clock, h.today, newest); err != nil {
		return m, err
	}
	clues, err := h.a.db.Clues(p)
	if err != nil {
		return m, err
	}
	for _, cl := range clues {
		if cl.Kind == engine.KindRisk {
			m.Clues++
		}
		if cl.Assigned() && cl.Feedback == nil {
			m.Unanswered++
		}
	}
	return m, nil
}

// importLists writes the month's department files and the register into
// sub and imports them on their days; it returns the lists imported.
func (h *demoHistory) importLists(p, sub string, seed uint64) (int, error) {
	pc := *h.c
	pc.Period, pc.DeptFiles, pc.OffRoster = p, nil, nil
	pc.MakeDeptFiles(h.a.Catalog, seed)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return 0, fmt.Errorf("无法创建示例文件夹 %s：%w", sub, err)
	}
	for k, f := range pc.DeptFiles {
		path := filepath.Join(sub, f.Name)
		if err := WriteDemoFile(path, f); err != nil {
			return 0, err
		}
		d := 8 + (k*5)%15
		if k == 4 {
			d = 27 // one department after the 25th: late on the board
		}
		h.at(p, d, 9, k*3)
		if _, err := h.a.ImportList(h.ctx, ListRequest{Period: p, Dept: f.Dept, List: f.List, Path: path}, nil); err != nil {
			return 0, fmt.Errorf("示范县 %s 批次 %s 导入失败：%w", p, f.Name, err)
		}
	}
	regPath := filepath.Join(sub, "农户花名册.xlsx")
	if err := writeDemoRegister(regPath, h.c.Name, pc.OffRoster); err != nil {
		return 0, err
	}
	h.at(p, 28, 9, 0)
	if _, err := h.a.ImportRegister(h.ctx, regPath); err != nil {
		return 0, err
	}
	return len(pc.DeptFiles), nil
}

// compare runs the comparison, confirms the review rows with one clear
// candidate, and compares again when it confirmed any.
func (h *demoHistory) compare(p string) error {
	h.at(p, 28, 10, 0)
	if _, err := h.a.Match(h.ctx, p); err != nil {
		return err
	}
	queue, err := h.a.ReviewQueue(p)
	if err != nil {
		return err
	}
	confirmed := 0
	for _, it := range queue {
		cs := it.Candidates
		if len(cs) == 1 || (len(cs) > 1 && cs[0].Score > cs[1].Score) {
			if err := h.a.Confirm(it.Ref, cs[0].ID); err != nil {
				return err
			}
			confirmed++
		}
	}
	if confirmed > 0 {
		h.at(p, 28, 11, 0)
		if _, err := h.a.Match(h.ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// assignAndPrint assigns on the first working day from the 3rd of the next
// month (today at the latest) and prints the sheets into sub/交办单.
func (h *demoHistory) assignAndPrint(p, sub string) (*PrintResult, int, error) {
	m, _ := engine.ParseMonth(p)
	next := m.Add(1).Day(3, 0, 0, time.Local)
	for !h.cal.IsWorkday(next) {
		next = next.AddDate(0, 0, 1)
	}
	if next.After(h.today) {
		next = h.today
	}
	*h.clock = time.Date(next.Year(), next.Month(), next.Day(), 9, 30, 0, 0, time.Local)
	if h.clock.After(h.today) {
		*h.clock = h.today
	}
	ar, err := h.a.Assign(p, next, engine.AssignOptions{})
	if err != nil {
		return nil, 0, err
	}
	pr, err := h.a.Print(p, filepath.Join(sub, "交办单"), nil)
	return pr, len(ar.Assignments), err
}

// demoReturns fills each township's xlsx twin as the township would (the
// visits made by the day it sends the sheet back; two columns of its own
// added at the end) and imports it on that day. It returns the results
// recorded.
func (a *App) demoReturns(ctx context.Context, v *demo.Verifier, cal *engine.Calendar, printed []string, dir string, clock *time.Time, today time.Time, newest bool) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("无法创建示例文件夹 %s：%w", dir, err)
	}
	type sheet struct {
		path string
		back time.Time
	}
	var sheets []sheet
	midnight := engine.DateOf(today)
	for _, twin := range printed {
		if !strings.HasSuffix(twin, ".xlsx") {
			continue
		}
		rows, back, err := a.demoFill(v, cal, twin, today, newest)
		if err != nil {
			return 0, err
		}
		if back.IsZero() {
			continue // nothing visited yet: the township has not sent anything back
		}
		base := strings.TrimSuffix(filepath.Base(twin), ".xlsx")
		path := filepath.Join(dir, base+"_核查结果.xlsx")
		if err := excel.WriteXLSX(path, excel.Sheet{Name: "交办单", Rows: asAny(rows), HeaderRows: 3}); err != nil {
			return 0, err
		}
		if back = back.AddDate(0, 0, 1); back.After(midnight) {
			back = midnight
		}
		sheets = append(sheets, sheet{path, back})
	}
	// imported in the order the sheets came back
	sort.SliceStable(sheets, func(i, j int) bool { return sheets[i].back.Before(sheets[j].back) })
	recorded := 0
	for k, s := range sheets {
		*clock = time.Date(s.back.Year(), s.back.Month(), s.back.Day(), 14, k, 0, 0, time.Local)
		if clock.After(today) {
			*clock = today
		}
		res, err := a.ImportFeedback(ctx, []string{s.path})
		if err != nil {
			return 0, err
		}
		recorded += res.Recorded - res.Unchanged
	}
	return recorded, nil
}

// demoFill fills one printed twin with the results of the visits made by
// today; back is the last day a result was written (zero when none was).
func (a *App) demoFill(v *demo.Verifier, cal *engine.Calendar, twin string, today time.Time, newest bool) (rows [][]string, back time.Time, err error) {
	rows, err = readAllRows(twin)
	if err != nil {
		return nil, back, err
	}
	midnight := engine.DateOf(today)
	for r := range rows {
		if r < 2 {
			continue
		}
		if r == 2 {
			rows[r] = append(rows[r], "帮扶措施", "录入系统日期")
			continue
		}
		if len(rows[r]) == 0 {
			continue
		}
		cl, ok, err := a.db.Clue(rows[r][0])
		if err != nil || !ok {
			continue
		}
		f, days := v.Answer(&cl)
		on, _ := engine.ParseDate(cl.AssignedOn, today.Year())
		visit := cal.AddWorkdays(on, days)
		// the newest month is under way; in older ones a few visits were never made
		if !visit.Before(midnight) || (!newest && v.Chance(0.03)) {
			continue
		}
		entered := ""
		if f.Outcome == engine.OutcomeIncluded {
			if e := cal.AddWorkdays(visit, 2); e.Before(midnight) {
				entered = e.Format("2006-01-02")
			}
		}
		for len(rows[r]) < len(TwinHeader) {
			rows[r] = append(rows[r], "")
		}
		rows[r] = append(rows[r][:9], f.Outcome, f.MonitorType, f.Reason, f.Verifier, visit.Format("2006-01-02"), f.Measures, entered)
		if entered != "" {
			visit, _ = engine.ParseDate(entered, today.Year())
		}
		if visit.After(back) {
			back = visit
		}
	}
	return rows, back, nil
}

// readAllRows reads the first sheet of a spreadsheet as text.
func readAllRows(path string) ([][]string, error) {
	wb, err := excel.Open(path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	rows, err := wb.Rows(wb.Sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		out = append(out, append([]string(nil), rows.Cells()...))
	}
	return out, rows.Err()
}

func asAny(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, c := range r {
			out[i][j] = c
		}
	}
	return out
}
