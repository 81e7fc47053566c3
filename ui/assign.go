package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
	"bidui/engine"
)

// assignScreen is 交办打印: what goes to each township, leaving clues out or
// giving 未定乡镇 clues a township first, assigning with a working-day
// deadline, and printing the sheets (again, identically, at any time).
type assignScreen struct {
	m        *mainWindow
	clues    []engine.Clue
	plans    []engine.AssignPlan
	unplaced []*engine.Clue
	repeats  []*engine.Clue
	asgs     []engine.Assignment
	exclude  map[string]bool
	town     int // selected plan
	doneSel  int // selected assignment
	lastDir  string

	period   *widget.Select
	date     *widget.Entry
	deadline *widget.Label
	repeat   *widget.Check
	mask     *widget.Check
	assign   *widget.Button
	print    *widget.Button
	openDir  *widget.Button
	status   *widget.Label
	bar      *widget.ProgressBar
	stop     *widget.Button
	cancel   context.CancelFunc
	plan     *dataTable
	pending  *widget.List
	unplace  *widget.List
	moveTo   *widget.Select
	moveSel  int
	done     *dataTable
	box      fyne.CanvasObject
}

func newAssignScreen(m *mainWindow) *assignScreen {
	s := &assignScreen{m: m, exclude: map[string]bool{}, moveSel: -1, doneSel: -1}
	s.period = newSelect(recentPeriods(m.app.Now()), func(string) { s.exclude = map[string]bool{}; s.refresh() })
	s.date = widget.NewEntry()
	s.date.SetText(m.app.Now().Format("2006-01-02"))
	s.date.OnChanged = func(string) { s.showDeadline() }
	s.deadline = widget.NewLabel("")
	s.repeat = widget.NewCheck("重复线索也交办", func(bool) { s.refresh() })
	s.mask = widget.NewCheck("打印时隐藏身份证号中间位", s.onMask)
	s.assign = widget.NewButton("交办", s.onAssign)
	s.assign.Importance = widget.HighImportance
	s.print = widget.NewButton("生成交办单（PDF 与 Excel）…", s.onPrint)
	s.openDir = widget.NewButton("打开文件夹", func() {
		if s.lastDir != "" {
			if err := m.openFolder(s.lastDir); err != nil {
				m.showError(fmt.Errorf("无法打开文件夹 %s：%w", s.lastDir, err))
			}
		}
	})
	s.openDir.Disable()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.bar = widget.NewProgressBar()
	s.bar.Hide()
	s.stop = widget.NewButton("取消生成", func() {
		if s.cancel != nil {
			s.cancel()
			// the township being laid out is finished first
			s.stop.SetText("正在取消…")
			s.stop.Disable()
		}
	})
	s.stop.Hide()

	s.planTables()
	s.unplacedList()
	move := widget.NewButton("归入该乡镇", s.onMove)

	s.done = newDataTable([]column{{"交办编号", 190}, {"乡镇", 90}, {"交办日期", 110}, {"办结期限", 110}, {"条数", 60}, {"类型", 70}, {"打印", 60}},
		func() int { return len(s.asgs) }, func(row, col int, l *widget.Label) {
			g := s.asgs[row]
			kind := "交办"
			if g.Supplement {
				kind = "补充交办"
			}
			printed := "未打印"
			if !g.Printed.IsZero() {
				printed = "已打印"
			}
			l.SetText([]string{g.Number, g.Township, g.Date, g.Deadline, fmt.Sprint(len(g.Clues)), kind, printed}[col])
		})
	s.done.OnSelected = func(id widget.TableCellID) { s.doneSel = s.done.Data(id.Row) }
	withdraw := widget.NewButton("撤回交办…", s.onWithdraw)

	top := container.NewVBox(
		container.NewHBox(widget.NewLabel("批次"), container.NewGridWrap(fyne.NewSize(120, 36), s.period),
			widget.NewLabel("交办日期"), container.NewGridWrap(fyne.NewSize(130, 36), s.date), s.deadline, s.repeat, s.assign),
		s.status, container.NewBorder(nil, nil, nil, s.stop, s.bar))
	left := container.NewBorder(widget.NewLabelWithStyle("各乡镇待交办（点一行，可取消勾选本次不交办的线索）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
		container.NewHSplit(s.plan, s.pending))
	unplacedBox := container.NewBorder(widget.NewLabelWithStyle("未定乡镇的线索（先指定乡镇才能交办）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(container.NewGridWrap(fyne.NewSize(140, 36), s.moveTo), move), nil, nil, s.unplace)
	upper := container.NewHSplit(left, unplacedBox)
	upper.Offset = 0.7
	lower := container.NewBorder(container.NewHBox(widget.NewLabelWithStyle("已交办", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.print, s.openDir, s.mask, withdraw), nil, nil, nil, s.done)
	split := container.NewVSplit(upper, lower)
	split.Offset = 0.55
	s.box = container.NewBorder(top, nil, nil, nil, split)
	s.period.SetSelected(recentPeriods(m.app.Now())[0])
	return s
}

// planTables makes the per-township plan and the clues of the township chosen.
func (s *assignScreen) planTables() {
	s.plan = newDataTable([]column{{"乡镇", 100}, {"待交办", 70}, {"本次留下", 70}}, func() int { return len(s.plans) }, func(row, col int, l *widget.Label) {
		p := s.plans[row]
		left := 0
		for _, c := range p.Clues {
			if s.exclude[c.ID] {
				left++
			}
		}
		l.SetText([]string{p.Township, fmt.Sprint(len(p.Clues) - left), fmt.Sprint(left)}[col])
	})
	s.plan.OnSelected = func(id widget.TableCellID) { s.town = s.plan.Data(id.Row); s.pending.Refresh() }
	s.pending = widget.NewList(func() int {
		if s.town >= len(s.plans) {
			return 0
		}
		return len(s.plans[s.town].Clues)
	}, func() fyne.CanvasObject { return widget.NewCheck("", nil) }, func(i widget.ListItemID, o fyne.CanvasObject) {
		ch := o.(*widget.Check)
		if s.town >= len(s.plans) || i >= len(s.plans[s.town].Clues) {
			return
		}
		c := s.plans[s.town].Clues[i]
		ch.OnChanged = nil
		ch.SetText(fmt.Sprintf("%s %s %s：%s", c.ID, c.Village, c.Head, strings.Join(c.RiskTypes(), "、")))
		ch.SetChecked(!s.exclude[c.ID])
		id := c.ID
		ch.OnChanged = func(on bool) {
			s.exclude[id] = !on
			s.plan.Refresh()
		}
	})
}

// unplacedList makes the list of 未定乡镇 clues and the township to move one to.
func (s *assignScreen) unplacedList() {
	s.unplace = widget.NewList(func() int { return len(s.unplaced) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := s.unplaced[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s %s（%s）", c.ID, c.Head, c.Source))
		})
	s.unplace.OnSelected = func(i widget.ListItemID) { s.moveSel = i }
	s.moveTo = newSelect(nil, nil)
	s.moveTo.PlaceHolder = "选择乡镇"
}

func (s *assignScreen) content() fyne.CanvasObject { return s.box }

func (s *assignScreen) shown() {
	st := s.m.app.Settings()
	s.mask.OnChanged = nil
	s.mask.SetChecked(st.MaskPrint)
	s.mask.OnChanged = s.onMask
	s.refresh()
}

func (s *assignScreen) refresh() {
	p := s.period.Selected
	pv, err := s.m.app.PreviewAssign(p, engine.AssignOptions{IncludeRepeats: s.repeat.Checked})
	if err != nil {
		s.m.showError(err)
		return
	}
	s.clues, s.plans, s.unplaced, s.repeats, s.asgs = pv.Clues, pv.Plans, pv.Unplaced, pv.Repeats, pv.Assignments
	s.doneSel = -1
	s.done.UnselectAll() // the rows may have moved: a new choice is needed
	r, _ := s.m.app.Roster()
	if r != nil {
		s.moveTo.Options = r.Townships()
	}
	if s.town >= len(s.plans) {
		s.town = 0
	}
	n := 0
	for _, pl := range s.plans {
		n += len(pl.Clues)
	}
	msg := fmt.Sprintf("%s 批次：待交办 %d 条，分属 %d 个乡镇", p, n, len(s.plans))
	if len(s.unplaced) > 0 {
		msg += fmt.Sprintf("；%d 条未定乡镇", len(s.unplaced))
	}
	if len(s.repeats) > 0 {
		msg += fmt.Sprintf("；%d 条重复线索暂不交办（勾选“重复线索也交办”可一并交办）", len(s.repeats))
	}
	msg += fmt.Sprintf("；已交办 %d 份", len(s.asgs))
	s.status.SetText(msg)
	s.plan.Refresh()
	s.pending.Refresh()
	s.unplace.Refresh()
	s.done.Refresh()
	s.showDeadline()
}

// showDeadline previews the deadline of the chosen date from the calendar.
func (s *assignScreen) showDeadline() {
	d, ok := engine.ParseDate(s.date.Text, 0)
	if !ok {
		s.deadline.SetText("日期格式应为 2026-11-30")
		return
	}
	cal, err := s.m.app.Calendar()
	if err != nil {
		s.deadline.SetText(err.Error())
		return
	}
	dl := cal.AddWorkdays(d, engine.DeadlineWorkdays)
	text := "办结期限 " + dl.Format("2006-01-02") + "（20个工作日）"
	if !cal.Covers(dl.Year()) {
		text += "，该年放假安排未录入"
	}
	s.deadline.SetText(text)
}

// onAssign shows what the assignment will issue — townships, clues, the
// deadline, what is left out — and assigns only when the officer confirms.
func (s *assignScreen) onAssign() {
	if _, ok := engine.ParseDate(s.date.Text, 0); !ok {
		s.m.showError(fmt.Errorf("交办日期“%s”格式不对，应为 2026-11-30", s.date.Text))
		return
	}
	towns, n, left := 0, 0, 0
	for _, p := range s.plans {
		k := 0
		for _, c := range p.Clues {
			if s.exclude[c.ID] {
				left++
			} else {
				k++
			}
		}
		if k > 0 {
			towns++
			n += k
		}
	}
	if n == 0 {
		s.m.showError(fmt.Errorf("%s 批次没有要交办的线索", s.period.Selected))
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "将向 %d 个乡镇交办 %d 条线索，每个乡镇一份编号的交办单。\n交办日期 %s，%s。\n", towns, n, s.date.Text, s.deadline.Text)
	if left > 0 {
		fmt.Fprintf(&b, "本次留下不交办：%d 条（已取消勾选）。\n", left)
	}
	if len(s.repeats) > 0 && !s.repeat.Checked {
		fmt.Fprintf(&b, "重复线索 %d 条不交办。\n", len(s.repeats))
	}
	if len(s.unplaced) > 0 {
		fmt.Fprintf(&b, "未定乡镇的线索 %d 条不交办（先指定乡镇）。\n", len(s.unplaced))
	}
	b.WriteString("交办单打印之前，如发现有误可以撤回。")
	msg := widget.NewLabel(b.String())
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("确认交办", fmt.Sprintf("交办 %d 个乡镇", towns), "取消", container.NewGridWrap(fyne.NewSize(520, 160), msg),
		func(ok bool) {
			if ok {
				s.assignNow(false)
			}
		}, s.m.win)
	s.m.showDialog(d, d.Confirm)
}

// onWithdraw takes back the selected assignment, before it is printed.
func (s *assignScreen) onWithdraw() {
	if s.doneSel < 0 || s.doneSel >= len(s.asgs) {
		s.m.showError(fmt.Errorf("请先在“已交办”中点选要撤回的交办单"))
		return
	}
	g := s.asgs[s.doneSel]
	msg := fmt.Sprintf("撤回交办单 %s（%s，%d 条线索）吗？\n撤回后这些线索回到待交办，可以重新交办。", g.Number, g.Township, len(g.Clues))
	d := dialog.NewConfirm("撤回交办", msg, func(ok bool) {
		if !ok {
			return
		}
		if err := s.m.app.WithdrawAssignment(g.Period, g.Number); err != nil {
			s.m.showError(err)
			return
		}
		s.doneSel = -1
		s.refresh()
		s.status.SetText(fmt.Sprintf("已撤回交办单 %s，%d 条线索回到待交办。", g.Number, len(g.Clues)))
	}, s.m.win)
	d.SetConfirmText("撤回")
	d.SetDismissText("不撤回")
	s.m.showDialog(d, d.Confirm)
}

// assignNow assigns; on an out-of-date comparison it asks first (the safe
// answer is to compare again) and assigns with ignoreStale when confirmed.
func (s *assignScreen) assignNow(ignoreStale bool) {
	d, ok := engine.ParseDate(s.date.Text, 0)
	if !ok {
		s.m.showError(fmt.Errorf("交办日期“%s”格式不对，应为 2026-11-30", s.date.Text))
		return
	}
	res, err := s.m.app.Assign(s.period.Selected, d, engine.AssignOptions{IncludeRepeats: s.repeat.Checked, Exclude: s.exclude, IgnoreStale: ignoreStale})
	var nc *app.NeedsConfirm
	if errors.As(err, &nc) {
		msg := widget.NewLabel(strings.Join(nc.Reasons, "\n"))
		msg.Wrapping = fyne.TextWrapWord
		stale := dialog.NewCustomConfirm("比对结果已过期", "仍按上次比对结果交办", "先去重新比对",
			container.NewGridWrap(fyne.NewSize(520, 120), msg), func(ok bool) {
				if ok {
					s.assignNow(true)
				} else {
					s.m.goTo("比对与线索")
				}
			}, s.m.win)
		s.m.showDialog(stale, nil) // Enter takes the safe answer: compare again
		return
	}
	if err != nil {
		s.m.showError(err)
		s.refresh()
		return
	}
	s.exclude = map[string]bool{}
	s.refresh()
	var b strings.Builder
	for _, g := range res.Assignments {
		fmt.Fprintf(&b, "%s %s：%d 条，期限 %s\n", g.Number, g.Township, len(g.Clues), g.Deadline)
	}
	if res.Warning != "" {
		b.WriteString("\n注意：" + res.Warning + "\n")
	}
	b.WriteString("\n请点“生成交办单”打印。")
	l := widget.NewLabel(b.String())
	l.Wrapping = fyne.TextWrapWord
	s.m.showInfo("交办完成", container.NewGridWrap(fyne.NewSize(560, 320), container.NewVScroll(l)))
}

func (s *assignScreen) onMove() {
	if s.moveSel < 0 || s.moveSel >= len(s.unplaced) || s.moveTo.Selected == "" {
		s.m.showError(fmt.Errorf("请先在左边选中一条线索，再选择乡镇"))
		return
	}
	if err := s.m.app.MoveClue(s.unplaced[s.moveSel].ID, s.moveTo.Selected, ""); err != nil {
		s.m.showError(err)
		return
	}
	s.moveSel = -1
	s.unplace.UnselectAll()
	s.refresh()
}

func (s *assignScreen) onMask(on bool) {
	st := s.m.app.Settings()
	st.MaskPrint = on
	if err := s.m.app.SaveSettings(st); err != nil {
		s.m.showError(err)
	}
}

// onPrint asks for a folder and writes every sheet of the period there.
func (s *assignScreen) onPrint() {
	if len(s.asgs) == 0 {
		s.m.showError(fmt.Errorf("%s 批次还没有交办单，请先交办", s.period.Selected))
		return
	}
	d := dialog.NewFolderOpen(func(lu fyne.ListableURI, err error) {
		if err != nil || lu == nil {
			if err != nil {
				s.m.showError(err)
			}
			return
		}
		dir := filepath.Join(lu.Path(), "交办单_"+s.period.Selected+"_"+time.Now().Format("150405"))
		s.printTo(dir)
	}, s.m.win)
	s.m.showFileDialog(d, folderPrint)
}

// printTo writes the sheets off the UI thread, one township at a time,
// with the count of sheets done and a cancel button.
func (s *assignScreen) printTo(dir string) {
	p := s.period.Selected
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.print.Disable()
	s.bar.SetValue(0)
	s.bar.Show()
	s.stop.SetText("取消生成")
	s.stop.Enable()
	s.stop.Show()
	s.status.SetText("正在生成 " + p + " 批次的交办单…")
	progress := func(done, total int) {
		fyne.Do(func() {
			s.bar.SetValue(float64(done) / float64(max(total, 1)))
			s.status.SetText(fmt.Sprintf("正在生成 %s 批次的交办单：已完成 %d/%d 份", p, done, total))
		})
	}
	runAsync(func() {
		res, err := s.m.app.PrintWith(ctx, p, dir, nil, progress)
		fyne.Do(func() {
			cancel()
			s.bar.Hide()
			s.stop.Hide()
			s.print.Enable()
			if err != nil {
				s.status.SetText("")
				s.m.showError(err)
				return
			}
			s.lastDir = dir
			s.m.rememberFolder(folderPrint, filepath.Dir(dir))
			s.openDir.Enable()
			msg := fmt.Sprintf("已生成 %d 个文件（共 %d 页）到 %s", len(res.Files), res.Pages, dir)
			if len(res.Replaced) > 0 {
				msg += "。注意：字体中没有这些字，打印为〓，请手工补写：" + strings.Join(res.Replaced, " ")
			}
			s.refresh() // the sheets now show as printed
			s.status.SetText(msg)
		})
	})
}
