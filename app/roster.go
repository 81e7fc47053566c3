package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"bidui/engine"
	"bidui/engine/excel"
	"bidui/store"
)

// FileCounts is the §7 import count of one file.
type FileCounts struct {
	File       string
	Sheet      string
	Rows       int
	Valid      int
	Invalid    int
	Duplicates int
	Skipped    int               // blank, 合计, footer and repeated-header rows, not in rows
	header     map[string]string // the columns used, by header text
}

// RosterResult is the outcome of a roster import (DESIGN.md §7 shape).
type RosterResult struct {
	FileCounts
	Files  []FileCounts
	Issues []engine.Issue
	// Warnings are values read with a guess, the person kept (an unknown 户类型)
	Warnings []engine.Issue
	Stats    engine.RosterStats
	Changes  engine.RosterChanges
	Seq      int
}

// RosterRequest is a roster import: the export files, whether a sharp
// shrink was confirmed, and the officer's column choices from the preview
// (field key → column index; remembered for the next export by header).
type RosterRequest struct {
	Files   []string
	Force   bool
	Sheet   string // "" for the first sheet whose header fits
	Columns map[string]int
}

// rosterMappingKey is where the roster's confirmed columns are remembered.
const rosterMappingKey = store.RosterMappingKey

// PreviewRoster reads the top of a roster export for the import dialog:
// its sheets, the header found, the columns recognised (or remembered) and
// the first rows.
func (a *App) PreviewRoster(path, sheet string) (_ *Preview, err error) {
	defer a.guard(&err, "预览文件")
	remembered, _ := a.db.Mapping(rosterMappingKey, "")
	return a.preview(path, sheet, engine.RosterFields, remembered, false)
}

// Progress reports rows read so far; it is called from the working goroutine.
type Progress func(rows int)

// ImportRoster reads the national-system export files and replaces the base
// roster with them in one transaction. If any file cannot be read, or no row
// is valid, nothing is changed and the error says why. Rows with problems are
// counted as invalid and listed, never dropped silently. An import that
// would remove more than a small share of the persons, or change a
// township sharply, returns *NeedsConfirm and changes nothing unless force;
// the roster it replaces can be put back with UndoRoster.
func (a *App) ImportRoster(ctx context.Context, req RosterRequest, progress Progress) (res *RosterResult, err error) {
	defer a.guard(&err, "导入基础名册")
	files, force := req.Files, req.Force
	remembered, _ := a.db.Mapping(rosterMappingKey, "")
	m := engine.Mapping{ByText: remembered, ByIndex: req.Columns}
	if len(files) == 0 {
		return nil, errors.New("请选择要导入的基础名册文件")
	}
	b := engine.NewRosterBuilder()
	res = &RosterResult{}
	read := 0
	for _, path := range files {
		fc, err := readRosterFile(ctx, path, req.Sheet, m, b, func(n int) {
			if progress != nil {
				progress(read + n)
			}
		})
		if err != nil {
			return nil, err
		}
		read += fc.Rows
		res.Files = append(res.Files, fc)
	}
	var names []string
	for _, fc := range res.Files {
		names = append(names, fc.File)
		res.Skipped += fc.Skipped
	}
	if len(res.Files) > 0 {
		res.header = res.Files[0].header
	}
	res.File = strings.Join(names, "、")
	res.Rows, res.Valid, res.Invalid, res.Duplicates = b.Rows, b.Valid, b.Invalid, b.Duplicates
	res.Issues = b.Issues
	if res.Issues == nil {
		res.Issues = []engine.Issue{}
	}
	res.Warnings = append([]engine.Issue{}, b.Warnings...)
	if b.Valid == 0 {
		return res, fmt.Errorf("%s：没有一条有效的人员记录（共%d行，均有问题），基础名册未更改。第一个问题：%s",
			res.File, b.Rows, firstIssue(b.Issues))
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled("已取消导入，基础名册未更改")
	}
	old, err := a.Roster()
	if err != nil {
		return nil, err
	}
	cur := b.Roster()
	res.Stats = cur.Stats()
	res.Changes = engine.DiffRosters(old, cur)
	if len(old.Persons) == 0 {
		res.Changes = engine.DiffRosters(nil, cur)
	}
	if reasons := engine.RosterShrinks(old, res.Changes, cur); len(reasons) > 0 && !force {
		return res, &NeedsConfirm{Reasons: reasons}
	}
	rec := engine.RosterImport{At: a.Now(), Operator: a.operatorName(), Files: names, Rows: res.Rows, Valid: res.Valid,
		Invalid: res.Invalid, Duplicates: res.Duplicates, Skipped: res.Skipped, Stats: res.Stats, Changes: res.Changes, Issues: res.Issues, Warnings: res.Warnings}
	var mapping map[string]string // the confirmed columns, for the next export
	if req.Columns != nil && len(res.Files) > 0 {
		mapping = res.header
	}
	rec, err = a.db.ReplaceRoster(cur.Persons, rec, mapping, a.auditEntry("导入基础名册", fmt.Sprintf("%s：数据行 %d，有效 %d，有问题 %d；新增 %d 人，减少 %d 人，迁移 %d 人，类别变化 %d 人",
		res.File, res.Rows, res.Valid, res.Invalid, res.Changes.Added, res.Changes.Removed, res.Changes.Moved, res.Changes.CategoryChanged)))
	if err != nil {
		return nil, fmt.Errorf("保存基础名册失败，数据库保持原样：%w", err)
	}
	res.Seq = rec.Seq
	a.setRoster(cur)
	return res, nil
}

