package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
	"bidui/internal/par"
)

// audit appends an entry inside a transaction, so the log and the change
// it records are written together.
func audit(tx *bolt.Tx, e engine.AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = int(seq)
	prev := ""
	if _, v := b.Cursor().Last(); v != nil {
		var last engine.AuditEntry
		if err := json.Unmarshal(v, &last); err != nil {
			return err
		}
		prev = last.Hash
	}
	e.Hash = engine.AuditHash(prev, e)
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(seqKey(seq), data)
}

// CheckAudit checks the audit log's chain: "" when it holds, else where it
// breaks, in the officer's words.
func (db *DB) CheckAudit() (string, error) {
	var entries []engine.AuditEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var e engine.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("%w：操作日志第%d条无法读取", ErrCorrupt, binary.BigEndian.Uint64(k))
			}
			entries = append(entries, e)
			return nil
		})
	})
	if err != nil {
		return "", err
	}
	return engine.CheckAuditChain(entries), nil
}

// Audit records an action on its own.
func (db *DB) Audit(e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error { return audit(tx, e) })
}

// AuditLog returns the audit entries, newest first, at most limit (0: all).
func (db *DB) AuditLog(limit int) ([]engine.AuditEntry, error) {
	var out []engine.AuditEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, v := c.Last(); k != nil && (limit == 0 || len(out) < limit); k, v = c.Prev() {
			var e engine.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// SaveMatch replaces a period's clues with the comparison's result and
// records the run, in one transaction: a run cut short leaves the previous
// clue set as it was.
func (db *DB) SaveMatch(run engine.MatchRun, clues []engine.Clue, followUps []engine.FollowUp, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketClues)
		prefix := []byte(run.Period + "-")
		c := b.Cursor()
		var stale [][]byte
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			stale = append(stale, append([]byte(nil), k...))
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		if err := putClues(tx, clues); err != nil {
			return err
		}
		if err := replaceFollowUps(tx, run.Period, followUps); err != nil {
			return err
		}
		data, err := pack(run)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketMatchRuns).Put([]byte(run.Period), data); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// putClue stores a clue and indexes it by household, persons and names.
func putClue(b *bolt.Bucket, c *engine.Clue) error {
	return putClues(b.Tx(), []engine.Clue{*c})
}

// putClues stores many clues and their index entries, each bucket written
// in key order: bbolt splits a node only at commit, so many puts in random
// order in one transaction cost time quadratic in the node's size.
func putClues(tx *bolt.Tx, clues []engine.Clue) error { return writeClues(tx, clues, true) }

// putClueStates stores clues whose household, persons and names are as
// stored (an assignment, a withdrawal): only the live index can change.
func putClueStates(tx *bolt.Tx, clues []engine.Clue) error { return writeClues(tx, clues, false) }

func writeClues(tx *bolt.Tx, clues []engine.Clue, reindex bool) error {
	order := make([]int, len(clues))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return clues[order[i]].ID < clues[order[j]].ID })
	b := tx.Bucket(bucketClues)
	if len(clues) > 1 {
		b.FillPercent = 0.9 // numbers grow with the period: mostly appended
	}
	// the clues are packed on the other cores while this one writes the index
	var packed [][]byte
	packing := make(chan error, 1)
	go func() {
		var err error
		packed, err = packAll(len(order), func(i int) any { return &clues[order[i]] })
		packing <- err
	}()
	index, err := clueIndexOps(clues, order, reindex)
	if err != nil {
		<-packing
		return err
	}
	ix := tx.Bucket(bucketClueIndex)
	c := ix.Cursor()
	first, _ := c.First()
	if first == nil && len(clues) > 1 {
		// a county's first comparison fills an empty index in key order:
		// its pages are filled, not split in half (half the pages, each
		// written at commit). Later months' entries fall between earlier
		// ones, into pages that bbolt's default half-filling leaves room in.
		ix.FillPercent = 0.9
	}
	for n := range index.ops {
		o, k := index.ops[n], index.key(n)
		// a clue written again (assigned, a result) mostly keeps its index
		// entries: an entry already there is left alone, so that its page
		// is not rewritten. An index that was empty holds only what this
		// write has put: nothing to look for (a key put twice, two persons
		// of one name, is put again as it is).
		var there []byte
		if first != nil {
			there, _ = c.Seek(k)
		}
		switch {
		case o.del && bytes.Equal(there, k):
			err = ix.Delete(k)
		case !o.del && !bytes.Equal(there, k):
			err = ix.Put(k, nil) // bbolt copies the key
		}
		if err != nil {
			<-packing
			return err
		}
	}
	if err := <-packing; err != nil {
		return err
	}
	for j, i := range order {
		if err := b.Put([]byte(clues[i].ID), packed[j]); err != nil {
			return err
		}
	}
	return nil
}

