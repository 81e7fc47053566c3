package engine

import (
	"reflect"
	"strings"
	"testing"
)

func TestColumnsTextRoundTrip(t *testing.T) {
	cols := []Field{
		{Key: "amount", Label: "个人自付金额", Synonyms: []string{"自付金额", "个人自付"}, Required: true},
		{Key: "hospital", Label: "医疗机构"},
	}
	text := FormatColumns(cols)
	if !strings.Contains(text, "个人自付金额：自付金额、个人自付（必需）") {
		t.Errorf("text = %q", text)
	}
	back, err := ParseColumns(text, cols)
	if err != nil || !reflect.DeepEqual(back, cols) {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	// edits: a synonym added with a comma, a new column, a half-width colon
	edited, err := ParseColumns("个人自付金额：自付金额、个人自付，本人承担（必需）\n\n住院天数:天数\n", cols)
	if err != nil {
		t.Fatal(err)
	}
	if len(edited) != 2 || edited[0].Key != "amount" || len(edited[0].Synonyms) != 3 || !edited[0].Required {
		t.Errorf("edited amount: %+v", edited[0])
	}
	if edited[1].Key != "住院天数" || edited[1].Synonyms[0] != "天数" || edited[1].Required {
		t.Errorf("new column: %+v", edited[1])
	}
	if _, err := ParseColumns("甲\n甲", nil); err == nil {
		t.Error("a column twice was accepted")
	}
	if _, err := ParseColumns("：同义", nil); err == nil {
		t.Error("a column without a name was accepted")
	}
}

func TestCatalogValidateAndFind(t *testing.T) {
	c := &Catalog{Departments: []Department{{Name: "医保局", Aliases: []string{"医疗保障局"}, Lists: []ListType{
		{Name: "住院自付", Columns: []Field{{Key: "amount", Label: "个人自付金额"}}, Rule: Rule{Kind: "amount", Field: "amount", Op: ">=", OnRoster: 5000, OffRoster: 20000}},
	}}}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if d, ok := c.Dept("医疗 保障局"); !ok || d.Name != "医保局" {
		t.Error("alias not found")
	}
	if l, err := c.Departments[0].List(""); err != nil || l.Name != "住院自付" {
		t.Errorf("single list: %v", err)
	}
	bad := c.Clone()
	bad.Departments[0].Lists[0].Rule.Field = "nothing"
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "nothing") {
		t.Errorf("rule on a missing column: %v", err)
	}
	if c.Departments[0].Lists[0].Rule.Field != "amount" {
		t.Error("Clone shares memory with the original")
	}
	dup := c.Clone()
	dup.Departments = append(dup.Departments, dup.Departments[0])
	if err := dup.Validate(); err == nil {
		t.Error("duplicate department accepted")
	}
}

func TestDescribeRules(t *testing.T) {
	l := ListType{Name: "住院自付", RiskType: "因病", Columns: []Field{{Key: "amount", Label: "个人自付金额"}},
		Rule: Rule{Kind: "amount", Field: "amount", Op: ">=", OnRoster: 5000, OffRoster: 20000}}
	if got := l.Describe("医保局"); got != "医保局·住院自付：名册内人员个人自付金额 ≥ 5000 元；名册外人员 ≥ 20000 元（因病）" {
		t.Errorf("Describe = %q", got)
	}
	l2 := ListType{Name: "新增残疾", RiskType: "因残", Columns: []Field{{Key: "dcat", Label: "残疾类别"}, {Key: "dgrade", Label: "残疾等级"}},
		Rule: Rule{Kind: "match", AnyOf: [][]Cond{{{Field: "dgrade", In: []string{"一级", "二级"}}}, {{Field: "dcat", In: []string{"智力", "精神"}}, {Field: "dgrade", In: []string{"三级", "四级"}}}}}}
	if got := l2.Describe("残联"); got != "残联·新增残疾：残疾等级为一级/二级，或残疾类别为智力/精神且残疾等级为三级/四级（因残）" {
		t.Errorf("Describe = %q", got)
	}
}

func TestMatchRuleText(t *testing.T) {
	l := ListType{Name: "新增残疾", Columns: []Field{{Key: "dcat", Label: "残疾类别"}, {Key: "dgrade", Label: "残疾等级"}},
		Rule: Rule{Kind: "match", AnyOf: [][]Cond{{{Field: "dgrade", In: []string{"一级", "二级"}}}, {{Field: "dcat", In: []string{"智力", "精神"}}, {Field: "dgrade", In: []string{"三级", "四级"}}}}}}
	text := FormatMatchRule(&l)
	if text != "残疾等级=一级/二级\n残疾类别=智力/精神 且 残疾等级=三级/四级" {
		t.Errorf("text = %q", text)
	}
	back, err := ParseMatchRule(text, l.Columns)
	if err != nil || !reflect.DeepEqual(back, l.Rule.AnyOf) {
		t.Errorf("round trip: %+v %v", back, err)
	}
	for _, bad := range []string{"", "残疾等级", "血型=A", "残疾等级="} {
		if _, err := ParseMatchRule(bad, l.Columns); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestGuessFromFileName(t *testing.T) {
	c := &Catalog{Departments: []Department{
		{Name: "医保局", Aliases: []string{"医疗保障局"}, Lists: []ListType{{Name: "住院自付"}, {Name: "门诊自付"}}},
		{Name: "民政局", Aliases: []string{"民政"}, Lists: []ListType{{Name: "新增救助"}}},
		{Name: "农业农村局", Aliases: []string{"农业局"}, Lists: []ListType{{Name: "产业受损"}}},
	}}
	for _, tc := range []struct{ file, dept, list string }{
		{"医保局_住院自付_2026年11月.xlsx", "医保局", "住院自付"},
		{"医保局_门诊自付_2026年11月.csv", "医保局", "门诊自付"},
		{"县医疗保障局11月住院 自付 名单.xlsx", "医保局", "住院自付"}, // alias, space inside the list name
		{"医疗保障局2026年11月数据.xlsx", "医保局", ""},       // department named, list not: the caller must ask
		{"农业局产业受损.xls", "农业农村局", "产业受损"},
		{"民政新增救助.xlsx", "民政局", "新增救助"},
		{"11月数据.xlsx", "", ""},
		{"", "", ""},
	} {
		d, l := c.GuessFromFileName(tc.file)
		if d != tc.dept || l != tc.list {
			t.Errorf("%q → %q·%q, want %q·%q", tc.file, d, l, tc.dept, tc.list)
		}
	}
}
