package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"bidui/engine"
	"bidui/engine/excel"
	"bidui/engine/files"
	"bidui/engine/sealed"
	"bidui/store"
)

// BackupDir is where automatic backups go.
func (a *App) BackupDir() string {
	s := a.Settings()
	if s.BackupDir != "" {
		return s.BackupDir
	}
	return filepath.Join(filepath.Dir(a.db.Path), "备份")
}

const autoPrefix = "bidui-自动备份-"

// AutoBackup takes a hot copy into the backup folder, named with the time
// and the reason (退出, 每日), and deletes the oldest automatic backups
// beyond the number to keep.
func (a *App) AutoBackup(reason string) (string, error) {
	dir := a.BackupDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("无法创建备份文件夹 %s：%v", dir, err)
	}
	path := filepath.Join(dir, autoPrefix+a.Now().Format("20060102-150405")+"-"+reason+".db")
	key, err := userKey(a.DataDir())
	if err != nil {
		return "", fmt.Errorf("自动备份失败：%w", err)
	}
	if err := a.writeSealed(path, sealed.Header{Source: sealed.FromUserKey}, key); err != nil {
		return "", fmt.Errorf("自动备份失败：%w", err)
	}
	s := a.Settings()
	keep := s.BackupKeep
	if keep < 1 {
		keep = 10
	}
	old, _ := filepath.Glob(filepath.Join(dir, autoPrefix+"*.db"))
	sort.Strings(old) // the time in the name sorts them
	for len(old) > keep {
		os.Remove(old[0])
		old = old[1:]
	}
	return path, nil
}

// ChangedSinceAutoBackup reports whether anything was recorded after the
// newest automatic backup: every change writes an audit entry, so a session
// that only looked needs no backup on the way out (a five-year database
// takes seconds to back up, and each backup is kept).
func (a *App) ChangedSinceAutoBackup() bool {
	last := a.LastAutoBackup()
	if last.IsZero() {
		return true
	}
	entries, err := a.db.AuditLog(1)
	if err != nil || len(entries) == 0 {
		return err != nil
	}
	return !entries[0].At.Before(last.Truncate(time.Second))
}

// ExitBackup is the automatic backup on the way out, taken only when
// something changed since the last one; "" when none was needed.
func (a *App) ExitBackup() (string, error) {
	if !a.ChangedSinceAutoBackup() {
		return "", nil
	}
	return a.AutoBackup("退出")
}

// LastAutoBackup is the time of the newest automatic backup, zero if none.
func (a *App) LastAutoBackup() time.Time {
	files, _ := filepath.Glob(filepath.Join(a.BackupDir(), autoPrefix+"*.db"))
	var last time.Time
	for _, f := range files {
		name := strings.TrimPrefix(filepath.Base(f), autoPrefix)
		if len(name) >= 15 {
			if t, err := time.ParseInLocation("20060102-150405", name[:15], time.Local); err == nil && t.After(last) {
				last = t
			}
		}
	}
	return last
}

// DailyBackup backs up when the newest automatic backup is a day old.
func (a *App) DailyBackup() (string, error) {
	if last := a.LastAutoBackup(); !last.IsZero() && a.Now().Sub(last) < 24*time.Hour {
		return "", nil
	}
	return a.AutoBackup("每日")
}

// BackupInfo is what a backup holds, checked completely, for the officer
// to confirm before restoring it; Warnings are reasons to think twice
// (another county's data, an audit log that was changed).
type BackupInfo struct {
	store.Info
	Warnings []string
}

// Describe is the backup's contents in words.
func (b *BackupInfo) Describe() string {
	s := fmt.Sprintf("县：%s（%s）；基础名册 %d 人；线索 %d 条", orNone(b.County), orNone(b.CountyCode), b.Persons, b.Clues)
	if b.NewestPeriod != "" {
		s += "，最新批次 " + b.NewestPeriod
	}
	if !b.LastChange.IsZero() {
		s += "；最后一次操作 " + b.LastChange.Format("2006-01-02 15:04")
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "未填"
	}
	return s
}

// InspectBackup checks a backup completely (decrypted with password or,
// for an automatic backup, the key kept in keyDir; size, every page,
// version, audit chain) and says what it holds, compared with the county of
// the database in use (cur; an empty name when there is none). Nothing is
// changed: a decrypted copy is made in keyDir and removed.
func InspectBackup(backup, password, keyDir string, cur engine.Settings) (*BackupInfo, error) {
	tmp := filepath.Join(keyDir, ".检查备份中.db")
	if err := plainCopy(backup, password, keyDir, tmp); err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	return checkCopy(tmp, cur)
}

