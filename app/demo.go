package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"bidui/engine"
	"bidui/engine/demo"
	"bidui/engine/excel"
)

// DemoResult tells what the demo command made.
type DemoResult struct {
	County     string
	Period     string
	Households int
	Persons    int
	Dir        string
	Files      []DemoFileFacts
	Roster     *RosterResult
	History    []DemoMonth
}

// DemoFileFacts is one sample file and what an honest import must count.
type DemoFileFacts struct {
	File       string
	Kind       string // 基础名册, 部门清单, 农户花名册
	Dept       string
	List       string
	Rows       int
	Valid      int
	Invalid    int
	Duplicates int
}

// MakeDemo fills the database with a synthetic county and writes its roster
// export and one messy sample file per department list into dir: the
// current month's files, waiting to be imported. With months > 0 the county
// is first worked through that many earlier months (see demoHistory), so
// every screen has something to show.
func (a *App) MakeDemo(ctx context.Context, dir string, households int, seed uint64, months int) (*DemoResult, *demo.County, error) {
	if months < 0 || months > 12 {
		return nil, nil, fmt.Errorf("示范县的往月数应在 0 到 12 之间")
	}
	now := a.Now()
	period := engine.MonthOf(now).String()
	// the earlier months, oldest first, are worked through only where there
	// is nothing yet: checked before anything is written
	periods := engine.MonthOf(now).Add(-1).Months(months)
	for _, p := range periods {
		if imps, err := a.db.ListImports(p); err != nil {
			return nil, nil, err
		} else if len(imps) > 0 {
			return nil, nil, fmt.Errorf("数据库中已有 %s 批次的部门数据：带往月业务的示范县只能生成在新的数据库中，请另指定一个数据库文件", p)
		}
	}
	c := demo.Generate(seed, households, period, now)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("无法创建示例文件夹 %s：%w", dir, err)
	}
	res := &DemoResult{County: c.Name, Period: period, Persons: len(c.Persons), Dir: dir}
	hh := map[string]bool{}
	for _, p := range c.Persons {
		hh[p.HouseholdNo] = true
	}
	res.Households = len(hh)
	if err := WriteDemoFile(filepath.Join(dir, c.Roster.Name), c.Roster); err != nil {
		return nil, nil, err
	}
	res.Files = append(res.Files, DemoFileFacts{File: c.Roster.Name, Kind: "基础名册", Rows: c.Roster.DataRows, Valid: c.Roster.Valid,
		Invalid: c.Roster.Invalid, Duplicates: c.Roster.Duplicates})
	s := a.Settings()
	s.CountyName, s.CountyCode, s.Demo = c.Name, c.Code, true
	if s.Operator == "" {
		s.Operator = "示范操作员"
	}
	if err := a.SaveSettings(s); err != nil {
		return nil, nil, err
	}
	work := a
	var clock time.Time
	if months > 0 {
		// the roster came in at the start of the first month worked through
		work = a.withClock(func() time.Time { return clock })
		clock = engine.MonthOf(now).Add(-months).Day(3, 9, 0, time.Local)
	}
	rr, err := work.ImportRoster(ctx, RosterRequest{Files: []string{filepath.Join(dir, c.Roster.Name)}}, nil)
	if err != nil {
		return nil, nil, err
	}
	res.Roster = rr
	if work != a {
		// the roster went in through the copy: this App's cached one is stale
		a.setRoster(nil)
	}
	if months > 0 {
		if res.History, err = work.demoHistory(ctx, c, dir, periods, seed, &clock, now); err != nil {
			return nil, nil, err
		}
	}
	// the current month's files come after the earlier months, so that the
	// cumulative and full lists send again whom they sent before
	if err := writeDemoCurrent(c, a.Catalog, seed, dir, res); err != nil {
		return nil, nil, err
	}
	return res, c, nil
}

