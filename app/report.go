package app

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"bidui/assets"
	"bidui/engine"
	"bidui/engine/excel"
	"bidui/engine/pdf"
)

// Tally counts clues and what came of them.
type Tally struct {
	Name        string
	Clues       int
	Assigned    int
	Reported    int // a result is recorded
	Closed      int
	Included    int
	ByType      map[string]int
	NotIncluded int
	Already     int
	WrongInfo   int
	Other       int
	Overdue     int
}

// RateDefinitions says once what each rate counts; the report, the
// window and the bulletin show it with the figures.
const RateDefinitions = "反馈率 = 已反馈核查结果的线索 ÷ 已交办的线索；办结率 = 已办结的线索 ÷ 已交办的线索（已办结：核查结果为不纳入等，" +
	"或纳入监测且已录入全国系统）。线索指风险线索；信息变更（名册人员的人口变动）另行计数，不计入线索和各项比率。"

// FeedbackRate is the share of assigned clues with a result, in percent
// (反馈率).
func (t *Tally) FeedbackRate() float64 {
	if t.Assigned == 0 {
		return 0
	}
	return float64(t.Reported) * 100 / float64(t.Assigned)
}

// ClosedRate is the share of assigned clues closed, in percent (办结率): a
// 纳入监测 result counts once it is entered in the national system.
func (t *Tally) ClosedRate() float64 {
	if t.Assigned == 0 {
		return 0
	}
	return float64(t.Closed) * 100 / float64(t.Assigned)
}

func (t *Tally) add(c *engine.Clue, overdue bool) {
	t.Clues++
	if c.Assigned() {
		t.Assigned++
	}
	if c.Feedback != nil {
		t.Reported++
		switch c.Feedback.Outcome {
		case engine.OutcomeIncluded:
			t.Included++
			if t.ByType == nil {
				t.ByType = map[string]int{}
			}
			t.ByType[c.Feedback.MonitorType]++
		case engine.OutcomeNotIncluded:
			t.NotIncluded++
		case engine.OutcomeAlready:
			t.Already++
		case engine.OutcomeWrongInfo:
			t.WrongInfo++
		case engine.OutcomeOther:
			t.Other++
		}
	}
	if c.Status == engine.StatusClosed {
		t.Closed++
	}
	if overdue {
		t.Overdue++
	}
}

// OverdueClue is an assigned clue past its deadline without a result.
type OverdueClue struct {
	ID       string
	Township string
	Village  string
	Head     string
	Deadline string
	Days     int
}

// Report is a period's figures; the screen and the exported files both show
// this one value, so they agree.
type Report struct {
	Period  string
	Today   string
	Total   Tally
	Towns   []Tally
	Depts   []Tally
	Types   []Tally
	Overdue []OverdueClue
	Board   *Board
}

// MonthFlows is how the batch month's clues moved, and the month before's
// (see engine.FlowDefinition).
func (a *App) MonthFlows(period string) (cur, prev engine.MonthFlow, err error) {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return cur, prev, err
	}
	// both months count the clues of earlier batches still open when the
	// month before began: the open ones, and those closed since
	p0 := m.Add(-1).String()
	all, err := a.db.LiveClues(p0, p0+"-01")
	if err != nil {
		return cur, prev, err
	}
	recent, err := a.db.CluesBetween(p0, m.Add(1).String())
	if err != nil {
		return cur, prev, err
	}
	all = append(all, recent...)
	follow := func(p string) int {
		run, ok, _ := a.db.MatchRun(p)
		if !ok {
			return 0
		}
		return run.Counts.FollowUps
	}
	return engine.Flow(period, all, follow(period)), engine.Flow(p0, all, follow(p0)), nil
}

// YieldMonths is the range of months a report's list yields cover.
const YieldMonths = 12

// ListYields is what each department list brought over the months
// months ending with period: clues raised, verified, 纳入监测.
func (a *App) ListYields(period string, months int) ([]engine.ListYield, error) {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return nil, err
	}
	var all []engine.Clue
	for _, p := range m.Months(months) {
		clues, err := a.db.Clues(p)
		if err != nil {
			return nil, err
		}
		for _, c := range clues {
			if c.Kind == engine.KindRisk {
				all = append(all, c)
			}
		}
	}
	return engine.ListYields(all), nil
}

