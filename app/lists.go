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

// ListRequest is one department file to import.
type ListRequest struct {
	Period string
	Dept   string // name or alias
	List   string // may be empty when the department has one list
	Sheet  string // empty: the first sheet whose header fits
	Path   string
	// Columns, when set, is the officer's confirmed mapping: field key →
	// column index. It overrides detection and is remembered for the
	// department's next file.
	Columns map[string]int
	// Force imports although the file was imported before or names another month.
	Force bool
}

// NeedsConfirm is returned when the officer must confirm before the import
// goes ahead (the same file again, a file naming another month). Nothing was
// written.
type NeedsConfirm struct{ Reasons []string }

func (e *NeedsConfirm) Error() string {
	return strings.Join(e.Reasons, "；") + "。如确认无误仍要导入，请在命令后加 --force（窗口中会询问）"
}

// resolveList finds the department and list type named in a request.
func (a *App) resolveList(dept, list string) (*engine.Department, *engine.ListType, error) {
	d, ok := a.Catalog.Dept(dept)
	if !ok {
		var names []string
		for _, dd := range a.Catalog.Departments {
			names = append(names, dd.Name)
		}
		return nil, nil, fmt.Errorf("部门目录中没有“%s”（有：%s）", dept, strings.Join(names, "、"))
	}
	l, err := d.List(list)
	if err != nil {
		return nil, nil, err
	}
	return d, l, nil
}

// Preview is what the window shows before an import: the sheets, the
// detected header and mapping, and the first data rows.
type Preview struct {
	Sheets  []string
	Sheet   string
	Header  []string
	Columns map[string]int
	Fields  []engine.Field
	Rows    [][]string // the first data rows
	Missing []engine.Field
	Guess   []string // lists the header fits, when it does not fit the chosen one
}

// PreviewList reads the top of a file for the import dialog.
func (a *App) PreviewList(path, dept, list, sheet string) (_ *Preview, err error) {
	defer a.guard(&err, "预览文件")
	d, l, err := a.resolveList(dept, list)
	if err != nil {
		return nil, err
	}
	remembered, _ := a.db.Mapping(d.Name, l.Name)
	return a.preview(path, sheet, l.Fields(), remembered, true)
}

