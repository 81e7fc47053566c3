// Package files wraps the file system for writers: a file is written to a
// temporary name beside its target and renamed into place, so a failure
// never leaves a half-written file, and errors are put in the officer's words.
package files

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Error is a file problem in the officer's words.
type Error struct {
	File string
	Msg  string
	Err  error
}

func (e *Error) Error() string { return filepath.Base(e.File) + "：" + e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Fail makes an Error with a formatted message.
func Fail(path string, err error, format string, args ...any) *Error {
	return fail(path, err, format, args...)
}

func fail(path string, err error, format string, args ...any) *Error {
	return &Error{File: path, Msg: fmt.Sprintf(format, args...), Err: err}
}

// AtomicWrite calls write with a temporary path beside path, flushes the
// result to disk and renames it into place. On any failure the temporary
// file is removed and the target is left as it was. Errors are in the
// officer's words.
func AtomicWrite(path string, write func(tmp string) error) error {
	return AtomicWriteMode(path, 0o644, write)
}

// AtomicWriteMode is AtomicWrite giving the file mode perm (0o600 for a
// backup: it holds the county's personal data).
func AtomicWriteMode(path string, perm os.FileMode, write func(tmp string) error) error {
	dir := filepath.Dir(path)
	tmpf, err := os.CreateTemp(dir, ".tmp*-"+filepath.Base(path)) // keeps the extension, which excelize checks
	if err != nil {
		return WriteError(path, err)
	}
	tmp := tmpf.Name()
	tmpf.Close()
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return WriteError(path, err)
	}
	_ = os.Chmod(tmp, perm) // CreateTemp makes it private
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return WriteError(path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return WriteError(path, err)
	}
	syncDir(dir)
	return nil
}

// syncFile flushes a written file to the disk, so "saved" is true after a
// power cut or a pulled USB stick.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a folder's entries (the rename) where the system allows
// it; Windows does not open folders for that, and needs it less.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// WriteError explains why a file could not be written.
func WriteError(path string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, os.ErrPermission) || strings.Contains(msg, "Access is denied") || strings.Contains(msg, "being used by another process"):
		return fail(path, err, "无法写入：文件夹只读，或该文件正在 WPS/Excel/PDF 阅读器中打开，请关闭后重试，或换一个文件夹")
	case strings.Contains(msg, "no space left") || strings.Contains(msg, "not enough space") || strings.Contains(msg, "disk full"):
		return fail(path, err, "磁盘空间不足，请清理磁盘或换一个位置保存")
	case errors.Is(err, os.ErrNotExist):
		return fail(path, err, "保存位置不存在，请先创建该文件夹")
	}
	return fail(path, err, "无法写入文件（%v）", err)
}
