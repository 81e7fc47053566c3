package cli

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"

	"bidui/engine/excel"
)

// peekOptions is `bidui peek`: the sheets of a file and their cells
// exactly as bidui reads them, for support ("what does bidui see in this
// file?") and for comparing with other readers. It needs no database.
type peekOptions struct {
	common
	sheet string
}

func (o *peekOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withJSON)
	fs.StringVar(&o.sheet, "sheet", "", "")
}

type peekSheet struct {
	Name   string     `json:"name"`
	Hidden bool       `json:"hidden"`
	Rows   [][]string `json:"rows"`
}

type peekJSON struct {
	File   string      `json:"file"`
	Format string      `json:"format"`
	Sheets []peekSheet `json:"sheets"`
}

func (o *peekOptions) run(env *Env) error {
	if len(o.Args) != 1 {
		return usageError{"请给出一个要查看的文件"}
	}
	wb, err := excel.Open(o.Args[0])
	if err != nil {
		return err
	}
	defer wb.Close()
	out := peekJSON{File: filepath.Base(o.Args[0]), Format: wb.Format.String(), Sheets: []peekSheet{}}
	names := append(append([]string(nil), wb.Sheets...), wb.Hidden...)
	if o.sheet != "" {
		if !slices.Contains(names, o.sheet) {
			return fmt.Errorf("没有名为「%s」的工作表（有：%v）", o.sheet, names)
		}
		names = []string{o.sheet}
	}
	for _, name := range names {
		ps := peekSheet{Name: name, Hidden: slices.Contains(wb.Hidden, name), Rows: [][]string{}}
		rows, err := wb.Rows(name)
		if err != nil {
			return err
		}
		for rows.Next() {
			ps.Rows = append(ps.Rows, append([]string{}, rows.Cells()...))
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		out.Sheets = append(out.Sheets, ps)
	}
	if o.JSON {
		return writeJSON(env.Stdout, out)
	}
	for _, s := range out.Sheets {
		hidden := ""
		if s.Hidden {
			hidden = "（隐藏）"
		}
		fmt.Fprintf(env.Stdout, "工作表「%s」%s：%d 行\n", s.Name, hidden, len(s.Rows))
		for i, r := range s.Rows {
			if i == 20 {
				fmt.Fprintf(env.Stdout, "  ……（用 --json 查看全部）\n")
				break
			}
			fmt.Fprintf(env.Stdout, "  %d: %q\n", i+1, r)
		}
	}
	return nil
}
