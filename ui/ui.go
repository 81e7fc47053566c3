// Package ui holds bidui's Fyne screens. It calls the app use cases and holds
// no business rules: one file per screen, a struct per screen holding its
// widgets, background work reporting back through fyne.Do.
package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
)

// AppID is the application identifier (also in FyneApp.toml).
const AppID = "cn.bidui.desktop"

// runAsync runs slow work (database, files) off the UI thread; the work
// reports back through fyne.Do. Tests make it synchronous, since the test
// driver has no event loop to serialise widget updates on.
var runAsync = func(f func()) { active(); go f() }

// screen is one page of the main window.
type screen interface {
	content() fyne.CanvasObject
	// shown is called each time the officer opens the page.
	shown()
}

// mainWindow is the window with its navigation and pages.
type mainWindow struct {
	closing bool // the backup on the way out is running
	app     *app.App
	fyneApp fyne.App
	win     fyne.Window

	titles  []string
	screens map[string]screen
	body    *fyne.Container
	nav     *widget.List
	current string

	mainContent fyne.CanvasObject // the navigation and pages, once past login
	locked      bool
	wizardForm  *wizardFields
	wizardBtn   *widget.Button

	realPath string // the county's own database while the demo is open

	pageKey func(*fyne.KeyEvent) // the open page's keys, when it takes them
	dialogs []openDialog         // the dialogs open, the top one last
}

// openDialog is a dialog on the window with what Enter does in it (Esc
// closes it as its safe answer).
type openDialog struct {
	d     dialog.Dialog
	enter func()
}

// showDialog shows d and gives it the keyboard: Enter runs enter (the
// dialog's default button: the safe one where the action cannot be
// undone), Esc closes it as its dismiss button does.
func (m *mainWindow) showDialog(d dialog.Dialog, enter func()) {
	m.dialogs = append(m.dialogs, openDialog{d, enter})
	d.SetOnClosed(func() {
		for i := range m.dialogs {
			if m.dialogs[i].d == d {
				m.dialogs = append(m.dialogs[:i], m.dialogs[i+1:]...)
				break
			}
		}
	})
	d.Show()
}

// setPageKeys gives the keyboard (when no field has it) to the open page.
func (m *mainWindow) setPageKeys(fn func(*fyne.KeyEvent)) { m.pageKey = fn }

// typedKey is the window's keyboard when no field has it: the top dialog's
// Enter and Esc, else the page's keys.
func (m *mainWindow) typedKey(k *fyne.KeyEvent) {
	if n := len(m.dialogs); n > 0 {
		top := m.dialogs[n-1]
		switch k.Name {
		case fyne.KeyEscape:
			top.d.Hide()
		case fyne.KeyReturn, fyne.KeyEnter:
			if top.enter != nil {
				top.enter()
			} else {
				top.d.Hide()
			}
		}
		return
	}
	if m.pageKey != nil {
		m.pageKey(k)
	}
}

var navTitles = []string{"首页", "基础名册", "部门数据", "比对与线索", "交办打印", "核查反馈", "统计报表", "设置"}

// Run opens the window on the database at dbPath ("" for the default) and
// returns the process exit code.
func Run(dbPath string) int {
	fyneapp.SetMetadata(fyne.AppMetadata{ID: AppID, Name: "防返贫监测数据比对系统", Version: "0.1.0", Icon: iconResource,
		Migrations: map[string]bool{"fyneDo": true}})
	fa := fyneapp.NewWithID(AppID)
	fa.Settings().SetTheme(biduiTheme{})
	fa.SetIcon(iconResource)
	a, err := app.Open(dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "错误："+err.Error())
		showFatal(fa, err)
		return 1
	}
	m := newMainWindow(fa, a)
	defer func() { m.app.Close() }() // the database open now: a restore reopens it
	m.start()
	if p := a.AuditProblem(); p != "" {
		m.showError(errors.New(p))
	}
	m.watchIdle()
	m.win.SetCloseIntercept(m.closeWithBackup)
	go func() {
		if _, err := a.DailyBackup(); err != nil {
			fmt.Fprintln(os.Stderr, "每日备份失败："+err.Error())
		}
	}()
	m.win.ShowAndRun()
	return 0
}

