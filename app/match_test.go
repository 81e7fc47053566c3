package app

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"bidui/engine"
	"bidui/engine/demo"
)

// importAll imports the demo's department files, except those named in skip.
func importAll(t *testing.T, a *App, c *demo.County, dir string, skip ...string) {
	t.Helper()
	for _, f := range c.DeptFiles {
		skipped := false
		for _, s := range skip {
			skipped = skipped || f.Dept+"·"+f.List == s
		}
		if skipped {
			continue
		}
		if _, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: f.Dept, List: f.List, Path: filepath.Join(dir, f.Name)}, nil); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
}

// expectedKeys works out, independently of the engine, which households
// (or off-roster persons) the DESIGN.md §3 default rules must raise, from
// the generator's truth about every row and the cells as imported.
func expectedKeys(t *testing.T, a *App, c *demo.County) (risk, change map[string]bool) {
	t.Helper()
	r, _ := a.Roster()
	risk, change = map[string]bool{}, map[string]bool{}
	imports, _ := a.db.ListImports(c.Period)
	byList := map[string]engine.ListImport{}
	for _, im := range imports {
		if im.Current() {
			byList[im.Dept+"·"+im.List] = im
		}
	}
	for _, f := range c.DeptFiles {
		im, ok := byList[f.Dept+"·"+f.List]
		if !ok {
			continue
		}
		rows, _ := a.db.ListRows(im.Seq)
		cells := map[int][]string{}
		for _, row := range rows {
			cells[row.Line] = row.Cells
		}
		get := func(line int, key string) string {
			i, ok := im.Columns[key]
			if !ok || i >= len(cells[line]) {
				return ""
			}
			return cells[line][i]
		}
		sum := map[string]engine.Amount{}
		raised := map[string]bool{}
		var people []string
		for _, e := range f.Expect {
			if e.Kind != demo.KindRoster && e.Kind != demo.KindID15 && e.Kind != demo.KindOff {
				continue
			}
			if _, seen := sum[e.PersonID]; !seen {
				people = append(people, e.PersonID)
			}
			sum[e.PersonID] += e.Amount
			switch f.Dept + "·" + f.List {
			case "住建局·危房":
				g := strings.TrimSuffix(strings.TrimSuffix(get(e.Line, "grade"), "级危房"), "级")
				raised[e.PersonID] = raised[e.PersonID] || g == "C" || g == "D"
			case "残联·新增残疾":
				g, k := get(e.Line, "dgrade"), get(e.Line, "dcat")
				raised[e.PersonID] = raised[e.PersonID] || g == "一级" || g == "二级" || ((k == "智力" || k == "精神") && (g == "三级" || g == "四级"))
			}
		}
		for _, pid := range people {
			p, on := r.Person(pid)
			var yes bool
			switch f.Dept + "·" + f.List {
			case "医保局·住院自付":
				yes = (on && sum[pid] >= 500000) || (!on && sum[pid] >= 2000000)
			case "医保局·门诊自付":
				yes = sum[pid] >= 50000
			case "教育局·高额自付", "农业农村局·产业受损":
				yes = sum[pid] > 1000000
			case "住建局·危房", "残联·新增残疾":
				yes = raised[pid]
			case "公安局·人口变动":
				if on {
					change[p.HouseholdNo] = true
				}
				continue
			default:
				yes = true // 任何一行
			}
			if !yes {
				continue
			}
			if on {
				risk[p.HouseholdNo] = true
			} else {
				risk[pid] = true
			}
		}
	}
	return risk, change
}

func clueKeys(clues []engine.Clue, kind string) map[string]bool {
	out := map[string]bool{}
	for _, c := range clues {
		if c.Kind != kind {
			continue
		}
		if c.Household != "" {
			out[c.Household] = true
		} else {
			out[c.Persons[0].ID] = true
		}
	}
	return out
}

func diffKeys(got, want map[string]bool) (missing, extra []string) {
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return
}

