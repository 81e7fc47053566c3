package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"bidui/app"
	"bidui/engine"
)

// TestAddClueFormKeepsInputOnError: the form says whose an ID is, an error
// is shown inside it without closing it or losing what was typed, and Enter
// adds the clue once it is right.
func TestAddClueFormKeepsInputOnError(t *testing.T) {
	m, _ := demoWindow(t, 30)
	m.goTo("比对与线索")
	s := m.screens["比对与线索"].(*cluesScreen)
	s.onAdd()
	cv := m.win.Canvas()
	top := cv.Overlays().Top()
	var entries []*widget.Entry
	walk(top, func(e *widget.Entry) { entries = append(entries, e) })
	id, note := entries[0], entries[len(entries)-1]
	r, _ := m.app.Roster()
	p := r.Persons[0]
	id.SetText(p.ID)
	if !labelOn(top, "名册内："+p.Name) {
		t.Errorf("the form does not say whose %s is", p.ID)
	}
	note.SetText("12317来电反映户主住院") // no risk type chosen yet
	m.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if cv.Overlays().Top() != top || !labelOn(top, "未新增") {
		t.Fatal("an invalid form closed, or said nothing")
	}
	if id.Text != p.ID || note.Text != "12317来电反映户主住院" {
		t.Errorf("typed text lost: %q %q", id.Text, note.Text)
	}
	walk(top, func(sel *widget.Select) {
		if len(sel.Options) > 0 && sel.Selected == "" {
			sel.SetSelected(sel.Options[0]) // the risk type
		}
	})
	m.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if cv.Overlays().Top() != nil || !strings.Contains(s.summary.Text, "已新增线索") {
		t.Fatalf("Enter did not add: %q", s.summary.Text)
	}
}

// TestDialogKeys: Esc closes a dialog as its dismiss button does; Enter
// takes the default, which on a risky question is the safe answer.
func TestDialogKeys(t *testing.T) {
	m, files := demoWindow(t, 20)
	cv := m.win.Canvas()
	did := 0
	m.confirm("请确认", "仍要导入吗？", "仍要导入", "不导入", true, func() { did++ })
	m.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if did != 0 || cv.Overlays().Top() != nil {
		t.Errorf("Enter on a risky question: did %d, still open %v", did, cv.Overlays().Top() != nil)
	}
	m.confirm("转为线索", "转为线索吗？", "转为线索", "取消", false, func() { did++ })
	m.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if did != 0 || cv.Overlays().Top() != nil {
		t.Errorf("Esc: did %d", did)
	}
	m.confirm("转为线索", "转为线索吗？", "转为线索", "取消", false, func() { did++ })
	m.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if did != 1 || cv.Overlays().Top() != nil {
		t.Errorf("Enter on a safe question: did %d", did)
	}
	if b := findButton(func() fyne.CanvasObject {
		m.confirm("x", "y", "仍要导入", "不导入", true, func() {})
		return cv.Overlays().Top()
	}(), "不导入"); b == nil {
		t.Error("the buttons do not say what they do")
	}
	m.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	// a cancel is not reported as a fault
	importDemoLists(t, m, files)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.app.MatchWith(ctx, engine.MonthOf(m.app.Now()).String(), app.MatchOptions{})
	if err == nil {
		t.Fatal("a cancelled comparison went through")
	}
	m.showError(err)
	if !labelOn(cv.Overlays().Top(), "已取消") || labelOn(cv.Overlays().Top(), "出错了") {
		t.Error("a cancel was titled 出错了")
	}
}

// TestRulesEditorAsksBeforeDiscarding: closing the rules window with edits
// not saved asks; keeping on editing is the safe answer.
func TestRulesEditorAsksBeforeDiscarding(t *testing.T) {
	m, _ := demoWindow(t, 20)
	e := m.openRulesEditor()
	e.on.SetText("8000")
	e.onClose()
	top := e.win.Canvas().Overlays().Top()
	if top == nil || findButton(top, "放弃修改并关闭") == nil {
		t.Fatal("closing with unsaved edits did not ask")
	}
	// Enter takes the safe answer there too: the window stays, the edit with it
	e.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if e.win.Canvas().Overlays().Top() != nil || e.on.Text != "8000" {
		t.Fatalf("Enter on 放弃修改并关闭: question open %v, edit %q", e.win.Canvas().Overlays().Top() != nil, e.on.Text)
	}
	e.onClose()
	top = e.win.Canvas().Overlays().Top()
	test.Tap(findButton(top, "继续修改"))
	if d, _ := m.app.Catalog.Dept("医保局"); d.Lists[0].Rule.OnRoster != 5000 {
		t.Error("the edit was saved without saving")
	}
}

// TestNoEnglishDropDowns: every drop-down is made by newSelect, whose empty
// state is Chinese, not Fyne's "(Select one)".
func TestNoEnglishDropDowns(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, _ := os.ReadFile(f)
		if n := strings.Count(string(data), "widget.NewSelect("); n > 0 && !(f == "ui.go" && n == 1) {
			t.Errorf("%s makes %d drop-downs without newSelect", f, n)
		}
	}
	if newSelect(nil, nil).PlaceHolder != "请选择" {
		t.Error("placeholder")
	}
}

// labelOn reports whether a label under o contains text.
func labelOn(o fyne.CanvasObject, text string) bool {
	found := false
	if o != nil {
		walk(o, func(l *widget.Label) { found = found || strings.Contains(l.Text, text) })
	}
	return found
}

