// Package store keeps bidui's data in one bbolt file. It is the only package
// that imports bbolt. Every logical change is one transaction, so a crash or
// a full disk leaves either the whole change or none of it; values are
// copied out of transactions before they are returned.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/s2"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"bidui/engine"
	"bidui/engine/files"
	"bidui/internal/par"
)

// SchemaVersion is the layout this build writes. A database with a higher
// number was written by a newer bidui and is refused.
//
//	1: roster
//	2: department lists (lists, list_rows, mappings)
//	3: clues, comparison runs, reviews, rural-household register, audit log
//	4: assignments, the county's working-day calendar
//	5: an index of clues by household, person and name (一户一档, search)
//	6: operator accounts
//	7: the roster before the last import, kept for undo
//	8: follow-ups (续报), kept by period and indexed for 一户一档
//	9: clues, assignments and comparison runs packed (DEFLATE with a
//	   preset dictionary); follow-ups packed in groups by clue key; a live
//	   index of open clues and of closed ones by the day they closed;
//	   department rows in packed blocks
//	10: the roster's persons in S2 blocks of 512, in the roster's order;
//	   small records (clues) packed with S2 (format 3). Nothing is
//	   converted: the older forms still read, and are written anew as the
//	   roster is imported and the clues saved again
const SchemaVersion = 10

// Bucket names.
var (
	bucketMeta          = []byte("meta")
	bucketPersons       = []byte("persons")
	bucketRosterImports = []byte("roster_imports")
	bucketLists         = []byte("lists")       // seq → engine.ListImport (JSON)
	bucketListRows      = []byte("list_rows")   // seq → bucket of line → row
	bucketMappings      = []byte("mappings")    // dept/list → confirmed column mapping
	bucketClues         = []byte("clues")       // clue ID (2026-11-0001) → engine.Clue
	bucketMatchRuns     = []byte("match_runs")  // period → the last comparison's figures and conflicts
	bucketReviews       = []byte("reviews")     // import:line → engine.ReviewDecision
	bucketRegister      = []byte("register")    // ID → engine.RegisterEntry (农户花名册)
	bucketAudit         = []byte("audit")       // seq → AuditEntry
	bucketAssignments   = []byte("assignments") // period/seq → engine.Assignment
	bucketClueIndex     = []byte("clue_index")  // H:household / P:ID / N:name, 0, clue ID → nothing
	bucketOperators     = []byte("operators")   // name → Operator
	bucketFollowUps     = []byte("followups")   // period, 0, follow-up ID → engine.FollowUp
	// bucketPrevious holds "persons", the roster as it was before the last
	// import, and "undo", the seq of that import while it can be undone
	bucketPrevious = []byte("roster_previous")
	keyUndo        = []byte("undo")

	allBuckets = [][]byte{bucketMeta, bucketPersons, bucketRosterImports, bucketLists, bucketListRows, bucketMappings,
		bucketClues, bucketMatchRuns, bucketReviews, bucketRegister, bucketAudit, bucketAssignments, bucketClueIndex, bucketOperators, bucketPrevious, bucketFollowUps}

	keySchema   = []byte("schema")
	keySettings = []byte("settings")
)

// Sentinel errors; their text is what the officer reads.
var (
	ErrLocked      = errors.New("程序已在运行：数据库正被另一个 bidui 窗口或命令使用，请先关闭它再试")
	ErrNewerSchema = errors.New("数据库由更新版本的 bidui 创建，当前版本无法打开，请安装最新版本")
	ErrCorrupt     = errors.New("数据库文件已损坏或不是 bidui 的数据库，请从备份恢复")
)

// DB is an open bidui database.
type DB struct {
	bolt *bolt.DB
	Path string
	// Migrated is the backup taken before an older database was upgraded on
	// opening; empty when no upgrade happened.
	Migrated string
	// UpgradedFrom is the schema version the database had before it was
	// upgraded on opening (0 when it was not).
	UpgradedFrom int
}

// Options for Open.
type Options struct {
	Timeout  time.Duration // how long to wait for another copy to let go; default 1 s
	ReadOnly bool
}

