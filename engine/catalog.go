package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Catalog is the county's list of departments, the lists each sends, their
// columns and the warning rules. The default ships in assets/ and each
// county edits its own copy; adding a department needs no code change.
type Catalog struct {
	Departments []Department `json:"departments"`
}

// Department is a line department (部门).
type Department struct {
	Name    string     `json:"name"`
	Aliases []string   `json:"aliases,omitempty"` // 医疗保障局 → 医保局
	Lists   []ListType `json:"lists"`
}

// ListType is one kind of list a department sends (清单).
type ListType struct {
	Name     string  `json:"name"`
	Columns  []Field `json:"columns"` // key columns besides 姓名 and 身份证号
	RiskType string  `json:"risk_type"`
	Rule     Rule    `json:"rule"`
	Change   bool    `json:"change,omitempty"` // rows are roster changes (人口变动), not risks
	// Earlier holds the rules in force before Rule, oldest first, each
	// with the month it took effect (Rule.From): comparing an earlier
	// month again uses the rule in force then.
	Earlier []Rule `json:"earlier_rules,omitempty"`
}

// Rule is when a row of a list raises a risk.
//
//	kind "any":    every row
//	kind "amount": the amount column compared with a threshold, which may
//	               differ on and off the roster
//	kind "match":  any of the alternatives holds; each alternative is a set
//	               of columns whose values must be among the listed ones
//	kind "none":   no risk (a change list)
type Rule struct {
	Kind      string   `json:"kind"`
	Field     string   `json:"field,omitempty"` // amount column key
	Op        string   `json:"op,omitempty"`    // ">=" or ">"
	OnRoster  float64  `json:"on_roster,omitempty"`
	OffRoster float64  `json:"off_roster,omitempty"`
	AnyOf     [][]Cond `json:"any_of,omitempty"`
	Per       string   `json:"per,omitempty"` // a note on the period of the amount, e.g. 月
	// Follow-ups (DESIGN.md §4): Window is the look-back in months (0: the
	// default 12); YTD marks a year-to-date amount, compared only within
	// the calendar year; Level is the category or level column whose
	// change raises a follow-up again.
	Window int    `json:"window,omitempty"`
	YTD    bool   `json:"ytd,omitempty"`
	Level  string `json:"level,omitempty"`
	// From is the first month the rule applies to ("" for always).
	From string `json:"from,omitempty"`
}

// Cond is one column's allowed values in a match rule.
type Cond struct {
	Field string   `json:"field"`
	In    []string `json:"in"`
}

// Common columns every list has.
var (
	FieldID       = Field{Key: "id", Label: "身份证号", Required: true, Synonyms: []string{"身份证号码", "证件号码", "公民身份号码", "身份证件号", "身份证件号码", "证件号", "身份证", "社会保障号码", "社会保障卡号", "患者身份证号", "学生身份证号", "救助对象身份证号", "户主身份证号"}}
	FieldName     = Field{Key: "name", Label: "姓名", Required: true, Synonyms: []string{"学生姓名", "救助对象姓名", "患者姓名", "参保人姓名", "人员姓名", "户主姓名", "受灾人姓名", "残疾人姓名", "死者姓名", "当事人姓名", "户主", "名字"}}
	FieldTownship = Field{Key: "township", Label: "乡镇", Synonyms: []string{"乡(镇)", "所属乡镇", "乡镇(街道)", "乡镇名称", "镇"}}
	FieldVillage  = Field{Key: "village", Label: "村", Synonyms: []string{"行政村", "村(社区)", "村委会", "所属村", "村名"}}
	FieldAddress  = Field{Key: "address", Label: "住址", Synonyms: []string{"家庭住址", "地址", "户籍地址", "居住地址", "现住址"}}
)

// Fields returns every column to look for in a file of this list.
func (l *ListType) Fields() []Field {
	out := []Field{FieldID, FieldName}
	out = append(out, l.Columns...)
	return append(out, FieldTownship, FieldVillage, FieldAddress)
}

// Dept finds a department by name or alias.
func (c *Catalog) Dept(name string) (*Department, bool) {
	n := NormalizeHeader(name)
	for i := range c.Departments {
		d := &c.Departments[i]
		if NormalizeHeader(d.Name) == n {
			return d, true
		}
		for _, a := range d.Aliases {
			if NormalizeHeader(a) == n {
				return d, true
			}
		}
	}
	return nil, false
}

// List finds a list type of the department; with one list the name may be empty.
func (d *Department) List(name string) (*ListType, error) {
	if name == "" {
		if len(d.Lists) == 1 {
			return &d.Lists[0], nil
		}
		return nil, fmt.Errorf("%s 有多种清单（%s），请指明是哪一种", d.Name, strings.Join(d.ListNames(), "、"))
	}
	n := NormalizeHeader(name)
	for i := range d.Lists {
		if NormalizeHeader(d.Lists[i].Name) == n {
			return &d.Lists[i], nil
		}
	}
	return nil, fmt.Errorf("%s 没有“%s”清单（有：%s）", d.Name, name, strings.Join(d.ListNames(), "、"))
}

