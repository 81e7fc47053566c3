package ui

import (
	"bidui/engine"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// calendarEditor edits a year of the working-day calendar: one day a line,
// "2026-10-01 放假" or "2026-10-10 上班".
type calendarEditor struct {
	m         *mainWindow
	win       fyne.Window
	year      *widget.Select
	days      *widget.Entry
	published *widget.Check
	source    *widget.Label
	status    *widget.Label
}

func (m *mainWindow) openCalendarEditor() *calendarEditor {
	e := &calendarEditor{m: m}
	e.win = m.fyneApp.NewWindow("工作日历 — 法定节假日与调休")
	now := m.app.Now().Year()
	years := []string{strconv.Itoa(now - 1), strconv.Itoa(now), strconv.Itoa(now + 1)}
	e.days = widget.NewMultiLineEntry()
	e.days.SetMinRowsVisible(16)
	e.published = widget.NewCheck("已按国务院公布的放假安排录入（含调休上班日）", nil)
	e.source = widget.NewLabel("")
	e.source.Wrapping = fyne.TextWrapWord
	e.status = widget.NewLabel("")
	e.year = newSelect(years, func(string) { e.load() })
	save := widget.NewButton("保存", e.onSave)
	save.Importance = widget.HighImportance
	help := widget.NewLabel("每行一天：日期 放假，或 日期 上班（周末调休上班）。周一至周五默认上班、周六周日默认休息，只需写例外。办结期限按此计算（交办当日不计入）。")
	help.Wrapping = fyne.TextWrapWord
	e.win.SetContent(container.NewBorder(
		container.NewVBox(container.NewHBox(widget.NewLabel("年份"), e.year), help, e.source),
		container.NewVBox(e.published, container.NewHBox(save), e.status), nil, nil, container.NewVScroll(e.days)))
	e.win.Resize(fyne.NewSize(640, 700))
	e.year.SetSelected(strconv.Itoa(now))
	e.win.Show()
	return e
}

func (e *calendarEditor) load() {
	y, _ := strconv.Atoi(e.year.Selected)
	cal, err := e.m.app.Calendar()
	if err != nil {
		e.status.SetText(err.Error())
		return
	}
	e.days.SetText(cal.YearText(y))
	e.published.SetChecked(cal.Covers(y))
	e.source.SetText("")
	found := false
	for _, cy := range cal.Years {
		if cy.Year == y {
			e.source.SetText("来源：" + cy.Source)
			found = true
		}
	}
	if !found { // not in the calendar: the statutory holidays, estimated
		sy := engine.StatutoryYear(y)
		lines := make([]string, len(sy.Holidays))
		for i, d := range sy.Holidays {
			lines[i] = d + " 放假"
		}
		e.days.SetText(strings.Join(lines, "\n"))
		e.source.SetText("来源（推算）：" + sy.Source)
	}
	if cal.Estimated(y) {
		e.status.SetText(fmt.Sprintf("%d 年为推算：适逢周末的法定节假日会自动在其后的工作日补假；调休上班日要等国务院公布后录入。", y))
		return
	}
	e.status.SetText("")
}

func (e *calendarEditor) onSave() {
	y, _ := strconv.Atoi(e.year.Selected)
	if err := e.m.app.SaveCalendarYear(y, e.days.Text, e.published.Checked); err != nil {
		e.status.SetText(err.Error())
		return
	}
	e.status.SetText(fmt.Sprintf("已保存 %d 年工作日历，此后交办的期限按新日历计算（已记入操作日志）", y))
}
