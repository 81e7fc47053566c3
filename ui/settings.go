package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
)

// settingsScreen is 设置: the county and the operator.
type settingsScreen struct {
	m            *mainWindow
	backupDialog *dialog.FormDialog // the last backup password dialog, for tests
	county       *widget.Entry
	code         *widget.Entry
	operator     *widget.Entry
	dueDay       *widget.Select
	dueNext      *widget.Check
	// assignFormat numbers assignments: {县}{年}{月}{序号} are filled in
	assignFormat *widget.Entry
	idle         *widget.Entry
	keep         *widget.Entry
	backupInfo   *widget.Label
	saved        *widget.Label
	dbPath       *widget.Label
	box          fyne.CanvasObject
}

func newSettingsScreen(m *mainWindow) *settingsScreen {
	s := &settingsScreen{m: m}
	s.county = widget.NewEntry()
	s.county.SetPlaceHolder("如：青山县")
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("6位行政区划代码，可不填")
	s.operator = widget.NewEntry()
	s.operator.SetPlaceHolder("数据管理员姓名，将作为经办人打印在交办单上")
	s.saved = widget.NewLabel("")
	s.dbPath = widget.NewLabel("")
	days := make([]string, 28)
	for i := range days {
		days[i] = strconv.Itoa(i + 1)
	}
	s.dueDay = newSelect(days, nil)
	s.dueNext = widget.NewCheck("次月（如每月5日前报送上月数据）", nil)
	s.idle = widget.NewEntry()
	s.keep = widget.NewEntry()
	s.backupInfo = widget.NewLabel("")
	s.backupInfo.Wrapping = fyne.TextWrapBreak
	s.assignFormat = widget.NewEntry()
	s.assignFormat.SetPlaceHolder("{县}防交〔{年}〕{月}-{序号}号")
	s.dbPath.Wrapping = fyne.TextWrapBreak
	form := widget.NewForm(
		widget.NewFormItem("县（市、区）名称", s.county),
		widget.NewFormItem("行政区划代码", s.code),
		widget.NewFormItem("操作员", s.operator),
	)
	save := widget.NewButton("保存设置", s.onSave)
	save.Importance = widget.HighImportance
	s.box = container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("设置", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form, widget.NewSeparator(),
		widget.NewLabelWithStyle("部门数据", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem("报送截止日", container.NewHBox(s.dueDay, s.dueNext))),
		container.NewHBox(widget.NewButton("部门目录…", func() { m.openCatalogEditor() }),
			widget.NewLabel("部门、别名、清单和表头同义词；新增部门或清单不需要改程序")),
		container.NewHBox(widget.NewButton("比对规则…", func() { m.openRulesEditor() }),
			widget.NewLabel("各清单的预警标准，如医保住院自付名册内 ≥ 5000 元；修改记入操作日志")),
		widget.NewLabelWithStyle("交办", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem("交办编号格式", s.assignFormat)),
		container.NewHBox(widget.NewButton("工作日历…", func() { m.openCalendarEditor() }),
			widget.NewLabel("法定节假日与调休上班日，办结期限按20个工作日计算")),
		widget.NewSeparator(),
		widget.NewLabelWithStyle("安全", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem("无操作自动锁定（分钟，0 为不锁定）", s.idle), widget.NewFormItem("自动备份保留份数", s.keep)),
		container.NewHBox(widget.NewButton("账号…", func() { m.openAccounts() }), widget.NewButton("操作日志…", func() { m.openAuditLog() }),
			widget.NewButton("立即备份到…", s.onBackup), widget.NewButton("从备份恢复…", s.onRestore)),
		container.NewHBox(save, s.saved), widget.NewSeparator(),
		widget.NewLabel("数据库文件位置："), s.dbPath, s.backupInfo))
	return s
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.box }

func (s *settingsScreen) shown() {
	st := s.m.app.Settings()
	s.county.SetText(st.CountyName)
	s.code.SetText(st.CountyCode)
	s.operator.SetText(st.Operator)
	s.dueDay.SetSelected(strconv.Itoa(st.DueDay))
	s.dueNext.SetChecked(st.DueNextMonth)
	s.assignFormat.SetText(st.AssignFormat)
	s.idle.SetText(strconv.Itoa(st.IdleMinutes))
	s.keep.SetText(strconv.Itoa(st.BackupKeep))
	last := "尚无"
	if t := s.m.app.LastAutoBackup(); !t.IsZero() {
		last = t.Format("2006-01-02 15:04")
	}
	s.backupInfo.SetText("自动备份（每天一次及每次退出时）：" + s.m.app.BackupDir() + "，最近一次 " + last)
	s.saved.SetText("")
	s.dbPath.SetText(s.m.app.DBPath())
}

