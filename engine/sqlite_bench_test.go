//go:build sqlitebench

// The comparison beside the same join in SQLite (pure-Go modernc.org/sqlite),
// for the ratio asked of issue 4. Behind a build tag so that ordinary test
// runs do not compile SQLite:
//
//	go test ./engine -tags sqlitebench -run '^$' -bench 'Match300k|SQLiteJoin300k' -benchtime 3x
package engine_test

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite"

	"bidui/engine"
)

// BenchmarkSQLiteJoin300k loads the same roster and department rows into an
// in-memory SQLite database (not timed) and times the join that is the core
// of the comparison: every row to its roster person by ID, amounts summed per
// person per list, with the household of those on the roster.
func BenchmarkSQLiteJoin300k(b *testing.B) {
	in := matchBenchInput(b)
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	mustExec := func(q string, args ...any) {
		if _, err := db.Exec(q, args...); err != nil {
			b.Fatal(err)
		}
	}
	mustExec(`CREATE TABLE roster (id TEXT PRIMARY KEY, household TEXT, category INT)`)
	mustExec(`CREATE TABLE rows (list INT, line INT, id TEXT, amount REAL)`)
	tx, _ := db.Begin()
	st, _ := tx.Prepare(`INSERT INTO roster VALUES (?, ?, ?)`)
	for _, p := range in.Roster.Persons {
		st.Exec(p.ID, p.HouseholdNo, int(p.Category))
	}
	st.Close()
	st, _ = tx.Prepare(`INSERT INTO rows VALUES (?, ?, ?, ?)`)
	for _, l := range in.Lists {
		for _, r := range l.Rows {
			if !r.Valid() {
				continue
			}
			amt := 0.0
			if i, ok := l.Rec.Columns["amount"]; ok && i < len(r.Cells) {
				a, _ := engine.ParseAmount(r.Cells[i])
				amt = a.Yuan()
			}
			st.Exec(l.Rec.Seq, r.Line, r.Cells[1], amt)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rs, err := db.Query(`SELECT r.list, r.id, SUM(r.amount), COUNT(*), ro.household, ro.category
			FROM rows r LEFT JOIN roster ro ON ro.id = r.id GROUP BY r.list, r.id`)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rs.Next() {
			var list, cnt int
			var id string
			var sum float64
			var hh sql.NullString
			var cat sql.NullInt64
			if err := rs.Scan(&list, &id, &sum, &cnt, &hh, &cat); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rs.Close()
		b.ReportMetric(float64(n), "groups")
	}
}
