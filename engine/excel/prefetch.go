package excel

import "sync"

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
}

type prefetched struct {
	line    int
	cells   []string
	numeric []bool
}

const prefetchBatch = 512

func prefetch(src *fastRows) *prefetchRows {
	p := &prefetchRows{src: src, ch: make(chan []prefetched, 4), stop: make(chan struct{}), done: make(chan struct{})}
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
			p.cur = prefetched{}
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
func (p *prefetchRows) RowsHint() int   { return p.src.hint }

// Err is the source's error once Next has said false.
func (p *prefetchRows) Err() error {
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