func (s *settingsScreen) onSave() {
	st := s.m.app.Settings()
	st.CountyName = strings.TrimSpace(s.county.Text)
	st.CountyCode = strings.TrimSpace(s.code.Text)
	st.Operator = strings.TrimSpace(s.operator.Text)
	if d, err := strconv.Atoi(s.dueDay.Selected); err == nil {
		st.DueDay = d
	}
	st.DueNextMonth = s.dueNext.Checked
	st.AssignFormat = strings.TrimSpace(s.assignFormat.Text)
	if v, err := strconv.Atoi(strings.TrimSpace(s.idle.Text)); err == nil && v >= 0 {
		st.IdleMinutes = v
	}
	if v, err := strconv.Atoi(strings.TrimSpace(s.keep.Text)); err == nil && v > 0 {
		st.BackupKeep = v
	}
	if err := s.m.app.SaveSettings(st); err != nil {
		s.m.showError(err)
		return
	}
	s.saved.SetText("已保存")
	s.m.win.SetTitle(s.m.windowTitle())
}

// onBackup asks for a backup password, then writes an encrypted hot copy
// to a chosen place, such as a USB stick.
func (s *settingsScreen) onBackup() {
	pw, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pw.Validator = func(t string) error {
		if len([]rune(t)) < app.MinBackupPassword {
			return fmt.Errorf("至少 %d 位", app.MinBackupPassword)
		}
		return nil
	}
	again.Validator = func(t string) error {
		if t != pw.Text {
			return errors.New("两次输入不一样")
		}
		return nil
	}
	items := []*widget.FormItem{widget.NewFormItem("备份密码", pw), widget.NewFormItem("再输入一次", again),
		widget.NewFormItem("", widget.NewLabel("备份会加密：恢复时要输入这个密码，忘记了就无法恢复。"))}
	d := dialog.NewForm("备份到…", "选择保存位置", "取消", items, func(ok bool) {
		if !ok {
			return
		}
		name := "bidui-备份-" + time.Now().Format("20060102-1504") + ".db"
		password := pw.Text
		s.m.saveFile(name, ".db", folderBackup, func(path string) error { return s.m.app.Backup(path, password) },
			func(path string) { s.saved.SetText("已加密备份到 " + path) })
	}, s.m.win)
	d.Resize(fyne.NewSize(460, 240))
	s.m.showDialog(d, d.Submit)
	s.backupDialog = d
}

// onRestore replaces the database with a backup after checking it
// completely and showing what it holds, keeping the current one aside, and
// reopens; whoever was logged in logs in again.
func (s *settingsScreen) onRestore() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			if err != nil {
				s.m.showError(err)
			}
			return
		}
		backup := rc.URI().Path()
		rc.Close()
		s.m.rememberFolder(folderBackup, filepath.Dir(backup))
		s.confirmRestore(backup)
	}, s.m.win)
	s.m.showFileDialog(d, folderBackup)
}

// confirmRestore shows what a backup holds, and any reason to think twice,
// before restoring it; not restoring is the default. An encrypted backup
// asks for its password first.
func (s *settingsScreen) confirmRestore(backup string) { s.confirmRestoreWith(backup, "") }

func (s *settingsScreen) confirmRestoreWith(backup, password string) {
	info, err := s.m.app.InspectBackup(backup, password)
	if errors.Is(err, app.ErrNeedPassword) {
		pw := widget.NewPasswordEntry()
		d := dialog.NewForm("加密的备份", "检查备份", "取消", []*widget.FormItem{widget.NewFormItem("备份密码", pw)}, func(ok bool) {
			if ok {
				s.confirmRestoreWith(backup, pw.Text)
			}
		}, s.m.win)
		d.Resize(fyne.NewSize(420, 160))
		s.m.showDialog(d, d.Submit)
		s.m.win.Canvas().Focus(pw)
		return
	}
	if err != nil {
		s.m.showError(err)
		return
	}
	text := "备份文件：" + backup + "\n" + info.Describe() + "\n\n用这个备份替换当前数据库吗？当前数据库会另存一份，不会丢失。"
	if len(info.Warnings) > 0 {
		text = "请注意：\n" + strings.Join(info.Warnings, "\n") + "\n\n" + text
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("从备份恢复", "恢复这个备份", "不恢复", container.NewGridWrap(fyne.NewSize(560, 200), container.NewVScroll(msg)), func(ok bool) {
		if ok {
			s.restore(backup, password)
		}
	}, s.m.win)
	s.m.showDialog(d, nil) // Enter does not restore
}

func (s *settingsScreen) restore(backup, password string) {
	m := s.m
	path := m.app.DBPath()
	m.app.Close()
	_, aside, rerr := app.Restore(path, backup, password, true) // confirmed, with its warnings, above
	a, err := app.Open(path)                                    // reopen whatever is there now
	if err != nil {
		m.showError(fmt.Errorf("数据库无法重新打开：%v", err))
		return
	}
	m.app = a
	if rs, ok := m.screens["基础名册"].(*rosterScreen); ok {
		rs.loaded = false
	}
	if rerr != nil {
		m.showError(rerr)
		return
	}
	m.current = ""
	m.start() // the restored database's accounts: log in again
	m.showInfo("已恢复", widget.NewLabel("已从备份恢复数据库。\n原数据库另存为："+aside))
}
