package engine

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

var testFields = []Field{
	FieldID, FieldName,
	{Key: "amount", Label: "个人自付金额", Required: true, Synonyms: []string{"自付金额"}},
}

func TestDetectHeader(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]string
		ok      bool
		first   int
		last    int
		cols    map[string]int
		missing []string
	}{
		{
			name: "header on the first row",
			rows: [][]string{{"姓名", "身份证号", "自付金额"}, {"张三", "1", "2"}},
			ok:   true, first: 0, last: 0, cols: map[string]int{"name": 0, "id": 1, "amount": 2},
		},
		{
			name: "under a title and a blank row",
			rows: [][]string{{"青山县2026年11月住院清单"}, {}, {"序号", "患者姓名", "公民身份号码", "个人自付金额（元）"}},
			ok:   true, first: 2, last: 2, cols: map[string]int{"name": 1, "id": 2, "amount": 3},
		},
		{
			name: "full-width, spaces, stars and line breaks in headers",
			rows: [][]string{{"姓 名*", "身份证\n号码", "自付金额（元）"}},
			ok:   true, cols: map[string]int{"name": 0, "id": 1, "amount": 2},
		},
		{
			name: "exact match wins over containment",
			rows: [][]string{{"户主身份证号", "姓名", "身份证号", "自付金额"}},
			ok:   true, cols: map[string]int{"id": 2, "name": 1, "amount": 3},
		},
		{
			name: "two-row header with merged cells",
			rows: [][]string{{"序号", "姓名", "费用明细", ""}, {"", "", "身份证号", "自付金额"}, {"1", "张三", "x", "1"}},
			ok:   true, first: 0, last: 1, cols: map[string]int{"name": 1, "id": 2, "amount": 3},
		},
		{
			name: "required column missing",
			rows: [][]string{{"姓名", "身份证号", "备注"}},
			ok:   true, cols: map[string]int{"name": 0, "id": 1}, missing: []string{"amount"},
		},
		{
			name: "no header at all",
			rows: [][]string{{"会议纪要"}, {"今天开会"}},
			ok:   false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, ok := DetectHeader(tc.rows, testFields)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if tc.first != 0 || tc.last != 0 {
				if h.FirstRow != tc.first || h.LastRow != tc.last {
					t.Errorf("header rows %d-%d, want %d-%d", h.FirstRow, h.LastRow, tc.first, tc.last)
				}
			}
			for k, want := range tc.cols {
				if got, ok := h.Columns[k]; !ok || got != want {
					t.Errorf("column %s = %d (%v), want %d", k, got, ok, want)
				}
			}
			var missing []string
			for _, f := range h.Missing {
				missing = append(missing, f.Key)
			}
			if strings.Join(missing, ",") != strings.Join(tc.missing, ",") {
				t.Errorf("missing = %v, want %v", missing, tc.missing)
			}
		})
	}
}

func TestClassifyRow(t *testing.T) {
	h, _ := DetectHeader([][]string{{"序号", "姓名", "身份证号", "自付金额"}}, testFields)
	tests := []struct {
		cells []string
		want  RowKind
	}{
		{[]string{"1", "张三", "530428199001011231", "100"}, RowData},
		{[]string{"", "", "", ""}, RowBlank},
		{[]string{" ", "\t"}, RowBlank},
		{[]string{"合计", "", "", "5000"}, RowTotal},
		{[]string{"", "合 计", "", "5000"}, RowTotal},
		{[]string{"总计：35人", "", "", ""}, RowTotal},
		{[]string{"制表人：张三", "", "审核人：李四"}, RowNote},
		{[]string{"注：金额单位为元"}, RowNote},
		{[]string{"序号", "姓名", "身份证号", "自付金额"}, RowHeader},
		// a data row whose detail mentions 累计 is still data
		{[]string{"2", "李四", "", "累计住院3次"}, RowData},
		// a row with a name and no ID is data (invalid), not a note
		{[]string{"3", "王五", "", ""}, RowData},
	}
	for _, tc := range tests {
		if got := ClassifyRow(tc.cells, &h); got != tc.want {
			t.Errorf("ClassifyRow(%q) = %v, want %v", tc.cells, got, tc.want)
		}
	}
}

type sliceSource struct {
	rows [][]string
	i    int
	err  error
}

func (s *sliceSource) Next() bool      { s.i++; return s.i <= len(s.rows) }
func (s *sliceSource) Cells() []string { return s.rows[s.i-1] }
func (s *sliceSource) Line() int       { return s.i }
func (s *sliceSource) Err() error      { return s.err }

