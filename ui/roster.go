package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
	"bidui/engine"
)

const allChoice = "全部"

var rosterColumns = []struct {
	title string
	width float32
	value func(p *engine.Person, h *engine.Household) string
}{
	{"姓名", 90, func(p *engine.Person, _ *engine.Household) string { return p.Name }},
	{"性别", 50, func(p *engine.Person, _ *engine.Household) string { return p.Sex }},
	{"身份证号", 190, func(p *engine.Person, _ *engine.Household) string { return p.ID }},
	{"与户主关系", 90, func(p *engine.Person, _ *engine.Household) string { return p.Relation }},
	{"户编号", 170, func(p *engine.Person, _ *engine.Household) string { return p.HouseholdNo }},
	{"乡镇", 80, func(p *engine.Person, _ *engine.Household) string { return p.Township }},
	{"行政村", 90, func(p *engine.Person, _ *engine.Household) string { return p.Village }},
	{"村民小组", 130, func(p *engine.Person, _ *engine.Household) string { return p.Group }},
	{"户类型", 80, func(_ *engine.Person, h *engine.Household) string { return householdType(h) }},
	{"监测类型", 110, func(_ *engine.Person, h *engine.Household) string { return h.MonitorType }},
	{"风险消除", 70, func(_ *engine.Person, h *engine.Household) string { return riskText(h) }},
}

func householdType(h *engine.Household) string {
	if h.Category == engine.CategoryMonitored {
		return "监测对象"
	}
	return "脱贫户"
}

func riskText(h *engine.Household) string {
	if h.Category != engine.CategoryMonitored {
		return ""
	}
	if h.RiskEliminated {
		return "已消除"
	}
	return "未消除"
}

// rosterScreen is 基础名册: import, filter, search and household detail.
type rosterScreen struct {
	m      *mainWindow
	roster *engine.Roster
	rows   []int // indexes into roster.Persons after filtering

	importBtn *widget.Button
	township  *widget.Select
	village   *widget.Select
	category  *widget.Select
	search    *widget.Entry
	count     *widget.Label
	progress  *widget.ProgressBarInfinite
	status    *widget.Label
	table     *dataTable
	detail    *widget.Label
	members   *widget.Label
	history   *widget.Button
	household string // shown in the detail pane
	box       fyne.CanvasObject
	loaded    bool
}

func newRosterScreen(m *mainWindow) *rosterScreen {
	s := &rosterScreen{m: m, roster: engine.NewRoster(nil)}
	s.importBtn = widget.NewButton("导入基础名册…", s.onImport)
	s.importBtn.Importance = widget.HighImportance
	s.township = newSelect([]string{allChoice}, s.onTownship)
	s.township.PlaceHolder = "乡镇"
	s.village = newSelect([]string{allChoice}, func(string) { s.applyFilter() })
	s.village.PlaceHolder = "行政村"
	s.category = newSelect([]string{allChoice, "脱贫户", "监测对象"}, func(string) { s.applyFilter() })
	s.category.PlaceHolder = "户类型"
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("搜索：姓名、身份证号或户编号")
	s.search.OnChanged = func(string) { s.applyFilter() }
	s.count = widget.NewLabel("")
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = widget.NewLabel("")

	cols := make([]column, len(rosterColumns))
	for i, c := range rosterColumns {
		cols[i] = column{c.title, c.width}
	}
	s.table = newDataTable(cols, func() int { return len(s.rows) }, s.updateCell)
	s.table.OnSelected = s.onSelect

	s.detail = widget.NewLabel("点击表中的一人，查看其家庭成员")
	s.detail.Wrapping = fyne.TextWrapWord
	s.members = widget.NewLabel("")
	s.members.Wrapping = fyne.TextWrapWord
	s.history = widget.NewButton("一户一档", func() {
		if s.household != "" {
			m.showHistory(s.household)
		}
	})
	s.history.Disable()
	detail := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("户详情", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.detail, s.members, container.NewHBox(s.history,
			widget.NewButton("导出当前视图…", func() {
				s.m.exportView("基础名册_当前视图.xlsx", "基础名册（按当前筛选和排序）", s.table, s.status.SetText)
			}))))

	regBtn := widget.NewButton("导入农户花名册…", s.onImportRegister)
	undoBtn := widget.NewButton("撤销上次名册导入…", s.onUndo)
	filters := container.NewHBox(s.importBtn, undoBtn, regBtn, widget.NewSeparator(),
		container.NewGridWrap(fyne.NewSize(120, 36), s.township),
		container.NewGridWrap(fyne.NewSize(130, 36), s.village),
		container.NewGridWrap(fyne.NewSize(110, 36), s.category))
	top := container.NewVBox(
		container.NewBorder(nil, nil, filters, s.count, s.search),
		container.NewBorder(nil, nil, nil, nil, container.NewVBox(s.status, s.progress)),
	)
	split := container.NewHSplit(s.table, detail)
	split.Offset = 0.74
	s.box = container.NewBorder(top, nil, nil, nil, split)
	return s
}

