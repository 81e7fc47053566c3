package engine

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mozillazg/go-pinyin"

	"bidui/internal/par"
)

// RowRef identifies a department row: the import and the row's line.
type RowRef struct {
	Import int `json:"import_no"`
	Line   int `json:"line"`
}

func (r RowRef) String() string { return strconv.Itoa(r.Import) + ":" + strconv.Itoa(r.Line) }

// ListData is a current import of the period with its rows.
type ListData struct {
	Rec  ListImport
	Rows []DeptRow
}

// RegisterEntry is where the rural-household register (农户花名册) puts a
// person who is not on the roster.
type RegisterEntry struct {
	Name     string `json:"name"`
	Township string `json:"township"`
	Village  string `json:"village"`
}

// ReviewDecision is the officer's word on a row whose ID could not be used.
type ReviewDecision struct {
	Ref      RowRef    `json:"ref"`
	Person   string    `json:"person,omitempty"` // the confirmed roster person
	Rejected []string  `json:"rejected,omitempty"`
	At       time.Time `json:"at"`
	Operator string    `json:"operator"`
}

// Candidate is a roster person who may be the one a row means.
type Candidate struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Township string   `json:"township"`
	Village  string   `json:"village"`
	House    string   `json:"household"`
	Reasons  []string `json:"reasons"`
	Score    int      `json:"score"`
}

// ReviewItem is a row waiting for the officer to say who it is.
type ReviewItem struct {
	Ref        RowRef      `json:"ref"`
	Dept       string      `json:"dept"`
	List       string      `json:"list"`
	File       string      `json:"file"`
	Name       string      `json:"name"`
	RawID      string      `json:"raw_id"`
	Problem    string      `json:"problem"`
	Header     []string    `json:"header"`
	Cells      []string    `json:"cells"`
	Candidates []Candidate `json:"candidates"`
}

// Conflict is where departments, or a department and the roster, disagree.
type Conflict struct {
	Kind   string   `json:"kind"`
	Person string   `json:"person"`
	Name   string   `json:"name"`
	Detail string   `json:"detail"`
	Refs   []RowRef `json:"refs"`
}

// Row buckets: every row lands in exactly one.
const (
	BucketMatched   = "matched"
	BucketOffRoster = "off_roster"
	BucketReview    = "review"
	BucketInvalid   = "invalid"
)

// RowOutcome is what came of one department row.
type RowOutcome struct {
	Bucket string `json:"bucket"`
	Below  bool   `json:"below_threshold,omitempty"`
	Clue   string `json:"clue,omitempty"`
	Reason string `json:"reason,omitempty"`
	// FollowUp is the assigned earlier clue the row's risk follows up; such
	// a row raised no clue (DESIGN.md §4).
	FollowUp string `json:"follow_up,omitempty"`
}

// MatchCounts are the figures of a comparison (DESIGN.md §7): matched +
// off_roster + review + invalid == rows; below_threshold counts the matched
// and off-roster rows that raised no risk.
type MatchCounts struct {
	Period         string `json:"period"`
	Rows           int    `json:"rows"`
	Matched        int    `json:"matched"`
	OffRoster      int    `json:"off_roster"`
	BelowThreshold int    `json:"below_threshold"`
	Review         int    `json:"review"`
	Invalid        int    `json:"invalid"`
	Clues          int    `json:"clues"`
	Changes        int    `json:"changes"`
	NewClues       int    `json:"new_clues"` // risk and change clues added by this run
	UpdatedClues   int    `json:"updated_clues"`
	Conflicts      int    `json:"conflicts"`
	Lists          int    `json:"lists"`
	// FollowUps counts the persons' risks that followed up an assigned
	// clue and raised none; RaisedAgain those that would have, but rose
	// by the rule's threshold or changed level and raised a clue.
	FollowUps   int `json:"follow_ups"`
	RaisedAgain int `json:"raised_again"`
}

// MatchInput is everything a comparison needs; Match does no I/O.
type MatchInput struct {
	Period   string
	Roster   *Roster
	Catalog  *Catalog
	Lists    []ListData
	Register map[string]RegisterEntry
	Reviews  map[RowRef]ReviewDecision
	Existing []Clue // this period's clues: kept, never renumbered or dropped
	// Earlier holds clues of earlier periods, whatever their status: the
	// open ones for repeats, those inside the lists' look-back windows for
	// follow-ups.
	Earlier []Clue
	Now     time.Time
	// Progress, when set, is told after each list how many lists and rows
	// are done; false stops the comparison (MatchResult.Stopped).
	Progress func(lists, rows int) bool
}

// MatchResult is the period's clue set after the comparison.
type MatchResult struct {
	Counts    MatchCounts
	Clues     []Clue // every clue of the period, in number order
	Review    []ReviewItem
	Conflicts []Conflict
	FollowUps []FollowUp // in the order found
	Stopped   bool       // Progress said stop: the result is incomplete
	// Outcomes holds, list by list in input order, what came of each row
	// (row by row in input order).
	Outcomes [][]RowOutcome
}

