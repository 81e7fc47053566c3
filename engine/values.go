package engine

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// Amount is money in fen (分), so sums are exact.
type Amount int64

// Yuan returns the amount in yuan.
func (a Amount) Yuan() float64 { return float64(a) / 100 }

// String formats the amount as yuan with two decimals, without separators.
func (a Amount) String() string {
	neg := a < 0
	if neg {
		a = -a
	}
	s := strconv.FormatInt(int64(a/100), 10) + "." + strconv.FormatInt(int64(a%100)/10, 10) + strconv.FormatInt(int64(a%10), 10)
	if neg {
		s = "-" + s
	}
	return s
}

// amountNoise is what surrounds the digits of an amount.
var amountNoise = strings.NewReplacer(",", "", " ", "", "\u00a0", "", "￥", "", "¥", "", "RMB", "", "人民币", "", "元", "", "\t", "")

// ParseAmount reads a money cell as departments write it: "5,234.50元",
// "￥5234.5", "1.2万元", "５２３４", " 5 234 ", a raw number "5234.499999".
// An empty cell gives ok=false with empty=true.
func ParseAmount(s string) (a Amount, ok bool) { return ParseAmountIn(s, 1) }

// AmountUnit is the unit a column's header gives its amounts, as a
// multiple of 元: 个人自付金额（万元） → 10000, （千元） → 1000, else 1.
func AmountUnit(header string) float64 {
	h := width.Fold.String(header)
	switch {
	case strings.Contains(h, "万元"):
		return 10000
	case strings.Contains(h, "千元"):
		return 1000
	}
	return 1
}

// thousands is a number with commas between groups of three digits.
var thousands = regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)

// ParseAmountIn reads a money cell of a column whose header gives amounts
// in unit 元 (AmountUnit): a unit in the cell itself (万, 千, 元) wins. A
// form that could mean two numbers — 6.500,00, 1,2 — is not read: the row
// goes to the officer, never a silent wrong number. Amounts are rounded to
// the cent.
func ParseAmountIn(s string, unit float64) (a Amount, ok bool) {
	if plainNumber(s) {
		// the common case, a plain number: no folding needed
		f, err := strconv.ParseFloat(s, 64)
		if err == nil && math.Abs(f*unit) <= 1e12 {
			return Amount(math.Round(f * unit * 100)), true
		}
	}
	s = width.Fold.String(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	mult := unit
	if strings.HasSuffix(s, "元") {
		mult = 1 // the cell names its unit
	}
	s = strings.TrimSuffix(s, "元")
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"万", 10000}, {"千", 1000}} {
		if strings.HasSuffix(s, u.suffix) {
			mult = u.mult
			s = strings.TrimSuffix(s, u.suffix)
		}
	}
	if t := strings.NewReplacer(" ", "", "\u00a0", "", "￥", "", "¥", "", "RMB", "", "人民币", "", "\t", "").Replace(s); strings.Contains(t, ",") && !thousands.MatchString(t) {
		return 0, false // 6.500,00 or 1,2: a decimal comma, or a typo
	}
	s = amountNoise.Replace(s)
	if s == "" || s == "-" || s == "." {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f*mult) > 1e12 {
		return 0, false
	}
	return Amount(math.Round(f * mult * 100)), true
}

// plainNumber reports ASCII digits with at most one point and a leading minus.
func plainNumber(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot:
			dot = true
		case c == '-' && i == 0 && len(s) > 1:
		default:
			return false
		}
	}
	return s != "." && s != "-."
}

// excelEpoch is day 0 of Excel's 1900 date system (with its leap-year bug
// already accounted for by starting on 1899-12-30).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseDate reads a date as people and spreadsheets write it: 2026-11-05,
// 2026/11/5, 2026.11.5, 2026年11月5日, 20261105, or an Excel serial number
// (46331). A date without a year (11月5日) takes defaultYear when it is not
// zero. It returns false for anything else.
func ParseDate(s string, defaultYear int) (time.Time, bool) {
	s = width.Fold.String(strings.TrimSpace(s))
	if s == "" {
		return time.Time{}, false
	}
	// a time part after the date is ignored
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "-/.年") && len(s) != 8 {
		if f >= 1 && f < 80000 {
			return excelEpoch.AddDate(0, 0, int(f)), true
		}
		return time.Time{}, false
	}
	if len(s) == 8 && allDigits(s) {
		if t, ok := birthDate(s); ok && !t.Before(minBirth) {
			return t, true
		}
		return time.Time{}, false
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", "/", "-", ".", "-").Replace(s)
	s = strings.TrimSuffix(s, "-")
	parts := strings.Split(s, "-")
	var y, m, d int
	var err error
	switch len(parts) {
	case 3:
		if y, err = strconv.Atoi(parts[0]); err != nil {
			return time.Time{}, false
		}
		if m, err = strconv.Atoi(parts[1]); err != nil {
			return time.Time{}, false
		}
		if d, err = strconv.Atoi(parts[2]); err != nil {
			return time.Time{}, false
		}
	case 2:
		if defaultYear == 0 {
			return time.Time{}, false
		}
		y = defaultYear
		if m, err = strconv.Atoi(parts[0]); err != nil {
			return time.Time{}, false
		}
		if d, err = strconv.Atoi(parts[1]); err != nil {
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	if y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// CleanName folds a person's name: no spaces inside (张 三), full-width
// letters folded, the middle dot of minority names unified.
func CleanName(s string) string {
	if plainName(s) {
		return s
	}
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u200b':
			continue
		case '．', '•', '●', '∙', '⋅', '・':
			r = '·'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainName reports a name that folding would not change: no white space,
// no full-width forms, no dot variants.
func plainName(s string) bool {
	for _, r := range s {
		switch {
		case r <= ' ', r == '\u00a0', r == '\u3000', r == '\u200b', r == '．', r == '•', r == '●', r == '∙', r == '⋅', r == '・':
			return false
		case r >= 0xFF00 && r <= 0xFFEF:
			return false
		}
	}
	return true
}

// From1904 turns a date serial number of a workbook in Excel's 1904 date
// system (Excel for Mac) into the usual 1900 system's; any other text is
// returned as it is.
func From1904(s string) string {
	t := strings.TrimSpace(s)
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f > 80000 {
		return s
	}
	return strconv.FormatFloat(f+1462, 'f', -1, 64)
}

// PlainNumber reads a table cell that is a number as a person writes one
// (12,345.67 · 91.7% · 500元), for storing it as a number; an ID number or
// a code with leading zeros is not one.
func PlainNumber(s string) (float64, bool) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(s, ",", "")), "%"), "元")
	t = strings.TrimSpace(t)
	if t == "" || len(t) > 15 || (len(t) > 1 && t[0] == '0' && t[1] != '.') {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	return f, err == nil
}
