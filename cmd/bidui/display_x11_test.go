//go:build !windows && !darwin

package main

import (
	"strings"
	"testing"
)

// TestNoDisplayIsSaidInChinese: without a graphical session the window run
// is refused with words that say what to do, instead of Fyne's panic; with
// one (X11 or Wayland) it goes ahead.
func TestNoDisplayIsSaidInChinese(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if why := noDisplay(); !strings.Contains(why, "图形界面") || !strings.Contains(why, "bidui help") {
		t.Errorf("no display: %q", why)
	}
	t.Setenv("DISPLAY", ":99")
	if why := noDisplay(); why != "" {
		t.Errorf("X11: %q", why)
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if why := noDisplay(); why != "" {
		t.Errorf("Wayland: %q", why)
	}
}