// Outcome finds the outcome of a row.
func (m *MatchResult) Outcome(lists []ListData, ref RowRef) (RowOutcome, bool) {
	for li := range lists {
		if lists[li].Rec.Seq != ref.Import {
			continue
		}
		for ri := range lists[li].Rows {
			if lists[li].Rows[ri].Line == ref.Line {
				return m.Outcomes[li][ri], true
			}
		}
	}
	return RowOutcome{}, false
}

// personRows is what one person contributed to one list.
type personRows struct {
	id       string
	name     string
	onRoster *Person
	refs     []RowRef
	idx      []int // row indexes in the list, for the outcomes
	rows     []*DeptRow
	amount   Amount
	confirm  bool // matched through review
	township string
	village  string
}

// Match compares the period's department rows with the roster, applies the
// rules and merges the resulting clues into the period's existing ones. It
// runs the matcher's phases in order: each list's rows are classified and
// its rule applied person by person, then the conflicts between lists are
// found, the new clues merged into the period's and everything counted.
func Match(in MatchInput) MatchResult {
	m := newMatcher(in)
	lists := m.classifyAhead()
	defer lists.stop() // also when the comparison is stopped, or panics
	for li := range in.Lists {
		l := lists.next(li)
		m.absorb(li, l)
		m.applyRules(l)
		if in.Progress != nil && !in.Progress(li+1, m.res.Counts.Rows) {
			m.res.Stopped = true
			return m.res
		}
	}
	m.findConflicts()
	m.mergeClues()
	m.countClues()
	return m.res
}

// classifiers is how many lists are classified ahead of the rules at most,
// each on a goroutine of its own: a list's rows take about as long to
// classify as its rules take to apply, so with two the rules seldom wait.
const classifiers = 2

// classifying is the lists being classified ahead of the rules.
type classifying struct {
	runs  []chan *listRun // each list's run, when classified
	slots chan struct{}   // one per list classified, or being classified, and not yet taken
	quit  chan struct{}
	done  chan struct{}
}

// classifyAhead starts classifying the lists in their order, up to
// classifiers lists ahead of the one the rules have taken.
func (m *matcher) classifyAhead() *classifying {
	c := &classifying{runs: make([]chan *listRun, len(m.in.Lists)), slots: make(chan struct{}, classifiers),
		quit: make(chan struct{}), done: make(chan struct{})}
	for i := range c.runs {
		c.runs[i] = make(chan *listRun, 1)
	}
	go func() {
		var wg sync.WaitGroup
		defer func() {
			wg.Wait()
			close(c.done)
		}()
		for li := range c.runs {
			select {
			case c.slots <- struct{}{}:
			case <-c.quit:
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.runs[li] <- m.classify(li)
			}()
		}
	}()
	return c
}

// next waits for list li, classified, and lets the next list begin.
func (c *classifying) next(li int) *listRun {
	l := <-c.runs[li]
	<-c.slots
	return l
}

// stop ends the classifying once the lists begun are done.
func (c *classifying) stop() {
	close(c.quit)
	<-c.done
}

// matcher holds one comparison while its phases run.
type matcher struct {
	in       MatchInput
	roster   *Roster
	review   *reviewIndex
	towns    []string
	res      MatchResult
	computed map[string]*Clue // this run's clues by key
	order    []string         // their keys in the order first raised
	prior    *priorIndex      // earlier periods' risks and open clues (built on first use)
	held     map[string]bool  // evidence already in this period's clues (built on first use)
	// for the conflicts between lists
	deaths     map[string][]RowRef // person → rows of 公安 reporting death
	appears    map[string][]string // person → lists (other than change lists) they appear in
	appearRefs map[string][]RowRef
	maybeDead  map[string]bool // the IDs a change list reports dead: appearances are kept for these only
	reviewing  sync.Mutex      // the review index builds itself on first use: one list at a time
}

func newMatcher(in MatchInput) *matcher {
	r := in.Roster
	if r == nil {
		r = NewRoster(nil)
	}
	m := &matcher{in: in, roster: r, review: newReviewIndex(r), towns: r.Townships(),
		computed: map[string]*Clue{}, deaths: map[string][]RowRef{}, appears: map[string][]string{}, appearRefs: map[string][]RowRef{}}
	m.maybeDead = m.reportedDead()
	m.res.Outcomes = make([][]RowOutcome, len(in.Lists))
	m.res.Counts.Period = in.Period
	return m
}

// reportedDead is every ID a change list's rows report dead, by the row's
// ID cell and by the person the officer confirmed for the row in review: at
// least every person addRow will find dead, so that the appearances the
// conflicts need are kept for those few instead of for every row.
func (m *matcher) reportedDead() map[string]bool {
	out := map[string]bool{}
	for li := range m.in.Lists {
		ld := &m.in.Lists[li]
		if lt := m.in.Catalog.findList(ld.Rec.Dept, ld.Rec.List); lt == nil || !lt.Change {
			continue
		}
		l := listRun{rec: &ld.Rec}
		for ri := range ld.Rows {
			row := &ld.Rows[ri]
			if !l.reportsDeath(row) {
				continue
			}
			out[ParseID(l.col(row, "id")).Norm] = true
			if dec, ok := m.in.Reviews[RowRef{ld.Rec.Seq, row.Line}]; ok && dec.Person != "" {
				out[dec.Person] = true
				if p, ok := m.roster.Person(dec.Person); ok {
					out[p.ID] = true
				}
			}
		}
	}
	return out
}

