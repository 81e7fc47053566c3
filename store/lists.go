package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/klauspost/compress/flate"
	bolt "go.etcd.io/bbolt"

	"bidui/engine"
	"bidui/internal/par"
)

// SaveListImport stores one imported department file and its rows, and marks
// the imports it supersedes, in one transaction. The record's Seq is
// assigned here.
//
// mapping, when not nil, is the column mapping the officer confirmed (field
// key → normalised header text), remembered for the list's next file in the
// same transaction. ahead, when not nil, holds the rows' blocks packed
// while the file was read.
func (db *DB) SaveListImport(rec engine.ListImport, rows []engine.DeptRow, ahead *RowPacker, supersede []int, mapping map[string]string, e engine.AuditEntry) (engine.ListImport, error) {
	var mdata []byte
	if mapping != nil {
		var err error
		if mdata, err = json.Marshal(mapping); err != nil {
			return rec, err
		}
	}
	err := db.update(func(tx *bolt.Tx) error {
		if mdata != nil {
			if err := tx.Bucket(bucketMappings).Put([]byte(rec.Dept+"/"+rec.List), mdata); err != nil {
				return err
			}
		}
		lb := tx.Bucket(bucketLists)
		seq, err := lb.NextSequence()
		if err != nil {
			return err
		}
		rec.Seq = int(seq)
		for _, old := range supersede {
			v := lb.Get(seqKey(uint64(old)))
			if v == nil {
				return fmt.Errorf("要替换的第%d次导入不存在", old)
			}
			var o engine.ListImport
			if err := json.Unmarshal(v, &o); err != nil {
				return err
			}
			o.SupersededBy = rec.Seq
			data, err := json.Marshal(o)
			if err != nil {
				return err
			}
			if err := lb.Put(seqKey(uint64(old)), data); err != nil {
				return err
			}
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := lb.Put(seqKey(seq), data); err != nil {
			return err
		}
		rb, err := tx.Bucket(bucketListRows).CreateBucket(seqKey(seq))
		if err != nil {
			return err
		}
		rb.FillPercent = 0.95
		if err := putRowBlocks(rb, rows, ahead); err != nil {
			return err
		}
		return audit(tx, e)
	})
	return rec, err
}

// ListImports returns every department import, oldest first; period ""
// means all periods.
func (db *DB) ListImports(period string) ([]engine.ListImport, error) {
	var out []engine.ListImport
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLists).ForEach(func(k, v []byte) error {
			var r engine.ListImport
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("%w：导入记录无法读取", ErrCorrupt)
			}
			if period == "" || r.Period == period {
				out = append(out, r)
			}
			return nil
		})
	})
	return out, err
}

// ErrNoImport means there is no department import with that number.
var ErrNoImport = errors.New("没有这次导入记录")

// ListImport returns one import record.
func (db *DB) ListImport(seq int) (engine.ListImport, error) {
	var r engine.ListImport
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketLists).Get(seqKey(uint64(seq)))
		if v == nil {
			return ErrNoImport
		}
		return json.Unmarshal(v, &r)
	})
	return r, err
}

// ListRows returns the kept rows of an import, in file order.
func (db *DB) ListRows(seq int) ([]engine.DeptRow, error) {
	var out []engine.DeptRow
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketListRows).Bucket(seqKey(uint64(seq)))
		if b == nil {
			return ErrNoImport
		}
		var values [][]byte // valid while the transaction is open
		b.ForEach(func(_, v []byte) error { values = append(values, v); return nil })
		// blocks decoded on every core, each into its own slice, then laid
		// end to end in key order
		parts := make([][]engine.DeptRow, len(values))
		err := par.Each(len(values), len(values), func(i int) error {
			v := values[i]
			var err error
			if len(v) > 0 && v[0] == rowBlock {
				parts[i], err = decodeRowBlock(v, make([]engine.DeptRow, 0, rowsPerBlock))
			} else {
				var r engine.DeptRow
				if r, err = decodeRow(v); err == nil {
					parts[i] = []engine.DeptRow{r}
				}
			}
			if err != nil {
				return fmt.Errorf("%w：第%d次导入的行数据无法读取", ErrCorrupt, seq)
			}
			return nil
		})
		if err != nil {
			return err
		}
		n := 0
		for _, p := range parts {
			n += len(p)
		}
		out = make([]engine.DeptRow, 0, n)
		for _, p := range parts {
			out = append(out, p...)
		}
		return nil
	})
	return out, err
}

