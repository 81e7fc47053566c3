package ui

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	_ "bidui/internal/locale" // a locale before Fyne reads it

	"bidui/app"
	"bidui/engine"
	"bidui/engine/excel"
)

func TestMain(m *testing.M) {
	runAsync = func(f func()) { f() }
	os.Exit(m.Run())
}

// demoWindow opens a main window on a fresh demo county with the headless
// driver; its sample files are in the folder returned.
func demoWindow(t *testing.T, households int) (*mainWindow, string) {
	return demoWindowMonths(t, households, 0)
}

// demoMonthsWindow opens a main window on a demo county worked through
// months earlier months.
func demoMonthsWindow(t *testing.T, households, months int) *mainWindow {
	m, _ := demoWindowMonths(t, households, months)
	return m
}

func demoWindowMonths(t *testing.T, households, months int) (*mainWindow, string) {
	t.Helper()
	t.Setenv("LANG", "zh_CN.UTF-8")
	fa := test.NewTempApp(t)
	fa.Settings().SetTheme(biduiTheme{})
	dir := t.TempDir()
	a, err := app.Open(filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, _, err := a.MakeDemo(context.Background(), filepath.Join(dir, "files"), households, 11, months); err != nil {
		t.Fatal(err)
	}
	m := newMainWindow(fa, a)
	m.win.Resize(fyne.NewSize(1280, 800))
	return m, filepath.Join(dir, "files")
}

// confirmDialog taps the button of the dialog on top of the window.
func confirmDialog(t *testing.T, w fyne.Window, button string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	b := findButton(top, button)
	if b == nil {
		t.Fatalf("no %q button on top of the window", button)
	}
	test.Tap(b)
}

// waitFor polls until cond holds: background work reports through fyne.Do.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestRosterScreenFiltersAndSearches(t *testing.T) {
	m, _ := demoWindow(t, 120)
	m.goTo("基础名册")
	s := m.screens["基础名册"].(*rosterScreen)
	waitFor(t, "the roster to load", func() bool { return len(s.roster.Persons) > 0 })
	total := len(s.roster.Persons)
	if len(s.rows) != total || !strings.Contains(s.count.Text, "显示") {
		t.Fatalf("unfiltered table shows %d of %d (%q)", len(s.rows), total, s.count.Text)
	}
	// township filter: every row shown is in it, and all of its persons are shown
	town := s.roster.Townships()[0]
	s.township.SetSelected(town)
	want := 0
	for i := range s.roster.Persons {
		if s.roster.Persons[i].Township == town {
			want++
		}
	}
	if len(s.rows) != want {
		t.Errorf("township %s: %d rows, want %d", town, len(s.rows), want)
	}
	for _, i := range s.rows {
		if s.roster.Persons[i].Township != town {
			t.Fatalf("row of %s shown under %s", s.roster.Persons[i].Township, town)
		}
	}
	// the village list follows the township
	for _, v := range s.village.Options[1:] {
		found := false
		for _, vv := range s.roster.Villages(town) {
			found = found || vv == v
		}
		if !found {
			t.Errorf("village %s offered under %s", v, town)
		}
	}
	s.township.SetSelected(allChoice)
	// search by a person's ID typed as a user would
	p := s.roster.Persons[total/2]
	test.Type(s.search, p.ID)
	if len(s.rows) != 1 || s.roster.Persons[s.rows[0]].ID != p.ID {
		t.Fatalf("search for %s: %d rows", p.ID, len(s.rows))
	}
	// the cell shows the name, and choosing the row shows the household
	s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !strings.Contains(s.detail.Text, p.HouseholdNo) || !strings.Contains(s.members.Text, p.Name) {
		t.Errorf("detail = %q / %q", s.detail.Text, s.members.Text)
	}
	members := s.roster.Members(p.HouseholdNo)
	if !strings.Contains(s.members.Text, "家庭成员（"+strconv.Itoa(len(members))+" 人）") {
		t.Errorf("members = %q, want %d", s.members.Text, len(members))
	}
	// search by household number lists the household
	s.search.SetText(p.HouseholdNo)
	if len(s.rows) != len(members) {
		t.Errorf("household search: %d rows, %d members", len(s.rows), len(members))
	}
	// category filter
	s.search.SetText("")
	s.category.SetSelected("监测对象")
	for _, i := range s.rows {
		if s.roster.Households[s.roster.Persons[i].HouseholdNo].Category != engine.CategoryMonitored {
			t.Fatal("a formerly-poor household under 监测对象")
		}
	}
}