func TestMatchAgreesWithTheGeneratorsTruth(t *testing.T) {
	a, c, dir := demoCounty(t, 500)
	importAll(t, a, c, dir)
	res, err := a.Match(context.Background(), c.Period)
	if err != nil {
		t.Fatal(err)
	}
	// every row lands in exactly one bucket, and the buckets are the truth's
	var want engine.MatchCounts
	for _, f := range c.DeptFiles {
		for _, e := range f.Expect {
			want.Rows++
			switch e.Kind {
			case demo.KindRoster, demo.KindID15:
				want.Matched++
			case demo.KindOff:
				want.OffRoster++
			case demo.KindDamaged, demo.KindBadCheck, demo.KindNoID:
				want.Review++
			case demo.KindDup:
				want.Invalid++
			}
		}
	}
	got := res.MatchCounts
	if got.Rows != want.Rows || got.Matched != want.Matched || got.OffRoster != want.OffRoster || got.Review != want.Review || got.Invalid != want.Invalid {
		t.Errorf("buckets: got rows %d matched %d off %d review %d invalid %d; truth %d %d %d %d %d",
			got.Rows, got.Matched, got.OffRoster, got.Review, got.Invalid, want.Rows, want.Matched, want.OffRoster, want.Review, want.Invalid)
	}
	if got.Matched+got.OffRoster+got.Review+got.Invalid != got.Rows {
		t.Errorf("buckets do not add up: %+v", got)
	}
	clues, _ := a.db.Clues(c.Period)
	wantRisk, wantChange := expectedKeys(t, a, c)
	if missing, extra := diffKeys(clueKeys(clues, engine.KindRisk), wantRisk); len(missing)+len(extra) > 0 {
		t.Errorf("risk clues: %d missing %v, %d extra %v", len(missing), missing, len(extra), extra)
	}
	if missing, extra := diffKeys(clueKeys(clues, engine.KindChange), wantChange); len(missing)+len(extra) > 0 {
		t.Errorf("change clues: missing %v, extra %v", missing, extra)
	}
	if got.Clues != len(wantRisk) || got.Changes != len(wantChange) {
		t.Errorf("counts: %d clues %d changes; truth %d %d", got.Clues, got.Changes, len(wantRisk), len(wantChange))
	}
	// one clue per household: no household twice in a kind
	seen := map[string]bool{}
	for _, cl := range clues {
		k := cl.Kind + cl.Household
		if cl.Household != "" && seen[k] {
			t.Errorf("household %s has two %s clues", cl.Household, cl.Kind)
		}
		seen[k] = true
		if cl.Kind == engine.KindRisk && cl.Category == engine.CategoryOther && cl.Township == "" {
			t.Errorf("off-roster clue %s has no township", cl.ID)
		}
	}
}

func TestMatchIsStableAndLateListsAdd(t *testing.T) {
	a, c, dir := demoCounty(t, 300)
	importAll(t, a, c, dir, "残联·新增残疾")
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	first, _ := a.db.Clues(c.Period)
	again, err := a.Match(context.Background(), c.Period)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := a.db.Clues(c.Period)
	if again.NewClues != 0 || again.UpdatedClues != 0 || len(second) != len(first) {
		t.Fatalf("re-run changed things: %+v", again.MatchCounts)
	}
	for i := range first {
		if first[i].ID != second[i].ID || first[i].Key != second[i].Key || len(first[i].Risks) != len(second[i].Risks) {
			t.Fatalf("clue %s changed on a re-run", first[i].ID)
		}
	}
	// assign one clue, then the late list arrives
	assigned := first[0]
	assigned.Assignment, assigned.Status = "测试交〔2026〕11-01号", engine.StatusAssigned
	if err := a.db.SaveClue(assigned, engine.AuditEntry{Action: "测试"}); err != nil {
		t.Fatal(err)
	}
	f := findFile(t, c, "残联", "新增残疾")
	if _, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "残联", Path: filepath.Join(dir, f.Name)}, nil); err != nil {
		t.Fatal(err)
	}
	late, err := a.Match(context.Background(), c.Period)
	if err != nil {
		t.Fatal(err)
	}
	third, _ := a.db.Clues(c.Period)
	byID := map[string]engine.Clue{}
	for _, cl := range third {
		byID[cl.ID] = cl
	}
	for _, old := range first {
		now, ok := byID[old.ID]
		if !ok || now.Key != old.Key {
			t.Fatalf("clue %s dropped or renumbered", old.ID)
		}
		if len(now.Risks) < len(old.Risks) {
			t.Fatalf("clue %s lost evidence", old.ID)
		}
		for i := range old.Risks {
			if now.Risks[i].EvidenceKey() != old.Risks[i].EvidenceKey() || now.Risks[i].Amount != old.Risks[i].Amount {
				t.Fatalf("clue %s: evidence %d changed", old.ID, i)
			}
		}
		if old.ID == assigned.ID {
			if now.Assignment != assigned.Assignment || now.Status != engine.StatusAssigned {
				t.Fatalf("assigned clue touched: %+v", now)
			}
			for _, r := range now.Risks[len(old.Risks):] {
				if !r.Late {
					t.Errorf("evidence added to an assigned clue is not marked late")
				}
			}
		}
	}
	if late.NewClues == 0 || len(third) != len(first)+late.NewClues {
		t.Errorf("late list: %d new clues, %d → %d", late.NewClues, len(first), len(third))
	}
	for _, cl := range third[len(first):] {
		if cl.ID <= first[len(first)-1].ID {
			t.Errorf("new clue %s numbered among the old ones", cl.ID)
		}
	}
}

