package files

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"东山乡", "东山乡"},
		{"../../escaped", "_.._escaped"},
		{"..", "_"},
		{".", "_"},
		{"", "_"},
		{"a/b镇", "a_b镇"},
		{`c:\windows`, "c__windows"},
		{"x:y*?", "x_y__"},
		{"CON", "_CON"},
		{"con.pdf", "_con.pdf"},
		{"Lpt1", "_Lpt1"},
		{"CONSOLE", "CONSOLE"},
		{" 东山乡. ", "东山乡"},
		{"tab\there", "tab_here"},
		{"青防交〔2026〕11-01号", "青防交〔2026〕11-01号"},
	} {
		if got := SafeName(tc.in); got != tc.want {
			t.Errorf("SafeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := strings.Repeat("很长的乡镇名", 20) // 120 characters
	got := SafeName(long)
	if n := utf8.RuneCountInString(got); n > MaxNameRunes || n == 0 {
		t.Errorf("a 120-character name became %d characters", n)
	}
}

func TestSafeNameStaysInTheFolder(t *testing.T) {
	dir := filepath.Join("out", "交办单")
	for _, s := range []string{"../../escaped", "..", "/etc/passwd", `..\..\x`, "a/../../b", "./.", "…/"} {
		p := filepath.Join(dir, SafeName(s)+".pdf")
		if filepath.Dir(p) != dir {
			t.Errorf("%q lands in %q, outside %q", s, filepath.Dir(p), dir)
		}
	}
}

// TestWriteErrorsInTheOfficersWords: a full disk (Linux's and Windows'
// wording), a read-only folder, a folder that does not exist.
func TestWriteErrorsInTheOfficersWords(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}, "磁盘空间不足"},
		{errors.New("write x: There is not enough space on the disk."), "磁盘空间不足"},
		{&os.PathError{Op: "open", Path: "x", Err: os.ErrPermission}, "无法写入"},
		{&os.PathError{Op: "open", Path: "x", Err: os.ErrNotExist}, "保存位置不存在"},
	} {
		if got := WriteError(filepath.Join("备份", "青山县.db"), tc.err).Error(); !strings.Contains(got, tc.want) || !strings.Contains(got, "青山县.db") {
			t.Errorf("%v: %q", tc.err, got)
		}
	}
}
