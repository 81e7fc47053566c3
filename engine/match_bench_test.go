package engine_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"bidui/assets"
	"bidui/engine"
	"bidui/engine/demo"
)

// matchBenchInput is a large county's month (DESIGN.md §9): about 300,000
// roster persons and 300,000 department rows across the catalog's lists,
// 医保 dominating with mostly small bills, a third of the people off the
// roster, and 1% of the rows carrying a damaged ID for review.
func matchBenchInput(b *testing.B) engine.MatchInput {
	c := demo.Generate(1, 86000, "2026-11", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	cat, err := engine.ParseCatalog(assets.Catalog)
	if err != nil {
		b.Fatal(err)
	}
	in := engine.MatchInput{Period: "2026-11", Roster: engine.NewRoster(c.Persons), Catalog: cat, Now: time.Now()}
	seq := 0
	for _, d := range cat.Departments {
		for _, l := range d.Lists {
			n := 1400 // the other departments' lists are short
			if d.Name == "医保局" {
				n = 140000 // 医保 dominates
			}
			seq++
			rec := engine.ListImport{Seq: seq, Period: "2026-11", Dept: d.Name, List: l.Name, Columns: map[string]int{"name": 0, "id": 1}}
			for i, f := range l.Columns {
				rec.Columns[f.Key] = 2 + i
			}
			rows := make([]engine.DeptRow, n)
			for i := range rows {
				p := c.Persons[(i*7919+seq*104729)%len(c.Persons)]
				id := p.ID
				if i%3 == 0 { // a third of the rows are people off the roster
					id = fmt.Sprintf("5304289%010d", i)
					id = id[:17] + string(engine.IDCheckDigit(id[:17]))
				}
				cells := []string{p.Name, id}
				for _, f := range l.Columns {
					switch f.Key {
					case "amount":
						// most bills are small; about 1 in 50 crosses the line
						amt := 50 + i%400
						if i%50 == 7 {
							amt = 25000 + i%5000
						}
						cells = append(cells, strconv.Itoa(amt)+".50")
					case "grade":
						cells = append(cells, []string{"A", "B", "C", "D"}[i%4])
					default:
						cells = append(cells, "一级")
					}
				}
				row := engine.DeptRow{Line: i + 3, Cells: cells}
				if i%100 == 0 {
					row.Cells[1] = id[:15] + "000"
					row.Problem, row.Field = "身份证号末尾为000且校验位不符", "id"
				}
				rows[i] = row
			}
			in.Lists = append(in.Lists, engine.ListData{Rec: rec, Rows: rows})
		}
	}
	return in
}

// BenchmarkMatch300k is the comparison alone: 300,000 roster persons
// against 300,000 department rows, rules, household grouping, review
// candidates and the merge into the period's clues.
func BenchmarkMatch300k(b *testing.B) {
	in := matchBenchInput(b)
	rows := 0
	for _, l := range in.Lists {
		rows += len(l.Rows)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := engine.Match(in)
		b.ReportMetric(float64(res.Counts.Rows), "rows")
		b.ReportMetric(float64(res.Counts.Clues), "clues")
	}
	_ = rows
}
