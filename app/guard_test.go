package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGuardTurnsAPanicIntoAMessageAndALog(t *testing.T) {
	a := openTest(t)
	err := func() (err error) {
		defer a.guard(&err, "测试操作")
		m := mapOf(nil)
		m["x"] = 1 // a bug: a write to a nil map
		return nil
	}()
	if err == nil || !strings.Contains(err.Error(), "测试操作") || !strings.Contains(err.Error(), a.LogPath()) {
		t.Fatalf("err = %v", err)
	}
	log, _ := os.ReadFile(a.LogPath())
	if !strings.Contains(string(log), "assignment to entry in nil map") || !strings.Contains(string(log), "guard_test.go") {
		t.Errorf("log lacks the panic and its stack:\n%s", log)
	}
}

// FuzzImportFeedback feeds arbitrary files to the feedback importer: it
// must answer with results or an error, never panic (the guard would turn a
// panic into an "internal error" message, which fails the fuzz run).
func FuzzImportFeedback(f *testing.F) {
	f.Add([]byte("线索编号,核查结果,监测类型,情况说明,核查人,核查日期\n2026-11-0001,纳入监测,边缘易致贫户,,张,2026-11-05\n"))
	f.Add([]byte("线索编号,核查结果\n2026-11-0002,不纳入\n,,\n"))
	f.Add([]byte("编号\t结果\t日期\n2026-11-0003\t其他\t11月5日\n"))
	a, err := Open(filepath.Join(f.TempDir(), "f.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer a.Close()
	a.Now = func() time.Time { return testNow }
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fb.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := a.ImportFeedback(context.Background(), []string{path})
		if err != nil && strings.Contains(err.Error(), "内部出错") {
			t.Fatalf("the importer panicked: %v", err)
		}
	})
}

// mapOf hands a map through a call, so the nil map above is a bug only at run time.
func mapOf(m map[string]int) map[string]int { return m }
