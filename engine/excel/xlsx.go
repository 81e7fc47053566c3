package excel

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	kflate "github.com/klauspost/compress/flate"
)

// This file is a streaming reader for the sheets of an .xlsx: a small
// scanner over the inflated sheet XML that hands over raw cell values and
// whether each cell is a number. It does in one pass what excelize's
// Rows()/Columns() does through encoding/xml, several times faster, and it
// knows cell types, which tells an ID that Excel turned into a number.
// excelize stays the writer, and the reader when this one cannot open a file.

// xlsxBook is an open .xlsx for the fast reader.
type xlsxBook struct {
	z      *zip.Reader
	sheets []xlsxSheet
	sstAt  string   // path of the shared strings part, "" if none
	sst    []string // loaded on first use
	loaded bool
	// date1904: the workbook counts dates from 1904 (Excel for Mac); its
	// date serial numbers are 1,462 days smaller than the usual ones
	date1904 bool
}

type xlsxSheet struct {
	name, path string
	hidden     bool
}

var errNotXLSX = errors.New("not a workbook this reader understands")

// openFastXLSX opens the workbook's structure: sheet names and parts.
func openFastXLSX(data []byte) (*xlsxBook, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	// klauspost's inflater reads the same DEFLATE faster than the standard
	// library's: a 200,000-row sheet is 93 MB of XML
	z.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	if err := checkInflatedSize(z, MaxUnzippedSize); err != nil {
		return nil, err
	}
	b := &xlsxBook{z: z}
	if err := b.readStructure(); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *xlsxBook) file(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range b.z.File {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

func (b *xlsxBook) readPart(name string, limit int64) ([]byte, error) {
	f := b.file(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, errNotXLSX)
	}
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(&capReader{r: r, left: limit})
}

var errTooBig = errors.New("part too big")

// inflatedSizeError is a workbook whose parts would inflate past the limit:
// a zip bomb, or a file no county list can be.
type inflatedSizeError struct{ declared, limit uint64 }

func (e *inflatedSizeError) Error() string {
	return fmt.Sprintf("inflated parts declare %d bytes, limit %d", e.declared, e.limit)
}

// checkInflatedSize refuses a workbook whose parts declare more inflated
// bytes in all than limit. archive/zip holds every part to its declared
// size (a part that inflates past it is a format error), so the headers
// are enough to stop a zip bomb before a byte is inflated.
func checkInflatedSize(z *zip.Reader, limit uint64) error {
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > limit || f.UncompressedSize64 > limit {
			return &inflatedSizeError{declared: total, limit: limit}
		}
	}
	return nil
}

// capReader is io.LimitReader that fails instead of ending quietly, so a
// part cut at the limit is an error and never a sheet with its tail lost.
type capReader struct {
	r    io.Reader
	left int64
	err  error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1] // one byte past the limit tells "at it" from "over it"
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		c.err = errTooBig
		return 0, c.err
	}
	c.left -= int64(n)
	return n, err
}

func (b *xlsxBook) readStructure() error {
	wbData, err := b.readPart("xl/workbook.xml", 16<<20)
	if err != nil {
		return err
	}
	var wb wbXML
	if err := xml.Unmarshal(wbData, &wb); err != nil {
		return err
	}
	relData, err := b.readPart("xl/_rels/workbook.xml.rels", 16<<20)
	if err != nil {
		return err
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(relData, &rels); err != nil {
		return err
	}
	target := map[string]string{}
	chart := map[string]bool{} // chartsheets: a chart, no cells
	for _, r := range rels.Rel {
		chart[r.ID] = strings.HasSuffix(r.Type, "/chartsheet")
		t := r.Target
		if !strings.HasPrefix(t, "/") {
			t = path.Join("xl", t)
		}
		target[r.ID] = strings.TrimPrefix(t, "/")
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			b.sstAt = target[r.ID]
		}
	}
	for _, s := range wb.Sheets {
		id := ""
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				id = a.Value
			}
		}
		p, ok := target[id]
		if !ok || b.file(p) == nil {
			return fmt.Errorf("sheet %s: %w", s.Name, errNotXLSX)
		}
		if chart[id] {
			continue
		}
		b.sheets = append(b.sheets, xlsxSheet{name: s.Name, path: p, hidden: s.State == "hidden" || s.State == "veryHidden"})
	}
	if len(b.sheets) == 0 {
		return errNotXLSX
	}
	b.date1904 = wb.Date1904
	return nil
}

