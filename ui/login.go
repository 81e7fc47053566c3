package ui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
)

// start shows what comes first: the first-run wizard on an empty database,
// the login when accounts exist, else the main window.
func (m *mainWindow) start() {
	ops, _ := m.app.Operators()
	r, _ := m.app.Roster()
	s := m.app.Settings()
	switch {
	case len(ops) == 0 && r != nil && len(r.Persons) == 0 && s.CountyName == "本县":
		m.win.SetContent(m.wizard())
	case len(ops) > 0:
		m.win.SetContent(m.loginForm("", func() { m.showMain() }))
	default:
		m.showMain()
	}
}

// showMain puts the navigation and pages into the window.
func (m *mainWindow) showMain() {
	m.win.SetTitle(m.windowTitle())
	m.win.SetContent(m.mainContent)
	m.touch()
	if len(m.titles) > 0 && m.current == "" {
		m.nav.Select(0)
		if m.current == "" { // already selected: another database behind it
			m.show(m.titles[0])
		}
	} else if s := m.screens[m.current]; s != nil {
		s.shown()
	}
}

// loginForm asks for a name and password; done runs after a good login.
func (m *mainWindow) loginForm(name string, done func()) fyne.CanvasObject {
	who := widget.NewEntry()
	who.SetText(name)
	who.SetPlaceHolder("姓名")
	pw := widget.NewPasswordEntry()
	pw.SetPlaceHolder("密码")
	msg := widget.NewLabel("")
	try := func() {
		if err := m.app.Login(who.Text, pw.Text); err != nil {
			msg.SetText(err.Error())
			pw.SetText("")
			return
		}
		done()
	}
	pw.OnSubmitted = func(string) { try() }
	btn := widget.NewButton("登录", try)
	btn.Importance = widget.HighImportance
	title := "防返贫监测数据比对系统"
	if name != "" {
		title = "已锁定（长时间未操作），请输入密码继续"
	}
	form := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem("姓名", who), widget.NewFormItem("密码", pw)), btn, msg)
	m.win.Canvas().Focus(pw)
	if name == "" {
		m.win.Canvas().Focus(who)
	}
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 260), form))
}

// wizard is the first run: the county, the first administrator, and an
// offer to look around in the demo county.
func (m *mainWindow) wizard() fyne.CanvasObject {
	county := widget.NewEntry()
	county.SetPlaceHolder("如：青山县")
	code := widget.NewEntry()
	code.SetPlaceHolder("6位行政区划代码，可不填")
	name := widget.NewEntry()
	name.SetPlaceHolder("管理员姓名")
	pw1 := widget.NewPasswordEntry()
	pw2 := widget.NewPasswordEntry()
	demo := widget.NewCheck("先打开示范县（虚构的青山县，单独保存，不进入本县数据）熟悉系统", nil)
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	done := func() {
		if pw1.Text != pw2.Text {
			msg.SetText("两次输入的密码不一致")
			return
		}
		// check the account before anything is written (the demo takes a while)
		if strings.TrimSpace(name.Text) == "" || len([]rune(pw1.Text)) < 6 {
			msg.SetText("请填写管理员姓名，密码至少 6 位")
			return
		}
		// the county and the administrator go into the county's own
		// database, whether or not the demo is opened next
		s := m.app.Settings()
		s.CountyName, s.CountyCode = strings.TrimSpace(county.Text), strings.TrimSpace(code.Text)
		s.Operator = strings.TrimSpace(name.Text)
		if err := m.app.SaveSettings(s); err != nil {
			msg.SetText(err.Error())
			return
		}
		if err := m.app.CreateOperator(name.Text, app.RoleAdmin, pw1.Text); err != nil {
			msg.SetText(err.Error())
			return
		}
		if !demo.Checked {
			if err := m.app.Login(name.Text, pw1.Text); err != nil {
				msg.SetText(err.Error())
				return
			}
			m.showMain()
			return
		}
		// the demo opens in its own database (some seconds the first time)
		m.wizardBtn.Disable()
		msg.SetText("正在生成示范县并办理往月业务，请稍候（约半分钟）…")
		m.enterDemo(func(err error) {
			m.wizardBtn.Enable()
			if err != nil {
				msg.SetText(err.Error())
			}
		})
	}
	btn := widget.NewButton("完成，开始使用", done)
	m.wizardBtn = btn
	btn.Importance = widget.HighImportance
	intro := widget.NewLabel("欢迎使用。请填写本县名称，并设置第一个管理员账号（管理员可修改比对规则、工作日历和账号）。乡镇和村在导入基础名册后自动取得。")
	intro.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(widget.NewLabelWithStyle("首次使用", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), intro,
		widget.NewForm(widget.NewFormItem("县（市、区）名称", county), widget.NewFormItem("行政区划代码", code),
			widget.NewFormItem("管理员姓名", name), widget.NewFormItem("密码（至少6位）", pw1), widget.NewFormItem("再输一次密码", pw2)),
		demo, btn, msg)
	m.wizardForm = &wizardFields{county, code, name, pw1, pw2, demo, msg, done}
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(600, 520), form))
}

