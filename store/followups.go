package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

// Follow-ups (DESIGN.md §4) are many — a cumulative or full list repeats
// most of its people every month, tens of thousands of follow-ups a month in
// a large county — so they are kept in packed blocks (schema 9): "period\x00"
// and a block number → up to followUpBlock follow-ups of the period, in key
// and ID order. 一户一档 finds a clue key's follow-ups through one index
// entry per key in clue_index, "FK:key" → the (period, block) pairs that
// hold them, oldest first.
const followUpBlock = 256

func followUpBlockKey(period string, block uint32) []byte {
	k := make([]byte, len(period)+5)
	copy(k, period)
	binary.BigEndian.PutUint32(k[len(period)+1:], block)
	return k
}

func followUpIndexKey(key string) []byte { return []byte("FK:" + key) }

// followUpPlace is where a key's follow-ups of a period are.
type followUpPlace struct {
	period string
	block  uint32
}

const placeSize = 7 + 4 // YYYY-MM and the block number

func decodePlaces(v []byte) []followUpPlace {
	var out []followUpPlace
	for len(v) >= placeSize {
		out = append(out, followUpPlace{string(v[:7]), binary.BigEndian.Uint32(v[7:placeSize])})
		v = v[placeSize:]
	}
	return out
}

func encodePlaces(ps []followUpPlace) []byte {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].period != ps[j].period {
			return ps[i].period < ps[j].period
		}
		return ps[i].block < ps[j].block
	})
	v := make([]byte, 0, len(ps)*placeSize)
	for _, p := range ps {
		v = append(v, p.period...)
		v = binary.BigEndian.AppendUint32(v, p.block)
	}
	return v
}

func sortFollowUps(fs []engine.FollowUp) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Key != fs[j].Key {
			return fs[i].Key < fs[j].Key
		}
		return fs[i].ID() < fs[j].ID()
	})
}

// replaceFollowUps puts a period's follow-ups in place of those it had,
// writing each bucket in key order.
func replaceFollowUps(tx *bolt.Tx, period string, fs []engine.FollowUp) error {
	if len(period) != 7 {
		return fmt.Errorf("批次 %q 不是 YYYY-MM", period)
	}
	b, ix := tx.Bucket(bucketFollowUps), tx.Bucket(bucketClueIndex)
	prefix := []byte(period + "\x00")
	// the keys the period had: their index entries lose this period
	touched := map[string][]followUpPlace{}
	var stale [][]byte
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		old, err := decodeFollowUps(v)
		if err != nil {
			return err
		}
		for _, f := range old {
			touched[f.Key] = nil
		}
		stale = append(stale, append([]byte(nil), k...))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	sorted := append([]engine.FollowUp(nil), fs...)
	sortFollowUps(sorted)
	var blocks [][]engine.FollowUp
	for i := 0; i < len(sorted); i += followUpBlock {
		blocks = append(blocks, sorted[i:min(i+followUpBlock, len(sorted))])
	}
	packed, err := packAll(len(blocks), func(i int) any { return blocks[i] })
	if err != nil {
		return err
	}
	b.FillPercent = 0.9 // the periods come in order: mostly appended
	for i, blk := range blocks {
		if err := b.Put(followUpBlockKey(period, uint32(i)), packed[i]); err != nil {
			return err
		}
		for _, f := range blk {
			ps := touched[f.Key]
			if len(ps) == 0 || ps[len(ps)-1].block != uint32(i) {
				touched[f.Key] = append(ps, followUpPlace{period, uint32(i)})
			}
		}
	}
	keys := make([]string, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		ik := followUpIndexKey(key)
		var places []followUpPlace
		for _, p := range decodePlaces(ix.Get(ik)) {
			if p.period != period {
				places = append(places, p)
			}
		}
		places = append(places, touched[key]...)
		if len(places) == 0 {
			err = ix.Delete(ik)
		} else {
			err = ix.Put(ik, encodePlaces(places))
		}
		if err != nil {
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
		b, ix := tx.Bucket(bucketFollowUps), tx.Bucket(bucketClueIndex)
		blocks := map[followUpPlace][]engine.FollowUp{}
		for _, key := range keys {
			for _, p := range decodePlaces(ix.Get(followUpIndexKey(key))) {
				fs, ok := blocks[p]
				if !ok {
					v := b.Get(followUpBlockKey(p.period, p.block))
					if v == nil {
						continue
					}
					var err error
					if fs, err = decodeFollowUps(v); err != nil {
						return err
					}
					blocks[p] = fs
				}
				for _, f := range fs {
					if f.Key == key {
						out = append(out, f)
					}
				}
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
		b, ix := tx.Bucket(bucketFollowUps), tx.Bucket(bucketClueIndex)
		for _, p := range decodePlaces(ix.Get(followUpIndexKey(f.Key))) {
			if p.period != f.Period {
				continue
			}
			k := followUpBlockKey(p.period, p.block)
			v := b.Get(k)
			if v == nil {
				continue
			}
			fs, err := decodeFollowUps(v)
			if err != nil {
				return err
			}
			for i := range fs {
				if fs[i].Key != f.Key || fs[i].ID() != f.ID() {
					continue
				}
				fs[i] = f
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
			}
		}
		return fmt.Errorf("这条续报已不在（可能已重新比对），请刷新后再试")
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
