package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
	"bidui/engine"
)

// cluesScreen is 比对与线索: run the comparison, browse and filter the
// period's clues with their evidence, work the review queue, see conflicts,
// add a clue by hand, export.
type cluesScreen struct {
	m      *mainWindow
	clues  []engine.Clue
	rows   []int // indexes into clues after filtering
	review []engine.ReviewItem
	done   map[engine.RowRef]string // decisions taken this session

	period      *widget.Select
	matchBtn    *widget.Button
	bar         *widget.ProgressBar
	stopBtn     *widget.Button
	cancelMatch context.CancelFunc
	summary     *widget.Label
	township    *widget.Select
	dept        *widget.Select
	riskType    *widget.Select
	category    *widget.Select
	status      *widget.Select
	search      *widget.Entry
	count       *widget.Label
	table       *dataTable
	detail      *widget.Label
	tabs        *container.AppTabs
	conflicts   *widget.Label // whether there are any
	confl       []engine.Conflict
	conflTab    *dataTable
	follow      *followUpsTab

	revList    *widget.List
	revRow     *widget.Label
	cands      *widget.List
	revItem    int
	revCand    int
	revState   *widget.Label
	historyBtn *widget.Button
	histKey    string
	shownClue  string // the clue whose detail is being read
	box        fyne.CanvasObject
}

var clueColumns = []column{{"线索编号", 120}, {"类别", 70}, {"乡镇", 80}, {"村", 90}, {"户主", 80}, {"户类型", 80}, {"涉及人员", 130},
	{"身份证号", 170}, {"金额（元）", 100}, {"风险类型", 130}, {"线索来源", 180}, {"状态", 70}, {"重复", 120}}

func newCluesScreen(m *mainWindow) *cluesScreen {
	s := &cluesScreen{m: m, done: map[engine.RowRef]string{}}
	s.period = newSelect(recentPeriods(m.app.Now()), func(string) { s.refresh() })
	s.matchBtn = widget.NewButton("开始比对", s.onMatch)
	s.matchBtn.Importance = widget.HighImportance
	export := widget.NewButton("导出线索…", s.onExport)
	view := widget.NewButton("导出当前视图…", func() {
		s.m.exportView(fmt.Sprintf("线索_当前视图_%s.xlsx", s.period.Selected), fmt.Sprintf("预警线索（%s，按当前筛选和排序）", s.period.Selected), s.table, s.summary.SetText)
	})
	add := widget.NewButton("新增线索…", s.onAdd)
	s.bar = widget.NewProgressBar()
	s.bar.Hide()
	s.stopBtn = widget.NewButton("取消比对", func() {
		if s.cancelMatch != nil {
			s.cancelMatch()
		}
	})
	s.stopBtn.Hide()
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord

	s.township = newSelect([]string{allChoice}, func(string) { s.applyFilter() })
	s.township.PlaceHolder = "乡镇"
	s.dept = newSelect([]string{allChoice}, func(string) { s.applyFilter() })
	s.dept.PlaceHolder = "部门"
	s.riskType = newSelect([]string{allChoice}, func(string) { s.applyFilter() })
	s.riskType.PlaceHolder = "风险类型"
	s.category = newSelect([]string{allChoice, "脱贫户", "监测对象", "一般农户"}, func(string) { s.applyFilter() })
	s.category.PlaceHolder = "户类型"
	s.status = newSelect([]string{allChoice, engine.StatusPending, engine.StatusAssigned, engine.StatusReported, engine.StatusClosed, "重复线索", "信息变更"}, func(string) { s.applyFilter() })
	s.status.PlaceHolder = "状态"
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("搜索：线索编号、姓名、身份证号、户编号")
	s.search.OnChanged = func(string) { s.applyFilter() }
	s.count = widget.NewLabel("")

	s.table = newDataTable(clueColumns, func() int { return len(s.rows) }, s.updateCell)
	s.table.OnSelected = func(id widget.TableCellID) { s.showClue(s.table.Data(id.Row)) }
	s.detail = widget.NewLabel("点击一条线索查看该户情况和每条证据的原始数据")
	s.detail.Wrapping = fyne.TextWrapWord
	s.historyBtn = widget.NewButton("一户一档", func() {
		if s.histKey != "" {
			m.showHistory(s.histKey)
		}
	})
	s.historyBtn.Disable()

	filters := container.NewHBox(
		container.NewGridWrap(fyne.NewSize(110, 36), s.township), container.NewGridWrap(fyne.NewSize(120, 36), s.dept),
		container.NewGridWrap(fyne.NewSize(110, 36), s.riskType), container.NewGridWrap(fyne.NewSize(100, 36), s.category),
		container.NewGridWrap(fyne.NewSize(100, 36), s.status))
	clueSplit := container.NewHSplit(s.table, container.NewBorder(container.NewHBox(s.historyBtn), nil, nil, nil, container.NewVScroll(s.detail)))
	clueSplit.Offset = 0.68
	clueTab := container.NewBorder(container.NewBorder(nil, nil, filters, s.count, s.search), nil, nil, nil, clueSplit)

	s.conflicts = widget.NewLabel("")
	s.tabs = container.NewAppTabs(
		container.NewTabItem("预警线索", clueTab),
		container.NewTabItem("待复核", s.reviewTab()),
		container.NewTabItem("部门数据打架", s.conflictTab()),
		container.NewTabItem("续报", s.followUpsTab()),
	)
	s.tabs.OnSelected = func(t *container.TabItem) { s.keys(t.Text == "待复核" || strings.HasPrefix(t.Text, "待复核")) }
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel("批次"), container.NewGridWrap(fyne.NewSize(120, 36), s.period), s.matchBtn, s.stopBtn, export, view, add),
		s.bar, s.summary)
	s.box = container.NewBorder(top, nil, nil, nil, s.tabs)
	s.period.SetSelected(recentPeriods(m.app.Now())[0])
	return s
}

