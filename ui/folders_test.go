package ui

import (
	"bidui/app"
	"bidui/engine"
	"bidui/engine/excel"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"
)

// findList finds the first list under o (the file dialog's places).
func findList(o fyne.CanvasObject) *widget.List {
	switch w := o.(type) {
	case *widget.List:
		return w
	case *widget.PopUp:
		return findList(w.Content)
	case *container.Split:
		if l := findList(w.Leading); l != nil {
			return l
		}
		return findList(w.Trailing)
	case *fyne.Container:
		for _, c := range w.Objects {
			if l := findList(c); l != nil {
				return l
			}
		}
	}
	return nil
}

func labels(o fyne.CanvasObject, out *[]string) {
	switch w := o.(type) {
	case *widget.Label:
		*out = append(*out, w.Text)
	case *fyne.Container:
		for _, c := range w.Objects {
			labels(c, out)
		}
	}
}

func TestFileDialogNamesItsPlacesInChinese(t *testing.T) {
	m, _ := demoWindow(t, 20)
	m.win.Show()
	m.openSpreadsheet(func(string) {})
	top := m.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no file dialog shown")
	}
	l := findList(top)
	if l == nil {
		t.Fatal("the dialog has no list of places")
	}
	var names []string
	for i := 0; i < l.Length(); i++ {
		item := l.CreateItem()
		l.UpdateItem(i, item)
		labels(item, &names)
	}
	if len(names) == 0 {
		t.Fatal("no places listed")
	}
	for _, n := range names {
		if _, english := placeNames[n]; english {
			t.Errorf("place %q is still in English (all: %v)", n, names)
		}
	}
	if names[0] != "主文件夹" {
		t.Errorf("first place %q, want 主文件夹", names[0])
	}
	shot(t, m.win, "file_dialog")
}

func TestImportAndPrintRememberTheirOwnFolders(t *testing.T) {
	m, files := demoWindow(t, 20)
	printDir := t.TempDir()
	m.rememberFolder(folderImport, files)
	m.rememberFolder(folderPrint, printDir)
	if got := m.startFolder(folderImport); got == nil || filepath.Clean(got.Path()) != filepath.Clean(files) {
		t.Errorf("import starts at %v, want %s", got, files)
	}
	if got := m.startFolder(folderPrint); got == nil || filepath.Clean(got.Path()) != filepath.Clean(printDir) {
		t.Errorf("print starts at %v, want %s", got, printDir)
	}
	// a folder since removed is passed over for the next one known
	os.RemoveAll(printDir)
	if got := m.startFolder(folderPrint); got != nil && filepath.Clean(got.Path()) == filepath.Clean(printDir) {
		t.Errorf("a removed folder was offered")
	}
}

