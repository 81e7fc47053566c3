package engine

import "time"

// MatchRun is the record of a period's last comparison.
type MatchRun struct {
	Period    string       `json:"period"`
	At        time.Time    `json:"at"`
	Operator  string       `json:"operator"`
	Counts    MatchCounts  `json:"counts"`
	Conflicts []Conflict   `json:"conflicts"`
	Review    []ReviewItem `json:"review"`
}

// AuditEntry is one line of the audit log: who did what, when.
type AuditEntry struct {
	Seq      int       `json:"seq"`
	At       time.Time `json:"at"`
	Operator string    `json:"operator"`
	Action   string    `json:"action"`
	Detail   string    `json:"detail"`
}

// Operator is an account of the window.
type Operator struct {
	Name string `json:"name"`
	Role string `json:"role"`
	Salt []byte `json:"salt"`
	Hash []byte `json:"hash"` // argon2id of the password
}