func TestReadTableCountsEveryRow(t *testing.T) {
	rows := [][]string{
		{"标题"},
		{"姓名", "身份证号", "自付金额"},
		{"张三", "530428199001011231", "100"},
		{},
		{"李四", "", "200"},
		{"合计", "", "300"},
		{"姓名", "身份证号", "自付金额"},
		{"王五", "5.3E+17", "1"},
		{"制表人：赵六"},
	}
	var lines []int
	_, st, err := ReadTable(&sliceSource{rows: rows}, "f.xlsx", "Sheet1", testFields, nil, func(h *Header, r TableRow) error {
		lines = append(lines, r.Line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Data != 3 || st.Blank != 1 || st.Total != 1 || st.HeaderRepeats != 1 || st.Note != 1 {
		t.Errorf("stats = %+v", st)
	}
	if got := st.Data + st.Skipped(); got != len(rows)-2 {
		t.Errorf("rows below the header: counted %d, there are %d", got, len(rows)-2)
	}
	if len(lines) != 3 || lines[0] != 3 || lines[1] != 5 || lines[2] != 8 {
		t.Errorf("data lines = %v, want [3 5 8]", lines)
	}
}

func TestReadTableMissingColumn(t *testing.T) {
	rows := [][]string{{"姓名", "身份证号", "备注"}, {"张三", "1", "x"}}
	called := false
	_, _, err := ReadTable(&sliceSource{rows: rows}, "医保.xlsx", "Sheet1", testFields, nil, func(*Header, TableRow) error {
		called = true
		return nil
	})
	var he *HeaderError
	if !errors.As(err, &he) || len(he.Missing) != 1 || !strings.Contains(err.Error(), "个人自付金额") || !strings.Contains(err.Error(), "医保.xlsx") {
		t.Fatalf("err = %v", err)
	}
	if called {
		t.Error("rows were handed on although the header was incomplete")
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
		ok   bool
	}{
		{"5,234.50元", 523450, true},
		{"￥5234.5", 523450, true},
		{"¥ 5 234", 523400, true},
		{"1.2万元", 1200000, true},
		{"1.2万", 1200000, true},
		{"５２３４", 523400, true},
		{"5234.499999", 523450, true},
		{"800", 80000, true},
		{"-12.5", -1250, true},
		{"", 0, false},
		{"无", 0, false},
		{"-", 0, false},
		{"1e400", 0, false},
		{"NaN", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseAmount(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if s := Amount(523450).String(); s != "5234.50" {
		t.Errorf("String = %q", s)
	}
	if s := Amount(-5).String(); s != "-0.05" {
		t.Errorf("String = %q", s)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		year int
		want string
	}{
		{"2026-11-05", 0, "2026-11-05"},
		{"2026/11/5", 0, "2026-11-05"},
		{"2026.11.5", 0, "2026-11-05"},
		{"2026年11月5日", 0, "2026-11-05"},
		{"20261105", 0, "2026-11-05"},
		{"11月5日", 2026, "2026-11-05"},
		{"46331", 0, "2026-11-05"},
		{"2026-11-05 10:30:00", 0, "2026-11-05"},
		{"２０２６－１１－０５", 0, "2026-11-05"},
		{"11月5日", 0, ""},
		{"2026-02-30", 0, ""},
		{"明天", 0, ""},
		{"", 0, ""},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in, tc.year)
		s := ""
		if ok {
			s = got.Format("2006-01-02")
		}
		if s != tc.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tc.in, s, tc.want)
		}
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{"张 三": "张三", " 李四\u00a0": "李四", "阿依古丽•买买提": "阿依古丽·买买提", "王\u3000五": "王五"} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFrom1904(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"42735", "44197"}, // 2021-01-01 saved by Excel for Mac
		{"10.632060185185185", "1472.632060185185"},
		{"2026-11-05", "2026-11-05"},
		{"", ""},
		{"张三", "张三"},
	} {
		if got := From1904(tc.in); got != tc.want {
			t.Errorf("From1904(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	d, ok := ParseDate(From1904("42735"), 0)
	if !ok || d.Format("2006-01-02") != "2021-01-01" {
		t.Errorf("1904 serial 42735 reads as %v", d)
	}
}

// TestTrimSpaceIsStringsTrimSpace: the quick trim gives what
// strings.TrimSpace gives, on cells with and without white space of every
// kind at either end.
func TestTrimSpaceIsStringsTrimSpace(t *testing.T) {
	spaces := []string{"", " ", "\t", "\r\n", "\v", "\f", "\u00a0", "\u3000", "\u2003", "\u0085", "\u1680", "\u2028", "\u202f", "\u205f", "\u200b", "\ufeff"}
	bodies := []string{"", "张三", "5304", "a b", "医保 局", "\xff", "x\u3000", "\xe3\x80", "\x80\x80\x80\x80", "¢", "€", "𠀀"}
	for _, l := range spaces {
		for _, b := range bodies {
			for _, r := range spaces {
				s := l + b + r
				if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
					t.Errorf("trimSpace(%q) = %q, strings.TrimSpace %q", s, got, want)
				}
			}
		}
	}
	// every character's first byte: only the white space ones may begin white space
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) && !mayBeSpace(string(r)[0]) {
			t.Fatalf("%U is white space but its first byte %#x is passed over", r, string(r)[0])
		}
	}
}
