package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ListImport is the record of one department file imported for a period.
// Its rows are kept with their original cells; everything else about a row
// (ID, amount, problems) is derived from the cells and Columns.
type ListImport struct {
	Seq          int            `json:"seq"`
	Period       string         `json:"period"`
	Dept         string         `json:"dept"`
	List         string         `json:"list"`
	File         string         `json:"file"`
	Sheet        string         `json:"sheet"`
	Hash         string         `json:"hash"` // SHA-256 of the file's bytes
	At           time.Time      `json:"at"`
	Operator     string         `json:"operator"`
	Header       []string       `json:"header"`  // the column names as read
	Columns      map[string]int `json:"columns"` // field key → column index
	Rows         int            `json:"rows"`
	Valid        int            `json:"valid"`
	Invalid      int            `json:"invalid"`
	Duplicates   int            `json:"duplicates"`
	Skipped      int            `json:"skipped"`
	Persons      int            `json:"persons"` // distinct valid persons
	Issues       []Issue        `json:"issues"`
	Warnings     []string       `json:"warnings,omitempty"`
	SupersededBy int            `json:"superseded_by,omitempty"` // a later import of the same list and period
}

// Current reports whether this import is the valid version of its list.
func (l *ListImport) Current() bool { return l.SupersededBy == 0 }

// DeptRow is one kept data row of a department file.
type DeptRow struct {
	Line    int      `json:"line"`
	Cells   []string `json:"cells"`
	Problem string   `json:"problem,omitempty"` // why the row is invalid; empty when valid
	Field   string   `json:"field,omitempty"`   // the field at fault: "id", "name", a key column; "" for a duplicate
	DupOf   int      `json:"dup_of,omitempty"`  // the line this row repeats exactly
}

// Valid reports a row that can be compared.
func (r *DeptRow) Valid() bool { return r.Problem == "" }

