//go:build !windows

package main

// attachConsole is needed on Windows only, where the program is built as a
// GUI-subsystem executable.
func attachConsole() {}
