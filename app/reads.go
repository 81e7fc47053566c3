package app

import (
	"fmt"
	"path/filepath"

	"bidui/engine"
	"bidui/engine/excel"
)

// The reads the screens and commands need. app is the only door to the
// store: neither ui nor the command line reaches the database directly.

// DBPath is the database file.
func (a *App) DBPath() string { return a.db.Path }

// DataDir is the folder that holds the database, its log and backups.
func (a *App) DataDir() string { return filepath.Dir(a.db.Path) }

// SampleDir is where the demo county's sample files are written.
func (a *App) SampleDir() string { return filepath.Join(a.DataDir(), "示例文件") }

// Clues is every clue of a period, in number order.
func (a *App) Clues(period string) ([]engine.Clue, error) { return a.db.Clues(period) }

// SheetClues is the clues that went out on one assignment, in number order.
func (a *App) SheetClues(period, assignment string) ([]engine.Clue, error) {
	all, err := a.db.Clues(period)
	if err != nil {
		return nil, err
	}
	var out []engine.Clue
	for _, c := range all {
		if c.Assignment == assignment {
			out = append(out, c)
		}
	}
	return out, nil
}

// LastMatch is the record of a period's last comparison, if it has one.
func (a *App) LastMatch(period string) (engine.MatchRun, bool, error) { return a.db.MatchRun(period) }

// Assignments is a period's numbered assignments.
func (a *App) Assignments(period string) ([]engine.Assignment, error) {
	return a.db.Assignments(period)
}

// AuditLog is the audit log, newest first, at most limit entries (0: all).
func (a *App) AuditLog(limit int) ([]engine.AuditEntry, error) { return a.db.AuditLog(limit) }

// ListImports is a period's department-list imports ("" for every period),
// superseded versions included.
func (a *App) ListImports(period string) ([]engine.ListImport, error) {
	return a.db.ListImports(period)
}

// Clue is one clue by its number.
func (a *App) Clue(id string) (engine.Clue, bool, error) { return a.db.Clue(id) }

// ReviewDecisions is every decision taken in the review queue.
func (a *App) ReviewDecisions() (map[engine.RowRef]engine.ReviewDecision, error) {
	return a.db.Reviews()
}

// StoredCatalog is the county's own catalog as stored, nil while the
// built-in one is in use.
func (a *App) StoredCatalog() (*engine.Catalog, error) { return a.db.Catalog() }

// ListImport is one department-list import's record.
func (a *App) ListImport(seq int) (engine.ListImport, error) { return a.db.ListImport(seq) }

// RosterImports is every roster import, oldest first.
func (a *App) RosterImports() ([]engine.RosterImport, error) { return a.db.RosterImports() }

// OriginalRow is a department row as the file had it: its place and its
// non-empty cells under their headers.
type OriginalRow struct {
	File, Sheet string
	Line        int
	Cells       []HeaderCell
}

// HeaderCell is one cell of an original row with its column's header.
type HeaderCell struct{ Header, Value string }

// Evidence is a clue's risk with the department rows it came from.
type Evidence struct {
	Risk engine.Risk
	Rows []OriginalRow
}

// ClueEvidence is a clue's evidence, each risk with its original rows (none
// for a manual clue, or when the import can no longer be read).
func (a *App) ClueEvidence(c *engine.Clue) ([]Evidence, error) {
	out := make([]Evidence, len(c.Risks))
	rowsOf := map[int][]engine.DeptRow{}
	for i, rk := range c.Risks {
		out[i].Risk = rk
		if rk.Import <= 0 {
			continue
		}
		im, err := a.db.ListImport(rk.Import)
		if err != nil {
			return nil, err
		}
		rows, ok := rowsOf[rk.Import]
		if !ok {
			if rows, err = a.db.ListRows(rk.Import); err != nil {
				return nil, err
			}
			rowsOf[rk.Import] = rows
		}
		for _, line := range rk.Lines {
			for _, dr := range rows {
				if dr.Line != line {
					continue
				}
				or := OriginalRow{File: im.File, Sheet: im.Sheet, Line: line}
				for ci, h := range im.Header {
					if ci < len(dr.Cells) && dr.Cells[ci] != "" && h != "" {
						or.Cells = append(or.Cells, HeaderCell{h, dr.Cells[ci]})
					}
				}
				out[i].Rows = append(out[i].Rows, or)
			}
		}
	}
	return out, nil
}

// AssignPreview is what 交办 would do for a period now: the clues, the plan
// per township, what cannot be placed, the repeats left out, and the
// assignments already made.
type AssignPreview struct {
	Clues       []engine.Clue
	Plans       []engine.AssignPlan
	Unplaced    []*engine.Clue
	Repeats     []*engine.Clue
	Assignments []engine.Assignment
}

// PreviewAssign plans a period's assignment without writing anything.
func (a *App) PreviewAssign(period string, opt engine.AssignOptions) (*AssignPreview, error) {
	clues, err := a.db.Clues(period)
	if err != nil {
		return nil, err
	}
	p := &AssignPreview{Clues: clues}
	p.Plans, p.Unplaced, p.Repeats = engine.PlanAssignments(clues, opt)
	if p.Assignments, err = a.db.Assignments(period); err != nil {
		return nil, err
	}
	return p, nil
}

// StaleComparison says why a period's last comparison is out of date (a
// list imported or replaced, a review decision taken since), "" when it is
// not, or when the period was never compared.
func (a *App) StaleComparison(period string) (string, error) {
	run, ok, err := a.db.MatchRun(period)
	if err != nil || !ok {
		return "", err
	}
	imports, err := a.db.ListImports(period)
	if err != nil {
		return "", err
	}
	reviews, err := a.db.Reviews()
	if err != nil {
		return "", err
	}
	return engine.StaleMatch(run, imports, reviews), nil
}

// ExportTable writes a table as the window shows it — the officer's sort
// and filter — as an office-ready workbook: the title, the header, the
// rows; plain numbers are stored as numbers, ID numbers stay text.
func (a *App) ExportTable(path, title string, view [][]string) error {
	rows := [][]any{{title}, {fmt.Sprintf("共 %d 行　导出时间：%s　内部资料 注意保密", max(len(view)-1, 0), a.Now().Format("2006-01-02 15:04"))}}
	for i, r := range view {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
			if n, ok := engine.PlainNumber(v); ok && i > 0 {
				row[j] = n
			}
		}
		rows = append(rows, row)
	}
	return excel.WriteXLSX(path, excel.Sheet{Name: "导出", Rows: rows,
		Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader}})
}
