package cli

import (
	"bidui/app"
	"bidui/engine"
	"bidui/engine/excel"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(&Env{Stdout: &out, Stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestDemoThenRosterImportJSON(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	files := filepath.Join(dir, "files")
	code, out, errs := run(t, "demo", "--db", db, "--out", files, "--households", "200", "--seed", "3", "--json")
	if code != ExitOK {
		t.Fatalf("demo exit %d: %s", code, errs)
	}
	var demo struct {
		County string `json:"county"`
		Files  []struct {
			File                             string
			Rows, Valid, Invalid, Duplicates int
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &demo); err != nil {
		t.Fatalf("demo JSON: %v\n%s", err, out)
	}
	roster := demo.Files[0]
	// the §7 contract: roster import --json with rows/valid/invalid/duplicates/issues
	code, out, errs = run(t, "roster", "import", "--db", db, "--json", filepath.Join(files, roster.File))
	if code != ExitOK {
		t.Fatalf("roster import exit %d: %s", code, errs)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"file", "rows", "valid", "invalid", "duplicates", "issues"} {
		if _, ok := res[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	rows, valid, invalid := int(res["rows"].(float64)), int(res["valid"].(float64)), int(res["invalid"].(float64))
	if valid+invalid != rows {
		t.Errorf("valid %d + invalid %d != rows %d", valid, invalid, rows)
	}
	if rows != roster.Rows || valid != roster.Valid || int(res["duplicates"].(float64)) != roster.Duplicates {
		t.Errorf("counts %v differ from the file's truth %+v", res, roster)
	}
	issues := res["issues"].([]any)
	if len(issues) != invalid {
		t.Errorf("%d issues for %d invalid rows", len(issues), invalid)
	}
	first := issues[0].(map[string]any)
	for _, k := range []string{"row", "column", "message"} {
		if _, ok := first[k]; !ok {
			t.Errorf("issue lacks %q: %v", k, first)
		}
	}
	// flags after the file work too, and the plain output is Chinese
	code, out, _ = run(t, "roster", "import", filepath.Join(files, roster.File), "--db", db)
	if code != ExitOK || !strings.Contains(out, "已导入基础名册") {
		t.Errorf("plain import: %d %s", code, out)
	}
}

func TestErrorsAreChineseOnStderrWithNonZeroExit(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"roster", "import", "--db", db, filepath.Join(dir, "nope.xlsx")}, ExitError, "找不到该文件"},
		{[]string{"roster", "import", "--db", db}, ExitUsage, "请给出要导入的基础名册文件"},
		{[]string{"roster", "import", "--db", db, "--bogus", "x.xlsx"}, ExitUsage, "不认识的选项"},
		{[]string{"frobnicate"}, ExitUsage, "未知的命令"},
		{[]string{"report", "--db", db, "--period", "2026-11", "--out", "x.txt"}, ExitUsage, ".xlsx"},
		{[]string{"match", "--db", db, "--period", "2026-11"}, ExitError, "尚未导入基础名册"},
		{[]string{"match", "--db", db}, ExitUsage, "--period"},
		{[]string{"import", "--db", db, "--period", "2026-11", filepath.Join(dir, "十一月数据.xlsx")}, ExitUsage, "请用 --dept 指定"},
		{[]string{"backup", "--db", db}, ExitUsage, "--out"},
		{[]string{"demo", "--db", db, "--households", "5"}, ExitUsage, "20 到 200000"},
		{[]string{"demo", "--db", db, "--months", "13"}, ExitUsage, "0 到 12"},
	}
	for _, c := range cases {
		code, out, errs := run(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) || !strings.HasPrefix(errs, "错误：") {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout on error: %q", c.args, out)
		}
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	if code, _, errs := run(t, "demo", "--db", db, "--out", filepath.Join(dir, "f"), "--households", "20"); code != 0 {
		t.Fatal(errs)
	}
	bak := filepath.Join(dir, "bak.db")
	// a backup is encrypted: without a password there is none
	if code, _, errs := run(t, "backup", "--db", db, "--out", bak); code != ExitError || !strings.Contains(errs, "BIDUI_BACKUP_PASSWORD") {
		t.Fatalf("backup without a password: %d %s", code, errs)
	}
	t.Setenv("BIDUI_BACKUP_PASSWORD", "县局备份密码2026")
	if code, _, errs := run(t, "backup", "--db", db, "--out", bak); code != 0 {
		t.Fatal(errs)
	}
	if fi, err := os.Stat(bak); err != nil || fi.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	// and restores elsewhere with the password, saying what it holds
	code, out, errs := run(t, "restore", "--db", filepath.Join(dir, "新", "t.db"), "--from", bak)
	if code != 0 || !strings.Contains(errs, "备份内容") || !strings.Contains(out, "已从") {
		t.Fatalf("restore: %d %s%s", code, out, errs)
	}
	t.Setenv("BIDUI_BACKUP_PASSWORD", "别的密码12345")
	if code, _, errs := run(t, "restore", "--db", filepath.Join(dir, "又", "t.db"), "--from", bak); code != ExitError || !strings.Contains(errs, "密码不对") {
		t.Errorf("restore with a wrong password: %d %s", code, errs)
	}
}

func TestIsWindowRun(t *testing.T) {
	for _, c := range []struct {
		args []string
		db   string
		ok   bool
	}{
		{nil, "", true},
		{[]string{"--db", "x.db"}, "x.db", true},
		{[]string{"demo"}, "", false},
		{[]string{"--db", "x.db", "roster", "import"}, "", false},
	} {
		db, ok := IsWindowRun(c.args)
		if ok != c.ok || db != c.db {
			t.Errorf("IsWindowRun(%v) = %q, %v", c.args, db, ok)
		}
	}
}

func TestImportBoardReturnsCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	files := filepath.Join(dir, "files")
	code, out, errs := run(t, "demo", "--db", db, "--out", files, "--households", "100", "--json")
	if code != ExitOK {
		t.Fatal(errs)
	}
	var demo struct {
		Period string
		Files  []struct {
			File, Dept, List                 string
			Rows, Valid, Invalid, Duplicates int
		}
	}
	if err := json.Unmarshal([]byte(out), &demo); err != nil {
		t.Fatal(err)
	}
	for i, f := range demo.Files[1:] {
		if f.Dept == "" {
			continue // the rural-household register
		}
		args := []string{"import", "--db", db, "--period", demo.Period, "--json", filepath.Join(files, f.File)}
		guessed := i%2 == 1 // every other file without --dept/--list: the file name tells them
		if !guessed {
			args = append(args, "--dept", f.Dept, "--list", f.List)
		}
		code, out, errs := run(t, args...)
		if code != ExitOK {
			t.Fatalf("%s: %s", f.File, errs)
		}
		if guessed && !strings.Contains(errs, "按文件名识别为："+f.Dept+"·"+f.List) {
			t.Errorf("%s imported without --dept: stderr %q does not say it took %s·%s from the name", f.File, errs, f.Dept, f.List)
		}
		var res struct {
			File, Dept, List                 string
			Rows, Valid, Invalid, Duplicates int
			Issues                           []map[string]any
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if res.Dept != f.Dept || res.List != f.List {
			t.Errorf("%s went to %s·%s, want %s·%s", f.File, res.Dept, res.List, f.Dept, f.List)
		}
		if res.Rows != f.Rows || res.Valid != f.Valid || res.Invalid != f.Invalid || res.Duplicates != f.Duplicates || res.Valid+res.Invalid != res.Rows {
			t.Errorf("%s: %+v, truth %+v", f.File, res, f)
		}
		if len(res.Issues) != res.Invalid {
			t.Errorf("%s: %d issues, %d invalid", f.File, len(res.Issues), res.Invalid)
		}
	}
	// the same file again is refused with a question, then forced
	f := demo.Files[1]
	args := []string{"import", "--db", db, "--period", demo.Period, "--dept", f.Dept, "--list", f.List, filepath.Join(files, f.File)}
	if code, _, errs := run(t, args...); code != ExitError || !strings.Contains(errs, "--force") {
		t.Errorf("same file: %d %s", code, errs)
	}
	if code, _, errs := run(t, append(args, "--force")...); code != ExitOK || !strings.Contains(errs, "注意：") {
		t.Errorf("forced: %d %s", code, errs)
	}
	code, out, _ = run(t, "board", "--db", db, "--period", demo.Period, "--json")
	var board struct {
		Entries []struct {
			Submitted bool
			Versions  int
		}
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &board) != nil || len(board.Entries) != len(demo.Files)-2 {
		t.Fatalf("board: %d %s", code, out)
	}
	for _, e := range board.Entries {
		if !e.Submitted {
			t.Errorf("board shows a list unsubmitted")
		}
	}
	xlsx := filepath.Join(dir, "board.xlsx")
	if code, _, errs := run(t, "board", "--db", db, "--period", demo.Period, "--out", xlsx); code != ExitOK {
		t.Fatal(errs)
	}
	ret := filepath.Join(dir, "ret.xlsx")
	code, out, errs = run(t, "returns", "--db", db, "--period", demo.Period, "--dept", f.Dept, "--list", f.List, "--out", ret)
	if code != ExitOK || !strings.Contains(out, "行有问题") {
		t.Errorf("returns: %d %s %s", code, out, errs)
	}
	for _, p := range []string{xlsx, ret} {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
}

func TestMatchAndCluesJSONContract(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	files := filepath.Join(dir, "files")
	_, out, _ := run(t, "demo", "--db", db, "--out", files, "--households", "150", "--json")
	var demo struct {
		Period string
		Files  []struct{ File, Dept, List string }
	}
	if err := json.Unmarshal([]byte(out), &demo); err != nil {
		t.Fatal(err)
	}
	for _, f := range demo.Files[1:] {
		if f.Dept == "" {
			continue
		}
		if code, _, errs := run(t, "import", "--db", db, "--period", demo.Period, "--dept", f.Dept, "--list", f.List, filepath.Join(files, f.File)); code != 0 {
			t.Fatal(errs)
		}
	}
	code, out, errs := run(t, "match", "--db", db, "--period", demo.Period, "--json")
	if code != ExitOK {
		t.Fatal(errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	n := func(k string) int {
		v, ok := m[k].(float64)
		if !ok {
			t.Fatalf("match JSON lacks %q: %s", k, out)
		}
		return int(v)
	}
	if n("matched")+n("off_roster")+n("review")+n("invalid") != n("rows") || m["period"] != demo.Period {
		t.Errorf("match counts do not add up: %s", out)
	}
	_ = n("below_threshold") + n("clues") + n("changes")
	code, out, errs = run(t, "clues", "--db", db, "--period", demo.Period, "--json")
	if code != ExitOK {
		t.Fatal(errs)
	}
	var cl struct {
		Clues []map[string]any `json:"clues"`
	}
	if err := json.Unmarshal([]byte(out), &cl); err != nil || len(cl.Clues) != n("clues")+n("changes") {
		t.Fatalf("clues JSON: %v, %d clues", err, len(cl.Clues))
	}
	for _, k := range []string{"id", "period", "kind", "township", "village", "household", "category", "persons", "risks", "status", "repeat_of", "assignment", "deadline", "outcome"} {
		if _, ok := cl.Clues[0][k]; !ok {
			t.Errorf("clue lacks %q", k)
		}
	}
	risk := cl.Clues[0]["risks"].([]any)[0].(map[string]any)
	for _, k := range []string{"dept", "list", "type", "amount", "detail"} {
		if _, ok := risk[k]; !ok {
			t.Errorf("risk lacks %q", k)
		}
	}
	cat := cl.Clues[0]["category"].(string)
	if cat != "脱贫户" && cat != "监测对象" && cat != "一般农户" {
		t.Errorf("category %q", cat)
	}
	xlsx := filepath.Join(dir, "clues.xlsx")
	if code, _, errs := run(t, "clues", "--db", db, "--period", demo.Period, "--out", xlsx); code != 0 {
		t.Fatal(errs)
	}
}

// TestFollowUpsCommand: on the demo county worked through two months, the
// later month's comparison reports follow_ups, `followups --json` lists as
// many, and --raise turns one into a clue that `clues --json` shows with
// why it was raised.
func TestFollowUpsCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errs := run(t, "demo", "--db", db, "--out", filepath.Join(dir, "files"), "--households", "200", "--months", "2"); code != ExitOK {
		t.Fatal(errs)
	}
	p := engine.MonthOf(time.Now()).Add(-1).String() // the newest month worked through
	code, out, errs := run(t, "match", "--db", db, "--period", p, "--json")
	if code != ExitOK {
		t.Fatal(errs)
	}
	var m struct {
		FollowUps int `json:"follow_ups"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || m.FollowUps == 0 {
		t.Fatalf("match JSON follow_ups: %v %s", err, out)
	}
	_, out, _ = run(t, "followups", "--db", db, "--period", p, "--json")
	var fs struct {
		FollowUps []struct{ ID, Of, Rule string } `json:"follow_ups"`
	}
	if err := json.Unmarshal([]byte(out), &fs); err != nil || len(fs.FollowUps) != m.FollowUps || fs.FollowUps[0].Of == "" || fs.FollowUps[0].Rule == "" {
		t.Fatalf("followups JSON (%d in match): %v %s", m.FollowUps, err, out)
	}
	if code, out, errs = run(t, "followups", "--db", db, "--period", p, "--raise", fs.FollowUps[0].ID); code != ExitOK || !strings.Contains(out, "已转为线索") {
		t.Fatalf("raise: %d %s %s", code, out, errs)
	}
	_, out, _ = run(t, "clues", "--db", db, "--period", p, "--json")
	if !strings.Contains(out, "手工转为线索") || !strings.Contains(out, `"rule"`) {
		t.Errorf("clues JSON lacks the raised follow-up or the rule texts")
	}
	if code, _, errs = run(t, "followups", "--db", db, "--period", p, "--raise", fs.FollowUps[0].ID); code == ExitOK || !strings.Contains(errs, "尚未转为线索") {
		t.Errorf("raised twice: %d %s", code, errs)
	}
}

// TestRosterImportThatShrinksNeedsForceAndCanBeUndone: a partial roster is
// refused without --force (exit 1, the reason on stderr), accepted with
// it, and `roster undo` puts the full roster back.
func TestRosterImportThatShrinksNeedsForceAndCanBeUndone(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	files := filepath.Join(dir, "files")
	code, out, errs := run(t, "demo", "--db", db, "--out", files, "--households", "200", "--seed", "4", "--json")
	if code != ExitOK {
		t.Fatalf("demo: %s", errs)
	}
	var demo struct {
		Files []struct{ File string } `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &demo); err != nil {
		t.Fatal(err)
	}
	// the demo's roster export (its first file), cut to its first ten persons, as CSV
	wb, err := excel.Open(filepath.Join(files, demo.Files[0].File))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.Rows(wb.Sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() && len(lines) < 13 {
		lines = append(lines, strings.Join(rows.Cells(), ","))
	}
	rows.Close()
	wb.Close()
	small := filepath.Join(dir, "部分名册.csv")
	if err := os.WriteFile(small, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, "roster", "import", "--db", db, small)
	if code != ExitError || !strings.Contains(errs, "减少") || !strings.Contains(errs, "--force") {
		t.Fatalf("without --force: exit %d: %s", code, errs)
	}
	if code, _, errs = run(t, "roster", "import", "--db", db, "--force", small); code != ExitOK {
		t.Fatalf("with --force: exit %d: %s", code, errs)
	}
	code, out, errs = run(t, "roster", "undo", "--db", db)
	if code != ExitOK || !strings.Contains(out, "已撤销") {
		t.Fatalf("undo: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs = run(t, "roster", "undo", "--db", db); code != ExitError || !strings.Contains(errs, "没有可以撤销") {
		t.Errorf("second undo: exit %d: %s", code, errs)
	}
}

// TestCommandsOnADatabaseWithAccountsNeedAnOperator: once a database has
// accounts, commands run as a logged-in operator and respect roles, as the
// window does; the first account needs no login.
func TestCommandsOnADatabaseWithAccountsNeedAnOperator(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, _, errs := run(t, "demo", "--db", db, "--out", filepath.Join(dir, "f"), "--households", "40"); code != ExitOK {
		t.Fatal(errs)
	}
	t.Setenv("BIDUI_NEW_PASSWORD", "管理员密码123")
	if code, out, errs := run(t, "account", "add", "--db", db, "--name", "李管理", "--role", "管理员"); code != ExitOK || !strings.Contains(out, "已设置账号") {
		t.Fatalf("first account: %d %s%s", code, out, errs)
	}
	// now nothing runs without an operator
	for _, args := range [][]string{
		{"catalog", "import", "--db", db, "--default"},
		{"results", "--db", db, "--period", "2026-11", "--dept", "医保局", "--out", filepath.Join(dir, "r.xlsx"), "--full-id"},
		{"feedback", "set", "--db", db, "--id", "2026-11-0001", "--outcome", "不纳入", "--reason", "x", "--verifier", "王"},
		{"account", "add", "--db", db, "--name", "王", "--role", "操作员"},
		{"backup", "--db", db, "--out", filepath.Join(dir, "b.db")},
	} {
		code, _, errs := run(t, args...)
		if code != ExitError || !strings.Contains(errs, "请先登录") {
			t.Errorf("%v without --user: exit %d %s", args, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "r.xlsx")); err == nil {
		t.Error("full IDs were exported without a login")
	}
	// a wrong password
	t.Setenv("BIDUI_PASSWORD", "不对")
	if code, _, errs := run(t, "catalog", "import", "--db", db, "--default", "--user", "李管理"); code != ExitError || !strings.Contains(errs, "密码不对") {
		t.Errorf("wrong password: %d %s", code, errs)
	}
	// the administrator adds an operator; the operator may not change the rules
	t.Setenv("BIDUI_PASSWORD", "管理员密码123")
	t.Setenv("BIDUI_NEW_PASSWORD", "操作员密码456")
	if code, _, errs := run(t, "account", "add", "--db", db, "--user", "李管理", "--name", "王操作", "--role", "操作员"); code != ExitOK {
		t.Fatalf("admin adds an operator: %s", errs)
	}
	t.Setenv("BIDUI_PASSWORD", "操作员密码456")
	t.Setenv("BIDUI_BACKUP_PASSWORD", "县局备份密码2026")
	if code, _, errs := run(t, "catalog", "import", "--db", db, "--default", "--user", "王操作"); code != ExitError || !strings.Contains(errs, "只有管理员") {
		t.Errorf("an operator changed the catalog: %d %s", code, errs)
	}
	if code, _, errs := run(t, "backup", "--db", db, "--out", filepath.Join(dir, "b.db"), "--user", "王操作"); code != ExitOK {
		t.Errorf("operator backup: %s", errs)
	}
	t.Setenv("BIDUI_PASSWORD", "管理员密码123")
	if code, _, errs := run(t, "catalog", "import", "--db", db, "--default", "--user", "李管理"); code != ExitOK {
		t.Errorf("admin catalog import: %s", errs)
	}
	// the audit log names who did it
	a, err := app.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	log, _ := a.AuditLog(0)
	var byAdmin bool
	for _, e := range log {
		if e.Action == "恢复内置部门目录" && e.Operator == "李管理" {
			byAdmin = true
		}
	}
	if !byAdmin {
		t.Errorf("the catalog change is not recorded under the operator: %+v", log[:3])
	}
}

// TestPeekShowsWhatBiduiReads: peek --json gives every sheet (hidden ones
// marked) with its cells as the importer reads them.
func TestPeekShowsWhatBiduiReads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "看看.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号", "金额"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"张三", "530428199001011231", 1234.5})
	f.NewSheet("备注")
	f.SetCellValue("备注", "A1", "内部")
	f.SetSheetVisible("备注", false)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "peek", path, "--json")
	if code != ExitOK {
		t.Fatalf("peek: %s", errs)
	}
	var got struct {
		File, Format string
		Sheets       []struct {
			Name   string
			Hidden bool
			Rows   [][]string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.File != "看看.xlsx" || got.Format != "xlsx" || len(got.Sheets) != 2 || got.Sheets[1].Name != "备注" || !got.Sheets[1].Hidden {
		t.Fatalf("%+v", got)
	}
	if r := got.Sheets[0].Rows; len(r) != 2 || r[1][1] != "530428199001011231" || r[1][2] != "1234.5" {
		t.Errorf("rows %q", r)
	}
	if code, _, errs := run(t, "peek", path, "--sheet", "没有"); code != ExitError || !strings.Contains(errs, "没有名为") {
		t.Errorf("unknown sheet: %d %s", code, errs)
	}
}

// TestAssignWithdraw: a printed assignment is not withdrawn; one not yet
// printed is, and its clues can be assigned again.
func TestAssignWithdraw(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errs := run(t, "demo", "--db", db, "--out", filepath.Join(dir, "files"), "--households", "150", "--months", "1"); code != ExitOK {
		t.Fatal(errs)
	}
	p := engine.MonthOf(time.Now()).Add(-1).String()
	a, err := app.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	asgs, _ := a.Assignments(p)
	a.Close()
	if code, _, errs := run(t, "assign", "withdraw", "--db", db, "--period", p, "--number", asgs[0].Number); code != ExitError || !strings.Contains(errs, "已于") {
		t.Fatalf("a printed sheet withdrawn: %d %s", code, errs)
	}
	cur := engine.MonthOf(time.Now()).String()
	run(t, "clue", "add", "--db", db, "--period", cur, "--source", "农户申报", "--id", asgs[0].Rows[0].IDs[0], "--type", "因病", "--note", "住院")
	_, out, errs := run(t, "assign", "--db", db, "--period", cur, "--json")
	var res struct{ Assignments []struct{ Number string } }
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Assignments) != 1 {
		t.Fatalf("assign: %v %s %s", err, out, errs)
	}
	if code, out, errs := run(t, "assign", "withdraw", "--db", db, "--period", cur, "--number", res.Assignments[0].Number); code != ExitOK || !strings.Contains(out, "已撤回") {
		t.Fatalf("withdraw: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "assign", "--db", db, "--period", cur, "--json"); code != ExitOK {
		t.Errorf("assigning again after withdrawing: %s", errs)
	}
}
