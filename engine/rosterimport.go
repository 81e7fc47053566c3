package engine

import (
	"slices"
	"strconv"
	"strings"
)

// RosterFields are the columns of the national monitoring system's export.
var RosterFields = []Field{
	{Key: "id", Label: "证件号码", Required: true, Synonyms: []string{"身份证号", "身份证号码", "公民身份号码", "身份证件号", "身份证件号码", "证件号", "成员证件号码", "成员身份证号"}},
	{Key: "name", Label: "姓名", Required: true, Synonyms: []string{"成员姓名", "人员姓名", "家庭成员姓名"}},
	{Key: "household", Label: "户编号", Required: true, Synonyms: []string{"户号", "家庭编号", "农户编号", "户码"}},
	{Key: "relation", Label: "与户主关系", Synonyms: []string{"与户主的关系", "家庭关系", "关系"}},
	{Key: "head", Label: "户主姓名", Synonyms: []string{"户主"}},
	{Key: "township", Label: "乡镇", Synonyms: []string{"乡(镇)", "乡镇(街道)", "所属乡镇", "乡镇名称", "镇", "乡(镇、街道)"}},
	{Key: "village", Label: "行政村", Synonyms: []string{"村", "村(社区)", "村委会", "所属村", "行政村(社区)", "村名称"}},
	{Key: "group", Label: "村民小组", Synonyms: []string{"自然村", "组", "小组", "自然村(组)", "村民组"}},
	{Key: "hhtype", Label: "户类型", Synonyms: []string{"户属性", "农户类型", "户别", "户类别", "人口类型", "脱贫户/监测户"}},
	// the national export's spellings differ by province and year:
	// 易返贫致贫户(监测对象)类型, 监测对象类别, 防返贫监测对象类型, …
	{Key: "monitortype", Label: "监测对象类别", Synonyms: []string{"监测类型", "监测对象类型", "监测户类型", "易返贫致贫户(监测对象)类型",
		"易返贫致贫户类型", "易返贫致贫人口类型", "防返贫监测对象类型", "防止返贫监测对象类型", "监测对象类别(户)"}},
	{Key: "riskgone", Label: "风险是否消除", Synonyms: []string{"风险是否已消除", "是否风险消除", "风险消除", "是否消除风险"}},
	{Key: "helper", Label: "帮扶责任人", Synonyms: []string{"帮扶人", "帮扶干部", "帮扶责任人姓名"}},
	{Key: "phone", Label: "联系电话", Synonyms: []string{"帮扶责任人联系电话", "电话", "联系方式", "手机号码"}},
	{Key: "sex", Label: "性别"},
}

// RosterBuilder turns the rows of one or more export files into persons.
// Every row is counted: valid, or invalid with an issue.
type RosterBuilder struct {
	persons    []Person
	seen       map[string]int // ID → index in persons
	Rows       int
	Valid      int
	Invalid    int
	Duplicates int
	Issues     []Issue
	// Warnings are values read with a guess, the person kept: an unknown
	// 户类型 or monitored type, shown with its row for the officer to check.
	Warnings []Issue
}

// NewRosterBuilder starts an empty roster.
func NewRosterBuilder() *RosterBuilder {
	return &RosterBuilder{seen: make(map[string]int)}
}

func yes(s string) bool {
	s = strings.TrimSpace(s)
	return s == "是" || s == "已消除" || s == "消除" || s == "Y" || s == "y" || s == "1" || s == "风险已消除"
}

