package store

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"slices"
	"sync"

	gojson "github.com/goccy/go-json"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"

	"bidui/internal/par"
)

// Records that are many and alike — clues, follow-ups, assignments and
// comparison runs — are stored as JSON compressed with zstd against a
// preset raw dictionary of the words they share (schema 9). A clue of
// 1.5 KB of JSON keeps about a fifth of that. A value that starts with '{'
// is plain JSON as older versions wrote it and is read as it is.
const packedJSON = 2

// packDictID names packDict inside each compressed value.
const packDictID = 1

// packDict is the preset dictionary of packedJSON. It must never change:
// every value written with it needs exactly these bytes to be read back. A
// better dictionary needs a new format byte.
const packDict = `{"id":"2026-11-0001","key":"风险|H|530428","period":"2026-11","kind":"信息变更","source":"部门比对","township":"镇","village":"村","household":"","head":"","category_code":0,"persons":[{"name":"","id":"5304"}],` +
	`"status":"待交办","repeat_of":"","assignment":"","deadline":"","outcome":"","created":"2026-11-28T10:00:00Z","updated":"2026-11-28T10:00:00Z","assigned_on":"2026-12-08",` +
	`"feedback":{"outcome":"纳入监测","monitor_type":"突发严重困难户","reason":"经入户核实，","verifier":"驻村工作队 ","date":"2026-12-20","source":"_核查结果.xlsx","at":"2026-12-28T14:08:00Z","operator":""},` +
	`"history":[{"at":"2026-12-08T09:30:00Z","operator":"","action":"交办","new":"青防交〔2026〕11-01号，期限 2027-01-04"},{"at":"","operator":"","action":"录入核查结果","new":"不纳入：经入户核实，家庭收入稳定，“两不愁三保障”有保障；核查人 驻村工作队 ，"}]}` +
	`"of":"2026-10-0001","risk":{"dept":"民政局","list":"新增救助","type":"社会救助","detail":"新增救助（救助类型：临时救助，救助金额：","level":"临时救助"}` +
	`{"dept":"卫健局","list":"大病救治","type":"因病","amount_fen":0,"detail":"大病救治（病种：恶性肿瘤）","rule":"列入“大病救治”清单即预警"}` +
	`"risks":[{"dept":"医保局","list":"住院自付","type":"因病","amount_fen":1000000,"detail":"住院自付 个人自付金额 10,000.00 元","person":"530428","name":"","import_no":1,"lines":[3],"file":"医保局_住院自付_2026年11月.xlsx","added":"2026-11-28T10:00:00Z","rule":"个人自付金额 10,000.00 元 ≥ 5,000.00 元（名册内）"}],` +
	`"status":"已办结","assignment":"青防交〔2026〕11-01号","deadline":"2027-01-04","outcome":"不纳入","created":"2026-11-28T10:00:00Z","updated":"2026-12-28T14:08:00Z","assigned_on":"2026-12-08","feedback":{"outcome":"不纳入","reason":"经入户核实，`

var (
	// one encoder and one decoder serve every goroutine (EncodeAll and
	// DecodeAll are safe for concurrent use); made on first use
	codecOnce sync.Once
	encoder   *zstd.Encoder
	decoder   *zstd.Decoder
)

func codecs() (*zstd.Encoder, *zstd.Decoder) {
	codecOnce.Do(func() {
		var err error
		encoder, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)),
			zstd.WithLowerEncoderMem(true), zstd.WithEncoderDictRaw(packDictID, []byte(packDict)))
		if err != nil {
			panic(err) // constant options: cannot fail
		}
		decoder, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderDictRaw(packDictID, []byte(packDict)))
		if err != nil {
			panic(err)
		}
	})
	return encoder, decoder
}

// packedSmall is a small record's JSON (a clue) compressed with S2 against
// the same dictionary, after a CRC-32C of the JSON: S2 packs and unpacks
// several times faster than zstd, a few percent larger. pack writes it for
// records of up to smallRecord bytes of JSON; larger ones (follow-ups in
// blocks, assignments, comparison runs) stay zstd, which packs them tighter.
const (
	packedSmall = 3
	smallRecord = 4 << 10
)

var (
	s2DictOnce sync.Once
	s2Dict     *s2.Dict
	crcTable   = crc32.MakeTable(crc32.Castagnoli)
)

// smallDict is packDict as an S2 dictionary; its first repeat is the start
// of a record, `{"id":"`. Like packDict it must never change.
func smallDict() *s2.Dict {
	s2DictOnce.Do(func() {
		s2Dict = s2.MakeDict([]byte(packDict), []byte(`{"id":"`))
		if s2Dict == nil {
			panic("packDict is not an S2 dictionary") // a constant: cannot happen
		}
	})
	return s2Dict
}

// pack encodes v as packed JSON.
func pack(v any) ([]byte, error) {
	data, err := gojson.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(data) <= smallRecord {
		out := make([]byte, 5, 5+s2.MaxEncodedLen(len(data)))
		out[0] = packedSmall
		binary.BigEndian.PutUint32(out[1:], crc32.Checksum(data, crcTable))
		block := smallDict().Encode(out[5:cap(out)], data)
		return out[:5+len(block)], nil
	}
	enc, _ := codecs()
	out := make([]byte, 1, len(data)/4+32)
	out[0] = packedJSON
	return enc.EncodeAll(data, out), nil
}

var errPacked = errors.New("packed record cannot be read")

// unpack decodes a value written by pack, or plain JSON.
func unpack(data []byte, v any) error {
	if len(data) > 0 && data[0] == '{' {
		return decodeJSON(data, v)
	}
	if len(data) == 0 {
		return errPacked
	}
	buf := rawBuffers.Get().(*[]byte)
	defer rawBuffers.Put(buf)
	var raw []byte
	switch data[0] {
	case packedSmall:
		if len(data) < 5 {
			return errPacked
		}
		n, err := s2.DecodedLen(data[5:])
		if err != nil || n > smallRecord {
			return errPacked
		}
		if raw, err = smallDict().Decode(slices.Grow((*buf)[:0], n)[:n], data[5:]); err != nil ||
			crc32.Checksum(raw, crcTable) != binary.BigEndian.Uint32(data[1:]) {
			return errPacked
		}
	case packedJSON:
		_, dec := codecs()
		var err error
		if raw, err = dec.DecodeAll(data[1:], (*buf)[:0]); err != nil {
			return errPacked
		}
	default:
		return errPacked
	}
	*buf = raw // decodeJSON keeps nothing of its input
	return decodeJSON(raw, v)
}

// decodeJSON decodes a record's JSON with goccy/go-json, three times as
// fast as encoding/json on a clue (and it packs them in half the time): a
// large month's clues are decoded by every command that lists, assigns or
// reports them. It decodes what encoding/json decodes
// (TestRecordsDecodeAsEncodingJSONDecodes); it works on its own copy of the
// input, so the pooled buffer may be reused; were it ever to panic on
// damaged data, that is an unreadable record, not a crash.
func decodeJSON(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errPacked
		}
	}()
	return gojson.Unmarshal(data, v)
}

// rawBuffers hold decompressed JSON between records.
var rawBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// packAll packs n records on every core: packing is most of what storing
// a large month's clues costs.
func packAll(n int, record func(i int) any) ([][]byte, error) {
	out := make([][]byte, n)
	return out, par.Each(n, n, func(i int) (err error) {
		out[i], err = pack(record(i))
		return err
	})
}
