package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bidui/engine"
)

// feedbackScreen is 核查反馈: find a clue by number, ID or name, record its
// result with the keyboard (Enter saves and moves to the next clue of the
// same sheet), import the townships' filled sheets, see the clue's history.
type feedbackScreen struct {
	m       *mainWindow
	found   []engine.Clue
	left    map[string]int // working days left, for the clues awaiting a result
	head    *widget.Label
	sheet   []engine.Clue // the clues of the current clue's assignment
	cur     *engine.Clue
	search  *widget.Entry
	results *widget.List
	info    *widget.Label
	outcome *widget.RadioGroup
	mtype   *widget.Select
	reason  *widget.Entry
	who     *widget.Entry
	date    *widget.Entry
	measure *widget.Entry
	entered *widget.Entry
	save    *widget.Button
	status  *widget.Label
	box     fyne.CanvasObject
}

func newFeedbackScreen(m *mainWindow) *feedbackScreen {
	s := &feedbackScreen{m: m}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("输入线索编号、身份证号或姓名后按回车")
	s.search.OnSubmitted = func(q string) { s.find(q) }
	s.results = widget.NewList(func() int { return len(s.found) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := s.found[i]
			done := ""
			if c.Feedback != nil {
				done = "✓ "
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s%s %s %s %s", done, c.ID, c.Township, c.Head, dueText(c, s.left)))
		})
	s.results.OnSelected = func(i widget.ListItemID) { s.open(s.found[i]) }
	s.info = widget.NewLabel("")
	s.info.Wrapping = fyne.TextWrapWord
	s.outcome = widget.NewRadioGroup(engine.Outcomes, func(string) { s.onOutcome() })
	s.outcome.Horizontal = true
	s.mtype = newSelect(engine.MonitorTypes, nil)
	s.mtype.PlaceHolder = "纳入监测时选择"
	s.reason = widget.NewEntry()
	s.reason.SetPlaceHolder("不纳入、其他须逐户说明原因")
	s.reason.OnSubmitted = func(string) { s.onSave() }
	s.who = widget.NewEntry()
	s.who.OnSubmitted = func(string) { s.onSave() }
	s.date = widget.NewEntry()
	s.date.OnSubmitted = func(string) { s.onSave() }
	s.measure = widget.NewEntry()
	s.measure.SetPlaceHolder("可不填")
	s.entered = widget.NewEntry()
	s.entered.SetPlaceHolder("录入全国防返贫监测信息系统的日期，可不填")
	s.save = widget.NewButton("保存并到下一条（Enter）", s.onSave)
	s.save.Importance = widget.HighImportance
	s.status = widget.NewLabel("数字键 1–5 选择核查结果，Enter 保存并跳到本交办单的下一条。")
	s.status.Wrapping = fyne.TextWrapWord
	importBtn := widget.NewButton("导入乡镇交回的 Excel…", s.onImport)
	form := widget.NewForm(
		widget.NewFormItem("核查结果", s.outcome), widget.NewFormItem("监测类型", s.mtype), widget.NewFormItem("情况说明", s.reason),
		widget.NewFormItem("核查人", s.who), widget.NewFormItem("核查日期", s.date),
		widget.NewFormItem("帮扶措施", s.measure), widget.NewFormItem("录入系统日期", s.entered))
	// a wrapped label inside a box inside a scroll gets one line of height:
	// the clue's text scrolls on its own, above the form
	info := container.NewVScroll(s.info)
	info.SetMinSize(fyne.NewSize(600, 230))
	right := container.NewBorder(info, container.NewVBox(container.NewHBox(s.save), s.status), nil, nil, form)
	s.head = widget.NewLabel("")
	s.head.Wrapping = fyne.TextWrapWord
	left := container.NewBorder(container.NewVBox(s.search, importBtn, s.head), nil, nil, nil, s.results)
	split := container.NewHSplit(left, right)
	split.Offset = 0.3
	s.box = split
	return s
}

func (s *feedbackScreen) content() fyne.CanvasObject { return s.box }

func (s *feedbackScreen) shown() {
	if s.date.Text == "" {
		s.date.SetText(s.m.app.Now().Format("2006-01-02"))
	}
	s.m.setPageKeys(s.typedKey)
	s.m.win.Canvas().Focus(s.search)
	if strings.TrimSpace(s.search.Text) == "" {
		s.showAwaiting()
	}
}

// showAwaiting lists the assigned clues still without a result, the most
// overdue first: what is left to chase and to type in.
func (s *feedbackScreen) showAwaiting() {
	list, err := s.m.app.AwaitingResults(recentPeriods(s.m.app.Now()))
	if err != nil {
		s.m.showError(err)
		return
	}
	s.found, s.left = make([]engine.Clue, len(list)), make(map[string]int, len(list))
	overdue := 0
	for i, a := range list {
		s.found[i], s.left[a.ID] = a.Clue, a.DaysLeft
		if a.DaysLeft < 0 {
			overdue++
		}
	}
	s.results.UnselectAll()
	s.results.Refresh()
	s.head.SetText(fmt.Sprintf("近12个月待反馈 %d 条，其中逾期 %d 条（最逾期的在前）", len(list), overdue))
}

// dueText is a clue's state in the list: its deadline standing while it
// awaits a result, else its status.
func dueText(c engine.Clue, left map[string]int) string {
	d, ok := left[c.ID]
	switch {
	case !ok || c.Feedback != nil:
		return c.Status
	case d < 0:
		return fmt.Sprintf("逾期 %d 个工作日", -d)
	case d == 0:
		return "今天到期"
	}
	return fmt.Sprintf("剩 %d 个工作日", d)
}

// typedKey picks an outcome with 1–5 when no entry has the focus.
func (s *feedbackScreen) typedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5:
		i := int(k.Name[0] - '1')
		s.outcome.SetSelected(engine.Outcomes[i])
		// the field the result needs next takes the keyboard: the reason
		// of 不纳入 and 其他, the type of 纳入监测
		switch o := engine.Outcomes[i]; {
		case o == engine.OutcomeNotIncluded || o == engine.OutcomeOther:
			s.m.win.Canvas().Focus(s.reason)
		case o == engine.OutcomeIncluded && s.mtype.Selected == "":
			s.m.win.Canvas().Focus(s.mtype)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		s.onSave()
	}
}

