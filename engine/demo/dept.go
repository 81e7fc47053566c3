package demo

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"bidui/engine"
)

var pools = map[string][]string{
	"hospital":  {"县人民医院", "县中医医院", "市第一人民医院", "省肿瘤医院", "石桥乡卫生院"},
	"disease":   {"脑梗死", "恶性肿瘤", "尿毒症", "冠心病", "糖尿病并发症", "重症肺炎", "股骨骨折", "白血病"},
	"kind":      {"门诊统筹", "门特"},
	"school":    {"县第一中学", "县职业高级中学", "市民族中学", "县第二中学"},
	"grade":     {"高一", "高二", "高三", "中职一年级", "中职二年级"},
	"event":     {"交通事故", "刑事案件", "溺水", "意外坠落"},
	"result":    {"死亡", "重伤", "轻伤"},
	"change":    {"死亡", "出生", "迁入", "迁出"},
	"aid":       {"低保", "特困", "临时救助"},
	"situation": {"有就业意愿未就业", "零就业家庭", "返乡失业", "季节性缺水", "水质不达标"},
	"industry":  {"生猪养殖", "烤烟", "核桃", "蔬菜"},
	"disaster":  {"洪涝", "山体滑坡", "冰雹", "干旱", "病虫害"},
	"cause":     {"电线老化", "用火不慎", "雷击"},
	"dcat":      {"肢体", "视力", "听力", "言语", "智力", "精神"},
	"dgrade":    {"一级", "二级", "三级", "四级"},
}

// layout is how a department lays out its file.
type layout struct {
	format   Format
	title    bool // a merged title row above the header
	twoRow   bool // a group label row above the header
	synonym  int  // which header synonym to use (0 = the label)
	total    bool // a 合计 row at the end
	footer   bool // 制表人 / 审核人 line at the end
	townCols bool // 乡镇 and 村 columns (else one 住址 column)
}

var layouts = []layout{
	{format: XLSX, title: true, total: true, townCols: true},
	{format: CSVGBK, synonym: 1, footer: true, townCols: true},
	{format: XLSX, twoRow: true, title: true, synonym: 2},
	{format: CSVUTF8BOM, synonym: 1, total: true, townCols: true},
}

// MakeDeptFiles makes, for every list of the catalog, one messy sample file for
// the county's period. It must run after Generate.
func (c *County) MakeDeptFiles(cat *engine.Catalog, seed uint64) {
	g := &gen{r: newRand(seed + 1), c: c, today: mustPeriodEnd(c.Period), used: map[string]bool{}}
	for _, p := range c.Persons {
		g.used[p.ID] = true
	}
	for _, sent := range c.Sent {
		for id := range sent {
			g.used[id] = true // an off-roster person an earlier month made
		}
	}
	k := 0
	for _, d := range cat.Departments {
		for li := range d.Lists {
			l := &d.Lists[li]
			c.DeptFiles = append(c.DeptFiles, g.deptFile(d.Name, l, layouts[k%len(layouts)]))
			k++
		}
	}
}

func pick(g *gen, pool []string) string { return pool[g.r.IntN(len(pool))] }

func headerName(f engine.Field, synonym int) string {
	if synonym == 0 || len(f.Synonyms) == 0 {
		return f.Label
	}
	return f.Synonyms[(synonym-1)%len(f.Synonyms)]
}

// deptFile writes one department list as the department would send it:
// the layout's titles and header, roster and off-roster rows, then the
// blemishes every county knows, a duplicate, a total and a footer.
func (g *gen) deptFile(dept string, l *engine.ListType, lay layout) File {
	w := g.newDeptWriter(dept, l, lay)
	w.header()
	w.body()
	w.blemishes()
	w.trailer()
	return w.f
}

// deptWriter builds one department file row by row.
type deptWriter struct {
	g      *gen
	l      *engine.ListType
	lay    layout
	f      File
	cols   []engine.Field // 序号, 姓名, 身份证号, key columns, place
	seq    int
	picked map[string]bool // a person appears once in a list (itemised bills aside), as in real lists
	sent   map[string]Sent // who this month's list sends, for a cumulative or full list
}

