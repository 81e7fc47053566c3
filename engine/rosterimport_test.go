package engine

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// nationalExport is a roster shaped like the national system's export: a
// title, the export time, then a header of some 70 columns in its own
// spellings, and households of every kind.
func nationalExport() [][]string {
	header := []string{"序号", "省(自治区、直辖市)", "市(地、州、盟)", "县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "人编号",
		"姓名", "证件类型", "证件号码", "人数", "与户主关系", "民族", "政治面貌", "文化程度", "在校生状况", "健康状况", "劳动技能",
		"务工状况", "务工时间(月)", "是否参加城乡居民基本医疗保险", "是否参加城乡居民基本养老保险", "户类型", "易返贫致贫户(监测对象)类型",
		"风险是否消除", "风险消除方式", "识别监测时间", "致贫返贫风险1", "致贫返贫风险2", "帮扶责任人", "帮扶责任人联系电话"}
	for len(header) < 70 {
		header = append(header, fmt.Sprintf("指标%d", len(header)))
	}
	rows := [][]string{{"全国防返贫监测信息系统 脱贫人口和监测对象信息"}, {"导出时间：2026-11-20 10:32:15"}, header}
	person := func(line int, hh, name, id, rel, hhtype, mtype, riskgone string) {
		r := make([]string, len(header))
		set := func(col, v string) {
			for i, h := range header {
				if h == col {
					r[i] = v
				}
			}
		}
		set("序号", fmt.Sprint(line))
		set("乡(镇)", "东山乡")
		set("行政村", "红星村")
		set("户编号", hh)
		set("姓名", name)
		set("证件号码", id)
		set("与户主关系", rel)
		set("户类型", hhtype)
		set("易返贫致贫户(监测对象)类型", mtype)
		set("风险是否消除", riskgone)
		rows = append(rows, r)
	}
	person(1, "H1", "张三", idZhang, "户主", "脱贫户", "", "")
	person(2, "H1", "李四", idLi, "配偶", "脱贫户", "", "")
	person(3, "H2", "王五", idWang, "户主", "脱贫户", "脱贫不稳定户", "否")
	person(4, "H3", "赵六", idOff, "户主", "一般农户", "边缘易致贫户", "是")
	person(5, "H4", "钱七", idOff2, "户主", "一般农户", "突发严重困难户", "否")
	person(6, "H5", "孙八", idFor("52260119880808008"), "户主", "一般农户", "", "")
	person(7, "H6", "周九", idFor("52260119770707007"), "户主", "易地搬迁户", "", "")
	return rows
}

