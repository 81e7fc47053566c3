package par

import (
	"errors"
	"sync/atomic"
	"testing"
)

// TestEachRunsEveryIndexOnce: every index runs exactly once, for no work,
// one item and many, with more workers asked for than there are items; an
// error comes back.
func TestEachRunsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		counts := make([]atomic.Int32, n)
		if err := Each(n, 16, func(i int) error { counts[i].Add(1); return nil }); err != nil {
			t.Fatal(err)
		}
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d ran %d times", n, i, c)
			}
		}
	}
	bad := errors.New("bad")
	if err := Each(100, 4, func(i int) error {
		if i == 42 {
			return bad
		}
		return nil
	}); !errors.Is(err, bad) {
		t.Errorf("error lost: %v", err)
	}
}