func (g *gen) newDeptWriter(dept string, l *engine.ListType, lay layout) *deptWriter {
	year, month := g.c.Period[:4], strings.TrimLeft(g.c.Period[5:], "0")
	w := &deptWriter{g: g, l: l, lay: lay, picked: map[string]bool{}}
	w.f = File{Dept: dept, List: l.Name, Format: lay.format, Sheet: l.Name}
	ext := ".xlsx"
	if lay.format != XLSX {
		ext = ".csv"
	}
	w.f.Name = fmt.Sprintf("%s_%s_%s年%s月%s", dept, l.Name, year, month, ext)
	w.cols = []engine.Field{{Key: "seq", Label: "序号"}, engine.FieldName, engine.FieldID}
	w.cols = append(w.cols, l.Columns...)
	if lay.townCols {
		w.cols = append(w.cols, engine.FieldTownship, engine.FieldVillage)
	} else {
		w.cols = append(w.cols, engine.FieldAddress)
	}
	return w
}

// header writes the title, the two-row header's upper row, and the header.
func (w *deptWriter) header() {
	c, f, width := w.g.c, &w.f, len(w.cols)
	year, month := c.Period[:4], strings.TrimLeft(c.Period[5:], "0")
	last, _ := colName(width)
	if w.lay.title {
		f.Rows = append(f.Rows, []Cell{text(fmt.Sprintf("%s%s%s年%s月%s清单", c.Name, f.Dept, year, month, w.l.Name))})
		f.Merges = append(f.Merges, [2]string{"A1", last + "1"})
	}
	if w.lay.twoRow {
		row := make([]Cell, width)
		row[0] = text("序号")
		row[1] = text("基本信息")
		row[3] = text("明细")
		f.Rows = append(f.Rows, row)
		r := len(f.Rows)
		f.Merges = append(f.Merges, [2]string{"A" + strconv.Itoa(r), "A" + strconv.Itoa(r+1)}, [2]string{"B" + strconv.Itoa(r), "C" + strconv.Itoa(r)})
		f.Merges = append(f.Merges, [2]string{"D" + strconv.Itoa(r), last + strconv.Itoa(r)})
	}
	hdr := make([]Cell, width)
	for i, col := range w.cols {
		if w.lay.twoRow && i == 0 {
			continue // merged down from the row above
		}
		hdr[i] = text(headerName(col, w.lay.synonym))
	}
	f.Rows = append(f.Rows, hdr)
}

// addRow writes one data row and what the importer must make of it.
func (w *deptWriter) addRow(p *engine.Person, idCell Cell, kind Kind, values map[string]string, amount engine.Amount) {
	f := &w.f
	w.seq++
	row := make([]Cell, len(w.cols))
	row[0] = text(strconv.Itoa(w.seq))
	row[1] = text(p.Name)
	row[2] = idCell
	for i, col := range w.cols[3:] {
		switch col.Key {
		case "township":
			row[3+i] = text(p.Township)
		case "village":
			row[3+i] = text(p.Village)
		case "address":
			row[3+i] = text(p.Township + p.Village + p.Group)
		default:
			row[3+i] = text(values[col.Key])
		}
	}
	f.Rows = append(f.Rows, row)
	f.DataRows++
	f.Expect = append(f.Expect, Expect{Line: len(f.Rows), Kind: kind, PersonID: p.ID, Amount: amount})
	switch kind {
	case KindRoster, KindID15, KindOff:
		f.Valid++
	default:
		f.Invalid++
	}
	if kind == KindDup {
		f.Duplicates++
	}
}

// values makes a row's key columns for a person, above or below the rule's line.
func (w *deptWriter) values(p *engine.Person, above bool) (map[string]string, engine.Amount) {
	g, l := w.g, w.l
	v := map[string]string{}
	for _, col := range l.Columns {
		if pool, ok := pools[col.Key]; ok {
			v[col.Key] = pick(g, pool)
		}
		if col.Key == "date" {
			last := 28 // an event the department reports has happened: not after today
			if g.c.Today.Format("2006-01") == g.c.Period {
				last = max(1, g.c.Today.Day())
			}
			v[col.Key] = g.c.Period + fmt.Sprintf("-%02d", 1+g.r.IntN(last))
		}
	}
	if col := l.Rule.Field; l.Rule.Kind == "amount" {
		limit := l.Rule.OnRoster
		if !p.Category.OnRoster() {
			limit = l.Rule.OffRoster
		}
		var yuan float64
		if above {
			yuan = limit + float64(g.r.IntN(int(limit)+1))
		} else {
			yuan = limit * float64(10+g.r.IntN(80)) / 100
		}
		a := engine.Amount(int64(yuan*100) + int64(g.r.IntN(100)))
		v[col] = formatAmount(a, g.r.IntN(3))
		return v, a
	}
	if l.Name == "危房" {
		v["grade"] = []string{"A", "B", "C级", "D"}[g.r.IntN(4)]
	}
	amt := engine.Amount(0)
	for _, col := range l.Columns {
		if col.Key == "amount" {
			amt = engine.Amount((500 + g.r.IntN(30000)) * 100)
			v["amount"] = amt.String()
		}
	}
	return v, amt
}

