package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bidui/engine"
)

// catalogEditor edits the county's department catalog: departments, their
// aliases, their lists and the lists' key columns with header synonyms. The
// rules are shown in plain Chinese.
type catalogEditor struct {
	m       *mainWindow
	win     fyne.Window
	cat     *engine.Catalog // the copy being edited
	dept    int
	list    int
	depts   *widget.List
	name    *widget.Entry
	aliases *widget.Entry
	lists   *widget.Select
	lname   *widget.Entry
	risk    *widget.Entry
	columns *widget.Entry
	rule    *widget.Label
	status  *widget.Label
	loaded  bool // the form shows a department; until then there is nothing to apply
}

func (m *mainWindow) openCatalogEditor() *catalogEditor {
	e := &catalogEditor{m: m, cat: m.app.Catalog.Clone()}
	e.win = m.fyneApp.NewWindow("部门目录 — 部门、清单与表头同义词")
	e.depts = widget.NewList(func() int { return len(e.cat.Departments) },
		func() fyne.CanvasObject { return widget.NewLabel("消防救援大队消防") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(e.cat.Departments[i].Name) })
	e.depts.OnSelected = func(i widget.ListItemID) {
		e.apply()
		e.dept, e.list = i, 0
		e.load()
	}
	e.name = widget.NewEntry()
	e.aliases = widget.NewEntry()
	e.aliases.SetPlaceHolder("别的叫法，用顿号分隔，如：医疗保障局、县医保局")
	e.lists = newSelect(nil, func(name string) {
		for i, l := range e.cat.Departments[e.dept].Lists {
			if l.Name == name && i != e.list {
				e.apply()
				e.list = i
				e.loadList()
			}
		}
	})
	e.lname = widget.NewEntry()
	e.risk = widget.NewEntry()
	e.columns = widget.NewMultiLineEntry()
	e.columns.SetMinRowsVisible(8)
	e.columns.Wrapping = fyne.TextWrapWord
	e.rule = widget.NewLabel("")
	e.rule.Wrapping = fyne.TextWrapWord
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord

	addDept := widget.NewButton("新增部门", e.onAddDept)
	delDept := widget.NewButton("删除部门", e.onDelDept)
	addList := widget.NewButton("新增清单", e.onAddList)
	delList := widget.NewButton("删除清单", e.onDelList)
	save := widget.NewButton("保存", e.onSave)
	save.Importance = widget.HighImportance
	reset := widget.NewButton("恢复内置目录", e.onReset)

	form := widget.NewForm(
		widget.NewFormItem("部门名称", e.name),
		widget.NewFormItem("别名", e.aliases),
	)
	listForm := widget.NewForm(
		widget.NewFormItem("清单名称", e.lname),
		widget.NewFormItem("风险类型", e.risk),
		widget.NewFormItem("关键列", e.columns),
		widget.NewFormItem("预警规则", e.rule),
	)
	help := widget.NewLabel("关键列每行一列：列名：同义表头1、同义表头2（必需）。姓名、身份证号、乡镇、村、住址各清单都会自动识别，不必列出。")
	help.Wrapping = fyne.TextWrapWord
	right := container.NewVBox(form, widget.NewSeparator(),
		container.NewHBox(widget.NewLabel("清单"), container.NewGridWrap(fyne.NewSize(160, 36), e.lists), addList, delList),
		listForm, help, e.status)
	left := container.NewBorder(nil, container.NewHBox(addDept, delDept), nil, nil, e.depts)
	split := container.NewHSplit(left, container.NewVScroll(right))
	split.Offset = 0.25
	e.win.SetContent(container.NewBorder(nil, container.NewHBox(save, reset), nil, nil, split))
	e.win.Resize(fyne.NewSize(1000, 680))
	e.depts.Select(0)
	e.win.Show()
	return e
}

// load shows the selected department.
func (e *catalogEditor) load() {
	if e.dept >= len(e.cat.Departments) {
		return
	}
	d := &e.cat.Departments[e.dept]
	e.loaded = true
	e.name.SetText(d.Name)
	e.aliases.SetText(strings.Join(d.Aliases, "、"))
	e.lists.Options = d.ListNames()
	e.lists.Selected = ""
	e.loadList()
}

