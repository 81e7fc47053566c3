package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Verification outcomes (DESIGN.md §5).
const (
	OutcomeIncluded    = "纳入监测"
	OutcomeNotIncluded = "不纳入"
	OutcomeAlready     = "已是监测对象"
	OutcomeWrongInfo   = "信息有误"
	OutcomeOther       = "其他"
)

// Outcomes in their official order.
var Outcomes = []string{OutcomeIncluded, OutcomeNotIncluded, OutcomeAlready, OutcomeWrongInfo, OutcomeOther}

// Feedback is a township's verification result for one clue.
type Feedback struct {
	Outcome     string    `json:"outcome"`
	MonitorType string    `json:"monitor_type,omitempty"` // for 纳入监测
	Reason      string    `json:"reason,omitempty"`       // required for 不纳入 and 其他
	Verifier    string    `json:"verifier"`
	Date        string    `json:"date"`               // YYYY-MM-DD, the visit
	Measures    string    `json:"measures,omitempty"` // assistance measures
	Entered     string    `json:"entered,omitempty"`  // the day it was entered into the national system
	Source      string    `json:"source,omitempty"`   // 手工录入 or the imported file
	At          time.Time `json:"at"`
	Operator    string    `json:"operator"`
}

// ClueEvent is one change in a clue's history: old and new values, who, when.
type ClueEvent struct {
	At       time.Time `json:"at"`
	Operator string    `json:"operator"`
	Action   string    `json:"action"`
	Old      string    `json:"old,omitempty"`
	New      string    `json:"new,omitempty"`
}

// Text says a result in one line.
func (f *Feedback) Text() string {
	if f == nil {
		return ""
	}
	s := f.Outcome
	if f.MonitorType != "" {
		s += "（" + f.MonitorType + "）"
	}
	if f.Reason != "" {
		s += "：" + f.Reason
	}
	s += fmt.Sprintf("；核查人 %s，%s", f.Verifier, f.Date)
	if f.Measures != "" {
		s += "；帮扶措施：" + f.Measures
	}
	if f.Entered != "" {
		s += "；" + f.Entered + " 录入全国系统"
	}
	return s
}

// NormalizeOutcome reads an outcome as townships write it.
func NormalizeOutcome(s string) (string, bool) {
	n := strings.TrimSpace(NormalizeHeader(s))
	for _, o := range Outcomes {
		if n == NormalizeHeader(o) {
			return o, true
		}
	}
	switch {
	case n == "纳入" || n == "已纳入" || n == "纳入监测对象" || n == "是":
		return OutcomeIncluded, true
	case n == "不纳入监测" || n == "未纳入" || n == "否" || n == "不符合":
		return OutcomeNotIncluded, true
	case n == "已纳入监测" || n == "已是监测户":
		return OutcomeAlready, true
	case n == "信息错误" || n == "数据有误":
		return OutcomeWrongInfo, true
	}
	return "", false
}

// FieldError is a result refused for one of its fields (outcome,
// monitor_type, reason, verifier, date, entered): a form puts the cursor
// there.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

