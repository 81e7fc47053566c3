//go:build windows

package ui

import (
	"os/exec"
	"path/filepath"
)

// openFolder shows a folder in Explorer, given its native path: a file://
// URL with a Chinese folder name, percent-encoded, is resolved wrongly by
// ShellExecute and opens nothing.
func (m *mainWindow) openFolder(dir string) error {
	// explorer.exe exits with 1 even when it opened the folder: start it, do not wait
	return exec.Command("explorer.exe", filepath.Clean(dir)).Start()
}
