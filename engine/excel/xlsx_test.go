package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bidui/engine"
)

// readBoth reads every sheet with the fast reader and with excelize and
// renders each as lines "row: cells", so the two can be compared.
func readBoth(t *testing.T, path string) (fast, slow string, fastErr, slowErr error) {
	t.Helper()
	render := func(wb *Workbook) (string, error) {
		defer wb.Close()
		var b strings.Builder
		for _, s := range wb.Sheets {
			rows, err := wb.Rows(s)
			if err != nil {
				return b.String(), err
			}
			for rows.Next() {
				cells := rows.Cells()
				n := len(cells)
				for n > 0 && cells[n-1] == "" {
					n--
				}
				if n == 0 {
					continue // empty rows: excelize and we may differ in trailing ones
				}
				// booleans: excelize's Rows gives 1/0; we give TRUE/FALSE, as
				// xlrd and openpyxl do (TestXLSXAgreesWithOpenpyxl…)
				out := make([]string, n)
				for i, c := range cells[:n] {
					out[i] = map[string]string{"TRUE": "1", "FALSE": "0"}[c]
					if out[i] == "" {
						out[i] = c
					}
				}
				fmt.Fprintf(&b, "%s!%d: %q\n", s, rows.Line(), out)
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return b.String(), err
			}
		}
		return b.String(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", err, err
	}
	fb, err := openXLSX(path, data)
	if err != nil {
		fastErr = err
	} else if fb.fast == nil {
		fb.Close()
		fastErr = fmt.Errorf("fast reader did not open it")
	} else {
		fast, fastErr = render(fb)
	}
	sb, err := openExcelize(path, data)
	if err != nil {
		slowErr = err
	} else {
		slow, slowErr = render(sb)
	}
	return
}

func TestFastReaderAgreesWithExcelize(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xlsx"))
	// and a workbook with what the fixtures lack: inline strings, rich text,
	// entities, booleans, formulas with cached values, gaps, a hidden sheet
	dir := t.TempDir()
	rich := filepath.Join(dir, "rich.xlsx")
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "姓名")
	f.SetCellStr("Sheet1", "B1", "金额 & <备注> \"引号\" '单引号'")
	f.SetCellRichText("Sheet1", "A3", []excelize.RichTextRun{{Text: "张"}, {Text: "三", Font: &excelize.Font{Bold: true}}})
	f.SetCellBool("Sheet1", "B3", true)
	f.SetCellFloat("Sheet1", "C3", 1234.5, -1, 64)
	f.SetCellFormula("Sheet1", "D3", "C3*2")
	f.SetCellStr("Sheet1", "AA7", "远处的格子")
	f.SetCellStr("Sheet1", "A9", "  前后空格  ")
	f.SetCellStr("Sheet1", "B9", "换\n行")
	f.NewSheet("隐藏")
	f.SetCellStr("隐藏", "A1", "x")
	f.SetSheetVisible("隐藏", false)
	if err := f.SaveAs(rich); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// the streaming writer uses inline strings
	inline := filepath.Join(dir, "inline.xlsx")
	if err := WriteXLSX(inline, Sheet{Name: "清单", Rows: [][]any{{"姓名", "身份证号"}, {"李四", "53042819850505234X"}, {}, {"王五", 12.5}}}); err != nil {
		t.Fatal(err)
	}
	files = append(files, rich, inline)
	for _, path := range files {
		fast, slow, ferr, serr := readBoth(t, path)
		if (ferr == nil) != (serr == nil) && serr == nil {
			t.Errorf("%s: fast reader failed (%v) where excelize read it", filepath.Base(path), ferr)
			continue
		}
		if ferr == nil && serr == nil && fast != slow {
			t.Errorf("%s: readers disagree\n--- fast\n%s--- excelize\n%s", filepath.Base(path), fast, slow)
		}
	}
}

