// Package pdf prints the township assignment sheets (交办单) with gofpdf:
// A4 landscape, the table grouped by village with its header repeated on
// every page, long text wrapped inside its cell, "第 X 页 共 Y 页" per
// sheet, and the signature block. Characters the font lacks are replaced
// and reported, never a crash.
package pdf

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/sfnt"

	"bidui/engine"
	"bidui/engine/files"
)

// Sheet is one township's assignment sheet.
type Sheet struct {
	Title      string // e.g. 青山县防止返贫监测预警线索交办单（2026年11月）
	Township   string
	Number     string
	Date       string
	Deadline   string
	Supplement bool
	Operator   string
	Rows       []engine.SheetRow
	Mask       bool // hide the middle of ID numbers
}

// Result tells what was printed.
type Result struct {
	Pages    []int    // pages per sheet
	Replaced []string // characters the font lacks, replaced by □
}

const (
	pageW, pageH = 297.0, 210.0
	margin       = 10.0
	lineH        = 4.2
	pad          = 1.0
	fontSize     = 8.5
)

// columns of the sheet: title and width in mm (277 mm of table).
var columns = []struct {
	title string
	width float64
}{
	{"序号", 9}, {"线索编号", 21}, {"村", 16}, {"户主", 14}, {"涉及人员", 17}, {"身份证号", 33}, {"风险类型", 16},
	{"线索来源", 22}, {"情况摘要", 48}, {"核查结果", 20}, {"情况说明", 31}, {"核查人", 14}, {"核查日期", 16},
}

// glyphs knows which characters the embedded font has.
type glyphs struct {
	font *sfnt.Font
	buf  sfnt.Buffer
	mu   sync.Mutex
	has  map[rune]bool
}

var (
	glyphOnce sync.Once
	glyphSet  *glyphs
	glyphErr  error
)

func fontGlyphs(font []byte) (*glyphs, error) {
	glyphOnce.Do(func() {
		f, err := sfnt.Parse(font)
		if err != nil {
			glyphErr = err
			return
		}
		glyphSet = &glyphs{font: f, has: map[rune]bool{}}
	})
	return glyphSet, glyphErr
}

// substitutes are look-alikes the font has for characters it lacks.
var substitutes = map[rune]string{'·': "・", '•': "・", '●': "・", '□': "〓", '■': "〓", '×': "Ｘ", '○': "〇", '—': "－", '–': "－", '“': "「", '”': "」", '‘': "『", '’': "』",
	'≥': "不低于", '≤': "不高于"} // the font has no ≥: a rule's "≥ 5,000.00 元" prints in words

// missingMark stands for a character no font here can print (the geta mark
// 〓, as Chinese typesetting uses it).
const missingMark = '〓'

// clean replaces characters outside the Basic Multilingual Plane (gofpdf
// cannot embed them) and characters neither font has with 〓, noting them;
// a few are printed as a look-alike instead.
func (g *glyphs) clean(s string, replaced map[string]bool) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	ok := true
	for _, r := range s {
		if !g.ok(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case g.ok(r):
			b.WriteRune(r)
		case substitutes[r] != "" && g.printable(substitutes[r]):
			b.WriteString(substitutes[r])
		default:
			replaced[string(r)] = true
			b.WriteRune(missingMark)
		}
	}
	return b.String()
}

func (g *glyphs) printable(s string) bool {
	for _, r := range s {
		if !g.ok(r) {
			return false
		}
	}
	return true
}

func (g *glyphs) ok(r rune) bool {
	if r < 0x20 && r != '\n' {
		return false
	}
	if r == '\n' || r < 0x7F {
		return true // printed with Helvetica
	}
	if r > 0xFFFF {
		return false
	}
	if v, seen := g.has[r]; seen {
		return v
	}
	i, err := g.font.GlyphIndex(&g.buf, r)
	v := err == nil && i != 0
	g.has[r] = v
	return v
}

