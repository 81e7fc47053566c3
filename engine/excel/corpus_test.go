package excel

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusDir is ../shared/corpus/peer beside the repository: other
// projects' test files with what xlrd and openpyxl see in them.
func corpusDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus", "peer")
}

type expected struct {
	Sheet string     `json:"sheet"`
	Rows  [][]string `json:"rows"`
	Error string     `json:"error"`
}

// sameCell compares a cell as bidui reads it with the reference reader's
// text: numbers with a small tolerance (float noise), text exactly.
func sameCell(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 == nil && err2 == nil {
		return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
	}
	return false
}

// firstSheetCells reads the first visible sheet as bidui does.
func firstSheetCells(path string) ([][]string, string, error) {
	wb, err := Open(path)
	if err != nil {
		return nil, "", err
	}
	defer wb.Close()
	rows, err := wb.Rows(wb.Sheets[0])
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		out = append(out, append([]string(nil), rows.Cells()...))
	}
	return out, wb.Sheets[0], rows.Err()
}

// corpusAgreement compares bidui's reading of every file of the given
// extensions with the reference readers'.
//
// Where the reference reader keeps Excel's _xHHHH_ escape as text (openpyxl
// shows "ABC_x000D_" for a carriage return) bidui decodes it, as Excel
// does when it shows the cell: those cells count as agreeing and are
// listed in right.
func corpusAgreement(t *testing.T, exts ...string) (agree, total int, refused, right []string, diffs map[string]int) {
	dir := corpusDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "EXPECTED.json"))
	if err != nil {
		t.Fatalf("the corpus is not beside the repository (%v): it comes with the project's shared folder", err)
	}
	var exp map[string]expected
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatal(err)
	}
	diffs = map[string]int{}
	names := make([]string, 0, len(exp))
	for n := range exp {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		e := exp[name]
		ok := false
		for _, x := range exts {
			ok = ok || strings.HasSuffix(name, "."+x)
		}
		if !ok || e.Error != "" {
			continue
		}
		got, _, err := firstSheetCells(filepath.Join(dir, name))
		if err != nil {
			refused = append(refused, name+": "+err.Error())
		}
		for r, row := range e.Rows {
			for c, want := range row {
				if want == "" {
					continue
				}
				total++
				g := ""
				if r < len(got) && c < len(got[r]) {
					g = got[r][c]
				}
				switch {
				case sameCell(g, want):
					agree++
				case strings.Contains(want, "_x") && g == cleanText(want):
					agree++
					right = append(right, fmt.Sprintf("%s 第%d行第%d列：openpyxl %q，bidui %q", name, r+1, c+1, want, g))
				default:
					diffs[name]++
				}
			}
		}
	}
	return
}

// TestXLSXAgreesWithOpenpyxlOnOtherProjectsFiles: on the .xlsx and .xlsm
// test files of other projects, bidui reads at least 99.9% of the non-empty
// cells openpyxl reads, and refuses none of the files openpyxl opens.
func TestXLSXAgreesWithOpenpyxlOnOtherProjectsFiles(t *testing.T) {
	right := checkAgreement(t, "xlsx/xlsm", "xlsx", "xlsm")
	for _, r := range right {
		t.Logf("bidui decodes the escape openpyxl keeps: %s", r)
	}
	if len(right) == 0 {
		t.Error("the _x000D_ files of the corpus were not compared")
	}
}

// checkAgreement asserts at least 99.9% of the non-empty cells agree and
// no file is refused; it returns the cells where bidui is right.
func checkAgreement(t *testing.T, what string, exts ...string) []string {
	agree, total, refused, right, diffs := corpusAgreement(t, exts...)
	t.Logf("%s: %d of %d non-empty cells agree (%.3f%%)", what, agree, total, 100*float64(agree)/float64(total))
	for name, n := range diffs {
		t.Logf("  %s: %d cells differ", name, n)
	}
	for _, r := range refused {
		t.Errorf("refused: %s", r)
	}
	if total < 10000 || float64(agree) < 0.999*float64(total) {
		t.Errorf("agreement %.3f%% of %d cells is under 99.9%%", 100*float64(agree)/float64(total), total)
	}
	return right
}

// TestODSAndXLSBAreNamed: every .ods and .xlsb of the corpus is refused
// with a message that names its format and says how to convert it.
func TestODSAndXLSBAreNamed(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), "*", "*", "*"))
	more, _ := filepath.Glob(filepath.Join(corpusDir(t), "*", "*", "*", "*", "*", "*"))
	n := 0
	for _, f := range append(files, more...) {
		want := map[string]string{".ods": ".ods", ".xlsb": ".xlsb"}[filepath.Ext(f)]
		if want == "" {
			continue
		}
		n++
		_, err := Open(f)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "另存为") {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	if n < 20 {
		t.Errorf("only %d .ods and .xlsb files found", n)
	}
}

// TestXLSAgreesWithXlrdOnOtherProjectsFiles: on the .xls test files of
// other projects, bidui reads at least 99.9% of the non-empty cells xlrd
// reads, and refuses none of the files xlrd opens.
func TestXLSAgreesWithXlrdOnOtherProjectsFiles(t *testing.T) { checkAgreement(t, "xls", "xls") }

// TestCorpusEdgeCasesOneByOne names what each edge-case file of the corpus
// is there for: an ID in CDATA, a name with Excel's _x000D_ escape, a styled
// empty cell in column XFD, a shared string with an empty value, CRLF line
// ends, a chartsheet first.
func TestCorpusEdgeCasesOneByOne(t *testing.T) {
	dir := corpusDir(t)
	cell := func(file string, r, c int) string {
		rows, _, err := firstSheetCells(filepath.Join(dir, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if r < len(rows) && c < len(rows[r]) {
			return rows[r][c]
		}
		return ""
	}
	if got := cell("derived/cdata_id.xlsx", 1, 1); got != "130683199101251313" {
		t.Errorf("ID in CDATA: %q", got)
	}
	if got := cell("derived/x000d_name.xlsx", 1, 0); got != "王帅\n" {
		t.Errorf("_x000D_ in a name: %q", got)
	}
	if _, _, err := firstSheetCells(filepath.Join(dir, "derived/xfd_styled.xlsx")); err != nil {
		t.Errorf("a styled cell in XFD: %v", err)
	}
	if _, _, err := firstSheetCells(filepath.Join(dir, "calamine/tests/empty_shared_string_value.xlsx")); err != nil {
		t.Errorf("an empty shared-string value: %v", err)
	}
	if got := cell("calamine/tests/richtext-namespaced.xlsx", 0, 0); strings.Contains(got, "\r") {
		t.Errorf("CRLF kept: %q", got)
	}
	if _, sheet, _ := firstSheetCells(filepath.Join(dir, "tealeg/testdocs/testchartsheet.xlsx")); sheet != "Sheet1" {
		t.Errorf("a chartsheet was taken for the first sheet: %q", sheet)
	}
}
