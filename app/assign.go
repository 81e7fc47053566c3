package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"bidui/assets"
	"bidui/engine"
	"bidui/engine/excel"
	"bidui/engine/files"
	"bidui/engine/pdf"
)

// Calendar is the county's working-day calendar (the shipped one until edited).
func (a *App) Calendar() (*engine.Calendar, error) {
	c, err := a.db.Calendar()
	if err != nil {
		return nil, fmt.Errorf("工作日历无法读取：%w", err)
	}
	if c != nil {
		return c, nil
	}
	return engine.ParseCalendar(assets.Calendar)
}

// SaveCalendarYear replaces one year of the calendar from the editor's text.
func (a *App) SaveCalendarYear(year int, text string, published bool) error {
	if err := a.requireAdmin(); err != nil {
		return err
	}
	c, err := a.Calendar()
	if err != nil {
		return err
	}
	source := "本县录入"
	if published {
		source = "本县按国务院放假安排录入"
	}
	if err := c.SetYear(year, text, published, source); err != nil {
		return fmt.Errorf("工作日历未保存：%w", err)
	}
	return a.db.SaveCalendar(c, a.auditEntry("修改工作日历", fmt.Sprintf("%d 年", year)))
}

// AssignResult is what Assign did, and what it left.
type AssignResult struct {
	Assignments []engine.Assignment
	Unplaced    []string // clues with no township yet
	Repeats     []string // repeats held back
	Warning     string
}

// Assign sends a period's clues waiting to go out to their townships: one
// numbered assignment per township, dated date, due in 20 working days.
// A township already assigned this period gets a supplementary one.
func (a *App) Assign(period string, date time.Time, opt engine.AssignOptions) (*AssignResult, error) {
	if err := engine.ValidPeriod(period); err != nil {
		return nil, err
	}
	today := a.Now()
	if date.IsZero() {
		date = today
	}
	date = engine.DateOf(date)
	if date.After(engine.DateOf(today).AddDate(0, 0, 60)) {
		return nil, fmt.Errorf("交办日期 %s 太远，请检查", date.Format("2006-01-02"))
	}
	if stale, err := a.StaleComparison(period); err != nil {
		return nil, err
	} else if stale != "" && !opt.IgnoreStale {
		return nil, &NeedsConfirm{Reasons: []string{stale + "后再交办；确认仍按上次比对结果交办"}}
	}
	cal, err := a.Calendar()
	if err != nil {
		return nil, err
	}
	clues, err := a.db.Clues(period)
	if err != nil {
		return nil, err
	}
	if len(clues) == 0 {
		return nil, fmt.Errorf("%s 批次没有线索，请先比对", period)
	}
	plans, unplaced, repeats := engine.PlanAssignments(clues, opt)
	res := &AssignResult{Unplaced: []string{}, Repeats: []string{}}
	for _, c := range unplaced {
		res.Unplaced = append(res.Unplaced, c.ID)
	}
	for _, c := range repeats {
		res.Repeats = append(res.Repeats, c.ID)
	}
	if len(plans) == 0 {
		msg := fmt.Sprintf("%s 批次没有待交办的线索", period)
		if len(unplaced) > 0 {
			msg += fmt.Sprintf("（另有 %d 条线索尚未确定乡镇，请先指定乡镇）", len(unplaced))
		}
		return res, errors.New(msg)
	}
	existing, err := a.db.Assignments(period)
	if err != nil {
		return nil, err
	}
	s := a.Settings()
	deadline := cal.AddWorkdays(date, engine.DeadlineWorkdays)
	if !cal.Covers(deadline.Year()) {
		res.Warning = fmt.Sprintf("工作日历尚无 %d 年国务院放假安排（调休），期限按法定节假日推算（适逢周末的节日按第六条补假），公布后请在“设置 → 工作日历”中录入", deadline.Year())
	}
	asgs, changed := engine.MakeAssignments(plans, clues, existing, engine.AssignSpec{Period: period, Date: date, Deadline: deadline,
		Format: s.AssignFormat, County: s.CountyName, Operator: a.operatorName(), Now: a.Now()})
	res.Assignments = asgs
	var nums []string
	for _, g := range asgs {
		nums = append(nums, g.Number)
	}
	if err := a.db.SaveAssignments(asgs, changed, a.auditEntry("集中交办", fmt.Sprintf("%s：%d 个乡镇 %d 条线索（%s），期限 %s",
		period, len(asgs), len(changed), strings.Join(nums, "、"), deadline.Format("2006-01-02")))); err != nil {
		return nil, fmt.Errorf("交办未保存，线索保持原样：%w", err)
	}
	return res, nil
}

