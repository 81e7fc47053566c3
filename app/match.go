package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"bidui/engine"
	"bidui/engine/excel"
)

// MatchResult is what a comparison reports (DESIGN.md §7 shape, and more).
type MatchResult struct {
	engine.MatchCounts
	Conflicts []engine.Conflict
}

// Match runs the comparison for a period: the current department lists
// against the roster, the rules, the review decisions; the clues are merged
// into the period's existing ones and everything is stored in one
// transaction. Nothing is written if ctx is cancelled before the end.
func (a *App) Match(ctx context.Context, period string) (*MatchResult, error) {
	return a.MatchWith(ctx, period, MatchOptions{})
}

// MatchOptions are a comparison's progress report and the officer's word
// on an unusual result.
type MatchOptions struct {
	// Progress is told after each list how many of the lists and rows are
	// compared.
	Progress func(lists, total, rows int)
	// Force stores a result of unusually many clues without asking.
	Force bool
}

// UnusualFactor is how many times the last month's risk clues a comparison
// may raise (with at least UnusualFloor of them) before the officer is
// asked whether to store it: a wrong list or rule is likelier than a county
// ten times poorer.
const UnusualFactor = 10

// UnusualFloor is the fewest risk clues that are ever asked about.
var UnusualFloor = 500

// MatchWith is Match with options: progress with counts, cancelled through
// ctx (nothing is written), and a question on an unusual result.
func (a *App) MatchWith(ctx context.Context, period string, opt MatchOptions) (_ *MatchResult, err error) {
	defer a.guard(&err, "数据比对")
	if err := engine.ValidPeriod(period); err != nil {
		return nil, err
	}
	in, err := a.matchInput(period)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled("已取消比对，线索保持原样")
	}
	in.Progress = func(lists, rows int) bool {
		if opt.Progress != nil {
			opt.Progress(lists, len(in.Lists), rows)
		}
		return ctx.Err() == nil
	}
	res := engine.Match(*in)
	in = nil // the rows and earlier clues go before the clues are packed and stored
	res.Outcomes = nil
	if err := ctx.Err(); err != nil || res.Stopped {
		return nil, cancelled("已取消比对，线索保持原样")
	}
	if !opt.Force {
		if q, err := a.unusual(period, res.Counts.Clues); err != nil || q != "" {
			if err != nil {
				return nil, err
			}
			return nil, &NeedsConfirm{Reasons: []string{q}}
		}
	}
	// the row outcomes are not stored: they follow from the stored rows and
	// clues, and a comparison run again reproduces them
	run := engine.MatchRun{Period: period, At: a.Now(), Operator: a.operatorName(), Counts: res.Counts, Conflicts: res.Conflicts,
		Review: res.Review}
	c := res.Counts
	detail := fmt.Sprintf("%s：数据行 %d，匹配 %d，名册外 %d，未达标准 %d，待复核 %d，无效 %d；线索 %d 条、信息变更 %d 条（新增 %d，更新 %d）；续报 %d，再次预警 %d",
		period, c.Rows, c.Matched, c.OffRoster, c.BelowThreshold, c.Review, c.Invalid, c.Clues, c.Changes, c.NewClues, c.UpdatedClues, c.FollowUps, c.RaisedAgain)
	if err := a.db.SaveMatch(run, res.Clues, res.FollowUps, a.auditEntry("数据比对", detail)); err != nil {
		return nil, fmt.Errorf("比对结果保存失败，线索保持原样：%w", err)
	}
	if res.Conflicts == nil {
		res.Conflicts = []engine.Conflict{}
	}
	return &MatchResult{MatchCounts: res.Counts, Conflicts: res.Conflicts}, nil
}

// unusual says why a comparison's count of risk clues should be confirmed
// before it is stored: many times the month before's.
func (a *App) unusual(period string, clues int) (string, error) {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return "", err
	}
	prev := m.Add(-1).String()
	earlier, err := a.db.Clues(prev)
	if err != nil {
		return "", err
	}
	before := 0
	for _, c := range earlier {
		if c.Kind == engine.KindRisk {
			before++
		}
	}
	if before == 0 || clues < UnusualFloor || clues < UnusualFactor*before {
		return "", nil
	}
	return fmt.Sprintf("这次比对得到预警线索 %d 条，是上月（%s）%d 条的 %d 倍多：可能选错了清单、导入了别的月份，或规则有误。请先核对；确认无误才保存这次结果", clues, prev, before, clues/before), nil
}

// matchInput gathers what the engine needs, and refuses a comparison that
// cannot mean anything.
func (a *App) matchInput(period string) (*engine.MatchInput, error) {
	// the roster loads beside the rest: what is left of it after decoding
	// (its indexes) then takes turns with the rows' decoding on two cores
	type loaded struct {
		r   *engine.Roster
		err error
	}
	roster := make(chan loaded, 1)
	go func() {
		r, err := a.Roster()
		roster <- loaded{r, err}
	}()
	in := &engine.MatchInput{Period: period, Catalog: a.Catalog, Now: a.Now()}
	err := a.loadMatchData(in)
	got := <-roster
	if got.err != nil {
		return nil, got.err
	}
	if len(got.r.Persons) == 0 {
		return nil, errors.New("尚未导入基础名册，无法比对：请先导入全国防返贫监测信息系统导出的基础名册")
	}
	in.Roster = got.r
	return in, err
}

