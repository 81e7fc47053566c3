package excel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// A reader of legacy .xls (BIFF2 to BIFF8) on the compound file that
// richardlehane/mscfb opens: the cells as Excel shows them — formulas by
// their cached results, strings of every codepage, and nothing of the
// charts (an embedded chart is a substream of its own, skipped whole).

// errEncrypted is a workbook with an open password (FILEPASS).
var errEncrypted = errors.New("encrypted")

// biffBook is a legacy workbook read into memory, sheet by sheet.
type biffBook struct {
	names    []string
	hidden   map[string]bool
	sheets   map[string][][]string
	date1904 bool
}

type biffRecord struct {
	id   uint16
	data []byte
}

// biffRecords splits a BIFF stream into records.
func biffRecords(stream []byte) []biffRecord {
	var out []biffRecord
	for len(stream) >= 4 {
		id := binary.LittleEndian.Uint16(stream)
		n := int(binary.LittleEndian.Uint16(stream[2:]))
		if 4+n > len(stream) {
			out = append(out, biffRecord{id, stream[4:]})
			break
		}
		out = append(out, biffRecord{id, stream[4 : 4+n]})
		stream = stream[4+n:]
	}
	return out
}

// workbookStream finds the workbook stream of a compound file, whatever
// its capitals (Workbook, WORKBOOK, Book).
func workbookStream(data []byte) ([]byte, error) {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var book []byte
	for f, err := doc.Next(); err == nil; f, err = doc.Next() {
		name := strings.ToLower(f.Name)
		if name == "workbook" || (name == "book" && book == nil) {
			b, rerr := io.ReadAll(io.LimitReader(f, MaxFileSize))
			if rerr != nil {
				return nil, rerr
			}
			if name == "workbook" {
				return b, nil
			}
			book = b
		}
	}
	if book == nil {
		return nil, errors.New("no workbook stream")
	}
	return book, nil
}

// readBIFF reads a legacy workbook: a compound file, or a bare BIFF2-4
// stream as Excel 2 to 4 wrote it.
func readBIFF(data []byte) (*biffBook, error) {
	stream := data
	if bytes.HasPrefix(data, magicOLE) {
		s, err := workbookStream(data)
		if err != nil {
			return nil, err
		}
		stream = s
	}
	recs := biffRecords(stream)
	if len(recs) == 0 || recs[0].id&0xFF != 0x09 {
		return nil, errors.New("no BOF")
	}
	b := &biffBook{hidden: map[string]bool{}, sheets: map[string][][]string{}}
	g := &biffGlobals{enc: charmap.Windows1252}
	if recs[0].id == 0x0809 && len(recs[0].data) >= 2 {
		g.version = binary.LittleEndian.Uint16(recs[0].data)
	}
	if g.version != 0x0600 && g.version != 0x0500 { // BIFF2-4: a single sheet in the stream
		rows, err := g.sheet(recs, 0)
		if err != nil {
			return nil, err
		}
		b.names = []string{"Sheet1"}
		b.sheets["Sheet1"] = rows
		return b, nil
	}
	bounds, err := g.globals(recs, b)
	if err != nil {
		return nil, err
	}
	if err := b.readSheets(g, recs, bounds); err != nil {
		return nil, err
	}
	if len(b.names) == 0 {
		return nil, errors.New("no worksheet")
	}
	return b, nil
}

// boundSheet is a sheet the globals list: its name, where its BOF is in
// the stream, whether it is hidden, and its kind (0 a worksheet).
type boundSheet struct {
	name   string
	offset int
	hidden bool
	kind   byte
}

