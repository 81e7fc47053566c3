package engine

import (
	"fmt"
	"sort"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// The years the calendar estimates when the State Council has not (yet)
// published an arrangement for them.
const (
	firstEstimatedYear = 2024
	lastEstimatedYear  = 2040
)

// StatutoryYear is a year's holidays as the 《全国年节及纪念日放假办法》
// gives them, for a year whose arrangement is not published: 元旦, 除夕 to
// 正月初三, 清明, 劳动节 two days, 端午, 中秋, 国庆 three days (lunar dates
// by 6tail/lunar-go). Make-up working days (调休) cannot be foreseen; the
// make-up holidays of Article 6 are added by the calendar.
func StatutoryYear(year int) CalendarYear {
	day := func(s *calendar.Solar) time.Time {
		return time.Date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay(), 0, 0, 0, 0, time.UTC)
	}
	spring := day(calendar.NewLunarFromYmd(year, 1, 1).GetSolar())
	qingming := day(calendar.NewSolarFromYmd(year, 4, 10).GetLunar().GetJieQiTable()["清明"])
	days := []time.Time{
		time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
		spring.AddDate(0, 0, -1), spring, spring.AddDate(0, 0, 1), spring.AddDate(0, 0, 2),
		qingming,
		time.Date(year, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 5, 2, 0, 0, 0, 0, time.UTC),
		day(calendar.NewLunarFromYmd(year, 5, 5).GetSolar()),
		day(calendar.NewLunarFromYmd(year, 8, 15).GetSolar()),
		time.Date(year, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 10, 2, 0, 0, 0, 0, time.UTC), time.Date(year, 10, 3, 0, 0, 0, 0, time.UTC),
	}
	y := CalendarYear{Year: year, Source: fmt.Sprintf("国务院尚未公布%d年放假安排；按《全国年节及纪念日放假办法》推算法定节假日（农历节日按农历换算），"+
		"适逢周末的按第六条在其后的工作日补假，不含调休上班日。公布后请在“设置 → 工作日历”中录入。", year)}
	seen := map[string]bool{}
	for _, d := range days {
		if s := d.Format("2006-01-02"); d.Year() == year && !seen[s] {
			seen[s] = true
			y.Holidays = append(y.Holidays, s)
		}
	}
	sort.Strings(y.Holidays)
	return y
}

// makeUpDays are the working days given in place of holidays that fall on
// a weekend (《全国年节及纪念日放假办法》第六条): each the first weekday
// after its holiday that is not itself a holiday or already given.
func makeUpDays(holidays []string, isHoliday func(string) bool) []string {
	sorted := append([]string(nil), holidays...)
	sort.Strings(sorted)
	given := map[string]bool{}
	var out []string
	for _, h := range sorted {
		t, err := time.Parse("2006-01-02", h)
		if err != nil || (t.Weekday() != time.Saturday && t.Weekday() != time.Sunday) {
			continue
		}
		for d := t.AddDate(0, 0, 1); ; d = d.AddDate(0, 0, 1) {
			s := d.Format("2006-01-02")
			if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || isHoliday(s) || given[s] {
				continue
			}
			given[s] = true
			out = append(out, s)
			break
		}
	}
	return out
}
