package engine

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Category is where a person stands with respect to the roster.
type Category int

const (
	CategoryOther        Category = iota // 一般农户 / 名册外
	CategoryFormerlyPoor                 // 脱贫户
	CategoryMonitored                    // 监测对象
)

func (c Category) String() string {
	switch c {
	case CategoryFormerlyPoor:
		return "脱贫户"
	case CategoryMonitored:
		return "监测对象"
	}
	return "一般农户"
}

// OnRoster reports 名册内: formerly poor or monitored.
func (c Category) OnRoster() bool { return c == CategoryFormerlyPoor || c == CategoryMonitored }

// The three monitored types (三类监测对象).
const (
	MonitorUnstable   = "脱贫不稳定户"
	MonitorMarginal   = "边缘易致贫户"
	MonitorSuddenHard = "突发严重困难户"
)

// MonitorTypes lists the three monitored types in their official order.
var MonitorTypes = []string{MonitorUnstable, MonitorMarginal, MonitorSuddenHard}

// Person is one member of a roster household.
type Person struct {
	ID             string // 18 characters
	Name           string
	Sex            string
	HouseholdNo    string
	Relation       string // 与户主关系
	Township       string
	Village        string
	Group          string // 村民小组
	Category       Category
	MonitorType    string
	RiskEliminated bool
	Helper         string // 帮扶责任人
	Phone          string
	Line           int // row in the imported file
}

// Household is a roster household with its members' IDs.
type Household struct {
	No             string
	Head           string
	HeadID         string
	Township       string
	Village        string
	Group          string
	Category       Category
	MonitorType    string
	RiskEliminated bool
	Helper         string
	Phone          string
	Members        []string // person IDs, head first
}

// Roster is the base roster held in memory, with its indexes.
type Roster struct {
	Persons    []Person // sorted by township, village, household, head first
	Households map[string]*Household
	byID       personIndex
}

// personIndex finds a person's place in the roster by ID: keyed by the ID
// packed into a number (idKey), which a large roster looks up several
// times faster than by the text; an ID that does not pack (a roster may
// hold a damaged one) by its text.
type personIndex struct {
	packed map[uint64]int32
	other  map[string]int32
}

func newPersonIndex(n int) personIndex {
	return personIndex{packed: make(map[uint64]int32, n), other: map[string]int32{}}
}

func (x personIndex) put(id string, i int) {
	if k, ok := idKey(id); ok {
		x.packed[k] = int32(i)
	} else {
		x.other[id] = int32(i)
	}
}

func (x personIndex) get(id string) (int, bool) {
	var i int32
	var ok bool
	if k, packs := idKey(id); packs {
		i, ok = x.packed[k]
	} else {
		i, ok = x.other[id]
	}
	return int(i), ok
}

// rosterOrder lays the persons out in the roster's order (compareInRoster).
func rosterOrder(persons []Person) []Person {
	// sort positions, not the large structs, then lay the persons out once
	idx := make([]int32, len(persons))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int { return compareInRoster(&persons[i], &persons[j]) })
	ordered := make([]Person, len(persons))
	for k, i := range idx {
		ordered[k] = persons[i]
	}
	return ordered
}

// NewRoster builds the indexes and households from persons. Persons are
// sorted so the roster reads village by village, household by household.
func NewRoster(persons []Person) *Roster {
	return newRoster(rosterOrder(persons))
}

// NewRosterInOrder builds the roster from persons read in the order they
// were stored (store keeps them in the roster's order): when they are in
// that order, as checked person by person, the sort is skipped; otherwise
// they are sorted as NewRoster sorts them.
func NewRosterInOrder(persons []Person) *Roster {
	if !InRosterOrder(persons) {
		return NewRoster(persons)
	}
	return newRoster(persons)
}

// InRosterOrder reports persons laid out as NewRoster lays them out.
func InRosterOrder(persons []Person) bool {
	for i := 1; i < len(persons); i++ {
		if compareInRoster(&persons[i-1], &persons[i]) >= 0 {
			return false
		}
	}
	return true
}

// compareInRoster is the roster's order: township, village, household,
// the head first, the line in the file, the ID.
func compareInRoster(a, b *Person) int {
	if c := cmp.Compare(a.Township, b.Township); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Village, b.Village); c != 0 {
		return c
	}
	if c := cmp.Compare(a.HouseholdNo, b.HouseholdNo); c != 0 {
		return c
	}
	if ah, bh := isHeadRelation(a.Relation), isHeadRelation(b.Relation); ah != bh {
		if ah {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID))
}