// Open opens or creates the database at path.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout == 0 {
		opt.Timeout = time.Second
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("无法创建数据文件夹 %s：%w", dir, err)
		}
	}
	if err := precheck(path); err != nil {
		return nil, fmt.Errorf("数据库 %s 无法使用：%w。请从备份恢复（设置 → 从备份恢复，或 bidui restore）", path, err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, ErrLocked
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
			return nil, fmt.Errorf("%w（%s）", ErrCorrupt, path)
		case errors.Is(err, os.ErrPermission):
			return nil, fmt.Errorf("没有权限打开数据库 %s", path)
		}
		if strings.Contains(err.Error(), "no space left") {
			return nil, errors.New("磁盘空间不足，无法打开数据库，请清理磁盘后重试")
		}
		return nil, fmt.Errorf("无法打开数据库 %s：%v", path, err)
	}
	db := &DB{bolt: b, Path: path}
	if err := db.init(opt.ReadOnly); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) init(readOnly bool) error {
	var version int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if m := tx.Bucket(bucketMeta); m != nil {
			if v := m.Get(keySchema); len(v) == 8 {
				version = int(binary.BigEndian.Uint64(v))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if version > SchemaVersion {
		return ErrNewerSchema
	}
	if readOnly || version == SchemaVersion {
		return nil
	}
	if version > 0 {
		// an older version's database: keep a copy as it was before migrating
		bak := fmt.Sprintf("%s.v%d-升级前备份", db.Path, version)
		if err := db.Backup(bak); err != nil {
			return fmt.Errorf("升级数据库前无法备份（%v），数据库未改动，请检查磁盘空间", err)
		}
		db.Migrated, db.UpgradedFrom = bak, version
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		if version < 9 { // pack and index the clues an older version wrote
			if err := reindexClues(tx); err != nil {
				return err
			}
			if err := regroupFollowUps(tx); err != nil {
				return err
			}
			for _, name := range [][]byte{bucketAssignments, bucketMatchRuns} {
				if err := repack(tx, name); err != nil {
					return err
				}
			}
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, SchemaVersion)
		return tx.Bucket(bucketMeta).Put(keySchema, v)
	})
}

// Close closes the database.
func (db *DB) Close() error { return db.bolt.Close() }

// Schema returns the schema version recorded in the file.
func (db *DB) Schema() (int, error) {
	var v int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keySchema); len(b) == 8 {
			v = int(binary.BigEndian.Uint64(b))
		}
		return nil
	})
	return v, err
}

// Settings returns the county settings, with defaults where unset.
func (db *DB) Settings() (engine.Settings, error) {
	s := engine.DefaultSettings()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keySettings); v != nil {
			return json.Unmarshal(v, &s)
		}
		return nil
	})
	return s, err
}

// SaveSettings stores the county settings with its audit entry.
func (db *DB) SaveSettings(s engine.Settings, e engine.AuditEntry) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keySettings, data); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// update runs one transaction and words a full disk for the officer.
func (db *DB) update(fn func(tx *bolt.Tx) error) error {
	err := db.bolt.Update(fn)
	if err != nil && (strings.Contains(err.Error(), "no space left") || strings.Contains(err.Error(), "not enough space")) {
		return errors.New("磁盘空间不足，本次修改未保存（数据库保持原样），请清理磁盘后重试")
	}
	return err
}