func TestRosterImportInWindow(t *testing.T) {
	m, files := demoWindow(t, 60)
	m.goTo("基础名册")
	s := m.screens["基础名册"].(*rosterScreen)
	waitFor(t, "the roster to load", func() bool { return len(s.roster.Persons) > 0 })
	before := len(s.roster.Persons)
	// a file without the roster's columns: an error dialog, the roster unchanged
	matches, _ := filepath.Glob(filepath.Join(files, "残联_*.csv"))
	if len(matches) != 1 {
		t.Fatalf("no 残联 sample: %v", matches)
	}
	s.runImport(app.RosterRequest{Files: []string{matches[0]}})
	waitFor(t, "the import to end", func() bool { return !s.importBtn.Disabled() })
	if !strings.Contains(s.status.Text, "保持原样") {
		t.Errorf("status after a bad file = %q", s.status.Text)
	}
	if len(s.roster.Persons) != before {
		t.Errorf("a bad file changed the roster")
	}
	// the real roster re-imported: same persons
	roster, _ := filepath.Glob(filepath.Join(files, "*基础名册*.xlsx"))
	s.runImport(app.RosterRequest{Files: []string{roster[0]}})
	waitFor(t, "the import to end", func() bool { return !s.importBtn.Disabled() })
	if len(s.roster.Persons) != before || !strings.Contains(s.status.Text, "名册共") {
		t.Errorf("after re-import: %d persons, status %q", len(s.roster.Persons), s.status.Text)
	}
}

func TestSettingsSave(t *testing.T) {
	m, _ := demoWindow(t, 20)
	m.goTo("设置")
	s := m.screens["设置"].(*settingsScreen)
	if s.county.Text != "青山县" || s.dbPath.Text == "" {
		t.Fatalf("settings shown: %q %q", s.county.Text, s.dbPath.Text)
	}
	s.operator.SetText("")
	test.Type(s.operator, "李明")
	s.onSave()
	got := m.app.Settings()
	if got.Operator != "李明" || s.saved.Text != "已保存" {
		t.Errorf("saved operator %q, label %q", got.Operator, s.saved.Text)
	}
	// an empty county name is refused and nothing is saved
	s.county.SetText("")
	s.onSave()
	got = m.app.Settings()
	if got.CountyName != "青山县" {
		t.Errorf("empty county name was saved")
	}
}

func TestEveryPageOpens(t *testing.T) {
	m, _ := demoWindow(t, 20)
	for _, title := range navTitles {
		m.goTo(title)
		if m.current != title || len(m.body.Objects) != 1 {
			t.Errorf("page %s did not open", title)
		}
	}
	home := m.screens["首页"].(*homeScreen)
	m.goTo("首页")
	waitFor(t, "the home page", func() bool { return strings.Contains(home.summary.Text, "基础名册：") })
	if !strings.Contains(home.history.Text, "第1次") {
		t.Errorf("import history = %q", home.history.Text)
	}
}

func TestDemoButtonOnEmptyDatabase(t *testing.T) {
	fa, a := emptyApp(t)
	m := newMainWindow(fa, a)
	h := m.screens["首页"].(*homeScreen)
	if h.demoBtn.Hidden || !strings.Contains(h.summary.Text, "尚未导入基础名册") {
		t.Fatalf("empty database: button hidden=%v, summary %q", h.demoBtn.Hidden, h.summary.Text)
	}
	real := a.DBPath()
	test.Tap(h.demoBtn)
	// the demo is its own database, marked 示范; the county's stays empty
	if m.app == a || !m.app.IsDemo() || m.app.DBPath() == real || !strings.Contains(m.win.Title(), "【示范】") {
		t.Fatalf("after the demo: app %s, title %q", m.app.DBPath(), m.win.Title())
	}
	if r, _ := m.app.Roster(); len(r.Persons) == 0 {
		t.Error("the demo county has no roster")
	}
	for m.win.Canvas().Overlays().Top() != nil {
		m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	}
	m.goTo("首页")
	if h.exitDemo.Hidden || !strings.Contains(h.demoBar.Text, "示例文件在") {
		t.Errorf("home in the demo: exit hidden %v, %q", h.exitDemo.Hidden, h.demoBar.Text)
	}
	test.Tap(h.exitDemo)
	if m.app.DBPath() != real || m.app.IsDemo() || strings.Contains(m.win.Title(), "示范") {
		t.Fatalf("after leaving the demo: %s, title %q", m.app.DBPath(), m.win.Title())
	}
	if r, _ := m.app.Roster(); len(r.Persons) != 0 {
		t.Errorf("the demo leaked %d persons into the county's database", len(r.Persons))
	}
	if clues, _ := m.app.Clues(""); len(clues) != 0 {
		t.Errorf("the demo leaked %d clues into the county's database", len(clues))
	}
}