// pickPerson is a roster person not yet in the list.
func (w *deptWriter) pickPerson() engine.Person {
	c := w.g.c
	for {
		p := c.Persons[w.g.r.IntN(len(c.Persons))]
		if !w.picked[p.ID] || len(w.picked) >= len(c.Persons) {
			w.picked[p.ID] = true
			return p
		}
	}
}

// body writes the list's people: mostly roster persons (some IDs written
// as 15 digits or with spaces, some bills itemised), some off the roster.
func (w *deptWriter) body() {
	g, l := w.g, w.l
	w.again()
	n := len(g.c.Persons)/60 + 8
	if l.Rule.Kind == "amount" && l.Name == "住院自付" {
		n = len(g.c.Persons)/25 + 10
	}
	for i := 0; i < n; i++ {
		roll := g.r.IntN(100)
		switch {
		case roll < 60 || i < 2:
			p := w.pickPerson()
			v, a := w.values(&p, g.r.IntN(2) == 0)
			kind, idCell := KindRoster, text(p.ID)
			if roll%10 == 3 && p.ID[6:8] == "19" {
				kind, idCell = KindID15, text(id15(p.ID))
			} else if roll%7 == 1 {
				idCell = text(" " + strings.ToLower(p.ID[:6]) + " " + p.ID[6:] + "\u00a0") // spaces the importer must fold
			}
			w.addRow(&p, idCell, kind, v, a)
			w.remember(p, v, a)
			if l.Name == "住院自付" && roll%4 == 0 && !l.Rule.YTD {
				// an itemised bill: a second stay of the same person
				v2, a2 := w.values(&p, false)
				w.addRow(&p, text(p.ID), KindRoster, v2, a2)
			}
		case roll < 85:
			p := g.offRosterPerson()
			v, a := w.values(&p, g.r.IntN(2) == 0)
			w.addRow(&p, text(p.ID), KindOff, v, a)
			w.remember(p, v, a)
		}
	}
	if w.sent != nil {
		w.g.c.Sent[w.f.Dept+"·"+w.l.Name] = w.sent
	}
}

// cumulative reports whether the list sends everyone again each month: a
// year-to-date amount (医保 住院自付), or everyone currently receiving
// (民政, whose rule compares the type of aid).
func (w *deptWriter) cumulative() bool {
	return w.l.Rule.YTD || (w.l.Rule.Kind == "any" && w.l.Rule.Level != "")
}

// again writes, for a cumulative or full list, the people its last month
// sent: a year-to-date amount grows (mostly a little, sometimes by more
// than the line; a new year starts again), a few change their type of aid
// or leave the list.
func (w *deptWriter) again() {
	if !w.cumulative() || w.g.c.Sent == nil {
		return
	}
	w.sent = map[string]Sent{}
	prev := w.g.c.Sent[w.f.Dept+"·"+w.l.Name]
	ids := make([]string, 0, len(prev))
	for id, s := range prev {
		if !w.l.Rule.YTD || s.Period[:4] == w.g.c.Period[:4] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		s := prev[id]
		v := map[string]string{}
		for k, x := range s.Values {
			v[k] = x
		}
		a, roll := s.Amount, w.g.r.IntN(100)
		if w.l.Rule.YTD {
			limit := w.l.Rule.OffRoster
			if s.Person.Category.OnRoster() {
				limit = w.l.Rule.OnRoster
			}
			switch {
			case roll < 55: // no new stay
			case roll < 85:
				a += engine.Amount(int64(limit * float64(10+w.g.r.IntN(50))))
			default:
				a += engine.Amount(int64(limit*100) + int64(w.g.r.IntN(int(limit)*100)))
			}
			v[w.l.Rule.Field] = formatAmount(a, w.g.r.IntN(3))
		} else {
			if roll < 3 {
				continue // no longer receiving
			}
			if roll < 10 {
				v[w.l.Rule.Level] = pick(w.g, pools[w.l.Rule.Level])
			}
		}
		p := s.Person
		w.picked[p.ID] = true
		kind := KindRoster
		if !p.Category.OnRoster() {
			kind = KindOff
			w.g.c.OffRoster = append(w.g.c.OffRoster, p)
		}
		w.addRow(&p, text(p.ID), kind, v, a)
		w.remember(p, v, a)
	}
}

