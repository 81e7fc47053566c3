package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bidui/engine"
	"bidui/store"
)

func TestAutoBackupsRotate(t *testing.T) {
	a, _, _ := demoCounty(t, 20)
	s := a.Settings()
	s.BackupKeep = 3
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		now := testNow.Add(time.Duration(i) * time.Hour)
		a.Now = func() time.Time { return now }
		if _, err := a.AutoBackup("退出"); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a.BackupDir(), autoPrefix+"*.db"))
	if len(files) != 3 || !strings.Contains(files[0], "20261123-120000") {
		t.Errorf("kept %v", files)
	}
	// daily: not again within a day, again after one
	later := testNow.Add(5 * time.Hour)
	a.Now = func() time.Time { return later }
	if p, err := a.DailyBackup(); err != nil || p != "" {
		t.Errorf("daily backup within a day: %q %v", p, err)
	}
	dayAfter := testNow.Add(30 * time.Hour)
	a.Now = func() time.Time { return dayAfter }
	if p, err := a.DailyBackup(); err != nil || p == "" {
		t.Errorf("daily backup after a day: %q %v", p, err)
	}
}

func TestBackupRestoresOnAnotherPathIdentically(t *testing.T) {
	a, c, dir := demoCounty(t, 60)
	importAll(t, a, c, dir)
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(t.TempDir(), "U盘", "备份.db")
	os.MkdirAll(filepath.Dir(bak), 0o755)
	if err := a.Backup(bak, testBackupPassword); err != nil { // while the database is open
		t.Fatal(err)
	}
	wantClues, _ := a.db.Clues(c.Period)
	wantRoster, _ := a.db.Roster()
	// restore onto another path that already holds a database
	other := filepath.Join(t.TempDir(), "other.db")
	b, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	_, aside, err := Restore(other, bak, testBackupPassword, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(aside); err != nil {
		t.Errorf("the replaced database was not kept aside: %v", err)
	}
	r, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	// while it is open, a restore is refused
	if _, _, err := Restore(other, bak, testBackupPassword, false); err == nil || !strings.Contains(err.Error(), "程序已在运行") {
		t.Errorf("restore over an open database: %v", err)
	}
	gotClues, _ := r.db.Clues(c.Period)
	gotRoster, _ := r.db.Roster()
	if len(gotClues) != len(wantClues) || len(gotRoster.Persons) != len(wantRoster.Persons) {
		t.Fatalf("restored %d clues %d persons, want %d %d", len(gotClues), len(gotRoster.Persons), len(wantClues), len(wantRoster.Persons))
	}
	for i := range wantClues {
		if gotClues[i].ID != wantClues[i].ID || gotClues[i].Summary() != wantClues[i].Summary() {
			t.Fatalf("clue %d differs", i)
		}
	}
	r.Close()
	// a damaged backup, a non-database, the database itself: refused, nothing changed
	broken := filepath.Join(t.TempDir(), "broken.db")
	data, _ := os.ReadFile(bak)
	for i := 4096 * 2; i < len(data) && i < 4096*6; i++ {
		data[i] ^= 0xFF
	}
	os.WriteFile(broken, data, 0o600)
	text := filepath.Join(t.TempDir(), "note.db")
	os.WriteFile(text, []byte(strings.Repeat("这不是数据库。", 1000)), 0o600)
	for _, bad := range []string{broken, text, other} {
		if _, _, err := Restore(other, bad, testBackupPassword, false); err == nil {
			t.Errorf("restoring from %s was accepted", filepath.Base(bad))
		}
	}
	if _, err := store.CheckFile(other); err != nil {
		t.Errorf("a refused restore changed the database: %v", err)
	}
}

func TestEveryChangeIsAudited(t *testing.T) {
	a, c, dir := demoCounty(t, 40)
	importAll(t, a, c, dir)
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Assign(c.Period, testNow, engineAssignNone()); err != nil {
		t.Fatal(err)
	}
	s := a.Settings()
	s.DueDay = 5
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	log, _ := a.db.AuditLog(0)
	seen := map[string]int{}
	for _, e := range log {
		seen[e.Action]++
		if e.At.IsZero() || e.Operator == "" {
			t.Errorf("entry without time or operator: %+v", e)
		}
	}
	for _, want := range []string{"导入基础名册", "导入部门清单", "数据比对", "集中交办", "修改设置"} {
		if seen[want] == 0 {
			t.Errorf("no %q in the audit log: %v", want, seen)
		}
	}
	if seen["导入部门清单"] != len(c.DeptFiles) {
		t.Errorf("%d list imports audited, %d imported", seen["导入部门清单"], len(c.DeptFiles))
	}
}

// TestRestoreChecksWhatABackupHolds: another county's backup and one whose
// audit log was edited need confirming; a backup cut short at any point, or
// an empty file, gets a Chinese message and the live database stays as it
// was; a confirmed restore keeps the old database aside.
func TestRestoreChecksWhatABackupHolds(t *testing.T) {
	a, c, dir := demoCounty(t, 40)
	importAll(t, a, c, dir)
	live := a.DBPath()
	bak := filepath.Join(t.TempDir(), "本县.db")
	if err := a.Backup(bak, testBackupPassword); err != nil {
		t.Fatal(err)
	}
	// another county: the same data under another name and code
	s := a.Settings()
	s.CountyName, s.CountyCode = "邻县", "530429"
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "邻县.db")
	if err := a.Backup(other, testBackupPassword); err != nil {
		t.Fatal(err)
	}
	s.CountyName, s.CountyCode = "青山县", "530428"
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	a.Close()
	info, err := InspectBackup(bak, testBackupPassword, t.TempDir(), engine.Settings{CountyName: "青山县", CountyCode: "530428"})
	if err != nil || info.County != "青山县" || info.Persons == 0 || len(info.Warnings) != 0 || !strings.Contains(info.Describe(), "青山县") {
		t.Fatalf("own backup: %+v %v", info, err)
	}
	_, _, err = Restore(live, other, testBackupPassword, false)
	var nc *NeedsConfirm
	if !errors.As(err, &nc) || !strings.Contains(nc.Reasons[0], "另一个县") {
		t.Fatalf("another county's backup: %v", err)
	}
	before, _ := os.ReadFile(live)
	// cut short at eight places, and empty
	data, _ := os.ReadFile(bak)
	for i, cut := range []int{0, 10, 4096, 5000, len(data) / 4, len(data) / 2, len(data) * 3 / 4, len(data) - 4096} {
		p := filepath.Join(t.TempDir(), fmt.Sprintf("cut%d.db", i))
		os.WriteFile(p, data[:cut], 0o600)
		_, _, err := Restore(live, p, testBackupPassword, true)
		if err == nil || !strings.Contains(err.Error(), "不能用来恢复") {
			t.Errorf("a backup cut at %d bytes: %v", cut, err)
		}
	}
	if after, _ := os.ReadFile(live); string(after) != string(before) {
		t.Fatal("a refused restore changed the live database")
	}
	// the confirmed restore of the other county's backup: the old database kept aside
	info, aside, err := Restore(live, other, testBackupPassword, true)
	if err != nil || info.County != "邻县" {
		t.Fatalf("confirmed restore: %+v %v", info, err)
	}
	if kept, _ := os.ReadFile(aside); string(kept) != string(before) {
		t.Error("the database kept aside is not the one replaced")
	}
	r, err := Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Settings().CountyName != "邻县" {
		t.Errorf("restored county %q", r.Settings().CountyName)
	}
}

