package app

import (
	"context"
	"reflect"
	"testing"

	"bidui/engine"
)

// TestWindowedReadsChangeNoResult: a comparison reads only the clues of the
// rules' look-back and the open ones older than that (through the live
// index), and the month-over-month figures only the clues still in play.
// On the demo county worked through four months, with look-backs cut to one
// month so that the window leaves clues out, the comparison gives exactly
// what it gives with every earlier clue, and the flows are those counted
// over every clue.
func TestWindowedReadsChangeNoResult(t *testing.T) {
	a := openTest(t)
	if _, _, err := a.MakeDemo(context.Background(), t.TempDir(), 300, 11, 4); err != nil {
		t.Fatal(err)
	}
	all, err := a.db.Clues("")
	if err != nil {
		t.Fatal(err)
	}
	periods := map[string]bool{}
	for _, c := range all {
		periods[c.Period] = true
	}
	last := ""
	for p := range periods {
		last = max(last, p)
	}
	if len(periods) != 4 {
		t.Fatalf("demo worked %d months, want 4", len(periods))
	}

	for _, months := range []int{1, 2, 12} {
		got, err := a.earlierClues(last, months)
		if err != nil {
			t.Fatal(err)
		}
		from := mustMonth(t, last).Add(-months).String()
		want := map[string]bool{}
		oldOpen := 0
		for _, c := range all {
			if c.Period >= last {
				continue
			}
			if c.Period >= from {
				want[c.ID] = true
			} else if c.ClosedOn() == "" {
				want[c.ID] = true
				oldOpen++
			}
		}
		ids := map[string]bool{}
		for _, c := range got {
			if ids[c.ID] {
				t.Errorf("%d months: clue %s read twice", months, c.ID)
			}
			ids[c.ID] = true
		}
		if !reflect.DeepEqual(ids, want) {
			t.Errorf("%d months: read %d earlier clues, want %d", months, len(ids), len(want))
		}
		if months == 1 && oldOpen == 0 {
			t.Fatal("the demo left no clue open from before the window: the test would not see the live index")
		}
	}

	// the comparison with look-backs of one month, windowed and not
	for di := range a.Catalog.Departments {
		for li := range a.Catalog.Departments[di].Lists {
			a.Catalog.Departments[di].Lists[li].Rule.Window = 1
		}
	}
	in, err := a.matchInput(last)
	if err != nil {
		t.Fatal(err)
	}
	full := *in
	full.Earlier = nil
	for _, c := range all {
		if c.Period < last {
			full.Earlier = append(full.Earlier, c)
		}
	}
	if len(in.Earlier) >= len(full.Earlier) {
		t.Fatalf("the window read %d of %d earlier clues: nothing was left out", len(in.Earlier), len(full.Earlier))
	}
	r1, r2 := engine.Match(*in), engine.Match(full)
	if r1.Counts != r2.Counts {
		t.Errorf("counts differ:\nwindowed %+v\nall      %+v", r1.Counts, r2.Counts)
	}
	if !reflect.DeepEqual(r1.Clues, r2.Clues) || !reflect.DeepEqual(r1.FollowUps, r2.FollowUps) || !reflect.DeepEqual(r1.Review, r2.Review) {
		t.Error("the windowed comparison gave other clues, follow-ups or review rows")
	}
	from := mustMonth(t, last).Add(-1).String()
	oldRepeats := 0
	for _, c := range r1.Clues {
		if c.RepeatOf != "" && c.RepeatOf < from {
			oldRepeats++
		}
	}
	if oldRepeats == 0 {
		t.Error("no clue repeats one older than the window: the test would not see the open clues of older months")
	}

	for p := range periods {
		cur, prev, err := a.MonthFlows(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := engine.Flow(p, all, cur.FollowUps); cur != want {
			t.Errorf("%s flow %+v, counted over every clue %+v", p, cur, want)
		}
		p0 := mustMonth(t, p).Add(-1).String()
		if want := engine.Flow(p0, all, prev.FollowUps); prev != want {
			t.Errorf("%s flow %+v, counted over every clue %+v", p0, prev, want)
		}
	}
}

func mustMonth(t *testing.T, p string) engine.Month {
	t.Helper()
	m, err := engine.ParseMonth(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
