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
	replaced := map[string]bool{}
	c := func(s string) string { return g.clean(s, replaced) }
	doc := gofpdf.New("P", "mm", "A4", "")
	doc.SetMargins(18, 18, 18)
	doc.SetAutoPageBreak(false, 18)
	doc.AddUTF8FontFromBytes("cjk", "", font)
	p := &printer{doc: doc, size: 11}
	const pw, ph, m = 210.0, 297.0, 18.0
	pageNo := 0
	newPage := func() {
		doc.AddPage()
		pageNo++
		doc.SetXY(m, ph-12)
		p.setSize(8)
		p.text(m, ph-12, pw-2*m, 5, fmt.Sprintf("第 %d 页", pageNo), "C")
		doc.SetXY(m, m)
	}
	ensure := func(h float64) {
		if doc.GetY()+h > ph-m-6 {
			newPage()
		}
	}
	newPage()
	p.setSize(17)
	p.text(m, doc.GetY(), pw-2*m, 10, c(b.Title), "C")
	doc.SetXY(m, doc.GetY()+12)
	p.setSize(10)
	p.text(m, doc.GetY(), pw-2*m, 6, c(b.Date), "C")
	doc.SetXY(m, doc.GetY()+10)
	p.setSize(11)
	for _, para := range b.Summary {
		for _, line := range p.wrap("　　"+c(para), pw-2*m) {
			ensure(7)
			p.text(m, doc.GetY(), pw-2*m, 6.5, line, "L")
			doc.SetXY(m, doc.GetY()+6.5)
		}
		doc.SetXY(m, doc.GetY()+2)
	}
	// the townships' table
	section := func(title string, need float64) {
		ensure(16 + need) // a heading never stands alone at the foot of a page
		doc.SetXY(m, doc.GetY()+4)
		p.setSize(13)
		p.text(m, doc.GetY(), pw-2*m, 8, title, "L")
		doc.SetXY(m, doc.GetY()+9)
		p.setSize(10)
	}
	section("一、各乡镇预警线索核查办理情况", 14)
	cols := []float64{40, 30, 30, 30, 44}
	row := func(cells []string, fill bool) {
		ensure(7)
		x, y := m, doc.GetY()
		for i, w := range cols {
			if fill {
				doc.SetFillColor(221, 235, 247)
				doc.Rect(x, y, w, 7, "FD")
			} else {
				doc.Rect(x, y, w, 7, "D")
			}
			p.text(x, y, w, 7, cells[i], "C")
			x += w
		}
		doc.SetXY(m, y+7)
	}
	row([]string{"乡镇", "交办（条）", "已反馈（条）", "逾期未反馈", "办结率"}, true)
	for _, t := range b.Towns {
		row([]string{c(t.Name), fmt.Sprint(t.Assigned), fmt.Sprint(t.Reported), fmt.Sprint(t.Overdue), fmt.Sprintf("%.1f%%", t.Rate)}, false)
	}
	// the bar chart
	barH, labelW, chartW := 6.0, 30.0, pw-2*m-30-18
	section("二、各乡镇办结率", float64(len(b.Towns))*(barH+2)+4)
	top := doc.GetY()
	for i, t := range b.Towns {
		y := top + float64(i)*(barH+2)
		p.text(m, y, labelW-2, barH, c(t.Name), "R")
		doc.SetFillColor(235, 235, 235)
		doc.Rect(m+labelW, y, chartW, barH, "F")
		switch {
		case t.Rate >= 90:
			doc.SetFillColor(46, 125, 50)
		case t.Rate >= 60:
			doc.SetFillColor(239, 108, 0)
		default:
			doc.SetFillColor(178, 34, 34)
		}
		doc.Rect(m+labelW, y, chartW*t.Rate/100, barH, "F")
		p.text(m+labelW+chartW+2, y, 16, barH, fmt.Sprintf("%.0f%%", t.Rate), "L")
	}
	doc.SetDrawColor(120, 120, 120)
	for _, v := range []float64{0, 50, 100} {
		x := m + labelW + chartW*v/100
		doc.Line(x, top-1, x, top+float64(len(b.Towns))*(barH+2))
	}
	doc.SetDrawColor(0, 0, 0)
	doc.SetXY(m, top+float64(len(b.Towns))*(barH+2)+4)
	// the departments' timeliness
	section("三、行业部门数据报送情况", 14)
	cols = []float64{60}
	for range b.Months {
		cols = append(cols, (pw-2*m-60)/float64(len(b.Months)))
	}
	head := append([]string{c("部门·清单")}, b.Months...)
	row(head, true)
	for _, d := range b.Depts {
		row(append([]string{c(d.Name)}, d.Status...), false)
	}
	if err := doc.Error(); err != nil {
		return fmt.Errorf("生成调度通报时出错：%w", err)
	}
	return save(doc, path)
}
