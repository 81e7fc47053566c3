package engine

import (
	"testing"
	"time"
)

func TestFlowCountsNewCarriedClosed(t *testing.T) {
	at := func(d string) time.Time { t, _ := time.Parse("2006-01-02", d); return t }
	closed := func(id, period, outcome, recorded, entered string) Clue {
		return Clue{ID: id, Period: period, Kind: KindRisk, Status: StatusClosed,
			Feedback: &Feedback{Outcome: outcome, At: at(recorded), Entered: entered}}
	}
	open := func(id, period string) Clue {
		return Clue{ID: id, Period: period, Kind: KindRisk, Status: StatusAssigned}
	}
	clues := []Clue{
		closed("a", "2026-09", OutcomeNotIncluded, "2026-10-15", ""),        // closed before November: not carried
		closed("b", "2026-10", OutcomeNotIncluded, "2026-11-03", ""),        // carried in, closed in November
		closed("c", "2026-10", OutcomeIncluded, "2026-10-20", "2026-11-05"), // closed the day it was entered
		open("d", "2026-10"), // carried in, still open
		open("e", "2026-11"), // new
		closed("f", "2026-11", OutcomeNotIncluded, "2026-11-29", ""),          // new, closed at once
		{ID: "g", Period: "2026-11", Kind: KindChange, Status: StatusPending}, // 信息变更: not counted
		open("h", "2026-12"), // a later batch: not counted
	}
	got := Flow("2026-11", clues, 7)
	want := MonthFlow{Period: "2026-11", New: 2, CarriedIn: 3, Closed: 3, OpenAtEnd: 2, FollowUps: 7}
	if got != want {
		t.Fatalf("flow = %+v, want %+v", got, want)
	}
	if c := clues[2]; c.ClosedOn() != "2026-11-05" {
		t.Errorf("an included clue closes when entered: %q", c.ClosedOn())
	}
}