// globals reads the workbook globals: encryption, codepage, date system,
// the sheets and the shared strings.
func (g *biffGlobals) globals(recs []biffRecord, b *biffBook) ([]boundSheet, error) {
	var bounds []boundSheet
	for i := 0; i < len(recs); i++ {
		r := recs[i]
		switch r.id {
		case 0x002F: // FILEPASS
			return nil, errEncrypted
		case 0x0042: // CODEPAGE
			if len(r.data) >= 2 {
				g.enc = codepage(binary.LittleEndian.Uint16(r.data))
			}
		case 0x0022: // DATEMODE
			b.date1904 = len(r.data) >= 2 && r.data[0] == 1
		case 0x0085: // BOUNDSHEET
			if len(r.data) < 8 {
				continue
			}
			bd := boundSheet{offset: int(binary.LittleEndian.Uint32(r.data)), hidden: r.data[4]&3 != 0, kind: r.data[5]}
			if g.version == 0x0600 {
				bd.name, _ = g.shortString(r.data[6:])
			} else {
				n := int(r.data[6])
				bd.name = g.decode(r.data[7:min(len(r.data), 7+n)])
			}
			bounds = append(bounds, bd)
		case 0x00FC: // SST and its CONTINUE records
			parts := [][]byte{r.data}
			for i+1 < len(recs) && recs[i+1].id == 0x003C {
				i++
				parts = append(parts, recs[i].data)
			}
			g.sst = g.readSST(parts)
		case 0x000A: // EOF of the globals
			return bounds, nil
		}
	}
	return bounds, nil
}

// readSheets reads each worksheet from its BOF; charts and macro sheets
// are passed over.
func (b *biffBook) readSheets(g *biffGlobals, recs []biffRecord, bounds []boundSheet) error {
	at := map[int]int{} // stream offset → record index
	pos := 0
	for i, r := range recs {
		at[pos] = i
		pos += 4 + len(r.data)
	}
	for _, bd := range bounds {
		start, ok := at[bd.offset]
		if bd.kind != 0 || !ok {
			continue
		}
		rows, err := g.sheet(recs, start)
		if err != nil {
			return err
		}
		name := bd.name
		if _, dup := b.sheets[name]; dup || name == "" {
			name = fmt.Sprintf("%s(%d)", name, len(b.names)+1)
		}
		b.names = append(b.names, name)
		b.hidden[name] = bd.hidden
		b.sheets[name] = rows
	}
	return nil
}

// codepage is the encoding of a BIFF file's 8-bit strings.
func codepage(cp uint16) encoding.Encoding {
	switch cp {
	case 936:
		return simplifiedchinese.GBK
	case 950:
		return traditionalchinese.Big5
	case 1200, 1252, 0x8000, 0x8001:
		return charmap.Windows1252
	case 1251:
		return charmap.Windows1251
	case 1250:
		return charmap.Windows1250
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	}
	return charmap.Windows1252
}

// biffGlobals is what the sheets need from the workbook globals.
type biffGlobals struct {
	version uint16 // 0x0600 BIFF8, 0x0500 BIFF5, else older
	enc     encoding.Encoding
	sst     []string
}

func (g *biffGlobals) decode(b []byte) string {
	s, err := g.enc.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

// unicodeChars reads n characters of a BIFF8 string: one byte each
// (Latin-1, "compressed") or two (UTF-16LE).
func unicodeChars(b []byte, n int, wide bool) (string, int) {
	if !wide {
		n = min(n, len(b))
		r := make([]rune, n)
		for i := 0; i < n; i++ {
			r[i] = rune(b[i])
		}
		return string(r), n
	}
	n = min(n, len(b)/2)
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), 2 * n
}

// shortString reads a BIFF8 string with a one-byte length.
func (g *biffGlobals) shortString(b []byte) (string, int) {
	if len(b) < 2 {
		return "", len(b)
	}
	s, n := unicodeChars(b[2:], int(b[0]), b[1]&1 != 0)
	return s, 2 + n
}

// cellString reads the string of a LABEL, STRING or RSTRING record: BIFF8
// with a two-byte length and flags, older with a length and codepage bytes.
func (g *biffGlobals) cellString(b []byte) string {
	if len(b) < 2 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(b))
	if g.version == 0x0600 {
		if len(b) < 3 {
			return ""
		}
		flags := b[2]
		off := 3
		if flags&8 != 0 {
			off += 2
		}
		if flags&4 != 0 {
			off += 4
		}
		if off > len(b) {
			return ""
		}
		s, _ := unicodeChars(b[off:], n, flags&1 != 0)
		return s
	}
	return g.decode(b[2:min(len(b), 2+n)])
}