// listRun is one list while it is compared: its rows' outcomes and the
// rows grouped by person, in the order the persons first appear.
type listRun struct {
	rec      *ListImport
	lt       *ListType // nil when the catalog no longer has the list
	rule     Rule      // the list's rule in force for the period
	rows     []DeptRow
	out      []RowOutcome
	byPerson map[string]*personRows
	people   []*personRows // in the order they first appear
	unit     float64       // the amount column's unit in 元, from its header (万元: 10000)
	tally    listTally
}

// listTally is what classifying a list found besides its persons' rows,
// kept with the list until the comparison takes it in (absorb), in order.
type listTally struct {
	rows, matched, offRoster, invalid, review int
	conflicts                                 []Conflict
	reviewItems                               []ReviewItem
	deaths                                    []personRef // rows of 公安 reporting a death
	appears                                   []personRef // rows of other lists naming a person reported dead
}

type personRef struct {
	id  string
	ref RowRef
}

// col is a row's cell for a column key, or "" when the list has no such column.
func (l *listRun) col(row *DeptRow, key string) string {
	i, ok := l.rec.Columns[key]
	if !ok || i >= len(row.Cells) {
		return ""
	}
	return row.Cells[i]
}

// reportsDeath reports a row of a change list (公安's 人口变动) that says
// the person died.
func (l *listRun) reportsDeath(row *DeptRow) bool {
	return strings.Contains(l.col(row, "change"), "死亡")
}

// amountKey is the column the list's amount rule sums.
func (l *listRun) amountKey() string {
	if l.lt != nil && l.rule.Kind == "amount" {
		return l.rule.Field
	}
	return "amount"
}

// classifyRows classifies list li and takes in what it found.
func (m *matcher) classifyRows(li int) *listRun {
	l := m.classify(li)
	m.absorb(li, l)
	return l
}

// absorb takes in what classifying list li found: its outcomes, counts,
// conflicts, rows to review, deaths and appearances, in list order.
func (m *matcher) absorb(li int, l *listRun) {
	t := &l.tally
	m.res.Outcomes[li] = l.out
	c := &m.res.Counts
	c.Lists++
	c.Rows += t.rows
	c.Matched += t.matched
	c.OffRoster += t.offRoster
	c.Invalid += t.invalid
	c.Review += t.review
	m.res.Conflicts = append(m.res.Conflicts, t.conflicts...)
	m.res.Review = append(m.res.Review, t.reviewItems...)
	for _, d := range t.deaths {
		m.deaths[d.id] = append(m.deaths[d.id], d.ref)
	}
	for _, a := range t.appears {
		m.appears[a.id] = append(m.appears[a.id], l.rec.Dept+"·"+l.rec.List)
		m.appearRefs[a.id] = append(m.appearRefs[a.id], a.ref)
	}
	l.tally = listTally{}
}

// classify puts every row of list li in one bucket (matched, off the
// roster, review, invalid) and groups the usable rows by person. It
// writes only to the list's run (and the review index, under its lock):
// it runs beside the rules of the lists before and the classifying of
// another list (Match).
func (m *matcher) classify(li int) *listRun {
	ld := &m.in.Lists[li]
	l := &listRun{rec: &ld.Rec, lt: m.in.Catalog.findList(ld.Rec.Dept, ld.Rec.List), rows: ld.Rows,
		out: make([]RowOutcome, len(ld.Rows)), byPerson: make(map[string]*personRows, len(ld.Rows))}
	if l.lt != nil {
		l.rule = l.lt.RuleFor(m.in.Period)
	}
	l.unit = 1
	if i, ok := l.rec.Columns[l.amountKey()]; ok && i < len(l.rec.Header) {
		l.unit = AmountUnit(l.rec.Header[i])
	}
	// who each row is, found for parts of a large list side by side; then
	// the usable rows are grouped by person, in row order
	who := make([]rowWho, len(l.rows))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(l.rows)/identifyPart))
	tallies := make([]listTally, parts)
	par.Each(parts, parts, func(k int) error {
		for ri := k * len(l.rows) / parts; ri < (k+1)*len(l.rows)/parts; ri++ {
			w := &who[ri]
			w.person, w.id, w.confirmed, w.usable = m.identify(l, ri, &tallies[k])
		}
		return nil
	})
	for k := range tallies { // in row order, as one pass would have found them
		t := &tallies[k]
		l.tally.matched += t.matched
		l.tally.offRoster += t.offRoster
		l.tally.invalid += t.invalid
		l.tally.review += t.review
		l.tally.conflicts = append(l.tally.conflicts, t.conflicts...)
		l.tally.reviewItems = append(l.tally.reviewItems, t.reviewItems...)
	}
	l.tally.rows = len(l.rows)
	for ri := range who {
		if w := &who[ri]; w.usable {
			m.addRow(l, ri, w.person, w.id, w.confirmed)
		}
	}
	return l
}

// rowWho is who a row is (identify).
type rowWho struct {
	person    *Person
	id        string
	confirmed bool
	usable    bool
}

