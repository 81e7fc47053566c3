// Package app holds the use cases that both the command line and the window
// call: it wires the pure engine to the file adapters and the store, so
// neither cmd nor ui holds a business rule.
package app

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"bidui/assets"
	"bidui/engine"
	"bidui/engine/sealed"
	"bidui/store"
)

// MemoryLimit is the heap the garbage collector keeps to when it can (a
// soft limit, set by the program at start; GOMEMLIMIT in the environment
// wins): the office PC has 4 GB, and a large month's comparison or print
// would otherwise grow to twice its live data before collecting.
const MemoryLimit = 640 << 20

// GCPercent is the garbage collector's pace the program sets (GOGC wins):
// twice Go's default, with MemoryLimit as the bound — a month's comparison
// and clues --json measured 10–20% faster, the peak the same.
const GCPercent = 200

// App is an open county database with what the use cases need.
type App struct {
	db      *store.DB
	Catalog *engine.Catalog
	Now     func() time.Time // the clock; tests set it

	mu       sync.Mutex
	roster   *engine.Roster   // cached; nil until loaded or after a change
	operator *engine.Operator // logged in through the window
	settings engine.Settings  // cached; written through SaveSettings
	// auditProblem is where the audit log's chain breaks, found on opening
	auditProblem string
}

// AuditProblem says where the audit log's chain was found broken when the
// database was opened: someone changed the file outside the program. ""
// when it holds.
func (a *App) AuditProblem() string { return a.auditProblem }

