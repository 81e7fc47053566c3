package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseID(t *testing.T) {
	tests := []struct {
		name, raw string
		status    IDStatus
		norm      string
	}{
		{"valid", "530428199001011231", IDValid, "530428199001011231"},
		{"valid X", "53042819850505234X", IDValid, "53042819850505234X"},
		{"lower-case x", "53042819850505234x", IDValid, "53042819850505234X"},
		{"full-width digits and Ｘ", "５３０４２８１９８５０５０５２３４Ｘ", IDValid, "53042819850505234X"},
		{"full-width ｘ", "53042819850505234ｘ", IDValid, "53042819850505234X"},
		{"leading apostrophe", "'530428199001011231", IDValid, "530428199001011231"},
		{"spaces tabs NBSP", " 530428 19900101\t1231\u00a0", IDValid, "530428199001011231"},
		{"ideographic space", "\u3000530428199001011231\u3000", IDValid, "530428199001011231"},
		{"dashes inside", "530428-19900101-1231", IDValid, "530428199001011231"},
		{"quoted", "\"530428199001011231\"", IDValid, "530428199001011231"},
		{"15 digits upgraded", "530428850505234", IDUpgraded, "53042819850505234X"},
		{"15 digits bad date", "530428851305234", IDBadDate, ""},
		{"empty", "", IDEmpty, ""},
		{"blank", "   ", IDEmpty, ""},
		{"Excel E notation", "5.30428E+17", IDDamaged, ""},
		{"Excel E notation long", "5.30428199001011E+17", IDDamaged, ""},
		{"full-width E notation", "５．３０４２８Ｅ＋１７", IDDamaged, ""},
		{"float with decimals", "530428199001011231.0", IDDamaged, ""},
		{"truncated to 000", "530428199001011000", IDDamaged, ""},
		{"bad check digit", "530428199001011232", IDBadCheck, ""},
		{"bad date Feb 30", "530428199002301234", IDBadDate, ""},
		{"bad date month 13", "530428199013011234", IDBadDate, ""},
		{"leap day ok", "530428200002291237", IDValid, ""},
		{"non-leap Feb 29", "530428190002291234", IDBadDate, ""},
		{"too short", "53042819900101", IDBadLength, ""},
		{"too long", "5304281990010112311", IDBadLength, ""},
		{"letters", "53042819900101123A", IDBadChars, ""},
		{"X not at end", "5304281990010X1231", IDBadChars, ""},
		{"Chinese text", "不详", IDBadChars, ""},
		{"obsolete address code is fine", "110000199001011231", IDBadCheck, ""},
	}
	// the obsolete-code case needs a real check digit
	first := "11000019900101123"
	tests[len(tests)-1].raw = first + string(IDCheckDigit(first))
	tests[len(tests)-1].status = IDValid
	leap := "53042820000229123"
	for i := range tests {
		if tests[i].name == "leap day ok" {
			tests[i].raw = leap + string(IDCheckDigit(leap))
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := ParseID(tc.raw)
			if id.Status != tc.status {
				t.Fatalf("ParseID(%q) status = %v (%s), want %v", tc.raw, id.Status, id.Reason, tc.status)
			}
			if tc.norm != "" && id.Norm != tc.norm {
				t.Errorf("ParseID(%q).Norm = %q, want %q", tc.raw, id.Norm, tc.norm)
			}
			if id.Usable() != (tc.status == IDValid || tc.status == IDUpgraded) {
				t.Errorf("Usable = %v for %v", id.Usable(), id.Status)
			}
			if !id.Usable() && id.Reason == "" {
				t.Errorf("no reason given for %v", id.Status)
			}
			if id.Usable() && len(id.Norm) != 18 {
				t.Errorf("usable ID %q is not 18 characters", id.Norm)
			}
		})
	}
}

func TestIDBirthAndSex(t *testing.T) {
	id := ParseID("53042819850505234X")
	b, ok := id.Birth()
	if !ok || b.Format("2006-01-02") != "1985-05-05" {
		t.Errorf("birth = %v %v", b, ok)
	}
	if got := ParseID("530428199001011231").Sex(); got != "男" { // sequence 123: 3 is odd
		t.Errorf("sex of ...1231 = %q, want 男", got)
	}
	if got := ParseID("53042819850505234X").Sex(); got != "女" { // sequence 234: 4 is even
		t.Errorf("sex of ...234X = %q, want 女", got)
	}
	if _, ok := ParseID("bad").Birth(); ok {
		t.Error("birth of a bad ID")
	}
	if ParseID("bad").Sex() != "" {
		t.Error("sex of a bad ID")
	}
}

func TestIDCheckDigitKnownValues(t *testing.T) {
	// the example from GB 11643-1999
	if c := IDCheckDigit("11010519491231002"); c != 'X' {
		t.Errorf("check digit = %c, want X", c)
	}
	if c := IDCheckDigit("44052418800101001"); c != '4' {
		t.Errorf("check digit = %c, want 4", c)
	}
	if IDCheckDigit("123") != 0 || IDCheckDigit("1101051949123100A") != 0 {
		t.Error("malformed input must give 0")
	}
}