// shot writes the window as a PNG when BIDUI_SHOTS names a folder, so a
// person can look at what the headless tests drove.
func shot(t *testing.T, w fyne.Window, name string) {
	dir := os.Getenv("BIDUI_SHOTS")
	if dir == "" {
		return
	}
	img := w.Canvas().Capture()
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestListImportDialogMapsAndImports(t *testing.T) {
	m, files := demoWindow(t, 80)
	m.goTo("部门数据")
	s := m.screens["部门数据"].(*listsScreen)
	period := m.app.Now().Format("2006-01")
	s.period.SetSelected(period)
	for _, e := range s.board.Entries {
		if e.Submitted {
			t.Fatalf("fresh county shows %s·%s submitted", e.Dept, e.List)
		}
	}
	matches, _ := filepath.Glob(filepath.Join(files, "医保局_住院自付_*.xlsx"))
	d := s.showImportDialog(matches[0])
	if d.dept.Selected != "医保局" || d.list.Selected != "住院自付" {
		t.Fatalf("guessed %s·%s from the file name", d.dept.Selected, d.list.Selected)
	}
	if d.prev == nil || len(d.prev.Rows) == 0 || d.maps["amount"].Selected == noColumn || d.maps["id"].Selected == noColumn {
		t.Fatalf("preview: %+v", d.prev)
	}
	shot(t, m.win, "import_dialog")
	d.dlg.Hide()
	d.submit(false)
	var entry app.BoardEntry
	for _, e := range s.board.Entries {
		if e.Dept == "医保局" && e.List == "住院自付" {
			entry = e
		}
	}
	if !entry.Submitted || entry.Rows == 0 || entry.Valid+entry.Invalid != entry.Rows {
		t.Fatalf("board after import: %+v", entry)
	}
	if !strings.Contains(s.status.Text, "已导入") || s.returnBtn.Disabled() {
		t.Errorf("status %q, return button disabled=%v", s.status.Text, s.returnBtn.Disabled())
	}
	shot(t, m.win, "lists_after_import")
	// the same file again asks first; nothing is written until confirmed
	d2 := s.showImportDialog(matches[0])
	d2.dlg.Hide()
	d2.submit(false)
	all, _ := m.app.ListImports(period)
	if len(all) != 1 {
		t.Errorf("asking wrote %d imports", len(all))
	}
	d2.submit(true)
	all, _ = m.app.ListImports(period)
	if len(all) != 2 || all[1].Current() == false || all[0].Current() {
		t.Errorf("forced re-import: %+v", all)
	}
	// a file whose amount column the catalog does not know: the officer maps it
	odd := filepath.Join(t.TempDir(), "医保局_住院自付_odd.xlsx")
	if err := excel.WriteXLSX(odd, excel.Sheet{Name: "Sheet1", Rows: [][]any{{"姓名", "身份证号", "本人承担"}, {"张三", "530428199001011231", "6000"}}}); err != nil {
		t.Fatal(err)
	}
	d3 := s.showImportDialog(odd)
	if d3.maps["amount"].Selected != noColumn || !strings.Contains(d3.note.Text, "个人自付金额") {
		t.Fatalf("unmapped amount: %q / %q", d3.maps["amount"].Selected, d3.note.Text)
	}
	d3.maps["amount"].SetSelected(columnOption(2, "本人承担"))
	d3.dlg.Hide()
	d3.submit(true)
	all, _ = m.app.ListImports(period)
	last := all[len(all)-1]
	if last.File != filepath.Base(odd) || last.Valid != 1 || last.Columns["amount"] != 2 {
		t.Errorf("mapped import: %+v", last)
	}
}

func TestCatalogEditorAddsSynonymAndList(t *testing.T) {
	m, _ := demoWindow(t, 20)
	e := m.openCatalogEditor()
	// choose 民政局 and teach it a new header for 救助类型, and a new list
	for i, d := range e.cat.Departments {
		if d.Name == "民政局" {
			e.depts.Select(i)
		}
	}
	if e.name.Text != "民政局" || !strings.Contains(e.columns.Text, "救助类型：") {
		t.Fatalf("editor shows %q / %q", e.name.Text, e.columns.Text)
	}
	e.columns.SetText(strings.Replace(e.columns.Text, "救助类型：", "救助类型：享受待遇、", 1))
	e.onAddList()
	e.lname.SetText("退出保障")
	e.risk.SetText("社会救助")
	e.columns.SetText("退出原因：原因（必需）")
	e.onSave()
	if e.status.Text != "已保存，下次导入起生效" {
		t.Fatalf("save: %q", e.status.Text)
	}
	d, _ := m.app.Catalog.Dept("民政局")
	if len(d.Lists) != 2 || d.Lists[1].Columns[0].Label != "退出原因" || !strings.Contains(strings.Join(d.Lists[0].Columns[0].Synonyms, ","), "享受待遇") {
		t.Fatalf("catalog after save: %+v", d)
	}
	// the new synonym works in an import, and survives reopening the database
	path := filepath.Join(t.TempDir(), "民政.xlsx")
	if err := excel.WriteXLSX(path, excel.Sheet{Name: "Sheet1", Rows: [][]any{{"姓名", "身份证号", "享受待遇"}, {"张三", "530428199001011231", "低保"}}}); err != nil {
		t.Fatal(err)
	}
	rec, err := m.app.ImportList(context.Background(), app.ListRequest{Period: "2026-11", Dept: "民政局", List: "新增救助", Path: path}, nil)
	if err != nil || rec.Valid != 1 {
		t.Fatalf("import with the new synonym: %v", err)
	}
	cat, _ := m.app.StoredCatalog()
	if cat == nil || len(cat.Departments) != len(m.app.Catalog.Departments) {
		t.Fatal("catalog not stored")
	}
	// a broken edit is refused and nothing is saved
	e.columns.SetText("甲\n甲")
	e.onSave()
	if !strings.Contains(e.status.Text, "写了两次") {
		t.Errorf("broken columns: %q", e.status.Text)
	}
	e.onReset()
}

func TestHomeShowsTheMonthsBoard(t *testing.T) {
	m, files := demoWindow(t, 40)
	h := m.screens["首页"].(*homeScreen)
	m.goTo("首页")
	if !strings.Contains(h.board.Text, "已报送 0 / 16 类") || !strings.Contains(h.board.Text, "未报送") {
		t.Fatalf("board summary: %q", h.board.Text)
	}
	matches, _ := filepath.Glob(filepath.Join(files, "民政局_*"))
	if _, err := m.app.ImportList(context.Background(), app.ListRequest{Period: m.app.Now().Format("2006-01"), Dept: "民政局", Path: matches[0]}, nil); err != nil {
		t.Fatal(err)
	}
	m.goTo("设置")
	m.goTo("首页")
	if !strings.Contains(h.board.Text, "已报送 1 / 16 类") || strings.Contains(h.board.Text, "民政局·新增救助") {
		t.Errorf("after one import: %q", h.board.Text)
	}
}

// importDemoLists imports every sample department file of the demo.
func importDemoLists(t *testing.T, m *mainWindow, files string) {
	t.Helper()
	period := m.app.Now().Format("2006-01")
	paths, _ := filepath.Glob(filepath.Join(files, "*_*_*"))
	for _, p := range paths {
		base := filepath.Base(p)
		parts := strings.SplitN(base, "_", 3)
		if _, err := m.app.ImportList(context.Background(), app.ListRequest{Period: period, Dept: parts[0], List: parts[1], Path: p}, nil); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
	}
}

func TestCluesScreenMatchFilterReview(t *testing.T) {
	m, files := demoWindow(t, 150)
	importDemoLists(t, m, files)
	m.goTo("比对与线索")
	s := m.screens["比对与线索"].(*cluesScreen)
	if !strings.Contains(s.summary.Text, "尚未比对") {
		t.Fatalf("before: %q", s.summary.Text)
	}
	s.onMatch()
	if !strings.Contains(s.summary.Text, "上次比对") || len(s.clues) == 0 || len(s.rows) != len(s.clues) {
		t.Fatalf("after match: %q, %d clues, %d rows", s.summary.Text, len(s.clues), len(s.rows))
	}
	shot(t, m.win, "clues")
	// filter by township: only that township's clues
	town := s.township.Options[1]
	s.township.SetSelected(town)
	for _, i := range s.rows {
		if s.clues[i].Township != town {
			t.Fatalf("clue of %s under %s", s.clues[i].Township, town)
		}
	}
	s.township.SetSelected(allChoice)
	// search a person's name and open the clue: its evidence shows the original row
	c := s.clues[0]
	test.Type(s.search, c.ID)
	if len(s.rows) != 1 {
		t.Fatalf("search %s: %d rows", c.ID, len(s.rows))
	}
	s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !strings.Contains(s.detail.Text, c.ID) || !strings.Contains(s.detail.Text, "原始数据") {
		t.Errorf("detail: %q", s.detail.Text)
	}
	shot(t, m.win, "clue_detail")
	s.search.SetText("")
	// the review queue, by keyboard: Enter confirms the first candidate
	s.tabs.SelectIndex(1)
	if len(s.review) == 0 {
		t.Fatal("no rows to review in the demo")
	}
	first := -1
	for i, it := range s.review {
		if len(it.Candidates) > 0 {
			first = i
			break
		}
	}
	s.showReview(first)
	shot(t, m.win, "review")
	it := s.review[first]
	s.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	dec, _ := m.app.ReviewDecisions()
	if dec[it.Ref].Person != it.Candidates[0].ID {
		t.Fatalf("Enter did not confirm: %+v", dec[it.Ref])
	}
	if s.revItem != first+1 {
		t.Errorf("did not move to the next row: %d", s.revItem)
	}
	// Delete rejects all the candidates of the current row
	cur := s.review[s.revItem]
	s.typedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	dec, _ = m.app.ReviewDecisions()
	if len(dec[cur.Ref].Rejected) != len(cur.Candidates) {
		t.Errorf("Delete did not reject: %+v", dec[cur.Ref])
	}
	before := s.summary.Text
	s.onMatch()
	if s.summary.Text == before {
		t.Error("summary unchanged after the decisions and a new comparison")
	}
	if len(s.review) != len(m.screens["比对与线索"].(*cluesScreen).review) {
		t.Error("review queue not reloaded")
	}
}

func TestRulesEditorPreviewValidateSave(t *testing.T) {
	m, _ := demoWindow(t, 20)
	e := m.openRulesEditor()
	// the first list is 医保局·住院自付 with the seed 003 thresholds
	if !strings.Contains(e.preview.Text, "名册内人员个人自付金额 ≥ 5000 元；名册外人员 ≥ 20000 元") {
		t.Fatalf("preview: %q", e.preview.Text)
	}
	// an impossible threshold is refused, nothing saved
	e.on.SetText("-5")
	if !strings.Contains(e.preview.Text, "不合理") {
		t.Errorf("preview of a negative threshold: %q", e.preview.Text)
	}
	e.onSave()
	if !strings.Contains(e.status.Text, "未保存") {
		t.Errorf("negative threshold saved: %q", e.status.Text)
	}
	e.on.SetText("一万")
	e.onSave()
	if !strings.Contains(e.status.Text, "不是数字") {
		t.Errorf("text threshold: %q", e.status.Text)
	}
	// 峨山's 10,000-yuan line
	e.on.SetText("10000")
	if !strings.Contains(e.preview.Text, "≥ 10000 元") {
		t.Errorf("preview: %q", e.preview.Text)
	}
	e.onSave()
	if !strings.HasPrefix(e.status.Text, "已保存") {
		t.Fatalf("save: %q", e.status.Text)
	}
	d, _ := m.app.Catalog.Dept("医保局")
	if d.Lists[0].Rule.OnRoster != 10000 {
		t.Errorf("rule not in use: %+v", d.Lists[0].Rule)
	}
	log, _ := m.app.AuditLog(1)
	if len(log) != 1 || !strings.Contains(log[0].Detail, "≥ 5000 元") || !strings.Contains(log[0].Detail, "≥ 10000 元") {
		t.Errorf("audit: %+v", log)
	}
	// dated from the month typed; the month before keeps the old line
	cur := engine.MonthOf(m.app.Now())
	if d.Lists[0].Rule.From != cur.String() || d.Lists[0].RuleFor(cur.Add(-1).String()).OnRoster != 5000 {
		t.Errorf("rule dates: %+v, earlier %+v", d.Lists[0].Rule, d.Lists[0].Earlier)
	}
	// the follow-up settings: 住院自付 is year-to-date; the window and
	// the level are edited with the plain-Chinese preview
	if !e.ytd.Checked || e.window.Text != "12" || !strings.Contains(e.preview.Text, "同一年度内") {
		t.Errorf("follow-up fields: ytd %v window %q preview %q", e.ytd.Checked, e.window.Text, e.preview.Text)
	}
	e.window.SetText("6")
	if !strings.Contains(e.preview.Text, "6 个月内") || !strings.Contains(e.preview.Text, "又增加 10,000.00 元（名册外 20,000.00 元）") {
		t.Errorf("preview of a 6-month window: %q", e.preview.Text)
	}
	e.window.SetText("0")
	e.onSave()
	if !strings.Contains(e.status.Text, "续报回看期") {
		t.Errorf("a 0-month window: %q", e.status.Text)
	}
	e.window.SetText("6")
	e.onSave()
	if d, _ := m.app.Catalog.Dept("医保局"); d.Lists[0].Rule.Window != 6 {
		t.Errorf("window not saved: %+v", d.Lists[0].Rule)
	}
	// a value rule in words
	for i, r := range e.refs {
		dd, l := e.at(i)
		if dd.Name == "残联" {
			_ = r
			e.list.Select(i)
			if e.conds.Text != engine.FormatMatchRule(l) {
				t.Fatalf("conditions shown: %q", e.conds.Text)
			}
		}
	}
	if e.level.Selected != "残疾等级" || !strings.Contains(e.preview.Text, "残疾等级发生变化") {
		t.Errorf("level of 残联: %q, preview %q", e.level.Selected, e.preview.Text)
	}
	e.conds.SetText("血型=A")
	e.onSave()
	if !strings.Contains(e.status.Text, "不在这类清单的关键列中") {
		t.Errorf("bad condition: %q", e.status.Text)
	}
}

// TestFollowUpsTabRaisesByHand opens the demo county worked through three
// months: the comparison's summary counts the follow-ups, the 续报 tab
// lists them, and one turned into a clue joins the period's clues.
func TestFollowUpsTabRaisesByHand(t *testing.T) {
	m := demoMonthsWindow(t, 200, 3)
	m.goTo("比对与线索")
	s := m.screens["比对与线索"].(*cluesScreen)
	p := engine.MonthOf(m.app.Now()).Add(-1).String()
	s.period.SetSelected(p)
	if !strings.Contains(s.summary.Text, "续报") || len(s.follow.items) == 0 {
		t.Fatalf("summary %q, %d follow-ups", s.summary.Text, len(s.follow.items))
	}
	if !strings.HasPrefix(s.tabs.Items[3].Text, fmt.Sprintf("续报（%d）", len(s.follow.items))) {
		t.Errorf("tab: %q", s.tabs.Items[3].Text)
	}
	s.tabs.SelectIndex(3)
	s.follow.table.Select(widget.TableCellID{Row: 0, Col: 0})
	x := s.follow.items[0]
	if !strings.Contains(s.follow.detail.Text, x.Of) || s.follow.raise.Disabled() {
		t.Fatalf("detail %q, raise disabled %v", s.follow.detail.Text, s.follow.raise.Disabled())
	}
	shot(t, m.win, "followups")
	before := len(s.clues)
	s.follow.onRaise()
	confirmDialog(t, m.win, "转为线索")
	if !strings.Contains(s.follow.detail.Text, "已转为线索") {
		t.Fatalf("after raising: %q", s.follow.detail.Text)
	}
	n := 0
	for _, c := range s.clues {
		for _, r := range c.Risks {
			if r.EvidenceKey() == x.Risk.EvidenceKey() && strings.Contains(r.Again, "手工转为线索") {
				n++
			}
		}
	}
	if n != 1 || len(s.clues) < before {
		t.Errorf("raised follow-up in %d clues (%d → %d clues)", n, before, len(s.clues))
	}
}

func TestAssignScreenLeaveOutAssignPrint(t *testing.T) {
	m, files := demoWindow(t, 120)
	importDemoLists(t, m, files)
	period := m.app.Now().Format("2006-01")
	if _, err := m.app.Match(context.Background(), period); err != nil {
		t.Fatal(err)
	}
	m.goTo("交办打印")
	s := m.screens["交办打印"].(*assignScreen)
	if len(s.plans) == 0 {
		t.Fatal("no township to assign to")
	}
	s.date.SetText("2026-11-30")
	if !strings.Contains(s.deadline.Text, "2026-12-28") {
		t.Errorf("deadline preview: %q", s.deadline.Text)
	}
	// leave one clue out of the first township
	left := s.plans[0].Clues[0].ID
	s.exclude[left] = true
	s.onAssign()
	// a summary first: nothing is issued until the officer confirms
	top := m.win.Canvas().Overlays().Top()
	if a, _ := m.app.Assignments(period); len(a) != 0 || top == nil {
		t.Fatalf("assigned before confirming (%d), or no summary", len(a))
	}
	var summary string
	walk(top, func(l *widget.Label) { summary += l.Text })
	if !strings.Contains(summary, fmt.Sprintf("%d 个乡镇", len(s.plans))) || !strings.Contains(summary, "本次留下不交办：1 条") || !strings.Contains(summary, "2026-12-28") {
		t.Errorf("summary: %q", summary)
	}
	shot(t, m.win, "assign_confirm")
	confirmDialog(t, m.win, fmt.Sprintf("交办 %d 个乡镇", len(s.plans)))
	for m.win.Canvas().Overlays().Top() != nil { // the result
		m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	}
	clues, _ := m.app.Clues(period)
	for _, c := range clues {
		if c.ID == left && c.Assigned() {
			t.Errorf("clue %s was left out but assigned", left)
		}
	}
	if len(s.asgs) == 0 {
		t.Fatal("no assignment listed after assigning")
	}
	shot(t, m.win, "assign")
	// an assignment not yet printed can be withdrawn: its clues are pending again
	n := len(s.asgs)
	first := s.asgs[0]
	s.done.Select(widget.TableCellID{Row: 0, Col: 0})
	s.onWithdraw()
	confirmDialog(t, m.win, "撤回")
	if len(s.asgs) != n-1 || !strings.Contains(s.status.Text, "已撤回") {
		t.Fatalf("after withdrawing: %d assignments, %q", len(s.asgs), s.status.Text)
	}
	if c, _, _ := m.app.Clue(first.Clues[0]); c.Status != engine.StatusPending || c.Assignment != "" {
		t.Errorf("a withdrawn clue: %s %q", c.Status, c.Assignment)
	}
	s.onAssign()
	confirmDialog(t, m.win, "交办 1 个乡镇")
	for m.win.Canvas().Overlays().Top() != nil {
		m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	}
	if len(s.asgs) != n {
		t.Fatalf("assigned again: %d assignments, want %d", len(s.asgs), n)
	}
	dir := filepath.Join(t.TempDir(), "sheets")
	s.printTo(dir)
	if !strings.Contains(s.status.Text, "已生成") || s.openDir.Disabled() {
		t.Fatalf("print: %q", s.status.Text)
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(pdfs) != len(s.asgs)+1 {
		t.Errorf("%d PDFs for %d assignments", len(pdfs), len(s.asgs))
	}
	// printed, it may have been handed out: no longer withdrawn
	for m.win.Canvas().Overlays().Top() != nil {
		m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	}
	s.done.Select(widget.TableCellID{Row: 0, Col: 0})
	s.onWithdraw()
	confirmDialog(t, m.win, "撤回")
	if len(s.asgs) != n {
		t.Errorf("a printed assignment was withdrawn")
	}
}

// walk calls fn for every object of type T under o (not looking inside
// those it finds).
func walk[T fyne.CanvasObject](o fyne.CanvasObject, fn func(T)) {
	if x, ok := o.(T); ok {
		fn(x)
		return
	}
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			walk(c, fn)
		}
	}
}

