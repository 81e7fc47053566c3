package app

import (
	"fmt"

	"bidui/engine"
)

// FollowUps are a period's follow-ups (续报, DESIGN.md §4): risks a list
// raised again for a person whose earlier clue was assigned; they raised no
// clue and are kept as evidence.
func (a *App) FollowUps(period string) ([]engine.FollowUp, error) {
	if err := engine.ValidPeriod(period); err != nil {
		return nil, err
	}
	return a.db.FollowUps(period)
}

// RaiseFollowUp turns a follow-up into a clue of its period by hand: the
// officer wants it checked again. The risk joins the household's clue of
// the period if it has one not yet assigned, else a new clue is numbered.
// The next comparison keeps it there.
func (a *App) RaiseFollowUp(period, id string) (*engine.Clue, error) {
	fs, err := a.FollowUps(period)
	if err != nil {
		return nil, err
	}
	var f *engine.FollowUp
	for i := range fs {
		if fs[i].ID() == id {
			f = &fs[i]
		}
	}
	if f == nil {
		return nil, fmt.Errorf("%s 批次没有这条续报（可能已重新比对），请刷新后再试", period)
	}
	if f.Raised != "" {
		return nil, fmt.Errorf("这条续报已转为线索 %s", f.Raised)
	}
	clues, err := a.db.Clues(period)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	r := f.Risk
	r.Again = fmt.Sprintf("续报（上次线索 %s），由 %s 手工转为线索", f.Of, a.operatorName())
	r.Added, r.Late = now, false
	var c *engine.Clue
	for i := range clues {
		if clues[i].Key != f.Key {
			continue
		}
		if clues[i].Assigned() {
			return nil, fmt.Errorf("该户本批次的线索 %s 已交办，无法再并入；请在该线索的核查中一并说明这条续报", clues[i].ID)
		}
		c = &clues[i]
	}
	if c == nil {
		n, err := a.db.NextClueNumber(period)
		if err != nil {
			return nil, err
		}
		c = &engine.Clue{ID: engine.ClueID(period, n), Key: f.Key, Period: period, Kind: f.Kind, Source: engine.SourceCompare,
			Township: f.Township, Village: f.Village, Household: f.Household, Head: f.Head, Category: f.Category,
			Status: engine.StatusPending, Created: now}
	}
	c.Persons = appendPerson(c.Persons, engine.CluePerson{Name: r.Name, ID: r.Person})
	c.Risks = append(c.Risks, r)
	c.Updated = now
	f.Raised = c.ID
	detail := fmt.Sprintf("%s %s·%s %s 的续报（上次线索 %s）转为线索 %s", period, r.Dept, r.List, r.Name, f.Of, c.ID)
	if err := a.db.RaiseFollowUp(*f, *c, a.auditEntry("续报转为线索", detail)); err != nil {
		return nil, err
	}
	return c, nil
}

func appendPerson(ps []engine.CluePerson, p engine.CluePerson) []engine.CluePerson {
	for _, q := range ps {
		if q.ID == p.ID {
			return ps
		}
	}
	return append(ps, p)
}