// wbXML collects the <sheet> elements of workbook.xml with all their
// attributes, since the relationship id comes with a namespace prefix (r:id).
type wbXML struct {
	Sheets   []wbSheet
	Date1904 bool // dates counted from 1904-01-01 (Excel for Mac)
}

type wbSheet struct {
	Name, State string
	Attrs       []xml.Attr
}

func (w *wbXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if ok && se.Name.Local == "workbookPr" {
			for _, a := range se.Attr {
				if a.Name.Local == "date1904" && (a.Value == "1" || a.Value == "true") {
					w.Date1904 = true
				}
			}
		}
		if !ok || se.Name.Local != "sheet" {
			continue
		}
		s := wbSheet{Attrs: se.Attr}
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "name":
				s.Name = a.Value
			case "state":
				s.State = a.Value
			}
		}
		w.Sheets = append(w.Sheets, s)
	}
}

func (b *xlsxBook) Close() error { return nil } // the bytes are the workbook's

// sharedStrings loads the shared string table once.
func (b *xlsxBook) sharedStrings() ([]string, error) {
	if b.loaded {
		return b.sst, nil
	}
	b.loaded = true
	if b.sstAt == "" {
		if b.file("xl/sharedStrings.xml") == nil {
			return nil, nil
		}
		b.sstAt = "xl/sharedStrings.xml"
	}
	f := b.file(b.sstAt)
	if f == nil {
		return nil, nil
	}
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sc := newScanner(&capReader{r: r, left: MaxUnzippedSize})
	var cur strings.Builder
	inSI, inT, skip, total := false, false, 0, 0
	for {
		tok, err := sc.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok.kind {
		case tokStart, tokSelfClose:
			switch tok.name {
			case "si":
				inSI = true
				cur.Reset()
				if tok.kind == tokSelfClose {
					b.sst = append(b.sst, "")
					inSI = false
				}
			case "rPh", "phoneticPr":
				if tok.kind == tokStart {
					skip++ // phonetic guides repeat the text; not part of the value
				}
			case "t":
				inT = tok.kind == tokStart
			}
		case tokEnd:
			switch tok.name {
			case "si":
				b.sst = append(b.sst, cleanText(cur.String()))
				inSI = false
			case "rPh", "phoneticPr":
				if skip > 0 {
					skip--
				}
			case "t":
				inT = false
			}
		case tokText:
			if inSI && inT && skip == 0 {
				cur.Write(tok.text)
				if total += len(tok.text); cur.Len() > MaxCellBytes || total > MaxSharedStringBytes {
					return nil, tooBig("共享字符串表中的文字超过上限（单个 32767 个字符，合计 %d MB）", MaxSharedStringBytes>>20)
				}
			}
		}
		if len(b.sst) > MaxSharedStrings {
			return nil, tooBig("共享字符串表超过 %d 项", MaxSharedStrings)
		}
	}
	return b.sst, nil
}

// fastRows streams one sheet.
type fastRows struct {
	path    string
	sc      *scanner
	rc      io.ReadCloser
	sst     []string
	line    int // the row last handed out
	pending []string
	pendNum []bool
	pendAt  int // row number of pending, 0 if none
	cells   []string
	numeric []bool
	err     error
	done    bool
	vbuf    []byte     // a cell's <v> text, reused
	ibuf    []byte     // a cell's inline string, reused
	rowBuf  []byte     // the row's values kept as written, made one string
	spans   []cellSpan // where in rowBuf each of them is
	refBuf  []byte     // a cell reference kept past its token
	slow    bool       // every cell through the tokenizer (tests compare)
	width   int        // cells in the row before: a new row's room
	hint    int        // the rows the sheet's dimension gives
	ahead   *inflateAhead
	in      *capReader // the sheet's inflated bytes, counted
	size    int64      // how many there are in all (the zip holds a part to its declared size)
}

