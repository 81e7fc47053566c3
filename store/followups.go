package store

import (
	"bytes"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

// Follow-ups (DESIGN.md §4) are kept by period: "period\x00ID" → the
// follow-up, indexed in clue_index as "FH:household\x00period\x00ID" and
// "FP:personID\x00period\x00ID" for 一户一档.

func followUpKey(f *engine.FollowUp) []byte { return []byte(f.Period + "\x00" + f.ID()) }

func followUpIndexKeys(f *engine.FollowUp) [][]byte {
	var keys [][]byte
	if f.Household != "" {
		keys = append(keys, []byte("FH:"+f.Household+"\x00"+string(followUpKey(f))))
	}
	return append(keys, []byte("FP:"+f.Risk.Person+"\x00"+string(followUpKey(f))))
}

// replaceFollowUps puts a period's follow-ups in place of those it had,
// writing in key order.
func replaceFollowUps(tx *bolt.Tx, period string, fs []engine.FollowUp) error {
	b, ix := tx.Bucket(bucketFollowUps), tx.Bucket(bucketClueIndex)
	prefix := []byte(period + "\x00")
	var stale, staleIndex [][]byte
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if f, err := decodeFollowUp(v); err == nil {
			staleIndex = append(staleIndex, followUpIndexKeys(&f)...)
		}
		stale = append(stale, append([]byte(nil), k...))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for _, k := range staleIndex {
		if err := ix.Delete(k); err != nil {
			return err
		}
	}
	type kv struct{ k, v []byte }
	puts := make([]kv, 0, len(fs))
	var index [][]byte
	packed, err := packAll(len(fs), func(i int) any { return &fs[i] })
	if err != nil {
		return err
	}
	for i := range fs {
		puts = append(puts, kv{followUpKey(&fs[i]), packed[i]})
		index = append(index, followUpIndexKeys(&fs[i])...)
	}
	sort.Slice(puts, func(i, j int) bool { return bytes.Compare(puts[i].k, puts[j].k) < 0 })
	for _, p := range puts {
		if err := b.Put(p.k, p.v); err != nil {
			return err
		}
	}
	sort.Slice(index, func(i, j int) bool { return bytes.Compare(index[i], index[j]) < 0 })
	for _, k := range index {
		if err := ix.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

func decodeFollowUp(v []byte) (engine.FollowUp, error) {
	var f engine.FollowUp
	if err := unpack(v, &f); err != nil {
		return f, fmt.Errorf("%w：续报记录无法读取", ErrCorrupt)
	}
	return f, nil
}

// FollowUps returns a period's follow-ups in key order.
func (db *DB) FollowUps(period string) ([]engine.FollowUp, error) {
	var out []engine.FollowUp
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte(period + "\x00")
		c := tx.Bucket(bucketFollowUps).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			f, err := decodeFollowUp(v)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// FollowUpsBy returns the follow-ups of a household ("H") or a person's ID
// ("P"), oldest period first.
func (db *DB) FollowUpsBy(kind, value string) ([]engine.FollowUp, error) {
	var out []engine.FollowUp
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte("F" + kind + ":" + value + "\x00")
		b := tx.Bucket(bucketFollowUps)
		c := tx.Bucket(bucketClueIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			v := b.Get(k[len(prefix):])
			if v == nil {
				continue
			}
			f, err := decodeFollowUp(v)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// RaiseFollowUp stores the clue a follow-up became when the officer raised
// it by hand, and marks the follow-up so, in one transaction.
func (db *DB) RaiseFollowUp(f engine.FollowUp, c engine.Clue, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFollowUps)
		if b.Get(followUpKey(&f)) == nil {
			return fmt.Errorf("这条续报已不在（可能已重新比对），请刷新后再试")
		}
		data, err := pack(&f)
		if err != nil {
			return err
		}
		if err := b.Put(followUpKey(&f), data); err != nil {
			return err
		}
		if err := putClue(tx.Bucket(bucketClues), &c); err != nil {
			return err
		}
		return audit(tx, e)
	})
}
