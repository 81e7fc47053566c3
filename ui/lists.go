package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
	"bidui/engine"
)

// listsScreen is 部门数据: the month's submission board, importing a
// department's file with its column mapping confirmed, and the return lists.
type listsScreen struct {
	m        *mainWindow
	board    *app.Board
	selected int // row of the board, -1 for none

	period    *widget.Select
	importBtn *widget.Button
	exportBtn *widget.Button
	returnBtn *widget.Button
	due       *widget.Label
	table     *dataTable
	detail    *widget.Label
	progress  *widget.ProgressBarInfinite
	status    *widget.Label
	cancelBtn *widget.Button
	cancel    context.CancelFunc
	box       fyne.CanvasObject
}

var boardColumns = []column{{"部门", 110}, {"清单", 90}, {"状态", 130}, {"报送时间", 140}, {"文件", 300}, {"数据行", 70}, {"有效", 70}, {"有问题", 70}, {"版本", 50}}

// recentPeriods lists this month and the eleven before it, newest first.
func recentPeriods(now time.Time) []string {
	out := engine.MonthOf(now).Months(12)
	slices.Reverse(out)
	return out
}

func newListsScreen(m *mainWindow) *listsScreen {
	s := &listsScreen{m: m, selected: -1}
	s.period = newSelect(recentPeriods(m.app.Now()), func(string) { s.refresh() })
	s.importBtn = widget.NewButton("导入部门清单…", s.onImport)
	s.importBtn.Importance = widget.HighImportance
	s.exportBtn = widget.NewButton("导出报送情况…", s.onExportBoard)
	s.returnBtn = widget.NewButton("导出退回核实清单…", s.onExportReturn)
	s.returnBtn.Disable()
	s.due = widget.NewLabel("")
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = widget.NewLabel("")
	s.cancelBtn = widget.NewButton("取消", func() {
		if s.cancel != nil {
			s.cancel()
		}
	})
	s.cancelBtn.Hide()

	s.table = newDataTable(boardColumns, func() int {
		if s.board == nil {
			return 0
		}
		return len(s.board.Entries)
	}, s.updateCell)
	s.table.OnSelected = func(id widget.TableCellID) { s.selectRow(s.table.Data(id.Row)) }
	s.detail = widget.NewLabel("点击一行查看该清单的问题行")
	s.detail.Wrapping = fyne.TextWrapWord

	top := container.NewVBox(
		container.NewHBox(widget.NewLabel("批次"), container.NewGridWrap(fyne.NewSize(120, 36), s.period),
			s.importBtn, s.exportBtn, s.returnBtn, widget.NewButton("导出当前视图…", func() {
				s.m.exportView("部门报送_当前视图_"+s.period.Selected+".xlsx", "部门数据报送情况（"+s.period.Selected+"）", s.table, s.status.SetText)
			}), s.due),
		container.NewBorder(nil, nil, nil, s.cancelBtn, container.NewVBox(s.status, s.progress)),
	)
	split := container.NewVSplit(s.table, container.NewVScroll(s.detail))
	split.Offset = 0.62
	s.box = container.NewBorder(top, nil, nil, nil, split)
	s.period.SetSelected(recentPeriods(m.app.Now())[0])
	return s
}

func (s *listsScreen) content() fyne.CanvasObject { return s.box }
func (s *listsScreen) shown()                     { s.refresh() }

// refresh reloads the board of the chosen period.
func (s *listsScreen) refresh() {
	b, err := s.m.app.Board(s.period.Selected)
	if err != nil {
		s.m.showError(err)
		return
	}
	s.board = b
	submitted, late := 0, 0
	for _, e := range b.Entries {
		if e.Submitted {
			submitted++
		}
		if e.Late || e.Overdue {
			late++
		}
	}
	due := fmt.Sprintf("报送截止 %s：已报送 %d / %d 类，逾期 %d 类", b.Due, submitted, len(b.Entries), late)
	if b.Stale != "" {
		due += "。【注意】" + b.Stale
	}
	s.due.SetText(due)
	s.table.Refresh()
	if s.selected >= 0 && s.selected < len(b.Entries) {
		s.selectRow(s.selected)
	}
}