// preview reads the top of a file for an import dialog: the first sheet
// (or the one named) whose header has the fields, with the remembered
// columns applied; a header lacking a required column is shown too, with
// the lists it fits instead.
func (a *App) preview(path, sheet string, fields []engine.Field, remembered map[string]string, guessList bool) (*Preview, error) {
	wb, err := excel.Open(path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	p := &Preview{Sheets: wb.Sheets, Fields: fields}
	sheets := wb.Sheets
	if sheet != "" {
		sheets = []string{sheet}
	}
	var firstErr error
	for _, s := range sheets {
		rows, err := wb.Rows(s)
		if err != nil {
			return nil, err
		}
		p.Rows = nil
		h, _, err := engine.ReadTable(rows, filepath.Base(path), s, p.Fields, engine.Mapping{ByText: remembered}.Adjust(), func(h *engine.Header, r engine.TableRow) error {
			if len(p.Rows) == 12 {
				return errPreviewFull
			}
			p.Rows = append(p.Rows, r.Cells)
			return nil
		})
		rows.Close()
		if errors.Is(err, errPreviewFull) {
			err = nil
		}
		err = notExcel(err, wb)
		var he *engine.HeaderError
		if errors.As(err, &he) && len(he.Missing) > 0 {
			// a header was found but lacks a column: show it, the officer may map it
			p.Sheet, p.Header, p.Columns, p.Missing = s, h.Names, h.Columns, he.Missing
			if guessList {
				p.Guess = a.Catalog.GuessList(h.Names)
			}
			return p, nil
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		p.Sheet, p.Header, p.Columns = s, h.Names, h.Columns
		return p, nil
	}
	return nil, firstErr
}

var errPreviewFull = errors.New("preview full")

// ImportList imports one department file for a period. Every data row is
// kept with its original cells and a problem when it has one; the counts
// add up (valid + invalid == rows). Nothing is written when the file cannot
// be read, when the officer must confirm first, or when ctx is cancelled.
// The file is read once; the decisions are engine's.
func (a *App) ImportList(ctx context.Context, req ListRequest, progress Progress) (_ *engine.ListImport, err error) {
	defer a.guard(&err, "导入部门清单")
	if err := engine.ValidPeriod(req.Period); err != nil {
		return nil, err
	}
	d, l, err := a.resolveList(req.Dept, req.List)
	if err != nil {
		return nil, err
	}
	wb, err := excel.Open(req.Path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	if err := wb.HasSheet(req.Sheet); err != nil {
		return nil, err
	}
	earlier, err := a.db.ListImports("")
	if err != nil {
		return nil, err
	}
	n := engine.NewImport{Period: req.Period, Dept: d.Name, List: l.Name, File: filepath.Base(req.Path), Hash: wb.Hash}
	if early := engine.CheckImport(earlier, n); len(early.Confirm) > 0 && !req.Force {
		// the same file again, or a name naming another month: asked
		// before the rows of a large file are read
		return nil, &NeedsConfirm{Reasons: early.Confirm}
	}
	remembered, _ := a.db.Mapping(d.Name, l.Name)
	lr, packed, err := a.readListSheets(ctx, wb, req.Sheet, d.Name, l, engine.Mapping{ByText: remembered, ByIndex: req.Columns}, progress)
	defer packed.Close()
	if err != nil {
		return nil, err
	}
	n.Titles = lr.Stats.Title
	check := engine.CheckImport(earlier, n)
	if len(check.Confirm) > 0 && !req.Force {
		return nil, &NeedsConfirm{Reasons: check.Confirm}
	}
	rec := lr.Record(n, a.Now(), a.operatorName(), check.Warnings(req.Force))
	var mapping map[string]string // the officer's confirmed columns, for the next file
	if req.Columns != nil {
		mapping = engine.RememberMapping(lr.Header)
	}
	rec, err = a.db.SaveListImport(rec, lr.Rows, packed, check.Supersede, mapping, a.auditEntry("导入部门清单", fmt.Sprintf("%s %s·%s：%s，数据行 %d，有效 %d，有问题 %d%s",
		req.Period, d.Name, l.Name, n.File, rec.Rows, rec.Valid, rec.Invalid, map[bool]string{true: "（替换此前版本）", false: ""}[len(check.Supersede) > 0])))
	if err != nil {
		return nil, fmt.Errorf("保存失败，数据库保持原样：%w", err)
	}
	return &rec, nil
}

// readListSheets reads the chosen sheet, or else the first sheet whose
// header fits the list, as a checked list with at least one data row. The
// rows are packed for storing as they are read: the packer comes back with
// them, to be closed by the caller.
func (a *App) readListSheets(ctx context.Context, wb *excel.Workbook, sheet, dept string, l *engine.ListType, m engine.Mapping, progress Progress) (*engine.ListRead, *store.RowPacker, error) {
	file := filepath.Base(wb.Path)
	sheets := wb.Sheets
	if sheet != "" {
		sheets = []string{sheet}
	}
	var lastErr error
	for _, s := range sheets {
		lr, packed, err := readListSheet(ctx, wb, s, l, m, progress)
		var he *engine.HeaderError
		switch {
		case errors.Is(err, engine.ErrStopped):
			return nil, nil, errCancelled
		case errors.As(err, &he) && wb.Mislabeled != "" && len(he.Missing) == 0:
			return nil, nil, notExcel(err, wb)
		case errors.As(err, &he):
			lastErr = a.Catalog.WrongList(err, lr.Header, dept, l.Name)
			continue
		case err != nil:
			return nil, nil, err
		}
		if err := ctx.Err(); err != nil {
			packed.Close()
			return nil, nil, errCancelled
		}
		if lr.RowCount() == 0 {
			packed.Close()
			return nil, nil, fmt.Errorf("%s「%s」：表头下面没有数据行，是空表吗？数据未导入", file, s)
		}
		return lr, packed, nil
	}
	if len(sheets) > 1 && sheet == "" {
		return nil, nil, fmt.Errorf("%s：各工作表（%s）中都没有找到%s·%s清单的表头。%v", file, strings.Join(sheets, "、"), dept, l.Name, lastErr)
	}
	return nil, nil, lastErr
}

// readListSheet reads one sheet as list l, packing its rows as they come;
// the packer is closed here unless the read succeeded.
func readListSheet(ctx context.Context, wb *excel.Workbook, sheet string, l *engine.ListType, m engine.Mapping, progress Progress) (*engine.ListRead, *store.RowPacker, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	packed := store.NewRowPacker()
	lr, err := engine.ReadList(rows, l, filepath.Base(wb.Path), sheet, m, func(kept []engine.DeptRow) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		packed.Add(kept)
		if progress != nil {
			progress(len(kept))
		}
		return nil
	})
	if err != nil {
		packed.Close()
		return lr, nil, err
	}
	return lr, packed, nil
}

var errCancelled = cancelled("已取消导入，数据库保持原样")

// Cancelled is work the officer stopped: nothing was written. It is not a
// fault, and the window says so.
type Cancelled struct{ msg string }

func (c *Cancelled) Error() string { return c.msg }

func cancelled(msg string) error { return &Cancelled{msg} }

// CurrentImport finds the current import of a department list in a period.
func (a *App) CurrentImport(period, dept, list string) (int, error) {
	d, l, err := a.resolveList(dept, list)
	if err != nil {
		return 0, err
	}
	imports, err := a.db.ListImports(period)
	if err != nil {
		return 0, err
	}
	for _, im := range imports {
		if im.Current() && im.Dept == d.Name && im.List == l.Name {
			return im.Seq, nil
		}
	}
	return 0, fmt.Errorf("%s 批次还没有导入 %s·%s 的清单", period, d.Name, l.Name)
}
