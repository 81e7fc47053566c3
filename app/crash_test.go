package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"bidui/engine/demo"
	"bidui/store"
)

// TestMain lets the crash test run this test binary as a helper process
// that does one long change and is killed in the middle of it.
func TestMain(m *testing.M) {
	switch os.Getenv("BIDUI_CRASH_HELPER") {
	case "":
		os.Exit(m.Run())
	case "roster":
		a, err := Open(os.Getenv("BIDUI_DB"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Println("ready")
		_, err = a.ImportRoster(context.Background(), RosterRequest{Files: []string{os.Getenv("BIDUI_FILE")}}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		a.Close()
		os.Exit(0)
	case "match":
		a, err := Open(os.Getenv("BIDUI_DB"))
		if err != nil {
			os.Exit(3)
		}
		fmt.Println("ready")
		_, err = a.Match(context.Background(), os.Getenv("BIDUI_PERIOD"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		a.Close()
		os.Exit(0)
	}
}

// killPoints are the moments of the kills, as fractions of a full run:
// most near its end, where the one transaction is written and committed.
var killPoints = []float64{0.3, 0.6, 0.8, 0.88, 0.92, 0.95, 0.97, 0.99, 1.01}

// killAfter runs the helper and kills it (SIGKILL: no deferred code, no
// close) after d, or lets it finish.
func killAfter(t *testing.T, mode, db string, env []string, d time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "BIDUI_CRASH_HELPER="+mode, "BIDUI_DB="+db), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
	case <-done:
	}
}

// TestKilledImportLeavesWholeOrNothing kills a large roster import at
// different moments, including inside the one transaction that writes it:
// every time, the database opens, passes bbolt's consistency check, and
// holds either the old roster or the whole new one.
func TestKilledImportLeavesWholeOrNothing(t *testing.T) {
	if os.Getenv("BIDUI_CRASH_HELPER") != "" {
		return
	}
	dir := t.TempDir()
	small := demo.Generate(1, 30, "2026-11", testNow)
	big := demo.Generate(2, 12000, "2026-11", testNow)
	smallPath, bigPath := filepath.Join(dir, "small.xlsx"), filepath.Join(dir, "big.xlsx")
	must(t, WriteDemoFile(smallPath, small.Roster))
	must(t, WriteDemoFile(bigPath, big.Roster))
	// how long a full import takes, to spread the kills over it
	probe := filepath.Join(dir, "probe.db")
	start := time.Now()
	killAfter(t, "roster", probe, []string{"BIDUI_FILE=" + bigPath}, time.Minute)
	full := time.Since(start)
	outcomes := map[string]int{}
	for i, frac := range killPoints {
		db := filepath.Join(dir, fmt.Sprintf("r%d.db", i))
		a, err := Open(db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ImportRoster(context.Background(), RosterRequest{Files: []string{smallPath}}, nil); err != nil {
			t.Fatal(err)
		}
		a.Close()
		killAfter(t, "roster", db, []string{"BIDUI_FILE=" + bigPath}, time.Duration(float64(full)*frac))
		n := persons(t, db)
		switch n {
		case len(small.Persons):
			outcomes["old"]++
		case len(big.Persons):
			outcomes["new"]++
		default:
			t.Fatalf("kill %d: the roster has %d persons: neither the old %d nor the new %d", i, n, len(small.Persons), len(big.Persons))
		}
	}
	t.Logf("full import %v; after the kills: %v", full, outcomes)
}

func persons(t *testing.T, db string) int {
	t.Helper()
	if _, err := store.CheckFile(db); err != nil {
		t.Fatalf("after the kill the database fails its check: %v", err)
	}
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("after the kill the database does not open: %v", err)
	}
	defer s.Close()
	r, err := s.Roster()
	if err != nil {
		t.Fatal(err)
	}
	return len(r.Persons)
}

// TestKilledComparisonLeavesWholeOrNothing does the same to a comparison:
// the period's clues are either none (as before) or the whole set.
func TestKilledComparisonLeavesWholeOrNothing(t *testing.T) {
	if os.Getenv("BIDUI_CRASH_HELPER") != "" {
		return
	}
	a, c, dir := demoCounty(t, 3000)
	importAll(t, a, c, dir)
	base := a.db.Path
	a.Close()
	// the complete result, for comparison
	full := filepath.Join(t.TempDir(), "full.db")
	copyFile(t, base, full)
	start := time.Now()
	killAfter(t, "match", full, []string{"BIDUI_PERIOD=" + c.Period}, time.Minute)
	took := time.Since(start)
	want := clueCount(t, full, c.Period)
	if want == 0 {
		t.Fatal("the comparison made no clues")
	}
	outcomes := map[string]int{}
	for i, frac := range killPoints {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("m%d.db", i))
		copyFile(t, base, db)
		killAfter(t, "match", db, []string{"BIDUI_PERIOD=" + c.Period}, time.Duration(float64(took)*frac))
		switch n := clueCount(t, db, c.Period); n {
		case 0:
			outcomes["none"]++
		case want:
			outcomes["all"]++
		default:
			t.Fatalf("kill %d: %d clues, neither none nor all %d", i, n, want)
		}
	}
	t.Logf("full comparison %v, %d clues; after the kills: %v", took, want, outcomes)
}

func clueCount(t *testing.T, db, period string) int {
	t.Helper()
	if _, err := store.CheckFile(db); err != nil {
		t.Fatalf("after the kill the database fails its check: %v", err)
	}
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cl, err := s.Clues(period)
	if err != nil {
		t.Fatal(err)
	}
	return len(cl)
}