// The clue index holds, for every clue, its household ("H:", the number,
// a zero byte, the clue's number), and each of its persons by ID ("P:…")
// and by name ("N:…") — read by CluesBy; and the live index: "O:" and the
// clue's number while it is open, "C:", the day it was closed, a zero byte
// and its number once closed. The live index lets a comparison and the
// month-over-month figures read the clues still in play without reading
// five years of history.

// clueIndexOps are the index entries of clues (in order), sorted: the live
// index's, and with reindex their household, persons and names too.
func clueIndexOps(clues []engine.Clue, order []int, reindex bool) (*indexOps, error) {
	index := &indexOps{}
	if reindex { // room for every entry at once
		n, size := 0, 0
		for i := range clues {
			c := &clues[i]
			n += 3 + 2*len(c.Persons)
			size += 3*len(c.ID) + 40 + len(c.Household)
			for _, p := range c.Persons {
				size += 2*len(c.ID) + 8 + len(p.ID) + len(p.Name)
			}
		}
		index.ops, index.keys = make([]indexOp, 0, n), make([]byte, 0, size)
	}
	for _, i := range order {
		c := &clues[i]
		if reindex {
			index.addClue(c)
		}
		// the live index: open clues, and closed ones by the day they closed
		if closed := c.ClosedOn(); c.Open() || closed == "" {
			index.add(false, "O:", c.ID)
		} else {
			index.add(true, "O:", c.ID)
			index.add(false, "C:", closed, "\x00", c.ID)
		}
	}
	if len(index.keys) > math.MaxUint32 { // entries are placed by 32-bit offsets
		return nil, fmt.Errorf("一次写入的线索过多（索引 %d 字节），请分批处理", len(index.keys))
	}
	// every key ends with its clue's number: keys that tie are the same
	// entry (two persons of one name), put twice alike
	index.sort()
	return index, nil
}

// indexOps are the index entries a write puts or deletes, their keys laid
// end to end in one buffer (a large month has hundreds of thousands).
type indexOps struct {
	keys []byte
	ops  []indexOp
}

// indexOp is one entry: its key is keys[at:end]; hi and lo are its first
// 16 bytes (zeros after its end) as numbers, which order most keys without
// comparing their bytes.
type indexOp struct {
	hi, lo  uint64
	at, end uint32
	del     bool
}

// add appends the entry whose key is the parts written one after another.
func (x *indexOps) add(del bool, parts ...string) {
	at := len(x.keys)
	for _, p := range parts {
		x.keys = append(x.keys, p...)
	}
	var head [16]byte
	copy(head[:], x.keys[at:])
	x.ops = append(x.ops, indexOp{hi: binary.BigEndian.Uint64(head[:8]), lo: binary.BigEndian.Uint64(head[8:]), at: uint32(at), end: uint32(len(x.keys)), del: del})
}

// addClue adds a clue's entries in the index: its household, and its
// persons by ID and by name.
func (x *indexOps) addClue(c *engine.Clue) {
	if c.Household != "" {
		x.add(false, "H:", c.Household, "\x00", c.ID)
	}
	for _, p := range c.Persons {
		x.add(false, "P:", p.ID, "\x00", c.ID)
		x.add(false, "N:", p.Name, "\x00", c.ID)
	}
}

func (x *indexOps) key(n int) []byte { o := &x.ops[n]; return x.keys[o.at:o.end:o.end] }

