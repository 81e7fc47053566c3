package ui

import (
	"bidui/engine"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// openAuditLog shows who did what and when, filterable and exportable; the
// log itself cannot be edited from anywhere.
func (m *mainWindow) openAuditLog() *auditView {
	v := &auditView{m: m}
	v.win = m.fyneApp.NewWindow("操作日志")
	v.filter = widget.NewEntry()
	v.filter.SetPlaceHolder("筛选：操作员、操作或内容中的文字")
	v.filter.OnChanged = func(string) { v.apply() }
	v.table = newDataTable([]column{{"时间", 170}, {"操作员", 90}, {"操作", 120}, {"内容", 600}}, func() int { return len(v.rows) },
		func(row, col int, l *widget.Label) {
			e := v.rows[row]
			l.SetText([]string{e.At.Format("2006-01-02 15:04:05"), e.Operator, e.Action, e.Detail}[col])
		})
	export := widget.NewButton("导出…", func() {
		m.saveXLSX("操作日志.xlsx", func(path string) error { return v.export(path) }, func(path string) { v.count.SetText("已导出：" + path) })
	})
	v.count = widget.NewLabel("")
	v.win.SetContent(container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(v.count, export), v.filter), nil, nil, nil, v.table))
	v.win.Resize(fyne.NewSize(1000, 600))
	var err error
	if v.all, err = m.app.AuditLog(0); err != nil {
		m.showError(err)
	}
	v.apply()
	v.win.Show()
	return v
}

type auditView struct {
	m      *mainWindow
	win    fyne.Window
	all    []engine.AuditEntry
	rows   []engine.AuditEntry
	filter *widget.Entry
	table  *dataTable
	count  *widget.Label
}

func (v *auditView) apply() {
	q := strings.TrimSpace(v.filter.Text)
	v.rows = v.rows[:0]
	for _, e := range v.all {
		if q == "" || strings.Contains(e.Operator, q) || strings.Contains(e.Action, q) || strings.Contains(e.Detail, q) {
			v.rows = append(v.rows, e)
		}
	}
	v.count.SetText(fmt.Sprintf("%d / %d 条", len(v.rows), len(v.all)))
	v.table.Refresh()
}

func (v *auditView) export(path string) error {
	return v.m.app.ExportAudit(path, v.rows)
}
