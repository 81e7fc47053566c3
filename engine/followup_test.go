package engine

import (
	"strings"
	"testing"
)

// followCatalog is testCatalog with a 民政 list whose 救助类型 is the
// rule's level column, and the 医保 list year-to-date when ytd.
func followCatalog(ytd bool) *Catalog {
	c := testCatalog()
	c.Departments[0].Lists[0].Rule.YTD = ytd
	c.Departments = append(c.Departments, Department{Name: "民政局", Lists: []ListType{{Name: "新增救助", RiskType: "低保特困",
		Columns: []Field{{Key: "aid", Label: "救助类型"}}, Rule: Rule{Kind: "any", Level: "aid"}}}})
	return c
}

// raised is an earlier clue in which a list raised a risk for a person.
func raised(id, period, dept, list, person string, assigned bool, amount Amount, level string) Clue {
	key := ClueKey(KindRisk, "H1", "")
	if person == idOff {
		key = ClueKey(KindRisk, "", idOff)
	}
	c := Clue{ID: id, Key: key, Period: period, Kind: KindRisk, Status: StatusPending,
		Risks: []Risk{{Dept: dept, List: list, Type: "医疗支出", Person: person, Amount: amount, Level: level, Import: 1}}}
	if dept == "民政局" {
		c.Risks[0].Type = "低保特困"
	}
	if assigned {
		c.Status, c.Assignment = StatusAssigned, "东交〔2026〕01号"
	}
	return c
}

func TestFollowUps(t *testing.T) {
	medical := func(id, amount string) ListData {
		return list(5, "医保局", "住院自付", "amount", row(3, "X", id, amount))
	}
	aid := func(kind string) ListData {
		return list(6, "民政局", "新增救助", "aid", row(3, "张三", idZhang, kind))
	}
	tests := []struct {
		name     string
		ytd      bool
		earlier  []Clue
		existing []Clue
		list     ListData
		follow   bool   // a follow-up, no clue
		again    string // part of the reason it was raised again
		repeat   string
	}{
		{name: "unchanged amount", earlier: []Clue{raised("2026-10-0001", "2026-10", "医保局", "住院自付", idZhang, true, 600000, "")},
			list: medical(idZhang, "6000"), follow: true},
		{name: "risen by less than the threshold", earlier: []Clue{raised("2026-10-0001", "2026-10", "医保局", "住院自付", idZhang, true, 600000, "")},
			list: medical(idZhang, "10999.99"), follow: true},
		{name: "risen by exactly the threshold raises", earlier: []Clue{raised("2026-10-0001", "2026-10", "医保局", "住院自付", idZhang, true, 600000, "")},
			list: medical(idZhang, "11000"), again: "增加 5,000.00 元，≥ 5,000.00 元", repeat: "2026-10-0001"},
		{name: "crossing the threshold for the first time", list: medical(idZhang, "5000")},
		{name: "a new calendar year on a year-to-date list", ytd: true,
			earlier: []Clue{raised("2025-12-0001", "2025-12", "医保局", "住院自付", idZhang, true, 600000, "")}, list: medical(idZhang, "6000"), repeat: "2025-12-0001"},
		{name: "the same year on a year-to-date list", ytd: true,
			earlier: []Clue{raised("2026-01-0001", "2026-01", "医保局", "住院自付", idZhang, true, 600000, "")}, list: medical(idZhang, "6000"), follow: true},
		{name: "a changed level", earlier: []Clue{raised("2026-09-0003", "2026-09", "民政局", "新增救助", idZhang, true, 0, "低保")},
			list: aid("特困供养"), again: "救助类型由“低保”变为“特困供养”", repeat: "2026-09-0003"},
		{name: "the same level", earlier: []Clue{raised("2026-09-0003", "2026-09", "民政局", "新增救助", idZhang, true, 0, "低保")},
			list: aid("低保"), follow: true},
		{name: "an earlier clue not yet assigned is a repeat", earlier: []Clue{raised("2026-10-0001", "2026-10", "医保局", "住院自付", idZhang, false, 600000, "")},
			list: medical(idZhang, "6000"), repeat: "2026-10-0001"},
		{name: "off the roster, risen by less than 20,000", earlier: []Clue{raised("2026-10-0002", "2026-10", "医保局", "住院自付", idOff, true, 2500000, "")},
			list: medical(idOff, "44999"), follow: true},
		{name: "off the roster, risen by 20,000", earlier: []Clue{raised("2026-10-0002", "2026-10", "医保局", "住院自付", idOff, true, 2500000, "")},
			list: medical(idOff, "45000"), again: "增加 20,000.00 元，≥ 20,000.00 元", repeat: "2026-10-0002"},
		{name: "outside the look-back window", earlier: []Clue{raised("2025-10-0001", "2025-10", "医保局", "住院自付", idZhang, true, 600000, "")},
			list: medical(idZhang, "6000"), repeat: "2025-10-0001"},
		{name: "the window's last month", earlier: []Clue{raised("2025-11-0001", "2025-11", "医保局", "住院自付", idZhang, true, 600000, "")},
			list: medical(idZhang, "6000"), follow: true},
		{name: "evidence already in this period's clue stays there",
			earlier:  []Clue{raised("2026-10-0001", "2026-10", "医保局", "住院自付", idZhang, true, 600000, "")},
			existing: []Clue{raised("2026-11-0001", "2026-11", "医保局", "住院自付", idZhang, false, 600000, "")},
			list:     medical(idZhang, "6000")},
		{name: "a verified (closed) clue is followed up too", earlier: []Clue{func() Clue {
			c := raised("2026-10-0001", "2026-10", "医保局", "住院自付", idZhang, true, 600000, "")
			c.Status = StatusClosed
			return c
		}()}, list: medical(idZhang, "7000"), follow: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Match(MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: followCatalog(tc.ytd), Lists: []ListData{tc.list},
				Now: testNow, Earlier: tc.earlier, Existing: tc.existing})
			if tc.follow {
				if res.Counts.FollowUps != 1 || len(res.FollowUps) != 1 || res.Counts.NewClues != 0 || len(res.Clues) != 0 {
					t.Fatalf("want one follow-up and no clue; got follow-ups %d, clues %d", res.Counts.FollowUps, len(res.Clues))
				}
				f := res.FollowUps[0]
				if f.Of != tc.earlier[0].ID || res.Outcomes[0][0].FollowUp != f.Of || res.Outcomes[0][0].Clue != "" {
					t.Fatalf("follow-up of %q, outcome %+v", f.Of, res.Outcomes[0][0])
				}
				if res.Outcomes[0][0].Bucket == "" || res.Counts.Matched+res.Counts.OffRoster != 1 {
					t.Fatalf("the row is still matched or off the roster: %+v", res.Counts)
				}
				return
			}
			if res.Counts.FollowUps != 0 || len(res.Clues) != 1 {
				t.Fatalf("want one clue and no follow-up; got follow-ups %d, clues %d", res.Counts.FollowUps, len(res.Clues))
			}
			c := res.Clues[0]
			r := c.Risks[len(c.Risks)-1]
			if tc.again == "" && r.Again != "" || !strings.Contains(r.Again, tc.again) {
				t.Fatalf("again = %q, want it to contain %q", r.Again, tc.again)
			}
			if (tc.again != "") != (res.Counts.RaisedAgain == 1) {
				t.Fatalf("raised again counted %d", res.Counts.RaisedAgain)
			}
			if tc.again != "" && !strings.Contains(c.Summary(), tc.again) {
				t.Fatalf("the summary does not say why: %q", c.Summary())
			}
			if c.RepeatOf != tc.repeat {
				t.Fatalf("repeat of %q, want %q", c.RepeatOf, tc.repeat)
			}
		})
	}
}