func (s *listsScreen) updateCell(row, col int, l *widget.Label) {
	e := s.board.Entries[row]
	text := ""
	switch col {
	case 0:
		text = e.Dept
	case 1:
		text = e.List
	case 2:
		text = e.Status
		switch {
		case e.Overdue || e.Late:
			l.Importance = widget.DangerImportance
			text = "⚠ " + text
		case !e.Submitted:
			l.Importance = widget.WarningImportance
		default:
			l.Importance = widget.SuccessImportance
		}
	case 3:
		if e.Submitted {
			text = e.At.Format("2006-01-02 15:04")
		}
	case 4:
		text = e.File
	case 5, 6, 7:
		if e.Submitted {
			text = fmt.Sprint([]int{e.Rows, e.Valid, e.Invalid}[col-5])
		}
	case 8:
		if e.Versions > 0 {
			text = fmt.Sprint(e.Versions)
		}
	}
	l.SetText(text)
}

func (s *listsScreen) selectRow(row int) {
	if s.board == nil || row < 0 || row >= len(s.board.Entries) {
		return
	}
	s.selected = row
	e := s.board.Entries[row]
	if !e.Submitted {
		s.returnBtn.Disable()
		s.detail.SetText(fmt.Sprintf("%s·%s：%s 批次尚未导入。", e.Dept, e.List, s.board.Period))
		return
	}
	im, err := s.m.app.ListImport(e.Import)
	if err != nil {
		s.m.showError(err)
		return
	}
	s.returnBtn.Enable()
	s.detail.SetText(importSummary(&im, 200))
}

// importSummary describes an import and its first problem rows.
func importSummary(im *engine.ListImport, maxIssues int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s·%s（%s 批次，第%d次导入）\n文件：%s「%s」　导入时间：%s　操作员：%s\n",
		im.Dept, im.List, im.Period, im.Seq, im.File, im.Sheet, im.At.Format("2006-01-02 15:04"), im.Operator)
	fmt.Fprintf(&b, "数据行 %d：有效 %d（%d 人），有问题 %d（其中重复 %d）；标题、空行、合计行等 %d 行未计入。\n",
		im.Rows, im.Valid, im.Persons, im.Invalid, im.Duplicates, im.Skipped)
	for _, w := range im.Warnings {
		b.WriteString("注意：" + w + "\n")
	}
	if len(im.Issues) > 0 {
		b.WriteString("\n有问题的行（已保留，可导出退回核实清单发回部门）：\n")
		for i, is := range im.Issues {
			if i == maxIssues {
				fmt.Fprintf(&b, "……另有 %d 条\n", len(im.Issues)-maxIssues)
				break
			}
			if is.Column != "" {
				fmt.Fprintf(&b, "第%d行「%s」：%s\n", is.Row, is.Column, is.Message)
			} else {
				fmt.Fprintf(&b, "第%d行：%s\n", is.Row, is.Message)
			}
		}
	}
	return b.String()
}

func (s *listsScreen) onImport() { s.m.openSpreadsheet(func(path string) { s.showImportDialog(path) }) }

// importDialog is the dialog that confirms a file's department, sheet and
// column mapping before it is imported.
type importDialog struct {
	*columnPicker
	s     *listsScreen
	path  string
	dept  *widget.Select
	list  *widget.Select
	sheet *widget.Select
	dlg   *dialog.ConfirmDialog
}

const noColumn = "（无此列）"

