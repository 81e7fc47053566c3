package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Field is one column an importer looks for, with the header texts that
// departments and the national system use for it.
type Field struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Synonyms []string `json:"synonyms"`
	Required bool     `json:"required,omitempty"`
}

// Header is the result of finding the header of a sheet.
type Header struct {
	FirstRow int            // index (0-based, within the scanned rows) of the first header row
	LastRow  int            // index of the last header row; data starts after it
	Names    []string       // the header text of every column (two-row headers combined)
	Columns  map[string]int // field key → column index
	Missing  []Field        // required fields that were not found
}

// Col returns the cell of field key in row cells, or "".
func (h *Header) Col(cells []string, key string) string {
	return cellAt(cells, h.colIndex(key))
}

// colIndex is field key's column, -1 if it was not found.
func (h *Header) colIndex(key string) int {
	if i, ok := h.Columns[key]; ok {
		return i
	}
	return -1
}

// cellAt is the trimmed cell at column i of cells, "" if there is none.
func cellAt(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return trimSpace(cells[i])
}

// ID reads the ID cell of a row, knowing whether the file stored it as a number.
func (h *Header) ID(r TableRow) ID {
	numeric := false
	if i, ok := h.Columns["id"]; ok && i < len(r.Numeric) {
		numeric = r.Numeric[i]
	}
	return ParseIDCell(h.Col(r.Cells, "id"), numeric)
}

// Has reports whether field key was found.
func (h *Header) Has(key string) bool { _, ok := h.Columns[key]; return ok }

// NormalizeHeader folds a header cell for comparison: full-width to
// half-width, no white space, no required-field stars, no line breaks.
func NormalizeHeader(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '*' || r == '\u00a0' || r == '\u200b' || r == ':' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// stripParens removes parenthesised parts such as units: 自付金额(元) → 自付金额.
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔':
			depth++
		case ')', ']', '】', '〕':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// maxHeaderScan is how many rows at the top of a sheet may hold titles and
// the header.
const maxHeaderScan = 30

// matchFields maps header names to fields. Exact matches (after folding and
// without units) win over contained ones; a column serves one field.
func matchFields(names []string, fields []Field) map[string]int {
	norm := make([]string, len(names))
	bare := make([]string, len(names))
	for i, n := range names {
		norm[i] = NormalizeHeader(n)
		bare[i] = stripParens(norm[i])
	}
	out := make(map[string]int)
	used := make(map[int]bool)
	for quality := 2; quality >= 1; quality-- {
		for _, f := range fields {
			if _, done := out[f.Key]; done {
				continue
			}
			best, bestLen := -1, 0
			for _, syn := range append([]string{f.Label}, f.Synonyms...) {
				ns := NormalizeHeader(syn)
				if ns == "" {
					continue
				}
				for ci := range names {
					if used[ci] || norm[ci] == "" {
						continue
					}
					if quality == 2 {
						// exact: the earliest synonym in the list wins, so
						// 身份证号 beats 户主身份证号 when both columns exist
						if (norm[ci] == ns || bare[ci] == ns) && best < 0 {
							best = ci
						}
					} else if utf8.RuneCountInString(ns) >= 2 && strings.Contains(bare[ci], ns) && len(ns) > bestLen {
						// contained: the longest synonym wins, then the leftmost column
						best, bestLen = ci, len(ns)
					}
				}
				if quality == 2 && best >= 0 {
					break
				}
			}
			if best >= 0 {
				out[f.Key] = best
				used[best] = true
			}
		}
	}
	return out
}

// DetectHeader finds the header among the first rows of a sheet: title rows
// above it are skipped, and a header of two rows (a group label merged over
// sub-headers) is combined column by column. The header is the row, or pair
// of rows, that names the most fields. It returns false when no row names at
// least two fields (or one, for a single-field list).
func DetectHeader(rows [][]string, fields []Field) (Header, bool) {
	bestScore, best := 0, Header{}
	n := len(rows)
	if n > maxHeaderScan {
		n = maxHeaderScan
	}
	try := func(first, last int, names []string) {
		cols := matchFields(names, fields)
		score := len(cols)*4 - (last - first) // prefer one row when equal
		if score > bestScore {
			bestScore = score
			best = Header{FirstRow: first, LastRow: last, Names: names, Columns: cols}
		}
	}
	for r := 0; r < n; r++ {
		try(r, r, trimAll(rows[r]))
		if r+1 < len(rows) {
			try(r, r+1, combineRows(rows[r], rows[r+1]))
		}
	}
	need := 2
	if len(fields) < 2 {
		need = 1
	}
	if len(best.Columns) < need {
		return Header{}, false
	}
	for _, f := range fields {
		if f.Required {
			if _, ok := best.Columns[f.Key]; !ok {
				best.Missing = append(best.Missing, f)
			}
		}
	}
	return best, true
}

func trimAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

// combineRows merges a two-row header: the lower cell names the column when
// it has text, else the upper one (a cell merged down over both rows).
func combineRows(upper, lower []string) []string {
	n := len(upper)
	if len(lower) > n {
		n = len(lower)
	}
	out := make([]string, n)
	for i := 0; i < n; i++ {
		var u, l string
		if i < len(upper) {
			u = strings.TrimSpace(upper[i])
		}
		if i < len(lower) {
			l = strings.TrimSpace(lower[i])
		}
		if l != "" {
			out[i] = l
		} else {
			out[i] = u
		}
	}
	return out
}

// RowKind says what a row below the header is.
type RowKind int

const (
	RowData   RowKind = iota
	RowBlank          // every cell empty
	RowTotal          // 合计 / 总计 / 小计
	RowNote           // 制表人、审核人、填报说明 and similar footers
	RowHeader         // the header repeated (page breaks in exports)
)

var totalWords = []string{"合计", "总计", "小计", "累计", "共计"}
var noteWords = []string{"制表", "填表", "审核", "备注", "说明", "注:", "负责人", "联系人", "单位盖章", "单位(盖章)", "填报单位", "报送单位", "统计时间", "数据来源"}

// trimSpace is strings.TrimSpace, quick for a cell that needs no trimming:
// its first and last characters are looked at, and only a cell that
// begins or ends with white space is trimmed. (strings.TrimSpace takes
// its slow path, rune by rune from both ends, on every cell with Chinese.)
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	lastStart := len(s) - 1 // where the last character begins
	for lastStart > 0 && lastStart > len(s)-4 && s[lastStart]&0xC0 == 0x80 {
		lastStart--
	}
	if mayBeSpace(s[0]) || mayBeSpace(s[lastStart]) {
		first, _ := utf8.DecodeRuneInString(s)
		last, _ := utf8.DecodeLastRuneInString(s)
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			return strings.TrimSpace(s)
		}
	}
	return s
}

