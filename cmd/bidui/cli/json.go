package cli

import (
	"bidui/app"
	"bidui/engine"
	"time"
)

// The JSON shapes of the command line (DESIGN.md §7) that are not the use
// cases' own results.

// clueJSON is a clue as the command line reports it (DESIGN.md §7).
type clueJSON struct {
	ID         string              `json:"id"`
	Period     string              `json:"period"`
	Kind       string              `json:"kind"`
	Source     string              `json:"source"`
	Township   string              `json:"township"`
	Village    string              `json:"village"`
	Household  string              `json:"household"`
	Head       string              `json:"head"`
	Category   string              `json:"category"`
	Persons    []engine.CluePerson `json:"persons"`
	Risks      []riskJSON          `json:"risks"`
	Status     string              `json:"status"`
	RepeatOf   string              `json:"repeat_of"`
	Assignment string              `json:"assignment"`
	Deadline   string              `json:"deadline"`
	Outcome    string              `json:"outcome"`
}

// riskJSON is one piece of evidence as §7 reports it.
type riskJSON struct {
	Dept   string  `json:"dept"`
	List   string  `json:"list"`
	Type   string  `json:"type"`
	Amount float64 `json:"amount"`
	Detail string  `json:"detail"`
	Person string  `json:"person"`
	Import int     `json:"import_no"`
	Lines  []int   `json:"lines"`
	File   string  `json:"file,omitempty"`
	Late   bool    `json:"late,omitempty"`
	Rule   string  `json:"rule,omitempty"`  // the rule's reasoning that raised it
	Again  string  `json:"again,omitempty"` // why a follow-up was raised again
}

// toJSON shapes a clue for the command line.
func toJSON(c *engine.Clue) clueJSON {
	out := clueJSON{ID: c.ID, Period: c.Period, Kind: c.Kind, Source: c.Source, Township: c.Township, Village: c.Village,
		Household: c.Household, Head: c.Head, Category: c.Category.String(), Persons: c.Persons, Status: c.Status,
		RepeatOf: c.RepeatOf, Assignment: c.Assignment, Deadline: c.Deadline, Outcome: c.Outcome}
	if out.Persons == nil {
		out.Persons = []engine.CluePerson{}
	}
	for _, r := range c.Risks {
		out.Risks = append(out.Risks, riskJSON{Dept: r.Dept, List: r.List, Type: r.Type, Amount: r.Amount.Yuan(), Detail: r.Detail,
			Person: r.Person, Import: r.Import, Lines: r.Lines, File: r.File, Late: r.Late, Rule: r.Rule, Again: r.Again})
	}
	if out.Risks == nil {
		out.Risks = []riskJSON{}
	}
	return out
}

// listJSON is the §7 JSON of a department import.
type listJSON struct {
	File       string         `json:"file"`
	Sheet      string         `json:"sheet"`
	Period     string         `json:"period"`
	Dept       string         `json:"dept"`
	List       string         `json:"list"`
	Import     int            `json:"import_no"`
	Rows       int            `json:"rows"`
	Valid      int            `json:"valid"`
	Invalid    int            `json:"invalid"`
	Duplicates int            `json:"duplicates"`
	Skipped    int            `json:"skipped"`
	Persons    int            `json:"persons"`
	Issues     []engine.Issue `json:"issues"`
	Warnings   []string       `json:"warnings,omitempty"`
}

// listResult shapes an import record as the command line reports it.
func listResult(r *engine.ListImport) listJSON {
	return listJSON{File: r.File, Sheet: r.Sheet, Period: r.Period, Dept: r.Dept, List: r.List, Import: r.Seq, Rows: r.Rows,
		Valid: r.Valid, Invalid: r.Invalid, Duplicates: r.Duplicates, Skipped: r.Skipped, Persons: r.Persons, Issues: r.Issues, Warnings: r.Warnings}
}

// assignJSON is an assignment as §7 reports it.
type assignJSON struct {
	Number     string `json:"number"`
	Township   string `json:"township"`
	Date       string `json:"date"`
	Deadline   string `json:"deadline"`
	Clues      int    `json:"clues"`
	Supplement bool   `json:"supplement"`
}

