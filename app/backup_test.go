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
	if err := a.Backup(bak); err != nil { // while the database is open
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
	_, aside, err := Restore(other, bak, false)
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
	if _, _, err := Restore(other, bak, false); err == nil || !strings.Contains(err.Error(), "程序已在运行") {
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
		if _, _, err := Restore(other, bad, false); err == nil {
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
	if err := a.Backup(bak); err != nil {
		t.Fatal(err)
	}
	// another county: the same data under another name and code
	s := a.Settings()
	s.CountyName, s.CountyCode = "邻县", "530429"
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "邻县.db")
	if err := a.Backup(other); err != nil {
		t.Fatal(err)
	}
	s.CountyName, s.CountyCode = "青山县", "530428"
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	a.Close()
	info, err := InspectBackup(bak, engine.Settings{CountyName: "青山县", CountyCode: "530428"})
	if err != nil || info.County != "青山县" || info.Persons == 0 || len(info.Warnings) != 0 || !strings.Contains(info.Describe(), "青山县") {
		t.Fatalf("own backup: %+v %v", info, err)
	}
	_, _, err = Restore(live, other, false)
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
		_, _, err := Restore(live, p, true)
		if err == nil || !strings.Contains(err.Error(), "不能用来恢复") {
			t.Errorf("a backup cut at %d bytes: %v", cut, err)
		}
	}
	if after, _ := os.ReadFile(live); string(after) != string(before) {
		t.Fatal("a refused restore changed the live database")
	}
	// the confirmed restore of the other county's backup: the old database kept aside
	info, aside, err := Restore(live, other, true)
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