func fieldError(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// CheckFeedback validates a result for a clue as of today: the clue must
// have gone out, the outcome be one of five, a reason given where needed,
// and the date neither before the assignment nor in the future.
func CheckFeedback(f *Feedback, c *Clue, today time.Time) error {
	if !c.Assigned() {
		return fmt.Errorf("线索 %s 尚未交办，不能录入核查结果", c.ID)
	}
	o, ok := NormalizeOutcome(f.Outcome)
	if !ok {
		return fieldError("outcome", "核查结果“%s”不对，应为：%s", f.Outcome, strings.Join(Outcomes, "、"))
	}
	f.Outcome = o
	f.Reason = strings.TrimSpace(f.Reason)
	f.Verifier = strings.TrimSpace(f.Verifier)
	switch o {
	case OutcomeIncluded:
		mt := normalizeMonitorType(strings.TrimSpace(f.MonitorType))
		valid := false
		for _, t := range MonitorTypes {
			valid = valid || t == mt
		}
		if !valid {
			return fieldError("monitor_type", "纳入监测须写明监测类型：%s", strings.Join(MonitorTypes, "、"))
		}
		f.MonitorType = mt
	case OutcomeNotIncluded, OutcomeOther:
		if f.Reason == "" {
			return fieldError("reason", "“%s”须在情况说明中逐户说明原因", o)
		}
		f.MonitorType = ""
	default:
		f.MonitorType = ""
	}
	if f.Verifier == "" {
		return fieldError("verifier", "请填写核查人")
	}
	year := today.Year()
	d, ok := ParseDate(f.Date, year)
	if !ok {
		return fieldError("date", "核查日期“%s”无法识别，请写成 2026-11-05 或 2026.11.5 或 11月5日", f.Date)
	}
	if d.After(DateOf(today)) {
		return fieldError("date", "核查日期 %s 在今天之后", d.Format("2006-01-02"))
	}
	f.Date = d.Format("2006-01-02")
	if c.AssignedOn != "" && f.Date < c.AssignedOn {
		return fieldError("date", "核查日期 %s 早于交办日期 %s", f.Date, c.AssignedOn)
	}
	if f.Entered != "" {
		e, ok := ParseDate(f.Entered, year)
		if !ok {
			return fieldError("entered", "录入全国系统日期“%s”无法识别", f.Entered)
		}
		f.Entered = e.Format("2006-01-02")
	}
	return nil
}

// ApplyFeedback records a checked result on a clue, keeping the history:
// a second result is a correction with the old and new values.
func ApplyFeedback(c *Clue, f Feedback) (changed bool) {
	old := c.Feedback.Text()
	if c.Feedback != nil && sameResult(c.Feedback, &f) {
		return false
	}
	action := "录入核查结果"
	if c.Feedback != nil {
		action = "更正核查结果"
	}
	c.History = append(c.History, ClueEvent{At: f.At, Operator: f.Operator, Action: action, Old: old, New: f.Text()})
	c.Feedback = &f
	c.Outcome = f.Outcome
	c.Status = StatusReported
	if f.Outcome != OutcomeIncluded || f.Entered != "" {
		c.Status = StatusClosed // verified, and where included, entered into the national system
	}
	c.Updated = f.At
	return true
}

func sameResult(a, b *Feedback) bool {
	return a.Outcome == b.Outcome && a.MonitorType == b.MonitorType && a.Reason == b.Reason && a.Verifier == b.Verifier &&
		a.Date == b.Date && a.Measures == b.Measures && a.Entered == b.Entered
}

// ListYield is what one department list brought over a range of months:
// the clues it raised (a clue counts once for each list with evidence in
// it), how many went out, how many were verified (a result recorded) and
// how many became 纳入监测.
type ListYield struct {
	Dept     string  `json:"dept"`
	List     string  `json:"list"`
	Raised   int     `json:"raised"`
	Assigned int     `json:"assigned"`
	Verified int     `json:"verified"`
	Included int     `json:"included"`
	Rate     float64 `json:"conversion_rate"` // Included / Verified, in %: how often a checked clue of this list was a real case
}

// YieldDefinition defines the conversion rate once, for every place it shows.
const YieldDefinition = "转化率 = 纳入监测的线索数 / 已核查（已录入核查结果）的线索数；一条线索有几个清单的证据，就在每个清单各计一次"

// ListYields counts, list by list, what the clues of the compared
// periods came to, most raised first.
func ListYields(clues []Clue) []ListYield {
	by := map[string]*ListYield{}
	for i := range clues {
		c := &clues[i]
		seen := map[string]bool{}
		for _, r := range c.Risks {
			if r.Import == 0 { // a clue added by hand
				continue
			}
			k := r.Dept + "·" + r.List
			if seen[k] {
				continue
			}
			seen[k] = true
			y := by[k]
			if y == nil {
				y = &ListYield{Dept: r.Dept, List: r.List}
				by[k] = y
			}
			y.Raised++
			if c.Assigned() {
				y.Assigned++
			}
			if c.Feedback != nil {
				y.Verified++
				if c.Feedback.Outcome == OutcomeIncluded {
					y.Included++
				}
			}
		}
	}
	out := make([]ListYield, 0, len(by))
	for _, y := range by {
		if y.Verified > 0 {
			y.Rate = float64(y.Included) * 100 / float64(y.Verified)
		}
		out = append(out, *y)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Raised != out[j].Raised {
			return out[i].Raised > out[j].Raised
		}
		return out[i].Dept+out[i].List < out[j].Dept+out[j].List
	})
	return out
}