// assignResultJSON is what assign --json reports.
type assignResultJSON struct {
	Assignments []assignJSON `json:"assignments"`
	Unplaced    []string     `json:"unplaced"` // clues with no township yet
	Repeats     []string     `json:"repeats"`  // repeats held back
	Warning     string       `json:"warning,omitempty"`
}

func assignResult(r *app.AssignResult) assignResultJSON {
	out := assignResultJSON{Assignments: []assignJSON{}, Unplaced: r.Unplaced, Repeats: r.Repeats, Warning: r.Warning}
	for _, g := range r.Assignments {
		out.Assignments = append(out.Assignments, assignJSON{Number: g.Number, Township: g.Township, Date: g.Date,
			Deadline: g.Deadline, Clues: len(g.Clues), Supplement: g.Supplement})
	}
	return out
}

// The §7 JSON shapes of the use cases' results. Where a result is flat, its
// shape is a struct of the same fields with their JSON names, and a Go
// conversion makes one from the other (the compiler checks that the fields
// still match); results holding other results are copied.

type printJSON struct {
	Files    []string `json:"files"`
	Pages    int      `json:"pages"`
	Replaced []string `json:"replaced_characters"`
}

type feedbackJSON struct {
	Files     []string       `json:"files"`
	Rows      int            `json:"rows"`
	Recorded  int            `json:"recorded"`  // new or corrected results, and results already recorded as they are
	Unchanged int            `json:"unchanged"` // of recorded: the same as already on file (a sheet imported twice)
	Rejected  int            `json:"rejected"`
	Waiting   int            `json:"waiting"` // rows with nothing filled in yet: not in rows
	Issues    []engine.Issue `json:"issues"`
}

type matchJSON struct {
	engine.MatchCounts
	Conflicts []engine.Conflict `json:"conflicts"`
}

type boardEntryJSON struct {
	Dept      string    `json:"dept"`
	List      string    `json:"list"`
	Submitted bool      `json:"submitted"`
	At        time.Time `json:"at,omitzero"`
	File      string    `json:"file,omitempty"`
	Import    int       `json:"import_no,omitempty"`
	Versions  int       `json:"versions"`
	Rows      int       `json:"rows"`
	Valid     int       `json:"valid"`
	Invalid   int       `json:"invalid"`
	Late      bool      `json:"late"`
	Overdue   bool      `json:"overdue"`
	Status    string    `json:"status"`
}

type boardJSON struct {
	Period  string           `json:"period"`
	Due     string           `json:"due"`
	Entries []boardEntryJSON `json:"entries"`
	Stale   string           `json:"stale,omitempty"` // why the comparison is out of date
}

func boardResult(b *app.Board) *boardJSON {
	if b == nil {
		return nil
	}
	return &boardJSON{Period: b.Period, Due: b.Due, Entries: each(b.Entries, func(e app.BoardEntry) boardEntryJSON { return boardEntryJSON(e) }), Stale: b.Stale}
}

// each shapes every element of a slice; nil stays nil (null in the JSON),
// as the result had it.
func each[A, B any](in []A, shape func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = shape(a)
	}
	return out
}

type tallyJSON struct {
	Name        string         `json:"name"`
	Clues       int            `json:"clues"`
	Assigned    int            `json:"assigned"`
	Reported    int            `json:"reported"`
	Closed      int            `json:"closed"`
	Included    int            `json:"included"`
	ByType      map[string]int `json:"included_by_type"`
	NotIncluded int            `json:"not_included"`
	Already     int            `json:"already_monitored"`
	WrongInfo   int            `json:"wrong_info"`
	Other       int            `json:"other"`
	Overdue     int            `json:"overdue"`
}

type overdueJSON struct {
	ID       string `json:"id"`
	Township string `json:"township"`
	Village  string `json:"village"`
	Head     string `json:"head"`
	Deadline string `json:"deadline"`
	Days     int    `json:"working_days_over"`
}

