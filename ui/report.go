package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
	"bidui/engine"
)

// reportScreen is 统计报表: the month's figures by township (the same value
// the exported files are made from), the overdue clues, and the exports:
// 月报表, 双月调度通报, department result lists, spot checks.
type reportScreen struct {
	m      *mainWindow
	rep    *app.Report
	period *widget.Select
	table  *dataTable
	sum    *widget.Label
	dept   *widget.Select
	per    *widget.Entry
	seed   *widget.Entry
	status *widget.Label
	box    fyne.CanvasObject
	opened bool
}

var reportColumns = []column{{"乡镇", 90}, {"风险线索", 70}, {"已交办", 60}, {"已反馈", 60}, {"反馈率", 70}, {"纳入监测", 70},
	{"不纳入", 60}, {"已是监测对象", 90}, {"信息有误", 70}, {"其他", 50}, {"逾期未反馈", 80}}

func newReportScreen(m *mainWindow) *reportScreen {
	s := &reportScreen{m: m}
	s.period = newSelect(recentPeriods(m.app.Now()), func(string) { s.refresh() })
	s.table = newDataTable(reportColumns, func() int {
		if s.rep == nil {
			return 0
		}
		return len(s.rep.Towns) + 1
	}, func(row, col int, l *widget.Label) {
		t := s.rep.Total
		if row < len(s.rep.Towns) {
			t = s.rep.Towns[row]
		}
		vals := []string{t.Name, itoa(t.Clues), itoa(t.Assigned), itoa(t.Reported), fmt.Sprintf("%.1f%%", t.FeedbackRate()), itoa(t.Included),
			itoa(t.NotIncluded), itoa(t.Already), itoa(t.WrongInfo), itoa(t.Other), itoa(t.Overdue)}
		l.SetText(vals[col])
		if col == 10 && t.Overdue > 0 {
			l.Importance = widget.DangerImportance
		}
	})
	s.sum = widget.NewLabel("")
	s.sum.Wrapping = fyne.TextWrapWord
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	var depts []string
	for _, d := range m.app.Catalog.Departments {
		depts = append(depts, d.Name)
	}
	s.dept = newSelect(depts, nil)
	s.dept.PlaceHolder = "部门"
	s.per = widget.NewEntry()
	s.per.SetText("2")
	s.seed = widget.NewEntry()
	s.seed.SetPlaceHolder("随机种子（可不填）")
	monthly := widget.NewButton("导出月报表（Excel）…", func() {
		p := s.period.Selected
		m.saveXLSX("月报表_"+p+".xlsx", func(path string) error { return m.app.ExportReport(p, path) },
			func(path string) { s.status.SetText("已导出：" + path) })
	})
	bulletin := widget.NewButton("导出双月调度通报（PDF）…", func() {
		p := s.period.Selected
		m.savePDF("双月调度通报_"+p+".pdf", func(path string) error { return m.app.ExportBulletin(p, path) },
			func(path string) { s.status.SetText("已导出：" + path) })
	})
	results := widget.NewButton("导出部门结果清单…", func() {
		if s.dept.Selected == "" {
			m.showError(fmt.Errorf("请先选择部门"))
			return
		}
		p, d := s.period.Selected, s.dept.Selected
		m.saveXLSX(fmt.Sprintf("%s_%s_比对与核查结果.xlsx", d, p), func(path string) error {
			_, err := m.app.DeptResults(p, d, path, true)
			return err
		}, func(path string) { s.status.SetText("已导出（身份证号已隐藏中间位）：" + path) })
	})
	spot := widget.NewButton("双随机抽查…", s.onSpotCheck)
	yields := widget.NewButton("各清单成效…", func() { s.showYields() })
	view := widget.NewButton("导出当前视图…", func() {
		m.exportView("按乡镇_当前视图_"+s.period.Selected+".xlsx", "按乡镇统计（"+s.period.Selected+"）", s.table, s.status.SetText)
	})
	s.box = container.NewBorder(
		container.NewVBox(container.NewHBox(widget.NewLabel("批次"), container.NewGridWrap(fyne.NewSize(120, 36), s.period), monthly, bulletin, yields, view),
			container.NewHBox(container.NewGridWrap(fyne.NewSize(140, 36), s.dept), results, widget.NewSeparator(),
				widget.NewLabel("每乡镇抽"), container.NewGridWrap(fyne.NewSize(50, 36), s.per), container.NewGridWrap(fyne.NewSize(150, 36), s.seed), spot),
			s.status),
		s.sum, nil, nil, s.table)
	s.period.SetSelected(recentPeriods(m.app.Now())[0])
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func (s *reportScreen) content() fyne.CanvasObject { return s.box }

// shown refreshes the figures. The first time, it opens on the newest
// compared month, so early in a month it shows the one under way.
func (s *reportScreen) shown() {
	if !s.opened {
		s.opened = true
		periods := recentPeriods(s.m.app.Now())
		if p := s.m.app.LatestComparedPeriod(periods); p != "" && p != s.period.Selected {
			s.period.SetSelected(p) // refreshes
			return
		}
	}
	s.refresh()
}

func (s *reportScreen) refresh() {
	rep, err := s.m.app.Report(s.period.Selected)
	if err != nil {
		s.m.showError(err)
		return
	}
	s.rep = rep
	var b strings.Builder
	fmt.Fprintf(&b, "截至 %s：风险线索 %d 条，已交办 %d，已反馈 %d（反馈率 %.1f%%），已办结 %d（办结率 %.1f%%），纳入监测 %d 户，逾期未反馈 %d 条。",
		rep.Today, rep.Total.Clues, rep.Total.Assigned, rep.Total.Reported, rep.Total.FeedbackRate(), rep.Total.Closed, rep.Total.ClosedRate(), rep.Total.Included, rep.Total.Overdue)
	b.WriteString("\n" + app.RateDefinitions)
	if len(rep.Overdue) > 0 {
		b.WriteString("\n逾期：")
		for i, o := range rep.Overdue {
			if i == 20 {
				fmt.Fprintf(&b, "……共 %d 条", len(rep.Overdue))
				break
			}
			fmt.Fprintf(&b, "%s（%s %s，逾期 %d 个工作日）　", o.ID, o.Township, o.Head, o.Days)
		}
	}
	s.sum.SetText(b.String())
	s.table.Refresh()
}

func (s *reportScreen) onSpotCheck() {
	per, err := strconv.Atoi(strings.TrimSpace(s.per.Text))
	if err != nil || per < 1 {
		s.m.showError(fmt.Errorf("每乡镇抽取条数应为正整数"))
		return
	}
	var seed uint64
	if t := strings.TrimSpace(s.seed.Text); t != "" {
		if seed, err = strconv.ParseUint(t, 10, 64); err != nil {
			s.m.showError(fmt.Errorf("随机种子应为数字"))
			return
		}
	} else {
		seed = uint64(s.m.app.Now().UnixNano() % 1000000)
	}
	sc, err := s.m.app.DrawSpotCheck(s.period.Selected, per, seed)
	if err != nil {
		s.m.showError(err)
		return
	}
	s.seed.SetText(strconv.FormatUint(seed, 10))
	s.m.saveXLSX(fmt.Sprintf("双随机抽查_%s_种子%d.xlsx", s.period.Selected, seed), func(path string) error { return s.m.app.ExportSpotCheck(sc, path) },
		func(path string) {
			s.status.SetText(fmt.Sprintf("已抽取 %d 条（随机种子 %d，用同一种子可重现），名单：%s", len(sc.Picks), seed, path))
		})
}

// showYields opens what each department list brought over the year to the
// period: clues raised, verified, 纳入监测 and the conversion rate, with the
// rate's definition — which lists find real cases and which only add work.
// A year of clues is read off the UI thread.
func (s *reportScreen) showYields() {
	p := s.period.Selected
	s.status.SetText("正在统计各清单成效…")
	runAsync(func() {
		ys, err := s.m.app.ListYields(p, app.YieldMonths)
		fyne.Do(func() {
			s.status.SetText("")
			if err != nil {
				s.m.showError(err)
				return
			}
			s.yieldsWindow(p, ys)
		})
	})
}

func (s *reportScreen) yieldsWindow(period string, ys []engine.ListYield) *dataTable {
	w := s.m.fyneApp.NewWindow(fmt.Sprintf("各部门清单成效（近%d个月，截至%s）", app.YieldMonths, period))
	t := newDataTable([]column{{"部门", 110}, {"清单", 110}, {"形成线索", 80}, {"已交办", 70}, {"已核查", 70}, {"纳入监测", 80}, {"转化率", 80}},
		func() int { return len(ys) }, func(row, col int, l *widget.Label) {
			y := ys[row]
			l.SetText([]string{y.Dept, y.List, itoa(y.Raised), itoa(y.Assigned), itoa(y.Verified), itoa(y.Included), fmt.Sprintf("%.1f%%", y.Rate)}[col])
		})
	def := widget.NewLabel(engine.YieldDefinition)
	def.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewBorder(def, nil, nil, nil, t))
	w.Resize(fyne.NewSize(760, 520))
	w.Show()
	return t
}