const testBackupPassword = "县局备份密码2026"

// TestBackupsAreEncrypted: neither a backup to a chosen place nor an
// automatic backup holds an ID number or a name in the clear; each
// restores with its password or this user's key, and not without.
func TestBackupsAreEncrypted(t *testing.T) {
	a, c, _ := demoCounty(t, 30)
	r, _ := a.Roster()
	p := r.Persons[0]
	usb := filepath.Join(t.TempDir(), "U盘", "备份.db")
	if err := a.Backup(usb, "短"); err == nil {
		t.Error("a short backup password was accepted")
	}
	if err := a.Backup(usb, testBackupPassword); err != nil {
		t.Fatal(err)
	}
	auto, err := a.AutoBackup("测试")
	if err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(t.TempDir(), "旧版本备份.db")
	if err := a.db.Backup(plain); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{usb, auto} {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), p.ID) || strings.Contains(string(data), p.Name) || strings.Contains(string(data), c.Name) {
			t.Errorf("%s holds personal data in the clear", filepath.Base(f))
		}
		if fi, _ := os.Stat(f); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is readable by others: %v", filepath.Base(f), fi.Mode())
		}
	}
	if fi, err := os.Stat(filepath.Join(a.DataDir(), keyFileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the key file: %v %v", fi, err)
	}
	dir := a.DataDir()
	settings := a.Settings()
	if _, err := InspectBackup(usb, "", dir, settings); !errors.Is(err, ErrNeedPassword) {
		t.Errorf("no password: %v", err)
	}
	if _, err := InspectBackup(usb, "别的密码123", dir, settings); err == nil || !strings.Contains(err.Error(), "密码不对") {
		t.Errorf("wrong password: %v", err)
	}
	for _, f := range []string{usb, auto, plain} {
		info, err := InspectBackup(f, testBackupPassword, dir, settings)
		if err != nil || info.Persons != len(r.Persons) {
			t.Errorf("%s: %+v %v", filepath.Base(f), info, err)
		}
	}
	// an automatic backup on another PC (another key) cannot be opened there
	if _, err := InspectBackup(auto, "", t.TempDir(), settings); err == nil || !strings.Contains(err.Error(), "本机本用户") {
		t.Errorf("another PC's automatic backup: %v", err)
	}
	// restore the automatic backup over the database
	live := a.DBPath()
	a.Close()
	if _, _, err := Restore(live, auto, "", false); err != nil {
		t.Fatalf("restore the automatic backup: %v", err)
	}
	b, err := Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if r2, _ := b.Roster(); len(r2.Persons) != len(r.Persons) {
		t.Errorf("restored %d persons, want %d", len(r2.Persons), len(r.Persons))
	}
}

