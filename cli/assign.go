package cli

import (
	"fmt"
	"strings"
	"time"

	"bidui/engine"
)

func runAssign(env *Env, args []string) error {
	fs := flags("assign")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	date := fs.String("date", "", "")
	repeats := fs.Bool("include-repeats", false, "")
	exclude := fs.String("exclude", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *period == "" {
		return usageError{"请用 --period 指定批次月份"}
	}
	var d time.Time
	if *date != "" {
		var ok bool
		if d, ok = engine.ParseDate(*date, 0); !ok {
			return usageError{"--date 应为日期，如 2026-11-30"}
		}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	opt := engine.AssignOptions{IncludeRepeats: *repeats, Exclude: map[string]bool{}}
	for _, id := range strings.Split(*exclude, ",") {
		if id = strings.TrimSpace(id); id != "" {
			opt.Exclude[id] = true
		}
	}
	res, err := a.Assign(*period, d, opt)
	if err != nil {
		return err
	}
	if res.Warning != "" {
		fmt.Fprintln(env.Stderr, "注意："+res.Warning)
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	for _, g := range res.Assignments {
		kind := ""
		if g.Supplement {
			kind = "（补充交办）"
		}
		fmt.Fprintf(env.Stdout, "%s %s%s：%d 条，交办 %s，期限 %s\n", g.Number, g.Township, kind, g.Clues, g.Date, g.Deadline)
	}
	if len(res.Unplaced) > 0 {
		fmt.Fprintf(env.Stdout, "另有 %d 条线索尚未确定乡镇，未交办：%s（用 bidui clue move 指定乡镇）\n", len(res.Unplaced), strings.Join(res.Unplaced, "、"))
	}
	if len(res.Repeats) > 0 {
		fmt.Fprintf(env.Stdout, "另有 %d 条重复线索未交办（如需交办请加 --include-repeats）\n", len(res.Repeats))
	}
	return nil
}

func runPrint(env *Env, args []string) error {
	fs := flags("print")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	out := fs.String("out", "", "")
	number := fs.String("number", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *period == "" || *out == "" {
		return usageError{"请用 --period 指定批次月份，用 --out 指定输出文件夹"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	var numbers []string
	if *number != "" {
		numbers = strings.Split(*number, ",")
	}
	res, err := a.Print(*period, *out, numbers)
	if err != nil {
		return err
	}
	if len(res.Replaced) > 0 {
		fmt.Fprintf(env.Stderr, "注意：字体中没有这些字，打印为 □：%s\n", strings.Join(res.Replaced, " "))
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "已生成交办单（共 %d 页）：\n", res.Pages)
	for _, f := range res.Files {
		fmt.Fprintln(env.Stdout, "  "+f)
	}
	return nil
}

func runClueMove(env *Env, args []string) error {
	fs := flags("clue move")
	db := fs.String("db", "", "")
	id := fs.String("id", "", "")
	town := fs.String("township", "", "")
	village := fs.String("village", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" || *town == "" {
		return usageError{"请用 --id 指定线索编号，用 --township 指定乡镇"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.MoveClue(*id, *town, *village); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "线索 %s 已归入 %s %s\n", *id, *town, *village)
	return nil
}