// Report counts a period's clues by township, department, risk type and
// outcome, with what is overdue as of today.
func (a *App) Report(period string) (*Report, error) {
	if err := engine.ValidPeriod(period); err != nil {
		return nil, err
	}
	clues, err := a.db.Clues(period)
	if err != nil {
		return nil, err
	}
	cal, err := a.Calendar()
	if err != nil {
		return nil, err
	}
	now := a.Now()
	today := engine.DateOf(now)
	rep := &Report{Period: period, Today: today.Format("2006-01-02"), Total: Tally{Name: "合计"}}
	towns, depts, types := map[string]*Tally{}, map[string]*Tally{}, map[string]*Tally{}
	get := func(m map[string]*Tally, k string) *Tally {
		if m[k] == nil {
			m[k] = &Tally{Name: k}
		}
		return m[k]
	}
	for i := range clues {
		c := &clues[i]
		if c.Kind != engine.KindRisk {
			continue // 信息变更 are roster updates, not warnings
		}
		overdue := false
		if c.Status == engine.StatusAssigned && c.Feedback == nil {
			if dl, ok := engine.ParseDate(c.Deadline, 0); ok && dl.Before(today) {
				overdue = true
				rep.Overdue = append(rep.Overdue, OverdueClue{ID: c.ID, Township: c.Township, Village: c.Village, Head: c.Head,
					Deadline: c.Deadline, Days: -cal.WorkdaysLeft(today, dl)})
			}
		}
		rep.Total.add(c, overdue)
		get(towns, c.Township).add(c, overdue)
		for _, d := range c.Depts() {
			get(depts, d).add(c, overdue)
		}
		for _, t := range c.RiskTypes() {
			get(types, t).add(c, overdue)
		}
	}
	flat := func(m map[string]*Tally) []Tally {
		out := make([]Tally, 0, len(m))
		for _, t := range m {
			out = append(out, *t)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out
	}
	rep.Towns, rep.Depts, rep.Types = flat(towns), flat(depts), flat(types)
	sort.Slice(rep.Overdue, func(i, j int) bool { return rep.Overdue[i].ID < rep.Overdue[j].ID })
	if rep.Board, err = a.Board(period); err != nil {
		return nil, err
	}
	return rep, nil
}

// flowRows lays the month over month out as a sheet, with its definition.
func flowRows(title string, cur, prev engine.MonthFlow) [][]any {
	rows := [][]any{{title}, {engine.FlowDefinition}, {"项目", cur.Period + " 批次", prev.Period + " 批次", "增减"}}
	for _, x := range []struct {
		name string
		c, p int
	}{{"新增线索", cur.New, prev.New}, {"上批次结转", cur.CarriedIn, prev.CarriedIn}, {"本月办结", cur.Closed, prev.Closed},
		{"月末未办结", cur.OpenAtEnd, prev.OpenAtEnd}, {"续报（未再生成线索）", cur.FollowUps, prev.FollowUps}} {
		rows = append(rows, []any{x.name, x.c, x.p, x.c - x.p})
	}
	return rows
}

// yieldRows lays the list yields out as a sheet, with the rate's definition.
func yieldRows(title string, ys []engine.ListYield) [][]any {
	rows := [][]any{{title}, {engine.YieldDefinition}, {"部门", "清单", "形成线索", "已交办", "已核查", "纳入监测", "转化率(%)"}}
	for _, y := range ys {
		rows = append(rows, []any{y.Dept, y.List, y.Raised, y.Assigned, y.Verified, y.Included, math.Round(y.Rate*10) / 10})
	}
	return rows
}

// tallyHeader and tallyRow lay a tally out as a sheet row.
var tallyHeader = []any{"名称", "风险线索", "已交办", "已反馈", "反馈率(%)", "纳入监测", "其中脱贫不稳定户", "其中边缘易致贫户", "其中突发严重困难户",
	"不纳入", "已是监测对象", "信息有误", "其他", "逾期未反馈", "已办结", "办结率(%)"}

func tallyRow(t Tally) []any {
	return []any{t.Name, t.Clues, t.Assigned, t.Reported, math.Round(t.FeedbackRate()*10) / 10, t.Included,
		t.ByType[engine.MonitorUnstable], t.ByType[engine.MonitorMarginal], t.ByType[engine.MonitorSuddenHard],
		t.NotIncluded, t.Already, t.WrongInfo, t.Other, t.Overdue, t.Closed, math.Round(t.ClosedRate()*10) / 10}
}

// ExportReport writes the 月报表 as an xlsx: by township, department, risk
// type, the outcomes, the overdue clues and the departments' submissions.
func (a *App) ExportReport(period, path string) error {
	rep, err := a.Report(period)
	if err != nil {
		return err
	}
	yields, err := a.ListYields(period, YieldMonths)
	if err != nil {
		return err
	}
	// the month over month reads every earlier clue: done where it is shown,
	// not on every report
	flow, prevFlow, err := a.MonthFlows(period)
	if err != nil {
		return err
	}
	s := a.Settings()
	title := func(what string) [][]any {
		return [][]any{{fmt.Sprintf("%s防止返贫监测预警线索%s（%s）", s.CountyName, what, periodTitle(period))},
			{fmt.Sprintf("统计日期：%s　内部资料 注意保密。%s", rep.Today, RateDefinitions)}, tallyHeader}
	}
	tallies := func(name, what string, list []Tally) excel.Sheet {
		rows := title(what)
		for _, t := range list {
			rows = append(rows, tallyRow(t))
		}
		rows = append(rows, tallyRow(rep.Total))
		return excel.Sheet{Name: name, Rows: rows, Merges: [][2]string{{"A1", "P1"}, {"A2", "P2"}},
			Widths: map[int]float64{0: 16}, Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}}
	}
	outcomes := [][]any{{fmt.Sprintf("%s核查结果（%s）", s.CountyName, periodTitle(period))}, {"核查结果", "户数"},
		{engine.OutcomeIncluded, rep.Total.Included}, {"　其中 " + engine.MonitorUnstable, rep.Total.ByType[engine.MonitorUnstable]},
		{"　其中 " + engine.MonitorMarginal, rep.Total.ByType[engine.MonitorMarginal]}, {"　其中 " + engine.MonitorSuddenHard, rep.Total.ByType[engine.MonitorSuddenHard]},
		{engine.OutcomeNotIncluded, rep.Total.NotIncluded}, {engine.OutcomeAlready, rep.Total.Already}, {engine.OutcomeWrongInfo, rep.Total.WrongInfo},
		{engine.OutcomeOther, rep.Total.Other}, {"尚未反馈", rep.Total.Assigned - rep.Total.Reported}, {"逾期未反馈", rep.Total.Overdue}}
	overdue := [][]any{{fmt.Sprintf("逾期未反馈线索（截至 %s）", rep.Today)}, {"线索编号", "乡镇", "村", "户主", "办结期限", "逾期工作日"}}
	for _, o := range rep.Overdue {
		overdue = append(overdue, []any{o.ID, o.Township, o.Village, o.Head, o.Deadline, o.Days})
	}
	board := [][]any{{fmt.Sprintf("部门数据报送情况（截止 %s）", rep.Board.Due)}, {"部门", "清单", "状态", "报送时间", "数据行", "有效", "有问题"}}
	for _, e := range rep.Board.Entries {
		at := ""
		if e.Submitted {
			at = e.At.Format("2006-01-02 15:04")
		}
		board = append(board, []any{e.Dept, e.List, e.Status, at, e.Rows, e.Valid, e.Invalid})
	}
	hs := map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleHeader}
	return excel.WriteXLSX(path,
		excel.Sheet{Name: "月度对比", Rows: flowRows(fmt.Sprintf("%s预警线索月度对比（%s）", s.CountyName, periodTitle(period)), flow, prevFlow),
			Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}, Widths: map[int]float64{0: 16, 1: 14, 2: 14}},
		tallies("按乡镇", "月报表·按乡镇", rep.Towns),
		tallies("按部门", "月报表·按部门", rep.Depts),
		tallies("按风险类型", "月报表·按风险类型", rep.Types),
		excel.Sheet{Name: "按核查结果", Rows: outcomes, Styles: hs, Widths: map[int]float64{0: 26}},
		excel.Sheet{Name: "逾期线索", Rows: overdue, Styles: hs, Widths: map[int]float64{0: 14, 1: 10, 2: 10}},
		excel.Sheet{Name: "部门报送", Rows: board, Styles: hs, Widths: map[int]float64{0: 14, 1: 10, 2: 16, 3: 18}},
		excel.Sheet{Name: "各清单成效", Rows: yieldRows(fmt.Sprintf("各部门清单成效（近%d个月，截至%s）", YieldMonths, periodTitle(period)), yields),
			Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}, Widths: map[int]float64{0: 14, 1: 12}})
}

