// Package excel reads and writes the spreadsheets county offices exchange:
// .xlsx through excelize, legacy .xls best effort, and .csv in UTF-8 or GBK.
// It turns every failure into a Chinese message that tells the officer what
// to do, and never lets a reader panic escape.
package excel

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bidui/engine"
	"bidui/engine/files"
)

// Format is the kind of file, told by its content rather than its name.
type Format int

const (
	FormatXLSX Format = iota
	FormatXLS
	FormatCSV
	FormatHTML // a web page's tables, as government systems "export Excel"
	FormatXML  // Excel 2003 XML (SpreadsheetML)
)

func (f Format) String() string {
	return [...]string{"xlsx", "xls", "csv", "html", "xml"}[f]
}

// Limits that keep a hostile or broken file from exhausting the PC: each
// is refused with a message, within seconds and well under 1 GB of memory.
const (
	MaxFileSize          = 200 << 20 // bytes on disk
	MaxUnzippedSize      = 2 << 30   // an xlsx's inflated parts
	MaxColumns           = 1000      // columns holding data
	MaxRows              = 1 << 20   // rows of a sheet: Excel's own limit, 1,048,576
	MaxCellBytes         = 128 << 10 // a cell's text: Excel allows 32,767 characters
	MaxSharedStrings     = 5_000_000 // entries of an xlsx's shared-string table
	MaxSharedStringBytes = 256 << 20 // the table's text
	maxTokenBytes        = 1 << 20   // one XML tag or text run
)

// limitError is a file past one of the limits, in the officer's words.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

func tooBig(format string, args ...any) error { return &limitError{fmt.Sprintf(format, args...)} }

// failRead puts a read error in the officer's words: a limit says which;
// anything else is damage.
func failRead(path string, err error, line int) *Error {
	return failOr(path, err, "第%d行附近数据损坏，无法继续读取，请在 WPS/Excel 中另存为 .xlsx 后再导入", line)
}

// failOr puts an error in the officer's words: a limit says which, any
// other error gets the message given.
func failOr(path string, err error, format string, args ...any) *Error {
	var le *limitError
	if errors.As(err, &le) {
		return fail(path, err, "%s，不像正常的表格文件，未导入。请检查文件或向报送单位重新索取", le.msg)
	}
	return fail(path, err, format, args...)
}

// Error is a file-level problem in the officer's words.
type Error = files.Error

func fail(path string, err error, format string, args ...any) *Error {
	return files.Fail(path, err, format, args...)
}

