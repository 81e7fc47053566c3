package engine

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// sheetRows is a sheet held in memory, lines numbered from 1.
type sheetRows struct {
	rows [][]string
	i    int
}

func (s *sheetRows) Next() bool      { s.i++; return s.i <= len(s.rows) }
func (s *sheetRows) Cells() []string { return s.rows[s.i-1] }
func (s *sheetRows) Line() int       { return s.i }
func (s *sheetRows) Err() error      { return nil }

func amountList() *ListType { return &testCatalog().Departments[0].Lists[0] }

func TestReadListKeepsEveryRow(t *testing.T) {
	src := &sheetRows{rows: [][]string{
		{"2026年11月住院自付清单"},
		{"序号", "姓名", "身份证号", "个人自付金额"},
		{"1", "张三", idZhang, "6000"},
		{"2", "李四", idLi, "abc"},
		{"3", "张三", idZhang, "6000"},
		{"", "", "", ""},
		{"合计", "", "", "12000"},
	}}
	lr, err := ReadList(src, amountList(), "a.xlsx", "Sheet1", Mapping{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lr.RowCount() != 3 || lr.Valid != 1 || lr.Invalid != 2 || lr.Dups != 1 {
		t.Fatalf("rows %d valid %d invalid %d dups %d", lr.RowCount(), lr.Valid, lr.Invalid, lr.Dups)
	}
	if len(lr.Stats.Title) != 1 || lr.Sheet != "Sheet1" || lr.Header.Columns["amount"] != 3 {
		t.Fatalf("title %v sheet %s columns %v", lr.Stats.Title, lr.Sheet, lr.Header.Columns)
	}
	rec := lr.Record(NewImport{Period: "2026-11", Dept: "医保局", List: "住院自付", File: "a.xlsx", Hash: "h"}, testNow, "李", []string{"w"})
	if rec.Rows != rec.Valid+rec.Invalid || rec.Persons != 1 || len(rec.Issues) != 2 || rec.Sheet != "Sheet1" || rec.Operator != "李" {
		t.Fatalf("record %+v", rec)
	}
}

func TestReadListStopsWhenTickSaysSo(t *testing.T) {
	rows := [][]string{{"姓名", "身份证号", "个人自付金额"}}
	for i := 0; i < 12000; i++ {
		rows = append(rows, []string{"张三", idZhang, "1"})
	}
	var seen []int
	_, err := ReadList(&sheetRows{rows: rows}, amountList(), "a.xlsx", "S", Mapping{}, func(kept []DeptRow) error {
		n := len(kept)
		seen = append(seen, n)
		if kept[0].Line != 2 || kept[n-1].Line != n+1 {
			t.Errorf("tick %d handed lines %d…%d", n, kept[0].Line, kept[n-1].Line)
		}
		if n >= 10000 {
			return errors.New("cancelled")
		}
		return nil
	})
	if !errors.Is(err, ErrStopped) || !reflect.DeepEqual(seen, []int{5000, 10000}) {
		t.Fatalf("err %v, ticks %v", err, seen)
	}
}

func TestMappingAdjust(t *testing.T) {
	header := func() Header {
		return Header{Names: []string{"姓名", "身份证号", "金额", "自付"}, Columns: map[string]int{"name": 0, "id": 1, "amount": 2}}
	}
	tests := []struct {
		name string
		m    Mapping
		want map[string]int
	}{
		{"empty mapping changes nothing", Mapping{}, map[string]int{"name": 0, "id": 1, "amount": 2}},
		{"remembered by header text", Mapping{ByText: map[string]string{"amount": "自付"}}, map[string]int{"name": 0, "id": 1, "amount": 3}},
		{"confirmed by index takes the column from another field", Mapping{ByIndex: map[string]int{"amount": 0}}, map[string]int{"id": 1, "amount": 0}},
		{"-1 removes a field", Mapping{ByIndex: map[string]int{"amount": -1}}, map[string]int{"name": 0, "id": 1}},
		{"an index past the header is ignored", Mapping{ByIndex: map[string]int{"amount": 9}}, map[string]int{"name": 0, "id": 1, "amount": 2}},
	}
	for _, tc := range tests {
		h := header()
		if f := tc.m.Adjust(); f != nil {
			f(&h)
		}
		if !reflect.DeepEqual(h.Columns, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, h.Columns, tc.want)
		}
	}
	got := RememberMapping(Header{Names: []string{"姓 名", "身份证号"}, Columns: map[string]int{"name": 0, "id": 1, "x": 5}})
	if !reflect.DeepEqual(got, map[string]string{"name": NormalizeHeader("姓 名"), "id": "身份证号"}) {
		t.Errorf("remember: %v", got)
	}
}

func TestCheckImport(t *testing.T) {
	at := time.Date(2026, 11, 10, 9, 30, 0, 0, time.UTC)
	earlier := []ListImport{
		{Seq: 1, Period: "2026-11", Dept: "医保局", List: "住院自付", Hash: "aaa", At: at, SupersededBy: 2},
		{Seq: 2, Period: "2026-11", Dept: "医保局", List: "住院自付", Hash: "bbb", At: at},
		{Seq: 3, Period: "2026-10", Dept: "民政局", List: "新增救助", Hash: "ccc", At: at},
	}
	n := func(hash, file string, titles ...string) NewImport {
		ni := NewImport{Period: "2026-11", Dept: "医保局", List: "住院自付", File: file, Hash: hash}
		for _, t := range titles {
			ni.Titles = append(ni.Titles, []string{t})
		}
		return ni
	}
	tests := []struct {
		name      string
		n         NewImport
		confirm   []string // parts of each reason
		supersede []int
	}{
		{"a new file replaces the current version", n("new", "住院.xlsx"), nil, []int{2}},
		{"the same file again", n("bbb", "住院.xlsx"), []string{"已于 2026-11-10 09:30 导入过（第2次导入）"}, []int{2}},
		{"a superseded version again", n("aaa", "住院.xlsx"), []string{"第1次导入"}, []int{2}},
		{"another list's file", n("ccc", "住院.xlsx"), []string{"已作为 2026-10 批次 民政局·新增救助 导入过"}, []int{2}},
		{"the title names another month", n("new", "住院.xlsx", "2026年10月住院费用"), []string{"写的是 2026-10，与所选批次 2026-11 不一致"}, []int{2}},
		{"the file name names this month", n("new", "住院_2026年11月.xlsx"), nil, []int{2}},
	}
	for _, tc := range tests {
		c := CheckImport(earlier, tc.n)
		if len(c.Confirm) != len(tc.confirm) || !reflect.DeepEqual(c.Supersede, tc.supersede) {
			t.Fatalf("%s: %+v", tc.name, c)
		}
		for i, part := range tc.confirm {
			if !strings.Contains(c.Confirm[i], part) {
				t.Errorf("%s: %q lacks %q", tc.name, c.Confirm[i], part)
			}
		}
	}
	c := ImportCheck{Confirm: []string{"同一文件"}, Supersede: []int{2, 5}}
	if w := c.Warnings(false); len(w) != 1 || !strings.Contains(w[0], "第2、5次导入") {
		t.Errorf("warnings without force: %v", w)
	}
	if w := c.Warnings(true); len(w) != 2 || w[0] != "同一文件" {
		t.Errorf("warnings with force: %v", w)
	}
}

func TestWrongListNamesTheListTheHeaderFits(t *testing.T) {
	cat := testCatalog()
	base := errors.New("缺少列")
	h := Header{Names: []string{"姓名", "身份证号", "残疾等级"}}
	if err := cat.WrongList(base, h, "医保局", "住院自付"); !strings.Contains(err.Error(), "残联·新增残疾人") || !errors.Is(err, base) {
		t.Errorf("wrong department: %v", err)
	}
	if err := cat.WrongList(base, h, "残联", "新增残疾人"); err != base {
		t.Errorf("right department: %v", err)
	}
	if err := cat.WrongList(base, Header{}, "医保局", "住院自付"); err != base {
		t.Errorf("no header: %v", err)
	}
}

func TestFutureEventDatesAreFlagged(t *testing.T) {
	defer func(f func() time.Time) { Today = f }(Today)
	Today = func() time.Time { return time.Date(2026, 11, 23, 15, 0, 0, 0, time.Local) }
	change := Field{Key: "date", Label: "变动日期"}
	for _, tc := range []struct {
		f    Field
		v    string
		want bool
	}{
		{change, "2026-11-23", false}, // today
		{change, "2026-11-24", true},
		{change, "2027年3月1日", true},
		{change, "46350", true}, // an Excel serial: 2026-11-24
		{change, "2026-11-01", false},
		{change, "不详", false}, // not a date: not this check's business
		{Field{Key: "x", Label: "出院日期"}, "2026-12-01", true},
		{Field{Key: "x", Label: "医院"}, "2026-12-01", false},
	} {
		if got := futureDate(tc.f, tc.v) != ""; got != tc.want {
			t.Errorf("%s %q: flagged %v, want %v", tc.f.Label, tc.v, got, tc.want)
		}
	}
}

// TestRepeatedRowsAreFoundByContent: a row is a repeat of the first earlier
// row with the same cells — the 序号 and trailing empty cells aside — and of
// no other, also when every row's hash clashes with every other's.
func TestRepeatedRowsAreFoundByContent(t *testing.T) {
	rows := [][]string{
		{"序号", "姓名", "身份证号", "个人自付金额", "备注"},
		{"1", "张三", idZhang, "6000"},
		{"2", "李四", idLi, "700"},
		{"3", "张三", idZhang, "6000", ""},   // line 4: repeats 2
		{"4", "张三", idZhang, "6001"},       // 5: differs
		{"5", "李四", idLi, "700", " "},      // 6: repeats 3 (cells are trimmed)
		{"6", "张三", idZhang, "6001", "x"},  // 7: differs from 5 by a trailing cell
		{"7", "张三", idZhang, "60", "01"},   // 8: the same characters, other cells
		{"8", "张三", idZhang, "6001"},       // 9: repeats 5
		{"9", "张三", idZhang, "60", "01"},   // 10: repeats 8
		{"10", "张三", idZhang, "6001", "x"}, // 11: repeats 7
	}
	want := map[int]int{4: 2, 6: 3, 9: 5, 10: 8, 11: 7}
	for _, clash := range []bool{false, true} {
		everyRowHashesAlike = clash
		lr, err := ReadList(&sheetRows{rows: rows}, amountList(), "a.xlsx", "Sheet1", Mapping{}, nil)
		everyRowHashesAlike = false
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]int{}
		for _, r := range lr.Rows {
			if r.DupOf > 0 {
				got[r.Line] = r.DupOf
			}
		}
		if !reflect.DeepEqual(got, want) || lr.Dups != len(want) {
			t.Errorf("clashing hashes %v: repeats %v (dups %d), want %v", clash, got, lr.Dups, want)
		}
	}
}

