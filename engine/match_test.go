package engine

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// idFor makes a valid 18-digit ID from its first 17 digits.
func idFor(first17 string) string { return first17 + string(IDCheckDigit(first17)) }

var (
	idZhang = idFor("52260119800101001") // 张三, household H1 (脱贫户), head
	idLi    = idFor("52260119820202002") // 李四, household H1
	idWang  = idFor("52260119750303003") // 王五, household H2 (监测户)
	idOff   = idFor("52260119900404004") // 赵六, off the roster
	idOff2  = idFor("52260119910505005") // 钱七, off the roster
)

func testRoster() *Roster {
	return NewRoster([]Person{
		{ID: idZhang, Name: "张三", HouseholdNo: "H1", Relation: "户主", Township: "东山乡", Village: "红星村", Category: CategoryFormerlyPoor},
		{ID: idLi, Name: "李四", HouseholdNo: "H1", Relation: "配偶", Township: "东山乡", Village: "红星村", Category: CategoryFormerlyPoor},
		{ID: idWang, Name: "王五", HouseholdNo: "H2", Relation: "户主", Township: "西河镇", Village: "柳树村", Category: CategoryMonitored, MonitorType: MonitorMarginal},
	})
}

// testCatalog has an amount list (≥ 5,000 on the roster, ≥ 20,000 off it),
// an any-row list, a match list and a change list.
func testCatalog() *Catalog {
	return &Catalog{Departments: []Department{
		{Name: "医保局", Lists: []ListType{{Name: "住院自付", RiskType: "医疗支出", Columns: []Field{{Key: "amount", Label: "个人自付金额", Required: true}},
			Rule: Rule{Kind: "amount", Field: "amount", Op: ">=", OnRoster: 5000, OffRoster: 20000}}}},
		{Name: "残联", Lists: []ListType{{Name: "新增残疾人", RiskType: "残疾", Columns: []Field{{Key: "level", Label: "残疾等级", Required: true}},
			Rule: Rule{Kind: "match", AnyOf: [][]Cond{{{Field: "level", In: []string{"一级", "二级"}}}}}}}},
		{Name: "应急局", Lists: []ListType{{Name: "受灾人员", RiskType: "自然灾害", Rule: Rule{Kind: "any"}}}},
		{Name: "公安局", Lists: []ListType{{Name: "人口变动", RiskType: "人口变动", Columns: []Field{{Key: "change", Label: "变动类型"}},
			Rule: Rule{Kind: "none"}, Change: true}}},
	}}
}

// list is a department list with columns 姓名, 身份证号, then key (if any).
func list(seq int, dept, name, key string, rows ...DeptRow) ListData {
	cols := map[string]int{"name": 0, "id": 1}
	if key != "" {
		cols[key] = 2
	}
	return ListData{Rec: ListImport{Seq: seq, Period: "2026-11", Dept: dept, List: name, File: name + ".xlsx", Columns: cols,
		Header: []string{"姓名", "身份证号", key}}, Rows: rows}
}

func row(line int, cells ...string) DeptRow { return DeptRow{Line: line, Cells: cells} }

var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newTestMatcher(lists ...ListData) *matcher {
	return newMatcher(MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: testCatalog(), Lists: lists, Now: testNow,
		Reviews: map[RowRef]ReviewDecision{}})
}

