package engine

import (
	"fmt"
	"strings"
	"time"
)

// Clue kinds.
const (
	KindRisk   = "风险"
	KindChange = "变更"
)

// Clue statuses (DESIGN.md §5).
const (
	StatusPending  = "待交办"
	StatusAssigned = "已交办"
	StatusReported = "已反馈"
	StatusClosed   = "已办结"
)

// Sources of a clue.
const (
	SourceCompare = "部门比对"
	SourceApply   = "农户申报"
	SourceHotline = "12317热线"
	SourceVisit   = "干部走访"
)

// ManualSources are the sources the officer can pick for a clue added by hand.
var ManualSources = []string{SourceApply, SourceHotline, SourceVisit}

// UnknownTownship is where an off-roster clue goes when no township is known.
const UnknownTownship = "未定乡镇"

// ClueID numbers a clue within its period: 2026-11-0001.
func ClueID(period string, n int) string { return fmt.Sprintf("%s-%04d", period, n) }

// ClueKey identifies a clue across comparison runs: one per roster household
// (or off-roster person) per kind per period.
func ClueKey(kind, household, personID string) string {
	if household != "" {
		return kind + "|H|" + household
	}
	return kind + "|P|" + personID
}

// Clue is one household's risks (or roster changes) found in one period.
type Clue struct {
	ID         string       `json:"id"`
	Key        string       `json:"key"`
	Period     string       `json:"period"`
	Kind       string       `json:"kind"`
	Source     string       `json:"source"`
	Township   string       `json:"township"`
	Village    string       `json:"village"`
	Household  string       `json:"household"`
	Head       string       `json:"head,omitempty"`
	Category   Category     `json:"category_code"`
	Persons    []CluePerson `json:"persons"`
	Risks      []Risk       `json:"risks"`
	Status     string       `json:"status"`
	RepeatOf   string       `json:"repeat_of"`
	Assignment string       `json:"assignment"`
	Deadline   string       `json:"deadline"`
	Outcome    string       `json:"outcome"`
	Created    time.Time    `json:"created"`
	Updated    time.Time    `json:"updated"`
	Note       string       `json:"note,omitempty"` // the officer's description, for manual clues
	AssignedOn string       `json:"assigned_on,omitempty"`
	Feedback   *Feedback    `json:"feedback,omitempty"`
	History    []ClueEvent  `json:"history,omitempty"`
}

// CluePerson is a person a clue is about.
type CluePerson struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// Risk is one piece of evidence: a department row (or a manual report) about one person.
type Risk struct {
	Dept   string `json:"dept"`
	List   string `json:"list"`
	Type   string `json:"type"`
	Amount Amount `json:"amount_fen"`
	Detail string `json:"detail"`
	Person string `json:"person"` // 18-digit ID
	Name   string `json:"name"`
	Import int    `json:"import_no"` // the import it came from (0 for manual)
	Lines  []int  `json:"lines"`     // the rows in that file
	File   string `json:"file,omitempty"`
	// Late marks evidence added after the clue was assigned.
	Late    bool      `json:"late,omitempty"`
	Added   time.Time `json:"added"`
	Matched string    `json:"matched,omitempty"` // "复核确认" when the person was confirmed in review
	// Rule is the rule's reasoning that raised the risk, in words; Level
	// the value of the rule's level column; Again why a follow-up was
	// raised again (or that the officer raised it by hand).
	Rule  string `json:"rule,omitempty"`
	Level string `json:"level,omitempty"`
	Again string `json:"again,omitempty"`
}

// EvidenceKey identifies a risk within a clue: one per person per list.
func (r *Risk) EvidenceKey() string { return r.Dept + "|" + r.List + "|" + r.Person }

// RiskTypes lists the clue's distinct risk types in order.
func (c *Clue) RiskTypes() []string {
	types := make([]string, len(c.Risks))
	for i, r := range c.Risks {
		types[i] = r.Type
	}
	return Unique(types)
}

// Depts lists the departments the clue's evidence came from, in order.
func (c *Clue) Depts() []string {
	depts := make([]string, len(c.Risks))
	for i, r := range c.Risks {
		depts[i] = r.Dept
	}
	return Unique(depts)
}

// Unique keeps the first of each string, in order.
func Unique(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := make([]string, 0, len(s))
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Summary says what the clue is about in one line, for tables and sheets.
func (c *Clue) Summary() string {
	var parts []string
	noted := false
	for _, r := range c.Risks {
		p := r.Name + "：" + r.Detail
		if r.Rule != "" && !strings.HasPrefix(r.Rule, ruleListed) && r.Rule != ruleChange {
			p += "（依据：" + r.Rule + "）" // a line or a value the rule compared
		}
		if r.Again != "" {
			p += "（" + r.Again + "）"
		}
		parts = append(parts, p)
		noted = noted || r.Detail == c.Note
	}
	s := strings.Join(parts, "；")
	if c.Note != "" && !noted { // a manual clue's note is its risk's detail: said once
		s = strings.TrimPrefix(s+"；"+c.Note, "；")
	}
	return s
}

// Open reports whether the clue is still being worked on.
func (c *Clue) Open() bool { return c.Status != StatusClosed }

// Assigned reports whether the clue has gone out to a township.
func (c *Clue) Assigned() bool { return c.Assignment != "" }
