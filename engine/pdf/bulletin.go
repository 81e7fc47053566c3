package pdf

import (
	"fmt"

	"github.com/jung-kurt/gofpdf"
)

// Bulletin is the bimonthly dispatch bulletin (双月调度通报).
type Bulletin struct {
	Title   string
	Date    string
	Summary []string // paragraphs
	Towns   []TownBar
	Months  []string // the two periods, for the departments' table
	Depts   []DeptLine
	// Yields is what each department list brought, with YieldNote saying
	// over which months and how the rate is defined
	Yields    []YieldLine
	YieldNote string
}

// YieldLine is one department list's clues and what they came to.
type YieldLine struct {
	Name                       string
	Raised, Verified, Included int
	Rate                       float64
}

// TownBar is one township's completion.
type TownBar struct {
	Name                        string
	Assigned, Reported, Overdue int
	Rate                        float64 // percent
}

// DeptLine is one department list's submission in each month.
type DeptLine struct {
	Name   string
	Status []string
}

// WriteBulletin prints the bulletin (A4 portrait): the summary, a table and
// a bar chart of completion per township, the departments' timeliness.
func WriteBulletin(path string, font []byte, b Bulletin) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("生成调度通报时出错（%v）", r)
		}
	}()
	g, err := fontGlyphs(font)
	if err != nil {
		return err
	}
	doc := gofpdf.New("P", "mm", "A4", "")
	doc.SetMargins(bm, bm, bm)
	doc.SetAutoPageBreak(false, bm)
	doc.AddUTF8FontFromBytes("cjk", "", font)
	w := &bulletinWriter{doc: doc, p: &printer{doc: doc, size: 11}, g: g, replaced: map[string]bool{}}
	w.newPage()
	w.summary(b)
	w.section("一、各乡镇预警线索核查办理情况", 14)
	w.townTable(b.Towns)
	w.section("二、各乡镇反馈率", float64(len(b.Towns))*(barH+2)+4)
	w.chart(b.Towns)
	w.section("三、行业部门数据报送情况", 14)
	w.deptTable(b)
	if len(b.Yields) > 0 {
		w.section("四、各部门清单成效", 21)
		w.yieldTable(b)
	}
	if err := doc.Error(); err != nil {
		return fmt.Errorf("生成调度通报时出错：%w", err)
	}
	return save(doc, path)
}

// The bulletin's page (A4 portrait, mm) and bar chart.
const (
	bpw, bph, bm          = 210.0, 297.0, 18.0
	barH, barLabelW       = 6.0, 30.0
	barChartW             = bpw - 2*bm - barLabelW - 18
	bulletinFirstColWidth = 60.0
)

// bulletinWriter lays the bulletin out top to bottom, page by page.
type bulletinWriter struct {
	doc      *gofpdf.Fpdf
	p        *printer
	g        *glyphs
	replaced map[string]bool
	pageNo   int
	cols     []float64 // the widths of the current table's columns
}

// c replaces the characters the font lacks.
func (w *bulletinWriter) c(s string) string { return w.g.clean(s, w.replaced) }

func (w *bulletinWriter) newPage() {
	w.doc.AddPage()
	w.pageNo++
	w.doc.SetXY(bm, bph-12)
	w.p.setSize(8)
	w.p.text(bm, bph-12, bpw-2*bm, 5, fmt.Sprintf("第 %d 页", w.pageNo), "C")
	w.doc.SetXY(bm, bm)
}

// ensure starts a new page unless h mm are left on this one.
func (w *bulletinWriter) ensure(h float64) {
	if w.doc.GetY()+h > bph-bm-6 {
		w.newPage()
	}
}

// summary writes the title, the date and the paragraphs.
func (w *bulletinWriter) summary(b Bulletin) {
	doc, p := w.doc, w.p
	p.setSize(17)
	p.text(bm, doc.GetY(), bpw-2*bm, 10, w.c(b.Title), "C")
	doc.SetXY(bm, doc.GetY()+12)
	p.setSize(10)
	p.text(bm, doc.GetY(), bpw-2*bm, 6, w.c(b.Date), "C")
	doc.SetXY(bm, doc.GetY()+10)
	p.setSize(11)
	for _, para := range b.Summary {
		for _, line := range p.wrap("　　"+w.c(para), bpw-2*bm) {
			w.ensure(7)
			p.text(bm, doc.GetY(), bpw-2*bm, 6.5, line, "L")
			doc.SetXY(bm, doc.GetY()+6.5)
		}
		doc.SetXY(bm, doc.GetY()+2)
	}
}