// tokenizeEveryCell turns fastCell off: the tests read every file both
// ways and compare.
var tokenizeEveryCell = false

func (b *xlsxBook) rows(filePath, sheet string) (*fastRows, error) {
	var p string
	for _, s := range b.sheets {
		if s.name == sheet {
			p = s.path
		}
	}
	f := b.file(p)
	if f == nil {
		return nil, errNotXLSX
	}
	sst, err := b.sharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	ahead := readAhead(rc)
	in := &capReader{r: ahead, left: MaxUnzippedSize}
	x := &fastRows{path: filePath, sc: newScanner(in), rc: rc, ahead: ahead, sst: sst, slow: tokenizeEveryCell, in: in, size: int64(f.UncompressedSize64)}
	x.hint = dimensionRows(x.sc.window())
	return x, nil
}

// dimensionRows is the last row of a sheet's <dimension ref="A1:H200002"/>,
// which writers put before the rows, if it is within head; 0 if not.
func dimensionRows(head []byte) int {
	if end := bytes.Index(head, []byte("<sheetData")); end >= 0 {
		head = head[:end]
	}
	i := bytes.Index(head, []byte("<dimension "))
	if i < 0 {
		return 0
	}
	tag := head[i:]
	if j := bytes.IndexByte(tag, '>'); j >= 0 {
		tag = tag[:j]
	}
	ref, ok := (&token{attrs: tag[len("<dimension"):]}).attrBytes("ref")
	if !ok {
		return 0
	}
	if k := bytes.LastIndexByte(ref, ':'); k >= 0 {
		ref = ref[k+1:]
	}
	n := 0
	for _, c := range ref {
		if c >= '0' && c <= '9' && n < MaxRows {
			n = n*10 + int(c-'0')
		}
	}
	return min(n, MaxRows)
}

// RowsHint is the sheet's last row as its dimension gives it. A sheet whose
// dimension says nothing (writers that stream, such as excelize's, put
// "A1") is estimated once rows have been read: the rows so far in the
// share of the sheet's bytes they took. 0 if neither can be said.
func (x *fastRows) RowsHint() int {
	if x.hint > 1 {
		return x.hint
	}
	read := MaxUnzippedSize - x.in.left - int64(x.sc.r.Buffered())
	if x.line < 2 || read <= 0 || x.size <= 0 {
		return x.hint
	}
	est := float64(x.line) * float64(x.size) / float64(read) * 1.02 // a little over: one more doubling would cost more
	return int(min(est, MaxRows))
}

// Next moves to the next row; rows missing from the XML come out empty so
// that Line stays the row number the officer sees.
func (x *fastRows) Next() (ok bool) {
	if x.err != nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			x.err = fail(x.path, fmt.Errorf("panic: %v", r), "第%d行附近数据损坏，无法继续读取，请在 WPS/Excel 中另存为 .xlsx 后再导入", x.line+1)
			ok = false
		}
	}()
	if x.pendAt == 0 && !x.done {
		if err := x.readRow(); err != nil {
			x.err = failRead(x.path, err, x.line+1)
			return false
		}
	}
	if x.pendAt == 0 {
		return false
	}
	x.line++
	if x.line < x.pendAt {
		x.cells, x.numeric = nil, nil
		return true
	}
	x.cells, x.numeric = x.pending, x.pendNum
	x.pending, x.pendNum, x.pendAt = nil, nil, 0
	return true
}

func (x *fastRows) Cells() []string { return x.cells }
func (x *fastRows) Numeric() []bool { return x.numeric }
func (x *fastRows) Line() int       { return x.line }
func (x *fastRows) Err() error      { return x.err }

// Close stops the inflating, then closes the part.
func (x *fastRows) Close() error {
	x.ahead.Close()
	return x.rc.Close()
}

