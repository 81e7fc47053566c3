package pdf

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bidui/assets"
	"bidui/engine"

	"github.com/jung-kurt/gofpdf"
)

func TestRunsSplitLatinFromChinese(t *testing.T) {
	got := strings.Join(runs("第 1 页 共 12 页ABC"), "|")
	if got != "第| 1 |页| |共| 12 |页|ABC" { // a space is Latin
		t.Errorf("runs = %q", got)
	}
	if len(runs("")) != 0 {
		t.Error("runs of nothing")
	}
}

func TestCleanReplacesWhatNoFontHas(t *testing.T) {
	g, err := fontGlyphs(assets.Font)
	if err != nil {
		t.Fatal(err)
	}
	rep := map[string]bool{}
	got := g.clean("阿依古丽·买买提 𠮷 A1 “说明”", rep)
	if got != "阿依古丽・买买提 〓 A1 「说明」" {
		t.Errorf("clean = %q", got)
	}
	if !rep["𠮷"] || len(rep) != 1 {
		t.Errorf("replaced = %v, want only 𠮷 (the others have look-alikes)", rep)
	}
	// a rule's ≥, which the font lacks, is printed in words
	rep = map[string]bool{}
	if got := g.clean("个人自付金额 5,234.50 元 ≥ 5,000.00 元（名册内）", rep); got != "个人自付金额 5,234.50 元 不低于 5,000.00 元（名册内）" || len(rep) != 0 {
		t.Errorf("clean = %q, replaced %v", got, rep)
	}
}

func TestWrapKeepsEveryCharacterWithinWidth(t *testing.T) {
	doc := newDoc(assets.Font)
	doc.AddPage()
	p := &printer{doc: doc, size: fontSize}
	text := strings.Repeat("户主长期患病卧床，医疗费用 12,345.67 元；", 8)
	lines := p.wrap(text, 40)
	if strings.Join(lines, "") != text {
		t.Fatal("wrapping lost or added characters")
	}
	for _, l := range lines {
		if w := p.width(l); w > 40.01 {
			t.Errorf("line %q is %.1f mm wide, more than 40", l, w)
		}
	}
	if len(lines) < 5 {
		t.Errorf("only %d lines", len(lines))
	}
}

func TestWriteManyPagesRepeatsHeaderAndCountsPages(t *testing.T) {
	var rows []engine.SheetRow
	for i := 0; i < 120; i++ {
		rows = append(rows, engine.SheetRow{Clue: engine.ClueID("2026-11", i+1), Village: []string{"大村", "小河村"}[i%2], Head: "张三",
			Persons: []string{"张三"}, IDs: []string{"530428199001011231"}, Types: "因病", Sources: "医保局·住院自付", Summary: "住院自付 12,345.67 元"})
	}
	path := filepath.Join(t.TempDir(), "s.pdf")
	res, err := Write(path, assets.Font, []Sheet{{Title: "测试交办单", Township: "城关镇", Number: "青防交〔2026〕11-01号", Rows: rows, Mask: true},
		{Title: "测试交办单", Township: "龙泉镇", Number: "青防交〔2026〕11-02号", Rows: rows[:3]}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 2 || res.Pages[0] < 5 || res.Pages[1] != 1 {
		t.Errorf("pages per sheet = %v", res.Pages)
	}
}

func TestBreakUnitsKeepNumbersWholeAndPunctuationOffLineStarts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"自付21,707.41元", []string{"自", "付", "21,707.41", "元"}},
		{"不纳入，原因。", []string{"不", "纳", "入，", "原", "因。"}},
		{"见（附件）", []string{"见", "（附", "件）"}},
		{"期限2026-12-28", []string{"期", "限", "2026-12-28"}},
		{"530428********123X", []string{"530428********123X"}},
		{"张三,李四", []string{"张", "三,", "李", "四"}},
	} {
		if got := breakUnits(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("breakUnits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWrapNeverSplitsANumberNorStartsALineWithPunctuation: however narrow
// the cell, 21,707.41 and an ID stay on one line, and no line begins with
// a comma or a full stop.
func TestWrapNeverSplitsANumberNorStartsALineWithPunctuation(t *testing.T) {
	doc := gofpdf.New("L", "mm", "A4", "")
	doc.AddUTF8FontFromBytes("cjk", "", assets.Font)
	p := &printer{doc: doc, size: 9}
	p.setSize(9)
	text := "住院自付 个人自付金额 21,707.41 元，身份证号 530428199001011231，期限 2026-12-28。"
	for _, width := range []float64{12, 18, 25, 33, 40, 60} {
		lines := p.wrap(text, width)
		joined := strings.Join(lines, "")
		if joined != text {
			t.Fatalf("width %v: text changed: %q", width, joined)
		}
		for _, l := range lines {
			if r := []rune(l); len(r) > 0 && strings.ContainsRune("，。,.", r[0]) {
				t.Errorf("width %v: a line starts with punctuation: %q", width, l)
			}
		}
		for _, whole := range []string{"21,707.41", "530428199001011231", "2026-12-28"} {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l, whole)
			}
			if !found && p.width(whole) <= width {
				t.Errorf("width %v: %s was split: %q", width, whole, lines)
			}
		}
	}
}
