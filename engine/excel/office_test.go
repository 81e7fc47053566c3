package excel

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWorkbooksAreOfficeReady opens what the writer wrote, as excelize
// reads any workbook: the header frozen and filtered, numbers stored as
// numbers, widths set, landscape fitted to the page width, and the title
// and header rows repeated on printed pages — for the streamed sheet and
// for the one with drop-downs.
func TestWorkbooksAreOfficeReady(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xlsx")
	rows := [][]any{{"青山县月报表"}, {"统计日期：2026-11-30"}, {"乡镇", "线索", "办结率(%)"}, {"城关镇", 12, 91.7}, {"龙泉镇", 3, 100.0, strings.Repeat("户主长期患病卧床，家中无劳动力。", 6)}}
	style := map[int]RowStyle{0: StyleTitle, 1: StyleNote, 2: StyleHeader}
	rows[2] = append(rows[2], "情况摘要")
	err := WriteXLSX(path, Sheet{Name: "按乡镇", Rows: rows, Styles: style, Merges: [][2]string{{"A1", "C1"}}},
		Sheet{Name: "交办单", Rows: rows, Styles: style, Lists: map[int][]string{1: {"是", "否"}}, HeaderRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := map[string]bool{}
	for _, d := range f.GetDefinedName() {
		names[d.Name+"@"+d.Scope+"="+d.RefersTo] = true
	}
	for _, sheet := range []string{"按乡镇", "交办单"} {
		p, err := f.GetPanes(sheet)
		if err != nil || !p.Freeze || p.YSplit != 3 || p.TopLeftCell != "A4" {
			t.Errorf("%s: panes %+v %v, want frozen below row 3", sheet, p, err)
		}
		if !names["_xlnm._FilterDatabase@"+sheet+"="+"'"+sheet+"'!$A$3:$D$5"] {
			t.Errorf("%s: no filter on the header row: %v", sheet, names)
		}
		if !names["_xlnm.Print_Titles@"+sheet+"="+"'"+sheet+"'!$1:$3"] {
			t.Errorf("%s: title and header rows not repeated on printed pages: %v", sheet, names)
		}
		lay, err := f.GetPageLayout(sheet)
		if err != nil || lay.Orientation == nil || *lay.Orientation != "landscape" || lay.FitToWidth == nil || *lay.FitToWidth != 1 ||
			lay.FitToHeight == nil || *lay.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v %v", sheet, lay, err)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page", sheet)
		}
		if typ, _ := f.GetCellType(sheet, "C4"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s: the rate is stored as text", sheet)
		}
		if st, _ := f.GetCellStyle(sheet, "D5"); st == 0 {
			t.Errorf("%s: the long text in D5 does not wrap in its column", sheet)
		} else if s, _ := f.GetStyle(st); s.Alignment == nil || !s.Alignment.WrapText {
			t.Errorf("%s: D5's style does not wrap: %+v", sheet, s.Alignment)
		}
		if w, _ := f.GetColWidth(sheet, "A"); w < 8 {
			t.Errorf("%s: column A is %.1f wide, too narrow for 城关镇", sheet, w)
		}
	}
}
