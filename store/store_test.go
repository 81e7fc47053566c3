package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

func testPersons() []engine.Person {
	return []engine.Person{
		{ID: "530428199001011231", Name: "张三", Sex: "男", HouseholdNo: "H1", Relation: "户主", Township: "城关镇", Village: "大村", Group: "一组", Category: engine.CategoryFormerlyPoor, Helper: "王干部", Phone: "13800000000", Line: 4},
		{ID: "53042819850505234X", Name: "李四", Sex: "女", HouseholdNo: "H1", Relation: "配偶", Township: "城关镇", Village: "大村", Group: "一组", Category: engine.CategoryFormerlyPoor, Line: 5},
		{ID: "530428200101011235", Name: "王五", Sex: "男", HouseholdNo: "H2", Relation: "户主", Township: "龙泉镇", Village: "小河村", Category: engine.CategoryMonitored, MonitorType: engine.MonitorMarginal, RiskEliminated: true, Line: 6},
	}
}

func TestRosterRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Roster()
	if err != nil || len(r.Persons) != 0 {
		t.Fatalf("new database: %v, %d persons", err, len(r.Persons))
	}
	in := testPersons()
	rec, err := db.ReplaceRoster(in, engine.RosterImport{At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Rows: 3, Valid: 3}, nil, engine.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Seq != 1 {
		t.Errorf("first import seq = %d", rec.Seq)
	}
	r, err = db.Roster()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Persons) != 3 || len(r.Households) != 2 {
		t.Fatalf("got %d persons, %d households", len(r.Persons), len(r.Households))
	}
	for _, want := range testPersons() {
		got, ok := r.Person(want.ID)
		if !ok || *got != want {
			t.Errorf("person %s:\n got  %+v\n want %+v", want.ID, got, want)
		}
	}
	// a re-import replaces, it does not merge
	if _, err := db.ReplaceRoster(in[:1], engine.RosterImport{Rows: 1, Valid: 1}, nil, engine.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	r, _ = db.Roster()
	if len(r.Persons) != 1 {
		t.Errorf("after re-import: %d persons, want 1", len(r.Persons))
	}
	imports, err := db.RosterImports()
	if err != nil || len(imports) != 2 || imports[0].Seq != 2 || imports[1].Rows != 3 {
		t.Errorf("imports = %+v, %v", imports, err)
	}
}

func TestSecondOpenIsRefusedNotHung(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Schema(); v != SchemaVersion {
		t.Errorf("schema = %d", v)
	}
	// pretend a newer bidui wrote it
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, SchemaVersion+1)
		return tx.Bucket(bucketMeta).Put(keySchema, v)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("open newer: %v", err)
	}
}

func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	if err := os.WriteFile(path, []byte("这不是数据库文件，而是一段文字。这不是数据库文件，而是一段文字。这不是数据库文件。"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open garbage: %v", err)
	}
}