// readRow reads the next <row> element into pending.
func (x *fastRows) readRow() error {
	for {
		tok, err := x.sc.next()
		if err == io.EOF {
			x.done = true
			return nil
		}
		if err != nil {
			return err
		}
		if (tok.kind != tokStart && tok.kind != tokSelfClose) || tok.name != "row" {
			if tok.kind == tokEnd && tok.name == "sheetData" {
				x.done = true
				return nil
			}
			continue
		}
		r := x.line + 1
		if v, ok := tok.attr("r"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= x.line {
				return fmt.Errorf("bad row number %q", v)
			}
			r = n
		}
		if r > MaxRows {
			return tooBig("超过 %d 行（Excel 的上限）", MaxRows)
		}
		x.pendAt = r
		if x.pending == nil { // the row before was handed over: sized as it was
			x.pending, x.pendNum = make([]string, 0, x.width), make([]bool, 0, x.width)
		}
		x.pending, x.pendNum = x.pending[:0], x.pendNum[:0]
		if tok.kind == tokSelfClose {
			return nil
		}
		return x.readCells()
	}
}

// readCells reads the <c> elements of the current row up to </row>. A cell
// written the usual way is taken from the bytes ahead in one step
// (fastCell); any other (a formula, rich text, a namespace prefix, spaces
// between tags) goes through the tokenizer.
func (x *fastRows) readCells() error {
	col := -1
	x.rowBuf, x.spans = x.rowBuf[:0], x.spans[:0]
	for {
		if !x.slow {
			w := x.sc.window()
			if bytes.HasPrefix(w, rowEndTag) {
				x.sc.discard(len(rowEndTag))
				x.finishRow()
				return nil
			}
			if n, c, ok := fastCell(w); ok {
				if c.inline {
					x.vbuf, x.ibuf = x.vbuf[:0], unescapeBytes(x.ibuf[:0], c.value)
				} else {
					x.vbuf, x.ibuf = unescapeBytes(x.vbuf[:0], c.value), x.ibuf[:0]
				}
				typ := cellType(c.typ)
				x.sc.discard(n)
				if len(x.vbuf)+len(x.ibuf) > MaxCellBytes {
					return tooBig("第%d行有一个单元格超过 32767 个字符（Excel 的上限）", x.pendAt)
				}
				value, buffered, err := x.cellText(typ)
				if err != nil {
					return err
				}
				if err := x.putCell(&col, c.ref, c.ref != nil, typ, value, buffered); err != nil {
					return err
				}
				continue
			}
		}
		tok, err := x.sc.next()
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if tok.kind == tokEnd && tok.name == "row" {
			x.finishRow()
			return nil
		}
		if (tok.kind != tokStart && tok.kind != tokSelfClose) || tok.name != "c" {
			continue
		}
		ref, hasRef := tok.attrBytes("r")
		if hasRef && bytes.IndexByte(ref, '&') >= 0 {
			ref = []byte(unescape(ref))
		} else {
			ref = append(x.refBuf[:0], ref...) // the token's bytes go with the next read
			x.refBuf = ref
		}
		t, _ := tok.attr("t")
		typ := cellType([]byte(t))
		value, buffered := "", false
		if tok.kind == tokStart {
			if value, buffered, err = x.readCellValue(typ); err != nil {
				return err
			}
		}
		if err := x.putCell(&col, ref, hasRef, typ, value, buffered); err != nil {
			return err
		}
	}
}

var rowEndTag = []byte("</row>")

