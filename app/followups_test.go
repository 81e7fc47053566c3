package app

import (
	"context"
	"strings"
	"testing"

	"bidui/engine"
)

// TestDemoMonthsFollowUps works the demo county through three earlier
// months — 医保 sends year-to-date amounts, 民政 everyone receiving — and
// checks each month's follow-ups against the clues independently: a
// follow-up follows an assigned clue of the same list and person, rose by
// less than the line and kept its type of aid; every risk of those lists
// whose person's last raised clue was assigned is a follow-up or says why
// it was raised again.
func TestDemoMonthsFollowUps(t *testing.T) {
	a := openTest(t)
	if _, _, err := a.MakeDemo(context.Background(), t.TempDir(), 300, 7, 3); err != nil {
		t.Fatal(err)
	}
	all, err := a.db.Clues("")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]engine.Clue{}
	for _, c := range all {
		byID[c.ID] = c
	}
	// last is the last risk a list raised for a person before period p
	last := func(key, p string) (engine.Risk, engine.Clue, bool) {
		var best engine.Clue
		var r engine.Risk
		for _, c := range all {
			if c.Period >= p || c.ID < best.ID {
				continue
			}
			for _, x := range c.Risks {
				if x.EvidenceKey() == key && x.Import != 0 {
					best, r = c, x
				}
			}
		}
		return r, best, best.ID != ""
	}
	followUps, again := 0, 0
	for _, p := range []string{"2026-09", "2026-10"} {
		fs, err := a.FollowUps(p)
		if err != nil {
			t.Fatal(err)
		}
		run, _, _ := a.db.MatchRun(p)
		if run.Counts.FollowUps != len(fs) {
			t.Errorf("%s: counted %d follow-ups, stored %d", p, run.Counts.FollowUps, len(fs))
		}
		followUps += len(fs)
		again += run.Counts.RaisedAgain
		for _, f := range fs {
			prior, of, ok := last(f.Risk.EvidenceKey(), p)
			if !ok || of.ID != f.Of || !of.Assigned() {
				t.Fatalf("%s: follow-up of %s, but the last clue of that list for %s is %q (assigned %v)", p, f.Of, f.Risk.Person, of.ID, of.Assigned())
			}
			line := engine.Amount(500000)
			if f.Category == engine.CategoryOther {
				line = 2000000
			}
			if f.Risk.List == "住院自付" && f.Risk.Amount-prior.Amount >= line {
				t.Errorf("%s: %s rose %v ≥ the line, yet a follow-up", p, f.Risk.Person, f.Risk.Amount-prior.Amount)
			}
			if f.Risk.List == "新增救助" && f.Risk.Level != prior.Level {
				t.Errorf("%s: %s changed aid %q → %q, yet a follow-up", p, f.Risk.Person, prior.Level, f.Risk.Level)
			}
		}
		for _, c := range all {
			if c.Period != p {
				continue
			}
			for _, r := range c.Risks {
				if _, of, ok := last(r.EvidenceKey(), p); ok && of.Assigned() && r.Again == "" && (r.List == "住院自付" || r.List == "新增救助") {
					t.Errorf("%s: %s·%s %s raised again in %s without a reason, though %s was assigned", p, r.Dept, r.List, r.Person, c.ID, of.ID)
				}
			}
		}
	}
	if followUps == 0 || again == 0 {
		t.Fatalf("follow-ups %d, raised again %d: the demo's cumulative lists should give both", followUps, again)
	}

	// one follow-up raised by hand becomes a clue, and stays one when the
	// month is compared again; 一户一档 shows the follow-ups
	fs, _ := a.FollowUps("2026-10")
	f := fs[0]
	h, err := a.History(f.Risk.Person)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range h.FollowUps {
		found = found || x.ID() == f.ID()
	}
	if !found {
		t.Errorf("一户一档 of %s lacks its follow-up", f.Risk.Person)
	}
	// every follow-up is in its person's 一户一档, and in its household's
	for _, f := range fs {
		for _, key := range []string{f.Risk.Person, f.Household} {
			if key == "" {
				continue
			}
			h, err := a.History(key)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range h.FollowUps {
				if x.ID() == f.ID() && x.Period == f.Period {
					n++
				}
			}
			if n != 1 {
				t.Errorf("一户一档 of %s shows follow-up %s %d times", key, f.ID(), n)
			}
		}
	}
	c, err := a.RaiseFollowUp("2026-10", f.ID())
	if err != nil {
		t.Fatal(err)
	}
	if c.Period != "2026-10" || !strings.Contains(c.Summary(), "手工转为线索") || c.Assigned() {
		t.Fatalf("raised clue: %+v", c)
	}
	if _, err := a.RaiseFollowUp("2026-10", f.ID()); err == nil {
		t.Error("a follow-up raised twice")
	}
	res, err := a.Match(context.Background(), "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if res.FollowUps != len(fs)-1 {
		t.Errorf("compared again: %d follow-ups, want %d", res.FollowUps, len(fs)-1)
	}
	kept, _, _ := a.db.Clue(c.ID)
	has := false
	for _, r := range kept.Risks {
		has = has || r.EvidenceKey() == f.Risk.EvidenceKey()
	}
	if !has {
		t.Errorf("the raised follow-up left clue %s when compared again", c.ID)
	}

	// the month over month reconciles: what one month leaves open is what
	// the next carries in; its new clues and follow-ups are the batch's
	flow, prevFlow, err := a.MonthFlows("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	risks := 0
	for _, c := range all {
		if c.Period == "2026-10" && c.Kind == engine.KindRisk {
			risks++
		}
	}
	if flow.CarriedIn != prevFlow.OpenAtEnd || flow.New != risks+1 || flow.FollowUps != res.FollowUps {
		t.Errorf("flow %+v after %+v; %d risk clues (+1 raised), %d follow-ups", flow, prevFlow, risks, res.FollowUps)
	}
	if prevFlow.New == 0 || flow.CarriedIn == 0 {
		t.Errorf("the demo's months should carry clues over: %+v %+v", prevFlow, flow)
	}
}
