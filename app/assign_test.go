package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bidui/engine"
	"bidui/engine/files"
)

// pdfText extracts a PDF's text with poppler's pdftotext (installed by
// scripts/setup.sh and .ci/run).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is needed to read the printed sheets back: apt-get install poppler-utils")
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatalf("pdfinfo %s: no page count", path)
	return 0
}

func assignedCounty(t *testing.T, households int) (*App, string, *AssignResult) {
	t.Helper()
	a, c, dir := demoCounty(t, households)
	importAll(t, a, c, dir)
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	res, err := a.Assign(c.Period, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), engine.AssignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a, c.Period, res
}

func TestAssignGroupsByTownshipWithDeadline(t *testing.T) {
	a, period, res := assignedCounty(t, 200)
	clues, _ := a.db.Clues(period)
	towns := map[string]engine.Assignment{}
	for _, g := range res.Assignments {
		towns[g.Township] = g
		if g.Deadline != "2026-12-28" || g.Date != "2026-11-30" || !strings.HasPrefix(g.Number, "青防交〔2026〕11-") {
			t.Errorf("assignment %+v", g)
		}
	}
	count := map[string]int{}
	for _, c := range clues {
		switch {
		case c.RepeatOf != "" || c.Township == engine.UnknownTownship:
			if c.Assigned() {
				t.Errorf("clue %s (repeat %q, township %s) was assigned", c.ID, c.RepeatOf, c.Township)
			}
		default:
			g, ok := towns[c.Township]
			if !ok || c.Assignment != g.Number || c.Status != engine.StatusAssigned || c.Deadline != "2026-12-28" {
				t.Fatalf("clue %s not assigned with its township: %+v", c.ID, c)
			}
			count[c.Township]++
		}
	}
	for town, g := range towns {
		if len(g.Clues) != count[town] {
			t.Errorf("%s: assignment says %d clues, %d carry its number", town, len(g.Clues), count[town])
		}
	}
	// nothing left: a second assign says so
	if _, err := a.Assign(period, time.Time{}, engine.AssignOptions{}); err == nil || !strings.Contains(err.Error(), "没有待交办") {
		t.Errorf("second assign: %v", err)
	}
	// a clue added later to an assigned township goes on a supplementary assignment
	r, _ := a.Roster()
	p := r.Persons[0]
	if _, err := a.AddManualClue(ManualClue{Period: period, Source: engine.SourceVisit, PersonID: p.ID, RiskType: "因病", Note: "干部走访发现"}); err != nil {
		t.Fatal(err)
	}
	res2, err := a.Assign(period, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), engine.AssignOptions{})
	if err != nil || len(res2.Assignments) != 1 || !res2.Assignments[0].Supplement || res2.Assignments[0].Township != p.Township {
		t.Fatalf("supplementary: %+v %v", res2, err)
	}
}