// identifyPart is the fewest rows a list has for each part of it
// identified side by side.
const identifyPart = 16384

// identify decides who row ri is: a roster person (possibly confirmed in
// review), someone off the roster by a valid ID, or nobody usable — then
// the row's outcome is set to review or invalid and usable is false.
// What it finds is counted in t.
func (m *matcher) identify(l *listRun, ri int, t *listTally) (person *Person, id string, confirmed, usable bool) {
	row := &l.rows[ri]
	o := &l.out[ri]
	switch {
	case row.DupOf > 0:
		l.invalid(o, t, row.Problem)
		return nil, "", false, false
	case row.Problem != "" && row.Field == "id":
		p, ok := m.reviewRow(l, ri, t)
		if !ok {
			return nil, "", false, false
		}
		person, id, confirmed = p, p.ID, true
	case row.Problem != "":
		l.invalid(o, t, row.Problem)
		return nil, "", false, false
	default:
		// a valid row's ID: cleaned, and read in full only when it is a
		// 15-digit one to write as 18
		if id = CleanIDText(l.col(row, "id")); len(id) != 18 {
			id = ParseID(l.col(row, "id")).Norm
		}
		person, _ = m.roster.Person(id)
	}
	name := CleanName(l.col(row, "name"))
	if person != nil {
		t.matched++
		*o = RowOutcome{Bucket: BucketMatched}
		if !confirmed && name != "" && name != person.Name {
			t.conflicts = append(t.conflicts, Conflict{Kind: "姓名不一致", Person: person.ID, Name: person.Name,
				Detail: fmt.Sprintf("%s·%s 第%d行写的是“%s”，名册中该身份证号是“%s”", l.rec.Dept, l.rec.List, row.Line, name, person.Name),
				Refs:   []RowRef{{l.rec.Seq, row.Line}}})
		}
	} else {
		t.offRoster++
		*o = RowOutcome{Bucket: BucketOffRoster}
	}
	return person, id, confirmed, true
}

func (l *listRun) invalid(o *RowOutcome, t *listTally, reason string) {
	*o = RowOutcome{Bucket: BucketInvalid, Reason: reason}
	t.invalid++
}

// reviewRow handles a row whose ID cannot be used: the person the officer
// confirmed, else a review item with candidates, else (no name, or nobody
// left after the officer's rejections) an invalid row.
func (m *matcher) reviewRow(l *listRun, ri int, t *listTally) (*Person, bool) {
	row := &l.rows[ri]
	o := &l.out[ri]
	ref := RowRef{l.rec.Seq, row.Line}
	name := CleanName(l.col(row, "name"))
	if name == "" {
		l.invalid(o, t, row.Problem+"，且姓名为空")
		return nil, false
	}
	dec, decided := m.in.Reviews[ref]
	if decided && dec.Person != "" {
		if p, ok := m.roster.Person(dec.Person); ok {
			return p, true
		}
	}
	m.reviewing.Lock()
	cands := m.review.candidates(name, l.col(row, "id"), l.col(row, "township"), l.col(row, "village"), dec.Rejected)
	m.reviewing.Unlock()
	if decided && len(cands) == 0 {
		l.invalid(o, t, row.Problem+"；复核未能确认身份，请退回部门核实")
		return nil, false
	}
	t.reviewItems = append(t.reviewItems, ReviewItem{Ref: ref, Dept: l.rec.Dept, List: l.rec.List, File: l.rec.File, Name: name,
		RawID: l.col(row, "id"), Problem: row.Problem, Header: l.rec.Header, Cells: row.Cells, Candidates: cands})
	*o = RowOutcome{Bucket: BucketReview, Reason: row.Problem}
	t.review++
	return nil, false
}

// addRow adds a usable row to its person's rows in the list: amounts are
// summed, the first place named is kept, and deaths and appearances are
// noted for the conflicts.
func (m *matcher) addRow(l *listRun, ri int, person *Person, id string, confirmed bool) {
	row := &l.rows[ri]
	ref := RowRef{l.rec.Seq, row.Line}
	pr := l.byPerson[id]
	if pr == nil {
		pr = &personRows{id: id, name: CleanName(l.col(row, "name")), onRoster: person, confirm: confirmed}
		if person != nil {
			pr.name = person.Name
		}
		l.byPerson[id] = pr
		l.people = append(l.people, pr)
	}
	pr.refs = append(pr.refs, ref)
	pr.idx = append(pr.idx, ri)
	pr.rows = append(pr.rows, row)
	if a, ok := ParseAmountIn(l.col(row, l.amountKey()), l.unit); ok {
		pr.amount += a // amounts of one person within one list are summed
	}
	if pr.township == "" {
		pr.township, pr.village = placeOf(l.col(row, "township"), l.col(row, "village"), l.col(row, "address"), m.towns)
	}
	if l.lt != nil && l.lt.Change {
		if l.reportsDeath(row) {
			l.tally.deaths = append(l.tally.deaths, personRef{id, ref})
		}
	} else if m.maybeDead[id] {
		l.tally.appears = append(l.tally.appears, personRef{id, ref})
	}
}

