//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachConsole gives a subcommand the console of the cmd.exe or
// PowerShell window it was started from. bidui.exe is a GUI-subsystem
// program (no console window of its own when double-clicked), so Windows
// starts it without standard handles: without this its output and errors
// would go nowhere. Handles the parent already redirected (to a file or a
// pipe) are kept. Started from Explorer there is no parent console, and
// nothing changes.
func attachConsole() {
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if r, _, _ := kernel32.NewProc("AttachConsole").Call(attachParentProcess); r == 0 {
		return
	}
	reopen := func(std int, f **os.File) {
		if h, err := syscall.GetStdHandle(std); err == nil && h != 0 && h != syscall.InvalidHandle {
			if t, err := syscall.GetFileType(h); err == nil && t != 0 {
				return // redirected by the parent: keep it
			}
		}
		if c, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			*f = c
		}
	}
	reopen(syscall.STD_OUTPUT_HANDLE, &os.Stdout)
	reopen(syscall.STD_ERROR_HANDLE, &os.Stderr)
}
