package excel

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestPrefetchKeepsEveryRowAndStops: rows read ahead come out all, in
// order, with their line numbers, across batches; closing part way stops
// the reading ahead (the test would hang otherwise).
func TestPrefetchKeepsEveryRowAndStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.xlsx")
	rows := [][]any{{"姓名", "身份证号"}}
	n := 3*prefetchBatch + 17
	for i := range n {
		rows = append(rows, []any{fmt.Sprintf("张%d", i), fmt.Sprintf("53042819900101%04d", i)})
	}
	if err := WriteXLSX(path, Sheet{Name: "表", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rs, err := wb.Rows("")
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for rs.Next() {
		if rs.Line() != got+1 {
			t.Fatalf("row %d has line %d", got+1, rs.Line())
		}
		if got > 0 && rs.Cells()[0] != fmt.Sprintf("张%d", got-1) {
			t.Fatalf("line %d holds %v", rs.Line(), rs.Cells())
		}
		got++
	}
	if rs.Err() != nil || got != n+1 {
		t.Fatalf("read %d rows of %d: %v", got, n+1, rs.Err())
	}
	rs.Close()

	rs, _ = wb.Rows("")
	rs.Next()
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
}
