package demo

import (
	"math/rand/v2"

	"bidui/engine"
)

// Verifier writes the results township staff bring back from their visits,
// for the demo county's earlier months: mostly 不纳入 with a reason, some
// 纳入监测 with a type, monitored households 已是监测对象, a few 信息有误
// and 其他. It is deterministic for a seed.
type Verifier struct {
	r *rand.Rand
}

// NewVerifier makes a Verifier from a seed.
func NewVerifier(seed uint64) *Verifier { return &Verifier{r: newRand(seed ^ 0x5eed)} }

var notIncludedReasons = map[string][]string{
	"因病":   {"已享受基本医保、大病保险和医疗救助，自付部分可承受，家庭有稳定务工收入，无返贫风险", "经入户核实，患者已康复出院，家庭收入稳定，“两不愁三保障”有保障"},
	"因学":   {"已落实教育资助政策，家庭有两人稳定务工，无返贫风险", "学生已返校就读，经核实系转学，不存在辍学"},
	"因意外":  {"已获保险理赔和民政临时救助，家庭收入稳定，无返贫风险"},
	"社会救助": {"已纳入低保，家庭收入稳定，无返贫风险"},
	"就业不稳": {"已通过公益性岗位安置就业，家庭收入稳定"},
	"住房安全": {"经住建部门鉴定已完成加固改造，住房安全有保障"},
	"饮水安全": {"已接通集中供水管网，水量水质达标"},
	"产业失败": {"损失已由农业保险理赔，家庭另有务工收入，无返贫风险"},
	"因灾":   {"已获灾后救助，房屋已修复，生产生活已恢复正常", "受损较轻，家庭收入稳定，无返贫风险"},
	"因残":   {"已落实残疾人两项补贴，家庭有稳定收入"},
}

const genericReason = "经入户核实，家庭收入稳定，“两不愁三保障”及饮水安全有保障，无返贫致贫风险"

var otherReasons = []string{"该户已举家迁出本县，已移交迁入地核实", "本人长期在外务工联系不上，待返乡后再核实"}

var verifierRoles = []string{"驻村工作队", "村委会", "乡村振兴办", "包村干部"}

var measures = []string{"落实医疗救助和临时救助", "安排公益性岗位，落实产业帮扶", "落实教育资助和临时救助", "落实危房改造和临时救助"}

// Answer returns the result a township writes for a clue — outcome, type
// or reason, verifier — and how many working days after the assignment the
// visit took place (some come after the 20-day deadline).
func (v *Verifier) Answer(c *engine.Clue) (f engine.Feedback, days int) {
	g := &gen{r: v.r}
	f.Verifier = verifierRoles[v.r.IntN(len(verifierRoles))] + " " + g.name()
	days = 2 + v.r.IntN(17)
	if v.r.IntN(10) == 0 {
		days = 21 + v.r.IntN(6) // late
	}
	types := c.RiskTypes()
	risk := ""
	if len(types) > 0 {
		risk = types[0]
	}
	n := v.r.IntN(100)
	switch {
	case c.Category == engine.CategoryMonitored && n < 80:
		f.Outcome = engine.OutcomeAlready
	case c.Kind == engine.KindChange:
		f.Outcome, f.Reason = engine.OutcomeOther, "已核实人员变动情况，已在全国防返贫监测信息系统中更新"
	case n < 14:
		f.Outcome = engine.OutcomeIncluded
		switch {
		case c.Category == engine.CategoryFormerlyPoor:
			f.MonitorType = engine.MonitorUnstable
		case risk == "因意外" || risk == "因灾":
			f.MonitorType = engine.MonitorSuddenHard
		default:
			f.MonitorType = engine.MonitorMarginal
		}
		f.Measures = measures[v.r.IntN(len(measures))]
	case n < 20:
		f.Outcome = engine.OutcomeWrongInfo
		f.Reason = "部门数据中的身份证号与本人不符，已反馈部门更正"
	case n < 25:
		f.Outcome, f.Reason = engine.OutcomeOther, otherReasons[v.r.IntN(len(otherReasons))]
	default:
		f.Outcome, f.Reason = engine.OutcomeNotIncluded, genericReason
		if rs := notIncludedReasons[risk]; len(rs) > 0 {
			f.Reason = rs[v.r.IntN(len(rs))]
		}
	}
	return f, days
}

// Chance reports true with probability p (0..1), from the same stream.
func (v *Verifier) Chance(p float64) bool { return v.r.Float64() < p }
