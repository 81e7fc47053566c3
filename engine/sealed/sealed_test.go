package sealed

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func seal(t *testing.T, data []byte, password string) []byte {
	t.Helper()
	h, key, err := PasswordKey(password)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := NewWriter(&out, h, key)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data[:len(data)/3])
	w.Write(data[len(data)/3:])
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func open(file []byte, password string) ([]byte, error) {
	r := bufio.NewReader(bytes.NewReader(file))
	h, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	err = Open(&out, r, h.Key(password))
	return out.Bytes(), err
}

func TestSealedRoundTripAndEveryDamageFound(t *testing.T) {
	for _, size := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 17} {
		data := make([]byte, size)
		rand.Read(data)
		file := seal(t, data, "备份密码2026")
		if bytes.Contains(file, data[:min(size, 64)]) && size > 16 {
			t.Fatalf("size %d: plain data in the sealed file", size)
		}
		got, err := open(file, "备份密码2026")
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: round trip: %v", size, err)
		}
		if _, err := open(file, "别的密码"); !errors.Is(err, ErrWrongKey) {
			t.Errorf("size %d: wrong password: %v", size, err)
		}
		for _, cut := range []int{len(Magic) + 3, len(file) / 2, len(file) - 1} {
			if cut >= len(file) || cut < 0 {
				continue
			}
			if _, err := open(file[:cut], "备份密码2026"); err == nil {
				t.Errorf("size %d: cut at %d of %d passed", size, cut, len(file))
			}
		}
		flipped := append([]byte(nil), file...)
		flipped[len(flipped)-5] ^= 1
		if _, err := open(flipped, "备份密码2026"); !errors.Is(err, ErrWrongKey) {
			t.Errorf("size %d: a flipped bit: %v", size, err)
		}
	}
	if _, err := open([]byte("SQLite format 3"), "x"); !errors.Is(err, ErrNotSealed) {
		t.Errorf("a plain file: %v", err)
	}
}

// TestSealedChunksCannotBeDropped: removing a whole middle chunk, or the
// last, is found.
func TestSealedChunksCannotBeDropped(t *testing.T) {
	data := make([]byte, 3*chunkSize)
	file := seal(t, data, "p")
	head := len(Magic) + bytes.IndexByte(file[len(Magic):], '\n') + 1
	chunk := 4 + chunkSize + 16
	dropped := append(append([]byte(nil), file[:head+chunk]...), file[head+2*chunk:]...)
	if _, err := open(dropped, "p"); err == nil {
		t.Error("a chunk dropped from the middle passed")
	}
	if len(file) != head+3*chunk {
		t.Fatalf("expected three chunks: %d bytes", len(file))
	}
	noLast := file[:head+2*chunk]
	if _, err := open(noLast, "p"); !errors.Is(err, ErrTruncated) {
		t.Errorf("the last chunk dropped: %v", err)
	}
}

// TestCompressedSealRoundTripAndDamage: a backup compressed before it is
// sealed comes back byte for byte, much smaller than a database's mostly
// empty pages; a cut, a flipped bit or a wrong password is still found.
func TestCompressedSealRoundTripAndDamage(t *testing.T) {
	data := make([]byte, 3*chunkSize+4096) // a database: mostly zero pages, some data
	rand.Read(data[:chunkSize/2])
	h, key, err := PasswordKey("备份密码2026")
	if err != nil {
		t.Fatal(err)
	}
	h.Compress = Gzip
	var file bytes.Buffer
	sw, err := NewWriter(&file, h, key)
	if err != nil {
		t.Fatal(err)
	}
	zw, err := Compressor(sw, h)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	if file.Len() > len(data)/4 {
		t.Errorf("compressed backup is %d bytes for %d", file.Len(), len(data))
	}
	openData := func(b []byte, password string) ([]byte, error) {
		r := bufio.NewReader(bytes.NewReader(b))
		h, err := ReadHeader(r)
		if err != nil {
			return nil, err
		}
		var out bytes.Buffer
		err = OpenData(&out, r, h.Key(password), h)
		return out.Bytes(), err
	}
	got, err := openData(file.Bytes(), "备份密码2026")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip: %v (%d bytes back)", err, len(got))
	}
	if _, err := openData(file.Bytes(), "别的密码"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("wrong password: %v", err)
	}
	for _, cut := range []int{len(Magic) + 3, file.Len() / 2, file.Len() - 1} {
		if _, err := openData(file.Bytes()[:cut], "备份密码2026"); err == nil {
			t.Errorf("cut at %d of %d passed", cut, file.Len())
		}
	}
	flipped := append([]byte(nil), file.Bytes()...)
	flipped[len(flipped)-5] ^= 1
	if _, err := openData(flipped, "备份密码2026"); err == nil {
		t.Error("a flipped bit passed")
	}
}