func TestClassifyRowsPutsEveryRowInOneBucket(t *testing.T) {
	badID := idZhang[:15] + "000"
	tests := []struct {
		name    string
		row     DeptRow
		reviews map[RowRef]ReviewDecision
		bucket  string
		reason  string
		person  string // the person the row is grouped under, if usable
		review  int    // review items made
		confl   int    // conflicts made
	}{
		{name: "on the roster", row: row(3, "张三", idZhang, "100"), bucket: BucketMatched, person: idZhang},
		{name: "off the roster", row: row(3, "赵六", idOff, "100"), bucket: BucketOffRoster, person: idOff},
		{name: "name differs from the roster's", row: row(3, "张叁", idZhang, "100"), bucket: BucketMatched, person: idZhang, confl: 1},
		{name: "duplicate row", row: DeptRow{Line: 3, Cells: []string{"张三", idZhang, "100"}, DupOf: 2, Problem: "与第2行完全重复"},
			bucket: BucketInvalid, reason: "与第2行完全重复"},
		{name: "bad amount", row: DeptRow{Line: 3, Cells: []string{"张三", idZhang, "x"}, Problem: "金额无法识别", Field: "amount"},
			bucket: BucketInvalid, reason: "金额无法识别"},
		{name: "bad ID without a name", row: DeptRow{Line: 3, Cells: []string{"", badID, "100"}, Problem: "校验位不符", Field: "id"},
			bucket: BucketInvalid, reason: "校验位不符，且姓名为空"},
		{name: "bad ID with a name goes to review", row: DeptRow{Line: 3, Cells: []string{"张三", badID, "100"}, Problem: "校验位不符", Field: "id"},
			bucket: BucketReview, reason: "校验位不符", review: 1},
		{name: "bad ID confirmed in review", row: DeptRow{Line: 3, Cells: []string{"张三", badID, "100"}, Problem: "校验位不符", Field: "id"},
			reviews: map[RowRef]ReviewDecision{{1, 3}: {Person: idZhang}}, bucket: BucketMatched, person: idZhang},
		{name: "bad ID, every candidate rejected", row: DeptRow{Line: 3, Cells: []string{"张三", badID, "100"}, Problem: "校验位不符", Field: "id"},
			reviews: map[RowRef]ReviewDecision{{1, 3}: {Rejected: []string{idZhang}}}, bucket: BucketInvalid,
			reason: "校验位不符；复核未能确认身份，请退回部门核实"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMatcher(list(1, "医保局", "住院自付", "amount", tc.row))
			if tc.reviews != nil {
				m.in.Reviews = tc.reviews
			}
			l := m.classifyRows(0)
			o := l.out[0]
			if o.Bucket != tc.bucket || o.Reason != tc.reason {
				t.Fatalf("outcome = %+v, want bucket %s reason %q", o, tc.bucket, tc.reason)
			}
			c := m.res.Counts
			if c.Rows != 1 || c.Matched+c.OffRoster+c.Review+c.Invalid != 1 {
				t.Fatalf("counts %+v: the row is not in exactly one bucket", c)
			}
			var ids []string
			for _, pr := range l.people {
				ids = append(ids, pr.id)
			}
			if got := strings.Join(ids, ","); got != tc.person {
				t.Fatalf("persons = %q, want %q", got, tc.person)
			}
			if len(m.res.Review) != tc.review || len(m.res.Conflicts) != tc.confl {
				t.Fatalf("review items %d, conflicts %d; want %d, %d", len(m.res.Review), len(m.res.Conflicts), tc.review, tc.confl)
			}
		})
	}
}

func TestClassifyRowsGroupsAPersonsRowsAndSumsAmounts(t *testing.T) {
	m := newTestMatcher(list(1, "医保局", "住院自付", "amount",
		row(3, "张三", idZhang, "2,000.50"), row(4, "赵六", idOff, "10"), row(5, "张三", idZhang, "3000"), row(6, "赵六", idOff, "5")))
	l := m.classifyRows(0)
	if len(l.people) != 2 || l.people[0] != l.byPerson[idZhang] || l.people[1] != l.byPerson[idOff] {
		t.Fatalf("people = %v, not 张三 then 赵六", l.people)
	}
	z := l.byPerson[idZhang]
	if z.amount != 500050 || !reflect.DeepEqual(z.idx, []int{0, 2}) || z.name != "张三" || z.onRoster == nil {
		t.Fatalf("张三's rows: amount %d idx %v name %s", z.amount, z.idx, z.name)
	}
	if o := l.byPerson[idOff]; o.amount != 1500 || o.onRoster != nil {
		t.Fatalf("赵六's rows: amount %d", o.amount)
	}
}