func TestRuleTextOnEachRisk(t *testing.T) {
	res := Match(MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: followCatalog(false), Now: testNow, Lists: []ListData{
		list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "5234.5"), row(4, "赵六", idOff, "20000")),
		list(2, "残联", "新增残疾人", "level", row(3, "王五", idWang, "二级")),
		list(3, "应急局", "受灾人员", "", row(5, "李四", idLi))}})
	want := map[string]string{
		idZhang: "个人自付金额 5,234.50 元 ≥ 5,000.00 元（名册内）",
		idOff:   "个人自付金额 20,000.00 元 ≥ 20,000.00 元（名册外）",
		idWang:  "残疾等级为“二级”，符合预警条件",
		idLi:    "列入“受灾人员”清单即预警",
	}
	got := map[string]string{}
	for _, c := range res.Clues {
		for _, r := range c.Risks {
			got[r.Person] = r.Rule
			// printed where the rule compared something; a listed-means-risk
			// rule says no more than the sheet's source column
			if printed := strings.Contains(c.Summary(), "依据："+r.Rule); printed != (r.Person != idLi) {
				t.Errorf("rule %q printed %v in %q", r.Rule, printed, c.Summary())
			}
		}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("rule of %s = %q, want %q", id, got[id], w)
		}
	}
}