// HouseholdHistory is 一户一档: a household (or an off-roster person) with
// every clue of every period.
type HouseholdHistory struct {
	Household *engine.Household
	Members   []*engine.Person
	Clues     []engine.Clue
	// FollowUps are the risks that followed up an assigned clue and raised
	// none (续报), oldest first.
	FollowUps []engine.FollowUp
}

// History gathers everything about a household, found by its number or any
// member's ID number.
func (a *App) History(key string) (*HouseholdHistory, error) {
	r, err := a.Roster()
	if err != nil {
		return nil, err
	}
	key = strings.TrimSpace(key)
	h := &HouseholdHistory{}
	hh := key
	if p, ok := r.Person(engine.ParseID(key).Norm); ok {
		hh = p.HouseholdNo
	}
	if x := r.Households[hh]; x != nil {
		h.Household, h.Members = x, r.Members(hh)
	}
	id := engine.ParseID(key).Norm
	seen := map[string]bool{}
	add := func(kind, value string) error {
		if value == "" {
			return nil
		}
		cs, err := a.db.CluesBy(kind, value)
		for _, c := range cs {
			if !seen[c.ID] {
				seen[c.ID] = true
				h.Clues = append(h.Clues, c)
			}
		}
		return err
	}
	if h.Household != nil {
		if err := add("H", h.Household.No); err != nil {
			return nil, err
		}
	}
	if err := add("P", id); err != nil {
		return nil, err
	}
	sort.Slice(h.Clues, func(i, j int) bool { return h.Clues[i].ID < h.Clues[j].ID })
	if err := h.addFollowUps(a, id); err != nil {
		return nil, err
	}
	if h.Household == nil && len(h.Clues) == 0 {
		return nil, fmt.Errorf("名册和线索中都没有“%s”", key)
	}
	return h, nil
}