// applyRules applies the list's rule to each person's rows: below the line
// the rows are marked so; above it the person's risk joins the clue of the
// household (or of the person, off the roster).
func (m *matcher) applyRules(l *listRun) {
	for _, pr := range l.people {
		v := evaluate(l.lt, l.rule, l.rec, pr, l.col)
		if !v.raise {
			m.below(l, pr, "")
			continue
		}
		kind := KindRisk
		if l.lt != nil && l.lt.Change {
			if pr.onRoster == nil {
				m.below(l, pr, "名册外人员的人口变动，不生成信息变更")
				continue
			}
			kind = KindChange
		}
		r := m.risk(l, pr, v)
		if m.followUp(l, pr, kind, &r) {
			continue
		}
		c := m.clueFor(kind, pr)
		c.addPerson(pr.id, pr.name)
		c.Risks = append(c.Risks, r)
		for _, i := range pr.idx {
			l.out[i].Clue = c.Key // replaced by the clue ID when merged
		}
	}
}

func (m *matcher) below(l *listRun, pr *personRows, reason string) {
	for _, i := range pr.idx {
		l.out[i].Below = true
		if reason != "" {
			l.out[i].Reason = reason
		}
		m.res.Counts.BelowThreshold++
	}
}

// risk is what a person's rows in a list say, as evidence on a clue.
func (m *matcher) risk(l *listRun, pr *personRows, v verdict) Risk {
	riskType := "其他"
	if l.lt != nil {
		riskType = l.lt.RiskType
	}
	lines := make([]int, len(pr.refs))
	for i, ref := range pr.refs {
		lines[i] = ref.Line
	}
	r := Risk{Dept: l.rec.Dept, List: l.rec.List, Type: riskType, Amount: pr.amount, Detail: v.detail, Person: pr.id,
		Name: pr.name, Import: l.rec.Seq, Lines: lines, File: l.rec.File, Added: m.in.Now, Rule: v.rule, Level: v.level}
	if pr.confirm {
		r.Matched = "复核确认"
	}
	return r
}

// followUp decides whether a person's risk follows up an assigned clue of
// an earlier period (DESIGN.md §4): then it is kept as a follow-up and
// raises no clue. A risk that rose by the rule's threshold or changed
// level is raised again, saying why; evidence already in one of this
// period's clues (an earlier run's, or raised by hand) stays there.
func (m *matcher) followUp(l *listRun, pr *personRows, kind string, r *Risk) bool {
	if l.lt == nil || l.rule.Kind == "none" {
		return false // a roster change is reported each time it comes (see FollowUpText)
	}
	p, ok := m.history().prior.last[r.EvidenceKey()]
	if !ok || !p.assigned || !inWindow(l.rule, p.period, m.in.Period) {
		return false
	}
	onRoster := pr.onRoster != nil && pr.onRoster.Category.OnRoster()
	if again := againReason(l.rule, l.lt.columnLabel(l.rule.Field), l.lt.columnLabel(l.rule.Level), p, r.Amount, r.Level, onRoster); again != "" {
		r.Again = again
		m.res.Counts.RaisedAgain++
		return false
	}
	if m.held[r.EvidenceKey()] {
		return false // already in a clue of the period: it stays there
	}
	c := m.newClue(kind, pr)
	m.res.FollowUps = append(m.res.FollowUps, FollowUp{Period: m.in.Period, Kind: kind, Key: c.Key, Of: p.clue, Township: c.Township,
		Village: c.Village, Household: c.Household, Head: c.Head, Category: c.Category, Risk: *r})
	m.res.Counts.FollowUps++
	for _, i := range pr.idx {
		l.out[i].FollowUp = p.clue
	}
	return true
}

// history indexes the earlier periods' clues and the evidence already in
// this period's, once.
func (m *matcher) history() *matcher {
	if m.prior == nil {
		m.prior = newPriorIndex(m.in.Earlier, m.in.Period)
		m.held = map[string]bool{}
		for i := range m.in.Existing {
			for j := range m.in.Existing[i].Risks {
				m.held[m.in.Existing[i].Risks[j].EvidenceKey()] = true
			}
		}
	}
	return m
}

// clueFor is this run's clue of the person's household (or of the person,
// off the roster), made on first use.
func (m *matcher) clueFor(kind string, pr *personRows) *Clue {
	c := m.newClue(kind, pr)
	if prev, ok := m.computed[c.Key]; ok {
		return prev
	}
	m.computed[c.Key] = c
	m.order = append(m.order, c.Key)
	return c
}

// newClue is an empty clue of the person's household (or of the person,
// off the roster), placed in its township and village.
func (m *matcher) newClue(kind string, pr *personRows) *Clue {
	c := &Clue{Kind: kind, Period: m.in.Period, Source: SourceCompare}
	if p := pr.onRoster; p != nil {
		h := m.roster.Households[p.HouseholdNo]
		c.Key = ClueKey(kind, p.HouseholdNo, "")
		c.Household, c.Township, c.Village, c.Category = p.HouseholdNo, h.Township, h.Village, h.Category
		c.Head = h.Head
	} else {
		c.Key = ClueKey(kind, "", pr.id)
		c.Category = CategoryOther
		c.Township, c.Village = pr.township, pr.village
		if c.Township != "" && len(m.towns) > 0 && !slices.Contains(m.towns, c.Township) {
			// a township the county does not have (a typo, another county,
			// or text made to become a path): the officer sets it
			c.Township = ""
		}
		if c.Township == "" {
			if e, ok := m.in.Register[pr.id]; ok {
				c.Township, c.Village = e.Township, e.Village
			}
		}
		if c.Township == "" {
			c.Township = UnknownTownship
		}
		c.Head = pr.name
	}
	return c
}

