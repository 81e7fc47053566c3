// Package cli is bidui's command line (DESIGN.md §7): subcommands for batch
// use and for automated acceptance tests. Errors go to stderr in Chinese
// with a non-zero exit; --json output goes to stdout.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"bidui/app"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // the command failed; the message says why
	ExitUsage = 2 // the command line is wrong
)

// Env is where a command writes.
type Env struct {
	Stdout, Stderr io.Writer
	Ctx            context.Context
}

// IsWindowRun reports whether args (without the program name) ask for the
// window: no subcommand, only --db.
func IsWindowRun(args []string) (db string, ok bool) {
	fs := flag.NewFlagSet("bidui", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbp := fs.String("db", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return "", false
	}
	return *dbp, true
}

type command struct {
	name, usage string
	run         func(env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "bidui demo [--db FILE] [--out DIR] [--households N] [--seed N] [--months N]", runDemo},
		{"roster import", "bidui roster import [--db FILE] [--json] FILE...", runRosterImport},
		{"import", "bidui import [--db FILE] --period YYYY-MM [--dept 部门] [--list 清单] [--sheet 工作表] [--force] [--json] FILE", runImport},
		{"board", "bidui board [--db FILE] --period YYYY-MM [--json] [--out FILE.xlsx]", runBoard},
		{"returns", "bidui returns [--db FILE] (--import N | --period YYYY-MM --dept 部门 [--list 清单]) --out FILE.xlsx", runReturns},
		{"match", "bidui match [--db FILE] --period YYYY-MM [--json]", runMatch},
		{"clues", "bidui clues [--db FILE] --period YYYY-MM (--json | --out FILE.xlsx)", runClues},
		{"review", "bidui review [--db FILE] (--period YYYY-MM [--json] | --row 导入序号:行号 (--confirm 身份证号 | --reject 身份证号,…))", runReview},
		{"clue add", "bidui clue add [--db FILE] --period YYYY-MM --source 农户申报|12317热线|干部走访 --id 身份证号 [--name 姓名 --township 乡镇 --village 村] --type 风险类型 --note 情况说明 [--json]", runClueAdd},
		{"assign", "bidui assign [--db FILE] --period YYYY-MM [--date YYYY-MM-DD] [--include-repeats] [--exclude 线索编号,…] [--json]", runAssign},
		{"print", "bidui print [--db FILE] --period YYYY-MM --out DIR [--number 交办编号,…] [--json]", runPrint},
		{"clue move", "bidui clue move [--db FILE] --id 线索编号 --township 乡镇 [--village 村]", runClueMove},
		{"feedback import", "bidui feedback import [--db FILE] [--json] FILE...   导入乡镇交回的交办单 Excel", runFeedbackImport},
		{"feedback set", "bidui feedback set [--db FILE] --id 线索编号 --outcome 核查结果 [--type 监测类型] [--reason 说明] --verifier 核查人 [--date 日期] [--measures 措施] [--entered 录入系统日期]", runFeedbackSet},
		{"report", "bidui report [--db FILE] --period YYYY-MM (--out FILE.xlsx|FILE.pdf | --json)", runReport},
		{"results", "bidui results [--db FILE] --period YYYY-MM --dept 部门 --out FILE.xlsx [--full-id]   部门结果清单", runResults},
		{"history", "bidui history [--db FILE] 户编号或身份证号   一户一档", runHistory},
		{"spotcheck", "bidui spotcheck [--db FILE] --period YYYY-MM [--per N] [--seed N] [--out FILE.xlsx]   双随机抽查", runSpotCheck},
		{"register import", "bidui register import [--db FILE] [--json] FILE   导入农户花名册", runRegisterImport},
		{"catalog export", "bidui catalog export [--db FILE] [--out FILE.json]", runCatalogExport},
		{"catalog import", "bidui catalog import [--db FILE] (FILE.json | --default)", runCatalogImport},
		{"backup", "bidui backup [--db FILE] --out FILE", runBackup},
		{"restore", "bidui restore [--db FILE] --from 备份文件   检查备份后恢复，原数据库另存", runRestore},
		{"version", "bidui version", runVersion},
	}
}

// later lists the commands of §7 that later versions add.
var later = map[string]string{
	"assign": "集中交办",
	"print":  "交办单打印", "feedback": "核查反馈", "report": "统计报表",
}