func TestApplyRules(t *testing.T) {
	tests := []struct {
		name   string
		list   ListData
		clues  []string // keys raised
		below  []bool   // per row
		detail string   // the first risk's detail
	}{
		{name: "on the roster at the threshold (≥ raises)", list: list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "5000")),
			clues: []string{"风险|H|H1"}, below: []bool{false}, detail: "住院自付 个人自付金额 5,000.00 元"},
		{name: "on the roster a cent below", list: list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "4999.99")),
			below: []bool{true}},
		{name: "off the roster under its own line", list: list(1, "医保局", "住院自付", "amount", row(3, "赵六", idOff, "19999")),
			below: []bool{true}},
		{name: "off the roster over its line", list: list(1, "医保局", "住院自付", "amount", row(3, "赵六", idOff, "20000")),
			clues: []string{"风险|P|" + idOff}, below: []bool{false}},
		{name: "two rows summed cross the line", list: list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "3000"), row(4, "张三", idZhang, "2000")),
			clues: []string{"风险|H|H1"}, below: []bool{false, false}, detail: "住院自付 个人自付金额合计 5,000.00 元（2 条记录）"},
		{name: "two members, one household clue", list: list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang), row(4, "李四", idLi)),
			clues: []string{"风险|H|H1"}, below: []bool{false, false}, detail: "受灾人员"},
		{name: "match rule hit", list: list(1, "残联", "新增残疾人", "level", row(3, "王五", idWang, "二级")),
			clues: []string{"风险|H|H2"}, below: []bool{false}, detail: "新增残疾人（残疾等级：二级）"},
		{name: "match rule miss", list: list(1, "残联", "新增残疾人", "level", row(3, "王五", idWang, "四级")), below: []bool{true}},
		{name: "change of a roster person", list: list(1, "公安局", "人口变动", "change", row(3, "王五", idWang, "死亡")),
			clues: []string{"变更|H|H2"}, below: []bool{false}},
		{name: "change of an off-roster person raises nothing", list: list(1, "公安局", "人口变动", "change", row(3, "赵六", idOff, "死亡")),
			below: []bool{true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMatcher(tc.list)
			l := m.classifyRows(0)
			m.applyRules(l)
			if !reflect.DeepEqual(m.order, tc.clues) {
				t.Fatalf("clues raised %v, want %v", m.order, tc.clues)
			}
			for i, want := range tc.below {
				if l.out[i].Below != want {
					t.Fatalf("row %d below = %v, want %v", i, l.out[i].Below, want)
				}
				if !want && l.out[i].Clue == "" {
					t.Fatalf("row %d raised but names no clue", i)
				}
			}
			if tc.detail != "" && m.computed[tc.clues[0]].Risks[0].Detail != tc.detail {
				t.Fatalf("detail %q, want %q", m.computed[tc.clues[0]].Risks[0].Detail, tc.detail)
			}
		})
	}
}

func TestApplyRulesPlacesOffRosterClues(t *testing.T) {
	l := list(1, "应急局", "受灾人员", "address", row(3, "赵六", idOff, "某省东山乡青石村5组"), row(4, "钱七", idOff2, ""))
	l.Rec.Columns = map[string]int{"name": 0, "id": 1, "address": 2}
	m := newTestMatcher(l)
	m.in.Register = map[string]RegisterEntry{idOff2: {Name: "钱七", Township: "西河镇", Village: "柳树村"}}
	m.applyRules(m.classifyRows(0))
	a, b := m.computed["风险|P|"+idOff], m.computed["风险|P|"+idOff2]
	if a.Township != "东山乡" || a.Village != "青石村" || a.Category != CategoryOther || a.Head != "赵六" {
		t.Fatalf("address place: %+v", a)
	}
	if b.Township != "西河镇" || b.Village != "柳树村" {
		t.Fatalf("register place: %+v", b)
	}
	// a township the county does not have is left for the officer to set
	l3 := list(1, "应急局", "受灾人员", "township", row(3, "赵六", idOff, "../../escaped"), row(4, "钱七", idOff2, "西河镇"))
	m3 := newTestMatcher(l3)
	m3.applyRules(m3.classifyRows(0))
	if got := m3.computed["风险|P|"+idOff].Township; got != UnknownTownship {
		t.Errorf("township %q not of the county: placed in %q", "../../escaped", got)
	}
	if got := m3.computed["风险|P|"+idOff2].Township; got != "西河镇" {
		t.Errorf("a township of the county: %q", got)
	}
	m2 := newTestMatcher(list(1, "应急局", "受灾人员", "", row(3, "赵六", idOff)))
	m2.applyRules(m2.classifyRows(0))
	if got := m2.computed["风险|P|"+idOff].Township; got != UnknownTownship {
		t.Fatalf("no place known: township %q", got)
	}
}