// findConflicts lists where departments, or a department and the roster,
// disagree: a roster person reported dead, and a dead person still in
// other lists.
func (m *matcher) findConflicts() {
	dead := make([]string, 0, len(m.deaths))
	for pid := range m.deaths {
		dead = append(dead, pid)
	}
	sort.Strings(dead)
	for _, pid := range dead {
		name := ""
		if p, ok := m.roster.Person(pid); ok {
			name = p.Name
			m.res.Conflicts = append(m.res.Conflicts, Conflict{Kind: "名册人员死亡", Person: pid, Name: name,
				Detail: "公安局报告该名册内人员死亡，请在全国防返贫监测信息系统中核实并标注", Refs: m.deaths[pid]})
		}
		if lists := m.appears[pid]; len(lists) > 0 {
			m.res.Conflicts = append(m.res.Conflicts, Conflict{Kind: "部门数据打架", Person: pid, Name: name,
				Detail: "公安局报告死亡，但本月仍出现在 " + strings.Join(Unique(lists), "、") + " 中",
				Refs:   append(append([]RowRef{}, m.deaths[pid]...), m.appearRefs[pid]...)})
		}
	}
	m.res.Counts.Conflicts = len(m.res.Conflicts)
}

// mergeClues merges this run's clues into the period's existing ones: an
// existing clue keeps its number and gains the new evidence; a new clue is
// numbered after the last and checked for a repeat of an earlier open clue.
func (m *matcher) mergeClues() {
	existing := map[string]int{}
	next := 0
	m.res.Clues = slices.Grow(m.res.Clues, len(m.in.Existing)+len(m.order))
	for i := range m.in.Existing {
		c := m.in.Existing[i]
		c.Persons = append([]CluePerson(nil), c.Persons...)
		c.Risks = append([]Risk(nil), c.Risks...)
		m.res.Clues = append(m.res.Clues, c)
		existing[c.Key] = len(m.res.Clues) - 1
		if n := clueNumber(c.ID); n > next {
			next = n
		}
	}
	keyToID := map[string]string{}
	for _, key := range m.order {
		nc := m.computed[key]
		if i, ok := existing[key]; ok {
			c := &m.res.Clues[i]
			if c.mergeEvidence(nc, m.in.Now) {
				c.Updated = m.in.Now
				m.res.Counts.UpdatedClues++
			}
			keyToID[key] = c.ID
			continue
		}
		next++
		nc.ID = ClueID(m.in.Period, next)
		nc.Status = StatusPending
		nc.Created, nc.Updated = m.in.Now, m.in.Now
		nc.RepeatOf = m.history().prior.repeatOf(nc)
		m.res.Clues = append(m.res.Clues, *nc)
		keyToID[key] = nc.ID
		m.res.Counts.NewClues++
	}
	for _, out := range m.res.Outcomes {
		for i := range out {
			if out[i].Clue != "" {
				out[i].Clue = keyToID[out[i].Clue]
			}
		}
	}
	m.res.Clues = sortedByID(m.res.Clues)
}

// sortedByID lays clues out in the order of their numbers as text, as
// sort.Slice by ID would: their places are sorted and each clue, a large
// struct, is copied once, not swapped about (numbers past 9999 are out of
// that order as they are made).
func sortedByID(clues []Clue) []Clue {
	idx := make([]int32, len(clues))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return strings.Compare(clues[a].ID, clues[b].ID) })
	out := make([]Clue, len(clues))
	for k, i := range idx {
		out[k] = clues[i]
	}
	return out
}

// countClues counts the period's risk clues and information changes.
func (m *matcher) countClues() {
	for i := range m.res.Clues {
		if m.res.Clues[i].Kind == KindChange {
			m.res.Counts.Changes++
		} else {
			m.res.Counts.Clues++
		}
	}
}

func clueNumber(id string) int {
	i := strings.LastIndexByte(id, '-')
	n, _ := strconv.Atoi(id[i+1:])
	return n
}

func (c *Clue) addPerson(id, name string) {
	for _, p := range c.Persons {
		if p.ID == id {
			return
		}
	}
	c.Persons = append(c.Persons, CluePerson{Name: name, ID: id})
}

// mergeEvidence brings a run's evidence into an existing clue. Before the
// clue is assigned, evidence is brought up to date (a department may send a
// corrected list); after, only new evidence is added, marked as late.
func (c *Clue) mergeEvidence(nc *Clue, now time.Time) bool {
	changed := false
	have := map[string]int{}
	for i := range c.Risks {
		have[c.Risks[i].EvidenceKey()] = i
	}
	for _, r := range nc.Risks {
		i, ok := have[r.EvidenceKey()]
		switch {
		case !ok:
			if c.Assigned() {
				r.Late = true
			}
			c.Risks = append(c.Risks, r)
			c.addPerson(r.Person, r.Name)
			changed = true
		case !c.Assigned() && (c.Risks[i].Amount != r.Amount || c.Risks[i].Detail != r.Detail || c.Risks[i].Import != r.Import):
			r.Added = c.Risks[i].Added
			if r.Again == "" {
				r.Again = c.Risks[i].Again // raised by hand: it says so still
			}
			c.Risks[i] = r
			changed = true
		}
	}
	return changed
}

