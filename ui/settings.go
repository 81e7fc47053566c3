package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// settingsScreen is 设置: the county and the operator.
type settingsScreen struct {
	m        *mainWindow
	county   *widget.Entry
	code     *widget.Entry
	operator *widget.Entry
	dueDay   *widget.Select
	dueNext  *widget.Check
	// assignFormat numbers assignments: {县}{年}{月}{序号} are filled in
	assignFormat *widget.Entry
	saved        *widget.Label
	dbPath       *widget.Label
	box          fyne.CanvasObject
}

func newSettingsScreen(m *mainWindow) *settingsScreen {
	s := &settingsScreen{m: m}
	s.county = widget.NewEntry()
	s.county.SetPlaceHolder("如：青山县")
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("6位行政区划代码，可不填")
	s.operator = widget.NewEntry()
	s.operator.SetPlaceHolder("数据管理员姓名，将作为经办人打印在交办单上")
	s.saved = widget.NewLabel("")
	s.dbPath = widget.NewLabel("")
	days := make([]string, 28)
	for i := range days {
		days[i] = strconv.Itoa(i + 1)
	}
	s.dueDay = widget.NewSelect(days, nil)
	s.dueNext = widget.NewCheck("次月（如每月5日前报送上月数据）", nil)
	s.assignFormat = widget.NewEntry()
	s.assignFormat.SetPlaceHolder("{县}防交〔{年}〕{月}-{序号}号")
	s.dbPath.Wrapping = fyne.TextWrapBreak
	form := widget.NewForm(
		widget.NewFormItem("县（市、区）名称", s.county),
		widget.NewFormItem("行政区划代码", s.code),
		widget.NewFormItem("操作员", s.operator),
	)
	save := widget.NewButton("保存设置", s.onSave)
	save.Importance = widget.HighImportance
	s.box = container.NewVBox(
		widget.NewLabelWithStyle("设置", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form, container.NewHBox(save, s.saved), widget.NewSeparator(),
		widget.NewLabelWithStyle("部门数据", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem("报送截止日", container.NewHBox(s.dueDay, s.dueNext))),
		container.NewHBox(widget.NewButton("部门目录…", func() { m.openCatalogEditor() }),
			widget.NewLabel("部门、别名、清单和表头同义词；新增部门或清单不需要改程序")),
		container.NewHBox(widget.NewButton("比对规则…", func() { m.openRulesEditor() }),
			widget.NewLabel("各清单的预警标准，如医保住院自付名册内 ≥ 5000 元；修改记入操作日志")),
		widget.NewLabelWithStyle("交办", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem("交办编号格式", s.assignFormat)),
		container.NewHBox(widget.NewButton("工作日历…", func() { m.openCalendarEditor() }),
			widget.NewLabel("法定节假日与调休上班日，办结期限按20个工作日计算")),
		widget.NewSeparator(),
		widget.NewLabel("数据库文件位置："), s.dbPath)
	return s
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.box }

func (s *settingsScreen) shown() {
	st, err := s.m.app.Settings()
	if err != nil {
		s.m.showError(err)
		return
	}
	s.county.SetText(st.CountyName)
	s.code.SetText(st.CountyCode)
	s.operator.SetText(st.Operator)
	s.dueDay.SetSelected(strconv.Itoa(st.DueDay))
	s.dueNext.SetChecked(st.DueNextMonth)
	s.assignFormat.SetText(st.AssignFormat)
	s.saved.SetText("")
	s.dbPath.SetText(s.m.app.DB.Path)
}

func (s *settingsScreen) onSave() {
	st, err := s.m.app.Settings()
	if err != nil {
		s.m.showError(err)
		return
	}
	st.CountyName = strings.TrimSpace(s.county.Text)
	st.CountyCode = strings.TrimSpace(s.code.Text)
	st.Operator = strings.TrimSpace(s.operator.Text)
	if d, err := strconv.Atoi(s.dueDay.Selected); err == nil {
		st.DueDay = d
	}
	st.DueNextMonth = s.dueNext.Checked
	st.AssignFormat = strings.TrimSpace(s.assignFormat.Text)
	if err := s.m.app.SaveSettings(st); err != nil {
		s.m.showError(err)
		return
	}
	s.saved.SetText("已保存")
	s.m.win.SetTitle(s.m.windowTitle())
}
