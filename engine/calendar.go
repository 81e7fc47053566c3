package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Calendar knows which days are working days: Monday to Friday, except the
// official holidays, plus the make-up working days (调休) on weekends.
type Calendar struct {
	Years []CalendarYear `json:"years"`

	holidays  map[string]bool
	workdays  map[string]bool
	estimated map[int]bool // years without a published arrangement
}

// CalendarYear is one year's arrangement.
type CalendarYear struct {
	Year      int      `json:"year"`
	Published bool     `json:"published"` // the State Council's arrangement, make-up days included
	Source    string   `json:"source"`
	Holidays  []string `json:"holidays"` // YYYY-MM-DD
	Workdays  []string `json:"workdays"` // weekend days that are working days
}

// ParseCalendar reads and checks a calendar.
func ParseCalendar(data []byte) (*Calendar, error) {
	var c Calendar
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("工作日历格式错误：%w", err)
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Calendar) index() error {
	c.holidays, c.workdays, c.estimated = map[string]bool{}, map[string]bool{}, map[int]bool{}
	years := append([]CalendarYear(nil), c.Years...)
	have := map[int]bool{}
	for _, y := range c.Years {
		have[y.Year] = true
	}
	for year := firstEstimatedYear; year <= lastEstimatedYear; year++ {
		if !have[year] {
			years = append(years, StatutoryYear(year)) // estimated, never stored
		}
	}
	for _, y := range years {
		for _, d := range y.Holidays {
			t, err := time.Parse("2006-01-02", d)
			if err != nil || t.Year() != y.Year {
				return fmt.Errorf("工作日历 %d 年的放假日期“%s”有误", y.Year, d)
			}
			c.holidays[d] = true
		}
		for _, d := range y.Workdays {
			t, err := time.Parse("2006-01-02", d)
			if err != nil || t.Year() != y.Year {
				return fmt.Errorf("工作日历 %d 年的调休上班日期“%s”有误", y.Year, d)
			}
			if c.holidays[d] {
				return fmt.Errorf("%s 既是放假日又是上班日", d)
			}
			c.workdays[d] = true
		}
		if !y.Published {
			c.estimated[y.Year] = true
			// Article 6: a holiday on a weekend is made up on the next working day
			for _, d := range makeUpDays(y.Holidays, func(s string) bool { return c.holidays[s] }) {
				c.holidays[d] = true
			}
		}
	}
	return nil
}

// Estimated reports whether a year's days are estimated from the statutory
// holidays (no published arrangement): deadlines in it may still move.
func (c *Calendar) Estimated(year int) bool { return !c.Covers(year) }

// EstimatedYears lists the years of the calendar's range that are estimated.
func (c *Calendar) EstimatedYears() []int {
	var out []int
	for y := range c.estimated {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// IsWorkday reports whether the day is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	d := t.Format("2006-01-02")
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// DateOf is t's calendar day as midnight UTC, the form every date in the
// engine takes, so that days compare and count whatever t's zone and hour.
func DateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// AddWorkdays is the n-th working day after t; the day of t itself is not
// counted (期间开始之日不计算在内).
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	d := DateOf(t)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysLeft counts the working days after today up to and including the
// deadline; negative when the deadline has passed (the working days overdue).
func (c *Calendar) WorkdaysLeft(today, deadline time.Time) int {
	a, b := DateOf(today), DateOf(deadline)
	n, sign := 0, 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}

// Covers reports whether the calendar has the State Council's published
// arrangement for the year; otherwise deadlines in it may move.
func (c *Calendar) Covers(year int) bool {
	for _, y := range c.Years {
		if y.Year == year {
			return y.Published
		}
	}
	return false
}

// YearText is a year's days in the editor's form: one day a line,
// "2026-10-01 放假" or "2026-10-10 上班".
func (c *Calendar) YearText(year int) string {
	var lines []string
	for _, y := range c.Years {
		if y.Year != year {
			continue
		}
		for _, d := range y.Holidays {
			lines = append(lines, d+" 放假")
		}
		for _, d := range y.Workdays {
			lines = append(lines, d+" 上班")
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// SetYear replaces a year's days from the editor's form.
func (c *Calendar) SetYear(year int, text string, published bool, source string) error {
	y := CalendarYear{Year: year, Published: published, Source: source}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return fmt.Errorf("第%d行应写成“日期 放假”或“日期 上班”，如 2026-10-01 放假", n+1)
		}
		t, ok := ParseDate(f[0], year)
		if !ok || t.Year() != year {
			return fmt.Errorf("第%d行的日期“%s”不是 %d 年的日期", n+1, f[0], year)
		}
		d := t.Format("2006-01-02")
		switch f[1] {
		case "放假", "休", "假":
			y.Holidays = append(y.Holidays, d)
		case "上班", "班", "调休上班":
			y.Workdays = append(y.Workdays, d)
		default:
			return fmt.Errorf("第%d行应写“放假”或“上班”，而不是“%s”", n+1, f[1])
		}
	}
	out := Calendar{}
	for _, old := range c.Years {
		if old.Year != year {
			out.Years = append(out.Years, old)
		}
	}
	out.Years = append(out.Years, y)
	sort.Slice(out.Years, func(i, j int) bool { return out.Years[i].Year < out.Years[j].Year })
	if err := out.index(); err != nil {
		return err
	}
	*c = out
	return nil
}