// loadMatchData reads a comparison's rows and what it weighs them against.
func (a *App) loadMatchData(in *engine.MatchInput) error {
	imports, err := a.db.ListImports(in.Period)
	if err != nil {
		return err
	}
	for _, im := range imports {
		if !im.Current() {
			continue
		}
		rows, err := a.db.ListRows(im.Seq)
		if err != nil {
			return err
		}
		in.Lists = append(in.Lists, engine.ListData{Rec: im, Rows: rows})
	}
	if len(in.Lists) == 0 {
		return fmt.Errorf("%s 批次还没有导入任何部门清单，无法比对：请先在“部门数据”中导入", in.Period)
	}
	if in.Register, err = a.db.Register(); err != nil {
		return err
	}
	if in.Reviews, err = a.db.Reviews(); err != nil {
		return err
	}
	if in.Existing, err = a.db.Clues(in.Period); err != nil {
		return err
	}
	// the earlier clues a comparison needs: those inside the longest
	// look-back (follow-ups), and the open ones of any age (repeats)
	in.Earlier, err = a.earlierClues(in.Period, a.Catalog.MaxLookBack())
	return err
}

// ReviewQueue returns the rows waiting for review in a period's last comparison.
func (a *App) ReviewQueue(period string) ([]engine.ReviewItem, error) {
	run, ok, err := a.db.MatchRun(period)
	if err != nil || !ok {
		return nil, err
	}
	return run.Review, nil
}

// Confirm records that a reviewed row is the roster person id; the next
// comparison puts the row into that household's clue.
func (a *App) Confirm(ref engine.RowRef, personID string) error {
	r, err := a.Roster()
	if err != nil {
		return err
	}
	p, ok := r.Person(personID)
	if !ok {
		return fmt.Errorf("名册中没有身份证号为 %s 的人员", personID)
	}
	d := engine.ReviewDecision{Ref: ref, Person: personID, At: a.Now(), Operator: a.operatorName()}
	return a.db.SaveReview(d, a.auditEntry("复核确认", fmt.Sprintf("第%d次导入第%d行 确认为 %s（%s）", ref.Import, ref.Line, p.Name, p.ID)))
}

// Reject records that a reviewed row is none of the given candidates; they
// are not offered again.
func (a *App) Reject(ref engine.RowRef, personIDs []string) error {
	reviews, err := a.db.Reviews()
	if err != nil {
		return err
	}
	d := reviews[ref]
	d.Ref, d.Person = ref, ""
	d.Rejected = append(d.Rejected, personIDs...)
	d.At, d.Operator = a.Now(), a.operatorName()
	return a.db.SaveReview(d, a.auditEntry("复核否决", fmt.Sprintf("第%d次导入第%d行 不是 %s", ref.Import, ref.Line, strings.Join(personIDs, "、"))))
}

// ManualClue is a clue the officer adds from an application, the 12317
// hotline or a cadre's visit (seed 001).
type ManualClue struct {
	Period   string
	Source   string
	PersonID string
	Name     string // for a person not on the roster
	Township string // for a person not on the roster
	Village  string
	RiskType string
	Note     string
}

// RiskTypes are the risk types of the catalog, for choosing one by hand.
func (a *App) RiskTypes() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range a.Catalog.Departments {
		for _, l := range d.Lists {
			if !l.Change && !seen[l.RiskType] {
				seen[l.RiskType] = true
				out = append(out, l.RiskType)
			}
		}
	}
	return append(out, "其他")
}

// AddManualClue adds a clue by hand, numbered after the period's others.
func (a *App) AddManualClue(m ManualClue) (*engine.Clue, error) {
	if err := engine.ValidPeriod(m.Period); err != nil {
		return nil, err
	}
	valid := false
	for _, s := range engine.ManualSources {
		valid = valid || s == m.Source
	}
	if !valid {
		return nil, fmt.Errorf("线索来源应为：%s", strings.Join(engine.ManualSources, "、"))
	}
	if strings.TrimSpace(m.RiskType) == "" || strings.TrimSpace(m.Note) == "" {
		return nil, errors.New("请填写风险类型和情况说明")
	}
	id := engine.ParseID(m.PersonID)
	if !id.Usable() {
		return nil, fmt.Errorf("身份证号有误：%s", id.Reason)
	}
	r, err := a.Roster()
	if err != nil {
		return nil, err
	}
	n, err := a.db.NextClueNumber(m.Period)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	c := engine.Clue{ID: engine.ClueID(m.Period, n), Period: m.Period, Kind: engine.KindRisk, Source: m.Source,
		Status: engine.StatusPending, Created: now, Updated: now, Note: m.Note}
	c.Key = "M|" + c.ID // a manual clue is its own; comparisons never merge into it
	name := strings.TrimSpace(m.Name)
	if p, ok := r.Person(id.Norm); ok {
		h := r.Households[p.HouseholdNo]
		c.Household, c.Township, c.Village, c.Category, c.Head = p.HouseholdNo, h.Township, h.Village, h.Category, h.Head
		name = p.Name
	} else {
		if name == "" {
			return nil, errors.New("此人不在基础名册中，请填写姓名")
		}
		c.Category, c.Head = engine.CategoryOther, name
		c.Township, c.Village = strings.TrimSpace(m.Township), strings.TrimSpace(m.Village)
		if c.Township == "" {
			c.Township = engine.UnknownTownship
		}
	}
	c.Persons = []engine.CluePerson{{Name: name, ID: id.Norm}}
	c.Risks = []engine.Risk{{Dept: m.Source, List: "手工录入", Type: m.RiskType, Detail: m.Note, Person: id.Norm, Name: name, Added: now}}
	if err := a.db.SaveClue(c, a.auditEntry("手工新增线索", c.ID+" "+name+" "+m.RiskType+"："+m.Note)); err != nil {
		return nil, err
	}
	return &c, nil
}

