package excel

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Government systems' "导出Excel" often writes an HTML table and names it
// .xls; Excel and WPS open it as a sheet, and so does bidui: each <table>
// is a sheet (表1, 表2, …), each <tr> a row, <td> and <th> cells, colspan
// and rowspan laid out as Excel lays them out, <br> a line break.

var metaCharset = regexp.MustCompile(`(?i)charset\s*=\s*["']?\s*([a-z0-9_-]+)`)

// decodeHTML gives the page's text: the charset its <meta> names, else
// UTF-8 when it is valid, else GB18030 (GBK, GB2312).
func decodeHTML(data []byte) (string, string) {
	head := data[:min(len(data), 4096)]
	if m := metaCharset.FindSubmatch(head); m != nil {
		switch strings.ToLower(string(m[1])) {
		case "gbk", "gb2312", "gb18030", "x-gbk":
			if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
				return string(out), "GBK"
			}
		}
	}
	text, enc := DecodeText(data)
	if enc == "未知编码" {
		enc = "GBK"
	}
	return text, enc
}

// isHTML tells a page from other text by its first tags.
func isHTML(head []byte) bool {
	l := bytes.ToLower(head)
	return bytes.Contains(l, []byte("<html")) || bytes.Contains(l, []byte("<table")) || bytes.Contains(l, []byte("<!doctype html"))
}

// htmlTables reads every top-level table of a page as rows of cell text.
func htmlTables(text string) [][][]string {
	z := html.NewTokenizer(strings.NewReader(text))
	var tables [][][]string
	var t *htmlTable
	depth := 0 // nesting of tables; cells of a nested table are text of the outer cell
	for {
		switch z.Next() {
		case html.ErrorToken:
			if t != nil {
				tables = append(tables, t.finish())
			}
			return tables
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch atom.Lookup(name) {
			case atom.Table:
				depth++
				if depth == 1 {
					t = &htmlTable{}
				}
			case atom.Tr:
				if depth == 1 && t != nil {
					t.row()
				}
			case atom.Td, atom.Th:
				if depth == 1 && t != nil {
					t.cell(span(attrs["colspan"]), span(attrs["rowspan"]))
				}
			case atom.Br, atom.P, atom.Div:
				if t != nil && t.in {
					t.text.WriteString("\n")
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Table:
				if depth == 1 && t != nil {
					tables = append(tables, t.finish())
					t = nil
				}
				depth = max(0, depth-1)
			case atom.Td, atom.Th:
				if depth == 1 && t != nil {
					t.endCell()
				}
			}
		case html.TextToken:
			if t != nil && t.in {
				t.text.Write(z.Text())
			}
		}
	}
}

func span(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, MaxColumns)
}

// htmlTable builds one table's rows as Excel lays them out.
type htmlTable struct {
	rows    [][]string
	cur     []string
	started bool
	in      bool
	text    strings.Builder
	colspan int
	rowspan int
	carry   map[int]int // column → rows still covered by a rowspan from above
	cellAt  int
}

func (t *htmlTable) row() {
	if t.in {
		t.endCell()
	}
	if t.started {
		t.rows = append(t.rows, t.endRow())
	}
	t.cur, t.started = nil, true
	if t.carry == nil {
		t.carry = map[int]int{}
	}
}

// skipCovered moves past the columns a rowspan from above covers.
func (t *htmlTable) skipCovered() {
	for t.carry[len(t.cur)] > 0 {
		t.carry[len(t.cur)]--
		t.cur = append(t.cur, "")
	}
}

func (t *htmlTable) cell(colspan, rowspan int) {
	if t.in {
		t.endCell()
	}
	if !t.started {
		t.row()
	}
	t.skipCovered()
	t.in, t.colspan, t.rowspan = true, colspan, rowspan
	t.cellAt = len(t.cur)
	t.text.Reset()
}

func (t *htmlTable) endCell() {
	if !t.in {
		return
	}
	t.in = false
	t.cur = append(t.cur, cellText(t.text.String()))
	for i := 1; i < t.colspan; i++ {
		t.cur = append(t.cur, "")
	}
	if t.rowspan > 1 {
		for c := t.cellAt; c < t.cellAt+t.colspan; c++ {
			t.carry[c] = t.rowspan - 1
		}
	}
}

func (t *htmlTable) finish() [][]string {
	if t.in {
		t.endCell()
	}
	if t.started {
		t.rows = append(t.rows, t.endRow())
	}
	return t.rows
}

// endRow is the row with the columns a rowspan from above still covers
// at its end.
func (t *htmlTable) endRow() []string {
	last := -1
	for c, n := range t.carry {
		if n > 0 && c > last {
			last = c
		}
	}
	for len(t.cur) <= last {
		if t.carry[len(t.cur)] > 0 {
			t.carry[len(t.cur)]--
		}
		t.cur = append(t.cur, "")
	}
	return t.cur
}

// cellText is a cell's text as a browser shows it: runs of white space one
// space, &nbsp; a space, line breaks kept.
func cellText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\u00a0", " "), "\n")
	out := lines[:0]
	for _, l := range lines {
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	s = strings.Trim(strings.Join(out, "\n"), "\n")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}