// Workbook is an open spreadsheet file.
type Workbook struct {
	Path   string
	Format Format
	Sheets []string

	xl   *excelize.File // the fallback reader of .xlsx
	fast *xlsxBook      // the fast reader of .xlsx
	csv  string         // decoded text of a CSV file
	// tables are a web page's tables by sheet name
	tables map[string][][]string
	Enc    string // the CSV's detected encoding: UTF-8, UTF-8 BOM or GBK
	// Hash is the SHA-256 of the file's bytes as read: the file is read
	// once, and the same file imported again is known by it.
	Hash string
	// Mislabeled names what the file really is when its name says Excel
	// (.xlsx, .xls) but it holds plain text; it is still read as text.
	Mislabeled string
	// Hidden are the hidden sheets, not offered for import but readable.
	Hidden []string
	// Date1904 is a workbook that counts dates from 1904 (Excel for Mac):
	// its date serial numbers are 1,462 days smaller than usual.
	Date1904 bool
}

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open opens a file for reading, deciding its format from its content.
func Open(path string) (wb *Workbook, err error) {
	defer func() {
		if r := recover(); r != nil {
			wb, err = nil, fail(path, fmt.Errorf("panic: %v", r), "文件已损坏或格式异常，无法读取，请在 WPS/Excel 中打开后另存为 .xlsx 再导入")
		}
	}()
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fail(path, err, "找不到该文件，请确认文件位置")
	case errors.Is(err, os.ErrPermission):
		return nil, fail(path, err, "没有权限读取该文件")
	case err != nil:
		return nil, fail(path, err, "无法读取该文件（%v）", err)
	case fi.IsDir():
		return nil, fail(path, nil, "这是一个文件夹，请选择 Excel 或 CSV 文件")
	case fi.Size() == 0:
		return nil, fail(path, nil, "文件是空的（0 字节），请向报送单位重新索取")
	case fi.Size() > MaxFileSize:
		return nil, fail(path, nil, "文件过大（%d MB，上限 %d MB），请拆分后分别导入", fi.Size()>>20, MaxFileSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, openErr(path, err)
	}
	defer func() {
		if wb != nil {
			wb.Hash = engine.HashBytes(data)
		}
	}()
	head := data[:min(len(data), 512)]
	switch {
	case bytes.HasPrefix(head, magicZip):
		return openXLSX(path, data)
	case bytes.HasPrefix(head, magicOLE):
		return openXLS(path, data)
	case len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04 || head[1] == 0x08) && head[3] == 0:
		return openXLS(path, data) // Excel 2 to 4 wrote the BIFF stream bare
	}
	if isSpreadsheetML(data[:min(len(data), 4096)]) {
		return openSpreadsheetML(path, data)
	}
	if isHTML(data[:min(len(data), 4096)]) {
		return openHTML(path, data)
	}
	lower := strings.ToLower(string(head))
	if strings.Contains(lower, "<?xml") {
		return nil, fail(path, nil, "该文件实际是 XML 格式（常见于系统导出的 .xls），请在 WPS/Excel 中打开后另存为 .xlsx 再导入")
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return openCSV(path, data) // UTF-16 text (Excel's "Unicode 文本"), read as CSV
	}
	if looksUTF16(head) {
		return nil, fail(path, nil, "文件是没有字节顺序标记的 UTF-16 文本，无法判断字节顺序。请在 WPS/Excel 中打开后另存为 .xlsx，或另存为 UTF-8 编码的 CSV 再导入")
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, fail(path, nil, "无法识别的文件格式，请在 WPS/Excel 中打开后另存为 .xlsx 再导入")
	}
	wb, err = openCSV(path, data)
	if err == nil {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".xlsx", ".xlsm", ".xls", ".et":
			wb.Mislabeled = "纯文本"
		}
	}
	return wb, err
}

func openErr(path string, err error) error {
	if errors.Is(err, os.ErrPermission) {
		return fail(path, err, "文件正被其他程序占用或没有读取权限，请在 WPS/Excel 中关闭该文件后重试")
	}
	if errors.Is(err, os.ErrNotExist) {
		return fail(path, err, "找不到该文件，请确认文件位置")
	}
	if strings.Contains(err.Error(), "being used by another process") {
		return fail(path, err, "文件正被其他程序占用，请在 WPS/Excel 中关闭该文件后重试")
	}
	return fail(path, err, "无法打开该文件（%v）", err)
}

func openXLSX(path string, data []byte) (*Workbook, error) {
	fb, err := openFastXLSX(data)
	var tooBig *inflatedSizeError
	if errors.As(err, &tooBig) {
		return nil, fail(path, err, "文件解压后将超过 %d MB（声明 %d MB），不像正常的表格文件，可能已损坏或是被恶意构造的文件，未导入。请向报送单位重新索取", tooBig.limit>>20, tooBig.declared>>20)
	}
	if err == nil {
		wb := &Workbook{Path: path, Format: FormatXLSX, fast: fb, Date1904: fb.date1904}
		for _, s := range fb.sheets {
			if !s.hidden {
				wb.Sheets = append(wb.Sheets, s.name)
			} else {
				wb.Hidden = append(wb.Hidden, s.name)
			}
		}
		if len(wb.Sheets) == 0 {
			for _, s := range fb.sheets {
				wb.Sheets = append(wb.Sheets, s.name)
			}
		}
		return wb, nil
	}
	if other := otherZipFormat(data); other != "" {
		return nil, fail(path, nil, "这是 %s 文件，不是 .xlsx。请在 WPS/Excel/LibreOffice 中打开后“另存为”Excel 工作簿（.xlsx）再导入", other)
	}
	// a workbook the fast reader does not understand: let excelize try
	return openExcelize(path, data)
}

