package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

// ErrIncomplete is a database or backup file cut short: copied while the
// copy was interrupted, a USB stick pulled, a disk full.
var ErrIncomplete = errors.New("文件不完整（可能是复制时中断、U 盘被拔出或磁盘已满），不能使用")

const metaMagic = 0xED0CDAED

// precheck reads a database file's two meta pages before bbolt maps it:
// bbolt trusts the file's size, and a file cut short would make it read
// past the end (a crash, SIGBUS) instead of saying so. A file that does
// not exist or is empty is left to Open, which makes a new database.
func precheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // Open reports it in its words
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return nil
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	var best *meta
	m0, ok0 := readMeta(head)
	if ok0 {
		best = &m0
		page := make([]byte, 4096)
		if n, _ := f.ReadAt(page, int64(m0.pageSize)); n >= 80 {
			if m1, ok1 := readMeta(page[:n]); ok1 && m1.txid > m0.txid {
				best = &m1
			}
		}
	} else if len(head) >= 80 {
		// the first meta page damaged: the second, at a common page size
		for _, ps := range []int64{4096, 8192, 16384, 65536} {
			page := make([]byte, 4096)
			if n, _ := f.ReadAt(page, ps); n >= 80 {
				if m1, ok := readMeta(page[:n]); ok && int64(m1.pageSize) == ps {
					best = &m1
					break
				}
			}
		}
	}
	if best == nil {
		return fmt.Errorf("%w：不是 bidui 的数据库，或文件开头已损坏", ErrCorrupt)
	}
	if need := int64(best.pgid) * int64(best.pageSize); fi.Size() < need {
		return fmt.Errorf("%w（应有 %d 字节，只有 %d 字节）", ErrIncomplete, need, fi.Size())
	}
	return nil
}

type meta struct {
	pageSize   uint32
	pgid, txid uint64
}

// readMeta reads a bbolt meta page (page header, then the meta: magic,
// version, page size, flags, root bucket, freelist, high-water page id,
// transaction id, FNV-64a checksum of what precedes it).
func readMeta(page []byte) (meta, bool) {
	if len(page) < 16+64 {
		return meta{}, false
	}
	m := page[16:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != metaMagic || le.Uint32(m[4:]) != 2 {
		return meta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return meta{}, false
	}
	ps := le.Uint32(m[8:])
	if ps < 512 || ps > 1<<20 {
		return meta{}, false
	}
	return meta{pageSize: ps, pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// Info is what a database or backup file holds, for the officer to
// confirm before a restore.
type Info struct {
	Schema       int
	County       string
	CountyCode   string
	Persons      int
	Clues        int
	NewestPeriod string    // the newest period with clues
	LastChange   time.Time // the newest audit entry
	AuditProblem string    // where the audit chain breaks; "" when it holds
}

// Inspect checks a database file completely — its size against its pages,
// every page (bbolt's consistency check), its version, its audit chain —
// without changing it, and says what it holds. A damaged file gets an error
// in the officer's words, never a crash.
func Inspect(path string) (info Info, err error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return info, fmt.Errorf("找不到文件 %s", path)
	case fi.Size() == 0:
		return info, errors.New("文件是空的（0 字节），不是有效的备份")
	case fi.Size() < 4*1024:
		return info, fmt.Errorf("%w：文件只有 %d 字节", ErrIncomplete, fi.Size())
	}
	if err := precheck(path); err != nil {
		return info, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w（%v）", ErrCorrupt, r)
		}
	}()
	db, err := Open(path, Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return info, err
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		return info, err
	}
	if info.Schema, err = db.Schema(); err != nil {
		return info, err
	}
	if info.Schema == 0 {
		return info, fmt.Errorf("%w：文件中没有 bidui 的版本信息", ErrCorrupt)
	}
	if info.Schema > SchemaVersion {
		return info, ErrNewerSchema
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keySettings); v != nil {
			var s engine.Settings
			if err := json.Unmarshal(v, &s); err == nil {
				info.County, info.CountyCode = s.CountyName, s.CountyCode
			}
		}
		if b := tx.Bucket(bucketPersons); b != nil {
			info.Persons = personCount(b)
		}
		if b := tx.Bucket(bucketClues); b != nil {
			info.Clues = b.Stats().KeyN
			if k, _ := b.Cursor().Last(); len(k) >= 7 {
				info.NewestPeriod = string(k[:7])
			}
		}
		if b := tx.Bucket(bucketAudit); b != nil {
			if _, v := b.Cursor().Last(); v != nil {
				var e engine.AuditEntry
				if json.Unmarshal(v, &e) == nil {
					info.LastChange = e.At
				}
			}
		}
		return nil
	})
	if err != nil {
		return info, err
	}
	info.AuditProblem, err = db.CheckAudit()
	return info, err
}