// usageError is a wrong command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run runs one subcommand and returns the exit code.
func Run(env *Env, args []string) int {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	// a leading --db belongs to the subcommand: bidui --db x.db roster import …
	if len(args) >= 2 && args[0] == "--db" {
		args = append(append([]string{}, args[2:]...), "--db", args[1])
	} else if len(args) >= 1 && strings.HasPrefix(args[0], "--db=") {
		args = append(append([]string{}, args[1:]...), args[0])
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.Stdout)
		return ExitOK
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			err := c.run(env, args[len(words):])
			if err == nil {
				return ExitOK
			}
			fmt.Fprintln(env.Stderr, "错误："+err.Error())
			var ue usageError
			if errors.As(err, &ue) {
				fmt.Fprintln(env.Stderr, "用法："+c.usage)
				return ExitUsage
			}
			return ExitError
		}
	}
	fmt.Fprintf(env.Stderr, "错误：未知的命令“%s”\n", strings.Join(args, " "))
	printUsage(env.Stderr)
	return ExitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "防返贫监测数据比对系统 (bidui)")
	fmt.Fprintln(w, "不带命令运行时打开窗口：bidui [--db 数据库文件]")
	fmt.Fprintln(w, "命令：")
	for _, c := range commands() {
		fmt.Fprintln(w, "  "+c.usage)
	}
}

// flags makes a flag set whose errors become usage errors in Chinese.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	// allow flags after positional arguments: bidui roster import a.xlsx --json
	var flagArgs, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && a != "-" {
			flagArgs = append(flagArgs, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") {
				if f := fs.Lookup(name); f != nil {
					if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
						if i+1 < len(args) {
							flagArgs = append(flagArgs, args[i+1])
							i++
						}
					}
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	if err := fs.Parse(append(flagArgs, append([]string{"--"}, pos...)...)); err != nil {
		msg := err.Error()
		if strings.HasPrefix(msg, "flag provided but not defined: ") {
			msg = "不认识的选项 " + strings.TrimPrefix(msg, "flag provided but not defined: ")
		} else if strings.HasPrefix(msg, "invalid value") {
			msg = "选项的值不对：" + msg
		} else if strings.HasPrefix(msg, "flag needs an argument: ") {
			msg = "选项缺少取值：" + strings.TrimPrefix(msg, "flag needs an argument: ")
		}
		return usageError{msg}
	}
	return nil
}

func open(db string) (*app.App, error) {
	return app.Open(db)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runRosterImport(env *Env, args []string) error {
	fs := flags("roster import")
	db := fs.String("db", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"请给出要导入的基础名册文件"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.ImportRoster(env.Ctx, fs.Args(), nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
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
	return nil
}

func runDemo(env *Env, args []string) error {
	fs := flags("demo")
	db := fs.String("db", "", "")
	out := fs.String("out", "", "")
	households := fs.Int("households", 2000, "")
	seed := fs.Uint64("seed", 1, "")
	months := fs.Int("months", 0, "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *households < 20 || *households > 200000 {
		return usageError{"--households 应在 20 到 200000 之间"}
	}
	if *months < 0 || *months > 12 {
		return usageError{"--months 应在 0 到 12 之间"}
	}
	path := *db
	if path == "" {
		path = app.DefaultDBPath()
	}
	if *out == "" {
		*out = filepath.Join(filepath.Dir(path), "示例文件")
	}
	a, err := open(path)
	if err != nil {
		return err
	}
	defer a.Close()
	res, _, err := a.MakeDemo(env.Ctx, *out, *households, *seed, *months)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
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

func runBackup(env *Env, args []string) error {
	fs := flags("backup")
	db := fs.String("db", "", "")
	out := fs.String("out", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"请用 --out 指定备份文件"}
	}
	a, err := open(*db)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Backup(*out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已备份到 %s\n", *out)
	return nil
}

// Version is set at build time.
var Version = "0.1.0"

func runVersion(env *Env, args []string) error {
	fmt.Fprintln(env.Stdout, "bidui "+Version)
	return nil
}

func runRestore(env *Env, args []string) error {
	fs := flags("restore")
	db := fs.String("db", "", "")
	from := fs.String("from", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError{"请用 --from 指定备份文件"}
	}
	aside, err := app.Restore(*db, *from)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已从 %s 恢复数据库", *from)
	if aside != "" {
		fmt.Fprintf(env.Stdout, "；原数据库保存在 %s", aside)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}
