package app

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDataDirsUseLocalAppDataOnWindows(t *testing.T) {
	conf := func() (string, error) { return `C:\Users\li\AppData\Roaming`, nil }
	env := func(k string) string {
		if k == "LOCALAPPDATA" {
			return `C:\Users\li\AppData\Local`
		}
		return ""
	}
	cur, legacy := dataDirs("windows", env, conf)
	if cur != filepath.Join(`C:\Users\li\AppData\Local`, "bidui") || legacy != filepath.Join(`C:\Users\li\AppData\Roaming`, "bidui") {
		t.Errorf("windows: %q, legacy %q", cur, legacy)
	}
	if cur, legacy := dataDirs("linux", env, func() (string, error) { return "/home/li/.config", nil }); cur != "/home/li/.config/bidui" || legacy != "" {
		t.Errorf("linux: %q, legacy %q", cur, legacy)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateDataDirMovesTheDatabaseWithItsBackups(t *testing.T) {
	root := t.TempDir()
	legacy, cur := filepath.Join(root, "Roaming", "bidui"), filepath.Join(root, "Local", "bidui")
	write(t, filepath.Join(legacy, "bidui.db"), "db")
	write(t, filepath.Join(legacy, "备份", "自动备份_1.db"), "b1")
	write(t, filepath.Join(legacy, "bidui.log"), "log")
	dir, err := migrateDataDir(legacy, cur)
	if err != nil || dir != cur {
		t.Fatalf("dir %q, err %v", dir, err)
	}
	for _, f := range []string{"bidui.db", filepath.Join("备份", "自动备份_1.db"), "bidui.log"} {
		if _, err := os.Stat(filepath.Join(cur, f)); err != nil {
			t.Errorf("%s not moved: %v", f, err)
		}
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Errorf("the old folder is still there: %v", err)
	}
	// a second start finds it moved
	if dir, err := migrateDataDir(legacy, cur); dir != cur || err != nil {
		t.Errorf("again: %q %v", dir, err)
	}
}

func TestMigrateDataDirIntoAnExistingFolderWithoutADatabase(t *testing.T) {
	root := t.TempDir()
	legacy, cur := filepath.Join(root, "old"), filepath.Join(root, "new")
	write(t, filepath.Join(legacy, "bidui.db"), "db")
	write(t, filepath.Join(legacy, "备份", "b.db"), "b")
	write(t, filepath.Join(cur, "other.txt"), "x")
	if dir, err := migrateDataDir(legacy, cur); dir != cur || err != nil {
		t.Fatalf("%q %v", dir, err)
	}
	if b, _ := os.ReadFile(filepath.Join(cur, "bidui.db")); string(b) != "db" {
		t.Error("database not moved")
	}
	if _, err := os.Stat(filepath.Join(cur, "备份", "b.db")); err != nil {
		t.Error("backups not moved")
	}
}

func TestMigrateDataDirKeepsANewerDatabase(t *testing.T) {
	root := t.TempDir()
	legacy, cur := filepath.Join(root, "old"), filepath.Join(root, "new")
	write(t, filepath.Join(legacy, "bidui.db"), "old")
	write(t, filepath.Join(cur, "bidui.db"), "new")
	if dir, _ := migrateDataDir(legacy, cur); dir != cur {
		t.Fatalf("dir %q", dir)
	}
	if b, _ := os.ReadFile(filepath.Join(cur, "bidui.db")); string(b) != "new" {
		t.Error("the newer database was overwritten")
	}
	if b, _ := os.ReadFile(filepath.Join(legacy, "bidui.db")); string(b) != "old" {
		t.Error("the old database was lost")
	}
}

func TestMigrateDataDirStaysWhenItCannotMove(t *testing.T) {
	root := t.TempDir()
	legacy := filepath.Join(root, "old")
	write(t, filepath.Join(legacy, "bidui.db"), "db")
	write(t, filepath.Join(root, "file"), "not a folder")
	cur := filepath.Join(root, "file", "bidui") // its parent is a file: nothing can go there
	dir, err := migrateDataDir(legacy, cur)
	if dir != legacy || err == nil {
		t.Fatalf("dir %q err %v: should stay in the old folder and say why", dir, err)
	}
	if _, err := os.Stat(filepath.Join(legacy, "bidui.db")); err != nil {
		t.Error("database lost")
	}
}