// readSST reads the shared strings, which run across CONTINUE records: a
// string's characters may break at a record's end, and the next record
// then starts with a fresh flags byte.
func (g *biffGlobals) readSST(parts [][]byte) []string {
	if len(parts[0]) < 8 {
		return nil
	}
	count := int(binary.LittleEndian.Uint32(parts[0][4:]))
	p, buf := 0, parts[0][8:]
	next := func() bool {
		for p+1 < len(parts) {
			p++
			buf = parts[p]
			if len(buf) > 0 {
				return true
			}
		}
		return false
	}
	take := func(n int) []byte { // bytes of the string's header or trailer, which may also break
		var out []byte
		for len(out) < n {
			if len(buf) == 0 && !next() {
				return out
			}
			k := min(n-len(out), len(buf))
			out, buf = append(out, buf[:k]...), buf[k:]
		}
		return out
	}
	out := make([]string, 0, min(count, 1<<16))
	for len(out) < count && len(out) < MaxSharedStrings {
		if len(buf) == 0 && !next() {
			break
		}
		h := take(3)
		if len(h) < 3 {
			break
		}
		n, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&8 != 0 {
			runs = int(binary.LittleEndian.Uint16(append(take(2), 0, 0)))
		}
		if flags&4 != 0 {
			ext = int(binary.LittleEndian.Uint32(append(take(4), 0, 0, 0, 0)))
		}
		var sb strings.Builder
		wide := flags&1 != 0
		for n > 0 {
			if len(buf) == 0 {
				if !next() {
					break
				}
				wide, buf = buf[0]&1 != 0, buf[1:] // the continuation's own flags
			}
			width := 1
			if wide {
				width = 2
			}
			k := min(n, len(buf)/width)
			if k == 0 {
				buf = buf[:0]
				continue
			}
			s, used := unicodeChars(buf, k, wide)
			sb.WriteString(s)
			buf, n = buf[used:], n-k
		}
		take(4*runs + ext)
		out = append(out, newlines(sb.String()))
	}
	return out
}