func TestFindConflicts(t *testing.T) {
	tests := []struct {
		name  string
		lists []ListData
		kinds []string
	}{
		{name: "roster person dead", lists: []ListData{list(1, "公安局", "人口变动", "change", row(3, "王五", idWang, "死亡"))},
			kinds: []string{"名册人员死亡"}},
		{name: "dead and still in another list", lists: []ListData{
			list(1, "公安局", "人口变动", "change", row(3, "王五", idWang, "死亡")),
			list(2, "应急局", "受灾人员", "", row(3, "王五", idWang))},
			kinds: []string{"名册人员死亡", "部门数据打架"}},
		{name: "off-roster dead person in another list", lists: []ListData{
			list(1, "公安局", "人口变动", "change", row(3, "赵六", idOff, "死亡")),
			list(2, "应急局", "受灾人员", "", row(3, "赵六", idOff))},
			kinds: []string{"部门数据打架"}},
		{name: "in another list before the death report", lists: []ListData{
			list(1, "应急局", "受灾人员", "", row(3, "王五", idWang), row(4, "赵六", idOff)),
			list(2, "公安局", "人口变动", "change", row(3, "王五", idWang, "死亡"))},
			kinds: []string{"名册人员死亡", "部门数据打架"}},
		{name: "moved away is no conflict", lists: []ListData{
			list(1, "公安局", "人口变动", "change", row(3, "王五", idWang, "迁出")),
			list(2, "应急局", "受灾人员", "", row(3, "王五", idWang))}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMatcher(tc.lists...)
			for i := range tc.lists {
				m.applyRules(m.classifyRows(i))
			}
			m.findConflicts()
			var kinds []string
			for _, c := range m.res.Conflicts {
				kinds = append(kinds, c.Kind)
			}
			if !reflect.DeepEqual(kinds, tc.kinds) || m.res.Counts.Conflicts != len(tc.kinds) {
				t.Fatalf("conflicts %v (count %d), want %v", kinds, m.res.Counts.Conflicts, tc.kinds)
			}
		})
	}
}

func TestMergeClues(t *testing.T) {
	earlierOpen := Clue{ID: "2026-10-0004", Key: "风险|H|H1", Period: "2026-10", Status: StatusAssigned,
		Risks: []Risk{{Dept: "应急局", List: "受灾人员", Type: "自然灾害", Person: idZhang}}}
	earlierClosed := earlierOpen
	earlierClosed.ID, earlierClosed.Status = "2026-10-0005", StatusClosed
	existing := func(assigned bool, amount Amount) Clue {
		c := Clue{ID: "2026-11-0007", Key: "风险|H|H1", Period: "2026-11", Status: StatusPending, Kind: KindRisk,
			Persons: []CluePerson{{Name: "张三", ID: idZhang}},
			Risks:   []Risk{{Dept: "应急局", List: "受灾人员", Type: "自然灾害", Person: idZhang, Name: "张三", Import: 1, Lines: []int{3}, Amount: amount, Detail: "受灾人员"}}}
		if assigned {
			c.Assignment, c.Status = "东防交〔2026〕11-01号", StatusAssigned
		}
		return c
	}
	tests := []struct {
		name     string
		existing []Clue
		earlier  []Clue
		lists    []ListData
		ids      []string // the period's clues after the merge
		newC     int
		updated  int
		repeatOf string // of the household's clue
		late     bool   // the added risk is marked late
	}{
		{name: "first run numbers from 1", lists: []ListData{list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang), row(4, "王五", idWang))},
			ids: []string{"2026-11-0001", "2026-11-0002"}, newC: 2},
		{name: "same evidence again changes nothing", existing: []Clue{existing(false, 0)},
			lists: []ListData{list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang))}, ids: []string{"2026-11-0007"}},
		{name: "new clues number after the highest existing", existing: []Clue{existing(false, 0)},
			lists: []ListData{list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang), row(4, "王五", idWang))},
			ids:   []string{"2026-11-0007", "2026-11-0008"}, newC: 1},
		{name: "new list's evidence joins an unassigned clue", existing: []Clue{existing(false, 0)},
			lists: []ListData{list(2, "医保局", "住院自付", "amount", row(3, "李四", idLi, "8000"))}, ids: []string{"2026-11-0007"}, updated: 1},
		{name: "evidence after assignment is marked late", existing: []Clue{existing(true, 0)},
			lists: []ListData{list(2, "医保局", "住院自付", "amount", row(3, "李四", idLi, "8000"))}, ids: []string{"2026-11-0007"}, updated: 1, late: true},
		{name: "repeat of an earlier open clue of the same type", earlier: []Clue{earlierOpen, earlierClosed},
			lists: []ListData{list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang))}, ids: []string{"2026-11-0001"}, newC: 1, repeatOf: "2026-10-0004"},
		{name: "a closed earlier clue is no repeat", earlier: []Clue{earlierClosed},
			lists: []ListData{list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang))}, ids: []string{"2026-11-0001"}, newC: 1},
		{name: "another risk type is no repeat", earlier: []Clue{earlierOpen},
			lists: []ListData{list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "9000"))}, ids: []string{"2026-11-0001"}, newC: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMatcher(tc.lists...)
			m.in.Existing, m.in.Earlier = tc.existing, tc.earlier
			for i := range tc.lists {
				m.applyRules(m.classifyRows(i))
			}
			m.mergeClues()
			var ids []string
			for _, c := range m.res.Clues {
				ids = append(ids, c.ID)
			}
			if !reflect.DeepEqual(ids, tc.ids) || m.res.Counts.NewClues != tc.newC || m.res.Counts.UpdatedClues != tc.updated {
				t.Fatalf("clues %v new %d updated %d; want %v %d %d", ids, m.res.Counts.NewClues, m.res.Counts.UpdatedClues, tc.ids, tc.newC, tc.updated)
			}
			h := m.res.Clues[0]
			if h.RepeatOf != tc.repeatOf {
				t.Fatalf("repeat of %q, want %q", h.RepeatOf, tc.repeatOf)
			}
			if last := h.Risks[len(h.Risks)-1]; last.Late != tc.late {
				t.Fatalf("late = %v, want %v", last.Late, tc.late)
			}
			for _, out := range m.res.Outcomes {
				for _, o := range out {
					if o.Clue != "" && !strings.HasPrefix(o.Clue, "2026-11-") {
						t.Fatalf("an outcome still names a key, not a clue number: %q", o.Clue)
					}
				}
			}
			if len(tc.existing) > 0 && len(tc.existing[0].Risks) != 1 {
				t.Fatal("the merge changed the caller's existing clue")
			}
		})
	}
}

