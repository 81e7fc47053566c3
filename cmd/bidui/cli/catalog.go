package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"bidui/engine"
	"bidui/engine/excel"
)

// catalogExportOptions is `bidui catalog export`.
type catalogExportOptions struct{ common }

func (o *catalogExportOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withOut)
}

func (o *catalogExportOptions) run(env *Env) error {
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	data, err := json.MarshalIndent(a.Catalog, "", "  ")
	if err != nil {
		return err
	}
	if o.Out == "" {
		_, err = env.Stdout.Write(append(data, '\n'))
		return err
	}
	if err := excel.AtomicWrite(o.Out, func(tmp string) error { return os.WriteFile(tmp, data, 0o644) }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出部门目录：%s\n", o.Out)
	return nil
}

// catalogImportOptions is `bidui catalog import`.
type catalogImportOptions struct {
	common
	reset bool
}

func (o *catalogImportOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, 0)
	fs.BoolVar(&o.reset, "default", false, "")
}

func (o *catalogImportOptions) run(env *Env) error {
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	if o.reset {
		if err := a.SaveCatalog(nil); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "已恢复内置的部门目录")
		return nil
	}
	if len(o.Args) != 1 {
		return usageError{"请给出部门目录文件（JSON），或用 --default 恢复内置目录"}
	}
	data, err := os.ReadFile(o.Args[0])
	if err != nil {
		return fmt.Errorf("无法读取 %s：%v", o.Args[0], err)
	}
	c, err := engine.ParseCatalog(data)
	if err != nil {
		return err
	}
	if err := a.SaveCatalog(c); err != nil {
		return err
	}
	n := 0
	for _, d := range c.Departments {
		n += len(d.Lists)
	}
	fmt.Fprintf(env.Stdout, "已导入部门目录：%d 个部门，%d 类清单\n", len(c.Departments), n)
	return nil
}
