// Package demo builds a synthetic county: townships, villages, households
// with valid ID numbers, a national-system roster export and, for every list
// in the catalog, a messy department file of the kind counties really get.
// It is pure: it returns data, and knows what each row should come to, so
// tests can check the importer and the comparison against it.
package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"bidui/engine"
)

// Cell is one spreadsheet cell: text, or a number (how Excel damages IDs).
type Cell struct {
	Text  string
	Num   float64
	IsNum bool
}

func text(s string) Cell { return Cell{Text: s} }
func num(f float64) Cell { return Cell{Num: f, IsNum: true} }
func (c Cell) String() string {
	if c.IsNum {
		return strconv.FormatFloat(c.Num, 'f', -1, 64)
	}
	return c.Text
}

// Format of a sample file.
type Format string

const (
	XLSX       Format = "xlsx"
	CSVGBK     Format = "csv-gbk"
	CSVUTF8BOM Format = "csv-utf8bom"
)

// Kind is what a department row was made to be.
type Kind string

const (
	KindRoster   Kind = "roster"    // a roster person with a good ID
	KindID15     Kind = "id15"      // a roster person with the old 15-digit ID
	KindOff      Kind = "off"       // a person not on the roster
	KindDamaged  Kind = "damaged"   // ID turned into a number by Excel
	KindBadCheck Kind = "bad_check" // a typo in the ID
	KindNoID     Kind = "no_id"     // the ID cell is empty
	KindDup      Kind = "duplicate" // an exact copy of the row before it
)

// Expect is the truth about one data row of a department file.
type Expect struct {
	Line     int
	Kind     Kind
	PersonID string        // the person's real 18-digit ID (roster or off-roster)
	Amount   engine.Amount // 0 when the list has no amount
}

// File is one sample file.
type File struct {
	Name   string // file name
	Dept   string
	List   string // list type name
	Format Format
	Sheet  string
	Rows   [][]Cell
	Merges [][2]string
	// Truth about the file's data rows.
	Expect     []Expect
	DataRows   int // rows an importer must count (data rows, including invalid and duplicate rows)
	Valid      int // rows with a usable ID and name
	Invalid    int
	Duplicates int
}

// County is the generated county.
type County struct {
	Name, Code string
	Period     string // YYYY-MM of the department files
	Today      time.Time
	Townships  []Township
	Persons    []engine.Person // the true roster
	OffRoster  []engine.Person // people not on the roster who appear in department files
	Roster     File
	DeptFiles  []File
	// Sent is what the cumulative and full lists held, by 部门·清单 and
	// person, as of the last month made: the next month's lists send them
	// again (DESIGN.md §4 follow-ups).
	Sent map[string]map[string]Sent
}

// Sent is a person as a cumulative or full list last sent them.
type Sent struct {
	Person engine.Person
	Period string
	Amount engine.Amount
	Values map[string]string
}

// Township with its villages.
type Township struct {
	Name     string
	Villages []string
}

var townshipNames = []string{"城关镇", "龙泉镇", "石桥乡", "白鹤乡", "河西镇", "太平镇", "双龙乡", "新安镇", "松林乡", "马街镇", "清水乡", "高桥乡", "东山乡"}

var villageNames = []string{"大村", "小河村", "新寨村", "石板村", "黄草坝村", "龙潭村", "大树村", "三家村", "中和村", "向阳村",
	"团结村", "红星村", "新民村", "和平村", "沙坝村", "箐口村", "岔河村", "坡头村", "凤凰村", "白沙村", "核桃村", "梨园村",
	"青龙村", "石岩村", "大箐村", "下营村", "上营村", "竹园村", "老街村", "干海子村", "水塘村", "松坡村", "木瓜村", "羊街村",
	"田心村", "长岭村", "高家村", "李家村", "瓦窑村", "平坝村"}

var surnames = []string{"李", "王", "张", "杨", "刘", "陈", "赵", "普", "罗", "鲁", "施", "马", "段", "字", "者", "起", "柏",
	"白", "周", "钱", "孙", "吴", "郑", "何", "高", "林", "黄", "徐", "朱", "胡", "郭", "董", "毕", "沐", "岳", "冯"}

var givenChars = []rune("国华建明文军平志伟秀英兰芳玉珍丽红春梅金海云福贵成忠学琴凤翠艳琼仙德荣富发林永兴光学才桂花莲秀美洪涛勇强俊斌雪")

var relations = []string{"户主", "配偶", "之子", "之女", "之子", "之女", "父亲", "母亲", "孙子", "孙女", "儿媳"}

