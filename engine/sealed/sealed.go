// Package sealed wraps AES-256-GCM and argon2id into the format of an
// encrypted backup: a backup written anywhere the officer chooses (a USB
// stick), or kept automatically beside the database, holds the county's
// ID numbers, disabilities, deaths and 低保 — sensitive personal
// information — and must be useless to whoever finds it.
//
// The format: a magic line, a JSON header line (how the key is made), then
// the data in chunks of up to 1 MiB, each sealed with its own nonce (the
// chunk's number) and marked as the last or not, so a file cut short, a
// chunk moved or changed, or a wrong key is found, never a wrong database.
package sealed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
)

// Magic starts every sealed file.
const Magic = "BIDUI-SEALED-1\n"

const chunkSize = 1 << 20

// Key sources recorded in the header.
const (
	FromPassword = "password" // argon2id of a backup password
	FromUserKey  = "user-key" // the key kept for this user on this PC
)

// Errors in the officer's words.
var (
	ErrWrongKey  = errors.New("密码不对，或文件已被改动")
	ErrTruncated = errors.New("文件不完整（可能是复制时中断或 U 盘被拔出）")
	ErrNotSealed = errors.New("不是加密的备份文件")
)

// Header says how the key of a sealed file is made.
type Header struct {
	Source string `json:"source"`
	// Compress is how the data was compressed before it was sealed:
	// "gzip", or "" for not at all (backups of earlier versions).
	Compress string `json:"compress,omitempty"`
	Salt     []byte `json:"salt,omitempty"`
	Time     uint32 `json:"time,omitempty"`
	Memory   uint32 `json:"memory_kib,omitempty"`
	Threads  uint8  `json:"threads,omitempty"`
}

// argon2id parameters for a backup password: a guess costs 64 MiB and
// about a tenth of a second.
const (
	argonTime    = 2
	argonMemory  = 64 << 10
	argonThreads = 2
)

// PasswordKey makes a new header and its key from a backup password.
func PasswordKey(password string) (Header, []byte, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return Header{}, nil, err
	}
	h := Header{Source: FromPassword, Salt: salt, Time: argonTime, Memory: argonMemory, Threads: argonThreads}
	return h, h.Key(password), nil
}

// Key derives the key of a password-sealed file from the password.
func (h Header) Key(password string) []byte {
	return argon2.IDKey([]byte(password), h.Salt, h.Time, h.Memory, h.Threads, 32)
}

// IsSealed reports whether the start of a file is a sealed file's.
func IsSealed(head []byte) bool { return bytes.HasPrefix(head, []byte(Magic)) }

// Writer seals what is written to it; Close seals the last chunk and
// must be called.
type Writer struct {
	w     io.Writer
	aead  cipher.AEAD
	buf   []byte
	n     uint64
	err   error
	close bool
}

// NewWriter writes the magic and header to w and returns a writer sealing
// with key (32 bytes).
func NewWriter(w io.Writer, h Header, key []byte) (*Writer, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, Magic+string(hdr)+"\n"); err != nil {
		return nil, err
	}
	return &Writer{w: w, aead: aead, buf: make([]byte, 0, chunkSize)}, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("密钥长度不对（%d 字节）", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func nonce(n uint64) []byte {
	b := make([]byte, 12)
	binary.BigEndian.PutUint64(b[4:], n)
	return b
}

func aad(last bool) []byte {
	if last {
		return []byte("last")
	}
	return []byte("more")
}

func (s *Writer) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	written := 0
	for len(p) > 0 {
		if len(s.buf) == chunkSize {
			if s.err = s.flush(false); s.err != nil {
				return written, s.err
			}
		}
		k := min(chunkSize-len(s.buf), len(p))
		s.buf = append(s.buf, p[:k]...)
		p, written = p[k:], written+k
	}
	return written, nil
}