// addFollowUps adds the household's (or the person's) follow-ups.
func (h *HouseholdHistory) addFollowUps(a *App, id string) error {
	// the follow-ups that would have gone into the household's clue, and
	// into the clues the person's risks went into (a person off the roster,
	// or one who has since moved household): a follow-up always follows a
	// clue of the same person
	own := map[string]bool{}
	var keys []string
	if h.Household != nil {
		k := engine.ClueKey(engine.KindRisk, h.Household.No, "")
		own[k] = true
		keys = append(keys, k)
	}
	if id != "" {
		keys = append(keys, engine.ClueKey(engine.KindRisk, "", id))
	}
	for _, c := range h.Clues {
		keys = append(keys, c.Key)
	}
	fs, err := a.db.FollowUpsOf(engine.Unique(keys)...)
	if err != nil {
		return err
	}
	for _, f := range fs {
		// another household's follow-ups: only this person's
		if own[f.Key] || f.Risk.Person == id {
			h.FollowUps = append(h.FollowUps, f)
		}
	}
	return nil
}

// SpotCheck is a random draw of assigned clues per township to check in
// person (seed 004: 双随机). The seed is shown so the draw can be repeated
// and checked by anyone.
type SpotCheck struct {
	Period string
	Seed   uint64
	Per    int
	Picks  []engine.Clue
	Towns  map[string]int
}