// ListNames lists the department's list types.
func (d *Department) ListNames() []string {
	out := make([]string, len(d.Lists))
	for i, l := range d.Lists {
		out[i] = l.Name
	}
	return out
}

// ParseCatalog reads a catalog from JSON and checks it.
func ParseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("部门目录格式错误：%w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate refuses a catalog that cannot work: unnamed departments or lists,
// duplicate names, rules that point at missing columns or make no sense.
func (c *Catalog) Validate() error {
	seen := map[string]bool{}
	for _, d := range c.Departments {
		if strings.TrimSpace(d.Name) == "" {
			return fmt.Errorf("部门目录中有未命名的部门")
		}
		if seen[d.Name] {
			return fmt.Errorf("部门“%s”重复", d.Name)
		}
		seen[d.Name] = true
		if len(d.Lists) == 0 {
			return fmt.Errorf("部门“%s”没有清单", d.Name)
		}
		lists := map[string]bool{}
		for _, l := range d.Lists {
			if lists[l.Name] {
				return fmt.Errorf("%s 的清单“%s”重复", d.Name, l.Name)
			}
			lists[l.Name] = true
			for _, r := range append(append([]Rule(nil), l.Earlier...), l.Rule) {
				if err := r.check(&l); err != nil {
					return fmt.Errorf("%s·%s：%v", d.Name, l.Name, err)
				}
			}
		}
	}
	return nil
}

func (l *ListType) hasColumn(key string) bool {
	for _, f := range l.Columns {
		if f.Key == key {
			return true
		}
	}
	return false
}

func (r *Rule) check(l *ListType) error {
	if r.Window < 0 || r.Window > MaxWindow {
		return fmt.Errorf("续报回看期 %d 个月不合理：应为 1–%d 个月", r.Window, MaxWindow)
	}
	if r.Level != "" && !l.hasColumn(r.Level) {
		return fmt.Errorf("续报比较的等级列“%s”不存在", r.Level)
	}
	if r.From != "" {
		if err := ValidPeriod(r.From); err != nil {
			return fmt.Errorf("规则起始月份：%v", err)
		}
	}
	switch r.Kind {
	case "any", "none":
		return nil
	case "amount":
		if !l.hasColumn(r.Field) {
			return fmt.Errorf("金额规则引用的列“%s”不存在", r.Field)
		}
		if r.Op != ">=" && r.Op != ">" {
			return fmt.Errorf("比较方式应为 ≥ 或 >")
		}
		for _, v := range []float64{r.OnRoster, r.OffRoster} {
			if v <= 0 || v >= 1e8 || v != v {
				return fmt.Errorf("金额标准 %v 不合理：应大于 0 元、小于 1 亿元", v)
			}
		}
		return nil
	case "match":
		if len(r.AnyOf) == 0 {
			return fmt.Errorf("取值规则没有任何条件")
		}
		for _, alt := range r.AnyOf {
			for _, c := range alt {
				if !l.hasColumn(c.Field) {
					return fmt.Errorf("取值规则引用的列“%s”不存在", c.Field)
				}
				if len(c.In) == 0 {
					return fmt.Errorf("取值规则的列“%s”没有列出取值", c.Field)
				}
			}
		}
		return nil
	}
	return fmt.Errorf("未知的规则类型“%s”", r.Kind)
}

// Describe says a list's rule in plain Chinese, e.g.
// "医保局·住院自付：名册内人员个人自付金额 ≥ 5000 元；名册外人员 ≥ 20000 元".
func (l *ListType) Describe(dept string) string {
	head := dept + "·" + l.Name + "："
	label := func(key string) string {
		for _, f := range l.Columns {
			if f.Key == key {
				return f.Label
			}
		}
		return key
	}
	op := map[string]string{">=": "≥", ">": "＞"}[l.Rule.Op]
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch l.Rule.Kind {
	case "any":
		return head + "每一行都作为风险（" + l.RiskType + "）"
	case "none":
		return head + "不产生风险，名册内人员生成信息变更"
	case "amount":
		per := ""
		if l.Rule.Per != "" {
			per = "（每" + l.Rule.Per + "）"
		}
		if l.Rule.OnRoster == l.Rule.OffRoster {
			return fmt.Sprintf("%s%s%s %s %s 元即为风险（%s）", head, label(l.Rule.Field), per, op, num(l.Rule.OnRoster), l.RiskType)
		}
		return fmt.Sprintf("%s名册内人员%s%s %s %s 元；名册外人员 %s %s 元（%s）", head, label(l.Rule.Field), per, op, num(l.Rule.OnRoster), op, num(l.Rule.OffRoster), l.RiskType)
	case "match":
		var alts []string
		for _, alt := range l.Rule.AnyOf {
			var conds []string
			for _, c := range alt {
				conds = append(conds, label(c.Field)+"为"+strings.Join(c.In, "/"))
			}
			alts = append(alts, strings.Join(conds, "且"))
		}
		return head + strings.Join(alts, "，或") + "（" + l.RiskType + "）"
	}
	return head + "规则未知"
}