// sort puts the entries in key order, as bytes.Compare orders the keys.
func (x *indexOps) sort() {
	slices.SortFunc(x.ops, func(a, b indexOp) int {
		if c := cmp.Compare(a.hi, b.hi); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lo, b.lo); c != 0 {
			return c
		}
		return bytes.Compare(x.keys[a.at:a.end], x.keys[b.at:b.end])
	})
}

// reindexClues rewrites every clue packed (schema 9) and indexes it, the
// live index included, in key order.
func reindexClues(tx *bolt.Tx) error {
	var clues []engine.Clue
	err := tx.Bucket(bucketClues).ForEach(func(k, v []byte) error {
		var c engine.Clue
		if err := unpack(v, &c); err != nil {
			return fmt.Errorf("%w：线索 %s 无法读取", ErrCorrupt, k)
		}
		clues = append(clues, c)
		return nil
	})
	if err != nil {
		return err
	}
	return putClues(tx, clues)
}

// repack rewrites a bucket's JSON values packed (schema 9).
func repack(tx *bolt.Tx, name []byte) error {
	b := tx.Bucket(name)
	type kv struct{ k, v []byte }
	var out []kv
	err := b.ForEach(func(k, v []byte) error {
		if v == nil || (len(v) > 0 && v[0] == packedJSON) {
			return nil // a nested bucket, or packed already
		}
		var raw json.RawMessage
		if err := unpack(v, &raw); err != nil {
			return fmt.Errorf("%w：%s 中的记录 %q 无法读取", ErrCorrupt, name, k)
		}
		data, err := pack(raw)
		if err != nil {
			return err
		}
		out = append(out, kv{append([]byte(nil), k...), data})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range out {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// CluesBy returns the clues of a household ("H"), a person's ID ("P") or a
// name ("N"), in number order, through the index.
func (db *DB) CluesBy(kind, value string) ([]engine.Clue, error) {
	var out []engine.Clue
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte(kind + ":" + value + "\x00")
		cb := tx.Bucket(bucketClues)
		c := tx.Bucket(bucketClueIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			v := cb.Get(k[len(prefix):])
			if v == nil {
				continue // a clue no longer there
			}
			var cl engine.Clue
			if err := unpack(v, &cl); err != nil {
				return fmt.Errorf("%w：线索 %s 无法读取", ErrCorrupt, k[len(prefix):])
			}
			out = append(out, cl)
		}
		return nil
	})
	return out, err
}

// SaveClue stores one clue (a manual clue, or a change to one) with its audit entry.
func (db *DB) SaveClue(c engine.Clue, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		if err := putClue(tx.Bucket(bucketClues), &c); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// NextClueNumber is the next free number in a period.
func (db *DB) NextClueNumber(period string) (int, error) {
	n := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte(period + "-")
		c := tx.Bucket(bucketClues).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if v, err := strconv.Atoi(string(k[len(prefix):])); err == nil && v > n {
				n = v
			}
		}
		return nil
	})
	return n + 1, err
}

// Clues returns the clues of a period ("" for every period), in number order.
func (db *DB) Clues(period string) ([]engine.Clue, error) {
	var out []engine.Clue
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte(period)
		if period != "" {
			prefix = []byte(period + "-")
		}
		var err error
		out, err = unpackClues(clueRange(tx, prefix, func(k []byte) bool { return bytes.HasPrefix(k, prefix) }))
		return err
	})
	return out, err
}

// Clue returns one clue.
func (db *DB) Clue(id string) (engine.Clue, bool, error) {
	var cl engine.Clue
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketClues).Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		return unpack(v, &cl)
	})
	return cl, found, err
}

// MatchRun returns a period's last comparison, if any.
func (db *DB) MatchRun(period string) (engine.MatchRun, bool, error) {
	var r engine.MatchRun
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMatchRuns).Get([]byte(period))
		if v == nil {
			return nil
		}
		found = true
		return unpack(v, &r)
	})
	return r, found, err
}