// putCell places a cell's value in the pending row: value, or x.vbuf when
// buffered (kept in the row's buffer and made a string once for the row).
func (x *fastRows) putCell(col *int, ref []byte, hasRef bool, typ, value string, buffered bool) error {
	*col++
	if hasRef {
		c := columnIndex(ref)
		if c < *col || c >= 16384 { // XFD, Excel's last column, is 16383
			return fmt.Errorf("bad cell reference %q", ref)
		}
		*col = c
	}
	if buffered && len(x.vbuf) == 0 {
		buffered = false
	}
	if *col >= MaxColumns {
		if (buffered && len(bytes.TrimSpace(x.vbuf)) > 0) || strings.TrimSpace(value) != "" {
			return tooBig("第%d行第%d列（%s）有数据，超过 %d 列的上限", x.pendAt, *col+1, ColumnName(*col), MaxColumns)
		}
		return nil // an empty (perhaps styled) cell far to the right
	}
	for len(x.pending) < *col {
		x.pending = append(x.pending, "")
		x.pendNum = append(x.pendNum, false)
	}
	if buffered {
		x.spans = append(x.spans, cellSpan{at: len(x.pending), from: len(x.rowBuf), to: len(x.rowBuf) + len(x.vbuf)})
		x.rowBuf = append(x.rowBuf, x.vbuf...)
	}
	x.pending = append(x.pending, value)
	x.pendNum = append(x.pendNum, (typ == "" || typ == "n") && (buffered || value != ""))
	return nil
}

// cellSpan is a cell whose value is rowBuf[from:to].
type cellSpan struct{ at, from, to int }

// finishRow makes the row's buffered values one string, sliced per cell,
// and drops trailing empty cells, as excelize does.
func (x *fastRows) finishRow() {
	if len(x.spans) > 0 {
		s := string(x.rowBuf)
		for _, sp := range x.spans {
			x.pending[sp.at] = s[sp.from:sp.to]
		}
	}
	n := len(x.pending)
	for n > 0 && x.pending[n-1] == "" {
		n--
	}
	x.pending, x.pendNum = x.pending[:n], x.pendNum[:n]
	x.width = max(n, 4)
}

// cellType is a cell's t attribute as one of the constants, without an
// allocation for the usual ones.
func cellType(t []byte) string {
	switch string(t) {
	case "":
		return ""
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "d":
		return "d"
	case "e":
		return "e"
	}
	return string(t)
}

// cellParts is a cell as fastCell finds it: raw bytes of the reader's
// window, valid until the next read.
type cellParts struct {
	ref, typ, value []byte
	inline          bool // value is an inline string's text (<is><t>)
}

// fastCell parses one cell written the usual way — <c r=".." s=".." t="..">
// with nothing, a <v> value or an inline string inside, or self-closed —
// from w, the bytes ahead in the sheet. Its tag ends at the first '>' and
// its attributes are split by nextAttr, as the tokenizer's are. ok is
// false for any other way of writing it (an entity in r or t, a formula,
// rich text, spaces between tags) or a cell that does not end within w;
// the tokenizer reads those.
func fastCell(w []byte) (n int, c cellParts, ok bool) {
	if len(w) < 3 || w[0] != '<' || w[1] != 'c' || !(isSpace(w[2]) || w[2] == '>' || w[2] == '/') {
		return 0, c, false
	}
	gt := bytes.IndexByte(w, '>')
	if gt < 0 {
		return 0, c, false
	}
	attrs := w[2:gt]
	selfClosed := w[gt-1] == '/'
	if selfClosed {
		attrs = w[2 : gt-1]
	}
	// r and t in one pass; the first of each counts, as attrBytes takes it
	for key, val, rest, ok := nextAttr(attrs); ok; key, val, rest, ok = nextAttr(rest) {
		switch {
		case c.ref == nil && string(key) == "r":
			c.ref = val
		case c.typ == nil && string(key) == "t":
			c.typ = val
		}
	}
	if bytes.IndexByte(c.ref, '&') >= 0 || bytes.IndexByte(c.typ, '&') >= 0 {
		return 0, c, false
	}
	if selfClosed {
		return gt + 1, c, true
	}
	i := gt + 1
	rest := w[i:]
	if bytes.HasPrefix(rest, cellEndTag) {
		return i + len(cellEndTag), c, true
	}
	for _, f := range cellForms {
		if !bytes.HasPrefix(rest, f.open) {
			continue
		}
		text := rest[len(f.open):]
		e := bytes.IndexByte(text, '<')
		if e < 0 || !bytes.HasPrefix(text[e:], f.close) {
			return 0, c, false
		}
		c.value, c.inline = text[:e], f.inline
		return i + len(f.open) + e + len(f.close), c, true
	}
	return 0, c, false
}

