package engine

import (
	"testing"
	"time"
)

func TestMakeAssignmentsNumbersAfterExistingAndMarksSupplements(t *testing.T) {
	clues := []Clue{
		{ID: "2026-11-0001", Township: "东山乡", Village: "红星村", Status: StatusPending, Kind: KindRisk},
		{ID: "2026-11-0002", Township: "西河镇", Village: "柳树村", Status: StatusPending, Kind: KindRisk},
		{ID: "2026-11-0003", Township: "东山乡", Village: "青石村", Status: StatusPending, Kind: KindRisk},
	}
	plans, _, _ := PlanAssignments(clues, AssignOptions{})
	existing := []Assignment{{Seq: 4, Township: "西河镇"}}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	spec := AssignSpec{Period: "2026-11", Date: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Deadline: time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC),
		Format: "{县}防交〔{年}〕{月}-{序号}号", County: "青山县", Operator: "李", Now: now}
	asgs, changed := MakeAssignments(plans, clues, existing, spec)
	if len(asgs) != 2 || len(changed) != 3 {
		t.Fatalf("%d assignments, %d clues changed", len(asgs), len(changed))
	}
	byTown := map[string]Assignment{}
	for _, g := range asgs {
		byTown[g.Township] = g
		if g.Seq <= 4 || g.Date != "2026-11-30" || g.Deadline != "2026-12-28" || g.Operator != "李" {
			t.Errorf("assignment %+v", g)
		}
	}
	if e, w := byTown["东山乡"], byTown["西河镇"]; e.Supplement || !w.Supplement || len(e.Clues) != 2 || len(w.Clues) != 1 {
		t.Errorf("东山乡 %+v / 西河镇 %+v", e, w)
	}
	if n := byTown["东山乡"].Number; n != "青防交〔2026〕11-05号" && n != "青防交〔2026〕11-06号" {
		t.Errorf("number %q", n)
	}
	for _, c := range changed {
		if c.Status != StatusAssigned || c.Assignment == "" || c.Deadline != "2026-12-28" || c.AssignedOn != "2026-11-30" || len(c.History) != 1 {
			t.Errorf("clue %+v", c)
		}
	}
	if clues[0].Status != StatusPending {
		t.Error("the caller's clues were changed")
	}
}