// MoveClue gives a clue (one of 未定乡镇, or one in the wrong place) its
// township and village before it goes out.
func (a *App) MoveClue(id, township, village string) error {
	township = strings.TrimSpace(township)
	if township == "" || township == engine.UnknownTownship {
		return errors.New("请选择一个乡镇")
	}
	c, ok, err := a.db.Clue(id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("没有编号为 %s 的线索", id)
	}
	if c.Assigned() {
		return fmt.Errorf("线索 %s 已交办（%s），不能再改乡镇", id, c.Assignment)
	}
	if r, err := a.Roster(); err == nil {
		if towns := r.Townships(); len(towns) > 0 && !slices.Contains(towns, township) {
			return fmt.Errorf("“%s”不是本县基础名册中的乡镇（有：%s）", township, strings.Join(towns, "、"))
		}
	}
	old := c.Township
	c.Township, c.Village, c.Updated = township, strings.TrimSpace(village), a.Now()
	return a.db.SaveClue(c, a.auditEntry("指定线索乡镇", fmt.Sprintf("%s：%s → %s %s", id, old, township, c.Village)))
}

// PrintResult lists the files written.
type PrintResult struct {
	Files    []string
	Pages    int
	Replaced []string
}

// Print writes, for each assignment of a period (or the ones numbered), a
// PDF and its xlsx twin named after the township, and one combined PDF of
// all of them for printing in one go. Sheets come from the snapshot taken at
// assignment, so a reprint is identical.
func (a *App) Print(period, dir string, numbers []string) (_ *PrintResult, err error) {
	return a.PrintWith(context.Background(), period, dir, numbers, nil)
}

// PrintWith is Print with progress (sheets done of all) and a cancel
// through ctx. Sheets are read and laid out one township at a time, and
// the combined PDF is joined from the townships' files, so a large month
// never holds every page in memory. A print cancelled or failed part way
// leaves the files already written and says which they are.
func (a *App) PrintWith(ctx context.Context, period, dir string, numbers []string, progress func(done, total int)) (_ *PrintResult, err error) {
	defer a.guard(&err, "生成交办单")
	keys, err := a.db.AssignmentKeys(period)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range numbers {
		want[n] = true
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s 批次还没有交办单，请先交办", period)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建输出文件夹 %s：%v", dir, err)
	}
	s := a.Settings()
	res := &PrintResult{Files: []string{}, Replaced: []string{}}
	names := map[string]int{}
	replaced := map[string]bool{}
	var pdfs, printed []string
	for i, key := range keys {
		if err := ctx.Err(); err != nil {
			msg := "已取消生成交办单，没有写出任何文件"
			if len(res.Files) > 0 {
				msg = fmt.Sprintf("已取消生成交办单。已写出 %d 个文件（%s），其余未生成，需要时重新生成即可", len(res.Files), baseNames(res.Files))
			}
			return nil, cancelled(msg)
		}
		g, err := a.db.AssignmentAt(key)
		if err != nil {
			return nil, printFailed(err, res.Files)
		}
		if len(want) > 0 && !want[g.Number] {
			continue
		}
		pdfPath, xlsxPath, err := a.printOne(&g, s, dir, names, replaced, &res.Pages)
		if err != nil {
			written := res.Files
			if pdfPath != "" { // its PDF was written, its twin not
				written = append(written, pdfPath)
			}
			return nil, printFailed(err, written)
		}
		res.Files = append(res.Files, pdfPath, xlsxPath)
		pdfs, printed = append(pdfs, pdfPath), append(printed, key)
		if progress != nil {
			progress(i+1, len(keys))
		}
	}
	if len(printed) == 0 {
		return nil, fmt.Errorf("%s 批次没有编号为 %s 的交办单", period, strings.Join(numbers, "、"))
	}
	all := filepath.Join(dir, files.SafeName(fmt.Sprintf("全部乡镇交办单_%s", period))+".pdf")
	if err := pdf.Merge(all, pdfs); err != nil {
		return nil, printFailed(err, res.Files)
	}
	res.Files = append(res.Files, all)
	for c := range replaced {
		res.Replaced = append(res.Replaced, c)
	}
	sort.Strings(res.Replaced)
	if err := a.db.MarkPrinted(printed, a.Now(), a.auditEntry("打印交办单", fmt.Sprintf("%s：%d 份，%d 页，输出到 %s", period, len(printed), res.Pages, dir))); err != nil {
		return nil, fmt.Errorf("交办单已生成在 %s，但打印记录未能保存：%w", dir, err)
	}
	return res, nil
}

// WithdrawAssignment takes back an assignment made by mistake, before its
// sheet was printed and before any result came back; its clues are pending
// again and can be assigned anew.
func (a *App) WithdrawAssignment(period, number string) error {
	asgs, err := a.db.Assignments(period)
	if err != nil {
		return err
	}
	for _, g := range asgs {
		if g.Number != number {
			continue
		}
		clues, err := a.db.Clues(period)
		if err != nil {
			return err
		}
		changed, err := g.Withdraw(clues, a.Now(), a.operatorName())
		if err != nil {
			return err
		}
		return a.db.WithdrawAssignment(g, changed, a.auditEntry("撤回交办", fmt.Sprintf("%s %s %s：%d 条线索退回待交办", period, number, g.Township, len(changed))))
	}
	return fmt.Errorf("%s 批次没有交办单 %s", period, number)
}