// Mapping returns the column mapping the officer confirmed for a list:
// field key → normalised header text.
func (db *DB) Mapping(dept, list string) (map[string]string, error) {
	m := map[string]string{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMappings).Get([]byte(dept + "/" + list)); v != nil {
			return json.Unmarshal(v, &m)
		}
		return nil
	})
	return m, err
}

// rowFormat 2 adds the field at fault after the problem.
const rowFormat = 2

func encodeRow(r *engine.DeptRow) []byte {
	return appendRow(make([]byte, 0, rowSize(r)), r)
}

// rowSize is about the size of a row's record (cells of up to 16 KB: exact).
func rowSize(r *engine.DeptRow) int {
	n := 8 + len(r.Problem) + len(r.Field)
	for _, c := range r.Cells {
		n += len(c) + 2
	}
	return n
}

// appendRow appends a row's record to buf.
func appendRow(buf []byte, r *engine.DeptRow) []byte {
	buf = append(buf, rowFormat)
	buf = binary.AppendUvarint(buf, uint64(r.Line))
	buf = binary.AppendUvarint(buf, uint64(r.DupOf))
	buf = binary.AppendUvarint(buf, uint64(len(r.Problem)))
	buf = append(buf, r.Problem...)
	buf = binary.AppendUvarint(buf, uint64(len(r.Field)))
	buf = append(buf, r.Field...)
	buf = binary.AppendUvarint(buf, uint64(len(r.Cells)))
	for _, c := range r.Cells {
		buf = binary.AppendUvarint(buf, uint64(len(c)))
		buf = append(buf, c...)
	}
	return buf
}

var errBadRow = errors.New("bad row record")

func decodeRow(v []byte) (engine.DeptRow, error) {
	return decodeRowString(string(v)) // one copy; the cells are slices of it
}

// uvarint is binary.Uvarint over a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -(i + 1)
			}
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

// cutField cuts a length-prefixed field (uvarint length, then the bytes)
// from the front of s.
func cutField(s string) (field, rest string, ok bool) {
	l, n := uvarint(s)
	if n <= 0 || uint64(len(s)-n) < l {
		return "", "", false
	}
	return s[n : n+int(l)], s[n+int(l):], true
}

func decodeRowString(v string) (engine.DeptRow, error) {
	var r engine.DeptRow
	if len(v) < 1 || (v[0] != rowFormat && v[0] != 1) {
		return r, errBadRow
	}
	format := v[0]
	pos := 1
	next := func() (uint64, bool) {
		x, n := uvarint(v[pos:])
		if n <= 0 {
			return 0, false
		}
		pos += n
		return x, true
	}
	str := func() (string, bool) {
		s, rest, ok := cutField(v[pos:])
		pos = len(v) - len(rest)
		return s, ok
	}
	line, ok1 := next()
	dup, ok2 := next()
	prob, ok3 := str()
	field := ""
	if format >= 2 {
		var ok bool
		if field, ok = str(); !ok {
			return r, errBadRow
		}
	}
	nc, ok4 := next()
	if !ok1 || !ok2 || !ok3 || !ok4 || nc > uint64(len(v)) {
		return r, errBadRow
	}
	r.Line, r.DupOf, r.Problem, r.Field = int(line), int(dup), prob, field
	r.Cells = make([]string, nc)
	for i := range r.Cells {
		c, ok := str()
		if !ok {
			return r, errBadRow
		}
		r.Cells[i] = c
	}
	return r, nil
}

// Department rows are stored in blocks of rowsPerBlock (schema 9): each
// block one value, rowBlock and then a DEFLATE stream of the rows, each as
// its length and encodeRow. The rows of a list are much alike (the same
// hospital, date and department words), so a block keeps a fraction of
// their size; an import's rows are always read whole. Rows stored one per
// value by older versions are read as they are.
const (
	rowBlock     = 0xB1
	rowsPerBlock = 512
)

// putRowBlocks stores rows in line order, as they stand in the file.
// ahead, when not nil, has packed the leading blocks of the same rows
// while they were read; the rest are packed here, on every core.
func putRowBlocks(b *bolt.Bucket, rows []engine.DeptRow, ahead *RowPacker) error {
	var blocks [][]byte
	if slices.IsSortedFunc(rows, byLine) {
		blocks = ahead.take(rows)
	} else {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, byLine)
	}
	done := len(blocks)
	blocks = append(blocks, make([][]byte, (len(rows)+rowsPerBlock-1)/rowsPerBlock-done)...)
	err := par.Each(len(blocks)-done, 8, func(i int) (err error) {
		n := done + i
		blocks[n], err = packRowBlock(rows[n*rowsPerBlock : min((n+1)*rowsPerBlock, len(rows))])
		return err
	})
	if err != nil {
		return err
	}
	return putBlocks(b, blocks)
}

