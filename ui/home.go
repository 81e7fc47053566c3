package ui

import (
	"fmt"
	"strings"

	"bidui/app"
	"bidui/engine"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// homeScreen is 首页: the county at a glance.
type homeScreen struct {
	m       *mainWindow
	title   *widget.Label
	summary *widget.Label
	history *widget.Label
	board   *widget.Label
	track   *widget.Label
	demoBtn *widget.Button
	box     fyne.CanvasObject
	// while the demo county is open: what it is, and the way out
	demoBar  *widget.Label
	exitDemo *widget.Button
	// the batch month's checklist, step by step
	period *widget.Select
	steps  *fyne.Container
}

func newHomeScreen(m *mainWindow) *homeScreen {
	h := &homeScreen{m: m}
	h.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.summary = widget.NewLabel("")
	h.summary.Wrapping = fyne.TextWrapWord
	h.history = widget.NewLabel("")
	h.history.Wrapping = fyne.TextWrapWord
	h.board = widget.NewLabel("")
	h.board.Wrapping = fyne.TextWrapWord
	toLists := widget.NewButton("查看部门数据", func() { m.goTo("部门数据") })
	h.track = widget.NewLabel("")
	h.track.Wrapping = fyne.TextWrapWord
	toReports := widget.NewButton("查看统计报表", func() { m.goTo("统计报表") })
	toRoster := widget.NewButton("查看基础名册", func() { m.goTo("基础名册") })
	h.demoBtn = widget.NewButton("打开示范县（先熟悉系统）", h.onDemo)
	h.demoBtn.Hide()
	h.demoBar = widget.NewLabel("")
	h.demoBar.Wrapping = fyne.TextWrapWord
	h.demoBar.Importance = widget.WarningImportance
	h.exitDemo = widget.NewButton("退出示范，开始正式使用", m.exitDemo)
	h.exitDemo.Importance = widget.HighImportance
	demo := container.NewVBox(h.demoBar, container.NewHBox(h.exitDemo))
	h.period = newSelect(recentPeriods(m.app.Now()), func(string) { h.showChecklist() })
	h.steps = container.New(layout.NewFormLayout())
	checklist := container.NewVBox(container.NewHBox(widget.NewLabelWithStyle("本批次工作进度", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWrap(fyne.NewSize(120, 36), h.period)), h.steps)
	h.box = container.NewVScroll(container.NewVBox(h.title, demo, checklist, widget.NewSeparator(), h.summary, container.NewHBox(toRoster, h.demoBtn),
		widget.NewSeparator(), widget.NewLabelWithStyle("本月部门数据报送", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		h.board, container.NewHBox(toLists),
		widget.NewSeparator(), widget.NewLabelWithStyle("核查办理进度", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		h.track, container.NewHBox(toReports),
		widget.NewSeparator(), widget.NewLabelWithStyle("基础名册导入记录", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), h.history))
	return h
}

func (h *homeScreen) content() fyne.CanvasObject { return h.box }

func (h *homeScreen) shown() {
	s := h.m.app.Settings()
	h.title.SetText(s.CountyName + " 防返贫监测数据比对系统")
	h.demoBar.Hidden, h.exitDemo.Hidden = !s.Demo, !s.Demo
	if s.Demo {
		h.demoBar.SetText("这是示范县，数据全部是虚构的，与本县的正式数据库分开保存。示例文件在：" + h.m.app.SampleDir())
	}
	h.summary.SetText("正在读取…")
	h.board.SetText(boardSummary(h.m))
	h.track.SetText("正在读取…")
	runAsync(func() {
		// the reports and the month over month read the batches' clues:
		// not on the UI thread
		text := trackingSummary(h.m)
		fyne.Do(func() {
			h.track.SetText(text)
			h.relayout()
		})
	})
	if p, err := h.m.app.WorkingPeriod(); err == nil && h.period.Selected != p {
		h.period.SetSelected(p) // shows the checklist
	} else {
		h.showChecklist()
	}
	runAsync(func() {
		r, err := h.m.app.Roster()
		imports, _ := h.m.app.RosterImports()
		fyne.Do(func() {
			if err != nil {
				h.summary.SetText(err.Error())
				return
			}
			h.demoBtn.Hide()
			if len(r.Persons) == 0 {
				h.summary.SetText("尚未导入基础名册。请到“基础名册”页导入全国防返贫监测信息系统导出的人员明细；也可以先打开示范县（虚构的“青山县”，约2000户，单独保存，不进入本县数据）熟悉系统。")
				h.demoBtn.Show()
			} else {
				st := r.Stats()
				h.summary.SetText(fmt.Sprintf("基础名册：%d 户 %d 人\n脱贫户 %d 户，监测对象 %d 户（风险未消除 %d 户）\n%d 个乡镇，%d 个行政村\n数据库：%s",
					st.Households, st.Persons, st.FormerlyPoor, st.Monitored, st.RiskOpen, st.Townships, st.Villages, h.m.app.DBPath()))
			}
			var b strings.Builder
			for i, im := range imports {
				if i == 10 {
					break
				}
				fmt.Fprintf(&b, "第%d次  %s  %s  数据行 %d，有效 %d，有问题 %d；新增 %d 人，减少 %d 人，迁移 %d 人，类别变化 %d 人\n",
					im.Seq, im.At.Format("2006-01-02 15:04"), strings.Join(im.Files, "、"), im.Rows, im.Valid, im.Invalid,
					im.Changes.Added, im.Changes.Removed, im.Changes.Moved, im.Changes.CategoryChanged)
			}
			if b.Len() == 0 {
				b.WriteString("无")
			}
			h.history.SetText(b.String())
			h.relayout()
		})
	})
}

// onDemo opens the demo county, in its own database: the county's own
// stays as it is.
func (h *homeScreen) onDemo() {
	h.demoBtn.Disable()
	h.summary.SetText("正在打开示范县（第一次要生成，约半分钟）…")
	h.m.enterDemo(func(err error) {
		h.demoBtn.Enable()
		if err != nil {
			h.m.showError(err)
			h.shown()
		}
	})
}

// demoMonths is how many earlier months the demo county is worked through,
// so that clues, sheets, results and reports are there to look at.
const demoMonths = 2

// boardSummary is the month's submission state in a few lines.
func boardSummary(m *mainWindow) string {
	period := engine.MonthOf(m.app.Now()).String()
	b, err := m.app.Board(period)
	if err != nil {
		return err.Error()
	}
	var submitted int
	var late, missing []string
	for _, e := range b.Entries {
		name := e.Dept + "·" + e.List
		switch {
		case e.Submitted:
			submitted++
			if e.Late {
				late = append(late, name)
			}
		default:
			missing = append(missing, name)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s 批次（截止 %s）：已报送 %d / %d 类清单。", period, b.Due, submitted, len(b.Entries))
	if b.Stale != "" {
		sb.WriteString("【注意】" + b.Stale + "。")
	}
	if len(missing) > 0 {
		overdue := ""
		if m.app.Now().Format("2006-01-02") > b.Due {
			overdue = "（已逾期）"
		}
		fmt.Fprintf(&sb, "\n未报送%s：%s", overdue, strings.Join(missing, "、"))
	}
	if len(late) > 0 {
		fmt.Fprintf(&sb, "\n逾期报送：%s", strings.Join(late, "、"))
	}
	return sb.String()
}

// trackingSummary is the dashboard's progress: for this month and the last,
// what went out, what came back, what is overdue, and each township.
func trackingSummary(m *mainWindow) string {
	now := m.app.Now()
	var b strings.Builder
	for _, p := range []string{engine.MonthOf(now).Add(-1).String(), engine.MonthOf(now).String()} {
		rep, err := m.app.Report(p)
		if err != nil {
			return err.Error()
		}
		if rep.Total.Clues == 0 {
			fmt.Fprintf(&b, "%s 批次：暂无线索\n", p)
			continue
		}
		fmt.Fprintf(&b, "%s 批次：风险线索 %d 条，已交办 %d，已反馈 %d（反馈率 %.1f%%），已办结 %d（办结率 %.1f%%），纳入监测 %d 户，逾期未反馈 %d 条\n",
			p, rep.Total.Clues, rep.Total.Assigned, rep.Total.Reported, rep.Total.FeedbackRate(), rep.Total.Closed, rep.Total.ClosedRate(), rep.Total.Included, rep.Total.Overdue)
		var towns []string
		for _, t := range rep.Towns {
			if t.Assigned > 0 {
				s := fmt.Sprintf("%s %.0f%%", t.Name, t.FeedbackRate())
				if t.Overdue > 0 {
					s += fmt.Sprintf("（逾期 %d）", t.Overdue)
				}
				towns = append(towns, s)
			}
		}
		if len(towns) > 0 {
			b.WriteString("　各乡镇反馈率：" + strings.Join(towns, "，") + "\n")
		}
	}
	if cur, prev, err := m.app.MonthFlows(engine.MonthOf(now).Add(-1).String()); err == nil {
		b.WriteString("\n月度对比（预警线索，不含信息变更）：\n")
		for _, f := range []engine.MonthFlow{prev, cur} {
			fmt.Fprintf(&b, "　%s 批次：新增 %d 条，上批次结转 %d 条，当月办结 %d 条，月末未办结 %d 条；续报 %d 条（未再生成线索）\n",
				f.Period, f.New, f.CarriedIn, f.Closed, f.OpenAtEnd, f.FollowUps)
		}
	}
	return strings.TrimSpace(b.String())
}

// showChecklist lists the batch month's steps in order, each a button to
// its page with its state; what is late or out of date is in red.
func (h *homeScreen) showChecklist() {
	period := h.period.Selected
	runAsync(func() {
		steps, err := h.m.app.Checklist(period)
		fyne.Do(func() {
			if h.period.Selected == period { // the officer may have chosen another batch
				h.setChecklist(steps, err)
			}
		})
	})
}

// setChecklist shows a batch's steps.
func (h *homeScreen) setChecklist(steps []app.ChecklistStep, err error) {
	if err != nil {
		h.steps.Objects = []fyne.CanvasObject{widget.NewLabel(err.Error()), widget.NewLabel("")}
		h.steps.Refresh()
		return
	}
	h.steps.Objects = nil
	for i, st := range steps {
		mark := "○"
		if st.Done {
			mark = "✓"
		}
		page := st.Page
		b := widget.NewButton(fmt.Sprintf("%d %s %s", i+1, mark, st.Name), func() { h.m.goTo(page) })
		b.Alignment = widget.ButtonAlignLeading
		if st.Done {
			b.Importance = widget.LowImportance
		}
		l := widget.NewLabel(st.State)
		l.Wrapping = fyne.TextWrapWord
		if st.Late {
			l.Importance = widget.DangerImportance
		}
		h.steps.Add(b)
		h.steps.Add(l)
	}
	h.steps.Refresh()
	h.relayout()
}

// relayout lays the page out again after texts of new lengths: wrapped
// labels change height, and what is below moves.
func (h *homeScreen) relayout() {
	if sc, ok := h.box.(*container.Scroll); ok {
		sc.Content.Refresh()
		sc.Refresh()
	}
}