func newRoster(persons []Person) *Roster {
	r := &Roster{Persons: persons, Households: make(map[string]*Household), byID: newPersonIndex(len(persons))}
	for i := range persons {
		p := &persons[i]
		r.byID.put(p.ID, i)
		h := r.Households[p.HouseholdNo]
		if h == nil {
			h = &Household{No: p.HouseholdNo, Township: p.Township, Village: p.Village, Group: p.Group,
				Category: p.Category, MonitorType: p.MonitorType, RiskEliminated: p.RiskEliminated,
				Helper: p.Helper, Phone: p.Phone}
			r.Households[p.HouseholdNo] = h
		}
		if isHeadRelation(p.Relation) && h.HeadID == "" {
			h.Head, h.HeadID = p.Name, p.ID
			h.Township, h.Village, h.Group = p.Township, p.Village, p.Group
		}
		if p.Category == CategoryMonitored {
			h.Category, h.MonitorType = CategoryMonitored, p.MonitorType
			h.RiskEliminated = p.RiskEliminated
		}
		h.Members = append(h.Members, p.ID)
	}
	for _, h := range r.Households {
		if h.HeadID == "" && len(h.Members) > 0 {
			i, _ := r.byID.get(h.Members[0])
			p := persons[i]
			h.Head, h.HeadID = p.Name, p.ID
		}
	}
	return r
}

func isHeadRelation(rel string) bool {
	rel = strings.TrimSpace(rel)
	return rel == "户主" || rel == "本人" || rel == "本人或户主" || rel == "户主本人"
}

// Person returns the roster person with the 18-character ID.
func (r *Roster) Person(id string) (*Person, bool) {
	i, ok := r.byID.get(id)
	if !ok {
		return nil, false
	}
	return &r.Persons[i], true
}

// Members returns the persons of a household, head first.
func (r *Roster) Members(householdNo string) []*Person {
	h := r.Households[householdNo]
	if h == nil {
		return nil
	}
	out := make([]*Person, 0, len(h.Members))
	for _, id := range h.Members {
		if p, ok := r.Person(id); ok {
			out = append(out, p)
		}
	}
	return out
}

