package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func sortStrings(s []string) { sort.Strings(s) }

// reviewTab is the review queue: each row whose ID cannot be used, side by
// side with its ranked candidates. Keyboard: ↑/↓ choose a candidate, Enter
// confirms it, Delete says it is none of them, → goes to the next row.
func (s *cluesScreen) reviewTab() fyne.CanvasObject {
	s.revList = widget.NewList(func() int { return len(s.review) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.review) {
				return
			}
			it := s.review[i]
			mark := "　"
			switch s.done[it.Ref] {
			case "confirm":
				mark = "✓"
			case "reject":
				mark = "✗"
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s %s %s·%s 第%d行", mark, it.Name, it.Dept, it.List, it.Ref.Line))
		})
	s.revList.OnSelected = func(i widget.ListItemID) { s.showReview(i) }
	s.revRow = widget.NewLabel("")
	s.revRow.Wrapping = fyne.TextWrapWord
	s.cands = widget.NewList(func() int { return s.candCount() },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if s.revItem >= len(s.review) || i >= len(s.review[s.revItem].Candidates) {
				return
			}
			c := s.review[s.revItem].Candidates[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%d. %s  %s  %s%s  户 %s　（%s）", i+1, c.Name, c.ID, c.Township, c.Village, c.House, strings.Join(c.Reasons, "，")))
		})
	s.cands.OnSelected = func(i widget.ListItemID) { s.revCand = i }
	confirm := widget.NewButton("是此人（Enter）", s.confirmCandidate)
	confirm.Importance = widget.HighImportance
	reject := widget.NewButton("都不是（Delete）", s.rejectAll)
	next := widget.NewButton("下一条（→）", func() { s.showReview(s.revItem + 1) })
	s.revState = widget.NewLabel("确认或否决的结果在下次“开始比对”时生效。")
	right := container.NewBorder(container.NewVBox(widget.NewLabelWithStyle("部门报送的原始数据", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.revRow,
		widget.NewLabelWithStyle("名册中的候选人（按可能性排序）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		container.NewVBox(container.NewHBox(confirm, reject, next), s.revState), nil, nil, s.cands)
	split := container.NewHSplit(s.revList, right)
	split.Offset = 0.3
	return split
}

func (s *cluesScreen) candCount() int {
	if s.revItem >= len(s.review) {
		return 0
	}
	return len(s.review[s.revItem].Candidates)
}

func (s *cluesScreen) showReview(i int) {
	if i < 0 || i >= len(s.review) {
		if len(s.review) == 0 {
			s.revRow.SetText("没有待复核的行。")
		}
		s.cands.Refresh()
		return
	}
	s.revItem, s.revCand = i, 0
	it := s.review[i]
	var b strings.Builder
	fmt.Fprintf(&b, "%s·%s　%s 第%d行\n问题：%s\n", it.Dept, it.List, it.File, it.Ref.Line, it.Problem)
	for ci, h := range it.Header {
		if ci < len(it.Cells) && it.Cells[ci] != "" {
			fmt.Fprintf(&b, "%s：%s　", h, it.Cells[ci])
		}
	}
	if len(it.Candidates) == 0 {
		b.WriteString("\n\n名册中没有找到可能的人员：此人可能不在名册中，请退回部门核实身份证号。")
	}
	switch s.done[it.Ref] {
	case "confirm":
		b.WriteString("\n\n（已确认）")
	case "reject":
		b.WriteString("\n\n（已否决全部候选人）")
	}
	s.revRow.SetText(b.String())
	s.cands.Refresh()
	s.cands.UnselectAll()
	if len(it.Candidates) > 0 {
		s.cands.Select(0)
	}
	s.revList.Select(i)
}

func (s *cluesScreen) confirmCandidate() {
	if s.revItem >= len(s.review) {
		return
	}
	it := s.review[s.revItem]
	if s.revCand >= len(it.Candidates) {
		return
	}
	c := it.Candidates[s.revCand]
	if err := s.m.app.Confirm(it.Ref, c.ID); err != nil {
		s.m.showError(err)
		return
	}
	s.done[it.Ref] = "confirm"
	s.revState.SetText(fmt.Sprintf("已确认 %s 第%d行 为 %s（%s），下次比对时计入该户线索。", it.List, it.Ref.Line, c.Name, c.ID))
	s.revList.Refresh()
	s.showReview(s.revItem + 1)
}

func (s *cluesScreen) rejectAll() {
	if s.revItem >= len(s.review) {
		return
	}
	it := s.review[s.revItem]
	var ids []string
	for _, c := range it.Candidates {
		ids = append(ids, c.ID)
	}
	if err := s.m.app.Reject(it.Ref, ids); err != nil {
		s.m.showError(err)
		return
	}
	s.done[it.Ref] = "reject"
	s.revState.SetText(fmt.Sprintf("已否决 %s 第%d行 的全部候选人，该行将列入退回部门核实。", it.List, it.Ref.Line))
	s.revList.Refresh()
	s.showReview(s.revItem + 1)
}

// keys routes the keyboard to the review queue while its tab is open.
func (s *cluesScreen) keys(on bool) {
	if !on {
		s.m.setPageKeys(nil)
		return
	}
	s.m.setPageKeys(s.typedKey)
}

func (s *cluesScreen) typedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.confirmCandidate()
	case fyne.KeyDelete, fyne.KeyBackspace:
		s.rejectAll()
	case fyne.KeyDown:
		if s.revCand+1 < s.candCount() {
			s.cands.Select(s.revCand + 1)
		}
	case fyne.KeyUp:
		if s.revCand > 0 {
			s.cands.Select(s.revCand - 1)
		}
	case fyne.KeyRight, fyne.KeyPageDown:
		s.showReview(s.revItem + 1)
	case fyne.KeyLeft, fyne.KeyPageUp:
		s.showReview(s.revItem - 1)
	}
}
