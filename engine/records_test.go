package engine

import (
	"strings"
	"testing"
	"time"
)

func chain(n int) []AuditEntry {
	var out []AuditEntry
	prev := ""
	for i := 1; i <= n; i++ {
		e := AuditEntry{Seq: i, At: time.Date(2026, 11, i, 9, 0, 0, 0, time.UTC), Operator: "李", Action: "导入部门清单", Detail: "医保局"}
		e.Hash = AuditHash(prev, e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestCheckAuditChain(t *testing.T) {
	legacy := []AuditEntry{{Seq: 1, Action: "旧版本"}, {Seq: 2, Action: "旧版本"}}
	afterLegacy := append([]AuditEntry{}, legacy...)
	for _, e := range chain(2) {
		e.Seq += 2
		afterLegacy = append(afterLegacy, e)
	}
	// re-chain the entries after the legacy ones with their new numbers
	prev := ""
	for i := 2; i < len(afterLegacy); i++ {
		afterLegacy[i].Hash = AuditHash(prev, afterLegacy[i])
		prev = afterLegacy[i].Hash
	}
	tests := []struct {
		name    string
		entries func() []AuditEntry
		want    string // part of the message; "" when the chain holds
	}{
		{"an intact chain", func() []AuditEntry { return chain(5) }, ""},
		{"an empty log", func() []AuditEntry { return nil }, ""},
		{"entries of an older version first", func() []AuditEntry { return afterLegacy }, ""},
		{"a detail edited", func() []AuditEntry { c := chain(5); c[2].Detail = "民政局"; return c }, "第3条"},
		{"an operator edited", func() []AuditEntry { c := chain(5); c[4].Operator = "王"; return c }, "第5条"},
		{"an entry removed", func() []AuditEntry { c := chain(5); return append(c[:2], c[3:]...) }, "缺少第3至3条"},
		{"an entry slipped in without a hash", func() []AuditEntry {
			c := chain(3)
			return append(c, AuditEntry{Seq: 4, Action: "伪造"})
		}, "第4条没有校验值"},
		{"an edit rehashed but the next entry not", func() []AuditEntry {
			c := chain(5)
			c[1].Detail = "改"
			c[1].Hash = AuditHash(c[0].Hash, c[1])
			return c
		}, "第3条"},
	}
	for _, tc := range tests {
		got := CheckAuditChain(tc.entries())
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestStaleMatch(t *testing.T) {
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	run := MatchRun{Period: "2026-11", At: at}
	before, after := at.Add(-time.Hour), at.Add(time.Hour)
	imports := []ListImport{{Seq: 1, Dept: "医保局", List: "住院自付", At: before}, {Seq: 2, Dept: "民政局", List: "新增救助", At: before}}
	if got := StaleMatch(run, imports, nil); got != "" {
		t.Errorf("up to date: %q", got)
	}
	if got := StaleMatch(MatchRun{}, imports, nil); got != "" {
		t.Errorf("never compared: %q", got)
	}
	late := append(append([]ListImport{}, imports...), ListImport{Seq: 3, Dept: "医保局", List: "住院自付", At: after})
	if got := StaleMatch(run, late, nil); !strings.Contains(got, "又导入了 医保局·住院自付") {
		t.Errorf("a replaced version: %q", got)
	}
	reviews := map[RowRef]ReviewDecision{{Import: 2, Line: 5}: {At: after}, {Import: 9, Line: 1}: {At: after}, {Import: 1, Line: 7}: {At: before}}
	if got := StaleMatch(run, imports, reviews); !strings.Contains(got, "复核了 1 行") {
		t.Errorf("a review decision: %q", got)
	}
}

func TestListYields(t *testing.T) {
	risk := func(dept, list string) Risk { return Risk{Dept: dept, List: list, Import: 1} }
	fb := func(outcome string) *Feedback { return &Feedback{Outcome: outcome} }
	clues := []Clue{
		{Risks: []Risk{risk("医保局", "住院自付"), risk("医保局", "住院自付"), risk("民政局", "新增救助")}, Assignment: "A", Feedback: fb(OutcomeIncluded)},
		{Risks: []Risk{risk("医保局", "住院自付")}, Assignment: "A", Feedback: fb(OutcomeNotIncluded)},
		{Risks: []Risk{risk("医保局", "住院自付")}, Assignment: "A"},
		{Risks: []Risk{risk("医保局", "住院自付")}},
		{Risks: []Risk{{Dept: "农户申报", Import: 0}}, Feedback: fb(OutcomeIncluded)},
	}
	got := ListYields(clues)
	if len(got) != 2 {
		t.Fatalf("%+v", got)
	}
	want0 := ListYield{Dept: "医保局", List: "住院自付", Raised: 4, Assigned: 3, Verified: 2, Included: 1, Rate: 50}
	want1 := ListYield{Dept: "民政局", List: "新增救助", Raised: 1, Assigned: 1, Verified: 1, Included: 1, Rate: 100}
	if got[0] != want0 || got[1] != want1 {
		t.Errorf("got %+v\nwant %+v %+v", got, want0, want1)
	}
}
