package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"
)

// LogPath is the program's log file, beside the database.
func (a *App) LogPath() string { return filepath.Join(filepath.Dir(a.db.Path), "bidui.log") }

// guard turns a panic inside a use case into an error the officer can act
// on, and writes what happened to the log file for the technician. Use as
// the first line of a use case: defer a.guard(&err, "导入部门清单").
func (a *App) guard(err *error, op string) {
	r := recover()
	if r == nil {
		return
	}
	path := a.LogPath()
	if f, ferr := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil {
		fmt.Fprintf(f, "%s %s: panic: %v\n%s\n", time.Now().Format(time.RFC3339), op, r, debug.Stack())
		f.Close()
	}
	*err = fmt.Errorf("“%s”时程序内部出错，数据库未改动。错误已记录在 %s，请把该文件发给技术人员（%v）", op, path, r)
}