// Write prints the sheets into one PDF at path (written atomically). Each
// sheet starts on a new page and numbers its own pages.
func Write(path string, font []byte, sheets []Sheet) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("生成 PDF 时出错（%v），请把这份交办单的线索导出为 Excel 后联系技术人员", r)
		}
	}()
	g, err := fontGlyphs(font)
	if err != nil {
		return res, fmt.Errorf("内置字体无法读取：%w", err)
	}
	replaced := map[string]bool{}
	for i := range sheets {
		sheets[i] = cleanSheet(g, sheets[i], replaced)
	}
	// first pass: count each sheet's pages; second: print with the totals
	counts := make([]int, len(sheets))
	for i := range sheets {
		doc := newDoc(font)
		counts[i] = render(doc, &sheets[i], 0)
		if err := doc.Error(); err != nil {
			return res, fmt.Errorf("生成 PDF 时出错：%w", err)
		}
	}
	doc := newDoc(font)
	for i := range sheets {
		render(doc, &sheets[i], counts[i])
	}
	if err := doc.Error(); err != nil {
		return res, fmt.Errorf("生成 PDF 时出错：%w", err)
	}
	if err := save(doc, path); err != nil {
		return res, err
	}
	res.Pages = counts
	for r := range replaced {
		res.Replaced = append(res.Replaced, r)
	}
	sort.Strings(res.Replaced)
	return res, nil
}

func newDoc(font []byte) *gofpdf.Fpdf {
	doc := gofpdf.New("L", "mm", "A4", "")
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(false, margin)
	doc.AddUTF8FontFromBytes("cjk", "", font)
	doc.SetFont("cjk", "", fontSize)
	doc.SetCreator("bidui", false)
	return doc
}

// printer draws text in runs: ASCII with Helvetica (the Chinese font has no
// Latin letters or digits), everything else with the embedded Chinese font.
type printer struct {
	doc  *gofpdf.Fpdf
	size float64
}

func (p *printer) setSize(size float64) { p.size = size }

func isLatin(r rune) bool { return r >= 0x20 && r < 0x7F }

// runs splits s where it changes between Latin and Chinese.
func runs(s string) []string {
	var out []string
	start, latin := 0, false
	for i, r := range s {
		l := isLatin(r)
		if i > start && l != latin {
			out = append(out, s[start:i])
			start = i
		}
		if i == start {
			latin = l
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func (p *printer) font(run string) {
	if r := []rune(run); len(r) > 0 && isLatin(r[0]) {
		p.doc.SetFont("Helvetica", "", p.size)
	} else {
		p.doc.SetFont("cjk", "", p.size)
	}
}

// width of s at the current size.
func (p *printer) width(s string) float64 {
	w := 0.0
	for _, run := range runs(s) {
		p.font(run)
		w += p.doc.GetStringWidth(run)
	}
	return w
}

// text writes one line in the box (x, y, w, h), aligned "L" or "C" or "R".
func (p *printer) text(x, y, w, h float64, s, align string) {
	tw := p.width(s)
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - tw
	}
	for _, run := range runs(s) {
		p.font(run)
		rw := p.doc.GetStringWidth(run)
		p.doc.SetXY(x, y)
		p.doc.CellFormat(rw, h, run, "", 0, "L", false, 0, "")
		x += rw
	}
}

// line writes a full-width line at the current y and moves down.
func (p *printer) line(h float64, s, align string) {
	y := p.doc.GetY()
	p.text(margin, y, pageW-2*margin, h, s, align)
	p.doc.SetXY(margin, y+h)
}

// wrap breaks text into lines that fit width, at any character (Chinese has
// no spaces), keeping explicit line breaks.
func (p *printer) wrap(text string, width float64) []string {
	if text == "" {
		return nil
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		var line strings.Builder
		w := 0.0
		for _, u := range breakUnits(para) {
			uw := p.width(u)
			if w+uw > width && line.Len() > 0 {
				out = append(out, line.String())
				line.Reset()
				w = 0
			}
			if uw > width { // longer than a line by itself: broken where it must be
				for _, r := range u {
					cw := p.width(string(r))
					if w+cw > width && line.Len() > 0 && !strings.ContainsRune(noLineStart, r) {
						out = append(out, line.String())
						line.Reset()
						w = 0
					}
					line.WriteRune(r)
					w += cw
				}
				continue
			}
			line.WriteString(u)
			w += uw
		}
		out = append(out, line.String())
	}
	return out
}

// Chinese line breaking (避头尾): punctuation that may not begin a line,
// and brackets that may not end one.
const (
	noLineStart = "，。、；：？！）》」』】〕〉”’%…—·・,.;:?!)]}"
	noLineEnd   = "（《「『【〔〈“‘([{"
)

// breakUnits splits a paragraph into the pieces a line may break between:
// a number, ID, date or Latin word whole (21,707.41 · 530428********1234 ·
// 2026-12-28), each Chinese character alone; punctuation that may not
// begin a line stays with what precedes it, an opening bracket with what
// follows it.
func breakUnits(s string) []string {
	var units []string
	var cur []rune
	word := func(r rune) bool {
		return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".,-:/%*+_#@&'", r))
	}
	flush := func() {
		if len(cur) > 0 {
			units = append(units, string(cur))
			cur = cur[:0]
		}
	}
	open := false // the current piece ends with an opening bracket
	for _, r := range s {
		switch {
		case strings.ContainsRune(noLineStart, r) && (len(cur) > 0 || len(units) > 0) && !(word(r) && len(cur) > 0 && word(cur[len(cur)-1])):
			if len(cur) == 0 {
				units[len(units)-1] += string(r)
			} else {
				cur = append(cur, r)
			}
		case word(r) && len(cur) > 0 && (word(cur[len(cur)-1]) || open):
			cur = append(cur, r)
		case open:
			cur = append(cur, r)
		default:
			flush()
			cur = append(cur, r)
		}
		open = strings.ContainsRune(noLineEnd, r)
		if !open && !word(r) {
			flush()
		}
	}
	flush()
	return units
}