// openExcelize opens an .xlsx with excelize, the fallback reader.
func openExcelize(path string, data []byte) (*Workbook, error) {
	xl, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzippedSize, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") || strings.Contains(err.Error(), "size limit") {
			return nil, fail(path, err, "文件解压后过大，可能已损坏或不是正常的表格文件")
		}
		if errors.Is(err, os.ErrPermission) || strings.Contains(err.Error(), "another process") {
			return nil, openErr(path, err)
		}
		return nil, fail(path, err, "文件已损坏或不是有效的 .xlsx 文件，请在 WPS/Excel 中打开后另存为 .xlsx 再导入")
	}
	wb := &Workbook{Path: path, Format: FormatXLSX, xl: xl}
	for _, s := range xl.GetSheetList() {
		if v, _ := xl.GetSheetVisible(s); v {
			wb.Sheets = append(wb.Sheets, s)
		}
	}
	if len(wb.Sheets) == 0 {
		wb.Sheets = xl.GetSheetList()
	}
	if len(wb.Sheets) == 0 {
		xl.Close()
		return nil, fail(path, nil, "文件中没有工作表")
	}
	for _, s := range xl.GetSheetList() {
		if v, _ := xl.GetSheetVisible(s); !v {
			wb.Hidden = append(wb.Hidden, s)
		}
	}
	return wb, nil
}

func openXLS(path string, data []byte) (wb *Workbook, err error) {
	if bytes.Contains(data, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e")) {
		return nil, fail(path, nil, "文件设置了打开密码，请在 WPS/Excel 中取消密码后另存为 .xlsx 再导入")
	}
	defer func() {
		if r := recover(); r != nil {
			wb, err = nil, fail(path, fmt.Errorf("panic: %v", r), "旧版 .xls 文件已损坏，无法读取，请在 WPS/Excel 中另存为 .xlsx 后再导入")
		}
	}()
	book, err := readBIFF(data)
	switch {
	case errors.Is(err, errEncrypted):
		return nil, fail(path, err, "文件设置了打开密码，请在 WPS/Excel 中取消密码后另存为 .xlsx 再导入")
	case err != nil:
		return nil, failOr(path, err, "无法读取这个旧版 .xls 文件，请在 WPS/Excel 中另存为 .xlsx 后再导入")
	}
	wb = &Workbook{Path: path, Format: FormatXLS, tables: book.sheets, Date1904: book.date1904}
	for _, n := range book.names {
		if book.hidden[n] {
			wb.Hidden = append(wb.Hidden, n)
		} else {
			wb.Sheets = append(wb.Sheets, n)
		}
	}
	if len(wb.Sheets) == 0 {
		wb.Sheets, wb.Hidden = wb.Hidden, nil
	}
	return wb, nil
}

// openSpreadsheetML reads an Excel 2003 XML workbook.
func openSpreadsheetML(path string, data []byte) (*Workbook, error) {
	names, sheets, err := spreadsheetML(data)
	if err != nil {
		return nil, failOr(path, err, "这个 Excel 2003 XML 表格已损坏，无法读取，请在 WPS/Excel 中打开后另存为 .xlsx 再导入")
	}
	if len(names) == 0 {
		return nil, fail(path, nil, "这个 Excel 2003 XML 表格中没有工作表")
	}
	return &Workbook{Path: path, Format: FormatXML, Sheets: names, tables: sheets}, nil
}

// openHTML reads a web page's tables, one sheet each.
func openHTML(path string, data []byte) (*Workbook, error) {
	text, enc := decodeHTML(data)
	tables := htmlTables(text)
	wb := &Workbook{Path: path, Format: FormatHTML, Enc: enc, tables: map[string][][]string{}}
	for i, t := range tables {
		if len(t) == 0 {
			continue
		}
		name := fmt.Sprintf("表%d", i+1)
		wb.Sheets = append(wb.Sheets, name)
		wb.tables[name] = t
	}
	if len(wb.Sheets) == 0 {
		return nil, fail(path, nil, "这是一个网页文件，但其中没有表格，请向报送单位确认导出的文件")
	}
	return wb, nil
}

func openCSV(path string, data []byte) (*Workbook, error) {
	text, enc := DecodeText(data)
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return &Workbook{Path: path, Format: FormatCSV, Sheets: []string{name}, csv: text, Enc: enc}, nil
}