// ImportRegister reads a rural-household register (农户花名册): the townships
// and villages of people who are not on the roster, used to send their
// clues to the right township.
func (a *App) ImportRegister(ctx context.Context, path string) (_ *FileCounts, err error) {
	defer a.guard(&err, "导入农户花名册")
	fields := []engine.Field{engine.FieldID, engine.FieldName, {Key: "township", Label: "乡镇", Required: true, Synonyms: engine.FieldTownship.Synonyms},
		{Key: "village", Label: "村", Synonyms: engine.FieldVillage.Synonyms}}
	wb, err := excel.Open(path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	fc := &FileCounts{File: filepath.Base(path), Sheet: wb.Sheets[0]}
	entries := map[string]engine.RegisterEntry{}
	st, err := readSheet(ctx, wb, wb.Sheets[0], fields, func(h *engine.Header, r engine.TableRow) {
		fc.Rows++
		id := h.ID(r)
		if !id.Usable() || h.Col(r.Cells, "township") == "" {
			fc.Invalid++
			return
		}
		if _, dup := entries[id.Norm]; dup {
			fc.Duplicates++
			fc.Invalid++
			return
		}
		fc.Valid++
		entries[id.Norm] = engine.RegisterEntry{Name: engine.CleanName(h.Col(r.Cells, "name")), Township: h.Col(r.Cells, "township"), Village: h.Col(r.Cells, "village")}
	})
	if err != nil {
		return nil, err
	}
	fc.Skipped = st.Skipped()
	if fc.Valid == 0 {
		return fc, fmt.Errorf("%s：没有一条有效记录（需要身份证号和乡镇），农户花名册未更改", fc.File)
	}
	if err := a.db.ReplaceRegister(entries, a.auditEntry("导入农户花名册", fmt.Sprintf("%s：%d 人", fc.File, fc.Valid))); err != nil {
		return nil, err
	}
	return fc, nil
}

// ExportClues writes a period's clues as an xlsx: one row per clue, IDs as text.
func (a *App) ExportClues(period, path string) (int, error) {
	clues, err := a.db.Clues(period)
	if err != nil {
		return 0, err
	}
	s := a.Settings()
	rows := [][]any{
		{fmt.Sprintf("%s防止返贫监测预警线索（%s）", s.CountyName, periodTitle(period))},
		{fmt.Sprintf("共 %d 条　导出时间：%s　内部资料 注意保密", len(clues), a.Now().Format("2006-01-02 15:04"))},
		{"线索编号", "类别", "来源", "乡镇", "村", "户编号", "户主", "户类型", "涉及人员", "身份证号", "风险类型", "线索来源部门", "情况摘要", "状态", "重复线索", "交办编号", "办结期限", "核查结果"},
	}
	for i := range clues {
		c := &clues[i]
		var names, ids, depts []string
		for _, p := range c.Persons {
			names = append(names, p.Name)
			ids = append(ids, p.ID)
		}
		for _, r := range c.Risks {
			depts = append(depts, r.Dept+"·"+r.List)
		}
		rows = append(rows, []any{c.ID, c.Kind, c.Source, c.Township, c.Village, c.Household, c.Head, c.Category.String(),
			strings.Join(names, "、"), strings.Join(ids, "、"), strings.Join(c.RiskTypes(), "、"), strings.Join(engine.Unique(depts), "、"),
			c.Summary(), c.Status, c.RepeatOf, c.Assignment, c.Deadline, c.Outcome})
	}
	err = excel.WriteXLSX(path, excel.Sheet{Name: "预警线索", Rows: rows, Merges: [][2]string{{"A1", "R1"}, {"A2", "R2"}},
		Widths: map[int]float64{0: 14, 3: 10, 4: 10, 5: 20, 8: 16, 9: 42, 10: 14, 11: 24, 12: 60},
		Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}})
	return len(clues), err
}

// earlierClues are the clues of the months months before period, and the
// clues still open from before those: read through the live index, not by
// reading every clue of five years.
func (a *App) earlierClues(period string, months int) ([]engine.Clue, error) {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return nil, err
	}
	return a.db.PriorClues(m.Add(-months).String(), period)
}
