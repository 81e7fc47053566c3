package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
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
	seen    map[string]int // row fingerprint → line
	persons map[string]bool
	seqCol  int // the 序号 column, ignored when comparing rows; -1 if none
}

// NewListBuilder starts the rows of one file of list l.
func NewListBuilder(l *ListType, file, sheet string) *ListBuilder {
	return &ListBuilder{list: l, file: file, sheet: sheet, seen: map[string]int{}, persons: map[string]bool{}, seqCol: -2}
}

var seqHeaders = map[string]bool{"序号": true, "编号": true, "序": true, "no": true, "no.": true}

// Add checks one data row and keeps it, valid or not.
func (b *ListBuilder) Add(h *Header, r TableRow) {
	if b.seqCol == -2 {
		b.seqCol = -1
		for i, n := range h.Names {
			if seqHeaders[NormalizeHeader(n)] {
				b.seqCol = i
				break
			}
		}
	}
	row := DeptRow{Line: r.Line, Cells: trimCells(r.Cells)}
	col := func(key string) string {
		if i, ok := h.Columns[key]; ok && i < len(h.Names) {
			return h.Names[i]
		}
		return ""
	}
	fp := b.fingerprint(row.Cells)
	key := ""
	if prev, dup := b.seen[fp]; dup {
		row.DupOf = prev
		row.Problem = "与第" + strconv.Itoa(prev) + "行完全相同，重复行只计一次"
	} else {
		b.seen[fp] = r.Line
		row.Problem, key = b.check(h, r, row.Cells)
		row.Field = key
	}
	if row.Problem == "" {
		b.Valid++
		b.persons[ParseID(h.Col(row.Cells, "id")).Norm] = true
	} else {
		b.Invalid++
		if row.DupOf > 0 {
			b.Dups++
		}
		b.Issues = append(b.Issues, Issue{File: b.file, Sheet: b.sheet, Row: r.Line, Column: col(key), Message: row.Problem})
	}
	b.Rows = append(b.Rows, row)
}

// check returns why a row cannot be compared, and the key of the column at fault.
func (b *ListBuilder) check(h *Header, r TableRow, cells []string) (string, string) {
	id := h.ID(r)
	if !id.Usable() {
		return id.Reason, "id"
	}
	if CleanName(h.Col(cells, "name")) == "" {
		return "姓名为空", "name"
	}
	for _, f := range b.list.Columns {
		v := h.Col(cells, f.Key)
		if f.Key == "amount" || (b.list.Rule.Kind == "amount" && f.Key == b.list.Rule.Field) {
			if v == "" {
				if f.Required {
					return f.Label + "为空", f.Key
				}
				continue
			}
			unit := 1.0
			if i, ok := h.Columns[f.Key]; ok && i < len(h.Names) {
				unit = AmountUnit(h.Names[i])
			}
			if _, ok := ParseAmountIn(v, unit); !ok {
				return f.Label + "“" + v + "”不是可识别的金额", f.Key
			}
			continue
		}
		if f.Required && v == "" {
			return f.Label + "为空", f.Key
		}
		if p := futureDate(f, v); p != "" {
			return p, f.Key
		}
	}
	return "", ""
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

// fingerprint identifies a row's content, ignoring the 序号 column and
// surrounding spaces: two rows with the same fingerprint are one row sent twice.
func (b *ListBuilder) fingerprint(cells []string) string {
	var sb strings.Builder
	for i, c := range cells {
		if i == b.seqCol {
			continue
		}
		sb.WriteString(c)
		sb.WriteByte(0)
	}
	return strings.TrimRight(sb.String(), "\x00")
}

func trimCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	// drop trailing empty cells
	n := len(out)
	for n > 0 && out[n-1] == "" {
		n--
	}
	return out[:n]
}

// Persons is the number of distinct valid persons.
func (b *ListBuilder) Persons() int { return len(b.persons) }

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
