package excel

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// prefetchRows reads a sheet's rows ahead on another goroutine, in
// batches: scanning the XML and checking the rows (IDs, amounts, the
// header's columns) then share the two cores of an office PC instead of
// taking turns. The source's rows are its own (a new slice per row), so
// they are handed over as they are.
type prefetchRows struct {
	src   *fastRows
	ch    chan []prefetched
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
	batch []prefetched
	i     int
	cur   prefetched
	err   error // written before ch is closed
	ended bool  // Next found ch closed
	hint  atomic.Int64
}

type prefetched struct {
	line    int
	cells   []string
	numeric []bool
}

const prefetchBatch = 512

func prefetch(src *fastRows) *prefetchRows {
	p := &prefetchRows{src: src, ch: make(chan []prefetched, 4), stop: make(chan struct{}), done: make(chan struct{})}
	p.hint.Store(int64(src.RowsHint()))
	go p.run()
	return p
}

func (p *prefetchRows) run() {
	defer close(p.done)
	defer close(p.ch)
	batch := make([]prefetched, 0, prefetchBatch)
	for p.src.Next() {
		batch = append(batch, prefetched{p.src.Line(), p.src.Cells(), p.src.Numeric()})
		if len(batch) == prefetchBatch {
			p.hint.Store(int64(p.src.RowsHint()))
			select {
			case p.ch <- batch:
			case <-p.stop:
				return
			}
			batch = make([]prefetched, 0, prefetchBatch)
		}
	}
	p.err = p.src.Err() // Next recovers a damaged file's panic into Err
	if len(batch) > 0 {
		select {
		case p.ch <- batch:
		case <-p.stop:
		}
	}
}

func (p *prefetchRows) Next() bool {
	for p.i >= len(p.batch) {
		b, ok := <-p.ch
		if !ok {
			p.cur, p.ended = prefetched{}, true
			return false
		}
		p.batch, p.i = b, 0
	}
	p.cur = p.batch[p.i]
	p.i++
	return true
}

func (p *prefetchRows) Cells() []string { return p.cur.cells }
func (p *prefetchRows) Numeric() []bool { return p.cur.numeric }
func (p *prefetchRows) Line() int       { return p.cur.line }
func (p *prefetchRows) RowsHint() int   { return int(p.hint.Load()) }

// Err is the source's error once Next has said false. The reading ahead
// writes it before it closes the channel Next found closed, so it is there
// to be read then (waiting for done as well could miss it: done is closed
// a moment after the channel).
func (p *prefetchRows) Err() error {
	if p.ended {
		return p.err
	}
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// Close stops the reading ahead, then closes the sheet.
func (p *prefetchRows) Close() error {
	p.once.Do(func() { close(p.stop) })
	<-p.done
	return p.src.Close()
}

// inflateAhead inflates a sheet's part on another goroutine, a few chunks
// ahead of the parser: inflating, scanning the XML and checking the rows
// are three steps that share the cores instead of two taking turns on one.
// It is an io.Reader of the same bytes; Close stops it.
type inflateAhead struct {
	ch   chan aheadChunk
	free chan []byte // chunks read through, to be filled again
	stop chan struct{}
	done chan struct{}
	once sync.Once
	cur  []byte // what is left of the chunk being read
	buf  []byte // that chunk, whole
	err  error  // the source's error, once its last bytes are read
}

type aheadChunk struct {
	b   []byte
	err error
}

const aheadChunkSize = 128 << 10

func readAhead(r io.Reader) *inflateAhead {
	a := &inflateAhead{ch: make(chan aheadChunk, 2), free: make(chan []byte, 4), stop: make(chan struct{}), done: make(chan struct{})}
	go a.run(r)
	return a
}

func (a *inflateAhead) run(r io.Reader) {
	defer close(a.done)
	defer close(a.ch)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		default:
			buf = make([]byte, aheadChunkSize)
		}
		n, err := readChunk(r, buf)
		if err == io.ErrUnexpectedEOF {
			err = io.EOF // the last chunk is short
		}
		select {
		case a.ch <- aheadChunk{buf[:n], err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// readChunk is io.ReadFull that turns a panic of the source (a damaged
// part) into an error, which the parser then reports as the file's fault.
func readChunk(r io.Reader, buf []byte) (n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return io.ReadFull(r, buf)
}

func (a *inflateAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return 0, a.err
		}
		if a.buf != nil {
			select {
			case a.free <- a.buf[:cap(a.buf)]:
			default:
			}
			a.buf = nil
		}
		c, ok := <-a.ch
		if !ok {
			return 0, io.ErrClosedPipe // read after Close
		}
		a.cur, a.buf, a.err = c.b, c.b, c.err
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the inflating and waits for it to end, so that the part
// under it can be closed.
func (a *inflateAhead) Close() {
	a.once.Do(func() { close(a.stop) })
	<-a.done
}