// writeDemoCurrent writes the current month's department files and the
// rural-household register into dir, waiting to be imported.
func writeDemoCurrent(c *demo.County, cat *engine.Catalog, seed uint64, dir string, res *DemoResult) error {
	c.MakeDeptFiles(cat, seed)
	for _, f := range c.DeptFiles {
		if err := WriteDemoFile(filepath.Join(dir, f.Name), f); err != nil {
			return err
		}
		res.Files = append(res.Files, DemoFileFacts{File: f.Name, Kind: "部门清单", Dept: f.Dept, List: f.List, Rows: f.DataRows, Valid: f.Valid, Invalid: f.Invalid, Duplicates: f.Duplicates})
	}
	regName := "农户花名册.xlsx"
	if err := writeDemoRegister(filepath.Join(dir, regName), c.Name, c.OffRoster); err != nil {
		return err
	}
	res.Files = append(res.Files, DemoFileFacts{File: regName, Kind: "农户花名册", Rows: len(c.OffRoster), Valid: len(c.OffRoster)})
	return nil
}

// writeDemoRegister writes the rural-household register (农户花名册) of the
// people off the roster, as a county's civil-affairs export looks.
func writeDemoRegister(path, county string, persons []engine.Person) error {
	reg := [][]any{{county + "农户花名册（非建档立卡户）"}, {"序号", "姓名", "身份证号", "乡镇", "村", "村民小组"}}
	for i, p := range persons {
		reg = append(reg, []any{i + 1, p.Name, p.ID, p.Township, p.Village, p.Group})
	}
	return excel.WriteXLSX(path, excel.Sheet{Name: "花名册", Rows: reg})
}

// WriteDemoFile writes one generated file in its format.
func WriteDemoFile(path string, f demo.File) error {
	switch f.Format {
	case demo.XLSX:
		rows := make([][]any, len(f.Rows))
		for i, r := range f.Rows {
			rows[i] = make([]any, len(r))
			for j, c := range r {
				if c.IsNum {
					rows[i][j] = c.Num
				} else {
					rows[i][j] = c.Text
				}
			}
		}
		return excel.WriteXLSX(path, excel.Sheet{Name: f.Sheet, Rows: rows, Merges: f.Merges})
	default:
		rows := make([][]string, len(f.Rows))
		for i, r := range f.Rows {
			rows[i] = make([]string, len(r))
			for j, c := range r {
				rows[i][j] = c.String()
			}
		}
		enc := excel.CSVUTF8BOM
		if f.Format == demo.CSVGBK {
			enc = excel.CSVGBK
		}
		return excel.WriteCSV(path, rows, enc)
	}
}

// DemoPath is where the demo county lives: its own database in the folder
// 示范县 beside the real one, so that nothing made up ever enters the
// county's records.
func DemoPath(realPath string) string {
	return filepath.Join(filepath.Dir(realPath), "示范县", "bidui-示范.db")
}

// IsDemo reports whether this is the demo county's database.
func (a *App) IsDemo() bool { return a.Settings().Demo }

// OpenDemo opens the demo county's database beside realPath, making the
// county (with its earlier months worked through) when it is new. Its
// sample files are in its own 示例文件 folder.
func OpenDemo(ctx context.Context, realPath string, months int, now func() time.Time) (*App, *DemoResult, error) {
	path := DemoPath(realPath)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("无法创建示范县文件夹：%w", err)
	}
	d, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	d.Now = now
	if r, err := d.Roster(); err == nil && len(r.Persons) > 0 && d.IsDemo() {
		return d, nil, nil // made before: as it was left
	}
	if d.IsDemo() { // a demo cut short: made again from nothing
		d.Close()
		if err := os.Remove(path); err != nil {
			return nil, nil, fmt.Errorf("无法重建示范县数据库 %s：%w", path, err)
		}
		if d, err = Open(path); err != nil {
			return nil, nil, err
		}
		d.Now = now
	}
	res, _, err := d.MakeDemo(ctx, d.SampleDir(), 2000, 1, months)
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, res, nil
}
