package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

func assignKey(a *engine.Assignment) []byte { return []byte(fmt.Sprintf("%s/%03d", a.Period, a.Seq)) }

// SaveAssignments stores new assignments and the clues they send out
// (status, number, deadline), in one transaction with the audit entry.
func (db *DB) SaveAssignments(asgs []engine.Assignment, clues []engine.Clue, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		ab := tx.Bucket(bucketAssignments)
		packed, err := packAll(len(asgs), func(i int) any { return &asgs[i] })
		if err != nil {
			return err
		}
		for i := range asgs {
			k := assignKey(&asgs[i])
			if ab.Get(k) != nil {
				return fmt.Errorf("交办单 %s 已存在", asgs[i].Number)
			}
			if err := ab.Put(k, packed[i]); err != nil {
				return err
			}
		}
		if err := putClueStates(tx, clues); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// WithdrawAssignment removes an assignment and puts back its clues, in one
// transaction with the audit entry.
func (db *DB) WithdrawAssignment(g engine.Assignment, clues []engine.Clue, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		ab := tx.Bucket(bucketAssignments)
		if ab.Get(assignKey(&g)) == nil {
			return fmt.Errorf("交办单 %s 已不在", g.Number)
		}
		if err := ab.Delete(assignKey(&g)); err != nil {
			return err
		}
		if err := putClueStates(tx, clues); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// MarkPrinted notes when assignments (by key) were first printed, with the
// print's audit entry.
func (db *DB) MarkPrinted(keys []string, at time.Time, e engine.AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error {
		ab := tx.Bucket(bucketAssignments)
		for _, k := range keys {
			v := ab.Get([]byte(k))
			if v == nil {
				continue
			}
			var g engine.Assignment
			if err := unpack(v, &g); err != nil {
				return fmt.Errorf("%w：交办单 %s 无法读取", ErrCorrupt, k)
			}
			if !g.Printed.IsZero() {
				continue
			}
			g.Printed = at
			data, err := pack(g)
			if err != nil {
				return err
			}
			if err := ab.Put([]byte(k), data); err != nil {
				return err
			}
		}
		return audit(tx, e)
	})
}

// Assignments returns a period's assignments ("" for all), in order.
func (db *DB) Assignments(period string) ([]engine.Assignment, error) {
	var out []engine.Assignment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAssignments).Cursor()
		prefix := []byte(period)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var a engine.Assignment
			if err := unpack(v, &a); err != nil {
				return fmt.Errorf("%w：交办单 %s 无法读取", ErrCorrupt, k)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

var keyCalendar = []byte("calendar")

// Calendar returns the county's working-day calendar, or nil for the default.
func (db *DB) Calendar() (*engine.Calendar, error) {
	var c *engine.Calendar
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyCalendar)
		if v == nil {
			return nil
		}
		var err error
		c, err = engine.ParseCalendar(v)
		return err
	})
	return c, err
}

// SaveCalendar stores the county's calendar with its audit entry.
func (db *DB) SaveCalendar(c *engine.Calendar, e engine.AuditEntry) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyCalendar, data); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// AssignmentKeys lists the keys of a period's assignments, in order, so
// that they can be read one at a time (AssignmentAt): a large month's
// sheets are printed one township at a time.
func (db *DB) AssignmentKeys(period string) ([]string, error) {
	var out []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAssignments).Cursor()
		prefix := []byte(period + "/")
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, string(k))
		}
		return nil
	})
	return out, err
}

// AssignmentAt reads one assignment by its key.
func (db *DB) AssignmentAt(key string) (engine.Assignment, error) {
	var a engine.Assignment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketAssignments).Get([]byte(key))
		if v == nil {
			return fmt.Errorf("交办单 %s 已不在", key)
		}
		if err := unpack(v, &a); err != nil {
			return fmt.Errorf("%w：交办单 %s 无法读取", ErrCorrupt, key)
		}
		return nil
	})
	return a, err
}
