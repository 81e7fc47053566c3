package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
)

// The demo county lives in its own database (app.DemoPath): the window
// switches to it, says 示范 in its title, and 退出示范 switches back to the
// county's own database, which kept what the officer typed.

// enterDemo opens the demo county (made on first use, which takes some
// seconds) in place of the county's database; done reports the outcome.
func (m *mainWindow) enterDemo(done func(error)) {
	real := m.app.DBPath()
	now := m.app.Now
	runAsync(func() {
		d, res, err := app.OpenDemo(context.Background(), real, demoMonths, now)
		fyne.Do(func() {
			if err != nil {
				done(err)
				return
			}
			m.app.Close()
			m.realPath = real
			m.switchTo(d)
			m.showMain()
			done(nil)
			l := widget.NewLabel(demoMessage(d, res))
			l.Wrapping = fyne.TextWrapWord
			m.showInfo("示范县", container.NewGridWrap(fyne.NewSize(600, 220), l))
		})
	})
}

// exitDemo goes back to the county's own database: a clean start with what
// the officer typed (the county, the administrator), or the login.
func (m *mainWindow) exitDemo() {
	real := m.realPath
	if real == "" {
		real = app.DefaultDBPath()
	}
	if real == m.app.DBPath() {
		// made with `bidui demo` into the database opened: there is no
		// other to go back to
		m.showError(fmt.Errorf("这个数据库 %s 本身就是示范县（用 bidui demo 生成的）。正式使用请直接打开程序（不带 --db），或用 --db 指定本县的数据库文件", real))
		return
	}
	a, err := app.Open(real)
	if err != nil {
		m.showError(fmt.Errorf("本县的正式数据库无法打开：%w", err))
		return
	}
	a.Now = m.app.Now
	m.app.Close()
	m.realPath = ""
	m.switchTo(a)
	m.start()
}

// switchTo puts another database behind the window's pages.
func (m *mainWindow) switchTo(a *app.App) {
	m.app = a
	if rs, ok := m.screens["基础名册"].(*rosterScreen); ok {
		rs.loaded = false
	}
	m.current = ""
	m.win.SetTitle(m.windowTitle())
}

// demoMessage tells the officer what the demo county holds and where its
// sample files are.
func demoMessage(d *app.App, res *app.DemoResult) string {
	s := "这是示范县“" + d.Settings().CountyName + "”，数据全部是虚构的，与本县的正式数据库分开保存。"
	if res != nil {
		s += fmt.Sprintf("\n共 %d 户 %d 人。", res.Households, res.Persons)
		if n := len(res.History); n > 0 {
			s += fmt.Sprintf("%s 至 %s 批次已按正常流程办理（导入、比对、交办、部分乡镇已反馈），可在各页面查看。", res.History[0].Period, res.History[n-1].Period)
		}
		s += fmt.Sprintf("\n本月（%s）各部门的示例清单等您导入，在：\n%s", res.Period, res.Dir)
	} else {
		s += "\n示例文件在：" + d.SampleDir()
	}
	return s + "\n熟悉之后，在首页点“退出示范，开始正式使用”。"
}