func TestReviewConfirmAndReject(t *testing.T) {
	a, c, dir := demoCounty(t, 200)
	importAll(t, a, c, dir)
	res, err := a.Match(context.Background(), c.Period)
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := a.ReviewQueue(c.Period)
	if len(queue) != res.Review || len(queue) == 0 {
		t.Fatalf("queue %d, review count %d", len(queue), res.Review)
	}
	// a bad check digit: the true person must be the first candidate
	var bad *engine.ReviewItem
	var truth string
	for i := range queue {
		it := &queue[i]
		for _, f := range c.DeptFiles {
			if f.Dept != it.Dept || f.List != it.List {
				continue
			}
			for _, e := range f.Expect {
				if e.Line == it.Ref.Line && e.Kind == demo.KindBadCheck && bad == nil {
					bad, truth = it, e.PersonID
				}
			}
		}
	}
	if bad == nil || len(bad.Candidates) == 0 || bad.Candidates[0].ID != truth {
		t.Fatalf("bad check digit row: candidates %+v, truth %s", bad, truth)
	}
	if err := a.Confirm(bad.Ref, truth); err != nil {
		t.Fatal(err)
	}
	// reject every candidate of another row
	var other *engine.ReviewItem
	for i := range queue {
		if queue[i].Ref != bad.Ref && len(queue[i].Candidates) > 0 {
			other = &queue[i]
			break
		}
	}
	var ids []string
	for _, cnd := range other.Candidates {
		ids = append(ids, cnd.ID)
	}
	if err := a.Reject(other.Ref, ids); err != nil {
		t.Fatal(err)
	}
	res2, err := a.Match(context.Background(), c.Period)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Review != res.Review-2 || res2.Matched != res.Matched+1 || res2.Invalid != res.Invalid+1 {
		t.Errorf("after review: %+v (before %+v)", res2.MatchCounts, res.MatchCounts)
	}
	r, _ := a.Roster()
	p, _ := r.Person(truth)
	clues, _ := a.db.Clues(c.Period)
	found := false
	for _, cl := range clues {
		for _, rk := range cl.Risks {
			if rk.Person == truth && rk.Matched == "复核确认" && cl.Household == p.HouseholdNo {
				found = true
			}
		}
	}
	if !found && res2.BelowThreshold == res.BelowThreshold {
		t.Errorf("the confirmed row is in no clue and not below threshold")
	}
	log, _ := a.db.AuditLog(0)
	if len(log) < 4 || log[0].Action != "数据比对" {
		t.Errorf("audit log: %+v", log)
	}
}

func TestMatchRefusesWithoutRosterOrLists(t *testing.T) {
	a := openTest(t)
	if _, err := a.Match(context.Background(), "2026-11"); err == nil || !strings.Contains(err.Error(), "尚未导入基础名册") {
		t.Errorf("no roster: %v", err)
	}
	a2, c, _ := demoCounty(t, 20)
	if _, err := a2.Match(context.Background(), c.Period); err == nil || !strings.Contains(err.Error(), "还没有导入任何部门清单") {
		t.Errorf("no lists: %v", err)
	}
	if clues, _ := a2.db.Clues(c.Period); len(clues) != 0 {
		t.Errorf("a refused comparison wrote %d clues", len(clues))
	}
}