// printOne writes one assignment's PDF and xlsx twin into dir, under the
// township's name made safe and unique (names counts those taken); pdfPath
// is "" when the PDF was not written.
func (a *App) printOne(g *engine.Assignment, s engine.Settings, dir string, names map[string]int, replaced map[string]bool, pages *int) (pdfPath, xlsxPath string, err error) {
	sh := a.sheetOf(g, s)
	// names made from data are cleaned for Windows and Linux: a township
	// such as ../x or CON writes inside dir, under a name it can have
	base := files.SafeName(g.Township)
	if names[base] > 0 || g.Supplement {
		base = files.SafeName(g.Township + "_" + g.Number)
	}
	for k := 2; names[base] > 0; k++ { // names that clean to the same text
		base = fmt.Sprintf("%s_%d", files.SafeName(g.Township+"_"+g.Number), k)
	}
	names[base]++
	path := filepath.Join(dir, base+".pdf")
	r, err := pdf.Write(path, assets.Font, []pdf.Sheet{sh})
	if err != nil {
		return "", "", err
	}
	pdfPath = path
	for _, c := range r.Replaced {
		replaced[c] = true
	}
	for _, n := range r.Pages {
		*pages += n
	}
	xlsxPath = filepath.Join(dir, base+".xlsx")
	return pdfPath, xlsxPath, a.writeTwin(xlsxPath, g, s)
}

// printFailed says what a print that stopped had already written, so the
// officer knows which sheets are there and which are not.
func printFailed(err error, written []string) error {
	if len(written) == 0 {
		return fmt.Errorf("%w。没有写出任何文件", err)
	}
	return fmt.Errorf("%w。已写出 %d 个文件（%s），其余未写出，请处理后重新生成", err, len(written), baseNames(written))
}

func baseNames(paths []string) string {
	names := make([]string, len(paths))
	for i, f := range paths {
		names[i] = filepath.Base(f)
	}
	return strings.Join(names, "、")
}

func (a *App) sheetOf(g *engine.Assignment, s engine.Settings) pdf.Sheet {
	return pdf.Sheet{Title: fmt.Sprintf("%s防止返贫监测预警线索交办单（%s）", s.CountyName, periodTitle(g.Period)),
		Township: g.Township, Number: g.Number, Date: g.Date, Deadline: g.Deadline, Supplement: g.Supplement,
		Operator: g.Operator, Rows: g.Rows, Mask: s.MaskPrint}
}

// Outcomes are the verification results a township may write (DESIGN.md §5).
var Outcomes = []string{"纳入监测", "不纳入", "已是监测对象", "信息有误", "其他"}

// TwinHeader is the header of the xlsx twin: part of the contract with the
// feedback import (DESIGN.md §6).
var TwinHeader = []string{"线索编号", "乡镇", "村", "户主", "涉及人员", "身份证号", "风险类型", "线索来源", "情况摘要",
	"核查结果", "监测类型", "情况说明", "核查人", "核查日期"}

// writeTwin writes the xlsx twin of an assignment sheet: the same rows keyed
// by 线索编号, IDs as text, drop-downs for the outcome and monitored type.
func (a *App) writeTwin(path string, g *engine.Assignment, s engine.Settings) error {
	title := fmt.Sprintf("%s防止返贫监测预警线索交办单（%s）", s.CountyName, periodTitle(g.Period))
	if g.Supplement {
		title += "（补充交办）"
	}
	rows := [][]any{
		{title},
		{fmt.Sprintf("乡镇：%s　交办编号：%s　交办日期：%s　办结期限：%s　%s　内部资料 注意保密", g.Township, g.Number, g.Date, g.Deadline, engine.SheetCount(g.Rows))},
	}
	hdr := make([]any, len(TwinHeader))
	for i, h := range TwinHeader {
		hdr[i] = h
	}
	rows = append(rows, hdr)
	for _, r := range g.Rows {
		ids := r.IDs
		if s.MaskPrint {
			ids = make([]string, len(r.IDs))
			for i, id := range r.IDs {
				ids[i] = engine.MaskID(id)
			}
		}
		rows = append(rows, []any{r.Clue, g.Township, r.Village, r.Head, strings.Join(r.Persons, "、"), strings.Join(ids, "、"),
			r.Types, r.Sources, r.Summary, "", "", "", "", ""})
	}
	last := excel.ColumnName(len(TwinHeader) - 1)
	return excel.WriteXLSX(path, excel.Sheet{Name: "交办单", Rows: rows, HeaderRows: 3,
		Merges: [][2]string{{"A1", last + "1"}, {"A2", last + "2"}},
		Widths: map[int]float64{0: 14, 1: 10, 2: 10, 3: 9, 4: 14, 5: 22, 6: 12, 7: 20, 8: 50, 9: 14, 10: 14, 11: 30, 12: 10, 13: 12},
		Styles: map[int]excel.RowStyle{0: excel.StyleTitle, 1: excel.StyleNote, 2: excel.StyleHeader},
		Lists:  map[int][]string{9: Outcomes, 10: engine.MonitorTypes}})
}