// DrawSpotCheck draws per clues per township among those assigned.
func (a *App) DrawSpotCheck(period string, per int, seed uint64) (*SpotCheck, error) {
	if per < 1 {
		return nil, fmt.Errorf("每个乡镇至少抽 1 条")
	}
	clues, err := a.db.Clues(period)
	if err != nil {
		return nil, err
	}
	by := map[string][]engine.Clue{}
	for _, c := range clues {
		if c.Assigned() && c.Feedback != nil { // a check of what the townships say they verified
			by[c.Township] = append(by[c.Township], c)
		}
	}
	if len(by) == 0 {
		return nil, fmt.Errorf("%s 批次还没有乡镇反馈了核查结果的线索，无从抽查", period)
	}
	var towns []string
	for t := range by {
		towns = append(towns, t)
	}
	sort.Strings(towns)
	r := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	sc := &SpotCheck{Period: period, Seed: seed, Per: per, Towns: map[string]int{}}
	for _, t := range towns {
		list := by[t]
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		idx := r.Perm(len(list))
		n := min(per, len(list))
		picked := make([]engine.Clue, 0, n)
		for _, i := range idx[:n] {
			picked = append(picked, list[i])
		}
		sort.Slice(picked, func(i, j int) bool { return picked[i].ID < picked[j].ID })
		sc.Picks = append(sc.Picks, picked...)
		sc.Towns[t] = n
	}
	_ = a.db.Audit(a.auditEntry("双随机抽查", fmt.Sprintf("%s：每乡镇 %d 条，种子 %d，共 %d 条", period, per, seed, len(sc.Picks))))
	return sc, nil
}

// ExportSpotCheck writes the draw as a printable list.
func (a *App) ExportSpotCheck(sc *SpotCheck, path string) error {
	s := a.Settings()
	rows := [][]any{{fmt.Sprintf("%s防止返贫监测预警线索双随机抽查名单（%s）", s.CountyName, periodTitle(sc.Period))},
		{fmt.Sprintf("抽取方法：每个乡镇从已交办线索中随机抽取 %d 条；随机种子 %d（用同一种子可重现本次抽取结果）。抽查人员：__________　内部资料", sc.Per, sc.Seed)},
		{"序号", "线索编号", "乡镇", "村", "户主", "风险类型", "核查结果", "抽查情况", "抽查人", "抽查日期"}}
	for i, c := range sc.Picks {
		rows = append(rows, []any{i + 1, c.ID, c.Township, c.Village, c.Head, strings.Join(c.RiskTypes(), "、"), c.Outcome, "", "", ""})
	}
	return excel.WriteXLSX(path, excel.Sheet{Name: "抽查名单", Rows: rows, Merges: [][2]string{{"A1", "J1"}, {"A2", "J2"}},
		Widths: map[int]float64{1: 14, 2: 10, 3: 10, 5: 16, 6: 12, 7: 30}, Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}})
}