// HashBytes is the content hash used to recognise a file imported before.
func HashBytes(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// ListBuilder checks and keeps the rows of one department file.
type ListBuilder struct {
	list    *ListType
	file    string
	sheet   string
	Rows    []DeptRow
	Valid   int
	Invalid int
	Dups    int
	Issues  []Issue
	seed    maphash.Seed
	seen    map[uint64]int   // content hash of a first row → its index in Rows
	clashes map[uint64][]int // further first rows with a hash the seen one has: their indexes in Rows
	keys    []uint64         // every valid row's idKey, counted distinct by Persons
	others  map[string]bool  // valid persons whose ID idKey cannot pack (none: a usable ID always packs)
	planned *Header          // the header the plan below is for
	seqCol  int              // the 序号 column, ignored when comparing rows; -1 if none
	idCol   int              // the ID column; -1 if none
	nameCol int              // the name column; -1 if none
	plan    []fieldCheck     // the list's columns as check meets them
}

// fieldCheck is one of the list's columns in a file: where it is and how
// its cells are checked, worked out once per header instead of per row.
type fieldCheck struct {
	Field
	col    int     // -1 if the file has no such column
	amount bool    // checked as an amount
	unit   float64 // the amount's unit, from its header (元, 万元)
}

// NewListBuilder starts the rows of one file of list l.
func NewListBuilder(l *ListType, file, sheet string) *ListBuilder {
	return &ListBuilder{list: l, file: file, sheet: sheet, seed: maphash.MakeSeed(), seen: map[uint64]int{}}
}

// planFor works out, once for header h, where the columns the rows are
// checked by are.
func (b *ListBuilder) planFor(h *Header) {
	if b.planned == h {
		return
	}
	b.planned = h
	b.seqCol = -1
	for i, n := range h.Names {
		if seqHeaders[NormalizeHeader(n)] {
			b.seqCol = i
			break
		}
	}
	b.idCol, b.nameCol = h.colIndex("id"), h.colIndex("name")
	b.plan = b.plan[:0]
	for _, f := range b.list.Columns {
		c := fieldCheck{Field: f, col: h.colIndex(f.Key), amount: f.Key == "amount" || (b.list.Rule.Kind == "amount" && f.Key == b.list.Rule.Field), unit: 1}
		if c.col >= 0 && c.col < len(h.Names) {
			c.unit = AmountUnit(h.Names[c.col])
		}
		b.plan = append(b.plan, c)
	}
}

var seqHeaders = map[string]bool{"序号": true, "编号": true, "序": true, "no": true, "no.": true}

// Add checks one data row and keeps it, valid or not.
func (b *ListBuilder) Add(h *Header, r TableRow) {
	b.planFor(h)
	row := DeptRow{Line: r.Line, Cells: trimCells(r.Cells)}
	col := func(key string) string {
		if i, ok := h.Columns[key]; ok && i < len(h.Names) {
			return h.Names[i]
		}
		return ""
	}
	key, norm := "", ""
	if prev := b.earlier(row.Cells); prev > 0 {
		row.DupOf = prev
		row.Problem = "与第" + strconv.Itoa(prev) + "行完全相同，重复行只计一次"
	} else {
		row.Problem, key, norm = b.check(r, row.Cells)
		row.Field = key
	}
	if row.Problem == "" {
		b.Valid++
		if k, ok := idKey(norm); ok {
			b.keys = append(b.keys, k)
		} else {
			if b.others == nil {
				b.others = map[string]bool{}
			}
			b.others[norm] = true
		}
	} else {
		b.Invalid++
		if row.DupOf > 0 {
			b.Dups++
		}
		b.Issues = append(b.Issues, Issue{File: b.file, Sheet: b.sheet, Row: r.Line, Column: col(key), Message: row.Problem})
	}
	if len(b.Rows) == cap(b.Rows) { // doubling: a large list's rows are copied less often than append's 1.25
		b.Rows = slices.Grow(b.Rows, max(1024, len(b.Rows)))
	}
	b.Rows = append(b.Rows, row)
}

// earlier is the line of an earlier row with the same content as cells
// (ignoring the 序号 column and trailing empty cells), 0 if none; a row
// with none is remembered as the one later copies repeat. Rows are found
// by a hash of their content and then compared cell by cell, so two rows
// are one only when their cells are the same.
func (b *ListBuilder) earlier(cells []string) int {
	end := b.contentEnd(cells)
	var h maphash.Hash
	h.SetSeed(b.seed)
	for i := 0; i < end; i++ {
		if i != b.seqCol {
			h.WriteString(cells[i])
			h.WriteByte(0)
		}
	}
	sum := h.Sum64()
	if everyRowHashesAlike {
		sum = 0
	}
	at, hit := b.seen[sum]
	if !hit {
		b.seen[sum] = len(b.Rows)
		return 0
	}
	if first := b.Rows[at]; b.sameContent(first.Cells, cells) {
		return first.Line
	}
	// other rows have this hash too: told apart by their content
	for _, i := range b.clashes[sum] {
		if b.sameContent(b.Rows[i].Cells, cells) {
			return b.Rows[i].Line
		}
	}
	if b.clashes == nil {
		b.clashes = map[uint64][]int{}
	}
	b.clashes[sum] = append(b.clashes[sum], len(b.Rows))
	return 0
}

// everyRowHashesAlike makes every row's hash clash (tests).
var everyRowHashesAlike = false

// contentEnd is one past the last non-empty cell other than the 序号.
func (b *ListBuilder) contentEnd(cells []string) int {
	n := len(cells)
	for n > 0 && (cells[n-1] == "" || n-1 == b.seqCol) {
		n--
	}
	return n
}

// sameContent compares two rows as earlier does.
func (b *ListBuilder) sameContent(x, y []string) bool {
	nx, ny := b.contentEnd(x), b.contentEnd(y)
	if nx != ny {
		return false
	}
	for i := 0; i < nx; i++ {
		if i != b.seqCol && x[i] != y[i] {
			return false
		}
	}
	return true
}

// check returns why a row cannot be compared and the key of the column at
// fault, or the row's ID (normalized) when it can.
func (b *ListBuilder) check(r TableRow, cells []string) (problem, key, norm string) {
	id := ParseIDCell(cellAt(r.Cells, b.idCol), b.idCol >= 0 && b.idCol < len(r.Numeric) && r.Numeric[b.idCol])
	if !id.Usable() {
		return id.Reason, "id", ""
	}
	if CleanName(cellAt(cells, b.nameCol)) == "" {
		return "姓名为空", "name", ""
	}
	for i := range b.plan {
		f := &b.plan[i]
		v := cellAt(cells, f.col)
		if f.amount {
			if v == "" {
				if f.Required {
					return f.Label + "为空", f.Key, ""
				}
				continue
			}
			if _, ok := ParseAmountIn(v, f.unit); !ok {
				return f.Label + "“" + v + "”不是可识别的金额", f.Key, ""
			}
			continue
		}
		if f.Required && v == "" {
			return f.Label + "为空", f.Key, ""
		}
		if p := futureDate(f.Field, v); p != "" {
			return p, f.Key, ""
		}
	}
	return "", "", id.Norm
}

// futureDate says that an event's date (a 日期 column, such as 公安's
// 变动日期) lies after today: a typo or a wrong year, for the department
// to check; "" otherwise.
func futureDate(f Field, v string) string {
	if v == "" || (f.Key != "date" && !strings.HasSuffix(f.Label, "日期")) {
		return ""
	}
	d, ok := ParseDate(v, 0)
	if !ok {
		return ""
	}
	now := Today()
	if today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC); d.After(today) {
		return f.Label + "“" + v + "”在今天之后，请部门核实"
	}
	return ""
}

