package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bidui/engine"
)

// ruleKinds are the rule types in the officer's words.
var ruleKinds = []struct{ kind, label string }{
	{"any", "每一行都预警"},
	{"amount", "金额达到标准才预警"},
	{"match", "取值符合条件才预警"},
	{"none", "不预警（人口变动，生成信息变更）"},
}

// rulesEditor edits each list's warning rule with a plain-Chinese preview;
// a change applies from the next comparison and goes into the audit log.
type rulesEditor struct {
	m       *mainWindow
	win     fyne.Window
	cat     *engine.Catalog
	refs    [][2]int // department, list
	cur     int
	list    *widget.List
	kind    *widget.Select
	field   *widget.Select
	op      *widget.Select
	on      *widget.Entry
	off     *widget.Entry
	per     *widget.Entry
	conds   *widget.Entry
	risk    *widget.Entry
	window  *widget.Entry
	ytd     *widget.Check
	level   *widget.Select
	from    *widget.Entry
	preview *widget.Label
	status  *widget.Label
	amount  *fyne.Container
	match   *fyne.Container
	loading bool
	dirty   bool // edits not saved yet
}

func (m *mainWindow) openRulesEditor() *rulesEditor {
	e := &rulesEditor{m: m, cat: m.app.Catalog.Clone(), cur: -1}
	for di, d := range e.cat.Departments {
		for li := range d.Lists {
			e.refs = append(e.refs, [2]int{di, li})
		}
	}
	e.win = m.fyneApp.NewWindow("比对规则 — 各部门清单的预警标准")
	e.list = widget.NewList(func() int { return len(e.refs) },
		func() fyne.CanvasObject { return widget.NewLabel("消防救援大队·林草灾害") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			d, l := e.at(i)
			o.(*widget.Label).SetText(d.Name + "·" + l.Name)
		})
	e.list.OnSelected = func(i widget.ListItemID) {
		if e.cur >= 0 && !e.apply() {
			e.list.Select(e.cur) // stay on a rule that does not validate
			return
		}
		e.cur = i
		e.load()
	}
	var labels []string
	for _, k := range ruleKinds {
		labels = append(labels, k.label)
	}
	changed := func(string) { e.onChange() }
	e.kind = newSelect(labels, changed)
	e.field = newSelect(nil, changed)
	e.op = newSelect([]string{"≥（超(含)）", ">（超过）"}, changed)
	e.on = widget.NewEntry()
	e.on.OnChanged = changed
	e.off = widget.NewEntry()
	e.off.OnChanged = changed
	e.per = widget.NewEntry()
	e.per.SetPlaceHolder("可不填，如：月")
	e.per.OnChanged = changed
	e.conds = widget.NewMultiLineEntry()
	e.conds.SetMinRowsVisible(4)
	e.conds.SetPlaceHolder("每行一组条件，满足任一行即预警，如：\n残疾等级=一级/二级\n残疾类别=智力/精神 且 残疾等级=三级/四级")
	e.conds.OnChanged = changed
	e.risk = widget.NewEntry()
	e.risk.OnChanged = changed
	e.window = widget.NewEntry()
	e.window.OnChanged = changed
	e.ytd = widget.NewCheck("金额为当年累计（跨年重新计算）", func(bool) { e.onChange() })
	e.level = newSelect(nil, changed)
	e.from = widget.NewEntry()
	e.from.SetText(engine.MonthOf(m.app.Now()).String())
	e.from.OnChanged = changed
	e.preview = widget.NewLabel("")
	e.preview.Wrapping = fyne.TextWrapWord
	e.preview.TextStyle.Bold = true
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord
	e.amount = container.NewVBox(widget.NewForm(
		widget.NewFormItem("金额列", e.field), widget.NewFormItem("比较", e.op),
		widget.NewFormItem("名册内人员标准（元）", e.on), widget.NewFormItem("名册外人员标准（元）", e.off),
		widget.NewFormItem("统计周期", e.per)))
	e.match = container.NewVBox(widget.NewForm(widget.NewFormItem("条件", e.conds)))
	save := widget.NewButton("保存规则", e.onSave)
	save.Importance = widget.HighImportance
	follow := widget.NewForm(widget.NewFormItem("续报回看期（月）", e.window), widget.NewFormItem("", e.ytd),
		widget.NewFormItem("类别或等级变化再次预警", e.level))
	right := container.NewVBox(
		widget.NewForm(widget.NewFormItem("规则", e.kind), widget.NewFormItem("风险类型", e.risk)),
		e.amount, e.match, follow,
		widget.NewForm(widget.NewFormItem("修改自哪个批次起执行", e.from)),
		widget.NewLabel("规则说明："), e.preview, container.NewHBox(save), e.status)
	split := container.NewHSplit(e.list, container.NewVScroll(right))
	split.Offset = 0.3
	e.win.SetContent(split)
	e.win.Resize(fyne.NewSize(980, 620))
	e.win.SetCloseIntercept(e.onClose)
	e.list.Select(0)
	e.win.Show()
	return e
}