func TestCountClues(t *testing.T) {
	tests := []struct {
		kinds          []string
		clues, changes int
	}{
		{nil, 0, 0},
		{[]string{KindRisk, KindRisk}, 2, 0},
		{[]string{KindChange, KindRisk, KindChange}, 1, 2},
	}
	for _, tc := range tests {
		m := newTestMatcher()
		for _, k := range tc.kinds {
			m.res.Clues = append(m.res.Clues, Clue{Kind: k})
		}
		m.countClues()
		if m.res.Counts.Clues != tc.clues || m.res.Counts.Changes != tc.changes {
			t.Fatalf("%v: clues %d changes %d, want %d %d", tc.kinds, m.res.Counts.Clues, m.res.Counts.Changes, tc.clues, tc.changes)
		}
	}
}

// TestMatchRunsEveryPhase checks the whole comparison on two lists: every
// row accounted for, the household clue numbered, outcomes naming it.
func TestMatchRunsEveryPhase(t *testing.T) {
	res := Match(MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: testCatalog(), Now: testNow, Lists: []ListData{
		list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "6000"), row(4, "赵六", idOff, "100")),
		list(2, "公安局", "人口变动", "change", row(3, "李四", idLi, "死亡")),
	}})
	c := res.Counts
	if c.Rows != 3 || c.Matched != 2 || c.OffRoster != 1 || c.BelowThreshold != 1 || c.Clues != 1 || c.Changes != 1 || c.Conflicts != 1 || c.Lists != 2 {
		t.Fatalf("counts %+v", c)
	}
	if res.Outcomes[0][0].Clue != "2026-11-0001" || res.Outcomes[1][0].Clue != "2026-11-0002" || res.Outcomes[0][1].Clue != "" {
		t.Fatalf("outcomes %+v", res.Outcomes)
	}
}