func TestManualClue(t *testing.T) {
	a, c, _ := demoCounty(t, 30)
	p := c.Persons[3]
	cl, err := a.AddManualClue(ManualClue{Period: c.Period, Source: engine.SourceHotline, PersonID: p.ID, RiskType: "因病", Note: "12317来电反映：户主患重病住院"})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Household != p.HouseholdNo || cl.ID != c.Period+"-0001" || cl.Source != engine.SourceHotline {
		t.Errorf("manual clue: %+v", cl)
	}
	if _, err := a.AddManualClue(ManualClue{Period: c.Period, Source: "随便", PersonID: p.ID, RiskType: "因病", Note: "x"}); err == nil {
		t.Error("unknown source accepted")
	}
	if _, err := a.AddManualClue(ManualClue{Period: c.Period, Source: engine.SourceVisit, PersonID: "530428199001011231", RiskType: "因灾", Note: "房屋倒塌"}); err == nil || !strings.Contains(err.Error(), "请填写姓名") {
		t.Errorf("off-roster without a name: %v", err)
	}
	cl2, err := a.AddManualClue(ManualClue{Period: c.Period, Source: engine.SourceVisit, PersonID: "530428199001011231", Name: "张三", Township: "龙泉镇", RiskType: "因灾", Note: "房屋倒塌"})
	if err != nil || cl2.ID != c.Period+"-0002" || cl2.Category != engine.CategoryOther {
		t.Fatalf("second manual clue: %+v %v", cl2, err)
	}
}

func TestOffRosterTownshipFromRegister(t *testing.T) {
	a, c, dir := demoCounty(t, 60)
	fc, err := a.ImportRegister(context.Background(), filepath.Join(dir, "农户花名册.xlsx"))
	if err != nil || fc.Valid != len(c.OffRoster) || fc.Valid == 0 {
		t.Fatalf("register: %+v %v", fc, err)
	}
	// a list that names nobody's township: one person in the register, one not
	in := c.OffRoster[0]
	first := "53042819800101001"
	nobody := first + string(engine.IDCheckDigit(first))
	path := filepath.Join(dir, "民政局_新增救助_无地址.xlsx")
	if err := excelWrite(path, [][]any{{"姓名", "身份证号", "救助类型"}, {in.Name, in.ID, "低保"}, {"路人甲", nobody, "临时救助"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: "民政局", Path: path}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	clues, _ := a.db.Clues(c.Period)
	towns := map[string]string{}
	for _, cl := range clues {
		towns[cl.Persons[0].ID] = cl.Township
	}
	if towns[in.ID] != in.Township {
		t.Errorf("registered person's clue in %q, register says %q", towns[in.ID], in.Township)
	}
	if towns[nobody] != engine.UnknownTownship {
		t.Errorf("unknown person's clue in %q, want %s", towns[nobody], engine.UnknownTownship)
	}
}

// TestMatchProgressCancelAndUnusualResult: the comparison reports its
// progress list by list; cancelled, it writes nothing; a result many times
// the month before's is stored only when confirmed.
func TestMatchProgressCancelAndUnusualResult(t *testing.T) {
	a, c, dir := demoCounty(t, 200)
	importAll(t, a, c, dir)
	// the month before had one clue
	prev := engine.MonthOf(testNow).Add(-1).String()
	if _, err := a.AddManualClue(ManualClue{Period: prev, Source: engine.SourceHotline, PersonID: c.Persons[0].ID, RiskType: "因病", Note: "来电"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var seen [][3]int
	_, err := a.MatchWith(ctx, c.Period, MatchOptions{Progress: func(lists, total, rows int) {
		seen = append(seen, [3]int{lists, total, rows})
		if lists == 3 {
			cancel()
		}
	}})
	var cancelledErr *Cancelled
	if !errors.As(err, &cancelledErr) || !strings.Contains(err.Error(), "已取消") || len(seen) != 3 || seen[0][1] != 16 || seen[2][2] <= seen[0][2] {
		t.Fatalf("cancelled: %v, progress %v", err, seen)
	}
	if _, ok, _ := a.db.MatchRun(c.Period); ok {
		t.Fatal("a cancelled comparison was stored")
	}
	defer func(f int) { UnusualFloor = f }(UnusualFloor)
	UnusualFloor = 20
	_, err = a.Match(context.Background(), c.Period)
	var nc *NeedsConfirm
	if !errors.As(err, &nc) || !strings.Contains(err.Error(), "倍") {
		t.Fatalf("an unusual result: %v", err)
	}
	if clues, _ := a.db.Clues(c.Period); len(clues) != 0 {
		t.Fatal("an unusual result was stored before it was confirmed")
	}
	res, err := a.MatchWith(context.Background(), c.Period, MatchOptions{Force: true})
	if err != nil || res.Clues < 20 {
		t.Fatalf("confirmed: %v", err)
	}
}