func (e *rulesEditor) at(i int) (*engine.Department, *engine.ListType) {
	d := &e.cat.Departments[e.refs[i][0]]
	return d, &d.Lists[e.refs[i][1]]
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// load shows the selected list's rule.
func (e *rulesEditor) load() {
	e.loading = true
	defer func() { e.loading = false; e.onChange() }()
	_, l := e.at(e.cur)
	for _, k := range ruleKinds {
		if k.kind == l.Rule.Kind {
			e.kind.SetSelected(k.label)
		}
	}
	var cols []string
	for _, f := range l.Columns {
		cols = append(cols, f.Label)
	}
	e.field.Options = cols
	e.field.ClearSelected()
	for _, f := range l.Columns {
		if f.Key == l.Rule.Field {
			e.field.SetSelected(f.Label)
		}
	}
	if l.Rule.Op == ">" {
		e.op.SetSelected(e.op.Options[1])
	} else {
		e.op.SetSelected(e.op.Options[0])
	}
	e.on.SetText(fmtNum(l.Rule.OnRoster))
	e.off.SetText(fmtNum(l.Rule.OffRoster))
	e.per.SetText(l.Rule.Per)
	e.conds.SetText(engine.FormatMatchRule(l))
	e.risk.SetText(l.RiskType)
	e.window.SetText(strconv.Itoa(l.Rule.LookBack()))
	e.ytd.SetChecked(l.Rule.YTD)
	e.level.Options = append([]string{noLevel}, cols...)
	e.level.SetSelected(noLevel)
	for _, f := range l.Columns {
		if f.Key == l.Rule.Level {
			e.level.SetSelected(f.Label)
		}
	}
	e.status.SetText("")
}

// read builds the rule the form describes, or says what is wrong with it.
func (e *rulesEditor) read(l *engine.ListType) (engine.ListType, error) {
	out := *l
	out.RiskType = strings.TrimSpace(e.risk.Text)
	if out.RiskType == "" {
		return out, fmt.Errorf("请填写风险类型")
	}
	r := engine.Rule{}
	for _, k := range ruleKinds {
		if k.label == e.kind.Selected {
			r.Kind = k.kind
		}
	}
	switch r.Kind {
	case "amount":
		for _, f := range l.Columns {
			if f.Label == e.field.Selected {
				r.Field = f.Key
			}
		}
		if r.Field == "" {
			return out, fmt.Errorf("请选择金额列")
		}
		r.Op = ">="
		if e.op.Selected == e.op.Options[1] {
			r.Op = ">"
		}
		var err error
		if r.OnRoster, err = strconv.ParseFloat(strings.TrimSpace(e.on.Text), 64); err != nil {
			return out, fmt.Errorf("名册内人员标准“%s”不是数字", e.on.Text)
		}
		if r.OffRoster, err = strconv.ParseFloat(strings.TrimSpace(e.off.Text), 64); err != nil {
			return out, fmt.Errorf("名册外人员标准“%s”不是数字", e.off.Text)
		}
		r.Per = strings.TrimSpace(e.per.Text)
	case "match":
		alts, err := engine.ParseMatchRule(e.conds.Text, l.Columns)
		if err != nil {
			return out, err
		}
		r.AnyOf = alts
	}
	if err := e.readFollowUp(l, &r); err != nil {
		return out, err
	}
	out.Rule = r
	out.Change = r.Kind == "none"
	probe := engine.Catalog{Departments: []engine.Department{{Name: "x", Lists: []engine.ListType{out}}}}
	if err := probe.Validate(); err != nil {
		return out, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "x·"+out.Name+"："))
	}
	return out, nil
}