func refKey(r engine.RowRef) []byte {
	k := make([]byte, 8)
	copy(k, seqKey(uint64(r.Import))[4:])
	copy(k[4:], seqKey(uint64(r.Line))[4:])
	return k
}

// SaveReview records the officer's decision on a row, with its audit entry.
func (db *DB) SaveReview(d engine.ReviewDecision, e engine.AuditEntry) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketReviews).Put(refKey(d.Ref), data); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// Reviews returns every review decision.
func (db *DB) Reviews() (map[engine.RowRef]engine.ReviewDecision, error) {
	out := map[engine.RowRef]engine.ReviewDecision{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReviews).ForEach(func(k, v []byte) error {
			var d engine.ReviewDecision
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out[d.Ref] = d
			return nil
		})
	})
	return out, err
}

// ReplaceRegister swaps in a new rural-household register.
func (db *DB) ReplaceRegister(entries map[string]engine.RegisterEntry, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketRegister); err != nil {
			return err
		}
		b, err := tx.CreateBucket(bucketRegister)
		if err != nil {
			return err
		}
		// in key order (a county's register can hold every rural person):
		// bbolt moves ever larger nodes when many keys come in random order
		ids := make([]string, 0, len(entries))
		for id := range entries {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		b.FillPercent = 0.95
		for _, id := range ids {
			data, err := json.Marshal(entries[id])
			if err != nil {
				return err
			}
			if err := b.Put([]byte(id), data); err != nil {
				return err
			}
		}
		return audit(tx, e)
	})
}

// Register returns the rural-household register.
func (db *DB) Register() (map[string]engine.RegisterEntry, error) {
	out := map[string]engine.RegisterEntry{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRegister).ForEach(func(k, v []byte) error {
			var en engine.RegisterEntry
			if err := json.Unmarshal(v, &en); err != nil {
				return err
			}
			out[string(k)] = en
			return nil
		})
	})
	return out, err
}

// SaveClues stores changed clues together with their audit entry, in one
// transaction: a batch of results is recorded whole or not at all.
func (db *DB) SaveClues(clues []engine.Clue, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		if err := putClues(tx, clues); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// CluesBetween returns the clues of the periods from (inclusive) to to
// (exclusive), in number order: a range of the clue bucket, whose keys
// start with the period.
func (db *DB) CluesBetween(from, to string) ([]engine.Clue, error) {
	var out []engine.Clue
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = unpackClues(clueRange(tx, []byte(from), below(to)))
		return err
	})
	return out, err
}