func TestRosterShrinks(t *testing.T) {
	town := func(name string, n, start int) []Person {
		var ps []Person
		for i := 0; i < n; i++ {
			ps = append(ps, Person{ID: idFor("5226011980010" + fmt.Sprintf("%04d", start+i)), Name: "某", HouseholdNo: fmt.Sprintf("%s%03d", name, i),
				Township: name, Village: "某村", Category: CategoryFormerlyPoor, Relation: "户主"})
		}
		return ps
	}
	old := NewRoster(append(town("东山乡", 100, 0), town("西河镇", 100, 100)...))
	tests := []struct {
		name string
		cur  []Person
		want []string // parts of the reasons, in order
	}{
		{"the same roster", append(town("东山乡", 100, 0), town("西河镇", 100, 100)...), nil},
		{"a few removed and added", append(town("东山乡", 96, 0), town("西河镇", 104, 100)...), nil},
		{"just over 5% removed", append(town("东山乡", 89, 0), town("西河镇", 100, 100)...), []string{"减少 11 人（现有 200 人的 5.5%）"}},
		{"a file of ten persons", town("东山乡", 10, 0), []string{"减少 190 人", "东山乡 由 100 人变为 10 人", "西河镇 由 100 人变为 0 人"}},
		{"one township doubled", append(town("东山乡", 100, 0), town("西河镇", 200, 100)...), []string{"西河镇 由 100 人变为 200 人"}},
	}
	for _, tc := range tests {
		cur := NewRoster(tc.cur)
		got := RosterShrinks(old, DiffRosters(old, cur), cur)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %v", tc.name, got)
		}
		for i, part := range tc.want {
			if !strings.Contains(got[i], part) {
				t.Errorf("%s: %q lacks %q", tc.name, got[i], part)
			}
		}
	}
	if got := RosterShrinks(NewRoster(nil), RosterChanges{}, NewRoster(town("东山乡", 10, 0))); got != nil {
		t.Errorf("first import: %v", got)
	}
}

func TestAmountsWithUnitsAndAmbiguousForms(t *testing.T) {
	for _, tc := range []struct {
		cell   string
		header string
		want   Amount
		ok     bool
	}{
		{"0.65", "个人自付金额（万元）", 650000, true},
		{"0.65", "个人自付金额(万元)", 650000, true},
		{"6.5", "自付金额（千元）", 650000, true},
		{"6500", "个人自付金额（元）", 650000, true},
		{"6500", "个人自付金额", 650000, true},
		{"6500元", "个人自付金额（万元）", 650000, true}, // the cell names its unit
		{"1.2万元", "金额", 1200000, true},
		{"1.2万", "金额", 1200000, true},
		{"3千元", "金额", 300000, true},
		{"5,234.50元", "金额", 523450, true},
		{"￥5234.5", "金额", 523450, true},
		{"1,234,567.8", "金额", 123456780, true},
		{"10000.009999999998", "金额", 1000001, true},
		{"6.500,00", "金额", 0, false},
		{"1,2", "金额", 0, false},
		{"12,34.5", "金额", 0, false},
		{"六千", "金额", 0, false},
		{"", "金额", 0, false},
	} {
		got, ok := ParseAmountIn(tc.cell, AmountUnit(tc.header))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q under %q: %v %v, want %v %v", tc.cell, tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

// TestTenThousandsInTheHeaderRaiseRisks: ten persons at 0.65 万元 each are
// 6,500 元 each and cross the 5,000 元 line.
func TestTenThousandsInTheHeaderRaiseRisks(t *testing.T) {
	l := list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "0.65"), row(4, "王五", idWang, "0.4"))
	l.Rec.Header = []string{"姓名", "身份证号", "个人自付金额（万元）"}
	m := newTestMatcher(l)
	m.applyRules(m.classifyRows(0))
	c := m.computed["风险|H|H1"]
	if c == nil || c.Risks[0].Amount != 650000 || !strings.Contains(c.Risks[0].Detail, "6,500.00 元") {
		t.Fatalf("0.65 万元: %+v", c)
	}
	if m.computed["风险|H|H2"] != nil {
		t.Error("0.4 万元 (4,000 元) raised a risk")
	}
}

func TestMatchReportsProgressAndStops(t *testing.T) {
	lists := []ListData{list(1, "应急局", "受灾人员", "", row(3, "张三", idZhang)), list(2, "应急局", "受灾人员", "", row(3, "王五", idWang), row(4, "李四", idLi))}
	var calls [][2]int
	in := MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: testCatalog(), Lists: lists, Now: testNow,
		Progress: func(l, rows int) bool { calls = append(calls, [2]int{l, rows}); return true }}
	if res := Match(in); res.Stopped || len(calls) != 2 || calls[1] != [2]int{2, 3} {
		t.Fatalf("progress %v, stopped %v", calls, res.Stopped)
	}
	in.Progress = func(l, rows int) bool { return false }
	if res := Match(in); !res.Stopped || res.Counts.Rows != 1 {
		t.Errorf("stopped after the first list: %v, %d rows", res.Stopped, res.Counts.Rows)
	}
}