// showFatal shows a start-up error in a small window of its own.
func showFatal(fa fyne.App, err error) {
	w := fa.NewWindow("防返贫监测数据比对系统")
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewBorder(nil, widget.NewButton("关闭", func() { fa.Quit() }), nil, nil, msg))
	w.Resize(fyne.NewSize(520, 200))
	w.ShowAndRun()
}

func newMainWindow(fa fyne.App, a *app.App) *mainWindow {
	m := &mainWindow{app: a, fyneApp: fa, titles: navTitles, screens: map[string]screen{}}
	m.win = fa.NewWindow(m.windowTitle())
	m.win.Canvas().SetOnTypedKey(m.typedKey)
	m.screens["首页"] = newHomeScreen(m)
	m.screens["基础名册"] = newRosterScreen(m)
	m.screens["部门数据"] = newListsScreen(m)
	m.screens["比对与线索"] = newCluesScreen(m)
	m.screens["交办打印"] = newAssignScreen(m)
	m.screens["核查反馈"] = newFeedbackScreen(m)
	m.screens["统计报表"] = newReportScreen(m)
	m.screens["设置"] = newSettingsScreen(m)
	m.body = container.NewStack()
	m.nav = widget.NewList(
		func() int { return len(m.titles) },
		func() fyne.CanvasObject { return widget.NewLabel("比对与线索比对") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(m.titles[i]) },
	)
	m.nav.OnSelected = func(i widget.ListItemID) { m.touch(); m.show(m.titles[i]) }
	split := container.NewHSplit(m.nav, m.body)
	split.Offset = 0.12
	m.mainContent = split
	m.win.SetContent(split)
	m.win.Resize(fyne.NewSize(1280, 800))
	m.nav.Select(0)
	return m
}

func (m *mainWindow) windowTitle() string {
	s := m.app.Settings()
	if s.Demo {
		return "【示范】防返贫监测数据比对系统 — " + s.CountyName + "（虚构数据，非本县正式数据）"
	}
	if s.CountyName == "" {
		return "防返贫监测数据比对系统"
	}
	return "防返贫监测数据比对系统 — " + s.CountyName
}

// show switches to the page with the title.
func (m *mainWindow) show(title string) {
	s := m.screens[title]
	if s == nil {
		return
	}
	m.current = title
	m.pageKey = nil // a page that wants the keyboard takes it in shown()
	m.body.Objects = []fyne.CanvasObject{s.content()}
	m.body.Refresh()
	s.shown()
}

// goTo selects a page in the navigation, as if clicked.
func (m *mainWindow) goTo(title string) {
	for i, t := range m.titles {
		if t == title {
			m.nav.Select(i)
			return
		}
	}
}

// showError tells the officer what went wrong, in Chinese.
func (m *mainWindow) showError(err error) {
	active()
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	title := "出错了"
	var c *app.Cancelled
	if errors.As(err, &c) {
		title = "已取消" // the officer's own choice, not a fault
	}
	m.showDialog(dialog.NewCustom(title, "确定", container.NewGridWrap(fyne.NewSize(480, 120), msg), m.win), nil)
}

// showInfo shows a message with a title.
func (m *mainWindow) showInfo(title string, body fyne.CanvasObject) {
	m.showDialog(dialog.NewCustom(title, "确定", body, m.win), nil)
}

// confirm asks before an action: yes and no say what each does; Enter
// takes yes unless the action is risky, when Enter (like Esc) takes no.
func (m *mainWindow) confirm(title, msg, yes, no string, risky bool, fn func()) {
	m.confirmOn(m.win, title, msg, yes, no, risky, fn)
}

