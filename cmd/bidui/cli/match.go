package cli

import (
	"flag"
	"fmt"
	"strings"

	"bidui/app"
	"bidui/engine"
)

// matchOptions is `bidui match`.
type matchOptions struct {
	common
	force bool
}

func (o *matchOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON)
	fs.BoolVar(&o.force, "force", false, "")
}

func (o *matchOptions) run(env *Env) error {
	a, err := o.openPeriod()
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.MatchWith(env.Ctx, o.Period, app.MatchOptions{Force: o.force})
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(env.Stdout, matchJSON(*res))
	}
	c := res.MatchCounts
	fmt.Fprintf(env.Stdout, "%s 批次比对完成（%d 类清单）：\n数据行 %d = 匹配名册 %d + 名册外 %d + 待复核 %d + 无效 %d；其中未达预警标准 %d 行\n",
		c.Period, c.Lists, c.Rows, c.Matched, c.OffRoster, c.Review, c.Invalid, c.BelowThreshold)
	fmt.Fprintf(env.Stdout, "预警线索 %d 条、信息变更 %d 条（本次新增 %d 条，更新 %d 条），部门数据打架等 %d 处\n", c.Clues, c.Changes, c.NewClues, c.UpdatedClues, c.Conflicts)
	if c.FollowUps > 0 || c.RaisedAgain > 0 {
		fmt.Fprintf(env.Stdout, "续报 %d 条（已交办过的同一人再次报送，记入一户一档，未再生成线索；见 bidui followups --period %s），再次预警 %d 条（金额又增加达标准或类别、等级变化）\n",
			c.FollowUps, c.Period, c.RaisedAgain)
	}
	for _, cf := range res.Conflicts {
		fmt.Fprintf(env.Stdout, "  %s：%s %s — %s\n", cf.Kind, cf.Name, cf.Person, cf.Detail)
	}
	if c.Review > 0 {
		fmt.Fprintf(env.Stdout, "有 %d 行身份证号无法使用，请用 bidui review --period %s 或在窗口“比对与线索”中复核\n", c.Review, c.Period)
	}
	return nil
}

// cluesOptions is `bidui clues`.
type cluesOptions struct{ common }

func (o *cluesOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON|withOut)
}

func (o *cluesOptions) run(env *Env) error {
	if o.Period == "" {
		return errNoPeriod
	}
	if !o.JSON && o.Out == "" {
		return usageError{"请用 --json 输出，或用 --out 导出为 .xlsx"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.Out != "" {
		n, err := a.ExportClues(o.Period, o.Out)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已导出 %d 条线索：%s\n", n, o.Out)
		return nil
	}
	clues, err := a.Clues(o.Period)
	if err != nil {
		return err
	}
	list := make([]clueJSON, len(clues))
	for i := range clues {
		list[i] = toJSON(&clues[i])
	}
	return writeJSONList(env.Stdout, "clues", list)
}

// reviewOptions is `bidui review`.
type reviewOptions struct {
	common
	ref     string
	confirm string
	reject  string
}

func (o *reviewOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON)
	fs.StringVar(&o.ref, "row", "", "")
	fs.StringVar(&o.confirm, "confirm", "", "")
	fs.StringVar(&o.reject, "reject", "", "")
}

func (o *reviewOptions) run(env *Env) error {
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.ref != "" {
		var r engine.RowRef
		if _, err := fmt.Sscanf(o.ref, "%d:%d", &r.Import, &r.Line); err != nil {
			return usageError{"--row 应写成 导入序号:行号，如 --row 12:35"}
		}
		switch {
		case o.confirm != "":
			if err := a.Confirm(r, engine.ParseID(o.confirm).Norm); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "已确认，重新比对后计入该户线索")
		case o.reject != "":
			if err := a.Reject(r, strings.Split(o.reject, ",")); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "已否决，这些候选人不会再出现")
		default:
			return usageError{"请用 --confirm 身份证号 或 --reject 身份证号[,身份证号]"}
		}
		return nil
	}
	if o.Period == "" {
		return usageError{"请用 --period 指定批次月份，或用 --row 与 --confirm/--reject 处理一行"}
	}
	items, err := a.ReviewQueue(o.Period)
	if err != nil {
		return err
	}
	if o.JSON {
		if items == nil {
			items = []engine.ReviewItem{}
		}
		return writeJSON(env.Stdout, map[string]any{"review": items})
	}
	fmt.Fprintf(env.Stdout, "%s 批次待复核 %d 行：\n", o.Period, len(items))
	for _, it := range items {
		fmt.Fprintf(env.Stdout, "[%s] %s·%s 第%d行 %s %q：%s\n", it.Ref, it.Dept, it.List, it.Ref.Line, it.Name, it.RawID, it.Problem)
		for _, c := range it.Candidates {
			fmt.Fprintf(env.Stdout, "    候选 %s %s %s%s（%s）\n", c.Name, c.ID, c.Township, c.Village, strings.Join(c.Reasons, "，"))
		}
	}
	return nil
}

// registerImportOptions is `bidui register import`.
type registerImportOptions struct{ common }

func (o *registerImportOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withJSON)
}

func (o *registerImportOptions) run(env *Env) error {
	if len(o.Args) != 1 {
		return usageError{"请给出农户花名册文件"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	fc, err := a.ImportRegister(env.Ctx, o.Args[0])
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(env.Stdout, fileCounts(*fc))
	}
	fmt.Fprintf(env.Stdout, "已导入农户花名册：%s，数据行 %d，有效 %d，有问题 %d\n", fc.File, fc.Rows, fc.Valid, fc.Invalid)
	return nil
}

// clueAddOptions is `bidui clue add`.
type clueAddOptions struct {
	common
	m app.ManualClue
}

func (o *clueAddOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON)
	fs.StringVar(&o.m.Source, "source", "", "")
	fs.StringVar(&o.m.PersonID, "id", "", "")
	fs.StringVar(&o.m.Name, "name", "", "")
	fs.StringVar(&o.m.Township, "township", "", "")
	fs.StringVar(&o.m.Village, "village", "", "")
	fs.StringVar(&o.m.RiskType, "type", "", "")
	fs.StringVar(&o.m.Note, "note", "", "")
}

func (o *clueAddOptions) run(env *Env) error {
	m := o.m
	m.Period = o.Period
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	c, err := a.AddManualClue(m)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(env.Stdout, toJSON(c))
	}
	fmt.Fprintf(env.Stdout, "已新增线索 %s\n", c.ID)
	return nil
}
