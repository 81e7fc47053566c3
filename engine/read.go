package engine

import (
	"errors"
	"fmt"
	"strings"
)

// RowSource streams the rows of one sheet. Line is the row number the
// officer sees in the spreadsheet program (1-based).
type RowSource interface {
	Next() bool
	Cells() []string
	Line() int
	Err() error
}

// RowsHinter is a source that can say about how many rows it holds before
// they are read (an .xlsx sheet's dimension): room is made for them at
// once instead of growing as they come. 0: it cannot say.
type RowsHinter interface {
	RowsHint() int
}

// rowsHint is a source's hint, held to Excel's row limit: the hint comes
// from the file, which may claim anything.
func rowsHint(src RowSource) int {
	if h, ok := src.(RowsHinter); ok {
		return min(max(h.RowsHint(), 0), 1<<20)
	}
	return 0
}

// Issue is one problem found in an imported file, where the officer can find it.
type Issue struct {
	File    string `json:"file,omitempty"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (i Issue) Error() string {
	var b strings.Builder
	if i.File != "" {
		b.WriteString(i.File)
	}
	if i.Sheet != "" {
		fmt.Fprintf(&b, "「%s」", i.Sheet)
	}
	if i.Row > 0 {
		fmt.Fprintf(&b, "第%d行", i.Row)
	}
	if i.Column != "" {
		fmt.Fprintf(&b, "「%s」列", i.Column)
	}
	if b.Len() > 0 {
		b.WriteString("：")
	}
	b.WriteString(i.Message)
	return b.String()
}

// TableStats counts every row of a sheet below the header.
type TableStats struct {
	Data          int // data rows handed to the caller
	Blank         int
	Total         int // 合计 rows
	Note          int // footers
	HeaderRepeats int
	Title         [][]string // the rows above the header (titles, notes)
}

// Skipped is the number of rows below the header that are not data.
func (s TableStats) Skipped() int { return s.Blank + s.Total + s.Note + s.HeaderRepeats }

// TableRow is one data row with where it came from.
type TableRow struct {
	Line    int
	Cells   []string
	Numeric []bool // which cells the file stored as numbers; nil when the format does not say
}

// NumericSource is a RowSource that knows which cells are numbers (.xlsx).
type NumericSource interface {
	Numeric() []bool
}

// ErrNoHeader means no row in the top of the sheet names the expected columns.
var ErrNoHeader = errors.New("未找到表头")

// HeaderError says which required columns are missing, or that there is no header at all.
type HeaderError struct {
	File, Sheet string
	Missing     []Field
	Seen        []string // header texts of the best candidate row, for the message
	// NotExcel names what a file whose name says Excel really holds (纯文本)
	NotExcel string
}

func (e *HeaderError) Error() string {
	where := e.File
	if e.Sheet != "" {
		where += "「" + e.Sheet + "」"
	}
	if len(e.Missing) == 0 && e.NotExcel != "" {
		return e.File + "：不是Excel文件——文件名是 Excel 的，内容却是" + e.NotExcel + "，其中也没有可识别的表头。请向报送单位索取从系统导出的原文件"
	}
	if len(e.Missing) == 0 {
		return where + "：在前" + fmt.Sprint(maxHeaderScan) + "行中没有找到可识别的表头（如“姓名”“身份证号”），请确认选对了工作表和部门，或在 WPS/Excel 中检查表头行"
	}
	names := make([]string, len(e.Missing))
	for i, f := range e.Missing {
		names[i] = "“" + f.Label + "”"
	}
	msg := where + "：缺少必需的列 " + strings.Join(names, "、")
	if len(e.Seen) > 0 {
		var seen []string
		for _, s := range e.Seen {
			if s != "" {
				seen = append(seen, s)
			}
		}
		if len(seen) > 12 {
			seen = append(seen[:12], "…")
		}
		msg += "（表头为：" + strings.Join(seen, "、") + "）"
	}
	return msg + "。请确认选对了部门和清单，或把该列的表头改成上述名称"
}

func (e *HeaderError) Unwrap() error { return ErrNoHeader }

// ReadTable reads a sheet: it buffers the top rows to find the header, then
// streams every row below it to fn, classifying and counting the rows that
// are not data. When required fields are missing it returns a *HeaderError
// before calling fn at all.
//
// adjust, when not nil, may change the detected header before the check for
// missing columns: the officer's confirmed mapping is applied there.
func ReadTable(src RowSource, file, sheet string, fields []Field, adjust func(h *Header), fn func(h *Header, r TableRow) error) (Header, TableStats, error) {
	var head [][]string
	var lines []int
	var nums [][]bool
	ns, _ := src.(NumericSource)
	numeric := func() []bool {
		if ns == nil {
			return nil
		}
		return ns.Numeric()
	}
	for len(head) < maxHeaderScan+1 && src.Next() {
		head = append(head, append([]string(nil), src.Cells()...))
		lines = append(lines, src.Line())
		nums = append(nums, append([]bool(nil), numeric()...))
	}
	if err := src.Err(); err != nil {
		return Header{}, TableStats{}, err
	}
	h, ok := DetectHeader(head, fields)
	if !ok {
		return Header{}, TableStats{}, &HeaderError{File: file, Sheet: sheet}
	}
	if adjust != nil {
		adjust(&h)
		h.Missing = h.Missing[:0]
		for _, f := range fields {
			if _, found := h.Columns[f.Key]; f.Required && !found {
				h.Missing = append(h.Missing, f)
			}
		}
	}
	if len(h.Missing) > 0 {
		return h, TableStats{}, &HeaderError{File: file, Sheet: sheet, Missing: h.Missing, Seen: h.Names}
	}
	st := TableStats{Title: head[:h.FirstRow]}
	handle := func(line int, cells []string, num []bool) error {
		switch ClassifyRow(cells, &h) {
		case RowBlank:
			st.Blank++
		case RowTotal:
			st.Total++
		case RowNote:
			st.Note++
		case RowHeader:
			st.HeaderRepeats++
		default:
			st.Data++
			return fn(&h, TableRow{Line: line, Cells: cells, Numeric: num})
		}
		return nil
	}
	for i := h.LastRow + 1; i < len(head); i++ {
		if err := handle(lines[i], head[i], nums[i]); err != nil {
			return h, st, err
		}
	}
	for src.Next() {
		if err := handle(src.Line(), src.Cells(), numeric()); err != nil {
			return h, st, err
		}
	}
	return h, st, src.Err()
}
