package app

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bidui/engine"
	"bidui/store"
)

var updateFixture = flag.Bool("update-fixture", false, "rewrite testdata/fixture.db with this version")

// fixture is a small county database written by the version that made it:
// demo roster, every department list, a comparison, an assignment and one
// result. Later versions must open it and migrate it.
const fixture = "testdata/fixture.db"

func TestFixtureDatabaseOpens(t *testing.T) {
	if *updateFixture {
		os.Remove(fixture)
		a, err := Open(fixture)
		if err != nil {
			t.Fatal(err)
		}
		a.Now = func() time.Time { return testNow }
		dir := t.TempDir()
		_, c, err := a.MakeDemo(context.Background(), dir, 40, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		importAll(t, a, c, dir)
		if _, err := a.Match(context.Background(), c.Period); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Assign(c.Period, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), engine.AssignOptions{}); err != nil {
			t.Fatal(err)
		}
		clues, _ := a.db.Clues(c.Period)
		for _, cl := range clues {
			if cl.Assigned() && cl.Kind == engine.KindRisk {
				if _, err := a.RecordFeedback(cl.ID, engine.Feedback{Outcome: "纳入监测", MonitorType: "突发严重困难户", Verifier: "张", Date: "2026-11-23"}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		a.Close()
	}
	// work on a copy: opening may migrate
	path := filepath.Join(t.TempDir(), "fixture.db")
	copyFile(t, fixture, path)
	a, err := Open(path)
	if err != nil {
		t.Fatalf("the fixture database from an earlier version does not open: %v", err)
	}
	defer a.Close()
	v, _ := a.db.Schema()
	if v != store.SchemaVersion {
		t.Errorf("schema %d after opening, want %d", v, store.SchemaVersion)
	}
	r, err := a.Roster()
	if err != nil || len(r.Persons) == 0 {
		t.Fatalf("roster: %v", err)
	}
	clues, err := a.db.Clues("2026-11")
	if err != nil || len(clues) == 0 {
		t.Fatalf("clues: %d %v", len(clues), err)
	}
	results := 0
	for _, c := range clues {
		if c.Feedback != nil {
			results++
			// the index answers for the fixture's clues too
			h, err := a.History(c.Persons[0].ID)
			if err != nil || len(h.Clues) == 0 {
				t.Errorf("history of a fixture clue: %v", err)
			}
		}
	}
	if results != 1 {
		t.Errorf("%d results in the fixture, want 1", results)
	}
	asgs, _ := a.db.Assignments("2026-11")
	if len(asgs) == 0 {
		t.Error("no assignments")
	}
	// the live index was built on opening: every clue not closed is in it
	live, err := a.db.LiveClues("2026-12", "")
	if err != nil {
		t.Fatal(err)
	}
	notClosed := 0
	for _, c := range clues {
		if c.ClosedOn() == "" {
			notClosed++
		}
	}
	if len(live) != notClosed {
		t.Errorf("%d clues in the live index, want the %d not closed", len(live), notClosed)
	}
	// its department rows still read: comparing again keeps every clue
	res, err := a.MatchWith(context.Background(), "2026-11", MatchOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Clues+res.Changes != len(clues) || res.NewClues != 0 {
		t.Errorf("comparing the migrated month again gave %d clues and %d changes (%d new), it had %d", res.Clues, res.Changes, res.NewClues, len(clues))
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}
