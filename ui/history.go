package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// historyText is 一户一档 in words: the household, its members and every
// clue of every period with its evidence, assignment and outcome.
func (m *mainWindow) historyText(key string) (string, error) {
	h, err := m.app.History(key)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if hh := h.Household; hh != nil {
		fmt.Fprintf(&b, "户编号 %s　户主 %s　%s %s %s\n户类型：%s", hh.No, hh.Head, hh.Township, hh.Village, hh.Group, householdType(hh))
		if hh.MonitorType != "" {
			fmt.Fprintf(&b, "（%s，风险%s）", hh.MonitorType, riskText(hh))
		}
		fmt.Fprintf(&b, "　帮扶责任人 %s %s\n家庭成员：", hh.Helper, hh.Phone)
		for _, p := range h.Members {
			fmt.Fprintf(&b, "%s %s（%s）　", p.Relation, p.Name, p.ID)
		}
		b.WriteString("\n")
	} else {
		b.WriteString("不在基础名册中（一般农户）\n")
	}
	fmt.Fprintf(&b, "\n历次预警线索（%d 条）：\n", len(h.Clues))
	for _, c := range h.Clues {
		fmt.Fprintf(&b, "\n【%s】%s %s（%s）状态：%s\n", c.ID, c.Period, c.Kind, c.Source, c.Status)
		for _, r := range c.Risks {
			fmt.Fprintf(&b, "　%s·%s（%s）%s：%s\n", r.Dept, r.List, r.Type, r.Name, r.Detail)
			if r.Rule != "" {
				fmt.Fprintf(&b, "　　预警依据：%s\n", r.Rule)
			}
			if r.Again != "" {
				fmt.Fprintf(&b, "　　%s\n", r.Again)
			}
		}
		if c.Assignment != "" {
			fmt.Fprintf(&b, "　交办 %s，期限 %s\n", c.Assignment, c.Deadline)
		}
		if c.Feedback != nil {
			fmt.Fprintf(&b, "　核查结果：%s\n", c.Feedback.Text())
		}
		if c.RepeatOf != "" {
			fmt.Fprintf(&b, "　与 %s 重复\n", c.RepeatOf)
		}
	}
	if len(h.FollowUps) > 0 {
		fmt.Fprintf(&b, "\n续报（%d 条，已交办过的同一人再次报送，未再生成线索）：\n", len(h.FollowUps))
		for _, f := range h.FollowUps {
			fmt.Fprintf(&b, "　%s %s·%s %s：%s（上次线索 %s）", f.Period, f.Risk.Dept, f.Risk.List, f.Risk.Name, f.Risk.Detail, f.Of)
			if f.Raised != "" {
				fmt.Fprintf(&b, "，已转为线索 %s", f.Raised)
			}
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}

// showHistory opens 一户一档 for a household number or a member's ID.
func (m *mainWindow) showHistory(key string) {
	text, err := m.historyText(key)
	if err != nil {
		m.showError(err)
		return
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	m.showInfo("一户一档", container.NewGridWrap(fyne.NewSize(760, 480), container.NewVScroll(l)))
}
