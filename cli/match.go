package cli

import (
	"fmt"
	"strings"

	"bidui/app"
	"bidui/engine"
)

func runMatch(env *Env, args []string) error {
	fs := flags("match")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	asJSON := fs.Bool("json", false, "")
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
	res, err := a.Match(env.Ctx, *period)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	c := res.MatchCounts
	fmt.Fprintf(env.Stdout, "%s 批次比对完成（%d 类清单）：\n数据行 %d = 匹配名册 %d + 名册外 %d + 待复核 %d + 无效 %d；其中未达预警标准 %d 行\n",
		c.Period, c.Lists, c.Rows, c.Matched, c.OffRoster, c.Review, c.Invalid, c.BelowThreshold)
	fmt.Fprintf(env.Stdout, "预警线索 %d 条、信息变更 %d 条（本次新增 %d 条，更新 %d 条），部门数据打架等 %d 处\n", c.Clues, c.Changes, c.NewClues, c.UpdatedClues, c.Conflicts)
	for _, cf := range res.Conflicts {
		fmt.Fprintf(env.Stdout, "  %s：%s %s — %s\n", cf.Kind, cf.Name, cf.Person, cf.Detail)
	}
	if c.Review > 0 {
		fmt.Fprintf(env.Stdout, "有 %d 行身份证号无法使用，请用 bidui review --period %s 或在窗口“比对与线索”中复核\n", c.Review, c.Period)
	}
	return nil
}

func runClues(env *Env, args []string) error {
	fs := flags("clues")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	out := fs.String("out", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *period == "" {
		return usageError{"请用 --period 指定批次月份"}
	}
	if !*asJSON && *out == "" {
		return usageError{"请用 --json 输出，或用 --out 导出为 .xlsx"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *out != "" {
		n, err := a.ExportClues(*period, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已导出 %d 条线索：%s\n", n, *out)
		return nil
	}
	clues, err := a.Clues(*period)
	if err != nil {
		return err
	}
	list := make([]app.ClueJSON, len(clues))
	for i := range clues {
		list[i] = app.ToJSON(&clues[i])
	}
	return writeJSON(env.Stdout, map[string]any{"clues": list})
}

func runReview(env *Env, args []string) error {
	fs := flags("review")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	ref := fs.String("row", "", "")
	confirm := fs.String("confirm", "", "")
	reject := fs.String("reject", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *ref != "" {
		var r engine.RowRef
		if _, err := fmt.Sscanf(*ref, "%d:%d", &r.Import, &r.Line); err != nil {
			return usageError{"--row 应写成 导入序号:行号，如 --row 12:35"}
		}
		switch {
		case *confirm != "":
			if err := a.Confirm(r, engine.ParseID(*confirm).Norm); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "已确认，重新比对后计入该户线索")
		case *reject != "":
			if err := a.Reject(r, strings.Split(*reject, ",")); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "已否决，这些候选人不会再出现")
		default:
			return usageError{"请用 --confirm 身份证号 或 --reject 身份证号[,身份证号]"}
		}
		return nil
	}
	if *period == "" {
		return usageError{"请用 --period 指定批次月份，或用 --row 与 --confirm/--reject 处理一行"}
	}
	items, err := a.ReviewQueue(*period)
	if err != nil {
		return err
	}
	if *asJSON {
		if items == nil {
			items = []engine.ReviewItem{}
		}
		return writeJSON(env.Stdout, map[string]any{"review": items})
	}
	fmt.Fprintf(env.Stdout, "%s 批次待复核 %d 行：\n", *period, len(items))
	for _, it := range items {
		fmt.Fprintf(env.Stdout, "[%s] %s·%s 第%d行 %s %q：%s\n", it.Ref, it.Dept, it.List, it.Ref.Line, it.Name, it.RawID, it.Problem)
		for _, c := range it.Candidates {
			fmt.Fprintf(env.Stdout, "    候选 %s %s %s%s（%s）\n", c.Name, c.ID, c.Township, c.Village, strings.Join(c.Reasons, "，"))
		}
	}
	return nil
}

func runRegisterImport(env *Env, args []string) error {
	fs := flags("register import")
	db := fs.String("db", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"请给出农户花名册文件"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	fc, err := a.ImportRegister(env.Ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, fc)
	}
	fmt.Fprintf(env.Stdout, "已导入农户花名册：%s，数据行 %d，有效 %d，有问题 %d\n", fc.File, fc.Rows, fc.Valid, fc.Invalid)
	return nil
}

func runClueAdd(env *Env, args []string) error {
	fs := flags("clue add")
	db := fs.String("db", "", "")
	m := app.ManualClue{}
	fs.StringVar(&m.Period, "period", "", "")
	fs.StringVar(&m.Source, "source", "", "")
	fs.StringVar(&m.PersonID, "id", "", "")
	fs.StringVar(&m.Name, "name", "", "")
	fs.StringVar(&m.Township, "township", "", "")
	fs.StringVar(&m.Village, "village", "", "")
	fs.StringVar(&m.RiskType, "type", "", "")
	fs.StringVar(&m.Note, "note", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	c, err := a.AddManualClue(m)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, app.ToJSON(c))
	}
	fmt.Fprintf(env.Stdout, "已新增线索 %s\n", c.ID)
	return nil
}