func TestNationalExportReadsEveryKindOfHousehold(t *testing.T) {
	b := NewRosterBuilder()
	_, _, err := ReadTable(&sheetRows{rows: nationalExport()}, "export.xlsx", "Sheet1", RosterFields, nil, func(h *Header, r TableRow) error {
		b.Add("export.xlsx", "Sheet1", h, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.Rows != 7 || b.Valid != 7 || b.Invalid != 0 {
		t.Fatalf("rows %d valid %d invalid %d: %v", b.Rows, b.Valid, b.Invalid, b.Issues)
	}
	r := b.Roster()
	want := map[string]struct {
		cat   Category
		mtype string
		gone  bool
	}{
		idZhang: {CategoryFormerlyPoor, "", false},
		idWang:  {CategoryMonitored, MonitorUnstable, false}, // 脱贫户 with a monitored type is monitored
		idOff:   {CategoryMonitored, MonitorMarginal, true},  // 一般农户: the type decides
		idOff2:  {CategoryMonitored, MonitorSuddenHard, false},
	}
	for id, w := range want {
		p, ok := r.Person(id)
		if !ok || p.Category != w.cat || p.MonitorType != w.mtype || p.RiskEliminated != w.gone {
			t.Errorf("%s: %+v, want %+v", id, p, w)
		}
	}
	if st := r.Stats(); st.Monitored != 3 {
		t.Errorf("monitored households %d, want 3", st.Monitored)
	}
	// the two it could only guess are kept, each with a warning naming its row
	if len(b.Warnings) != 2 || b.Warnings[0].Row != 9 || !strings.Contains(b.Warnings[0].Message, "一般农户") || !strings.Contains(b.Warnings[1].Message, "易地搬迁户") {
		t.Errorf("warnings %v", b.Warnings)
	}
}

// TestRosterOrderIsByNames: the roster laid out by ranks gives the order of
// comparing the names themselves — township, village, household, the head
// first, then the file's line and the ID — on persons with every tie.
func TestRosterOrderIsByNames(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	towns := []string{"城关镇", "龙泉镇", "西河乡", "东山乡"}
	relations := []string{"户主", "配偶", "之子", "本人", "之女"}
	persons := make([]Person, 5000)
	for i := range persons {
		persons[i] = Person{ID: fmt.Sprintf("5304%014d", r.IntN(1e6)), Township: towns[r.IntN(len(towns))],
			Village: fmt.Sprintf("第%d村", r.IntN(9)), HouseholdNo: fmt.Sprintf("H%03d", r.IntN(300)),
			Relation: relations[r.IntN(len(relations))], Line: r.IntN(40)}
	}
	want := slices.Clone(persons)
	slices.SortStableFunc(want, func(a, b Person) int {
		return cmp.Or(cmp.Compare(a.Township, b.Township), cmp.Compare(a.Village, b.Village),
			cmp.Compare(a.HouseholdNo, b.HouseholdNo), boolOrder(!isHeadRelation(a.Relation), !isHeadRelation(b.Relation)),
			cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID))
	})
	got := rosterOrder(persons)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("person %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if !InRosterOrder(got) || InRosterOrder(persons) {
		t.Fatal("InRosterOrder does not tell the roster's order from the file's")
	}
	// a stored order that is no longer right is not trusted
	swapped := slices.Clone(got)
	swapped[10], swapped[4000] = swapped[4000], swapped[10]
	if r := NewRosterInOrder(swapped); !slices.Equal(r.Persons, want) {
		t.Fatal("NewRosterInOrder kept persons out of order")
	}
	if r := NewRosterInOrder(slices.Clone(got)); !slices.Equal(r.Persons, want) {
		t.Fatal("NewRosterInOrder changed persons in order")
	}
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// TestRosterFindsEveryPersonByID: every person of a roster is found by
// their ID — IDs with an X check digit and IDs that are no valid number at
// all (a damaged roster) alike — and an ID not on it, or differing by a
// letter's case, is not.
func TestRosterFindsEveryPersonByID(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	var persons []Person
	for i := range 3000 {
		id := idFor(fmt.Sprintf("5226011990%02d%02d%03d", 1+i%12, 1+i%28, i%1000))
		if i%500 == 0 {
			id = fmt.Sprintf("坏号%d", i) // does not pack
		}
		persons = append(persons, Person{ID: id, Name: "张", HouseholdNo: fmt.Sprintf("H%d", r.IntN(900)), Township: "东山乡", Line: i + 2})
	}
	ro := NewRoster(persons)
	xs := 0
	for _, p := range persons {
		got, ok := ro.Person(p.ID)
		if !ok || got.ID != p.ID || got.Line != p.Line {
			t.Fatalf("%s: found %v %v", p.ID, got, ok)
		}
		if strings.HasSuffix(p.ID, "X") {
			xs++
			if _, ok := ro.Person(strings.ToLower(p.ID)); ok {
				t.Errorf("%s found in lower case", p.ID)
			}
		}
	}
	if xs == 0 {
		t.Fatal("no ID with X among the test's persons")
	}
	for _, id := range []string{idFor("52260119900101999"), "坏号1", ""} {
		if _, ok := ro.Person(id); ok {
			t.Errorf("%q found, is not on the roster", id)
		}
	}
}