// findButton finds a button by its text under o (a dialog's buttons).
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch w := o.(type) {
	case *widget.Button:
		if w.Text == text {
			return w
		}
	case *widget.PopUp:
		return findButton(w.Content, text)
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		r := test.WidgetRenderer(w)
		for _, c := range r.Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// TestPartialRosterAsksFirstAndUndoPutsItBack: in the window, a roster file
// of a few persons asks before replacing the roster; "不替换" keeps it,
// "仍要替换名册" replaces it, and 撤销上次名册导入 puts it back.
func TestPartialRosterAsksFirstAndUndoPutsItBack(t *testing.T) {
	m, s, full, before := rosterWindow(t, 60)
	wb, err := excel.Open(full[0])
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.Rows(wb.Sheets[0])
	var lines []string
	for rows.Next() && len(lines) < 8 {
		lines = append(lines, strings.Join(rows.Cells(), ","))
	}
	rows.Close()
	wb.Close()
	small := filepath.Join(t.TempDir(), "部分名册.csv")
	os.WriteFile(small, []byte(strings.Join(lines, "\n")+"\n"), 0o644)

	s.runImport(app.RosterRequest{Files: []string{small}})
	waitFor(t, "the import to end", func() bool { return !s.importBtn.Disabled() })
	top := m.win.Canvas().Overlays().Top()
	keep, replace := findButton(top, "不替换，保持原名册"), findButton(top, "仍要替换名册")
	if top == nil || keep == nil || replace == nil {
		t.Fatalf("no question asked (status %q)", s.status.Text)
	}
	shot(t, m.win, "roster_shrink_confirm")
	test.Tap(keep)
	if len(s.roster.Persons) != before {
		t.Fatalf("keeping changed the roster")
	}
	s.runImport(app.RosterRequest{Files: []string{small}})
	waitFor(t, "the import to end", func() bool { return !s.importBtn.Disabled() })
	test.Tap(findButton(m.win.Canvas().Overlays().Top(), "仍要替换名册"))
	waitFor(t, "the confirmed import", func() bool { return !s.importBtn.Disabled() && len(s.roster.Persons) < before })
	for m.win.Canvas().Overlays().Top() != nil { // the import's report
		m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	}
	s.onUndo()
	undo := findButton(m.win.Canvas().Overlays().Top(), "撤销这次导入")
	if undo == nil {
		t.Fatal("undo asks nothing")
	}
	test.Tap(undo)
	if len(s.roster.Persons) != before || !strings.Contains(s.status.Text, "已撤销") {
		t.Errorf("after undo %d persons (want %d), status %q", len(s.roster.Persons), before, s.status.Text)
	}
}

// TestRestoreAnEncryptedBackupInTheWindow: the window asks for the backup's
// password, shows what it holds, restores, and then asks for a login again
// on a database with accounts.
func TestRestoreAnEncryptedBackupInTheWindow(t *testing.T) {
	m, _ := demoWindow(t, 20)
	m.win.Show()
	if err := m.app.CreateOperator("李管理", app.RoleAdmin, "管理员密码123"); err != nil {
		t.Fatal(err)
	}
	if err := m.app.Login("李管理", "管理员密码123"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "备份.db")
	if err := m.app.Backup(backup, "县局备份密码2026"); err != nil {
		t.Fatal(err)
	}
	m.goTo("设置")
	s := m.screens["设置"].(*settingsScreen)
	s.confirmRestore(backup)
	if findButton(m.win.Canvas().Overlays().Top(), "检查备份") == nil {
		t.Fatal("no password asked for an encrypted backup")
	}
	m.win.Canvas().Overlays().Remove(m.win.Canvas().Overlays().Top())
	s.confirmRestoreWith(backup, "县局备份密码2026")
	top := m.win.Canvas().Overlays().Top()
	if findButton(top, "不恢复") == nil {
		t.Fatal("no confirmation shown")
	}
	shot(t, m.win, "restore_confirm")
	test.Tap(findButton(top, "恢复这个备份"))
	if m.app.Operator() != nil {
		t.Error("still logged in after a restore")
	}
	if m.win.Content() == m.mainContent {
		t.Error("the main window shows without a login after a restore")
	}
}

// TestRosterImportShowsColumnsAndRemembersTheOfficersChoice: a roster
// export whose 户编号 column has a name bidui does not know is shown in a
// preview; the officer picks the column, the import goes ahead, and the
// next export of the same shape is understood without asking.
func TestRosterImportShowsColumnsAndRemembersTheOfficersChoice(t *testing.T) {
	m, s, full, before := rosterWindow(t, 40)
	f, err := excelize.OpenFile(full[0])
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	col := -1
	for i, h := range rows[2] {
		if h == "户编号" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no 户编号 in the demo's header %q", rows[2])
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 3)
	f.SetCellValue(sheet, cell, "家庭户识别码")
	odd := filepath.Join(t.TempDir(), "名册_新格式.xlsx")
	if err := f.SaveAs(odd); err != nil {
		t.Fatal(err)
	}
	f.Close()
	d := s.showRosterDialog(odd)
	if d.prev == nil || !strings.Contains(d.note.Text, "户编号") {
		t.Fatalf("the missing column is not pointed out: %q", d.note.Text)
	}
	shot(t, m.win, "roster_preview")
	d.maps["household"].SetSelected(columnOption(col, "家庭户识别码"))
	s.runImport(d.request())
	waitFor(t, "the import to end", func() bool { return !s.importBtn.Disabled() })
	if len(s.roster.Persons) != before {
		t.Fatalf("after the import with the chosen column: %d persons, want %d (%s)", len(s.roster.Persons), before, s.status.Text)
	}
	// the next export of that shape: understood at once
	p, err := m.app.PreviewRoster(odd, "")
	if err != nil || len(p.Missing) != 0 || p.Columns["household"] != col {
		t.Errorf("not remembered: %+v %v", p, err)
	}
}

// rosterWindow is a window on a demo county's roster page, with the demo's
// roster export and the persons it holds.
func rosterWindow(t *testing.T, households int) (*mainWindow, *rosterScreen, []string, int) {
	t.Helper()
	m, files := demoWindow(t, households)
	m.win.Show()
	m.goTo("基础名册")
	s := m.screens["基础名册"].(*rosterScreen)
	waitFor(t, "the roster to load", func() bool { return len(s.roster.Persons) > 0 })
	full, _ := filepath.Glob(filepath.Join(files, "*基础名册*.xlsx"))
	if len(full) == 0 {
		t.Fatal("no roster export in the demo files")
	}
	return m, s, full, len(s.roster.Persons)
}

func TestPreviewSaysWhenTheFileHasNoIDColumn(t *testing.T) {
	p := &app.Preview{Missing: []engine.Field{engine.FieldID}}
	if n := missingNote(p); !strings.HasPrefix(n, "这个文件中没有找到身份证号列") || strings.Contains(n, "没有自动找到必需的列") {
		t.Errorf("no ID: %q", n)
	}
	p.Missing = append(p.Missing, engine.FieldName)
	if n := missingNote(p); !strings.Contains(n, "身份证号列") || !strings.Contains(n, "没有自动找到必需的列：姓名") {
		t.Errorf("no ID, no name: %q", n)
	}
	p.Missing = []engine.Field{engine.FieldName}
	if n := missingNote(p); strings.Contains(n, "身份证号") {
		t.Errorf("only the name missing: %q", n)
	}
}