func cleanSheet(g *glyphs, s Sheet, replaced map[string]bool) Sheet {
	c := func(x string) string { return g.clean(x, replaced) }
	s.Title, s.Township, s.Number, s.Operator = c(s.Title), c(s.Township), c(s.Number), c(s.Operator)
	rows := make([]engine.SheetRow, len(s.Rows))
	for i, r := range s.Rows {
		r.Village, r.Head, r.Types, r.Sources, r.Summary = c(r.Village), c(r.Head), c(r.Types), c(r.Sources), c(r.Summary)
		persons := make([]string, len(r.Persons))
		for j, p := range r.Persons {
			persons[j] = c(p)
		}
		r.Persons = persons
		if s.Mask {
			ids := make([]string, len(r.IDs))
			for j, id := range r.IDs {
				ids[j] = engine.MaskID(id)
			}
			r.IDs = ids
		}
		rows[i] = r
	}
	engine.SortSheetRows(rows)
	s.Rows = rows
	return s
}

// render lays a sheet out from a new page; total is the sheet's page count
// for the footer (0 in the counting pass). It returns the pages used.
func render(doc *gofpdf.Fpdf, s *Sheet, total int) int {
	w := &sheetWriter{doc: doc, p: &printer{doc: doc, size: fontSize}, s: s, total: total, first: doc.PageNo() + 1}
	w.newPage(true)
	village := "\x00"
	for i := range s.Rows {
		if r := &s.Rows[i]; r.Village != village {
			village = r.Village
			w.villageTitle(i)
		}
		w.row(i)
	}
	w.signatures()
	w.footer()
	return doc.PageNo() - w.first + 1
}

// sheetWriter lays one township's sheet out, page by page.
type sheetWriter struct {
	doc   *gofpdf.Fpdf
	p     *printer
	s     *Sheet
	total int // the sheet's pages, 0 while counting them
	first int // the sheet's first page in the document
}

// bottom is where a page's table must end, above the footer.
const bottom = pageH - margin - 6

func (w *sheetWriter) footer() {
	w.doc.SetXY(margin, pageH-margin+1)
	w.p.setSize(8)
	n := w.doc.PageNo() - w.first + 1
	label := fmt.Sprintf("第 %d 页 共 %d 页", n, w.total)
	if w.total == 0 {
		label = fmt.Sprintf("第 %d 页", n)
	}
	w.p.line(4, w.s.Township+"　"+w.s.Number+"　　"+label, "C")
	w.p.setSize(fontSize)
}

// newPage starts a page: the title block on the first, a short line on the
// others, then the table's header.
func (w *sheetWriter) newPage(withTitle bool) {
	s, p := w.s, w.p
	w.doc.AddPage()
	w.doc.SetXY(margin, margin)
	if withTitle {
		p.setSize(16)
		title := s.Title
		if s.Supplement {
			title += "（补充交办）"
		}
		p.line(10, title, "C")
		p.setSize(10)
		p.line(6, fmt.Sprintf("乡镇：%s　　交办编号：%s　　交办日期：%s　　办结期限：%s（20个工作日）　　%s",
			s.Township, s.Number, s.Date, s.Deadline, engine.SheetCount(s.Rows)), "L")
		p.setSize(8)
		p.line(5, "请逐户入户核查，在「核查结果」栏填写：纳入监测 / 不纳入 / 已是监测对象 / 信息有误 / 其他；不纳入和其他须在「情况说明」栏逐户说明。内部资料 注意保密", "L")
	} else {
		p.setSize(9)
		p.line(6, s.Township+"　"+s.Number+"（续）", "L")
	}
	p.setSize(fontSize)
	header(p)
}