// Townships lists the townships of the roster in order.
func (r *Roster) Townships() []string {
	seen := map[string]bool{}
	var out []string
	for i := range r.Persons {
		t := r.Persons[i].Township
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// Villages lists the villages of a township (all townships when empty).
func (r *Roster) Villages(township string) []string {
	seen := map[string]bool{}
	var out []string
	for i := range r.Persons {
		p := &r.Persons[i]
		if township != "" && p.Township != township {
			continue
		}
		if !seen[p.Village] {
			seen[p.Village] = true
			out = append(out, p.Village)
		}
	}
	sort.Strings(out)
	return out
}

// RosterFilter selects persons on the roster screen.
type RosterFilter struct {
	Township string
	Village  string
	Category Category // CategoryOther means any
	Query    string   // name, ID (or part of it), household number
}

// Filter returns the indexes of the persons that pass f.
func (r *Roster) Filter(f RosterFilter) []int {
	q := strings.TrimSpace(f.Query)
	qid := CleanIDText(q)
	out := make([]int, 0, 1024)
	for i := range r.Persons {
		p := &r.Persons[i]
		if f.Township != "" && p.Township != f.Township {
			continue
		}
		if f.Village != "" && p.Village != f.Village {
			continue
		}
		if f.Category != CategoryOther {
			h := r.Households[p.HouseholdNo]
			if h == nil || h.Category != f.Category {
				continue
			}
		}
		if q != "" && !strings.Contains(p.Name, q) && !strings.Contains(p.HouseholdNo, q) &&
			(len(qid) < 4 || !strings.Contains(p.ID, qid)) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// RosterStats counts a roster.
type RosterStats struct {
	Persons      int `json:"persons"`
	Households   int `json:"households"`
	FormerlyPoor int `json:"formerly_poor_households"`
	Monitored    int `json:"monitored_households"`
	RiskOpen     int `json:"monitored_risk_not_eliminated"`
	Townships    int `json:"townships"`
	Villages     int `json:"villages"`
}

// Stats counts persons, households by category, townships and villages.
func (r *Roster) Stats() RosterStats {
	s := RosterStats{Persons: len(r.Persons), Households: len(r.Households)}
	for _, h := range r.Households {
		switch h.Category {
		case CategoryFormerlyPoor:
			s.FormerlyPoor++
		case CategoryMonitored:
			s.Monitored++
			if !h.RiskEliminated {
				s.RiskOpen++
			}
		}
	}
	towns, villages := map[string]bool{}, map[string]bool{}
	for i := range r.Persons {
		towns[r.Persons[i].Township] = true
		villages[r.Persons[i].Township+"/"+r.Persons[i].Village] = true
	}
	s.Townships, s.Villages = len(towns), len(villages)
	return s
}

// RosterChanges is what a re-import changed compared with the roster before it.
type RosterChanges struct {
	Added           int `json:"added"`
	Removed         int `json:"removed"`
	Moved           int `json:"moved"` // other household, township or village
	CategoryChanged int `json:"category_changed"`
}

// DiffRosters compares the roster before a re-import with the new one.
func DiffRosters(old, cur *Roster) RosterChanges {
	var c RosterChanges
	if old == nil {
		c.Added = len(cur.Persons)
		return c
	}
	for i := range cur.Persons {
		p := &cur.Persons[i]
		o, ok := old.Person(p.ID)
		if !ok {
			c.Added++
			continue
		}
		if o.HouseholdNo != p.HouseholdNo || o.Township != p.Township || o.Village != p.Village {
			c.Moved++
		}
		if o.Category != p.Category || o.MonitorType != p.MonitorType || o.RiskEliminated != p.RiskEliminated {
			c.CategoryChanged++
		}
	}
	for i := range old.Persons {
		if _, ok := cur.Person(old.Persons[i].ID); !ok {
			c.Removed++
		}
	}
	return c
}

// RosterImport is the record kept of one roster import.
type RosterImport struct {
	Seq        int           `json:"seq"`
	At         time.Time     `json:"at"`
	Operator   string        `json:"operator"`
	Files      []string      `json:"files"`
	Rows       int           `json:"rows"`
	Valid      int           `json:"valid"`
	Invalid    int           `json:"invalid"`
	Duplicates int           `json:"duplicates"`
	Skipped    int           `json:"skipped"` // blank, 合计 and footer rows, not counted in Rows
	Stats      RosterStats   `json:"stats"`
	Changes    RosterChanges `json:"changes"`
	Issues     []Issue       `json:"issues"`
	Warnings   []Issue       `json:"warnings,omitempty"` // values read with a guess, the person kept
	Undone     time.Time     `json:"undone,omitzero"`    // when the import was undone, the roster before it put back
}

// The lines past which a roster import must be confirmed: it removes more
// than MaxRemovedShare of the persons, or changes a township of at least
// minTownForCheck persons by more than MaxTownshipChange.
const (
	MaxRemovedShare   = 0.05
	MaxTownshipChange = 0.30
	minTownForCheck   = 20
)

// RosterShrinks says, in the officer's words, why replacing old with cur
// looks like a mistake (a partial export, another county's file, a test
// file of ten persons): too many persons removed, or a township's count
// changed sharply. Nothing when old is empty or the change is ordinary.
func RosterShrinks(old *Roster, ch RosterChanges, cur *Roster) []string {
	if old == nil || len(old.Persons) == 0 {
		return nil
	}
	var out []string
	if share := float64(ch.Removed) / float64(len(old.Persons)); share > MaxRemovedShare {
		out = append(out, fmt.Sprintf("这次导入会使基础名册减少 %d 人（现有 %d 人的 %.1f%%），导入后只有 %d 人；常见原因是只导出了部分乡镇或选错了文件",
			ch.Removed, len(old.Persons), share*100, len(cur.Persons)))
	}
	count := func(r *Roster) map[string]int {
		m := map[string]int{}
		for i := range r.Persons {
			m[r.Persons[i].Township]++
		}
		return m
	}
	before, after := count(old), count(cur)
	for _, t := range old.Townships() {
		b, a := before[t], after[t]
		if b < minTownForCheck {
			continue
		}
		if change := math.Abs(float64(a-b)) / float64(b); change > MaxTownshipChange {
			out = append(out, fmt.Sprintf("%s 由 %d 人变为 %d 人", t, b, a))
		}
	}
	return out
}