func (s *cluesScreen) content() fyne.CanvasObject { return s.box }
func (s *cluesScreen) shown() {
	s.refresh()
	s.keys(s.tabs.SelectedIndex() == 1)
}

// refresh reloads the period's clues, last run and review queue.
func (s *cluesScreen) refresh() {
	p := s.period.Selected
	clues, err := s.m.app.Clues(p)
	if err != nil {
		s.m.showError(err)
		return
	}
	s.clues = clues
	run, ok, err := s.m.app.LastMatch(p)
	if err != nil {
		s.m.showError(err)
		return
	}
	if ok {
		c := run.Counts
		s.summary.SetText(fmt.Sprintf("上次比对：%s（%s）　数据行 %d = 匹配名册 %d + 名册外 %d + 待复核 %d + 无效 %d，其中未达预警标准 %d；预警线索 %d 条，信息变更 %d 条，数据打架 %d 处\n%s",
			run.At.Format("2006-01-02 15:04"), run.Operator, c.Rows, c.Matched, c.OffRoster, c.Review, c.Invalid, c.BelowThreshold, c.Clues, c.Changes, c.Conflicts, followUpLine(c)))
		if stale, _ := s.m.app.StaleComparison(p); stale != "" {
			s.summary.SetText(s.summary.Text + "\n【注意】" + stale)
		}
		s.review = run.Review
		s.confl = run.Conflicts
		s.conflicts.SetText(fmt.Sprintf("部门之间、部门与名册之间的矛盾 %d 处：请逐条核实，需要时在全国系统中更正。", len(s.confl)))
		if len(s.confl) == 0 {
			s.conflicts.SetText("没有发现部门之间或部门与名册之间的矛盾。")
		}
		s.conflTab.Refresh()
		s.tabs.Items[1].Text = fmt.Sprintf("待复核（%d）", len(run.Review))
		s.tabs.Items[2].Text = fmt.Sprintf("部门数据打架（%d）", len(run.Conflicts))
		s.tabs.Items[3].Text = fmt.Sprintf("续报（%d）", c.FollowUps)
	} else {
		s.summary.SetText(p + " 批次尚未比对。导入本月的部门清单后，点“开始比对”。")
		s.review = nil
		s.confl = nil
		s.conflTab.Refresh()
		s.conflicts.SetText("")
		s.tabs.Items[1].Text, s.tabs.Items[2].Text, s.tabs.Items[3].Text = "待复核", "部门数据打架", "续报"
	}
	s.follow.load(p)
	s.tabs.Refresh()
	s.box.Refresh() // the summary's wrapped lines change the height above the tabs
	towns, depts, types := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range clues {
		towns[c.Township] = true
		for _, r := range c.Risks {
			depts[r.Dept] = true
			types[r.Type] = true
		}
	}
	s.township.Options = append([]string{allChoice}, sortedKeys(towns)...)
	s.dept.Options = append([]string{allChoice}, sortedKeys(depts)...)
	s.riskType.Options = append([]string{allChoice}, sortedKeys(types)...)
	s.applyFilter()
	s.revList.Refresh()
	s.showReview(s.revItem)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func (s *cluesScreen) applyFilter() {
	q := strings.TrimSpace(s.search.Text)
	qid := engine.CleanIDText(q)
	s.rows = s.rows[:0]
	for i := range s.clues {
		c := &s.clues[i]
		if t := choice(s.township); t != "" && c.Township != t {
			continue
		}
		if cat := choice(s.category); cat != "" && c.Category.String() != cat {
			continue
		}
		switch st := choice(s.status); st {
		case "":
		case "重复线索":
			if c.RepeatOf == "" {
				continue
			}
		case "信息变更":
			if c.Kind != engine.KindChange {
				continue
			}
		default:
			if c.Status != st {
				continue
			}
		}
		if d, rt := choice(s.dept), choice(s.riskType); d != "" || rt != "" {
			ok := false
			for _, r := range c.Risks {
				if (d == "" || r.Dept == d) && (rt == "" || r.Type == rt) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		if q != "" && !clueMatches(c, q, qid) {
			continue
		}
		s.rows = append(s.rows, i)
	}
	s.count.SetText(fmt.Sprintf("显示 %d / %d 条", len(s.rows), len(s.clues)))
	s.table.UnselectAll()
	s.table.Refresh()
}

func clueMatches(c *engine.Clue, q, qid string) bool {
	if strings.Contains(c.ID, q) || strings.Contains(c.Household, q) || strings.Contains(c.Head, q) {
		return true
	}
	for _, p := range c.Persons {
		if strings.Contains(p.Name, q) || (len(qid) >= 4 && strings.Contains(p.ID, qid)) {
			return true
		}
	}
	return false
}

func (s *cluesScreen) updateCell(row, col int, l *widget.Label) {
	c := &s.clues[s.rows[row]]
	var text string
	switch col {
	case 0:
		text = c.ID
	case 1:
		text = "风险线索"
		if c.Kind == engine.KindChange {
			text = "信息变更"
		}
	case 2:
		text = c.Township
		if c.Township == engine.UnknownTownship {
			l.Importance = widget.WarningImportance
		}
	case 3:
		text = c.Village
	case 4:
		text = c.Head
	case 5:
		text = c.Category.String()
	case 6:
		names := make([]string, len(c.Persons))
		for i, p := range c.Persons {
			names[i] = p.Name
		}
		text = strings.Join(names, "、")
	case 7:
		ids := make([]string, len(c.Persons))
		for i, p := range c.Persons {
			ids[i] = p.ID
		}
		text = strings.Join(ids, "、")
	case 8:
		var sum engine.Amount
		for _, r := range c.Risks {
			sum += r.Amount
		}
		if sum != 0 {
			text = engine.YuanText(sum)
		}
	case 9:
		text = strings.Join(c.RiskTypes(), "、")
	case 10:
		text = strings.Join(c.Depts(), "、")
		if c.Source != engine.SourceCompare {
			text = c.Source
		}
	case 11:
		text = c.Status
	case 12:
		if c.RepeatOf != "" {
			text = "重复 " + c.RepeatOf
			l.Importance = widget.WarningImportance
		}
	}
	l.SetText(text)
}

// showClue fills the detail pane: the household, its members, and every
// piece of evidence with the department row's original values, read off
// the UI thread.
func (s *cluesScreen) showClue(row int) {
	if row < 0 || row >= len(s.rows) {
		return
	}
	c := s.clues[s.rows[row]]
	s.histKey = c.Household
	if s.histKey == "" && len(c.Persons) > 0 {
		s.histKey = c.Persons[0].ID
	}
	s.historyBtn.Enable()
	s.shownClue = c.ID
	runAsync(func() {
		text := s.clueText(&c)
		fyne.Do(func() {
			if s.shownClue == c.ID { // the officer may have moved on
				s.detail.SetText(text)
			}
		})
	})
}

// clueText is a clue in words, for the detail pane.
func (s *cluesScreen) clueText(c *engine.Clue) string {
	var b strings.Builder
	fmt.Fprintf(&b, "线索 %s（%s，%s）　状态：%s\n", c.ID, c.Kind, c.Source, c.Status)
	if c.RepeatOf != "" {
		fmt.Fprintf(&b, "与此前未办结的线索 %s 风险类型相同，为重复线索\n", c.RepeatOf)
	}
	if c.Assignment != "" {
		fmt.Fprintf(&b, "交办：%s，期限 %s", c.Assignment, c.Deadline)
		if dl, ok := engine.ParseDate(c.Deadline, 0); ok && c.Status == engine.StatusAssigned {
			if cal, err := s.m.app.Calendar(); err == nil {
				if left := cal.WorkdaysLeft(s.m.app.Now(), dl); left >= 0 {
					fmt.Fprintf(&b, "，剩余 %d 个工作日", left)
				} else {
					fmt.Fprintf(&b, "，已逾期 %d 个工作日", -left)
				}
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s %s　户类型：%s\n", c.Township, c.Village, c.Category.String())
	s.householdText(&b, c.Household)
	b.WriteString("\n证据：\n")
	ev, err := s.m.app.ClueEvidence(c)
	if err != nil {
		fmt.Fprintf(&b, "（原始数据无法读取：%s）\n", err)
	}
	for i, e := range ev {
		rk := e.Risk
		late := ""
		if rk.Late {
			late = "【交办后新增】"
		}
		fmt.Fprintf(&b, "%d. %s%s·%s（%s）%s %s\n", i+1, late, rk.Dept, rk.List, rk.Type, rk.Name, rk.Person)
		fmt.Fprintf(&b, "   %s\n", rk.Detail)
		if rk.Rule != "" {
			fmt.Fprintf(&b, "   预警依据：%s\n", rk.Rule)
		}
		if rk.Again != "" {
			fmt.Fprintf(&b, "   %s\n", rk.Again)
		}
		if rk.Matched != "" {
			fmt.Fprintf(&b, "   身份经人工%s\n", rk.Matched)
		}
		for _, or := range e.Rows {
			fmt.Fprintf(&b, "   原始数据（%s「%s」第%d行）：", or.File, or.Sheet, or.Line)
			kv := make([]string, len(or.Cells))
			for j, hc := range or.Cells {
				kv[j] = hc.Header + "=" + hc.Value
			}
			b.WriteString(strings.Join(kv, "；") + "\n")
		}
	}
	if c.Note != "" {
		fmt.Fprintf(&b, "\n情况说明：%s\n", c.Note)
	}
	return b.String()
}

// householdText writes the roster household a clue is about.
func (s *cluesScreen) householdText(b *strings.Builder, no string) {
	r, _ := s.m.app.Roster()
	if no == "" || r == nil {
		return
	}
	h := r.Households[no]
	if h == nil {
		return
	}
	fmt.Fprintf(b, "户编号 %s　户主 %s　帮扶责任人 %s %s\n", h.No, h.Head, h.Helper, h.Phone)
	if h.Category == engine.CategoryMonitored {
		fmt.Fprintf(b, "监测类型：%s，风险%s\n", h.MonitorType, riskText(h))
	}
	b.WriteString("家庭成员：")
	for _, p := range r.Members(no) {
		fmt.Fprintf(b, "%s（%s）", p.Name, p.Relation)
	}
	b.WriteString("\n")
}

func (s *cluesScreen) onMatch() { s.match(false) }

// match runs the comparison off the UI thread with its progress in counts
// and a cancel button; an unusually large result is stored only when the
// officer confirms (force).
func (s *cluesScreen) match(force bool) {
	p := s.period.Selected
	ctx, cancel := context.WithCancel(context.Background())
	s.cancelMatch = cancel
	s.matchBtn.Disable()
	s.stopBtn.Show()
	s.bar.SetValue(0)
	s.bar.Show()
	s.summary.SetText("正在比对 " + p + " 批次…")
	progress := func(lists, total, rows int) {
		fyne.Do(func() {
			s.bar.SetValue(float64(lists) / float64(max(total, 1)))
			s.summary.SetText(fmt.Sprintf("正在比对 %s 批次：已比对 %d/%d 类清单，%d 行（可点“取消”，线索保持原样）", p, lists, total, rows))
		})
	}
	runAsync(func() {
		res, err := s.m.app.MatchWith(ctx, p, app.MatchOptions{Progress: progress, Force: force})
		fyne.Do(func() {
			cancel()
			s.bar.Hide()
			s.stopBtn.Hide()
			s.matchBtn.Enable()
			var nc *app.NeedsConfirm
			if errors.As(err, &nc) {
				s.refresh()
				s.m.confirm("比对结果异常", strings.Join(nc.Reasons, "\n"), "核对无误，保存这次结果", "先不保存", true, func() { s.match(true) })
				return
			}
			if err != nil {
				s.m.showError(err)
				s.refresh()
				return
			}
			s.done = map[engine.RowRef]string{}
			s.refresh()
			c := res.MatchCounts
			s.m.showInfo("比对完成", widget.NewLabel(fmt.Sprintf("数据行 %d：匹配名册 %d，名册外 %d，待复核 %d，无效 %d（未达预警标准 %d）\n预警线索 %d 条、信息变更 %d 条（本次新增 %d 条，更新 %d 条），数据打架 %d 处\n%s",
				c.Rows, c.Matched, c.OffRoster, c.Review, c.Invalid, c.BelowThreshold, c.Clues, c.Changes, c.NewClues, c.UpdatedClues, c.Conflicts, followUpLine(c))))
		})
	})
}

func (s *cluesScreen) onExport() {
	p := s.period.Selected
	n := 0
	s.m.saveXLSX(fmt.Sprintf("预警线索_%s.xlsx", p), func(path string) (err error) {
		n, err = s.m.app.ExportClues(p, path)
		return err
	}, func(path string) { s.summary.SetText(fmt.Sprintf("已导出 %d 条线索：%s", n, path)) })
}

// onAdd adds a clue from an application, the hotline or a visit. The form
// says whose an ID is as it is typed, checks inline and never closes on an
// error: nothing typed is lost.
func (s *cluesScreen) onAdd() {
	source := newSelect(engine.ManualSources, nil)
	source.SetSelected(engine.ManualSources[0])
	id := widget.NewEntry()
	id.SetPlaceHolder("18位身份证号")
	who := widget.NewLabel("")
	who.Wrapping = fyne.TextWrapWord
	name := widget.NewEntry()
	name.SetPlaceHolder("不在名册中的人员才需填写")
	town := widget.NewEntry()
	town.SetPlaceHolder("不在名册中的人员才需填写")
	village := widget.NewEntry()
	risk := newSelect(s.m.app.RiskTypes(), nil)
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder("情况说明，如：12317来电反映户主患重病住院")
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	id.OnChanged = func(text string) { who.SetText(s.whoIs(text)) }
	form := widget.NewForm(widget.NewFormItem("线索来源", source), widget.NewFormItem("身份证号", id), widget.NewFormItem("", who),
		widget.NewFormItem("姓名", name), widget.NewFormItem("乡镇", town), widget.NewFormItem("村", village),
		widget.NewFormItem("风险类型", risk), widget.NewFormItem("情况说明", note))
	var d *dialog.CustomDialog
	add := func() {
		c, err := s.m.app.AddManualClue(app.ManualClue{Period: s.period.Selected, Source: source.Selected, PersonID: id.Text, Name: name.Text,
			Township: town.Text, Village: village.Text, RiskType: risk.Selected, Note: note.Text})
		if err != nil {
			problem.SetText("未新增：" + err.Error()) // the form stays open with what was typed
			return
		}
		d.Hide()
		s.refresh()
		s.summary.SetText("已新增线索 " + c.ID)
	}
	addBtn := widget.NewButton("新增线索", add)
	addBtn.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("新增线索 — "+s.period.Selected, container.NewBorder(nil, problem, nil, nil, form), s.m.win)
	d.SetButtons([]fyne.CanvasObject{cancel, addBtn})
	d.Resize(fyne.NewSize(560, 560))
	s.m.showDialog(d, add)
	s.m.win.Canvas().Focus(id)
}

// whoIs says whose an ID typed in a form is: the roster person and their
// household, or that the person is not on the roster.
func (s *cluesScreen) whoIs(text string) string {
	id := engine.ParseID(text)
	if strings.TrimSpace(text) == "" {
		return ""
	}
	if !id.Usable() {
		return "身份证号有误：" + id.Reason
	}
	r, err := s.m.app.Roster()
	if err != nil {
		return err.Error()
	}
	p, ok := r.Person(id.Norm)
	if !ok {
		return "名册中没有此人：请填写姓名和乡镇、村"
	}
	return fmt.Sprintf("名册内：%s（%s），%s %s，户编号 %s", p.Name, p.Relation, p.Township, p.Village, p.HouseholdNo)
}

// conflictTab lists where departments, or a department and the roster,
// disagree, as a table that sorts and exports.
func (s *cluesScreen) conflictTab() fyne.CanvasObject {
	s.conflTab = newDataTable([]column{{"类型", 120}, {"姓名", 80}, {"身份证号", 170}, {"说明", 520}, {"原始行", 160}},
		func() int { return len(s.confl) }, func(row, col int, l *widget.Label) {
			cf := s.confl[row]
			switch col {
			case 0:
				l.SetText(cf.Kind)
			case 1:
				l.SetText(cf.Name)
			case 2:
				l.SetText(cf.Person)
			case 3:
				l.SetText(cf.Detail)
			case 4:
				refs := make([]string, len(cf.Refs))
				for i, r := range cf.Refs {
					refs[i] = fmt.Sprintf("第%d次导入第%d行", r.Import, r.Line)
				}
				l.SetText(strings.Join(refs, "、"))
			}
		})
	s.conflTab.OnSelected = func(id widget.TableCellID) {
		cf := s.confl[s.conflTab.Data(id.Row)]
		l := widget.NewLabel(fmt.Sprintf("【%s】%s %s\n%s", cf.Kind, cf.Name, cf.Person, cf.Detail))
		l.Wrapping = fyne.TextWrapWord
		s.m.showInfo("部门数据打架", container.NewGridWrap(fyne.NewSize(560, 160), l))
	}
	export := widget.NewButton("导出当前视图…", func() {
		s.m.exportView("部门数据打架_"+s.period.Selected+".xlsx", "部门数据打架（"+s.period.Selected+"）", s.conflTab, s.conflicts.SetText)
	})
	return container.NewBorder(container.NewHBox(s.conflicts, export), nil, nil, nil, s.conflTab)
}