func (s *feedbackScreen) find(q string) {
	if strings.TrimSpace(q) == "" {
		s.showAwaiting()
		return
	}
	found, err := s.m.app.FindClues(q)
	if err != nil {
		s.m.showError(err)
		return
	}
	s.found = found
	s.head.SetText(fmt.Sprintf("“%s”：%d 条（清空搜索框后回车，回到待反馈列表）", strings.TrimSpace(q), len(found)))
	s.results.Refresh()
	if len(found) == 0 {
		s.status.SetText("没有找到“" + q + "”")
		return
	}
	s.results.Select(0)
	// the keys now choose the result, not more text in the search box
	s.m.win.Canvas().Unfocus()
}

// open shows a clue and loads the sheet it went out on.
func (s *feedbackScreen) open(c engine.Clue) {
	s.cur = &c
	s.sheet = nil
	if c.Assignment != "" {
		s.sheet, _ = s.m.app.SheetClues(c.Period, c.Assignment)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "线索 %s　%s %s　户主 %s（%s）\n", c.ID, c.Township, c.Village, c.Head, c.Category.String())
	fmt.Fprintf(&b, "交办：%s　期限 %s　状态：%s\n", c.Assignment, c.Deadline, c.Status)
	fmt.Fprintf(&b, "风险：%s\n%s\n", strings.Join(c.RiskTypes(), "、"), c.Summary())
	if len(c.History) > 0 {
		b.WriteString("\n记录：\n")
		for _, e := range c.History {
			fmt.Fprintf(&b, "%s %s %s", e.At.Format("2006-01-02 15:04"), e.Operator, e.Action)
			if e.Old != "" {
				fmt.Fprintf(&b, "：原为 %s", e.Old)
			}
			if e.New != "" {
				fmt.Fprintf(&b, " → %s", e.New)
			}
			b.WriteString("\n")
		}
	}
	s.info.SetText(b.String())
	if f := c.Feedback; f != nil {
		s.outcome.SetSelected(f.Outcome)
		s.mtype.SetSelected(f.MonitorType)
		s.reason.SetText(f.Reason)
		s.who.SetText(f.Verifier)
		s.date.SetText(f.Date)
		s.measure.SetText(f.Measures)
		s.entered.SetText(f.Entered)
	} else {
		s.outcome.SetSelected("")
		s.mtype.ClearSelected()
		s.reason.SetText("")
		s.measure.SetText("")
		s.entered.SetText("")
	}
	s.onOutcome()
}