// Open opens (or creates) the database at path.
func Open(path string) (*App, error) {
	if path == "" {
		path = DefaultDBPath()
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return nil, err
	}
	cat, err := db.Catalog()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("本县部门目录无法读取：%w", err)
	}
	if cat == nil {
		if cat, err = DefaultCatalog(); err != nil {
			db.Close()
			return nil, err
		}
	}
	settings, err := db.Settings()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("本县设置无法读取：%w", err)
	}
	a := &App{db: db, Catalog: cat, Now: time.Now, settings: settings}
	if err := a.upgradeCatalog(); err != nil {
		db.Close()
		return nil, err
	}
	if a.auditProblem, err = db.CheckAudit(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// DefaultCatalog is the catalog shipped in assets (DESIGN.md §3).
func DefaultCatalog() (*engine.Catalog, error) {
	cat, err := engine.ParseCatalog(assets.Catalog)
	if err != nil {
		return nil, fmt.Errorf("内置部门目录有误：%w", err)
	}
	return cat, nil
}

// upgradeCatalog gives a county's own catalog, kept by a version before
// follow-ups, the follow-up settings of the built-in one (医保 住院自付 is
// year-to-date; 民政, 住建 and 残联 compare their type or level column).
func (a *App) upgradeCatalog() error {
	if a.db.UpgradedFrom == 0 || a.db.UpgradedFrom >= 8 {
		return nil
	}
	stored, err := a.db.Catalog()
	if err != nil || stored == nil {
		return err
	}
	def, err := DefaultCatalog()
	if err != nil {
		return err
	}
	if !stored.AddFollowUpDefaults(def) || stored.Validate() != nil {
		return nil
	}
	if err := a.db.SaveCatalog(stored, a.auditEntry("升级部门目录", "为各清单加上续报设置（回看期、当年累计、比较的等级列）")); err != nil {
		return err
	}
	a.Catalog = stored
	return nil
}

// SaveCatalog checks and stores the county's edited catalog and uses it from
// now on; nil goes back to the default.
func (a *App) SaveCatalog(c *engine.Catalog) error {
	if err := a.requireAdmin(); err != nil {
		return err
	}
	if c == nil {
		def, err := DefaultCatalog()
		if err != nil {
			return err
		}
		if err := a.db.SaveCatalog(nil, a.auditEntry("恢复内置部门目录", "")); err != nil {
			return err
		}
		a.Catalog = def
		return nil
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("部门目录未保存：%w", err)
	}
	if err := a.db.SaveCatalog(c, a.auditEntry("修改部门目录与规则", catalogDiff(a.Catalog, c))); err != nil {
		return err
	}
	a.Catalog = c
	return nil
}

// SaveRules stores the rules editor's catalog: every rule that changed
// applies from the batch month from on, and comparing an earlier month
// again uses the rule in force then.
func (a *App) SaveRules(c *engine.Catalog, from string) error {
	if err := engine.ValidPeriod(from); err != nil {
		return fmt.Errorf("规则自哪个批次起执行：%w", err)
	}
	c.DateRuleChanges(a.Catalog, from)
	return a.SaveCatalog(c)
}

// Close closes the database.
func (a *App) Close() error { return a.db.Close() }

// Roster returns the current base roster, loading it once.
func (a *App) Roster() (*engine.Roster, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.roster != nil {
		return a.roster, nil
	}
	r, err := a.db.Roster()
	if err != nil {
		return nil, err
	}
	a.roster = r
	return r, nil
}

func (a *App) setRoster(r *engine.Roster) {
	a.mu.Lock()
	a.roster = r
	a.mu.Unlock()
}

// Settings returns the county settings, read once when the database opens.
func (a *App) Settings() engine.Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

// SaveSettings validates and stores the county settings.
func (a *App) SaveSettings(s engine.Settings) error {
	if s.CountyName == "" {
		return errors.New("县名不能为空")
	}
	if s.CountyCode != "" && (len(s.CountyCode) != 6 || !digits(s.CountyCode)) {
		return errors.New("县级行政区划代码应为6位数字")
	}
	if s.AssignFormat != "" && !strings.Contains(s.AssignFormat, "{序号}") {
		return errors.New("交办编号格式中须含 {序号}，否则同月各乡镇的编号会重复")
	}
	if s.DueDay < 1 || s.DueDay > 28 {
		return errors.New("报送截止日应为每月1日到28日之间")
	}
	e := a.auditEntry("修改设置", "")
	if a.operator == nil && s.Operator != "" {
		e.Operator = s.Operator // the name just entered
	}
	e.Detail = fmt.Sprintf("县名 %s，代码 %s，操作员 %s，报送截止日 %d，交办编号格式 %s，打印隐藏身份证号 %v，自动锁定 %d 分钟，备份保留 %d 份",
		s.CountyName, s.CountyCode, s.Operator, s.DueDay, s.AssignFormat, s.MaskPrint, s.IdleMinutes, s.BackupKeep)
	if err := a.db.SaveSettings(s, e); err != nil {
		return err
	}
	a.mu.Lock()
	a.settings = s
	a.mu.Unlock()
	return nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Backup writes a hot copy of the database to path, encrypted with a
// backup password (AES-256-GCM, the key from argon2id): a backup leaves
// this PC on a USB stick.
func (a *App) Backup(path, password string) error {
	if len([]rune(password)) < MinBackupPassword {
		return fmt.Errorf("备份密码至少 %d 位：备份中有全县的身份证号和困难信息，离开这台电脑必须加密", MinBackupPassword)
	}
	h, key, err := sealed.PasswordKey(password)
	if err != nil {
		return err
	}
	if err := a.writeSealed(path, h, key); err != nil {
		return fmt.Errorf("备份失败：%w", err)
	}
	_ = a.db.Audit(a.auditEntry("备份到", path))
	return nil
}

// auditEntry is an audit line by the current operator, now.
func (a *App) auditEntry(action, detail string) engine.AuditEntry {
	return engine.AuditEntry{At: a.Now(), Operator: a.operatorName(), Action: action, Detail: detail}
}

// operatorName is the logged-in account, else the operator in the settings.
func (a *App) operatorName() string {
	if a.operator != nil {
		return a.operator.Name
	}
	s := a.Settings()
	if s.Operator == "" {
		return "（未设置操作员）"
	}
	return s.Operator
}

// catalogDiff says in words what an edit changed, for the audit log: which
// lists were added or removed and whose rule changed.
func catalogDiff(old, cur *engine.Catalog) string {
	type entry struct{ rule, cols string }
	index := func(c *engine.Catalog) map[string]entry {
		m := map[string]entry{}
		for _, d := range c.Departments {
			for i := range d.Lists {
				l := &d.Lists[i]
				m[d.Name+"·"+l.Name] = entry{l.Describe(d.Name) + "；" + l.FollowUpText(), engine.FormatColumns(l.Columns)}
			}
		}
		return m
	}
	o, n := index(old), index(cur)
	var parts []string
	for k, e := range n {
		oe, ok := o[k]
		switch {
		case !ok:
			parts = append(parts, "新增 "+k)
		case oe.rule != e.rule:
			parts = append(parts, "规则 "+oe.rule+" → "+e.rule)
		case oe.cols != e.cols:
			parts = append(parts, "修改 "+k+" 的关键列")
		}
	}
	for k := range o {
		if _, ok := n[k]; !ok {
			parts = append(parts, "删除 "+k)
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "部门名称或别名"
	}
	return strings.Join(parts, "；")
}
