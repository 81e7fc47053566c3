package engine

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// DeadlineWorkdays is the verification deadline (seed 003: 20 working days).
const DeadlineWorkdays = 20

// Assignment is the clues sent to one township on one date (交办单). Its
// rows are a snapshot taken when it was made, so it prints the same later.
type Assignment struct {
	Number     string     `json:"number"`
	Seq        int        `json:"seq"` // within the period
	Period     string     `json:"period"`
	Township   string     `json:"township"`
	Date       string     `json:"date"`     // YYYY-MM-DD
	Deadline   string     `json:"deadline"` // YYYY-MM-DD
	Supplement bool       `json:"supplement,omitempty"`
	Operator   string     `json:"operator"`
	Created    time.Time  `json:"created"`
	Clues      []string   `json:"clues"`
	Rows       []SheetRow `json:"rows"`
	// Printed is when its sheet was first printed (zero until then): a
	// sheet printed may have been handed out, and is no longer withdrawn.
	Printed time.Time `json:"printed,omitzero"`
}

// Withdraw takes back an assignment made by mistake, before its sheet was
// printed and before any result came back: its clues are pending again,
// with a history line. clues are the period's; the changed ones return.
func (g *Assignment) Withdraw(clues []Clue, at time.Time, operator string) ([]Clue, error) {
	if !g.Printed.IsZero() {
		return nil, fmt.Errorf("交办单 %s 已于 %s 打印，可能已下发乡镇，不能撤回；如有错误请另行通知乡镇", g.Number, g.Printed.Format("2006-01-02 15:04"))
	}
	in := map[string]bool{}
	for _, id := range g.Clues {
		in[id] = true
	}
	var changed []Clue
	for _, c := range clues {
		if !in[c.ID] || c.Assignment != g.Number {
			continue
		}
		if c.Feedback != nil {
			return nil, fmt.Errorf("交办单 %s 的线索 %s 已录入核查结果，不能撤回", g.Number, c.ID)
		}
		c.Status, c.Assignment, c.Deadline, c.AssignedOn, c.Updated = StatusPending, "", "", "", at
		c.History = append(c.History, ClueEvent{At: at, Operator: operator, Action: "撤回交办", Old: g.Number})
		changed = append(changed, c)
	}
	return changed, nil
}

// SheetRow is one clue as the township's sheet shows it.
type SheetRow struct {
	Clue     string   `json:"clue"`
	Village  string   `json:"village"`
	Head     string   `json:"head"`
	Persons  []string `json:"persons"`
	IDs      []string `json:"ids"`
	Types    string   `json:"types"`
	Sources  string   `json:"sources"`
	Summary  string   `json:"summary"`
	Category string   `json:"category"`
}

// AssignOptions chooses what goes out.
type AssignOptions struct {
	Exclude        map[string]bool // clue IDs the officer leaves out this time
	IncludeRepeats bool            // send repeats of open clues too
	IgnoreStale    bool            // assign although the comparison is out of date (the officer confirmed)
}

// AssignPlan is one township's share before numbering.
type AssignPlan struct {
	Township string
	Clues    []*Clue
}

// PlanAssignments groups a period's clues waiting to go out by township.
// Repeats stay back unless asked for; clues without a township are
// returned apart, to be given one first.
func PlanAssignments(clues []Clue, opt AssignOptions) (plans []AssignPlan, unplaced []*Clue, repeats []*Clue) {
	by := map[string][]*Clue{}
	for i := range clues {
		c := &clues[i]
		if c.Status != StatusPending || c.Assigned() || opt.Exclude[c.ID] {
			continue
		}
		if c.RepeatOf != "" && !opt.IncludeRepeats {
			repeats = append(repeats, c)
			continue
		}
		if c.Township == "" || c.Township == UnknownTownship {
			unplaced = append(unplaced, c)
			continue
		}
		by[c.Township] = append(by[c.Township], c)
	}
	var towns []string
	for t := range by {
		towns = append(towns, t)
	}
	sort.Strings(towns)
	for _, t := range towns {
		plans = append(plans, AssignPlan{Township: t, Clues: by[t]})
	}
	return plans, unplaced, repeats
}

// DefaultAssignFormat numbers assignments like 青防交〔2026〕11-03号.
const DefaultAssignFormat = "{县}防交〔{年}〕{月}-{序号}号"