// Generate builds a county of n households from seed. period is the month
// of the department files (YYYY-MM); today anchors ages.
func Generate(seed uint64, n int, period string, today time.Time) *County {
	if n < 20 {
		n = 20
	}
	r := newRand(seed)
	c := &County{Name: "青山县", Code: "530428", Period: period, Today: today, Sent: map[string]map[string]Sent{}}
	vi := 0
	for ti, t := range townshipNames {
		nv := 5 + r.IntN(5)
		tw := Township{Name: t}
		for j := 0; j < nv; j++ {
			tw.Villages = append(tw.Villages, villageNames[(vi+ti*3)%len(villageNames)])
			vi++
		}
		c.Townships = append(c.Townships, tw)
	}
	g := &gen{r: r, c: c, today: today, used: map[string]bool{}}
	g.households(n)
	g.rosterFile()
	return c
}

type gen struct {
	r     *rand.Rand
	c     *County
	today time.Time
	used  map[string]bool
}

func (g *gen) name() string {
	s := surnames[g.r.IntN(len(surnames))]
	k := 1 + g.r.IntN(2)
	for i := 0; i < k; i++ {
		s += string(givenChars[g.r.IntN(len(givenChars))])
	}
	return s
}

// newID makes a unique valid 18-digit ID for a birth year range and sex.
func (g *gen) newID(minAge, maxAge int, male bool) string {
	for {
		age := minAge + g.r.IntN(maxAge-minAge+1)
		birth := g.today.AddDate(-age, 0, -g.r.IntN(365))
		seq := g.r.IntN(500) * 2
		if male {
			seq++
		}
		first := g.c.Code + birth.Format("20060102") + fmt.Sprintf("%03d", seq%1000)
		id := first + string(engine.IDCheckDigit(first))
		if !g.used[id] {
			g.used[id] = true
			return id
		}
	}
}

func (g *gen) households(n int) {
	seq := 0
	for i := 0; i < n; i++ {
		ti := g.r.IntN(len(g.c.Townships))
		tw := g.c.Townships[ti]
		vj := g.r.IntN(len(tw.Villages))
		seq++
		hh := fmt.Sprintf("%s%03d%03d%06d", g.c.Code, ti+1, vj+1, seq)
		cat := engine.CategoryFormerlyPoor
		mtype, riskGone := "", false
		if g.r.IntN(100) < 18 {
			cat = engine.CategoryMonitored
			mtype = engine.MonitorTypes[g.r.IntN(3)]
			riskGone = g.r.IntN(100) < 60
		}
		group := "第" + []string{"一", "二", "三", "四", "五", "六", "七", "八"}[g.r.IntN(8)] + "村民小组"
		helper := g.name()
		phone := fmt.Sprintf("1%d%09d", 3+g.r.IntN(7), g.r.IntN(1000000000))
		size := 1 + g.r.IntN(6)
		headMale := g.r.IntN(100) < 80
		headAge := 30 + g.r.IntN(51)
		for m := 0; m < size; m++ {
			rel := "户主"
			male := headMale
			minAge, maxAge := headAge, headAge
			if m > 0 {
				rel = relations[1+g.r.IntN(len(relations)-1)]
				// ages follow the head's: children 20-40 years younger, parents 20-30 older
				child := func() (int, int) { return max(1, headAge-40), max(1, headAge-20) }
				switch rel {
				case "配偶":
					male, minAge, maxAge = !headMale, max(20, headAge-8), headAge+5
				case "之子", "之女":
					male = rel == "之子"
					minAge, maxAge = child()
				case "孙子", "孙女":
					male = rel == "孙子"
					minAge, maxAge = max(1, headAge-65), max(1, headAge-42)
				case "父亲", "母亲":
					male = rel == "父亲"
					minAge, maxAge = headAge+20, headAge+30
				case "儿媳":
					male = false
					minAge, maxAge = child()
				}
				if rel == "孙子" || rel == "孙女" {
					if headAge < 50 {
						rel = map[bool]string{true: "之子", false: "之女"}[male]
						minAge, maxAge = child()
					}
				}
				if (rel == "父亲" || rel == "母亲") && headAge > 65 {
					rel, male = "配偶", !headMale
					minAge, maxAge = headAge-8, headAge+5
				}
			}
			id := g.newID(minAge, maxAge, male)
			name := g.name()
			if m > 0 && (rel == "之子" || rel == "之女" || rel == "孙子" || rel == "孙女") {
				name = g.c.Persons[len(g.c.Persons)-m].Name[:3] + name[3:] // children take the head's surname
			}
			sex := "女"
			if male {
				sex = "男"
			}
			g.c.Persons = append(g.c.Persons, engine.Person{
				ID: id, Name: name, Sex: sex, HouseholdNo: hh, Relation: rel,
				Township: tw.Name, Village: tw.Villages[vj], Group: group,
				Category: cat, MonitorType: mtype, RiskEliminated: riskGone, Helper: helper, Phone: phone,
			})
		}
	}
}

