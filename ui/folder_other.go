//go:build !windows

package ui

import (
	"net/url"
	"path/filepath"
)

// openFolder shows a folder in the desktop's file manager.
func (m *mainWindow) openFolder(dir string) error {
	return m.fyneApp.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)})
}
