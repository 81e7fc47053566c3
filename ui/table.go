package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"bidui/engine"
)

// dataTable is a table as an office expects one: a header row whose titles
// sort the rows when clicked (again: the other way), the first column
// frozen while scrolling sideways, and the rows as shown exportable. Its
// cells are truncating labels of one height, smooth at hundreds of
// thousands of rows. Row numbers given to OnSelected are rows as shown:
// Data turns them into the caller's.
type dataTable struct {
	*widget.Table
	cols    []column
	rows    func() int
	update  func(row, col int, l *widget.Label)
	order   []int // shown row → the caller's row; nil while unsorted
	sortCol int   // -1: unsorted
	desc    bool
}

// newDataTable makes a table; update fills the label of the caller's row
// and column, rows says how many rows there are now.
func newDataTable(cols []column, rows func() int, update func(row, col int, l *widget.Label)) *dataTable {
	t := &dataTable{cols: cols, rows: rows, update: update, sortCol: -1}
	t.Table = widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			active() // cells are drawn as the officer scrolls
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			if id.Row >= rows() || id.Col >= len(cols) {
				l.SetText("")
				return
			}
			update(t.Data(id.Row), id.Col, l)
		})
	t.ShowHeaderColumn = false
	t.StickyColumnCount = 1
	t.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col < 0 || id.Col >= len(cols) {
			return
		}
		b := o.(*widget.Button)
		b.SetText(t.headerText(id.Col))
		col := id.Col
		b.OnTapped = func() { t.SortBy(col) }
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// headerText is a column's title with the sort mark.
func (t *dataTable) headerText(col int) string {
	if col != t.sortCol {
		return t.cols[col].title
	}
	if t.desc {
		return t.cols[col].title + " ▼"
	}
	return t.cols[col].title + " ▲"
}

// Data is the caller's row shown at row r.
func (t *dataTable) Data(r int) int {
	if t.order != nil && r < len(t.order) {
		return t.order[r]
	}
	return r
}

// SortBy sorts the rows by a column, numbers as numbers; the same column
// again sorts the other way.
func (t *dataTable) SortBy(col int) {
	if col == t.sortCol {
		t.desc = !t.desc
	} else {
		t.sortCol, t.desc = col, false
	}
	t.resort()
	t.UnselectAll()
	t.Table.Refresh()
}

// Refresh shows the rows anew, kept in the chosen order.
func (t *dataTable) Refresh() {
	if t.sortCol >= 0 {
		t.resort()
	}
	t.Table.Refresh()
}

func (t *dataTable) resort() {
	n := t.rows()
	keys := make([]string, n)
	for i := range keys {
		keys[i] = t.text(i, t.sortCol)
	}
	t.order = make([]int, n)
	for i := range t.order {
		t.order[i] = i
	}
	sort.SliceStable(t.order, func(a, b int) bool {
		if t.desc {
			return lessText(keys[t.order[b]], keys[t.order[a]])
		}
		return lessText(keys[t.order[a]], keys[t.order[b]])
	})
}

// scratch is the label a cell's text is read through.
var scratch = widget.NewLabel("")

// text is what the caller's row shows in a column.
func (t *dataTable) text(row, col int) string {
	scratch.Text = ""
	t.update(row, col, scratch)
	return scratch.Text
}

// lessText orders two cells: numbers (with 千位 commas, %, 元) by value
// before texts, texts as strings.
func lessText(a, b string) bool {
	x, okA := engine.PlainNumber(a)
	y, okB := engine.PlainNumber(b)
	switch {
	case okA && okB:
		return x < y
	case okA != okB:
		return okA
	}
	return a < b
}

// View is the table as shown: the titles, then every row in the order
// shown, each cell's full text.
func (t *dataTable) View() [][]string {
	out := [][]string{make([]string, len(t.cols))}
	for i, c := range t.cols {
		out[0][i] = c.title
	}
	for r := 0; r < t.rows(); r++ {
		row := make([]string, len(t.cols))
		for c := range t.cols {
			row[c] = t.text(t.Data(r), c)
		}
		out = append(out, row)
	}
	return out
}

// exportView asks where to save what a table shows, as the officer sorted
// and filtered it.
func (m *mainWindow) exportView(name, title string, t *dataTable, status func(string)) {
	view := t.View()
	m.saveXLSX(name, func(path string) error { return m.app.ExportTable(path, title, view) },
		func(path string) { status(fmt.Sprintf("已导出当前视图（%d 行）：%s", len(view)-1, path)) })
}