// Add reads one data row.
func (b *RosterBuilder) Add(file, sheet string, h *Header, r TableRow) {
	b.Rows++
	issue := func(col, msg string) {
		b.Invalid++
		b.Issues = append(b.Issues, Issue{File: file, Sheet: sheet, Row: r.Line, Column: col, Message: msg})
	}
	id := h.ID(r)
	name := CleanName(h.Col(r.Cells, "name"))
	hh := strings.TrimSpace(CleanIDText(h.Col(r.Cells, "household")))
	colName := func(key string) string {
		if i, ok := h.Columns[key]; ok && i < len(h.Names) {
			return h.Names[i]
		}
		return ""
	}
	switch {
	case !id.Usable():
		issue(colName("id"), id.Reason)
		return
	case name == "":
		issue(colName("name"), "姓名为空")
		return
	case hh == "":
		issue(colName("household"), "户编号为空")
		return
	}
	if prev, dup := b.seen[id.Norm]; dup {
		b.Duplicates++
		p := &b.persons[prev]
		msg := "与第" + strconv.Itoa(p.Line) + "行身份证号重复，已按第一次出现的记录导入"
		if p.Name != name {
			msg = "与第" + strconv.Itoa(p.Line) + "行（" + p.Name + "）身份证号相同但姓名不同，请核实；已按第一次出现的记录导入"
		}
		issue(colName("id"), msg)
		return
	}
	warn := func(col, msg string) {
		b.Warnings = append(b.Warnings, Issue{File: file, Sheet: sheet, Row: r.Line, Column: col, Message: msg})
	}
	cat, mtype := b.category(h.Col(r.Cells, "hhtype"), h.Col(r.Cells, "monitortype"), func(key, msg string) { warn(colName(key), msg) })
	sex := strings.TrimSpace(h.Col(r.Cells, "sex"))
	if sex == "" {
		sex = id.Sex()
	}
	b.seen[id.Norm] = len(b.persons)
	if len(b.persons) == cap(b.persons) { // doubling: 300,000 large structs are copied less often than append's 1.25
		b.persons = slices.Grow(b.persons, max(1024, len(b.persons)))
	}
	b.persons = append(b.persons, Person{
		ID: id.Norm, Name: name, Sex: sex, HouseholdNo: hh,
		Relation:       h.Col(r.Cells, "relation"),
		Township:       h.Col(r.Cells, "township"),
		Village:        h.Col(r.Cells, "village"),
		Group:          h.Col(r.Cells, "group"),
		Category:       cat,
		MonitorType:    mtype,
		RiskEliminated: cat == CategoryMonitored && yes(h.Col(r.Cells, "riskgone")),
		Helper:         h.Col(r.Cells, "helper"),
		Phone:          h.Col(r.Cells, "phone"),
		Line:           r.Line,
	})
	b.Valid++
}

// category decides a person's roster category. The monitored type decides
// 监测对象, whatever 户类型 says (the national export files monitored
// households as 脱贫户 or 一般农户 with their type beside); else 脱贫户.
// A value it does not know keeps the person, with a warning.
func (b *RosterBuilder) category(hhtype, mtype string, warn func(key, msg string)) (Category, string) {
	hhtype, mtype = strings.TrimSpace(hhtype), strings.TrimSpace(mtype)
	switch mtype {
	case "", "无", "否", "-", "—", "/", "非监测对象":
		mtype = ""
	}
	if mtype != "" {
		t := normalizeMonitorType(mtype)
		if !slices.Contains(MonitorTypes, t) {
			warn("monitortype", "监测对象类型“"+mtype+"”不是脱贫不稳定户、边缘易致贫户、突发严重困难户之一，已按监测对象记入，请核实")
		}
		return CategoryMonitored, t
	}
	switch {
	case strings.Contains(hhtype, "监测"):
		warn("monitortype", "户类型为“"+hhtype+"”但没有监测对象类型，已按监测对象记入，请核实")
		return CategoryMonitored, ""
	case strings.Contains(hhtype, "脱贫") || strings.Contains(hhtype, "建档立卡") || hhtype == "":
		return CategoryFormerlyPoor, ""
	case strings.Contains(hhtype, "一般农户"):
		warn("hhtype", "户类型为一般农户且没有监测对象类型，不是脱贫户也不是监测对象，比对时按名册外标准，请核实")
		return CategoryOther, ""
	}
	warn("hhtype", "户类型“"+hhtype+"”无法识别，已按脱贫户记入，请核实")
	return CategoryFormerlyPoor, ""
}

func normalizeMonitorType(s string) string {
	for _, t := range MonitorTypes {
		if strings.Contains(s, t) || (len(s) >= 6 && strings.Contains(t, s)) {
			return t
		}
	}
	switch {
	case strings.Contains(s, "不稳定"):
		return MonitorUnstable
	case strings.Contains(s, "边缘"):
		return MonitorMarginal
	case strings.Contains(s, "突发"):
		return MonitorSuddenHard
	}
	return s
}

// Roster returns the roster built so far.
func (b *RosterBuilder) Roster() *Roster {
	return NewRoster(b.persons)
}