func TestFastReaderMarksNumbers(t *testing.T) {
	wb, err := Open(filepath.Join("testdata", "title_merged.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if wb.fast == nil {
		t.Fatal("fast reader not used")
	}
	rows, _ := wb.Rows("")
	defer rows.Close()
	for rows.Next() {
		if rows.Line() == 5 { // the ID Excel stored as a number
			num := rows.(engine.NumericSource).Numeric()
			if len(num) < 3 || !num[2] || num[1] {
				t.Errorf("row 5 numeric flags = %v", num)
			}
		}
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"a&amp;b":   "a&b",
		"&lt;x&gt;": "<x>",
		"&#20013;":  "中",
		"&#x4E2D;":  "中",
		"&bogus;":   "&bogus;",
		"a & b":     "a & b",
		"&#0;":      "&#0;",
	} {
		if got := unescape([]byte(in)); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestZipBombIsRefusedBeforeInflating: a workbook whose sheet declares
// 3 GB inflated is refused at Open with a message, before any inflating.
// (archive/zip holds a part to its declared size, so a part that lies about
// it fails as a format error instead.)
func TestZipBombIsRefusedBeforeInflating(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.xlsx")
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号"}))
	must(t, f.SaveAs(small))
	f.Close()

	bomb := filepath.Join(dir, "医保_炸弹.xlsx")
	zr, err := zip.OpenReader(small)
	must(t, err)
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range zr.File {
		h := part.FileHeader
		if strings.HasPrefix(h.Name, "xl/worksheets/") {
			h.UncompressedSize64 = 3 << 30
		}
		w, err := zw.CreateRaw(&h)
		must(t, err)
		raw, err := part.OpenRaw()
		must(t, err)
		_, err = io.Copy(w, raw)
		must(t, err)
	}
	must(t, zw.Close())
	must(t, os.WriteFile(bomb, buf.Bytes(), 0o644))

	_, err = Open(bomb)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "解压后将超过") || !strings.Contains(err.Error(), "医保_炸弹.xlsx") {
		t.Fatalf("a workbook declaring 3 GB inflated: got %v, want a refusal naming the file", err)
	}
	// the unaltered workbook opens: the refusal is about the size alone
	wb, err := Open(small)
	must(t, err)
	wb.Close()
}

// TestInflatedSizeIsSummedOverParts checks the limit with real compressed
// data: 8 MB of zeros deflate to a few KB, and two 3 MB parts pass one by
// one but not together.
func TestInflatedSizeIsSummedOverParts(t *testing.T) {
	build := func(sizes ...int) *zip.Reader {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i, n := range sizes {
			w, err := zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
			must(t, err)
			_, err = w.Write(make([]byte, n))
			must(t, err)
		}
		must(t, zw.Close())
		if buf.Len() > 100<<10 {
			t.Fatalf("test zip is %d bytes, expected a few KB", buf.Len())
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		must(t, err)
		return zr
	}
	const mb = 1 << 20
	for _, c := range []struct {
		sizes []int
		limit uint64
		ok    bool
	}{
		{[]int{8 * mb}, 16 * mb, true},
		{[]int{8 * mb}, 4 * mb, false},
		{[]int{3 * mb, 3 * mb}, 4 * mb, false},
		{[]int{3 * mb, 3 * mb}, 6 * mb, true},
	} {
		err := checkInflatedSize(build(c.sizes...), c.limit)
		if (err == nil) != c.ok {
			t.Errorf("parts %v, limit %d: err %v, want ok=%v", c.sizes, c.limit, err, c.ok)
		}
	}
}

// TestCapReaderFailsInsteadOfTruncating: a part cut at the limit must be an
// error, never a shorter sheet.
func TestCapReaderFailsInsteadOfTruncating(t *testing.T) {
	for _, c := range []struct {
		size, limit int
		ok          bool
	}{{10, 10, true}, {9, 10, true}, {11, 10, false}, {100000, 4096, false}, {0, 0, true}} {
		got, err := io.ReadAll(&capReader{r: bytes.NewReader(make([]byte, c.size)), left: int64(c.limit)})
		switch {
		case c.ok && (err != nil || len(got) != c.size):
			t.Errorf("size %d limit %d: read %d, err %v; want all of it", c.size, c.limit, len(got), err)
		case !c.ok && !errors.Is(err, errTooBig):
			t.Errorf("size %d limit %d: read %d, err %v; want errTooBig", c.size, c.limit, len(got), err)
		}
	}
}