// AssignNumber fills an assignment number format: {县} the county's first
// character, {年} the year, {月} the month, {序号} the two-digit sequence.
func AssignNumber(format, county, period string, seq int) string {
	if format == "" {
		format = DefaultAssignFormat
	}
	short := ""
	if r := []rune(county); len(r) > 0 {
		short = string(r[0])
	}
	y, m := period, ""
	if p, err := ParseMonth(period); err == nil {
		y, m = p.String()[:4], p.String()[5:]
	}
	return strings.NewReplacer("{县}", short, "{年}", y, "{月}", m, "{序号}", fmt.Sprintf("%02d", seq)).Replace(format)
}

// SheetRowOf is a clue's row on a sheet.
func SheetRowOf(c *Clue) SheetRow {
	r := SheetRow{Clue: c.ID, Village: c.Village, Head: c.Head, Category: c.Category.String(), Summary: c.Summary()}
	for _, p := range c.Persons {
		r.Persons = append(r.Persons, p.Name)
		r.IDs = append(r.IDs, p.ID)
	}
	types := c.RiskTypes()
	if c.Kind == KindChange {
		types = []string{"信息变更"}
	}
	r.Types = strings.Join(types, "、")
	var src []string
	for _, rk := range c.Risks {
		if rk.List == "手工录入" {
			src = append(src, rk.Dept)
		} else {
			src = append(src, rk.Dept+"·"+rk.List)
		}
	}
	r.Sources = strings.Join(Unique(src), "、")
	return r
}

// SheetCount says how many rows a sheet has, the risk clues and the
// information changes apart, as the reports count them: 共 17 条（风险线索
// 11 条，信息变更 6 条）.
func SheetCount(rows []SheetRow) string {
	changes := 0
	for _, r := range rows {
		if r.Types == "信息变更" {
			changes++
		}
	}
	if changes == 0 {
		return fmt.Sprintf("共 %d 条（均为风险线索）", len(rows))
	}
	return fmt.Sprintf("共 %d 条（风险线索 %d 条，信息变更 %d 条）", len(rows), len(rows)-changes, changes)
}

// SortSheetRows orders a sheet village by village, clue by clue.
func SortSheetRows(rows []SheetRow) {
	// sort positions, then lay the rows out once: a row is a large struct
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(rows[a].Village, rows[b].Village); c != 0 {
			return c
		}
		return cmp.Compare(rows[a].Clue, rows[b].Clue)
	})
	sorted := make([]SheetRow, len(rows))
	for k, i := range idx {
		sorted[k] = rows[i]
	}
	copy(rows, sorted)
}

// AssignSpec is what numbered assignments are made with.
type AssignSpec struct {
	Period         string
	Date, Deadline time.Time
	Format, County string // the number's format and the county's name (设置)
	Operator       string
	Now            time.Time
}

// MakeAssignments turns the plans into numbered assignments, one per
// township, numbered after the period's existing ones; a township already
// assigned this period gets a supplementary one. It returns the
// assignments and the clues they change (status, number, deadline and a
// history line), taken from clues by ID.
func MakeAssignments(plans []AssignPlan, clues []Clue, existing []Assignment, spec AssignSpec) ([]Assignment, []Clue) {
	assigned := map[string]bool{}
	seq := 0
	for _, e := range existing {
		assigned[e.Township] = true
		if e.Seq > seq {
			seq = e.Seq
		}
	}
	byID := map[string]int{}
	for i := range clues {
		byID[clues[i].ID] = i
	}
	total := 0
	for _, p := range plans {
		total += len(p.Clues)
	}
	asgs := make([]Assignment, 0, len(plans))
	changed := make([]Clue, 0, total)
	for _, p := range plans {
		seq++
		asg := Assignment{Number: AssignNumber(spec.Format, spec.County, spec.Period, seq), Seq: seq, Period: spec.Period,
			Township: p.Township, Date: spec.Date.Format("2006-01-02"), Deadline: spec.Deadline.Format("2006-01-02"),
			Supplement: assigned[p.Township], Operator: spec.Operator, Created: spec.Now,
			Clues: make([]string, 0, len(p.Clues)), Rows: make([]SheetRow, 0, len(p.Clues))}
		for _, c := range p.Clues {
			asg.Clues = append(asg.Clues, c.ID)
			asg.Rows = append(asg.Rows, SheetRowOf(c))
			cl := clues[byID[c.ID]]
			cl.Status, cl.Assignment, cl.Deadline, cl.AssignedOn, cl.Updated = StatusAssigned, asg.Number, asg.Deadline, asg.Date, spec.Now
			cl.History = append(cl.History, ClueEvent{At: spec.Now, Operator: spec.Operator, Action: "交办", New: asg.Number + "，期限 " + asg.Deadline})
			changed = append(changed, cl)
		}
		SortSheetRows(asg.Rows)
		asgs = append(asgs, asg)
	}
	return asgs, changed
}