func TestPrintedSheetsHoldTheirTownshipsClues(t *testing.T) {
	a, period, res := assignedCounty(t, 150)
	out := t.TempDir()
	pr, err := a.Print(period, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Files) != 2*len(res.Assignments)+1 {
		t.Fatalf("%d files for %d assignments", len(pr.Files), len(res.Assignments))
	}
	clues, _ := a.db.Clues(period)
	byTown := map[string][]string{}
	for _, c := range clues {
		if c.Assigned() {
			byTown[c.Township] = append(byTown[c.Township], c.ID)
		}
	}
	all := map[string]bool{}
	for _, ids := range byTown {
		for _, id := range ids {
			all[id] = true
		}
	}
	for town, ids := range byTown {
		text := pdfText(t, filepath.Join(out, town+".pdf"))
		for _, id := range ids {
			if !strings.Contains(text, id) {
				t.Errorf("%s.pdf lacks clue %s", town, id)
			}
		}
		mine := map[string]bool{}
		for _, id := range ids {
			mine[id] = true
		}
		for id := range all {
			if !mine[id] && strings.Contains(text, id) {
				t.Errorf("%s.pdf holds %s, another township's clue", town, id)
			}
		}
		flat := strings.Join(strings.Fields(text), "")
		for _, want := range []string{"防止返贫监测预警线索交办单", "2026-12-28", "第1页共", "乡镇负责人", "（乡镇盖章）"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s.pdf lacks %q", town, want)
			}
		}
		// the xlsx twin: same clues keyed by 线索编号, IDs as text, drop-downs
		x, err := excelize.OpenFile(filepath.Join(out, town+".xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("交办单")
		if strings.Join(rows[2], ",") != strings.Join(TwinHeader, ",") {
			t.Errorf("twin header %v", rows[2])
		}
		if len(rows)-3 != len(ids) {
			t.Errorf("%s twin: %d rows, %d clues", town, len(rows)-3, len(ids))
		}
		typ, _ := x.GetCellType("交办单", "F4")
		if typ == excelize.CellTypeNumber {
			t.Error("ID cell written as a number")
		}
		dvs, _ := x.GetDataValidations("交办单")
		if len(dvs) != 2 {
			t.Errorf("%d drop-downs, want 2", len(dvs))
		}
		x.Close()
	}
	combined := pdfText(t, filepath.Join(out, "全部乡镇交办单_"+period+".pdf"))
	for id := range all {
		if !strings.Contains(combined, id) {
			t.Errorf("combined PDF lacks %s", id)
		}
	}
	// the combined PDF is the townships' sheets joined in order, page for
	// page: the same text as reading them one after another
	var joined strings.Builder
	for _, f := range pr.Files {
		if strings.HasSuffix(f, ".pdf") && !strings.Contains(f, "全部乡镇交办单") {
			joined.WriteString(pdfText(t, f))
		}
	}
	if combined != joined.String() {
		t.Error("the combined PDF does not read as the townships' sheets one after another")
	}
	if n := pdfPages(t, filepath.Join(out, "全部乡镇交办单_"+period+".pdf")); n != pr.Pages {
		t.Errorf("combined PDF has %d pages, the sheets %d", n, pr.Pages)
	}
	// a reprint later is identical, even after a clue changed
	for _, c := range clues {
		if c.Assigned() {
			c.Note = "后来补充的情况"
			a.db.SaveClue(c, a.auditEntry("测试", ""))
			break
		}
	}
	out2 := t.TempDir()
	if _, err := a.Print(period, out2, nil); err != nil {
		t.Fatal(err)
	}
	for town := range byTown {
		if pdfText(t, filepath.Join(out, town+".pdf")) != pdfText(t, filepath.Join(out2, town+".pdf")) {
			t.Errorf("%s reprinted differently", town)
		}
	}
}

func TestPrintRareCharactersLongTextAndBadFolder(t *testing.T) {
	a, c, _ := demoCounty(t, 30)
	long := strings.Repeat("户主长期患病卧床，家中无劳动力，", 14) // over 200 characters
	if _, err := a.AddManualClue(ManualClue{Period: c.Period, Source: engine.SourceApply, PersonID: "530428199001011231", Name: "𠮷㈱张", Township: "城关镇",
		Village: "大村", RiskType: "因病", Note: long}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Assign(c.Period, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), engine.AssignOptions{}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	pr, err := a.Print(c.Period, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(pr.Replaced, ""), "𠮷") {
		t.Errorf("𠮷 not reported as replaced: %v", pr.Replaced)
	}
	text := pdfText(t, filepath.Join(out, "城关镇.pdf"))
	if !strings.Contains(text, "张") || !strings.Contains(text, "〓") {
		t.Errorf("name not printed with the mark: %q", text[:200])
	}
	// printed in full, and once: the note is the manual clue's evidence
	if n := strings.Count(strings.NewReplacer(" ", "", "\n", "").Replace(text), "家中无劳动力"); n != 14 {
		t.Errorf("the long summary was printed %d times over, want 14 (once, in full)", n)
	}
	// an output folder that cannot be written: a message, no half-written file
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	if _, err := a.Print(c.Period, filepath.Join(blocker, "out"), nil); err == nil {
		t.Error("printing under a file succeeded")
	}
	// nothing assigned yet in another period
	if _, err := a.Print("2026-10", out, nil); err == nil || !strings.Contains(err.Error(), "还没有交办单") {
		t.Errorf("no assignments: %v", err)
	}
}

func TestMoveUnplacedClue(t *testing.T) {
	a, c, _ := demoCounty(t, 30)
	cl, err := a.AddManualClue(ManualClue{Period: c.Period, Source: engine.SourceHotline, PersonID: "530428199001011231", Name: "张三", RiskType: "因病", Note: "来电"})
	if err != nil || cl.Township != engine.UnknownTownship {
		t.Fatalf("%+v %v", cl, err)
	}
	res, err := a.Assign(c.Period, time.Time{}, engine.AssignOptions{})
	if err == nil || len(res.Unplaced) != 1 {
		t.Fatalf("unplaced clue: %+v %v", res, err)
	}
	if err := a.MoveClue(cl.ID, "龙泉镇", "大村"); err != nil {
		t.Fatal(err)
	}
	res, err = a.Assign(c.Period, time.Time{}, engine.AssignOptions{})
	if err != nil || len(res.Assignments) != 1 || res.Assignments[0].Township != "龙泉镇" {
		t.Fatalf("after moving: %+v %v", res, err)
	}
	if err := a.MoveClue(cl.ID, "城关镇", ""); err == nil || !strings.Contains(err.Error(), "已交办") {
		t.Errorf("moving an assigned clue: %v", err)
	}
}

func engineAssignNone() engine.AssignOptions { return engine.AssignOptions{} }

// TestPrintKeepsHostileTownshipNamesInTheFolder: names made from data
// become valid file names inside the chosen folder, on Windows and Linux.
func TestPrintKeepsHostileTownshipNamesInTheFolder(t *testing.T) {
	a, period, res := assignedCounty(t, 60)
	asgs, _ := a.db.Assignments(period)
	if len(asgs) == 0 {
		t.Fatal("nothing assigned")
	}
	hostile := []string{"../../escaped", "a/b镇", "CON", `x:y*?`, strings.Repeat("很长的乡镇名称", 20), "a_b镇"}
	var forged []engine.Assignment
	for i, name := range hostile {
		g := asgs[0]
		g.Township, g.Seq, g.Number = name, 90+i, fmt.Sprintf("测试-%02d", i)
		forged = append(forged, g)
	}
	if err := a.db.SaveAssignments(forged, nil, engine.AuditEntry{Action: "测试"}); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "交办单")
	pr, err := a.Print(period, dir, nil)
	if err != nil {
		t.Fatalf("print: %v", err)
	}
	want := 2*(len(res.Assignments)+len(hostile)) + 1
	if len(pr.Files) != want {
		t.Errorf("%d files for %d sheets", len(pr.Files), len(res.Assignments)+len(hostile))
	}
	seen := map[string]bool{}
	for _, f := range pr.Files {
		if filepath.Dir(f) != dir {
			t.Errorf("%s is outside %s", f, dir)
		}
		base := filepath.Base(f)
		if seen[base] {
			t.Errorf("%s written twice", base)
		}
		seen[base] = true
		if n := len([]rune(base)); n > 70 || strings.ContainsAny(base, `/\:*?"<>|`) || strings.HasPrefix(strings.ToUpper(base), "CON.") {
			t.Errorf("%q is not a valid Windows file name", base)
		}
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("the print wrote beside its folder: %v", entries)
	}
}

func TestMoveClueOnlyToATownshipOfTheCounty(t *testing.T) {
	a, period, _ := assignedCounty(t, 60)
	clues, _ := a.db.Clues(period)
	c := clues[0]
	c.ID, c.Key, c.Assignment, c.Status, c.Township = period+"-9999", "测试|P|x", "", engine.StatusPending, engine.UnknownTownship
	if err := a.db.SaveClue(c, engine.AuditEntry{Action: "测试"}); err != nil {
		t.Fatal(err)
	}
	id := c.ID
	if err := a.MoveClue(id, "../../escaped", ""); err == nil || !strings.Contains(err.Error(), "不是本县") {
		t.Errorf("moved to a township the county does not have: %v", err)
	}
	r, _ := a.Roster()
	if err := a.MoveClue(id, r.Townships()[0], "某村"); err != nil {
		t.Errorf("move to %s: %v", r.Townships()[0], err)
	}
}

// TestAFailedPrintSaysWhatItWrote: when a sheet cannot be written (here
// its twin's name is taken by a folder), the message lists the files
// already written.
func TestAFailedPrintSaysWhatItWrote(t *testing.T) {
	a, period, res := assignedCounty(t, 60)
	if len(res.Assignments) < 2 {
		t.Fatalf("need two townships, have %d", len(res.Assignments))
	}
	dir := t.TempDir()
	second := res.Assignments[1].Township
	if err := os.MkdirAll(filepath.Join(dir, files.SafeName(second)+".xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := a.Print(period, dir, nil)
	first := files.SafeName(res.Assignments[0].Township)
	if err == nil || !strings.Contains(err.Error(), "已写出 3 个文件") || !strings.Contains(err.Error(), first+".pdf") || !strings.Contains(err.Error(), first+".xlsx") {
		t.Fatalf("err = %v", err)
	}
}

// TestAssigningOnAStaleComparisonAsksFirst: a list imported again after
// the comparison makes the comparison out of date on the board, and assign
// refuses until the comparison is run again or the officer confirms.
func TestAssigningOnAStaleComparisonAsksFirst(t *testing.T) {
	a, c, dir := demoCounty(t, 60)
	importAll(t, a, c, dir)
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	if b, _ := a.Board(c.Period); b.Stale != "" {
		t.Fatalf("fresh comparison reported stale: %q", b.Stale)
	}
	// a department sends a corrected list after the comparison
	f := c.DeptFiles[0]
	later := a.Now
	a.Now = func() time.Time { return later().Add(time.Hour) }
	if _, err := a.ImportList(context.Background(), ListRequest{Period: c.Period, Dept: f.Dept, List: f.List, Path: filepath.Join(dir, f.Name), Force: true}, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := a.Board(c.Period)
	if !strings.Contains(b.Stale, f.Dept+"·"+f.List) {
		t.Fatalf("board after a new version: %q", b.Stale)
	}
	_, err := a.Assign(c.Period, a.Now(), engine.AssignOptions{})
	var nc *NeedsConfirm
	if !errors.As(err, &nc) {
		t.Fatalf("assign on a stale comparison: %v", err)
	}
	if asgs, _ := a.db.Assignments(c.Period); len(asgs) != 0 {
		t.Fatal("asking assigned")
	}
	if _, err := a.Assign(c.Period, a.Now(), engine.AssignOptions{IgnoreStale: true}); err != nil {
		t.Fatalf("confirmed: %v", err)
	}
	// compared again: up to date
	if _, err := a.Match(context.Background(), c.Period); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.StaleComparison(c.Period); s != "" {
		t.Errorf("after comparing again: %q", s)
	}
}

// TestSheetCountsReconcileWithTheReport: a township's sheet says how many
// of its rows are 风险线索 and how many 信息变更; the report's figure for the
// township is the first.
func TestSheetCountsReconcileWithTheReport(t *testing.T) {
	a, period, res := assignedCounty(t, 200)
	rep, err := a.Report(period)
	if err != nil {
		t.Fatal(err)
	}
	assigned := map[string]int{}
	for _, tl := range rep.Towns {
		assigned[tl.Name] = tl.Assigned
	}
	withChanges := 0
	for _, g := range res.Assignments {
		risks, changes := 0, 0
		for _, id := range g.Clues {
			c, _, _ := a.db.Clue(id)
			if c.Kind == engine.KindChange {
				changes++
			} else {
				risks++
			}
		}
		want := fmt.Sprintf("共 %d 条（风险线索 %d 条，信息变更 %d 条）", risks+changes, risks, changes)
		if changes == 0 {
			want = fmt.Sprintf("共 %d 条（均为风险线索）", risks)
		} else {
			withChanges++
		}
		if got := engine.SheetCount(g.Rows); got != want || assigned[g.Township] != risks {
			t.Errorf("%s: sheet says %q, want %q; the report has %d", g.Township, got, want, assigned[g.Township])
		}
	}
	if withChanges == 0 {
		t.Error("no sheet with 信息变更: the case is not tried")
	}
}

// TestPrintCancelledPartWay: a print cancelled after the first township
// stops there, says which files it wrote, writes no combined PDF and marks
// nothing printed.
func TestPrintCancelledPartWay(t *testing.T) {
	a, period, res := assignedCounty(t, 150)
	if len(res.Assignments) < 2 {
		t.Fatalf("%d assignments: the test needs two", len(res.Assignments))
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := 0
	_, err := a.PrintWith(ctx, period, out, nil, func(n, total int) {
		done = n
		cancel()
	})
	var c *Cancelled
	if !errors.As(err, &c) || !strings.Contains(err.Error(), "已写出 2 个文件") {
		t.Fatalf("cancelled print: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	if done != 1 || len(files) != 2 {
		t.Errorf("after cancelling: %d sheets done, files %v", done, files)
	}
	asgs, _ := a.db.Assignments(period)
	for _, g := range asgs {
		if !g.Printed.IsZero() {
			t.Errorf("%s marked printed by a cancelled print", g.Number)
		}
	}
}
