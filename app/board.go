package app

import (
	"fmt"
	"time"

	"bidui/engine"
	"bidui/engine/excel"
)

// BoardEntry is one department list on the submission board of a period.
type BoardEntry struct {
	Dept      string
	List      string
	Submitted bool
	At        time.Time
	File      string
	Import    int
	Versions  int // imports of this list in the period, the current one included
	Rows      int
	Valid     int
	Invalid   int
	Late      bool // submitted after the due date
	Overdue   bool // not submitted and the due date has passed
	Status    string
}

// Board is the submission board of a period.
type Board struct {
	Period  string
	Due     string // YYYY-MM-DD
	Entries []BoardEntry
	Stale   string // why the period's comparison is out of date, "" when it is not
}

// DueDate is the day the departments' lists for period are due.
func DueDate(period string, s engine.Settings) (time.Time, error) {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return time.Time{}, err
	}
	if s.DueNextMonth {
		m = m.Add(1)
	}
	day := s.DueDay
	if day < 1 {
		day = 25
	}
	if last := m.Last().Day(); day > last {
		day = last
	}
	return m.Day(day, 23, 59, time.Local).Add(59 * time.Second), nil
}

// Board returns, for every department list in the catalog, whether and when
// it was submitted for the period, with its counts; late and missing lists
// are flagged against the due date.
func (a *App) Board(period string) (*Board, error) {
	s := a.Settings()
	due, err := DueDate(period, s)
	if err != nil {
		return nil, err
	}
	imports, err := a.db.ListImports(period)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	b := &Board{Period: period, Due: due.Format("2006-01-02")}
	if b.Stale, err = a.StaleComparison(period); err != nil {
		return nil, err
	}
	for _, d := range a.Catalog.Departments {
		for _, l := range d.Lists {
			e := BoardEntry{Dept: d.Name, List: l.Name}
			for _, im := range imports {
				if im.Dept != d.Name || im.List != l.Name {
					continue
				}
				e.Versions++
				if im.Current() {
					e.Submitted, e.At, e.File, e.Import = true, im.At, im.File, im.Seq
					e.Rows, e.Valid, e.Invalid = im.Rows, im.Valid, im.Invalid
				}
			}
			switch {
			case e.Submitted && e.At.After(due):
				e.Late, e.Status = true, "逾期报送"
			case e.Submitted:
				e.Status = "已报送"
			case now.After(due):
				e.Overdue, e.Status = true, "未报送（已逾期）"
			default:
				e.Status = "未报送"
			}
			b.Entries = append(b.Entries, e)
		}
	}
	return b, nil
}

// ExportBoard writes the board as an xlsx for the bulletin.
func (a *App) ExportBoard(period, path string) error {
	b, err := a.Board(period)
	if err != nil {
		return err
	}
	s := a.Settings()
	rows := [][]any{
		{fmt.Sprintf("%s %s 部门数据报送情况", s.CountyName, periodTitle(period))},
		{fmt.Sprintf("报送截止日期：%s　　导出时间：%s　　内部资料 注意保密", b.Due, a.Now().Format("2006-01-02 15:04"))},
		{"序号", "部门", "清单", "状态", "报送时间", "文件", "数据行", "有效", "有问题", "版本数"},
	}
	submitted := 0
	for i, e := range b.Entries {
		at := ""
		if e.Submitted {
			at = e.At.Format("2006-01-02 15:04")
			submitted++
		}
		rows = append(rows, []any{i + 1, e.Dept, e.List, e.Status, at, e.File, e.Rows, e.Valid, e.Invalid, e.Versions})
	}
	rows = append(rows, []any{"", fmt.Sprintf("共 %d 类清单，已报送 %d 类，未报送 %d 类", len(b.Entries), submitted, len(b.Entries)-submitted)})
	return excel.WriteXLSX(path, excel.Sheet{Name: "报送情况", Rows: rows,
		Merges: [][2]string{{"A1", "J1"}, {"A2", "J2"}},
		Widths: map[int]float64{0: 6, 1: 14, 2: 12, 3: 16, 4: 18, 5: 36, 6: 9, 7: 9, 8: 9, 9: 8},
		Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}})
}

func periodTitle(period string) string {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return period
	}
	return m.Title()
}

// ExportReturnList writes the 退回部门核实清单 of an import: its problem rows
// with the original cells, the reason for each, IDs as text.
func (a *App) ExportReturnList(seq int, path string) (int, error) {
	im, err := a.db.ListImport(seq)
	if err != nil {
		return 0, err
	}
	rows, err := a.db.ListRows(seq)
	if err != nil {
		return 0, err
	}
	s := a.Settings()
	header := []any{"原表行号"}
	for _, h := range im.Header {
		header = append(header, h)
	}
	header = append(header, "问题说明")
	out := [][]any{
		{fmt.Sprintf("%s%s %s%s清单 退回核实清单", s.CountyName, im.Dept, periodTitle(im.Period), im.List)},
		{fmt.Sprintf("原文件：%s（工作表「%s」）　共 %d 行数据，其中 %d 行有问题，请逐行核实后重新报送。　内部资料 注意保密", im.File, im.Sheet, im.Rows, im.Invalid)},
		header,
	}
	n := 0
	for _, r := range rows {
		if r.Valid() {
			continue
		}
		line := []any{r.Line}
		for i := range im.Header {
			c := ""
			if i < len(r.Cells) {
				c = r.Cells[i]
			}
			line = append(line, c) // strings: written as text, IDs stay whole
		}
		line = append(line, r.Problem)
		out = append(out, line)
		n++
	}
	last := excel.ColumnName(len(header) - 1)
	widths := map[int]float64{0: 9, len(header) - 1: 50}
	for i, h := range im.Header {
		w := float64(len([]rune(h)))*2 + 4
		if col, ok := im.Columns["id"]; ok && col == i {
			w = 22
		}
		widths[i+1] = w
	}
	err = excel.WriteXLSX(path, excel.Sheet{Name: "退回核实", Rows: out, Merges: [][2]string{{"A1", last + "1"}, {"A2", last + "2"}},
		Widths: widths, Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}})
	return n, err
}
