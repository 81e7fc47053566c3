package engine

import (
	"reflect"
	"testing"
	"time"
)

func TestParseMonth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Month
		ok   bool
	}{
		{"2026-11", Month{2026, time.November}, true},
		{"2027-01", Month{2027, time.January}, true},
		{"2026-1", Month{}, false},
		{"2026-13", Month{}, false},
		{"2026/11", Month{}, false},
		{"", Month{}, false},
	} {
		got, err := ParseMonth(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseMonth(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("%q reads back as %q", tc.in, got.String())
		}
	}
}

func TestMonthArithmetic(t *testing.T) {
	m := Month{2026, time.November}
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "2026-11"}, {1, "2026-12"}, {2, "2027-01"}, {-1, "2026-10"}, {-11, "2025-12"}, {-23, "2024-12"}, {14, "2028-01"}} {
		if got := m.Add(tc.n).String(); got != tc.want {
			t.Errorf("2026-11 %+d = %s, want %s", tc.n, got, tc.want)
		}
	}
	if got := m.Months(3); !reflect.DeepEqual(got, []string{"2026-09", "2026-10", "2026-11"}) {
		t.Errorf("Months(3) = %v", got)
	}
	if got := (Month{2028, time.February}).Last(); got.Day() != 29 {
		t.Errorf("last day of 2028-02: %v", got)
	}
	if got := m.Title(); got != "2026年11月" {
		t.Errorf("title %q", got)
	}
	if got := MonthOf(time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC)); got != (Month{2027, time.January}) {
		t.Errorf("MonthOf = %v", got)
	}
	if got := m.Day(31, 9, 30, time.UTC); !got.Equal(time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("day 31 of November runs on: %v", got)
	}
}