// breakPage ends the page and starts the next unless h mm are left.
func (w *sheetWriter) breakPage(h float64) {
	if w.doc.GetY()+h > bottom {
		w.footer()
		w.newPage(false)
	}
}

// villageTitle writes the title of the village whose rows start at row i.
func (w *sheetWriter) villageTitle(i int) {
	rows := w.s.Rows
	village := rows[i].Village
	count := 0
	for j := i; j < len(rows) && rows[j].Village == village; j++ {
		count++
	}
	w.breakPage(6 + lineH*2 + 2*pad) // a group title never ends a page
	name := village
	if name == "" {
		name = "（未填村）"
	}
	y := w.doc.GetY()
	w.doc.SetFillColor(235, 235, 235)
	w.doc.Rect(margin, y, tableWidth(), 6, "FD")
	w.p.text(margin+pad, y, tableWidth(), 6, fmt.Sprintf("%s（%d 条）", name, count), "L")
	w.doc.SetXY(margin, y+6)
}

// row writes clue row i, its cells wrapped; a row taller than a page has
// its text cut, and says so.
func (w *sheetWriter) row(i int) {
	r := &w.s.Rows[i]
	cells := []string{fmt.Sprint(i + 1), r.Clue, r.Village, r.Head, strings.Join(r.Persons, "\n"), strings.Join(r.IDs, "\n"),
		r.Types, r.Sources, r.Summary, "", "", "", ""}
	lines := make([][]string, len(cells))
	h := 0
	for ci, text := range cells {
		lines[ci] = w.p.wrap(text, columns[ci].width-2*pad)
		if len(lines[ci]) > h {
			h = len(lines[ci])
		}
	}
	if h < 2 {
		h = 2 // room to write by hand
	}
	rowH := float64(h)*lineH + 2*pad
	if maxH := bottom - margin - 30; rowH > maxH {
		maxLines := int((maxH - 2*pad) / lineH)
		for ci := range lines {
			if len(lines[ci]) > maxLines {
				lines[ci] = append(lines[ci][:maxLines-1], "……（见电子表）")
			}
		}
		rowH = float64(maxLines)*lineH + 2*pad
	}
	w.breakPage(rowH)
	x, y := margin, w.doc.GetY()
	for ci, col := range columns {
		w.doc.Rect(x, y, col.width, rowH, "D")
		for li, line := range lines[ci] {
			w.p.text(x+pad, y+pad+float64(li)*lineH, col.width-2*pad, lineH, line, "L")
		}
		x += col.width
	}
	w.doc.SetXY(margin, y+rowH)
}

// signatures writes the block the township signs and stamps.
func (w *sheetWriter) signatures() {
	w.breakPage(30)
	w.doc.SetXY(margin, w.doc.GetY()+8)
	w.p.setSize(11)
	op := w.s.Operator
	if op == "" {
		op = "__________"
	}
	w.p.line(8, fmt.Sprintf("县级经办人：%s　　　　乡镇负责人（签字）：______________　　　　乡镇经办人（签字）：______________　　　　日期：______年____月____日", op), "L")
	w.doc.SetXY(margin, w.doc.GetY()+4)
	w.p.line(8, "（乡镇盖章）", "R")
	w.p.setSize(fontSize)
}

func tableWidth() float64 {
	w := 0.0
	for _, c := range columns {
		w += c.width
	}
	return w
}

func header(p *printer) {
	doc := p.doc
	doc.SetFillColor(221, 235, 247)
	x, y := margin, doc.GetY()
	for _, c := range columns {
		doc.Rect(x, y, c.width, 8, "FD")
		p.text(x, y, c.width, 8, c.title, "C")
		x += c.width
	}
	doc.SetXY(margin, y+8)
}

// save writes a finished document atomically: a temporary file renamed into
// place, so a PDF open in a reader or a full disk leaves no half file.
func save(doc *gofpdf.Fpdf, path string) error {
	return files.AtomicWrite(path, func(tmp string) error {
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if err := doc.Output(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}
