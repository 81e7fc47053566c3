package cli

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"bidui/app"
	"bidui/engine"
)

// feedbackImportOptions is `bidui feedback import`.
type feedbackImportOptions struct {
	common
	returns string
}

func (o *feedbackImportOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withJSON)
	fs.StringVar(&o.returns, "returns", "", "")
}

func (o *feedbackImportOptions) run(env *Env) error {
	if len(o.Args) == 0 {
		return usageError{"请给出乡镇交回的交办单 Excel 文件"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.ImportFeedback(env.Ctx, o.Args)
	if err != nil {
		return err
	}
	if o.returns != "" && res.Rejected > 0 {
		if err := a.ExportRejected(res, o.returns); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "退回的 %d 行已导出：%s\n", res.Rejected, o.returns)
	}
	if o.JSON {
		return writeJSON(env.Stdout, feedbackJSON(*res))
	}
	fmt.Fprintf(env.Stdout, "结果行 %d：已记录 %d（其中与已有结果相同 %d），退回 %d；尚未填写结果（待核查）%d 条\n", res.Rows, res.Recorded, res.Unchanged, res.Rejected, res.Waiting)
	for _, is := range res.Issues {
		fmt.Fprintln(env.Stdout, "  退回："+is.Error())
	}
	return nil
}

// feedbackSetOptions is `bidui feedback set`.
type feedbackSetOptions struct {
	common
	id string
	f  engine.Feedback
}

func (o *feedbackSetOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, 0)
	fs.StringVar(&o.id, "id", "", "")
	fs.StringVar(&o.f.Outcome, "outcome", "", "")
	fs.StringVar(&o.f.MonitorType, "type", "", "")
	fs.StringVar(&o.f.Reason, "reason", "", "")
	fs.StringVar(&o.f.Verifier, "verifier", "", "")
	fs.StringVar(&o.f.Date, "date", "", "")
	fs.StringVar(&o.f.Measures, "measures", "", "")
	fs.StringVar(&o.f.Entered, "entered", "", "")
}

func (o *feedbackSetOptions) run(env *Env) error {
	f := o.f
	if o.id == "" {
		return usageError{"请用 --id 指定线索编号"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if f.Date == "" {
		f.Date = a.Now().Format("2006-01-02")
	}
	c, err := a.RecordFeedback(o.id, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "线索 %s：%s（状态 %s）\n", c.ID, c.Feedback.Text(), c.Status)
	return nil
}

// reportOptions is `bidui report`.
type reportOptions struct{ common }

func (o *reportOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON|withOut)
}

func (o *reportOptions) run(env *Env) error {
	if o.Period == "" || (o.Out == "" && !o.JSON) {
		return usageError{"请用 --period 指定批次月份，用 --out 指定 .xlsx（月报表）或 .pdf（双月调度通报），或用 --json"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.JSON {
		rep, err := a.Report(o.Period)
		if err != nil {
			return err
		}
		yields, err := a.ListYields(o.Period, app.YieldMonths)
		if err != nil {
			return err
		}
		flow, prev, err := a.MonthFlows(o.Period)
		if err != nil {
			return err
		}
		out := reportResult(rep, yields)
		out.Flow = monthOverMonthJSON{Current: flow, Previous: prev, Definition: engine.FlowDefinition}
		return writeJSON(env.Stdout, out)
	}
	switch strings.ToLower(filepath.Ext(o.Out)) {
	case ".xlsx":
		err = a.ExportReport(o.Period, o.Out)
	case ".pdf":
		err = a.ExportBulletin(o.Period, o.Out)
	default:
		return usageError{"--out 应为 .xlsx（月报表）或 .pdf（双月调度通报）"}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出：%s\n", o.Out)
	return nil
}

// resultsOptions is `bidui results`.
type resultsOptions struct {
	common
	dept string
	full bool
}

func (o *resultsOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withOut)
	fs.StringVar(&o.dept, "dept", "", "")
	fs.BoolVar(&o.full, "full-id", false, "")
}

func (o *resultsOptions) run(env *Env) error {
	if o.Period == "" || o.dept == "" || o.Out == "" {
		return usageError{"请用 --period、--dept 和 --out 指定批次、部门和输出文件"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.DeptResults(o.Period, o.dept, o.Out, !o.full)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出 %s 的结果清单（%d 行）：%s\n", o.dept, n, o.Out)
	return nil
}

// historyOptions is `bidui history`.
type historyOptions struct{ common }

func (o *historyOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, 0)
}

func (o *historyOptions) run(env *Env) error {
	if len(o.Args) != 1 {
		return usageError{"请给出户编号或身份证号"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	h, err := a.History(o.Args[0])
	if err != nil {
		return err
	}
	if h.Household != nil {
		fmt.Fprintf(env.Stdout, "户编号 %s　户主 %s　%s %s　%s\n", h.Household.No, h.Household.Head, h.Household.Township, h.Household.Village, h.Household.Category)
		for _, p := range h.Members {
			fmt.Fprintf(env.Stdout, "  %s %s %s\n", p.Relation, p.Name, p.ID)
		}
	}
	for _, c := range h.Clues {
		fmt.Fprintf(env.Stdout, "%s %s %s：%s　%s %s %s\n", c.ID, c.Kind, c.Status, strings.Join(c.RiskTypes(), "、"), c.Assignment, c.Deadline, c.Feedback.Text())
		for _, r := range c.Risks {
			fmt.Fprintf(env.Stdout, "  %s·%s %s：%s", r.Dept, r.List, r.Name, r.Detail)
			if r.Rule != "" {
				fmt.Fprintf(env.Stdout, "（依据：%s）", r.Rule)
			}
			if r.Again != "" {
				fmt.Fprintf(env.Stdout, "（%s）", r.Again)
			}
			fmt.Fprintln(env.Stdout)
		}
	}
	for _, f := range h.FollowUps {
		fmt.Fprintf(env.Stdout, "%s 续报 %s·%s %s：%s（上次线索 %s 已交办，未再生成线索）\n", f.Period, f.Risk.Dept, f.Risk.List, f.Risk.Name, f.Risk.Detail, f.Of)
	}
	return nil
}

// spotCheckOptions is `bidui spotcheck`.
type spotCheckOptions struct {
	common
	per  int
	seed uint64
}

func (o *spotCheckOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withOut)
	fs.IntVar(&o.per, "per", 2, "")
	fs.Uint64Var(&o.seed, "seed", 0, "")
}

func (o *spotCheckOptions) run(env *Env) error {
	a, err := o.openPeriod()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano() % 1000000)
	}
	sc, err := a.DrawSpotCheck(o.Period, o.per, o.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "随机种子 %d（用 --seed %d 可重现），共抽取 %d 条：\n", sc.Seed, sc.Seed, len(sc.Picks))
	for _, c := range sc.Picks {
		fmt.Fprintf(env.Stdout, "  %s %s %s %s\n", c.ID, c.Township, c.Village, c.Head)
	}
	if o.Out != "" {
		if err := a.ExportSpotCheck(sc, o.Out); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已导出抽查名单：%s\n", o.Out)
	}
	return nil
}