var cellEndTag = []byte("</c>")

// cellForms are the ways a cell's content is usually written: a value,
// or an inline string (streaming writers: excelize, POI's SXSSF).
var cellForms = []struct {
	open, close []byte
	inline      bool
}{
	{[]byte("<v>"), []byte("</v></c>"), false},
	{[]byte("<is><t>"), []byte("</t></is></c>"), true},
	{[]byte(`<is><t xml:space="preserve">`), []byte("</t></is></c>"), true},
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// readCellValue reads a cell's content up to </c>.
func (x *fastRows) readCellValue(typ string) (string, bool, error) {
	x.vbuf, x.ibuf = x.vbuf[:0], x.ibuf[:0]
	in := ""
	for {
		tok, err := x.sc.next()
		if err != nil {
			if err == io.EOF {
				return "", false, io.ErrUnexpectedEOF
			}
			return "", false, err
		}
		switch tok.kind {
		case tokStart:
			in = tok.name
		case tokEnd:
			if tok.name == "c" {
				return x.cellText(typ)
			}
			in = ""
		case tokText:
			switch in {
			case "v":
				x.vbuf = append(x.vbuf, tok.text...)
			case "t":
				x.ibuf = append(x.ibuf, tok.text...)
			}
			if len(x.vbuf)+len(x.ibuf) > MaxCellBytes {
				return "", false, tooBig("第%d行有一个单元格超过 32767 个字符（Excel 的上限）", x.pendAt)
			}
		}
	}
}

// cellText is a cell's value as text by its type: shared and inline
// strings with Excel's _xHHHH_ escapes decoded and line ends as \n,
// booleans as TRUE/FALSE, ISO dates as Excel serial numbers; numbers and
// errors as written, which it leaves in x.vbuf (buffered).
func (x *fastRows) cellText(typ string) (value string, buffered bool, err error) {
	switch typ {
	case "s":
		v := bytes.TrimSpace(x.vbuf)
		if len(v) == 0 {
			return "", false, nil // an empty value: an empty cell, not a broken file
		}
		i, err := strconv.Atoi(string(v)) // the conversion does not allocate
		if err != nil || i < 0 || i >= len(x.sst) {
			return "", false, fmt.Errorf("bad shared string index %q", x.vbuf)
		}
		return x.sst[i], false, nil
	case "inlineStr":
		if plainText(x.ibuf) {
			x.vbuf = append(x.vbuf[:0], x.ibuf...)
			return "", true, nil
		}
		return cleanText(string(x.ibuf)), false, nil
	case "str":
		if plainText(x.vbuf) {
			return "", true, nil
		}
		return cleanText(string(x.vbuf)), false, nil
	case "b":
		switch strings.TrimSpace(string(x.vbuf)) {
		case "1", "true":
			return "TRUE", false, nil
		case "0", "false":
			return "FALSE", false, nil
		}
	case "d":
		if serial, ok := isoSerial(strings.TrimSpace(string(x.vbuf))); ok {
			return serial, false, nil
		}
	}
	return "", true, nil // the value as written: x.vbuf
}

// plainText is text cleanText leaves as it is: no line end to make \n,
// no _xHHHH_ escape.
func plainText(b []byte) bool {
	return bytes.IndexByte(b, '\r') < 0 && !bytes.Contains(b, []byte("_x"))
}

// escapedChar is Excel's escape for a character XML cannot hold: _x000D_.
var escapedChar = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// cleanText decodes _xHHHH_ escapes (a literal "_x" is written _x005F_x)
// and makes every line end \n.
func cleanText(s string) string {
	s = newlines(s) // XML's own line ends first, then the escapes'
	if strings.Contains(s, "_x") {
		s = newlines(escapedChar.ReplaceAllStringFunc(s, func(m string) string {
			n, _ := strconv.ParseUint(m[2:6], 16, 32)
			return string(rune(n))
		}))
	}
	return s
}

func newlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// isoSerial turns an ISO date, date-time or time (t="d" cells) into an
// Excel serial number in the 1900 date system.
func isoSerial(v string) (string, bool) {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z07:00", "2006-01-02", "15:04:05.999999999"} {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		if layout == "15:04:05.999999999" {
			t = epoch.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond()))
		}
		days := t.Sub(epoch).Hours() / 24
		return strconv.FormatFloat(days, 'f', -1, 64), true
	}
	return "", false
}