// DeptResults writes one department's result list for a period: each of its
// rows with what came of it (matched, off the roster, below the line, the
// clue and the township's finding), and its problem rows on a second sheet.
// ID numbers are masked unless mask is false: the list leaves the bureau.
func (a *App) DeptResults(period, dept, path string, mask bool) (int, error) {
	d, ok := a.Catalog.Dept(dept)
	if !ok {
		return 0, fmt.Errorf("部门目录中没有“%s”", dept)
	}
	in, err := a.matchInput(period)
	if err != nil {
		return 0, err
	}
	res := engine.Match(*in) // the outcomes follow from the stored rows and clues
	clues := map[string]*engine.Clue{}
	for i := range in.Existing {
		clues[in.Existing[i].ID] = &in.Existing[i]
	}
	s := a.Settings()
	var sheets []excel.Sheet
	var problems [][]any
	n := 0
	for li, ld := range in.Lists {
		if ld.Rec.Dept != d.Name {
			continue
		}
		idCol := ld.Rec.Columns["id"]
		hdr := []any{"原表行号"}
		for _, h := range ld.Rec.Header {
			hdr = append(hdr, h)
		}
		hdr = append(hdr, "比对结果", "是否预警", "线索编号", "核查结果", "情况说明")
		rows := [][]any{{fmt.Sprintf("%s%s %s %s清单比对与核查结果", s.CountyName, d.Name, periodTitle(period), ld.Rec.List)},
			{fmt.Sprintf("原文件：%s　导出：%s　内部资料 注意保密", ld.Rec.File, a.Now().Format("2006-01-02"))}, hdr}
		for ri, row := range ld.Rows {
			o := res.Outcomes[li][ri]
			cells := originalCells(row, len(ld.Rec.Header), idCol, mask)
			line := append([]any{row.Line}, cells...)
			bucket := map[string]string{engine.BucketMatched: "名册内", engine.BucketOffRoster: "名册外", engine.BucketReview: "待复核", engine.BucketInvalid: "有问题"}[o.Bucket]
			warn := ""
			switch {
			case o.Clue != "":
				warn = "是"
			case o.Below:
				warn = "未达标准"
			}
			outcome, reason := "", ""
			if c := clues[o.Clue]; c != nil && c.Feedback != nil {
				outcome, reason = c.Feedback.Outcome, c.Feedback.Reason
			} else if c != nil {
				outcome = c.Status
			}
			line = append(line, bucket, warn, o.Clue, outcome, reason)
			rows = append(rows, line)
			n++
			if o.Bucket == engine.BucketInvalid || o.Bucket == engine.BucketReview {
				p := append([]any{ld.Rec.List, row.Line}, cells...)
				problems = append(problems, append(p, o.Reason))
			}
		}
		sheets = append(sheets, excel.Sheet{Name: ld.Rec.List, Rows: rows, Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}})
	}
	if len(sheets) == 0 {
		return 0, fmt.Errorf("%s 批次没有 %s 的清单", period, d.Name)
	}
	prob := [][]any{{"有问题的行（请核实后重新报送）"}, {"清单", "原表行号", "原始数据…", "问题"}}
	prob = append(prob, problems...)
	sheets = append(sheets, excel.Sheet{Name: "有问题的行", Rows: prob, Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleHeader}})
	if err := excel.WriteXLSX(path, sheets...); err != nil {
		return 0, err
	}
	_ = a.db.Audit(a.auditEntry("导出部门结果清单", fmt.Sprintf("%s %s：%d 行，身份证号%s", period, d.Name, n, map[bool]string{true: "已隐藏中间位", false: "完整"}[mask])))
	return n, nil
}

// prevPeriod is the month before a YYYY-MM period.
func prevPeriod(p string) string {
	m, err := engine.ParseMonth(p)
	if err != nil {
		return p
	}
	return m.Add(-1).String()
}