func TestRuleInForceForAPeriod(t *testing.T) {
	old := followCatalog(false)
	cur := old.Clone()
	l := &cur.Departments[0].Lists[0]
	l.Rule.OnRoster = 8000
	cur.DateRuleChanges(old, "2026-12")
	if l.Rule.From != "2026-12" || len(l.Earlier) != 1 || l.Earlier[0].OnRoster != 5000 {
		t.Fatalf("dated: %+v earlier %+v", l.Rule, l.Earlier)
	}
	if r := l.RuleFor("2026-11"); r.OnRoster != 5000 {
		t.Errorf("2026-11 uses %v, want the old 5000", r.OnRoster)
	}
	if r := l.RuleFor("2027-01"); r.OnRoster != 8000 {
		t.Errorf("2027-01 uses %v, want 8000", r.OnRoster)
	}
	// changed again in the same month: the 8000 rule never applied, and goes
	again := cur.Clone()
	again.Departments[0].Lists[0].Rule.OnRoster = 9000
	again.DateRuleChanges(cur, "2026-12")
	l2 := &again.Departments[0].Lists[0]
	if len(l2.Earlier) != 1 || l2.Earlier[0].OnRoster != 5000 || l2.RuleFor("2026-12").OnRoster != 9000 {
		t.Fatalf("re-dated: %+v earlier %+v", l2.Rule, l2.Earlier)
	}
	if err := again.Validate(); err != nil {
		t.Fatal(err)
	}
	// the comparison of an earlier month uses the rule then in force
	in := MatchInput{Roster: testRoster(), Catalog: again, Now: testNow, Lists: []ListData{list(1, "医保局", "住院自付", "amount", row(3, "张三", idZhang, "6000"))}}
	in.Period = "2026-11"
	if res := Match(in); len(res.Clues) != 1 {
		t.Errorf("2026-11 under the 5,000 rule: %d clues, want 1", len(res.Clues))
	}
	in.Period = "2026-12"
	if res := Match(in); len(res.Clues) != 0 {
		t.Errorf("2026-12 under the 9,000 rule: %d clues, want 0", len(res.Clues))
	}
	if !strings.Contains(l2.FollowUpText(), "自 2026-12 批次起执行") || !strings.Contains(l2.FollowUpText(), "又增加 9,000.00 元（名册外 20,000.00 元）") {
		t.Errorf("follow-up text: %s", l2.FollowUpText())
	}
}

func TestRuleValidatesFollowUpSettings(t *testing.T) {
	for _, tc := range []struct {
		rule Rule
		want string
	}{
		{Rule{Kind: "any", Window: 61}, "续报回看期"},
		{Rule{Kind: "any", Window: -1}, "续报回看期"},
		{Rule{Kind: "any", Level: "nope"}, "等级列"},
		{Rule{Kind: "any", From: "2026-13"}, "起始月份"},
	} {
		c := followCatalog(false)
		c.Departments[2].Lists[0].Rule = tc.rule
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.rule, err, tc.want)
		}
	}
}

func TestRosterChangesAreNotFollowedUp(t *testing.T) {
	earlier := Clue{ID: "2026-10-0009", Key: ClueKey(KindChange, "H1", ""), Period: "2026-10", Kind: KindChange, Status: StatusAssigned, Assignment: "x",
		Risks: []Risk{{Dept: "公安局", List: "人口变动", Person: idZhang, Import: 1}}}
	res := Match(MatchInput{Period: "2026-11", Roster: testRoster(), Catalog: followCatalog(false), Now: testNow, Earlier: []Clue{earlier},
		Lists: []ListData{list(1, "公安局", "人口变动", "change", row(3, "张三", idZhang, "迁出"))}})
	if res.Counts.FollowUps != 0 || res.Counts.Changes != 1 {
		t.Fatalf("a roster change reported again: follow-ups %d, changes %d", res.Counts.FollowUps, res.Counts.Changes)
	}
}

func TestAddFollowUpDefaultsToAnOlderCatalog(t *testing.T) {
	def := followCatalog(true) // 住院自付 year-to-date, 民政 compares 救助类型
	old := def.Clone()
	old.Departments[0].Lists[0].Rule.YTD = false
	old.Departments[4].Lists[0].Rule.Level = ""
	mine := old.Clone()
	mine.Departments[4].Lists[0].Rule.Window = 6 // the county's own setting is kept
	if !old.AddFollowUpDefaults(def) || !old.Departments[0].Lists[0].Rule.YTD || old.Departments[4].Lists[0].Rule.Level != "aid" {
		t.Errorf("defaults not added: %+v %+v", old.Departments[0].Lists[0].Rule, old.Departments[4].Lists[0].Rule)
	}
	mine.AddFollowUpDefaults(def)
	if r := mine.Departments[4].Lists[0].Rule; r.Level != "" || r.Window != 6 {
		t.Errorf("a list with its own follow-up setting was changed: %+v", r)
	}
	if old.AddFollowUpDefaults(def) {
		t.Error("a second upgrade changed something")
	}
}