func TestCalendarEditor(t *testing.T) {
	m, _ := demoWindow(t, 20)
	e := m.openCalendarEditor()
	if !strings.Contains(e.days.Text, "2026-10-10 上班") || !e.published.Checked {
		t.Fatalf("2026 shown: %q", e.days.Text)
	}
	e.year.SetSelected("2027")
	if e.published.Checked || !strings.Contains(e.source.Text, "尚未公布") {
		t.Errorf("2027: %v %q", e.published.Checked, e.source.Text)
	}
	e.days.SetText(e.days.Text + "\n2027-02-20 上班")
	e.published.SetChecked(true)
	e.onSave()
	cal, _ := m.app.Calendar()
	if !cal.Covers(2027) || !cal.IsWorkday(time.Date(2027, 2, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2027 not saved: %q", e.status.Text)
	}
	e.days.SetText("2027-02-30 放假")
	e.onSave()
	if !strings.Contains(e.status.Text, "未保存") {
		t.Errorf("bad date saved: %q", e.status.Text)
	}
}

func TestFeedbackEntryByKeyboardAndReports(t *testing.T) {
	m, files := demoWindow(t, 120)
	importDemoLists(t, m, files)
	period := m.app.Now().Format("2006-01")
	if _, err := m.app.Match(context.Background(), period); err != nil {
		t.Fatal(err)
	}
	today := m.app.Now()
	if _, err := m.app.Assign(period, today, engine.AssignOptions{}); err != nil {
		t.Fatal(err)
	}
	m.goTo("核查反馈")
	s := m.screens["核查反馈"].(*feedbackScreen)
	asgs, _ := m.app.Assignments(period)
	// before any search: every assigned clue awaits its result
	assigned := 0
	for _, g := range asgs {
		assigned += len(g.Clues)
	}
	if len(s.found) != assigned || !strings.Contains(s.head.Text, "待反馈 "+strconv.Itoa(assigned)+" 条") {
		t.Errorf("awaiting list: %d clues, head %q; %d assigned", len(s.found), s.head.Text, assigned)
	}
	first := ""
	for _, id := range asgs[0].Clues {
		c, _, _ := m.app.Clue(id)
		if c.Kind == engine.KindRisk && (first == "" || id < first) {
			first = id // the reports count risk clues, not 信息变更
		}
	}
	cv := m.win.Canvas()
	cv.Focus(s.search)
	test.Type(s.search, first)
	s.search.OnSubmitted(s.search.Text)
	if s.cur == nil || s.cur.ID != first || len(s.sheet) != len(asgs[0].Clues) {
		t.Fatalf("found %+v, sheet %d", s.cur, len(s.sheet))
	}
	// the search box lets go of the keys: 1–5 now choose the result
	if cv.Focused() != nil {
		t.Fatalf("after Enter in the search box the keys go to %T", cv.Focused())
	}
	s.typedKey(&fyne.KeyEvent{Name: fyne.Key2}) // 不纳入
	if s.outcome.Selected != engine.OutcomeNotIncluded {
		t.Fatalf("key 2 chose %q", s.outcome.Selected)
	}
	if cv.Focused() != s.reason {
		t.Errorf("不纳入 did not move to the reason field: %T", cv.Focused())
	}
	s.who.SetText("")
	s.reason.SetText("收入稳定")
	s.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(s.status.Text, "未保存") || cv.Focused() != s.who {
		t.Fatalf("no verifier: %q, keys in %T", s.status.Text, cv.Focused())
	}
	test.Type(s.who, "张干部")
	s.reason.SetText("")
	s.who.OnSubmitted(s.who.Text)
	if !strings.Contains(s.status.Text, "说明原因") || cv.Focused() != s.reason {
		t.Fatalf("no reason: %q, keys in %T", s.status.Text, cv.Focused())
	}
	test.Type(s.reason, "收入稳定")
	s.reason.OnSubmitted(s.reason.Text)
	if cv.Focused() != nil {
		t.Errorf("after saving the keys stay in %T: the next 1 would be typed into it", cv.Focused())
	}
	c, _, _ := m.app.Clue(first)
	if c.Feedback == nil || c.Feedback.Outcome != engine.OutcomeNotIncluded {
		t.Fatalf("not recorded: %+v", c.Feedback)
	}
	if len(asgs[0].Clues) > 1 && (s.cur == nil || s.cur.ID == first || s.cur.Assignment != asgs[0].Number) {
		t.Errorf("did not move to the next clue of the sheet: %+v", s.cur)
	}
	shot(t, m.win, "feedback")
	// the report screen shows the recorded result, as the report does
	m.goTo("统计报表")
	r := m.screens["统计报表"].(*reportScreen)
	rep, _ := m.app.Report(period)
	if r.rep.Total.Reported != 1 || rep.Total.Reported != 1 || !strings.Contains(r.sum.Text, "已反馈 1") {
		t.Errorf("report screen: %+v / %q", r.rep.Total, r.sum.Text)
	}
	shot(t, m.win, "report")
	m.goTo("首页")
	home := m.screens["首页"].(*homeScreen)
	if !strings.Contains(home.track.Text, "已反馈 1") {
		t.Errorf("dashboard: %q", home.track.Text)
	}
	text, err := m.historyText(c.Persons[0].ID)
	if err != nil || !strings.Contains(text, first) || !strings.Contains(text, "收入稳定") {
		t.Errorf("history: %v %q", err, text)
	}
}

func TestFirstRunWizardLoginRolesLockAndAudit(t *testing.T) {
	fa, a := emptyApp(t)
	m := newMainWindow(fa, a)
	m.start()
	w := m.wizardForm
	if w == nil {
		t.Fatal("no wizard on an empty database")
	}
	w.county.SetText("青山县")
	w.pw1.SetText("12345")
	w.pw2.SetText("12345")
	w.done()
	if ops, _ := a.Operators(); len(ops) != 0 || !strings.Contains(w.msg.Text, "至少 6 位") {
		t.Fatalf("no name, short password: %q, %d accounts", w.msg.Text, len(ops))
	}
	w.name.SetText("李管理")
	w.pw1.SetText("secret1")
	w.pw2.SetText("secret2")
	w.done()
	if !strings.Contains(w.msg.Text, "不一致") {
		t.Fatalf("mismatched passwords: %q", w.msg.Text)
	}
	w.pw2.SetText("secret1")
	w.done()
	if op := a.Operator(); op == nil || op.Role != app.RoleAdmin || op.Name != "李管理" {
		t.Fatalf("after the wizard: %+v (%q)", op, w.msg.Text)
	}
	if s := a.Settings(); s.CountyName != "青山县" {
		t.Errorf("county %q", s.CountyName)
	}
	// the administrator adds an operator; the operator cannot change rules
	if err := a.CreateOperator("王操作", app.RoleOperator, "pass123"); err != nil {
		t.Fatal(err)
	}
	if err := a.Login("王操作", "wrong"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if err := a.Login("王操作", "pass123"); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveCatalog(a.Catalog.Clone()); err == nil || !strings.Contains(err.Error(), "只有管理员") {
		t.Errorf("operator changed the rules: %v", err)
	}
	if err := a.SaveCalendarYear(2027, "2027-01-01 放假", true); err == nil {
		t.Error("operator changed the calendar")
	}
	if err := a.CreateOperator("赵新", app.RoleAdmin, "pass123"); err == nil {
		t.Error("operator added an account")
	}
	// a second start asks for a login
	m2 := newMainWindow(fa, a)
	m2.start()
	if m2.win.Content() == m2.mainContent {
		t.Error("accounts exist but no login was asked")
	}
	// the idle lock
	s := a.Settings()
	s.IdleMinutes = 1
	a.SaveSettings(s)
	lastActivity.Store(time.Now().Add(-2 * time.Minute).UnixNano())
	m.checkIdle()
	if !m.locked || m.win.Content() == m.mainContent {
		t.Fatal("not locked after the idle time")
	}
	shot(t, m.win, "locked")
	// every login, the failed one too, is in the audit log, which filters
	v := m.openAuditLog()
	v.filter.SetText("登录失败")
	if len(v.rows) != 1 || v.rows[0].Detail != "王操作" {
		t.Errorf("audit filter: %+v", v.rows)
	}
	if err := v.export(filepath.Join(t.TempDir(), "log.xlsx")); err != nil {
		t.Error(err)
	}
}

// TestWizardWithDemoCounty: the first run with the demo box ticked builds the
// demo county with its earlier months (in the background), then logs the new
// administrator in; 核查反馈 opens on what is overdue and 统计报表 on the
// newest compared month.
func TestWizardWithDemoCounty(t *testing.T) {
	fa, a := emptyApp(t)
	a.Now = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local) }
	m := newMainWindow(fa, a)
	m.start()
	w := m.wizardForm
	real := a.DBPath()
	w.county.SetText("石屏县")
	w.code.SetText("532525")
	w.name.SetText("李管理")
	w.pw1.SetText("secret1")
	w.pw2.SetText("secret1")
	w.demo.SetChecked(true)
	w.done()
	if !m.app.IsDemo() || m.app.Settings().CountyName != "青山县" || !strings.Contains(m.win.Title(), "【示范】") {
		t.Fatalf("not in the demo: %q, title %q", w.msg.Text, m.win.Title())
	}
	if r, err := m.app.Roster(); err != nil || len(r.Persons) == 0 {
		t.Fatalf("no roster in the demo: %v", err)
	}
	if !labelOn(m.win.Canvas().Overlays().Top(), "示例文件") && !labelOn(m.win.Canvas().Overlays().Top(), "示例清单") {
		t.Error("the demo does not say where its sample files are")
	}
	for m.win.Canvas().Overlays().Top() != nil {
		m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	}
	m.goTo("核查反馈")
	fb := m.screens["核查反馈"].(*feedbackScreen)
	if len(fb.found) == 0 || !strings.Contains(fb.head.Text, "其中逾期") || !strings.Contains(dueText(fb.found[0], fb.left), "逾期") {
		t.Errorf("feedback screen: %d awaiting, head %q", len(fb.found), fb.head.Text)
	}
	shot(t, m.win, "feedback-awaiting")
	m.goTo("统计报表")
	r := m.screens["统计报表"].(*reportScreen)
	if r.period.Selected != "2026-10" || r.rep == nil || r.rep.Total.Reported == 0 {
		t.Errorf("report screen opened on %q", r.period.Selected)
	}
	// leaving the demo: the county's own database kept what was typed,
	// and the administrator logs in
	m.exitDemo()
	if s := m.app.Settings(); m.app.DBPath() != real || s.CountyName != "石屏县" || s.CountyCode != "532525" || s.Operator != "李管理" {
		t.Errorf("the county's settings after the demo: %+v", s)
	}
	if err := m.app.Login("李管理", "secret1"); err != nil {
		t.Errorf("the administrator typed in the wizard: %v", err)
	}
	if r, _ := m.app.Roster(); len(r.Persons) != 0 {
		t.Errorf("the demo leaked into the county's database")
	}
}

// emptyApp is a headless Fyne app and an empty database, as on a first run.
func emptyApp(t *testing.T) (fyne.App, *app.App) {
	t.Helper()
	t.Setenv("LANG", "zh_CN.UTF-8")
	fa := test.NewTempApp(t)
	a, err := app.Open(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return fa, a
}
