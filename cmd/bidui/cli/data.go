package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"bidui/app"
)

// rosterImportOptions is `bidui roster import`.
type rosterImportOptions struct {
	common
	force bool
}

func (o *rosterImportOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withJSON)
	fs.BoolVar(&o.force, "force", false, "")
}

func (o *rosterImportOptions) run(env *Env) error {
	if len(o.Args) == 0 {
		return usageError{"请给出要导入的基础名册文件"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.ImportRoster(env.Ctx, app.RosterRequest{Files: o.Args, Force: o.force}, nil)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(env.Stdout, rosterResult(res))
	}
	fmt.Fprintf(env.Stdout, "已导入基础名册：%s\n数据行 %d，有效 %d，有问题 %d（其中重复 %d），另有空行/合计行等 %d 行未计入\n",
		res.File, res.Rows, res.Valid, res.Invalid, res.Duplicates, res.Skipped)
	fmt.Fprintf(env.Stdout, "名册现有 %d 户 %d 人（脱贫户 %d 户，监测户 %d 户），%d 个乡镇 %d 个村\n",
		res.Stats.Households, res.Stats.Persons, res.Stats.FormerlyPoor, res.Stats.Monitored, res.Stats.Townships, res.Stats.Villages)
	fmt.Fprintf(env.Stdout, "与上次相比：新增 %d 人，减少 %d 人，迁移 %d 人，类别变化 %d 人\n",
		res.Changes.Added, res.Changes.Removed, res.Changes.Moved, res.Changes.CategoryChanged)
	for i, is := range res.Issues {
		if i == 50 {
			fmt.Fprintf(env.Stdout, "……另有 %d 个问题，用 --json 查看全部\n", len(res.Issues)-50)
			break
		}
		fmt.Fprintln(env.Stdout, "  问题："+is.Error())
	}
	for i, w := range res.Warnings {
		if i == 50 {
			fmt.Fprintf(env.Stdout, "……另有 %d 处需核实，用 --json 查看全部\n", len(res.Warnings)-50)
			break
		}
		fmt.Fprintln(env.Stdout, "  请核实（已导入）："+w.Error())
	}
	return nil
}

// demoOptions is `bidui demo`.
type demoOptions struct {
	common
	households int
	seed       uint64
	months     int
}

func (o *demoOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withJSON|withOut)
	fs.IntVar(&o.households, "households", 2000, "")
	fs.Uint64Var(&o.seed, "seed", 1, "")
	fs.IntVar(&o.months, "months", 0, "")
}

func (o *demoOptions) run(env *Env) error {
	if o.households < 20 || o.households > 200000 {
		return usageError{"--households 应在 20 到 200000 之间"}
	}
	if o.months < 0 || o.months > 12 {
		return usageError{"--months 应在 0 到 12 之间"}
	}
	path := o.DB
	if path == "" {
		path = app.DefaultDBPath()
	}
	if o.Out == "" {
		o.Out = filepath.Join(filepath.Dir(path), "示例文件")
	}
	a, err := o.openPath(path)
	if err != nil {
		return err
	}
	defer a.Close()
	res, _, err := a.MakeDemo(env.Ctx, o.Out, o.households, o.seed, o.months)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(env.Stdout, demoResult(res))
	}
	fmt.Fprintf(env.Stdout, "已生成示范县“%s”：%d 户 %d 人，数据库 %s\n", res.County, res.Households, res.Persons, path)
	fmt.Fprintf(env.Stdout, "示例文件（%d 个）在 %s：\n", len(res.Files), res.Dir)
	for _, f := range res.Files {
		fmt.Fprintf(env.Stdout, "  %s（数据行 %d）\n", f.File, f.Rows)
	}
	for _, m := range res.History {
		fmt.Fprintf(env.Stdout, "%s 批次已办理：导入 %d 类清单，预警线索 %d 条，交办 %d 个乡镇，录入核查结果 %d 条，尚未反馈 %d 条（文件在 %s）\n",
			m.Period, m.Lists, m.Clues, m.Assignments, m.Results, m.Unanswered, m.Dir)
	}
	return nil
}