// ReplaceRoster swaps in a new base roster and records the import, in one
// transaction. The import's Seq is assigned here and returned. The roster
// it replaces is kept, one step back, for UndoRoster.
func (db *DB) ReplaceRoster(persons []engine.Person, rec engine.RosterImport, mapping map[string]string, e engine.AuditEntry) (engine.RosterImport, error) {
	var mdata []byte
	if mapping != nil {
		var err error
		if mdata, err = json.Marshal(mapping); err != nil {
			return rec, err
		}
	}
	err := db.update(func(tx *bolt.Tx) error {
		prev := tx.Bucket(bucketPrevious)
		if err := prev.DeleteBucket(bucketPersons); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return err
		}
		// the current roster moves aside whole: no copy, no rewrite
		if err := tx.MoveBucket(bucketPersons, nil, prev); err != nil {
			return err
		}
		b, err := tx.CreateBucket(bucketPersons)
		if err != nil {
			return err
		}
		if err := putPersonBlocks(b, persons); err != nil {
			return err
		}
		ib := tx.Bucket(bucketRosterImports)
		seq, _ := ib.NextSequence()
		rec.Seq = int(seq)
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := ib.Put(seqKey(seq), data); err != nil {
			return err
		}
		if err := prev.Put(keyUndo, seqKey(seq)); err != nil {
			return err
		}
		if mdata != nil { // the roster's confirmed columns, remembered as a list's are
			if err := tx.Bucket(bucketMappings).Put([]byte(RosterMappingKey+"/"), mdata); err != nil {
				return err
			}
		}
		return audit(tx, e)
	})
	return rec, err
}

// RosterMappingKey is the name the roster's confirmed columns are kept
// under, beside the department lists'.
const RosterMappingKey = "基础名册"

// ErrNothingToUndo says there is no roster import to undo.
var ErrNothingToUndo = errors.New("没有可以撤销的名册导入：只能撤销最近一次导入，且只能撤销一次")

// UndoableRoster is the roster import that UndoRoster would undo, if any.
func (db *DB) UndoableRoster() (engine.RosterImport, bool, error) {
	var rec engine.RosterImport
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prev := tx.Bucket(bucketPrevious)
		if prev == nil || prev.Bucket(bucketPersons) == nil {
			return nil
		}
		k := prev.Get(keyUndo)
		if k == nil {
			return nil
		}
		v := tx.Bucket(bucketRosterImports).Get(k)
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &rec)
	})
	return rec, found, err
}

// UndoRoster puts back the roster as it was before the last import, in one
// transaction, and marks that import undone. It can be done once: the
// roster undone is not kept.
func (db *DB) UndoRoster(at time.Time, e engine.AuditEntry) (engine.RosterImport, error) {
	var rec engine.RosterImport
	err := db.update(func(tx *bolt.Tx) error {
		prev := tx.Bucket(bucketPrevious)
		k := prev.Get(keyUndo)
		if k == nil || prev.Bucket(bucketPersons) == nil {
			return ErrNothingToUndo
		}
		ib := tx.Bucket(bucketRosterImports)
		v := ib.Get(k)
		if v == nil {
			return ErrNothingToUndo
		}
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketPersons); err != nil {
			return err
		}
		if err := tx.MoveBucket(bucketPersons, prev, nil); err != nil {
			return err
		}
		if err := prev.Delete(keyUndo); err != nil {
			return err
		}
		rec.Undone = at
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := ib.Put(k, data); err != nil {
			return err
		}
		return audit(tx, e)
	})
	return rec, err
}

func seqKey(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}

// Roster loads the current base roster; an empty roster when none was imported.
func (db *DB) Roster() (*engine.Roster, error) {
	var persons []engine.Person
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		persons, err = readPersons(tx.Bucket(bucketPersons))
		return err
	})
	if err != nil {
		return nil, err
	}
	// blocks hold the persons in the roster's order: checked, not sorted
	return engine.NewRosterInOrder(persons), nil
}

// Persons are stored in blocks of personsPerBlock (schema 10), keyed by
// the block's number, in the order they were handed over (an import hands
// them over in the roster's order): each block personBlock, a CRC-32C of
// its records and their S2 compression; each record the ID's length, the
// ID, the rest's length and encodePerson. The bucket's sequence is the
// number of persons. Persons stored one per value by their ID (schema 9
// and before) are read as they are.
const (
	personBlock     = 0xB2
	personsPerBlock = 512
)