// DecodeText turns the bytes of a text file into UTF-8: a UTF-8 BOM is
// dropped, valid UTF-8 is kept, anything else is read as GB18030 (a superset
// of GBK and GB2312, what WPS and Excel write on a Chinese Windows).
func DecodeText(data []byte) (text, encoding string) {
	if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		return string(data[3:]), "UTF-8 BOM"
	}
	for _, u := range []struct {
		bom  []byte
		end  unicode.Endianness
		name string
	}{{[]byte{0xFF, 0xFE}, unicode.LittleEndian, "UTF-16LE"}, {[]byte{0xFE, 0xFF}, unicode.BigEndian, "UTF-16BE"}} {
		if bytes.HasPrefix(data, u.bom) {
			out, err := unicode.UTF16(u.end, unicode.ExpectBOM).NewDecoder().Bytes(data)
			if err == nil {
				return string(out), u.name
			}
		}
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8"
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "�"), "未知编码"
	}
	return string(out), "GBK"
}

// Close releases the file.
func (w *Workbook) Close() error {
	if w.fast != nil {
		return w.fast.Close()
	}
	if w.xl != nil {
		return w.xl.Close()
	}
	return nil
}

// Rows is a stream of one sheet's rows.
type Rows interface {
	engine.RowSource
	Close() error
}

// HasSheet reports, with a message naming the sheets there are, whether the
// workbook has a sheet of that name ("" is the first one).
func (w *Workbook) HasSheet(sheet string) error {
	if sheet == "" {
		return nil
	}
	for _, s := range append(append([]string(nil), w.Sheets...), w.Hidden...) {
		if s == sheet {
			return nil
		}
	}
	return fail(w.Path, nil, "没有名为「%s」的工作表（有：%s）", sheet, strings.Join(w.Sheets, "、"))
}

// Rows opens a sheet for streaming; sheet "" means the first one.
func (w *Workbook) Rows(sheet string) (rs Rows, err error) {
	if sheet == "" {
		sheet = w.Sheets[0]
	}
	if err := w.HasSheet(sheet); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			rs, err = nil, fail(w.Path, fmt.Errorf("panic: %v", r), "工作表「%s」已损坏，无法读取，请在 WPS/Excel 中另存为 .xlsx 后再导入", sheet)
		}
	}()
	switch w.Format {
	case FormatXLSX:
		if w.fast != nil {
			r, err := w.fast.rows(w.Path, sheet)
			if err != nil {
				return nil, failOr(w.Path, err, "无法读取工作表「%s」：文件可能已损坏，请在 WPS/Excel 中另存为 .xlsx 后再导入", sheet)
			}
			return prefetch(r), nil
		}
		r, err := w.xl.Rows(sheet)
		if err != nil {
			return nil, fail(w.Path, err, "无法读取工作表「%s」：文件可能已损坏，请在 WPS/Excel 中另存为 .xlsx 后再导入", sheet)
		}
		return &xlsxRows{path: w.Path, sheet: sheet, r: r}, nil
	case FormatXLS, FormatHTML, FormatXML:
		return &memRows{path: w.Path, rows: w.tables[sheet]}, nil
	case FormatCSV:
		r := csv.NewReader(strings.NewReader(w.csv))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		r.Comma = sniffComma(w.csv)
		return &csvRows{path: w.Path, r: r}, nil
	}
	return nil, fail(w.Path, nil, "无法读取工作表「%s」", sheet)
}

func sniffComma(text string) rune {
	// look at the first few lines: titles may have no separators
	lines := strings.SplitN(text, "\n", 6)
	tabs, commas, semis := 0, 0, 0
	for _, l := range lines {
		tabs += strings.Count(l, "\t")
		commas += strings.Count(l, ",")
		semis += strings.Count(l, ";")
	}
	switch {
	case tabs > commas && tabs > semis:
		return '\t'
	case semis > commas:
		return ';'
	}
	return ','
}

type xlsxRows struct {
	path, sheet string
	r           *excelize.Rows
	line        int
	cells       []string
	err         error
}

func (x *xlsxRows) Next() (ok bool) {
	if x.err != nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			x.err = fail(x.path, fmt.Errorf("panic: %v", r), "第%d行附近数据损坏，无法继续读取", x.line+1)
			ok = false
		}
	}()
	if !x.r.Next() {
		if err := x.r.Error(); err != nil {
			x.err = fail(x.path, err, "读取到第%d行时出错，文件可能已损坏", x.line+1)
		}
		return false
	}
	x.line++
	cells, err := x.r.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		x.err = fail(x.path, err, "第%d行无法读取，文件可能已损坏", x.line)
		return false
	}
	if len(cells) > MaxColumns {
		cells = cells[:MaxColumns]
	}
	x.cells = cells
	return true
}

