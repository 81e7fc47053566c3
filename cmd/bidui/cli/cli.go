// Package cli is bidui's command line (DESIGN.md §7): subcommands for batch
// use and for automated acceptance tests. Errors go to stderr in Chinese
// with a non-zero exit; --json output goes to stdout.
//
// Every command has an options struct (embedding common, the shared flags)
// that binds its flags and runs: the dispatcher parses, the command runs.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"bidui/app"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // the command failed; the message says why
	ExitUsage = 2 // the command line is wrong
)

// Env is where a command writes, and how it asks for a password.
type Env struct {
	Stdout, Stderr io.Writer
	Ctx            context.Context
	// Password asks for a password when BIDUI_PASSWORD does not give it
	// (main reads the terminal without echo); nil: no one to ask.
	Password func(prompt string) (string, error)
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

// options is one command's command line and what it does with it.
type options interface {
	shared() *common
	// bind registers the command's flags, the shared ones through bindCommon.
	bind(fs *flag.FlagSet)
	// run does the command; the flags and arguments are parsed.
	run(env *Env) error
}

// common holds the flags most commands share and the positional arguments.
type common struct {
	DB       string   // --db: the database ("" for the default)
	User     string   // --user: the operator, on a database with accounts
	Period   string   // --period YYYY-MM, for commands that take it
	JSON     bool     // --json, for commands that take it
	Out      string   // --out: the file or folder written, for commands that take it
	Args     []string // what follows the flags
	stderr   io.Writer
	password func(prompt string) (string, error)
}

// Which shared flags a command takes besides --db.
const (
	withPeriod = 1 << iota
	withJSON
	withOut
)

func (c *common) shared() *common { return c }

// bindCommon registers --db and the other shared flags the command takes.
func (c *common) bindCommon(fs *flag.FlagSet, which int) {
	fs.StringVar(&c.DB, "db", "", "")
	fs.StringVar(&c.User, "user", "", "")
	if which&withPeriod != 0 {
		fs.StringVar(&c.Period, "period", "", "")
	}
	if which&withJSON != 0 {
		fs.BoolVar(&c.JSON, "json", false, "")
	}
	if which&withOut != 0 {
		fs.StringVar(&c.Out, "out", "", "")
	}
}

// open opens the database the command names, warning on stderr when its
// audit log was changed outside the program, and logs the operator in.
func (c *common) open() (*app.App, error) { return c.openPath(c.DB) }

// openPeriod is open for a command that needs --period: without it, a
// usage error before the database is touched.
func (c *common) openPeriod() (*app.App, error) {
	if c.Period == "" {
		return nil, errNoPeriod
	}
	return c.open()
}

func (c *common) openPath(path string) (*app.App, error) {
	a, err := app.Open(path)
	if err != nil {
		return nil, err
	}
	if a.AuditProblem() != "" && c.stderr != nil {
		fmt.Fprintln(c.stderr, "警告："+a.AuditProblem())
	}
	if err := c.login(a); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// login: on a database with accounts every command runs as an operator,
// as the window does: --user names the account, BIDUI_PASSWORD or a prompt
// gives the password, and the app checks the role of what is done.
func (c *common) login(a *app.App) error {
	ops, err := a.Operators()
	if err != nil || len(ops) == 0 {
		return err
	}
	if c.User == "" {
		return app.ErrNotLoggedIn
	}
	pw, ok := os.LookupEnv("BIDUI_PASSWORD")
	if !ok {
		if c.password == nil {
			return errors.New("请用环境变量 BIDUI_PASSWORD 给出 " + c.User + " 的密码")
		}
		if pw, err = c.password(c.User + " 的密码："); err != nil {
			return fmt.Errorf("没有读到密码：%w", err)
		}
	}
	return a.Login(c.User, pw)
}

type command struct {
	name, usage string
	new         func() options
}

func commands() []command {
	return []command{
		{"demo", "bidui demo [--db FILE] [--out DIR] [--households N] [--seed N] [--months N]", func() options { return &demoOptions{} }},
		{"roster import", "bidui roster import [--db FILE] [--force] [--json] FILE...   人数大减或某乡镇人数骤变时需加 --force 确认", func() options { return &rosterImportOptions{} }},
		{"roster undo", "bidui roster undo [--db FILE]   撤销最近一次名册导入，恢复导入前的名册", func() options { return &rosterUndoOptions{} }},
		{"import", "bidui import [--db FILE] --period YYYY-MM [--dept 部门] [--list 清单] [--sheet 工作表] [--force] [--json] FILE", func() options { return &importOptions{} }},
		{"board", "bidui board [--db FILE] --period YYYY-MM [--json] [--out FILE.xlsx]", func() options { return &boardOptions{} }},
		{"returns", "bidui returns [--db FILE] (--import N | --period YYYY-MM --dept 部门 [--list 清单]) --out FILE.xlsx", func() options { return &returnsOptions{} }},
		{"match", "bidui match [--db FILE] --period YYYY-MM [--force] [--json]   线索数达上月十倍以上时需加 --force 确认才保存", func() options { return &matchOptions{} }},
		{"followups", "bidui followups [--db FILE] --period YYYY-MM [--json] [--raise 身份证号]   续报：已交办过的同一人再次报送；--raise 把此人的续报转为线索", func() options { return &followUpsOptions{} }},
		{"clues", "bidui clues [--db FILE] --period YYYY-MM (--json | --out FILE.xlsx)", func() options { return &cluesOptions{} }},
		{"review", "bidui review [--db FILE] (--period YYYY-MM [--json] | --row 导入序号:行号 (--confirm 身份证号 | --reject 身份证号,…))", func() options { return &reviewOptions{} }},
		{"clue add", "bidui clue add [--db FILE] --period YYYY-MM --source 农户申报|12317热线|干部走访 --id 身份证号 [--name 姓名 --township 乡镇 --village 村] --type 风险类型 --note 情况说明 [--json]", func() options { return &clueAddOptions{} }},
		{"assign", "bidui assign [--db FILE] --period YYYY-MM [--date YYYY-MM-DD] [--include-repeats] [--exclude 线索编号,…] [--force] [--json]   比对结果过期时需加 --force 确认", func() options { return &assignOptions{} }},
		{"assign withdraw", "bidui assign withdraw [--db FILE] --period YYYY-MM --number 交办编号   撤回尚未打印、没有核查结果的交办单", func() options { return &assignWithdrawOptions{} }},
		{"print", "bidui print [--db FILE] --period YYYY-MM --out DIR [--number 交办编号,…] [--json]", func() options { return &printOptions{} }},
		{"clue move", "bidui clue move [--db FILE] --id 线索编号 --township 乡镇 [--village 村]", func() options { return &clueMoveOptions{} }},
		{"feedback import", "bidui feedback import [--db FILE] [--returns 退回清单.xlsx] [--json] FILE...   导入乡镇交回的交办单 Excel；退回的行可导出发回乡镇", func() options { return &feedbackImportOptions{} }},
		{"feedback set", "bidui feedback set [--db FILE] --id 线索编号 --outcome 核查结果 [--type 监测类型] [--reason 说明] --verifier 核查人 [--date 日期] [--measures 措施] [--entered 录入系统日期]", func() options { return &feedbackSetOptions{} }},
		{"report", "bidui report [--db FILE] --period YYYY-MM (--out FILE.xlsx|FILE.pdf | --json)", func() options { return &reportOptions{} }},
		{"results", "bidui results [--db FILE] --period YYYY-MM --dept 部门 --out FILE.xlsx [--full-id]   部门结果清单", func() options { return &resultsOptions{} }},
		{"history", "bidui history [--db FILE] 户编号或身份证号   一户一档", func() options { return &historyOptions{} }},
		{"spotcheck", "bidui spotcheck [--db FILE] --period YYYY-MM [--per N] [--seed N] [--out FILE.xlsx]   双随机抽查", func() options { return &spotCheckOptions{} }},
		{"register import", "bidui register import [--db FILE] [--json] FILE   导入农户花名册", func() options { return &registerImportOptions{} }},
		{"catalog export", "bidui catalog export [--db FILE] [--out FILE.json]", func() options { return &catalogExportOptions{} }},
		{"catalog import", "bidui catalog import [--db FILE] (FILE.json | --default)", func() options { return &catalogImportOptions{} }},
		{"backup", "bidui backup [--db FILE] --out FILE   加密备份，密码由 BIDUI_BACKUP_PASSWORD 给出或按提示输入", func() options { return &backupOptions{} }},
		{"restore", "bidui restore [--db FILE] --from 备份文件 [--force]   完整检查备份后恢复，原数据库另存；别县的备份、操作日志被改动过的备份需加 --force", func() options { return &restoreOptions{} }},
		{"account add", "bidui account add [--db FILE] [--user 管理员] --name 姓名 --role 管理员|操作员   新账号密码由 BIDUI_NEW_PASSWORD 给出或按提示输入；第一个账号无需登录", func() options { return &accountAddOptions{} }},
		{"peek", "bidui peek FILE [--sheet 工作表] [--json]   文件中各工作表的单元格，与 bidui 读到的完全一样", func() options { return &peekOptions{} }},
		{"version", "bidui version", func() options { return &versionOptions{} }},
	}
}

// usageError is a wrong command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errNoPeriod is the usage error of a command run without --period.
var errNoPeriod = usageError{"请用 --period 指定批次月份"}

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
	var found *command
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name && (found == nil || len(words) > len(strings.Fields(found.name))) {
			found = &c // the longest name: "assign withdraw" rather than "assign"
		}
	}
	if found == nil {
		fmt.Fprintf(env.Stderr, "错误：未知的命令“%s”\n", strings.Join(args, " "))
		printUsage(env.Stderr)
		return ExitUsage
	}
	err := runCommand(env, *found, args[len(strings.Fields(found.name)):])
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(env.Stderr, "错误："+err.Error())
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, "用法："+found.usage)
		return ExitUsage
	}
	return ExitError
}

// runCommand parses a command's flags into its options and runs it.
func runCommand(env *Env, c command, args []string) error {
	o := c.new()
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.bind(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	o.shared().Args = fs.Args()
	o.shared().stderr, o.shared().password = env.Stderr, env.Password
	return o.run(env)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "防返贫监测数据比对系统 (bidui)")
	fmt.Fprintln(w, "不带命令运行时打开窗口：bidui [--db 数据库文件]")
	fmt.Fprintln(w, "命令：")
	for _, c := range commands() {
		fmt.Fprintln(w, "  "+c.usage)
	}
}

// parse parses flags given before or after the positional arguments, and
// words the flag package's errors in Chinese.
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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
