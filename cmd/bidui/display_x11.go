//go:build !windows && !darwin

package main

import "os"

// noDisplay says why the window cannot open on a machine without a
// graphical session (a server, a terminal over SSH) — Fyne would otherwise
// stop with a panic — or "" when it can.
func noDisplay() string {
	if os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "这台电脑没有图形界面（未设置 DISPLAY），无法打开窗口。请在桌面环境中运行；命令行用法见 bidui help"
}
