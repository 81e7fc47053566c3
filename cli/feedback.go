package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"bidui/engine"
)

func runFeedbackImport(env *Env, args []string) error {
	fs := flags("feedback import")
	db := fs.String("db", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"请给出乡镇交回的交办单 Excel 文件"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.ImportFeedback(env.Ctx, fs.Args())
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "结果行 %d：已记录 %d（其中与已有结果相同 %d），退回 %d\n", res.Rows, res.Recorded, res.Unchanged, res.Rejected)
	for _, is := range res.Issues {
		fmt.Fprintln(env.Stdout, "  退回："+is.Error())
	}
	return nil
}

func runFeedbackSet(env *Env, args []string) error {
	fs := flags("feedback set")
	db := fs.String("db", "", "")
	id := fs.String("id", "", "")
	f := engine.Feedback{}
	fs.StringVar(&f.Outcome, "outcome", "", "")
	fs.StringVar(&f.MonitorType, "type", "", "")
	fs.StringVar(&f.Reason, "reason", "", "")
	fs.StringVar(&f.Verifier, "verifier", "", "")
	fs.StringVar(&f.Date, "date", "", "")
	fs.StringVar(&f.Measures, "measures", "", "")
	fs.StringVar(&f.Entered, "entered", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return usageError{"请用 --id 指定线索编号"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if f.Date == "" {
		f.Date = a.Now().Format("2006-01-02")
	}
	c, err := a.RecordFeedback(*id, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "线索 %s：%s（状态 %s）\n", c.ID, c.Feedback.Text(), c.Status)
	return nil
}

func runReport(env *Env, args []string) error {
	fs := flags("report")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	out := fs.String("out", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *period == "" || (*out == "" && !*asJSON) {
		return usageError{"请用 --period 指定批次月份，用 --out 指定 .xlsx（月报表）或 .pdf（双月调度通报），或用 --json"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *asJSON {
		rep, err := a.Report(*period)
		if err != nil {
			return err
		}
		return writeJSON(env.Stdout, rep)
	}
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".xlsx":
		err = a.ExportReport(*period, *out)
	case ".pdf":
		err = a.ExportBulletin(*period, *out)
	default:
		return usageError{"--out 应为 .xlsx（月报表）或 .pdf（双月调度通报）"}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出：%s\n", *out)
	return nil
}

func runResults(env *Env, args []string) error {
	fs := flags("results")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	dept := fs.String("dept", "", "")
	out := fs.String("out", "", "")
	full := fs.Bool("full-id", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *period == "" || *dept == "" || *out == "" {
		return usageError{"请用 --period、--dept 和 --out 指定批次、部门和输出文件"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.DeptResults(*period, *dept, *out, !*full)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出 %s 的结果清单（%d 行）：%s\n", *dept, n, *out)
	return nil
}

func runHistory(env *Env, args []string) error {
	fs := flags("history")
	db := fs.String("db", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"请给出户编号或身份证号"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	h, err := a.History(fs.Arg(0))
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
	}
	return nil
}

func runSpotCheck(env *Env, args []string) error {
	fs := flags("spotcheck")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	per := fs.Int("per", 2, "")
	seed := fs.Uint64("seed", 0, "")
	out := fs.String("out", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *period == "" {
		return usageError{"请用 --period 指定批次月份"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano() % 1000000)
	}
	sc, err := a.DrawSpotCheck(*period, *per, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "随机种子 %d（用 --seed %d 可重现），共抽取 %d 条：\n", sc.Seed, sc.Seed, len(sc.Picks))
	for _, c := range sc.Picks {
		fmt.Fprintf(env.Stdout, "  %s %s %s %s\n", c.ID, c.Township, c.Village, c.Head)
	}
	if *out != "" {
		if err := a.ExportSpotCheck(sc, *out); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已导出抽查名单：%s\n", *out)
	}
	return nil
}
