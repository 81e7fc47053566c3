package cli

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"bidui/engine"
)

// assignOptions is `bidui assign`.
type assignOptions struct {
	common
	date    string
	repeats bool
	exclude string
	force   bool
}

func (o *assignOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON)
	fs.StringVar(&o.date, "date", "", "")
	fs.BoolVar(&o.repeats, "include-repeats", false, "")
	fs.StringVar(&o.exclude, "exclude", "", "")
	fs.BoolVar(&o.force, "force", false, "")
}

func (o *assignOptions) run(env *Env) error {
	if o.Period == "" {
		return errNoPeriod
	}
	var d time.Time
	if o.date != "" {
		var ok bool
		if d, ok = engine.ParseDate(o.date, 0); !ok {
			return usageError{"--date 应为日期，如 2026-11-30"}
		}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	opt := engine.AssignOptions{IncludeRepeats: o.repeats, Exclude: map[string]bool{}, IgnoreStale: o.force}
	for _, id := range strings.Split(o.exclude, ",") {
		if id = strings.TrimSpace(id); id != "" {
			opt.Exclude[id] = true
		}
	}
	res, err := a.Assign(o.Period, d, opt)
	if err != nil {
		return err
	}
	if res.Warning != "" {
		fmt.Fprintln(env.Stderr, "注意："+res.Warning)
	}
	if o.JSON {
		return writeJSON(env.Stdout, assignResult(res))
	}
	for _, g := range res.Assignments {
		kind := ""
		if g.Supplement {
			kind = "（补充交办）"
		}
		fmt.Fprintf(env.Stdout, "%s %s%s：%d 条，交办 %s，期限 %s\n", g.Number, g.Township, kind, len(g.Clues), g.Date, g.Deadline)
	}
	if len(res.Unplaced) > 0 {
		fmt.Fprintf(env.Stdout, "另有 %d 条线索尚未确定乡镇，未交办：%s（用 bidui clue move 指定乡镇）\n", len(res.Unplaced), strings.Join(res.Unplaced, "、"))
	}
	if len(res.Repeats) > 0 {
		fmt.Fprintf(env.Stdout, "另有 %d 条重复线索未交办（如需交办请加 --include-repeats）\n", len(res.Repeats))
	}
	return nil
}

// printOptions is `bidui print`.
type printOptions struct {
	common
	number string
}

func (o *printOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON|withOut)
	fs.StringVar(&o.number, "number", "", "")
}

func (o *printOptions) run(env *Env) error {
	if o.Period == "" || o.Out == "" {
		return usageError{"请用 --period 指定批次月份，用 --out 指定输出文件夹"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	var numbers []string
	if o.number != "" {
		numbers = strings.Split(o.number, ",")
	}
	res, err := a.Print(o.Period, o.Out, numbers)
	if err != nil {
		return err
	}
	if len(res.Replaced) > 0 {
		fmt.Fprintf(env.Stderr, "注意：字体中没有这些字，打印为 □：%s\n", strings.Join(res.Replaced, " "))
	}
	if o.JSON {
		return writeJSON(env.Stdout, printJSON(*res))
	}
	fmt.Fprintf(env.Stdout, "已生成交办单（共 %d 页）：\n", res.Pages)
	for _, f := range res.Files {
		fmt.Fprintln(env.Stdout, "  "+f)
	}
	return nil
}

// clueMoveOptions is `bidui clue move`.
type clueMoveOptions struct {
	common
	id      string
	town    string
	village string
}

func (o *clueMoveOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, 0)
	fs.StringVar(&o.id, "id", "", "")
	fs.StringVar(&o.town, "township", "", "")
	fs.StringVar(&o.village, "village", "", "")
}

func (o *clueMoveOptions) run(env *Env) error {
	if o.id == "" || o.town == "" {
		return usageError{"请用 --id 指定线索编号，用 --township 指定乡镇"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.MoveClue(o.id, o.town, o.village); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "线索 %s 已归入 %s %s\n", o.id, o.town, o.village)
	return nil
}

// assignWithdrawOptions is `bidui assign withdraw`.
type assignWithdrawOptions struct {
	common
	number string
}

func (o *assignWithdrawOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod)
	fs.StringVar(&o.number, "number", "", "")
}

func (o *assignWithdrawOptions) run(env *Env) error {
	if o.number == "" {
		return usageError{"请用 --number 指定要撤回的交办编号"}
	}
	a, err := o.openPeriod()
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.WithdrawAssignment(o.Period, o.number); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已撤回交办单 %s，其线索回到待交办\n", o.number)
	return nil
}