func firstIssue(is []engine.Issue) string {
	if len(is) == 0 {
		return "无"
	}
	return is[0].Error()
}

func readRosterFile(ctx context.Context, path, only string, m engine.Mapping, b *engine.RosterBuilder, progress func(int)) (FileCounts, error) {
	fc := FileCounts{File: filepath.Base(path)}
	wb, err := excel.Open(path)
	if err != nil {
		return fc, err
	}
	defer wb.Close()
	// a roster export may hold several sheets; take the first whose header
	// names the roster's columns
	var lastErr error
	sheets := wb.Sheets
	if only != "" {
		sheets = []string{only}
	}
	for _, sheet := range sheets {
		before, v0, i0, d0 := b.Rows, b.Valid, b.Invalid, b.Duplicates
		st, err := readSheetMapped(ctx, wb, sheet, engine.RosterFields, m.Adjust(), func(h *engine.Header, r engine.TableRow) {
			if fc.header == nil {
				fc.header = engine.RememberMapping(*h)
			}
			b.Add(fc.File, sheet, h, r)
			if n := b.Rows - before; n%2000 == 0 {
				progress(n)
			}
		})
		if err != nil {
			var he *engine.HeaderError
			if errors.As(err, &he) && len(he.Missing) == 0 && len(wb.Sheets) > 1 {
				lastErr = err
				continue // not a roster sheet (e.g. a notes sheet)
			}
			return fc, err
		}
		fc.Sheet = sheet
		fc.Rows, fc.Valid, fc.Invalid, fc.Duplicates = b.Rows-before, b.Valid-v0, b.Invalid-i0, b.Duplicates-d0
		fc.Skipped = st.Skipped()
		return fc, nil
	}
	if lastErr == nil {
		lastErr = fmt.Errorf("%s：没有找到基础名册工作表", fc.File)
	}
	return fc, lastErr
}

// readSheet streams one sheet through header detection to fn, honouring ctx.
func readSheet(ctx context.Context, wb *excel.Workbook, sheet string, fields []engine.Field, fn func(h *engine.Header, r engine.TableRow)) (engine.TableStats, error) {
	return readSheetMapped(ctx, wb, sheet, fields, nil, fn)
}

// readSheetMapped is readSheet with the officer's column choices applied.
func readSheetMapped(ctx context.Context, wb *excel.Workbook, sheet string, fields []engine.Field, adjust func(*engine.Header), fn func(h *engine.Header, r engine.TableRow)) (engine.TableStats, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return engine.TableStats{}, err
	}
	defer rows.Close()
	n := 0
	_, st, err := engine.ReadTable(rows, filepath.Base(wb.Path), sheet, fields, adjust, func(h *engine.Header, r engine.TableRow) error {
		n++
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return cancelled("已取消导入，数据未更改")
			}
		}
		fn(h, r)
		return nil
	})
	return st, notExcel(err, wb)
}

// notExcel says, on a header error, that a file named as Excel holds text.
func notExcel(err error, wb *excel.Workbook) error {
	var he *engine.HeaderError
	if errors.As(err, &he) && wb.Mislabeled != "" {
		he.NotExcel = wb.Mislabeled
	}
	return err
}

// UndoableRoster is the roster import that UndoRoster would undo, if any.
func (a *App) UndoableRoster() (engine.RosterImport, bool, error) { return a.db.UndoableRoster() }

// UndoRoster puts back the roster as it was before the last import and
// marks that import undone; it can be done once.
func (a *App) UndoRoster() (engine.RosterImport, error) {
	rec, ok, err := a.db.UndoableRoster()
	if err != nil {
		return rec, err
	}
	if !ok {
		return rec, store.ErrNothingToUndo
	}
	detail := fmt.Sprintf("撤销第%d次名册导入（%s，%s），恢复导入前的基础名册", rec.Seq, strings.Join(rec.Files, "、"), rec.At.Format("2006-01-02 15:04"))
	rec, err = a.db.UndoRoster(a.Now(), a.auditEntry("撤销名册导入", detail))
	if err != nil {
		return rec, err
	}
	a.setRoster(nil) // read again on next use
	return rec, nil
}