// confirmOn is confirm on another of the program's windows.
func (m *mainWindow) confirmOn(w fyne.Window, title, msg, yes, no string, risky bool, fn func()) {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, yes, no, container.NewGridWrap(fyne.NewSize(520, 140), container.NewVScroll(l)), func(ok bool) {
		if ok {
			fn()
		}
	}, w)
	enter := d.Confirm
	if risky {
		d.SetConfirmImportance(widget.DangerImportance)
		enter = d.Hide
	}
	if w == m.win {
		m.showDialog(d, enter)
		return
	}
	// another of the program's windows (the rules, the catalog): its own
	// keys, while the question is open
	keys := w.Canvas().OnTypedKey()
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyEscape:
			d.Hide()
		case fyne.KeyReturn, fyne.KeyEnter:
			enter()
		}
	})
	d.SetOnClosed(func() { w.Canvas().SetOnTypedKey(keys) })
	d.Show()
}

// The folders file dialogs remember, each its own: where the officer
// imports from is seldom where sheets are printed or backups kept.
const (
	folderImport = "import" // department lists, rosters, returned sheets
	folderPrint  = "print"  // printed assignment sheets
	folderExport = "export" // exported workbooks and PDFs
	folderBackup = "backup" // backups written and restored
)

// prefLastFolder is the one folder earlier versions remembered for all.
const prefLastFolder = "last_folder"

// startFolder is where a file dialog for kind opens: the folder last used
// for it, else the folder last used for anything (earlier versions), else
// the demo's sample files beside the database, else the home folder.
func (m *mainWindow) startFolder(kind string) fyne.ListableURI {
	prefs := m.fyneApp.Preferences()
	for _, dir := range []string{prefs.String("folder_" + kind), prefs.String(prefLastFolder), m.app.SampleDir()} {
		if dir == "" {
			continue
		}
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
				return l
			}
		}
	}
	return nil
}

// rememberFolder keeps the folder last used for kind.
func (m *mainWindow) rememberFolder(kind, dir string) {
	m.fyneApp.Preferences().SetString("folder_"+kind, dir)
}

// placeNames are the Chinese names of the places Fyne's file dialog lists
// on its left (it names them in English whatever the language).
var placeNames = map[string]string{"Home": "主文件夹", "Desktop": "桌面", "Documents": "文档", "Downloads": "下载",
	"Music": "音乐", "Pictures": "图片", "Videos": "视频", "Computer": "计算机", "App Files": "程序文件"}

// showFileDialog shows a file dialog at the folder for kind, its places
// named in Chinese.
func (m *mainWindow) showFileDialog(d *dialog.FileDialog, kind string) {
	if loc := m.startFolder(kind); loc != nil {
		d.SetLocation(loc)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
	if top := m.win.Canvas().Overlays().Top(); top != nil {
		namePlaces(top)
	}
}

// namePlaces renames the places in a file dialog's list of favourites.
func namePlaces(o fyne.CanvasObject) {
	switch w := o.(type) {
	case *widget.List:
		update := w.UpdateItem
		if update == nil {
			return
		}
		w.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
			update(id, item)
			renameLabels(item)
		}
		w.Refresh()
	case *widget.PopUp:
		namePlaces(w.Content)
	case *container.Split:
		namePlaces(w.Leading)
		namePlaces(w.Trailing)
	case *fyne.Container:
		for _, c := range w.Objects {
			namePlaces(c)
		}
	}
}

// renameLabels gives the labels of a list item their Chinese names.
func renameLabels(o fyne.CanvasObject) {
	switch w := o.(type) {
	case *widget.Label:
		if zh, ok := placeNames[w.Text]; ok {
			w.SetText(zh)
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			renameLabels(c)
		}
	}
}

// refreshScreens tells the pages that shared data (the catalog) changed.
func (m *mainWindow) refreshScreens() {
	if s, ok := m.screens["部门数据"].(*listsScreen); ok && m.current == "部门数据" {
		s.refresh()
	}
}

