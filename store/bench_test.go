package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"bidui/engine"
)

// BenchmarkSaveMatch78k stores a large county's first month: 78,000 clues
// of households in random order, each with two persons, in one comparison
// (DESIGN.md §9; issue: 36 s were spent inserting the clue index).
func BenchmarkSaveMatch78k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	clues := make([]engine.Clue, 78000)
	for i := range clues {
		h := fmt.Sprintf("5304%014d", r.Int64N(1e14))
		clues[i] = engine.Clue{ID: engine.ClueID("2026-11", i+1), Key: "风险|H|" + h, Period: "2026-11", Kind: engine.KindRisk, Household: h,
			Persons: []engine.CluePerson{{Name: fmt.Sprintf("张%d", r.IntN(1e6)), ID: fmt.Sprintf("5304%014d", r.Int64N(1e14))},
				{Name: fmt.Sprintf("李%d", r.IntN(1e6)), ID: fmt.Sprintf("5304%014d", r.Int64N(1e14))}},
			Risks: []engine.Risk{{Dept: "医保局", List: "住院自付", Type: "因病", Amount: 600000, Detail: "住院自付 个人自付金额 6,000.00 元", Import: 1, Lines: []int{i + 3}}}}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(filepath.Join(b.TempDir(), "b.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := db.SaveMatch(engine.MatchRun{Period: "2026-11"}, clues, nil, engine.AuditEntry{Action: "bench"}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
