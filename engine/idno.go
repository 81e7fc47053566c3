package engine

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// IDStatus classifies a resident ID number (GB 11643) as read from a file.
type IDStatus int

const (
	// IDValid: 18 characters, real birth date, correct check digit.
	IDValid IDStatus = iota
	// IDUpgraded: a valid 15-digit first-generation number, upgraded to 18.
	IDUpgraded
	// IDEmpty: the cell is blank.
	IDEmpty
	// IDDamaged: Excel turned the number into a float (5.30521E+17, or
	// trailing zeros that break the check digit). Never matched exactly.
	IDDamaged
	// IDBadLength: not 15 or 18 characters after normalisation.
	IDBadLength
	// IDBadChars: characters other than digits (and a final X).
	IDBadChars
	// IDBadDate: the birth date part is not a real date.
	IDBadDate
	// IDBadCheck: the check digit does not match (a typo somewhere).
	IDBadCheck
)

// Usable reports whether the number can be matched exactly.
func (s IDStatus) Usable() bool { return s == IDValid || s == IDUpgraded }

// String gives the status in the officer's words.
func (s IDStatus) String() string {
	switch s {
	case IDValid:
		return "有效"
	case IDUpgraded:
		return "15位已升级"
	case IDEmpty:
		return "身份证号为空"
	case IDDamaged:
		return "身份证号已被Excel损坏"
	case IDBadLength:
		return "身份证号位数不对"
	case IDBadChars:
		return "身份证号含非法字符"
	case IDBadDate:
		return "身份证号出生日期无效"
	case IDBadCheck:
		return "身份证号校验位错误"
	}
	return "未知"
}

// ID is the outcome of reading one ID cell: the raw text, the normalised
// 18-character number when there is one, a status and a reason in Chinese.
type ID struct {
	Raw    string
	Norm   string // 18 characters when Status.Usable(); otherwise the cleaned text
	Status IDStatus
	Reason string // empty when valid
}

// Usable reports whether the number can be matched exactly.
func (id ID) Usable() bool { return id.Status.Usable() }

// Birth returns the birth date encoded in a usable number.
func (id ID) Birth() (time.Time, bool) {
	if !id.Usable() {
		return time.Time{}, false
	}
	return birthDate(id.Norm[6:14])
}