func TestMaskID(t *testing.T) {
	if got := MaskID("530428199001011231"); got != "530428********1231" {
		t.Errorf("MaskID = %q", got)
	}
	if got := MaskID("123"); got != "123" {
		t.Errorf("short MaskID = %q", got)
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"530428199001011231", "5.30428E+17", "530428850505234", "'５３０４２８", "", "x", "0000000000000000000000", "1e400", "..E+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id := ParseID(raw)
		if id.Usable() {
			if len(id.Norm) != 18 || IDCheckDigit(id.Norm[:17]) != id.Norm[17] {
				t.Fatalf("usable ID %q from %q fails its own check", id.Norm, raw)
			}
			if _, ok := id.Birth(); !ok {
				t.Fatalf("usable ID %q has no birth date", id.Norm)
			}
			// normalising again is stable
			if again := ParseID(id.Norm); again.Norm != id.Norm || !again.Usable() {
				t.Fatalf("re-parse of %q gave %q", id.Norm, again.Norm)
			}
		} else if id.Reason == "" {
			t.Fatalf("no reason for %q (%v)", raw, id.Status)
		}
		if utf8.ValidString(raw) && !utf8.ValidString(id.Reason) {
			t.Fatalf("invalid UTF-8 in reason")
		}
		_ = MaskID(id.Norm)
		_ = strings.TrimSpace(id.Reason)
	})
}

func BenchmarkParseID(b *testing.B) {
	raws := []string{"530428199001011231", " 530428-19900101-1231 ", "５３０４２８１９８５０５０５２３４Ｘ", "530428850505234", "5.30428E+17"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = ParseID(raws[i%len(raws)])
	}
}

func TestParseIDCellNumeric(t *testing.T) {
	// a number written out in full whose 000 tail happens to pass the check:
	// by its text alone it looks like a real ID
	var passing string
	for d := 0; d < 1000 && passing == ""; d++ {
		cand := fmt.Sprintf("530428199001%03d000", d)
		if ParseID(cand).Usable() {
			passing = cand
		}
	}
	if passing == "" {
		t.Fatal("no passing 000 form found")
	}
	if !ParseID(passing).Usable() {
		t.Fatal("setup: the text form should pass")
	}
	if id := ParseIDCell(passing, true); id.Status != IDDamaged {
		t.Errorf("numeric cell %s: %v, want damaged", passing, id.Status)
	}
	if id := ParseIDCell(passing, false); !id.Usable() {
		t.Errorf("text cell %s: %v, want usable", passing, id.Status)
	}
	// a 15-digit first-generation ID fits in a number and stays usable
	if id := ParseIDCell("530428850505234", true); id.Status != IDUpgraded {
		t.Errorf("numeric 15-digit ID: %v", id.Status)
	}
	if id := ParseIDCell("", true); id.Status != IDEmpty {
		t.Errorf("empty numeric cell: %v", id.Status)
	}
}

func TestIDBirthDatesInTheFutureOrBefore1880(t *testing.T) {
	defer func(f func() time.Time) { Today = f }(Today)
	Today = func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		first17 string
		want    string // "" for valid
	}{
		{"53042820261201001", ""},        // born today
		{"53042820261202001", "在未来"},     // tomorrow
		{"53042820300101001", "在未来"},     // 2030
		{"53042820990101001", "在未来"},     // 2099
		{"53042818500101001", "早于1880年"}, // 1850
		{"53042818800101001", ""},        // 1880
		{"53042819900230001", "不存在"},     // 30 February
	} {
		id := ParseID(tc.first17 + string(IDCheckDigit(tc.first17)))
		if tc.want == "" {
			if !id.Usable() {
				t.Errorf("%s: %s", tc.first17, id.Reason)
			}
			continue
		}
		if id.Usable() || !strings.Contains(id.Reason, tc.want) {
			t.Errorf("%s: usable %v, reason %q; want %q", tc.first17, id.Usable(), id.Reason, tc.want)
		}
	}
}

// TestBirthYMDIsBirthDate: the quick check of an ID's birth digits accepts
// exactly the days the calendar has (a day time.Date does not move to
// another), of the years 1000 to 2200, as the same yyyymmdd, over every day
// of four centuries and the impossible ones between them; birthDate gives
// that day.
func TestBirthYMDIsBirthDate(t *testing.T) {
	checked := 0
	for y := 1799; y <= 2201; y += 1 {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				s := fmt.Sprintf("%04d%02d%02d", y, m, d)
				n, ok := birthYMD(s)
				day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
				want := day.Year() == y && int(day.Month()) == m && day.Day() == d && y >= 1000 && y <= 2200
				if ok != want || (ok && n != y*10000+m*100+d) {
					t.Fatalf("%s: birthYMD %d %v, want %v", s, n, ok, want)
				}
				if bt, bok := birthDate(s); bok != want || (bok && !bt.Equal(day)) {
					t.Fatalf("%s: birthDate %v %v", s, bt, bok)
				}
				checked++
			}
		}
	}
	for _, s := range []string{"", "1990011", "199001011", "1990O101", "0999123１"} {
		if _, ok := birthYMD(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if checked < 100000 {
		t.Fatal(checked)
	}
}