func TestSettingsAndBackup(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, _ := db.Settings()
	if s.CountyName == "" {
		t.Error("no default county name")
	}
	s.CountyName, s.Operator = "青山县", "小李"
	if err := db.SaveSettings(s, engine.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReplaceRoster(testPersons(), engine.RosterImport{}, nil, engine.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(dir, "bak.db")
	if err := db.Backup(bak); err != nil {
		t.Fatal(err)
	}
	b, err := Open(bak, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, _ := b.Settings()
	r, _ := b.Roster()
	if got.CountyName != "青山县" || got.Operator != "小李" || len(r.Persons) != 3 {
		t.Errorf("backup holds %+v and %d persons", got, len(r.Persons))
	}
}

func TestDecodePersonRejectsDamage(t *testing.T) {
	p := testPersons()[0]
	v := encodePerson(nil, &p)
	for cut := 0; cut < len(v); cut++ {
		if _, err := decodePerson([]byte(p.ID), v[:cut]); err == nil && cut < len(v) {
			// a truncated record must not decode as if whole
			got, _ := decodePerson([]byte(p.ID), v[:cut])
			if got == p {
				t.Fatalf("truncated record (%d of %d bytes) decoded as whole", cut, len(v))
			}
		}
	}
}

// TestOlderDatabaseIsBackedUpAndMigrated writes a database as version 1
// wrote it (the roster only), opens it with this version and checks the
// roster is there, the new buckets work, and a copy was kept first.
func TestOlderDatabaseIsBackedUpAndMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := testPersons()[0]
	err = b.Update(func(tx *bolt.Tx) error {
		m, _ := tx.CreateBucket(bucketMeta)
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 1)
		m.Put(keySchema, v)
		ps, _ := tx.CreateBucket(bucketPersons)
		ps.Put([]byte(p.ID), encodePerson(nil, &p))
		_, err := tx.CreateBucket(bucketRosterImports)
		return err
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Schema(); v != SchemaVersion {
		t.Errorf("schema after opening = %d", v)
	}
	if db.Migrated == "" {
		t.Fatal("no backup taken before migrating")
	}
	old, err := Open(db.Migrated, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	if v, _ := old.Schema(); v != 1 {
		t.Errorf("backup schema = %d, want 1", v)
	}
	old.Close()
	r, err := db.Roster()
	if err != nil || len(r.Persons) != 1 || r.Persons[0].Name != p.Name {
		t.Fatalf("roster after migration: %v %v", r, err)
	}
	if _, err := db.ListImports(""); err != nil {
		t.Errorf("new bucket unusable: %v", err)
	}
	// opening again migrates nothing
	db.Close()
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if db2.Migrated != "" {
		t.Error("a current database was migrated again")
	}
}

// TestAuditChainShowsAnEditedFile: an audit entry changed in the file (as a
// colleague with a bbolt tool could) breaks the chain, and CheckAudit says
// which entry.
func TestAuditChainShowsAnEditedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, a := range []string{"导入基础名册", "修改比对规则", "导出部门结果清单"} {
		if err := db.Audit(engine.AuditEntry{At: time.Now(), Operator: "李", Action: a, Detail: "医保局 ≥ 5000 元"}); err != nil {
			t.Fatal(err)
		}
	}
	if msg, err := db.CheckAudit(); err != nil || msg != "" {
		t.Fatalf("an untouched log: %q %v", msg, err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		var e engine.AuditEntry
		if err := json.Unmarshal(b.Get(seqKey(2)), &e); err != nil {
			return err
		}
		e.Detail = "医保局 ≥ 999999 元"
		data, _ := json.Marshal(e)
		return b.Put(seqKey(2), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := db.CheckAudit()
	if err != nil || !strings.Contains(msg, "第2条") || !strings.Contains(msg, "操作日志已被改动") {
		t.Fatalf("an edited entry: %q %v", msg, err)
	}
	// entries written after the edit do not hide it
	if err := db.Audit(engine.AuditEntry{At: time.Now(), Operator: "李", Action: "比对"}); err != nil {
		t.Fatal(err)
	}
	if msg, _ := db.CheckAudit(); !strings.Contains(msg, "第2条") {
		t.Errorf("after another entry: %q", msg)
	}
}

// TestCutBackupsAndDatabasesGetAMessageNotACrash: a backup cut short at any
// point (a USB stick pulled) is refused by Inspect and by Open with a
// Chinese message; bbolt is never left to read past the end of the file.
func TestCutBackupsAndDatabasesGetAMessageNotACrash(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "live.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var persons []engine.Person
	for i := 0; i < 3000; i++ {
		p := testPersons()[i%3]
		p.ID = fmt.Sprintf("53042819900101%04d", i)
		persons = append(persons, p)
	}
	if _, err := db.ReplaceRoster(persons, engine.RosterImport{}, nil, engine.AuditEntry{Action: "导入基础名册"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSettings(engine.Settings{CountyName: "青山县", CountyCode: "530428", DueDay: 25}, engine.AuditEntry{Action: "设置"}); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full.db")
	if err := db.Backup(full); err != nil {
		t.Fatal(err)
	}
	db.Close()
	info, err := Inspect(full)
	if err != nil || info.County != "青山县" || info.Persons != 3000 || info.Schema != SchemaVersion || info.AuditProblem != "" {
		t.Fatalf("the whole backup: %+v %v", info, err)
	}
	data, _ := os.ReadFile(full)
	for _, cut := range []int{0, 100, 4096, 4096 + 100, 8192, len(data) / 3, len(data) / 2, len(data) - 4096, len(data) - 1} {
		p := filepath.Join(dir, fmt.Sprintf("cut%d.db", cut))
		os.WriteFile(p, data[:cut], 0o600)
		if _, err := Inspect(p); err == nil {
			t.Errorf("a backup cut at %d of %d bytes passed", cut, len(data))
		} else if !strings.ContainsAny(err.Error(), "文件不完整损坏空") {
			t.Errorf("cut at %d: %v", cut, err)
		}
		if cut > 0 {
			if d, err := Open(p, Options{}); err == nil {
				d.Close()
				t.Errorf("a database cut at %d opened", cut)
			}
		}
	}
	// a file of random bytes, and one with its first page zeroed
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("不是数据库", 3000)), 0o600)
	if _, err := Inspect(junk); err == nil || !errors.Is(err, ErrCorrupt) {
		t.Errorf("junk: %v", err)
	}
}
