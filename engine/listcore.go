package engine

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The pure core of a department-list import: the officer's column mapping,
// reading a sheet's rows into a checked list, and the decisions made from
// the earlier imports (the same file again, another month named, the
// version it replaces). The import use case reads the file once and calls
// these; nothing here touches a file or the store.

// Mapping is the officer's column choices for a list: remembered from an
// earlier file by header text, and confirmed in this file's preview by
// column index (-1: the field has no column).
type Mapping struct {
	ByText  map[string]string // field key → normalized header text
	ByIndex map[string]int    // field key → column index
}

// Adjust returns the header adjustment for the mapping, nil when it is empty.
// A column serves one field: a column given to a field is taken from the
// field that had it.
func (m Mapping) Adjust() func(h *Header) {
	if len(m.ByText) == 0 && len(m.ByIndex) == 0 {
		return nil
	}
	return func(h *Header) {
		set := func(key string, col int) {
			for k, c := range h.Columns {
				if c == col && k != key {
					delete(h.Columns, k)
				}
			}
			h.Columns[key] = col
		}
		for key, text := range m.ByText {
			for i, n := range h.Names {
				if NormalizeHeader(n) == text {
					set(key, i)
					break
				}
			}
		}
		for key, col := range m.ByIndex {
			if col < 0 {
				delete(h.Columns, key)
			} else if col < len(h.Names) {
				set(key, col)
			}
		}
	}
}

// RememberMapping is what to remember of a confirmed header for the
// department's next file: each field's column by its header text.
func RememberMapping(h Header) map[string]string {
	out := map[string]string{}
	for key, col := range h.Columns {
		if col < len(h.Names) {
			out[key] = NormalizeHeader(h.Names[col])
		}
	}
	return out
}

// ListRead is one sheet read as a department list: its header, the rows
// checked and kept, and what was skipped around them.
type ListRead struct {
	*ListBuilder
	Sheet  string
	Header Header
	Stats  TableStats
}

// ErrStopped is returned by ReadList when tick asked it to stop.
var ErrStopped = errors.New("stopped")

// ReadList reads one sheet's rows as a list of type l. tick, when not nil,
// is handed the rows kept so far every 5,000 rows (they do not change
// afterwards: rows are only appended); an error from it stops the read (the
// caller's cancel) and ReadList returns ErrStopped.
func ReadList(src RowSource, l *ListType, file, sheet string, m Mapping, tick func(kept []DeptRow) error) (*ListRead, error) {
	lr := &ListRead{ListBuilder: NewListBuilder(l, file, sheet), Sheet: sheet}
	lr.reserve(rowsHint(src))
	n := 0
	var err error
	lr.Header, lr.Stats, err = ReadTable(src, file, sheet, l.Fields(), m.Adjust(), func(h *Header, r TableRow) error {
		if n++; n == estimateAfter {
			lr.reserve(rowsHint(src)) // a sheet without its dimension says by now how long it is
		}
		lr.Add(h, r)
		if n%5000 == 0 && tick != nil {
			if tick(lr.Rows) != nil {
				return ErrStopped
			}
		}
		return nil
	})
	return lr, err
}

// estimateAfter is the data row at which ReadList asks the source again
// how many rows it holds: a source that could not say before the first row
// (an .xlsx written without its dimension) estimates it from the bytes read.
const estimateAfter = 1024

// RowCount is how many data rows the read kept: valid + invalid.
func (lr *ListRead) RowCount() int { return lr.Valid + lr.Invalid }

// WrongList says, for a header that does not fit list dept·list, which
// lists of the catalog it fits instead (the officer picked the wrong
// department), or returns err unchanged.
func (c *Catalog) WrongList(err error, h Header, dept, list string) error {
	guess := c.GuessList(h.Names)
	if len(h.Names) == 0 || len(guess) == 0 || slices.Contains(guess, dept+"·"+list) {
		return err
	}
	return fmt.Errorf("%w。这个文件的表头更像是 %s 的清单，是否选错了部门？", err, strings.Join(guess, "、"))
}

// NewImport describes a file about to be imported as period·dept·list.
type NewImport struct {
	Period, Dept, List, File, Hash string
	Titles                         [][]string // the sheet's title rows, for the month they name
}

// ImportCheck is what an import must confirm before it is written, and
// which imports of the same list and period it replaces.
type ImportCheck struct {
	Confirm   []string // reasons to ask the officer first
	Supersede []int    // current imports of the same period·dept·list
}

// CheckImport decides, from every earlier import, what importing n must
// confirm first (the same file imported before, here or as another list;
// a file name or title naming another month) and what it replaces.
func CheckImport(earlier []ListImport, n NewImport) ImportCheck {
	var c ImportCheck
	same := func(old *ListImport) bool { return old.Period == n.Period && old.Dept == n.Dept && old.List == n.List }
	for i := range earlier {
		old := &earlier[i]
		if old.Hash == n.Hash {
			if same(old) {
				c.Confirm = append(c.Confirm, fmt.Sprintf("这个文件已于 %s 导入过（第%d次导入）", old.At.Format("2006-01-02 15:04"), old.Seq))
			} else {
				c.Confirm = append(c.Confirm, fmt.Sprintf("这个文件已作为 %s 批次 %s·%s 导入过（第%d次导入），可能选错了文件", old.Period, old.Dept, old.List, old.Seq))
			}
		}
		if old.Current() && same(old) {
			c.Supersede = append(c.Supersede, old.Seq)
		}
	}
	texts := []string{n.File}
	for _, row := range n.Titles {
		texts = append(texts, strings.Join(row, " "))
	}
	if hints := PeriodHints(texts...); len(hints) > 0 && !slices.Contains(hints, n.Period) {
		c.Confirm = append(c.Confirm, fmt.Sprintf("文件名或标题写的是 %s，与所选批次 %s 不一致", strings.Join(hints, "、"), n.Period))
	}
	return c
}

// Warnings are the notes an import carries once it goes ahead: what the
// officer confirmed (force) and the versions it replaced.
func (c ImportCheck) Warnings(force bool) []string {
	var w []string
	if force {
		w = append(w, c.Confirm...)
	}
	if len(c.Supersede) > 0 {
		s := make([]string, len(c.Supersede))
		for i, n := range c.Supersede {
			s[i] = strconv.Itoa(n)
		}
		w = append(w, fmt.Sprintf("替换了本批次此前导入的版本（第%s次导入），旧版本保留在历史中", strings.Join(s, "、")))
	}
	return w
}

// Record is the import's record, ready to store with its rows.
func (lr *ListRead) Record(n NewImport, at time.Time, operator string, warnings []string) ListImport {
	issues := lr.Issues
	if issues == nil {
		issues = []Issue{}
	}
	return ListImport{Period: n.Period, Dept: n.Dept, List: n.List, File: n.File, Sheet: lr.Sheet, Hash: n.Hash, At: at,
		Operator: operator, Header: lr.Header.Names, Columns: lr.Header.Columns, Rows: lr.RowCount(), Valid: lr.Valid,
		Invalid: lr.Invalid, Duplicates: lr.Dups, Skipped: lr.Stats.Skipped(), Persons: lr.Persons(), Issues: issues, Warnings: warnings}
}
