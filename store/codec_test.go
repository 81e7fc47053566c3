package store

import (
	"bytes"
	stdflate "compress/flate"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
	bolt "go.etcd.io/bbolt"

	"bidui/engine"
)

func openStore(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRowBlocksKeepEveryRow: an import of more rows than a block, handed
// over out of line order, with problems, empty and non-ASCII cells, comes
// back whole and in line order; an import stored one row per value (as
// before schema 9) still reads.
func TestRowBlocksKeepEveryRow(t *testing.T) {
	db := openStore(t)
	r := rand.New(rand.NewPCG(3, 4))
	rows := make([]engine.DeptRow, 3*rowsPerBlock+7)
	for i := range rows {
		rows[i] = engine.DeptRow{Line: i + 3, Cells: []string{fmt.Sprintf("张%d", r.IntN(1000)), fmt.Sprintf("5304%014d", r.Int64N(1e14)), "", "第一人民医院", fmt.Sprintf("%d.%02d", r.IntN(90000), r.IntN(100))}}
		if i%97 == 0 {
			rows[i].Problem, rows[i].Field, rows[i].DupOf = "身份证号校验位不对", "身份证号", i+2
		}
	}
	want := append([]engine.DeptRow(nil), rows...)
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	rec, err := db.SaveListImport(engine.ListImport{Period: "2026-11", Dept: "医保局", List: "住院自付"}, rows, nil, nil, nil, engine.AuditEntry{Action: "t"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.ListRows(rec.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read %d rows back, want %d in line order", len(got), len(want))
	}

	// an import as schema 8 stored it: one value per row, keyed by line
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketListRows).CreateBucket(seqKey(99))
		if err != nil {
			return err
		}
		for i := range want[:40] {
			k := make([]byte, 8)
			binary.BigEndian.PutUint32(k, uint32(want[i].Line))
			if err := b.Put(k, encodeRow(&want[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	old, err := db.ListRows(99)
	if err != nil || !reflect.DeepEqual(old, want[:40]) {
		t.Fatalf("rows stored one per value: %d read, %v", len(old), err)
	}

	// a block as the build before packed it, with the standard library's DEFLATE
	var raw, block bytes.Buffer
	var n [binary.MaxVarintLen64]byte
	for i := range want[:70] {
		e := encodeRow(&want[i])
		raw.Write(n[:binary.PutUvarint(n[:], uint64(len(e)))])
		raw.Write(e)
	}
	block.WriteByte(rowBlock)
	w, _ := stdflate.NewWriter(&block, stdflate.BestSpeed)
	w.Write(raw.Bytes())
	w.Close()
	got, err = decodeRowBlock(block.Bytes(), nil)
	if err != nil || !reflect.DeepEqual(got, want[:70]) {
		t.Fatalf("a block packed by compress/flate: %d rows read, %v", len(got), err)
	}
}

func sampleClue(id string) engine.Clue {
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	return engine.Clue{ID: id, Key: "风险|H|530428001003001871", Period: id[:7], Kind: engine.KindRisk, Source: "部门比对",
		Township: "城关镇", Village: "新寨村", Household: "530428001003001871", Head: "段荣美", Category: 2,
		Persons: []engine.CluePerson{{Name: "段兰", ID: "530428200508050948"}},
		Risks: []engine.Risk{{Dept: "医保局", List: "住院自付", Type: "因病", Amount: 1234500, Detail: "住院自付 个人自付金额 12,345.00 元",
			Person: "530428200508050948", Name: "段兰", Import: 4, Lines: []int{17, 18}, File: "医保局_住院自付_2026年11月.xlsx", Added: at,
			Rule: "个人自付金额 12,345.00 元 ≥ 5,000.00 元（名册内）"}},
		Status: engine.StatusPending, Created: at, Updated: at}
}

// TestRowsPackedAheadAreStoredAsTheRest: rows handed to a RowPacker as they
// were read — in steps that end inside a block, the last block left to the
// save — are stored block for block as SaveListImport packs them alone; a
// packer whose blocks are of other rows is not used.
func TestRowsPackedAheadAreStoredAsTheRest(t *testing.T) {
	db := openStore(t)
	r := rand.New(rand.NewPCG(5, 6))
	rows := make([]engine.DeptRow, 5*rowsPerBlock+33)
	for i := range rows {
		rows[i] = engine.DeptRow{Line: i + 3, Cells: []string{fmt.Sprintf("王%d", r.IntN(1000)), fmt.Sprintf("5304%014d", r.Int64N(1e14)), fmt.Sprintf("%d.%02d", r.IntN(90000), r.IntN(100))}}
	}
	blocksOf := func(seq int) [][]byte {
		var out [][]byte
		err := db.bolt.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketListRows).Bucket(seqKey(uint64(seq))).ForEach(func(k, v []byte) error {
				out = append(out, bytes.Clone(v))
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	save := func(rows []engine.DeptRow, ahead *RowPacker) int {
		rec, err := db.SaveListImport(engine.ListImport{Period: "2026-11", Dept: "医保局", List: "住院自付"}, rows, ahead, nil, nil, engine.AuditEntry{Action: "t"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ListRows(rec.Seq)
		if err != nil || !reflect.DeepEqual(got, rows) {
			t.Fatalf("read back %d rows (%v), want %d", len(got), err, len(rows))
		}
		return rec.Seq
	}
	alone := blocksOf(save(rows, nil))

	p := NewRowPacker()
	for _, n := range []int{100, 700, 700, 2000, len(rows)} {
		p.Add(rows[:n])
	}
	ahead := blocksOf(save(rows, p))
	if len(p.blocks) != len(rows)/rowsPerBlock || !reflect.DeepEqual(ahead, alone) {
		t.Fatalf("%d blocks packed ahead; stored blocks the same as packed alone: %v", len(p.blocks), reflect.DeepEqual(ahead, alone))
	}

	other := make([]engine.DeptRow, len(rows))
	for i := range other {
		other[i] = engine.DeptRow{Line: i + 3, Cells: []string{"李", "x"}}
	}
	q := NewRowPacker()
	q.Add(other)
	shifted := slices.Clone(rows)
	for i := range shifted {
		shifted[i].Line += 10
	}
	save(shifted, q) // read back as shifted: q's blocks were not used
	q.Close()
}

// TestCluesArePackedAndReadBack: a clue is stored in a fraction of its
// JSON and reads back equal; a clue stored as plain JSON (before schema 9)
// still reads.
func TestCluesArePackedAndReadBack(t *testing.T) {
	db := openStore(t)
	c := sampleClue("2026-11-0001")
	c.Feedback = &engine.Feedback{Outcome: "不纳入", Reason: "经入户核实，家庭收入稳定", Verifier: "李", Date: "2026-12-01", At: c.Created, Operator: "王"}
	c.History = []engine.ClueEvent{{At: c.Created, Operator: "王", Action: "交办", New: "青防交〔2026〕11-01号"}}
	if err := db.SaveClue(c, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	plain, _ := json.Marshal(c)
	var stored []byte
	db.bolt.View(func(tx *bolt.Tx) error {
		stored = append([]byte(nil), tx.Bucket(bucketClues).Get([]byte(c.ID))...)
		return nil
	})
	if stored[0] != packedSmall || len(stored)*2 > len(plain) {
		t.Errorf("clue stored in %d bytes (format %d), its JSON is %d", len(stored), stored[0], len(plain))
	}
	got, ok, err := db.Clue(c.ID)
	if err != nil || !ok || !reflect.DeepEqual(got, c) {
		t.Fatalf("packed clue read back as %+v, %v", got, err)
	}

	old := sampleClue("2026-10-0001")
	db.bolt.Update(func(tx *bolt.Tx) error {
		data, _ := json.Marshal(old)
		return tx.Bucket(bucketClues).Put([]byte(old.ID), data)
	})
	got, ok, err = db.Clue(old.ID)
	if err != nil || !ok || !reflect.DeepEqual(got, old) {
		t.Fatalf("plain JSON clue read back as %+v, %v", got, err)
	}
	if err := unpack([]byte{7, 1, 2}, &got); err == nil {
		t.Error("a damaged value was read without an error")
	}
}

func ids(clues []engine.Clue) []string {
	out := []string{}
	for _, c := range clues {
		out = append(out, c.ID)
	}
	return out
}

func closeClue(c *engine.Clue, day string) {
	at, _ := time.Parse("2006-01-02", day)
	c.Status, c.Feedback = engine.StatusClosed, &engine.Feedback{Outcome: "不纳入", Reason: "核实", Verifier: "李", Date: day, At: at}
}

// TestLiveIndexFollowsStatus: the live index gives the open clues before a
// period and those closed since a day, and follows a clue that is closed,
// reopened, or closed on another day.
func TestLiveIndexFollowsStatus(t *testing.T) {
	db := openStore(t)
	var clues []engine.Clue
	for _, id := range []string{"2026-08-0001", "2026-08-0002", "2026-09-0001", "2026-09-0002", "2026-10-0001", "2026-11-0001"} {
		clues = append(clues, sampleClue(id))
	}
	closeClue(&clues[1], "2026-09-20") // 08-0002 closed long ago
	closeClue(&clues[3], "2026-10-15") // 09-0002 closed in October
	if err := db.SaveClues(clues, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	check := func(before, since string, want ...string) {
		t.Helper()
		got, err := db.LiveClues(before, since)
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(want)
		if w := append([]string{}, want...); !reflect.DeepEqual(ids(got), w) {
			t.Errorf("LiveClues(%s, %s) = %v, want %v", before, since, ids(got), w)
		}
	}
	check("2026-11", "", "2026-08-0001", "2026-09-0001", "2026-10-0001")
	check("2026-10", "2026-10-01", "2026-08-0001", "2026-09-0001", "2026-09-0002")
	check("2026-12", "2026-09-01", "2026-08-0001", "2026-08-0002", "2026-09-0001", "2026-09-0002", "2026-10-0001", "2026-11-0001")

	// reopened: open again; closed on another day: found by that day only
	c := clues[1]
	c.Status, c.Feedback = engine.StatusAssigned, nil
	if err := db.SaveClue(c, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	c = clues[3]
	closeClue(&c, "2026-09-25")
	if err := db.SaveClue(c, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	c = clues[0]
	closeClue(&c, "2026-11-02")
	if err := db.SaveClue(c, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	check("2026-11", "", "2026-08-0002", "2026-09-0001", "2026-10-0001")
	check("2026-11", "2026-10-01", "2026-08-0001", "2026-08-0002", "2026-09-0001", "2026-10-0001")
	check("2026-11", "2026-09-21", "2026-08-0001", "2026-08-0002", "2026-09-0001", "2026-09-0002", "2026-10-0001")

	got, err := db.CluesBetween("2026-09", "2026-11")
	if err != nil || !reflect.DeepEqual(ids(got), []string{"2026-09-0001", "2026-09-0002", "2026-10-0001"}) {
		t.Errorf("CluesBetween = %v, %v", ids(got), err)
	}
}

// TestSchema8CluesArePackedAndIndexedOnUpgrade: clues and follow-ups a
// schema 8 database holds as plain JSON are packed when it is opened, and
// its open clues are in the live index.
func TestSchema8CluesArePackedAndIndexedOnUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	open, closed := sampleClue("2026-09-0001"), sampleClue("2026-09-0002")
	closeClue(&closed, "2026-10-03")
	f := engine.FollowUp{Period: "2026-10", Key: open.Key, Of: open.ID, Risk: open.Risks[0]}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for _, c := range []engine.Clue{open, closed} {
			data, _ := json.Marshal(c)
			if err := tx.Bucket(bucketClues).Put([]byte(c.ID), data); err != nil {
				return err
			}
		}
		// schema 8: one follow-up per value, indexed by household and person
		data, _ := json.Marshal(f)
		oldKey := f.Period + "\x00" + f.ID()
		if err := tx.Bucket(bucketFollowUps).Put([]byte(oldKey), data); err != nil {
			return err
		}
		if err := tx.Bucket(bucketClueIndex).Put([]byte("FP:"+f.Risk.Person+"\x00"+oldKey), nil); err != nil {
			return err
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 8)
		return tx.Bucket(bucketMeta).Put(keySchema, v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.UpgradedFrom != 8 {
		t.Errorf("upgraded from %d, want 8", db.UpgradedFrom)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		for _, k := range []string{open.ID, closed.ID} {
			if v := tx.Bucket(bucketClues).Get([]byte(k)); v[0] != packedSmall {
				t.Errorf("clue %s not packed on upgrade", k)
			}
		}
		if v := tx.Bucket(bucketFollowUps).Get(followUpBlockKey(f.Period, 0)); v == nil || (v[0] != packedSmall && v[0] != packedJSON) {
			t.Error("follow-up not put in a packed block on upgrade")
		}
		if n := tx.Bucket(bucketFollowUps).Stats().KeyN; n != 1 {
			t.Errorf("%d follow-up records after the upgrade, want 1", n)
		}
		k, _ := tx.Bucket(bucketClueIndex).Cursor().Seek([]byte("FP:"))
		if k != nil && string(k[:3]) == "FP:" {
			t.Errorf("the old index entry %q is left", k)
		}
		return nil
	})
	live, err := db.LiveClues("2026-11", "2026-10-01")
	if err != nil || !reflect.DeepEqual(ids(live), []string{open.ID, closed.ID}) {
		t.Errorf("live clues after upgrade: %v %v", ids(live), err)
	}
	fs, err := db.FollowUps("2026-10")
	if err != nil || len(fs) != 1 || !reflect.DeepEqual(fs[0], f) {
		t.Errorf("follow-ups after upgrade: %+v %v", fs, err)
	}
	fs, err = db.FollowUpsOf(open.Key)
	if err != nil || len(fs) != 1 || !reflect.DeepEqual(fs[0], f) {
		t.Errorf("follow-ups of the household after upgrade: %+v %v", fs, err)
	}
}

// TestFollowUpBlocks: a period's follow-ups — more than a block, a
// household's three lists straddling blocks — come back whole, in ID order,
// by period and by clue key; comparing the period again replaces them (a
// key no longer there keeps no index entry for it); raising one by hand
// changes that one only.
func TestFollowUpBlocks(t *testing.T) {
	db := openStore(t)
	var fs []engine.FollowUp
	for i := range 300 {
		hh := fmt.Sprintf("5304280010030%05d", i)
		if i%50 == 0 {
			hh = "" // off the roster
		}
		for j, list := range []string{"住院自付", "门诊自付", "新增救助"} {
			person := fmt.Sprintf("530428200508%06d", i*3+j)
			fs = append(fs, engine.FollowUp{Period: "2026-10", Kind: engine.KindRisk, Key: engine.ClueKey(engine.KindRisk, hh, person), Household: hh,
				Risk: engine.Risk{Dept: "医保局", List: list, Person: person, Amount: engine.Amount(100 * (i + j))}})
		}
	}
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
	if err := db.SaveMatch(engine.MatchRun{Period: "2026-10"}, nil, fs, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	// and a month before, so that keys have two periods
	earlier := append([]engine.FollowUp(nil), fs[:100]...)
	for i := range earlier {
		earlier[i].Period = "2026-09"
	}
	if err := db.SaveMatch(engine.MatchRun{Period: "2026-09"}, nil, earlier, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FollowUps("2026-10")
	if err != nil || len(got) != len(fs) {
		t.Fatalf("%d follow-ups back of %d: %v", len(got), len(fs), err)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].ID() >= got[i].ID() {
			t.Errorf("follow-ups out of ID order: %s before %s", got[i-1].ID(), got[i].ID())
		}
	}
	byKey := map[string][]engine.FollowUp{}
	for _, f := range append(append([]engine.FollowUp(nil), earlier...), fs...) {
		byKey[f.Key] = append(byKey[f.Key], f)
	}
	for key, want := range byKey {
		of, err := db.FollowUpsOf(key)
		if err != nil {
			t.Fatal(err)
		}
		if len(of) != len(want) {
			t.Fatalf("%d follow-ups of %s, want %d", len(of), key, len(want))
		}
		for i := 1; i < len(of); i++ {
			if of[i-1].Period > of[i].Period {
				t.Errorf("follow-ups of %s not oldest first", key)
			}
		}
	}
	hh := engine.ClueKey(engine.KindRisk, "530428001003000085", "")
	of, _ := db.FollowUpsOf(hh)
	if len(of) != 3 {
		t.Fatalf("%d follow-ups of the household, want 3", len(of))
	}
	raised := of[1]
	raised.Raised = "2026-10-0009"
	if err := db.RaiseFollowUp(raised, sampleClue("2026-10-0009"), engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	of, _ = db.FollowUpsOf(hh)
	for _, f := range of {
		if (f.Raised != "") != (f.ID() == raised.ID()) {
			t.Errorf("after raising %s: %s raised %q", raised.ID(), f.ID(), f.Raised)
		}
	}
	// compared again: that household's follow-ups are gone
	var keep []engine.FollowUp
	for _, f := range fs {
		if f.Key != hh {
			keep = append(keep, f)
		}
	}
	if err := db.SaveMatch(engine.MatchRun{Period: "2026-10"}, nil, keep, engine.AuditEntry{Action: "t"}); err != nil {
		t.Fatal(err)
	}
	if of, _ := db.FollowUpsOf(hh); len(of) != 0 {
		t.Errorf("%d follow-ups of the household after comparing again, want none", len(of))
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketClueIndex).Get(followUpIndexKey(hh)) != nil {
			t.Error("the index entry of a key no longer there is left")
		}
		return nil
	})
	if got, _ := db.FollowUps("2026-10"); len(got) != len(keep) {
		t.Errorf("%d follow-ups after comparing again, want %d", len(got), len(keep))
	}
	if got, _ := db.FollowUps("2026-09"); len(got) != len(earlier) {
		t.Errorf("%d follow-ups of the month before, want %d", len(got), len(earlier))
	}
}

// TestSmallPackedFormatIsStable: a clue packed with S2 (format 3) still
// reads back the same; a value of that format damaged by one bit is
// refused, never read as another clue; a record too large for it is packed
// with zstd and reads back.
func TestSmallPackedFormatIsStable(t *testing.T) {
	data := goldenClue(t, "with S2", "A4Tr3mqqBhUAIywwMDEwMDMwMDE4NzFyhAcU6aOO6ZmpLq4FZn4HFOWfjuWFs0KEBxCWsOWvqEaKB1KJADxoZWFkIjoi5q616I2j576ORqUHADJRwzKlBxTmrrXlhbAuqwdEMjgyMDA1MDgwNTA5NDgifV0scYwVAEEMMjM0NRUAJhAyLDM0NU3KKXcujAMysQB1mBnbeZ4ANHmeEDE3LDE4caIVAF8uxwC6ogMOMwkVAHgEIn0=")
	got := sampleClue("2026-11-0001")
	for i := 1; i < len(data); i++ {
		for bit := 0; bit < 8; bit++ {
			bad := bytes.Clone(data)
			bad[i] ^= 1 << bit
			var c engine.Clue
			if err := unpack(bad, &c); err == nil && !reflect.DeepEqual(c, got) {
				t.Fatalf("byte %d bit %d flipped: read as another clue %+v", i, bit, c)
			}
		}
	}
	big := sampleClue("2026-11-0002")
	for len(big.History) < 60 {
		big.History = append(big.History, engine.ClueEvent{At: big.Created, Operator: "王", Action: "录入核查结果", New: "经入户核实，家庭收入稳定"})
	}
	v, err := pack(big)
	if err != nil || v[0] != packedJSON {
		t.Fatalf("a large record packed as format %d, %v", v[0], err)
	}
	var back engine.Clue
	if err := unpack(v, &back); err != nil || !reflect.DeepEqual(back, big) {
		t.Fatalf("a large record read back as %+v, %v", back, err)
	}
}

// TestPackedFormatIsStable: a clue packed when schema 9 was made still
// reads back the same. Changing packDict, the dictionary ID or the codec
// breaks this: every county's stored clues would become unreadable.
func TestPackedFormatIsStable(t *testing.T) {
	goldenClue(t, "by schema 9", "Aii1L/1FAAEqAt0EAIQEMDAxMDAzMDAxODcx5Z+O5YWzlrDlr6jmrrXojaPnvo4y5q615YWwMjgyMDA1MDgwNTA5NDgifV0yMzQ1MiwzNDU0MTcsMTh9GwACm0AKgAiUhgOstEgKIIcWaF4DY7NoQDMHAIsemJSPBQLFydhyPXMFvot69vd5ZsB4HQaJATSePX14nivwbENsmcPseYDDcwUYBJbsbWYgvgN6FQ==")
}

// goldenClue decodes a clue packed once and pinned here, in base64, and
// checks that it still reads as sampleClue; it returns the packed bytes.
func goldenClue(t *testing.T, how, packed string) []byte {
	t.Helper()
	data, err := base64.StdEncoding.DecodeString(packed)
	if err != nil {
		t.Fatal(err)
	}
	var got engine.Clue
	if err := unpack(data, &got); err != nil {
		t.Fatalf("a clue packed %s no longer reads: %v", how, err)
	}
	if want := sampleClue("2026-11-0001"); !reflect.DeepEqual(got, want) {
		t.Errorf("a clue packed %s read back as %+v", how, got)
	}
	return data
}

// TestPersonBlocksKeepTheRoster: a roster is stored in blocks and comes back
// in the roster's order whether it was handed over in that order or not,
// after an undo, and counted; a damaged block is refused, never read as
// other persons; persons stored one per value (schema 9) still read.
func TestPersonBlocksKeepTheRoster(t *testing.T) {
	db := openStore(t)
	r := rand.New(rand.NewPCG(7, 8))
	persons := func(n int, town string) []engine.Person {
		out := make([]engine.Person, n)
		for i := range out {
			id := fmt.Sprintf("5304%013d", r.Int64N(1e13))
			out[i] = engine.Person{ID: id + string(engine.IDCheckDigit(id)), Name: "张", Township: town + fmt.Sprint(r.IntN(3)),
				Village: fmt.Sprintf("村%d", r.IntN(5)), HouseholdNo: fmt.Sprintf("H%04d", r.IntN(400)), Relation: "户主", Line: i + 3,
				Category: engine.CategoryMonitored, MonitorType: "突发严重困难户", Phone: "139" + fmt.Sprint(i)}
		}
		return out
	}
	first := engine.NewRoster(persons(3000, "东山乡")).Persons // in the roster's order
	second := persons(2000, "西河镇")                          // in the file's order
	check := func(what string, want []engine.Person) {
		t.Helper()
		got, err := db.Roster()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Persons, engine.NewRoster(slices.Clone(want)).Persons) {
			t.Fatalf("%s: the roster does not read back whole and in its order", what)
		}
		db.bolt.View(func(tx *bolt.Tx) error {
			if n := personCount(tx.Bucket(bucketPersons)); n != len(want) {
				t.Errorf("%s: %d persons counted, want %d", what, n, len(want))
			}
			return nil
		})
	}
	if _, err := db.ReplaceRoster(first, engine.RosterImport{}, nil, engine.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket(bucketPersons).Stats().KeyN; n != (len(first)+personsPerBlock-1)/personsPerBlock {
			t.Errorf("%d values for %d persons: not in blocks", n, len(first))
		}
		return nil
	})
	check("in order", first)
	if _, err := db.ReplaceRoster(second, engine.RosterImport{}, nil, engine.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	check("out of order", second)
	if _, err := db.UndoRoster(time.Now(), engine.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	check("after an undo", first)

	// one bit of a block flipped: refused
	var block []byte
	db.bolt.View(func(tx *bolt.Tx) error {
		_, v := tx.Bucket(bucketPersons).Cursor().First()
		block = bytes.Clone(v)
		return nil
	})
	good := make([]engine.Person, min(personsPerBlock, len(first)))
	if err := decodePersonBlock(block, good); err != nil || !slices.Equal(good, first[:len(good)]) {
		t.Fatalf("the first block: %v", err)
	}
	for _, n := range []int{len(good) - 1, len(good) + 1} { // a block holding other than its count
		if err := decodePersonBlock(block, make([]engine.Person, n)); err == nil {
			t.Fatalf("a block of %d persons decoded into %d", len(good), n)
		}
	}
	for i := 1; i < len(block); i += 7 {
		bad := bytes.Clone(block)
		bad[i] ^= 0x10
		got := make([]engine.Person, len(good))
		if err := decodePersonBlock(bad, got); err == nil && !slices.Equal(got, good) {
			t.Fatalf("byte %d flipped: read as other persons", i)
		}
	}

	// persons as schema 9 stored them: one value each, keyed by ID
	db.bolt.Update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(bucketPersons)
		b, _ := tx.CreateBucket(bucketPersons)
		for i := range second {
			b.Put([]byte(second[i].ID), encodePerson(nil, &second[i]))
		}
		return nil
	})
	check("one value per person", second)
}

// TestRecordsDecodeAsEncodingJSONDecodes: the records pack writes with
// goccy/go-json read with encoding/json as they were, and the JSON
// encoding/json wrote (every clue before this) reads with decodeJSON as
// encoding/json reads it — on clues of every shape: nil and empty lists,
// no result and a result, text with escapes, quotes, line ends, U+2028,
// characters outside the BMP and invalid UTF-8, times in UTC, in +08:00
// and zero, large and negative amounts.
func TestRecordsDecodeAsEncodingJSONDecodes(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	texts := []string{"", "张三", `引号"和\反斜杠`, "换\n行\r\t", "\u2028\u2029", "𠀀𡃁", "bad\xff\xfeutf8", "<&>", strings.Repeat("长", 3000)}
	text := func() string { return texts[r.IntN(len(texts))] }
	cst := time.FixedZone("CST", 8*3600)
	when := func() time.Time {
		switch r.IntN(3) {
		case 0:
			return time.Time{}
		case 1:
			return time.Date(2026, 11, 28, 10, r.IntN(60), 0, r.IntN(1e9), time.UTC)
		}
		return time.Date(2027, 1, 4, 9, 30, 0, 0, cst)
	}
	for i := 0; i < 400; i++ {
		c := sampleClue(fmt.Sprintf("2026-11-%04d", i+1))
		c.Head, c.Note, c.Village = text(), text(), text()
		c.Created, c.Updated = when(), when()
		switch r.IntN(3) {
		case 0:
			c.Persons, c.Risks = nil, nil
		case 1:
			c.Persons, c.Risks = []engine.CluePerson{}, []engine.Risk{}
		default:
			for range r.IntN(4) {
				c.Risks = append(c.Risks, engine.Risk{Dept: text(), Detail: text(), Amount: engine.Amount(r.Int64N(1e12) - 5e11),
					Lines: []int{r.IntN(1e6)}, Added: when(), Late: r.IntN(2) == 0, Rule: text()})
			}
		}
		if r.IntN(2) == 0 {
			c.Feedback = &engine.Feedback{Outcome: "不纳入", Reason: text(), Verifier: text(), At: when()}
			c.History = []engine.ClueEvent{{At: when(), Action: "交办", Old: text(), New: text()}}
		}
		std, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var want, got, back engine.Clue
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		if err := decodeJSON(std, &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("clue %d: encoding/json's JSON decodes otherwise (%v)\n%s", i, err, std)
		}
		packed, err := pack(&c)
		if err != nil {
			t.Fatal(err)
		}
		if err := unpack(packed, &back); err != nil || !reflect.DeepEqual(back, want) {
			t.Fatalf("clue %d: packed and read back otherwise (%v)", i, err)
		}
		if data, _ := gojson.Marshal(c); !bytes.Equal(data, std) {
			var viaStd engine.Clue
			if err := json.Unmarshal(data, &viaStd); err != nil || !reflect.DeepEqual(viaStd, want) {
				t.Fatalf("clue %d: goccy's JSON reads otherwise with encoding/json (%v)", i, err)
			}
		}
	}
	var c engine.Clue
	for _, bad := range []string{`{"id":`, `{"id":"x","persons":[{]}`, `{"risks":[{"amount_fen":"12"}]}`, "\x00", `{"created":"tomorrow"}`} {
		if err := decodeJSON([]byte(bad), &c); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// TestIndexOpsSortAsBytes: index entries come out in bytes.Compare's order
// of their keys — keys shorter than the 16 bytes compared as numbers, keys
// holding zero bytes, keys alike for their first 16 bytes, Chinese names.
func TestIndexOpsSortAsBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	pieces := []string{"P:", "N:", "H:", "O:", "C:", "\x00", "5226011980", "0101", "张", "张三", "2026-11-", "0001", "", "\xff"}
	var x indexOps
	var want [][]byte
	for range 20000 {
		var parts []string
		for range r.IntN(6) {
			parts = append(parts, pieces[r.IntN(len(pieces))])
		}
		x.add(false, parts...)
		want = append(want, []byte(strings.Join(parts, "")))
	}
	x.sort()
	slices.SortFunc(want, bytes.Compare)
	for n := range x.ops {
		if got := x.key(n); !bytes.Equal(got, want[n]) {
			t.Fatalf("entry %d is %q, want %q", n, got, want[n])
		}
	}
}

// TestAnEmptyIndexIsWrittenAsAnyOther: clues written into an empty clue
// index (a county's first comparison: nothing looked up first) leave the
// same entries as the same clues written into an index that already holds
// an entry — persons of one name in a clue, closed clues and all.
func TestAnEmptyIndexIsWrittenAsAnyOther(t *testing.T) {
	var clues []engine.Clue
	for i := range 40 {
		c := sampleClue(fmt.Sprintf("2026-11-%04d", i+1))
		c.Household = fmt.Sprintf("53042800100300%04d", i%7)
		c.Persons = append(c.Persons, engine.CluePerson{Name: "段兰", ID: fmt.Sprintf("53042820050805%04d", i)})
		if i%3 == 0 {
			closeClue(&c, "2026-11-20")
		}
		clues = append(clues, c)
	}
	entries := func(db *DB) []string {
		var out []string
		db.bolt.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketClueIndex).ForEach(func(k, _ []byte) error {
				if !bytes.HasPrefix(k, []byte("Z:")) {
					out = append(out, string(k))
				}
				return nil
			})
		})
		return out
	}
	empty, held := openStore(t), openStore(t)
	held.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketClueIndex).Put([]byte("Z:other"), nil) })
	for _, db := range []*DB{empty, held} {
		if err := db.SaveClues(clues, engine.AuditEntry{Action: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	got, want := entries(empty), entries(held)
	if len(want) < 3*len(clues) || !slices.Equal(got, want) {
		t.Fatalf("%d entries written into an empty index, %d into one holding an entry", len(got), len(want))
	}
	if cl, err := empty.CluesBy("N", "段兰"); err != nil || len(cl) != len(clues) {
		t.Fatalf("by name: %d clues, %v", len(cl), err)
	}
}
