package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bidui/engine"
)

// followUpsTab lists the period's follow-ups (续报): the people a list sent
// again after their clue was assigned. They raised no clue; the officer can
// still turn one into a clue, to have it checked again.
type followUpsTab struct {
	s      *cluesScreen
	period string
	items  []engine.FollowUp
	table  *dataTable
	detail *widget.Label
	raise  *widget.Button
	cur    int
}

var followUpColumns = []column{{"乡镇", 80}, {"村", 90}, {"姓名", 70}, {"部门·清单", 130}, {"金额（元）", 100}, {"本次报送", 300}, {"上次线索", 110}, {"处理", 130}}

func (s *cluesScreen) followUpsTab() fyne.CanvasObject {
	f := &followUpsTab{s: s, cur: -1}
	s.follow = f
	f.table = newDataTable(followUpColumns, func() int { return len(f.items) }, f.cell)
	f.table.OnSelected = func(id widget.TableCellID) { f.show(f.table.Data(id.Row)) }
	f.detail = widget.NewLabel("续报：同一清单在回看期内已预警过、且线索已交办的人，这个月又报送了。续报不再生成线索，记入一户一档。" +
		"金额又增加达到标准、或救助类型等级别变化的，已作为“再次预警”生成线索。\n点一条续报查看；确需再核查的，可转为线索交办。")
	f.detail.Wrapping = fyne.TextWrapWord
	f.raise = widget.NewButton("转为线索（再次交办核查）", f.onRaise)
	f.raise.Disable()
	split := container.NewHSplit(f.table, container.NewBorder(container.NewHBox(f.raise, widget.NewButton("导出当前视图…", func() {
		s.m.exportView("续报_"+f.period+".xlsx", "续报（"+f.period+"）", f.table, f.detail.SetText)
	})), nil, nil, nil, container.NewVScroll(f.detail)))
	split.Offset = 0.7
	return split
}

func (f *followUpsTab) cell(row, col int, l *widget.Label) {
	x := &f.items[row]
	switch col {
	case 0:
		l.SetText(x.Township)
	case 1:
		l.SetText(x.Village)
	case 2:
		l.SetText(x.Risk.Name)
	case 3:
		l.SetText(x.Risk.Dept + "·" + x.Risk.List)
	case 4:
		if x.Risk.Amount != 0 {
			l.SetText(engine.YuanText(x.Risk.Amount))
		} else {
			l.SetText("")
		}
	case 5:
		l.SetText(x.Risk.Detail)
	case 6:
		l.SetText(x.Of)
	case 7:
		if x.Raised != "" {
			l.SetText("已转为线索 " + x.Raised)
		} else {
			l.SetText("续报，未生成线索")
		}
	}
}

// load reads the period's follow-ups off the UI thread.
func (f *followUpsTab) load(period string) {
	f.period = period
	runAsync(func() {
		items, err := f.s.m.app.FollowUps(period)
		fyne.Do(func() {
			if f.period != period {
				return
			}
			if err != nil {
				f.s.m.showError(err)
				return
			}
			f.items, f.cur = items, -1
			f.raise.Disable()
			f.table.UnselectAll()
			f.table.Refresh()
		})
	})
}

func (f *followUpsTab) show(row int) {
	if row < 0 || row >= len(f.items) {
		return
	}
	f.cur = row
	x := &f.items[row]
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s（%s）\n%s·%s：%s\n", x.Township, x.Village, x.Risk.Name, x.Risk.Person, x.Risk.Dept, x.Risk.List, x.Risk.Detail)
	if x.Risk.Rule != "" {
		fmt.Fprintf(&b, "预警依据：%s\n", x.Risk.Rule)
	}
	fmt.Fprintf(&b, "上次由本清单预警的线索 %s 已交办，本次只作为续报记录。\n", x.Of)
	if x.Raised != "" {
		fmt.Fprintf(&b, "已转为线索 %s。\n", x.Raised)
	}
	f.detail.SetText(b.String())
	if x.Raised == "" {
		f.raise.Enable()
	} else {
		f.raise.Disable()
	}
}

func (f *followUpsTab) onRaise() {
	if f.cur < 0 || f.cur >= len(f.items) {
		return
	}
	x := f.items[f.cur]
	msg := fmt.Sprintf("把 %s 的这条续报（%s·%s）转为 %s 批次的线索吗？\n转为线索后随本批次交办，由乡镇再次核查。", x.Risk.Name, x.Risk.Dept, x.Risk.List, f.period)
	d := dialog.NewConfirm("转为线索", msg, func(ok bool) {
		if !ok {
			return
		}
		c, err := f.s.m.app.RaiseFollowUp(f.period, x.ID())
		if err != nil {
			f.s.m.showError(err)
			return
		}
		f.detail.SetText(fmt.Sprintf("已转为线索 %s（待交办）。", c.ID))
		f.s.refresh()
	}, f.s.m.win)
	d.SetConfirmText("转为线索")
	d.SetDismissText("取消")
	f.s.m.showDialog(d, d.Confirm)
}

// followUpLine says how the comparison's risks came out against earlier
// months: new clues, follow-ups, raised again.
func followUpLine(c engine.MatchCounts) string {
	return fmt.Sprintf("续报 %d 条（已交办过的同一人再次报送，未再生成线索，见“续报”页）；再次预警 %d 条（金额又增加达到标准，或类别、等级变化）；这次比对新增线索 %d 条",
		c.FollowUps, c.RaisedAgain, c.NewClues)
}