// The rule texts of lists whose every row is a risk or a change: they say
// nothing a sheet's 线索来源 column does not, and are not printed there.
const (
	ruleListed = "列入"
	ruleChange = "人口变动：名册内人员生成信息变更"
)

// verdict is what a list's rule says of one person's rows: whether they
// raise a risk, the evidence in words, the rule's reasoning in words
// ("个人自付金额 5,234.50 元 ≥ 5,000 元（名册内）") and the value of the
// rule's level column.
type verdict struct {
	raise               bool
	detail, rule, level string
}

// evaluate applies a list's rule (the one in force for the period) to one
// person's rows in it.
func evaluate(lt *ListType, rule Rule, rec *ListImport, pr *personRows, col func(*DeptRow, string) string) verdict {
	if lt == nil {
		return verdict{raise: true, detail: rec.List, rule: "部门目录中已没有这类清单，每一行都作为风险"}
	}
	values := func(row *DeptRow) string {
		var parts []string
		for _, f := range lt.Columns {
			if v := col(row, f.Key); v != "" && f.Key != rule.Field {
				parts = append(parts, f.Label+"："+v)
			}
		}
		return strings.Join(parts, "，")
	}
	first := pr.rows[0]
	v := verdict{raise: true}
	if rule.Level != "" {
		v.level = col(first, rule.Level)
	}
	switch rule.Kind {
	case "none":
		v.detail, v.rule = lt.Name+"："+values(first), ruleChange
	case "any":
		v.detail, v.rule = lt.Name, ruleListed+"“"+lt.Name+"”清单即预警"
		if s := values(first); s != "" {
			v.detail += "（" + s + "）"
		}
	case "amount":
		// the row's other values are written out only for a bill over the line
		return evaluateAmount(lt, rule, pr, func() string { return values(first) }, v)
	case "match":
		for _, row := range pr.rows {
			if alt := matchingAlt(rule, row, col); alt != nil {
				var conds []string
				for _, c := range alt {
					conds = append(conds, lt.columnLabel(c.Field)+"为“"+col(row, c.Field)+"”")
				}
				v.detail, v.rule = lt.Name+"（"+values(row)+"）", strings.Join(conds, "且")+"，符合预警条件"
				if rule.Level != "" {
					v.level = col(row, rule.Level)
				}
				return v
			}
		}
		return verdict{}
	default:
		v.detail, v.rule = lt.Name, "规则未知，每一行都作为风险"
	}
	return v
}

// evaluateAmount applies an amount rule: the person's amounts in the list,
// summed, against the line on or off the roster.
func evaluateAmount(lt *ListType, rule Rule, pr *personRows, values func() string, v verdict) verdict {
	limit, where := rule.OffRoster, "名册外"
	if pr.onRoster != nil && pr.onRoster.Category.OnRoster() {
		limit, where = rule.OnRoster, "名册内"
	}
	lim := Amount(int64(limit*100 + 0.5))
	if !(pr.amount > lim || (rule.Op == ">=" && pr.amount == lim)) {
		return verdict{} // most bills are below the line: no words needed
	}
	label := lt.columnLabel(rule.Field)
	v.detail = fmt.Sprintf("%s %s %s 元", lt.Name, label, YuanText(pr.amount))
	if len(pr.rows) > 1 {
		v.detail = fmt.Sprintf("%s %s合计 %s 元（%d 条记录）", lt.Name, label, YuanText(pr.amount), len(pr.rows))
	}
	if s := values(); s != "" {
		v.detail += "，" + s
	}
	op := map[string]string{">=": "≥", ">": "＞"}[rule.Op]
	v.rule = fmt.Sprintf("%s %s 元 %s %s 元（%s）", label, YuanText(pr.amount), op, YuanText(lim), where)
	return v
}

// matchingAlt is the first alternative of a value rule the row meets.
func matchingAlt(rule Rule, row *DeptRow, col func(*DeptRow, string) string) []Cond {
	for _, alt := range rule.AnyOf {
		ok := true
		for _, c := range alt {
			if !valueIn(col(row, c.Field), c.In) {
				ok = false
				break
			}
		}
		if ok {
			return alt
		}
	}
	return nil
}

func valueIn(v string, set []string) bool {
	n := NormalizeHeader(v)
	if n == "" {
		return false
	}
	for _, s := range set {
		if NormalizeHeader(s) == n {
			return true
		}
	}
	return false
}