// putPersonBlocks writes persons into an empty bucket, packed on every core.
func putPersonBlocks(b *bolt.Bucket, persons []engine.Person) error {
	blocks := make([][]byte, (len(persons)+personsPerBlock-1)/personsPerBlock)
	par.Each(len(blocks), len(blocks), func(k int) error {
		var raw, rec []byte
		for i := k * personsPerBlock; i < min((k+1)*personsPerBlock, len(persons)); i++ {
			p := &persons[i]
			rec = encodePerson(rec[:0], p)
			raw = binary.AppendUvarint(raw, uint64(len(p.ID)))
			raw = append(raw, p.ID...)
			raw = binary.AppendUvarint(raw, uint64(len(rec)))
			raw = append(raw, rec...)
		}
		v := make([]byte, 5, 5+s2.MaxEncodedLen(len(raw)))
		v[0] = personBlock
		binary.BigEndian.PutUint32(v[1:], crc32.Checksum(raw, crcTable))
		blocks[k] = v[:5+len(s2.Encode(v[5:cap(v)], raw))]
		return nil
	})
	b.FillPercent = 0.95 // keys arrive in order
	if err := putBlocks(b, blocks); err != nil {
		return err
	}
	return b.SetSequence(uint64(len(persons)))
}

// readPersons reads every person of a persons bucket, blocks decoded on
// every core (inside the transaction: the bytes are the file's, and what
// is decoded is copied out of them).
func readPersons(b *bolt.Bucket) ([]engine.Person, error) {
	var keys, vals [][]byte
	b.ForEach(func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	})
	if len(vals) > 0 && len(keys[0]) == 4 && len(vals[0]) > 0 && vals[0][0] == personBlock {
		// every block holds personsPerBlock persons but the last: each is
		// decoded straight into its place
		n := int(min(b.Sequence(), uint64(len(vals))*personsPerBlock))
		persons := make([]engine.Person, n)
		err := par.Each(len(vals), len(vals), func(k int) error {
			at := min(k*personsPerBlock, n)
			if err := decodePersonBlock(vals[k], persons[at:min(at+personsPerBlock, n)]); err != nil {
				return fmt.Errorf("%w：名册第%d块人员记录无法读取", ErrCorrupt, k+1)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return persons, nil
	}
	persons := make([]engine.Person, len(vals))
	return persons, par.Each(len(vals), len(vals)/1024, func(i int) error {
		p, err := decodePerson(keys[i], vals[i])
		if err != nil {
			return fmt.Errorf("%w：人员记录 %s 无法读取", ErrCorrupt, keys[i])
		}
		persons[i] = p
		return nil
	})
}

// personCount is how many persons a persons bucket holds.
func personCount(b *bolt.Bucket) int {
	if k, v := b.Cursor().First(); len(k) == 4 && len(v) > 0 && v[0] == personBlock {
		return int(b.Sequence())
	}
	return b.Stats().KeyN
}

var errBadPersons = errors.New("bad person block")

// decodePersonBlock decodes a block into out, which must be exactly as
// long as the block holds persons. The block's text is copied once, and
// every person's fields are parts of that copy.
func decodePersonBlock(v []byte, out []engine.Person) error {
	if len(v) < 5 || v[0] != personBlock {
		return errBadPersons
	}
	n, err := s2.DecodedLen(v[5:])
	if err != nil || n > 64<<20 {
		return errBadPersons
	}
	raw, err := s2.Decode(make([]byte, n), v[5:])
	if err != nil || crc32.Checksum(raw, crcTable) != binary.BigEndian.Uint32(v[1:]) {
		return errBadPersons
	}
	text := string(raw)
	i := 0
	for ; len(text) > 0; i++ {
		id, rest, ok := cutField(text)
		if !ok || i == len(out) {
			return errBadPersons
		}
		rec, rest, ok := cutField(rest)
		if !ok {
			return errBadPersons
		}
		if out[i], err = decodePersonString(id, rec); err != nil {
			return errBadPersons
		}
		text = rest
	}
	if i != len(out) {
		return errBadPersons
	}
	return nil
}

// RosterImports lists the roster imports, newest first.
func (db *DB) RosterImports() ([]engine.RosterImport, error) {
	var out []engine.RosterImport
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRosterImports).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r engine.RosterImport
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Snapshot writes a consistent copy of the database to w while it stays in
// use (bbolt's hot copy), for a backup that is sealed as it is written.
func (db *DB) Snapshot(w io.Writer) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(w)
		return err
	})
}