// section writes a heading, kept with need mm of what follows it: a
// heading never stands alone at the foot of a page.
func (w *bulletinWriter) section(title string, need float64) {
	w.ensure(16 + need)
	w.doc.SetXY(bm, w.doc.GetY()+4)
	w.p.setSize(13)
	w.p.text(bm, w.doc.GetY(), bpw-2*bm, 8, title, "L")
	w.doc.SetXY(bm, w.doc.GetY()+9)
	w.p.setSize(10)
}

// row writes one table row in the current columns; fill marks a header.
func (w *bulletinWriter) row(cells []string, fill bool) {
	w.ensure(7)
	x, y := bm, w.doc.GetY()
	for i, cw := range w.cols {
		if fill {
			w.doc.SetFillColor(221, 235, 247)
			w.doc.Rect(x, y, cw, 7, "FD")
		} else {
			w.doc.Rect(x, y, cw, 7, "D")
		}
		w.p.text(x, y, cw, 7, cells[i], "C")
		x += cw
	}
	w.doc.SetXY(bm, y+7)
}

func (w *bulletinWriter) townTable(towns []TownBar) {
	w.cols = []float64{40, 30, 30, 30, 44}
	w.row([]string{"乡镇", "交办（条）", "已反馈（条）", "逾期未反馈", "反馈率"}, true)
	for _, t := range towns {
		w.row([]string{w.c(t.Name), fmt.Sprint(t.Assigned), fmt.Sprint(t.Reported), fmt.Sprint(t.Overdue), fmt.Sprintf("%.1f%%", t.Rate)}, false)
	}
}

// chart draws completion per township as bars: green from 90%, orange from 60%.
func (w *bulletinWriter) chart(towns []TownBar) {
	doc, p := w.doc, w.p
	top := doc.GetY()
	for i, t := range towns {
		y := top + float64(i)*(barH+2)
		p.text(bm, y, barLabelW-2, barH, w.c(t.Name), "R")
		doc.SetFillColor(235, 235, 235)
		doc.Rect(bm+barLabelW, y, barChartW, barH, "F")
		switch {
		case t.Rate >= 90:
			doc.SetFillColor(46, 125, 50)
		case t.Rate >= 60:
			doc.SetFillColor(239, 108, 0)
		default:
			doc.SetFillColor(178, 34, 34)
		}
		doc.Rect(bm+barLabelW, y, barChartW*t.Rate/100, barH, "F")
		p.text(bm+barLabelW+barChartW+2, y, 16, barH, fmt.Sprintf("%.0f%%", t.Rate), "L")
	}
	doc.SetDrawColor(120, 120, 120)
	for _, v := range []float64{0, 50, 100} {
		x := bm + barLabelW + barChartW*v/100
		doc.Line(x, top-1, x, top+float64(len(towns))*(barH+2))
	}
	doc.SetDrawColor(0, 0, 0)
	doc.SetXY(bm, top+float64(len(towns))*(barH+2)+4)
}

// deptTable writes each department list's submission month by month.
func (w *bulletinWriter) deptTable(b Bulletin) {
	w.cols = []float64{bulletinFirstColWidth}
	for range b.Months {
		w.cols = append(w.cols, (bpw-2*bm-bulletinFirstColWidth)/float64(len(b.Months)))
	}
	w.row(append([]string{w.c("部门·清单")}, b.Months...), true)
	for _, d := range b.Depts {
		w.row(append([]string{w.c(d.Name)}, d.Status...), false)
	}
}

// yieldTable writes what each department list's clues came to.
func (w *bulletinWriter) yieldTable(b Bulletin) {
	w.p.setSize(9)
	for _, line := range w.p.wrap(w.c(b.YieldNote), bpw-2*bm) {
		w.ensure(6)
		w.p.text(bm, w.doc.GetY(), bpw-2*bm, 5, line, "L")
		w.doc.SetXY(bm, w.doc.GetY()+5)
	}
	w.doc.SetXY(bm, w.doc.GetY()+2)
	w.p.setSize(10)
	w.cols = []float64{bulletinFirstColWidth, 28, 28, 28, 30}
	w.row([]string{w.c("部门·清单"), "形成线索", "已核查", "纳入监测", "转化率"}, true)
	for _, y := range b.Yields {
		w.row([]string{w.c(y.Name), fmt.Sprint(y.Raised), fmt.Sprint(y.Verified), fmt.Sprint(y.Included), fmt.Sprintf("%.1f%%", y.Rate)}, false)
	}
}