func (s *rosterScreen) content() fyne.CanvasObject { return s.box }

func (s *rosterScreen) shown() {
	if !s.loaded {
		s.reload()
	}
}

// reload reads the roster in the background and refreshes the page.
func (s *rosterScreen) reload() {
	s.loaded = true
	s.status.SetText("正在读取基础名册…")
	runAsync(func() {
		r, err := s.m.app.Roster()
		fyne.Do(func() {
			if err != nil {
				s.status.SetText("")
				s.m.showError(err)
				return
			}
			s.setRoster(r)
		})
	})
}

func (s *rosterScreen) setRoster(r *engine.Roster) {
	s.roster = r
	s.township.Options = append([]string{allChoice}, r.Townships()...)
	s.township.Refresh()
	s.village.Options = append([]string{allChoice}, r.Villages("")...)
	s.village.Refresh()
	if len(r.Persons) == 0 {
		s.status.SetText("尚未导入基础名册。请点“导入基础名册…”，选择全国防返贫监测信息系统导出的人员明细（.xlsx/.xls/.csv）。")
	} else {
		st := r.Stats()
		s.status.SetText(fmt.Sprintf("名册共 %d 户 %d 人：脱贫户 %d 户，监测对象 %d 户（风险未消除 %d 户）；%d 个乡镇 %d 个行政村",
			st.Households, st.Persons, st.FormerlyPoor, st.Monitored, st.RiskOpen, st.Townships, st.Villages))
	}
	s.applyFilter()
}

func (s *rosterScreen) onTownship(t string) {
	if t == allChoice {
		t = ""
	}
	s.village.Options = append([]string{allChoice}, s.roster.Villages(t)...)
	s.village.ClearSelected()
	s.village.Refresh()
	s.applyFilter()
}

func choice(sel *widget.Select) string {
	if sel.Selected == allChoice {
		return ""
	}
	return sel.Selected
}

// filter is what the controls ask for.
func (s *rosterScreen) filter() engine.RosterFilter {
	f := engine.RosterFilter{Township: choice(s.township), Village: choice(s.village), Query: strings.TrimSpace(s.search.Text)}
	switch s.category.Selected {
	case "脱贫户":
		f.Category = engine.CategoryFormerlyPoor
	case "监测对象":
		f.Category = engine.CategoryMonitored
	}
	return f
}

func (s *rosterScreen) applyFilter() {
	s.rows = s.roster.Filter(s.filter())
	s.count.SetText(fmt.Sprintf("显示 %d / %d 人", len(s.rows), len(s.roster.Persons)))
	s.table.UnselectAll()
	s.table.ScrollToTop()
	s.table.Refresh()
}

func (s *rosterScreen) updateCell(row, col int, l *widget.Label) {
	p := &s.roster.Persons[s.rows[row]]
	l.SetText(rosterColumns[col].value(p, s.roster.Households[p.HouseholdNo]))
}

func (s *rosterScreen) onSelect(id widget.TableCellID) {
	row := s.table.Data(id.Row)
	if row < 0 || row >= len(s.rows) {
		return
	}
	p := &s.roster.Persons[s.rows[row]]
	s.showHousehold(p.HouseholdNo)
}