// trimCells trims every cell and drops trailing empty cells. A row with
// nothing to trim is kept as the reader gave it (readers hand
// over each row's own slice, and nothing here changes it): a large list's
// rows are not copied a second time.
func trimCells(cells []string) []string {
	i := 0
	for i < len(cells) && trimSpace(cells[i]) == cells[i] {
		i++
	}
	if i == len(cells) && i > 0 && cells[i-1] != "" {
		return cells
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = trimSpace(c)
	}
	// drop trailing empty cells
	n := len(out)
	for n > 0 && out[n-1] == "" {
		n--
	}
	return out[:n]
}

// Persons is the number of distinct valid persons.
func (b *ListBuilder) Persons() int {
	sortKeys(b.keys)
	b.keys = slices.Compact(b.keys)
	return len(b.keys) + len(b.others)
}

// sortKeys sorts ID keys, a large list's hundreds of thousands of them, in
// four passes of 16 bits (a radix sort: a third of slices.Sort's time).
func sortKeys(a []uint64) {
	if len(a) < 1<<12 {
		slices.Sort(a)
		return
	}
	src, dst := a, make([]uint64, len(a))
	var at [1 << 16]int
	for shift := 0; shift < 64; shift += 16 {
		clear(at[:])
		for _, v := range src {
			at[v>>shift&0xffff]++
		}
		sum := 0
		for i, n := range at {
			at[i], sum = sum, sum+n
		}
		for _, v := range src {
			d := v >> shift & 0xffff
			dst[at[d]] = v
			at[d]++
		}
		src, dst = dst, src
	}
	// four passes: the sorted keys are back in a
}

// reserve makes room for about n rows in all, so that a large list's rows
// and its map of row contents are not grown step by step. Rows kept so far
// are carried over; a smaller n than there is room for does nothing.
func (b *ListBuilder) reserve(n int) {
	if n <= cap(b.Rows) {
		return
	}
	b.Rows = slices.Grow(b.Rows, n-len(b.Rows))
	b.keys = slices.Grow(b.keys, n-len(b.keys))
	seen := make(map[uint64]int, n)
	for k, v := range b.seen {
		seen[k] = v
	}
	b.seen = seen
}

// idKey packs a usable ID's 18 characters (17 digits and a check digit or
// X) into one number, a cheaper map key than the text; ok is false for any
// other text.
func idKey(norm string) (uint64, bool) {
	if len(norm) != 18 {
		return 0, false
	}
	var k uint64
	for i := 0; i < 17; i++ {
		c := norm[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		k = k*10 + uint64(c-'0')
	}
	switch c := norm[17]; {
	case c >= '0' && c <= '9':
		return k*11 + uint64(c-'0'), true
	case c == 'X':
		return k*11 + 10, true
	}
	return 0, false
}

var periodPattern = regexp.MustCompile(`(20\d\d)\s*[年\-./_]\s*(\d{1,2})\s*月?`)

// PeriodHints finds months named in a file's name and title rows, as YYYY-MM.
func PeriodHints(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, m := range periodPattern.FindAllStringSubmatch(t, -1) {
			mo, _ := strconv.Atoi(m[2])
			if mo < 1 || mo > 12 {
				continue
			}
			p := fmt.Sprintf("%s-%02d", m[1], mo)
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// ValidPeriod checks a YYYY-MM period.
func ValidPeriod(p string) error {
	_, err := ParseMonth(p)
	return err
}

// GuessFromFileName picks the department a file name mentions (by name or
// alias) and the list it names, "" for the list when it names none, and
// "" for both when it mentions no department: 医保局_住院自付_2026年11月.xlsx
// → 医保局, 住院自付.
func (c *Catalog) GuessFromFileName(file string) (dept, list string) {
	n := NormalizeHeader(file)
	for _, d := range c.Departments {
		for _, name := range append([]string{d.Name}, d.Aliases...) {
			if name == "" || !strings.Contains(n, NormalizeHeader(name)) {
				continue
			}
			for _, l := range d.Lists {
				if l.Name != "" && strings.Contains(n, NormalizeHeader(l.Name)) {
					return d.Name, l.Name
				}
			}
			return d.Name, ""
		}
	}
	return "", ""
}

// GuessList finds the catalog lists whose required columns a header has,
// best first: used to tell the officer which department a file belongs to.
func (c *Catalog) GuessList(names []string) []string {
	var out []string
	for _, d := range c.Departments {
		for i := range d.Lists {
			l := &d.Lists[i]
			cols := matchFields(names, l.Fields())
			ok := true
			for _, f := range l.Fields() {
				if _, found := cols[f.Key]; f.Required && !found {
					ok = false
					break
				}
			}
			if ok && len(l.Columns) > 0 {
				out = append(out, d.Name+"·"+l.Name)
			}
		}
	}
	return out
}
