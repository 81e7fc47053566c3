package app

import (
	"fmt"

	"bidui/engine"
)

// ChecklistStep is one step of a batch month's work, as the home page
// lists them: its page, whether it is done, whether something in it is
// late, and its state in words.
type ChecklistStep struct {
	Name  string
	Page  string // the window's page that does it
	State string
	Done  bool
	Late  bool // overdue, or out of date: shown in red
}

// WorkingPeriod is the batch month the officer is most likely working on:
// the newest one with department lists, else the current month.
func (a *App) WorkingPeriod() (string, error) {
	imports, err := a.db.ListImports("")
	if err != nil {
		return "", err
	}
	p := ""
	for _, im := range imports {
		if im.Period > p {
			p = im.Period
		}
	}
	if p == "" {
		p = engine.MonthOf(a.Now()).String()
	}
	return p, nil
}

// Checklist is a batch month's work in order: 名册 → 部门报送 → 比对 →
// 待复核 → 交办 → 打印 → 反馈 → 月报.
func (a *App) Checklist(period string) ([]ChecklistStep, error) {
	r, err := a.Roster()
	if err != nil {
		return nil, err
	}
	steps := []ChecklistStep{{Name: "基础名册", Page: "基础名册", Done: len(r.Persons) > 0, State: "尚未导入：先导入全国系统导出的人员明细"}}
	if len(r.Persons) > 0 {
		st := r.Stats()
		steps[0].State = fmt.Sprintf("%d 户 %d 人", st.Households, st.Persons)
	}
	board, err := a.Board(period)
	if err != nil {
		return nil, err
	}
	steps = append(steps, boardStep(board))
	run, compared, err := a.db.MatchRun(period)
	if err != nil {
		return nil, err
	}
	cmp := ChecklistStep{Name: "数据比对", Page: "比对与线索", State: "尚未比对"}
	if compared {
		cmp.Done = board.Stale == ""
		cmp.State = fmt.Sprintf("%s 已比对：预警线索 %d 条，信息变更 %d 条，续报 %d 条", run.At.Format("01-02 15:04"), run.Counts.Clues, run.Counts.Changes, run.Counts.FollowUps)
		if board.Stale != "" {
			cmp.Late, cmp.State = true, "比对结果已过期："+board.Stale
		}
	}
	review := ChecklistStep{Name: "待复核", Page: "比对与线索", Done: compared && len(run.Review) == 0, State: "比对后才有"}
	if compared {
		review.State = fmt.Sprintf("身份证号有问题、待确认的行 %d 行", len(run.Review))
	}
	steps = append(steps, cmp, review)
	rest, err := a.workSteps(period, compared)
	if err != nil {
		return nil, err
	}
	return append(steps, rest...), nil
}

// boardStep is the departments' submissions of the month.
func boardStep(b *Board) ChecklistStep {
	in, overdue := 0, 0
	for _, e := range b.Entries {
		if e.Submitted {
			in++
		}
		if e.Overdue {
			overdue++
		}
	}
	s := ChecklistStep{Name: "部门报送", Page: "部门数据", Done: in == len(b.Entries), Late: overdue > 0,
		State: fmt.Sprintf("已报送 %d/%d 类清单（截止 %s）", in, len(b.Entries), b.Due)}
	if overdue > 0 {
		s.State += fmt.Sprintf("，逾期未报 %d 类", overdue)
	}
	return s
}

// workSteps are 交办, 打印, 反馈 and 月报 of a period.
func (a *App) workSteps(period string, compared bool) ([]ChecklistStep, error) {
	pv, err := a.PreviewAssign(period, engine.AssignOptions{})
	if err != nil {
		return nil, err
	}
	pending := len(pv.Unplaced)
	for _, p := range pv.Plans {
		pending += len(p.Clues)
	}
	printed := 0
	for _, g := range pv.Assignments {
		if !g.Printed.IsZero() {
			printed++
		}
	}
	asg := ChecklistStep{Name: "集中交办", Page: "交办打印", Done: compared && pending == 0 && len(pv.Assignments) > 0,
		State: fmt.Sprintf("已交办 %d 份，待交办 %d 条", len(pv.Assignments), pending)}
	prn := ChecklistStep{Name: "打印交办单", Page: "交办打印", Done: len(pv.Assignments) > 0 && printed == len(pv.Assignments),
		State: fmt.Sprintf("已打印 %d/%d 份", printed, len(pv.Assignments))}
	rep, err := a.Report(period)
	if err != nil {
		return nil, err
	}
	t := rep.Total
	fb := ChecklistStep{Name: "核查反馈", Page: "核查反馈", Done: t.Assigned > 0 && t.Reported == t.Assigned, Late: t.Overdue > 0,
		State: fmt.Sprintf("已反馈 %d/%d 条", t.Reported, t.Assigned)}
	if t.Overdue > 0 {
		fb.State += fmt.Sprintf("，逾期未反馈 %d 条", t.Overdue)
	}
	month := ChecklistStep{Name: "月报与通报", Page: "统计报表", Done: fb.Done, State: "反馈齐全后导出月报表和调度通报（随时可导出当前进度）"}
	if fb.Done {
		month.State = "反馈已齐全：可导出月报表和调度通报"
	}
	return []ChecklistStep{asg, prn, fb, month}, nil
}