// TestHomeIsTheMonthsChecklist: the home page lists the batch's steps in
// order, each a button to its page with its state, the late ones in red.
func TestHomeIsTheMonthsChecklist(t *testing.T) {
	m := demoMonthsWindow(t, 150, 2)
	m.goTo("首页")
	h := m.screens["首页"].(*homeScreen)
	want := engine.MonthOf(m.app.Now()).Add(-1).String() // the newest batch worked on
	if h.period.Selected != want {
		t.Errorf("checklist of %s, want %s", h.period.Selected, want)
	}
	names := []string{"基础名册", "部门报送", "数据比对", "待复核", "集中交办", "打印交办单", "核查反馈", "月报与通报"}
	objs := h.steps.Objects
	if len(objs) != 2*len(names) {
		t.Fatalf("%d objects for %d steps", len(objs), len(names))
	}
	for i, n := range names {
		b := objs[2*i].(*widget.Button)
		if !strings.Contains(b.Text, n) {
			t.Errorf("step %d is %q, want %s", i+1, b.Text, n)
		}
	}
	if !strings.Contains(objs[0].(*widget.Button).Text, "✓") {
		t.Error("the roster step is not done on the demo county")
	}
	fb := objs[13].(*widget.Label)
	if !strings.Contains(fb.Text, "已反馈") {
		t.Errorf("feedback state: %q", fb.Text)
	}
	shot(t, m.win, "home_checklist")
	test.Tap(objs[12].(*widget.Button))
	if m.current != "核查反馈" {
		t.Errorf("the feedback step went to %q", m.current)
	}
	// what is late or out of date is in red, and only that
	m.goTo("首页")
	for _, p := range []string{want, engine.MonthOf(m.app.Now()).Add(-2).String(), engine.MonthOf(m.app.Now()).String()} {
		h.period.SetSelected(p)
		for i := 1; i < len(h.steps.Objects); i += 2 {
			l := h.steps.Objects[i].(*widget.Label)
			late := strings.Contains(l.Text, "逾期") || strings.Contains(l.Text, "过期")
			if late != (l.Importance == widget.DangerImportance) {
				t.Errorf("%s: %q in red %v", p, l.Text, l.Importance == widget.DangerImportance)
			}
		}
	}
}

// TestTablesSortFreezeAndExportTheView: a click on a header sorts the rows
// (numbers as numbers, again the other way), the selection maps back to
// the caller's row, the first column is frozen, and what is shown exports
// as shown, with numbers as numbers and ID numbers as text.
func TestTablesSortFreezeAndExportTheView(t *testing.T) {
	m, _ := demoWindow(t, 20)
	data := [][]string{{"龙泉镇", "9", "530428199001011231"}, {"城关镇", "12", "530428199002021232"}, {"白鹤乡", "1,500", "530428199003031233"}}
	picked := -1
	tb := newDataTable([]column{{"乡镇", 80}, {"线索", 60}, {"身份证号", 170}}, func() int { return len(data) },
		func(row, col int, l *widget.Label) { l.SetText(data[row][col]) })
	tb.OnSelected = func(id widget.TableCellID) { picked = tb.Data(id.Row) }
	if tb.StickyColumnCount != 1 {
		t.Error("the first column is not frozen")
	}
	header := tb.CreateHeader().(*widget.Button)
	tb.UpdateHeader(widget.TableCellID{Row: -1, Col: 1}, header)
	test.Tap(header) // 线索, ascending: 9, 12, 1,500
	if got := []int{tb.Data(0), tb.Data(1), tb.Data(2)}; got[0] != 0 || got[1] != 1 || got[2] != 2 {
		t.Errorf("ascending by number: %v", got)
	}
	tb.UpdateHeader(widget.TableCellID{Row: -1, Col: 1}, header)
	if header.Text != "线索 ▲" {
		t.Errorf("header %q", header.Text)
	}
	test.Tap(header) // descending
	if tb.Data(0) != 2 {
		t.Errorf("descending: first is %d", tb.Data(0))
	}
	tb.Select(widget.TableCellID{Row: 0, Col: 0})
	if picked != 2 {
		t.Errorf("the first row shown is the caller's row %d, want 2", picked)
	}
	view := tb.View()
	if view[0][1] != "线索" || view[1][0] != "白鹤乡" || view[3][0] != "龙泉镇" {
		t.Errorf("view %v", view)
	}
	path := filepath.Join(t.TempDir(), "v.xlsx")
	if err := m.app.ExportTable(path, "测试", view); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if v, _ := f.GetCellValue(sheet, "B4"); v != "1500" {
		t.Errorf("1,500 exported as %q", v)
	}
	if typ, _ := f.GetCellType(sheet, "C4"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("an ID number exported as a number")
	}
	if p, _ := f.GetPanes(sheet); !p.Freeze {
		t.Error("the export's header is not frozen")
	}
}

// TestLeavingADemoThatIsTheOnlyDatabase: a database made with bidui demo
// and opened on its own has no county's database behind it to go back to.
func TestLeavingADemoThatIsTheOnlyDatabase(t *testing.T) {
	m, _ := demoWindow(t, 20)
	before := m.app
	m.realPath = m.app.DBPath()
	m.exitDemo()
	if m.app != before || !labelOn(m.win.Canvas().Overlays().Top(), "本身就是示范县") {
		t.Error("left the demo into itself, or said nothing")
	}
}
