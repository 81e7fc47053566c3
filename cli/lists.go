package cli

import (
	"fmt"
	"path/filepath"

	"bidui/app"
)

func runImport(env *Env, args []string) error {
	fs := flags("import")
	db := fs.String("db", "", "")
	period := fs.String("period", "", "")
	dept := fs.String("dept", "", "")
	list := fs.String("list", "", "")
	sheet := fs.String("sheet", "", "")
	force := fs.Bool("force", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *period == "":
		return usageError{"请用 --period 指定批次月份，如 --period 2026-11"}
	case fs.NArg() != 1:
		return usageError{"请给出一个要导入的文件"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *dept == "" {
		// the window does the same: 医保局_住院自付_2026年11月.xlsx names its list
		d, l := a.Catalog.GuessFromFileName(filepath.Base(fs.Arg(0)))
		if d == "" {
			return usageError{"无法从文件名看出是哪个部门报送的，请用 --dept 指定报送部门，如 --dept 医保局"}
		}
		*dept = d
		if *list == "" {
			*list = l
		}
		if l != "" {
			d += "·" + l
		}
		fmt.Fprintln(env.Stderr, "按文件名识别为："+d)
	}
	rec, err := a.ImportList(env.Ctx, app.ListRequest{Period: *period, Dept: *dept, List: *list, Sheet: *sheet, Path: fs.Arg(0), Force: *force}, nil)
	if err != nil {
		return err
	}
	res := app.Result(rec)
	for _, w := range res.Warnings {
		fmt.Fprintln(env.Stderr, "注意："+w)
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "已导入 %s·%s（%s 批次，第%d次导入）：%s「%s」\n", res.Dept, res.List, res.Period, res.Import, res.File, res.Sheet)
	fmt.Fprintf(env.Stdout, "数据行 %d：有效 %d（%d 人），有问题 %d（其中重复 %d）；标题、空行、合计行等 %d 行未计入\n",
		res.Rows, res.Valid, res.Persons, res.Invalid, res.Duplicates, res.Skipped)
	for i, is := range res.Issues {
		if i == 50 {
			fmt.Fprintf(env.Stdout, "……另有 %d 个问题，用 --json 查看全部，或用 bidui returns 导出退回清单\n", len(res.Issues)-50)
			break
		}
		fmt.Fprintln(env.Stdout, "  问题："+is.Error())
	}
	return nil
}

func runBoard(env *Env, args []string) error {
	fs := flags("board")
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
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *out != "" {
		if err := a.ExportBoard(*period, *out); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已导出报送情况：%s\n", *out)
		return nil
	}
	b, err := a.Board(*period)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, b)
	}
	fmt.Fprintf(env.Stdout, "%s 批次报送情况（截止 %s）：\n", b.Period, b.Due)
	for _, e := range b.Entries {
		line := fmt.Sprintf("  %-8s %-6s %s", e.Dept, e.List, e.Status)
		if e.Submitted {
			line += fmt.Sprintf("  %s  数据行 %d，有效 %d，有问题 %d", e.At.Format("01-02 15:04"), e.Rows, e.Valid, e.Invalid)
		}
		fmt.Fprintln(env.Stdout, line)
	}
	return nil
}

func runReturns(env *Env, args []string) error {
	fs := flags("returns")
	db := fs.String("db", "", "")
	seq := fs.Int("import", 0, "")
	period := fs.String("period", "", "")
	dept := fs.String("dept", "", "")
	list := fs.String("list", "", "")
	out := fs.String("out", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"请用 --out 指定退回清单文件（.xlsx）"}
	}
	if *seq == 0 && (*period == "" || *dept == "") {
		return usageError{"请用 --import 指定导入序号，或用 --period 和 --dept 指定清单"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *seq == 0 {
		if *seq, err = a.CurrentImport(*period, *dept, *list); err != nil {
			return err
		}
	}
	n, err := a.ExportReturnList(*seq, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出退回核实清单（%d 行有问题）：%s\n", n, *out)
	return nil
}