// ExportBulletin writes the 双月调度通报 for the two months ending with
// period as a PDF: a summary, completion per township in a table and a bar
// chart, and the departments' submission timeliness.
func (a *App) ExportBulletin(period, path string) error {
	months := []string{prevPeriod(period), period}
	towns := map[string]*Tally{}
	var total Tally
	var boards []*Board
	rows := 0
	for _, m := range months {
		rep, err := a.Report(m)
		if err != nil {
			return err
		}
		for _, t := range rep.Towns {
			x := towns[t.Name]
			if x == nil {
				x = &Tally{Name: t.Name}
				towns[t.Name] = x
			}
			x.Clues += t.Clues
			x.Assigned += t.Assigned
			x.Reported += t.Reported
			x.Overdue += t.Overdue
			x.Included += t.Included
		}
		total.Clues += rep.Total.Clues
		total.Assigned += rep.Total.Assigned
		total.Reported += rep.Total.Reported
		total.Overdue += rep.Total.Overdue
		total.Included += rep.Total.Included
		boards = append(boards, rep.Board)
		for _, e := range rep.Board.Entries {
			rows += e.Rows
		}
	}
	s := a.Settings()
	b := pdf.Bulletin{Title: fmt.Sprintf("%s防止返贫监测预警工作调度通报（%s至%s）", s.CountyName, periodTitle(months[0]), periodTitle(months[1])),
		Date: fmt.Sprintf("%s乡村振兴局　%s", s.CountyName, a.Now().Format("2006年1月2日")), Months: []string{periodTitle(months[0]), periodTitle(months[1])}}
	var names []string
	for n := range towns {
		names = append(names, n)
	}
	sort.Strings(names)
	var laggards []string
	for _, n := range names {
		t := towns[n]
		b.Towns = append(b.Towns, pdf.TownBar{Name: n, Assigned: t.Assigned, Reported: t.Reported, Overdue: t.Overdue, Rate: t.FeedbackRate()})
		if t.Overdue > 0 {
			laggards = append(laggards, fmt.Sprintf("%s（%d 条）", n, t.Overdue))
		}
	}
	b.Summary = append(b.Summary, fmt.Sprintf("%s至%s，各行业部门共报送数据 %d 行，经比对形成预警线索 %d 条，已交办 %d 条，乡镇已反馈核查结果 %d 条（反馈率 %.1f%%），已办结 %d 条（办结率 %.1f%%），新纳入监测 %d 户；逾期未反馈 %d 条。",
		periodTitle(months[0]), periodTitle(months[1]), rows, total.Clues, total.Assigned, total.Reported, total.FeedbackRate(), total.Closed, total.ClosedRate(), total.Included, total.Overdue))
	if len(laggards) > 0 {
		b.Summary = append(b.Summary, "逾期未反馈的乡镇："+strings.Join(laggards, "、")+"。请相关乡镇抓紧入户核查，及时反馈结果。")
	} else if waiting := total.Assigned - total.Reported; waiting > 0 {
		b.Summary = append(b.Summary, fmt.Sprintf("暂无逾期未反馈的线索；尚有 %d 条在办结期限内，待乡镇核查反馈。", waiting))
	} else if total.Assigned > 0 {
		b.Summary = append(b.Summary, "各乡镇已反馈全部交办线索的核查结果。")
	}
	late := deptLines(&b, boards)
	if len(late) > 0 {
		b.Summary = append(b.Summary, "逾期报送或尚未报送数据的部门清单："+strings.Join(engine.Unique(late), "、")+"。")
	}
	if err := a.bulletinYields(&b, months[1]); err != nil {
		return err
	}
	if err := pdf.WriteBulletin(path, assets.Font, b); err != nil {
		return err
	}
	_ = a.db.Audit(a.auditEntry("导出调度通报", path))
	return nil
}

// originalCells are a row's cells as the department sent them, one per
// header column, the ID column masked when asked.
func originalCells(row engine.DeptRow, n, idCol int, mask bool) []any {
	out := make([]any, n)
	for ci := 0; ci < n; ci++ {
		v := ""
		if ci < len(row.Cells) {
			v = row.Cells[ci]
		}
		if mask && ci == idCol {
			v = engine.MaskID(v)
		}
		out[ci] = v
	}
	return out
}

// LatestComparedPeriod is the newest of periods (newest first) whose lists
// have been compared, "" if none: what a report screen opens on, so that at
// the start of a month it shows the month under way, not an empty one.
func (a *App) LatestComparedPeriod(periods []string) string {
	for _, p := range periods {
		if _, ok, err := a.db.MatchRun(p); err == nil && ok {
			return p
		}
	}
	return ""
}

// deptLines puts each department list's submission in the two months on
// the bulletin, and returns the lists late or missing.
func deptLines(b *pdf.Bulletin, boards []*Board) (late []string) {
	for _, e := range boards[0].Entries {
		line := pdf.DeptLine{Name: e.Dept + "·" + e.List}
		for _, bd := range boards {
			for _, f := range bd.Entries {
				if f.Dept == e.Dept && f.List == e.List {
					line.Status = append(line.Status, f.Status)
					if f.Overdue || f.Late { // missing after the due day, or sent after it
						late = append(late, e.Dept+"·"+e.List)
					}
				}
			}
		}
		b.Depts = append(b.Depts, line)
	}
	return late
}

// bulletinYields puts what each list brought over the year to period on
// the bulletin.
func (a *App) bulletinYields(b *pdf.Bulletin, period string) error {
	ys, err := a.ListYields(period, YieldMonths)
	if err != nil {
		return err
	}
	b.YieldNote = fmt.Sprintf("近%d个月（截至%s）。%s。", YieldMonths, periodTitle(period), engine.YieldDefinition)
	for _, y := range ys {
		b.Yields = append(b.Yields, pdf.YieldLine{Name: y.Dept + "·" + y.List, Raised: y.Raised, Verified: y.Verified, Included: y.Included, Rate: y.Rate})
	}
	return nil
}
