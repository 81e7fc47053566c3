package engine

import (
	"fmt"
	"time"
)

// Month is a calendar month: a batch's period (批次), written YYYY-MM.
// Periods travel as strings (in the store, the files, the command line);
// their arithmetic goes through Month.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads a YYYY-MM period, strictly: 2026-11, not 2026-1.
func ParseMonth(p string) (Month, error) {
	t, err := time.Parse("2006-01", p)
	if err != nil || t.Format("2006-01") != p {
		return Month{}, fmt.Errorf("批次月份“%s”格式不对，应为 YYYY-MM，如 2026-11", p)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf is the month a moment falls in.
func MonthOf(t time.Time) Month { return Month{t.Year(), t.Month()} }

// String is the period as written: 2026-11.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Title is the month in words: 2026年11月.
func (m Month) Title() string { return fmt.Sprintf("%d年%d月", m.Year, int(m.Month)) }

// Add is the month n months later (earlier for negative n).
func (m Month) Add(n int) Month {
	k := m.Year*12 + int(m.Month) - 1 + n
	return Month{k / 12, time.Month(k%12 + 1)}
}

// Day is a day of the month at a time of day, in loc; days past the
// month's end run on into the next, as time.Date does.
func (m Month) Day(day, hour, min int, loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, day, hour, min, 0, 0, loc)
}

// Last is the month's last day, at midnight UTC.
func (m Month) Last() time.Time { return time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC) }

// Months is n consecutive months ending with m, oldest first.
func (m Month) Months(n int) []string {
	out := make([]string, 0, n)
	for i := n - 1; i >= 0; i-- {
		out = append(out, m.Add(-i).String())
	}
	return out
}