// YuanText writes an amount with thousands separators: 12,345.67.
func YuanText(a Amount) string {
	s := a.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	out := b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// placeOf finds the township and village a row names, in its columns or its address.
func placeOf(town, village, address string, known []string) (string, string) {
	town, village = strings.TrimSpace(town), strings.TrimSpace(village)
	if town != "" {
		return town, village
	}
	for _, t := range known {
		if t != "" && strings.Contains(address, t) {
			rest := address[strings.Index(address, t)+len(t):]
			if i := strings.Index(rest, "村"); i >= 0 {
				village = rest[:i+len("村")]
			}
			return t, village
		}
	}
	return "", village
}

func (c *Catalog) findList(dept, list string) *ListType {
	d, ok := c.Dept(dept)
	if !ok {
		return nil
	}
	l, err := d.List(list)
	if err != nil {
		return nil
	}
	return l
}

// reviewIndex finds roster persons who may be meant by a row with a bad ID.
type reviewIndex struct {
	r        *Roster
	byName   map[string][]int
	byPinyin map[string][]int
	syllable map[rune]string
}

var pinyinArgs = pinyin.NewArgs()

// namePinyin is a name's sound, syllable by syllable without tones; the
// syllable of each character is looked up once (names share few characters).
func (x *reviewIndex) namePinyin(name string) string {
	var b strings.Builder
	for _, r := range name {
		py, ok := x.syllable[r]
		if !ok {
			parts := pinyin.LazyPinyin(string(r), pinyinArgs)
			if len(parts) > 0 {
				py = parts[0]
			} else {
				py = string(r) // not a Han character: itself
			}
			x.syllable[r] = py
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(py)
	}
	return b.String()
}

func newReviewIndex(r *Roster) *reviewIndex {
	return &reviewIndex{r: r, syllable: map[rune]string{}}
}

// build makes the indexes on first use: most months have few rows to review.
func (x *reviewIndex) build() {
	if x.byName != nil {
		return
	}
	n := len(x.r.Persons)
	x.byName, x.byPinyin = make(map[string][]int, n/2), map[string][]int{}
	for i := range x.r.Persons {
		p := &x.r.Persons[i]
		x.byName[p.Name] = append(x.byName[p.Name], i)
	}
}

func (x *reviewIndex) pinyinIndex() {
	if len(x.byPinyin) > 0 || len(x.r.Persons) == 0 {
		return
	}
	for i := range x.r.Persons {
		py := x.namePinyin(x.r.Persons[i].Name)
		x.byPinyin[py] = append(x.byPinyin[py], i)
	}
}

// candidates ranks roster persons for a row: same first 15 digits, same
// name and birth date, same name and village or township, and names that
// sound the same (pinyin) with the same birth date or village.
func (x *reviewIndex) candidates(name, rawID, town, village string, rejected []string) []Candidate {
	x.build()
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, CleanIDText(rawID))
	birth := ""
	if len(digits) >= 14 {
		if _, ok := birthDate(digits[6:14]); ok {
			birth = digits[6:14]
		}
	}
	s := &candidateScores{x: x, no: map[string]bool{}, score: map[int]*Candidate{}}
	for _, id := range rejected {
		s.no[id] = true
	}
	if len(digits) >= 15 {
		// the roster IDs that share the first 15 digits: the two digits after
		// them decide the check digit, so a hundred look-ups find them all
		for d := 0; d < 100; d++ {
			first := digits[:15] + string(rune('0'+d/10)) + string(rune('0'+d%10))
			if i, ok := x.r.byID.get(first + string(IDCheckDigit(first))); ok {
				s.add(i, 3, "身份证号前15位相同")
			}
		}
	}
	for _, i := range x.byName[name] {
		p := &x.r.Persons[i]
		if birth != "" && p.ID[6:14] == birth {
			s.add(i, 3, "姓名和出生日期相同")
		}
		if village != "" && p.Village == village {
			s.add(i, 2, "姓名和村相同")
		} else if town != "" && p.Township == town {
			s.add(i, 1, "姓名和乡镇相同")
		}
	}
	if len(s.score) == 0 || birth != "" || village != "" {
		x.pinyinIndex()
		for _, i := range x.byPinyin[x.namePinyin(name)] {
			p := &x.r.Persons[i]
			if p.Name == name {
				continue
			}
			if (birth != "" && p.ID[6:14] == birth) || (village != "" && p.Village == village) {
				s.add(i, 1, "姓名同音（"+p.Name+"）")
			}
		}
	}
	return s.best(5)
}

// candidateScores adds up why each roster person may be the one meant.
type candidateScores struct {
	x     *reviewIndex
	no    map[string]bool // rejected by the officer
	score map[int]*Candidate
}

// add scores person i for a reason, once per reason.
func (s *candidateScores) add(i, score int, why string) {
	p := &s.x.r.Persons[i]
	if s.no[p.ID] {
		return
	}
	c := s.score[i]
	if c == nil {
		c = &Candidate{ID: p.ID, Name: p.Name, Township: p.Township, Village: p.Village, House: p.HouseholdNo}
		s.score[i] = c
	}
	for _, r := range c.Reasons {
		if r == why {
			return
		}
	}
	c.Score += score
	c.Reasons = append(c.Reasons, why)
}

// best is the n highest-scored candidates, ties by ID.
func (s *candidateScores) best(n int) []Candidate {
	out := make([]Candidate, 0, len(s.score))
	for _, c := range s.score {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