// rosterHeader is the national system's export header.
var rosterHeader = []string{"序号", "省", "市", "县", "乡镇", "行政村", "村民小组", "户编号", "姓名", "性别", "证件号码", "与户主关系", "户类型", "监测对象类别", "风险是否消除", "帮扶责任人", "联系电话"}

func (g *gen) rosterRow(i int, p *engine.Person, id Cell) []Cell {
	hhtype := "脱贫户"
	riskGone := ""
	if p.Category == engine.CategoryMonitored {
		hhtype = "监测户"
		riskGone = "否"
		if p.RiskEliminated {
			riskGone = "是"
		}
	}
	return []Cell{text(strconv.Itoa(i)), text("云南省"), text("玉溪市"), text(g.c.Name), text(p.Township), text(p.Village), text(p.Group),
		text(p.HouseholdNo), text(p.Name), text(p.Sex), id, text(p.Relation), text(hhtype), text(p.MonitorType), text(riskGone), text(p.Helper), text(p.Phone)}
}

// rosterFile writes the roster as the national system exports it, with the
// blemishes a real export has: a title and a note above the header, one
// person whose ID Excel damaged, one with a typo, a duplicated person, a
// blank row and a 合计 row. The damaged and mistyped persons are not part of
// the true roster a correct import yields.
func (g *gen) rosterFile() {
	f := File{Name: g.c.Name + "脱贫人口和监测对象信息（基础名册）.xlsx", Format: XLSX, Sheet: "人员信息"}
	f.Rows = append(f.Rows, []Cell{text("全国防返贫监测信息系统 — " + g.c.Name + "脱贫人口（含监测对象）明细")})
	f.Merges = append(f.Merges, [2]string{"A1", "Q1"})
	f.Rows = append(f.Rows, []Cell{text("导出时间：" + g.today.Format("2006-01-02"))})
	hdr := make([]Cell, len(rosterHeader))
	for i, h := range rosterHeader {
		hdr[i] = text(h)
	}
	f.Rows = append(f.Rows, hdr)
	// the roster's own blemishes, on persons dropped from the truth
	bad := map[int]Kind{}
	if len(g.c.Persons) > 50 {
		i := len(g.c.Persons) / 3
		for engine.ParseID(g.c.Persons[i].ID[:15] + "000").Usable() {
			i++ // a damaged form that passes the check by chance (see dept.go)
		}
		bad[i] = KindDamaged
		bad[len(g.c.Persons)/2] = KindBadCheck
	}
	var kept []engine.Person
	line := len(f.Rows)
	for i := range g.c.Persons {
		p := &g.c.Persons[i]
		id := text(p.ID)
		switch bad[i] {
		case KindDamaged:
			id = num(damagedFloat(p.ID))
			f.Invalid++
		case KindBadCheck:
			id = text(badCheck(p.ID))
			f.Invalid++
		default:
			f.Valid++
			kept = append(kept, *p)
		}
		f.Rows = append(f.Rows, g.rosterRow(i+1, p, id))
		line++
		f.DataRows++
		if i == 10 {
			f.Rows = append(f.Rows, g.rosterRow(i+1, p, text(p.ID))) // exported twice
			f.DataRows++
			f.Invalid++
			f.Duplicates++
		}
		if i == 20 {
			f.Rows = append(f.Rows, []Cell{}) // blank row
		}
	}
	f.Rows = append(f.Rows, []Cell{text("合计"), text(""), text(""), text(""), text(""), text(""), text(""), text(""), text(strconv.Itoa(len(g.c.Persons)) + "人")})
	g.c.Roster = f
	g.c.Persons = kept
}

// damagedFloat is what Excel keeps of an 18-digit number: 15 significant digits.
func damagedFloat(id string) float64 {
	v, _ := strconv.ParseFloat(id[:15]+"000", 64)
	return v
}

func badCheck(id string) string {
	c := id[17]
	alt := byte('0')
	if c == '0' {
		alt = '1'
	}
	return id[:17] + string(alt)
}

// Sorted returns the persons in a stable order, for tests.
func Sorted(ps []engine.Person) []engine.Person {
	out := append([]engine.Person(nil), ps...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func id15(id string) string { return id[:6] + id[8:17] }

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// mustPeriodEnd is the last day of a YYYY-MM period (today when unreadable).
func mustPeriodEnd(period string) time.Time {
	m, err := engine.ParseMonth(period)
	if err != nil {
		return time.Now().UTC().Truncate(24 * time.Hour)
	}
	return m.Last()
}
