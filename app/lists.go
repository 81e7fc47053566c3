package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"bidui/engine"
	"bidui/engine/excel"
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
	wb, err := excel.Open(path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	remembered, _ := a.db.Mapping(d.Name, l.Name)
	p := &Preview{Sheets: wb.Sheets, Fields: l.Fields()}
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
		h, _, err := engine.ReadTable(rows, filepath.Base(path), s, p.Fields, applyMapping(remembered, nil), func(h *engine.Header, r engine.TableRow) error {
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
		var he *engine.HeaderError
		if errors.As(err, &he) && len(he.Missing) > 0 {
			// a header was found but lacks a column: show it, the officer may map it
			p.Sheet, p.Header, p.Columns, p.Missing = s, h.Names, h.Columns, he.Missing
			p.Guess = a.Catalog.GuessList(h.Names)
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

// applyMapping returns the header adjustment for a confirmed mapping: by
// column index (from the window) or by remembered header text.
func applyMapping(byText map[string]string, byIndex map[string]int) func(h *engine.Header) {
	if len(byText) == 0 && len(byIndex) == 0 {
		return nil
	}
	return func(h *engine.Header) {
		set := func(key string, col int) {
			for k, c := range h.Columns {
				if c == col && k != key {
					delete(h.Columns, k)
				}
			}
			h.Columns[key] = col
		}
		for key, text := range byText {
			for i, n := range h.Names {
				if engine.NormalizeHeader(n) == text {
					set(key, i)
					break
				}
			}
		}
		for key, col := range byIndex {
			if col < 0 {
				delete(h.Columns, key)
			} else if col < len(h.Names) {
				set(key, col)
			}
		}
	}
}

// ImportList imports one department file for a period. Every data row is
// kept with its original cells and a problem when it has one; the counts
// add up (valid + invalid == rows). Nothing is written when the file cannot
// be read, when the officer must confirm first, or when ctx is cancelled.
func (a *App) ImportList(ctx context.Context, req ListRequest, progress Progress) (_ *engine.ListImport, err error) {
	defer a.guard(&err, "导入部门清单")
	if err := engine.ValidPeriod(req.Period); err != nil {
		return nil, err
	}
	d, l, err := a.resolveList(req.Dept, req.List)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(req.Path)
	if err != nil {
		_, oerr := excel.Open(req.Path) // for the officer's wording of the problem
		if oerr != nil {
			return nil, oerr
		}
		return nil, err
	}
	hash := engine.HashBytes(data)
	wb, err := excel.Open(req.Path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	file := filepath.Base(req.Path)
	remembered, _ := a.db.Mapping(d.Name, l.Name)
	sheets := wb.Sheets
	if req.Sheet != "" {
		sheets = []string{req.Sheet}
	}
	var (
		b       *engine.ListBuilder
		h       engine.Header
		st      engine.TableStats
		sheet   string
		lastErr error
	)
	for _, s := range sheets {
		b = engine.NewListBuilder(l, file, s)
		rows, err := wb.Rows(s)
		if err != nil {
			return nil, err
		}
		n := 0
		h, st, err = engine.ReadTable(rows, file, s, l.Fields(), applyMapping(remembered, req.Columns), func(h *engine.Header, r engine.TableRow) error {
			n++
			if n%5000 == 0 {
				if err := ctx.Err(); err != nil {
					return errCancelled
				}
				if progress != nil {
					progress(n)
				}
			}
			b.Add(h, r)
			return nil
		})
		rows.Close()
		if err == nil {
			sheet = s
			break
		}
		var he *engine.HeaderError
		if errors.As(err, &he) {
			if guess := a.Catalog.GuessList(h.Names); len(h.Names) > 0 && len(guess) > 0 && !contains(guess, d.Name+"·"+l.Name) {
				err = fmt.Errorf("%w。这个文件的表头更像是 %s 的清单，是否选错了部门？", err, strings.Join(guess, "、"))
			}
			lastErr = err
			continue
		}
		return nil, err
	}
	if sheet == "" {
		if len(sheets) > 1 && req.Sheet == "" {
			return nil, fmt.Errorf("%s：各工作表（%s）中都没有找到%s·%s清单的表头。%v", file, strings.Join(sheets, "、"), d.Name, l.Name, lastErr)
		}
		return nil, lastErr
	}
	if err := ctx.Err(); err != nil {
		return nil, errCancelled
	}
	if b.Valid+b.Invalid == 0 {
		return nil, fmt.Errorf("%s「%s」：表头下面没有数据行，是空表吗？数据未导入", file, sheet)
	}
	// things to confirm before writing
	all, err := a.db.ListImports("")
	if err != nil {
		return nil, err
	}
	var reasons []string
	var supersede []int
	for _, old := range all {
		if old.Hash == hash {
			if old.Period == req.Period && old.Dept == d.Name && old.List == l.Name {
				reasons = append(reasons, fmt.Sprintf("这个文件已于 %s 导入过（第%d次导入）", old.At.Format("2006-01-02 15:04"), old.Seq))
			} else {
				reasons = append(reasons, fmt.Sprintf("这个文件已作为 %s 批次 %s·%s 导入过（第%d次导入），可能选错了文件", old.Period, old.Dept, old.List, old.Seq))
			}
		}
		if old.Current() && old.Period == req.Period && old.Dept == d.Name && old.List == l.Name {
			supersede = append(supersede, old.Seq)
		}
	}
	var titles []string
	for _, row := range st.Title {
		titles = append(titles, strings.Join(row, " "))
	}
	var warnings []string
	if hints := engine.PeriodHints(append([]string{file}, titles...)...); len(hints) > 0 && !contains(hints, req.Period) {
		reasons = append(reasons, fmt.Sprintf("文件名或标题写的是 %s，与所选批次 %s 不一致", strings.Join(hints, "、"), req.Period))
	}
	if len(reasons) > 0 {
		if !req.Force {
			return nil, &NeedsConfirm{Reasons: reasons}
		}
		warnings = reasons
	}
	if len(supersede) > 0 {
		warnings = append(warnings, fmt.Sprintf("替换了本批次此前导入的版本（第%s次导入），旧版本保留在历史中", joinInts(supersede)))
	}
	issues := b.Issues
	if issues == nil {
		issues = []engine.Issue{}
	}
	rec := engine.ListImport{Period: req.Period, Dept: d.Name, List: l.Name, File: file, Sheet: sheet, Hash: hash, At: a.Now(),
		Operator: a.operatorName(), Header: h.Names, Columns: h.Columns, Rows: b.Valid + b.Invalid, Valid: b.Valid, Invalid: b.Invalid,
		Duplicates: b.Dups, Skipped: st.Skipped(), Persons: b.Persons(), Issues: issues, Warnings: warnings}
	var mapping map[string]string // the officer's confirmed columns, for the next file
	if req.Columns != nil {
		mapping = map[string]string{}
		for key, col := range h.Columns {
			if col < len(h.Names) {
				mapping[key] = engine.NormalizeHeader(h.Names[col])
			}
		}
	}
	rec, err = a.db.SaveListImport(rec, b.Rows, supersede, mapping, a.auditEntry("导入部门清单", fmt.Sprintf("%s %s·%s：%s，数据行 %d，有效 %d，有问题 %d%s",
		req.Period, d.Name, l.Name, file, rec.Rows, rec.Valid, rec.Invalid, map[bool]string{true: "（替换此前版本）", false: ""}[len(supersede) > 0])))
	if err != nil {
		return nil, fmt.Errorf("保存失败，数据库保持原样：%w", err)
	}
	return &rec, nil
}

var errCancelled = errors.New("已取消导入，数据库保持原样")

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, "、")
}

// ListResult is the §7 JSON of a department import.
type ListResult struct {
	File       string         `json:"file"`
	Sheet      string         `json:"sheet"`
	Period     string         `json:"period"`
	Dept       string         `json:"dept"`
	List       string         `json:"list"`
	Import     int            `json:"import_no"`
	Rows       int            `json:"rows"`
	Valid      int            `json:"valid"`
	Invalid    int            `json:"invalid"`
	Duplicates int            `json:"duplicates"`
	Skipped    int            `json:"skipped"`
	Persons    int            `json:"persons"`
	Issues     []engine.Issue `json:"issues"`
	Warnings   []string       `json:"warnings,omitempty"`
}

// Result shapes an import record as the command line reports it.
func Result(r *engine.ListImport) ListResult {
	return ListResult{File: r.File, Sheet: r.Sheet, Period: r.Period, Dept: r.Dept, List: r.List, Import: r.Seq, Rows: r.Rows,
		Valid: r.Valid, Invalid: r.Invalid, Duplicates: r.Duplicates, Skipped: r.Skipped, Persons: r.Persons, Issues: r.Issues, Warnings: r.Warnings}
}

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
