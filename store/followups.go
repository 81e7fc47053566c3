package store

import (
	"bytes"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

// Follow-ups (DESIGN.md §4) are many — a cumulative or full list repeats
// most of its people every month — so they are kept in groups (schema 9):
// "period\x00key" → the period's follow-ups that would have gone into the
// clue with that key (a household's, or an off-roster person's), packed,
// in ID order. The groups are indexed in clue_index as "FK:key\x00period"
// for 一户一档.

func followUpGroupKey(period, key string) []byte { return []byte(period + "\x00" + key) }

func followUpIndexKey(period, key string) []byte { return []byte("FK:" + key + "\x00" + period) }

// groupFollowUps sorts follow-ups by ID and groups them by clue key, the
// groups in key order.
func groupFollowUps(fs []engine.FollowUp) [][]engine.FollowUp {
	sorted := append([]engine.FollowUp(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Key != sorted[j].Key {
			return sorted[i].Key < sorted[j].Key
		}
		return sorted[i].ID() < sorted[j].ID()
	})
	var groups [][]engine.FollowUp
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].Key == sorted[i].Key {
			j++
		}
		groups = append(groups, sorted[i:j:j])
		i = j
	}
	return groups
}

// replaceFollowUps puts a period's follow-ups in place of those it had,
// writing in key order.
func replaceFollowUps(tx *bolt.Tx, period string, fs []engine.FollowUp) error {
	b, ix := tx.Bucket(bucketFollowUps), tx.Bucket(bucketClueIndex)
	prefix := []byte(period + "\x00")
	var stale [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		stale = append(stale, append([]byte(nil), k...))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
		if err := ix.Delete(followUpIndexKey(period, string(k[len(prefix):]))); err != nil {
			return err
		}
	}
	groups := groupFollowUps(fs)
	packed, err := packAll(len(groups), func(i int) any { return groups[i] })
	if err != nil {
		return err
	}
	b.FillPercent = 0.9 // the periods come in order: mostly appended
	index := make([][]byte, len(groups))
	for i, g := range groups {
		if err := b.Put(followUpGroupKey(period, g[0].Key), packed[i]); err != nil {
			return err
		}
		index[i] = followUpIndexKey(period, g[0].Key)
	}
	sort.Slice(index, func(i, j int) bool { return bytes.Compare(index[i], index[j]) < 0 })
	for _, k := range index {
		if err := ix.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

func decodeFollowUps(v []byte) ([]engine.FollowUp, error) {
	var fs []engine.FollowUp
	if err := unpack(v, &fs); err != nil {
		return nil, fmt.Errorf("%w：续报记录无法读取", ErrCorrupt)
	}
	return fs, nil
}

// FollowUps returns a period's follow-ups in ID order.
func (db *DB) FollowUps(period string) ([]engine.FollowUp, error) {
	var out []engine.FollowUp
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte(period + "\x00")
		c := tx.Bucket(bucketFollowUps).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			fs, err := decodeFollowUps(v)
			if err != nil {
				return err
			}
			out = append(out, fs...)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out, err
}

// FollowUpsOf returns the follow-ups that would have gone into the clues
// with these keys (engine.ClueKey), oldest period first.
func (db *DB) FollowUpsOf(keys ...string) ([]engine.FollowUp, error) {
	var out []engine.FollowUp
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFollowUps)
		c := tx.Bucket(bucketClueIndex).Cursor()
		for _, key := range keys {
			prefix := []byte("FK:" + key + "\x00")
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				v := b.Get(followUpGroupKey(string(k[len(prefix):]), key))
				if v == nil {
					continue
				}
				fs, err := decodeFollowUps(v)
				if err != nil {
					return err
				}
				out = append(out, fs...)
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Period != out[j].Period {
			return out[i].Period < out[j].Period
		}
		return out[i].ID() < out[j].ID()
	})
	return out, err
}

// RaiseFollowUp stores the clue a follow-up became when the officer raised
// it by hand, and marks the follow-up so, in one transaction.
func (db *DB) RaiseFollowUp(f engine.FollowUp, c engine.Clue, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFollowUps)
		k := followUpGroupKey(f.Period, f.Key)
		gone := fmt.Errorf("这条续报已不在（可能已重新比对），请刷新后再试")
		v := b.Get(k)
		if v == nil {
			return gone
		}
		fs, err := decodeFollowUps(v)
		if err != nil {
			return err
		}
		found := false
		for i := range fs {
			if fs[i].ID() == f.ID() {
				fs[i], found = f, true
			}
		}
		if !found {
			return gone
		}
		data, err := pack(fs)
		if err != nil {
			return err
		}
		if err := b.Put(k, data); err != nil {
			return err
		}
		if err := putClue(tx.Bucket(bucketClues), &c); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// regroupFollowUps rewrites the follow-ups an older version kept one per
// value ("period\x00ID", indexed as FH:/FP:) in groups (schema 9).
func regroupFollowUps(tx *bolt.Tx) error {
	b, ix := tx.Bucket(bucketFollowUps), tx.Bucket(bucketClueIndex)
	byPeriod := map[string][]engine.FollowUp{}
	var keys [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var f engine.FollowUp
		if err := unpack(v, &f); err != nil {
			return fmt.Errorf("%w：续报记录无法读取", ErrCorrupt)
		}
		byPeriod[f.Period] = append(byPeriod[f.Period], f)
		keys = append(keys, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	var old [][]byte
	c := ix.Cursor()
	for _, prefix := range [][]byte{[]byte("FH:"), []byte("FP:")} {
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			old = append(old, append([]byte(nil), k...))
		}
	}
	for _, k := range old {
		if err := ix.Delete(k); err != nil {
			return err
		}
	}
	periods := make([]string, 0, len(byPeriod))
	for p := range byPeriod {
		periods = append(periods, p)
	}
	sort.Strings(periods)
	for _, p := range periods {
		if err := replaceFollowUps(tx, p, byPeriod[p]); err != nil {
			return err
		}
	}
	return nil
}
