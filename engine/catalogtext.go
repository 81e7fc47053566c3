package engine

import (
	"fmt"
	"strings"
)

// The catalog editor shows a list's key columns as text, one column a line:
//
//	个人自付金额：自付金额、个人自付、自付费用（必需）
//
// the column's name, then after a colon the other header texts that mean
// it, and （必需） when a row without it is a problem row.

const requiredMark = "（必需）"

// FormatColumns writes columns in the editor's text form.
func FormatColumns(cols []Field) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(c.Label)
		if len(c.Synonyms) > 0 {
			b.WriteString("：" + strings.Join(c.Synonyms, "、"))
		}
		if c.Required {
			b.WriteString(requiredMark)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// ParseColumns reads the editor's text form back. A column keeps the key it
// had in old when its name is unchanged, so rules that refer to it keep
// working; a new column's key is its name.
func ParseColumns(text string, old []Field) ([]Field, error) {
	byLabel := map[string]Field{}
	for _, f := range old {
		byLabel[f.Label] = f
	}
	var out []Field
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := Field{}
		for _, mark := range []string{requiredMark, "(必需)", "必需"} {
			if strings.HasSuffix(line, mark) {
				f.Required = true
				line = strings.TrimSpace(strings.TrimSuffix(line, mark))
				break
			}
		}
		label, syns, _ := strings.Cut(strings.ReplaceAll(line, ":", "："), "：")
		f.Label = strings.TrimSpace(label)
		if f.Label == "" {
			return nil, fmt.Errorf("第%d行没有列名", n+1)
		}
		if seen[f.Label] {
			return nil, fmt.Errorf("列“%s”写了两次", f.Label)
		}
		seen[f.Label] = true
		for _, s := range strings.FieldsFunc(syns, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
			if s = strings.TrimSpace(s); s != "" {
				f.Synonyms = append(f.Synonyms, s)
			}
		}
		if o, ok := byLabel[f.Label]; ok {
			f.Key = o.Key
		} else {
			f.Key = f.Label
		}
		out = append(out, f)
	}
	return out, nil
}

// Clone returns a deep copy, for editing without touching the one in use.
func (c *Catalog) Clone() *Catalog {
	out := &Catalog{}
	for _, d := range c.Departments {
		nd := Department{Name: d.Name, Aliases: append([]string(nil), d.Aliases...)}
		for _, l := range d.Lists {
			nl := l
			nl.Columns = make([]Field, len(l.Columns))
			for i, f := range l.Columns {
				nl.Columns[i] = f
				nl.Columns[i].Synonyms = append([]string(nil), f.Synonyms...)
			}
			nl.Rule = l.Rule.clone()
			nl.Earlier = nil
			for _, r := range l.Earlier {
				nl.Earlier = append(nl.Earlier, r.clone())
			}
			nd.Lists = append(nd.Lists, nl)
		}
		out.Departments = append(out.Departments, nd)
	}
	return out
}

// FormatMatchRule writes a value rule in the editor's text form, one
// alternative a line: 残疾类别=智力/精神 且 残疾等级=三级/四级
func FormatMatchRule(l *ListType) string {
	label := func(key string) string {
		for _, f := range l.Columns {
			if f.Key == key {
				return f.Label
			}
		}
		return key
	}
	var lines []string
	for _, alt := range l.Rule.AnyOf {
		var conds []string
		for _, c := range alt {
			conds = append(conds, label(c.Field)+"="+strings.Join(c.In, "/"))
		}
		lines = append(lines, strings.Join(conds, " 且 "))
	}
	return strings.Join(lines, "\n")
}

// ParseMatchRule reads the editor's text form of a value rule back, naming
// columns by their labels.
func ParseMatchRule(text string, cols []Field) ([][]Cond, error) {
	key := map[string]string{}
	for _, f := range cols {
		key[f.Label] = f.Key
	}
	var out [][]Cond
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var alt []Cond
		for _, part := range strings.Split(line, "且") {
			name, vals, ok := strings.Cut(strings.ReplaceAll(part, "＝", "="), "=")
			name = strings.TrimSpace(name)
			if !ok || name == "" {
				return nil, fmt.Errorf("第%d行“%s”应写成 列名=值1/值2", n+1, strings.TrimSpace(part))
			}
			k, found := key[name]
			if !found {
				return nil, fmt.Errorf("第%d行的列“%s”不在这类清单的关键列中", n+1, name)
			}
			var in []string
			for _, v := range strings.FieldsFunc(vals, func(r rune) bool { return r == '/' || r == '、' || r == ',' || r == '，' }) {
				if v = strings.TrimSpace(v); v != "" {
					in = append(in, v)
				}
			}
			if len(in) == 0 {
				return nil, fmt.Errorf("第%d行的列“%s”没有写取值", n+1, name)
			}
			alt = append(alt, Cond{Field: k, In: in})
		}
		out = append(out, alt)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("请至少写一行条件")
	}
	return out, nil
}

func (r Rule) clone() Rule {
	out := r
	out.AnyOf = make([][]Cond, len(r.AnyOf))
	for i, alt := range r.AnyOf {
		out.AnyOf[i] = make([]Cond, len(alt))
		for j, c := range alt {
			out.AnyOf[i][j] = Cond{Field: c.Field, In: append([]string(nil), c.In...)}
		}
	}
	return out
}
