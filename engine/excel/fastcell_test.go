package excel

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readEveryCell renders every sheet of a workbook, each row with its line,
// cells and number flags, or the error that stopped it.
func readEveryCell(path string) string {
	wb, err := Open(path)
	if err != nil {
		return "open: " + err.Error()
	}
	defer wb.Close()
	var b strings.Builder
	for _, s := range append(append([]string(nil), wb.Sheets...), wb.Hidden...) {
		rows, err := wb.Rows(s)
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", s, err)
			continue
		}
		for rows.Next() {
			var num []bool
			if n, ok := rows.(interface{ Numeric() []bool }); ok {
				num = n.Numeric()
			}
			fmt.Fprintf(&b, "%s!%d: %q %v\n", s, rows.Line(), rows.Cells(), num)
		}
		if err := rows.Err(); err != nil {
			fmt.Fprintf(&b, "%s: %v\n", s, err)
		}
		rows.Close()
	}
	return b.String()
}

// TestFastCellsReadAsTheTokenizerReadsThem: cells taken in one step from
// the bytes ahead (fastCell) read exactly as the tokenizer reads them, on
// every .xlsx of other projects' corpus and ours, and on a sheet written
// in every odd way a cell can be: entities in references, namespace
// prefixes, single quotes, spaces in tags, formulas, inline strings, a
// CDATA value, self-closed cells and a value longer than the window.
func TestFastCellsReadAsTheTokenizerReadsThem(t *testing.T) {
	var files []string
	filepath.WalkDir(corpusDir(t), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, ".xlsm")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 100 {
		t.Fatalf("only %d corpus workbooks beside the repository", len(files))
	}
	local, _ := filepath.Glob(filepath.Join("testdata", "*.xlsx"))
	files = append(files, local...)
	long := strings.Repeat("9", fastWindow+10)
	odd := hostileXLSX(t, "odd.xlsx", func(w io.Writer) {
		sheetXML(w, func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r='B1' t='n'><v>12.5</v></c><c r="C1"/><c r="D1" s="2"></c><c r="E1"><v>&#49;&amp;2</v></c></row>`)
			io.WriteString(w, `<row r="2"><x:c r="A2" t="str"><x:v>前缀</x:v></x:c><c r="B2" ><v>7</v></c><c  r = "C2"  t = "n" ><v>8</v></c><c r="D2"><f>B2*2</f><v>14</v></c><c r="E2" t="inlineStr"><is><t>内联</t></is></c></row>`)
			io.WriteString(w, `<row r="4"><c><v>1</v></c><c t="s"><v> 1 </v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c r="G4" t="d"><v>2026-11-05</v></c><c r="H4"><v><![CDATA[42]]></v></c></row>`)
			io.WriteString(w, `<row r="5"><c r="A5"><v>`+long+`</v></c><c r="B5" t="s"><v>+1</v></c><c r="C5" t="s" r="Z5"><v>0</v></c><c r="D5" xml:space="preserve"><v>3</v></c></row>`)
			io.WriteString(w, `<row r="6"><c r="A6"> <v>5</v> </c><c r="B6"><v>6</v>`+"\n"+`</c><c r="C6"><v>x</v></c><c r="D6" t="inlineStr"><is><t xml:space="preserve"> 甲&amp;乙 </t></is></c><c r="E6" t="inlineStr"><is><t>a_x000D_b</t></is></c><c r="F6" t="inlineStr"><is><t>c`+"\r\n"+`d</t></is></c><c r="G6" t="str"><v>e_x005F_x</v></c><c r="H6" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c><c r="I6" t="inlineStr"><is><t></t></is></c></row><row r="7"/><row r="8"><c r="B8"/></row>`)
		})
	}, func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>甲</t></si><si><t>乙</t></si></sst>`)
	})
	broken := hostileXLSX(t, "broken.xlsx", func(w io.Writer) {
		sheetXML(w, func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>`)
		})
	}, nil)
	files = append(files, odd, broken)
	fastAt := 0
	for _, path := range files {
		tokenizeEveryCell = true
		want := readEveryCell(path)
		tokenizeEveryCell = false
		got := readEveryCell(path)
		if got != want {
			t.Errorf("%s:\n--- one step\n%s--- tokenizer\n%s", filepath.Base(path), got, want)
		}
		if filepath.Base(path) == "odd.xlsx" && !strings.Contains(got, `"前缀"`) {
			t.Errorf("odd.xlsx lost its prefixed cell:\n%s", got)
		}
		if strings.Contains(got, "!") {
			fastAt++
		}
	}
	if fastAt < 100 {
		t.Errorf("only %d workbooks gave cells", fastAt)
	}
}