func (s *listsScreen) showImportDialog(path string) *importDialog {
	d := &importDialog{s: s, path: path, columnPicker: newColumnPicker()}
	cat := s.m.app.Catalog
	var depts []string
	for _, dd := range cat.Departments {
		depts = append(depts, dd.Name)
	}
	d.dept = newSelect(depts, func(name string) {
		dd, _ := cat.Dept(name)
		d.list.Options = dd.ListNames()
		d.list.SetSelected(dd.Lists[0].Name)
		d.list.Refresh()
	})
	d.list = newSelect(nil, func(string) { d.reload("") })
	d.sheet = newSelect(nil, func(sh string) {
		if d.prev != nil && sh != d.prev.Sheet {
			d.reload(sh)
		}
	})
	form := container.NewVBox(
		widget.NewLabel("文件："+filepath.Base(path)),
		container.NewGridWithColumns(6, widget.NewLabel("报送部门"), d.dept, widget.NewLabel("清单"), d.list, widget.NewLabel("工作表"), d.sheet),
		widget.NewLabelWithStyle("列对应（可用下拉框更正，确认后下次同一部门的文件自动沿用）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		d.mapBox, d.note,
		widget.NewLabelWithStyle("前几行预览", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	)
	body := container.NewBorder(form, nil, nil, nil, d.preview)
	d.dlg = dialog.NewCustomConfirm("导入部门清单 — "+s.period.Selected+" 批次", "导入", "取消", body, func(ok bool) {
		if ok {
			d.submit(false)
		}
	}, s.m.win)
	d.dlg.Resize(fyne.NewSize(1100, 680))
	dept, list := cat.GuessFromFileName(filepath.Base(path))
	if dept == "" {
		dept = depts[0]
	}
	d.dept.SetSelected(dept)
	if list != "" {
		d.list.SetSelected(list)
	}
	s.m.showDialog(d.dlg, d.dlg.Confirm)
	return d
}

// reload reads the preview for the chosen department, list and sheet.
func (d *importDialog) reload(sheet string) {
	if d.dept.Selected == "" || d.list.Selected == "" {
		return
	}
	p, err := d.s.m.app.PreviewList(d.path, d.dept.Selected, d.list.Selected, sheet)
	if err != nil {
		d.clear("无法预览：" + err.Error())
		return
	}
	d.sheet.Options = p.Sheets
	d.sheet.Selected = p.Sheet
	d.sheet.Refresh()
	d.show(p)
}

func columnOption(i int, header string) string {
	return fmt.Sprintf("%s列：%s", columnLetter(i), header)
}

func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func (d *importDialog) submit(force bool) {
	req := app.ListRequest{Period: d.s.period.Selected, Dept: d.dept.Selected, List: d.list.Selected, Path: d.path,
		Columns: d.mapping(), Force: force}
	if d.prev != nil {
		req.Sheet = d.prev.Sheet
	}
	d.s.runImport(req, func() { d.submit(true) })
}

// runImport imports in the background with a moving bar and a cancel button;
// again is called when the officer confirms an import that needed asking.
func (s *listsScreen) runImport(req app.ListRequest, again func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.importBtn.Disable()
	s.progress.Show()
	s.progress.Start()
	s.cancelBtn.Show()
	s.status.SetText("正在导入 " + filepath.Base(req.Path) + " …")
	runAsync(func() {
		rec, err := s.m.app.ImportList(ctx, req, func(rows int) {
			fyne.Do(func() {
				s.status.SetText(fmt.Sprintf("正在导入 %s，已读取 %d 行…", filepath.Base(req.Path), rows))
			})
		})
		fyne.Do(func() {
			cancel()
			s.cancel = nil
			s.progress.Stop()
			s.progress.Hide()
			s.cancelBtn.Hide()
			s.importBtn.Enable()
			var nc *app.NeedsConfirm
			switch {
			case errors.As(err, &nc):
				s.status.SetText("")
				s.m.confirm("请确认", strings.Join(nc.Reasons, "\n")+"\n\n仍要导入吗？", "仍要导入", "不导入", true, again)
				return
			case err != nil:
				s.status.SetText("导入未完成，数据库保持原样。")
				s.m.showError(err)
				return
			}
			s.status.SetText(fmt.Sprintf("已导入 %s·%s：数据行 %d，有效 %d，有问题 %d。", rec.Dept, rec.List, rec.Rows, rec.Valid, rec.Invalid))
			s.refresh()
			for i, e := range s.board.Entries {
				if e.Import == rec.Seq {
					s.table.Select(widget.TableCellID{Row: i, Col: 0})
				}
			}
			l := widget.NewLabel(importSummary(rec, 30))
			l.Wrapping = fyne.TextWrapWord
			s.m.showInfo("导入完成", container.NewGridWrap(fyne.NewSize(680, 360), container.NewVScroll(l)))
		})
	})
}

func (s *listsScreen) onExportBoard() {
	s.saveDialog(fmt.Sprintf("部门数据报送情况_%s.xlsx", s.period.Selected), func(path string) error {
		return s.m.app.ExportBoard(s.period.Selected, path)
	})
}

func (s *listsScreen) onExportReturn() {
	if s.board == nil || s.selected < 0 || !s.board.Entries[s.selected].Submitted {
		return
	}
	e := s.board.Entries[s.selected]
	s.saveDialog(fmt.Sprintf("%s_%s_%s_退回核实清单.xlsx", e.Dept, e.List, s.period.Selected), func(path string) error {
		_, err := s.m.app.ExportReturnList(e.Import, path)
		return err
	})
}

// saveDialog asks where to save an exported file and writes it.
func (s *listsScreen) saveDialog(name string, write func(path string) error) {
	s.m.saveXLSX(name, write, func(path string) { s.status.SetText("已导出：" + path) })
}
