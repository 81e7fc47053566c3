package engine

import (
	"strings"
	"testing"
	"time"

	"bidui/assets"
)

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func TestShippedCalendar2026(t *testing.T) {
	c, err := ParseCalendar(assets.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[string]bool{
		"2026-01-01": false, // 元旦
		"2026-01-04": true,  // Sunday, make-up working day
		"2026-02-14": true,  // Saturday, make-up
		"2026-02-16": false, // 春节
		"2026-02-24": true,
		"2026-02-28": true, // Saturday, make-up
		"2026-05-05": false,
		"2026-05-09": true,
		"2026-09-20": true, // Sunday, make-up
		"2026-10-07": false,
		"2026-10-08": true,
		"2026-10-10": true,  // Saturday, make-up
		"2026-11-28": false, // an ordinary Saturday
		"2026-11-30": true,
	} {
		if got := c.IsWorkday(day(d)); got != want {
			t.Errorf("%s workday = %v, want %v", d, got, want)
		}
	}
	if !c.Covers(2026) || c.Covers(2027) {
		t.Error("2026 is published, 2027 not yet")
	}
}

func TestDeadlines(t *testing.T) {
	c, _ := ParseCalendar(assets.Calendar)
	tests := []struct{ from, want string }{
		// DESIGN.md §5: assigned on Monday 2026-11-30, the 20th working day is Monday 2026-12-28
		{"2026-11-30", "2026-12-28"},
		// across 国庆: 9-29, 9-30, then 10-8, 10-9, 10-10 (a Saturday worked) … counted by hand: 10-30
		{"2026-09-28", "2026-10-30"},
		// across 春节: 2-11..2-13, 2-14 (Saturday worked), 2-24..2-27, 2-28 (Saturday worked), … by hand: 3-16
		{"2026-02-10", "2026-03-16"},
		// a Friday: the day itself is not counted
		{"2026-11-27", "2026-12-25"},
	}
	for _, tc := range tests {
		if got := c.AddWorkdays(day(tc.from), 20).Format("2006-01-02"); got != tc.want {
			t.Errorf("%s + 20 working days = %s, want %s", tc.from, got, tc.want)
		}
	}
	if n := c.WorkdaysLeft(day("2026-11-30"), day("2026-12-28")); n != 20 {
		t.Errorf("working days left = %d, want 20", n)
	}
	if n := c.WorkdaysLeft(day("2026-12-30"), day("2026-12-28")); n != -2 {
		t.Errorf("overdue = %d, want -2", n)
	}
}

func TestCalendarEditing(t *testing.T) {
	c, _ := ParseCalendar(assets.Calendar)
	text := c.YearText(2026)
	if !strings.Contains(text, "2026-10-10 上班") || !strings.Contains(text, "2026-10-01 放假") {
		t.Fatalf("text: %q", text)
	}
	if err := c.SetYear(2027, "2027-01-01 放假\n2027-02-07 上班\n2027-02-08 放假", true, "测试"); err != nil {
		t.Fatal(err)
	}
	if c.IsWorkday(day("2027-02-08")) || !c.IsWorkday(day("2027-02-07")) || !c.Covers(2027) {
		t.Error("2027 edit not applied")
	}
	for _, bad := range []string{"2027-13-01 放假", "2026-01-01 放假", "2027-01-05 休息日", "2027-01-05", "2027-01-02 放假\n2027-01-02 上班"} {
		if err := c.SetYear(2027, bad, true, ""); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestEstimatedYearsMakeUpWeekendHolidays: a year without a published
// arrangement takes the statutory holidays, and a holiday on a weekend is
// made up on the next working day (Article 6); years absent from the
// calendar are estimated too.
func TestEstimatedYearsMakeUpWeekendHolidays(t *testing.T) {
	cal, err := ParseCalendar(assets.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	// 2027: 02-06/07, 05-01/02 and 10-02/03 fall on weekends
	for _, d := range []string{"2027-02-09", "2027-02-10", "2027-05-03", "2027-05-04", "2027-10-04", "2027-10-05"} {
		if cal.IsWorkday(day(d)) {
			t.Errorf("%s should be a make-up holiday", d)
		}
	}
	if !cal.IsWorkday(day("2027-02-11")) || !cal.IsWorkday(day("2027-05-05")) || !cal.IsWorkday(day("2027-10-06")) {
		t.Error("a working day after the make-up days is off")
	}
	// 2028 is not in the file: the statutory holidays by the lunar calendar
	for _, d := range []string{"2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-04-04", "2028-05-01", "2028-05-02", "2028-10-02", "2028-10-03"} {
		if cal.IsWorkday(day(d)) {
			t.Errorf("%s is a statutory holiday of 2028", d)
		}
	}
	// 端午 2028-05-28 is a Sunday: made up on Monday 05-29
	if cal.IsWorkday(day("2028-05-29")) {
		t.Error("2028-05-29 should make up 端午")
	}
	if !cal.Estimated(2027) || !cal.Estimated(2028) || cal.Estimated(2026) {
		t.Errorf("estimated: 2026 %v 2027 %v 2028 %v", cal.Estimated(2026), cal.Estimated(2027), cal.Estimated(2028))
	}
	// a published year is as published: 2026's make-up working days stand
	if !cal.IsWorkday(day("2026-01-04")) && cal.IsWorkday(day("2026-01-03")) {
		t.Error("2026 changed")
	}
	// 20 working days from 2027-01-25 now end two days later than without Article 6
	if got := cal.AddWorkdays(day("2027-01-25"), 20); got.Format("2006-01-02") != "2027-02-26" {
		t.Errorf("deadline %s", got.Format("2006-01-02"))
	}
}
