package app

import (
	"bidui/engine"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Roles.
const (
	RoleAdmin    = "管理员"
	RoleOperator = "操作员"
)

// ErrNotAdmin refuses a change only an administrator may make.
var ErrNotAdmin = errors.New("只有管理员可以修改规则、工作日历和账号，请用管理员账号登录")

// ErrNotLoggedIn refuses a change on a database with accounts when nobody
// has logged in.
var ErrNotLoggedIn = errors.New("这个数据库设有账号，请先登录（窗口中登录；命令行用 --user 姓名，密码由环境变量 BIDUI_PASSWORD 给出或按提示输入）")

// argon2id parameters: memory-hard, about 50 ms on an office PC.
const (
	argonTime    = 2
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
)

func hashPassword(password string, salt []byte) []byte {
	return argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
}

// Operators lists the accounts.
func (a *App) Operators() ([]engine.Operator, error) { return a.db.Operators() }

// CreateOperator adds an account (or resets its password and role). The
// first account must be an administrator; after that only an administrator
// may add accounts.
func (a *App) CreateOperator(name, role, password string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("请填写姓名")
	}
	if role != RoleAdmin && role != RoleOperator {
		return fmt.Errorf("角色应为 %s 或 %s", RoleAdmin, RoleOperator)
	}
	if len([]rune(password)) < 6 {
		return errors.New("密码至少 6 位")
	}
	ops, err := a.db.Operators()
	if err != nil {
		return err
	}
	if len(ops) == 0 && role != RoleAdmin {
		return errors.New("第一个账号必须是管理员")
	}
	if len(ops) > 0 {
		if err := a.requireAdmin(); err != nil {
			return err
		}
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	op := engine.Operator{Name: name, Role: role, Salt: salt, Hash: hashPassword(password, salt)}
	return a.db.SaveOperator(op, a.auditEntry("设置账号", name+"（"+role+"）"))
}

// Login checks a password and makes the account the current operator, whose
// name goes on the audit log and the printed sheets.
func (a *App) Login(name, password string) error {
	ops, err := a.db.Operators()
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.Name == strings.TrimSpace(name) {
			if subtle.ConstantTimeCompare(hashPassword(password, op.Salt), op.Hash) == 1 {
				o := op
				a.operator = &o
				_ = a.db.Audit(a.auditEntry("登录", o.Name))
				return nil
			}
			break
		}
	}
	_ = a.db.Audit(a.auditEntry("登录失败", strings.TrimSpace(name)))
	return errors.New("姓名或密码不对")
}

// Operator is the logged-in account, nil when nobody logged in (the command
// line, or a database without accounts).
func (a *App) Operator() *engine.Operator { return a.operator }

// requireAdmin refuses when an operator without the administrator role is
// logged in.
func (a *App) requireAdmin() error {
	if a.operator == nil {
		// nobody logged in: allowed only on a database without accounts
		ops, err := a.db.Operators()
		if err != nil {
			return err
		}
		if len(ops) > 0 {
			return ErrNotLoggedIn
		}
		return nil
	}
	if a.operator.Role != RoleAdmin {
		return ErrNotAdmin
	}
	return nil
}
