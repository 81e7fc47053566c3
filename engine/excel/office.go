package excel

import (
	"fmt"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Every workbook bidui writes is ready for the office: the header row
// frozen and filtered, readable column widths, and a print set-up —
// landscape A4, fitted to the page width, the title and header rows
// repeated on every page — so that it prints as it looks.

// headerRow is the index of the sheet's header row: the last row styled as
// a header among the first rows, else the row before HeaderRows; -1 when
// the sheet has none.
func (s *Sheet) headerRow() int {
	h := -1
	for r := 0; r < len(s.Rows) && r < 8; r++ {
		if s.Styles[r] == StyleHeader {
			h = r
		}
	}
	if h < 0 && s.HeaderRows > 0 && s.HeaderRows <= len(s.Rows) {
		h = s.HeaderRows - 1
	}
	return h
}

// width is how many columns the sheet's widest row has.
func (s *Sheet) width() int {
	n := 0
	for _, r := range s.Rows {
		if len(r) > n {
			n = len(r)
		}
	}
	return n
}

// panes freezes the rows down to the header.
func (s *Sheet) panes() *excelize.Panes {
	h := s.headerRow()
	if h < 0 || h+1 >= len(s.Rows) {
		return nil
	}
	top, _ := excelize.CoordinatesToCellName(1, h+2)
	return &excelize.Panes{Freeze: true, YSplit: h + 1, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}
}

// autoWidths estimates a width for every column the sheet does not set:
// the longest cell below the titles (a Chinese character counts two), kept
// between 6 and 50.
func (s *Sheet) autoWidths() map[int]float64 {
	out := map[int]float64{}
	for c, w := range s.Widths {
		out[c] = w
	}
	from := s.headerRow()
	if from < 0 {
		from = 0
	}
	longest := map[int]int{}
	for r := from; r < len(s.Rows); r++ {
		if st := s.Styles[r]; st == StyleTitle || st == StyleNote {
			continue
		}
		for c, v := range s.Rows[r] {
			if n := displayWidth(fmt.Sprint(v)); n > longest[c] {
				longest[c] = n
			}
		}
	}
	for c := 0; c < s.width(); c++ {
		if _, set := out[c]; set {
			continue
		}
		w := float64(longest[c] + 2)
		out[c] = min(max(w, 6), 50)
	}
	return out
}

// displayWidth is a text's width in Excel's character units: a wide
// (Chinese) character counts two.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if r >= 0x1100 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// fitToPage marks the sheet to be printed fitted to the page; a stream
// writer needs it before its first row.
func fitToPage(f *excelize.File, name string) error {
	yes := true
	return f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes})
}

// officeSetup adds the filter on the header row and the print set-up. It
// runs before a stream writer's Flush, which writes them out.
func officeSetup(f *excelize.File, name string, s *Sheet) error {
	h, cols := s.headerRow(), s.width()
	if h >= 0 && cols > 0 && h+1 < len(s.Rows) {
		first, _ := excelize.CoordinatesToCellName(1, h+1)
		last, _ := excelize.CoordinatesToCellName(cols, len(s.Rows))
		if err := f.AutoFilter(name, first+":"+last, nil); err != nil {
			return err
		}
	}
	if err := fitToPage(f, name); err != nil { // the filter replaced the sheet's properties
		return err
	}
	landscape, fit, free, a4 := "landscape", 1, 0, 9
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &fit, FitToHeight: &free, Size: &a4}); err != nil {
		return err
	}
	margin := 0.4
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin}); err != nil {
		return err
	}
	if h >= 0 {
		return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", name, h+1), Scope: name})
	}
	return nil
}

// wrapColumns are the columns with a data cell wider than the column: their
// text wraps within the column, so it neither spills over nor widens what
// is printed.
func (s *Sheet) wrapColumns(widths map[int]float64) map[int]bool {
	out := map[int]bool{}
	for r := s.headerRow() + 1; r < len(s.Rows); r++ {
		if s.Styles[r] != StyleNormal {
			continue
		}
		for c, v := range s.Rows[r] {
			if !out[c] {
				if str, ok := v.(string); ok && float64(displayWidth(str)) > widths[c] {
					out[c] = true
				}
			}
		}
	}
	return out
}

// rowHeight is the height in points a data row needs for its wrapped text
// (15 a line), or 0 when one line does: spreadsheet programs do not all
// grow a row for wrapped text on opening.
func (s *Sheet) rowHeight(r int, wrap map[int]bool, widths map[int]float64) float64 {
	if len(wrap) == 0 || s.Styles[r] != StyleNormal {
		return 0
	}
	lines := 1
	for c, v := range s.Rows[r] {
		if str, ok := v.(string); ok && wrap[c] && widths[c] > 0 {
			lines = max(lines, int(float64(displayWidth(str))/(widths[c]-1))+1)
		}
	}
	if lines == 1 {
		return 0
	}
	return min(float64(lines)*15, 409)
}
