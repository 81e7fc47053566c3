package excel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
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
	wb, rs := writtenSheet(t, path, rows)
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

// chunky hands out its bytes a few at a time, then err.
type chunky struct {
	data []byte
	step int
	err  error
}

func (c *chunky) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, c.err
	}
	n := copy(p[:min(len(p), c.step)], c.data)
	c.data = c.data[n:]
	c.step = c.step*7%1013 + 1
	return n, nil
}

// TestInflateAheadReadsTheSameBytes: the bytes read through the read-ahead
// are the source's, in order, across chunks, followed by the source's own
// error (io.EOF, or a damaged part's); closing part way ends it.
func TestInflateAheadReadsTheSameBytes(t *testing.T) {
	data := make([]byte, 5*aheadChunkSize+12345)
	for i := range data {
		data[i] = byte(i * 31 / 7)
	}
	broken := errors.New("flate: corrupt input")
	for _, end := range []error{io.EOF, broken} {
		a := readAhead(&chunky{data: data, step: 1, err: end})
		var got []byte
		buf := make([]byte, 3001)
		var err error
		for err == nil {
			var n int
			n, err = a.Read(buf)
			got = append(got, buf[:n]...)
		}
		a.Close()
		if !bytes.Equal(got, data) || err != end {
			t.Errorf("read %d bytes of %d (same: %v), then %v; want %v", len(got), len(data), bytes.Equal(got, data), err, end)
		}
	}
	a := readAhead(&chunky{data: data, step: 1, err: io.EOF})
	a.Read(make([]byte, 10))
	a.Close() // would hang if the goroutine did not end
}

// panicky panics as a damaged part might in a decompressor.
type panicky struct{}

func (panicky) Read([]byte) (int, error) { panic("index out of range") }

// TestInflateAheadTurnsAPanicIntoAnError: a source that panics is an error
// of the read, never a crash of the program from another goroutine.
func TestInflateAheadTurnsAPanicIntoAnError(t *testing.T) {
	a := readAhead(panicky{})
	defer a.Close()
	if _, err := a.Read(make([]byte, 10)); err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("err %v", err)
	}
}

// TestRowsHintEstimatesASheetWithoutDimension: a sheet whose dimension says
// nothing (excelize's stream writer puts "A1") is estimated from the bytes
// its first rows took, within a few percent of its real length (a sheet
// with its dimension: TestDimensionRowsIsTheSheetsLastRow).
func TestRowsHintEstimatesASheetWithoutDimension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.xlsx")
	rows := [][]any{{"2026年11月清单"}, {"姓名", "身份证号", "金额", "备注"}}
	const n = 20000
	for i := range n {
		rows = append(rows, []any{fmt.Sprintf("张%d", i), fmt.Sprintf("53042819900101%04d", i%10000), i % 977, strings.Repeat("备", i%5)})
	}
	_, rs := writtenSheet(t, path, rows)
	defer rs.Close()
	h := rs.(interface{ RowsHint() int })
	if got := h.RowsHint(); got > 1 {
		t.Fatalf("before any row: hint %d, want none (the dimension is A1)", got)
	}
	for i := 0; i < 3*prefetchBatch && rs.Next(); i++ {
	}
	got, want := h.RowsHint(), n+2
	if got < want*97/100 || got > want*108/100 {
		t.Fatalf("after %d rows: hint %d, want about %d", 3*prefetchBatch, got, want)
	}
}

// writtenSheet writes rows as path's only sheet and opens it to be read;
// the workbook is closed when the test ends.
func writtenSheet(t *testing.T, path string, rows [][]any) (*Workbook, Rows) {
	t.Helper()
	if err := WriteXLSX(path, Sheet{Name: "表", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	rs, err := wb.Rows("")
	if err != nil {
		t.Fatal(err)
	}
	return wb, rs
}

// TestAReadStoppedByDamageSaysSoEveryTime: a sheet that breaks off at a
// damaged row ends with its error every time it is read, however the
// goroutines reading ahead happen to be scheduled — never as a shorter
// sheet read cleanly (Err is asked as soon as Next says false).
func TestAReadStoppedByDamageSaysSoEveryTime(t *testing.T) {
	// a sheet whose last row has its cells out of order: damage
	broken := hostileXLSX(t, "cut.xlsx", func(w io.Writer) {
		sheetXML(w, func(w io.Writer) {
			for i := 1; i <= 2*prefetchBatch; i++ {
				fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
			}
			fmt.Fprintf(w, `<row r="%d"><c r="B%d"><v>1</v></c><c r="A%d"><v>2</v></c></row>`, 2*prefetchBatch+1, 2*prefetchBatch+1, 2*prefetchBatch+1)
		})
	}, nil)
	for range 300 {
		wb, err := Open(broken)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := wb.Rows("")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rs.Next() {
			n++
		}
		err = rs.Err()
		rs.Close()
		wb.Close()
		if err == nil || n != 2*prefetchBatch {
			t.Fatalf("read %d rows, then %v: want %d rows and the damage", n, err, 2*prefetchBatch)
		}
	}
}
