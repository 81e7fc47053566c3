package app

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"bidui/engine"
	"bidui/engine/demo"
)

// The scale of a large county (DESIGN.md §9): 300,000 roster persons.
const benchHouseholds = 86000 // about 300,000 persons

var (
	benchOnce   sync.Once
	benchRoster string
)

// benchRosterFile writes the large roster export once per run.
func benchRosterFile(b *testing.B) string {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "bidui-bench")
		if err != nil {
			b.Fatal(err)
		}
		c := demo.Generate(1, benchHouseholds, "2026-11", testNow)
		benchRoster = filepath.Join(dir, "roster300k.xlsx")
		if err := WriteDemoFile(benchRoster, c.Roster); err != nil {
			b.Fatal(err)
		}
	})
	return benchRoster
}

// BenchmarkRosterImport300k imports a 300,000-person national-system export
// into an empty database: read, validate, store in one transaction.
func BenchmarkRosterImport300k(b *testing.B) {
	path := benchRosterFile(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := Open(filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := a.ImportRoster(context.Background(), []string{path}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Valid), "persons")
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
}

// BenchmarkOpenRoster300k is what opening the window costs: loading the
// roster of 300,000 persons from the database and building its indexes.
func BenchmarkOpenRoster300k(b *testing.B) {
	path := benchRosterFile(b)
	dbPath := filepath.Join(b.TempDir(), "b.db")
	a, err := Open(dbPath)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.ImportRoster(context.Background(), []string{path}, nil); err != nil {
		b.Fatal(err)
	}
	a.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := Open(dbPath)
		if err != nil {
			b.Fatal(err)
		}
		r, err := a.Roster()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(r.Persons)), "persons")
		a.Close()
	}
}

// BenchmarkRosterSearch300k is one keystroke in the roster screen's search
// box over 300,000 persons.
func BenchmarkRosterSearch300k(b *testing.B) {
	c := demo.Generate(1, benchHouseholds, "2026-11", testNow)
	r := engine.NewRoster(c.Persons)
	q := []string{"张", "5304281990", "龙泉镇"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = r.Filter(engine.RosterFilter{Query: q[i%len(q)]})
	}
}
