package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"bidui/engine"
	"bidui/engine/excel"
)

// RecordFeedback records (or corrects) the verification result of one clue.
func (a *App) RecordFeedback(clueID string, f engine.Feedback) (*engine.Clue, error) {
	c, ok, err := a.db.Clue(strings.TrimSpace(clueID))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("没有编号为 %s 的线索", clueID)
	}
	if err := engine.CheckFeedback(&f, &c, a.Now()); err != nil {
		return nil, err
	}
	f.At, f.Operator = a.Now(), a.operatorName()
	if f.Source == "" {
		f.Source = "手工录入"
	}
	if !engine.ApplyFeedback(&c, f) {
		return &c, nil
	}
	ev := c.History[len(c.History)-1]
	if err := a.db.SaveClues([]engine.Clue{c}, a.auditEntry(ev.Action, c.ID+"："+ev.Old+" → "+ev.New)); err != nil {
		return nil, err
	}
	return &c, nil
}

// AwaitingClue is an assigned clue still without a result, with the
// working days left to its deadline (negative: the working days overdue).
type AwaitingClue struct {
	engine.Clue
	DaysLeft int
}

// AwaitingResults lists the assigned clues of periods still without a
// result, the most overdue first: what 核查反馈 shows before a search.
func (a *App) AwaitingResults(periods []string) ([]AwaitingClue, error) {
	cal, err := a.Calendar()
	if err != nil {
		return nil, err
	}
	now := a.Now()
	var out []AwaitingClue
	for _, p := range periods {
		clues, err := a.db.Clues(p)
		if err != nil {
			return nil, err
		}
		for _, c := range clues {
			if !c.Assigned() || c.Feedback != nil {
				continue
			}
			left := 0
			if d, err := time.Parse("2006-01-02", c.Deadline); err == nil {
				left = cal.WorkdaysLeft(now, d)
			}
			out = append(out, AwaitingClue{Clue: c, DaysLeft: left})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].DaysLeft != out[j].DaysLeft {
			return out[i].DaysLeft < out[j].DaysLeft
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// FindClues finds clues by number, ID number or name, newest period first.
func (a *App) FindClues(q string) ([]engine.Clue, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if c, ok, err := a.db.Clue(q); err != nil || ok {
		if ok {
			return []engine.Clue{c}, err
		}
		return nil, err
	}
	kind, value := "N", q
	if id := engine.ParseID(q); id.Usable() {
		kind, value = "P", id.Norm
	} else if strings.IndexFunc(q, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
		kind = "H" // all digits and not an ID: a household number
	}
	out, err := a.db.CluesBy(kind, value)
	if err != nil {
		return nil, err
	}
	// newest period first
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}

// FeedbackResult is the §7 JSON of a feedback import.
type FeedbackResult struct {
	Files     []string
	Rows      int
	Recorded  int // new or corrected results, and results already recorded as they are
	Unchanged int // of recorded: the same as already on file (a sheet imported twice)
	Rejected  int
	// Waiting are the rows with a clue number and nothing else filled in:
	// clues the township has not visited yet, not in Rows
	Waiting int
	Issues  []engine.Issue
}

var feedbackFields = []engine.Field{
	{Key: "clue", Label: "线索编号", Required: true, Synonyms: []string{"编号", "线索号"}},
	{Key: "outcome", Label: "核查结果", Required: true, Synonyms: []string{"核查情况", "结果", "核实结果"}},
	{Key: "mtype", Label: "监测类型", Synonyms: []string{"监测对象类别", "纳入类型"}},
	{Key: "reason", Label: "情况说明", Synonyms: []string{"说明", "备注", "不纳入原因", "原因"}},
	{Key: "verifier", Label: "核查人", Synonyms: []string{"核查人员", "入户核查人"}},
	{Key: "date", Label: "核查日期", Synonyms: []string{"核查时间", "入户日期", "日期"}},
	{Key: "township", Label: "乡镇", Synonyms: engine.FieldTownship.Synonyms},
	{Key: "measures", Label: "帮扶措施", Synonyms: []string{"落实措施", "措施"}},
	{Key: "entered", Label: "录入系统日期", Synonyms: []string{"录入全国系统日期", "系统录入日期"}},
}

// ImportFeedback records the results townships typed into the xlsx twins.
// It tolerates added, removed or reordered columns and blank rows; a row
// with an unknown clue number, an invalid outcome, a missing reason or a bad
// date is rejected with its reason, and all the others are recorded together
// in one transaction.
func (a *App) ImportFeedback(ctx context.Context, paths []string) (_ *FeedbackResult, err error) {
	defer a.guard(&err, "导入核查结果")
	fi := &feedbackImport{a: a, res: &FeedbackResult{Issues: []engine.Issue{}}, changed: map[string]engine.Clue{}}
	res := fi.res
	for _, path := range paths {
		wb, err := excel.Open(path)
		if err != nil {
			return nil, err
		}
		file := filepath.Base(path)
		res.Files = append(res.Files, file)
		sheet := wb.Sheets[0]
		fi.date1904 = wb.Date1904
		_, err = readSheet(ctx, wb, sheet, feedbackFields, func(h *engine.Header, r engine.TableRow) {
			fi.row(file, sheet, h, r)
		})
		var he *engine.HeaderError
		if errors.As(err, &he) {
			if what := a.whatFileIs(wb, sheet); what != "" {
				err = fmt.Errorf("%s：这是%s，不是乡镇交回的交办单。%w", file, what, err)
			}
		}
		wb.Close()
		if err != nil {
			return nil, err
		}
	}
	changed, order := fi.changed, fi.order
	if res.Rows == 0 && res.Waiting > 0 {
		return res, fmt.Errorf("%s：表中 %d 条线索都还没有填写核查结果，没有可记录的内容", strings.Join(res.Files, "、"), res.Waiting)
	}
	if res.Rows == 0 {
		return res, fmt.Errorf("%s：没有找到带线索编号的结果行，请确认是本系统导出的交办单 Excel", strings.Join(res.Files, "、"))
	}
	if len(changed) > 0 {
		var list []engine.Clue
		for _, id := range order {
			list = append(list, changed[id])
		}
		if err := a.db.SaveClues(list, a.auditEntry("导入核查结果", fmt.Sprintf("%s：%d 行，记录 %d（其中未变 %d），退回 %d",
			strings.Join(res.Files, "、"), res.Rows, res.Recorded, res.Unchanged, res.Rejected))); err != nil {
			return nil, fmt.Errorf("核查结果未保存（数据库保持原样）：%w", err)
		}
	}
	return res, nil
}

// feedbackImport is one import of returned sheets while its rows are read:
// the counts, and the clues changed so far (a clue may appear twice).
type feedbackImport struct {
	a       *App
	res     *FeedbackResult
	changed map[string]engine.Clue
	order   []string // the changed clues' IDs, first change first
	// date1904: the sheet was saved by Excel for Mac, its date serial
	// numbers counted from 1904
	date1904 bool
}

// row records or rejects one result row.
func (fi *feedbackImport) row(file, sheet string, h *engine.Header, r engine.TableRow) {
	a, res := fi.a, fi.res
	id := h.Col(r.Cells, "clue")
	if id == "" {
		return // a row without a clue number is not a result row
	}
	filled := false
	for _, k := range []string{"outcome", "mtype", "reason", "verifier", "date", "measures", "entered"} {
		filled = filled || h.Col(r.Cells, k) != ""
	}
	if !filled {
		res.Waiting++ // not visited yet: still waiting for its result
		return
	}
	res.Rows++
	reject := func(col, msg string) {
		res.Rejected++
		res.Issues = append(res.Issues, engine.Issue{File: file, Sheet: sheet, Row: r.Line, Column: col, Message: msg})
	}
	c, ok := fi.changed[id]
	if !ok {
		var err error
		if c, ok, err = a.db.Clue(id); err != nil {
			reject("线索编号", err.Error())
			return
		}
	}
	switch t := h.Col(r.Cells, "township"); {
	case !ok:
		reject("线索编号", "没有编号为 "+id+" 的线索")
		return
	case t != "" && t != c.Township:
		reject("乡镇", fmt.Sprintf("线索 %s 属于 %s，表中写的是 %s，是否拿错了别的乡镇的表？", id, c.Township, t))
		return
	case h.Col(r.Cells, "outcome") == "":
		reject("核查结果", "核查结果未填")
		return
	}
	f := engine.Feedback{Outcome: h.Col(r.Cells, "outcome"), MonitorType: h.Col(r.Cells, "mtype"), Reason: h.Col(r.Cells, "reason"),
		Verifier: h.Col(r.Cells, "verifier"), Date: h.Col(r.Cells, "date"), Measures: h.Col(r.Cells, "measures"),
		Entered: h.Col(r.Cells, "entered"), Source: file, At: a.Now(), Operator: a.operatorName()}
	if fi.date1904 {
		f.Date, f.Entered = engine.From1904(f.Date), engine.From1904(f.Entered)
	}
	if fi.date1904 {
		f.Date, f.Entered = engine.From1904(f.Date), engine.From1904(f.Entered)
	}
	if err := engine.CheckFeedback(&f, &c, a.Now()); err != nil {
		reject("", err.Error())
		return
	}
	res.Recorded++
	if !engine.ApplyFeedback(&c, f) {
		res.Unchanged++
		return
	}
	if _, seen := fi.changed[id]; !seen {
		fi.order = append(fi.order, id)
	}
	fi.changed[id] = c
}

// whatFileIs names a file chosen by mistake for a township's sheet: a
// department list or the roster, told by its header; "" when neither.
func (a *App) whatFileIs(wb *excel.Workbook, sheet string) string {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var head [][]string
	for len(head) < 30 && rows.Next() {
		head = append(head, append([]string(nil), rows.Cells()...))
	}
	if h, ok := engine.DetectHeader(head, engine.RosterFields); ok && len(h.Missing) == 0 {
		return "基础名册（请在“基础名册”页导入）"
	}
	for _, r := range head {
		if guess := a.Catalog.GuessList(r); len(guess) > 0 {
			return "部门清单（" + strings.Join(guess, "、") + "，请在“部门数据”页导入）"
		}
	}
	return ""
}

// ExportRejected writes the rows of a returned sheet that were sent back,
// with the reason for each, for the township to correct and return.
func (a *App) ExportRejected(res *FeedbackResult, path string) error {
	rows := [][]any{{"退回乡镇核实的结果行（" + strings.Join(res.Files, "、") + "）"}, {"文件", "工作表", "行号", "列", "退回原因"}}
	for _, is := range res.Issues {
		rows = append(rows, []any{is.File, is.Sheet, is.Row, is.Column, is.Message})
	}
	return excel.WriteXLSX(path, excel.Sheet{Name: "退回", Rows: rows, HeaderRows: 2, Widths: map[int]float64{0: 28, 1: 12, 4: 60},
		Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleHeader}})
}
