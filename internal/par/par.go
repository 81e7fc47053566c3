// Package par runs the work of a large month on every core: packing and
// decoding clues, marshalling a long JSON list.
package par

import (
	"errors"
	"runtime"
	"sync"
)

// Each runs do for 0 … n−1 on up to workers goroutines (never more than
// the cores, at least one), each taking every workers-th index and stopping
// at its first error; the errors are joined.
func Each(n, workers int, do func(i int) error) error {
	workers = max(1, min(runtime.GOMAXPROCS(0), workers, n))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if errs[w] = do(i); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
