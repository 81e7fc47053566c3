package excel

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// hostileXLSX writes a real workbook whose sheet (and shared strings, when
// sst is not nil) are replaced by what the writers stream: a file of a few
// MB that inflates to hundreds.
func hostileXLSX(t *testing.T, name string, sheet, sst func(w io.Writer)) string {
	t.Helper()
	dir := t.TempDir()
	base := filepath.Join(dir, "base.xlsx")
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号"}))
	must(t, f.SaveAs(base))
	f.Close()
	zr, err := zip.OpenReader(base)
	must(t, err)
	defer zr.Close()
	out, err := os.Create(filepath.Join(dir, name))
	must(t, err)
	zw := zip.NewWriter(out)
	hasSST := false
	for _, part := range zr.File {
		w, err := zw.Create(part.Name)
		must(t, err)
		switch {
		case part.Name == "xl/worksheets/sheet1.xml":
			sheet(w)
		case part.Name == "xl/sharedStrings.xml" && sst != nil:
			hasSST = true
			sst(w)
		default:
			r, err := part.Open()
			must(t, err)
			_, err = io.Copy(w, r)
			must(t, err)
			r.Close()
		}
	}
	if sst != nil && !hasSST {
		w, err := zw.Create("xl/sharedStrings.xml")
		must(t, err)
		sst(w)
	}
	must(t, zw.Close())
	must(t, out.Close())
	return out.Name()
}

func sheetXML(w io.Writer, rows func(w io.Writer)) {
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	rows(w)
	io.WriteString(w, `</sheetData></worksheet>`)
}

// readThrough reads every sheet to the end, as an import does.
func readThrough(path string) error {
	wb, err := Open(path)
	if err != nil {
		return err
	}
	defer wb.Close()
	for _, s := range wb.Sheets {
		rows, err := wb.Rows(s)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// TestSmallFilesThatWouldTakeHugeMemoryAreRefused: a cell of 300 MB, a
// table of six million tiny shared strings, a sheet past Excel's rows and
// a value past the 1,000th column each get a message naming the file and
// the limit, and reading them stays far below 1 GB.
func TestSmallFilesThatWouldTakeHugeMemoryAreRefused(t *testing.T) {
	chunk := strings.Repeat("很长的内容", 10000) // 150 KB
	cases := []struct {
		name  string
		sheet func(w io.Writer)
		sst   func(w io.Writer)
		want  string
	}{
		{"one_huge_cell.xlsx", func(w io.Writer) {
			sheetXML(w, func(w io.Writer) {
				io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>`)
				for i := 0; i < 2000; i++ { // 300 MB inflated
					io.WriteString(w, chunk)
				}
				io.WriteString(w, `</t></is></c></row>`)
			})
		}, nil, "超过"},
		{"rich_text_cell.xlsx", func(w io.Writer) {
			sheetXML(w, func(w io.Writer) {
				io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is>`)
				for i := 0; i < 20; i++ { // runs of 150 KB, each under the token limit
					io.WriteString(w, `<r><t>`+chunk+`</t></r>`)
				}
				io.WriteString(w, `</is></c></row>`)
			})
		}, nil, "32767 个字符"},
		{"tiny_shared_strings.xlsx", func(w io.Writer) {
			sheetXML(w, func(w io.Writer) { io.WriteString(w, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`) })
		}, func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			for i := 0; i < 6_000_000; i++ {
				io.WriteString(w, `<si><t>a</t></si>`)
			}
			io.WriteString(w, `</sst>`)
		}, "共享字符串表超过"},
		{"too_many_rows.xlsx", func(w io.Writer) {
			sheetXML(w, func(w io.Writer) { io.WriteString(w, `<row r="1048577"><c r="A1048577"><v>1</v></c></row>`) })
		}, nil, "1048576 行"},
		{"far_right_value.xlsx", func(w io.Writer) {
			sheetXML(w, func(w io.Writer) {
				io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="ALN1"><v>5</v></c></row>`)
			})
		}, nil, "超过 1000 列"},
	}
	for _, tc := range cases {
		path := hostileXLSX(t, tc.name, tc.sheet, tc.sst)
		fi, _ := os.Stat(path)
		runtime.GC()
		err := readThrough(path)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s (%d KB): %v, want a message with %q", tc.name, fi.Size()>>10, err, tc.want)
		}
		if ms.HeapSys > 1<<30 {
			t.Errorf("%s: the heap grew to %d MB", tc.name, ms.HeapSys>>20)
		}
	}
}

// TestAStyledEmptyCellFarRightIsNotARefusal: an empty cell in column XFD
// (formatting spread over a whole row) is not data, and the file reads.
func TestAStyledEmptyCellFarRightIsNotARefusal(t *testing.T) {
	path := hostileXLSX(t, "styled.xlsx", func(w io.Writer) {
		sheetXML(w, func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="XFD1" s="3"/></row>`)
		})
	}, nil)
	if err := readThrough(path); err != nil {
		t.Fatalf("a styled empty cell in XFD: %v", err)
	}
}

// TestCSVPastTheColumnLimitIsRefused: the README's 1,000-column limit holds
// for CSV too; empty trailing columns are only trimmed.
func TestCSVPastTheColumnLimitIsRefused(t *testing.T) {
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.csv")
	cells := make([]string, 1200)
	cells[0], cells[1100] = "姓名", "x"
	os.WriteFile(wide, []byte(strings.Join(cells, ",")+"\n"), 0o644)
	if err := readThrough(wide); err == nil || !strings.Contains(err.Error(), "超过 1000 列") {
		t.Errorf("1,100 columns of CSV: %v", err)
	}
	cells[1100] = ""
	os.WriteFile(wide, []byte(strings.Join(cells, ",")+"\n"), 0o644)
	if err := readThrough(wide); err != nil {
		t.Errorf("empty columns past 1,000: %v", err)
	}
}

// TestUTF16TextIsReadOrNamed: Excel's "Unicode 文本" (UTF-16 with a byte
// order mark, tab-separated) reads like any sheet; without a mark it is
// named, not called unrecognisable.
func TestUTF16TextIsReadOrNamed(t *testing.T) {
	dir := t.TempDir()
	text := "姓名\t身份证号\r\n张三\t530428199001011231\r\n"
	u := utf16.Encode([]rune(text))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	path := filepath.Join(dir, "unicode.txt")
	must(t, os.WriteFile(path, le, 0o644))
	wb, err := Open(path)
	if err != nil {
		t.Fatalf("UTF-16LE with a BOM: %v", err)
	}
	rows, err := wb.Rows(wb.Sheets[0])
	must(t, err)
	var got [][]string
	for rows.Next() {
		got = append(got, append([]string(nil), rows.Cells()...))
	}
	wb.Close()
	if len(got) != 2 || got[1][0] != "张三" || got[1][1] != "530428199001011231" || wb.Enc != "UTF-16LE" {
		t.Errorf("read %q (%s)", got, wb.Enc)
	}
	noBOM := filepath.Join(dir, "nobom.csv")
	must(t, os.WriteFile(noBOM, le[2:], 0o644))
	if _, err := Open(noBOM); err == nil || !strings.Contains(err.Error(), "UTF-16") {
		t.Errorf("UTF-16 without a BOM: %v", err)
	}
}
