package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"bidui/app"
)

// accountAddOptions is `bidui account add`.
type accountAddOptions struct {
	common
	name, role string
}

func (o *accountAddOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, 0)
	fs.StringVar(&o.name, "name", "", "")
	fs.StringVar(&o.role, "role", "", "")
}

// run adds an account (or resets one's password and role). The first
// account of a database needs no login and must be an administrator;
// after that an administrator must log in with --user.
func (o *accountAddOptions) run(env *Env) error {
	if o.name == "" || (o.role != app.RoleAdmin && o.role != app.RoleOperator) {
		return usageError{"请用 --name 给出姓名，用 --role 给出角色（" + app.RoleAdmin + " 或 " + app.RoleOperator + "）"}
	}
	a, err := o.open()
	if err != nil {
		return err
	}
	defer a.Close()
	pw, ok := os.LookupEnv("BIDUI_NEW_PASSWORD")
	if !ok {
		if env.Password == nil {
			return errors.New("请用环境变量 BIDUI_NEW_PASSWORD 给出新账号的密码")
		}
		if pw, err = env.Password(o.name + " 的新密码（至少 6 位）："); err != nil {
			return fmt.Errorf("没有读到密码：%w", err)
		}
		again, err := env.Password("再输入一次：")
		if err != nil {
			return fmt.Errorf("没有读到密码：%w", err)
		}
		if again != pw {
			return errors.New("两次输入的密码不一样，账号未建立")
		}
	}
	if err := a.CreateOperator(o.name, o.role, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已设置账号：%s（%s）\n", o.name, o.role)
	return nil
}
