package excel

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bidui/engine/files"
)

// Sheet is one worksheet to write. A string cell is written as text (so an
// ID number stays an ID number), a number as a number.
type Sheet struct {
	Name   string
	Rows   [][]any
	Merges [][2]string      // cell ranges to merge, e.g. {"A1", "H1"}
	Widths map[int]float64  // column index → width in characters
	Styles map[int]RowStyle // row index → style
	// Lists adds drop-down validations: column index → allowed values, for
	// the rows after HeaderRows.
	Lists      map[int][]string
	HeaderRows int
}

// RowStyle marks rows such as titles and headers.
type RowStyle int

const (
	StyleNormal RowStyle = iota
	StyleTitle
	StyleHeader
	StyleNote
	styleWrap // a data cell of a column whose text is wider than the column
)

// WriteXLSX writes the sheets to path atomically: to a temporary file in the
// same folder, then renamed over the target, so a failure never leaves a
// half-written file behind.
func WriteXLSX(path string, sheets ...Sheet) (err error) {
	f := excelize.NewFile()
	defer f.Close()
	styles, err := makeStyles(f)
	if err != nil {
		return err
	}
	for i, s := range sheets {
		name := safeSheetName(s.Name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := fitToPage(f, name); err != nil { // before a stream writer starts the sheet
			return err
		}
		if len(s.Lists) > 0 {
			// drop-downs need the ordinary writer; such sheets are small
			if err := writeSheetDirect(f, name, s, styles); err != nil {
				return err
			}
		} else if err := writeSheetStream(f, name, s, styles); err != nil {
			return err
		}
		for col, values := range s.Lists {
			dv := excelize.NewDataValidation(true)
			c := ColumnName(col)
			dv.Sqref = fmt.Sprintf("%s%d:%s%d", c, s.HeaderRows+1, c, s.HeaderRows+5000)
			if err := dv.SetDropList(values); err != nil {
				return err
			}
			if err := f.AddDataValidation(name, dv); err != nil {
				return err
			}
		}
	}
	return files.AtomicWrite(path, func(tmp string) error { return f.SaveAs(tmp) })
}

func writeSheetStream(f *excelize.File, name string, s Sheet, styles map[RowStyle]int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if p := s.panes(); p != nil {
		if err := sw.SetPanes(p); err != nil {
			return err
		}
	}
	widths := s.autoWidths()
	for col, w := range widths {
		if err := sw.SetColWidth(col+1, col+1, w); err != nil {
			return err
		}
	}
	wrap := s.wrapColumns(widths)
	for r, row := range s.Rows {
		cells := make([]any, len(row))
		st := styles[s.Styles[r]]
		for c, v := range row {
			switch {
			case st != 0:
				cells[c] = excelize.Cell{StyleID: st, Value: v}
			case wrap[c] && s.Styles[r] == StyleNormal:
				cells[c] = excelize.Cell{StyleID: styles[styleWrap], Value: v}
			default:
				cells[c] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		var opts []excelize.RowOpts
		if h := s.rowHeight(r, wrap, widths); h > 0 {
			opts = append(opts, excelize.RowOpts{Height: h})
		}
		if err := sw.SetRow(cell, cells, opts...); err != nil {
			return err
		}
	}
	for _, m := range s.Merges {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	if err := officeSetup(f, name, &s); err != nil {
		return err
	}
	return sw.Flush()
}

func writeSheetDirect(f *excelize.File, name string, s Sheet, styles map[RowStyle]int) error {
	if p := s.panes(); p != nil {
		if err := f.SetPanes(name, p); err != nil {
			return err
		}
	}
	widths := s.autoWidths()
	for col, w := range widths {
		c := ColumnName(col)
		if err := f.SetColWidth(name, c, c, w); err != nil {
			return err
		}
	}
	wrap := s.wrapColumns(widths)
	for r, row := range s.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		vals := make([]any, len(row))
		copy(vals, row)
		if err := f.SetSheetRow(name, cell, &vals); err != nil {
			return err
		}
		if h := s.rowHeight(r, wrap, widths); h > 0 {
			if err := f.SetRowHeight(name, r+1, h); err != nil {
				return err
			}
		}
		for c := range row {
			if wrap[c] && s.Styles[r] == StyleNormal {
				at, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStyle(name, at, at, styles[styleWrap]); err != nil {
					return err
				}
			}
		}
		if st := styles[s.Styles[r]]; st != 0 && len(row) > 0 {
			end, _ := excelize.CoordinatesToCellName(len(row), r+1)
			if err := f.SetCellStyle(name, cell, end, st); err != nil {
				return err
			}
		}
	}
	for _, m := range s.Merges {
		if err := f.MergeCell(name, m[0], m[1]); err != nil {
			return err
		}
	}
	return officeSetup(f, name, &s)
}

func makeStyles(f *excelize.File) (map[RowStyle]int, error) {
	out := map[RowStyle]int{}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return nil, err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border: []excelize.Border{{Type: "left", Style: 1, Color: "999999"}, {Type: "right", Style: 1, Color: "999999"},
			{Type: "top", Style: 1, Color: "999999"}, {Type: "bottom", Style: 1, Color: "999999"}}})
	if err != nil {
		return nil, err
	}
	note, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "666666"}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	out[StyleTitle], out[StyleHeader], out[StyleNote], out[styleWrap] = title, header, note, wrap
	return out, nil
}

func safeSheetName(s string) string {
	s = strings.NewReplacer(":", "：", "\\", "", "/", "／", "?", "？", "*", "", "[", "【", "]", "】").Replace(s)
	if s == "" {
		s = "Sheet1"
	}
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

// CSVEncoding is how a CSV file is written.
type CSVEncoding int

const (
	CSVUTF8BOM CSVEncoding = iota // what Excel opens correctly
	CSVUTF8
	CSVGBK // GB18030, the superset of GBK that Chinese Windows writes
)

// WriteCSV writes rows as CSV atomically.
func WriteCSV(path string, rows [][]string, enc CSVEncoding) error {
	var buf bytes.Buffer
	if enc == CSVUTF8BOM {
		buf.Write([]byte{0xEF, 0xBB, 0xBF})
	}
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	data := buf.Bytes()
	if enc == CSVGBK {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			return fmt.Errorf("有字符无法用 GBK 编码保存：%w", err)
		}
	}
	return files.AtomicWrite(path, func(tmp string) error { return os.WriteFile(tmp, data, 0o644) })
}

// AtomicWrite is files.AtomicWrite, kept here for the callers of this package.
func AtomicWrite(path string, write func(tmp string) error) error {
	return files.AtomicWrite(path, write)
}