func (e *catalogEditor) loadList() {
	d := &e.cat.Departments[e.dept]
	if e.list >= len(d.Lists) {
		e.list = 0
	}
	l := &d.Lists[e.list]
	e.lists.Options = d.ListNames()
	e.lists.Selected = l.Name
	e.lists.Refresh()
	e.lname.SetText(l.Name)
	e.risk.SetText(l.RiskType)
	e.columns.SetText(engine.FormatColumns(l.Columns))
	e.rule.SetText(l.Describe(d.Name) + "\n（规则的标准在“比对规则”中修改）")
}

// apply copies the form back into the catalog being edited.
func (e *catalogEditor) apply() {
	if !e.loaded || e.dept >= len(e.cat.Departments) {
		return
	}
	d := &e.cat.Departments[e.dept]
	d.Name = strings.TrimSpace(e.name.Text)
	d.Aliases = splitList(e.aliases.Text)
	if e.list < len(d.Lists) {
		l := &d.Lists[e.list]
		l.Name = strings.TrimSpace(e.lname.Text)
		l.RiskType = strings.TrimSpace(e.risk.Text)
		cols, err := engine.ParseColumns(e.columns.Text, l.Columns)
		if err != nil {
			e.status.SetText("关键列有误：" + err.Error())
			return
		}
		l.Columns = cols
	}
	e.depts.Refresh()
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (e *catalogEditor) onAddDept() {
	e.apply()
	e.cat.Departments = append(e.cat.Departments, engine.Department{Name: "新部门", Lists: []engine.ListType{{Name: "清单", RiskType: "其他", Rule: engine.Rule{Kind: "any"}}}})
	e.depts.Refresh()
	e.depts.Select(len(e.cat.Departments) - 1)
}

func (e *catalogEditor) onDelDept() {
	if len(e.cat.Departments) <= 1 {
		e.status.SetText("至少保留一个部门")
		return
	}
	e.cat.Departments = append(e.cat.Departments[:e.dept], e.cat.Departments[e.dept+1:]...)
	e.dept = 0
	e.depts.UnselectAll()
	e.depts.Refresh()
	e.depts.Select(0)
}

func (e *catalogEditor) onAddList() {
	e.apply()
	d := &e.cat.Departments[e.dept]
	d.Lists = append(d.Lists, engine.ListType{Name: "新清单", RiskType: "其他", Rule: engine.Rule{Kind: "any"}})
	e.list = len(d.Lists) - 1
	e.loadList()
}

func (e *catalogEditor) onDelList() {
	d := &e.cat.Departments[e.dept]
	if len(d.Lists) <= 1 {
		e.status.SetText("一个部门至少要有一类清单；不需要这个部门时请删除部门")
		return
	}
	d.Lists = append(d.Lists[:e.list], d.Lists[e.list+1:]...)
	e.list = 0
	e.loadList()
}

func (e *catalogEditor) onSave() {
	e.status.SetText("")
	e.apply()
	if e.status.Text != "" {
		return
	}
	if err := e.m.app.SaveCatalog(e.cat.Clone()); err != nil {
		e.status.SetText(err.Error())
		return
	}
	e.status.SetText("已保存，下次导入起生效")
	e.m.refreshScreens()
}

func (e *catalogEditor) onReset() {
	e.m.confirmOn(e.win, "恢复内置目录", "放弃本县对部门目录的所有修改，恢复程序内置的目录吗？", "放弃修改，恢复内置目录", "不恢复", true, func() {
		if err := e.m.app.SaveCatalog(nil); err != nil {
			e.status.SetText(err.Error())
			return
		}
		e.cat = e.m.app.Catalog.Clone()
		e.dept, e.list = 0, 0
		e.depts.Refresh()
		e.load()
		e.status.SetText("已恢复内置目录")
		e.m.refreshScreens()
	})
}
