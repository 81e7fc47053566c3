package cli

import "bidui/engine"

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