// mayBeSpace reports a first byte of UTF-8 that can begin white space: ASCII
// space and controls, and the lead bytes of U+0085, U+00A0 (C2), U+1680 (E1),
// U+2000–U+205F (E2) and U+3000 (E3). Chinese text begins with others.
func mayBeSpace(b byte) bool {
	switch {
	case b < utf8.RuneSelf:
		return b <= ' '
	case b == 0xC2, b == 0xE1, b == 0xE2, b == 0xE3:
		return true
	}
	return false
}

// ClassifyRow decides whether a row is data or one of the rows that are
// skipped but counted: blank, a total, a footer note, a repeated header.
func ClassifyRow(cells []string, h *Header) RowKind {
	nonEmpty := 0
	var first string
	for _, c := range cells {
		c = trimSpace(c)
		if c == "" {
			continue
		}
		if nonEmpty == 0 {
			first = c
		}
		nonEmpty++
	}
	if nonEmpty == 0 {
		return RowBlank
	}
	id := h.Col(cells, "id")
	name := h.Col(cells, "name")
	idEmpty := trimSpace(id) == ""
	// totals: only cells holding 计 need a closer look
	for _, c := range cells {
		if !strings.Contains(c, "计") {
			continue
		}
		nc := NormalizeHeader(c)
		for _, w := range totalWords {
			if nc == w || nc == w+"(人)" || nc == w+"人数" {
				return RowTotal
			}
		}
	}
	// "合计：35人" in the first cell or the name cell of a row without an ID
	if idEmpty {
		for _, c := range []string{first, name} {
			if !strings.Contains(c, "计") {
				continue
			}
			nc := NormalizeHeader(c)
			for _, w := range totalWords {
				if strings.HasPrefix(nc, w) {
					return RowTotal
				}
			}
		}
	}
	if nonEmpty <= 3 && !hasDigit(id) {
		nf := NormalizeHeader(first)
		for _, w := range noteWords {
			if strings.HasPrefix(nf, NormalizeHeader(w)) {
				return RowNote
			}
		}
	}
	if h.isHeaderRepeat(cells) {
		return RowHeader
	}
	return RowData
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// isHeaderRepeat reports a row that repeats the header (exports that print
// the header on every page). Only a row whose name or ID cell looks like its
// header is compared in full, so data rows cost almost nothing.
func (h *Header) isHeaderRepeat(cells []string) bool {
	suspect := false
	for _, key := range []string{"name", "id"} {
		i, ok := h.Columns[key]
		if !ok || i >= len(cells) || i >= len(h.Names) || h.Names[i] == "" {
			continue
		}
		c := trimSpace(cells[i])
		hn := trimSpace(h.Names[i])
		last, _ := utf8.DecodeLastRuneInString(hn)
		if c == "" || len(c) > 4*len(h.Names[i])+8 || hn == "" || !strings.ContainsRune(c, last) {
			continue // a header cell ends like the header (名, 号, 码 …)
		}
		if NormalizeHeader(c) == NormalizeHeader(h.Names[i]) {
			suspect = true
			break
		}
		if hasDigit(c) {
			return false
		}
	}
	if !suspect {
		return false
	}
	same, named := 0, 0
	for _, ci := range h.Columns {
		if ci < len(h.Names) && h.Names[ci] != "" {
			named++
			if ci < len(cells) && NormalizeHeader(cells[ci]) == NormalizeHeader(h.Names[ci]) {
				same++
			}
		}
	}
	return named > 0 && same*2 > named
}