// plainCopy puts the database a backup holds at tmp: decrypted with the
// password or the key kept in keyDir, or copied from an earlier version's
// plain backup.
func plainCopy(backup, password, keyDir, tmp string) error {
	plain, err := unsealBackup(backup, password, keyDir, tmp)
	switch {
	case errors.Is(err, ErrNeedPassword):
		return err
	case err != nil:
		return fmt.Errorf("这个备份文件不能用来恢复：%w", err)
	case plain != tmp: // a backup of an earlier version, not encrypted
		if err := os.MkdirAll(filepath.Dir(tmp), 0o700); err != nil {
			return files.WriteError(tmp, err)
		}
		if err := copyPath(backup, tmp); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("复制备份失败，数据库未改动：%w", files.WriteError(tmp, err))
		}
	}
	return nil
}

// checkCopy checks a plain copy of a backup completely and says what it
// holds, with the reasons to think twice: a changed audit log, another
// county's data (cur is the county of the database in use).
func checkCopy(plain string, cur engine.Settings) (*BackupInfo, error) {
	info, err := store.Inspect(plain)
	if err != nil {
		return nil, fmt.Errorf("这个备份文件不能用来恢复：%w", err)
	}
	b := &BackupInfo{Info: info}
	if info.AuditProblem != "" {
		b.Warnings = append(b.Warnings, "备份中的"+info.AuditProblem)
	}
	if cur.CountyName != "" && cur.CountyName != "本县" {
		if (cur.CountyCode != "" && info.CountyCode != "" && cur.CountyCode != info.CountyCode) || cur.CountyName != info.County {
			b.Warnings = append(b.Warnings, fmt.Sprintf("这是另一个县的备份：备份为 %s（%s），当前数据库为 %s（%s）",
				orNone(info.County), orNone(info.CountyCode), cur.CountyName, orNone(cur.CountyCode)))
		}
	}
	return b, nil
}

// InspectBackup checks a backup against the county of the open database.
func (a *App) InspectBackup(backup, password string) (*BackupInfo, error) {
	return InspectBackup(backup, password, a.DataDir(), a.Settings())
}

// Restore replaces the database at dbPath with a backup. The backup is
// decrypted (or copied) beside the database once, and that copy checked
// completely before anything else is touched; a backup with warnings
// (another county, a changed audit log) needs force. The current database
// is kept aside (its path returned) and the copy renamed over it in one
// step, so a crash at any moment leaves either the old database or the
// restored one, never none. The database must not be open: the window
// closes its copy first.
func Restore(dbPath, backup, password string, force bool) (info *BackupInfo, aside string, err error) {
	if dbPath == "" {
		dbPath = DefaultDBPath()
	}
	abs1, _ := filepath.Abs(dbPath)
	abs2, _ := filepath.Abs(backup)
	if abs1 == abs2 {
		return nil, "", errors.New("备份文件就是当前数据库，请选择另一个备份文件")
	}
	// refuse if the database is in use (another window or command); read
	// its county, to tell another county's backup
	var cur engine.Settings
	if _, err := os.Stat(dbPath); err == nil {
		db, err := store.Open(dbPath, store.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
		if errors.Is(err, store.ErrLocked) {
			return nil, "", err
		}
		if err == nil {
			cur, _ = db.Settings()
			db.Close()
		}
	}
	tmp := dbPath + ".恢复中"
	if err := plainCopy(backup, password, filepath.Dir(dbPath), tmp); err != nil {
		return nil, "", err
	}
	if info, err = checkCopy(tmp, cur); err != nil {
		os.Remove(tmp)
		return nil, "", err
	}
	if len(info.Warnings) > 0 && !force {
		os.Remove(tmp)
		return info, "", &NeedsConfirm{Reasons: info.Warnings}
	}
	if _, err := os.Stat(dbPath); err == nil {
		aside = dbPath + ".恢复前-" + time.Now().Format("20060102-150405")
		// the current database stays where it is until the copy replaces it
		if err := os.Link(dbPath, aside); err != nil {
			if err := copyPath(dbPath, aside); err != nil {
				os.Remove(tmp)
				os.Remove(aside)
				return info, "", fmt.Errorf("无法保存当前数据库的副本，数据库未改动：%w", files.WriteError(aside, err))
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return info, aside, fmt.Errorf("恢复失败，当前数据库保持原样：%w", err)
	}
	return info, aside, nil
}

func copyPath(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ExportAudit writes audit entries as an xlsx.
func (a *App) ExportAudit(path string, entries []engine.AuditEntry) error {
	s := a.Settings()
	rows := [][]any{{s.CountyName + " 防返贫监测数据比对系统 操作日志"}, {"序号", "时间", "操作员", "操作", "内容"}}
	for _, e := range entries {
		rows = append(rows, []any{e.Seq, e.At.Format("2006-01-02 15:04:05"), e.Operator, e.Action, e.Detail})
	}
	return excel.WriteXLSX(path, excel.Sheet{Name: "操作日志", Rows: rows, Widths: map[int]float64{1: 20, 2: 12, 3: 16, 4: 100},
		Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleHeader}})
}