func (x *xlsxRows) Cells() []string { return x.cells }
func (x *xlsxRows) Line() int       { return x.line }
func (x *xlsxRows) Err() error      { return x.err }
func (x *xlsxRows) Close() error    { return x.r.Close() }

type csvRows struct {
	path  string
	r     *csv.Reader
	line  int
	cells []string
	err   error
}

func (c *csvRows) Next() bool {
	if c.err != nil {
		return false
	}
	rec, err := c.r.Read()
	if err == io.EOF {
		return false
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.err = fail(c.path, err, "第%d行格式错误（%v），请在 WPS/Excel 中打开后另存为 .xlsx 再导入", pe.Line, pe.Err)
		} else {
			c.err = fail(c.path, err, "读取出错：%v", err)
		}
		return false
	}
	c.line, _ = c.r.FieldPos(0)
	if c.line > MaxRows {
		c.err = failRead(c.path, tooBig("超过 %d 行（Excel 的上限）", MaxRows), c.line)
		return false
	}
	if len(rec) > MaxColumns {
		for i := MaxColumns; i < len(rec); i++ {
			if strings.TrimSpace(rec[i]) != "" {
				c.err = failRead(c.path, tooBig("第%d行第%d列有数据，超过 %d 列的上限", c.line, i+1, MaxColumns), c.line)
				return false
			}
		}
		rec = rec[:MaxColumns]
	}
	c.cells = rec
	return true
}

func (c *csvRows) Cells() []string { return c.cells }
func (c *csvRows) Line() int       { return c.line }
func (c *csvRows) Err() error      { return c.err }
func (c *csvRows) Close() error    { return nil }

// ColumnName gives the spreadsheet letter of a 0-based column index.
func ColumnName(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}

// looksUTF16 tells UTF-16 text without a byte order mark: in its first
// bytes, zeros in many places of one parity and none of the other.
func looksUTF16(head []byte) bool {
	if len(head) < 8 {
		return false
	}
	even, odd := 0, 0
	for i, b := range head {
		if b == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	// ASCII (tabs, digits, line ends) has a zero high byte; Chinese does not
	quarter := len(head) / 8
	return (odd > quarter && even == 0) || (even > quarter && odd == 0)
}

// otherZipFormat names the zip-based spreadsheet formats that are not
// .xlsx: OpenDocument (.ods, WPS and LibreOffice) and Excel binary (.xlsb).
func otherZipFormat(data []byte) string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range z.File {
		switch {
		case f.Name == "mimetype":
			if r, err := f.Open(); err == nil {
				b := make([]byte, 64)
				n, _ := io.ReadFull(r, b)
				r.Close()
				if strings.Contains(string(b[:n]), "opendocument.spreadsheet") {
					return "OpenDocument 表格（.ods）"
				}
			}
		case strings.EqualFold(f.Name, "xl/workbook.bin"):
			return "Excel 二进制工作簿（.xlsb）"
		}
	}
	return ""
}

// memRows hands out rows held in memory (a web page's table).
type memRows struct {
	path  string
	rows  [][]string
	line  int
	cells []string
	err   error
}

func (m *memRows) Next() bool {
	if m.err != nil || m.line >= len(m.rows) {
		return false
	}
	m.cells = m.rows[m.line]
	m.line++
	if m.line > MaxRows {
		m.err = failRead(m.path, tooBig("超过 %d 行（Excel 的上限）", MaxRows), m.line)
		return false
	}
	for i := MaxColumns; i < len(m.cells); i++ {
		if strings.TrimSpace(m.cells[i]) != "" {
			m.err = failRead(m.path, tooBig("第%d行第%d列有数据，超过 %d 列的上限", m.line, i+1, MaxColumns), m.line)
			return false
		}
	}
	if len(m.cells) > MaxColumns {
		m.cells = m.cells[:MaxColumns]
	}
	return true
}

func (m *memRows) Cells() []string { return m.cells }
func (m *memRows) Line() int       { return m.line }
func (m *memRows) Err() error      { return m.err }
func (m *memRows) Close() error    { return nil }
