package cli

import (
	"bidui/app"
	"bidui/engine"
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
			Person: r.Person, Import: r.Import, Lines: r.Lines, File: r.File, Late: r.Late})
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