type reportJSON struct {
	Period  string        `json:"period"`
	Today   string        `json:"today"`
	Total   tallyJSON     `json:"total"`
	Towns   []tallyJSON   `json:"townships"`
	Depts   []tallyJSON   `json:"departments"`
	Types   []tallyJSON   `json:"risk_types"`
	Overdue []overdueJSON `json:"overdue"`
	Board   *boardJSON    `json:"board"`
	// what each department list brought over the year to the period
	Yields []engine.ListYield `json:"list_yields"`
	// the month over month: this batch and the one before
	Flow monthOverMonthJSON `json:"month_over_month"`
}

type monthOverMonthJSON struct {
	Current    engine.MonthFlow `json:"current"`
	Previous   engine.MonthFlow `json:"previous"`
	Definition string           `json:"definition"`
}

func tallies(ts []app.Tally) []tallyJSON {
	return each(ts, func(t app.Tally) tallyJSON { return tallyJSON(t) })
}

func reportResult(r *app.Report, yields []engine.ListYield) reportJSON {
	out := reportJSON{Period: r.Period, Today: r.Today, Total: tallyJSON(r.Total), Towns: tallies(r.Towns), Depts: tallies(r.Depts),
		Types: tallies(r.Types), Board: boardResult(r.Board), Yields: yields,
		Overdue: each(r.Overdue, func(o app.OverdueClue) overdueJSON { return overdueJSON(o) })}
	return out
}

type fileCountsJSON struct {
	File       string `json:"file"`
	Sheet      string `json:"sheet,omitempty"`
	Rows       int    `json:"rows"`
	Valid      int    `json:"valid"`
	Invalid    int    `json:"invalid"`
	Duplicates int    `json:"duplicates"`
	Skipped    int    `json:"skipped"` // blank, 合计, footer and repeated-header rows, not in rows
}

func fileCounts(f app.FileCounts) fileCountsJSON {
	return fileCountsJSON{File: f.File, Sheet: f.Sheet, Rows: f.Rows, Valid: f.Valid, Invalid: f.Invalid, Duplicates: f.Duplicates, Skipped: f.Skipped}
}

type rosterJSON struct {
	fileCountsJSON
	Files    []fileCountsJSON     `json:"files"`
	Issues   []engine.Issue       `json:"issues"`
	Warnings []engine.Issue       `json:"warnings"`
	Stats    engine.RosterStats   `json:"stats"`
	Changes  engine.RosterChanges `json:"changes"`
	Seq      int                  `json:"import_no"`
}

func rosterResult(r *app.RosterResult) *rosterJSON {
	if r == nil {
		return nil
	}
	return &rosterJSON{fileCountsJSON: fileCounts(r.FileCounts), Files: each(r.Files, fileCounts), Issues: r.Issues, Warnings: r.Warnings,
		Stats: r.Stats, Changes: r.Changes, Seq: r.Seq}
}

type demoFileJSON struct {
	File       string `json:"file"`
	Kind       string `json:"kind"`
	Dept       string `json:"dept,omitempty"`
	List       string `json:"list,omitempty"`
	Rows       int    `json:"rows"`
	Valid      int    `json:"valid"`
	Invalid    int    `json:"invalid"`
	Duplicates int    `json:"duplicates"`
}

type demoMonthJSON struct {
	Period      string `json:"period"`
	Lists       int    `json:"lists"`
	Clues       int    `json:"clues"`
	Assignments int    `json:"assignments"`
	Results     int    `json:"results"`
	Unanswered  int    `json:"unanswered"`
	Dir         string `json:"dir"`
}

type demoJSON struct {
	County     string          `json:"county"`
	Period     string          `json:"period"`
	Households int             `json:"households"`
	Persons    int             `json:"persons"`
	Dir        string          `json:"dir"`
	Files      []demoFileJSON  `json:"files"`
	Roster     *rosterJSON     `json:"roster"`
	History    []demoMonthJSON `json:"history,omitempty"`
}

func demoResult(d *app.DemoResult) demoJSON {
	return demoJSON{County: d.County, Period: d.Period, Households: d.Households, Persons: d.Persons, Dir: d.Dir, Roster: rosterResult(d.Roster),
		Files:   each(d.Files, func(f app.DemoFileFacts) demoFileJSON { return demoFileJSON(f) }),
		History: each(d.History, func(m app.DemoMonth) demoMonthJSON { return demoMonthJSON(m) })}
}