// TestBackupsAreCompressed: a backup is compressed before it is sealed — a
// database is mostly empty pages — and restores to the same data.
func TestBackupsAreCompressed(t *testing.T) {
	a, c, dir := demoCounty(t, 300)
	importAll(t, a, c, dir)
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := a.Backup(backup, "备份密码2026"); err != nil {
		t.Fatal(err)
	}
	db, _ := os.Stat(a.DBPath())
	bk, _ := os.Stat(backup)
	if bk.Size()*3 > db.Size() {
		t.Errorf("backup %d bytes for a %d-byte database: not compressed", bk.Size(), db.Size())
	}
	info, err := a.InspectBackup(backup, "备份密码2026")
	if err != nil || info.Persons != len(c.Persons) {
		t.Fatalf("the compressed backup does not read back: %v", err)
	}
	auto, err := a.AutoBackup("测试")
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(auto); fi.Size()*3 > db.Size() {
		t.Errorf("automatic backup %d bytes: not compressed", fi.Size())
	}
}

// TestExitBackupOnlyAfterAChange: leaving takes a backup when something was
// recorded since the last automatic one, and none after a session that
// only looked (a five-year database takes seconds to back up, and each
// backup is kept).
func TestExitBackupOnlyAfterAChange(t *testing.T) {
	a, _, _ := demoCounty(t, 20)
	now := testNow
	a.Now = func() time.Time { return now }
	step := func() { now = now.Add(time.Minute) }
	step()
	if p, err := a.ExitBackup(); err != nil || p == "" {
		t.Fatalf("first exit: no backup (%q, %v)", p, err)
	}
	step()
	if _, err := a.Report("2026-11"); err != nil { // looking changes nothing
		t.Fatal(err)
	}
	if p, err := a.ExitBackup(); err != nil || p != "" {
		t.Errorf("exit after only looking backed up again: %q %v", p, err)
	}
	step()
	s := a.Settings()
	s.Operator = "李四"
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	step()
	if p, err := a.ExitBackup(); err != nil || p == "" {
		t.Errorf("exit after a change took no backup: %q %v", p, err)
	}
}