func (s *feedbackScreen) onOutcome() {
	if s.outcome.Selected == engine.OutcomeIncluded {
		s.mtype.Enable()
	} else {
		s.mtype.Disable()
	}
}

// onSave records the result and moves to the next clue of the same sheet.
func (s *feedbackScreen) onSave() {
	if s.cur == nil {
		return
	}
	c, err := s.m.app.RecordFeedback(s.cur.ID, engine.Feedback{Outcome: s.outcome.Selected, MonitorType: s.mtype.Selected,
		Reason: s.reason.Text, Verifier: s.who.Text, Date: s.date.Text, Measures: s.measure.Text, Entered: s.entered.Text})
	if err != nil {
		s.status.SetText("未保存：" + err.Error())
		s.focusFault(err)
		return
	}
	// the next clue's result is chosen with the keys: no field keeps them
	s.m.win.Canvas().Unfocus()
	s.status.SetText(fmt.Sprintf("已保存 %s：%s（%s）", c.ID, c.Feedback.Outcome, c.Status))
	// next on the same sheet without a result
	for i, x := range s.sheet {
		if x.ID == c.ID {
			s.sheet[i] = *c
		}
	}
	for _, x := range s.sheet {
		if x.ID > c.ID && x.Feedback == nil {
			s.found = []engine.Clue{x}
			s.results.Refresh()
			s.open(x)
			s.results.Select(0)
			return
		}
	}
	s.status.SetText(s.status.Text + "。本交办单已全部录入。")
}

// focusFault puts the keyboard in the field a refused result is missing.
func (s *feedbackScreen) focusFault(err error) {
	c := s.m.win.Canvas()
	var fe *engine.FieldError
	if !errors.As(err, &fe) {
		c.Unfocus()
		return
	}
	field := map[string]fyne.Focusable{"reason": s.reason, "monitor_type": s.mtype, "verifier": s.who, "date": s.date, "entered": s.entered}[fe.Field]
	if field == nil {
		c.Unfocus()
		return
	}
	c.Focus(field)
}

func (s *feedbackScreen) onImport() {
	s.m.openSpreadsheet(func(path string) {
		res, err := s.m.app.ImportFeedback(context.Background(), []string{path})
		if err != nil {
			s.m.showError(err)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "结果行 %d：已记录 %d（其中与已有结果相同 %d），退回 %d；尚未填写结果（待核查）%d 条\n", res.Rows, res.Recorded, res.Unchanged, res.Rejected, res.Waiting)
		for _, is := range res.Issues {
			fmt.Fprintf(&b, "第%d行：%s\n", is.Row, is.Message)
		}
		l := widget.NewLabel(b.String())
		l.Wrapping = fyne.TextWrapWord
		body := fyne.CanvasObject(container.NewGridWrap(fyne.NewSize(640, 360), container.NewVScroll(l)))
		if res.Rejected > 0 {
			export := widget.NewButton("导出退回的行（发回乡镇）…", func() {
				s.m.saveXLSX("退回_"+strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".xlsx",
					func(p string) error { return s.m.app.ExportRejected(res, p) }, func(p string) { s.status.SetText("已导出退回的行：" + p) })
			})
			body = container.NewBorder(nil, export, nil, nil, body)
		}
		s.m.showInfo("核查结果导入", body)
	})
}