// TestDimensionRowsIsTheSheetsLastRow: the rows a sheet's dimension gives,
// as writers put it before the rows; nothing when it is missing, after the
// rows begin, or unreadable; never more than Excel's limit.
func TestDimensionRowsIsTheSheetsLastRow(t *testing.T) {
	for head, want := range map[string]int{
		`<worksheet><dimension ref="A1:H200002"/><sheetData>`:                200002,
		`<worksheet><sheetPr/><dimension ref='B3'/><sheetViews/><sheetData>`: 3,
		`<x:worksheet><x:dimension ref="A1:XFD1048576"/><x:sheetData>`:       0, // prefixed: not looked for
		`<worksheet><sheetData><row r="1"/><dimension ref="A1:C9"/>`:         0,
		`<worksheet><dimension/><sheetData>`:                                 0,
		`<worksheet><dimension ref="A1:Z99999999999999999999"/><sheetData>`:  MaxRows,
		`<worksheet>`: 0,
		`<worksheet><dimension ref="A1:C12" xmlns:foo="x"/><sheetData><row>`: 12,
	} {
		if got := dimensionRows([]byte(head)); got != want {
			t.Errorf("%s: %d rows, want %d", head, got, want)
		}
	}
}

// nextAttrReference is nextAttr as first written, with the standard
// library's searches: the byte-by-byte version must split every attribute
// text as it did.
func nextAttrReference(a []byte) (key, val, rest []byte, ok bool) {
	a = trimSpaceLeft(a)
	eq := bytes.IndexByte(a, '=')
	if eq < 0 {
		return nil, nil, nil, false
	}
	key = bytes.TrimSpace(a[:eq])
	if i := bytes.IndexByte(key, ':'); i >= 0 {
		key = key[i+1:]
	}
	r := trimSpaceLeft(a[eq+1:])
	if len(r) == 0 || (r[0] != '"' && r[0] != '\'') {
		return nil, nil, nil, false
	}
	end := bytes.IndexByte(r[1:], r[0])
	if end < 0 {
		return nil, nil, nil, false
	}
	return key, r[1 : 1+end], r[end+2:], true
}

// TestNextAttrSplitsAsBefore: attribute texts built from the pieces that
// matter (spaces of every kind, prefixes, both quotes, missing parts) are
// split the same by nextAttr and by the reference.
func TestNextAttrSplitsAsBefore(t *testing.T) {
	pieces := []string{" ", "\t", "\n", "\v", "\u00a0", "\u3000", "r", "t", "x:r", ":", "=", `"`, "'", "A1", "inlineStr", "&amp;", "名", "\x00", "s"}
	r := rand.New(rand.NewPCG(11, 17))
	for range 200000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		k1, v1, r1, ok1 := nextAttr(b)
		k2, v2, r2, ok2 := nextAttrReference(b)
		if ok1 != ok2 || !bytes.Equal(k1, k2) || !bytes.Equal(v1, v2) || !bytes.Equal(r1, r2) {
			t.Fatalf("%q: got %q %q %q %v, want %q %q %q %v", b, k1, v1, r1, ok1, k2, v2, r2, ok2)
		}
	}
}
