// Package arch holds the test that keeps the layout of DESIGN.md §8 true:
// which package may import which. The compiler keeps the rest (App's store
// is unexported, so a screen cannot reach the database through app).
package arch

import (
	"errors"
	"go/build"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// rule: packages matching from must not import anything matching any of not.
type rule struct {
	from string
	not  []string
	why  string
}

var rules = []rule{
	{"bidui/engine", []string{"os", "os/exec", "go.etcd.io/bbolt/...", "fyne.io/fyne/v2/...", "bidui/store", "bidui/app", "bidui/ui", "bidui/engine/excel", "bidui/engine/pdf", "bidui/engine/files"},
		"engine holds the domain: pure, no files, no database, no window, no adapters"},
	{"bidui/engine/demo", []string{"os", "go.etcd.io/bbolt/...", "fyne.io/fyne/v2/...", "bidui/store", "bidui/app", "bidui/ui"}, "the demo generator is pure"},
	{"bidui/engine/...", []string{"go.etcd.io/bbolt/...", "fyne.io/fyne/v2/...", "bidui/store", "bidui/app", "bidui/ui", "bidui/cmd/..."}, "engine imports neither store nor ui"},
	{"bidui/ui", []string{"bidui/store", "go.etcd.io/bbolt/...", "bidui/cmd/..."}, "app is the only door to the data"},
	{"bidui/cmd/...", []string{"bidui/store", "go.etcd.io/bbolt/..."}, "app is the only door to the data"},
	{"bidui/store", []string{"bidui/app", "bidui/ui", "fyne.io/fyne/v2/...", "bidui/cmd/..."}, "store never imports ui"},
	{"bidui/app", []string{"fyne.io/fyne/v2/...", "bidui/ui", "bidui/cmd/..."}, "only ui and cmd import Fyne"},
}

// who may import what at all.
var onlyFrom = map[string][]string{
	"bidui/store":         {"bidui/app"},
	"go.etcd.io/bbolt":    {"bidui/store"},
	"bidui/cmd/bidui/cli": {"bidui/cmd/bidui"},
}

func matches(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// packages lists the module's packages with their non-test imports.
func packages(t *testing.T) map[string][]string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	pkgs := map[string][]string{}
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); dir != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "dist") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(dir, 0)
		var none *build.NoGoError
		if errors.As(err, &none) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, dir)
		pkgs[filepath.ToSlash(filepath.Join("bidui", rel))] = p.Imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func TestLayersImportOnlyWhatTheDesignAllows(t *testing.T) {
	pkgs := packages(t)
	if len(pkgs) < 10 {
		t.Fatalf("only %d packages found", len(pkgs))
	}
	for path, imports := range pkgs {
		for _, r := range rules {
			if !matches(r.from, path) {
				continue
			}
			for _, imp := range imports {
				for _, no := range r.not {
					if matches(no, imp) {
						t.Errorf("%s imports %s: %s", path, imp, r.why)
					}
				}
			}
		}
		for _, imp := range imports {
			if allowed, ok := onlyFrom[imp]; ok && !contains(allowed, path) {
				t.Errorf("%s imports %s, which only %v may import", path, imp, allowed)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