var spreadsheetFilter = storage.NewExtensionFileFilter([]string{".xlsx", ".xls", ".csv", ".XLSX", ".XLS", ".CSV"})

// openSpreadsheet asks for an .xlsx, .xls or .csv file and hands its path to use.
func (m *mainWindow) openSpreadsheet(use func(path string)) {
	active()
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			m.showError(err)
			return
		}
		if rc == nil {
			return // cancelled
		}
		path := rc.URI().Path()
		rc.Close()
		m.rememberFolder(folderImport, filepath.Dir(path))
		use(path)
	}, m.win)
	d.SetFilter(spreadsheetFilter)
	m.showFileDialog(d, folderImport)
}

// saveXLSX asks where to save an exported workbook.
func (m *mainWindow) saveXLSX(name string, write func(path string) error, done func(path string)) {
	m.saveFile(name, ".xlsx", folderExport, write, done)
}

// savePDF asks where to save an exported PDF.
func (m *mainWindow) savePDF(name string, write func(path string) error, done func(path string)) {
	m.saveFile(name, ".pdf", folderExport, write, done)
}

// saveFile asks where to save an export (suggesting name; in the folder
// last used for kind), writes it with
// write and reports the path to done. A failed write leaves no empty file
// behind (the dialog creates the file before we write it).
func (m *mainWindow) saveFile(name, ext, kind string, write func(path string) error, done func(path string)) {
	active()
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			m.showError(err)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		if !strings.HasSuffix(strings.ToLower(path), ext) {
			os.Remove(path)
			path += ext
		}
		// a backup of five years or a large export takes seconds: it is
		// written off the UI thread, the window saying what it is doing
		busy := dialog.NewCustomWithoutButtons("正在保存", container.NewVBox(widget.NewLabel("正在写出 "+filepath.Base(path)+"，请稍候…"),
			widget.NewProgressBarInfinite()), m.win)
		busy.Show()
		runAsync(func() {
			err := write(path)
			fyne.Do(func() {
				busy.Hide()
				if err != nil {
					if fi, serr := os.Stat(path); serr == nil && fi.Size() == 0 {
						os.Remove(path)
					}
					m.showError(err)
					return
				}
				m.rememberFolder(kind, filepath.Dir(path))
				done(path)
			})
		})
	}, m.win)
	d.SetFileName(name)
	m.showFileDialog(d, kind)
}

// column is a table column: its title and width.
type column struct {
	title string
	width float32
}

// newSelect is a drop-down whose empty state asks in Chinese (Fyne's own
// words follow the system's language, which may not be Chinese).
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = "请选择"
	return s
}

// closeWithBackup backs up on the way out when anything changed since the
// last automatic backup, off the UI thread with the window saying so, then
// closes. m.app, not the app opened first: after a restore the window has
// reopened the database.
func (m *mainWindow) closeWithBackup() {
	if m.closing {
		return // a second click while the backup runs
	}
	if !m.app.ChangedSinceAutoBackup() {
		m.win.Close()
		return
	}
	m.closing = true
	busy := dialog.NewCustomWithoutButtons("正在退出", container.NewVBox(widget.NewLabel("正在自动备份，完成后关闭窗口…"), widget.NewProgressBarInfinite()), m.win)
	busy.Show()
	runAsync(func() {
		_, err := m.app.ExitBackup()
		fyne.Do(func() {
			busy.Hide()
			m.closing = false
			if err == nil {
				m.win.Close()
				return
			}
			fmt.Fprintln(os.Stderr, "退出时备份失败："+err.Error())
			d := dialog.NewCustomConfirm("退出时自动备份失败", "仍要退出", "不退出",
				widget.NewLabel(err.Error()+"\n数据库本身完好；可以在“设置”中立即备份到别处后再退出。"),
				func(quit bool) {
					if quit {
						m.win.Close()
					}
				}, m.win)
			m.showDialog(d, nil)
		})
	})
}