// TestPersonsAreTheDistinctValidIDs: a list's person count is the number of
// different IDs among its valid rows, however often and in whatever form a
// person appears (a 15-digit number upgraded, an X check digit), and not the
// IDs of rows that are invalid or repeated.
func TestPersonsAreTheDistinctValidIDs(t *testing.T) {
	var withX string
	for i := 0; withX == ""; i++ {
		if id := idFor(fmt.Sprintf("52260119900101%03d", i)); id[17] == 'X' {
			withX = id
		}
	}
	old15 := "522601800101001"              // upgrades to idZhang's 18 digits with 19 added
	upgraded := idFor("52260119800101001")  // which is idZhang
	badAmount := idFor("52260119900303003") // only on an invalid row
	rows := [][]string{
		{"序号", "姓名", "身份证号", "个人自付金额"},
		{"1", "张三", idZhang, "6000"},
		{"2", "张三", idZhang, "100"},
		{"3", "张三", old15, "200"},
		{"4", "李四", idLi, "700"},
		{"5", "李四", idLi, "700"}, // a repeated row
		{"6", "王五", withX, "10"},
		{"7", "王五", strings.ToLower(withX), "11"},
		{"8", "赵六", badAmount, "abc"},
	}
	lr, err := ReadList(&sheetRows{rows: rows}, amountList(), "a.xlsx", "Sheet1", Mapping{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, r := range lr.Rows {
		if r.Valid() {
			want[ParseID(r.Cells[2]).Norm] = true
		}
	}
	if upgraded != idZhang || len(want) != 3 || want[badAmount] {
		t.Fatalf("the test's own rows: valid IDs %v", want)
	}
	for range 2 { // counting twice counts the same
		if got := lr.Persons(); got != len(want) {
			t.Fatalf("Persons() = %d, want %d (%v)", got, len(want), want)
		}
	}
}

// TestIDKeyIsOneToOne: two usable IDs have the same key only when they are
// the same ID, and nothing but an 18-character ID packs.
func TestIDKeyIsOneToOne(t *testing.T) {
	seen := map[uint64]string{}
	r := rand.New(rand.NewPCG(7, 13))
	ids := []string{idFor("00000000000000000"), idFor("99999999999999999"), "99999999999999999X", "000000000000000000"}
	for range 200000 {
		ids = append(ids, idFor(fmt.Sprintf("%017d", r.Uint64N(1e17))))
	}
	for _, id := range ids {
		k, ok := idKey(id)
		if !ok {
			t.Fatalf("idKey(%s) did not pack", id)
		}
		if other, dup := seen[k]; dup && other != id {
			t.Fatalf("%s and %s share key %d", id, other, k)
		}
		seen[k] = id
	}
	for _, s := range []string{"", "52260119800101001", "5226011980010100123", "52260119800101001x", "5226011980010100X1", "522601198001010 01"} {
		if _, ok := idKey(s); ok {
			t.Errorf("idKey(%q) packed", s)
		}
	}
}

// TestSortKeysSorts: the radix sort of ID keys sorts as slices.Sort does,
// for short and long runs, repeated keys, and keys using all 64 bits.
func TestSortKeysSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{0, 1, 100, 1 << 12, 50000} {
		for _, bits := range []uint{8, 61, 64} {
			a := make([]uint64, n)
			for i := range a {
				a[i] = r.Uint64() >> (64 - bits)
			}
			want := slices.Clone(a)
			slices.Sort(want)
			sortKeys(a)
			if !slices.Equal(a, want) {
				t.Fatalf("%d keys of %d bits sorted wrong", n, bits)
			}
		}
	}
}