// TestListsClassifiedSideBySideKeepTheirOrder: with lists classified ahead
// of the rules on goroutines of their own, every list's rows to review, its
// conflicts and its clues come out in list order, each list's counted once,
// however many lists there are (run with -race: the review index they share
// is built under its lock).
func TestListsClassifiedSideBySideKeepTheirOrder(t *testing.T) {
	badID := idZhang[:15] + "000"
	var lists []ListData
	for i := range 9 {
		lists = append(lists, list(i+1, "医保局", "住院自付", "amount",
			DeptRow{Line: 3, Cells: []string{"张三", badID, "100"}, Problem: "校验位不符", Field: "id"},
			row(4, "张叁", idZhang, "6000"), row(5, "赵六", idOff, "30000")))
	}
	res := Match(MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: testCatalog(), Lists: lists, Now: testNow,
		Reviews: map[RowRef]ReviewDecision{}})
	if len(res.Review) != len(lists) || len(res.Conflicts) != len(lists) || res.Counts.Rows != 3*len(lists) || res.Counts.Lists != len(lists) {
		t.Fatalf("%d review items, %d conflicts, %+v; want one of each per list", len(res.Review), len(res.Conflicts), res.Counts)
	}
	for i := range lists {
		if res.Review[i].Ref.Import != i+1 || res.Conflicts[i].Refs[0].Import != i+1 || len(res.Review[i].Candidates) == 0 {
			t.Fatalf("item %d: review of import %d (%d candidates), conflict of import %d", i, res.Review[i].Ref.Import, len(res.Review[i].Candidates), res.Conflicts[i].Refs[0].Import)
		}
	}
	if len(res.Clues) != 2 || len(res.Clues[0].Risks) != len(lists) {
		t.Fatalf("%d clues (%d risks in the first), want the household's and 赵六's, with a risk per list", len(res.Clues), len(res.Clues[0].Risks))
	}
	for i, r := range res.Clues[0].Risks {
		if r.Import != i+1 {
			t.Fatalf("risk %d is from import %d", i, r.Import)
		}
	}
}

// TestALargeListIdentifiedInPartsKeepsRowOrder: a list long enough to be
// identified in parts side by side gives its rows to review, its conflicts
// and its counts as one pass in row order would.
func TestALargeListIdentifiedInPartsKeepsRowOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	badID := idZhang[:15] + "000"
	var rows []DeptRow
	wantLines := map[string][]int{}
	for i := range 5 * identifyPart {
		line := i + 2
		switch i % 997 {
		case 0:
			rows = append(rows, DeptRow{Line: line, Cells: []string{"张三", badID, "100"}, Problem: "校验位不符", Field: "id"})
			wantLines["review"] = append(wantLines["review"], line)
		case 1:
			rows = append(rows, row(line, "张叁", idZhang, "1"))
			wantLines["conflict"] = append(wantLines["conflict"], line)
		case 2:
			rows = append(rows, DeptRow{Line: line, Cells: []string{"张三", idZhang, "x"}, Problem: "金额无法识别", Field: "amount"})
			wantLines["invalid"] = append(wantLines["invalid"], line)
		default:
			rows = append(rows, row(line, "赵六", idOff, "1"))
		}
	}
	m := newTestMatcher(list(1, "医保局", "住院自付", "amount", rows...))
	l := m.classifyRows(0)
	var review, conflict []int
	for _, r := range m.res.Review {
		review = append(review, r.Ref.Line)
	}
	for _, c := range m.res.Conflicts {
		conflict = append(conflict, c.Refs[0].Line)
	}
	c := m.res.Counts
	if !slices.Equal(review, wantLines["review"]) || !slices.Equal(conflict, wantLines["conflict"]) {
		t.Fatalf("review lines %v…, conflict lines %v…: not the rows' order", review[:3], conflict[:3])
	}
	if c.Rows != len(rows) || c.Invalid != len(wantLines["invalid"]) || c.Review != len(review) || c.Matched != len(conflict) || c.OffRoster != len(rows)-len(review)-len(conflict)-c.Invalid {
		t.Fatalf("counts %+v", c)
	}
	if len(l.people) != 2 || l.people[0].id != idZhang || l.people[1].id != idOff || len(l.byPerson[idOff].rows) != c.OffRoster || l.byPerson[idOff].rows[0].Line != 5 {
		t.Fatalf("persons %d; 赵六's rows %d from line %d", len(l.people), len(l.byPerson[idOff].rows), l.byPerson[idOff].rows[0].Line)
	}
}
