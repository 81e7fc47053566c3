package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"bidui/engine"
	"bidui/engine/excel"
)

func runCatalogExport(env *Env, args []string) error {
	fs := flags("catalog export")
	db := fs.String("db", "", "")
	out := fs.String("out", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	data, err := json.MarshalIndent(a.Catalog, "", "  ")
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = env.Stdout.Write(append(data, '\n'))
		return err
	}
	if err := excel.AtomicWrite(*out, func(tmp string) error { return os.WriteFile(tmp, data, 0o644) }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出部门目录：%s\n", *out)
	return nil
}

func runCatalogImport(env *Env, args []string) error {
	fs := flags("catalog import")
	db := fs.String("db", "", "")
	reset := fs.Bool("default", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if *reset {
		if err := a.SaveCatalog(nil); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "已恢复内置的部门目录")
		return nil
	}
	if fs.NArg() != 1 {
		return usageError{"请给出部门目录文件（JSON），或用 --default 恢复内置目录"}
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("无法读取 %s：%v", fs.Arg(0), err)
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
