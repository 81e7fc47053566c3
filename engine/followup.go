package engine

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Look-back of a list's follow-ups, in months (DESIGN.md §4).
const (
	DefaultWindow = 12
	MaxWindow     = 60
)

// LookBack is the rule's follow-up window in months.
func (r Rule) LookBack() int {
	if r.Window <= 0 {
		return DefaultWindow
	}
	return r.Window
}

// MaxLookBack is the longest look-back of any list's rule, current or
// earlier, in months: a comparison needs the clues of that many months
// before it (and the open ones of any age), no more.
func (c *Catalog) MaxLookBack() int {
	longest := 0
	for _, d := range c.Departments {
		for _, l := range d.Lists {
			for _, r := range append(append([]Rule(nil), l.Earlier...), l.Rule) {
				longest = max(longest, r.LookBack())
			}
		}
	}
	return longest
}

// RuleFor is the rule in force for a period: the latest rule whose From is
// not after it. A period before every rule's From gets the oldest rule.
func (l *ListType) RuleFor(period string) Rule {
	best := l.Rule
	if best.From == "" || best.From <= period {
		return best
	}
	for i := len(l.Earlier) - 1; i >= 0; i-- {
		best = l.Earlier[i]
		if best.From == "" || best.From <= period {
			return best
		}
	}
	return best
}

