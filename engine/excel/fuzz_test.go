package excel

import (
	"os"
	"path/filepath"
	"testing"

	"bidui/engine"
)

// readAll opens a file and reads its first sheet through the importer's
// path; any panic fails the fuzz run.
func readAll(t *testing.T, path string) {
	wb, err := Open(path)
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("Open returned a %T, want *Error: %v", err, err)
		}
		return
	}
	defer wb.Close()
	for _, sheet := range wb.Sheets {
		rows, err := wb.Rows(sheet)
		if err != nil {
			continue
		}
		_, _, _ = engine.ReadTable(rows, "f", sheet, listFields, nil, func(h *engine.Header, r engine.TableRow) error {
			_ = engine.ParseID(h.Col(r.Cells, "id"))
			_, _ = engine.ParseAmount(h.Col(r.Cells, "amount"))
			return nil
		})
		rows.Close()
	}
}

func fuzzFile(f *testing.F, ext string, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f"+ext)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		readAll(t, path)
	})
}

func FuzzReadCSV(f *testing.F) { fuzzFile(f, ".csv", "utf8.csv", "gbk.csv", "tabs.csv") }

func FuzzReadXLSX(f *testing.F) {
	fuzzFile(f, ".xlsx", "title_merged.xlsx", "two_row_header.xlsx", "legacy.xls", "corrupt.xlsx")
}

// FuzzReadXLS feeds damaged legacy workbooks to the BIFF reader: never a
// panic, never anything but a *Error.
func FuzzReadXLS(f *testing.F) { fuzzFile(f, ".xls", "legacy.xls") }