// showHousehold fills the detail pane with a household and its members.
func (s *rosterScreen) showHousehold(no string) {
	h := s.roster.Households[no]
	if h == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "户编号：%s\n户主：%s\n地址：%s %s %s\n户类型：%s", h.No, h.Head, h.Township, h.Village, h.Group, householdType(h))
	if h.Category == engine.CategoryMonitored {
		fmt.Fprintf(&b, "（%s，风险%s）", h.MonitorType, riskText(h))
	}
	fmt.Fprintf(&b, "\n帮扶责任人：%s  %s", h.Helper, h.Phone)
	s.detail.SetText(b.String())
	b.Reset()
	members := s.roster.Members(no)
	fmt.Fprintf(&b, "家庭成员（%d 人）：\n", len(members))
	for _, p := range members {
		fmt.Fprintf(&b, "%s  %s  %s  %s\n", p.Relation, p.Name, p.Sex, p.ID)
	}
	s.members.SetText(b.String())
	s.household = no
	s.history.Enable()
}

func (s *rosterScreen) onImport() {
	s.m.openSpreadsheet(func(path string) { s.showRosterDialog(path) })
}

// rosterDialog previews a roster export before it is imported: the sheet,
// how each column was understood (drop-downs to correct, remembered for
// the next export) and the first rows.
type rosterDialog struct {
	*columnPicker
	s     *rosterScreen
	path  string
	sheet *widget.Select
	dlg   *dialog.ConfirmDialog
}