func (e *rulesEditor) onChange() {
	if e.loading || e.cur < 0 {
		return
	}
	e.dirty = true
	d, l := e.at(e.cur)
	kind := ""
	for _, k := range ruleKinds {
		if k.label == e.kind.Selected {
			kind = k.kind
		}
	}
	e.amount.Hidden = kind != "amount"
	e.match.Hidden = kind != "match"
	e.amount.Refresh()
	e.match.Refresh()
	nl, err := e.read(l)
	if err != nil {
		e.preview.SetText("（规则不完整：" + err.Error() + "）")
		return
	}
	text := nl.Describe(d.Name) + "\n" + nl.FollowUpText()
	if !sameRuleText(l, &nl) {
		text += "\n（修改后的规则自 " + strings.TrimSpace(e.from.Text) + " 批次起执行；更早批次重新比对时仍按原规则）"
	}
	e.preview.SetText(text)
}

// noLevel is the level choice that compares no column.
const noLevel = "（不比较）"

// readFollowUp reads the follow-up settings into r.
func (e *rulesEditor) readFollowUp(l *engine.ListType, r *engine.Rule) error {
	r.From, r.YTD, r.Level = l.Rule.From, e.ytd.Checked, ""
	w, err := strconv.Atoi(strings.TrimSpace(e.window.Text))
	if err != nil || w < 1 || w > engine.MaxWindow {
		return fmt.Errorf("续报回看期应为 1–%d 的整数（月）", engine.MaxWindow)
	}
	if w != engine.DefaultWindow {
		r.Window = w
	}
	if r.YTD && r.Kind != "amount" {
		return fmt.Errorf("“当年累计”只用于金额规则")
	}
	for _, f := range l.Columns {
		if f.Label == e.level.Selected {
			r.Level = f.Key
		}
	}
	return nil
}

// sameRuleText reports whether the edit leaves the list's rule as it is.
func sameRuleText(a, b *engine.ListType) bool {
	return a.Describe("") == b.Describe("") && a.FollowUpText() == b.FollowUpText()
}

// apply writes the form into the catalog being edited; false when invalid.
func (e *rulesEditor) apply() bool {
	_, l := e.at(e.cur)
	nl, err := e.read(l)
	if err != nil {
		e.status.SetText("未保存：" + err.Error())
		return false
	}
	*l = nl
	return true
}

func (e *rulesEditor) onSave() {
	if !e.apply() {
		return
	}
	from := strings.TrimSpace(e.from.Text)
	if err := e.m.app.SaveRules(e.cat.Clone(), from); err != nil {
		e.status.SetText(err.Error())
		return
	}
	e.cat = e.m.app.Catalog.Clone() // with the rules' dates
	e.dirty = false
	e.status.SetText("已保存：修改的规则自 " + from + " 批次起执行（已记入操作日志）")
}

// onClose asks before unsaved edits are thrown away; not closing is the
// safe answer.
func (e *rulesEditor) onClose() {
	if !e.dirty {
		e.win.Close()
		return
	}
	e.m.confirmOn(e.win, "规则尚未保存", "修改的规则还没有保存。关闭窗口会放弃这些修改。", "放弃修改并关闭", "继续修改", true, e.win.Close)
}