// LiveClues returns, through the live index, the clues of periods before
// before that are open, and — when closedSince is not "" — those closed on
// or after that day (YYYY-MM-DD), in number order.
func (db *DB) LiveClues(before, closedSince string) ([]engine.Clue, error) {
	var out []engine.Clue
	err := db.bolt.View(func(tx *bolt.Tx) error {
		all, err := unpackClues(liveValues(tx, before, closedSince))
		// entries are checked against the clue: an index entry left by a
		// clue reopened or closed on another day is passed over
		for _, cl := range all {
			if closed := cl.ClosedOn(); cl.Open() || closed == "" || (closedSince != "" && closed >= closedSince) {
				out = append(out, cl)
			}
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// clueRange collects the clue values from the key from on while in holds;
// the slices are the transaction's.
func clueRange(tx *bolt.Tx, from []byte, in func(k []byte) bool) (keys, vals [][]byte) {
	c := tx.Bucket(bucketClues).Cursor()
	for k, v := c.Seek(from); k != nil && in(k); k, v = c.Next() {
		keys, vals = append(keys, k), append(vals, v)
	}
	return keys, vals
}

// below is a clueRange bound: keys below end.
func below(end string) func(k []byte) bool {
	return func(k []byte) bool { return string(k) < end }
}

// liveValues collects, through the live index, the values of the clues of
// periods before before that are open and, when closedSince is not "",
// those closed on or after that day. An entry may be stale (a clue
// reopened, or closed on another day): the caller checks the clue.
func liveValues(tx *bolt.Tx, before, closedSince string) (keys, vals [][]byte) {
	cb := tx.Bucket(bucketClues)
	seen := map[string]bool{}
	take := func(id []byte) {
		if seen[string(id)] || string(id) >= before {
			return
		}
		seen[string(id)] = true
		if v := cb.Get(id); v != nil { // nil: a clue no longer there
			keys, vals = append(keys, id), append(vals, v)
		}
	}
	c := tx.Bucket(bucketClueIndex).Cursor()
	prefix := []byte("O:")
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		take(k[len(prefix):])
	}
	if closedSince != "" {
		prefix = []byte("C:")
		for k, _ := c.Seek([]byte("C:" + closedSince)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if i := bytes.IndexByte(k, 0); i > 0 {
				take(k[i+1:])
			}
		}
	}
	return keys, vals
}

// unpackClues decodes clue values on every core (decoding is most of what
// reading a large month costs); keys name a value that cannot be read.
func unpackClues(keys, vals [][]byte) ([]engine.Clue, error) {
	out := make([]engine.Clue, len(vals))
	return out, decodeAll(keys, vals, func(i int, v []byte) error { return unpack(v, &out[i]) })
}

func decodeAll(keys, vals [][]byte, decode func(i int, v []byte) error) error {
	// a goroutine is worth it from a few hundred values
	return par.Each(len(vals), len(vals)/256, func(i int) error {
		if err := decode(i, vals[i]); err != nil {
			return fmt.Errorf("%w：线索 %s 无法读取", ErrCorrupt, keys[i])
		}
		return nil
	})
}

// priorClue is the part of a clue a comparison looks at in earlier months
// (repeats and follow-ups): decoding only it keeps five years of history
// out of memory.
type priorClue struct {
	ID         string `json:"id"`
	Key        string `json:"key"`
	Period     string `json:"period"`
	Status     string `json:"status"`
	Assignment string `json:"assignment"`
	Feedback   *struct {
		Outcome string    `json:"outcome"`
		Entered string    `json:"entered"`
		At      time.Time `json:"at"`
	} `json:"feedback"`
	Risks []struct {
		Dept   string        `json:"dept"`
		List   string        `json:"list"`
		Type   string        `json:"type"`
		Amount engine.Amount `json:"amount_fen"`
		Person string        `json:"person"`
		Import int           `json:"import_no"`
		Level  string        `json:"level"`
	} `json:"risks"`
}

func (p *priorClue) clue() engine.Clue {
	c := engine.Clue{ID: p.ID, Key: p.Key, Period: p.Period, Status: p.Status, Assignment: p.Assignment, Risks: make([]engine.Risk, len(p.Risks))}
	if p.Feedback != nil {
		c.Feedback = &engine.Feedback{Outcome: p.Feedback.Outcome, Entered: p.Feedback.Entered, At: p.Feedback.At}
	}
	for i, r := range p.Risks {
		c.Risks[i] = engine.Risk{Dept: r.Dept, List: r.List, Type: r.Type, Amount: r.Amount, Person: r.Person, Import: r.Import, Level: r.Level}
	}
	return c
}

// PriorClues is what a comparison of period needs of the clues before it:
// those of the periods from on, and the open ones of any earlier period
// (through the live index), in number order — each with only its number,
// key, period, status, assignment, closing and risks' lists, persons,
// types, amounts and levels.
func (db *DB) PriorClues(from, period string) ([]engine.Clue, error) {
	var out []engine.Clue
	err := db.bolt.View(func(tx *bolt.Tx) error {
		keys, vals := liveValues(tx, from, "")
		k2, v2 := clueRange(tx, []byte(from), below(period))
		keys, vals = append(keys, k2...), append(vals, v2...)
		got := make([]engine.Clue, len(vals))
		err := decodeAll(keys, vals, func(i int, v []byte) error {
			var p priorClue
			if err := unpack(v, &p); err != nil {
				return err
			}
			got[i] = p.clue()
			return nil
		})
		for _, cl := range got {
			// an entry the live index keeps for a clue since closed is
			// passed over
			if cl.Period >= from || cl.Open() || cl.ClosedOn() == "" {
				out = append(out, cl)
			}
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}
