package cli

import (
	"flag"
	"fmt"
	"path/filepath"

	"bidui/app"
)

// importOptions is `bidui import`.
type importOptions struct {
	common
	dept  string
	list  string
	sheet string
	force bool
}

func (o *importOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON)
	fs.StringVar(&o.dept, "dept", "", "")
	fs.StringVar(&o.list, "list", "", "")
	fs.StringVar(&o.sheet, "sheet", "", "")
	fs.BoolVar(&o.force, "force", false, "")
}

func (o *importOptions) run(env *Env) error {
	switch {
	case o.Period == "":
		return usageError{"请用 --period 指定批次月份，如 --period 2026-11"}
	case len(o.Args) != 1:
		return usageError{"请给出一个要导入的文件"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.dept == "" {
		// the window does the same: 医保局_住院自付_2026年11月.xlsx names its list
		d, l := a.Catalog.GuessFromFileName(filepath.Base(o.Args[0]))
		if d == "" {
			return usageError{"无法从文件名看出是哪个部门报送的，请用 --dept 指定报送部门，如 --dept 医保局"}
		}
		o.dept = d
		if o.list == "" {
			o.list = l
		}
		if l != "" {
			d += "·" + l
		}
		fmt.Fprintln(env.Stderr, "按文件名识别为："+d)
	}
	rec, err := a.ImportList(env.Ctx, app.ListRequest{Period: o.Period, Dept: o.dept, List: o.list, Sheet: o.sheet, Path: o.Args[0], Force: o.force}, nil)
	if err != nil {
		return err
	}
	res := listResult(rec)
	for _, w := range res.Warnings {
		fmt.Fprintln(env.Stderr, "注意："+w)
	}
	if o.JSON {
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

// boardOptions is `bidui board`.
type boardOptions struct{ common }

func (o *boardOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON|withOut)
}

func (o *boardOptions) run(env *Env) error {
	a, err := o.openPeriod()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.Out != "" {
		if err := a.ExportBoard(o.Period, o.Out); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已导出报送情况：%s\n", o.Out)
		return nil
	}
	b, err := a.Board(o.Period)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(env.Stdout, boardResult(b))
	}
	fmt.Fprintf(env.Stdout, "%s 批次报送情况（截止 %s）：\n", b.Period, b.Due)
	if b.Stale != "" {
		fmt.Fprintln(env.Stdout, "注意："+b.Stale)
	}
	for _, e := range b.Entries {
		line := fmt.Sprintf("  %-8s %-6s %s", e.Dept, e.List, e.Status)
		if e.Submitted {
			line += fmt.Sprintf("  %s  数据行 %d，有效 %d，有问题 %d", e.At.Format("01-02 15:04"), e.Rows, e.Valid, e.Invalid)
		}
		fmt.Fprintln(env.Stdout, line)
	}
	return nil
}

// returnsOptions is `bidui returns`.
type returnsOptions struct {
	common
	seq  int
	dept string
	list string
}

func (o *returnsOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withOut)
	fs.IntVar(&o.seq, "import", 0, "")
	fs.StringVar(&o.dept, "dept", "", "")
	fs.StringVar(&o.list, "list", "", "")
}

func (o *returnsOptions) run(env *Env) error {
	if o.Out == "" {
		return usageError{"请用 --out 指定退回清单文件（.xlsx）"}
	}
	if o.seq == 0 && (o.Period == "" || o.dept == "") {
		return usageError{"请用 --import 指定导入序号，或用 --period 和 --dept 指定清单"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.seq == 0 {
		if o.seq, err = a.CurrentImport(o.Period, o.dept, o.list); err != nil {
			return err
		}
	}
	n, err := a.ExportReturnList(o.seq, o.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出退回核实清单（%d 行有问题）：%s\n", n, o.Out)
	return nil
}
