package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// findList finds the first list under o (the file dialog's places).
func findList(o fyne.CanvasObject) *widget.List {
	switch w := o.(type) {
	case *widget.List:
		return w
	case *widget.PopUp:
		return findList(w.Content)
	case *container.Split:
		if l := findList(w.Leading); l != nil {
			return l
		}
		return findList(w.Trailing)
	case *fyne.Container:
		for _, c := range w.Objects {
			if l := findList(c); l != nil {
				return l
			}
		}
	}
	return nil
}

func labels(o fyne.CanvasObject, out *[]string) {
	switch w := o.(type) {
	case *widget.Label:
		*out = append(*out, w.Text)
	case *fyne.Container:
		for _, c := range w.Objects {
			labels(c, out)
		}
	}
}

func TestFileDialogNamesItsPlacesInChinese(t *testing.T) {
	m, _ := demoWindow(t, 20)
	m.win.Show()
	m.openSpreadsheet(func(string) {})
	top := m.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no file dialog shown")
	}
	l := findList(top)
	if l == nil {
		t.Fatal("the dialog has no list of places")
	}
	var names []string
	for i := 0; i < l.Length(); i++ {
		item := l.CreateItem()
		l.UpdateItem(i, item)
		labels(item, &names)
	}
	if len(names) == 0 {
		t.Fatal("no places listed")
	}
	for _, n := range names {
		if _, english := placeNames[n]; english {
			t.Errorf("place %q is still in English (all: %v)", n, names)
		}
	}
	if names[0] != "主文件夹" {
		t.Errorf("first place %q, want 主文件夹", names[0])
	}
	shot(t, m.win, "file_dialog")
}

func TestImportAndPrintRememberTheirOwnFolders(t *testing.T) {
	m, files := demoWindow(t, 20)
	printDir := t.TempDir()
	m.rememberFolder(folderImport, files)
	m.rememberFolder(folderPrint, printDir)
	if got := m.startFolder(folderImport); got == nil || filepath.Clean(got.Path()) != filepath.Clean(files) {
		t.Errorf("import starts at %v, want %s", got, files)
	}
	if got := m.startFolder(folderPrint); got == nil || filepath.Clean(got.Path()) != filepath.Clean(printDir) {
		t.Errorf("print starts at %v, want %s", got, printDir)
	}
	// a folder since removed is passed over for the next one known
	os.RemoveAll(printDir)
	if got := m.startFolder(folderPrint); got != nil && filepath.Clean(got.Path()) == filepath.Clean(printDir) {
		t.Errorf("a removed folder was offered")
	}
}