// sameRule reports whether two rules say the same, whatever their From.
func sameRule(a, b Rule) bool {
	a.From, b.From = "", ""
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// DateRuleChanges marks every list whose rule differs from the one in old
// as in force from the month from on; the rule it replaces is kept in
// Earlier, for comparing earlier months again. A rule replaced in the same
// month it took effect is dropped, as are rules set to start after from.
func (c *Catalog) DateRuleChanges(old *Catalog, from string) {
	for di := range c.Departments {
		d := &c.Departments[di]
		for li := range d.Lists {
			l := &d.Lists[li]
			ol := old.findList(d.Name, l.Name)
			if ol == nil || sameRule(ol.Rule, l.Rule) {
				continue
			}
			var earlier []Rule
			for _, r := range append(append([]Rule(nil), ol.Earlier...), ol.Rule) {
				if r.From == "" || r.From < from {
					earlier = append(earlier, r.clone())
				}
			}
			l.Earlier = earlier
			l.Rule.From = from
		}
	}
}

// FollowUpText says a list's follow-up setting in plain Chinese, for the
// rules editor's preview and the audit log.
func (l *ListType) FollowUpText() string {
	r := l.Rule
	if r.Kind == "none" {
		return "人口变动不设续报：每期出现都生成信息变更"
	}
	span := fmt.Sprintf("%d 个月内", r.LookBack())
	if r.YTD {
		span += "且同一年度内（金额为当年累计，跨年重新计算）"
	}
	s := "续报：同一人" + span + "已由本清单预警、且该线索已交办的，再次报送只作为续报记入一户一档，不再生成线索"
	var except []string
	if r.Kind == "amount" {
		on, off := YuanText(Amount(int64(r.OnRoster*100+0.5))), YuanText(Amount(int64(r.OffRoster*100+0.5)))
		if on == off {
			except = append(except, l.columnLabel(r.Field)+"比上次预警时又增加 "+on+" 元及以上")
		} else {
			except = append(except, l.columnLabel(r.Field)+"比上次预警时又增加 "+on+" 元（名册外 "+off+" 元）及以上")
		}
	}
	if r.Level != "" {
		except = append(except, l.columnLabel(r.Level)+"发生变化")
	}
	if len(except) > 0 {
		s += "；但" + strings.Join(except, "或") + "的，再次预警"
	}
	if r.From != "" {
		s += "。本规则自 " + r.From + " 批次起执行"
	}
	return s
}

func (l *ListType) columnLabel(key string) string {
	for _, f := range l.Columns {
		if f.Key == key {
			return f.Label
		}
	}
	return key
}

// FollowUp is a person's risk that a list raised again within its window
// after the clue it went into was assigned: kept as evidence, not a clue.
type FollowUp struct {
	Period    string   `json:"period"`
	Kind      string   `json:"kind"`
	Key       string   `json:"key"` // the clue key it would have gone into
	Of        string   `json:"of"`  // the assigned clue of an earlier period it follows
	Township  string   `json:"township"`
	Village   string   `json:"village"`
	Household string   `json:"household"`
	Head      string   `json:"head,omitempty"`
	Category  Category `json:"category_code"`
	Risk      Risk     `json:"risk"`
	Raised    string   `json:"raised,omitempty"` // the clue it became when the officer raised it by hand
}

// ID names a follow-up within its period.
func (f *FollowUp) ID() string { return f.Key + "|" + f.Risk.EvidenceKey() }

// priorRisk is the last risk a list raised for a person before the period.
type priorRisk struct {
	period   string
	clue     string
	assigned bool
	amount   Amount
	level    string
}

// priorIndex holds, by dept|list|person, the last risk each list raised for
// each person in an earlier period, and the open earlier clues by key, so
// that follow-ups and repeats are found by lookup, not by a scan of every
// earlier clue for every new one.
type priorIndex struct {
	last map[string]priorRisk
	open map[string][]*Clue
}

func newPriorIndex(earlier []Clue, period string) *priorIndex {
	x := &priorIndex{last: map[string]priorRisk{}, open: map[string][]*Clue{}}
	for i := range earlier {
		c := &earlier[i]
		if c.Period >= period {
			continue
		}
		if c.Open() {
			x.open[c.Key] = append(x.open[c.Key], c)
		}
		for _, r := range c.Risks {
			if r.Import == 0 {
				continue // a manual report, not a list's
			}
			k := r.EvidenceKey()
			if p, ok := x.last[k]; ok && (p.period > c.Period || (p.period == c.Period && p.clue > c.ID)) {
				continue
			}
			x.last[k] = priorRisk{period: c.Period, clue: c.ID, assigned: c.Assigned(), amount: r.Amount, level: r.Level}
		}
	}
	return x
}

// repeatOf finds an open clue of an earlier period about the same household
// (or person) with a risk of the same type.
func (x *priorIndex) repeatOf(c *Clue) string {
	types := map[string]bool{}
	for _, t := range c.RiskTypes() {
		types[t] = true
	}
	best := ""
	for _, e := range x.open[c.Key] {
		for _, t := range e.RiskTypes() {
			if types[t] && e.ID > best {
				best = e.ID
			}
		}
	}
	return best
}

// inWindow reports whether an earlier period is inside a rule's look-back
// from period: the window's months before it, and for a year-to-date list
// only the same calendar year.
func inWindow(r Rule, earlier, period string) bool {
	p, err1 := ParseMonth(period)
	e, err2 := ParseMonth(earlier)
	if err1 != nil || err2 != nil || earlier >= period {
		return false
	}
	if r.YTD && e.Year != p.Year {
		return false
	}
	return earlier >= p.Add(-r.LookBack()).String()
}

// againReason says why a risk that would be a follow-up is raised again,
// or "" when it is a follow-up: the amount rose by at least the rule's
// threshold since the last risk, or the level column changed.
func againReason(r Rule, label, levelLabel string, prior priorRisk, amount Amount, level string, onRoster bool) string {
	if r.Kind == "amount" {
		limit := r.OffRoster
		if onRoster {
			limit = r.OnRoster
		}
		lim := Amount(int64(limit*100 + 0.5))
		if rise := amount - prior.amount; rise >= lim {
			return fmt.Sprintf("%s比 %s 批次预警时（%s 元）增加 %s 元，≥ %s 元，再次预警",
				label, prior.period, YuanText(prior.amount), YuanText(rise), YuanText(lim))
		}
	}
	if r.Level != "" && NormalizeHeader(level) != "" && NormalizeHeader(level) != NormalizeHeader(prior.level) {
		was := prior.level
		if was == "" {
			was = "（空）"
		}
		return fmt.Sprintf("%s由“%s”变为“%s”，再次预警", levelLabel, was, level)
	}
	return ""
}

// AddFollowUpDefaults gives the lists of a catalog written before
// follow-ups existed the follow-up settings (year-to-date, level column,
// window) of the same lists in def, where the list has none of its own and
// its rule is of the same kind. It reports whether anything changed.
func (c *Catalog) AddFollowUpDefaults(def *Catalog) bool {
	changed := false
	for di := range c.Departments {
		d := &c.Departments[di]
		for li := range d.Lists {
			l := &d.Lists[li]
			dl := def.findList(d.Name, l.Name)
			if dl == nil || dl.Rule.Kind != l.Rule.Kind || l.Rule.YTD || l.Rule.Level != "" || l.Rule.Window != 0 {
				continue
			}
			if dl.Rule.Level != "" && l.hasColumn(dl.Rule.Level) {
				l.Rule.Level, changed = dl.Rule.Level, true
			}
			if dl.Rule.YTD {
				l.Rule.YTD, changed = true, true
			}
			if dl.Rule.Window != 0 {
				l.Rule.Window, changed = dl.Rule.Window, true
			}
		}
	}
	return changed
}