// remember notes who a cumulative or full list sent this month.
func (w *deptWriter) remember(p engine.Person, v map[string]string, a engine.Amount) {
	if w.sent != nil {
		w.sent[p.ID] = Sent{Person: p, Period: w.g.c.Period, Amount: a, Values: v}
	}
}

// blemishes writes the damaged rows every county knows, and a duplicate.
//
// Excel keeps 15 digits of an ID typed as a number; the damaged form is
// caught by its E notation or, written out in full, by its trailing 000
// failing the check digit. One damaged form in eleven passes the check by
// chance and cannot be told from a real ID by its text; the sample avoids
// it (see the note on numeric cells in engine/idno.go).
func (w *deptWriter) blemishes() {
	f := &w.f
	p := w.pickPerson()
	for engine.ParseID(p.ID[:15] + "000").Usable() {
		p = w.pickPerson()
	}
	v, a := w.values(&p, true)
	if w.lay.format == XLSX {
		w.addRow(&p, num(damagedFloat(p.ID)), KindDamaged, v, a)
	} else {
		w.addRow(&p, text(p.ID[:1]+"."+p.ID[1:6]+"E+17"), KindDamaged, v, a)
	}
	p = w.pickPerson()
	v, a = w.values(&p, true)
	w.addRow(&p, text(badCheck(p.ID)), KindBadCheck, v, a)
	p = w.pickPerson()
	v, a = w.values(&p, true)
	w.addRow(&p, text(""), KindNoID, v, a)
	// an exact duplicate of the last good row
	for i := len(f.Expect) - 1; i >= 0; i-- {
		if f.Expect[i].Kind == KindRoster {
			dup := append([]Cell(nil), f.Rows[f.Expect[i].Line-1]...)
			f.Rows = append(f.Rows, dup)
			f.DataRows++
			f.Invalid++
			f.Duplicates++
			f.Expect = append(f.Expect, Expect{Line: len(f.Rows), Kind: KindDup, PersonID: f.Expect[i].PersonID, Amount: f.Expect[i].Amount})
			break
		}
	}
}

// trailer writes the total row and the signatures under the table.
func (w *deptWriter) trailer() {
	f := &w.f
	if w.lay.total {
		row := make([]Cell, len(w.cols))
		row[0] = text("合计")
		row[1] = text(strconv.Itoa(f.DataRows) + "人")
		f.Rows = append(f.Rows, row)
	}
	if w.lay.footer {
		f.Rows = append(f.Rows, []Cell{}, []Cell{text("制表人：" + w.g.name() + "    审核人：" + w.g.name())})
	}
}

func (g *gen) offRosterPerson() engine.Person {
	tw := g.c.Townships[g.r.IntN(len(g.c.Townships))]
	male := g.r.IntN(2) == 0
	sex := "女"
	if male {
		sex = "男"
	}
	p := engine.Person{ID: g.newID(1, 85, male), Name: g.name(), Sex: sex, Township: tw.Name,
		Village: tw.Villages[g.r.IntN(len(tw.Villages))], Group: "第一村民小组", Category: engine.CategoryOther}
	g.c.OffRoster = append(g.c.OffRoster, p)
	return p
}

// formatAmount writes an amount the ways departments do.
func formatAmount(a engine.Amount, style int) string {
	s := a.String()
	switch style {
	case 1:
		return commas(s) + "元"
	case 2:
		return commas(s)
	}
	return s
}

func commas(s string) string {
	dot := strings.IndexByte(s, '.')
	intPart, frac := s, ""
	if dot >= 0 {
		intPart, frac = s[:dot], s[dot:]
	}
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String() + frac
}

func colName(n int) (string, error) {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s, nil
}