// backupOptions is `bidui backup`.
type backupOptions struct{ common }

func (o *backupOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withOut)
}

func (o *backupOptions) run(env *Env) error {
	if o.Out == "" {
		return usageError{"请用 --out 指定备份文件"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	pw, err := o.backupPassword(true)
	if err != nil {
		return err
	}
	if err := a.Backup(o.Out, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已备份到 %s（已加密，恢复时需要这个备份密码）\n", o.Out)
	return nil
}

// Version is set at build time.
var Version = "0.1.0"

// versionOptions is `bidui version`.
type versionOptions struct{ common }

func (o *versionOptions) bind(fs *flag.FlagSet) { o.bindCommon(fs, 0) }

func (o *versionOptions) run(env *Env) error {
	fmt.Fprintln(env.Stdout, "bidui "+Version)
	return nil
}

// restoreOptions is `bidui restore`.
type restoreOptions struct {
	common
	from  string
	force bool
}

func (o *restoreOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, 0)
	fs.StringVar(&o.from, "from", "", "")
	fs.BoolVar(&o.force, "force", false, "")
}

func (o *restoreOptions) run(env *Env) error {
	if o.from == "" {
		return usageError{"请用 --from 指定备份文件"}
	}
	// replacing the database is done as an operator of it, when it has accounts
	if _, err := os.Stat(orDefault(o.DB)); err == nil {
		a, err := o.openPath(orDefault(o.DB))
		if err != nil {
			return err
		}
		a.Close()
	}
	pw, _ := os.LookupEnv("BIDUI_BACKUP_PASSWORD")
	info, aside, err := app.Restore(o.DB, o.from, pw, o.force)
	if errors.Is(err, app.ErrNeedPassword) && pw == "" && o.password != nil {
		if pw, err = o.backupPassword(false); err != nil {
			return err
		}
		info, aside, err = app.Restore(o.DB, o.from, pw, o.force)
	}
	if info != nil {
		fmt.Fprintln(env.Stderr, "备份内容："+info.Describe())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已从 %s 恢复数据库", o.from)
	if aside != "" {
		fmt.Fprintf(env.Stdout, "；原数据库保存在 %s", aside)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

// rosterUndoOptions is `bidui roster undo`.
type rosterUndoOptions struct{ common }

func (o *rosterUndoOptions) bind(fs *flag.FlagSet) { o.bindCommon(fs, 0) }

func (o *rosterUndoOptions) run(env *Env) error {
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	rec, err := a.UndoRoster()
	if err != nil {
		return err
	}
	r, err := a.Roster()
	if err != nil {
		return err
	}
	st := r.Stats()
	fmt.Fprintf(env.Stdout, "已撤销第%d次名册导入（%s，%s 导入），基础名册恢复为导入前：%d 户 %d 人\n",
		rec.Seq, strings.Join(rec.Files, "、"), rec.At.Format("2006-01-02 15:04"), st.Households, st.Persons)
	return nil
}

func orDefault(db string) string {
	if db == "" {
		return app.DefaultDBPath()
	}
	return db
}

// backupPassword is the backup password: BIDUI_BACKUP_PASSWORD, else asked
// (twice for a new backup).
func (c *common) backupPassword(twice bool) (string, error) {
	if pw, ok := os.LookupEnv("BIDUI_BACKUP_PASSWORD"); ok {
		return pw, nil
	}
	if c.password == nil {
		return "", errors.New("请用环境变量 BIDUI_BACKUP_PASSWORD 给出备份密码")
	}
	pw, err := c.password(fmt.Sprintf("备份密码（至少 %d 位）：", app.MinBackupPassword))
	if err != nil || !twice {
		return pw, err
	}
	again, err := c.password("再输入一次：")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", errors.New("两次输入的备份密码不一样，未备份")
	}
	return pw, nil
}