// Sex returns "男" or "女" for a usable number, "" otherwise.
func (id ID) Sex() string {
	if !id.Usable() {
		return ""
	}
	if (id.Norm[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckDigit computes the ISO 7064 MOD 11-2 check character for the first
// 17 digits of an ID number. It returns 0 if the input is not 17 digits.
func IDCheckDigit(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// CleanIDText folds what people and programs put around an ID number:
// full-width digits and letters, lower-case x, spaces, tabs, NBSP and other
// white space, dashes inside, a leading apostrophe (Excel's text marker) and
// surrounding quotes.
func CleanIDText(raw string) string {
	plain := true // digits and capitals only, as nearly every ID is: kept as it is
	for i := 0; i < len(raw) && plain; i++ {
		c := raw[i]
		plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
	}
	if plain {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for _, r := range raw {
		switch {
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + (r - '０')))
		case r == 'Ｘ' || r == 'ｘ' || r == 'x':
			b.WriteByte('X')
		case r >= 'Ａ' && r <= 'Ｚ':
			b.WriteRune('A' + (r - 'Ａ'))
		case r >= 'ａ' && r <= 'ｚ':
			b.WriteRune('A' + (r - 'ａ'))
		case r == '＋':
			b.WriteByte('+')
		case r == '．':
			b.WriteByte('.')
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\u200b' || r == '\ufeff':
		case r == '-' || r == '－' || r == '—' || r == '–' || r == '_':
		case r == '\'' || r == '‘' || r == '’' || r == '"' || r == '“' || r == '”' || r == '`':
		default:
			if r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseID reads one ID cell. It never panics; every outcome is a value.
func ParseID(raw string) ID {
	s := CleanIDText(raw)
	id := ID{Raw: raw, Norm: s}
	if s == "" {
		id.Status, id.Reason = IDEmpty, "身份证号为空"
		return id
	}
	if looksLikeFloat(s) {
		id.Status = IDDamaged
		id.Reason = "身份证号被Excel存成了数字（" + s + "），后几位已丢失，请把该列设为文本格式后重新导出"
		return id
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c == 'X' && i == len(s)-1 && (len(s) == 18) {
			continue
		}
		id.Status, id.Reason = IDBadChars, "身份证号含非法字符"
		return id
	}
	switch len(s) {
	case 18:
		if reason := birthProblem(s[6:14]); reason != "" {
			id.Status, id.Reason = IDBadDate, "身份证号中的出生日期"+s[6:14]+reason
			return id
		}
		if IDCheckDigit(s[:17]) != s[17] {
			if strings.HasSuffix(s, "000") {
				id.Status = IDDamaged
				id.Reason = "身份证号末尾为000且校验位不符，疑似被Excel存成数字后丢失了末几位，请把该列设为文本格式后重新导出"
				return id
			}
			id.Status, id.Reason = IDBadCheck, "身份证号校验位错误（应为"+string(IDCheckDigit(s[:17]))+"），可能有数字录错"
			return id
		}
		id.Status = IDValid
		return id
	case 15:
		full17 := s[:6] + "19" + s[6:]
		if reason := birthProblem(full17[6:14]); reason != "" {
			id.Status, id.Reason = IDBadDate, "15位身份证号中的出生日期"+reason
			return id
		}
		id.Norm = full17 + string(IDCheckDigit(full17))
		id.Status = IDUpgraded
		return id
	}
	id.Status = IDBadLength
	id.Reason = "身份证号应为18位（或15位），实际" + strconv.Itoa(len(s)) + "位"
	return id
}

// A limit worth knowing: an 18-digit ID that a program (not Excel, which
// writes E notation) stored as a number comes back written out in full with
// its last three digits 000. That is caught because the check digit fails,
// except in the one case in eleven where 000 happens to be right; such a
// number is then indistinguishable by its text from a real ID ending in 000.

// ParseIDCell reads an ID from a cell, knowing whether the file stored the
// cell as a number. A number holds at most 15 significant digits, so an ID
// of 16 or more digits in a numeric cell has lost its tail, whatever its
// digits now say: it is damaged. (15-digit first-generation IDs fit and stay.)
func ParseIDCell(raw string, numeric bool) ID {
	id := ParseID(raw)
	if !numeric || id.Status == IDEmpty || id.Status == IDDamaged {
		return id
	}
	clean := CleanIDText(raw)
	digits := 0
	for i := 0; i < len(clean); i++ {
		if clean[i] >= '0' && clean[i] <= '9' {
			digits++
		}
	}
	if digits >= 16 {
		id.Status = IDDamaged
		id.Norm = clean
		id.Reason = "身份证号被Excel存成了数字（" + id.Norm + "），后几位已丢失，请把该列设为文本格式后重新导出"
	}
	return id
}

// looksLikeFloat reports numbers in scientific notation or with a decimal
// point, which is how Excel shows an ID it has turned into a number.
func looksLikeFloat(s string) bool {
	hasE, hasDot, digits := false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == 'E':
			if hasE {
				return false
			}
			hasE = true
		case c == '.':
			if hasDot {
				return false
			}
			hasDot = true
		case c == '+':
		default:
			return false
		}
	}
	return digits > 0 && (hasE || hasDot)
}

var minBirth = time.Date(1880, 1, 1, 0, 0, 0, 0, time.UTC)

// Today is the day IDs are checked against (no one is born after it); tests
// and the demo's earlier months set it.
var Today = func() time.Time { return time.Now() }

// birthProblem says what is wrong with an ID's birth date, "" when nothing.
func birthProblem(s string) string {
	ymd, ok := birthYMD(s)
	y, m, d := Today().Date()
	switch {
	case !ok:
		return "不存在"
	case ymd < 18800101: // minBirth
		return "早于1880年"
	case ymd > y*10000+int(m)*100+d:
		return "在未来"
	}
	return ""
}

// birthYMD reads an ID's eight birth digits as the number yyyymmdd when
// they are a real day of the years 1000 to 2200, without building a
// time.Time: every row of every list goes through it.
func birthYMD(s string) (int, bool) {
	if len(s) != 8 {
		return 0, false
	}
	n := 0
	for j := 0; j < 8; j++ {
		if s[j] < '0' || s[j] > '9' {
			return 0, false
		}
		n = n*10 + int(s[j]-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	if y < 1000 || y > 2200 || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return n, d <= days
}

func birthDate(s string) (time.Time, bool) {
	n, ok := birthYMD(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(n/10000, time.Month(n/100%100), n%100, 0, 0, 0, 0, time.UTC), true
}

// MaskID hides the middle of an ID number for printing: 530426********1234.
func MaskID(id string) string {
	if len(id) < 10 {
		return id
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}