// columnIndex turns "AB12" into 27.
func columnIndex[T string | []byte](ref T) int {
	n := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A') + 1
		if n > 1<<20 {
			return 1 << 20
		}
	}
	return n - 1
}

type tokKind int

const (
	tokStart tokKind = iota
	tokEnd
	tokSelfClose
	tokText
)

type token struct {
	kind  tokKind
	name  string // local name, prefix removed
	attrs []byte // raw attribute text of a start tag
	text  []byte // unescaped text; valid until the next call
}

// attr finds an attribute's value by local name.
func (t *token) attr(name string) (string, bool) {
	v, ok := t.attrBytes(name)
	if !ok {
		return "", false
	}
	return unescape(v), true
}

// attrBytes is an attribute's raw value, entities not decoded; the bytes
// are the token's and go with the next read.
func (t *token) attrBytes(name string) ([]byte, bool) {
	for a := t.attrs; ; {
		key, val, rest, ok := nextAttr(a)
		if !ok {
			return nil, false
		}
		if string(key) == name {
			return val, true
		}
		a = rest
	}
}

// nextAttr splits the first attribute off a tag's attribute text: its
// local name (the prefix removed), its raw value and the text after it; ok
// is false when there is none left, or it is not written name="value".
//
// Names and values are a few bytes, so they are scanned byte by byte
// rather than through bytes.IndexByte's call, and the name is trimmed
// with bytes.TrimSpace only when an end of it could be space.
func nextAttr(a []byte) (key, val, rest []byte, ok bool) {
	a = trimSpaceLeft(a)
	eq := 0
	for eq < len(a) && a[eq] != '=' {
		eq++
	}
	if eq == len(a) {
		return nil, nil, nil, false
	}
	key = a[:eq]
	if n := len(key); n == 0 || mayEdgeSpace(key[0]) || mayEdgeSpace(key[n-1]) {
		key = bytes.TrimSpace(key)
	}
	for i, c := range key {
		if c == ':' {
			key = key[i+1:]
			break
		}
	}
	r := trimSpaceLeft(a[eq+1:])
	if len(r) == 0 || (r[0] != '"' && r[0] != '\'') {
		return nil, nil, nil, false
	}
	for end := 1; end < len(r); end++ {
		if r[end] == r[0] {
			return key, r[1:end], r[end+1:], true
		}
	}
	return nil, nil, nil, false
}

// mayEdgeSpace reports a byte at an end of a name that bytes.TrimSpace
// might trim: ASCII white space, or any byte of a longer character.
func mayEdgeSpace(b byte) bool { return b <= ' ' || b >= utf8.RuneSelf }

func trimSpaceLeft(a []byte) []byte {
	for len(a) > 0 && isSpace(a[0]) {
		a = a[1:]
	}
	return a
}

// scanner is a minimal XML tokenizer: enough for the parts of an .xlsx.
type scanner struct {
	r    *bufio.Reader
	buf  []byte
	text []byte
}