// rk decodes an RK number: a double's top 30 bits or an integer, maybe /100.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// number writes a number as the shortest decimal: whole numbers in full
// (an ID Excel turned into a number reads 530428198505052000, as from an
// .xlsx), exponent form only for the very large or small.
func number(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	if e := math.Floor(math.Log10(math.Abs(f))); f != 0 && (e < -4 || e >= 16) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

var biffErrors = map[byte]string{0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}

// sheet reads a worksheet's cells from its BOF at recs[start] to its EOF,
// skipping embedded substreams (charts) whole.
func (g *biffGlobals) sheet(recs []biffRecord, start int) ([][]string, error) {
	s := &biffSheet{g: g, pendingR: -1}
	depth := 0
	for i := start; i < len(recs); i++ {
		r := recs[i]
		if r.id&0xFF == 0x09 && r.id>>8 <= 0x08 { // BOF (any version)
			depth++
			continue
		}
		if r.id == 0x000A { // EOF
			if depth--; depth <= 0 {
				break
			}
			continue
		}
		if depth > 1 {
			continue // a chart's own records
		}
		if r.id == 0x0207 && s.pendingR >= 0 { // STRING: a formula's text result, maybe continued
			parts := r.data
			for i+1 < len(recs) && recs[i+1].id == 0x003C && len(recs[i+1].data) > 0 {
				i++
				parts = append(append([]byte(nil), parts...), recs[i].data[1:]...)
			}
			r.data = parts
		}
		if err := s.record(r); err != nil {
			return nil, err
		}
	}
	for i := range s.rows { // trailing empty cells, as the other readers trim them
		n := len(s.rows[i])
		for n > 0 && s.rows[i][n-1] == "" {
			n--
		}
		s.rows[i] = s.rows[i][:n]
	}
	return s.rows, nil
}

// biffSheet is a worksheet while its records are read.
type biffSheet struct {
	g                  *biffGlobals
	rows               [][]string
	pendingR, pendingC int // a formula whose string result follows in STRING
}

func (s *biffSheet) set(r, c int, v string) error {
	if r >= MaxRows {
		return tooBig("超过 %d 行（Excel 的上限）", MaxRows)
	}
	if c >= MaxColumns {
		if strings.TrimSpace(v) != "" {
			return tooBig("第%d行第%d列有数据，超过 %d 列的上限", r+1, c+1, MaxColumns)
		}
		return nil
	}
	for len(s.rows) <= r {
		s.rows = append(s.rows, nil)
	}
	for len(s.rows[r]) <= c {
		s.rows[r] = append(s.rows[r], "")
	}
	s.rows[r][c] = v
	return nil
}

// cell sets the cell whose row and column start the record's data.
func (s *biffSheet) cell(d []byte, v string) error {
	r, c := rcOf(d)
	return s.set(r, c, v)
}

// record reads one cell record.
func (s *biffSheet) record(r biffRecord) error {
	g, d := s.g, r.data
	switch r.id {
	case 0x00FD: // LABELSST
		if len(d) >= 10 {
			if k := int(binary.LittleEndian.Uint32(d[6:])); k < len(g.sst) {
				return s.cell(d, g.sst[k])
			}
		}
	case 0x0004: // BIFF2 LABEL
		if len(d) >= 8 {
			return s.cell(d, g.decode(d[8:min(len(d), 8+int(d[7]))]))
		}
	case 0x0204, 0x00D6: // LABEL, RSTRING
		if len(d) >= 6 {
			return s.cell(d, newlines(g.cellString(d[6:])))
		}
	case 0x0203: // NUMBER
		if len(d) >= 14 {
			return s.cell(d, number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
		}
	case 0x0003: // BIFF2 NUMBER
		if len(d) >= 15 {
			return s.cell(d, number(math.Float64frombits(binary.LittleEndian.Uint64(d[7:]))))
		}
	case 0x027E: // RK
		if len(d) >= 10 {
			return s.cell(d, number(rk(binary.LittleEndian.Uint32(d[6:]))))
		}
	case 0x00BD: // MULRK
		if len(d) >= 6 {
			row, col := rcOf(d)
			for p := 4; p+6 <= len(d)-2; p += 6 {
				if err := s.set(row, col, number(rk(binary.LittleEndian.Uint32(d[p+2:])))); err != nil {
					return err
				}
				col++
			}
		}
	case 0x0205, 0x0225: // BOOLERR
		if len(d) >= 8 {
			if d[7] == 0 {
				return s.cell(d, map[byte]string{0: "FALSE", 1: "TRUE"}[d[6]])
			}
			return s.cell(d, biffErrors[d[6]])
		}
	case 0x0006, 0x0206, 0x0406: // FORMULA (BIFF5-8, 3, 4; BIFF2 shares 0x0006)
		return s.formula(r)
	case 0x0207: // STRING: a formula's text result
		if s.pendingR >= 0 {
			r, c := s.pendingR, s.pendingC
			s.pendingR = -1
			return s.set(r, c, newlines(g.cellString(d)))
		}
	}
	return nil
}

// formula reads a formula's cached result: a number, or a marker for a
// string (in the STRING record that follows), a boolean, an error, empty.
func (s *biffSheet) formula(r biffRecord) error {
	d := r.data
	if len(d) < 14 {
		return nil
	}
	row, col := rcOf(d)
	res := d[6:14]
	if r.id == 0x0006 && s.g.version < 0x0500 { // BIFF2: the result after 3 bytes of attributes
		if len(d) < 15 {
			return nil
		}
		res = d[7:15]
	}
	if res[6] != 0xFF || res[7] != 0xFF {
		return s.set(row, col, number(math.Float64frombits(binary.LittleEndian.Uint64(res))))
	}
	switch res[0] {
	case 0:
		s.pendingR, s.pendingC = row, col
	case 1:
		return s.set(row, col, map[byte]string{0: "FALSE", 1: "TRUE"}[res[2]])
	case 2:
		return s.set(row, col, biffErrors[res[2]])
	case 3:
		return s.set(row, col, "")
	}
	return nil
}

func rcOf(d []byte) (int, int) {
	return int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
}