func (s *rosterScreen) showRosterDialog(path string) *rosterDialog {
	d := &rosterDialog{s: s, path: path, columnPicker: newColumnPicker()}
	d.sheet = newSelect(nil, func(sh string) {
		if d.prev != nil && sh != d.prev.Sheet {
			d.reload(sh)
		}
	})
	form := container.NewVBox(
		container.NewHBox(widget.NewLabel("文件："+filepath.Base(path)), widget.NewLabel("工作表"), d.sheet),
		widget.NewLabelWithStyle("列对应（可用下拉框更正，确认后下次导入名册时自动沿用）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		d.mapBox, d.note,
		widget.NewLabelWithStyle("前几行预览", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	)
	d.dlg = dialog.NewCustomConfirm("导入基础名册", "导入", "取消", container.NewBorder(form, nil, nil, nil, d.preview), func(ok bool) {
		if ok {
			s.runImport(d.request())
		}
	}, s.m.win)
	d.dlg.Resize(fyne.NewSize(1100, 720))
	d.reload("")
	s.m.showDialog(d.dlg, d.dlg.Confirm)
	return d
}

// request is the import the dialog stands for, with the officer's columns.
func (d *rosterDialog) request() app.RosterRequest {
	req := app.RosterRequest{Files: []string{d.path}, Columns: d.mapping()}
	if d.prev != nil {
		req.Sheet = d.prev.Sheet
	}
	return req
}

// reload reads the preview of the chosen sheet.
func (d *rosterDialog) reload(sheet string) {
	p, err := d.s.m.app.PreviewRoster(d.path, sheet)
	if err != nil {
		d.clear("无法预览：" + err.Error())
		return
	}
	d.sheet.Options, d.sheet.Selected = p.Sheets, p.Sheet
	d.sheet.Refresh()
	d.show(p)
}

// runImport imports a roster file in the background with a moving bar. An
// import that would shrink the roster sharply asks first (req.Force: asked).
func (s *rosterScreen) runImport(req app.RosterRequest) {
	path := strings.Join(req.Files, "、")
	s.importBtn.Disable()
	s.progress.Show()
	s.progress.Start()
	s.status.SetText("正在导入 " + path + " …")
	runAsync(func() {
		res, err := s.m.app.ImportRoster(context.Background(), req, func(rows int) {
			fyne.Do(func() { s.status.SetText(fmt.Sprintf("正在导入，已读取 %d 行…", rows)) })
		})
		var r *engine.Roster
		if err == nil {
			r, err = s.m.app.Roster()
		}
		fyne.Do(func() {
			s.progress.Stop()
			s.progress.Hide()
			s.importBtn.Enable()
			var nc *app.NeedsConfirm
			if errors.As(err, &nc) {
				s.status.SetText("基础名册保持原样，等待确认。")
				s.confirmShrink(req, nc.Reasons)
				return
			}
			if err != nil {
				s.status.SetText("导入未完成，基础名册保持原样。")
				s.m.showError(err)
				return
			}
			s.setRoster(r)
			s.m.showInfo("基础名册导入完成", importReport(res))
		})
	})
}

// confirmShrink asks before an import that would shrink the roster sharply
// replaces it; keeping the roster is the default.
func (s *rosterScreen) confirmShrink(req app.RosterRequest, reasons []string) {
	msg := widget.NewLabel("这个文件看起来不是完整的基础名册：\n\n" + strings.Join(reasons, "\n") +
		"\n\n替换后，名册外的人员都会按名册外标准比对。确认是完整的最新名册吗？（替换后仍可用“撤销上次名册导入”恢复）")
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("请确认是否替换基础名册", "仍要替换名册", "不替换，保持原名册",
		container.NewGridWrap(fyne.NewSize(560, 220), container.NewVScroll(msg)), func(ok bool) {
			if ok {
				req.Force = true
				s.runImport(req)
			}
		}, s.m.win)
	s.m.showDialog(d, nil) // Enter keeps the roster as it is
}

// onUndo puts back the roster as it was before the last import, after
// saying which import it undoes.
func (s *rosterScreen) onUndo() {
	rec, ok, err := s.m.app.UndoableRoster()
	if err != nil {
		s.m.showError(err)
		return
	}
	if !ok {
		s.m.showInfo("撤销上次名册导入", widget.NewLabel("没有可以撤销的名册导入：只能撤销最近一次导入，且只能撤销一次。"))
		return
	}
	text := fmt.Sprintf("撤销第%d次名册导入（%s，%s 由 %s 导入，导入后 %d 人）？\n基础名册将恢复为这次导入之前的样子；撤销本身记入操作日志。",
		rec.Seq, strings.Join(rec.Files, "、"), rec.At.Format("2006-01-02 15:04"), rec.Operator, rec.Stats.Persons)
	undo := dialog.NewCustomConfirm("撤销上次名册导入", "撤销这次导入", "不撤销", widget.NewLabel(text), func(yes bool) {
		if !yes {
			return
		}
		if _, err := s.m.app.UndoRoster(); err != nil {
			s.m.showError(err)
			return
		}
		r, err := s.m.app.Roster()
		if err != nil {
			s.m.showError(err)
			return
		}
		s.setRoster(r)
		s.status.SetText(fmt.Sprintf("已撤销第%d次名册导入，名册恢复为 %d 人。", rec.Seq, len(r.Persons)))
	}, s.m.win)
	s.m.showDialog(undo, nil)
}

// importReport shows the counts of an import and its first problems.
func importReport(res *app.RosterResult) fyne.CanvasObject {
	var b strings.Builder
	fmt.Fprintf(&b, "文件：%s\n数据行 %d：有效 %d，有问题 %d（其中重复 %d）；空行、合计行等 %d 行未计入。\n",
		res.File, res.Rows, res.Valid, res.Invalid, res.Duplicates, res.Skipped)
	fmt.Fprintf(&b, "名册现有 %d 户 %d 人。与上次相比：新增 %d 人，减少 %d 人，迁移 %d 人，类别变化 %d 人。\n",
		res.Stats.Households, res.Stats.Persons, res.Changes.Added, res.Changes.Removed, res.Changes.Moved, res.Changes.CategoryChanged)
	if len(res.Warnings) > 0 {
		b.WriteString("\n请核实的行（已导入，按说明归类）：\n")
		for i, w := range res.Warnings {
			if i == 30 {
				fmt.Fprintf(&b, "……另有 %d 条\n", len(res.Warnings)-30)
				break
			}
			b.WriteString(w.Error() + "\n")
		}
	}
	if len(res.Issues) > 0 {
		b.WriteString("\n有问题的行（未导入，请核实后重新导出）：\n")
		for i, is := range res.Issues {
			if i == 30 {
				fmt.Fprintf(&b, "……另有 %d 条\n", len(res.Issues)-30)
				break
			}
			b.WriteString(is.Error() + "\n")
		}
	}
	l := widget.NewLabel(b.String())
	l.Wrapping = fyne.TextWrapWord
	return container.NewGridWrap(fyne.NewSize(640, 360), container.NewVScroll(l))
}

// onImportRegister imports the rural-household register (农户花名册): where
// people off the roster live, so their clues reach the right township.
func (s *rosterScreen) onImportRegister() {
	s.m.openSpreadsheet(func(path string) {
		fc, err := s.m.app.ImportRegister(context.Background(), path)
		if err != nil {
			s.m.showError(err)
			return
		}
		s.status.SetText(fmt.Sprintf("已导入农户花名册 %s：数据行 %d，有效 %d，有问题 %d。名册外人员的线索将按花名册分到乡镇。", fc.File, fc.Rows, fc.Valid, fc.Invalid))
	})
}