func byLine(x, y engine.DeptRow) int { return x.Line - y.Line }

// packRowBlock is one block of rows as it is stored. bbolt keeps the values
// until commit, so each block is its own slice.
func packRowBlock(rows []engine.DeptRow) ([]byte, error) {
	size := 0
	for i := range rows {
		size += rowSize(&rows[i]) + 3
	}
	raw := make([]byte, 0, size)
	var e []byte
	for i := range rows {
		e = appendRow(e[:0], &rows[i])
		raw = binary.AppendUvarint(raw, uint64(len(e)))
		raw = append(raw, e...)
	}
	var buf bytes.Buffer
	buf.Grow(len(raw)/3 + 64)
	buf.WriteByte(rowBlock)
	w := rowWriters.Get().(*flate.Writer)
	defer rowWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// RowPacker packs a department file's rows into the blocks they are
// stored in while the rest of the file is still being read, so that
// saving the import has little left to do. Add hands it the rows kept so
// far; SaveListImport takes what it has packed; Close ends it unused.
type RowPacker struct {
	work   chan []engine.DeptRow // whole blocks of rows, in order
	done   chan struct{}
	once   sync.Once
	handed int // rows handed over, in whole blocks
	blocks [][]byte
	lines  []int // each block's last line, to know its rows again
	err    error
}

// NewRowPacker starts packing on a goroutine of its own.
func NewRowPacker() *RowPacker {
	p := &RowPacker{work: make(chan []engine.DeptRow, 64), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for rows := range p.work {
			if p.err != nil {
				continue
			}
			v, err := packRowBlock(rows)
			if p.err = err; err == nil {
				p.blocks, p.lines = append(p.blocks, v), append(p.lines, rows[len(rows)-1].Line)
			}
		}
	}()
	return p
}

// Add hands over rows, every row kept so far in line order: the whole
// blocks not handed over before are packed. The rows handed over must not
// change afterwards (a list's rows are only ever appended to).
func (p *RowPacker) Add(rows []engine.DeptRow) {
	for ; p.handed+rowsPerBlock <= len(rows); p.handed += rowsPerBlock {
		p.work <- rows[p.handed : p.handed+rowsPerBlock]
	}
}

// Close ends the packing and waits for it; a nil packer is closed.
func (p *RowPacker) Close() {
	if p == nil {
		return
	}
	p.once.Do(func() { close(p.work) })
	<-p.done
}

// take ends the packing and returns the blocks packed when they end at the
// lines of rows' leading blocks (the packer was handed these rows); none
// otherwise.
func (p *RowPacker) take(rows []engine.DeptRow) [][]byte {
	if p == nil {
		return nil
	}
	p.Close()
	if p.err != nil || len(p.blocks)*rowsPerBlock > len(rows) {
		return nil
	}
	for n, line := range p.lines {
		if rows[(n+1)*rowsPerBlock-1].Line != line {
			return nil
		}
	}
	return p.blocks
}

// putBlocks puts blocks into b keyed by their number, four bytes big-endian,
// in key order; bbolt keeps the values until commit, and each is its own.
func putBlocks(b *bolt.Bucket, blocks [][]byte) error {
	for n, v := range blocks {
		k := make([]byte, 4)
		binary.BigEndian.PutUint32(k, uint32(n))
		if err := b.Put(k, v); err != nil {
			return err
		}
	}
	return nil
}

var rawBlocks = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var rowReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// rowWriters are DEFLATE writers at the fastest level, reused: klauspost's
// flate writes the same format as compress/flate (blocks written by
// either read with either), several times faster.
var rowWriters = sync.Pool{New: func() any {
	w, err := flate.NewWriter(nil, flate.BestSpeed)
	if err != nil {
		panic(err) // only for a level out of range
	}
	return w
}}

func decodeRowBlock(v []byte, out []engine.DeptRow) ([]engine.DeptRow, error) {
	r := rowReaders.Get().(io.ReadCloser)
	defer rowReaders.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(v[1:]), nil); err != nil {
		return out, errBadRow
	}
	raw := rawBlocks.Get().(*bytes.Buffer)
	defer rawBlocks.Put(raw)
	raw.Reset()
	if _, err := raw.ReadFrom(r); err != nil {
		return out, errBadRow
	}
	s := raw.String() // one copy for the block; the cells are slices of it
	for len(s) > 0 {
		row, rest, ok := cutField(s)
		if !ok {
			return out, errBadRow
		}
		r, err := decodeRowString(row)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		s = rest
	}
	return out, nil
}