func newScanner(r io.Reader) *scanner {
	return &scanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// fastWindow is how far ahead window looks: longer than any cell written
// the usual way but for long texts, which the tokenizer reads.
const fastWindow = 4 << 10

// window is the input ahead, up to fastWindow bytes, not consumed; its
// bytes go with the next read. A read error is left for next to meet.
func (s *scanner) window() []byte {
	w, _ := s.r.Peek(fastWindow)
	return w
}

// discard consumes n bytes of the window.
func (s *scanner) discard(n int) { s.r.Discard(n) }

func (s *scanner) next() (token, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return token{}, err
		}
		if c != '<' {
			s.r.UnreadByte()
			return s.textToken()
		}
		s.buf = s.buf[:0]
		for {
			chunk, err := s.r.ReadSlice('>')
			s.buf = append(s.buf, chunk...)
			if len(s.buf) > maxTokenBytes {
				return token{}, tooBig("有一个标记超过 %d MB", maxTokenBytes>>20)
			}
			if err == nil {
				break
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				return token{}, io.ErrUnexpectedEOF
			}
			return token{}, err
		}
		tag := s.buf[:len(s.buf)-1]
		if len(tag) == 0 {
			continue
		}
		switch tag[0] {
		case '?', '!':
			if bytes.HasPrefix(tag, []byte("![CDATA[")) {
				return s.cdata()
			}
			if bytes.HasPrefix(tag, []byte("!--")) {
				for !bytes.HasSuffix(s.buf, []byte("-->")) {
					chunk, err := s.r.ReadSlice('>')
					if err != nil && err != bufio.ErrBufferFull {
						return token{}, io.ErrUnexpectedEOF
					}
					s.buf = append(s.buf, chunk...)
					if len(s.buf) > maxTokenBytes {
						return token{}, tooBig("有一段注释超过 %d MB", maxTokenBytes>>20)
					}
				}
			}
			continue // declarations, comments
		case '/':
			return token{kind: tokEnd, name: localName(tag[1:])}, nil
		}
		kind := tokStart
		if tag[len(tag)-1] == '/' {
			kind = tokSelfClose
			tag = tag[:len(tag)-1]
		}
		end := bytes.IndexAny(tag, " \t\r\n")
		name, attrs := tag, []byte(nil)
		if end >= 0 {
			name, attrs = tag[:end], tag[end:]
		}
		return token{kind: kind, name: localName(name), attrs: attrs}, nil
	}
}

// cdata reads a CDATA section, begun in s.buf, as text taken as it is.
func (s *scanner) cdata() (token, error) {
	for !bytes.HasSuffix(s.buf, []byte("]]>")) {
		chunk, err := s.r.ReadSlice('>')
		if err != nil && err != bufio.ErrBufferFull {
			return token{}, io.ErrUnexpectedEOF
		}
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > maxTokenBytes {
			return token{}, tooBig("有一段文字超过 %d MB", maxTokenBytes>>20)
		}
	}
	s.text = append(s.text[:0], s.buf[len("![CDATA["):len(s.buf)-len("]]>")]...)
	return token{kind: tokText, text: s.text}, nil
}

// textToken reads the text up to the next tag.
func (s *scanner) textToken() (token, error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.r.ReadSlice('<')
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > maxTokenBytes {
			return token{}, tooBig("有一段文字超过 %d MB", maxTokenBytes>>20)
		}
		if err == nil {
			s.buf = s.buf[:len(s.buf)-1]
			s.r.UnreadByte()
			break
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		return token{}, err
	}
	s.text = unescapeBytes(s.text[:0], s.buf)
	return token{kind: tokText, text: s.text}, nil
}

func localName(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	switch string(b) { // the common names without an allocation
	case "c":
		return "c"
	case "v":
		return "v"
	case "row":
		return "row"
	case "t":
		return "t"
	case "si":
		return "si"
	case "r":
		return "r"
	}
	return string(b)
}

func unescape(b []byte) string { return string(unescapeBytes(nil, b)) }

// unescapeBytes decodes the five XML entities and character references.
func unescapeBytes(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			b = b[1:]
			continue
		}
		ent := string(b[1:semi])
		switch ent {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			var r int64 = -1
			if strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X") {
				r, _ = strconv.ParseInt(ent[2:], 16, 32)
			} else if strings.HasPrefix(ent, "#") {
				r, _ = strconv.ParseInt(ent[1:], 10, 32)
			}
			if r <= 0 || r > 0x10FFFF {
				dst = append(dst, b[:semi+1]...)
			} else {
				dst = append(dst, string(rune(r))...)
			}
		}
		b = b[semi+1:]
	}
}