// Backup writes a consistent copy of the database to path while it stays in
// use (bbolt's hot copy), through a temporary file renamed into place.
func (db *DB) Backup(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return files.WriteError(path, err)
	}
	return files.AtomicWriteMode(path, 0o600, func(tmp string) error {
		return db.bolt.View(func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	})
}

// Person values are a version byte and length-prefixed fields: compact, and
// fast to read back for a roster of 300,000 persons.
const personFormat = 1

func encodePerson(buf []byte, p *engine.Person) []byte {
	buf = append(buf, personFormat, byte(p.Category))
	flags := byte(0)
	if p.RiskEliminated {
		flags |= 1
	}
	buf = append(buf, flags)
	buf = binary.AppendUvarint(buf, uint64(p.Line))
	for _, s := range [...]string{p.Name, p.Sex, p.HouseholdNo, p.Relation, p.Township, p.Village, p.Group, p.MonitorType, p.Helper, p.Phone} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

func decodePerson(k, v []byte) (engine.Person, error) {
	// one copy of the record; the fields are substrings of it
	return decodePersonString(string(k), string(v))
}

// decodePersonString is decodePerson of text already copied: the person's
// fields are parts of v.
func decodePersonString(id, v string) (engine.Person, error) {
	p := engine.Person{ID: id}
	if len(v) < 3 || v[0] != personFormat {
		return p, errors.New("bad person record")
	}
	p.Category = engine.Category(v[1])
	p.RiskEliminated = v[2]&1 != 0
	v = v[3:]
	line, n := uvarint(v)
	if n <= 0 {
		return p, errors.New("bad person record")
	}
	p.Line = int(line)
	v = v[n:]
	for _, dst := range [...]*string{&p.Name, &p.Sex, &p.HouseholdNo, &p.Relation, &p.Township, &p.Village, &p.Group, &p.MonitorType, &p.Helper, &p.Phone} {
		var ok bool
		if *dst, v, ok = cutField(v); !ok {
			return p, errors.New("bad person record")
		}
	}
	return p, nil
}

var keyCatalog = []byte("catalog")

// Catalog returns the county's own department catalog, or nil when the
// county still uses the default.
func (db *DB) Catalog() (*engine.Catalog, error) {
	var c *engine.Catalog
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyCatalog)
		if v == nil {
			return nil
		}
		var err error
		c, err = engine.ParseCatalog(v) // parses a copy: v is not kept
		return err
	})
	return c, err
}

// SaveCatalog stores the county's department catalog (nil restores the
// default) with its audit entry.
func (db *DB) SaveCatalog(c *engine.Catalog, e engine.AuditEntry) error {
	if c == nil {
		return db.update(func(tx *bolt.Tx) error {
			if err := tx.Bucket(bucketMeta).Delete(keyCatalog); err != nil {
				return err
			}
			return audit(tx, e)
		})
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyCatalog, data); err != nil {
			return err
		}
		return audit(tx, e)
	})
}

// Check runs bbolt's consistency check over the whole file.
func (db *DB) Check() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("%w：%v", ErrCorrupt, err)
		}
		return nil
	})
}

// CheckFile opens a database file read-only, runs the consistency check and
// reads its schema version: what a backup must pass before it is restored.
func CheckFile(path string) (schema int, err error) {
	db, err := Open(path, Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		return 0, err
	}
	v, err := db.Schema()
	if err != nil {
		return 0, err
	}
	if v == 0 {
		return 0, fmt.Errorf("%w：文件中没有 bidui 的版本信息", ErrCorrupt)
	}
	return v, nil
}

// Operators lists the accounts.
func (db *DB) Operators() ([]engine.Operator, error) {
	var out []engine.Operator
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOperators).ForEach(func(k, v []byte) error {
			var o engine.Operator
			if err := json.Unmarshal(v, &o); err != nil {
				return err
			}
			out = append(out, o)
			return nil
		})
	})
	return out, err
}

// SaveOperator stores an account with its audit entry.
func (db *DB) SaveOperator(o engine.Operator, e engine.AuditEntry) error {
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketOperators).Put([]byte(o.Name), data); err != nil {
			return err
		}
		return audit(tx, e)
	})
}
