package cli

import (
	"flag"
	"fmt"

	"bidui/engine"
)

// followUpsOptions is `bidui followups`: a period's follow-ups (续报), and
// raising one by hand.
type followUpsOptions struct {
	common
	Raise string
}

func (o *followUpsOptions) bind(fs *flag.FlagSet) {
	o.bindCommon(fs, withPeriod|withJSON)
	fs.StringVar(&o.Raise, "raise", "", "把此人（身份证号）本批次的续报转为线索")
}

type followUpJSON struct {
	Of        string  `json:"of"`
	Township  string  `json:"township"`
	Village   string  `json:"village"`
	Household string  `json:"household"`
	Name      string  `json:"name"`
	ID        string  `json:"id"`
	Dept      string  `json:"dept"`
	List      string  `json:"list"`
	Amount    float64 `json:"amount"`
	Detail    string  `json:"detail"`
	Rule      string  `json:"rule"`
	Raised    string  `json:"raised"`
}

func (o *followUpsOptions) run(env *Env) error {
	a, err := o.openPeriod()
	if err != nil {
		return err
	}
	defer a.Close()
	fs, err := a.FollowUps(o.Period)
	if err != nil {
		return err
	}
	if o.Raise != "" {
		id := engine.ParseID(o.Raise).Norm
		n := 0
		for _, f := range fs {
			if f.Risk.Person != id || f.Raised != "" {
				continue
			}
			c, err := a.RaiseFollowUp(o.Period, f.ID())
			if err != nil {
				return err
			}
			n++
			fmt.Fprintf(env.Stdout, "%s·%s %s 的续报已转为线索 %s（待交办）\n", f.Risk.Dept, f.Risk.List, f.Risk.Name, c.ID)
		}
		if n == 0 {
			return fmt.Errorf("%s 批次没有 %s 尚未转为线索的续报", o.Period, o.Raise)
		}
		return nil
	}
	if o.JSON {
		return writeJSON(env.Stdout, struct {
			Period    string         `json:"period"`
			FollowUps []followUpJSON `json:"follow_ups"`
		}{o.Period, each(fs, func(f engine.FollowUp) followUpJSON {
			return followUpJSON{Of: f.Of, Township: f.Township, Village: f.Village, Household: f.Household, Name: f.Risk.Name, ID: f.Risk.Person,
				Dept: f.Risk.Dept, List: f.Risk.List, Amount: f.Risk.Amount.Yuan(), Detail: f.Risk.Detail, Rule: f.Risk.Rule, Raised: f.Raised}
		})})
	}
	fmt.Fprintf(env.Stdout, "%s 批次续报 %d 条（同一清单在回看期内已预警、线索已交办的人再次报送，未再生成线索）：\n", o.Period, len(fs))
	for _, f := range fs {
		raised := ""
		if f.Raised != "" {
			raised = "　已转为线索 " + f.Raised
		}
		fmt.Fprintf(env.Stdout, "  %s %s %s（%s）%s·%s：%s；上次线索 %s%s\n", f.Township, f.Village, f.Risk.Name, f.Risk.Person, f.Risk.Dept, f.Risk.List, f.Risk.Detail, f.Of, raised)
	}
	return nil
}