func (s *Writer) flush(last bool) error {
	sealed := s.aead.Seal(nil, nonce(s.n), s.buf, aad(last))
	s.n++
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(sealed)))
	if _, err := s.w.Write(l[:]); err != nil {
		return err
	}
	_, err := s.w.Write(sealed)
	s.buf = s.buf[:0]
	return err
}

// Close seals the last chunk (empty when the data ended on a chunk).
func (s *Writer) Close() error {
	if s.err != nil || s.close {
		return s.err
	}
	s.close = true
	s.err = s.flush(true)
	return s.err
}

// ReadHeader reads the magic and header of a sealed file.
func ReadHeader(r *bufio.Reader) (Header, error) {
	magic := make([]byte, len(Magic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != Magic {
		return Header{}, ErrNotSealed
	}
	line, err := r.ReadBytes('\n')
	if err != nil {
		return Header{}, ErrTruncated
	}
	var h Header
	if err := json.Unmarshal(line, &h); err != nil {
		return Header{}, fmt.Errorf("加密备份的文件头已损坏：%w", err)
	}
	return h, nil
}

// Gzip is the compression backups are written with: a database file is
// mostly empty pages and repeated keys, and shrinks several times.
const Gzip = "gzip"

// Compressor wraps the sealed writer in the header's compression; closing
// it flushes the compression, then the sealed writer must be closed.
func Compressor(sw *Writer, h Header) (io.WriteCloser, error) {
	switch h.Compress {
	case "":
		return nopCloser{sw}, nil
	case Gzip:
		return gzip.NewWriterLevel(sw, gzip.BestSpeed)
	}
	return nil, fmt.Errorf("不认识的压缩方式 %q", h.Compress)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// OpenData copies the data of a sealed file to w as it was before it was
// compressed and sealed, checking every chunk; whole only when it returns
// nil.
func OpenData(w io.Writer, r *bufio.Reader, key []byte, h Header) error {
	switch h.Compress {
	case "":
		return Open(w, r, key)
	case Gzip:
	default:
		return fmt.Errorf("不认识的压缩方式 %q", h.Compress)
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := Open(pw, r, key)
		pw.CloseWithError(err)
		done <- err
	}()
	zr, err := gzip.NewReader(pr)
	if err == nil {
		_, err = io.Copy(w, zr)
	}
	pr.CloseWithError(io.ErrClosedPipe) // stops Open if the copy failed first
	if oerr := <-done; oerr != nil && !errors.Is(oerr, io.ErrClosedPipe) {
		return oerr // the seal's word first: a wrong key or a cut file
	}
	if err != nil {
		return ErrWrongKey // data that unseals but does not decompress was changed
	}
	return nil
}

// Open copies the data of a sealed file, read from r after its header, to
// w, checking every chunk; the data is whole only when it returns nil.
func Open(w io.Writer, r *bufio.Reader, key []byte) error {
	aead, err := newAEAD(key)
	if err != nil {
		return err
	}
	var l [4]byte
	buf := make([]byte, 0, chunkSize+aead.Overhead())
	out := make([]byte, 0, chunkSize) // not in place: a failed Open clears its output
	for n := uint64(0); ; n++ {
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return ErrTruncated
		}
		size := binary.BigEndian.Uint32(l[:])
		if size > chunkSize+uint32(aead.Overhead()) || size < uint32(aead.Overhead()) {
			return ErrWrongKey
		}
		buf = buf[:size]
		if _, err := io.ReadFull(r, buf); err != nil {
			return ErrTruncated
		}
		last := false
		plain, err := aead.Open(out[:0], nonce(n), buf, aad(false))
		if err != nil {
			if plain, err = aead.Open(out[:0], nonce(n), buf, aad(true)); err != nil {
				return ErrWrongKey
			}
			last = true
		}
		if _, err := w.Write(plain); err != nil {
			return err
		}
		if last {
			if _, err := r.ReadByte(); err != io.EOF {
				return ErrWrongKey // data after the last chunk
			}
			return nil
		}
	}
}