// wizardFields lets tests fill the wizard.
type wizardFields struct {
	county, code, name, pw1, pw2 *widget.Entry
	demo                         *widget.Check
	msg                          *widget.Label
	done                         func()
}

// lastActivity is the time of the officer's last sign of life, for the idle
// lock: a key, a page change, scrolling or choosing in a table, a dialog,
// background work started. Fyne has no global mouse hook, so these stand in.
var lastActivity atomic.Int64

func active() { lastActivity.Store(time.Now().UnixNano()) }

// touch records activity for the idle lock.
func (m *mainWindow) touch() { active() }

// idleFor is how long there has been no activity.
func idleFor() time.Duration { return time.Since(time.Unix(0, lastActivity.Load())) }

// watchIdle locks the window after the configured idle minutes when an
// account is logged in. Activity is a key press or moving between pages.
func (m *mainWindow) watchIdle() {
	if dc, ok := m.win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { m.touch() })
	}
	go func() {
		for range time.Tick(20 * time.Second) {
			fyne.Do(m.checkIdle)
		}
	}()
}

func (m *mainWindow) checkIdle() {
	s := m.app.Settings()
	idle := time.Duration(s.IdleMinutes) * time.Minute
	if idle <= 0 || m.app.Operator() == nil || m.locked || idleFor() < idle {
		return
	}
	m.lock()
}

// lock hides everything until the operator's password is typed again.
func (m *mainWindow) lock() {
	op := m.app.Operator()
	if op == nil {
		return
	}
	m.locked = true
	m.win.SetContent(m.loginForm(op.Name, func() {
		m.locked = false
		m.showMain()
	}))
}

// accountsWindow lists the accounts and adds or resets one (管理员 only).
func (m *mainWindow) openAccounts() {
	w := m.fyneApp.NewWindow("账号")
	list := widget.NewLabel("")
	refresh := func() {
		ops, _ := m.app.Operators()
		var b strings.Builder
		for _, o := range ops {
			fmt.Fprintf(&b, "%s（%s）\n", o.Name, o.Role)
		}
		if b.Len() == 0 {
			b.WriteString("还没有账号：不登录即可使用。建立第一个账号（管理员）后，每次打开都需登录。")
		}
		list.SetText(b.String())
	}
	name := widget.NewEntry()
	role := newSelect([]string{app.RoleOperator, app.RoleAdmin}, nil)
	role.SetSelected(app.RoleOperator)
	pw := widget.NewPasswordEntry()
	msg := widget.NewLabel("")
	save := widget.NewButton("保存账号", func() {
		if err := m.app.CreateOperator(name.Text, role.Selected, pw.Text); err != nil {
			msg.SetText(err.Error())
			return
		}
		msg.SetText("已保存 " + name.Text)
		pw.SetText("")
		refresh()
	})
	refresh()
	w.SetContent(container.NewVBox(widget.NewLabelWithStyle("现有账号", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), list,
		widget.NewSeparator(), widget.NewLabel("新增账号，或为已有账号重设角色和密码："),
		widget.NewForm(widget.NewFormItem("姓名", name), widget.NewFormItem("角色", role), widget.NewFormItem("密码", pw)), save, msg))
	w.Resize(fyne.NewSize(480, 420))
	w.Show()
}
