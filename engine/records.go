package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// MatchRun is the record of a period's last comparison.
type MatchRun struct {
	Period    string       `json:"period"`
	At        time.Time    `json:"at"`
	Operator  string       `json:"operator"`
	Counts    MatchCounts  `json:"counts"`
	Conflicts []Conflict   `json:"conflicts"`
	Review    []ReviewItem `json:"review"`
}

// AuditEntry is one line of the audit log: who did what, when. Hash
// chains it to the entry before (AuditHash), so an entry edited, removed or
// slipped in by someone who edits the database file shows.
type AuditEntry struct {
	Seq      int       `json:"seq"`
	At       time.Time `json:"at"`
	Operator string    `json:"operator"`
	Action   string    `json:"action"`
	Detail   string    `json:"detail"`
	Hash     string    `json:"hash,omitempty"`
}

// AuditHash is an entry's link in the chain: SHA-256 of the previous
// entry's hash and the entry's own fields.
func AuditHash(prev string, e AuditEntry) string {
	h := sha256.New()
	fmt.Fprintf(h, "bidui-audit-1\n%s\n%d\n%s\n%s\n%s\n%s", prev, e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Operator, e.Action, e.Detail)
	return hex.EncodeToString(h.Sum(nil))
}

// CheckAuditChain checks a log, oldest entry first: every entry's hash
// follows from the one before, and the numbers run without a gap. Entries
// written by versions before the chain (no hash) are accepted only before
// the first chained one. It says, in the officer's words, where the chain
// breaks; "" when it holds.
func CheckAuditChain(entries []AuditEntry) string {
	prev, chained, last := "", false, 0
	var bad []string
	for _, e := range entries {
		switch {
		case last > 0 && e.Seq != last+1:
			bad = append(bad, fmt.Sprintf("第%d条之后缺少第%d至%d条", last, last+1, e.Seq-1))
		case e.Hash == "" && chained:
			bad = append(bad, fmt.Sprintf("第%d条没有校验值", e.Seq))
		case e.Hash != "" && AuditHash(prev, e) != e.Hash:
			bad = append(bad, fmt.Sprintf("第%d条（%s %s）与记录时不符", e.Seq, e.At.Format("2006-01-02 15:04"), e.Action))
		}
		if e.Hash != "" {
			chained = true
		}
		prev, last = e.Hash, e.Seq
	}
	if len(bad) == 0 {
		return ""
	}
	if len(bad) > 3 {
		bad = append(bad[:3], fmt.Sprintf("等共 %d 处", len(bad)))
	}
	return "操作日志已被改动：" + strings.Join(bad, "；") + "。数据库文件可能被其他程序修改过，请从备份恢复或报告技术人员"
}

// Operator is an account of the window.
type Operator struct {
	Name string `json:"name"`
	Role string `json:"role"`
	Salt []byte `json:"salt"`
	Hash []byte `json:"hash"` // argon2id of the password
}

// StaleMatch says why a period's last comparison no longer reflects its
// lists: an import (a new list, or a replaced version) or a review
// decision after it. "" when it is up to date, or when there was none.
func StaleMatch(run MatchRun, imports []ListImport, reviews map[RowRef]ReviewDecision) string {
	if run.At.IsZero() {
		return ""
	}
	var lists []string
	ofPeriod := map[int]bool{}
	for _, im := range imports {
		ofPeriod[im.Seq] = true
		if im.At.After(run.At) {
			lists = append(lists, im.Dept+"·"+im.List)
		}
	}
	decided := 0
	for ref, d := range reviews {
		if ofPeriod[ref.Import] && d.At.After(run.At) {
			decided++
		}
	}
	var why []string
	if len(lists) > 0 {
		why = append(why, "比对后又导入了 "+strings.Join(Unique(lists), "、"))
	}
	if decided > 0 {
		why = append(why, fmt.Sprintf("比对后又复核了 %d 行", decided))
	}
	if len(why) == 0 {
		return ""
	}
	return "比对结果已过期：" + strings.Join(why, "；") + "，请重新比对"
}
